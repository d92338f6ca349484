//! Loading plugins: what is refused (with a message naming the file and the
//! problem, before any AWS call and without writing a report), and the
//! compile cache that makes a warm scan recompile nothing.

use std::path::Path;

use libtest_mimic::Trial;

use crate::support;
use crate::support::{host, run};

pub fn tests() -> Vec<Trial> {
    e2e_tests![
        sync a_check_built_against_the_released_1_0_contract_runs_on_this_host,
        sync a_component_built_against_another_major_api_version_is_refused,
        sync a_core_module_is_refused_with_how_to_make_a_component,
        sync a_file_that_is_not_webassembly_is_refused,
        sync a_truncated_component_is_refused,
        sync two_plugins_with_the_same_check_id_are_refused,
        sync an_empty_plugin_folder_says_how_to_build_the_checks,
        sync a_second_scan_reuses_every_compiled_component,
        sync a_compile_cache_others_can_write_to_is_refused,
    ]
}

fn scan_dir(cache: &Path, plugins: &Path, output: &Path) -> support::Run {
    let mut command = host(cache);
    command
        .args(["scan", "--format", "json", "--plugins"])
        .arg(plugins)
        .arg("--snapshot")
        .arg(support::demo_snapshot())
        .arg("--output")
        .arg(output);
    run(&mut command)
}

/// Asserts the scan was refused: exit 2, the message names the file and
/// says `expected`, and no report was written.
fn assert_refused(plugins: &Path, offending: &Path, expected: &[&str]) {
    let cache = tempfile::tempdir().unwrap();
    let output = cache.path().join("report.json");
    let refused = scan_dir(cache.path(), plugins, &output);
    assert_eq!(refused.code, 2, "stderr: {}", refused.stderr);
    assert!(
        refused.stderr.contains(&offending.display().to_string()),
        "{}",
        refused.stderr
    );
    for needle in expected {
        assert!(
            refused.stderr.contains(needle),
            "missing {needle:?} in: {}",
            refused.stderr
        );
    }
    assert!(!output.exists(), "a refused scan must not write a report");
    assert!(refused.stdout.is_empty());
}

