//! MFA is enabled for the root user.

use plumbline_guest::prelude::*;

struct RootMfa;

impl Check for RootMfa {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::ROOT_MFA,
            severity: Severity::Critical,
            description: "Checks that the root user signs in with multi-factor authentication \
                          (IAM account summary `AccountMFAEnabled`).",
            rationale: "With MFA, a stolen root password alone does not open the account. The \
                        root user cannot be restricted by policy, so its sign-in must be the \
                        strongest in the account.",
            remediation: "Sign in as the root user, open Security credentials, and assign an MFA \
                          device (a hardware key where possible).",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        let summary = iam::account_summary()?;
        let enabled = account::summary_value(&summary, "AccountMFAEnabled")? == 1;
        let message = if enabled {
            "MFA is enabled for the root user"
        } else {
            "MFA is not enabled for the root user"
        };
        let finding = Finding::verdict(enabled, account::root_arn(), GLOBAL_REGION, message);
        Ok(vec![finding])
    }
}

plumbline_guest::export_check!(RootMfa);
