//! Reading the IAM credential report the way the credential checks need it:
//! access keys by the number IAM shows them under, ages against the scan's
//! "now", "never used", and the root user's row.

use crate::bindings::plumbline::check::iam::{CredentialReportKey, CredentialReportRow};
use crate::bindings::plumbline::check::types::Timestamp;
use crate::{DataError, Finding, account, iam, scan, time};

/// One finding per IAM user of the credential report (the root row left
/// out), judged against the scan's "now".
pub fn judge_each_user(
    judge: impl Fn(&CredentialReportRow, Timestamp) -> Finding,
) -> Result<Vec<Finding>, DataError> {
    let report = iam::credential_report()?;
    let now = scan::now();
    Ok(account::iam_users(&report)
        .map(|row| judge(row, now))
        .collect())
}

/// The row's access keys with their number in the report (1 or 2), so
/// messages name the key the console and the CLI call "access key 1".
pub fn numbered_keys(
    row: &CredentialReportRow,
) -> impl Iterator<Item = (usize, &CredentialReportKey)> {
    row.access_keys
        .iter()
        .enumerate()
        .map(|(index, key)| (index + 1, key))
}

/// The row's active access keys, numbered as in [`numbered_keys`].
pub fn active_keys(
    row: &CredentialReportRow,
) -> impl Iterator<Item = (usize, &CredentialReportKey)> {
    numbered_keys(row).filter(|(_, key)| key.active)
}

/// The report records no use of the key ("N/A"): it has never signed a request.
pub fn never_used(key: &CredentialReportKey) -> bool {
    key.last_used.is_none()
}

/// "never used" or "last used 2026-11-20 (11 days ago)", for messages.
pub fn describe_last_use(last_used: Option<Timestamp>, now: Timestamp) -> String {
    match last_used {
        None => "never used".to_string(),
        Some(then) => format!("last used {}", describe_when(then, now)),
    }
}

/// "2026-11-20 (11 days ago)", for messages.
pub fn describe_when(then: Timestamp, now: Timestamp) -> String {
    format!(
        "{} ({})",
        time::date(then),
        describe_age(time::days_between(then, now))
    )
}

/// "today", "1 day ago", "11 days ago"; a moment after the scan's "now"
/// (possible with an injected "now") is said as such.
fn describe_age(days: i64) -> String {
    match days {
        0 => "today".to_string(),
        1 => "1 day ago".to_string(),
        days if days < 0 => format!("{} days after the scan time", -days),
        days => format!("{days} days ago"),
    }
}

/// The root user's row (`<root_account>`). A report without it is incomplete:
/// a data error, so a check about the root user never passes on missing data.
pub fn root_row(report: &[CredentialReportRow]) -> Result<&CredentialReportRow, DataError> {
    report
        .iter()
        .find(|row| account::is_root(row))
        .ok_or_else(|| {
            DataError::CollectionFailed(format!(
                "the IAM credential report has no {} row",
                account::ROOT_REPORT_USER
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::SECONDS_PER_DAY;

    fn key(active: bool, last_used: Option<Timestamp>) -> CredentialReportKey {
        CredentialReportKey {
            active,
            last_rotated: Some(0),
            last_used,
        }
    }

    fn row(user: &str, keys: [CredentialReportKey; 2]) -> CredentialReportRow {
        CredentialReportRow {
            user: user.to_string(),
            arn: format!("arn:aws:iam::111122223333:user/{user}"),
            user_creation_time: Some(0),
            password_enabled: Some(true),
            password_last_used: None,
            password_last_changed: None,
            mfa_active: false,
            access_keys: keys.to_vec(),
            certificates_active: vec![false, false],
        }
    }

    #[test]
    fn active_keys_keep_their_report_number() {
        let second_only = row("bob", [key(false, None), key(true, Some(5))]);
        let numbers: Vec<usize> = active_keys(&second_only).map(|(n, _)| n).collect();
        assert_eq!(numbers, vec![2]);
        let both = row("carol", [key(true, None), key(true, None)]);
        assert_eq!(active_keys(&both).count(), 2);
    }

    #[test]
    fn never_used_means_no_recorded_use() {
        assert!(never_used(&key(true, None)));
        assert!(!never_used(&key(true, Some(0))));
    }

    #[test]
    fn ages_and_uses_read_as_sentences() {
        let now = 30 * SECONDS_PER_DAY;
        assert_eq!(
            describe_when(19 * SECONDS_PER_DAY, now),
            "1970-01-20 (11 days ago)"
        );
        assert_eq!(describe_last_use(None, now), "never used");
        assert_eq!(
            describe_last_use(Some(19 * SECONDS_PER_DAY), now),
            "last used 1970-01-20 (11 days ago)"
        );
        assert_eq!(describe_age(0), "today");
        assert_eq!(describe_age(1), "1 day ago");
        assert_eq!(describe_age(-2), "2 days after the scan time");
    }

    #[test]
    fn the_root_row_is_found_or_its_absence_is_a_data_error() {
        let mut report = vec![row("bob", [key(false, None), key(false, None)])];
        match root_row(&report) {
            Err(DataError::CollectionFailed(reason)) => {
                assert!(reason.contains("<root_account>"), "{reason}")
            }
            other => panic!("expected a collection failure, got {other:?}"),
        }
        report.push(row(
            account::ROOT_REPORT_USER,
            [key(false, None), key(false, None)],
        ));
        assert_eq!(root_row(&report).unwrap().user, "<root_account>");
    }
}
