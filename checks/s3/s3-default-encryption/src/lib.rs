//! Every S3 bucket has a default encryption configuration.

use plumbline_guest::bindings::plumbline::check::s3::{Bucket, EncryptionRule};
use plumbline_guest::buckets;
use plumbline_guest::prelude::*;

struct S3DefaultEncryption;

impl Check for S3DefaultEncryption {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::S3_DEFAULT_ENCRYPTION,
            severity: Severity::Medium,
            description: "Checks every S3 bucket for a default encryption rule (SSE-S3 AES256, \
                          SSE-KMS aws:kms or DSSE-KMS aws:kms:dsse): it passes naming the \
                          algorithm and fails when the bucket has no default encryption \
                          configuration. Since January 2023 S3 applies SSE-S3 to every new \
                          bucket, so a fail is a bucket whose configuration was removed or an \
                          endpoint that does not apply it. The recommendation exists in CIS \
                          v1.3.0 to v1.5.0 only.",
            rationale: "Default encryption makes S3 encrypt every object written without \
                        encryption headers, so no object is stored in clear text by mistake.",
            remediation: "S3 > the bucket > Properties > Default encryption > Edit > choose \
                          SSE-S3 or SSE-KMS. CLI: `aws s3api put-bucket-encryption --bucket \
                          <bucket> --server-side-encryption-configuration \
                          '{\"Rules\":[{\"ApplyServerSideEncryptionByDefault\":{\"SSEAlgorithm\":\"AES256\"}}]}'`.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        buckets::for_each_bucket(s3::bucket_encryption, judge)
    }
}

/// The server-side encryption algorithms S3 applies by default: SSE-S3,
/// SSE-KMS and dual-layer DSSE-KMS.
const SSE_ALGORITHMS: [&str; 3] = ["AES256", "aws:kms", "aws:kms:dsse"];

fn judge(bucket: &Bucket, rules: Vec<EncryptionRule>) -> Finding {
    let Some(rule) = rules.first() else {
        return Finding::fail(
            &bucket.arn,
            &bucket.region,
            "bucket has no default encryption configuration",
        );
    };
    if !SSE_ALGORITHMS.contains(&rule.sse_algorithm.as_str()) {
        return Finding::fail(
            &bucket.arn,
            &bucket.region,
            format!(
                "default encryption names an unknown algorithm {:?} (expected AES256, aws:kms or aws:kms:dsse)",
                rule.sse_algorithm
            ),
        );
    }
    let key = rule
        .kms_master_key_id
        .as_deref()
        .map_or(String::new(), |key| format!(" with key {key}"));
    Finding::pass(
        &bucket.arn,
        &bucket.region,
        format!("default encryption is {}{key}", rule.sse_algorithm),
    )
}

plumbline_guest::export_check!(S3DefaultEncryption);
