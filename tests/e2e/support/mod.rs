//! Shared harness of the end-to-end tests: the real `host` binary, the built
//! components, folders shared for the run, and the servers (moto, OCI
//! registries) shared by the tests that need no server of their own.

pub mod collected;
pub mod hostile_registry;
pub mod http;
pub mod moto;
pub mod packs;
pub mod registry;
pub mod seed;

use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;

use serde_json::Value;
use tempfile::TempDir;

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("host/ has a parent")
        .to_path_buf()
}

/// A first-party check: `checks/<service>/<id>/`, built to `<id>.wasm` there
/// by `scripts/build-components.sh` (which `scripts/test.sh` runs). The build
/// script holds a check's folder name to its id.
#[derive(Clone)]
pub struct FirstPartyCheck {
    pub id: String,
    /// The service folder it is grouped under, e.g. `iam`.
    pub service: String,
    pub dir: PathBuf,
}

impl FirstPartyCheck {
    /// The built component.
    pub fn component(&self) -> PathBuf {
        built(&self.dir)
    }

    /// Its fixture snapshots (`fixtures/*.json`), sorted; none without a
    /// fixtures folder.
    pub fn fixtures(&self) -> Vec<PathBuf> {
        let folder = self.dir.join("fixtures");
        let entries = match std::fs::read_dir(&folder) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
            Err(error) => panic!("cannot list {}: {error}", folder.display()),
        };
        let mut fixtures: Vec<PathBuf> = entries
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
            .collect();
        fixtures.sort();
        fixtures
    }
}

/// Every first-party check (a crate in `checks/*/*/`), sorted by id.
pub fn first_party_checks() -> Vec<FirstPartyCheck> {
    let mut checks = Vec::new();
    for service in subfolders(&root().join("checks")) {
        for dir in subfolders(&service) {
            if dir.join("Cargo.toml").exists() {
                checks.push(FirstPartyCheck {
                    id: file_name(&dir),
                    service: file_name(&service),
                    dir,
                });
            }
        }
    }
    checks.sort_by(|a, b| a.id.cmp(&b.id));
    checks
}

/// The first-party check ids.
pub fn first_party_check_ids() -> Vec<String> {
    first_party_checks()
        .into_iter()
        .map(|check| check.id)
        .collect()
}

/// The first-party check with this id, whichever service folder holds it.
pub fn first_party_check(id: &str) -> FirstPartyCheck {
    first_party_checks()
        .into_iter()
        .find(|check| check.id == id)
        .unwrap_or_else(|| panic!("no first-party check {id:?} in checks/*/"))
}

/// The built component of the first-party check with this id.
pub fn check(id: &str) -> PathBuf {
    first_party_check(id).component()
}

/// A built test plugin, `tests/plugins/<name>/<name>.wasm`.
pub fn test_plugin(name: &str) -> PathBuf {
    built(&root().join("tests/plugins").join(name))
}

/// The first-party checks folder, with every check built.
pub fn checks_dir() -> PathBuf {
    for check in first_party_checks() {
        check.component();
    }
    root().join("checks")
}

/// `<crate folder>/<folder name>.wasm`, which must have been built.
fn built(crate_dir: &Path) -> PathBuf {
    let path = crate_dir.join(format!("{}.wasm", file_name(crate_dir)));
    assert!(
        path.exists(),
        "{} is missing: build the components first (scripts/build-components.sh checks tests/plugins, \
         or run the whole suite with scripts/test.sh)",
        path.display()
    );
    path
}

fn subfolders(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect()
}

fn file_name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

/// The temporary folder that holds what tests share for the whole run.
static SHARED: Mutex<Option<TempDir>> = Mutex::new(None);

/// A folder that tests share for the whole run (a compile cache, moto's
/// request recordings), created on first use outside the working tree and
/// removed by [`remove_shared_dirs`].
pub fn shared_dir(name: &str) -> PathBuf {
    let mut shared = SHARED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let root = shared.get_or_insert_with(|| {
        tempfile::Builder::new()
            .prefix("plumbline-e2e-")
            .tempdir()
            .expect("create a temporary folder for the test run")
    });
    let dir = root.path().join(name);
    // Private, whatever the umask: the host refuses a compile cache that
    // other users can write to.
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(&dir)
        .unwrap_or_else(|error| panic!("cannot create {}: {error}", dir.display()));
    dir
}

