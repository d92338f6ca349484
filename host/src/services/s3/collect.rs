//! Amazon S3: the account-wide Block Public Access settings (S3 Control)
//! and each bucket's own.

use std::collections::BTreeMap;

use aws_config::{Region, SdkConfig};

use super::custom_endpoint::KeepEndpointHost;
use super::errors::data_error;
use super::{Collection, concurrently, text, timestamp};
use crate::bindings::s3::{Bucket, PublicAccessBlock};
use crate::snapshot::{DataSource, Outcome, S3Data};

/// Requests in flight at once for per-bucket calls.
const BUCKET_CALLS_IN_FLIGHT: usize = 16;

/// The region S3 reports as an empty location constraint.
const DEFAULT_BUCKET_REGION: &str = "us-east-1";

pub async fn collect(config: &SdkConfig, account_id: &str, collection: &Collection<'_>) -> S3Data {
    let s3 = aws_sdk_s3::Client::new(config);
    let needs_buckets = collection.plans(DataSource::Buckets)
        || collection.plans(DataSource::BucketPublicAccessBlocks);
    let (account_public_access_block, listed) = tokio::join!(
        collection.run(
            DataSource::AccountPublicAccessBlock,
            account_public_access_block(config, account_id)
        ),
        async {
            if needs_buckets {
                Some(buckets(&s3).await)
            } else {
                None
            }
        },
    );
    let bucket_public_access_blocks = match &listed {
        Some(Ok(buckets)) => {
            collection
                .run(
                    DataSource::BucketPublicAccessBlocks,
                    bucket_public_access_blocks(config, buckets),
                )
                .await
        }
        Some(Err(error)) if collection.plans(DataSource::BucketPublicAccessBlocks) => {
            Some(Err(error.clone()))
        }
        _ => None,
    };
    let buckets = match listed {
        Some(outcome) => collection.run(DataSource::Buckets, async { outcome }).await,
        None => None,
    };
    S3Data {
        account_public_access_block,
        buckets,
        bucket_public_access_blocks,
    }
}

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

async fn account_public_access_block(
    config: &SdkConfig,
    account_id: &str,
) -> Outcome<Option<PublicAccessBlock>> {
    let mut s3control = aws_sdk_s3control::config::Builder::from(config);
    if config.endpoint_url().is_some() {
        s3control = s3control.interceptor(KeepEndpointHost::for_account(account_id));
    }
    let client = aws_sdk_s3control::Client::from_conf(s3control.build());
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

async fn buckets(client: &aws_sdk_s3::Client) -> Outcome<Vec<Bucket>> {
    let mut pages = client.list_buckets().into_paginator().send();
    let mut listed = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|error| data_error("s3:ListAllMyBuckets", error))?;
        listed.extend(page.buckets().iter().cloned());
    }
    let located = concurrently(listed, BUCKET_CALLS_IN_FLIGHT, |bucket| {
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
    })
    .await;
    let mut buckets = located.into_iter().collect::<Outcome<Vec<_>>>()?;
    buckets.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(buckets)
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

async fn bucket_public_access_blocks(
    config: &SdkConfig,
    buckets: &[Bucket],
) -> Outcome<BTreeMap<String, Outcome<Option<PublicAccessBlock>>>> {
    let answers = concurrently(buckets.to_vec(), BUCKET_CALLS_IN_FLIGHT, |bucket| {
        // A bucket answers only in its own region.
        let client = aws_sdk_s3::Client::from_conf(
            aws_sdk_s3::config::Builder::from(config)
                .region(Region::new(bucket.region.clone()))
                .build(),
        );
        async move {
            let answer = match client
                .get_public_access_block()
                .bucket(&bucket.name)
                .send()
                .await
            {
                Ok(output) => Ok(output
                    .public_access_block_configuration()
                    .map(|settings| public_access_block!(settings))),
                Err(error) if no_configuration(&error) => Ok(None),
                Err(error) => Err(data_error("s3:GetBucketPublicAccessBlock", error)),
            };
            (bucket.name, answer)
        }
    })
    .await;
    Ok(answers.into_iter().collect())
}

/// S3 answers "never configured" with this error code rather than an empty
/// configuration.
fn no_configuration<E: aws_sdk_s3::error::ProvideErrorMetadata>(error: &E) -> bool {
    error.code() == Some("NoSuchPublicAccessBlockConfiguration")
}
