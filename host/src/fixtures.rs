//! `host test`: runs check components against their fixtures, small
//! snapshots with an `expect` block, and says per fixture what was expected
//! and what came out. It builds nothing, so it runs any component, whatever
//! language built it; the first-party checks' fixture test runs through it.
//!
//! A check's fixtures are `fixtures/*.json` beside its component. A fixture
//! is a snapshot (the JSON `host collect` writes) plus:
//!
//! ```json
//! "expect": {
//!   "benchmark_version": "1.2.0",          // optional: judge as this CIS version
//!   "now": "2026-12-01",                   // optional, else the snapshot's collected_at
//!   "status": "fail",                      // the check's status
//!   "fail": ["arn:aws:iam::111122223333:user/bob"],   // optional, exactly these
//!   "pass": [], "error": [], "manual": [], "not-applicable": [],
//!   "message_contains": "iam:GetAccountSummary"        // optional, any finding or the error
//! }
//! ```

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use serde_json::{Map, Value};

use crate::cli::TestArgs;
use crate::progress::Progress;
use crate::report::untrusted::{escape, escape_path};
use crate::report::{self, CheckOutcome, Report, Status};
use crate::runtime::{LoadedCheck, Runtime, ScanData};
use crate::scan::{self, exit};
use crate::snapshot::Snapshot;

/// The finding statuses an expectation may list resources for, in the
/// order they are shown.
const FINDING_STATUSES: [Status; 5] = [
    Status::Pass,
    Status::Fail,
    Status::Manual,
    Status::NotApplicable,
    Status::Error,
];

pub fn test(args: TestArgs) -> anyhow::Result<u8> {
    let progress = Progress::new(args.output_level.quiet, args.output_level.verbose);
    let runtime = scan::build_runtime(&args.runtime)?;
    let checks = scan::load_checks(&runtime, &args.paths, &progress)?;
    if args.fixtures.is_some() && checks.len() != 1 {
        bail!(
            "--fixtures names the fixtures of one check, but the paths hold {} checks; \
             give one component",
            checks.len()
        );
    }
    let mut tally = Tally::default();
    let mut out = String::new();
    for check in &checks {
        let folder = match &args.fixtures {
            Some(folder) => folder.clone(),
            None => fixtures_folder(&check.path),
        };
        test_check(&runtime, check, &folder, args.update, &mut tally, &mut out)?;
    }
    let _ = writeln!(
        out,
        "{} fixtures of {} checks: {} as expected, {} not{}",
        tally.passed + tally.failed,
        checks.len(),
        tally.passed,
        tally.failed,
        if tally.updated > 0 {
            format!(" ({} updated)", tally.updated)
        } else {
            String::new()
        }
    );
    print!("{out}");
    Ok(if tally.failed > 0 && !args.update {
        exit::FAILED
    } else {
        exit::CLEAN
    })
}

#[derive(Default)]
struct Tally {
    passed: usize,
    failed: usize,
    updated: usize,
}

/// `fixtures/` beside the component.
fn fixtures_folder(component: &Path) -> PathBuf {
    component
        .parent()
        .unwrap_or(Path::new("."))
        .join("fixtures")
}

