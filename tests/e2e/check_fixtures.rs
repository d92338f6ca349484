//! Every check's pass/fail fixtures (`checks/<service>/<id>/fixtures/*.json`):
//! small snapshots with an `expect` block, evaluated offline by the real host.
//! They cover what moto cannot seed: the root user's MFA and keys, aged
//! credentials under an injected "now", denied calls.
//!
//! Each fixture is a trial of its own, `fixtures::<service>/<id>/<fixture>`,
//! and each check has one more, `fixtures::<service>/<id>/required-fixtures`:
//! a pass and a fail fixture, or a manual one.
//!
//! A fixture is a snapshot plus:
//!
//! ```json
//! "expect": {
//!   "benchmark_version": "1.2.0",          // optional
//!   "now": "2026-12-01",                    // optional, else collected_at
//!   "status": "fail",
//!   "fail": ["arn:aws:iam::111122223333:user/bob"],   // optional
//!   "pass": [...], "error": [...],                      // optional
//!   "message_contains": "iam:GetAccountSummary"        // optional, any finding
//! }
//! ```

use std::path::Path;

use libtest_mimic::{Failed, Trial};
use serde_json::Value;

use crate::support::{self, FirstPartyCheck, host, resources, run, status};

pub fn tests() -> Vec<Trial> {
    let mut trials = e2e_tests![sync first_party_checks_are_found];
    for check in support::first_party_checks() {
        let prefix = format!("fixtures::{}/{}", check.service, check.id);
        for fixture in check.fixtures() {
            let name = format!("{prefix}/{}", file_stem(&fixture));
            let check = check.clone();
            trials.push(Trial::test(name, move || {
                meets_its_fixture(&check, &fixture)
            }));
        }
        trials.push(Trial::test(
            format!("{prefix}/required-fixtures"),
            move || has_the_required_fixtures(&check),
        ));
    }
    trials
}

/// Without checks, no fixture trial would exist and nothing would fail.
fn first_party_checks_are_found() {
    assert!(
        !support::first_party_checks().is_empty(),
        "no first-party checks under {}",
        support::root().join("checks").display()
    );
}

/// A check that can judge needs both verdicts shown; a check of a control no
/// API can decide needs its manual evidence shown.
fn has_the_required_fixtures(check: &FirstPartyCheck) -> Result<(), Failed> {
    let mut statuses = Vec::new();
    for fixture in check.fixtures() {
        let expect = &read_fixture(&fixture)?["expect"];
        statuses.push(expect["status"].as_str().unwrap_or("no status").to_string());
    }
    let has = |status: &str| statuses.iter().any(|found| found == status);
    if has("pass") && has("fail") || has("manual") {
        Ok(())
    } else {
        let found = if statuses.is_empty() {
            "none".to_string()
        } else {
            statuses.join(", ")
        };
        Err(format!(
            "{}: needs a pass and a fail fixture (or a manual one) in {}; its fixtures expect: {found}",
            check.id,
            check.dir.join("fixtures").display(),
        )
        .into())
    }
}

/// Scans the fixture with the check alone and compares the report with its
/// `expect` block; every difference is reported, not only the first.
fn meets_its_fixture(first_party: &FirstPartyCheck, fixture_path: &Path) -> Result<(), Failed> {
    let check = first_party.id.as_str();
    let fixture = read_fixture(fixture_path)?;
    let expect = &fixture["expect"];
    // One compile cache for every fixture: each check compiles once.
    let mut command = host(&support::shared_dir("fixtures-compile-cache"));
    command
        .args(["scan", "--quiet", "--format", "json", "--plugins"])
        .arg(first_party.component())
        .arg("--snapshot")
        .arg(fixture_path);
    if let Some(version) = expect["benchmark_version"].as_str() {
        command.args(["--benchmark-version", version]);
    }
    if let Some(now) = expect["now"].as_str() {
        command.args(["--now", now]);
    }
    let outcome = run(&mut command);
    if outcome.stdout.is_empty() {
        return Err(format!("no report (exit {}): {}", outcome.code, outcome.stderr).into());
    }
    let report = outcome.json();
    let mut problems = Vec::new();
    let actual = status(&report, check);
    if expect["status"] != actual.as_str() {
        problems.push(format!(
            "status {actual}, expected {}\n{report:#}",
            expect["status"]
        ));
    }
    for finding_status in ["pass", "fail", "error", "manual"] {
        if let Some(expected) = expect[finding_status].as_array() {
            let mut expected: Vec<String> = expected
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect();
            expected.sort();
            let actual = resources(&report, check, finding_status);
            if actual != expected {
                problems.push(format!(
                    "{finding_status} resources {actual:?}, expected {expected:?}"
                ));
            }
        }
    }
    if let Some(needle) = expect["message_contains"].as_str() {
        let messages = support::result(&report, check)["findings"].to_string();
        if !messages.contains(needle) {
            problems.push(format!(
                "no finding message contains {needle:?}: {messages}"
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n").into())
    }
}

fn read_fixture(path: &Path) -> Result<Value, Failed> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    serde_json::from_str(&text)
        .map_err(|error| format!("{} is not JSON: {error}", path.display()).into())
}

fn file_stem(path: &Path) -> String {
    path.file_stem().unwrap().to_string_lossy().into_owned()
}
