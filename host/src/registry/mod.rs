//! The registry of data sets: the one place that says, for every piece of
//! account data the host can collect, which WIT functions it answers, how it
//! is scoped (the account, each region, each resource of another data set),
//! which IAM actions its collection needs, what it depends on, and which
//! collector fetches it. The plan, the sandbox's answers, the snapshot's
//! fields and the least-privilege permission list are all derived from it.
//!
//! A data set is declared once, as a `static` in its service's module
//! (`host/src/services/<service>/mod.rs`):
//!
//! ```text
//! pub static BUCKETS: DataSet<Vec<Bucket>> = DataSet {
//!     interface: INTERFACE,
//!     name: "buckets",
//!     description: "the S3 buckets",
//!     scope: Scope::Account,
//!     actions: &["s3:ListAllMyBuckets", "s3:GetBucketLocation"],
//!     depends_on: &[],
//!     collect: |context| Box::pin(collect::buckets(context)),
//!     answers: &[&Whole("buckets")],
//! };
//! ```
//!
//! and listed in its service's `DATA_SETS`. The unit tests in this module
//! compare the registry with `wit/check.wit`, so a WIT function without a
//! data set (or a data set answering a function the WIT lacks, or with the
//! wrong signature) fails a test, not a scan.

mod answers;
mod store;

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;

use wasmtime::component::LinkerInstance;

pub use answers::{Answer, ForKey, ForKeyPart, Lookup, Part, Whole};
pub use store::{DataStore, Stored};

use crate::bindings::types::DataError;
use crate::collect::Context;
use crate::runtime::CheckState;

/// What one data function answers: the data, or why there is none.
pub type Outcome<T> = Result<T, DataError>;

/// One outcome per key: per region for regional data, per resource for data
/// read resource by resource (a bucket's settings).
pub type PerKey<T> = BTreeMap<String, Outcome<T>>;

/// A regional data set's value: one outcome per region of the scan.
pub type Regional<T> = PerKey<T>;

/// A future borrowed from the collection context; collection runs on one
/// task, so collectors need not be `Send`.
pub type LocalFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// A collector: fetches a data set's value with the shared context.
pub type Collect<V> = for<'a> fn(&'a Context) -> LocalFuture<'a, Outcome<V>>;

/// Names a data set: its WIT interface and its field in the snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DataSetKey {
    pub interface: &'static str,
    pub name: &'static str,
}

impl fmt::Display for DataSetKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.interface, self.name)
    }
}

/// What a data set's value is keyed by; it decides how its WIT functions
/// are called and how the permission list describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// One value for the account.
    Account,
    /// One value for the account, gathered by a call in every region in
    /// scope (CloudTrail's trails, listed where they live).
    AccountFromRegions,
    /// One outcome per region in scope; its functions take the region.
    Regional,
    /// One outcome per resource of another data set (a `depends_on`); its
    /// functions take the resource's key, named by `key` ("bucket").
    PerResource { key: &'static str },
}

impl Scope {
    /// The noun for a key of this scope, for messages.
    pub fn key_noun(self) -> &'static str {
        match self {
            Scope::Account | Scope::AccountFromRegions => "entry",
            Scope::Regional => "region",
            Scope::PerResource { key } => key,
        }
    }

    /// Whether collecting it calls AWS in every region in scope.
    pub fn reads_every_region(self) -> bool {
        matches!(self, Scope::Regional | Scope::AccountFromRegions)
    }
}

/// A data set whose value has type `V` (for regional data, [`Regional`]; for
/// per-resource data, [`PerKey`]).
pub struct DataSet<V: 'static> {
    /// The WIT interface whose functions read it, e.g. `s3`.
    pub interface: &'static str,
    /// Its field in the snapshot, under the interface's object (snake_case).
    pub name: &'static str,
    /// For progress, errors and the permission list: "the S3 buckets".
    pub description: &'static str,
    pub scope: Scope,
    /// The IAM actions its collector calls (read-only, each once per scan
    /// per region or resource).
    pub actions: &'static [&'static str],
    /// Data sets its collector reads through the context (collected first).
    pub depends_on: &'static [&'static dyn AnyDataSet],
    pub collect: Collect<V>,
    /// The WIT functions it answers, and how.
    pub answers: &'static [&'static dyn Answer<V>],
}

impl<V> DataSet<V> {
    pub fn key(&self) -> DataSetKey {
        DataSetKey {
            interface: self.interface,
            name: self.name,
        }
    }
}

