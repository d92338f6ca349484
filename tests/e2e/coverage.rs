//! `host coverage` on the built first-party checks: every recommendation of a
//! CIS version with the checks that implement it, per-section counts, JSON,
//! filters, and refusals (unknown version, unknown section, a bad plugin).

use std::path::{Path, PathBuf};

use libtest_mimic::Trial;
use serde_json::Value;

use crate::support;
use crate::support::{Run, host, run};

pub fn tests() -> Vec<Trial> {
    e2e_tests![
        sync the_table_shows_each_recommendation_with_its_checks_and_counts_per_section,
        sync json_lists_every_recommendation_of_the_newest_version_by_default,
        sync first_party_checks_agree_with_every_versions_table,
        sync sections_filter_by_name_or_number,
        sync an_unknown_version_is_refused_with_the_known_ones,
        sync a_plugin_that_cannot_load_is_refused,
        sync every_recommendation_has_a_check_in_every_version,
    ]
}

/// One compile cache for the module: every test loads the same checks.
fn cache() -> PathBuf {
    support::shared_dir("coverage-compile-cache")
}

fn coverage(args: &[&str]) -> Run {
    coverage_of(&support::checks_dir(), args)
}

fn coverage_of(plugins: &Path, args: &[&str]) -> Run {
    let mut command = host(&cache());
    command
        .args(["coverage", "--plugins"])
        .arg(plugins)
        .args(args);
    run(&mut command)
}

/// The reference table of one version, as the repository ships it.
fn table(version: &str) -> Vec<Value> {
    let path = support::root().join(format!("benchmarks/cis-aws-v{version}.json"));
    let text = std::fs::read_to_string(&path).unwrap();
    serde_json::from_str::<Vec<Value>>(&text).unwrap()
}

/// Every version in `benchmarks/`, oldest first.
fn versions() -> Vec<String> {
    let mut versions: Vec<semver::Version> = std::fs::read_dir(support::root().join("benchmarks"))
        .unwrap()
        .filter_map(|entry| {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            let version = name.strip_prefix("cis-aws-v")?.strip_suffix(".json")?;
            Some(semver::Version::parse(version).unwrap())
        })
        .collect();
    versions.sort();
    versions.iter().map(ToString::to_string).collect()
}

