//! Every IAM user with a console password has MFA enabled.

use plumbline_guest::prelude::*;

struct ConsoleUserMfa;

impl Check for ConsoleUserMfa {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::IAM_USER_CONSOLE_MFA,
            severity: Severity::High,
            description: "Checks, from the IAM credential report, that every IAM user who can \
                          sign in to the console has an MFA device.",
            rationale: "A console password alone can be phished, guessed or reused from another \
                        breach; MFA keeps such a password from opening the account.",
            remediation: "For each listed user: IAM > Users > the user > Security credentials > \
                          Assign MFA device. Consider an IAM policy that denies actions without \
                          MFA until a device is registered.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        let report = iam::credential_report()?;
        let findings: Vec<Finding> = account::iam_users(&report)
            .filter(|row| row.password_enabled == Some(true))
            .map(|row| {
                if row.mfa_active {
                    Finding::pass(
                        &row.arn,
                        GLOBAL_REGION,
                        format!("console user {} has MFA", row.user),
                    )
                } else {
                    Finding::fail(
                        &row.arn,
                        GLOBAL_REGION,
                        format!("console user {} has a password but no MFA device", row.user),
                    )
                }
            })
            .collect();
        if findings.is_empty() {
            return Ok(vec![Finding::pass(
                account::account_resource(),
                GLOBAL_REGION,
                "no IAM user has a console password",
            )]);
        }
        Ok(findings)
    }
}

plumbline_guest::export_check!(ConsoleUserMfa);
