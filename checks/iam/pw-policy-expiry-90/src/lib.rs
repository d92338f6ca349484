//! The account password policy expires passwords within 90 days.

use plumbline_guest::prelude::*;

struct PasswordExpiry;

/// Longest password lifetime CIS v1.2.0 allows, in days.
const MAXIMUM_AGE_DAYS: u32 = 90;

impl Check for PasswordExpiry {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::PW_POLICY_EXPIRY_90,
            severity: Severity::Low,
            description: "Checks that the IAM account password policy makes IAM user passwords \
                          expire, with a maximum password age of 90 days or less (CIS v1.2.0; \
                          later versions dropped the recommendation).",
            rationale: "An expiring password limits how long a stolen or guessed password stays \
                        useful. Without a policy IAM passwords never expire.",
            remediation: "aws iam update-account-password-policy --max-password-age 90 (repeat \
                          the settings you keep: the call replaces the whole policy), or IAM > \
                          Account settings > Password policy > Edit > Turn on password \
                          expiration.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        password_policy::evaluate("passwords to expire within 90 days", |policy| match policy
            .max_password_age
            .filter(|_| policy.expire_passwords)
        {
            Some(age) => (
                age <= MAXIMUM_AGE_DAYS,
                format!(
                    "passwords expire after {age} days (CIS requires {MAXIMUM_AGE_DAYS} or \
                         less)"
                ),
            ),
            None => (
                false,
                format!(
                    "passwords never expire (CIS requires a maximum age of \
                         {MAXIMUM_AGE_DAYS} days or less)"
                ),
            ),
        })
    }
}

plumbline_guest::export_check!(PasswordExpiry);
