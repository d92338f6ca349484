//! AWS Organizations as the scanned account sees it. Most of these calls
//! answer only in the management account or a delegated administrator; a
//! member account gets access-denied, recorded as such.

use aws_sdk_organizations::Client;
use aws_sdk_organizations::types::PolicyType;

use super::{ORGANIZATIONAL_UNITS, ROOTS};
use crate::bindings::organizations::{
    DelegatedAdministrator, MemberAccount, OrganizationDetails, OrganizationPolicy,
    OrganizationalUnit, PolicyTypeStatus, Root,
};
use crate::bindings::types::DataError;
use crate::collect::errors::data_error;
use crate::collect::{Context, text};
use crate::registry::Outcome;

/// Every item of a paginated list: the Organizations paginators have no
/// item view. Returns early with the data error of a failed page.
macro_rules! all_items {
    ($request:expr, $items:ident, $action:expr) => {{
        let mut pages = $request.into_paginator().send();
        let mut items = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|error| data_error($action, error))?;
            items.extend(page.$items().iter().cloned());
        }
        items
    }};
}

pub async fn organization(context: &Context<'_>) -> Outcome<Option<OrganizationDetails>> {
    let client: Client = context.global_client();
    match client.describe_organization().send().await {
        Ok(output) => Ok(output
            .organization()
            .map(|organization| OrganizationDetails {
                id: text(organization.id()),
                arn: text(organization.arn()),
                feature_set: organization
                    .feature_set()
                    .map(|set| set.as_str().to_string())
                    .unwrap_or_default(),
                management_account_id: text(organization.master_account_id()),
            })),
        // The API's way of saying "this account is in no organization".
        Err(error)
            if error
                .as_service_error()
                .is_some_and(|service| service.is_aws_organizations_not_in_use_exception()) =>
        {
            Ok(None)
        }
        Err(error) => Err(data_error("organizations:DescribeOrganization", error)),
    }
}

pub async fn roots(context: &Context<'_>) -> Outcome<Vec<Root>> {
    let client: Client = context.global_client();
    let roots = all_items!(client.list_roots(), roots, "organizations:ListRoots");
    Ok(roots
        .iter()
        .map(|root| Root {
            id: text(root.id()),
            arn: text(root.arn()),
            name: text(root.name()),
            policy_types: root
                .policy_types()
                .iter()
                .map(|policy_type| PolicyTypeStatus {
                    type_: policy_type
                        .r#type()
                        .map(|kind| kind.as_str().to_string())
                        .unwrap_or_default(),
                    status: policy_type
                        .status()
                        .map(|status| status.as_str().to_string())
                        .unwrap_or_default(),
                })
                .collect(),
        })
        .collect())
}

/// Every unit under the roots, one level of the tree at a time.
pub async fn organizational_units(context: &Context<'_>) -> Outcome<Vec<OrganizationalUnit>> {
    let client: Client = context.global_client();
    let mut parents: Vec<String> = context
        .get(&ROOTS)?
        .iter()
        .map(|root| root.id.clone())
        .collect();
    let mut units = Vec::new();
    while let Some(parent) = parents.pop() {
        let children = all_items!(
            client
                .list_organizational_units_for_parent()
                .parent_id(&parent),
            organizational_units,
            "organizations:ListOrganizationalUnitsForParent"
        );
        for unit in children {
            let id = text(unit.id());
            parents.push(id.clone());
            units.push(OrganizationalUnit {
                id,
                arn: text(unit.arn()),
                name: text(unit.name()),
                parent_id: parent.clone(),
            });
        }
    }
    Ok(units)
}

/// The accounts directly under each root and unit, parents concurrently.
pub async fn accounts(context: &Context<'_>) -> Outcome<Vec<MemberAccount>> {
    let client: Client = context.global_client();
    let parents = context
        .get(&ROOTS)?
        .iter()
        .map(|root| root.id.clone())
        .chain(
            context
                .get(&ORGANIZATIONAL_UNITS)?
                .iter()
                .map(|unit| unit.id.clone()),
        );
    let per_parent = context
        .each(parents, String::clone, |parent| {
            let client = client.clone();
            async move {
                let accounts = all_items!(
                    client.list_accounts_for_parent().parent_id(&parent),
                    accounts,
                    "organizations:ListAccountsForParent"
                );
                Ok::<_, DataError>(
                    accounts
                        .iter()
                        .map(|account| MemberAccount {
                            id: text(account.id()),
                            arn: text(account.arn()),
                            name: text(account.name()),
                            email: text(account.email()),
                            status: account
                                .state()
                                .map(|state| state.as_str().to_string())
                                .unwrap_or_default(),
                            parent_id: parent.clone(),
                        })
                        .collect::<Vec<_>>(),
                )
            }
        })
        .await;
    let mut accounts = Vec::new();
    for listed in per_parent.into_values() {
        accounts.extend(listed?);
    }
    Ok(accounts)
}

pub async fn policies(context: &Context<'_>) -> Outcome<Vec<OrganizationPolicy>> {
    let client: Client = context.global_client();
    let mut policies = Vec::new();
    for policy_type in [
        PolicyType::ServiceControlPolicy,
        PolicyType::ResourceControlPolicy,
    ] {
        let summaries = all_items!(
            client.list_policies().filter(policy_type),
            policies,
            "organizations:ListPolicies"
        );
        for summary in summaries {
            let id = text(summary.id());
            let targets = all_items!(
                client.list_targets_for_policy().policy_id(&id),
                targets,
                "organizations:ListTargetsForPolicy"
            );
            policies.push(OrganizationPolicy {
                id,
                arn: text(summary.arn()),
                name: text(summary.name()),
                type_: summary
                    .r#type()
                    .map(|kind| kind.as_str().to_string())
                    .unwrap_or_default(),
                aws_managed: summary.aws_managed(),
                targets: targets
                    .iter()
                    .map(|target| text(target.target_id()))
                    .collect(),
            });
        }
    }
    Ok(policies)
}

pub async fn delegated_administrators(
    context: &Context<'_>,
) -> Outcome<Vec<DelegatedAdministrator>> {
    let client: Client = context.global_client();
    let administrators = all_items!(
        client.list_delegated_administrators(),
        delegated_administrators,
        "organizations:ListDelegatedAdministrators"
    );
    let mut delegated = Vec::with_capacity(administrators.len());
    for administrator in administrators {
        let account_id = text(administrator.id());
        let services = all_items!(
            client
                .list_delegated_services_for_account()
                .account_id(&account_id),
            delegated_services,
            "organizations:ListDelegatedServicesForAccount"
        );
        delegated.push(DelegatedAdministrator {
            account_id,
            name: text(administrator.name()),
            email: text(administrator.email()),
            services: services
                .iter()
                .map(|service| text(service.service_principal()))
                .collect(),
        });
    }
    Ok(delegated)
}

pub async fn resource_policy(context: &Context<'_>) -> Outcome<Option<String>> {
    let client: Client = context.global_client();
    match client.describe_resource_policy().send().await {
        Ok(output) => Ok(output
            .resource_policy()
            .and_then(|policy| policy.content())
            .map(str::to_string)),
        Err(error)
            if error.as_service_error().is_some_and(|service| {
                service.is_resource_policy_not_found_exception()
                    || service.is_aws_organizations_not_in_use_exception()
            }) =>
        {
            Ok(None)
        }
        Err(error) => Err(data_error("organizations:DescribeResourcePolicy", error)),
    }
}