fn ids(document: &Value) -> Vec<String> {
    document["recommendations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

fn succeeded(run: &Run) {
    assert_eq!(
        run.code, 0,
        "stderr: {}\nstdout: {}",
        run.stderr, run.stdout
    );
}

fn the_table_shows_each_recommendation_with_its_checks_and_counts_per_section() {
    let listed = coverage(&["--cis", "3.0.0"]);
    succeeded(&listed);
    let row = |id: &str| -> &str {
        listed
            .stdout
            .lines()
            .find(|line| line.trim_start().starts_with(&format!("{id} ")))
            .unwrap_or_else(|| panic!("no row {id}:\n{}", listed.stdout))
    };
    let root_mfa = row("1.5");
    for needle in [
        "L1",
        "Automated",
        "root-mfa",
        "Ensure MFA is enabled for the 'root' user account",
    ] {
        assert!(root_mfa.contains(needle), "{needle:?} not in {root_mfa:?}");
    }
    let cloudtrail = row("3.1");
    assert!(
        cloudtrail.contains("Ensure CloudTrail is enabled in all regions")
            && cloudtrail.contains("cloudtrail-multi-region"),
        "{cloudtrail:?}"
    );
    // With one check loaded, the others' recommendations say so.
    let root_mfa_only = coverage_of(&support::check("root-mfa"), &["--cis", "3.0.0"]);
    succeeded(&root_mfa_only);
    let unimplemented = root_mfa_only
        .stdout
        .lines()
        .find(|line| line.trim_start().starts_with("3.1 "))
        .unwrap_or_default();
    assert!(
        unimplemented.contains("not implemented"),
        "{}",
        root_mfa_only.stdout
    );
    assert!(
        root_mfa_only.stdout.contains(&format!(
            "Total: 1 of {} recommendations implemented",
            table("3.0.0").len()
        )),
        "{}",
        root_mfa_only.stdout
    );

    let v3 = table("3.0.0");
    for (number, name) in [("1", "Identity and Access Management"), ("3", "Logging")] {
        let in_section: Vec<&Value> = v3.iter().filter(|r| r["section"] == name).collect();
        let implemented = in_section
            .iter()
            .filter(|r| !row(r["id"].as_str().unwrap()).contains("not implemented"))
            .count();
        let summary = format!(
            "{number} {name}: {implemented} of {} recommendations implemented",
            in_section.len()
        );
        assert!(
            listed.stdout.lines().any(|line| line == summary),
            "no line {summary:?}:\n{}",
            listed.stdout
        );
    }
    assert!(
        listed
            .stdout
            .contains(&format!(" of {} recommendations implemented", v3.len())),
        "{}",
        listed.stdout
    );

    let long_flag = coverage(&["--benchmark-version", "3.0.0"]);
    succeeded(&long_flag);
    assert_eq!(long_flag.stdout, listed.stdout);
}

fn json_lists_every_recommendation_of_the_newest_version_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("coverage.json");
    let written = coverage(&["--format", "json", "--output", output.to_str().unwrap()]);
    succeeded(&written);
    assert!(written.stdout.is_empty(), "{}", written.stdout);
    let document: Value = serde_json::from_str(&std::fs::read_to_string(&output).unwrap()).unwrap();

    let newest = versions().pop().unwrap();
    assert_eq!(document["version"], newest.as_str());
    assert_eq!(document["benchmark"], "CIS AWS Foundations");
    let reference = table(&newest);
    let expected_ids: Vec<&str> = reference
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids(&document), expected_ids);
    assert_eq!(document["total"], reference.len());
    assert_eq!(
        document["checks_loaded"],
        support::first_party_check_ids().len()
    );

    let recommendations = document["recommendations"].as_array().unwrap();
    for (row, published) in recommendations.iter().zip(&reference) {
        assert_eq!(row["title"], published["title"]);
        assert_eq!(row["section"], published["section"]);
        assert_eq!(row["scoring"], published["assessment"]);
        assert_eq!(
            format!("Level {}", row["level"]),
            published["profile"].as_str().unwrap()
        );
        assert_eq!(row["control_key"], published["control_key"]);
        assert!(row["checks"].is_array(), "{row}");
    }
    let root_mfa = recommendations
        .iter()
        .find(|r| r["control_key"] == "root_mfa")
        .unwrap();
    assert_eq!(root_mfa["checks"], serde_json::json!(["root-mfa"]));

    let implemented = recommendations
        .iter()
        .filter(|r| !r["checks"].as_array().unwrap().is_empty())
        .count();
    assert_eq!(document["implemented"], implemented);
    let sections = document["sections"].as_array().unwrap();
    let section_sum = |field: &str| {
        sections
            .iter()
            .map(|s| s[field].as_u64().unwrap())
            .sum::<u64>()
    };
    assert_eq!(section_sum("total"), reference.len() as u64);
    assert_eq!(section_sum("implemented"), implemented as u64);
    assert_eq!(sections[0]["name"], "Identity and Access Management");
    assert!(document["mismatches"].is_array());
}

fn first_party_checks_agree_with_every_versions_table() {
    for version in versions() {
        let listed = coverage(&["--cis", &version, "--format", "json", "--quiet"]);
        succeeded(&listed);
        assert_eq!(
            listed.json()["mismatches"],
            serde_json::json!([]),
            "v{version}"
        );
        assert!(!listed.stderr.contains("warning"), "{}", listed.stderr);
    }
}

