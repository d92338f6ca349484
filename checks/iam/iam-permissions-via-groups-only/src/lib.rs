//! IAM users receive permissions only through groups: no managed or inline
//! policy is attached to a user directly.

use plumbline_guest::bindings::plumbline::check::iam::User;
use plumbline_guest::prelude::*;

struct PermissionsViaGroups;

impl Check for PermissionsViaGroups {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::IAM_PERMISSIONS_VIA_GROUPS_ONLY,
            severity: Severity::Low,
            description: "Checks every IAM user for managed policies attached to the user and for \
                          inline user policies. A user should get its permissions only from the \
                          groups it belongs to.",
            rationale: "Permissions granted per user drift: they outlive the job that needed \
                        them and are easy to miss in a review. Granting through groups keeps \
                        access tied to a role in the organisation, so adding, reviewing and \
                        revoking it happens in one place.",
            remediation: "For each listed user, add the user to a group that carries the needed \
                          permissions (create one if necessary), then detach the managed \
                          policies from the user (IAM > Users > Permissions > Remove) and delete \
                          its inline policies.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        let users = iam::users()?;
        if users.is_empty() {
            return Ok(vec![Finding::pass(
                account::account_resource(),
                GLOBAL_REGION,
                "the account has no IAM users",
            )]);
        }
        Ok(users.iter().map(judge).collect())
    }
}

fn judge(user: &User) -> Finding {
    let mut direct = Vec::new();
    if !user.attached_policies.is_empty() {
        let names: Vec<&str> = user
            .attached_policies
            .iter()
            .map(|policy| policy.name.as_str())
            .collect();
        direct.push(format!("managed policies {}", names.join(", ")));
    }
    if !user.inline_policies.is_empty() {
        let names: Vec<&str> = user
            .inline_policies
            .iter()
            .map(|policy| policy.name.as_str())
            .collect();
        direct.push(format!("inline policies {}", names.join(", ")));
    }
    if direct.is_empty() {
        let groups = if user.groups.is_empty() {
            "it is in no group".to_string()
        } else {
            format!("groups: {}", user.groups.join(", "))
        };
        Finding::pass(
            &user.arn,
            GLOBAL_REGION,
            format!("user {} has no policy of its own ({groups})", user.name),
        )
    } else {
        Finding::fail(
            &user.arn,
            GLOBAL_REGION,
            format!(
                "user {} has {} attached directly; grant them through a group",
                user.name,
                direct.join(" and ")
            ),
        )
    }
}

plumbline_guest::export_check!(PermissionsViaGroups);
