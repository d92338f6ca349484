//! OCSF 1.8.0 Compliance Findings (class 2003), with the `cloud` and
//! `datetime` profiles, for security data lakes (Amazon Security Lake, SIEMs
//! that read OCSF): a JSON list of events, one per judged resource. The
//! verdict is `compliance.status_id`; the CIS recommendation is
//! `compliance.control` and `requirements`; a waived finding keeps its
//! failing verdict with the event's status `Suppressed` and the waiver in
//! `comment`. `finding_info.uid` is the id ASFF uses, stable across scans.

use serde_json::{Value, json};

use super::{Report, Row, Status};
use crate::bindings::types::Severity;

/// The OCSF schema version the events declare and are validated against.
pub const SCHEMA_VERSION: &str = "1.8.0";
const COMPLIANCE_FINDING: u32 = 2003;
const FINDINGS_CATEGORY: u32 = 2;
/// activity_id 1: a scan creates the finding (type_uid = class * 100 + activity).
const CREATE: u32 = 1;
/// account.type_id 10.
const AWS_ACCOUNT: u32 = 10;

pub fn render(report: &Report) -> String {
    let time = crate::timefmt::parse(&report.evaluated_at)
        .map(|seconds| seconds * 1000)
        .unwrap_or_default();
    let events: Vec<Value> = report
        .rows()
        .iter()
        .map(|row| event(report, row, time))
        .collect();
    super::untrusted::json(&events)
}

fn event(report: &Report, row: &Row, time: i64) -> Value {
    let account = &report.account_id;
    let check = &row.outcome.check;
    let (compliance_status_id, compliance_status) = compliance_status(row.status);
    let (status_id, status) = if row.waiver.is_some() {
        (3, "Suppressed")
    } else {
        (1, "New")
    };
    let (severity_id, severity) = severity(row.severity());
    let mut compliance = json!({
        "standards": [],
        "requirements": [],
        "status": compliance_status,
        "status_id": compliance_status_id,
    });
    if let Some(reference) = row.reference {
        let standard = format!("CIS AWS Foundations Benchmark v{}", reference.version);
        compliance["control"] = json!(format!(
            "{standard} - Control {} - {}",
            reference.id, row.outcome.title
        ));
        compliance["standards"] = json!([standard]);
        compliance["requirements"] = json!([reference.id]);
    }
    let region = if row.region.is_empty() {
        "global"
    } else {
        row.region
    };
    let mut event = json!({
        "activity_id": CREATE,
        "activity_name": "Create",
        "category_uid": FINDINGS_CATEGORY,
        "category_name": "Findings",
        "class_uid": COMPLIANCE_FINDING,
        "class_name": "Compliance Finding",
        "type_uid": COMPLIANCE_FINDING * 100 + CREATE,
        "type_name": "Compliance Finding: Create",
        "time": time,
        "time_dt": report.evaluated_at,
        "severity_id": severity_id,
        "severity": severity,
        "status_id": status_id,
        "status": status,
        "status_code": row.status.name(),
        "message": row.message,
        "metadata": {
            "version": SCHEMA_VERSION,
            "profiles": ["cloud", "datetime"],
            "event_code": check,
            "product": {
                "name": "Plumbline",
                "uid": "plumbline",
                "vendor_name": "Plumbline",
                "version": env!("CARGO_PKG_VERSION"),
            },
        },
        "finding_info": {
            "uid": row.finding_id(account),
            "title": row.outcome.title,
            "desc": row.message,
            "types": ["CIS AWS Foundations Benchmark"],
            "created_time": time,
            "created_time_dt": report.evaluated_at,
        },
        "compliance": compliance,
        "cloud": {
            "provider": "AWS",
            "region": region,
            "account": { "uid": account, "type_id": AWS_ACCOUNT, "type": "AWS Account" },
        },
        "resources": [{
            "uid": row.resource_or_account(account),
            "region": region,
            "cloud_partition": report.partition,
        }],
        "unmapped": { "plumbline": { "check": check, "status": row.status.name() } },
    });
    if let Some(waiver) = row.waiver {
        event["comment"] = json!(format!(
            "waived: {} (owner {}, until {})",
            waiver.reason, waiver.owner, waiver.expires
        ));
    }
    event
}

/// compliance.status_id: 1 Pass, 2 Warning, 3 Fail, 99 Other, 0 Unknown.
fn compliance_status(status: Status) -> (u32, &'static str) {
    match status {
        Status::Pass => (1, "Pass"),
        Status::Fail | Status::Waived => (3, "Fail"),
        Status::Manual => (2, "Warning"),
        Status::NotApplicable => (99, "Not applicable"),
        Status::Error => (0, "Unknown"),
    }
}

fn severity(severity: Severity) -> (u32, &'static str) {
    match severity {
        Severity::Informational => (1, "Informational"),
        Severity::Low => (2, "Low"),
        Severity::Medium => (3, "Medium"),
        Severity::High => (4, "High"),
        Severity::Critical => (5, "Critical"),
    }
}
