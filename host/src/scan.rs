//! The scan pipeline: load, plan, collect (or read a snapshot), evaluate,
//! report.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use crate::cli::{AwsArgs, CollectArgs, ReportFormat, RuntimeArgs, ScanArgs};
use crate::collect::{self, AwsTarget};
use crate::progress::{Progress, seconds};
use crate::registry::Plan;
use crate::report::results::Guidance;
use crate::report::untrusted::{escape, escape_path};
use crate::report::{self, CheckOutcome, Report, Status};
use crate::runtime::{self, Compilation, Limits, LoadedCheck, Runtime, ScanData};
use crate::snapshot::Snapshot;

/// Process exit codes.
pub mod exit {
    pub const CLEAN: u8 = 0;
    pub const FAILED: u8 = 1;
    pub const ERROR: u8 = 2;
}

pub fn scan(args: ScanArgs) -> anyhow::Result<u8> {
    // Bad arguments are refused before any AWS call or compilation.
    if let Some(version) = &args.benchmark_version
        && crate::benchmarks::find(version).is_none()
    {
        bail!(
            "there is no CIS AWS Foundations v{version}; known versions: {}",
            crate::benchmarks::versions().collect::<Vec<_>>().join(", ")
        );
    }
    let injected_now = args
        .now
        .as_deref()
        .map(crate::timefmt::parse)
        .transpose()
        .context("--now")?;
    let progress = Progress::new(args.output_level.quiet, args.output_level.verbose);
    // Read before any AWS call: a bad waivers file stops the scan at once.
    let waivers = args
        .waivers
        .as_deref()
        .map(crate::waivers::Waivers::read)
        .transpose()?;
    let runtime = build_runtime(&args.runtime)?;
    let checks = load_scan_checks(&runtime, &args, &progress)?;

    let snapshot = match &args.snapshot {
        Some(path) => {
            let snapshot = Snapshot::read(path)?;
            progress.step(format!(
                "Using snapshot {} (account {}, collected {})",
                path.display(),
                snapshot.account_id,
                snapshot.collected_at
            ));
            snapshot
        }
        None => collect_live(&args.aws, &plan_for(&checks), &progress)?,
    };
    let now = match injected_now {
        Some(now) => now,
        None if args.snapshot.is_some() => snapshot.collected_at(),
        None => crate::timefmt::now(),
    };
    let evaluated_at = crate::timefmt::format(now);

    progress.step(format!("Evaluating {} checks", checks.len()));
    let data = Arc::new(ScanData { snapshot, now });
    let outcomes = evaluate(&runtime, &checks, data.clone(), &progress);

    if let Some(version) = &args.benchmark_version {
        let known = outcomes.iter().any(|o| o.reference_for(version).is_some());
        if !known {
            bail!(
                "no loaded check references CIS AWS Foundations v{version}; known versions: {}",
                report::results::benchmark_versions(&outcomes).join(", ")
            );
        }
    }
    let report = Report::new(
        &data.snapshot,
        evaluated_at,
        args.benchmark_version.clone(),
        outcomes,
        waivers.as_ref().map(|waivers| (waivers, now)),
    );
    write_reports(&report, &args, &progress)?;

    let statuses: Vec<Status> = report.statuses().collect();
    Ok(if statuses.contains(&Status::Error) {
        exit::ERROR
    } else if statuses.contains(&Status::Fail) {
        exit::FAILED
    } else {
        exit::CLEAN
    })
}

/// Writes the report in every format asked for: to stdout, to --output, or
/// one file per format into --output-dir (each written whole or not at all).
fn write_reports(report: &Report, args: &ScanArgs, progress: &Progress) -> anyhow::Result<()> {
    let mut formats: Vec<ReportFormat> = Vec::new();
    for format in &args.format {
        if !formats.contains(format) {
            formats.push(*format);
        }
    }
    if let Some(dir) = &args.output_dir {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create --output-dir {}", dir.display()))?;
        for format in formats {
            let path = dir.join(format.file_name());
            report::write_atomically(&path, render(report, format).as_bytes())?;
            progress.step(format!("Report written to {}", path.display()));
        }
        return Ok(());
    }
    let [format] = formats.as_slice() else {
        bail!(
            "{} formats asked for but one output: give --output-dir DIR to write one file per format",
            formats.len()
        );
    };
    let rendered = render(report, *format);
    match &args.output {
        Some(path) => {
            report::write_atomically(path, rendered.as_bytes())?;
            progress.step(format!("Report written to {}", path.display()));
        }
        None => print!("{rendered}"),
    }
    Ok(())
}

