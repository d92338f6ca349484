//! The sandboxed runtime: finds check components, verifies and compiles them
//! (through the on-disk cache), and runs each check in its own limited store.

pub mod bounds;
pub mod cache;
pub mod contract;
pub mod discovery;
mod sandbox;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use wasmtime::component::{Component, Linker};
use wasmtime::{Config, Engine, Store, StoreLimitsBuilder};

use crate::bindings::types::{CheckMetadata, Finding};
use crate::bindings::{Check, CheckPre};
use crate::registry::{self, Plan};
use crate::report::untrusted::{escape, escape_path, snippet};
pub use cache::{Compilation, ComponentCache};
pub use contract::ComponentContract;
use sandbox::CapturedOutput;
pub use sandbox::CheckState;
use sandbox::Reads;
pub use sandbox::ScanData;

/// Per-check resource limits.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Linear memory (and tables) a check may grow to.
    pub memory_bytes: usize,
    /// Wall time of one call into a check before it traps.
    pub timeout: Duration,
    /// Captured stdout/stderr kept per check.
    pub output_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            memory_bytes: 128 * 1024 * 1024,
            timeout: Duration::from_secs(10),
            output_bytes: 64 * 1024,
        }
    }
}

/// How often the epoch advances; deadlines are whole ticks.
const EPOCH_TICK: Duration = Duration::from_millis(10);

/// A verified, compiled check with its metadata.
pub struct LoadedCheck {
    pub path: PathBuf,
    pub origin: Origin,
    pub metadata: CheckMetadata,
    pub contract: ComponentContract,
    pub reads: CheckReads,
    pub compilation: Compilation,
    pre: CheckPre<CheckState>,
}

/// The data functions a check may call: the ones it declared with
/// `reads.declare`, else every one it imports. The scan collects, and
/// `host permissions` asks for, exactly the data behind them.
#[derive(Debug, Clone)]
pub struct CheckReads {
    /// `interface.function` names.
    pub functions: BTreeSet<String>,
    /// Whether the check declared them (else they are its imports).
    pub declared: bool,
    /// The data sets that answer them, with what those depend on.
    pub plan: Plan,
    /// What `evaluate` is held to; `None` when the check declared nothing.
    enforced: Option<Arc<BTreeSet<String>>>,
}

impl CheckReads {
    /// From the component's imports and what its `metadata` declared. A
    /// declared function must be one the component imports: anything else
    /// is a typo the check would only meet at scan time.
    fn new(contract: &ComponentContract, declared: Option<Vec<String>>) -> anyhow::Result<Self> {
        let Some(declared) = declared else {
            return Ok(CheckReads {
                functions: contract.imported_functions.clone(),
                declared: false,
                plan: contract.data_sets.clone(),
                enforced: None,
            });
        };
        let mut plan = Plan::default();
        let mut functions = BTreeSet::new();
        for name in declared {
            if !contract.imported_functions.contains(&name) {
                bail!(
                    "its metadata declares that it reads \"{}\", which is not a data function it \
                     imports; name functions as `interface.function` (e.g. \
                     `iam.credential-report`), each one from its world",
                    snippet(&name)
                );
            }
            if let Some((interface, function)) = name.split_once('.')
                && let Some(set) = registry::answering(interface, function)
            {
                plan.add(set);
            }
            functions.insert(name);
        }
        Ok(CheckReads {
            enforced: Some(Arc::new(functions.clone())),
            functions,
            declared: true,
            plan,
        })
    }
}

/// Where a loaded check came from. Every report shows it with each result,
/// so a community check can never pass for a first-party one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Origin {
    /// A component file under a `--plugins` folder.
    Local { path: PathBuf },
    /// A check of an installed pack.
    Pack {
        pack: String,
        version: String,
        /// sha256 of the pack's manifest, which pins every file's hash.
        digest: String,
        signer: String,
        source: String,
    },
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Local { path } => write!(f, "{}", path.display()),
            Origin::Pack { pack, version, .. } => write!(f, "pack {pack} {version}"),
        }
    }
}

/// Refuses two checks with one id, naming where each came from.
pub fn ensure_unique_ids(checks: &[LoadedCheck]) -> anyhow::Result<()> {
    let mut seen: std::collections::BTreeMap<&str, &LoadedCheck> = Default::default();
    for check in checks {
        if let Some(existing) = seen.insert(&check.metadata.id, check) {
            bail!(
                "two checks declare the id {:?}: {} ({}) and {} ({}). Check ids must be unique; \
                 remove one.",
                check.metadata.id,
                existing.origin,
                escape_path(&existing.path),
                check.origin,
                escape_path(&check.path)
            );
        }
    }
    Ok(())
}

