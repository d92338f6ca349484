//! `host diff` of two scans of one moto account, before and after one user
//! gets MFA: exactly that finding is fixed, and the reverse diff, where it
//! got worse, exits 1 for a CI gate.

use std::path::Path;

use libtest_mimic::Trial;

use crate::support;
use crate::support::moto::Account;
use crate::support::{host, run, seed};

pub fn tests() -> Vec<Trial> {
    e2e_tests![tokio a_user_getting_mfa_is_exactly_one_fixed_finding]
}

/// Scans `account` with the console-MFA and root-MFA checks into `report`.
fn scan_into(account: &Account, report: &Path) {
    let scanned = support::scan_checks(account, &["iam-user-console-mfa", "root-mfa"], &[]);
    assert!(scanned.code <= 1, "{}", scanned.stderr);
    std::fs::write(report, &scanned.stdout).unwrap();
}

async fn a_user_getting_mfa_is_exactly_one_fixed_finding() {
    let account = Account::new().await;
    seed::user(&account, "bob", true, 0).await;
    seed::user(&account, "carol", true, 0).await;
    let work = tempfile::tempdir().unwrap();
    let (before, after) = (
        work.path().join("before.json"),
        work.path().join("after.json"),
    );
    scan_into(&account, &before);
    seed::enable_virtual_mfa(&account, "bob").await;
    scan_into(&account, &after);

    let diff = |old: &Path, new: &Path, format: &str| {
        run(host(work.path())
            .args(["diff", "--format", format])
            .arg(old)
            .arg(new))
    };
    let better = diff(&before, &after, "json");
    assert_eq!(better.code, 0, "nothing got worse: {}", better.stderr);
    let json = better.json();
    let fixed = json["fixed"].as_array().unwrap();
    assert_eq!(fixed.len(), 1, "{json}");
    assert_eq!(fixed[0]["check"], "iam-user-console-mfa");
    assert_eq!(fixed[0]["resource"], account.arn("user/bob"));
    assert_eq!(
        (fixed[0]["before"].as_str(), fixed[0]["after"].as_str()),
        (Some("fail"), Some("pass"))
    );
    for unchanged in ["worse", "new", "gone"] {
        assert!(
            json[unchanged].as_array().unwrap().is_empty(),
            "{unchanged}: {json}"
        );
    }
    // carol still has no MFA, so the recommendation still fails: no score moves.
    assert!(json["scores"].as_array().unwrap().is_empty(), "{json}");

    let worse = diff(&after, &before, "table");
    assert_eq!(worse.code, 1, "a new failure gates: {}", worse.stderr);
    let bob = account.arn("user/bob");
    assert!(
        worse.stdout.contains(&format!(
            "Worse (1):\n  PASS -> FAIL  iam-user-console-mfa  {bob} (global)"
        )),
        "{}",
        worse.stdout
    );

    let not_a_report = diff(&before, &work.path().join("missing.json"), "table");
    assert_eq!(not_a_report.code, 2);
    assert!(
        not_a_report.stderr.contains("cannot read"),
        "{}",
        not_a_report.stderr
    );
}
