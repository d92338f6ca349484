//! No IAM policy that allows full "*:*" administrative privileges is
//! attached: managed policies (customer- and AWS-managed) and the inline
//! policies of users, groups and roles.

use plumbline_guest::bindings::plumbline::check::iam::{InlinePolicy, ManagedPolicy};
use plumbline_guest::policy::{PolicyDocument, describe_attachments, is_attached};
use plumbline_guest::prelude::*;

struct NoFullAdminPolicies;

const FULL_ADMIN: &str = "full administrative privileges (\"*\" on \"*\")";

impl Check for NoFullAdminPolicies {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::IAM_NO_FULL_ADMIN_POLICIES,
            severity: Severity::High,
            description: "Reads the default version of every managed policy (customer- and \
                          AWS-managed, such as AdministratorAccess) and every inline policy of \
                          users, groups and roles, and looks for an Allow statement with Action \
                          \"*\" (or \"*:*\") on Resource \"*\". Such a managed policy fails when \
                          it is attached to anyone; an inline one fails for its owner.",
            rationale: "A principal with every action on every resource can switch off logging, \
                        read any data and grant itself anything else, so one leaked credential \
                        becomes the whole account. Least privilege starts with granting the \
                        actions a job needs, not all of them.",
            remediation: "Replace full administrative policies with policies that list the \
                          services and actions each job needs. Detach the listed managed \
                          policies (IAM > Policies > the policy > Entities attached > Detach) \
                          and delete or narrow the listed inline policies. Keep break-glass \
                          administration in a role that few can assume, with MFA required.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        let mut findings = Vec::new();
        for policy in iam::policies()? {
            match PolicyDocument::parse(&policy.document) {
                Ok(document) if document.grants_full_admin() => {
                    findings.push(judge_managed(&policy)?);
                }
                Ok(_) => {}
                Err(error) => findings.push(Finding::error(
                    &policy.arn,
                    GLOBAL_REGION,
                    format!(
                        "policy {} version {}: {error}",
                        policy.name, policy.default_version_id
                    ),
                )),
            }
        }
        let users = iam::users()?;
        let groups = iam::groups()?;
        let roles = iam::roles()?;
        let owners = users
            .iter()
            .map(|u| ("user", &u.name, &u.arn, &u.inline_policies))
            .chain(
                groups
                    .iter()
                    .map(|g| ("group", &g.name, &g.arn, &g.inline_policies)),
            )
            .chain(
                roles
                    .iter()
                    .map(|r| ("role", &r.name, &r.arn, &r.inline_policies)),
            );
        for (kind, name, arn, inline) in owners {
            findings.extend(judge_inline(kind, name, arn, inline));
        }
        if findings.is_empty() {
            findings.push(Finding::pass(
                account::account_resource(),
                GLOBAL_REGION,
                format!("no managed or inline policy grants {FULL_ADMIN}"),
            ));
        }
        Ok(findings)
    }
}

/// A managed policy that grants full admin fails wherever it is attached.
fn judge_managed(policy: &ManagedPolicy) -> Result<Finding, DataError> {
    let entities = iam::entities_for_policy(&policy.arn)?;
    let owner = if policy.aws_managed {
        "AWS-managed"
    } else {
        "customer-managed"
    };
    let subject = format!("{owner} policy {} grants {FULL_ADMIN}", policy.name);
    let finding = if is_attached(&entities) {
        Finding::fail(
            &policy.arn,
            GLOBAL_REGION,
            format!(
                "{subject} and is attached to {}",
                describe_attachments(&entities)
            ),
        )
    } else if policy.attachment_count > 0 {
        // IAM counts attachments the entity lists did not name.
        Finding::fail(
            &policy.arn,
            GLOBAL_REGION,
            format!(
                "{subject} and is attached {} times",
                policy.attachment_count
            ),
        )
    } else {
        Finding::pass(
            &policy.arn,
            GLOBAL_REGION,
            format!("{subject} but is attached to no user, group or role"),
        )
    };
    Ok(finding)
}

/// A principal whose inline policies grant full admin fails; an unreadable
/// inline policy is an error for its owner, never a silent pass.
fn judge_inline(kind: &str, name: &str, arn: &str, inline: &[InlinePolicy]) -> Vec<Finding> {
    let mut admin = Vec::new();
    let mut findings = Vec::new();
    for policy in inline {
        match PolicyDocument::parse(&policy.document) {
            Ok(document) if document.grants_full_admin() => admin.push(policy.name.as_str()),
            Ok(_) => {}
            Err(error) => findings.push(Finding::error(
                arn,
                GLOBAL_REGION,
                format!("inline policy {} of {kind} {name}: {error}", policy.name),
            )),
        }
    }
    if !admin.is_empty() {
        findings.push(Finding::fail(
            arn,
            GLOBAL_REGION,
            format!(
                "{kind} {name} has inline policy {} granting {FULL_ADMIN}",
                admin.join(", ")
            ),
        ));
    }
    findings
}

plumbline_guest::export_check!(NoFullAdminPolicies);
