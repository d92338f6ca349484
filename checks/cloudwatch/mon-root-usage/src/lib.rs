//! Uses of the root user raise a CloudWatch alarm that notifies someone.

use plumbline_guest::monitoring::{self, ROOT_USAGE};
use plumbline_guest::prelude::*;

struct RootUsageMonitored;

impl Check for RootUsageMonitored {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: ROOT_USAGE.control,
            severity: Severity::High,
            description: plumbline_guest::monitoring_description!(
                "uses of the root user (other than by AWS services on its behalf)"
            ),
            rationale: "The root user can do everything and cannot be restricted by IAM policies; \
                        its use should be rare and deliberate, so every use is worth an immediate \
                        notification.",
            remediation: plumbline_guest::monitoring_remediation!("root_usage"),
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        monitoring::judge(&ROOT_USAGE)
    }
}

plumbline_guest::export_check!(RootUsageMonitored);
