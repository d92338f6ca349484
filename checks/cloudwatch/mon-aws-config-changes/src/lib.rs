//! AWS Config configuration changes raise a CloudWatch alarm that notifies someone.

use plumbline_guest::monitoring::{self, AWS_CONFIG_CHANGES};
use plumbline_guest::prelude::*;

struct AwsConfigChangesMonitored;

impl Check for AwsConfigChangesMonitored {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: AWS_CONFIG_CHANGES.control,
            severity: Severity::Medium,
            description: plumbline_guest::monitoring_description!(
                "AWS Config configuration changes (recorder stopped or changed, delivery channel \
                changed or deleted)"
            ),
            rationale: "Stopping the Config recorder blinds configuration history and compliance \
                        rules; an alarm keeps that inventory under watch.",
            remediation: plumbline_guest::monitoring_remediation!("aws_config_changes"),
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        monitoring::judge(&AWS_CONFIG_CHANGES)
    }
}

plumbline_guest::export_check!(AwsConfigChangesMonitored);