fn test_check(
    runtime: &Runtime,
    check: &LoadedCheck,
    folder: &Path,
    update: bool,
    tally: &mut Tally,
    out: &mut String,
) -> anyhow::Result<()> {
    let id = &check.metadata.id;
    let _ = writeln!(out, "{id} ({})", escape_path(&check.path));
    let fixtures = fixture_files(folder)?;
    if fixtures.is_empty() {
        tally.failed += 1;
        let _ = writeln!(
            out,
            "  FAIL  no fixtures in {}: add a pass and a fail snapshot with an `expect` block",
            folder.display()
        );
        return Ok(());
    }
    for path in fixtures {
        let name = path.file_stem().unwrap_or_default().to_string_lossy();
        let mut document = read_fixture(&path)?;
        let expected =
            expectation(&document).with_context(|| format!("fixture {}", path.display()))?;
        let (outcome, version) = run_fixture(runtime, check, &path, &expected)?;
        let observed = Observed::of(&outcome, version.as_deref());
        let problems = expected.compare(&observed);
        if problems.is_empty() {
            tally.passed += 1;
            let _ = writeln!(out, "  ok    {name}: {}", observed.summary());
            continue;
        }
        tally.failed += 1;
        let _ = writeln!(out, "  FAIL  {name}");
        for problem in &problems {
            let _ = writeln!(out, "          {problem}");
        }
        if update {
            document["expect"] = observed.expectation(&document["expect"]);
            let text = serde_json::to_string_pretty(&document)? + "\n";
            report::write_atomically(&path, text.as_bytes())?;
            tally.updated += 1;
            let _ = writeln!(out, "          updated {} to what came out", path.display());
        }
    }
    Ok(())
}

fn fixture_files(folder: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => {
            return Err(error).with_context(|| format!("cannot list {}", folder.display()));
        }
    };
    let mut files = Vec::new();
    for entry in entries {
        let path = entry?.path();
        if path.extension().is_some_and(|ext| ext == "json") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

fn read_fixture(path: &Path) -> anyhow::Result<Value> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read fixture {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("fixture {} is not JSON", path.display()))
}

/// What a fixture's `expect` block asks for.
struct Expected {
    benchmark_version: Option<String>,
    now: Option<String>,
    status: Status,
    /// Exactly these resources, sorted, per finding status named.
    resources: BTreeMap<Status, Vec<String>>,
    message_contains: Option<String>,
}

fn expectation(document: &Value) -> anyhow::Result<Expected> {
    let Some(expect) = document.get("expect").and_then(Value::as_object) else {
        bail!("it has no `expect` object (the status and findings the check should give)");
    };
    let text = |key: &str| -> anyhow::Result<Option<String>> {
        match expect.get(key) {
            None => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.clone())),
            Some(other) => bail!("`expect.{key}` must be a string, not {other}"),
        }
    };
    let status =
        parse_status(expect.get("status").context(
            "`expect.status` is missing (pass, fail, manual, not-applicable or error)",
        )?)?;
    let mut resources = BTreeMap::new();
    for finding_status in FINDING_STATUSES {
        let key = finding_status.name();
        if let Some(list) = expect.get(key) {
            let Some(items) = list.as_array() else {
                bail!("`expect.{key}` must be a list of resources");
            };
            let mut names = items
                .iter()
                .map(|item| item.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
                .with_context(|| format!("`expect.{key}` must list resources as strings"))?;
            names.sort();
            resources.insert(finding_status, names);
        }
    }
    Ok(Expected {
        benchmark_version: text("benchmark_version")?,
        now: text("now")?,
        status,
        resources,
        message_contains: text("message_contains")?,
    })
}

fn parse_status(value: &Value) -> anyhow::Result<Status> {
    FINDING_STATUSES
        .into_iter()
        .find(|status| value.as_str() == Some(status.name()))
        .with_context(|| {
            format!(
                "`expect.status` is {value}; expected pass, fail, manual, not-applicable or error"
            )
        })
}

/// Evaluates the check alone on the fixture, exactly as `host scan
/// --snapshot` would (the same evaluation and the same status rules), and
/// returns its outcome with the benchmark version it was judged as.
fn run_fixture(
    runtime: &Runtime,
    check: &LoadedCheck,
    path: &Path,
    expected: &Expected,
) -> anyhow::Result<(CheckOutcome, Option<String>)> {
    let snapshot = Snapshot::read(path)?;
    let now = match &expected.now {
        Some(now) => crate::timefmt::parse(now)
            .with_context(|| format!("fixture {}: `expect.now`", path.display()))?,
        None => snapshot.collected_at(),
    };
    let data = Arc::new(ScanData { snapshot, now });
    let quiet = Progress::new(true, false);
    let outcomes = scan::evaluate(runtime, std::slice::from_ref(check), data.clone(), &quiet);
    let report = Report::new(
        &data.snapshot,
        String::new(),
        expected.benchmark_version.clone(),
        outcomes,
        None,
    );
    let version = report
        .outcomes
        .first()
        .and_then(|outcome| report.applicable_version(outcome))
        .map(str::to_string);
    let outcome = report.outcomes.into_iter().next().expect("one check ran");
    Ok((outcome, version))
}

