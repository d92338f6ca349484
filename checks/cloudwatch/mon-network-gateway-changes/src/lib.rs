//! Network gateway changes raise a CloudWatch alarm that notifies someone.

use plumbline_guest::monitoring::{self, NETWORK_GATEWAY_CHANGES};
use plumbline_guest::prelude::*;

struct NetworkGatewayChangesMonitored;

impl Check for NetworkGatewayChangesMonitored {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: NETWORK_GATEWAY_CHANGES.control,
            severity: Severity::Medium,
            description: plumbline_guest::monitoring_description!(
                "network gateway changes (customer and internet gateways created, attached, \
                detached or deleted)"
            ),
            rationale: "Gateways are the VPC's border with the internet and with on-premises \
                        networks; an alarm on their changes keeps every way in and out known.",
            remediation: plumbline_guest::monitoring_remediation!("network_gateway_changes"),
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        monitoring::judge(&NETWORK_GATEWAY_CHANGES)
    }
}

plumbline_guest::export_check!(NetworkGatewayChangesMonitored);