/// How a check's evaluation ended.
pub struct CheckRun {
    /// The findings, or why the check could not produce them (trap, timeout,
    /// memory limit).
    pub outcome: Result<Vec<Finding>, String>,
    /// What the check wrote to stderr (bounded).
    pub stderr: String,
    pub duration: Duration,
}

pub struct Runtime {
    engine: Engine,
    linker: Linker<CheckState>,
    limits: Limits,
    cache: Option<ComponentCache>,
    /// Advances the epoch for as long as the runtime lives.
    _ticker: EpochTicker,
}

impl Runtime {
    /// `cache_dir`: where compiled components are kept; `None` disables it.
    pub fn new(limits: Limits, cache_dir: Option<&Path>) -> anyhow::Result<Self> {
        let mut config = Config::new();
        config.wasm_component_model(true);
        config.epoch_interruption(true);
        config.parallel_compilation(true);
        let engine = Engine::new(&config)?;
        let mut linker = Linker::new(&engine);
        wasmtime_wasi::p2::add_to_linker_sync(&mut linker)?;
        sandbox::link(&mut linker)?;
        let cache = cache_dir
            .map(|dir| ComponentCache::open(dir, &engine))
            .transpose()?;
        let ticker = EpochTicker::start(engine.clone());
        Ok(Runtime {
            engine,
            linker,
            limits,
            cache,
            _ticker: ticker,
        })
    }

    /// Loads every component under each directory (recursively). Any file
    /// that is not a valid check refuses the whole load: a scan never runs
    /// with a check silently missing.
    pub fn load(&self, directories: &[PathBuf]) -> anyhow::Result<Vec<LoadedCheck>> {
        let mut files = Vec::new();
        for directory in directories {
            files.extend(discovery::find_components(directory)?);
        }
        let mut checks: Vec<LoadedCheck> = Vec::with_capacity(files.len());
        for path in files {
            let bytes = std::fs::read(&path).with_context(|| {
                format!("refusing plugin {}: cannot read the file", path.display())
            })?;
            let origin = Origin::Local { path: path.clone() };
            let check = self
                .load_component(&path, &bytes, origin)
                .with_context(|| format!("refusing plugin {}", escape_path(&path)))?;
            checks.push(check);
        }
        ensure_unique_ids(&checks)?;
        checks.sort_by(|a, b| a.metadata.id.cmp(&b.metadata.id));
        Ok(checks)
    }

    /// Verifies and compiles one component (`bytes`, read from `path`) and
    /// reads its metadata.
    pub fn load_component(
        &self,
        path: &Path,
        bytes: &[u8],
        origin: Origin,
    ) -> anyhow::Result<LoadedCheck> {
        discovery::ensure_component(bytes)?;
        let (component, compilation) = match &self.cache {
            Some(cache) => cache.load(&self.engine, bytes),
            None => Component::new(&self.engine, bytes)
                .map(|component| (component, Compilation::Compiled))
                .map_err(anyhow::Error::from),
        }
        .context("it is not a valid WebAssembly component")?;
        let contract = contract::inspect(&self.engine, &component).map_err(anyhow::Error::msg)?;
        let instance_pre = self.linker.instantiate_pre(&component).map_err(|error| {
            anyhow::anyhow!(
                "it imports something this host does not provide ({error}); checks may import only \
                 plumbline:check interfaces and WASI cli, io, clocks and random"
            )
        })?;
        let pre = CheckPre::new(instance_pre)
            .map_err(anyhow::Error::from)
            .context("it does not have the `check` world's exports")?;
        let empty = Arc::new(ScanData::empty());
        let (metadata, stderr, declared) =
            self.call(&pre, empty, Reads::Declaring(None), |check, store| {
                check.plumbline_check_plugin().call_metadata(store)
            });
        let metadata = metadata.map_err(|reason| {
            anyhow::anyhow!(
                "its `metadata` function failed: {reason}{}",
                stderr_suffix(&stderr)
            )
        })?;
        validate_metadata(&metadata)?;
        let reads = CheckReads::new(&contract, declared)
            .with_context(|| format!("check {:?}", metadata.id))?;
        Ok(LoadedCheck {
            path: path.to_path_buf(),
            origin,
            metadata,
            contract,
            reads,
            compilation,
            pre,
        })
    }

    /// Whether the sandbox satisfies every import of a component with the
    /// right type (the registry tests run it on the whole contract).
    #[cfg(test)]
    pub(crate) fn check_links(&self, bytes: &[u8]) -> anyhow::Result<()> {
        let component = Component::new(&self.engine, bytes)?;
        self.linker.instantiate_pre(&component)?;
        Ok(())
    }

