//! EC2 instances get AWS access from an IAM instance role (an instance
//! profile), not from credentials stored on them.

use plumbline_guest::bindings::plumbline::check::ec2::Instance;
use plumbline_guest::prelude::*;

struct InstanceRoles;

impl Check for InstanceRoles {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::EC2_INSTANCE_ROLES,
            severity: Severity::Medium,
            description: "Checks, in every region of the scan, that each EC2 instance (terminated \
                          ones aside) has an IAM instance profile attached.",
            rationale: "An instance role hands the instance short-lived credentials that AWS \
                        rotates. Without one, software on the instance that calls AWS needs \
                        long-lived access keys copied onto it, where they leak through images, \
                        backups and logs and are rarely rotated.",
            remediation: "Create a role with the permissions the instance's software needs and \
                          an instance profile for it, attach the profile (`aws ec2 \
                          associate-iam-instance-profile --instance-id <id> \
                          --iam-instance-profile Name=<profile>`), then remove any access keys \
                          stored on the instance and deactivate them in IAM.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        let findings = regional::for_each_region(
            ec2::instances,
            |region, instances| {
                instances
                    .iter()
                    .map(|instance| judge(region, instance))
                    .collect()
            },
            |region| regional::region_resource("ec2", region, "instances"),
        );
        if findings.is_empty() {
            return Ok(vec![Finding::pass(
                account::account_resource(),
                GLOBAL_REGION,
                format!(
                    "no EC2 instances in the {} region(s) scanned",
                    scan::regions().len()
                ),
            )]);
        }
        Ok(findings)
    }
}

fn judge(region: &str, instance: &Instance) -> Finding {
    match &instance.iam_instance_profile_arn {
        Some(profile) => Finding::pass(
            &instance.arn,
            region,
            format!(
                "instance {} ({}) uses instance profile {profile}",
                instance.id, instance.state
            ),
        ),
        None => Finding::fail(
            &instance.arn,
            region,
            format!(
                "instance {} ({}) has no IAM instance profile",
                instance.id, instance.state
            ),
        ),
    }
}

plumbline_guest::export_check!(InstanceRoles);
