//! Every check's pass/fail fixtures (`checks/<service>/<id>/fixtures/*.json`):
//! small snapshots with an `expect` block, run by the real host's fixture
//! runner, `host test` (the same code path a check author uses; the format
//! is documented in `host/src/fixtures.rs` and `host test --help`). They
//! cover what moto cannot seed: the root user's MFA and keys, aged
//! credentials under an injected "now", denied calls.
//!
//! Each check is a trial of its own, `fixtures::<service>/<id>`, and has one
//! more, `fixtures::<service>/<id>/required-fixtures`: a pass and a fail
//! fixture, or a manual one. The runner itself is tested here too: a
//! mismatch is shown and exits 1, `--update` rewrites the expectation.

use std::path::Path;

use libtest_mimic::{Failed, Trial};
use serde_json::Value;

use crate::support::{self, FirstPartyCheck, host, run};

pub fn tests() -> Vec<Trial> {
    let mut trials = e2e_tests![
        sync first_party_checks_are_found,
        sync a_mismatch_is_shown_per_fixture_and_exits_1,
        sync update_shows_the_difference_then_writes_what_came_out,
    ];
    for check in support::first_party_checks() {
        let prefix = format!("fixtures::{}/{}", check.service, check.id);
        let first_party = check.clone();
        trials.push(Trial::test(prefix.clone(), move || {
            meets_its_fixtures(&first_party)
        }));
        trials.push(Trial::test(
            format!("{prefix}/required-fixtures"),
            move || has_the_required_fixtures(&check),
        ));
    }
    trials
}

/// `host test` on one component, with the compile cache every fixture test shares.
fn host_test(component: &Path, extra: &[&str]) -> support::Run {
    let mut command = host(&support::shared_dir("fixtures-compile-cache"));
    command.arg("test").arg(component).args(extra);
    run(&mut command)
}

fn meets_its_fixtures(first_party: &FirstPartyCheck) -> Result<(), Failed> {
    let outcome = host_test(&first_party.component(), &[]);
    if outcome.code == 0 && outcome.stdout.contains(" as expected, 0 not") {
        Ok(())
    } else {
        Err(format!(
            "host test exited {}:\n{}{}",
            outcome.code, outcome.stdout, outcome.stderr
        )
        .into())
    }
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

fn read_fixture(path: &Path) -> Result<Value, Failed> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    serde_json::from_str(&text)
        .map_err(|error| format!("{} is not JSON: {error}", path.display()).into())
}

/// A copy of root-no-access-keys (component and fixtures) whose pass fixture
/// expects the wrong verdict.
fn check_with_a_wrong_expectation() -> (tempfile::TempDir, std::path::PathBuf) {
    let check = support::first_party_check("root-no-access-keys");
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        check.component(),
        dir.path().join("root-no-access-keys.wasm"),
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("fixtures")).unwrap();
    for fixture in check.fixtures() {
        std::fs::copy(
            &fixture,
            dir.path()
                .join("fixtures")
                .join(fixture.file_name().unwrap()),
        )
        .unwrap();
    }
    let wrong = dir.path().join("fixtures/pass-no-keys.json");
    let mut fixture = read_fixture(&wrong).unwrap();
    fixture["expect"] = serde_json::json!({
        "status": "fail",
        "fail": ["arn:aws:iam::111122223333:root"]
    });
    std::fs::write(&wrong, serde_json::to_string_pretty(&fixture).unwrap()).unwrap();
    (dir, wrong)
}

fn a_mismatch_is_shown_per_fixture_and_exits_1() {
    let (dir, _) = check_with_a_wrong_expectation();
    let outcome = host_test(dir.path(), &[]);
    assert_eq!(outcome.code, 1, "{}{}", outcome.stdout, outcome.stderr);
    let out = &outcome.stdout;
    assert!(out.contains("  FAIL  pass-no-keys\n"), "{out}");
    assert!(out.contains("status: expected fail, got pass"), "{out}");
    assert!(
        out.contains("fail resources: expected [arn:aws:iam::111122223333:root], got []"),
        "{out}"
    );
    assert!(
        out.contains("  ok    fail-root-has-keys: fail, 1 fail"),
        "{out}"
    );
    assert!(
        out.contains("3 fixtures of 1 checks: 2 as expected, 1 not"),
        "{out}"
    );
}

fn update_shows_the_difference_then_writes_what_came_out() {
    let (dir, wrong) = check_with_a_wrong_expectation();
    let snapshot_before = read_fixture(&wrong).unwrap();
    let updated = host_test(dir.path(), &["--update"]);
    assert_eq!(updated.code, 0, "{}{}", updated.stdout, updated.stderr);
    assert!(
        updated.stdout.contains("status: expected fail, got pass"),
        "{}",
        updated.stdout
    );
    assert!(updated.stdout.contains("updated "), "{}", updated.stdout);

    let rewritten = read_fixture(&wrong).unwrap();
    assert_eq!(
        rewritten["expect"],
        serde_json::json!({
            "status": "pass",
            "pass": ["arn:aws:iam::111122223333:root"],
            "fail": []
        })
    );
    let mut data_before = snapshot_before.clone();
    let mut data_after = rewritten.clone();
    data_before.as_object_mut().unwrap().remove("expect");
    data_after.as_object_mut().unwrap().remove("expect");
    assert_eq!(data_after, data_before, "only the expectation changes");

    let again = host_test(dir.path(), &[]);
    assert_eq!(again.code, 0, "{}", again.stdout);
    assert!(
        again.stdout.contains("3 as expected, 0 not"),
        "{}",
        again.stdout
    );
}
