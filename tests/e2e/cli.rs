//! The command line as a user meets it: help, the demo, reports, exit codes,
//! bad input, an unreachable endpoint.

use libtest_mimic::Trial;

use crate::support;
use crate::support::{host, run};

pub fn tests() -> Vec<Trial> {
    e2e_tests![
        sync help_teaches_the_main_commands,
        sync the_demo_scan_prints_cis_ids_statuses_and_scores,
        sync the_json_report_has_the_documented_shape,
        sync scores_say_how_much_of_each_version_was_assessed,
        sync bad_input_gets_a_clear_error_and_exit_code_2,
        sync an_unreachable_endpoint_ends_the_scan_with_advice_and_no_report,
        sync no_credentials_is_said_in_two_lines_with_the_chain_behind_verbose,
        tokio a_terminal_shows_progress_bars_and_a_pipe_or_quiet_only_lines,
    ]
}

fn help_teaches_the_main_commands() {
    let cache = tempfile::tempdir().unwrap();
    let help = run(host(cache.path()).arg("--help"));
    assert_eq!(help.code, 0);
    for needle in ["scan", "collect", "Exit codes", "--plugins checks/"] {
        assert!(
            help.stdout.contains(needle),
            "--help lacks {needle:?}:\n{}",
            help.stdout
        );
    }
    let scan_help = run(host(cache.path()).args(["scan", "--help"]));
    for needle in [
        "--snapshot",
        "--now",
        "--benchmark-version",
        "--format",
        "--output",
        "--timeout",
        "--memory-limit",
    ] {
        assert!(
            scan_help.stdout.contains(needle),
            "scan --help lacks {needle}"
        );
    }
}

fn the_demo_scan_prints_cis_ids_statuses_and_scores() {
    let cache = tempfile::tempdir().unwrap();
    let mut command = host(cache.path());
    command
        .args(["scan", "--plugins"])
        .arg(support::checks_dir())
        .arg("--snapshot")
        .arg(support::demo_snapshot());
    let demo = run(&mut command);
    assert_eq!(
        demo.code, 1,
        "the demo account has failures: {}",
        demo.stderr
    );
    let row = |check: &str| {
        demo.stdout
            .lines()
            .find(|line| line.contains(check))
            .unwrap_or_default()
            .to_string()
    };
    assert!(
        row("root-no-access-keys").starts_with("2.4 "),
        "{}",
        demo.stdout
    );
    assert!(row("root-no-access-keys").ends_with("PASS"));
    assert!(
        row("pw-policy-min-length-14").starts_with("2.8 ")
            && row("pw-policy-min-length-14").ends_with("FAIL")
    );
    assert!(
        demo.stdout
            .contains("user/bob: console user bob has a password but no MFA device"),
        "{}",
        demo.stdout
    );
    let centralized = row("iam-centralized-user-management");
    assert!(
        centralized.starts_with("2.19 ")
            && centralized.contains("Manual")
            && centralized.ends_with("MANUAL"),
        "{centralized}"
    );
    assert!(
        demo.stdout.contains("SAML providers: 1 (CorporateIdP"),
        "manual findings carry their evidence: {}",
        demo.stdout
    );
    assert!(
        demo.stdout
            .contains("*v7.0.0   Level 1:   17% (4/23 passed; 23 of 23 assessed)"),
        "{}",
        demo.stdout
    );

    let legacy = run(host(cache.path())
        .args(["scan", "--benchmark-version", "1.2.0", "--plugins"])
        .arg(support::checks_dir())
        .arg("--snapshot")
        .arg(support::demo_snapshot()));
    let row = legacy
        .stdout
        .lines()
        .find(|line| line.contains("root-no-access-keys"))
        .unwrap();
    assert!(row.starts_with("1.12 ") && row.contains("Scored"), "{row}");
}

