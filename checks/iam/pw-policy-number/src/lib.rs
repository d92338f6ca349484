//! The account password policy requires at least one number.

use plumbline_guest::prelude::*;

struct PasswordNumber;

impl Check for PasswordNumber {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::PW_POLICY_NUMBER,
            severity: Severity::Medium,
            description: "Checks that the IAM account password policy requires at least one \
                          digit (0-9) in every IAM user password.",
            rationale: "Each required character class widens the space an attacker must search \
                        when guessing or brute-forcing a password. Without a policy IAM requires \
                        none.",
            remediation: "aws iam update-account-password-policy --require-numbers (repeat the \
                          settings you keep: the call replaces the whole policy), or IAM > \
                          Account settings > Password policy > Edit.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        password_policy::evaluate_setting("at least one number", |policy| policy.require_numbers)
    }
}

plumbline_guest::export_check!(PasswordNumber);
