//! Collection: the host, and only the host, calls AWS. Every planned data
//! set is collected once, concurrently with the others, after the data sets
//! it depends on; an error becomes the typed outcome for that data set, never
//! a crash. Collectors (in `host/src/services/`) share one [`Context`].

pub mod errors;

use std::any::{Any, TypeId};
use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{Context as _, anyhow};
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_sts::error::DisplayErrorContext;
use aws_smithy_types::DateTime;
use futures_util::future::join_all;
use tokio::sync::{OnceCell, Semaphore};

use crate::bindings::types::{DataError, Timestamp};
use crate::progress::{Progress, seconds};
use crate::registry::{
    AnyDataSet, DataSet, DataSetKey, DataStore, LocalFuture, Outcome, PerKey, Plan, Regional,
    Stored,
};
use crate::snapshot::{self, Snapshot};

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

/// AWS requests in flight at once for per-resource calls (a bucket's
/// settings), across every data set of the scan.
const RESOURCE_CALLS_IN_FLIGHT: usize = 32;

pub async fn collect(
    target: &AwsTarget,
    plan: &Plan,
    progress: &Progress,
) -> anyhow::Result<Snapshot> {
    let config = load_config(target).await;
    let home_region = config
        .region()
        .map(Region::to_string)
        .unwrap_or_else(|| DEFAULT_REGION.into());
    let identity = identify(&config, progress.is_verbose()).await?;
    let regions = regions_in_scope(target, plan, &config, &home_region, &identity.partition).await;
    let scanned_regions = match &regions {
        Ok(regions) => regions.clone(),
        Err(error) => {
            progress.warn(format!(
                "cannot enumerate the enabled regions ({}); regional data will be reported as \
                 errors",
                describe_error(error)
            ));
            vec![home_region.clone()]
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
    let context = Context {
        config,
        home_region,
        identity,
        regions,
        plan,
        progress,
        clients: Mutex::default(),
        budget: Semaphore::new(RESOURCE_CALLS_IN_FLIGHT),
        collected: plan
            .iter()
            .map(|set| (set.key(), OnceCell::new()))
            .collect(),
    };
    let bar = progress.bar(plan.len(), "data sets collected");
    join_all(plan.iter().map(|set| {
        let bar = &bar;
        let context = &context;
        async move {
            context.ensure(set).await;
            bar.advance(&set.key().to_string());
        }
    }))
    .await;
    drop(bar);
    progress.detail(format!("collection took {}", seconds(started.elapsed())));
    let mut data = DataStore::default();
    for (key, cell) in context.collected {
        if let Some(stored) = cell.into_inner() {
            data.insert_stored(key, stored);
        }
    }
    Ok(Snapshot {
        format: snapshot::FORMAT.to_string(),
        account_id: context.identity.account_id,
        partition: context.identity.partition,
        regions: scanned_regions,
        collected_at,
        data,
    })
}

/// What every collector shares: the SDK settings, the account, the regions
/// in scope, the plan, progress, one client per service and region, a
/// concurrency budget, and the data sets collected so far.
pub struct Context<'a> {
    config: SdkConfig,
    home_region: String,
    identity: Identity,
    regions: Outcome<Vec<String>>,
    plan: &'a Plan,
    progress: &'a Progress,
    clients: Mutex<HashMap<(TypeId, String), Box<dyn Any + Send + Sync>>>,
    budget: Semaphore,
    collected: BTreeMap<DataSetKey, OnceCell<Stored>>,
}

/// An AWS SDK client a collector can ask the context for.
pub trait ServiceClient: Clone + Send + Sync + 'static {
    /// A client for `config` (whose region is the one asked for).
    fn build(config: &SdkConfig, account_id: &str) -> Self;
}

