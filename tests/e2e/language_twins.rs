//! Checks written in Python, JavaScript and C run through the same host as
//! their Rust twins and agree with them: the same verdict per resource (and
//! the same message) on a moto account and on every fixture of the Rust
//! twin, the same CIS references (generated from the reference table, never
//! retyped), and the same AWS calls: componentize-py and componentize-js
//! import every function of every interface in their world, so the dynamic
//! twins declare what they read (`reads.declare`) and a scan with only the
//! twin must make exactly the calls its Rust twin makes (moto's recorder).
//!
//! The components are built from source by `scripts/build-python-checks.sh`,
//! `scripts/build-js-checks.sh` and `scripts/build-c-checks.sh` (all run by
//! `scripts/test.sh`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libtest_mimic::Trial;
use serde_json::{Value, json};

use crate::support;
use crate::support::moto::{self, Account, record};
use crate::support::{Run, host, resources, run, seed};

pub fn tests() -> Vec<Trial> {
    e2e_tests![
        tokio python_twin_gives_the_rust_verdict_per_user_on_moto,
        tokio javascript_twin_gives_the_rust_verdict_on_moto,
        tokio c_twin_gives_the_rust_verdict_on_moto,
        sync every_twin_agrees_with_rust_on_every_fixture_of_the_rust_twin,
        sync every_twin_turns_denied_data_into_the_rust_twins_error,
        sync every_twin_references_the_cis_ids_of_the_table,
        tokio a_scan_with_only_a_twin_makes_exactly_the_calls_of_its_rust_twin,
        sync dynamic_twins_declare_their_reads_and_import_only_scan_iam_and_reads,
        tokio a_call_outside_the_declared_reads_is_an_error_and_is_not_collected,
    ]
}

/// A check in another language and the first-party Rust check it mirrors.
struct Twin {
    language: &'static str,
    /// The example's folder; the component is `<folder>/<folder name>.wasm`.
    folder: &'static str,
    id: &'static str,
    rust_id: &'static str,
    control_key: &'static str,
    /// A data set the Rust twin reads, denied in a snapshot, and the denied
    /// IAM action: (snapshot service, data set, action).
    denied: (&'static str, &'static str, &'static str),
}

const PYTHON: Twin = Twin {
    language: "Python",
    folder: "examples/python-checks/iam-user-console-mfa",
    id: "py-iam-user-console-mfa",
    rust_id: "iam-user-console-mfa",
    control_key: "iam_user_console_mfa",
    denied: ("iam", "credential_report", "iam:GenerateCredentialReport"),
};

const JAVASCRIPT: Twin = Twin {
    language: "JavaScript",
    folder: "examples/javascript-checks/root-no-access-keys",
    id: "js-root-no-access-keys",
    rust_id: "root-no-access-keys",
    control_key: "root_no_access_keys",
    denied: ("iam", "account_summary", "iam:GetAccountSummary"),
};

const C: Twin = Twin {
    language: "C",
    folder: "examples/c-checks/pw-policy-min-length-14",
    id: "c-pw-policy-min-length-14",
    rust_id: "pw-policy-min-length-14",
    control_key: "pw_policy_min_length_14",
    denied: ("iam", "password_policy", "iam:GetAccountPasswordPolicy"),
};

const TWINS: [&Twin; 3] = [&PYTHON, &JAVASCRIPT, &C];

impl Twin {
    fn component(&self) -> PathBuf {
        let folder = support::root().join(self.folder);
        let name = folder.file_name().unwrap().to_owned();
        let path = folder.join(name).with_extension("wasm");
        assert!(
            path.exists(),
            "{} is missing: scripts/test.sh builds it (scripts/build-{}-checks.sh)",
            path.display(),
            match self.language {
                "Python" => "python",
                "JavaScript" => "js",
                _ => "c",
            }
        );
        path
    }

    fn rust_component(&self) -> PathBuf {
        support::check(self.rust_id)
    }

    fn fixtures(&self) -> Vec<PathBuf> {
        let found = support::first_party_check(self.rust_id).fixtures();
        assert!(!found.is_empty(), "{} has no fixtures", self.rust_id);
        found
    }

    /// Scans `snapshot` with the twin and with the Rust twin and asserts
    /// they agree; returns the twin's report.
    fn agree_on_snapshot(&self, snapshot: &Path, what: &str) -> Value {
        let twin = scan_snapshot(&self.component(), snapshot);
        let rust = scan_snapshot(&self.rust_component(), snapshot);
        self.assert_agree(&twin, &rust, what)
    }

