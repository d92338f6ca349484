//! {{title}}
//!
//! CIS control `{{control_key}}`: its ids, scoring status and profile level
//! in every benchmark version come from `cis::{{control_const}}`.
//!
//! EXAMPLE RULE: this scaffold judges the root user's MFA from the IAM
//! account summary, so that it builds and passes its fixtures out of the
//! box. Replace `evaluate` with the control's logic, then its fixtures
//! (`host test . --update` after checking the difference it shows).

use plumbline_guest::prelude::*;

struct Check{{type_name}};

impl Check for Check{{type_name}} {
    // No id here: export_check! takes it from the package name.
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::{{control_const}},
            severity: Severity::High,
            description: "Checks ... (say what the check reads and what it requires).",
            rationale: "Why the control matters.",
            remediation: "How to fix a failing resource.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        let summary = iam::account_summary()?;
        let enabled = account::summary_value(&summary, "AccountMFAEnabled")? == 1;
        Ok(vec![Finding::verdict(
            enabled,
            account::root_arn(),
            GLOBAL_REGION,
            if enabled {
                "the root user has MFA"
            } else {
                "the root user has no MFA device"
            },
        )])
    }
}

plumbline_guest::export_check!(Check{{type_name}});
