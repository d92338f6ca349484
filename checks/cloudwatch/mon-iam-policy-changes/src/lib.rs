//! IAM policy changes raise a CloudWatch alarm that notifies someone.

use plumbline_guest::monitoring::{self, IAM_POLICY_CHANGES};
use plumbline_guest::prelude::*;

struct IamPolicyChangesMonitored;

impl Check for IamPolicyChangesMonitored {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: IAM_POLICY_CHANGES.control,
            severity: Severity::Medium,
            description: plumbline_guest::monitoring_description!(
                "IAM policy changes (inline and managed policies created, changed, attached or \
                detached)"
            ),
            rationale: "Changing a policy is how a principal's permissions grow; an alarm on \
                        policy changes shows privilege escalation and mistaken grants when they \
                        happen.",
            remediation: plumbline_guest::monitoring_remediation!("iam_policy_changes"),
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        monitoring::judge(&IAM_POLICY_CHANGES)
    }
}

plumbline_guest::export_check!(IamPolicyChangesMonitored);
