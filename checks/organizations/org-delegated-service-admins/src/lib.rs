//! Delegated administrator accounts, not the management account, run the
//! organization's integrated services.

use plumbline_guest::prelude::*;

struct DelegatedServiceAdmins;

/// How many administrators, and services per administrator, a message names.
const LISTED: usize = 8;

impl Check for DelegatedServiceAdmins {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::ORG_DELEGATED_SERVICE_ADMINS,
            severity: Severity::Low,
            description: "Lists the organization's delegated administrator accounts and the \
                          services each administers (Organizations \
                          ListDelegatedAdministrators, ListDelegatedServicesForAccount). \
                          Whether every integrated service in use has the right delegate is for \
                          the auditor to confirm, so the result is manual. Not applicable to an \
                          account outside any organization.",
            rationale: "Services such as Security Hub, GuardDuty, IAM Access Analyzer, Config \
                        and CloudFormation StackSets can be run organization-wide from a \
                        delegated administrator account. Doing so keeps their daily operation, \
                        and the people who perform it, out of the management account.",
            remediation: "For each organization-integrated service in use, register a member \
                          account (usually a security or tooling account) as its delegated \
                          administrator, from the service's own console or with `aws \
                          organizations register-delegated-administrator --account-id <id> \
                          --service-principal <service>.amazonaws.com`, then operate the \
                          service from that account.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        organization::evaluate_within(|organization| {
            let administrators = organizations::delegated_administrators()?;
            let state = if administrators.is_empty() {
                format!(
                    "no delegated administrators, so integrated services are run from the \
                     management account {}; confirm which services are in use and delegate \
                     each to a member account",
                    organization.details.management_account_id
                )
            } else {
                let described: Vec<String> = administrators
                    .iter()
                    .map(|administrator| {
                        let services = if administrator.services.is_empty() {
                            "no services".to_string()
                        } else {
                            plumbline_guest::brief_list(&administrator.services, LISTED)
                        };
                        format!(
                            "{} ({}) for {services}",
                            administrator.account_id, administrator.name
                        )
                    })
                    .collect();
                format!(
                    "{} delegated administrator(s): {}; confirm every integrated service in use \
                     is delegated to the intended account",
                    administrators.len(),
                    plumbline_guest::brief_list(&described, LISTED)
                )
            };
            Ok(vec![Finding::manual(
                organization.resource(),
                GLOBAL_REGION,
                format!("organization {}: {state}", organization.details.id),
            )])
        })
    }
}

plumbline_guest::export_check!(DelegatedServiceAdmins);
