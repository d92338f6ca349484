//! Console sign-ins without MFA raise a CloudWatch alarm that notifies someone.

use plumbline_guest::monitoring::{self, CONSOLE_SIGNIN_WITHOUT_MFA};
use plumbline_guest::prelude::*;

struct ConsoleSigninWithoutMfaMonitored;

impl Check for ConsoleSigninWithoutMfaMonitored {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: CONSOLE_SIGNIN_WITHOUT_MFA.control,
            severity: Severity::Medium,
            description: plumbline_guest::monitoring_description!("console sign-ins without MFA"),
            rationale: "A console sign-in without a second factor means a user (or the root user) \
                        whose password alone opens the account; each one deserves a look, and an \
                        alarm shows the accounts still unprotected.",
            remediation: plumbline_guest::monitoring_remediation!("console_signin_without_mfa"),
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        monitoring::judge(&CONSOLE_SIGNIN_WITHOUT_MFA)
    }
}

plumbline_guest::export_check!(ConsoleSigninWithoutMfaMonitored);
