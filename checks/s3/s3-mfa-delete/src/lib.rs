//! Every S3 bucket has versioning enabled with MFA Delete.

use plumbline_guest::bindings::plumbline::check::s3::{Bucket, Versioning};
use plumbline_guest::buckets;
use plumbline_guest::prelude::*;

struct S3MfaDelete;

impl Check for S3MfaDelete {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::S3_MFA_DELETE,
            severity: Severity::Medium,
            description: "Checks every S3 bucket's versioning configuration: it passes when \
                          versioning is Enabled and MFA Delete is enabled, and fails naming \
                          what is missing (versioning never enabled or Suspended, MFA Delete \
                          off). CIS marks the recommendation Manual from v2.0.0, but \
                          GetBucketVersioning answers it fully, so the check gives pass or fail \
                          in every version rather than manual evidence.",
            rationale: "With MFA Delete, permanently deleting an object version or changing \
                        the bucket's versioning state needs the root user's MFA code, so stolen \
                        credentials alone cannot destroy the bucket's history.",
            remediation: "MFA Delete can only be enabled by the root user with the CLI or API \
                          (not the console), using its MFA device: `aws s3api \
                          put-bucket-versioning --bucket <bucket> --versioning-configuration \
                          Status=Enabled,MFADelete=Enabled --mfa \"arn:aws:iam::<account>:mfa/root-account-mfa-device <code>\"`. \
                          The console (S3 > the bucket > Properties > Bucket Versioning) shows \
                          whether it is on.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        buckets::for_each_bucket(s3::bucket_versioning, judge)
    }
}

fn judge(bucket: &Bucket, versioning: Versioning) -> Finding {
    let versioning_enabled = versioning.status.as_deref() == Some("Enabled");
    let versioning_state = match versioning.status.as_deref() {
        Some(status) => format!("versioning is {status}"),
        None => "versioning was never enabled".to_string(),
    };
    let message = match (versioning_enabled, versioning.mfa_delete) {
        (true, true) => "versioning is Enabled and MFA Delete is enabled".to_string(),
        (true, false) => "versioning is Enabled but MFA Delete is not enabled".to_string(),
        (false, true) => format!("{versioning_state} (MFA Delete is enabled)"),
        (false, false) => format!("{versioning_state} and MFA Delete is not enabled"),
    };
    Finding::verdict(
        versioning_enabled && versioning.mfa_delete,
        &bucket.arn,
        &bucket.region,
        message,
    )
}

plumbline_guest::export_check!(S3MfaDelete);
