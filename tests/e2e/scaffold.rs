//! `host new` in every language: what it writes builds with the language's
//! own toolchain (cargo, componentize-py, componentize-js, clang with
//! wit-bindgen and wasm-tools) and passes its own fixtures under `host
//! test`, exactly as a new author would run it; its metadata is the CIS
//! control's from the reference tables. Bad input is refused with nothing
//! written.

use std::path::Path;
use std::process::Command;

use libtest_mimic::Trial;
use serde_json::Value;

use crate::support::{self, Run, host, run};

pub fn tests() -> Vec<Trial> {
    e2e_tests![
        sync a_rust_scaffold_builds_and_passes_its_fixtures,
        sync a_python_scaffold_builds_and_passes_its_fixtures,
        sync a_javascript_scaffold_builds_and_passes_its_fixtures,
        sync a_c_scaffold_builds_and_passes_its_fixtures,
        sync bad_scaffold_requests_are_refused_and_write_nothing,
    ]
}

const CONTROL: &str = "ROOT_NO_ACCESS_KEYS";

fn new_check(dir: &Path, lang: &str, extra: &[&str]) -> Run {
    let mut command = host(&dir.join("cache"));
    command
        .current_dir(dir)
        .args(["new", "--lang", lang, "--control", CONTROL, "my-check"])
        .args(extra);
    run(&mut command)
}

/// Scaffolds, builds with `./build.sh` (its environment extended by `env`),
/// runs `host test .`, and checks the component's CIS references.
fn scaffold_builds_and_passes(lang: &str, extra: &[&str], env: &[(&str, String)]) {
    let dir = tempfile::tempdir().unwrap();
    let created = new_check(dir.path(), lang, extra);
    assert_eq!(created.code, 0, "{}", created.stderr);
    assert!(created.stdout.contains("./build.sh"), "{}", created.stdout);
    let check = dir.path().join("my-check");
    for file in [
        "build.sh",
        "README.md",
        "fixtures/pass-example.json",
        "fixtures/fail-example.json",
    ] {
        assert!(check.join(file).exists(), "{lang}: no {file}");
    }

    let mut build = Command::new(check.join("build.sh"));
    build
        .current_dir(&check)
        .envs(env.iter().map(|(key, value)| (key, value)));
    let built = Run::from(build.output().expect("run build.sh"));
    assert_eq!(
        built.code, 0,
        "{lang} build.sh failed:\n{}{}",
        built.stdout, built.stderr
    );
    assert!(check.join("my-check.wasm").exists(), "{lang}: no component");

    let mut test = host(&dir.path().join("cache"));
    test.current_dir(&check).args(["test", "."]);
    let tested = run(&mut test);
    assert_eq!(
        tested.code, 0,
        "{lang}: host test:\n{}{}",
        tested.stdout, tested.stderr
    );
    assert!(
        tested.stdout.contains("  ok    fail-example: fail, 1 fail")
            && tested.stdout.contains("  ok    pass-example: pass, 1 pass")
            && tested
                .stdout
                .contains("2 fixtures of 1 checks: 2 as expected, 0 not"),
        "{lang}: {}",
        tested.stdout
    );

    let mut scan = host(&dir.path().join("cache"));
    scan.current_dir(&check).args([
        "scan",
        "--quiet",
        "--format",
        "json",
        "--plugins",
        "my-check.wasm",
        "--snapshot",
        "fixtures/fail-example.json",
    ]);
    let report = run(&mut scan).json();
    let result = support::result(&report, "my-check");
    assert_eq!(
        result["title"],
        "Ensure no 'root' user account access key exists"
    );
    let v7 = result["benchmarks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|reference| reference["version"] == "7.0.0")
        .cloned()
        .unwrap_or(Value::Null);
    assert_eq!(
        (
            v7["id"].as_str(),
            v7["scoring"].as_str(),
            v7["level"].as_u64()
        ),
        (Some("2.4"), Some("Automated"), Some(1)),
        "{lang}: {result:#}"
    );
    assert_eq!(
        result["benchmarks"].as_array().unwrap().len(),
        11,
        "{lang}: the control is in all 11 versions"
    );
}

fn a_rust_scaffold_builds_and_passes_its_fixtures() {
    let sdk = support::root().join("guest-sdk");
    scaffold_builds_and_passes("rust", &["--guest-sdk", sdk.to_str().unwrap()], &[]);
}

fn a_python_scaffold_builds_and_passes_its_fixtures() {
    scaffold_builds_and_passes("python", &[], &[]);
}

fn a_javascript_scaffold_builds_and_passes_its_fixtures() {
    scaffold_builds_and_passes("javascript", &[], &[]);
}

fn a_c_scaffold_builds_and_passes_its_fixtures() {
    let setup = Command::new(support::root().join("scripts/setup-c-tools.sh"))
        .output()
        .expect("run scripts/setup-c-tools.sh");
    assert!(
        setup.status.success(),
        "{}",
        String::from_utf8_lossy(&setup.stderr)
    );
    let tools = String::from_utf8(setup.stdout).unwrap().trim().to_string();
    scaffold_builds_and_passes("c", &[], &[("PLUMBLINE_C_TOOLS", tools)]);
}

fn bad_scaffold_requests_are_refused_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let refused = |args: &[&str], needle: &str| {
        let mut command = host(&dir.path().join("cache"));
        command.current_dir(dir.path()).arg("new").args(args);
        let outcome = run(&mut command);
        assert_eq!(outcome.code, 2, "{args:?}: {}", outcome.stdout);
        assert!(
            outcome.stderr.contains(needle),
            "{args:?}: {}",
            outcome.stderr
        );
    };
    refused(
        &[
            "--lang",
            "python",
            "--control",
            "ROOT_NO_ACCESS_KEY",
            "my-check",
        ],
        "there is no CIS control \"ROOT_NO_ACCESS_KEY\" (similar: ",
    );
    refused(
        &["--lang", "python", "--control", CONTROL, "My_Check"],
        "\"My_Check\" is not a check id: use kebab-case",
    );
    let names = |dir: &Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name != "cache")
            .collect();
        names.sort();
        names
    };
    assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));

    std::fs::create_dir(dir.path().join("my-check")).unwrap();
    std::fs::write(dir.path().join("my-check/notes.txt"), "mine").unwrap();
    refused(
        &["--lang", "c", "--control", CONTROL, "my-check"],
        "my-check exists and is not empty",
    );
    assert_eq!(names(&dir.path().join("my-check")), ["notes.txt"]);
    assert_eq!(names(dir.path()), ["my-check"]);
}