    /// Runs one check's `evaluate` in a fresh store.
    pub fn evaluate(&self, check: &LoadedCheck, data: Arc<ScanData>) -> CheckRun {
        let started = Instant::now();
        let reads = Reads::Enforcing(check.reads.enforced.clone());
        let (outcome, stderr, _) = self.call(&check.pre, data, reads, |instance, store| {
            instance.plumbline_check_plugin().call_evaluate(store)
        });
        let outcome = outcome.and_then(|findings| bounds::findings(&findings).map(|()| findings));
        CheckRun {
            outcome,
            stderr,
            duration: started.elapsed(),
        }
    }

    /// Runs every check, spreading them over the machine's cores, and calls
    /// `done` as each one ends.
    pub fn evaluate_all(
        &self,
        checks: &[LoadedCheck],
        data: Arc<ScanData>,
        done: &(dyn Fn(&LoadedCheck) + Sync),
    ) -> Vec<CheckRun> {
        let workers = std::thread::available_parallelism()
            .map_or(1, usize::from)
            .min(checks.len().max(1));
        let next = AtomicUsize::new(0);
        let mut runs: Vec<Option<CheckRun>> = (0..checks.len()).map(|_| None).collect();
        let finished = std::sync::Mutex::new(&mut runs);
        std::thread::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|| {
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(check) = checks.get(index) else {
                            break;
                        };
                        let run = self.evaluate(check, data.clone());
                        done(check);
                        finished.lock().expect("results lock")[index] = Some(run);
                    }
                });
            }
        });
        runs.into_iter()
            .map(|run| run.expect("every check ran"))
            .collect()
    }

    /// Instantiates `pre` in a new store with the limits armed and calls `f`.
    /// Any trap (including the deadline and the memory cap) becomes `Err`
    /// with a readable reason; the store is dropped either way. Returns the
    /// outcome, the guest's stderr and the reads it declared.
    fn call<R>(
        &self,
        pre: &CheckPre<CheckState>,
        data: Arc<ScanData>,
        reads: Reads,
        f: impl FnOnce(&Check, &mut Store<CheckState>) -> wasmtime::Result<R>,
    ) -> (Result<R, String>, String, Option<Vec<String>>) {
        let stdout = CapturedOutput::new(self.limits.output_bytes);
        let stderr = CapturedOutput::new(self.limits.output_bytes);
        let limits = StoreLimitsBuilder::new()
            .memory_size(self.limits.memory_bytes)
            .table_elements(1_000_000)
            .instances(64)
            .trap_on_grow_failure(true)
            .build();
        let mut store = Store::new(
            &self.engine,
            CheckState::new(data, limits, stdout, stderr.clone(), reads),
        );
        store.limiter(|state| &mut state.limits);
        let ticks = (self.limits.timeout.as_millis() / EPOCH_TICK.as_millis()).max(1) as u64;
        store.set_epoch_deadline(ticks);
        store.epoch_deadline_trap();
        let result = pre
            .instantiate(&mut store)
            .and_then(|instance| f(&instance, &mut store));
        let declared = store.into_data().into_declared_reads();
        let stderr = stderr.text();
        let result = result.map_err(|error| self.describe_failure(&error, &stderr));
        (result, stderr, declared)
    }

    /// A readable reason for a failed call: the limit that stopped it, or
    /// the trap and the guest's last words on stderr (a Rust panic message).
    fn describe_failure(&self, error: &wasmtime::Error, stderr: &str) -> String {
        let trap = error.downcast_ref::<wasmtime::Trap>();
        if trap == Some(&wasmtime::Trap::Interrupt) {
            return format!(
                "timed out: still running after {} s (the per-check limit)",
                self.limits.timeout.as_secs_f64()
            );
        }
        let chain = format!("{error:#}");
        if chain.contains("forcing trap when growing memory")
            || chain.contains("forcing a memory growth failure")
        {
            return format!(
                "exceeded the memory limit of {} MiB",
                self.limits.memory_bytes / (1024 * 1024)
            );
        }
        let cause = match trap {
            Some(trap) => format!("trapped: {trap}"),
            None => format!("failed: {}", error.root_cause()),
        };
        // Rust's panic handler ends with a `note:` about backtraces; the
        // message the user wants is the line before it.
        let last_words = stderr
            .lines()
            .rev()
            .find(|line| !line.trim().is_empty() && !line.starts_with("note:"));
        match last_words {
            Some(last) => format!("{cause} (last stderr line: {})", snippet(last.trim())),
            None => cause,
        }
    }
}

fn stderr_suffix(stderr: &str) -> String {
    if stderr.trim().is_empty() {
        String::new()
    } else {
        format!("; its stderr: {}", snippet(stderr.trim()))
    }
}

