//! The scanned account: naming it and its root user, reading IAM
//! account-level data, and (re-exported here) the WIT `account` interface with
//! its contacts.

pub use crate::bindings::plumbline::check::account::*;
use crate::bindings::plumbline::check::iam::{CredentialReportRow, SummaryEntry};
use crate::scan;

/// The credential report's name for the root user's row.
pub const ROOT_REPORT_USER: &str = "<root_account>";

/// `arn:<partition>:iam::<account>:root`, the resource for root-user findings.
pub fn root_arn() -> String {
    format!("arn:{}:iam::{}:root", scan::partition(), scan::account_id())
}

/// The resource for account-wide settings that have no ARN of their own
/// (password policy, account summary flags).
pub fn account_resource() -> String {
    format!("account {}", scan::account_id())
}

/// A `GetAccountSummary` value by name, e.g. `AccountMFAEnabled`; a missing
/// entry is a data error (never read as zero).
pub fn summary_value(entries: &[SummaryEntry], name: &str) -> Result<i64, DataError> {
    entries
        .iter()
        .find(|entry| entry.name == name)
        .map(|entry| entry.value)
        .ok_or_else(|| {
            DataError::CollectionFailed(format!("the IAM account summary has no {name} entry"))
        })
}

pub fn is_root(row: &CredentialReportRow) -> bool {
    row.user == ROOT_REPORT_USER
}

/// The credential report's IAM users (the root row left out).
pub fn iam_users(rows: &[CredentialReportRow]) -> impl Iterator<Item = &CredentialReportRow> {
    rows.iter().filter(|row| !is_root(row))
}
