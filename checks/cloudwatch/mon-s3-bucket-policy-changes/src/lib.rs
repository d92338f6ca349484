//! S3 bucket policy, ACL, CORS, lifecycle and replication changes raise a CloudWatch alarm that notifies someone.

use plumbline_guest::monitoring::{self, S3_BUCKET_POLICY_CHANGES};
use plumbline_guest::prelude::*;

struct S3BucketPolicyChangesMonitored;

impl Check for S3BucketPolicyChangesMonitored {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: S3_BUCKET_POLICY_CHANGES.control,
            severity: Severity::Medium,
            description: plumbline_guest::monitoring_description!(
                "S3 bucket policy, ACL, CORS, lifecycle and replication changes"
            ),
            rationale: "A bucket policy or ACL change can open a bucket to the world or to another \
                        account; an alarm shortens the time such a change goes unnoticed.",
            remediation: plumbline_guest::monitoring_remediation!("s3_bucket_policy_changes"),
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        monitoring::judge(&S3_BUCKET_POLICY_CHANGES)
    }
}

plumbline_guest::export_check!(S3BucketPolicyChangesMonitored);