/// CheckMetadata a report can rely on: an id, a title, benchmark references,
/// each within its size limit. The id is held to kebab-case ASCII, so it is
/// safe to show anywhere; other fields are shown escaped.
fn validate_metadata(metadata: &CheckMetadata) -> anyhow::Result<()> {
    bounds::check_id(&metadata.id).map_err(anyhow::Error::msg)?;
    let id_ok = !metadata.id.is_empty()
        && metadata
            .id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.');
    if !id_ok {
        bail!(
            "its check id \"{}\" is not kebab-case (a-z, 0-9, '-', '.')",
            snippet(&metadata.id)
        );
    }
    bounds::metadata(metadata)
        .map_err(|problem| anyhow::anyhow!("check {:?}: {problem}", metadata.id))?;
    if metadata.title.trim().is_empty() {
        bail!("check {:?} has an empty title", metadata.id);
    }
    for reference in &metadata.benchmarks {
        if semver::Version::parse(&reference.version).is_err() || reference.id.is_empty() {
            bail!(
                "check {:?} has a malformed benchmark reference \"{}\" \"{}\" \"{}\"",
                metadata.id,
                escape(&reference.benchmark),
                escape(&reference.version),
                escape(&reference.id)
            );
        }
        if !(1..=2).contains(&reference.level) {
            bail!(
                "check {:?}: profile level {} is not 1 or 2",
                metadata.id,
                reference.level
            );
        }
    }
    Ok(())
}

/// Advances the engine's epoch every tick so deadlines fire; stops on drop.
struct EpochTicker {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl EpochTicker {
    fn start(engine: Engine) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::Builder::new()
            .name("epoch-ticker".into())
            .spawn(move || {
                while !flag.load(Ordering::Relaxed) {
                    std::thread::sleep(EPOCH_TICK);
                    engine.increment_epoch();
                }
            })
            .expect("spawn the epoch ticker");
        EpochTicker {
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for EpochTicker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bindings::types::{BenchmarkRef, Scoring, Severity};

    fn metadata(id: &str) -> CheckMetadata {
        CheckMetadata {
            id: id.into(),
            title: "A title".into(),
            description: String::new(),
            rationale: String::new(),
            remediation: String::new(),
            severity: Severity::Low,
            benchmarks: vec![BenchmarkRef {
                benchmark: "CIS AWS Foundations".into(),
                version: "7.0.0".into(),
                id: "1.1".into(),
                scoring: Scoring::Automated,
                level: 1,
            }],
        }
    }

    fn contract(imports: &[&str]) -> ComponentContract {
        let mut data_sets = Plan::default();
        for name in imports {
            let (interface, function) = name.split_once('.').unwrap();
            data_sets.add(registry::answering(interface, function).unwrap());
        }
        ComponentContract {
            api_version: semver::Version::new(1, 5, 0),
            data_sets,
            imported_functions: imports.iter().map(|name| name.to_string()).collect(),
        }
    }

    #[test]
    fn declared_reads_narrow_the_plan_to_what_the_check_calls() {
        let imports = contract(&["iam.credential-report", "iam.account-summary", "iam.users"]);
        let everything = CheckReads::new(&imports, None).unwrap();
        assert!(!everything.declared);
        assert_eq!(everything.plan.len(), imports.data_sets.len());

        let declared =
            CheckReads::new(&imports, Some(vec!["iam.credential-report".into()])).unwrap();
        assert!(declared.declared);
        let planned: Vec<String> = declared
            .plan
            .iter()
            .map(|set| set.key().to_string())
            .collect();
        assert_eq!(planned, ["iam.credential_report"]);
    }

    #[test]
    fn a_declared_read_the_component_does_not_import_is_refused() {
        let imports = contract(&["iam.credential-report"]);
        let typo = CheckReads::new(&imports, Some(vec!["iam.credential-reports".into()]));
        let message = typo.unwrap_err().to_string();
        assert!(
            message.contains("\"iam.credential-reports\", which is not a data function it imports"),
            "{message}"
        );
    }

    #[test]
    fn refusals_show_the_checks_text_escaped() {
        let refusal =
            |metadata: CheckMetadata| validate_metadata(&metadata).unwrap_err().to_string();
        assert_eq!(
            refusal(metadata("\x1b]0;pwned\x07")),
            "its check id \"\\x1b]0;pwned\\x07\" is not kebab-case (a-z, 0-9, '-', '.')"
        );
        let mut malformed = metadata("some-check");
        malformed.benchmarks[0].version = "\u{9b}2J".into();
        assert_eq!(
            refusal(malformed),
            "check \"some-check\" has a malformed benchmark reference \"CIS AWS Foundations\" \
             \"\\u{9b}2J\" \"1.1\""
        );
    }
}
