//! Security questions are registered for the account. No API reads them:
//! the check returns the audit steps.

use plumbline_guest::prelude::*;

struct SecurityQuestions;

impl Check for SecurityQuestions {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::ACCOUNT_SECURITY_QUESTIONS,
            severity: Severity::Low,
            description: "Security challenge questions are visible only to the root user in the \
                          console; no API returns them. The check reports the steps to verify \
                          them by hand.",
            rationale: "When the root user's email or MFA device is lost, AWS Support uses the \
                        account's identity verification details to establish that the caller \
                        owns the account. Questions nobody can answer slow down or block \
                        recovering the account.",
            remediation: "AWS stopped accepting new security questions in January 2024 and \
                          editing existing ones in January 2025. Keep the root email address, \
                          the primary contact phone number and the alternate contacts current \
                          instead, since AWS now verifies account ownership through them; keep \
                          any answers still on record in the team's password vault.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        Ok(vec![Finding::manual(
            account::account_resource(),
            GLOBAL_REGION,
            "no API shows security questions: sign in as the root user, open Account \
             settings, and confirm whether a 'Configure security challenge questions' section \
             is shown; if it is, confirm its answers are stored where the account's owners can \
             retrieve them. AWS no longer lets questions be added (since January 2024) or \
             edited (since January 2025), so where none are registered, confirm the root email \
             address and the contact phone number reach the account's owners instead",
        )])
    }
}

plumbline_guest::export_check!(SecurityQuestions);
