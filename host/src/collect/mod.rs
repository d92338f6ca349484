//! Collection: the host, and only the host, calls AWS. Each planned data
//! source is collected once, concurrently with the others; an error becomes
//! the typed outcome for that source, never a crash.

mod credential_report;
mod errors;
mod iam;

use std::future::Future;
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow};
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_iam::error::DisplayErrorContext;

use crate::progress::{Progress, seconds};
use crate::snapshot::{self, DataSource, Outcome, Plan, Snapshot};

/// Which account and how to reach it.
#[derive(Debug, Clone, Default)]
pub struct AwsTarget {
    /// A named profile from the shared AWS config (`--profile`).
    pub profile: Option<String>,
    /// The region to scan (`--region`); otherwise the profile's or
    /// environment's region.
    pub region: Option<String>,
}

/// Used when neither `--region` nor the environment names one.
const DEFAULT_REGION: &str = "us-east-1";

pub async fn collect(
    target: &AwsTarget,
    plan: &Plan,
    progress: &Progress,
) -> anyhow::Result<Snapshot> {
    let config = load_config(target).await;
    let region = config
        .region()
        .map(Region::to_string)
        .unwrap_or_else(|| DEFAULT_REGION.into());
    let identity = identify(&config).await?;
    progress.step(format!(
        "Collecting {} data set(s) from account {} ({}, {region})",
        plan.len(),
        identity.account_id,
        identity.partition
    ));
    let started = Instant::now();
    let collected_at = crate::timefmt::format(crate::timefmt::now());
    let collection = Collection { plan, progress };
    let iam = iam::collect(&aws_sdk_iam::Client::new(&config), &collection).await;
    progress.detail(format!("collection took {}", seconds(started.elapsed())));
    Ok(Snapshot {
        format: snapshot::FORMAT.to_string(),
        account_id: identity.account_id,
        partition: identity.partition,
        regions: vec![region],
        collected_at,
        iam,
    })
}

async fn load_config(target: &AwsTarget) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest()).timeout_config(
        TimeoutConfig::builder()
            .connect_timeout(Duration::from_secs(5))
            .operation_attempt_timeout(Duration::from_secs(60))
            .build(),
    );
    if let Some(profile) = &target.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(region) = &target.region {
        loader = loader.region(Region::new(region.clone()));
    }
    let config = loader.load().await;
    if config.region().is_none() {
        return config
            .into_builder()
            .region(Region::new(DEFAULT_REGION))
            .build();
    }
    config
}

struct Identity {
    account_id: String,
    partition: String,
}

/// `sts:GetCallerIdentity`: which account this is. Without it nothing else
/// can be attributed, so its failure ends the scan with advice.
async fn identify(config: &SdkConfig) -> anyhow::Result<Identity> {
    let sts = aws_sdk_sts::Client::new(config);
    let identity = sts.get_caller_identity().send().await.map_err(|error| {
        anyhow!(
            "cannot identify the AWS account (sts:GetCallerIdentity failed): {}\n\
             Check the credentials (AWS_PROFILE, --profile, AWS_ACCESS_KEY_ID) and that the \
             endpoint is reachable (network, AWS_ENDPOINT_URL).",
            DisplayErrorContext(&error)
        )
    })?;
    let arn = identity
        .arn()
        .context("sts:GetCallerIdentity returned no ARN")?;
    let partition = arn
        .split(':')
        .nth(1)
        .filter(|partition| !partition.is_empty())
        .with_context(|| format!("sts:GetCallerIdentity returned a malformed ARN {arn:?}"))?;
    Ok(Identity {
        account_id: identity
            .account()
            .context("sts:GetCallerIdentity returned no account")?
            .to_string(),
        partition: partition.to_string(),
    })
}

/// The planned data sources of one scan, and where to report progress.
pub struct Collection<'a> {
    plan: &'a Plan,
    progress: &'a Progress,
}

impl Collection<'_> {
    /// Runs `collection` only if the plan has `source`, reporting how it went.
    pub async fn run<T>(
        &self,
        source: DataSource,
        collection: impl Future<Output = Outcome<T>>,
    ) -> Option<Outcome<T>> {
        if !self.plan.contains(&source) {
            return None;
        }
        let started = Instant::now();
        let outcome = collection.await;
        match &outcome {
            Ok(_) => self.progress.detail(format!(
                "{} ({})",
                source.describe(),
                seconds(started.elapsed())
            )),
            Err(error) => {
                self.progress
                    .warn(format!("{}: {}", source.describe(), describe_error(error)))
            }
        }
        Some(outcome)
    }
}

pub fn describe_error(error: &crate::bindings::types::DataError) -> String {
    use crate::bindings::types::DataError;
    match error {
        DataError::AccessDenied(denied) => {
            format!("access denied to {}: {}", denied.action, denied.message)
        }
        DataError::NotAvailable(reason) => format!("not available: {reason}"),
        DataError::CollectionFailed(reason) => format!("collection failed: {reason}"),
    }
}
