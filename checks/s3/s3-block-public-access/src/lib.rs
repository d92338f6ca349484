//! S3 Block Public Access is fully on for every bucket, by the account-wide
//! setting or the bucket's own.

use plumbline_guest::bindings::plumbline::check::s3::{Bucket, PublicAccessBlock};
use plumbline_guest::prelude::*;

struct S3BlockPublicAccess;

impl Check for S3BlockPublicAccess {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::S3_BLOCK_PUBLIC_ACCESS,
            severity: Severity::High,
            description: "Checks S3 Block Public Access as CIS audits it (both the bucket \
                          settings and the account settings count): when the account-level \
                          setting has all four options on (BlockPublicAcls, IgnorePublicAcls, \
                          BlockPublicPolicy, RestrictPublicBuckets), every bucket is covered \
                          and the account passes; otherwise each bucket passes only if its own \
                          setting has all four options on, and fails naming the options left \
                          off.",
            rationale: "Block Public Access overrides bucket policies and ACLs that would make \
                        data public, so one mistaken policy or ACL cannot expose a bucket. Set \
                        at account level it also covers buckets created later.",
            remediation: "Prefer the account setting: S3 > Block Public Access settings for \
                          this account > Edit > turn on all four options (`aws s3control \
                          put-public-access-block --account-id <id> \
                          --public-access-block-configuration BlockPublicAcls=true,\
                          IgnorePublicAcls=true,BlockPublicPolicy=true,\
                          RestrictPublicBuckets=true`). Where a bucket must stay public (a \
                          website behind no CDN), leave the account setting off and turn on all \
                          four options on every other bucket (`aws s3api \
                          put-public-access-block --bucket <name> ...`).",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        let account_block = s3::account_public_access_block();
        if let Ok(settings) = &account_block
            && options_off(settings.as_ref()).is_empty()
        {
            return Ok(vec![Finding::pass(
                account::account_resource(),
                GLOBAL_REGION,
                "account-level Block Public Access has all four options on; it covers every bucket",
            )]);
        }
        let buckets = s3::buckets()?;
        if buckets.is_empty() {
            return Ok(vec![Finding::not_applicable(
                account::account_resource(),
                GLOBAL_REGION,
                format!(
                    "no S3 buckets; {}",
                    describe_account_setting(&account_block)
                ),
            )]);
        }
        Ok(buckets
            .iter()
            .map(|bucket| judge(bucket, &account_block))
            .collect())
    }
}

/// A bucket the account-wide setting does not fully cover: its own setting
/// decides. When the account setting could not be read, a bucket that is
/// not fully blocked on its own might still be covered: that is an error, not
/// a fail.
fn judge(bucket: &Bucket, account_block: &Result<Option<PublicAccessBlock>, DataError>) -> Finding {
    let own = match s3::bucket_public_access_block(&bucket.name) {
        Ok(own) => own,
        Err(error) => return Finding::error(&bucket.arn, &bucket.region, error.describe()),
    };
    let off = options_off(own.as_ref());
    if off.is_empty() {
        return Finding::pass(
            &bucket.arn,
            &bucket.region,
            "bucket-level Block Public Access has all four options on",
        );
    }
    let bucket_setting = match own {
        Some(_) => format!(
            "bucket-level Block Public Access leaves {} off",
            off.join(", ")
        ),
        None => "no bucket-level Block Public Access".to_string(),
    };
    let message = format!(
        "{bucket_setting}; {}",
        describe_account_setting(account_block)
    );
    match account_block {
        Ok(_) => Finding::fail(&bucket.arn, &bucket.region, message),
        Err(_) => Finding::error(&bucket.arn, &bucket.region, message),
    }
}

/// The account-wide setting, when it does not cover every bucket.
fn describe_account_setting(
    account_block: &Result<Option<PublicAccessBlock>, DataError>,
) -> String {
    match account_block {
        Ok(None) => "no account-level Block Public Access".to_string(),
        Ok(Some(settings)) => format!(
            "account-level Block Public Access leaves {} off",
            options_off(Some(settings)).join(", ")
        ),
        Err(error) => format!("account-level setting unknown ({})", error.describe()),
    }
}

/// The Block Public Access options not on; all four when nothing is set.
fn options_off(settings: Option<&PublicAccessBlock>) -> Vec<&'static str> {
    let flags = settings.map_or([false; 4], |settings| {
        [
            settings.block_public_acls,
            settings.ignore_public_acls,
            settings.block_public_policy,
            settings.restrict_public_buckets,
        ]
    });
    [
        "BlockPublicAcls",
        "IgnorePublicAcls",
        "BlockPublicPolicy",
        "RestrictPublicBuckets",
    ]
    .into_iter()
    .zip(flags)
    .filter(|(_, on)| !on)
    .map(|(name, _)| name)
    .collect()
}

plumbline_guest::export_check!(S3BlockPublicAccess);
