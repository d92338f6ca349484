//! The HTML report at scale: scans synthetic accounts large enough for 5,000
//! and more findings with the `host` binary, then opens each report in
//! headless Chromium (`tests/browser/html-report.mjs`) and prints how long
//! writing it, loading and drawing it, filtering to the failures, opening a
//! check with thousands of findings, searching and switching the CIS
//! version take, and the page script's heap.
//!
//!     scripts/build-components.sh && scripts/setup-node.sh && \
//!         cargo bench -p plumbline-host --bench html_report
//!
//! Not a test: nothing here asserts a time.

mod support;
#[path = "support/synthetic.rs"]
mod synthetic;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::Value;
use support::{best_of, fmt, row};

/// About 1,600, 5,500 and 16,000 findings from the first-party checks.
const USER_COUNTS: [usize; 3] = [200, 700, 2_000];
const ROUNDS: u32 = 3;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf();
    let work = tempfile::tempdir().unwrap();
    let cache = work.path().join("compile-cache");
    row("step", "time");
    for users in USER_COUNTS {
        let snapshot = work.path().join(format!("snapshot-{users}.json"));
        synthetic::account(users).write(&snapshot).unwrap();
        let out = work.path().join(format!("report-{users}"));
        // The first scan compiles the checks into the cache; time the next.
        scan(&root, &cache, &snapshot, &out, "json");
        let json_only = best_of(ROUNDS, || scan(&root, &cache, &snapshot, &out, "json"));
        let with_html = best_of(ROUNDS, || scan(&root, &cache, &snapshot, &out, "json,html"));
        let report: Value = serde_json::from_str(
            &std::fs::read_to_string(out.join("plumbline-report.json")).unwrap(),
        )
        .unwrap();
        let findings: usize = report["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|result| result["findings"].as_array().unwrap().len())
            .sum();
        let html = out.join("plumbline-report.html");
        let size = std::fs::metadata(&html).unwrap().len();
        let label = format!("{findings} findings");
        row(format!("{label}: scan, json"), fmt(json_only));
        row(
            format!(
                "{label}: scan, json + html ({:.1} MB; best of {ROUNDS})",
                size as f64 / 1e6
            ),
            fmt(with_html),
        );
        let seen = open_in_browser(&root, &html, work.path());
        for (step, name) in [
            ("load_and_draw", "open and draw"),
            ("filter_to_fail", "filter to fail"),
            ("open_first_failing_check", "open the first failing check"),
            ("open_largest_check", "open the largest check"),
            ("search", "search (120 ms debounce included)"),
            ("switch_version", "switch to v1.2.0"),
        ] {
            let millis = seen["timings_ms"][step].as_u64().unwrap_or_default();
            row(
                format!("{label}: browser, {name}"),
                fmt(Duration::from_millis(millis)),
            );
        }
        row(
            format!("{label}: largest check, rows drawn on opening",),
            format!(
                "{} of {}",
                seen["largest_check_rows"], seen["largest_check_findings"]
            ),
        );
        row(
            format!("{label}: browser, page script heap after drawing"),
            format!(
                "{:.1} MB",
                seen["js_heap_bytes"].as_f64().unwrap_or_default() / 1e6
            ),
        );
    }
}

fn scan(root: &Path, cache: &Path, snapshot: &Path, out: &Path, formats: &str) {
    let output = Command::new(env!("CARGO_BIN_EXE_host"))
        .args(["scan", "--quiet", "--format", formats, "--output-dir"])
        .arg(out)
        .arg("--snapshot")
        .arg(snapshot)
        .arg("--plugins")
        .arg(root.join("checks"))
        .env("PLUMBLINE_CACHE_DIR", cache)
        .env("PLUMBLINE_PACKS_DIR", cache.join("packs"))
        .env("PLUMBLINE_CONFIG_DIR", cache.join("config"))
        .output()
        .unwrap();
    // The synthetic account holds only IAM, EC2 and S3 data: the checks of
    // the other services end as `error` (exit code 2) but are still reported.
    assert!(
        output.status.code().is_some_and(|code| code <= 2)
            && out.join("plumbline-report.json").exists(),
        "scan failed ({}; run scripts/build-components.sh first): {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
}

fn open_in_browser(root: &Path, html: &Path, work: &Path) -> Value {
    let screenshot: PathBuf = work.join("screenshot.png");
    let output = Command::new("node")
        .arg(root.join("tests/browser/html-report.mjs"))
        .arg(html)
        .arg("--screenshot")
        .arg(&screenshot)
        .current_dir(root)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "the browser run failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}
