//! A delegated administrator account, not the management account, manages
//! the organization's policies.

use plumbline_guest::policy::{Effect, PolicyDocument, Principal, Statement};
use plumbline_guest::prelude::*;

struct DelegatedPolicyAdmin;

/// How many principals and actions a message names.
const LISTED: usize = 8;

impl Check for DelegatedPolicyAdmin {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::ORG_DELEGATED_POLICY_ADMIN,
            severity: Severity::Low,
            description: "Reports whether the organization has a resource-based delegation \
                          policy (Organizations DescribeResourcePolicy) and, if so, which \
                          principals it lets manage policies and with which actions. Whether \
                          the delegate is the right account is for the auditor to confirm, so \
                          the result is manual. Not applicable to an account outside any \
                          organization.",
            rationale: "Without delegation, every change to service control, resource control, \
                        tag or backup policies needs someone signed in to the management \
                        account, the one account that should see the least day-to-day use. \
                        A delegated administrator lets a security or platform account manage \
                        policies with only the Organizations actions it needs.",
            remediation: "From the management account: Organizations > Settings > Delegated \
                          administrator for AWS Organizations > Delegate, and write a \
                          resource-based policy allowing the chosen account the policy actions \
                          it needs (for example organizations:CreatePolicy, UpdatePolicy, \
                          AttachPolicy, DetachPolicy and the Describe/List calls), limited by \
                          condition to the policy types it should manage.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        organization::evaluate_within(|organization| {
            let state = match organizations::resource_policy()? {
                None => format!(
                    "no resource policy delegates policy management, so only the management \
                     account {} manages policies; confirm whether a delegated administrator \
                     account should take this over",
                    organization.details.management_account_id
                ),
                Some(document) => {
                    let policy = PolicyDocument::parse(&document).map_err(|error| {
                        DataError::CollectionFailed(format!(
                            "the Organizations resource policy: {error}"
                        ))
                    })?;
                    format!(
                        "the resource policy delegates {}; confirm each principal is the \
                         intended policy administrator and the actions go no further than it \
                         needs",
                        describe_delegation(&policy)
                    )
                }
            };
            Ok(vec![Finding::manual(
                organization.resource(),
                GLOBAL_REGION,
                format!("organization {}: {state}", organization.details.id),
            )])
        })
    }
}

/// Who may do what, over the Allow statements.
fn describe_delegation(policy: &PolicyDocument) -> String {
    let allowed: Vec<&Statement> = policy
        .statements
        .iter()
        .filter(|statement| statement.effect == Effect::Allow)
        .collect();
    if allowed.is_empty() {
        return "nothing (no Allow statement)".to_string();
    }
    let described: Vec<String> = allowed
        .iter()
        .map(|statement| {
            let principals = statement.principal.as_ref().map_or_else(Vec::new, names);
            let actions = if statement.not_actions.is_empty() {
                plumbline_guest::brief_list(&statement.actions, LISTED)
            } else {
                format!(
                    "every action except {}",
                    plumbline_guest::brief_list(&statement.not_actions, LISTED)
                )
            };
            format!(
                "to {}: {actions}",
                plumbline_guest::brief_list(&principals, LISTED)
            )
        })
        .collect();
    described.join("; ")
}

/// The principals a statement names, whatever their type.
fn names(principal: &Principal) -> Vec<String> {
    match principal {
        Principal::Everyone => vec!["*".to_string()],
        Principal::Named(types) => types.values().flatten().cloned().collect(),
    }
}

plumbline_guest::export_check!(DelegatedPolicyAdmin);
