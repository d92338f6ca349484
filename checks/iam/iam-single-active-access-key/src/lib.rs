//! No IAM user has more than one active access key.

use plumbline_guest::bindings::plumbline::check::iam::CredentialReportRow;
use plumbline_guest::prelude::*;

struct SingleActiveAccessKey;

impl Check for SingleActiveAccessKey {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::IAM_SINGLE_ACTIVE_ACCESS_KEY,
            severity: Severity::Medium,
            description: "Checks, from the IAM credential report, that no IAM user has both of \
                          its access keys active at once.",
            rationale: "A second active key is meant only for the short overlap of a rotation. \
                        Left in place, it doubles the secrets to guard and usually means the \
                        old key was never retired.",
            remediation: "For each listed user: find which key is still in use (its last-used \
                          date and service), move everything to that key, make the other one \
                          inactive, and delete it once nothing breaks.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        credentials::judge_each_user(judge)
    }
}

/// One finding per user, naming its active keys and when each was used.
fn judge(row: &CredentialReportRow, now: i64) -> Finding {
    let active: Vec<String> = credentials::active_keys(row)
        .map(|(number, key)| {
            format!(
                "access key {number} {}",
                credentials::describe_last_use(key.last_used, now)
            )
        })
        .collect();
    match active.len() {
        0 => Finding::pass(&row.arn, GLOBAL_REGION, "no active access key"),
        1 => Finding::pass(
            &row.arn,
            GLOBAL_REGION,
            format!("one active access key: {}", active[0]),
        ),
        count => Finding::fail(
            &row.arn,
            GLOBAL_REGION,
            format!(
                "{count} active access keys: {}; deactivate all but one",
                active.join(", ")
            ),
        ),
    }
}

plumbline_guest::export_check!(SingleActiveAccessKey);
