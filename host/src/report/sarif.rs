//! SARIF 2.1.0, for code-scanning dashboards and pipelines. Each check is a
//! rule (its title, CIS ids and severity); each judged resource a result
//! whose `kind` is the verdict (`fail`, `pass`, `review` for manual,
//! `notApplicable`, `open` when the check could not tell) and whose logical
//! location is the resource. A result's `partialFingerprints` hash the check,
//! region and resource, so a dashboard tracks one finding across scans.

use serde_json::{Value, json};

use super::json::severity_name;
use super::{Report, Row, Status};
use crate::bindings::types::Severity;
use crate::pack::manifest::sha256_hex;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub fn render(report: &Report) -> String {
    let rules: Vec<Value> = report
        .outcomes
        .iter()
        .map(|outcome| {
            let cis: Vec<String> = outcome
                .benchmarks
                .iter()
                .map(|reference| format!("CIS {} v{}", reference.id, reference.version))
                .collect();
            json!({
                "id": outcome.check,
                "shortDescription": { "text": outcome.title },
                "defaultConfiguration": { "level": level(outcome.severity) },
                "properties": {
                    "tags": ["security", "CIS AWS Foundations"],
                    "cis": cis,
                    "severity": severity_name(outcome.severity),
                    "security-severity": security_severity(outcome.severity),
                }
            })
        })
        .collect();
    let results: Vec<Value> = report
        .rows()
        .iter()
        .map(|row| result(report, row))
        .collect();
    let document = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "plumbline",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "automationDetails": { "id": format!("plumbline/{}/", report.account_id) },
            "invocations": [{
                "executionSuccessful": true,
                "endTimeUtc": report.evaluated_at,
            }],
            "properties": {
                "account": report.account_id,
                "partition": report.partition,
                "benchmark_version": report.benchmark_version,
            },
            "results": results,
        }]
    });
    super::untrusted::json(&document)
}

fn result(report: &Report, row: &Row) -> Value {
    let rule_index = report
        .outcomes
        .iter()
        .position(|outcome| std::ptr::eq(outcome, row.outcome))
        .expect("a row's check is in the report");
    let kind = match row.status {
        Status::Fail | Status::Waived => "fail",
        Status::Pass => "pass",
        Status::Manual => "review",
        Status::NotApplicable => "notApplicable",
        Status::Error => "open",
    };
    // SARIF gives a level only to failures; every other kind is "none".
    let level = if matches!(row.status, Status::Fail | Status::Waived) {
        level(row.outcome.severity)
    } else {
        "none"
    };
    let resource = if row.resource.is_empty() {
        format!("account {}", report.account_id)
    } else {
        row.resource.to_string()
    };
    // A waiver is a SARIF suppression: the result stays, marked accepted.
    let suppressions: Vec<Value> = row
        .waiver
        .map(|waiver| {
            json!({
                "kind": "external",
                "status": "accepted",
                "justification": format!(
                    "{} (owner {}, until {})",
                    waiver.reason, waiver.owner, waiver.expires
                ),
            })
        })
        .into_iter()
        .collect();
    json!({
        "suppressions": suppressions,
        "ruleId": row.outcome.check,
        "ruleIndex": rule_index,
        "kind": kind,
        "level": level,
        "message": { "text": row.message },
        "locations": [{
            "logicalLocations": [{ "fullyQualifiedName": resource, "kind": "resource" }]
        }],
        "partialFingerprints": {
            "plumblineFinding/v1": sha256_hex(
                format!("{}\n{}\n{}", row.outcome.check, row.region, row.resource).as_bytes()
            ),
        },
        "properties": {
            "region": row.region,
            "status": row.status.name(),
            "cis_id": row.reference.map(|reference| reference.id.as_str()),
        },
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Informational => "note",
    }
}

/// The 0-10 score code-scanning dashboards sort by.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Informational => "0.0",
    }
}
