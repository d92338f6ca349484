//! Hostile plugins built from source by the test pipeline: one loops forever
//! (writing to stderr without end), one allocates without bound, one traps.
//! Each must end as `error` with the reason while every other check's result
//! stays exactly what it is without them.

use std::path::Path;

use libtest_mimic::Trial;

use crate::support;
use crate::support::{host, run};

pub fn tests() -> Vec<Trial> {
    e2e_tests![
        sync hostile_plugins_are_contained_and_the_rest_of_the_scan_is_unchanged,
        sync guest_output_is_captured_bounded_and_shown_only_with_verbose,
        sync a_trapping_check_yields_error_in_the_table_too,
        sync a_check_cannot_reach_the_environment_files_network_or_stdin,
    ]
}

const HOSTILE: [&str; 4] = [
    "hostile-loop",
    "hostile-alloc",
    "hostile-trap",
    "hostile-snoop",
];

fn scan(cache: &Path, extra_plugins: &[std::path::PathBuf], extra_args: &[&str]) -> support::Run {
    let mut command = host(cache);
    command
        .args([
            "scan",
            "--format",
            "json",
            "--timeout",
            "1",
            "--memory-limit",
            "64",
            "--plugins",
        ])
        .arg(support::checks_dir())
        .arg("--snapshot")
        .arg(support::demo_snapshot())
        .args(extra_args);
    for plugin in extra_plugins {
        command.arg("--plugins").arg(plugin);
    }
    run(&mut command)
}

fn hostile_plugins_are_contained_and_the_rest_of_the_scan_is_unchanged() {
    let cache = tempfile::tempdir().unwrap();
    let hostile: Vec<_> = HOSTILE
        .iter()
        .map(|name| support::test_plugin(name))
        .collect();

    let clean = scan(cache.path(), &[], &[]);
    let attacked = scan(cache.path(), &hostile, &[]);
    let clean_report = clean.json();
    let report = attacked.json();

    let reason = |check: &str| -> String {
        let result = support::result(&report, check);
        assert_eq!(result["status"], "error", "{check}: {result:#}");
        result["error"].as_str().unwrap_or_default().to_string()
    };
    let looping = reason("hostile-loop");
    assert!(
        looping.contains("timed out") && looping.contains("1 s"),
        "{looping}"
    );
    let hoarding = reason("hostile-alloc");
    assert!(hoarding.contains("memory limit of 64 MiB"), "{hoarding}");
    let trapping = reason("hostile-trap");
    assert!(
        trapping.contains("unreachable") && trapping.contains("deliberate panic"),
        "{trapping}"
    );

    for check in support::first_party_check_ids() {
        assert_eq!(
            support::result(&clean_report, &check),
            support::result(&report, &check),
            "{check} changed when hostile plugins ran beside it"
        );
    }
    assert_eq!(
        clean_report["scores"], report["scores"],
        "hostile plugins have no benchmark references"
    );
    assert_eq!(clean.code, 1, "the demo account has failing checks");
    assert_eq!(
        attacked.code, 2,
        "a check that could not evaluate makes the scan exit 2"
    );
}

fn guest_output_is_captured_bounded_and_shown_only_with_verbose() {
    let cache = tempfile::tempdir().unwrap();
    let looping = support::test_plugin("hostile-loop");
    let quiet = scan(cache.path(), std::slice::from_ref(&looping), &[]);
    assert!(
        !quiet.stderr.contains("hostile-loop round"),
        "guest stderr leaked without --verbose"
    );
    assert!(
        !quiet.stdout.contains("hostile-loop round"),
        "guest output reached the report"
    );

    let verbose = scan(cache.path(), &[looping], &["--verbose"]);
    assert!(
        verbose.stderr.contains("hostile-loop round 1\n"),
        "{}",
        verbose.stderr
    );
    assert!(
        verbose.stderr.contains("lines omitted"),
        "long guest output is cut in the log"
    );
    let rounds = verbose.stderr.matches("hostile-loop round").count();
    assert!(
        rounds <= 20,
        "at most the head and tail of guest stderr is shown, got {rounds} lines"
    );
}

fn a_trapping_check_yields_error_in_the_table_too() {
    let cache = tempfile::tempdir().unwrap();
    let trap = support::test_plugin("hostile-trap");
    let mut command = host(cache.path());
    command
        .args(["scan", "--plugins"])
        .arg(&trap)
        .arg("--snapshot")
        .arg(support::demo_snapshot());
    let table = run(&mut command);
    assert_eq!(table.code, 2);
    let row = table
        .stdout
        .lines()
        .find(|line| line.contains("hostile-trap"))
        .unwrap();
    assert!(row.trim_end().ends_with("ERROR"), "{row}");
    assert!(
        table.stdout.contains("deliberate panic"),
        "{}",
        table.stdout
    );
}

fn a_check_cannot_reach_the_environment_files_network_or_stdin() {
    let cache = tempfile::tempdir().unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut snapshot: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(support::demo_snapshot()).unwrap()).unwrap();
    snapshot["regions"] = serde_json::json!(["us-east-1", format!("listener-port-{port}")]);
    let snapshot_path = cache.path().join("snapshot.json");
    std::fs::write(&snapshot_path, snapshot.to_string()).unwrap();

    let mut command = host(cache.path());
    command
        .args(["scan", "--format", "json", "--plugins"])
        .arg(support::test_plugin("hostile-snoop"))
        .arg("--snapshot")
        .arg(&snapshot_path)
        .env("AWS_SECRET_ACCESS_KEY", "must-not-leak")
        .env("AWS_ACCESS_KEY_ID", "AKIAMUSTNOTLEAK");
    let snoop = run(&mut command);
    let report = snoop.json();
    let findings = support::result(&report, "hostile-snoop")["findings"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(findings.len(), 10, "{findings:#?}");
    let escapes: Vec<_> = findings.iter().filter(|f| f["status"] != "pass").collect();
    assert!(
        escapes.is_empty(),
        "the sandbox let a check through: {escapes:#?}"
    );
    assert!(!snoop.stdout.contains("must-not-leak") && !snoop.stdout.contains("AKIAMUSTNOTLEAK"));
    listener.set_nonblocking(true).unwrap();
    assert!(
        listener.accept().is_err(),
        "the check connected to the host's listener"
    );
}
