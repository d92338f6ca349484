//! Building metadata and findings.

use crate::cis::Control;
use crate::{CheckMetadata, Finding, FindingStatus, Severity};

/// The region name for findings about global resources (IAM, the account).
pub const GLOBAL_REGION: &str = "global";

/// What a check author writes about a check; the benchmark references and the
/// title come from the control. The id is not here: it is the package name
/// (`check-<id>`), which [`export_check!`](crate::export_check) reads, so it
/// is written once.
pub struct CheckInfo {
    pub control: Control,
    pub severity: Severity,
    pub description: &'static str,
    pub rationale: &'static str,
    pub remediation: &'static str,
}

impl CheckInfo {
    /// The metadata the host reads, for the check with this id.
    pub fn into_metadata(self, id: &str) -> CheckMetadata {
        CheckMetadata {
            id: id.to_string(),
            title: self.control.title.to_string(),
            description: self.description.to_string(),
            rationale: self.rationale.to_string(),
            remediation: self.remediation.to_string(),
            severity: self.severity,
            benchmarks: self.control.benchmark_refs(),
        }
    }
}

impl Finding {
    pub fn new(
        status: FindingStatus,
        resource: impl Into<String>,
        region: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Finding {
            resource: resource.into(),
            region: region.into(),
            status,
            message: message.into(),
            benchmark_versions: Vec::new(),
        }
    }

    pub fn pass(
        resource: impl Into<String>,
        region: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(FindingStatus::Pass, resource, region, message)
    }

    pub fn fail(
        resource: impl Into<String>,
        region: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(FindingStatus::Fail, resource, region, message)
    }

    pub fn manual(
        resource: impl Into<String>,
        region: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(FindingStatus::Manual, resource, region, message)
    }

    pub fn not_applicable(
        resource: impl Into<String>,
        region: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(FindingStatus::NotApplicable, resource, region, message)
    }

    pub fn error(
        resource: impl Into<String>,
        region: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(FindingStatus::Error, resource, region, message)
    }

    /// A pass or a fail, depending on `compliant`.
    pub fn verdict(
        compliant: bool,
        resource: impl Into<String>,
        region: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        let status = if compliant {
            FindingStatus::Pass
        } else {
            FindingStatus::Fail
        };
        Self::new(status, resource, region, message)
    }

    /// Restricts the finding to some benchmark versions.
    pub fn for_versions(mut self, versions: &[&str]) -> Self {
        self.benchmark_versions = versions.iter().map(|v| v.to_string()).collect();
        self
    }
}

/// Names for a one-line message: at most `limit` of them, then how many more.
/// Accounts, users or policies can number in the hundreds; a finding stays
/// one line.
pub fn brief_list<S: AsRef<str>>(names: &[S], limit: usize) -> String {
    let shown: Vec<&str> = names.iter().take(limit).map(AsRef::as_ref).collect();
    let mut text = shown.join(", ");
    if names.len() > limit {
        text.push_str(&format!(" and {} more", names.len() - limit));
    }
    text
}

/// Evaluates a control whose parameter differs between benchmark versions
/// (e.g. "unused for 90 days" in v1.2.0 and v1.3.0, 45 days later).
///
/// `parameter` gives the value for each version of `control`; `evaluate` runs
/// once per distinct value. Findings that every value agrees on are returned
/// once, for all versions; the others are returned per value, restricted to
/// the versions that use it.
pub fn evaluate_per_version<P, E>(
    control: Control,
    parameter: impl Fn(&str) -> P,
    mut evaluate: impl FnMut(&P) -> Result<Vec<Finding>, E>,
) -> Result<Vec<Finding>, E>
where
    P: PartialEq,
{
    let mut groups: Vec<(P, Vec<&'static str>)> = Vec::new();
    for version in control.versions() {
        let value = parameter(version);
        match groups.iter_mut().find(|(existing, _)| *existing == value) {
            Some((_, versions)) => versions.push(version),
            None => groups.push((value, vec![version])),
        }
    }
    let mut outcomes = Vec::with_capacity(groups.len());
    for (value, versions) in &groups {
        outcomes.push((evaluate(value)?, versions));
    }
    let Some(((first, _), rest)) = outcomes.split_first() else {
        return Ok(Vec::new());
    };
    let aligned = rest
        .iter()
        .all(|(findings, _)| findings.len() == first.len());
    if !aligned {
        return Ok(outcomes
            .iter()
            .flat_map(|(findings, versions)| {
                findings
                    .iter()
                    .map(|finding| finding.clone().for_versions(versions))
            })
            .collect());
    }
    let mut merged = Vec::new();
    for (index, finding) in first.iter().enumerate() {
        if rest.iter().all(|(findings, _)| findings[index] == *finding) {
            merged.push(finding.clone());
        } else {
            merged.extend(
                outcomes
                    .iter()
                    .map(|(findings, versions)| findings[index].clone().for_versions(versions)),
            );
        }
    }
    Ok(merged)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cis::IAM_UNUSED_CREDENTIALS_DISABLED;

    fn threshold(version: &str) -> u32 {
        if matches!(version, "1.2.0" | "1.3.0") {
            90
        } else {
            45
        }
    }

    fn judge(age_days: u32) -> impl FnMut(&u32) -> Result<Vec<Finding>, ()> {
        move |limit| {
            Ok(vec![
                Finding::pass("alice", GLOBAL_REGION, "used yesterday"),
                Finding::verdict(age_days <= *limit, "bob", GLOBAL_REGION, "unused"),
            ])
        }
    }

    #[test]
    fn brief_list_counts_what_it_leaves_out() {
        assert_eq!(brief_list::<&str>(&[], 3), "");
        assert_eq!(brief_list(&["a", "b"], 3), "a, b");
        assert_eq!(brief_list(&["a", "b", "c"], 3), "a, b, c");
        assert_eq!(
            brief_list(&["a", "b", "c", "d", "e"], 3),
            "a, b, c and 2 more"
        );
    }

    #[test]
    fn agreeing_findings_apply_to_every_version() {
        let findings =
            evaluate_per_version(IAM_UNUSED_CREDENTIALS_DISABLED, threshold, judge(10)).unwrap();
        assert_eq!(findings.len(), 2);
        assert!(findings.iter().all(|f| f.benchmark_versions.is_empty()));
    }

    #[test]
    fn disagreeing_findings_are_split_by_version() {
        let findings =
            evaluate_per_version(IAM_UNUSED_CREDENTIALS_DISABLED, threshold, judge(60)).unwrap();
        assert_eq!(findings.len(), 3);
        assert!(
            findings[0].benchmark_versions.is_empty(),
            "alice agrees in every version"
        );
        let for_version = |version: &str| {
            findings[1..]
                .iter()
                .find(|f| f.benchmark_versions.iter().any(|v| v == version))
                .unwrap()
        };
        assert_eq!(for_version("7.0.0").status, FindingStatus::Fail);
        assert!(
            !for_version("7.0.0")
                .benchmark_versions
                .contains(&"1.2.0".to_string())
        );
        assert_eq!(for_version("1.2.0").status, FindingStatus::Pass);
        assert_eq!(
            for_version("1.2.0").benchmark_versions,
            vec!["1.2.0", "1.3.0"]
        );
    }

    #[test]
    fn errors_stop_the_evaluation() {
        let result = evaluate_per_version(IAM_UNUSED_CREDENTIALS_DISABLED, threshold, |_| {
            Err::<Vec<Finding>, _>("denied")
        });
        assert_eq!(result.unwrap_err(), "denied");
    }
}
