//! Credentials (console passwords and access keys) unused for 45 days or more
//! are disabled; 90 days in CIS v1.2.0 and v1.3.0.

use plumbline_guest::bindings::plumbline::check::iam::CredentialReportRow;
use plumbline_guest::prelude::*;

struct UnusedCredentials;

/// Days of inactivity after which a credential must be disabled.
fn threshold_days(version: &str) -> i64 {
    match version {
        "1.2.0" | "1.3.0" => 90,
        _ => 45,
    }
}

impl Check for UnusedCredentials {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::IAM_UNUSED_CREDENTIALS_DISABLED,
            severity: Severity::Medium,
            description: "Checks, from the IAM credential report, that no IAM user has an enabled \
                          console password or active access key that has gone unused for 45 days \
                          or more (90 days in CIS v1.2.0 and v1.3.0). A credential never used is \
                          measured from when it was set.",
            rationale: "Credentials nobody uses are credentials nobody watches. Disabling them \
                        shrinks what a leaked or forgotten secret can do.",
            remediation: "For each listed user: remove the console password (IAM > Users > \
                          Security credentials > Manage console access > Disable) and make \
                          unused access keys inactive, then delete them.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        let report = iam::credential_report()?;
        let now = scan::now();
        evaluate_per_version(
            cis::IAM_UNUSED_CREDENTIALS_DISABLED,
            threshold_days,
            |&limit| {
                Ok(account::iam_users(&report)
                    .map(|row| judge(row, now, limit))
                    .collect())
            },
        )
    }
}

/// One finding per user, naming every credential past the limit.
fn judge(row: &CredentialReportRow, now: i64, limit: i64) -> Finding {
    let mut stale = Vec::new();
    if row.password_enabled == Some(true) {
        let last = row
            .password_last_used
            .or(row.password_last_changed)
            .or(row.user_creation_time);
        if let Some(days) = idle_days(last, now).filter(|days| *days >= limit) {
            stale.push(format!("console password unused for {days} days"));
        }
    }
    for (number, key) in credentials::active_keys(row) {
        let last = key
            .last_used
            .or(key.last_rotated)
            .or(row.user_creation_time);
        if let Some(days) = idle_days(last, now).filter(|days| *days >= limit) {
            stale.push(format!("access key {number} unused for {days} days"));
        }
    }
    if stale.is_empty() {
        Finding::pass(
            &row.arn,
            GLOBAL_REGION,
            format!("no enabled credential unused for {limit} days or more"),
        )
    } else {
        Finding::fail(
            &row.arn,
            GLOBAL_REGION,
            format!("{} (limit {limit} days); disable it", stale.join(", ")),
        )
    }
}

fn idle_days(last_activity: Option<i64>, now: i64) -> Option<i64> {
    last_activity.map(|then| time::days_between(then, now))
}

plumbline_guest::export_check!(UnusedCredentials);
