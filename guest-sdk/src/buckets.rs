//! Judging every S3 bucket on data read per bucket (its policy, versioning,
//! default encryption), where one bucket's missing data must not hide the
//! others' verdicts.
//!
//! ```text
//! buckets::for_each_bucket(s3::bucket_versioning, |bucket, versioning| judge(bucket, &versioning))
//! ```

use crate::bindings::plumbline::check::s3::Bucket;
use crate::{DataError, Finding, GLOBAL_REGION, account, s3};

/// Runs `judge` on each bucket of `s3::buckets()` with the data `fetch`
/// returns for it (by bucket name). A bucket whose data is an error gives one
/// `error` finding on the bucket, in its region, naming the reason; the other
/// buckets are still judged. No buckets at all gives one `not-applicable`
/// finding on the account. The bucket list itself failing is the caller's
/// data error: nothing can be judged without it.
pub fn for_each_bucket<T>(
    fetch: impl FnMut(&str) -> Result<T, DataError>,
    judge: impl FnMut(&Bucket, T) -> Finding,
) -> Result<Vec<Finding>, DataError> {
    let buckets = s3::buckets()?;
    if buckets.is_empty() {
        return Ok(vec![Finding::not_applicable(
            account::account_resource(),
            GLOBAL_REGION,
            "no S3 buckets in the account",
        )]);
    }
    Ok(judge_buckets(&buckets, fetch, judge))
}

fn judge_buckets<T>(
    buckets: &[Bucket],
    mut fetch: impl FnMut(&str) -> Result<T, DataError>,
    mut judge: impl FnMut(&Bucket, T) -> Finding,
) -> Vec<Finding> {
    buckets
        .iter()
        .map(|bucket| match fetch(&bucket.name) {
            Ok(data) => judge(bucket, data),
            Err(error) => Finding::error(&bucket.arn, &bucket.region, error.describe()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FindingStatus;
    use crate::bindings::plumbline::check::types::AccessDenied;

    fn bucket(name: &str, region: &str) -> Bucket {
        Bucket {
            name: name.into(),
            arn: format!("arn:aws:s3:::{name}"),
            region: region.into(),
            creation_date: None,
        }
    }

    #[test]
    fn a_bucket_whose_data_failed_is_an_error_and_the_others_are_judged() {
        let buckets = [bucket("logs", "us-east-1"), bucket("site", "eu-west-1")];
        let findings = judge_buckets(
            &buckets,
            |name| match name {
                "logs" => Ok(true),
                _ => Err(DataError::AccessDenied(AccessDenied {
                    action: "s3:GetBucketPolicy".into(),
                    message: "not authorized".into(),
                })),
            },
            |bucket, compliant| Finding::verdict(compliant, &bucket.arn, &bucket.region, "ok"),
        );
        let summary: Vec<(&str, &str, FindingStatus)> = findings
            .iter()
            .map(|f| (f.resource.as_str(), f.region.as_str(), f.status))
            .collect();
        assert_eq!(
            summary,
            [
                ("arn:aws:s3:::logs", "us-east-1", FindingStatus::Pass),
                ("arn:aws:s3:::site", "eu-west-1", FindingStatus::Error),
            ]
        );
        assert_eq!(
            findings[1].message,
            "access denied to s3:GetBucketPolicy: not authorized"
        );
    }
}
