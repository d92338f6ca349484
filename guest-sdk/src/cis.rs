//! The CIS AWS Foundations Benchmark controls, one constant per control key
//! of the reference tables (`benchmarks/cis-aws-crossversion.json`).

use crate::{BenchmarkRef, Scoring};

/// The benchmark name every reference carries.
pub const BENCHMARK: &str = "CIS AWS Foundations";

/// One control as it appears across benchmark versions.
#[derive(Debug, Clone, Copy)]
pub struct Control {
    /// The stable control key of the reference tables.
    pub key: &'static str,
    /// The title in the newest version that has the control.
    pub title: &'static str,
    /// Oldest version first.
    pub references: &'static [Reference],
}

/// The control's recommendation in one benchmark version.
#[derive(Debug, Clone, Copy)]
pub struct Reference {
    pub version: &'static str,
    pub id: &'static str,
    pub scoring: Scoring,
    pub level: u8,
}

impl Control {
    /// The control's references in the WIT shape.
    pub fn benchmark_refs(&self) -> Vec<BenchmarkRef> {
        self.references
            .iter()
            .map(|reference| BenchmarkRef {
                benchmark: BENCHMARK.to_string(),
                version: reference.version.to_string(),
                id: reference.id.to_string(),
                scoring: reference.scoring,
                level: reference.level,
            })
            .collect()
    }

    /// The versions of the benchmark that include this control.
    pub fn versions(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.references.iter().map(|reference| reference.version)
    }
}

include!(concat!(env!("OUT_DIR"), "/cis_controls.rs"));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_access_key_control_carries_every_versions_id() {
        let ids: Vec<(&str, &str)> = ROOT_NO_ACCESS_KEYS
            .references
            .iter()
            .map(|r| (r.version, r.id))
            .collect();
        assert_eq!(ids.first(), Some(&("1.2.0", "1.12")));
        assert!(ids.contains(&("5.0.0", "1.3")));
        assert!(ids.contains(&("6.0.0", "2.3")));
        assert_eq!(ids.last(), Some(&("7.0.0", "2.4")));
        assert!(matches!(
            ROOT_NO_ACCESS_KEYS.references[0].scoring,
            Scoring::Scored
        ));
        assert!(matches!(
            ROOT_NO_ACCESS_KEYS.references[1].scoring,
            Scoring::Automated
        ));
    }

    #[test]
    fn scoring_and_level_follow_the_table() {
        let v2 = ROOT_HARDWARE_MFA
            .references
            .iter()
            .find(|r| r.version == "2.0.0")
            .unwrap();
        assert!(matches!(v2.scoring, Scoring::Manual));
        assert_eq!(v2.level, 2);
    }
}