/// Implements [`ServiceClient`] for SDK crates whose client needs nothing
/// but the shared settings.
#[macro_export]
macro_rules! sdk_clients {
    ($($sdk:ident),+ $(,)?) => {
        $(
            impl $crate::collect::ServiceClient for $sdk::Client {
                fn build(config: &aws_config::SdkConfig, _account_id: &str) -> Self {
                    $sdk::Client::new(config)
                }
            }
        )+
    };
}

impl Context<'_> {
    pub fn account_id(&self) -> &str {
        &self.identity.account_id
    }

    pub fn partition(&self) -> &str {
        &self.identity.partition
    }

    pub fn plan(&self) -> &Plan {
        self.plan
    }

    pub fn progress(&self) -> &Progress {
        self.progress
    }

    /// The client of service `C` for `region`, built once per scan.
    pub fn client<C: ServiceClient>(&self, region: &str) -> C {
        let key = (TypeId::of::<C>(), region.to_string());
        let mut clients = self.clients.lock().expect("client cache lock");
        if let Some(client) = clients
            .get(&key)
            .and_then(|client| client.downcast_ref::<C>())
        {
            return client.clone();
        }
        let config = self
            .config
            .to_builder()
            .region(Region::new(region.to_string()))
            .build();
        let client = C::build(&config, &self.identity.account_id);
        clients.insert(key, Box::new(client.clone()));
        client
    }

    /// The client of a global service (IAM, Organizations, the account),
    /// in the region the SDK was configured with.
    pub fn global_client<C: ServiceClient>(&self) -> C {
        self.client(&self.home_region)
    }

    /// A data set this collector declared in `depends_on`, already
    /// collected.
    pub fn get<V: 'static>(&self, set: &'static DataSet<V>) -> Outcome<&V> {
        let key = set.key();
        match self
            .collected
            .get(&key)
            .and_then(OnceCell::get)
            .and_then(Stored::outcome::<V>)
        {
            Some(outcome) => outcome.as_ref().map_err(Clone::clone),
            None => Err(DataError::CollectionFailed(format!(
                "host bug: {key} was read before it was collected (declare it in `depends_on`)"
            ))),
        }
    }

    /// Runs `fetch` for every region in scope, concurrently; each region
    /// gets its own outcome. Fails as a whole only if the regions are
    /// unknown.
    pub async fn per_region<T, F, Fut>(&self, fetch: F) -> Outcome<Regional<T>>
    where
        F: Fn(String) -> Fut,
        Fut: Future<Output = Outcome<T>>,
    {
        let regions = self.regions.clone()?;
        let answers = join_all(regions.into_iter().map(|region| {
            let answer = fetch(region.clone());
            async move { (region, answer.await) }
        }))
        .await;
        Ok(answers.into_iter().collect())
    }

    /// Runs `fetch` for every item, keyed by `key`, with at most the scan's
    /// budget of requests in flight across all data sets.
    pub async fn each<I, T, Fut>(
        &self,
        items: impl IntoIterator<Item = I>,
        key: impl Fn(&I) -> String,
        fetch: impl Fn(I) -> Fut,
    ) -> PerKey<T>
    where
        Fut: Future<Output = Outcome<T>>,
    {
        let answers = join_all(items.into_iter().map(|item| {
            let key = key(&item);
            let answer = fetch(item);
            async move {
                let _permit = self.budget.acquire().await.expect("the budget stays open");
                (key, answer.await)
            }
        }))
        .await;
        answers.into_iter().collect()
    }

    /// Collects `set` once, after what it depends on; later calls wait for
    /// the first.
    fn ensure<'s>(&'s self, set: &'static dyn AnyDataSet) -> LocalFuture<'s, ()> {
        Box::pin(async move {
            let cell = self
                .collected
                .get(&set.key())
                .expect("the plan holds every dependency");
            cell.get_or_init(|| async {
                join_all(
                    set.depends_on()
                        .iter()
                        .map(|dependency| self.ensure(*dependency)),
                )
                .await;
                let started = Instant::now();
                let stored = set.collect(self).await;
                self.report(set, &stored, started.elapsed());
                stored
            })
            .await;
        })
    }

    fn report(&self, set: &dyn AnyDataSet, stored: &Stored, took: Duration) {
        match stored.failure() {
            None => self
                .progress
                .detail(format!("{} ({})", set.description(), seconds(took))),
            Some(error) => {
                self.progress
                    .warn(format!("{}: {}", set.description(), describe_error(error)))
            }
        }
    }
}

