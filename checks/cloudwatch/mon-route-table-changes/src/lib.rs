//! Route table changes raise a CloudWatch alarm that notifies someone.

use plumbline_guest::monitoring::{self, ROUTE_TABLE_CHANGES};
use plumbline_guest::prelude::*;

struct RouteTableChangesMonitored;

impl Check for RouteTableChangesMonitored {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: ROUTE_TABLE_CHANGES.control,
            severity: Severity::Medium,
            description: plumbline_guest::monitoring_description!("route table changes"),
            rationale: "A route decides where a subnet's traffic goes; a changed route can send it \
                        around an inspection appliance or out to an attacker, so every change \
                        deserves a notification.",
            remediation: plumbline_guest::monitoring_remediation!("route_table_changes"),
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        monitoring::judge(&ROUTE_TABLE_CHANGES)
    }
}

plumbline_guest::export_check!(RouteTableChangesMonitored);
