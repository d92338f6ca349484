//! The account password policy requires passwords of at least 14 characters.

use plumbline_guest::prelude::*;

struct PasswordMinimumLength;

/// CIS minimum.
const MINIMUM_LENGTH: u32 = 14;
/// What IAM enforces when the account has no password policy.
const IAM_DEFAULT_LENGTH: u32 = 8;

impl Check for PasswordMinimumLength {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::PW_POLICY_MIN_LENGTH_14,
            severity: Severity::Medium,
            description: "Checks that the IAM account password policy sets a minimum password \
                          length of 14 or more.",
            rationale: "Longer passwords resist guessing and brute force. Without a policy IAM \
                        accepts 8-character passwords.",
            remediation: "aws iam update-account-password-policy --minimum-password-length 14 \
                          (with the other settings you keep), or IAM > Account settings > \
                          Password policy in the console.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        password_policy::evaluate(
            &format!(
                "a minimum length of {MINIMUM_LENGTH} (IAM accepts {IAM_DEFAULT_LENGTH}-character \
                 passwords)"
            ),
            |policy| {
                (
                    policy.minimum_password_length >= MINIMUM_LENGTH,
                    format!(
                        "minimum password length is {} (CIS requires {MINIMUM_LENGTH} or more)",
                        policy.minimum_password_length
                    ),
                )
            },
        )
    }
}

plumbline_guest::export_check!(PasswordMinimumLength);
