//! Failed console authentications raise a CloudWatch alarm that notifies someone.

use plumbline_guest::monitoring::{self, CONSOLE_AUTH_FAILURES};
use plumbline_guest::prelude::*;

struct ConsoleAuthFailuresMonitored;

impl Check for ConsoleAuthFailuresMonitored {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: CONSOLE_AUTH_FAILURES.control,
            severity: Severity::Low,
            description: plumbline_guest::monitoring_description!("failed console authentications"),
            rationale: "Repeated failed sign-ins point to password guessing against the account's \
                        users; an alarm shows a brute-force attempt while it runs.",
            remediation: plumbline_guest::monitoring_remediation!("console_auth_failures"),
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        monitoring::judge(&CONSOLE_AUTH_FAILURES)
    }
}

plumbline_guest::export_check!(ConsoleAuthFailuresMonitored);
