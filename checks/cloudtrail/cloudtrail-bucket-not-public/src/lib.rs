//! No CloudTrail trail's S3 bucket is open to the public, by ACL or bucket
//! policy.

use plumbline_guest::bindings::plumbline::check::cloudtrail::Trail;
use plumbline_guest::bindings::plumbline::check::s3::Grant;
use plumbline_guest::policy::PolicyDocument;
use plumbline_guest::prelude::*;
use plumbline_guest::trail_logging;

/// The ACL groups that make a grant public: anyone, or any AWS account.
const PUBLIC_GROUPS: [&str; 2] = [
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
];

struct CloudtrailBucketNotPublic;

impl Check for CloudtrailBucketNotPublic {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::CLOUDTRAIL_BUCKET_NOT_PUBLIC,
            severity: Severity::High,
            description: "Checks the S3 bucket of every CloudTrail trail, as the CIS audit \
                          does: its ACL (GetBucketAcl) must grant nothing to the AllUsers or \
                          AuthenticatedUsers groups, and its policy (GetBucketPolicy) must have \
                          no Allow statement for Principal \"*\" (or {\"AWS\": \"*\"}, or a \
                          NotPrincipal) without a condition. Decisions: the finding is on the \
                          trail, in its home region, naming the bucket; a conditioned public \
                          statement (e.g. aws:SourceArn for CloudTrail) is not public, as in \
                          the other public-principal checks; Block Public Access is not taken \
                          as proof, since CIS audits the grants themselves; a bucket that \
                          cannot be read (denied, or in another account such as an \
                          organization trail's central bucket) or a policy that cannot be \
                          parsed is an error, never a pass. An account without trails is not \
                          applicable.",
            rationale: "The trail's log files describe every API call in the account; a \
                        public bucket hands that map of the account to anyone, and may let \
                        them tamper with the evidence.",
            remediation: "Console: S3 > the trail's bucket > Permissions: under Access control \
                          list remove every grant to Everyone (public access) and \
                          Authenticated users group; under Bucket policy remove or condition \
                          the statements with Principal \"*\"; turn on Block public access. \
                          CLI: `aws s3api put-bucket-acl --bucket <bucket> --acl private`, \
                          `aws s3api put-bucket-policy --bucket <bucket> --policy \
                          file://policy.json`, `aws s3api put-public-access-block --bucket \
                          <bucket> --public-access-block-configuration \
                          BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true`.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        trail_logging::for_each_trail_bucket(
            |bucket| Ok((s3::bucket_acl(bucket)?, s3::bucket_policy(bucket)?)),
            judge,
        )
    }
}

fn judge(trail: &Trail, bucket: &str, (acl, policy): (Vec<Grant>, Option<String>)) -> Finding {
    let name = format!("{}: bucket {bucket}", trail_logging::describe(trail));
    let mut exposures: Vec<String> = acl
        .iter()
        .filter(|grant| PUBLIC_GROUPS.contains(&grant.grantee.as_str()))
        .map(|grant| {
            let group = grant.grantee.rsplit('/').next().unwrap_or(&grant.grantee);
            format!("its ACL grants {} to {group}", grant.permission)
        })
        .collect();
    if let Some(policy) = policy {
        match PolicyDocument::parse(&policy) {
            Ok(document) => {
                let statements: Vec<String> = document
                    .unconditional_public_allows()
                    .map(|statement| statement.sid.clone().unwrap_or_else(|| "(no Sid)".into()))
                    .collect();
                if !statements.is_empty() {
                    exposures.push(format!(
                        "its policy allows a public principal without condition (statement {})",
                        statements.join(", ")
                    ));
                }
            }
            Err(error) => {
                return Finding::error(
                    &trail.arn,
                    &trail.home_region,
                    format!("{name}: bucket policy: {error}"),
                );
            }
        }
    }
    if exposures.is_empty() {
        Finding::pass(
            &trail.arn,
            &trail.home_region,
            format!(
                "{name} grants nothing to AllUsers or AuthenticatedUsers and its policy allows no public principal"
            ),
        )
    } else {
        Finding::fail(
            &trail.arn,
            &trail.home_region,
            format!("{name} is public: {}", exposures.join("; ")),
        )
    }
}

plumbline_guest::export_check!(CloudtrailBucketNotPublic);
