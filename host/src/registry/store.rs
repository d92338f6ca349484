//! The collected values of a scan, each under its data set's key, with their
//! types erased so one store holds every data set; typed access goes through
//! the data set's `static`.

use std::any::Any;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use super::{DataSet, DataSetKey, Outcome, PerKey};
use crate::bindings::types::DataError;

/// One data set's outcome, type-erased.
#[derive(Clone)]
pub struct Stored {
    value: Arc<dyn Any + Send + Sync>,
    failure: Option<DataError>,
}

impl Stored {
    pub fn new<V: Send + Sync + 'static>(outcome: Outcome<V>) -> Stored {
        Stored {
            failure: outcome.as_ref().err().cloned(),
            value: Arc::new(outcome),
        }
    }

    /// The outcome, if it has type `Outcome<V>`.
    pub fn outcome<V: 'static>(&self) -> Option<&Outcome<V>> {
        self.value.downcast_ref()
    }

    /// Why the whole data set has no value, if it has none.
    pub fn failure(&self) -> Option<&DataError> {
        self.failure.as_ref()
    }
}

/// The values of every collected data set.
#[derive(Clone, Default)]
pub struct DataStore {
    values: BTreeMap<DataSetKey, Stored>,
}

impl fmt::Debug for DataStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.values.keys()).finish()
    }
}

impl DataStore {
    pub fn insert<V: Send + Sync + 'static>(
        &mut self,
        set: &'static DataSet<V>,
        value: Outcome<V>,
    ) {
        self.values.insert(set.key(), Stored::new(value));
    }

    pub fn insert_stored(&mut self, key: DataSetKey, stored: Stored) {
        self.values.insert(key, stored);
    }

    pub fn get(&self, key: DataSetKey) -> Option<&Stored> {
        self.values.get(&key)
    }

    /// A data set's value, or why there is none (including "not collected").
    pub fn read<V: 'static>(&self, set: &'static DataSet<V>) -> Outcome<&V> {
        match self.values.get(&set.key()).and_then(Stored::outcome::<V>) {
            Some(outcome) => outcome.as_ref().map_err(Clone::clone),
            None => Err(DataError::NotAvailable(format!(
                "no data for {}: not collected in this scan (a snapshot taken without it?)",
                set.description
            ))),
        }
    }

    /// One region's or resource's outcome of a per-key data set.
    pub fn entry<T: Clone + 'static>(
        &self,
        set: &'static DataSet<PerKey<T>>,
        key: &str,
    ) -> Outcome<T> {
        self.read(set)?.get(key).cloned().unwrap_or_else(|| {
            Err(DataError::NotAvailable(format!(
                "{} has no {} {key:?} in this scan",
                set.description,
                set.scope.key_noun()
            )))
        })
    }
}
