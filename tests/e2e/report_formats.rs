//! Every report format from one scan of the demo account (`--format
//! table,json,html,csv,junit,sarif,asff,ocsf --output-dir`), each validated
//! against its published schema, never a hand-written sample: SARIF against
//! the SARIF 2.1.0 JSON schema, OCSF against the OCSF 1.8.0 Compliance
//! Finding JSON schema and JUnit against the Jenkins xunit-plugin XSD (all in
//! `tests/schemas/`, their sources named in its README), with the Python
//! `jsonschema` and `xmllint`; HTML with html5lib's strict parser of the
//! WHATWG specification (`html_report.rs` opens it in a browser); ASFF against the BatchImportFindings model of
//! botocore, then imported twice into moto's Security Hub to show that a
//! re-import updates findings instead of adding copies. Check text stays
//! inert in every format: a formula is neutralised in CSV, markup escaped in
//! JUnit.

use std::path::{Path, PathBuf};
use std::process::Command;

use libtest_mimic::Trial;
use serde_json::Value;

use crate::support::moto;
use crate::support::{self, Run, host, run};

pub fn tests() -> Vec<Trial> {
    e2e_tests![
        sync every_format_from_one_scan_validates_against_its_schema,
        sync every_format_lists_the_same_findings_as_the_json,
        sync an_asff_import_run_twice_keeps_the_finding_ids,
        sync check_text_is_inert_in_csv_and_junit,
        sync several_formats_need_an_output_dir,
    ]
}

const FORMATS: &str = "table,json,html,csv,junit,sarif,asff,ocsf";

/// Scans `snapshot` with `plugins` into a fresh folder, every format.
fn scan_all_formats(plugins: &[PathBuf], snapshot: &Path, extra: &[&str]) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let mut command = host(&support::shared_dir("report-formats-compile-cache"));
    command.args(["scan", "--quiet", "--format", FORMATS, "--output-dir"]);
    command.arg(out.path()).arg("--snapshot").arg(snapshot);
    for plugin in plugins {
        command.arg("--plugins").arg(plugin);
    }
    command.args(extra);
    let outcome = run(&mut command);
    assert!(outcome.code == 1 || outcome.code == 0, "{}", outcome.stderr);
    out
}

/// Every format of the demo account, with one failure waived (so the
/// formats' waived and suppressed forms are validated too).
fn demo_reports() -> tempfile::TempDir {
    let waivers = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        waivers.path(),
        "[[waiver]]\ncheck = \"iam-user-console-mfa\"\nresource = \"arn:aws:iam::*:user/bob\"\n\
         reason = \"token on order\"\nowner = \"secops\"\nexpires = 2027-01-31\n",
    )
    .unwrap();
    scan_all_formats(
        &[support::checks_dir()],
        &support::root().join("examples/demo-account.json"),
        &["--waivers", waivers.path().to_str().unwrap()],
    )
}

fn python(script: &str, args: &[&str]) -> Run {
    let output = Command::new(support::root().join(".venv/bin/python"))
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("run the project's .venv python (scripts/setup-python.sh)");
    Run::from(output)
}

fn schema(name: &str) -> String {
    support::root()
        .join("tests/schemas")
        .join(name)
        .display()
        .to_string()
}

fn path(dir: &Path, name: &str) -> String {
    dir.join(name).display().to_string()
}

/// Validates a JSON document, or each event of a list with `--each`.
const VALIDATE_JSON: &str = r#"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
document = json.load(open(sys.argv[2]))
validator = jsonschema.validators.validator_for(schema)(schema)
validator.check_schema(schema)
for instance in (document if sys.argv[3:] == ["--each"] else [document]):
    validator.validate(instance)
"#;

/// Parses HTML as the WHATWG specification says, refusing any parse error.
const VALIDATE_HTML: &str = r#"
import sys, html5lib
html5lib.HTMLParser(strict=True).parse(open(sys.argv[1], "rb"))
"#;

const VALIDATE_ASFF: &str = r#"
import json, sys, botocore.session, botocore.validate
model = botocore.session.get_session().get_service_model("securityhub")
shape = model.operation_model("BatchImportFindings").input_shape
findings = json.load(open(sys.argv[1]))
for start in range(0, len(findings), 100):
    report = botocore.validate.ParamValidator().validate({"Findings": findings[start:start + 100]}, shape)
    if report.has_errors():
        sys.exit(report.generate_report())
print(len(findings))
"#;

