//! Parsing the IAM credential report (CSV) into typed rows.

use std::collections::HashMap;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::bindings::iam::{CredentialReportKey, CredentialReportRow};
use crate::bindings::types::Timestamp;

/// Parses the CSV body of `GetCredentialReport`. Columns are looked up by
/// header name, so AWS adding a column does not shift the others.
pub fn parse(csv_text: &[u8]) -> Result<Vec<CredentialReportRow>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(csv_text);
    let headers: HashMap<String, usize> = reader
        .headers()
        .map_err(|error| format!("credential report header: {error}"))?
        .iter()
        .enumerate()
        .map(|(index, name)| (name.to_string(), index))
        .collect();
    for required in ["user", "arn", "mfa_active"] {
        if !headers.contains_key(required) {
            return Err(format!("credential report has no `{required}` column"));
        }
    }
    let mut rows = Vec::new();
    for (line, record) in reader.records().enumerate() {
        let record =
            record.map_err(|error| format!("credential report line {}: {error}", line + 2))?;
        let field = |name: &str| -> &str {
            headers
                .get(name)
                .and_then(|&index| record.get(index))
                .unwrap_or("")
        };
        let key = |number: u8| CredentialReportKey {
            active: flag(field(&format!("access_key_{number}_active"))).unwrap_or(false),
            last_rotated: timestamp(field(&format!("access_key_{number}_last_rotated"))),
            last_used: timestamp(field(&format!("access_key_{number}_last_used_date"))),
        };
        rows.push(CredentialReportRow {
            user: field("user").to_string(),
            arn: field("arn").to_string(),
            user_creation_time: timestamp(field("user_creation_time")),
            password_enabled: flag(field("password_enabled")),
            password_last_used: timestamp(field("password_last_used")),
            password_last_changed: timestamp(field("password_last_changed")),
            mfa_active: flag(field("mfa_active")).unwrap_or(false),
            access_keys: vec![key(1), key(2)],
            certificates_active: vec![
                flag(field("cert_1_active")).unwrap_or(false),
                flag(field("cert_2_active")).unwrap_or(false),
            ],
        });
    }
    Ok(rows)
}

/// `true`/`false`; anything else ("not_supported", "N/A") is unknown.
fn flag(value: &str) -> Option<bool> {
    match value {
        "true" | "TRUE" | "True" => Some(true),
        "false" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}

/// ISO 8601 time; "N/A", "no_information", "not_supported" are none.
fn timestamp(value: &str) -> Option<Timestamp> {
    OffsetDateTime::parse(value, &Rfc3339)
        .ok()
        .map(OffsetDateTime::unix_timestamp)
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = "\
user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated
<root_account>,arn:aws:iam::123456789012:root,2020-01-01T00:00:00+00:00,not_supported,2026-11-01T10:00:00+00:00,not_supported,not_supported,true,true,2021-01-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
\"alice,ops\",arn:aws:iam::123456789012:user/alice,2024-05-06T07:08:09Z,true,no_information,2024-05-06T07:08:09Z,N/A,false,false,N/A,N/A,N/A,N/A,true,2025-01-01T00:00:00Z,2025-02-01T00:00:00Z,us-east-1,s3,true,N/A,false,N/A
";

    #[test]
    fn parses_root_and_user_rows() {
        let rows = parse(REPORT.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        let root = &rows[0];
        assert_eq!(root.user, "<root_account>");
        assert_eq!(root.password_enabled, None);
        assert!(root.mfa_active);
        assert!(root.access_keys[0].active);
        assert_eq!(root.access_keys[0].last_used, None);
        assert_eq!(root.access_keys[0].last_rotated, Some(1_609_459_200));
        let alice = &rows[1];
        assert_eq!(alice.user, "alice,ops");
        assert_eq!(alice.password_enabled, Some(true));
        assert_eq!(alice.password_last_used, None);
        assert!(!alice.mfa_active);
        assert!(alice.access_keys[1].active);
        assert_eq!(alice.access_keys[1].last_used, Some(1_738_368_000));
        assert_eq!(alice.certificates_active, vec![true, false]);
    }

    #[test]
    fn a_report_without_the_expected_columns_is_an_error() {
        let error = parse(b"name,age\nbob,3\n").unwrap_err();
        assert!(error.contains("`user`"), "{error}");
    }
}
