//! CSV: one row per judged resource (RFC 4180 quoting), for spreadsheets and
//! data tools. A cell a check wrote that starts with `=`, `+`, `-`, `@`, a
//! tab or a carriage return is prefixed with `'`, so a spreadsheet shows it
//! as text instead of running it as a formula (CSV injection).

use super::json::{scoring_name, severity_name};
use super::{Report, Row};

const HEADER: [&str; 14] = [
    "account_id",
    "evaluated_at",
    "benchmark_version",
    "cis_id",
    "level",
    "scoring",
    "check",
    "title",
    "severity",
    "status",
    "resource",
    "region",
    "message",
    "waiver",
];

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    line(&mut out, HEADER.iter().map(|cell| cell.to_string()));
    for row in report.rows() {
        line(&mut out, cells(report, &row).into_iter());
    }
    out
}

fn cells(report: &Report, row: &Row) -> Vec<String> {
    let reference = row.reference;
    vec![
        report.account_id.clone(),
        report.evaluated_at.clone(),
        report.benchmark_version.clone().unwrap_or_default(),
        reference.map(|r| r.id.clone()).unwrap_or_default(),
        reference.map(|r| r.level.to_string()).unwrap_or_default(),
        reference
            .map(|r| scoring_name(r.scoring).to_string())
            .unwrap_or_default(),
        row.outcome.check.clone(),
        neutralised(&row.outcome.title),
        severity_name(row.outcome.severity).to_string(),
        row.status.name().to_string(),
        neutralised(row.resource),
        neutralised(row.region),
        neutralised(row.message),
        row.waiver.map_or(String::new(), |waiver| {
            neutralised(&format!(
                "{} (owner {}, until {})",
                waiver.reason, waiver.owner, waiver.expires
            ))
        }),
    ]
}

fn line(out: &mut String, cells: impl Iterator<Item = String>) {
    let quoted: Vec<String> = cells.map(|cell| quoted(&cell)).collect();
    out.push_str(&quoted.join(","));
    out.push_str("\r\n");
}

/// Quoted when it holds a comma, a quote or a line break; quotes doubled.
fn quoted(cell: &str) -> String {
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_string()
    }
}

/// Text a check wrote, made inert for spreadsheets.
fn neutralised(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_quotes_doubled() {
        assert_eq!(
            neutralised("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(neutralised("-1+2"), "'-1+2");
        assert_eq!(neutralised("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralised("arn:aws:s3:::b"), "arn:aws:s3:::b");
        assert_eq!(quoted("a,\"b\"\nc"), "\"a,\"\"b\"\"\nc\"");
        assert_eq!(quoted("plain"), "plain");
    }
}
