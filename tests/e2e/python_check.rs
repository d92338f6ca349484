//! The example Python check (`examples/python-checks/iam-user-console-mfa`,
//! built with componentize-py by `scripts/build-python-checks.sh`) runs
//! through the same host as its Rust twin (`checks/iam/iam-user-console-mfa`) and
//! agrees with it: the same verdict per resource on a moto account and on the
//! twin's fixtures, the same error on denied data, and the same CIS
//! references, taken from the reference table rather than retyped.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libtest_mimic::Trial;
use serde_json::{Value, json};

use crate::support;
use crate::support::moto::Account;
use crate::support::{Run, host, resources, run, seed};

pub fn tests() -> Vec<Trial> {
    e2e_tests![
        tokio python_and_rust_twins_give_the_same_verdict_per_user_on_moto,
        sync python_and_rust_twins_agree_on_every_fixture_of_the_twin,
        sync denied_credential_report_is_the_same_error_in_both_twins,
        sync python_check_references_the_cis_ids_of_its_rust_twin_and_the_table,
        sync python_check_imports_only_the_scan_and_iam_interfaces,
    ]
}

const PYTHON_FOLDER: &str = "examples/python-checks/iam-user-console-mfa";
const PYTHON_ID: &str = "py-iam-user-console-mfa";
const RUST_ID: &str = "iam-user-console-mfa";
const CONTROL_KEY: &str = "iam_user_console_mfa";

fn python_component() -> PathBuf {
    let path = support::root()
        .join(PYTHON_FOLDER)
        .join("iam-user-console-mfa.wasm");
    assert!(
        path.exists(),
        "{} is missing: build it with scripts/build-python-checks.sh (scripts/test.sh does)",
        path.display()
    );
    path
}

/// One compile cache for the module. The Python component is an 18 MB
/// interpreter: compiling it takes Cranelift seconds, loading it afterwards
/// milliseconds. Initialised with one scan so that tests running in parallel
/// do not compile it side by side.
fn shared_cache() -> &'static Path {
    static CACHE: OnceLock<PathBuf> = OnceLock::new();
    CACHE.get_or_init(|| {
        let cache = support::shared_dir("python-compile-cache");
        let warm_up = scan_snapshot(&cache, &python_component(), &fixtures()[0]);
        assert!(!warm_up.stdout.is_empty(), "{}", warm_up.stderr);
        cache
    })
}

fn scan_snapshot(cache: &Path, plugin: &Path, snapshot: &Path) -> Run {
    let mut command = host(cache);
    command
        .args(["scan", "--quiet", "--format", "json", "--plugins"])
        .arg(plugin)
        .arg("--snapshot")
        .arg(snapshot);
    run(&mut command)
}

fn scan_account(account: &Account, plugin: &Path) -> Run {
    let mut command = host(shared_cache());
    command
        .args(["scan", "--quiet", "--format", "json", "--plugins"])
        .arg(plugin);
    account.configure(&mut command);
    run(&mut command)
}

/// The Rust twin's fixture snapshots.
fn fixtures() -> Vec<PathBuf> {
    let found = support::first_party_check(RUST_ID).fixtures();
    assert!(!found.is_empty(), "the Rust twin has no fixtures");
    found
}

/// resource -> (status, message) of a check's findings.
fn verdicts(report: &Value, check: &str) -> BTreeMap<String, (String, String)> {
    support::result(report, check)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| {
            (
                finding["resource"].as_str().unwrap().to_string(),
                (
                    finding["status"].as_str().unwrap().to_string(),
                    finding["message"].as_str().unwrap().to_string(),
                ),
            )
        })
        .collect()
}

fn assert_twins_agree(python: &Run, rust: &Run, what: &str) -> Value {
    let python_report = python.json();
    let rust_report = rust.json();
    let python_result = support::result(&python_report, PYTHON_ID);
    let rust_result = support::result(&rust_report, RUST_ID);
    assert_eq!(
        python_result["status"], rust_result["status"],
        "{what}: status"
    );
    assert_eq!(
        verdicts(&python_report, PYTHON_ID),
        verdicts(&rust_report, RUST_ID),
        "{what}: findings"
    );
    assert_eq!(
        python.code, rust.code,
        "{what}: exit codes\n{}",
        python.stderr
    );
    python_report
}

async fn python_and_rust_twins_give_the_same_verdict_per_user_on_moto() {
    let account = Account::new().await;
    seed::user(&account, "erin", true, 0).await;
    seed::user(&account, "grace", true, 0).await;
    seed::enable_virtual_mfa(&account, "grace").await;
    // No console password: neither twin judges this user.
    account
        .iam()
        .create_user()
        .user_name("frank")
        .send()
        .await
        .unwrap();

    let python = scan_account(&account, &python_component());
    let rust = scan_account(&account, &support::check(RUST_ID));
    let report = assert_twins_agree(&python, &rust, "moto account");
    assert_eq!(python.code, 1, "a failing check exits 1\n{}", python.stderr);
    assert_eq!(
        resources(&report, PYTHON_ID, "fail"),
        vec![account.arn("user/erin")]
    );
    assert_eq!(
        resources(&report, PYTHON_ID, "pass"),
        vec![account.arn("user/grace")]
    );
}

