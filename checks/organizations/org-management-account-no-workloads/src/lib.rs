//! The Organizations management account runs no workloads.

use plumbline_guest::bindings::plumbline::check::ec2::Instance;
use plumbline_guest::prelude::*;

struct ManagementAccountNoWorkloads;

/// How many instance ids a message names.
const LISTED: usize = 10;

impl Check for ManagementAccountNoWorkloads {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::ORG_MANAGEMENT_ACCOUNT_NO_WORKLOADS,
            severity: Severity::Medium,
            description: "When the scanned account is its organization's management account, \
                          lists the EC2 instances it has in each scanned region as evidence of \
                          workloads; other kinds of workload (functions, containers, databases) \
                          are for the auditor to look for, so the result is manual. Not \
                          applicable to a member account (scan the management account instead) \
                          or to an account outside any organization.",
            rationale: "The management account cannot be restricted by service control \
                        policies and can act on every account of the organization. Each \
                        workload run there adds people, roles and software with a path to that \
                        power; keeping it empty keeps its access small and easy to review.",
            remediation: "Move workloads out of the management account into member accounts \
                          (create a new account in the right organizational unit, redeploy, \
                          then delete the old resources), and limit access to the management \
                          account to the few people who administer the organization.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        organization::evaluate_within(|organization| {
            if !organization.is_management_account() {
                return Ok(vec![Finding::not_applicable(
                    account::account_resource(),
                    GLOBAL_REGION,
                    format!(
                        "account {} is a member of organization {}, not its management account \
                         {}: scan {} to judge this control",
                        organization.account_id,
                        organization.details.id,
                        organization.details.management_account_id,
                        organization.details.management_account_id
                    ),
                )]);
            }
            let mut findings =
                regional::for_each_region(ec2::instances, judge_region, region_resource);
            let unread = count(&findings, FindingStatus::Error);
            let read = scan::regions().len() - unread;
            if count(&findings, FindingStatus::Manual) == 0 && read > 0 {
                findings.push(Finding::manual(
                    organization.resource(),
                    GLOBAL_REGION,
                    format!(
                        "management account {} has no EC2 instances in the {read} region(s) \
                         read; confirm it runs no other workloads (Lambda functions, \
                         containers, databases)",
                        organization.account_id
                    ),
                ));
            }
            Ok(findings)
        })
    }
}

fn count(findings: &[Finding], status: FindingStatus) -> usize {
    findings
        .iter()
        .filter(|finding| finding.status == status)
        .count()
}

fn region_resource(region: &str) -> String {
    regional::region_resource("ec2", region, "instances")
}

/// A region with instances: manual, naming them. A region without: nothing.
fn judge_region(region: &str, instances: Vec<Instance>) -> Vec<Finding> {
    if instances.is_empty() {
        return Vec::new();
    }
    let listed: Vec<String> = instances
        .iter()
        .map(|instance| format!("{} ({})", instance.id, instance.state))
        .collect();
    vec![Finding::manual(
        region_resource(region),
        region,
        format!(
            "{} EC2 instance(s) in the management account: {}; confirm none is a workload, or \
             move it to a member account",
            instances.len(),
            plumbline_guest::brief_list(&listed, LISTED)
        ),
    )]
}

plumbline_guest::export_check!(ManagementAccountNoWorkloads);
