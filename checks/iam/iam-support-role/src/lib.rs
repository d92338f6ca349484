//! A support role exists: the AWS-managed AWSSupportAccess policy is
//! attached to at least one IAM role.

use plumbline_guest::policy::{aws_managed_policy_arn, describe_attachments};
use plumbline_guest::prelude::*;

struct SupportRole;

impl Check for SupportRole {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::IAM_SUPPORT_ROLE,
            severity: Severity::Low,
            description: "Checks that the AWS-managed policy AWSSupportAccess is attached to at \
                          least one IAM role, so that incidents can be raised and followed with \
                          AWS Support without broader rights.",
            rationale: "During an incident someone must be able to open and manage AWS Support \
                        cases. A dedicated role that grants exactly that, assumed by the people \
                        on call, avoids handing out administrator access or root sign-in for \
                        it.",
            remediation: "Give the people who handle incidents a role carrying \
                          arn:aws:iam::aws:policy/AWSSupportAccess: an IAM Identity Center \
                          permission set that includes it (which creates such a role in each \
                          account), or an IAM role with it attached whose trust policy lets the \
                          chosen users or federated roles assume it. Document who may use it.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        let arn = aws_managed_policy_arn(&scan::partition(), "AWSSupportAccess");
        let entities = iam::entities_for_policy(&arn)?;
        let finding = if entities.roles.is_empty() {
            Finding::fail(
                &arn,
                GLOBAL_REGION,
                format!(
                    "AWSSupportAccess is attached to no role (attached to {})",
                    describe_attachments(&entities)
                ),
            )
        } else {
            Finding::pass(
                &arn,
                GLOBAL_REGION,
                format!(
                    "AWSSupportAccess is attached to role(s) {}",
                    entities.roles.join(", ")
                ),
            )
        };
        Ok(vec![finding])
    }
}

plumbline_guest::export_check!(SupportRole);