fn python_and_rust_twins_agree_on_every_fixture_of_the_twin() {
    for fixture in fixtures() {
        let python = scan_snapshot(shared_cache(), &python_component(), &fixture);
        let rust = scan_snapshot(shared_cache(), &support::check(RUST_ID), &fixture);
        assert_twins_agree(&python, &rust, &fixture.display().to_string());
    }
}

fn denied_credential_report_is_the_same_error_in_both_twins() {
    let dir = tempfile::tempdir().unwrap();
    let snapshot = dir.path().join("denied.json");
    let denied = json!({
        "format": "plumbline-snapshot/1",
        "account_id": "111122223333",
        "partition": "aws",
        "regions": ["us-east-1"],
        "collected_at": "2026-12-01T00:00:00Z",
        "iam": {
            "credential_report": {"Err": {"AccessDenied": {
                "action": "iam:GenerateCredentialReport",
                "message": "not authorized"
            }}}
        }
    });
    std::fs::write(&snapshot, denied.to_string()).unwrap();

    let python = scan_snapshot(shared_cache(), &python_component(), &snapshot);
    let rust = scan_snapshot(shared_cache(), &support::check(RUST_ID), &snapshot);
    let report = assert_twins_agree(&python, &rust, "denied credential report");
    assert_eq!(
        resources(&report, PYTHON_ID, "error"),
        vec!["account 111122223333".to_string()]
    );
    let findings = support::result(&report, PYTHON_ID)["findings"].to_string();
    assert!(
        findings.contains("iam:GenerateCredentialReport"),
        "the error names the denied action: {findings}"
    );
}

fn python_check_references_the_cis_ids_of_its_rust_twin_and_the_table() {
    let fixture = &fixtures()[0];
    let python = scan_snapshot(shared_cache(), &python_component(), fixture).json();
    let rust = scan_snapshot(shared_cache(), &support::check(RUST_ID), fixture).json();
    let python_result = support::result(&python, PYTHON_ID);
    let rust_result = support::result(&rust, RUST_ID);
    assert_eq!(python_result["benchmarks"], rust_result["benchmarks"]);
    assert_eq!(python_result["title"], rust_result["title"]);
    assert_eq!(python_result["severity"], rust_result["severity"]);

    let table: Value = serde_json::from_str(
        &std::fs::read_to_string(support::root().join("benchmarks/cis-aws-crossversion.json"))
            .unwrap(),
    )
    .unwrap();
    let expected: BTreeMap<String, (String, String, String)> = table[CONTROL_KEY]["versions"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(version, entry)| {
            (
                version.clone(),
                (
                    entry["id"].as_str().unwrap().to_string(),
                    entry["assessment"].as_str().unwrap().to_string(),
                    entry["profile"].as_str().unwrap().to_string(),
                ),
            )
        })
        .collect();
    let referenced: BTreeMap<String, (String, String, String)> = python_result["benchmarks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|reference| {
            (
                reference["version"].as_str().unwrap().to_string(),
                (
                    reference["id"].as_str().unwrap().to_string(),
                    reference["scoring"].as_str().unwrap().to_string(),
                    format!("Level {}", reference["level"]),
                ),
            )
        })
        .collect();
    assert!(!expected.is_empty(), "{CONTROL_KEY} is in the table");
    assert_eq!(referenced, expected);
}

/// The narrow world keeps the Python component to the interfaces it reads;
/// built against the full `check` world it would import (and make every scan
/// collect) EC2, S3, Organizations and the rest.
fn python_check_imports_only_the_scan_and_iam_interfaces() {
    let mut command = host(shared_cache());
    command
        .args(["scan", "--verbose", "--format", "json", "--plugins"])
        .arg(python_component())
        .arg("--snapshot")
        .arg(&fixtures()[0]);
    let scan = run(&mut command);
    let loaded = scan
        .stderr
        .lines()
        .find(|line| line.trim_start().starts_with(&format!("{PYTHON_ID} <- ")))
        .unwrap_or_else(|| panic!("no load line for {PYTHON_ID}:\n{}", scan.stderr));
    let reads: Vec<&str> = loaded
        .split_once("reads ")
        .unwrap_or_else(|| panic!("no imports listed: {loaded}"))
        .1
        .trim_end_matches(')')
        .split(", ")
        .collect();
    assert!(reads.contains(&"iam.credential-report"), "{loaded}");
    let outside: Vec<&&str> = reads
        .iter()
        .filter(|function| !function.starts_with("iam.") && !function.starts_with("scan."))
        .collect();
    assert!(
        outside.is_empty(),
        "imports beyond scan and iam: {outside:?}"
    );
}
