//! AWS Security Hub is enabled in every region of the scan.

use plumbline_guest::bindings::plumbline::check::securityhub::HubDetails;
use plumbline_guest::prelude::*;
use plumbline_guest::securityhub;

struct SecurityHubEnabled;

impl Check for SecurityHubEnabled {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::SECURITYHUB_ENABLED,
            severity: Severity::Medium,
            description: "Checks every region of the scan: it passes where Security Hub is \
                          enabled (DescribeHub answers with a hub) and fails where it is not. \
                          Which standards are enabled is not judged: CIS asks for the service.",
            rationale: "Security Hub gathers the findings of GuardDuty, Inspector, Macie, IAM \
                        Access Analyzer and Config rules and runs its own security standards; \
                        it is regional, so a region without it is a region whose findings \
                        nobody sees in one place.",
            remediation: "In each listed region: Security Hub console > Go to Security Hub > \
                          Enable Security Hub (or, for an organization, enable it from the \
                          delegated administrator with central configuration). With the CLI: \
                          `aws securityhub enable-security-hub --region <region>`.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        Ok(regional::for_each_region(
            securityhub::hub,
            |region, hub| vec![judge(region, hub)],
            region_resource,
        ))
    }
}

fn region_resource(region: &str) -> String {
    regional::region_resource("securityhub", region, "hub/default")
}

fn judge(region: &str, hub: Option<HubDetails>) -> Finding {
    match hub {
        Some(hub) => Finding::pass(&hub.arn, region, "Security Hub is enabled"),
        None => Finding::fail(
            region_resource(region),
            region,
            "Security Hub is not enabled in this region",
        ),
    }
}

plumbline_guest::export_check!(SecurityHubEnabled);