/// What came out of one fixture.
struct Observed {
    status: Status,
    resources: BTreeMap<Status, Vec<String>>,
    /// Every finding's message and the reason the check could not run.
    messages: Vec<String>,
}

impl Observed {
    /// `version`: the benchmark version judged, when the check has one.
    fn of(outcome: &CheckOutcome, version: Option<&str>) -> Self {
        let mut resources: BTreeMap<Status, Vec<String>> = BTreeMap::new();
        let mut messages = Vec::new();
        for judged in outcome.findings_for(version) {
            resources
                .entry(judged.status)
                .or_default()
                .push(judged.finding.resource.clone());
            messages.push(judged.finding.message.clone());
        }
        for list in resources.values_mut() {
            list.sort();
        }
        if let Err(reason) = &outcome.findings {
            messages.push(reason.clone());
        }
        Observed {
            status: outcome.status_for(version),
            resources,
            messages,
        }
    }

    fn resources(&self, status: Status) -> &[String] {
        self.resources.get(&status).map_or(&[], Vec::as_slice)
    }

    fn summary(&self) -> String {
        let mut parts = vec![self.status.name().to_string()];
        for (status, resources) in &self.resources {
            parts.push(format!("{} {}", resources.len(), status.name()));
        }
        if self.resources.is_empty() {
            parts.push("no findings".to_string());
        }
        parts.join(", ")
    }

    /// The `expect` block that this outcome meets: the old one's options
    /// (version, now, message) kept, the status and every finding status's
    /// resources written as observed.
    fn expectation(&self, old: &Value) -> Value {
        let mut expect = Map::new();
        for key in ["benchmark_version", "now"] {
            if let Some(value) = old.get(key) {
                expect.insert(key.to_string(), value.clone());
            }
        }
        expect.insert("status".into(), self.status.name().into());
        for status in FINDING_STATUSES {
            let listed_before = old.get(status.name()).is_some();
            if listed_before || self.resources.contains_key(&status) {
                expect.insert(status.name().into(), self.resources(status).into());
            }
        }
        if let Some(needle) = old.get("message_contains")
            && self.messages.iter().any(|message| {
                needle
                    .as_str()
                    .is_some_and(|needle| message.contains(needle))
            })
        {
            expect.insert("message_contains".into(), needle.clone());
        }
        Value::Object(expect)
    }
}

impl Expected {
    /// Every difference, each one line a person can act on.
    fn compare(&self, observed: &Observed) -> Vec<String> {
        let mut problems = Vec::new();
        if self.status != observed.status {
            problems.push(format!(
                "status: expected {}, got {}",
                self.status.name(),
                observed.status.name()
            ));
        }
        for (status, expected) in &self.resources {
            let got = observed.resources(*status);
            if expected.as_slice() != got {
                problems.push(format!(
                    "{} resources: expected [{}], got [{}]",
                    status.name(),
                    list(expected),
                    list(got)
                ));
            }
        }
        if let Some(needle) = &self.message_contains
            && !observed
                .messages
                .iter()
                .any(|message| message.contains(needle.as_str()))
        {
            problems.push(format!(
                "no finding message contains {:?}; messages: {}",
                needle,
                list(&observed.messages)
            ));
        }
        problems
    }
}

fn list(items: &[String]) -> String {
    items
        .iter()
        .map(|item| escape(item))
        .collect::<Vec<_>>()
        .join(", ")
}
