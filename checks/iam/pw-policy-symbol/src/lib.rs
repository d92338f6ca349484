//! The account password policy requires at least one symbol.

use plumbline_guest::prelude::*;

struct PasswordSymbol;

impl Check for PasswordSymbol {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::PW_POLICY_SYMBOL,
            severity: Severity::Medium,
            description: "Checks that the IAM account password policy requires at least one \
                          non-alphanumeric character (such as ! @ # $ %) in every IAM user \
                          password.",
            rationale: "Each required character class widens the space an attacker must search \
                        when guessing or brute-forcing a password, and symbols defeat the \
                        dictionary words people otherwise pick. Without a policy IAM requires \
                        none.",
            remediation: "aws iam update-account-password-policy --require-symbols (repeat the \
                          settings you keep: the call replaces the whole policy), or IAM > \
                          Account settings > Password policy > Edit.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        password_policy::evaluate_setting("at least one symbol", |policy| policy.require_symbols)
    }
}

plumbline_guest::export_check!(PasswordSymbol);
