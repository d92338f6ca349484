//! The HTML report: one self-contained page a person opens in a browser, with
//! no network at view time. The host writes the report's data as JSON into
//! the page; the page's script (`html/report.js`) draws the score chart, the
//! per-section counts and every recommendation of the chosen CIS version,
//! with filters, search and a version switcher.
//!
//! Check text is untrusted: the script only ever puts it into the page as
//! text (`textContent`), never as markup, and the page's Content Security
//! Policy allows exactly its own script and style (by hash) and no
//! connection, so markup that a finding carries stays text and nothing in
//! the page can fetch or send anything.

use std::collections::BTreeSet;

use base64::Engine;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::json::{JsonFinding, scoring_name, severity_name};
use super::results::{Guidance, Score, Status, worst};
use super::{CheckOutcome, Report};
use crate::runtime::Origin;
use crate::waivers::WaiverSummary;

const TEMPLATE: &str = include_str!("html/template.html");
const STYLE: &str = include_str!("html/report.css");
const SCRIPT: &str = include_str!("html/report.js");

/// Everything the page shows, as its script reads it.
#[derive(Serialize)]
struct Page<'a> {
    tool_version: &'static str,
    account: &'a str,
    partition: &'a str,
    regions: &'a [String],
    evaluated_at: &'a str,
    /// The version shown first: the report's.
    benchmark_version: Option<&'a str>,
    scores: &'a [Score],
    checks: Vec<PageCheck<'a>>,
    /// Every version the checks reference, oldest first.
    versions: Vec<PageVersion<'a>>,
    waivers: Option<&'a WaiverSummary>,
}

#[derive(Serialize)]
struct PageCheck<'a> {
    id: &'a str,
    title: &'a str,
    severity: &'static str,
    #[serde(flatten)]
    guidance: &'a Guidance,
    origin: String,
    /// Why the check could not evaluate at all.
    error: Option<&'a str>,
    findings: Vec<PageFinding<'a>>,
}

/// A finding as the JSON report writes it, with the versions it applies to
/// (empty: every version), since the page judges every version.
#[derive(Serialize)]
struct PageFinding<'a> {
    #[serde(flatten)]
    finding: JsonFinding<'a>,
    versions: &'a [String],
}

#[derive(Serialize)]
struct PageVersion<'a> {
    version: String,
    recommendations: Vec<PageRecommendation<'a>>,
}

/// A recommendation of one version, with the checks that assess it; or,
/// without an id, the checks that have no recommendation in the version.
#[derive(Serialize)]
struct PageRecommendation<'a> {
    id: Option<&'a str>,
    title: &'a str,
    section: String,
    level: Option<u8>,
    scoring: Option<&'static str>,
    /// The worst of its checks' statuses, or `not-assessed` with none.
    status: &'static str,
    checks: Vec<CheckVerdict>,
}

#[derive(Serialize)]
struct CheckVerdict {
    /// Index into `checks`.
    check: usize,
    status: Status,
}

pub fn render(report: &Report) -> String {
    let page = Page {
        tool_version: env!("CARGO_PKG_VERSION"),
        account: &report.account_id,
        partition: &report.partition,
        regions: &report.regions,
        evaluated_at: &report.evaluated_at,
        benchmark_version: report.benchmark_version.as_deref(),
        scores: &report.scores,
        checks: report.outcomes.iter().map(page_check).collect(),
        versions: super::results::benchmark_versions(&report.outcomes)
            .into_iter()
            .map(|version| page_version(&report.outcomes, version))
            .collect(),
        waivers: report.waivers.as_ref(),
    };
    let data = script_safe_json(&page);
    TEMPLATE
        .replace("{{style_hash}}", &csp_hash(STYLE))
        .replace("{{script_hash}}", &csp_hash(SCRIPT))
        .replace("{{style}}", STYLE)
        .replace("{{script}}", SCRIPT)
        .replace("{{data}}", &data)
}

fn page_check(outcome: &CheckOutcome) -> PageCheck<'_> {
    PageCheck {
        id: &outcome.check,
        title: &outcome.title,
        severity: severity_name(outcome.severity),
        guidance: &outcome.guidance,
        origin: match &outcome.origin {
            Origin::Local { .. } => format!("local file {}", outcome.origin),
            Origin::Pack { signer, .. } => format!("{}, signed by {signer}", outcome.origin),
        },
        error: outcome.findings.as_ref().err().map(String::as_str),
        findings: outcome
            .findings_for(None)
            .into_iter()
            .map(|judged| PageFinding {
                versions: &judged.finding.benchmark_versions,
                finding: JsonFinding::from(judged),
            })
            .collect(),
    }
}

