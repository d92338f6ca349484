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
                          it is attached to anyone; an inline one fails for its owner. Every \
                          customer-managed policy and every attached AWS-managed policy gets \
                          its own verdict, so a pass shows what was read.",
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
                Ok(document) => findings.extend(judge_managed(&policy, &document)?),
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

/// A managed policy that grants full admin fails wherever it is attached and
/// passes where it is not; one that does not passes. AWS-managed policies
/// that grant less are judged only when attached: every account has hundreds
/// of them, and only the attached ones are the account's choice.
fn judge_managed(
    policy: &ManagedPolicy,
    document: &PolicyDocument,
) -> Result<Option<Finding>, DataError> {
    let full_admin = document.grants_full_admin();
    let entities = iam::entities_for_policy(&policy.arn)?;
    // IAM counts attachments the entity lists did not name.
    let attached = is_attached(&entities) || policy.attachment_count > 0;
    if policy.aws_managed && !attached && !full_admin {
        return Ok(None);
    }
    let owner = if policy.aws_managed {
        "AWS-managed"
    } else {
        "customer-managed"
    };
    let subject = format!("{owner} policy {}", policy.name);
    let attachments = if is_attached(&entities) {
        format!("attached to {}", describe_attachments(&entities))
    } else if attached {
        format!("attached {} times", policy.attachment_count)
    } else {
        "attached to no user, group or role".to_string()
    };
    let finding = match (full_admin, attached) {
        (true, true) => Finding::fail(
            &policy.arn,
            GLOBAL_REGION,
            format!("{subject} grants {FULL_ADMIN} and is {attachments}"),
        ),
        (true, false) => Finding::pass(
            &policy.arn,
            GLOBAL_REGION,
            format!("{subject} grants {FULL_ADMIN} but is {attachments}"),
        ),
        (false, _) => Finding::pass(
            &policy.arn,
            GLOBAL_REGION,
            format!("{subject} does not grant {FULL_ADMIN}; it is {attachments}"),
        ),
    };
    Ok(Some(finding))
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
