//! Judging regional data (EC2, IAM Access Analyzer, ...) in every region of
//! the scan, where one region's missing data must not hide the others'
//! verdicts.
//!
//! ```text
//! let findings = regional::for_each_region(
//!     ec2::instances,
//!     |region, instances| instances.iter().map(|i| judge(region, i)).collect(),
//!     |region| regional::region_resource("ec2", region, "instances"),
//! );
//! // One finding per resource, "no EFS file systems" where a region has none:
//! let findings = regional::for_each_resource(
//!     efs::file_systems,
//!     judge_file_system,
//!     "EFS file systems",
//!     |region| regional::region_resource("elasticfilesystem", region, "file-system"),
//! );
//! ```

use crate::{DataError, Finding, scan};

/// The resource standing for a whole regional data set, for findings about a
/// region rather than one of its resources (its data error, or a verdict
/// such as "no analyzer here"): `arn:<partition>:<service>:<region>:<account>:<what>`.
pub fn region_resource(service: &str, region: &str, what: &str) -> String {
    format!(
        "arn:{}:{service}:{region}:{}:{what}",
        scan::partition(),
        scan::account_id()
    )
}

/// Runs `judge` on the data `fetch` returns for each region of
/// `scan::regions()`, in that order. A region whose data is an error gives
/// one `error` finding on `error_resource(region)`, in that region, naming
/// the reason; the other regions are still judged. An empty result means
/// every region answered and `judge` found nothing to report: a check decides
/// what that means (e.g. "no instances anywhere").
pub fn for_each_region<T>(
    fetch: impl FnMut(&str) -> Result<T, DataError>,
    judge: impl FnMut(&str, T) -> Vec<Finding>,
    error_resource: impl Fn(&str) -> String,
) -> Vec<Finding> {
    judge_regions(&scan::regions(), fetch, judge, error_resource)
}

/// Judges each resource of a regional list in every region of
/// `scan::regions()`: `judge` gives one finding per resource. A region with
/// none gives one `not-applicable` finding on `region_resource(region)`
/// saying there are no `what` (e.g. "RDS DB instances") there, so every
/// region evaluated shows in the report; a region whose data is an error
/// gives one `error` finding, as in [`for_each_region`].
pub fn for_each_resource<T>(
    fetch: impl FnMut(&str) -> Result<Vec<T>, DataError>,
    judge: impl FnMut(&str, &T) -> Finding,
    what: &str,
    region_resource: impl Fn(&str) -> String,
) -> Vec<Finding> {
    judge_resources(&scan::regions(), fetch, judge, what, region_resource)
}

fn judge_resources<T>(
    regions: &[String],
    fetch: impl FnMut(&str) -> Result<Vec<T>, DataError>,
    mut judge: impl FnMut(&str, &T) -> Finding,
    what: &str,
    region_resource: impl Fn(&str) -> String,
) -> Vec<Finding> {
    judge_regions(
        regions,
        fetch,
        |region, resources| {
            if resources.is_empty() {
                return vec![Finding::not_applicable(
                    region_resource(region),
                    region,
                    format!("no {what} in {region}"),
                )];
            }
            resources
                .iter()
                .map(|resource| judge(region, resource))
                .collect()
        },
        &region_resource,
    )
}

fn judge_regions<T>(
    regions: &[String],
    mut fetch: impl FnMut(&str) -> Result<T, DataError>,
    mut judge: impl FnMut(&str, T) -> Vec<Finding>,
    error_resource: impl Fn(&str) -> String,
) -> Vec<Finding> {
    regions
        .iter()
        .flat_map(|region| match fetch(region) {
            Ok(data) => judge(region, data),
            Err(error) => vec![Finding::error(
                error_resource(region),
                region.as_str(),
                error.describe(),
            )],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FindingStatus;
    use crate::bindings::plumbline::check::types::AccessDenied;

    fn regions() -> Vec<String> {
        ["us-east-1", "eu-west-1", "ap-south-1"]
            .map(String::from)
            .to_vec()
    }

    fn fetch(region: &str) -> Result<Vec<&'static str>, DataError> {
        match region {
            "us-east-1" => Ok(vec!["i-1", "i-2"]),
            "eu-west-1" => Err(DataError::AccessDenied(AccessDenied {
                action: "ec2:DescribeInstances".into(),
                message: "explicit deny in an SCP".into(),
            })),
            _ => Ok(vec![]),
        }
    }

    fn judge(region: &str, ids: Vec<&str>) -> Vec<Finding> {
        ids.into_iter()
            .map(|id| Finding::pass(id, region, "fine"))
            .collect()
    }

    #[test]
    fn a_failing_region_is_an_error_and_the_others_are_judged() {
        let findings = judge_regions(&regions(), fetch, judge, |region| format!("{region}:all"));
        let summary: Vec<(&str, &str, FindingStatus)> = findings
            .iter()
            .map(|f| (f.resource.as_str(), f.region.as_str(), f.status))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("i-1", "us-east-1", FindingStatus::Pass),
                ("i-2", "us-east-1", FindingStatus::Pass),
                ("eu-west-1:all", "eu-west-1", FindingStatus::Error),
            ]
        );
        assert!(
            findings[2]
                .message
                .contains("access denied to ec2:DescribeInstances: explicit deny in an SCP"),
            "{}",
            findings[2].message
        );
    }

    #[test]
    fn each_resource_is_judged_and_an_empty_region_is_not_applicable() {
        let findings = judge_resources(
            &regions(),
            fetch,
            |region, id| Finding::fail(*id, region, "unencrypted"),
            "widgets",
            |region| format!("{region}:widgets"),
        );
        let summary: Vec<(&str, &str, FindingStatus, &str)> = findings
            .iter()
            .map(|f| {
                (
                    f.resource.as_str(),
                    f.region.as_str(),
                    f.status,
                    f.message.as_str(),
                )
            })
            .collect();
        assert_eq!(
            summary[..2],
            [
                ("i-1", "us-east-1", FindingStatus::Fail, "unencrypted"),
                ("i-2", "us-east-1", FindingStatus::Fail, "unencrypted"),
            ]
        );
        assert_eq!(
            (summary[2].0, summary[2].2),
            ("eu-west-1:widgets", FindingStatus::Error)
        );
        assert_eq!(
            summary[3],
            (
                "ap-south-1:widgets",
                "ap-south-1",
                FindingStatus::NotApplicable,
                "no widgets in ap-south-1"
            )
        );
    }

    #[test]
    fn regions_with_nothing_to_judge_give_no_findings() {
        let empty = judge_regions(&regions()[2..], fetch, judge, |region| {
            format!("{region}:all")
        });
        assert!(empty.is_empty());
    }
}
