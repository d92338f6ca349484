//! `host scan --waivers FILE` on the demo account, where
//! iam-user-console-mfa fails for bob only: a waiver in force makes that
//! finding `waived` with its reason, the check no longer fails (exit 0, no
//! failure in the score); once expired (by its date, or the scan's clock
//! moved past it) it no longer applies and the report says it expired; a
//! waiver matching nothing is listed as unused; a bad file is refused with
//! the line that is wrong, before anything is written. A `.yaml` file says
//! the same in YAML.

use std::path::Path;

use libtest_mimic::Trial;
use serde_json::Value;

use crate::support::{self, Run, host, run};

pub fn tests() -> Vec<Trial> {
    e2e_tests![
        sync a_waived_failure_reports_waived_with_its_reason_and_stops_counting,
        sync an_expired_waiver_no_longer_applies_and_the_report_says_it_expired,
        sync a_waiver_that_matches_nothing_is_listed_as_unused,
        sync a_bad_waivers_file_is_refused_with_the_wrong_line_and_nothing_is_written,
        sync yaml_waivers_apply_expire_and_are_refused_with_their_line_like_toml,
    ]
}

const CHECK: &str = "iam-user-console-mfa";
const BOB: &str = "arn:aws:iam::123456789012:user/bob";

fn waiver(expires: &str) -> String {
    format!(
        "# accepted risks\n[[waiver]]\ncheck = \"{CHECK}\"\nresource = \"arn:aws:iam::*:user/bob\"\n\
         region = \"global\"\naccount = \"123456789012\"\nreason = \"MFA token on order\"\n\
         owner = \"secops@example.com\"\nexpires = {expires}\n"
    )
}

/// The same waiver in YAML.
fn yaml_waiver(expires: &str) -> String {
    format!(
        "# accepted risks\nwaiver:\n  - check: {CHECK}\n    resource: \"arn:aws:iam::*:user/bob\"\n\
         \x20   region: global\n    account: \"123456789012\"\n    reason: MFA token on order\n\
         \x20   owner: secops@example.com\n    expires: {expires}\n"
    )
}

/// Scans the demo account with the one check and `waivers` as waivers.toml.
fn scan(dir: &Path, waivers: &str, format: &str, extra: &[&str]) -> Run {
    scan_with_file(dir, "waivers.toml", waivers, format, extra)
}

fn scan_with_file(dir: &Path, name: &str, waivers: &str, format: &str, extra: &[&str]) -> Run {
    let file = dir.join(name);
    std::fs::write(&file, waivers).unwrap();
    let mut command = host(&support::shared_dir("waivers-compile-cache"));
    command
        .args(["scan", "--quiet", "--format", format, "--plugins"])
        .arg(support::check(CHECK))
        .arg("--snapshot")
        .arg(support::root().join("examples/demo-account.json"))
        .arg("--waivers")
        .arg(&file)
        .args(extra);
    run(&mut command)
}

fn v7_level_1(report: &Value) -> &Value {
    report["scores"]
        .as_array()
        .unwrap()
        .iter()
        .find(|score| score["version"] == "7.0.0" && score["level"] == 1)
        .unwrap()
}

fn bob(report: &Value) -> &Value {
    support::result(report, CHECK)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|finding| finding["resource"] == BOB)
        .unwrap()
}

fn a_waived_failure_reports_waived_with_its_reason_and_stops_counting() {
    let dir = tempfile::tempdir().unwrap();
    let outcome = scan(dir.path(), &waiver("2027-01-31"), "json", &[]);
    assert_eq!(
        outcome.code, 0,
        "a waived failure is not a failure: {}",
        outcome.stderr
    );
    let report = outcome.json();
    assert_eq!(support::status(&report, CHECK), "waived");
    let finding = bob(&report);
    assert_eq!(finding["status"], "waived");
    assert_eq!(finding["waiver"]["reason"], "MFA token on order");
    assert_eq!(finding["waiver"]["owner"], "secops@example.com");
    assert_eq!(finding["waiver"]["expires"], "2027-01-31");
    assert_eq!(v7_level_1(&report)["failed"], 0);
    assert_eq!(report["waivers"]["expired"], serde_json::json!([]));
    assert_eq!(report["waivers"]["unused"], serde_json::json!([]));

    let table = scan(dir.path(), &waiver("2027-01-31"), "table", &[]).stdout;
    assert!(
        table.contains(&format!("{CHECK}  L1     Automated  local   WAIVED")),
        "{table}"
    );
    assert!(
        table.contains(
            "- arn:aws:iam::123456789012:user/bob: console user bob has a password but no MFA \
             device [waived until 2027-01-31 by secops@example.com: MFA token on order]"
        ),
        "{table}"
    );
    assert!(table.contains("Waivers: 1 findings waived"), "{table}");
}

