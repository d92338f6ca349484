//! VPC changes raise a CloudWatch alarm that notifies someone.

use plumbline_guest::monitoring::{self, VPC_CHANGES};
use plumbline_guest::prelude::*;

struct VpcChangesMonitored;

impl Check for VpcChangesMonitored {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: VPC_CHANGES.control,
            severity: Severity::Medium,
            description: plumbline_guest::monitoring_description!(
                "VPC changes (VPCs created, deleted or modified, peering connections, ClassicLink)"
            ),
            rationale: "Creating or peering VPCs changes which networks can reach each other; an \
                        alarm keeps the network layout under watch.",
            remediation: plumbline_guest::monitoring_remediation!("vpc_changes"),
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        monitoring::judge(&VPC_CHANGES)
    }
}

plumbline_guest::export_check!(VpcChangesMonitored);
