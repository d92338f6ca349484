//! Security group changes raise a CloudWatch alarm that notifies someone.

use plumbline_guest::monitoring::{self, SECURITY_GROUP_CHANGES};
use plumbline_guest::prelude::*;

struct SecurityGroupChangesMonitored;

impl Check for SecurityGroupChangesMonitored {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: SECURITY_GROUP_CHANGES.control,
            severity: Severity::Medium,
            description: plumbline_guest::monitoring_description!(
                "security group changes (groups created or deleted, rules authorized or revoked)"
            ),
            rationale: "A security group rule is a firewall opening; an alarm shows ports opened \
                        to the internet when they are opened, not at the next audit.",
            remediation: plumbline_guest::monitoring_remediation!("security_group_changes"),
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        monitoring::judge(&SECURITY_GROUP_CHANGES)
    }
}

plumbline_guest::export_check!(SecurityGroupChangesMonitored);
