//! The HTML report in a real browser: Debian's headless Chromium, driven by
//! playwright-core (`tests/browser/html-report.mjs`), opens the report of one
//! scan and uses it as a person would: the chart, the section counts, the
//! filters, the search, the version switcher, a manual check's evidence and
//! audit steps, a link to a filtered view. Each answer is compared with the
//! JSON report of the same scan. The page must load nothing from the network, raise no error and run
//! no script a finding carries. The tests save a screenshot of each report
//! under `$CARGO_TARGET_TMPDIR/screenshots/` for a person to look at.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use libtest_mimic::Trial;
use serde_json::Value;

use crate::support::{self, Run, host, run};

pub fn tests() -> Vec<Trial> {
    e2e_tests![
        sync the_report_opens_and_filtering_to_fail_shows_exactly_the_failing_checks,
        sync search_level_section_and_version_filters_show_what_they_name,
        sync markup_in_findings_stays_text_and_runs_nothing,
    ]
}

/// One scan of `plugins` on the demo account, as HTML and JSON, with a
/// waiver in force and an expired one.
fn scan(plugins: &Path) -> (tempfile::TempDir, Value) {
    let out = tempfile::tempdir().unwrap();
    let waivers = out.path().join("waivers.toml");
    std::fs::write(
        &waivers,
        "[[waiver]]\ncheck = \"iam-user-console-mfa\"\nresource = \"arn:aws:iam::*:user/bob\"\n\
         reason = \"token on order\"\nowner = \"secops\"\nexpires = 2027-01-31\n\n\
         [[waiver]]\ncheck = \"root-hardware-mfa\"\nreason = \"hardware key in the mail\"\n\
         owner = \"it\"\nexpires = 2026-01-31\n",
    )
    .unwrap();
    let mut command = host(&support::shared_dir("html-report-compile-cache"));
    command
        .args(["scan", "--quiet", "--format", "html,json", "--output-dir"])
        .arg(out.path())
        .arg("--snapshot")
        .arg(support::demo_snapshot())
        .arg("--plugins")
        .arg(plugins)
        .arg("--waivers")
        .arg(&waivers);
    let scanned = run(&mut command);
    assert!(scanned.code <= 1, "{}", scanned.stderr);
    let json = serde_json::from_str(
        &std::fs::read_to_string(out.path().join("plumbline-report.json")).unwrap(),
    )
    .unwrap();
    (out, json)
}

/// What the browser saw (see `tests/browser/html-report.mjs`).
fn open_in_browser(report: &Path, screenshot: &str, extra: &[&str]) -> Value {
    let screenshots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&screenshots).unwrap();
    let screenshot = screenshots.join(screenshot);
    let output = Command::new("node")
        .arg(support::root().join("tests/browser/html-report.mjs"))
        .arg(report.join("plumbline-report.html"))
        .arg("--screenshot")
        .arg(&screenshot)
        .args(extra)
        .current_dir(support::root())
        .output()
        .expect("run node (Node.js 20; scripts/setup-node.sh installs playwright-core)");
    let opened = Run::from(output);
    assert_eq!(
        opened.code, 0,
        "the browser run failed:\n{}{}",
        opened.stdout, opened.stderr
    );
    let seen: Value = serde_json::from_str(opened.stdout.trim()).unwrap();
    assert!(
        screenshot.exists(),
        "no screenshot at {}",
        screenshot.display()
    );
    eprintln!("screenshot: {}", screenshot.display());
    for problem in [
        "dialogs",
        "page_errors",
        "console_errors",
        "network_requests",
    ] {
        assert_eq!(seen[problem], serde_json::json!([]), "{problem}: {seen}");
    }
    seen
}