    fn assert_agree(&self, twin: &Run, rust: &Run, what: &str) -> Value {
        let what = format!("{} twin {}, {what}", self.language, self.id);
        assert!(
            !twin.stdout.is_empty(),
            "{what}: no report: {}",
            twin.stderr
        );
        let twin_report = twin.json();
        let rust_report = rust.json();
        assert_eq!(
            support::result(&twin_report, self.id)["status"],
            support::result(&rust_report, self.rust_id)["status"],
            "{what}: status"
        );
        assert_eq!(
            verdicts(&twin_report, self.id),
            verdicts(&rust_report, self.rust_id),
            "{what}: findings"
        );
        assert_eq!(twin.code, rust.code, "{what}: exit codes\n{}", twin.stderr);
        twin_report
    }
}

/// One compile cache for the module, each big component compiled once
/// before the tests that scan it run side by side (the Python component is
/// an 18 MB interpreter, the JavaScript one a 12 MB engine).
fn shared_cache() -> &'static Path {
    static CACHE: OnceLock<PathBuf> = OnceLock::new();
    CACHE.get_or_init(|| {
        let cache = support::shared_dir("language-twins-compile-cache");
        for twin in TWINS {
            let mut command = host(&cache);
            command
                .args(["scan", "--quiet", "--plugins"])
                .arg(twin.component())
                .arg("--snapshot")
                .arg(&twin.fixtures()[0]);
            let warm_up = run(&mut command);
            assert!(!warm_up.stdout.is_empty(), "{}", warm_up.stderr);
        }
        cache
    })
}