/// Removes the shared folders once every test has run.
pub fn remove_shared_dirs() {
    let mut shared = SHARED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(root) = shared.take() {
        let path = root.path().to_path_buf();
        if let Err(error) = root.close() {
            eprintln!("warning: cannot remove {}: {error}", path.display());
        }
    }
}

pub fn demo_snapshot() -> PathBuf {
    root().join("examples/demo-account.json")
}

/// `host` with a hermetic environment: no AWS settings from the machine, a
/// private compile cache.
pub fn host(cache_dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_host"));
    for (key, _) in std::env::vars() {
        if key.starts_with("AWS_") || key.starts_with("PLUMBLINE_") || key.starts_with("XDG_") {
            command.env_remove(key);
        }
    }
    command
        .env("AWS_CONFIG_FILE", cache_dir.join("no-aws-config"))
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            cache_dir.join("no-aws-credentials"),
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("PLUMBLINE_CACHE_DIR", cache_dir)
        // Never the user's installed packs, trust store or config file.
        .env("PLUMBLINE_PACKS_DIR", cache_dir.join("packs"))
        .env("PLUMBLINE_CONFIG_DIR", cache_dir.join("config"))
        .current_dir(root());
    command
}

/// Starts a server process that dies with the test process: it is spawned
/// from a thread that lives as long as the process, with a parent-death
/// signal (which fires when the spawning thread exits, hence the thread).
pub fn spawn_server(mut command: Command, name: &'static str) {
    use std::os::unix::process::CommandExt;
    let (started, ready) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        command
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        // SAFETY: prctl is async-signal-safe and touches no shared state.
        unsafe {
            command.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                Ok(())
            });
        }
        let child = command
            .spawn()
            .unwrap_or_else(|error| panic!("start {name}: {error}"));
        started.send(()).unwrap();
        let _keep = child;
        loop {
            std::thread::park();
        }
    });
    ready.recv().unwrap();
}

/// What a `host` run left behind.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn from(output: Output) -> Run {
        Run {
            code: output.status.code().expect("host exited normally"),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|error| {
            panic!(
                "stdout is not JSON ({error}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }
}

pub fn run(command: &mut Command) -> Run {
    Run::from(command.output().expect("run host"))
}

/// The result object for a check id in a JSON report.
pub fn result<'a>(report: &'a Value, check: &str) -> &'a Value {
    report["results"]
        .as_array()
        .expect("results is a list")
        .iter()
        .find(|result| result["check"] == check)
        .unwrap_or_else(|| panic!("no result for {check} in {report:#}"))
}

pub fn status(report: &Value, check: &str) -> String {
    result(report, check)["status"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The message of a check's finding on `resource`.
pub fn message(report: &Value, check: &str, resource: &str) -> String {
    result(report, check)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|finding| finding["resource"] == resource)
        .unwrap_or_else(|| panic!("{check}: no finding on {resource}: {report:#}"))["message"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The resources of a check's findings with a given status, sorted.
pub fn resources(report: &Value, check: &str, finding_status: &str) -> Vec<String> {
    let mut found: Vec<String> = result(report, check)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|finding| finding["status"] == finding_status)
        .map(|finding| finding["resource"].as_str().unwrap().to_string())
        .collect();
    found.sort();
    found
}

/// A live scan of a moto account with only the given first-party checks (by
/// id), JSON on stdout.
pub fn scan_checks(account: &moto::Account, checks: &[&str], extra: &[&str]) -> Run {
    let cache = tempfile::tempdir().unwrap();
    let mut command = host(cache.path());
    command.args(["scan", "--format", "json"]);
    for id in checks {
        command.arg("--plugins").arg(check(id));
    }
    command.args(extra);
    account.configure(&mut command);
    run(&mut command)
}
