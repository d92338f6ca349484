//! The root user is not used for everyday work: no sign-in with its password
//! and no request with its access keys in the last 90 days.

use plumbline_guest::bindings::plumbline::check::iam::CredentialReportRow;
use plumbline_guest::prelude::*;

struct RootUsageAvoided;

/// A root use more recent than this many days fails.
const RECENT_USE_DAYS: i64 = 90;

impl Check for RootUsageAvoided {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::ROOT_USAGE_AVOIDED,
            severity: Severity::High,
            description: "Checks, from the root user's row of the IAM credential report, when \
                          the root password and the root access keys were last used, and fails \
                          when any was used in the last 90 days.",
            rationale: "The root user can do everything, including closing the account, and no \
                        IAM policy restricts it. Using it for routine work exposes its \
                        credentials far more often than the few tasks that truly need it; \
                        people should work through IAM roles or users with only the \
                        permissions they need.",
            remediation: "Review what the root user was used for (CloudTrail events with \
                          userIdentity.type Root) and move that work to IAM Identity Center or \
                          IAM roles. Delete root access keys, keep the root password and its \
                          hardware MFA locked away, and sign in as root only for the tasks \
                          that require it.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        let report = iam::credential_report()?;
        let root = credentials::root_row(&report)?;
        Ok(vec![judge(root, scan::now())])
    }
}

/// Each root credential with a recorded use: ("password", when), ("access key 1", when).
fn recorded_uses(root: &CredentialReportRow) -> Vec<(String, i64)> {
    let password = root
        .password_last_used
        .map(|used| ("password".to_string(), used));
    let keys = credentials::numbered_keys(root).filter_map(|(number, key)| {
        key.last_used
            .map(|used| (format!("access key {number}"), used))
    });
    password.into_iter().chain(keys).collect()
}

fn judge(root: &CredentialReportRow, now: i64) -> Finding {
    let uses = recorded_uses(root);
    let recent: Vec<String> = uses
        .iter()
        .filter(|(_, used)| time::days_between(*used, now) < RECENT_USE_DAYS)
        .map(|(credential, used)| {
            format!("{credential} on {}", credentials::describe_when(*used, now))
        })
        .collect();
    if !recent.is_empty() {
        return Finding::fail(
            account::root_arn(),
            GLOBAL_REGION,
            format!(
                "the root user was used in the last {RECENT_USE_DAYS} days: {}",
                recent.join(", ")
            ),
        );
    }
    let message = match uses.iter().max_by_key(|(_, used)| *used) {
        None => {
            "the credential report records no use of the root password or access keys".to_string()
        }
        Some((credential, used)) => format!(
            "the root user's {credential} was last used on {}; no use in the last \
             {RECENT_USE_DAYS} days",
            credentials::describe_when(*used, now)
        ),
    };
    Finding::pass(account::root_arn(), GLOBAL_REGION, message)
}

plumbline_guest::export_check!(RootUsageAvoided);
