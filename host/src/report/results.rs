//! From findings to per-check results and per-benchmark-version scores.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde::Serialize;

use crate::bindings::types::{BenchmarkRef, Finding, FindingStatus, Scoring, Severity};
use crate::runtime::Origin;
use crate::waivers::Waiver;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Pass,
    Fail,
    Manual,
    NotApplicable,
    Error,
    /// A failure an unexpired waiver accepts: not counted as a failure.
    Waived,
}

impl Status {
    /// As the JSON report and fixtures write it: `not-applicable`.
    pub fn name(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Manual => "manual",
            Status::NotApplicable => "not-applicable",
            Status::Error => "error",
            Status::Waived => "waived",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Pass => "PASS",
            Status::Fail => "FAIL",
            Status::Manual => "MANUAL",
            Status::NotApplicable => "N/A",
            Status::Error => "ERROR",
            Status::Waived => "WAIVED",
        }
    }
}

impl From<FindingStatus> for Status {
    fn from(status: FindingStatus) -> Self {
        match status {
            FindingStatus::Pass => Status::Pass,
            FindingStatus::Fail => Status::Fail,
            FindingStatus::Manual => Status::Manual,
            FindingStatus::NotApplicable => Status::NotApplicable,
            FindingStatus::Error => Status::Error,
        }
    }
}

/// One check's outcome, before choosing a benchmark version.
#[derive(Debug, Clone)]
pub struct CheckOutcome {
    /// Where the check came from: a local file or an installed pack.
    pub origin: Origin,
    pub check: String,
    pub title: String,
    pub severity: Severity,
    /// What the check does (the audit steps), why it matters and how to fix
    /// a failure, as its metadata says.
    pub guidance: Guidance,
    pub benchmarks: Vec<BenchmarkRef>,
    /// All findings, or why the check could not run at all.
    pub findings: Result<Vec<Finding>, String>,
    /// The waiver that accepts each finding, by index in `findings`; empty
    /// when no waivers were given.
    pub waivers: Vec<Option<Arc<Waiver>>>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Guidance {
    pub description: String,
    pub rationale: String,
    pub remediation: String,
}

/// A finding with its verdict in the report: its own status, or `waived`.
pub struct Judged<'a> {
    pub finding: &'a Finding,
    pub status: Status,
    pub waiver: Option<&'a Waiver>,
}

impl CheckOutcome {
    /// The findings that apply to a benchmark version (all, for `None`).
    pub fn findings_for(&self, version: Option<&str>) -> Vec<Judged<'_>> {
        let Ok(findings) = &self.findings else {
            return Vec::new();
        };
        findings
            .iter()
            .enumerate()
            .filter(|(_, finding)| match version {
                Some(version) => {
                    finding.benchmark_versions.is_empty()
                        || finding.benchmark_versions.iter().any(|v| v == version)
                }
                None => true,
            })
            .map(|(index, finding)| {
                let waiver = self.waivers.get(index).and_then(Option::as_deref);
                Judged {
                    finding,
                    status: if waiver.is_some() {
                        Status::Waived
                    } else {
                        finding.status.into()
                    },
                    waiver,
                }
            })
            .collect()
    }

    /// The check-level status for a version: fail if any finding fails; error
    /// if it could not evaluate; manual if a finding needs a human; waived if
    /// its only failures are waived; pass if something passed; not
    /// applicable if there was nothing to judge.
    pub fn status_for(&self, version: Option<&str>) -> Status {
        if self.findings.is_err() {
            return Status::Error;
        }
        worst(
            self.findings_for(version)
                .iter()
                .map(|judged| judged.status),
        )
    }

    pub fn reference_for(&self, version: &str) -> Option<&BenchmarkRef> {
        self.benchmarks
            .iter()
            .find(|reference| reference.version == version)
    }
}

/// The verdict of several: fail over error over manual over waived over
/// pass; not applicable when there is nothing to judge.
pub fn worst(statuses: impl IntoIterator<Item = Status>) -> Status {
    let statuses: BTreeSet<Status> = statuses.into_iter().collect();
    [
        Status::Fail,
        Status::Error,
        Status::Manual,
        Status::Waived,
        Status::Pass,
    ]
    .into_iter()
    .find(|status| statuses.contains(status))
    .unwrap_or(Status::NotApplicable)
}

