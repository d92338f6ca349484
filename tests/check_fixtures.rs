//! Every check's pass/fail fixtures (`checks/<service>/<id>/fixtures/*.json`): small
//! snapshots with an `expect` block, evaluated offline by the real host. They
//! cover what moto cannot seed: the root user's MFA and keys, aged
//! credentials under an injected "now", denied calls.
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

mod support;

use serde_json::Value;
use support::{host, resources, run, status};

#[test]
fn every_check_meets_its_fixtures() {
    let cache = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    let mut evaluated = 0;
    for first_party in support::first_party_checks() {
        let check = &first_party.id;
        let component = first_party.component();
        let fixtures = first_party.fixtures();
        let has = |status: &str| {
            fixtures.iter().any(|path| {
                let fixture: Value =
                    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
                fixture["expect"]["status"] == status
            })
        };
        // A check that can judge needs both verdicts shown; a check of a
        // control no API can decide needs its manual evidence shown.
        if !(has("pass") && has("fail") || has("manual")) {
            failures.push(format!(
                "{check}: needs a pass and a fail fixture (or a manual one)"
            ));
        }
        for fixture_path in fixtures {
            evaluated += 1;
            let fixture: Value =
                serde_json::from_str(&std::fs::read_to_string(&fixture_path).unwrap()).unwrap();
            let expect = &fixture["expect"];
            let mut command = host(cache.path());
            command
                .args(["scan", "--quiet", "--format", "json", "--plugins"])
                .arg(&component)
                .arg("--snapshot")
                .arg(&fixture_path);
            if let Some(version) = expect["benchmark_version"].as_str() {
                command.args(["--benchmark-version", version]);
            }
            if let Some(now) = expect["now"].as_str() {
                command.args(["--now", now]);
            }
            let outcome = run(&mut command);
            let name = format!(
                "{check}/{}",
                fixture_path.file_name().unwrap().to_string_lossy()
            );
            if outcome.stdout.is_empty() {
                failures.push(format!(
                    "{name}: no report (exit {}): {}",
                    outcome.code, outcome.stderr
                ));
                continue;
            }
            let report = outcome.json();
            let actual = status(&report, check);
            if expect["status"] != actual.as_str() {
                failures.push(format!(
                    "{name}: status {actual}, expected {}\n{report:#}",
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
                        failures.push(format!(
                            "{name}: {finding_status} resources {actual:?}, expected {expected:?}"
                        ));
                    }
                }
            }
            if let Some(needle) = expect["message_contains"].as_str() {
                let messages = support::result(&report, check)["findings"].to_string();
                if !messages.contains(needle) {
                    failures.push(format!(
                        "{name}: no finding message contains {needle:?}: {messages}"
                    ));
                }
            }
        }
    }
    assert!(evaluated > 0, "no fixtures found");
    assert!(
        failures.is_empty(),
        "{} fixture problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