fn the_json_report_has_the_documented_shape() {
    let cache = tempfile::tempdir().unwrap();
    let output = cache.path().join("report.json");
    let scan = run(host(cache.path())
        .args(["scan", "--format", "json", "--plugins"])
        .arg(support::checks_dir())
        .arg("--snapshot")
        .arg(support::demo_snapshot())
        .arg("--output")
        .arg(&output));
    assert_eq!(scan.code, 1);
    assert!(
        scan.stdout.is_empty(),
        "--output sends the report to the file only"
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&output).unwrap()).unwrap();
    let results = report["results"].as_array().unwrap();
    assert_eq!(results.len(), support::first_party_check_ids().len());
    for result in results {
        for key in ["check", "title", "status", "benchmarks", "findings"] {
            assert!(result.get(key).is_some(), "result lacks {key}: {result}");
        }
        assert!(
            ["pass", "fail", "manual", "not-applicable", "error"]
                .contains(&result["status"].as_str().unwrap())
        );
        for reference in result["benchmarks"].as_array().unwrap() {
            for key in ["benchmark", "version", "id", "scoring", "level"] {
                assert!(reference.get(key).is_some(), "benchmark lacks {key}");
            }
        }
        for finding in result["findings"].as_array().unwrap() {
            for key in ["resource", "region", "status", "message"] {
                assert!(finding.get(key).is_some(), "finding lacks {key}");
            }
        }
    }
    let root_keys = support::result(&report, "root-no-access-keys");
    let v1_2 = root_keys["benchmarks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["version"] == "1.2.0")
        .unwrap();
    assert_eq!(v1_2["id"], "1.12");
    assert_eq!(v1_2["scoring"], "Scored");
    assert_eq!(v1_2["level"], 1);
    let score = report["scores"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["version"] == "7.0.0" && s["level"] == 1)
        .unwrap();
    assert_eq!(
        (score["passed"].as_u64(), score["failed"].as_u64()),
        (Some(4), Some(19)),
        "manual recommendations never count: {score}"
    );
}

/// A scan with only the IAM checks scores what it judged and says it
/// assessed only part of each version.
fn scores_say_how_much_of_each_version_was_assessed() {
    let cache = tempfile::tempdir().unwrap();
    let scan = |format: &str| {
        run(host(cache.path())
            .args(["scan", "--format", format, "--plugins"])
            .arg(support::root().join("checks/iam"))
            .arg("--snapshot")
            .arg(support::demo_snapshot()))
    };
    let table = scan("table");
    assert!(
        table
            .stdout
            .contains("*v7.0.0   Level 1:   27% (3/11 passed; 11 of 23 assessed)"),
        "{}",
        table.stdout
    );
    let report = scan("json").json();
    let score = report["scores"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["version"] == "7.0.0" && s["level"] == 2)
        .unwrap()
        .clone();
    assert_eq!(
        (
            score["assessed"].as_u64(),
            score["recommendations"].as_u64()
        ),
        (Some(11), Some(34)),
        "{score}"
    );
}

fn bad_input_gets_a_clear_error_and_exit_code_2() {
    let cache = tempfile::tempdir().unwrap();
    let checks = support::checks_dir();
    let demo = support::demo_snapshot();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec!["--now".into(), "yesterday".into()], "RFC 3339"),
        (
            vec!["--benchmark-version".into(), "9.9.9".into()],
            "known versions: 1.2.0, 1.3.0",
        ),
        (
            vec!["--timeout".into(), "0".into()],
            "--timeout must be a positive",
        ),
        (vec!["--format".into(), "xml".into()], "invalid value 'xml'"),
    ];
    for (args, expected) in cases {
        let outcome = run(host(cache.path())
            .args(["scan", "--plugins"])
            .arg(&checks)
            .arg("--snapshot")
            .arg(&demo)
            .args(&args));
        assert_eq!(outcome.code, 2, "{args:?}: {}", outcome.stderr);
        assert!(
            outcome.stderr.contains(expected),
            "{args:?}: {}",
            outcome.stderr
        );
    }

    // A live scan refuses bad arguments before any AWS call: the endpoint
    // here does not answer, and the error is still about the argument.
    for (args, expected) in [
        (["--now", "yesterday"], "RFC 3339"),
        (
            ["--benchmark-version", "8.0.0"],
            "there is no CIS AWS Foundations v8.0.0",
        ),
    ] {
        let outcome = run(host(cache.path())
            .args(["scan", "--plugins"])
            .arg(&checks)
            .args(args)
            .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_ACCESS_KEY_ID", "test")
            .env("AWS_SECRET_ACCESS_KEY", "test"));
        assert_eq!(outcome.code, 2, "{args:?}: {}", outcome.stderr);
        assert!(
            outcome.stderr.contains(expected) && !outcome.stderr.contains("GetCallerIdentity"),
            "{args:?}: {}",
            outcome.stderr
        );
    }

    let not_a_snapshot = cache.path().join("bogus.json");
    std::fs::write(&not_a_snapshot, "{\"hello\": 1}").unwrap();
    let outcome = run(host(cache.path())
        .args(["scan", "--plugins"])
        .arg(&checks)
        .arg("--snapshot")
        .arg(&not_a_snapshot));
    assert_eq!(outcome.code, 2);
    assert!(
        outcome.stderr.contains("is not a valid Plumbline snapshot"),
        "{}",
        outcome.stderr
    );
}

