//! The account password policy checks share one shape: read the policy, fail
//! when the account has none (IAM's defaults enforce none of the CIS
//! settings, so an absent policy is never a pass), else judge one setting.
//! One account-wide finding, on `account::account_resource()`.

use crate::bindings::plumbline::check::iam::{self, PasswordPolicy};
use crate::{DataError, Finding, GLOBAL_REGION, account};

/// Judges the account password policy against one CIS requirement.
///
/// `requirement` completes "nothing requires ...", e.g. "a minimum length of
/// 14 or more"; `assess` says whether a policy meets it and gives the
/// finding's message (what was seen, against what CIS asks).
pub fn evaluate(
    requirement: &str,
    assess: impl FnOnce(&PasswordPolicy) -> (bool, String),
) -> Result<Vec<Finding>, DataError> {
    let policy = iam::account_password_policy()?;
    Ok(vec![judge(
        policy.as_ref(),
        account::account_resource(),
        requirement,
        assess,
    )])
}

/// [`evaluate`] for a requirement that is one on/off setting of the policy,
/// e.g. "at least one uppercase letter" and `require_uppercase_characters`.
pub fn evaluate_setting(
    requirement: &str,
    setting: impl FnOnce(&PasswordPolicy) -> bool,
) -> Result<Vec<Finding>, DataError> {
    evaluate(requirement, |policy| {
        setting_verdict(setting(policy), requirement)
    })
}

fn setting_verdict(required: bool, requirement: &str) -> (bool, String) {
    let message = if required {
        format!("the password policy requires {requirement}")
    } else {
        format!("the password policy does not require {requirement}")
    };
    (required, message)
}

fn judge(
    policy: Option<&PasswordPolicy>,
    resource: String,
    requirement: &str,
    assess: impl FnOnce(&PasswordPolicy) -> (bool, String),
) -> Finding {
    match policy {
        None => Finding::fail(
            resource,
            GLOBAL_REGION,
            format!(
                "the account has no password policy (no custom policy, IAM's defaults apply), \
                 so nothing requires {requirement}"
            ),
        ),
        Some(policy) => {
            let (compliant, message) = assess(policy);
            Finding::verdict(compliant, resource, GLOBAL_REGION, message)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FindingStatus;

    fn policy() -> PasswordPolicy {
        PasswordPolicy {
            minimum_password_length: 8,
            require_symbols: false,
            require_numbers: true,
            require_uppercase_characters: false,
            require_lowercase_characters: false,
            allow_users_to_change_password: true,
            expire_passwords: false,
            max_password_age: None,
            password_reuse_prevention: None,
            hard_expiry: None,
        }
    }

    fn judge_numbers(policy: Option<&PasswordPolicy>) -> Finding {
        judge(
            policy,
            "account 1".into(),
            "at least one number",
            |policy| setting_verdict(policy.require_numbers, "at least one number"),
        )
    }

    #[test]
    fn no_policy_fails_naming_the_requirement() {
        let finding = judge_numbers(None);
        assert_eq!(finding.status, FindingStatus::Fail);
        assert_eq!(finding.resource, "account 1");
        assert_eq!(finding.region, GLOBAL_REGION);
        assert!(finding.message.contains("no password policy"));
        assert!(
            finding
                .message
                .ends_with("nothing requires at least one number")
        );
    }

    #[test]
    fn a_setting_that_is_on_passes_and_off_fails() {
        let on = judge_numbers(Some(&policy()));
        assert_eq!(on.status, FindingStatus::Pass);
        assert_eq!(
            on.message,
            "the password policy requires at least one number"
        );
        let off = judge_numbers(Some(&PasswordPolicy {
            require_numbers: false,
            ..policy()
        }));
        assert_eq!(off.status, FindingStatus::Fail);
        assert_eq!(
            off.message,
            "the password policy does not require at least one number"
        );
    }

    #[test]
    fn the_assessment_gives_verdict_and_message() {
        let finding = judge(Some(&policy()), "account 1".into(), "length", |policy| {
            (
                policy.minimum_password_length >= 14,
                format!("length is {}", policy.minimum_password_length),
            )
        });
        assert_eq!(finding.status, FindingStatus::Fail);
        assert_eq!(finding.message, "length is 8");
    }
}