fn scan_snapshot(plugin: &Path, snapshot: &Path) -> Run {
    let mut command = host(shared_cache());
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

fn on_moto(twin: &Twin, account: &Account) -> Value {
    let report = twin.assert_agree(
        &scan_account(account, &twin.component()),
        &scan_account(account, &twin.rust_component()),
        "moto account",
    );
    assert!(
        !verdicts(&report, twin.id).is_empty(),
        "{}: judged nothing on moto",
        twin.id
    );
    report
}

async fn python_twin_gives_the_rust_verdict_per_user_on_moto() {
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

    let report = on_moto(&PYTHON, &account);
    assert_eq!(
        resources(&report, PYTHON.id, "fail"),
        vec![account.arn("user/erin")]
    );
    assert_eq!(
        resources(&report, PYTHON.id, "pass"),
        vec![account.arn("user/grace")]
    );
}

async fn javascript_twin_gives_the_rust_verdict_on_moto() {
    let account = Account::new().await;
    // moto's account summary reports no root access keys.
    let report = on_moto(&JAVASCRIPT, &account);
    assert_eq!(
        resources(&report, JAVASCRIPT.id, "pass"),
        vec![account.arn("root")]
    );
}

async fn c_twin_gives_the_rust_verdict_on_moto() {
    let account = Account::new().await;
    let no_policy = on_moto(&C, &account);
    assert_eq!(support::status(&no_policy, C.id), "fail");

    let set_length = |length: i32| {
        let iam = account.iam();
        async move {
            iam.update_account_password_policy()
                .minimum_password_length(length)
                .send()
                .await
                .unwrap();
        }
    };
    set_length(8).await;
    let short = on_moto(&C, &account);
    assert_eq!(support::status(&short, C.id), "fail");
    set_length(14).await;
    let long_enough = on_moto(&C, &account);
    assert_eq!(support::status(&long_enough, C.id), "pass");
}

fn every_twin_agrees_with_rust_on_every_fixture_of_the_rust_twin() {
    for twin in TWINS {
        for fixture in twin.fixtures() {
            twin.agree_on_snapshot(&fixture, &fixture.display().to_string());
        }
    }
}

fn every_twin_turns_denied_data_into_the_rust_twins_error() {
    let dir = tempfile::tempdir().unwrap();
    for twin in TWINS {
        let (service, data_set, action) = twin.denied;
        let snapshot = dir.path().join(format!("{}-denied.json", twin.id));
        let denied = json!({
            "format": "plumbline-snapshot/1",
            "account_id": "111122223333",
            "partition": "aws",
            "regions": ["us-east-1"],
            "collected_at": "2026-12-01T00:00:00Z",
            service: {
                data_set: {"Err": {"AccessDenied": {
                    "action": action,
                    "message": "not authorized"
                }}}
            }
        });
        std::fs::write(&snapshot, denied.to_string()).unwrap();
        let report = twin.agree_on_snapshot(&snapshot, "denied data");
        assert_eq!(support::status(&report, twin.id), "error", "{}", twin.id);
        let findings = support::result(&report, twin.id)["findings"].to_string();
        assert!(
            findings.contains(action),
            "{}: the error names the denied action: {findings}",
            twin.id
        );
    }
}

fn every_twin_references_the_cis_ids_of_the_table() {
    let table: Value = serde_json::from_str(
        &std::fs::read_to_string(support::root().join("benchmarks/cis-aws-crossversion.json"))
            .unwrap(),
    )
    .unwrap();
    for twin in TWINS {
        let fixture = &twin.fixtures()[0];
        let twin_report = scan_snapshot(&twin.component(), fixture).json();
        let rust_report = scan_snapshot(&twin.rust_component(), fixture).json();
        let twin_result = support::result(&twin_report, twin.id);
        let rust_result = support::result(&rust_report, twin.rust_id);
        assert_eq!(
            twin_result["benchmarks"], rust_result["benchmarks"],
            "{}",
            twin.id
        );
        assert_eq!(twin_result["title"], rust_result["title"], "{}", twin.id);

        let expected: BTreeMap<String, (String, String, String)> =
            table[twin.control_key]["versions"]
                .as_object()
                .unwrap_or_else(|| panic!("{} is in the table", twin.control_key))
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
        let referenced: BTreeMap<String, (String, String, String)> = twin_result["benchmarks"]
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
        assert_eq!(referenced, expected, "{}", twin.id);
    }
}

/// On a moto server of its own (the recorder is server-wide), a scan with
/// only the twin and a scan with only its Rust twin make the same calls.
async fn a_scan_with_only_a_twin_makes_exactly_the_calls_of_its_rust_twin() {
    let endpoint = moto::start(&[]);
    let account = Account::on(&endpoint).await;
    seed::user(&account, "erin", true, 1).await;
    for twin in TWINS {
        let rust_calls = record(&endpoint, || {
            scan_account(&account, &twin.rust_component());
        })
        .await;
        let twin_calls = record(&endpoint, || {
            scan_account(&account, &twin.component());
        })
        .await;
        assert!(
            rust_calls.len() >= 2,
            "{}: the Rust twin made its calls: {rust_calls:?}",
            twin.rust_id
        );
        // The credential report is generated, then polled until ready: the
        // number of polls is the server's timing, not the check's.
        let without_polls = |calls: BTreeMap<String, usize>| -> BTreeMap<String, usize> {
            calls
                .into_iter()
                .map(|(action, count)| match action.as_str() {
                    "GenerateCredentialReport" => (action, 1),
                    _ => (action, count),
                })
                .collect()
        };
        assert_eq!(
            without_polls(twin_calls),
            without_polls(rust_calls),
            "{} twin {} calls what {} calls, nothing more",
            twin.language,
            twin.id,
            twin.rust_id
        );
    }
}

/// Without `reads.declare`, the Python and JavaScript twins would make a
/// scan collect every IAM data set; their narrow worlds keep everything
/// else out.
fn dynamic_twins_declare_their_reads_and_import_only_scan_iam_and_reads() {
    for (twin, declared) in [
        (&PYTHON, "iam.credential-report"),
        (&JAVASCRIPT, "iam.account-summary"),
    ] {
        let mut command = host(shared_cache());
        command
            .args(["scan", "--verbose", "--format", "json", "--plugins"])
            .arg(twin.component())
            .arg("--snapshot")
            .arg(&twin.fixtures()[0]);
        let scan = run(&mut command);
        let loaded = scan
            .stderr
            .lines()
            .find(|line| line.trim_start().starts_with(&format!("{} <- ", twin.id)))
            .unwrap_or_else(|| panic!("no load line for {}:\n{}", twin.id, scan.stderr));
        assert!(
            loaded.ends_with(&format!("declares it reads {declared})")),
            "{loaded}"
        );

        let mut permissions = host(shared_cache());
        permissions
            .args(["permissions", "--format", "json", "--plugins"])
            .arg(twin.component());
        let policy = run(&mut permissions).json();
        let actions: Vec<&str> = policy["Statement"][0]["Action"]
            .as_array()
            .unwrap()
            .iter()
            .map(|action| action.as_str().unwrap())
            .filter(|action| !action.starts_with("sts:"))
            .collect();
        let expected: &[&str] = match twin.language {
            "Python" => &["iam:GenerateCredentialReport", "iam:GetCredentialReport"],
            _ => &["iam:GetAccountSummary"],
        };
        assert_eq!(actions, expected, "{}: permissions", twin.id);
    }
}

/// `undeclared-read` declares the credential report and then also calls
/// `iam.account-summary`: the check ends as `error` naming that call, and
/// the scan never asked AWS for the account summary.
async fn a_call_outside_the_declared_reads_is_an_error_and_is_not_collected() {
    let endpoint = moto::start(&[]);
    let account = Account::on(&endpoint).await;
    let plugin = support::root().join("tests/plugins/undeclared-read/undeclared-read.wasm");
    let mut outcome = None;
    let calls = record(&endpoint, || {
        outcome = Some(scan_account(&account, &plugin));
    })
    .await;
    let outcome = outcome.unwrap();
    assert_eq!(outcome.code, 2, "{}", outcome.stderr);
    let report = outcome.json();
    let result = support::result(&report, "undeclared-read");
    assert_eq!(result["status"], "error");
    assert!(
        result["error"].as_str().unwrap().contains(
            "called iam.account-summary, which it did not declare with reads.declare \
             (it declared: iam.credential-report)"
        ),
        "{result:#}"
    );
    assert!(calls.contains_key("GetCredentialReport"), "{calls:?}");
    assert!(!calls.contains_key("GetAccountSummary"), "{calls:?}");
}