fn an_expired_waiver_no_longer_applies_and_the_report_says_it_expired() {
    let dir = tempfile::tempdir().unwrap();
    // The demo snapshot's clock is 2026-11-26.
    for (expires, extra) in [
        ("2026-11-25", &[][..]),
        ("2027-01-31", &["--now", "2027-02-01"][..]),
    ] {
        let outcome = scan(dir.path(), &waiver(expires), "json", extra);
        assert_eq!(outcome.code, 1, "{expires}: the failure counts again");
        let report = outcome.json();
        assert_eq!(support::status(&report, CHECK), "fail");
        assert_eq!(bob(&report)["status"], "fail");
        assert!(bob(&report).get("waiver").is_none());
        assert_eq!(v7_level_1(&report)["failed"], 1);
        let expired = report["waivers"]["expired"].as_array().unwrap();
        assert_eq!(expired.len(), 1, "{expired:?}");
        assert_eq!(expired[0]["expires"], expires);
        assert_eq!(expired[0]["line"], 2);

        let table = scan(dir.path(), &waiver(expires), "table", extra).stdout;
        assert!(
            table.contains(&format!(
                "  expired {expires} (line 2, check {CHECK}, resource arn:aws:iam::*:user/bob, \
                 region global, account 123456789012, owner secops@example.com): no longer \
                 applied; renew or remove it"
            )),
            "{table}"
        );
    }
}

fn a_waiver_that_matches_nothing_is_listed_as_unused() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = waiver("2027-01-31").replace("123456789012", "999999999999");
    let outcome = scan(dir.path(), &elsewhere, "json", &[]);
    assert_eq!(outcome.code, 1, "another account's waiver waives nothing");
    let report = outcome.json();
    assert_eq!(bob(&report)["status"], "fail");
    let unused = report["waivers"]["unused"].as_array().unwrap();
    assert_eq!(unused.len(), 1);
    assert_eq!(unused[0]["account"], "999999999999");
    let table = scan(dir.path(), &elsewhere, "table", &[]).stdout;
    assert!(
        table.contains("matched no failing finding; remove it"),
        "{table}"
    );
}

fn a_bad_waivers_file_is_refused_with_the_wrong_line_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("report.json");
    let output_arg = output.to_str().unwrap();
    for (file, needle) in [
        (
            waiver("2027-01-31").replace("owner = ", "owners = "),
            "line 8",
        ),
        (
            waiver("2027-01-31").replace("check = ", "cis = \"2.10\"\ncheck = "),
            "the waiver at line 2 must name exactly one of",
        ),
        (waiver("2027-13-01"), "line 9"),
        (waiver("\"soon\""), "line 9"),
    ] {
        let outcome = scan(dir.path(), &file, "json", &["--output", output_arg]);
        assert_eq!(outcome.code, 2, "{file}");
        assert!(
            outcome.stderr.contains("waivers file"),
            "{}",
            outcome.stderr
        );
        assert!(
            outcome.stderr.contains(needle),
            "{needle}: {}",
            outcome.stderr
        );
        assert!(!output.exists(), "no report written");
    }
}

fn yaml_waivers_apply_expire_and_are_refused_with_their_line_like_toml() {
    let dir = tempfile::tempdir().unwrap();
    let in_force = scan_with_file(
        dir.path(),
        "waivers.yaml",
        &yaml_waiver("2027-01-31"),
        "json",
        &[],
    );
    assert_eq!(in_force.code, 0, "{}", in_force.stderr);
    let report = in_force.json();
    assert_eq!(bob(&report)["status"], "waived");
    assert_eq!(bob(&report)["waiver"]["reason"], "MFA token on order");
    assert_eq!(bob(&report)["waiver"]["expires"], "2027-01-31");

    let expired = scan_with_file(
        dir.path(),
        "waivers.yml",
        &yaml_waiver("2026-11-25"),
        "json",
        &[],
    );
    assert_eq!(expired.code, 1);
    let report = expired.json();
    assert_eq!(bob(&report)["status"], "fail");
    let listed = report["waivers"]["expired"].as_array().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["line"], 3, "the line of its `- check:`");

    for (file, needle) in [
        (
            yaml_waiver("2027-01-31").replace("owner:", "owners:"),
            "line 8",
        ),
        (yaml_waiver("2027-02-30"), "the waiver at line 3: `expires`"),
        (
            yaml_waiver("2027-01-31").replace("    reason: MFA token on order\n", ""),
            "reason",
        ),
        ("waiver:\n  - check: [unclosed\n".to_string(), "line 2"),
    ] {
        let refused = scan_with_file(dir.path(), "waivers.yaml", &file, "json", &[]);
        assert_eq!(refused.code, 2, "{file}");
        assert!(refused.stdout.is_empty(), "nothing reported");
        assert!(
            refused.stderr.contains("waivers file") && refused.stderr.contains(needle),
            "{needle}: {}",
            refused.stderr
        );
    }
}
