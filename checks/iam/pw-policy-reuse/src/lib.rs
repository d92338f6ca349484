//! The account password policy prevents reuse of the last 24 passwords.

use plumbline_guest::prelude::*;

struct PasswordReuse;

/// Previous passwords IAM must remember, per CIS.
const REMEMBERED_PASSWORDS: u32 = 24;

impl Check for PasswordReuse {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::PW_POLICY_REUSE,
            severity: Severity::Medium,
            description: "Checks that the IAM account password policy prevents users from \
                          reusing any of their last 24 passwords (PasswordReusePrevention of \
                          24, the most IAM allows).",
            rationale: "A password that was exposed once stays useful to an attacker if its \
                        owner can switch back to it after a forced change. Remembering many \
                        previous passwords makes a changed password stay changed.",
            remediation: "aws iam update-account-password-policy --password-reuse-prevention 24 \
                          (repeat the settings you keep: the call replaces the whole policy), or \
                          IAM > Account settings > Password policy > Edit > Prevent password \
                          reuse.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        password_policy::evaluate(
            "passwords to differ from the last 24",
            |policy| match policy.password_reuse_prevention {
                Some(remembered) => (
                    remembered >= REMEMBERED_PASSWORDS,
                    format!(
                        "password reuse prevention remembers {remembered} previous passwords \
                         (CIS requires {REMEMBERED_PASSWORDS})"
                    ),
                ),
                None => (
                    false,
                    format!(
                        "password reuse prevention is off (CIS requires remembering \
                         {REMEMBERED_PASSWORDS} previous passwords)"
                    ),
                ),
            },
        )
    }
}

plumbline_guest::export_check!(PasswordReuse);