fn render(report: &Report, format: ReportFormat) -> String {
    match format {
        ReportFormat::Table => report::table::render(report),
        ReportFormat::Json => report::json::render(report),
        ReportFormat::Html => report::html::render(report),
        ReportFormat::Csv => report::csv::render(report),
        ReportFormat::Junit => report::junit::render(report),
        ReportFormat::Sarif => report::sarif::render(report),
        ReportFormat::Asff => report::asff::render(report),
        ReportFormat::Ocsf => report::ocsf::render(report),
    }
}

/// Runs every check on the scan data: one outcome per check, in order. A
/// check that could not evaluate becomes an outcome with its reason.
pub(crate) fn evaluate(
    runtime: &Runtime,
    checks: &[LoadedCheck],
    data: Arc<ScanData>,
    progress: &Progress,
) -> Vec<CheckOutcome> {
    let started = Instant::now();
    let bar = progress.bar(checks.len(), "checks evaluated");
    let runs = runtime.evaluate_all(checks, data, &|check| bar.advance(&check.metadata.id));
    drop(bar);
    progress.detail(format!("evaluation took {}", seconds(started.elapsed())));

    let mut outcomes = Vec::with_capacity(checks.len());
    for (check, run) in checks.iter().zip(runs) {
        if progress.is_verbose() && !run.stderr.trim().is_empty() {
            progress.detail(format!(
                "{} stderr:\n{}",
                check.metadata.id,
                excerpt(run.stderr.trim_end())
            ));
        }
        progress.detail(format!(
            "{} ran in {:.1} ms",
            check.metadata.id,
            run.duration.as_secs_f64() * 1000.0
        ));
        let findings = run.outcome.map_err(|reason| {
            let hint = if run.stderr.trim().is_empty() || progress.is_verbose() {
                ""
            } else {
                " (its stderr: --verbose)"
            };
            format!("check {} {reason}{hint}", check.metadata.id)
        });
        outcomes.push(CheckOutcome {
            origin: check.origin.clone(),
            check: check.metadata.id.clone(),
            title: check.metadata.title.clone(),
            severity: check.metadata.severity,
            guidance: Guidance {
                description: check.metadata.description.clone(),
                rationale: check.metadata.rationale.clone(),
                remediation: check.metadata.remediation.clone(),
            },
            benchmarks: check.metadata.benchmarks.clone(),
            findings,
            waivers: Vec::new(),
        });
    }
    outcomes
}

pub fn collect(args: CollectArgs) -> anyhow::Result<u8> {
    let progress = Progress::new(args.output_level.quiet, args.output_level.verbose);
    let plan = if args.plugins.is_empty() {
        Plan::everything()
    } else {
        let runtime = build_runtime(&args.runtime)?;
        plan_for(&load_checks(&runtime, &args.plugins, &progress)?)
    };
    let snapshot = collect_live(&args.aws, &plan, &progress)?;
    snapshot.write(&args.out)?;
    progress.step(format!("Snapshot written to {}", args.out.display()));
    Ok(exit::CLEAN)
}

pub(crate) fn build_runtime(args: &RuntimeArgs) -> anyhow::Result<Runtime> {
    if !(args.timeout.is_finite() && args.timeout > 0.0) {
        bail!("--timeout must be a positive number of seconds");
    }
    if args.memory_limit == 0 {
        bail!("--memory-limit must be at least 1 MiB");
    }
    let limits = Limits {
        memory_bytes: args.memory_limit * 1024 * 1024,
        timeout: Duration::from_secs_f64(args.timeout),
        ..Limits::default()
    };
    let cache_dir = if args.no_cache {
        None
    } else {
        Some(
            args.cache_dir
                .clone()
                .unwrap_or_else(runtime::cache::default_directory),
        )
    };
    Runtime::new(limits, cache_dir.as_deref())
}