/// A score for one benchmark version and profile level. Level 2 includes the
/// level 1 recommendations, as the CIS profiles do. Only recommendations CIS
/// scores (Scored, Automated) count; errors are shown, not scored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    pub benchmark: String,
    pub version: String,
    pub level: u8,
    pub passed: usize,
    pub failed: usize,
    pub errors: usize,
    /// passed / (passed + failed) in percent; none when nothing was judged.
    pub percent: Option<f64>,
    /// The version's Scored/Automated recommendations at this level that the
    /// loaded checks implement, whatever their verdict.
    pub assessed: usize,
    /// All the version's Scored/Automated recommendations at this level, so a
    /// partial scan says how partial it is; none for a version the host's
    /// tables do not have.
    pub recommendations: Option<usize>,
}

pub fn scores(outcomes: &[CheckOutcome]) -> Vec<Score> {
    // (benchmark, version) -> recommendation id -> (level, statuses of the checks implementing it)
    type Recommendations = BTreeMap<String, (u8, Vec<Status>)>;
    let mut versions: BTreeMap<(String, semver::Version, String), Recommendations> =
        BTreeMap::new();
    for outcome in outcomes {
        for reference in &outcome.benchmarks {
            if !matches!(reference.scoring, Scoring::Scored | Scoring::Automated) {
                continue;
            }
            let Ok(parsed) = semver::Version::parse(&reference.version) else {
                continue;
            };
            let recommendations = versions
                .entry((
                    reference.benchmark.clone(),
                    parsed,
                    reference.version.clone(),
                ))
                .or_default();
            let entry = recommendations
                .entry(reference.id.clone())
                .or_insert((reference.level, Vec::new()));
            entry.1.push(outcome.status_for(Some(&reference.version)));
        }
    }
    let mut scores = Vec::new();
    for ((benchmark, _, version), recommendations) in versions {
        for level in [1u8, 2] {
            let (mut passed, mut failed, mut errors, mut assessed) = (0, 0, 0, 0);
            for (recommendation_level, statuses) in recommendations.values() {
                if *recommendation_level > level {
                    continue;
                }
                assessed += 1;
                if statuses.contains(&Status::Fail) {
                    failed += 1;
                } else if statuses.contains(&Status::Error) {
                    errors += 1;
                } else if statuses.contains(&Status::Pass) {
                    passed += 1;
                }
            }
            let judged = passed + failed;
            scores.push(Score {
                benchmark: benchmark.clone(),
                version: version.clone(),
                level,
                passed,
                failed,
                errors,
                percent: (judged > 0).then(|| 100.0 * passed as f64 / judged as f64),
                assessed,
                recommendations: scored_recommendations(&benchmark, &version, level),
            });
        }
    }
    scores
}

/// How many Scored/Automated recommendations a benchmark version has at a
/// profile level (level 2 includes level 1).
fn scored_recommendations(benchmark: &str, version: &str, level: u8) -> Option<usize> {
    if benchmark != crate::benchmarks::BENCHMARK {
        return None;
    }
    let table = crate::benchmarks::find(version)?;
    Some(
        table
            .recommendations
            .iter()
            .filter(|recommendation| {
                recommendation.level <= level
                    && matches!(recommendation.scoring, Scoring::Scored | Scoring::Automated)
            })
            .count(),
    )
}

/// The benchmark versions the loaded checks reference, oldest first.
pub fn benchmark_versions(outcomes: &[CheckOutcome]) -> Vec<String> {
    let mut versions: Vec<semver::Version> = outcomes
        .iter()
        .flat_map(|outcome| &outcome.benchmarks)
        .filter_map(|reference| semver::Version::parse(&reference.version).ok())
        .collect();
    versions.sort();
    versions.dedup();
    versions.iter().map(ToString::to_string).collect()
}