/// A plugin folder holding the first-party checks plus `extra` files.
fn plugins_with(extra: &[(&str, Vec<u8>)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for check in support::first_party_checks() {
        let component = check.component();
        std::fs::copy(&component, dir.path().join(component.file_name().unwrap())).unwrap();
    }
    for (name, bytes) in extra {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    dir
}

fn a_check_built_against_the_released_1_0_contract_runs_on_this_host() {
    let cache = tempfile::tempdir().unwrap();
    let plugins = tempfile::tempdir().unwrap();
    for component in [
        support::test_plugin("api-1-0-check"),
        support::check("root-mfa"),
    ] {
        std::fs::copy(
            &component,
            plugins.path().join(component.file_name().unwrap()),
        )
        .unwrap();
    }
    let output = cache.path().join("report.json");
    let scanned = scan_dir(cache.path(), plugins.path(), &output);
    assert_ne!(
        scanned.code, 2,
        "the 1.0.0 check must load and run: {}",
        scanned.stderr
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&output).unwrap()).unwrap();
    let legacy = support::status(&report, "legacy-root-mfa");
    assert!(
        legacy == "pass" || legacy == "fail",
        "legacy check could not evaluate: {legacy}"
    );
    assert_eq!(legacy, support::status(&report, "root-mfa"));
}

fn a_component_built_against_another_major_api_version_is_refused() {
    let future = std::fs::read(support::test_plugin("wrong-api-version")).unwrap();
    let dir = plugins_with(&[("from-the-future.wasm", future)]);
    assert_refused(
        dir.path(),
        &dir.path().join("from-the-future.wasm"),
        &[
            "plumbline:check@2.0.0",
            &format!("API {}", plumbline_host::bindings::API_VERSION),
            "Rebuild",
        ],
    );
}

fn a_core_module_is_refused_with_how_to_make_a_component() {
    // The smallest valid core module: magic and version 1.
    let dir = plugins_with(&[("core.wasm", b"\0asm\x01\x00\x00\x00".to_vec())]);
    assert_refused(
        dir.path(),
        &dir.path().join("core.wasm"),
        &["core WebAssembly module", "wasm32-wasip2"],
    );
}

fn a_file_that_is_not_webassembly_is_refused() {
    let dir = plugins_with(&[("notes.wasm", b"just some text".to_vec())]);
    assert_refused(
        dir.path(),
        &dir.path().join("notes.wasm"),
        &["not a WebAssembly file"],
    );
}

fn a_truncated_component_is_refused() {
    let mut bytes = std::fs::read(support::check("root-mfa")).unwrap();
    bytes.truncate(bytes.len() / 2);
    let dir = plugins_with(&[("truncated.wasm", bytes)]);
    assert_refused(
        dir.path(),
        &dir.path().join("truncated.wasm"),
        &["not a valid WebAssembly component"],
    );
}

fn two_plugins_with_the_same_check_id_are_refused() {
    let copy = std::fs::read(support::check("root-mfa")).unwrap();
    let dir = plugins_with(&[("zz-root-mfa-copy.wasm", copy)]);
    assert_refused(
        dir.path(),
        &dir.path().join("zz-root-mfa-copy.wasm"),
        &["\"root-mfa\"", "unique"],
    );
}

fn an_empty_plugin_folder_says_how_to_build_the_checks() {
    let cache = tempfile::tempdir().unwrap();
    let empty = tempfile::tempdir().unwrap();
    let refused = scan_dir(cache.path(), empty.path(), &cache.path().join("r.json"));
    assert_eq!(refused.code, 2);
    assert!(
        refused.stderr.contains("no check components"),
        "{}",
        refused.stderr
    );
    assert!(
        refused.stderr.contains("scripts/build-components.sh"),
        "{}",
        refused.stderr
    );
}

fn a_second_scan_reuses_every_compiled_component() {
    let cache = tempfile::tempdir().unwrap();
    let output = cache.path().join("report.json");
    let checks = support::checks_dir();
    let count = support::first_party_check_ids().len();

    let cold = scan_dir(cache.path(), &checks, &output);
    assert!(
        cold.stderr.contains(&format!(
            "Loaded {count} checks (0 from the compile cache, {count} compiled)"
        )),
        "{}",
        cold.stderr
    );
    let warm = scan_dir(cache.path(), &checks, &output);
    assert!(
        warm.stderr.contains(&format!(
            "Loaded {count} checks ({count} from the compile cache, 0 compiled)"
        )),
        "{}",
        warm.stderr
    );
    assert_eq!(cold.code, warm.code);

    // A damaged cache entry is recompiled, never trusted.
    let entry = std::fs::read_dir(cache.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|ext| ext == "cwasm"))
        .expect("a cache entry");
    std::fs::write(&entry, b"garbage").unwrap();
    let repaired = scan_dir(cache.path(), &checks, &output);
    assert!(
        repaired.stderr.contains(&format!(
            "({} from the compile cache, 1 compiled)",
            count - 1
        )),
        "{}",
        repaired.stderr
    );
    assert_eq!(repaired.code, warm.code);
}

fn a_compile_cache_others_can_write_to_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let cache = tempfile::tempdir().unwrap();
    std::fs::set_permissions(cache.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let refused = scan_dir(
        cache.path(),
        &support::checks_dir(),
        &cache.path().join("r.json"),
    );
    assert_eq!(refused.code, 2);
    assert!(
        refused
            .stderr
            .contains("other users can write to it (mode 777)"),
        "{}",
        refused.stderr
    );
    assert!(refused.stderr.contains("chmod go-w"), "{}", refused.stderr);
}
