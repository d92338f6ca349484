//! CloudTrail configuration changes raise a CloudWatch alarm that notifies someone.

use plumbline_guest::monitoring::{self, CLOUDTRAIL_CONFIG_CHANGES};
use plumbline_guest::prelude::*;

struct CloudtrailConfigChangesMonitored;

impl Check for CloudtrailConfigChangesMonitored {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: CLOUDTRAIL_CONFIG_CHANGES.control,
            severity: Severity::Medium,
            description: plumbline_guest::monitoring_description!(
                "CloudTrail configuration changes (trails created, updated or deleted, logging \
                started or stopped)"
            ),
            rationale: "Stopping or reconfiguring CloudTrail is the first thing an intruder does \
                        to hide; an alarm on it keeps the audit trail itself under watch.",
            remediation: plumbline_guest::monitoring_remediation!("cloudtrail_config_changes"),
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        monitoring::judge(&CLOUDTRAIL_CONFIG_CHANGES)
    }
}

plumbline_guest::export_check!(CloudtrailConfigChangesMonitored);