fn every_format_from_one_scan_validates_against_its_schema() {
    let reports = demo_reports();
    let dir = reports.path();
    for name in [
        "plumbline-report.txt",
        "plumbline-report.json",
        "plumbline-report.html",
        "plumbline-report.csv",
        "plumbline-report.junit.xml",
        "plumbline-report.sarif",
        "plumbline-report.asff.json",
        "plumbline-report.ocsf.json",
    ] {
        assert!(dir.join(name).exists(), "no {name}");
    }

    let sarif = python(
        VALIDATE_JSON,
        &[
            &schema("sarif-2.1.0-rtm.5.json"),
            &path(dir, "plumbline-report.sarif"),
        ],
    );
    assert_eq!(sarif.code, 0, "SARIF against its schema:\n{}", sarif.stderr);

    let ocsf = python(
        VALIDATE_JSON,
        &[
            &schema("ocsf-1.8.0-compliance_finding.json"),
            &path(dir, "plumbline-report.ocsf.json"),
            "--each",
        ],
    );
    assert_eq!(ocsf.code, 0, "OCSF against its schema:\n{}", ocsf.stderr);

    let html = python(VALIDATE_HTML, &[&path(dir, "plumbline-report.html")]);
    assert_eq!(html.code, 0, "HTML parse errors:\n{}", html.stderr);

    let junit = Command::new("xmllint")
        .args(["--noout", "--schema", &schema("junit-10.xsd")])
        .arg(dir.join("plumbline-report.junit.xml"))
        .output()
        .expect("xmllint (scripts/setup-test-tools.sh installs libxml2-utils)");
    assert!(
        junit.status.success(),
        "JUnit against the XSD:\n{}",
        String::from_utf8_lossy(&junit.stderr)
    );

    let asff = python(VALIDATE_ASFF, &[&path(dir, "plumbline-report.asff.json")]);
    assert_eq!(
        asff.code, 0,
        "ASFF against BatchImportFindings:\n{}{}",
        asff.stdout, asff.stderr
    );
}

/// (check, resource, status) of every finding in the JSON report.
fn json_findings(dir: &Path) -> Vec<(String, String, String)> {
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("plumbline-report.json")).unwrap())
            .unwrap();
    let mut findings = Vec::new();
    for result in report["results"].as_array().unwrap() {
        for finding in result["findings"].as_array().unwrap() {
            findings.push((
                result["check"].as_str().unwrap().to_string(),
                finding["resource"].as_str().unwrap().to_string(),
                finding["status"].as_str().unwrap().to_string(),
            ));
        }
    }
    findings.sort();
    findings
}

const READ_CSV: &str = r#"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
print(json.dumps([[row["check"], row["resource"], row["status"]] for row in rows]))
"#;

