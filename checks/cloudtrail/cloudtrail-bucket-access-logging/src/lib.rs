//! Every CloudTrail trail's S3 bucket keeps server access logs.

use plumbline_guest::prelude::*;
use plumbline_guest::trail_logging;

struct CloudtrailBucketAccessLogging;

impl Check for CloudtrailBucketAccessLogging {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::CLOUDTRAIL_BUCKET_ACCESS_LOGGING,
            severity: Severity::Low,
            description: "Checks the S3 bucket of every CloudTrail trail (GetBucketLogging): \
                          the trail passes when its bucket has server access logging on, \
                          naming where the logs go, and fails when it is off. Decisions: the \
                          finding is on the trail, in its home region, naming the bucket; a \
                          bucket that cannot be read (denied, or in another account such as an \
                          organization trail's central bucket) is an error, never a pass; \
                          where the access logs go is not judged. CIS marks the recommendation \
                          Manual from v5.0.0; the API answers it, so every version gets pass or \
                          fail. An account without trails is not applicable.",
            rationale: "Server access logs record every request made to the bucket holding \
                        the audit trail, including reads and deletions of log files, so \
                        tampering with the evidence is itself recorded.",
            remediation: "Console: S3 > the trail's bucket > Properties > Server access \
                          logging > Edit > Enable, a target bucket other than this one > Save \
                          changes. CLI: `aws s3api put-bucket-logging --bucket <trail-bucket> \
                          --bucket-logging-status \
                          '{\"LoggingEnabled\": {\"TargetBucket\": \"<log-bucket>\", \
                          \"TargetPrefix\": \"<trail-bucket>/\"}}'`.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        trail_logging::for_each_trail_bucket(s3::bucket_logging, |trail, bucket, logging| {
            let name = trail_logging::describe(trail);
            match logging {
                Some(target) => Finding::pass(
                    &trail.arn,
                    &trail.home_region,
                    format!(
                        "{name}: bucket {bucket} logs server access to s3://{}/{}",
                        target.target_bucket, target.target_prefix
                    ),
                ),
                None => Finding::fail(
                    &trail.arn,
                    &trail.home_region,
                    format!("{name}: bucket {bucket} has server access logging off"),
                ),
            }
        })
    }
}

plumbline_guest::export_check!(CloudtrailBucketAccessLogging);