/// Orders recommendation ids numerically ("1.10" after "1.9").
pub fn id_order(id: &str) -> Vec<u32> {
    id.split('.')
        .map(|part| part.parse().unwrap_or(u32::MAX))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(version: &str, id: &str, scoring: Scoring, level: u8) -> BenchmarkRef {
        BenchmarkRef {
            benchmark: "CIS AWS Foundations".into(),
            version: version.into(),
            id: id.into(),
            scoring,
            level,
        }
    }

    fn finding(status: FindingStatus, versions: &[&str]) -> Finding {
        Finding {
            resource: "r".into(),
            region: "global".into(),
            status,
            message: "m".into(),
            benchmark_versions: versions.iter().map(|v| v.to_string()).collect(),
        }
    }

    fn outcome(
        id: &str,
        benchmarks: Vec<BenchmarkRef>,
        findings: Result<Vec<Finding>, String>,
    ) -> CheckOutcome {
        CheckOutcome {
            waivers: Vec::new(),
            origin: Origin::Local {
                path: format!("{id}.wasm").into(),
            },
            check: id.into(),
            title: id.into(),
            severity: Severity::High,
            guidance: Guidance::default(),
            benchmarks,
            findings,
        }
    }

    #[test]
    fn check_status_prefers_fail_then_error_then_manual() {
        let mixed = outcome(
            "a",
            vec![],
            Ok(vec![
                finding(FindingStatus::Pass, &[]),
                finding(FindingStatus::Fail, &[]),
            ]),
        );
        assert_eq!(mixed.status_for(None), Status::Fail);
        let crashed = outcome("b", vec![], Err("trapped".into()));
        assert_eq!(crashed.status_for(None), Status::Error);
        let empty = outcome("c", vec![], Ok(vec![]));
        assert_eq!(empty.status_for(None), Status::NotApplicable);
    }

    #[test]
    fn version_scoped_findings_only_count_for_their_versions() {
        let check = outcome(
            "unused",
            vec![],
            Ok(vec![
                finding(FindingStatus::Fail, &["7.0.0"]),
                finding(FindingStatus::Pass, &["1.2.0"]),
            ]),
        );
        assert_eq!(check.status_for(Some("7.0.0")), Status::Fail);
        assert_eq!(check.status_for(Some("1.2.0")), Status::Pass);
    }

    #[test]
    fn manual_recommendations_never_count_and_level_two_includes_level_one() {
        let outcomes = vec![
            outcome(
                "pass-l1",
                vec![reference("3.0.0", "1.1", Scoring::Automated, 1)],
                Ok(vec![finding(FindingStatus::Pass, &[])]),
            ),
            outcome(
                "fail-l2",
                vec![reference("3.0.0", "1.2", Scoring::Automated, 2)],
                Ok(vec![finding(FindingStatus::Fail, &[])]),
            ),
            outcome(
                "manual-fail",
                vec![reference("3.0.0", "1.3", Scoring::Manual, 1)],
                Ok(vec![finding(FindingStatus::Fail, &[])]),
            ),
            outcome(
                "broken",
                vec![reference("3.0.0", "1.4", Scoring::Automated, 1)],
                Err("timed out".into()),
            ),
        ];
        let scores = scores(&outcomes);
        let level1 = scores
            .iter()
            .find(|s| s.version == "3.0.0" && s.level == 1)
            .unwrap();
        assert_eq!((level1.passed, level1.failed, level1.errors), (1, 0, 1));
        assert_eq!(level1.percent, Some(100.0));
        // The manual recommendation is not assessed; the errored one is.
        assert_eq!(level1.assessed, 2);
        let v3_level1 = crate::benchmarks::find("3.0.0")
            .unwrap()
            .recommendations
            .iter()
            .filter(|r| r.level == 1 && r.scoring == Scoring::Automated)
            .count();
        assert_eq!(level1.recommendations, Some(v3_level1));
        let level2 = scores
            .iter()
            .find(|s| s.version == "3.0.0" && s.level == 2)
            .unwrap();
        assert_eq!((level2.passed, level2.failed), (1, 1));
        assert_eq!(level2.percent, Some(50.0));
    }
}
