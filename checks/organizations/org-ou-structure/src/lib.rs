//! Organizational units group accounts by environment and sensitivity.

use plumbline_guest::prelude::*;

struct OuStructure;

/// How many names a message lists.
const LISTED: usize = 10;

impl Check for OuStructure {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::ORG_OU_STRUCTURE,
            severity: Severity::Low,
            description: "Reports the organization's structure: how many organizational units \
                          (OUs) there are, which sit directly under the root, and which \
                          accounts are left directly under the root. Whether the OUs follow \
                          environment and data sensitivity is a judgement, so the result is \
                          manual. Not applicable to an account outside any organization.",
            rationale: "Service control policies, delegated administration and access reviews \
                        are applied per OU. OUs that separate production from non-production \
                        and sensitive from ordinary data let each get the guardrails it needs; \
                        accounts left under the root get only what applies to everyone.",
            remediation: "From the management account: Organizations > AWS accounts > create \
                          OUs by environment and sensitivity (for example Security, \
                          Infrastructure, Workloads/Prod, Workloads/NonProd, Sandbox, \
                          Suspended) and move every account into the OU that matches it, \
                          leaving only the management account under the root.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        organization::evaluate_within(|organization| {
            let roots = organizations::roots()?;
            let units = organizations::organizational_units()?;
            let accounts = organizations::accounts()?;
            let under_root = |parent_id: &str| roots.iter().any(|root| root.id == parent_id);
            let top_level: Vec<&str> = units
                .iter()
                .filter(|unit| under_root(&unit.parent_id))
                .map(|unit| unit.name.as_str())
                .collect();
            let at_root: Vec<String> = accounts
                .iter()
                .filter(|account| under_root(&account.parent_id))
                .map(|account| format!("{} ({})", account.name, account.id))
                .collect();
            let units_text = if units.is_empty() {
                "no organizational units".to_string()
            } else {
                format!(
                    "{} OU(s), {} at the top level: {}",
                    units.len(),
                    top_level.len(),
                    plumbline_guest::brief_list(&top_level, LISTED)
                )
            };
            let root_text = if at_root.is_empty() {
                "none directly under the root".to_string()
            } else {
                format!(
                    "{} directly under the root: {}",
                    at_root.len(),
                    plumbline_guest::brief_list(&at_root, LISTED)
                )
            };
            let message = format!(
                "organization {}: {units_text}; {} account(s), {root_text}; confirm the OUs \
                 separate environments and data sensitivity and every workload account sits in \
                 the matching one",
                organization.details.id,
                accounts.len()
            );
            Ok(vec![Finding::manual(
                organization.resource(),
                GLOBAL_REGION,
                message,
            )])
        })
    }
}

plumbline_guest::export_check!(OuStructure);
