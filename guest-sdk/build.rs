//! Turns the CIS cross-version reference table into one Rust constant per
//! control, so a check names its control (`cis::ROOT_MFA`) and gets its id,
//! scoring status and level in every version without retyping them. A wrong
//! control name is a compile error.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

#[derive(serde::Deserialize)]
struct Control {
    versions: BTreeMap<String, VersionEntry>,
}

#[derive(serde::Deserialize)]
struct VersionEntry {
    id: String,
    title: String,
    assessment: String,
    profile: String,
}

const TABLE: &str = "../benchmarks/cis-aws-crossversion.json";

fn main() {
    println!("cargo::rerun-if-changed={TABLE}");
    let text = std::fs::read_to_string(TABLE).expect("read the CIS reference table");
    let controls: BTreeMap<String, Control> =
        serde_json::from_str(&text).expect("parse the CIS reference table");

    let mut out = String::new();
    for (key, control) in &controls {
        let mut versions: Vec<(&String, &VersionEntry)> = control.versions.iter().collect();
        versions.sort_by_key(|(version, _)| version_order(version));
        let latest_title = &versions.last().expect("a control has versions").1.title;
        writeln!(out, "/// {}", latest_title.replace('\n', " ")).unwrap();
        writeln!(
            out,
            "pub const {}: Control = Control {{ key: {key:?}, title: {latest_title:?}, references: &[",
            key.to_uppercase()
        )
        .unwrap();
        for (version, entry) in versions {
            let scoring = match entry.assessment.as_str() {
                "Scored" => "Scored",
                "Not Scored" => "NotScored",
                "Automated" => "Automated",
                "Manual" => "Manual",
                other => panic!("{key} {version}: unknown assessment {other:?}"),
            };
            let level: u8 = entry
                .profile
                .trim_start_matches("Level ")
                .parse()
                .unwrap_or_else(|_| panic!("{key} {version}: unknown profile {:?}", entry.profile));
            writeln!(
                out,
                "    Reference {{ version: {version:?}, id: {:?}, scoring: Scoring::{scoring}, level: {level} }},",
                entry.id
            )
            .unwrap();
        }
        writeln!(out, "] }};").unwrap();
    }
    let path = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("cis_controls.rs");
    std::fs::write(path, out).unwrap();
}

fn version_order(version: &str) -> Vec<u32> {
    version
        .split('.')
        .map(|part| part.parse().unwrap_or(0))
        .collect()
}
