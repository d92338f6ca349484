//! AWS Organizations changes raise a CloudWatch alarm that notifies someone.

use plumbline_guest::monitoring::{self, ORGANIZATIONS_CHANGES};
use plumbline_guest::prelude::*;

struct OrganizationsChangesMonitored;

impl Check for OrganizationsChangesMonitored {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: ORGANIZATIONS_CHANGES.control,
            severity: Severity::Medium,
            description: plumbline_guest::monitoring_description!(
                "AWS Organizations changes (accounts, units, policies and handshakes)"
            ),
            rationale: "Changes to the organization move accounts out from under guardrails, \
                        detach service control policies or invite unknown accounts; an alarm shows \
                        them as they happen.",
            remediation: plumbline_guest::monitoring_remediation!("organizations_changes"),
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        monitoring::judge(&ORGANIZATIONS_CHANGES)
    }
}

plumbline_guest::export_check!(OrganizationsChangesMonitored);