fn every_format_lists_the_same_findings_as_the_json() {
    let reports = demo_reports();
    let dir = reports.path();
    let expected = json_findings(dir);
    assert!(expected.len() > 100, "the demo account has many findings");

    let csv = python(READ_CSV, &[&path(dir, "plumbline-report.csv")]);
    assert_eq!(csv.code, 0, "{}", csv.stderr);
    let mut from_csv: Vec<(String, String, String)> = serde_json::from_str(&csv.stdout).unwrap();
    from_csv.sort();
    assert_eq!(from_csv, expected, "CSV rows");

    let read = |name: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join(name)).unwrap()).unwrap()
    };
    let sarif = read("plumbline-report.sarif");
    let mut from_sarif: Vec<(String, String, String)> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|result| {
            (
                result["ruleId"].as_str().unwrap().to_string(),
                result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
                    .as_str()
                    .unwrap()
                    .to_string(),
                result["properties"]["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    from_sarif.sort();
    assert_eq!(from_sarif, expected, "SARIF results");

    let asff = read("plumbline-report.asff.json");
    let findings = asff.as_array().unwrap();
    assert_eq!(
        findings.len(),
        expected.len(),
        "one ASFF finding per finding"
    );
    let failed = findings
        .iter()
        .filter(|finding| finding["Compliance"]["Status"] == "FAILED")
        .count();
    let count = |wanted: &str| {
        expected
            .iter()
            .filter(|(_, _, status)| status == wanted)
            .count()
    };
    let (expected_failed, waived) = (count("fail"), count("waived"));
    assert_eq!(waived, 1, "bob's console MFA finding is waived");
    assert_eq!(
        failed,
        expected_failed + waived,
        "ASFF FAILED findings (waived ones suppressed)"
    );
    let suppressed = findings
        .iter()
        .filter(|finding| finding["Workflow"]["Status"] == "SUPPRESSED")
        .count();
    assert_eq!(suppressed, waived, "a waived finding is suppressed in ASFF");
    let sarif_suppressed = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|result| !result["suppressions"].as_array().unwrap().is_empty())
        .count();
    assert_eq!(
        sarif_suppressed, waived,
        "a waived finding is a SARIF suppression"
    );

    let ocsf = read("plumbline-report.ocsf.json");
    let events = ocsf.as_array().unwrap();
    let mut from_ocsf: Vec<(String, String, String)> = events
        .iter()
        .map(|event| {
            (
                event["metadata"]["event_code"]
                    .as_str()
                    .unwrap()
                    .to_string(),
                event["resources"][0]["uid"].as_str().unwrap().to_string(),
                event["status_code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    from_ocsf.sort();
    assert_eq!(from_ocsf, expected, "OCSF events");
    let ocsf_failed = events
        .iter()
        .filter(|event| event["compliance"]["status"] == "Fail")
        .count();
    assert_eq!(ocsf_failed, expected_failed + waived, "OCSF Fail verdicts");
    let ocsf_suppressed: Vec<&Value> = events
        .iter()
        .filter(|event| event["status"] == "Suppressed")
        .collect();
    assert_eq!(
        ocsf_suppressed.len(),
        waived,
        "a waived event is suppressed"
    );
    assert!(
        ocsf_suppressed[0]["comment"]
            .as_str()
            .unwrap()
            .contains("token on order"),
        "{}",
        ocsf_suppressed[0]
    );
    let ids: std::collections::BTreeSet<&str> = events
        .iter()
        .map(|event| event["finding_info"]["uid"].as_str().unwrap())
        .collect();
    let asff_ids: std::collections::BTreeSet<&str> = findings
        .iter()
        .map(|finding| finding["Id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, asff_ids, "OCSF and ASFF name each finding alike");

    let junit = std::fs::read_to_string(dir.join("plumbline-report.junit.xml")).unwrap();
    assert_eq!(
        junit.matches("<testcase ").count(),
        expected.len(),
        "JUnit test cases"
    );
    assert_eq!(
        junit.matches("<failure ").count(),
        expected_failed,
        "JUnit failures"
    );
}

const IMPORT_ASFF: &str = r#"
import json, sys, boto3
client = boto3.client("securityhub", endpoint_url=sys.argv[1], region_name="us-east-1",
                      aws_access_key_id="test", aws_secret_access_key="test")
findings = json.load(open(sys.argv[2]))
for start in range(0, len(findings), 100):
    answer = client.batch_import_findings(Findings=findings[start:start + 100])
    if answer["FailedCount"]:
        sys.exit(json.dumps(answer["FailedFindings"]))
ids = []
for page in client.get_paginator("get_findings").paginate():
    ids += [finding["Id"] for finding in page["Findings"]]
print(json.dumps(sorted(ids)))
"#;

/// Two scans of the demo account a week apart, imported one after the
/// other into moto's Security Hub (a server of its own): the second import
/// updates the first one's findings, so the set of ids does not grow.
fn an_asff_import_run_twice_keeps_the_finding_ids() {
    let endpoint = moto::start(&[]);
    let snapshot = support::root().join("examples/demo-account.json");
    let first = scan_all_formats(&[support::checks_dir()], &snapshot, &[]);
    let second = scan_all_formats(
        &[support::checks_dir()],
        &snapshot,
        &["--now", "2026-12-03T00:00:00Z"],
    );
    let import = |dir: &Path| -> Vec<String> {
        let imported = python(
            IMPORT_ASFF,
            &[&endpoint, &path(dir, "plumbline-report.asff.json")],
        );
        assert_eq!(
            imported.code, 0,
            "import: {}{}",
            imported.stdout, imported.stderr
        );
        serde_json::from_str(imported.stdout.trim()).unwrap()
    };
    let after_first = import(first.path());
    let after_second = import(second.path());
    assert!(after_first.len() > 100, "{}", after_first.len());
    assert_eq!(
        after_second, after_first,
        "a re-import updates, never duplicates"
    );
}

fn check_text_is_inert_in_csv_and_junit() {
    let plugin = support::root().join("tests/plugins/hostile-text/hostile-text.wasm");
    let reports = scan_all_formats(
        &[plugin],
        &support::root().join("examples/demo-account.json"),
        &[],
    );
    let dir = reports.path();
    let csv = std::fs::read_to_string(dir.join("plumbline-report.csv")).unwrap();
    let formula_cells: Vec<&str> = csv
        .split([',', '\n'])
        .filter(|cell| {
            cell.trim_start_matches('"')
                .starts_with(['=', '+', '-', '@'])
        })
        .collect();
    assert!(
        formula_cells.is_empty(),
        "cells a spreadsheet would run: {formula_cells:?}"
    );
    assert!(
        csv.contains("'=cmd|' /C calc'!A0") && csv.contains("\"'=HYPERLINK("),
        "the formulas are kept, as text: {csv}"
    );

    let junit = std::fs::read_to_string(dir.join("plumbline-report.junit.xml")).unwrap();
    assert!(!junit.contains("<script"), "{junit}");
    assert!(!junit.contains("</failure><"), "{junit}");
    assert!(
        junit.contains("&lt;/failure&gt;&lt;script&gt;alert(&apos;pwned&apos;)&lt;/script&gt;"),
        "{junit}"
    );
    assert!(!junit.contains('\u{1b}'), "no raw ESC in the XML");
    let valid = Command::new("xmllint")
        .args(["--noout", "--schema", &schema("junit-10.xsd")])
        .arg(dir.join("plumbline-report.junit.xml"))
        .output()
        .unwrap();
    assert!(
        valid.status.success(),
        "{}",
        String::from_utf8_lossy(&valid.stderr)
    );
}

fn several_formats_need_an_output_dir() {
    let mut command = host(&support::shared_dir("report-formats-compile-cache"));
    command
        .args(["scan", "--format", "json,sarif", "--snapshot"])
        .arg(support::root().join("examples/demo-account.json"))
        .arg("--plugins")
        .arg(support::check("root-mfa"));
    let refused = run(&mut command);
    assert_eq!(refused.code, 2);
    assert!(
        refused
            .stderr
            .contains("2 formats asked for but one output: give --output-dir DIR"),
        "{}",
        refused.stderr
    );
    assert!(refused.stdout.is_empty());
}
