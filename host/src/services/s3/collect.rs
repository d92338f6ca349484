//! Amazon S3: the account-wide Block Public Access settings (S3 Control)
//! and each bucket's own settings (Block Public Access, policy, versioning,
//! default encryption, server access logging, ACL).

use std::future::Future;

use aws_config::SdkConfig;
use aws_sdk_s3::types::{Grantee, MfaDeleteStatus, Type as GranteeType};

use super::BUCKETS;
use super::custom_endpoint::KeepEndpointHost;
use crate::bindings::s3::{
    Bucket, EncryptionRule, Grant, LoggingTarget, PublicAccessBlock, Versioning,
};
use crate::collect::errors::data_error;
use crate::collect::{Context, ServiceClient, text, timestamp};
use crate::registry::{Outcome, PerKey};

/// The region S3 reports as an empty location constraint.
const DEFAULT_BUCKET_REGION: &str = "us-east-1";

/// S3 and S3 Control each have their own configuration type with the same
/// four optional flags; an unset flag is off.
macro_rules! public_access_block {
    ($settings:expr) => {{
        let settings = $settings;
        PublicAccessBlock {
            block_public_acls: settings.block_public_acls().unwrap_or(false),
            ignore_public_acls: settings.ignore_public_acls().unwrap_or(false),
            block_public_policy: settings.block_public_policy().unwrap_or(false),
            restrict_public_buckets: settings.restrict_public_buckets().unwrap_or(false),
        }
    }};
}

impl ServiceClient for aws_sdk_s3control::Client {
    fn build(config: &SdkConfig, account_id: &str) -> Self {
        let mut s3control = aws_sdk_s3control::config::Builder::from(config);
        if config.endpoint_url().is_some() {
            s3control = s3control.interceptor(KeepEndpointHost::for_account(account_id));
        }
        aws_sdk_s3control::Client::from_conf(s3control.build())
    }
}

pub async fn account_public_access_block(
    context: &Context<'_>,
) -> Outcome<Option<PublicAccessBlock>> {
    let client: aws_sdk_s3control::Client = context.global_client();
    let account_id = context.account_id();
    match client
        .get_public_access_block()
        .account_id(account_id)
        .send()
        .await
    {
        Ok(output) => Ok(output
            .public_access_block_configuration()
            .map(|settings| public_access_block!(settings))),
        Err(error)
            if error
                .as_service_error()
                .is_some_and(|service| service.is_no_such_public_access_block_configuration()) =>
        {
            Ok(None)
        }
        Err(error) => Err(data_error("s3:GetAccountPublicAccessBlock", error)),
    }
}

pub async fn buckets(context: &Context<'_>) -> Outcome<Vec<Bucket>> {
    let client: aws_sdk_s3::Client = context.global_client();
    let mut pages = client.list_buckets().into_paginator().send();
    let mut listed = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|error| data_error("s3:ListAllMyBuckets", error))?;
        listed.extend(page.buckets().iter().cloned());
    }
    let located = context
        .each(
            listed,
            |bucket| text(bucket.name()),
            |bucket| {
                let client = client.clone();
                async move {
                    let name = text(bucket.name());
                    let region = match bucket.bucket_region() {
                        Some(region) => region.to_string(),
                        None => bucket_region(&client, &name).await?,
                    };
                    Ok(Bucket {
                        arn: format!("arn:aws:s3:::{name}"),
                        name,
                        region,
                        creation_date: bucket.creation_date().map(timestamp),
                    })
                }
            },
        )
        .await;
    // Keyed by name, so already in name order.
    located.into_values().collect()
}

/// For endpoints whose ListBuckets does not name each bucket's region.
async fn bucket_region(client: &aws_sdk_s3::Client, bucket: &str) -> Outcome<String> {
    let output = client
        .get_bucket_location()
        .bucket(bucket)
        .send()
        .await
        .map_err(|error| data_error("s3:GetBucketLocation", error))?;
    Ok(
        match output
            .location_constraint()
            .map(|location| location.as_str())
        {
            None | Some("") => DEFAULT_BUCKET_REGION.to_string(),
            // The legacy name S3 still reports for eu-west-1.
            Some("EU") => "eu-west-1".to_string(),
            Some(region) => region.to_string(),
        },
    )
}

pub async fn bucket_public_access_blocks(
    context: &Context<'_>,
) -> Outcome<PerKey<Option<PublicAccessBlock>>> {
    per_bucket(context, |client, bucket| async move {
        match client
            .get_public_access_block()
            .bucket(&bucket.name)
            .send()
            .await
        {
            Ok(output) => Ok(output
                .public_access_block_configuration()
                .map(|settings| public_access_block!(settings))),
            Err(error) if has_code(&error, "NoSuchPublicAccessBlockConfiguration") => Ok(None),
            Err(error) => Err(data_error("s3:GetBucketPublicAccessBlock", error)),
        }
    })
    .await
}

