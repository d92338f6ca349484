//! `host diff OLD.json NEW.json`: what changed between two scans of one
//! account — findings that got worse (newly failing or erroring), fixed
//! ones, resources that appeared or went away, and each score — with exit
//! code 1 when anything got worse, so a pipeline can gate on it.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};

use crate::cli::{DiffArgs, Format};
use crate::report::untrusted::escape;
use crate::scan::exit;

/// The parts of a JSON report (README, "The JSON report") a diff reads.
#[derive(Deserialize)]
struct Scan {
    account: ScanAccount,
    evaluated_at: String,
    benchmark_version: Option<String>,
    results: Vec<ScanResult>,
    scores: Vec<ScanScore>,
}

#[derive(Deserialize)]
struct ScanAccount {
    id: String,
}

#[derive(Deserialize)]
struct ScanResult {
    check: String,
    status: String,
    #[serde(default)]
    findings: Vec<ScanFinding>,
    #[serde(default)]
    error: Option<String>,
}

#[derive(Deserialize)]
struct ScanFinding {
    resource: String,
    region: String,
    status: String,
    message: String,
}

#[derive(Deserialize)]
struct ScanScore {
    version: String,
    level: u8,
    passed: usize,
    failed: usize,
    percent: Option<f64>,
}

/// One finding (or a check that could not run) in a diff.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub check: String,
    pub resource: String,
    pub region: String,
    /// The status before (none for a resource only the new scan has).
    pub before: Option<String>,
    /// The status after (none for a resource only the old scan had).
    pub after: Option<String>,
    pub message: String,
}

#[derive(Debug, Serialize)]
struct ScoreChange {
    version: String,
    level: u8,
    before: Option<f64>,
    after: Option<f64>,
    passed: (usize, usize),
    judged: (usize, usize),
}

#[derive(Debug, Default, Serialize)]
struct Diff {
    worse: Vec<Change>,
    fixed: Vec<Change>,
    new: Vec<Change>,
    gone: Vec<Change>,
    scores: Vec<ScoreChange>,
}

pub fn diff(args: DiffArgs) -> anyhow::Result<u8> {
    let old = read(&args.old)?;
    let new = read(&args.new)?;
    if old.account.id != new.account.id {
        bail!(
            "{} is a scan of account {} and {} of account {}: a diff compares two scans of one account",
            args.old.display(),
            old.account.id,
            args.new.display(),
            new.account.id
        );
    }
    if old.benchmark_version != new.benchmark_version {
        bail!(
            "{} judges CIS v{} and {} judges v{}: scan both with the same --benchmark-version",
            args.old.display(),
            old.benchmark_version.as_deref().unwrap_or("-"),
            args.new.display(),
            new.benchmark_version.as_deref().unwrap_or("-")
        );
    }
    let diff = compare(&old, &new);
    let rendered = match args.format {
        Format::Json => crate::report::untrusted::json(&diff),
        Format::Table => render(&diff, &old, &new),
    };
    match &args.output {
        Some(path) => crate::report::write_atomically(path, rendered.as_bytes())?,
        None => print!("{rendered}"),
    }
    Ok(if diff.worse.is_empty() {
        exit::CLEAN
    } else {
        exit::FAILED
    })
}

fn read(path: &Path) -> anyhow::Result<Scan> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| {
        format!(
            "{} is not a Plumbline JSON report (write one with `host scan --format json --output FILE`)",
            path.display()
        )
    })
}

type Key = (String, String, String);

/// Every finding by (check, resource, region); a check that could not run
/// at all is one entry with its error as the message.
fn findings(scan: &Scan) -> BTreeMap<Key, (String, String)> {
    let mut all = BTreeMap::new();
    for result in &scan.results {
        if let Some(error) = &result.error {
            all.insert(
                (result.check.clone(), "(the check)".into(), "-".into()),
                (result.status.clone(), error.clone()),
            );
        }
        for finding in &result.findings {
            all.insert(
                (
                    result.check.clone(),
                    finding.resource.clone(),
                    finding.region.clone(),
                ),
                (finding.status.clone(), finding.message.clone()),
            );
        }
    }
    all
}

