//! The account password policy requires at least one uppercase letter.

use plumbline_guest::prelude::*;

struct PasswordUppercase;

impl Check for PasswordUppercase {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::PW_POLICY_UPPERCASE,
            severity: Severity::Medium,
            description: "Checks that the IAM account password policy requires at least one \
                          uppercase letter (A-Z) in every IAM user password.",
            rationale: "Each required character class widens the space an attacker must search \
                        when guessing or brute-forcing a password. Without a policy IAM requires \
                        none.",
            remediation: "aws iam update-account-password-policy --require-uppercase-characters \
                          (repeat the settings you keep: the call replaces the whole policy), or \
                          IAM > Account settings > Password policy > Edit.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        password_policy::evaluate_setting("at least one uppercase letter", |policy| {
            policy.require_uppercase_characters
        })
    }
}

plumbline_guest::export_check!(PasswordUppercase);