/// `--regions` when given; otherwise the enabled regions when a planned
/// data set is regional (an `ec2:DescribeRegions` call), else just the
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
    if plan.is_regional() {
        return crate::services::ec2::enabled_regions(config, partition).await;
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

/// What went wrong when asking STS who we are, and what to do about it.
fn identity_failure<E, R>(error: &aws_sdk_sts::error::SdkError<E, R>) -> String
where
    E: std::error::Error + 'static,
    R: std::fmt::Debug + 'static,
{
    use aws_credential_types::provider::error::CredentialsError;
    use aws_sdk_sts::error::SdkError;
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(current) = cause {
        if let Some(credentials) = current.downcast_ref::<CredentialsError>() {
            return match credentials {
                CredentialsError::CredentialsNotLoaded(_) => {
                    "no AWS credentials found: tried the environment, the shared config and \
                     credentials files (profile, SSO), web identity, ECS and instance metadata.\n\
                     Set AWS_PROFILE or --profile, or export AWS_ACCESS_KEY_ID and \
                     AWS_SECRET_ACCESS_KEY (--verbose shows what each source said)."
                        .to_string()
                }
                other => format!(
                    "the AWS credentials could not be loaded: {other}.\nCheck the profile's \
                     configuration (aws configure list) or log in again (aws sso login); \
                     --verbose shows the SDK's error."
                ),
            };
        }
        cause = current.source();
    }
    match error {
        SdkError::ServiceError(service) => format!(
            "AWS refused sts:GetCallerIdentity: {}.\nThe credentials are invalid or expired: \
             refresh them (aws sso login, a new session token) or choose another --profile.",
            DisplayErrorContext(service.err())
        ),
        _ => "cannot reach AWS to identify the account (sts:GetCallerIdentity failed before an \
              answer).\nCheck the network or proxy and AWS_ENDPOINT_URL; --verbose shows the SDK's \
              error."
            .to_string(),
    }
}

struct Identity {
    account_id: String,
    partition: String,
}

/// `sts:GetCallerIdentity`: which account this is. Without it nothing else
/// can be attributed, so its failure ends the scan with advice: what failed
/// and what to do in two lines, the SDK's whole error chain with `verbose`.
async fn identify(config: &SdkConfig, verbose: bool) -> anyhow::Result<Identity> {
    let sts = aws_sdk_sts::Client::new(config);
    let identity = sts.get_caller_identity().send().await.map_err(|error| {
        let advice = identity_failure(&error);
        if verbose {
            anyhow!("{advice}\nThe SDK's error: {}", DisplayErrorContext(&error))
        } else {
            anyhow!("{advice}")
        }
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

/// The actions every scan calls, whatever the checks read.
pub const ALWAYS_CALLED: &[&str] = &["sts:GetCallerIdentity"];

/// Called when a planned data set is regional and `--regions` is not given.
pub const REGIONS_ACTION: &str = "ec2:DescribeRegions";

pub fn describe_error(error: &DataError) -> String {
    match error {
        DataError::AccessDenied(denied) => {
            format!("access denied to {}: {}", denied.action, denied.message)
        }
        DataError::NotAvailable(reason) => format!("not available: {reason}"),
        DataError::CollectionFailed(reason) => format!("collection failed: {reason}"),
    }
}

pub fn timestamp(time: &DateTime) -> Timestamp {
    time.secs()
}

pub fn text(value: Option<&str>) -> String {
    value.unwrap_or_default().to_string()
}
