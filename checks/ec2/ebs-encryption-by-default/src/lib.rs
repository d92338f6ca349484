//! EBS encryption by default is on in every region.

use plumbline_guest::prelude::*;

struct EbsEncryptionByDefault;

impl Check for EbsEncryptionByDefault {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::EBS_ENCRYPTION,
            severity: Severity::Medium,
            description: "Checks, in every region in scope, that EBS encryption by default is \
                          enabled (GetEbsEncryptionByDefault): a region passes when it is and \
                          fails when it is not. Existing unencrypted volumes are not examined: \
                          CIS audits the account setting that makes new volumes encrypted.",
            rationale: "With encryption by default, every new EBS volume and snapshot copy in \
                        the region is encrypted, so no volume is created unencrypted by \
                        oversight.",
            remediation: "In each listed region: EC2 > Settings (Account attributes) > Data \
                          protection and security > EBS encryption > Manage > Enable. CLI: `aws \
                          ec2 enable-ebs-encryption-by-default --region <region>`.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        Ok(regional::for_each_region(
            ec2::ebs_encryption_by_default,
            |region, enabled| {
                let message = if enabled {
                    "EBS encryption by default is enabled in this region"
                } else {
                    "EBS encryption by default is not enabled in this region"
                };
                vec![Finding::verdict(
                    enabled,
                    region_resource(region),
                    region,
                    message,
                )]
            },
            region_resource,
        ))
    }
}

fn region_resource(region: &str) -> String {
    regional::region_resource("ec2", region, "ebs-encryption-by-default")
}

plumbline_guest::export_check!(EbsEncryptionByDefault);
