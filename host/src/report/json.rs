//! The JSON report. Its shape is documented in the README and stable: fields
//! are only ever added.

use serde::Serialize;

use super::Report;
use super::results::{Judged, Score, Status};
use crate::bindings::types::{BenchmarkRef, Scoring, Severity};
use crate::runtime::Origin;

#[derive(Serialize)]
struct JsonReport<'a> {
    tool: Tool,
    account: Account<'a>,
    evaluated_at: &'a str,
    benchmark_version: Option<&'a str>,
    results: Vec<JsonResult<'a>>,
    scores: &'a [Score],
    /// With --waivers: the expired ones (not applied) and the unused ones.
    #[serde(skip_serializing_if = "Option::is_none")]
    waivers: Option<&'a crate::waivers::WaiverSummary>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
    api_version: &'static str,
}

#[derive(Serialize)]
struct Account<'a> {
    id: &'a str,
    partition: &'a str,
    regions: &'a [String],
}

#[derive(Serialize)]
struct JsonResult<'a> {
    check: &'a str,
    /// Where the check came from: `{"kind": "local", "path"}` or
    /// `{"kind": "pack", "pack", "version", "digest", "signer", "source"}`.
    provenance: &'a Origin,
    title: &'a str,
    status: Status,
    severity: &'static str,
    benchmarks: Vec<JsonBenchmark<'a>>,
    findings: Vec<JsonFinding<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonBenchmark<'a> {
    benchmark: &'a str,
    version: &'a str,
    id: &'a str,
    scoring: &'static str,
    level: u8,
}

/// A finding as the JSON report writes it; the HTML page embeds the same.
#[derive(Serialize)]
pub(super) struct JsonFinding<'a> {
    resource: &'a str,
    region: &'a str,
    status: Status,
    message: &'a str,
    /// Why a `waived` finding is accepted, by whom, until when.
    #[serde(skip_serializing_if = "Option::is_none")]
    waiver: Option<JsonWaiver<'a>>,
}

#[derive(Serialize)]
struct JsonWaiver<'a> {
    reason: &'a str,
    owner: &'a str,
    expires: &'a str,
}

impl<'a> From<Judged<'a>> for JsonFinding<'a> {
    fn from(judged: Judged<'a>) -> Self {
        JsonFinding {
            resource: &judged.finding.resource,
            region: &judged.finding.region,
            status: judged.status,
            message: &judged.finding.message,
            waiver: judged.waiver.map(|waiver| JsonWaiver {
                reason: &waiver.reason,
                owner: &waiver.owner,
                expires: &waiver.expires,
            }),
        }
    }
}

pub fn render(report: &Report) -> String {
    let results = report
        .outcomes
        .iter()
        .map(|outcome| {
            let version = report.applicable_version(outcome);
            JsonResult {
                check: &outcome.check,
                provenance: &outcome.origin,
                title: &outcome.title,
                status: outcome.status_for(version),
                severity: severity_name(outcome.severity),
                benchmarks: outcome.benchmarks.iter().map(benchmark).collect(),
                findings: outcome
                    .findings_for(version)
                    .into_iter()
                    .map(JsonFinding::from)
                    .collect(),
                error: outcome.findings.as_ref().err().map(String::as_str),
            }
        })
        .collect();
    let document = JsonReport {
        tool: Tool {
            name: "plumbline",
            version: env!("CARGO_PKG_VERSION"),
            api_version: crate::bindings::API_VERSION,
        },
        account: Account {
            id: &report.account_id,
            partition: &report.partition,
            regions: &report.regions,
        },
        evaluated_at: &report.evaluated_at,
        benchmark_version: report.benchmark_version.as_deref(),
        results,
        scores: &report.scores,
        waivers: report.waivers.as_ref(),
    };
    super::untrusted::json(&document)
}

fn benchmark(reference: &BenchmarkRef) -> JsonBenchmark<'_> {
    JsonBenchmark {
        benchmark: &reference.benchmark,
        version: &reference.version,
        id: &reference.id,
        scoring: scoring_name(reference.scoring),
        level: reference.level,
    }
}

pub fn scoring_name(scoring: Scoring) -> &'static str {
    match scoring {
        Scoring::Scored => "Scored",
        Scoring::NotScored => "Not Scored",
        Scoring::Automated => "Automated",
        Scoring::Manual => "Manual",
    }
}

pub fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Informational => "informational",
        Severity::Low => "low",
        Severity::Medium => "medium",
        Severity::High => "high",
        Severity::Critical => "critical",
    }
}
