//! Network ACL changes raise a CloudWatch alarm that notifies someone.

use plumbline_guest::monitoring::{self, NACL_CHANGES};
use plumbline_guest::prelude::*;

struct NaclChangesMonitored;

impl Check for NaclChangesMonitored {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: NACL_CHANGES.control,
            severity: Severity::Medium,
            description: plumbline_guest::monitoring_description!("network ACL changes"),
            rationale: "Network ACLs are the subnets' stateless firewall; an alarm on their \
                        changes shows traffic being let in or out that was not before.",
            remediation: plumbline_guest::monitoring_remediation!("nacl_changes"),
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        monitoring::judge(&NACL_CHANGES)
    }
}

plumbline_guest::export_check!(NaclChangesMonitored);
