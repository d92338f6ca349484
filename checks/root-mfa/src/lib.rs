//! MFA is enabled for the root user.

use plumbline_guest::prelude::*;

struct RootMfa;

impl Check for RootMfa {
    fn metadata() -> CheckMetadata {
        CheckInfo {
            id: "root-mfa",
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
        .into()
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        let summary = iam::account_summary()?;
        let finding = match account::summary_value(&summary, "AccountMFAEnabled") {
            Some(1) => Finding::pass(
                account::root_arn(),
                GLOBAL_REGION,
                "MFA is enabled for the root user",
            ),
            Some(_) => Finding::fail(
                account::root_arn(),
                GLOBAL_REGION,
                "MFA is not enabled for the root user",
            ),
            None => Finding::error(
                account::root_arn(),
                GLOBAL_REGION,
                "the IAM account summary has no AccountMFAEnabled entry",
            ),
        };
        Ok(vec![finding])
    }
}

plumbline_guest::export_check!(RootMfa);