fn compare(old: &Scan, new: &Scan) -> Diff {
    let (before, after) = (findings(old), findings(new));
    let mut diff = Diff::default();
    let change =
        |key: &Key, was: Option<&(String, String)>, now: Option<&(String, String)>| Change {
            check: key.0.clone(),
            resource: key.1.clone(),
            region: key.2.clone(),
            before: was.map(|(status, _)| status.clone()),
            after: now.map(|(status, _)| status.clone()),
            message: now
                .or(was)
                .map(|(_, message)| message.clone())
                .unwrap_or_default(),
        };
    let is_bad = |status: &str| status == "fail" || status == "error";
    for (key, now) in &after {
        let was = before.get(key);
        let entry = change(key, was, Some(now));
        if is_bad(&now.0) && was.is_none_or(|(status, _)| status != &now.0) {
            diff.worse.push(entry.clone());
        } else if was.is_some_and(|(status, _)| is_bad(status)) && !is_bad(&now.0) {
            diff.fixed.push(entry.clone());
        }
        if was.is_none() {
            diff.new.push(entry);
        }
    }
    for (key, was) in &before {
        if !after.contains_key(key) {
            diff.gone.push(change(key, Some(was), None));
        }
    }
    for score in &new.scores {
        let previous = old
            .scores
            .iter()
            .find(|old| old.version == score.version && old.level == score.level);
        let Some(previous) = previous else { continue };
        if previous.passed != score.passed || previous.failed != score.failed {
            diff.scores.push(ScoreChange {
                version: score.version.clone(),
                level: score.level,
                before: previous.percent,
                after: score.percent,
                passed: (previous.passed, score.passed),
                judged: (
                    previous.passed + previous.failed,
                    score.passed + score.failed,
                ),
            });
        }
    }
    diff
}

fn render(diff: &Diff, old: &Scan, new: &Scan) -> String {
    let mut out = String::new();
    writeln!(
        out,
        "Plumbline diff — account {} — {} -> {}{}\n",
        old.account.id,
        old.evaluated_at,
        new.evaluated_at,
        new.benchmark_version
            .as_deref()
            .map(|version| format!(" — CIS v{version}"))
            .unwrap_or_default()
    )
    .unwrap();
    let status = |status: &Option<String>| status.as_deref().unwrap_or("-").to_uppercase();
    for (title, changes) in [
        ("Worse", &diff.worse),
        ("Fixed", &diff.fixed),
        ("New resources", &diff.new),
        ("Gone resources", &diff.gone),
    ] {
        writeln!(out, "{title} ({}):", changes.len()).unwrap();
        for change in changes {
            writeln!(
                out,
                "  {} -> {}  {}  {} ({}): {}",
                status(&change.before),
                status(&change.after),
                change.check,
                escape(&change.resource),
                escape(&change.region),
                escape(&change.message)
            )
            .unwrap();
        }
    }
    writeln!(out, "Scores ({} changed):", diff.scores.len()).unwrap();
    let percent = |value: Option<f64>| value.map_or("n/a".into(), |p| format!("{p:.0}%"));
    for score in &diff.scores {
        writeln!(
            out,
            "  v{} Level {}: {} -> {} ({}/{} -> {}/{} passed)",
            score.version,
            score.level,
            percent(score.before),
            percent(score.after),
            score.passed.0,
            score.judged.0,
            score.passed.1,
            score.judged.1
        )
        .unwrap();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(results: serde_json::Value, passed: usize, failed: usize) -> Scan {
        serde_json::from_value(serde_json::json!({
            "account": { "id": "123456789012" },
            "evaluated_at": "2026-11-26T00:00:00Z",
            "benchmark_version": "7.0.0",
            "results": results,
            "scores": [{ "version": "7.0.0", "level": 1, "passed": passed, "failed": failed,
                         "percent": 100.0 * passed as f64 / (passed + failed) as f64 }],
        }))
        .unwrap()
    }

    fn finding(resource: &str, status: &str) -> serde_json::Value {
        serde_json::json!({ "resource": resource, "region": "global", "status": status, "message": "m" })
    }

    #[test]
    fn findings_are_worse_fixed_new_or_gone_and_errors_are_worse() {
        let old = scan(
            serde_json::json!([
                { "check": "a", "status": "fail", "findings": [finding("fixed", "fail"), finding("regressed", "pass"), finding("gone", "fail")] },
                { "check": "b", "status": "pass", "findings": [finding("x", "pass")] },
            ]),
            1,
            1,
        );
        let new = scan(
            serde_json::json!([
                { "check": "a", "status": "fail", "findings": [finding("fixed", "pass"), finding("regressed", "fail"), finding("appeared", "pass")] },
                { "check": "b", "status": "error", "findings": [], "error": "timed out" },
            ]),
            0,
            2,
        );
        let diff = compare(&old, &new);
        let resources = |changes: &[Change]| -> Vec<String> {
            changes
                .iter()
                .map(|change| format!("{}/{}", change.check, change.resource))
                .collect()
        };
        assert_eq!(resources(&diff.worse), ["a/regressed", "b/(the check)"]);
        assert_eq!(resources(&diff.fixed), ["a/fixed"]);
        assert_eq!(resources(&diff.new), ["a/appeared", "b/(the check)"]);
        assert_eq!(resources(&diff.gone), ["a/gone", "b/x"]);
        assert_eq!(diff.scores.len(), 1);
        assert_eq!(
            (diff.scores[0].passed, diff.scores[0].judged),
            ((1, 0), (2, 2))
        );
    }
}