/// A data set with its value type erased, as the registry lists it.
pub trait AnyDataSet: Sync {
    fn key(&self) -> DataSetKey;
    fn description(&self) -> &'static str;
    fn scope(&self) -> Scope;
    fn actions(&self) -> &'static [&'static str];
    fn depends_on(&self) -> &'static [&'static dyn AnyDataSet];
    /// The WIT functions it answers (names within its interface).
    fn functions(&self) -> Vec<&'static str>;
    /// Runs its collector.
    fn collect<'a>(&'static self, context: &'a Context) -> LocalFuture<'a, Stored>;
    /// Defines its functions in the sandbox's linker.
    fn link(&'static self, instance: &mut LinkerInstance<'_, CheckState>) -> wasmtime::Result<()>;
    /// Its collected value, for writing a snapshot.
    fn serializable<'a>(&self, stored: &'a Stored) -> &'a dyn erased_serde::Serialize;
    /// Its value read from a snapshot.
    fn deserialize(
        &self,
        deserializer: &mut dyn erased_serde::Deserializer<'_>,
    ) -> Result<Stored, erased_serde::Error>;
}

impl<V> AnyDataSet for DataSet<V>
where
    V: serde::Serialize + serde::de::DeserializeOwned + Send + Sync + 'static,
{
    fn key(&self) -> DataSetKey {
        DataSet::key(self)
    }

    fn description(&self) -> &'static str {
        self.description
    }

    fn scope(&self) -> Scope {
        self.scope
    }

    fn actions(&self) -> &'static [&'static str] {
        self.actions
    }

    fn depends_on(&self) -> &'static [&'static dyn AnyDataSet] {
        self.depends_on
    }

    fn functions(&self) -> Vec<&'static str> {
        self.answers
            .iter()
            .map(|answer| answer.function())
            .collect()
    }

    fn collect<'a>(&'static self, context: &'a Context) -> LocalFuture<'a, Stored> {
        Box::pin(async move { Stored::new((self.collect)(context).await) })
    }

    fn link(&'static self, instance: &mut LinkerInstance<'_, CheckState>) -> wasmtime::Result<()> {
        for answer in self.answers {
            answer.link(self, instance)?;
        }
        Ok(())
    }

    fn serializable<'a>(&self, stored: &'a Stored) -> &'a dyn erased_serde::Serialize {
        stored
            .outcome::<V>()
            .expect("a stored value has its data set's type")
    }

    fn deserialize(
        &self,
        deserializer: &mut dyn erased_serde::Deserializer<'_>,
    ) -> Result<Stored, erased_serde::Error> {
        erased_serde::deserialize::<Outcome<V>>(deserializer).map(Stored::new)
    }
}

/// A service: one WIT interface and the data sets that answer it.
pub struct Service {
    pub interface: &'static str,
    pub data_sets: &'static [&'static dyn AnyDataSet],
}

impl Service {
    /// The service's object in a snapshot (`access_analyzer` for
    /// `access-analyzer`).
    pub fn snapshot_key(&self) -> String {
        self.interface.replace('-', "_")
    }
}

/// Every service the host knows, from `host/src/services/`.
pub fn services() -> &'static [&'static Service] {
    crate::services::SERVICES
}

/// Every registered data set.
pub fn data_sets() -> impl Iterator<Item = &'static dyn AnyDataSet> {
    services()
        .iter()
        .flat_map(|service| service.data_sets.iter().copied())
}

/// The data set that answers a WIT function, e.g. (`iam`, `users`).
pub fn answering(interface: &str, function: &str) -> Option<&'static dyn AnyDataSet> {
    data_sets().find(|set| set.key().interface == interface && set.functions().contains(&function))
}

/// The WIT interfaces the scan context answers, which need no collection.
pub const CONTEXT_INTERFACES: &[&str] = &["scan", "types", "reads"];

/// The data sets a scan collects: those the loaded checks read and,
/// transitively, those their collectors depend on.
#[derive(Clone, Default)]
pub struct Plan {
    data_sets: BTreeMap<DataSetKey, &'static dyn AnyDataSet>,
}

impl fmt::Debug for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.data_sets.keys()).finish()
    }
}

impl Plan {
    /// Every registered data set (`host collect` without plugins).
    pub fn everything() -> Plan {
        let mut plan = Plan::default();
        for set in data_sets() {
            plan.add(set);
        }
        plan
    }

    /// Adds a data set and what it depends on.
    pub fn add(&mut self, set: &'static dyn AnyDataSet) {
        if self.data_sets.insert(set.key(), set).is_none() {
            for dependency in set.depends_on() {
                self.add(*dependency);
            }
        }
    }

    pub fn extend(&mut self, other: &Plan) {
        for set in other.iter() {
            self.add(set);
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &'static dyn AnyDataSet> + '_ {
        self.data_sets.values().copied()
    }

    pub fn len(&self) -> usize {
        self.data_sets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.data_sets.is_empty()
    }

    /// Whether collecting it means enumerating the account's regions.
    pub fn is_regional(&self) -> bool {
        self.iter().any(|set| set.scope().reads_every_region())
    }
}

#[cfg(test)]
mod tests;
