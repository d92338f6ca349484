//! Collection: the host, and only the host, calls AWS. Each planned data
//! source is collected once, concurrently with the others; an error becomes
//! the typed outcome for that source, never a crash.

mod access_analyzer;
mod account;
mod credential_report;
pub mod custom_endpoint;
mod ec2;
mod errors;
mod iam;
mod organizations;
mod s3;

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow};
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_iam::error::DisplayErrorContext;
use aws_smithy_types::DateTime;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::bindings::types::{DataError, Timestamp};
use crate::progress::{Progress, seconds};
use crate::snapshot::{self, DataSource, Outcome, Plan, Regional, Snapshot};

/// Which account and how to reach it.
#[derive(Debug, Clone, Default)]
pub struct AwsTarget {
    /// A named profile from the shared AWS config (`--profile`).
    pub profile: Option<String>,
    /// The region the SDK starts from (`--region`); otherwise the profile's
    /// or environment's region.
    pub region: Option<String>,
    /// The regions to scan (`--regions`); otherwise every enabled region.
    pub regions: Option<Vec<String>>,
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
    let regions = regions_in_scope(target, plan, &config, &region, &identity.partition).await;
    let scanned_regions = match &regions {
        Ok(regions) => regions.clone(),
        Err(error) => {
            progress.warn(format!(
                "cannot enumerate the enabled regions ({}); regional data will be reported as \
                 errors",
                describe_error(error)
            ));
            vec![region.clone()]
        }
    };
    progress.step(format!(
        "Collecting {} data set(s) from account {} ({}, {} region(s))",
        plan.len(),
        identity.account_id,
        identity.partition,
        scanned_regions.len()
    ));
    let started = Instant::now();
    let collected_at = crate::timefmt::format(crate::timefmt::now());
    let collection = Collection { plan, progress };
    let iam_client = aws_sdk_iam::Client::new(&config);
    let account_client = aws_sdk_account::Client::new(&config);
    let organizations_client = aws_sdk_organizations::Client::new(&config);
    let (iam, account, access_analyzer, ec2, organizations, s3) = tokio::join!(
        iam::collect(&iam_client, &collection),
        account::collect(&account_client, &collection),
        access_analyzer::collect(&config, &regions, &collection),
        ec2::collect(
            &config,
            &regions,
            (&identity.account_id, &identity.partition),
            &collection
        ),
        organizations::collect(&organizations_client, &collection),
        s3::collect(&config, &identity.account_id, &collection),
    );
    progress.detail(format!("collection took {}", seconds(started.elapsed())));
    Ok(Snapshot {
        format: snapshot::FORMAT.to_string(),
        account_id: identity.account_id,
        partition: identity.partition,
        regions: scanned_regions,
        collected_at,
        iam,
        account,
        access_analyzer,
        ec2,
        organizations,
        s3,
    })
}

/// `--regions` when given; otherwise the enabled regions when a loaded
/// check reads regional data (an `ec2:DescribeRegions` call), else just the
/// SDK's region.
async fn regions_in_scope(
    target: &AwsTarget,
    plan: &Plan,
    config: &SdkConfig,
    region: &str,
    partition: &str,
) -> Outcome<Vec<String>> {
    if let Some(regions) = &target.regions {
        return Ok(regions.clone());
    }
    if plan.iter().any(|source| source.is_regional()) {
        return ec2::enabled_regions(config, partition).await;
    }
    Ok(vec![region.to_string()])
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
    pub fn plans(&self, source: DataSource) -> bool {
        self.plan.contains(&source)
    }

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

pub fn describe_error(error: &DataError) -> String {
    match error {
        DataError::AccessDenied(denied) => {
            format!("access denied to {}: {}", denied.action, denied.message)
        }
        DataError::NotAvailable(reason) => format!("not available: {reason}"),
        DataError::CollectionFailed(reason) => format!("collection failed: {reason}"),
    }
}

/// Runs `fetch` for every region in scope, concurrently; each region gets
/// its own outcome. Fails as a whole only if the regions are unknown.
pub async fn per_region<T, F, Fut>(regions: &Outcome<Vec<String>>, fetch: F) -> Outcome<Regional<T>>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Outcome<T>> + Send + 'static,
    T: Send + 'static,
{
    let regions = regions.clone()?;
    let answers = concurrently(regions, usize::MAX, |region| {
        let answer = fetch(region.clone());
        async move { (region, answer.await) }
    })
    .await;
    Ok(answers.into_iter().collect::<BTreeMap<_, _>>())
}

/// Runs `task` for every item with at most `limit` in flight; the answers
/// come back in no particular order. A task that panics is a bug in the
/// host, so the panic is passed on.
pub async fn concurrently<I, T, F, Fut>(items: Vec<I>, limit: usize, task: F) -> Vec<T>
where
    F: Fn(I) -> Fut,
    Fut: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let permits = Arc::new(Semaphore::new(limit.min(Semaphore::MAX_PERMITS)));
    let mut tasks = JoinSet::new();
    for item in items {
        let work = task(item);
        let permits = Arc::clone(&permits);
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await.expect("semaphore open");
            work.await
        });
    }
    let mut answers = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok(answer) => answers.push(answer),
            Err(error) => std::panic::resume_unwind(error.into_panic()),
        }
    }
    answers
}

fn timestamp(time: &DateTime) -> Timestamp {
    time.secs()
}

fn text(value: Option<&str>) -> String {
    value.unwrap_or_default().to_string()
}
