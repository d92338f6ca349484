//! Every active access key of an IAM user was rotated (created) within the
//! last 90 days.

use plumbline_guest::bindings::plumbline::check::iam::CredentialReportRow;
use plumbline_guest::prelude::*;

struct AccessKeyRotation;

/// Oldest an active access key may be, in days.
const MAXIMUM_KEY_AGE_DAYS: i64 = 90;

impl Check for AccessKeyRotation {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::IAM_ACCESS_KEY_ROTATION,
            severity: Severity::Medium,
            description: "Checks, from the IAM credential report, that every active access key \
                          of every IAM user was last rotated (created) 90 days ago or less. \
                          Inactive keys are not judged.",
            rationale: "An access key is a long-lived secret that ends up in scripts, laptops, \
                        CI settings and logs. Rotating it regularly bounds how long a copy that \
                        leaked unnoticed keeps working.",
            remediation: "For each listed key: create a second access key for the user, move \
                          every application to it, make the old key inactive, confirm nothing \
                          breaks (its last-used date stays put), then delete it. Better, \
                          replace long-lived keys with IAM roles or IAM Identity Center.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        credentials::judge_each_user(judge)
    }
}

/// One finding per user: its active keys' ages, failing when one is too old.
fn judge(row: &CredentialReportRow, now: i64) -> Finding {
    let mut ages = Vec::new();
    let mut overdue = false;
    for (number, key) in credentials::active_keys(row) {
        let Some(rotated) = key.last_rotated else {
            return Finding::error(
                &row.arn,
                GLOBAL_REGION,
                format!(
                    "access key {number} is active but the credential report gives no rotation \
                     date"
                ),
            );
        };
        overdue |= time::days_between(rotated, now) > MAXIMUM_KEY_AGE_DAYS;
        ages.push(format!(
            "access key {number} last rotated {}",
            credentials::describe_when(rotated, now)
        ));
    }
    if ages.is_empty() {
        return Finding::not_applicable(&row.arn, GLOBAL_REGION, "no active access key");
    }
    let evidence = format!("{}; limit {MAXIMUM_KEY_AGE_DAYS} days", ages.join(", "));
    if overdue {
        Finding::fail(
            &row.arn,
            GLOBAL_REGION,
            format!("{evidence}, rotate any key past it"),
        )
    } else {
        Finding::pass(&row.arn, GLOBAL_REGION, evidence)
    }
}

plumbline_guest::export_check!(AccessKeyRotation);
