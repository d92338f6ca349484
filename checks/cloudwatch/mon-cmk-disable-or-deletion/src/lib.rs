//! Customer managed KMS keys being disabled or scheduled for deletion raise a CloudWatch alarm that notifies someone.

use plumbline_guest::monitoring::{self, CMK_DISABLE_OR_DELETION};
use plumbline_guest::prelude::*;

struct CmkDisableOrDeletionMonitored;

impl Check for CmkDisableOrDeletionMonitored {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: CMK_DISABLE_OR_DELETION.control,
            severity: Severity::Medium,
            description: plumbline_guest::monitoring_description!(
                "customer managed KMS keys being disabled or scheduled for deletion"
            ),
            rationale: "Data encrypted under a disabled or deleted key can no longer be read; an \
                        alarm leaves time to cancel a scheduled deletion before the data is lost \
                        for good.",
            remediation: plumbline_guest::monitoring_remediation!("cmk_disable_or_deletion"),
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        monitoring::judge(&CMK_DISABLE_OR_DELETION)
    }
}

plumbline_guest::export_check!(CmkDisableOrDeletionMonitored);
