//! The CIS AWS Foundations Benchmark, one table per published version,
//! embedded from `benchmarks/cis-aws-v*.json` at compile time. These tables
//! are the host's only list of benchmark versions.

use std::sync::LazyLock;

use serde::{Deserialize, Deserializer};

use crate::bindings::types::Scoring;

/// The benchmark name check references carry (the guest SDK's
/// `cis::BENCHMARK`).
pub const BENCHMARK: &str = "CIS AWS Foundations";

/// One recommendation as a version of the benchmark publishes it.
#[derive(Debug, Clone, Deserialize)]
pub struct Recommendation {
    /// The number in this version ("1.4", "3.1.2").
    pub id: String,
    pub title: String,
    pub section: String,
    pub subsection: Option<String>,
    #[serde(rename = "profile", deserialize_with = "profile_level")]
    pub level: u8,
    #[serde(rename = "assessment", deserialize_with = "assessment")]
    pub scoring: Scoring,
    /// The same control's key in every version.
    pub control_key: String,
}

impl Recommendation {
    /// The section's number: the first part of the id.
    pub fn section_number(&self) -> &str {
        self.id.split('.').next().unwrap_or(&self.id)
    }
}

/// One published version of the benchmark.
#[derive(Debug)]
pub struct Benchmark {
    pub version: String,
    /// In the order the benchmark lists them.
    pub recommendations: Vec<Recommendation>,
}

impl Benchmark {
    pub fn recommendation(&self, id: &str) -> Option<&Recommendation> {
        self.recommendations.iter().find(|r| r.id == id)
    }
}

macro_rules! embedded_tables {
    ($($version:literal),* $(,)?) => {
        &[$((
            $version,
            include_str!(concat!("../../benchmarks/cis-aws-v", $version, ".json")),
        )),*]
    };
}

/// Oldest first. A unit test checks that every table in `benchmarks/` is here.
const TABLES: &[(&str, &str)] = embedded_tables!(
    "1.2.0", "1.3.0", "1.4.0", "1.5.0", "2.0.0", "3.0.0", "4.0.0", "4.0.1", "5.0.0", "6.0.0",
    "7.0.0",
);

static BENCHMARKS: LazyLock<Vec<Benchmark>> = LazyLock::new(|| {
    TABLES
        .iter()
        .map(|(version, text)| Benchmark {
            version: version.to_string(),
            recommendations: serde_json::from_str(text).unwrap_or_else(|error| {
                panic!("the embedded CIS v{version} table does not parse: {error}")
            }),
        })
        .collect()
});

/// Every version of the benchmark, oldest first.
pub fn all() -> &'static [Benchmark] {
    &BENCHMARKS
}

/// The version numbers, oldest first.
pub fn versions() -> impl Iterator<Item = &'static str> {
    all().iter().map(|benchmark| benchmark.version.as_str())
}

pub fn find(version: &str) -> Option<&'static Benchmark> {
    all().iter().find(|benchmark| benchmark.version == version)
}

pub fn newest() -> &'static Benchmark {
    all()
        .last()
        .expect("at least one benchmark table is embedded")
}

fn profile_level<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u8, D::Error> {
    let profile = String::deserialize(deserializer)?;
    match profile.as_str() {
        "Level 1" => Ok(1),
        "Level 2" => Ok(2),
        other => Err(serde::de::Error::custom(format!(
            "unknown profile {other:?}"
        ))),
    }
}

