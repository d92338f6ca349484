//! Scan cost at scale, over synthetic snapshots: loading the first-party
//! checks cold (compiling) and warm (compile cache), reading a snapshot, and
//! evaluating every check against accounts of growing size. Prints a table
//! and the process's peak memory.
//!
//!     scripts/build-components.sh && cargo bench -p plumbline-host --bench scale
//!
//! Not a test: nothing here asserts a time.

use std::path::Path;
use std::sync::Arc;

#[path = "support/memory.rs"]
mod memory;
mod support;
#[path = "support/synthetic.rs"]
mod synthetic;

use memory::peak_rss_kb;
use plumbline_host::runtime::{Limits, Runtime, ScanData};
use plumbline_host::snapshot::Snapshot;
use support::{best_of, fmt, row, time_once};

const USER_COUNTS: [usize; 3] = [1_000, 10_000, 50_000];
const ROUNDS: u32 = 5;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf();
    let checks = root.join("checks");
    let cache = tempfile::tempdir().unwrap();

    row("step", "time");
    let cold = time_once(|| load(&checks, None));
    row("load checks, no cache (compile)", fmt(cold));
    time_once(|| load(&checks, Some(cache.path())));
    let warm = time_once(|| load(&checks, Some(cache.path())));
    row("load checks, warm compile cache", fmt(warm));

    let runtime = Runtime::new(Limits::default(), Some(cache.path())).unwrap();
    let loaded = runtime.load(&[checks]).unwrap();
    for users in USER_COUNTS {
        let snapshot = synthetic::account(users);
        let file = cache.path().join(format!("snapshot-{users}.json"));
        snapshot.write(&file).unwrap();
        let size = std::fs::metadata(&file).unwrap().len();
        let read = time_once(|| {
            Snapshot::read(&file).unwrap();
        });
        row(
            format!("read snapshot, {users} users ({:.1} MB)", size as f64 / 1e6),
            fmt(read),
        );
        let data = Arc::new(ScanData {
            snapshot,
            now: synthetic::NOW,
        });
        let best = best_of(ROUNDS, || {
            let runs = runtime.evaluate_all(&loaded, data.clone(), &|_| {});
            assert!(
                runs.iter().all(|run| run.outcome.is_ok()),
                "a check failed at {users} users"
            );
        });
        row(
            format!(
                "evaluate {} checks, {users} users (best of {ROUNDS})",
                loaded.len()
            ),
            fmt(best),
        );
    }
    row(
        "peak resident memory (VmHWM)",
        format!("{} MB", peak_rss_kb() / 1024),
    );
}

fn load(checks: &Path, cache: Option<&Path>) {
    let runtime = Runtime::new(Limits::default(), cache).unwrap();
    let loaded = runtime.load(&[checks.to_path_buf()]).unwrap();
    assert!(
        !loaded.is_empty(),
        "no checks: run scripts/build-components.sh first"
    );
}