/// The version's recommendations in the benchmark's order (from the host's
/// tables), then any the checks reference that the tables lack, then the
/// checks with no recommendation in it.
fn page_version(outcomes: &[CheckOutcome], version: String) -> PageVersion<'_> {
    let verdict = |index: usize, outcome: &CheckOutcome, version: Option<&str>| CheckVerdict {
        check: index,
        status: outcome.status_for(version),
    };
    let assessing = |id: &str| -> Vec<CheckVerdict> {
        outcomes
            .iter()
            .enumerate()
            .filter(|(_, outcome)| outcome.reference_for(&version).is_some_and(|r| r.id == id))
            .map(|(index, outcome)| verdict(index, outcome, Some(&version)))
            .collect()
    };
    let mut recommendations = Vec::new();
    let mut listed = BTreeSet::new();
    if let Some(table) = crate::benchmarks::find(&version) {
        for recommendation in &table.recommendations {
            listed.insert(recommendation.id.as_str());
            recommendations.push(recommendation_entry(
                Some(&recommendation.id),
                &recommendation.title,
                section_name(&recommendation.id, &recommendation.section),
                Some(recommendation.level),
                Some(scoring_name(recommendation.scoring)),
                assessing(&recommendation.id),
            ));
        }
    }
    for outcome in outcomes {
        if let Some(reference) = outcome.reference_for(&version)
            && listed.insert(&reference.id)
        {
            recommendations.push(recommendation_entry(
                Some(&reference.id),
                &outcome.title,
                section_name(&reference.id, "Not in the host's table of this version"),
                Some(reference.level),
                Some(scoring_name(reference.scoring)),
                assessing(&reference.id),
            ));
        }
    }
    let unreferenced: Vec<CheckVerdict> = outcomes
        .iter()
        .enumerate()
        .filter(|(_, outcome)| outcome.reference_for(&version).is_none())
        .map(|(index, outcome)| verdict(index, outcome, None))
        .collect();
    if !unreferenced.is_empty() {
        recommendations.push(recommendation_entry(
            None,
            "Checks with no recommendation in this version",
            format!("Not in CIS v{version}"),
            None,
            None,
            unreferenced,
        ));
    }
    PageVersion {
        version,
        recommendations,
    }
}

fn recommendation_entry<'a>(
    id: Option<&'a str>,
    title: &'a str,
    section: String,
    level: Option<u8>,
    scoring: Option<&'static str>,
    checks: Vec<CheckVerdict>,
) -> PageRecommendation<'a> {
    let status = if checks.is_empty() {
        "not-assessed"
    } else {
        worst(checks.iter().map(|check| check.status)).name()
    };
    PageRecommendation {
        id,
        title,
        section,
        level,
        scoring,
        status,
        checks,
    }
}

/// "2 Identity and Access Management": the section's number and name.
fn section_name(id: &str, name: &str) -> String {
    format!("{} {name}", id.split('.').next().unwrap_or(id))
}

/// JSON that can sit inside a `<script>` element: no `<`, `>` or `&` (so no
/// text can close the element or open a comment), escaped as `\u003c`...
/// which `JSON.parse` reads back unchanged.
fn script_safe_json(value: &impl Serialize) -> String {
    super::untrusted::json(value)
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// The Content Security Policy source that allows exactly this inline text.
fn csp_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_data_cannot_close_its_script_element() {
        let json = script_safe_json(&serde_json::json!({
            "message": "</script><script>alert(1)</script><!-- & -->"
        }));
        assert!(!json.contains('<') && !json.contains('>') && !json.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            back["message"],
            "</script><script>alert(1)</script><!-- & -->"
        );
    }

    #[test]
    fn the_template_has_every_placeholder_once() {
        for placeholder in [
            "{{style_hash}}",
            "{{script_hash}}",
            "{{style}}",
            "{{script}}",
            "{{data}}",
        ] {
            assert_eq!(TEMPLATE.matches(placeholder).count(), 1, "{placeholder}");
        }
        // The page's own code must not contain a placeholder the data
        // replacement would then fill.
        assert!(!SCRIPT.contains("{{") && !STYLE.contains("{{"));
    }
}