fn assessment<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Scoring, D::Error> {
    let assessment = String::deserialize(deserializer)?;
    match assessment.as_str() {
        "Scored" => Ok(Scoring::Scored),
        "Not Scored" => Ok(Scoring::NotScored),
        "Automated" => Ok(Scoring::Automated),
        "Manual" => Ok(Scoring::Manual),
        other => Err(serde::de::Error::custom(format!(
            "unknown assessment {other:?}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;

    #[test]
    fn every_table_in_the_benchmarks_folder_is_embedded() {
        let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/../benchmarks");
        let on_disk: BTreeSet<String> = std::fs::read_dir(folder)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter_map(|name| {
                name.strip_prefix("cis-aws-v")?
                    .strip_suffix(".json")
                    .map(str::to_string)
            })
            .collect();
        let embedded: BTreeSet<String> = versions().map(str::to_string).collect();
        assert_eq!(on_disk, embedded);
    }

    #[test]
    fn versions_are_in_semver_order_and_the_newest_is_last() {
        let parsed: Vec<semver::Version> = versions()
            .map(|v| semver::Version::parse(v).unwrap())
            .collect();
        assert!(
            parsed.windows(2).all(|pair| pair[0] < pair[1]),
            "{parsed:?}"
        );
        assert_eq!(newest().version, parsed.last().unwrap().to_string());
    }

    #[test]
    fn tables_parse_with_unique_ids_and_the_scoring_vocabulary_of_their_era() {
        for benchmark in all() {
            assert!(!benchmark.recommendations.is_empty());
            let ids: BTreeSet<&str> = benchmark
                .recommendations
                .iter()
                .map(|r| r.id.as_str())
                .collect();
            assert_eq!(
                ids.len(),
                benchmark.recommendations.len(),
                "duplicate ids in v{}",
                benchmark.version
            );
            let scored_era = benchmark.version == "1.2.0";
            for recommendation in &benchmark.recommendations {
                let old_vocabulary =
                    matches!(recommendation.scoring, Scoring::Scored | Scoring::NotScored);
                assert_eq!(
                    old_vocabulary, scored_era,
                    "v{} {}",
                    benchmark.version, recommendation.id
                );
            }
        }
        let root_mfa = find("3.0.0").unwrap().recommendation("1.5").unwrap();
        assert_eq!(root_mfa.control_key, "root_mfa");
        assert_eq!(root_mfa.level, 1);
        assert_eq!(root_mfa.scoring, Scoring::Automated);
        assert_eq!(root_mfa.section_number(), "1");
    }

    #[derive(Deserialize)]
    struct CrossVersionControl {
        versions: BTreeMap<String, CrossVersionEntry>,
    }

    #[derive(Deserialize, PartialEq, Debug)]
    struct CrossVersionEntry {
        id: String,
        title: String,
        assessment: String,
        profile: String,
    }

    /// The guest SDK builds its per-control constants from the cross-version
    /// file; the host reads the per-version files. Both must say the same.
    #[test]
    fn per_version_tables_agree_with_the_cross_version_table_the_guest_sdk_reads() {
        let cross: BTreeMap<String, CrossVersionControl> =
            serde_json::from_str(include_str!("../../benchmarks/cis-aws-crossversion.json"))
                .unwrap();
        let mut from_cross: BTreeSet<(String, String, String)> = BTreeSet::new();
        for (key, control) in &cross {
            for (version, entry) in &control.versions {
                from_cross.insert((version.clone(), entry.id.clone(), key.clone()));
                let benchmark = find(version)
                    .unwrap_or_else(|| panic!("{key} names v{version}, which has no table"));
                let recommendation = benchmark
                    .recommendation(&entry.id)
                    .unwrap_or_else(|| panic!("{key}: v{version} has no {}", entry.id));
                let as_cross = CrossVersionEntry {
                    id: recommendation.id.clone(),
                    title: recommendation.title.clone(),
                    assessment: crate::report::json::scoring_name(recommendation.scoring).into(),
                    profile: format!("Level {}", recommendation.level),
                };
                assert_eq!(&as_cross, entry, "{key} v{version}");
            }
        }
        let from_tables: BTreeSet<(String, String, String)> = all()
            .iter()
            .flat_map(|benchmark| {
                benchmark.recommendations.iter().map(|r| {
                    (
                        benchmark.version.clone(),
                        r.id.clone(),
                        r.control_key.clone(),
                    )
                })
            })
            .collect();
        assert_eq!(from_tables, from_cross);
    }
}