/// The check ids the browser showed, each with its status.
fn shown_checks(recommendations: &Value) -> BTreeSet<(String, String)> {
    recommendations
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|recommendation| recommendation["checks"].as_array().unwrap())
        .map(|check| {
            (
                check["check"].as_str().unwrap().to_string(),
                check["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The checks of the JSON report whose status is `status`.
fn json_checks(report: &Value, status: &str) -> BTreeSet<(String, String)> {
    report["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|result| result["status"] == status)
        .map(|result| (result["check"].as_str().unwrap().to_string(), status.into()))
        .collect()
}

fn the_report_opens_and_filtering_to_fail_shows_exactly_the_failing_checks() {
    let (out, report) = scan(&support::checks_dir());
    let seen = open_in_browser(out.path(), "demo-account.png", &[]);

    assert!(
        seen["title"].as_str().unwrap().contains("123456789012"),
        "{}",
        seen["title"]
    );
    let facts = seen["facts"].as_str().unwrap();
    for fact in ["123456789012", "2026-11-26T00:00:00Z", "v7.0.0"] {
        assert!(facts.contains(fact), "{fact} in {facts}");
    }
    assert_eq!(seen["version"], "7.0.0");

    // The chart: one bar per score, as long as its percentage.
    let scores = report["scores"].as_array().unwrap();
    let bars = seen["chart"].as_array().unwrap();
    assert_eq!(bars.len(), scores.len(), "{bars:?}");
    let mut full_widths = Vec::new();
    for score in scores {
        let bar = bars
            .iter()
            .find(|bar| bar["version"] == score["version"] && bar["level"] == score["level"])
            .unwrap_or_else(|| panic!("no bar for {score}"));
        let percent = score["percent"].as_f64().unwrap();
        assert_eq!(bar["percent"], format!("{percent:.1}"), "{bar}");
        let width = bar["width"].as_f64().unwrap();
        assert!(width > 0.0, "{bar}");
        full_widths.push(width * 100.0 / percent);
    }
    let (shortest, longest) = full_widths
        .iter()
        .fold((f64::MAX, 0.0f64), |(low, high), w| {
            (low.min(*w), high.max(*w))
        });
    assert!(
        longest - shortest < 0.5,
        "every bar is drawn to one scale: {full_widths:?}"
    );
    let chart_text = seen["chart_text"].as_str().unwrap();
    let first = &scores.iter().rev().find(|s| s["level"] == 1).unwrap();
    let summary = format!(
        "{}/{} passed; {} of {} assessed",
        first["passed"],
        first["passed"].as_u64().unwrap() + first["failed"].as_u64().unwrap(),
        first["assessed"],
        first["recommendations"]
    );
    assert!(chart_text.contains(&summary), "{summary} in {chart_text}");

    // Filtering to "fail" shows exactly the checks the JSON says fail.
    let failing = json_checks(&report, "fail");
    assert!(failing.len() > 10, "{failing:?}");
    assert_eq!(shown_checks(&seen["fail"]), failing);
    assert!(
        seen["first_failing_rows"].as_u64().unwrap() > 0,
        "a failing check opens on its findings"
    );

    // The view is in the address: a link to it opens the same filters.
    assert!(
        seen["fail_hash"].as_str().unwrap().contains("status=fail"),
        "{}",
        seen["fail_hash"]
    );
    let from_link = &seen["from_link"];
    assert_eq!(from_link["status"], "fail");
    assert_eq!(from_link["level"], "1");
    let failing_at_level_1: BTreeSet<(String, String)> = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|result| {
            result["status"] == "fail"
                && result["benchmarks"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|reference| reference["version"] == "7.0.0" && reference["level"] == 1)
        })
        .map(|result| (result["check"].as_str().unwrap().to_string(), "fail".into()))
        .collect();
    assert!(!failing_at_level_1.is_empty());
    assert_eq!(
        shown_checks(&from_link["recommendations"]),
        failing_at_level_1
    );

    // The section counts add up to every recommendation listed.
    let counted: u64 = seen["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|section| section["counts"].as_object().unwrap().values())
        .map(|count| count.as_u64().unwrap())
        .sum();
    assert_eq!(counted as usize, seen["all"].as_array().unwrap().len());
    let waived = json_checks(&report, "waived");
    assert_eq!(
        shown_checks(&seen["all"])
            .into_iter()
            .filter(|(_, status)| status == "waived")
            .collect::<BTreeSet<_>>(),
        waived
    );

    let waivers = seen["waivers"].as_str().unwrap();
    assert!(
        waivers.contains("Expired") && waivers.contains("hardware key in the mail"),
        "{waivers}"
    );

    // A manual check shows its audit steps and its evidence.
    let manual = seen["manual_check"].as_str().unwrap();
    assert!(
        manual.contains("What is checked") && manual.contains("How to fix"),
        "{manual}"
    );
    let manual_result = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|result| result["status"] == "manual")
        .unwrap();
    let evidence = manual_result["findings"][0]["message"].as_str().unwrap();
    assert!(manual.contains(evidence), "{evidence} in {manual}");
}

fn search_level_section_and_version_filters_show_what_they_name() {
    let (out, report) = scan(&support::checks_dir());
    let seen = open_in_browser(out.path(), "demo-account-filters.png", &[]);

    let about_bob: BTreeSet<String> = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|result| {
            result["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|finding| {
                    finding["resource"].as_str().unwrap().contains("user/bob")
                        || finding["message"].as_str().unwrap().contains("user/bob")
                })
        })
        .map(|result| result["check"].as_str().unwrap().to_string())
        .collect();
    let found: BTreeSet<String> = shown_checks(&seen["search_bob"])
        .into_iter()
        .map(|(check, _)| check)
        .collect();
    assert!(!about_bob.is_empty());
    assert_eq!(found, about_bob, "searching user/bob");

    let level_2 = seen["level_2"].as_array().unwrap();
    assert!(!level_2.is_empty());
    assert!(level_2.iter().all(|rec| rec["level"] == "2"), "{level_2:?}");

    let section = seen["sections"][0]["section"].as_str().unwrap();
    let in_section = seen["first_section"].as_array().unwrap();
    assert!(!in_section.is_empty());
    assert!(in_section.iter().all(|rec| rec["section"] == section));

    // The oldest version lists that version's recommendations, by its ids.
    assert_eq!(seen["switched"]["version"], "1.2.0");
    let table: Vec<Value> = serde_json::from_str(
        &std::fs::read_to_string(support::root().join("benchmarks/cis-aws-v1.2.0.json")).unwrap(),
    )
    .unwrap();
    let shown: Vec<&str> = seen["switched"]["recommendations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|rec| rec["id"].as_str().unwrap())
        .filter(|id| !id.is_empty())
        .collect();
    let expected: Vec<&str> = table
        .iter()
        .map(|rec| rec["id"].as_str().unwrap())
        .collect();
    assert_eq!(shown, expected);
}

fn markup_in_findings_stays_text_and_runs_nothing() {
    let plugins = tempfile::tempdir().unwrap();
    std::fs::copy(
        support::test_plugin("hostile-text"),
        plugins.path().join("hostile-text.wasm"),
    )
    .unwrap();
    std::fs::copy(
        support::check("root-mfa"),
        plugins.path().join("root-mfa.wasm"),
    )
    .unwrap();
    let (out, _) = scan(plugins.path());
    let html = std::fs::read_to_string(out.path().join("plumbline-report.html")).unwrap();
    assert_eq!(
        html.matches("<script").count(),
        2,
        "only the page's data and its own script"
    );
    let seen = open_in_browser(out.path(), "hostile-text.png", &["--open-every-check"]);
    let text = seen["page_text"].as_str().unwrap();
    assert!(
        text.contains("</failure><script>alert('pwned')</script><img src=x onerror=alert(1)>"),
        "the markup is shown as text: {text}"
    );
}
