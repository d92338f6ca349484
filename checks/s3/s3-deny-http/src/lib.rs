//! Every S3 bucket's policy denies requests made without TLS.

use plumbline_guest::bindings::plumbline::check::s3::Bucket;
use plumbline_guest::buckets;
use plumbline_guest::policy::{InsecureTransportDenial, PolicyDocument};
use plumbline_guest::prelude::*;

struct S3DenyHttp;

impl Check for S3DenyHttp {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::S3_DENY_HTTP,
            severity: Severity::Medium,
            description: "Checks every S3 bucket's policy for a Deny of plain-HTTP requests, as \
                          in the AWS example CIS quotes: Effect Deny, Principal \"*\" or \
                          {\"AWS\": \"*\"}, Action covering every S3 action (s3:* or *), and the \
                          single condition aws:SecureTransport false (Bool or BoolIfExists; the \
                          string \"false\", the boolean or a one-element list). The statement \
                          (or two statements together) must cover both the bucket ARN and its \
                          objects (<bucket ARN>/*), directly or through wildcards. Decisions: a \
                          narrower action list (e.g. only s3:GetObject) does not count, since \
                          other requests would still be served over HTTP; a statement with any \
                          further condition key or operator does not count, since it denies \
                          only some HTTP requests; NotPrincipal, NotAction and NotResource \
                          statements are not counted. A bucket without a policy fails; a policy \
                          that cannot be read or parsed is an error.",
            rationale: "Without such a deny, clients may read and write the bucket over \
                        unencrypted HTTP, exposing data and credentials-bearing requests to \
                        interception. S3 honours HTTP unless the bucket policy refuses it.",
            remediation: "Add to each bucket's policy a statement {\"Sid\": \"DenyInsecureTransport\", \
                          \"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"s3:*\", \
                          \"Resource\": [\"arn:aws:s3:::<bucket>\", \"arn:aws:s3:::<bucket>/*\"], \
                          \"Condition\": {\"Bool\": {\"aws:SecureTransport\": \"false\"}}}. \
                          Console: S3 > the bucket > Permissions > Bucket policy > Edit. CLI: \
                          `aws s3api get-bucket-policy --bucket <bucket>`, merge the statement, \
                          then `aws s3api put-bucket-policy --bucket <bucket> --policy \
                          file://policy.json`.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        buckets::for_each_bucket(s3::bucket_policy, judge)
    }
}

fn judge(bucket: &Bucket, policy: Option<String>) -> Finding {
    let Some(policy) = policy else {
        return Finding::fail(
            &bucket.arn,
            &bucket.region,
            "bucket has no bucket policy, so nothing denies HTTP requests",
        );
    };
    match PolicyDocument::parse(&policy) {
        Ok(document) => {
            let denial = document.insecure_transport_denial(&bucket.arn);
            Finding::verdict(
                denial.is_complete(),
                &bucket.arn,
                &bucket.region,
                describe(denial),
            )
        }
        Err(error) => Finding::error(
            &bucket.arn,
            &bucket.region,
            format!("bucket policy: {error}"),
        ),
    }
}

fn describe(denial: InsecureTransportDenial) -> &'static str {
    match (denial.bucket, denial.objects) {
        (true, true) => {
            "bucket policy denies HTTP (aws:SecureTransport false) for every principal and S3 action on the bucket and its objects"
        }
        (true, false) => {
            "bucket policy denies HTTP on the bucket but not on all of its objects (<bucket>/*)"
        }
        (false, true) => {
            "bucket policy denies HTTP on the objects (<bucket>/*) but not on the bucket itself"
        }
        (false, false) => {
            "no bucket policy statement denies all S3 actions to every principal when aws:SecureTransport is false (and on no other condition)"
        }
    }
}

plumbline_guest::export_check!(S3DenyHttp);
