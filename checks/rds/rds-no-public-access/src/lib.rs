//! No RDS DB instance is publicly accessible.

use plumbline_guest::prelude::*;
use plumbline_guest::rds::{self, DbInstance};

struct RdsNoPublicAccess;

impl Check for RdsNoPublicAccess {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::RDS_NOT_PUBLIC,
            severity: Severity::High,
            description: "Checks every RDS DB instance in every region in scope: \
                          PubliclyAccessible true fails, false passes. Decision: the instance's \
                          security groups and subnets are not weighed; an instance that is \
                          publicly accessible has a public DNS name and address, and is one \
                          security group rule away from the internet, so it fails whatever its \
                          security groups allow today. A region without DB instances is not \
                          applicable.",
            rationale: "A publicly accessible database resolves to a public IP address; a \
                        permissive security group then exposes it to password guessing and \
                        engine exploits from anywhere on the internet.",
            remediation: "RDS > Databases > the instance > Modify > Connectivity > Additional \
                          configuration > Not publicly accessible > Continue > Apply \
                          immediately. CLI: `aws rds modify-db-instance --db-instance-identifier \
                          <instance> --no-publicly-accessible --apply-immediately --region \
                          <region>`. Reach it from outside the VPC through a VPN, bastion or \
                          RDS Proxy instead.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        Ok(rds::for_each_db_instance(judge))
    }
}

fn judge(region: &str, instance: &DbInstance) -> Finding {
    let message = if instance.publicly_accessible {
        format!(
            "{} is publicly accessible (PubliclyAccessible is true)",
            rds::describe(instance)
        )
    } else {
        format!("{} is not publicly accessible", rds::describe(instance))
    };
    Finding::verdict(
        !instance.publicly_accessible,
        &instance.arn,
        region,
        message,
    )
}

plumbline_guest::export_check!(RdsNoPublicAccess);