/// The scan's checks: the --plugins folders and the --pack packs; with
/// neither, the packs config.toml lists, else the checks/ folder.
fn load_scan_checks(
    runtime: &Runtime,
    args: &ScanArgs,
    progress: &Progress,
) -> anyhow::Result<Vec<LoadedCheck>> {
    let (plugins, packs) = if args.plugins.is_empty() && args.packs.is_empty() {
        let config = crate::config::Config::read(&args.state.config_dir())?;
        if config.packs.is_empty() {
            (vec![PathBuf::from("checks")], Vec::new())
        } else {
            progress.detail(format!(
                "running the packs of {}: {}",
                config.path.display(),
                config.packs.join(", ")
            ));
            (Vec::new(), config.packs)
        }
    } else {
        (args.plugins.clone(), args.packs.clone())
    };
    let mut checks = if plugins.is_empty() {
        Vec::new()
    } else {
        load_checks(runtime, &plugins, progress)?
    };
    if !packs.is_empty() {
        let started = Instant::now();
        let from_packs = crate::pack::commands::load_installed(runtime, &args.state, &packs)?;
        progress.step(format!(
            "Loaded {} checks from {} in {}",
            from_packs.len(),
            packs.join(", "),
            seconds(started.elapsed())
        ));
        checks.extend(from_packs);
        runtime::ensure_unique_ids(&checks)?;
        checks.sort_by(|a, b| a.metadata.id.cmp(&b.metadata.id));
    }
    Ok(checks)
}

pub(crate) fn load_checks(
    runtime: &Runtime,
    plugins: &[PathBuf],
    progress: &Progress,
) -> anyhow::Result<Vec<LoadedCheck>> {
    let started = Instant::now();
    let checks = runtime.load(plugins)?;
    if checks.is_empty() {
        bail!(
            "no check components (.wasm) found under {}. Build the first-party checks with \
             scripts/build-components.sh, or point --plugins at a directory of components.",
            plugins
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let compiled = checks
        .iter()
        .filter(|c| c.compilation == Compilation::Compiled)
        .count();
    progress.step(format!(
        "Loaded {} checks ({} from the compile cache, {} compiled) in {}",
        checks.len(),
        checks.len() - compiled,
        compiled,
        seconds(started.elapsed())
    ));
    for check in &checks {
        let reads = &check.reads;
        progress.detail(format!(
            "{} <- {} (API {}, {} {})",
            check.metadata.id,
            escape_path(&check.path),
            check.contract.api_version,
            if reads.declared {
                "declares it reads"
            } else {
                "reads"
            },
            if reads.functions.is_empty() {
                "nothing".to_string()
            } else {
                reads
                    .functions
                    .iter()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        ));
    }
    Ok(checks)
}

/// The data sets the loaded checks read (their declared reads, else their
/// imports), with what those depend on.
pub(crate) fn plan_for(checks: &[LoadedCheck]) -> Plan {
    let mut plan = Plan::default();
    for check in checks {
        plan.extend(&check.reads.plan);
    }
    plan
}

fn collect_live(aws: &AwsArgs, plan: &Plan, progress: &Progress) -> anyhow::Result<Snapshot> {
    let target = AwsTarget {
        profile: aws.profile.clone(),
        region: aws.region.clone(),
        regions: aws.regions.clone(),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(collect::collect(&target, plan, progress))
}

/// Lines of a check's stderr shown with --verbose: the first and the last.
const STDERR_LINES: usize = 10;

/// The head and tail of a check's stderr, indented, each line escaped.
fn excerpt(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let line = |line: &&str| format!("    {}", escape(line));
    let mut shown: Vec<String> = Vec::new();
    if lines.len() <= 2 * STDERR_LINES {
        shown.extend(lines.iter().map(line));
    } else {
        shown.extend(lines[..STDERR_LINES].iter().map(line));
        shown.push(format!(
            "    [{} lines omitted]",
            lines.len() - 2 * STDERR_LINES
        ));
        shown.extend(lines[lines.len() - STDERR_LINES..].iter().map(line));
    }
    shown.join("\n")
}
