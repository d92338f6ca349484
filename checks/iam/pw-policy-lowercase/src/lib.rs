//! The account password policy requires at least one lowercase letter.

use plumbline_guest::prelude::*;

struct PasswordLowercase;

impl Check for PasswordLowercase {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::PW_POLICY_LOWERCASE,
            severity: Severity::Medium,
            description: "Checks that the IAM account password policy requires at least one \
                          lowercase letter (a-z) in every IAM user password.",
            rationale: "Each required character class widens the space an attacker must search \
                        when guessing or brute-forcing a password. Without a policy IAM requires \
                        none.",
            remediation: "aws iam update-account-password-policy --require-lowercase-characters \
                          (repeat the settings you keep: the call replaces the whole policy), or \
                          IAM > Account settings > Password policy > Edit.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        password_policy::evaluate_setting("at least one lowercase letter", |policy| {
            policy.require_lowercase_characters
        })
    }
}

plumbline_guest::export_check!(PasswordLowercase);
