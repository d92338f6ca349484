//! Unauthorized API calls raise a CloudWatch alarm that notifies someone.

use plumbline_guest::monitoring::{self, UNAUTHORIZED_API_CALLS};
use plumbline_guest::prelude::*;

struct UnauthorizedApiCallsMonitored;

impl Check for UnauthorizedApiCallsMonitored {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: UNAUTHORIZED_API_CALLS.control,
            severity: Severity::Medium,
            description: plumbline_guest::monitoring_description!(
                "unauthorized API calls (error codes *UnauthorizedOperation and AccessDenied*)"
            ),
            rationale: "Calls refused for lack of permission reveal stolen credentials being tried \
                        out and an attacker mapping what they can reach, as well as broken \
                        automation; an alarm turns them into a signal the day they start.",
            remediation: plumbline_guest::monitoring_remediation!("unauthorized_api_calls"),
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        monitoring::judge(&UNAUTHORIZED_API_CALLS)
    }
}

plumbline_guest::export_check!(UnauthorizedApiCallsMonitored);
