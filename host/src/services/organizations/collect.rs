//! AWS Organizations as the scanned account sees it. Most of these calls
//! answer only in the management account or a delegated administrator; a
//! member account gets access-denied, recorded as such.

use aws_sdk_organizations::Client;
use aws_sdk_organizations::types::PolicyType;

use super::errors::data_error;
use super::{Collection, text};
use crate::bindings::organizations::{
    DelegatedAdministrator, MemberAccount, OrganizationDetails, OrganizationPolicy,
    OrganizationalUnit, PolicyTypeStatus, Root,
};
use crate::snapshot::{Collected, DataSource, OrganizationsData, Outcome};

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

/// Roots, organizational units and accounts: one walk of the tree.
#[derive(Clone)]
struct Structure {
    roots: Vec<Root>,
    units: Vec<OrganizationalUnit>,
    accounts: Vec<MemberAccount>,
}

pub async fn collect(client: &Client, collection: &Collection<'_>) -> OrganizationsData {
    let (organization, structure, policies, delegated_administrators, resource_policy) = tokio::join!(
        collection.run(DataSource::Organization, organization(client)),
        collection.run(DataSource::OrganizationStructure, structure(client)),
        collection.run(DataSource::OrganizationPolicies, policies(client)),
        collection.run(
            DataSource::DelegatedAdministrators,
            delegated_administrators(client)
        ),
        collection.run(
            DataSource::OrganizationResourcePolicy,
            resource_policy(client)
        ),
    );
    OrganizationsData {
        organization,
        roots: part(&structure, |structure| structure.roots),
        organizational_units: part(&structure, |structure| structure.units),
        accounts: part(&structure, |structure| structure.accounts),
        policies,
        delegated_administrators,
        resource_policy,
    }
}

/// One of the three data sets the tree walk answers.
fn part<T>(structure: &Collected<Structure>, pick: impl FnOnce(Structure) -> T) -> Collected<T> {
    structure.clone().map(|outcome| outcome.map(pick))
}

async fn organization(client: &Client) -> Outcome<Option<OrganizationDetails>> {
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

async fn structure(client: &Client) -> Outcome<Structure> {
    let roots = all_items!(client.list_roots(), roots, "organizations:ListRoots");
    let mut structure = Structure {
        roots: roots
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
            .collect(),
        units: Vec::new(),
        accounts: Vec::new(),
    };
    // Breadth-first from each root: every unit's children and accounts.
    let mut parents: Vec<String> = structure.roots.iter().map(|root| root.id.clone()).collect();
    while let Some(parent) = parents.pop() {
        let units = all_items!(
            client
                .list_organizational_units_for_parent()
                .parent_id(&parent),
            organizational_units,
            "organizations:ListOrganizationalUnitsForParent"
        );
        for unit in units {
            let id = text(unit.id());
            parents.push(id.clone());
            structure.units.push(OrganizationalUnit {
                id,
                arn: text(unit.arn()),
                name: text(unit.name()),
                parent_id: parent.clone(),
            });
        }
        let accounts = all_items!(
            client.list_accounts_for_parent().parent_id(&parent),
            accounts,
            "organizations:ListAccountsForParent"
        );
        structure.accounts.extend(accounts.iter().map(|account| {
            MemberAccount {
                id: text(account.id()),
                arn: text(account.arn()),
                name: text(account.name()),
                email: text(account.email()),
                status: account
                    .state()
                    .map(|state| state.as_str().to_string())
                    .unwrap_or_default(),
                parent_id: parent.clone(),
            }
        }));
    }
    Ok(structure)
}

async fn policies(client: &Client) -> Outcome<Vec<OrganizationPolicy>> {
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

async fn delegated_administrators(client: &Client) -> Outcome<Vec<DelegatedAdministrator>> {
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

async fn resource_policy(client: &Client) -> Outcome<Option<String>> {
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