fn sections_filter_by_name_or_number() {
    let logging = coverage(&["--cis", "3.0.0", "--section", "logging", "--format", "json"]);
    succeeded(&logging);
    let logging = logging.json();
    let expected: Vec<String> = table("3.0.0")
        .iter()
        .filter(|r| r["section"] == "Logging")
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(ids(&logging), expected);
    assert_eq!(logging["sections"].as_array().unwrap().len(), 1);
    assert_eq!(logging["total"], expected.len());

    let by_number = coverage(&["--cis", "3.0.0", "--section", "3", "--format", "json"]);
    succeeded(&by_number);
    assert_eq!(ids(&by_number.json()), expected);

    // v6.0.0 numbers its sections from 2; 3.1 is its S3 subsection.
    let s3 = coverage(&["--cis", "6.0.0", "--section", "3.1", "--format", "json"]);
    succeeded(&s3);
    let s3_ids = ids(&s3.json());
    assert!(!s3_ids.is_empty());
    assert!(s3_ids.iter().all(|id| id.starts_with("3.1.")), "{s3_ids:?}");
    let by_name = coverage(&["--cis", "6.0.0", "--section", "S3", "--format", "json"]);
    assert_eq!(ids(&by_name.json()), s3_ids);

    let unknown = coverage(&["--cis", "3.0.0", "--section", "Billing"]);
    assert_eq!(unknown.code, 2);
    assert!(unknown.stdout.is_empty());
    for needle in [
        "\"Billing\"",
        "1 Identity and Access Management",
        "3 Logging",
    ] {
        assert!(
            unknown.stderr.contains(needle),
            "{needle:?} not in {}",
            unknown.stderr
        );
    }
}

fn an_unknown_version_is_refused_with_the_known_ones() {
    let refused = coverage(&["--cis", "9.9.9"]);
    assert_eq!(refused.code, 2);
    assert!(refused.stdout.is_empty(), "{}", refused.stdout);
    assert!(refused.stderr.contains("9.9.9"), "{}", refused.stderr);
    let known = versions().join(", ");
    assert!(
        refused.stderr.contains(&known),
        "{known:?} not in {}",
        refused.stderr
    );
}

fn a_plugin_that_cannot_load_is_refused() {
    let plugins = tempfile::tempdir().unwrap();
    let bad = plugins.path().join("not-a-check.wasm");
    std::fs::write(&bad, b"hello").unwrap();
    let refused = coverage_of(plugins.path(), &[]);
    assert_eq!(refused.code, 2);
    assert!(refused.stdout.is_empty(), "{}", refused.stdout);
    assert!(
        refused.stderr.contains(&bad.display().to_string())
            && refused.stderr.contains("not a WebAssembly file"),
        "{}",
        refused.stderr
    );
}

/// The issues' definition of done: every recommendation of every section has
/// a check, in every version.
fn every_recommendation_has_a_check_in_every_version() {
    let mut missing = Vec::new();
    let mut judged = 0;
    for version in versions() {
        let listed = coverage(&["--cis", &version, "--format", "json", "--quiet"]);
        succeeded(&listed);
        let sections: std::collections::BTreeMap<String, String> = table(&version)
            .iter()
            .map(|r| {
                let id = r["id"].as_str().unwrap().to_string();
                (id, r["section"].as_str().unwrap().to_string())
            })
            .collect();
        for recommendation in listed.json()["recommendations"].as_array().unwrap() {
            let id = recommendation["id"].as_str().unwrap();
            let section = &sections[id];
            judged += 1;
            if recommendation["checks"].as_array().unwrap().is_empty() {
                missing.push(format!(
                    "v{version} {section} {id} ({})",
                    recommendation["control_key"].as_str().unwrap()
                ));
            }
        }
    }
    assert!(judged > 0, "no recommendations listed");
    assert!(
        missing.is_empty(),
        "recommendations without a check:\n  {}",
        missing.join("\n  ")
    );
}