pub async fn bucket_policies(context: &Context<'_>) -> Outcome<PerKey<Option<String>>> {
    per_bucket(context, |client, bucket| async move {
        match client.get_bucket_policy().bucket(&bucket.name).send().await {
            Ok(output) => Ok(output.policy().map(str::to_string)),
            Err(error) if has_code(&error, "NoSuchBucketPolicy") => Ok(None),
            Err(error) => Err(data_error("s3:GetBucketPolicy", error)),
        }
    })
    .await
}

pub async fn bucket_versioning(context: &Context<'_>) -> Outcome<PerKey<Versioning>> {
    per_bucket(context, |client, bucket| async move {
        let output = client
            .get_bucket_versioning()
            .bucket(&bucket.name)
            .send()
            .await
            .map_err(|error| data_error("s3:GetBucketVersioning", error))?;
        // A bucket whose versioning was never enabled has neither field.
        Ok(Versioning {
            status: output.status().map(|status| status.as_str().to_string()),
            mfa_delete: output.mfa_delete() == Some(&MfaDeleteStatus::Enabled),
        })
    })
    .await
}

pub async fn bucket_encryption(context: &Context<'_>) -> Outcome<PerKey<Vec<EncryptionRule>>> {
    per_bucket(context, |client, bucket| async move {
        let output = match client
            .get_bucket_encryption()
            .bucket(&bucket.name)
            .send()
            .await
        {
            Ok(output) => output,
            Err(error) if has_code(&error, "ServerSideEncryptionConfigurationNotFoundError") => {
                return Ok(Vec::new());
            }
            // GetBucketEncryption is authorized by this action.
            Err(error) => return Err(data_error("s3:GetEncryptionConfiguration", error)),
        };
        let rules = output
            .server_side_encryption_configuration()
            .map(|configuration| configuration.rules())
            .unwrap_or_default();
        // A rule without a default algorithm (only a bucket-key or blocked-
        // types setting) encrypts nothing by default, so it is not listed.
        Ok(rules
            .iter()
            .filter_map(|rule| {
                let default = rule.apply_server_side_encryption_by_default()?;
                Some(EncryptionRule {
                    sse_algorithm: default.sse_algorithm().as_str().to_string(),
                    kms_master_key_id: default.kms_master_key_id().map(str::to_string),
                    bucket_key_enabled: rule.bucket_key_enabled().unwrap_or(false),
                })
            })
            .collect())
    })
    .await
}

pub async fn bucket_logging(context: &Context<'_>) -> Outcome<PerKey<Option<LoggingTarget>>> {
    per_bucket(context, |client, bucket| async move {
        let output = client
            .get_bucket_logging()
            .bucket(&bucket.name)
            .send()
            .await
            .map_err(|error| data_error("s3:GetBucketLogging", error))?;
        // Logging off is an answer without `LoggingEnabled`, not an error.
        Ok(output.logging_enabled().map(|target| LoggingTarget {
            target_bucket: target.target_bucket().to_string(),
            target_prefix: target.target_prefix().to_string(),
        }))
    })
    .await
}

pub async fn bucket_acls(context: &Context<'_>) -> Outcome<PerKey<Vec<Grant>>> {
    per_bucket(context, |client, bucket| async move {
        let output = client
            .get_bucket_acl()
            .bucket(&bucket.name)
            .send()
            .await
            .map_err(|error| data_error("s3:GetBucketAcl", error))?;
        Ok(output
            .grants()
            .iter()
            // S3 names the grantee of every grant; one without names nobody.
            .filter_map(|grant| {
                let grantee = grant.grantee()?;
                Some(Grant {
                    grantee_type: grantee.r#type().as_str().to_string(),
                    grantee: grantee_identity(grantee),
                    permission: text(grant.permission().map(|permission| permission.as_str())),
                })
            })
            .collect())
    })
    .await
}

/// What names a grantee of each type: a group's URI, a user's canonical id
/// or an email address.
fn grantee_identity(grantee: &Grantee) -> String {
    let identity = match grantee.r#type() {
        GranteeType::Group => grantee.uri(),
        GranteeType::AmazonCustomerByEmail => grantee.email_address(),
        _ => grantee.id(),
    };
    text(identity)
}

/// Runs `fetch` for every bucket of [`BUCKETS`] within the scan's budget of
/// requests in flight, with a client of the bucket's own region: a bucket
/// answers only there.
async fn per_bucket<'c, T, Fut>(
    context: &'c Context<'_>,
    fetch: impl Fn(aws_sdk_s3::Client, &'c Bucket) -> Fut,
) -> Outcome<PerKey<T>>
where
    Fut: Future<Output = Outcome<T>>,
{
    let buckets = context.get(&BUCKETS)?;
    Ok(context
        .each(
            buckets,
            |bucket| bucket.name.clone(),
            |bucket| fetch(context.client(&bucket.region), bucket),
        )
        .await)
}

/// S3 answers "never configured" with an error code (one per setting)
/// rather than an empty configuration.
fn has_code<E: aws_sdk_s3::error::ProvideErrorMetadata>(error: &E, code: &str) -> bool {
    error.code() == Some(code)
}
