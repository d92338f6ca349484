//! Access to AWSCloudShellFullAccess is restricted. Manual: the API shows
//! where the policy is attached; whether each of those needs it is a
//! judgement for the auditor.

use plumbline_guest::policy::{aws_managed_policy_arn, describe_attachments, is_attached};
use plumbline_guest::prelude::*;

struct CloudShellFullAccess;

impl Check for CloudShellFullAccess {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::IAM_CLOUDSHELL_FULL_ACCESS_RESTRICTED,
            severity: Severity::Medium,
            description: "Reports every user, group and role the AWS-managed policy \
                          AWSCloudShellFullAccess is attached to, for the auditor to confirm \
                          each one needs it.",
            rationale: "AWSCloudShellFullAccess allows every CloudShell action, including file \
                        upload and download and, outside a VPC environment, unrestricted \
                        outbound internet access from a shell that holds the user's \
                        credentials: a ready channel to move data out of the account.",
            remediation: "Detach AWSCloudShellFullAccess from principals that do not need it \
                          (IAM > Policies > AWSCloudShellFullAccess > Entities attached). Where \
                          CloudShell is needed, grant a customer-managed policy that denies \
                          cloudshell:GetFileDownloadUrls and cloudshell:GetFileUploadUrls, or \
                          run CloudShell in a VPC environment.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        let arn = aws_managed_policy_arn(&scan::partition(), "AWSCloudShellFullAccess");
        let entities = iam::entities_for_policy(&arn)?;
        let message = if is_attached(&entities) {
            format!(
                "AWSCloudShellFullAccess is attached to {}; confirm each needs CloudShell's \
                 file transfer and network access, and replace it with a narrower policy \
                 where not",
                describe_attachments(&entities)
            )
        } else {
            "AWSCloudShellFullAccess is attached to no user, group or role; confirm no \
             customer-managed or inline policy grants cloudshell:* instead"
                .to_string()
        };
        Ok(vec![Finding::manual(arn, GLOBAL_REGION, message)])
    }
}

plumbline_guest::export_check!(CloudShellFullAccess);
