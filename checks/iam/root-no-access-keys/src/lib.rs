//! The root user has no access keys: keys for the root user grant unrestricted
//! access that no policy can limit.

use plumbline_guest::prelude::*;

struct RootNoAccessKeys;

impl Check for RootNoAccessKeys {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::ROOT_NO_ACCESS_KEYS,
            severity: Severity::Critical,
            description: "Checks that the root user has no access keys (IAM account summary \
                          `AccountAccessKeysPresent`).",
            rationale: "The root user can do anything in the account and no IAM policy restricts \
                        it. An access key for it is a long-lived credential with that power; \
                        deleting it removes a path to full account compromise.",
            remediation: "Sign in as the root user, open Security credentials, and delete every \
                          access key under 'Access keys'. Use IAM roles for programmatic access.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        let summary = iam::account_summary()?;
        let keys = account::summary_value(&summary, "AccountAccessKeysPresent")?;
        let finding = if keys == 0 {
            Finding::pass(
                account::root_arn(),
                GLOBAL_REGION,
                "the root user has no access keys",
            )
        } else {
            Finding::fail(
                account::root_arn(),
                GLOBAL_REGION,
                format!(
                    "the root user has access keys (AccountAccessKeysPresent = {keys}); delete them"
                ),
            )
        };
        Ok(vec![finding])
    }
}

plumbline_guest::export_check!(RootNoAccessKeys);