fn an_unreachable_endpoint_ends_the_scan_with_advice_and_no_report() {
    let cache = tempfile::tempdir().unwrap();
    let closed_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let output = cache.path().join("report.json");
    let outcome = run(host(cache.path())
        .args(["scan", "--plugins"])
        .arg(support::checks_dir())
        .arg("--output")
        .arg(&output)
        .env(
            "AWS_ENDPOINT_URL",
            format!("http://127.0.0.1:{closed_port}"),
        )
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_MAX_ATTEMPTS", "1"));
    assert_eq!(outcome.code, 2);
    assert!(
        outcome.stderr.contains("sts:GetCallerIdentity"),
        "{}",
        outcome.stderr
    );
    assert!(
        outcome.stderr.contains("AWS_ENDPOINT_URL"),
        "{}",
        outcome.stderr
    );
    assert!(!output.exists());
}

/// A new user with no credentials configured: what failed and what to do,
/// in two lines; the SDK's provider chain only with --verbose.
fn no_credentials_is_said_in_two_lines_with_the_chain_behind_verbose() {
    let cache = tempfile::tempdir().unwrap();
    let scan = |extra: &str| {
        run(host(cache.path())
            .args(["scan", extra, "--plugins"])
            .arg(support::check("root-mfa"))
            .env("AWS_REGION", "us-east-1"))
    };
    let quiet = scan("--quiet");
    assert_eq!(quiet.code, 2);
    let lines: Vec<&str> = quiet.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{}", quiet.stderr);
    assert!(
        lines[0].starts_with("error: no AWS credentials found: tried the environment"),
        "{}",
        quiet.stderr
    );
    assert!(lines[1].contains("AWS_PROFILE"), "{}", quiet.stderr);
    assert!(
        !quiet.stderr.contains("CredentialsNotLoaded"),
        "{}",
        quiet.stderr
    );

    let verbose = scan("--verbose");
    assert!(
        verbose.stderr.contains("no credentials found in chain"),
        "--verbose shows the SDK's chain: {}",
        verbose.stderr
    );
}

/// `command` run with a pseudo-terminal as its stdin, stdout and stderr
/// (util-linux `script`); returns what the terminal showed.
fn on_a_terminal(command: &std::process::Command) -> String {
    let line: Vec<String> = std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|part| format!("'{}'", part.to_string_lossy().replace('\'', "'\\''")))
        .collect();
    let mut script = std::process::Command::new("script");
    script.args(["-qec", &line.join(" "), "/dev/null"]);
    for (key, value) in command.get_envs() {
        match value {
            Some(value) => script.env(key, value),
            None => script.env_remove(key),
        };
    }
    let output = script.output().expect("run script (util-linux)");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A live scan of a moto account on a terminal draws a bar over the data
/// sets it collects and one over the checks it evaluates; piped, or with
/// --quiet, there are only the plain step lines (or nothing).
async fn a_terminal_shows_progress_bars_and_a_pipe_or_quiet_only_lines() {
    let account = support::moto::Account::new().await;
    let scan = |extra: &[&str]| {
        let mut command = host(&support::shared_dir("progress-compile-cache"));
        command
            .args(["scan", "--format", "json", "--output"])
            .arg(support::shared_dir("progress-report").join("report.json"))
            .arg("--plugins")
            .arg(support::check("root-mfa"))
            .arg("--plugins")
            .arg(support::check("pw-policy-min-length-14"))
            .args(extra);
        account.configure(&mut command);
        command
    };
    let terminal = on_a_terminal(&scan(&[]));
    assert!(terminal.contains("/2 data sets collected"), "{terminal}");
    assert!(terminal.contains("/2 checks evaluated"), "{terminal}");

    let piped = run(&mut scan(&[]));
    assert!(
        piped.stderr.contains("Evaluating 2 checks"),
        "{}",
        piped.stderr
    );
    assert!(
        !piped.stderr.contains("checks evaluated"),
        "{}",
        piped.stderr
    );
    assert!(!piped.stderr.contains('\r'), "no redraws in a pipe");

    let quiet = on_a_terminal(&scan(&["--quiet"]));
    assert!(!quiet.contains("checks evaluated"), "{quiet}");
    assert!(!quiet.contains("Evaluating"), "{quiet}");
}
