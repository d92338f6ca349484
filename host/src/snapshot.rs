//! The collected account state. `host collect` writes it, `host scan
//! --snapshot` reads it, and a live scan builds it in memory: one model.
//!
//! The file is a JSON object: the header fields, then one object per service
//! (`"iam": {...}`, `"access_analyzer": {...}`) holding its data sets by
//! name. A data set is absent when it was not collected, `{"Err": ...}` when
//! collecting it failed (the typed error a check will see) and `{"Ok": ...}`
//! otherwise. Which data sets exist, and their types, come from the registry.

use std::fmt;
use std::path::Path;

use anyhow::{Context, bail};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::bindings::types::Timestamp;
use crate::registry::{self, AnyDataSet, DataStore, Service};

/// Identifies the snapshot file format; bumped on incompatible changes.
pub const FORMAT: &str = "plumbline-snapshot/1";

#[derive(Debug, Clone)]
pub struct Snapshot {
    pub format: String,
    pub account_id: String,
    pub partition: String,
    pub regions: Vec<String>,
    /// When the data was collected (RFC 3339); the default "now" of a scan.
    pub collected_at: String,
    pub data: DataStore,
}

impl Snapshot {
    /// A snapshot of no data, e.g. for a check's `metadata` at load time.
    pub fn empty() -> Snapshot {
        Snapshot {
            format: FORMAT.to_string(),
            account_id: String::new(),
            partition: String::new(),
            regions: Vec::new(),
            collected_at: crate::timefmt::format(0),
            data: DataStore::default(),
        }
    }

    pub fn read(path: &Path) -> anyhow::Result<Snapshot> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read snapshot {}", path.display()))?;
        let snapshot: Snapshot = serde_json::from_str(&text).with_context(|| {
            format!(
                "{} is not a valid Plumbline snapshot (expected the JSON that `host collect` writes)",
                path.display()
            )
        })?;
        if snapshot.format != FORMAT {
            bail!(
                "{} has snapshot format {:?}; this host reads {FORMAT:?}. Re-create it with `host collect`.",
                path.display(),
                snapshot.format
            );
        }
        crate::timefmt::parse(&snapshot.collected_at).with_context(|| {
            format!("{}: `collected_at` is not an RFC 3339 time", path.display())
        })?;
        Ok(snapshot)
    }

    pub fn write(&self, path: &Path) -> anyhow::Result<()> {
        let json = serde_json::to_string_pretty(self)?;
        crate::report::write_atomically(path, json.as_bytes())
    }

    /// The collection time as a timestamp.
    pub fn collected_at(&self) -> Timestamp {
        crate::timefmt::parse(&self.collected_at).unwrap_or_default()
    }
}

const HEADER: [&str; 5] = [
    "format",
    "account_id",
    "partition",
    "regions",
    "collected_at",
];

impl Serialize for Snapshot {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("format", &self.format)?;
        map.serialize_entry("account_id", &self.account_id)?;
        map.serialize_entry("partition", &self.partition)?;
        map.serialize_entry("regions", &self.regions)?;
        map.serialize_entry("collected_at", &self.collected_at)?;
        for service in registry::services() {
            let collected = ServiceData {
                service,
                data: &self.data,
            };
            if collected.is_empty() {
                continue;
            }
            map.serialize_entry(&service.snapshot_key(), &collected)?;
        }
        map.end()
    }
}

/// A service's collected data sets, in registry order.
struct ServiceData<'a> {
    service: &'static Service,
    data: &'a DataStore,
}

impl ServiceData<'_> {
    fn present(&self) -> impl Iterator<Item = &'static dyn AnyDataSet> + '_ {
        self.service
            .data_sets
            .iter()
            .copied()
            .filter(|set| self.data.get(set.key()).is_some())
    }

    fn is_empty(&self) -> bool {
        self.present().next().is_none()
    }
}

impl Serialize for ServiceData<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for set in self.present() {
            let stored = self.data.get(set.key()).expect("present");
            map.serialize_entry(set.key().name, set.serializable(stored))?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Snapshot {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Snapshot, D::Error> {
        deserializer.deserialize_map(SnapshotVisitor)
    }
}

struct SnapshotVisitor;

impl<'de> Visitor<'de> for SnapshotVisitor {
    type Value = Snapshot;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Plumbline snapshot object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Snapshot, A::Error> {
        let mut format = None;
        let mut account_id = None;
        let mut partition = None;
        let mut regions = None;
        let mut collected_at = None;
        let mut data = DataStore::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "format" => format = Some(map.next_value()?),
                "account_id" => account_id = Some(map.next_value()?),
                "partition" => partition = Some(map.next_value()?),
                "regions" => regions = Some(map.next_value()?),
                "collected_at" => collected_at = Some(map.next_value()?),
                other => match registry::services()
                    .iter()
                    .find(|service| service.snapshot_key() == other)
                {
                    Some(service) => map.next_value_seed(ServiceSeed {
                        service,
                        data: &mut data,
                    })?,
                    // Not data: e.g. a fixture's `expect` block.
                    None => {
                        map.next_value::<IgnoredAny>()?;
                    }
                },
            }
        }
        Ok(Snapshot {
            format: format.ok_or_else(|| de::Error::missing_field(HEADER[0]))?,
            account_id: account_id.ok_or_else(|| de::Error::missing_field(HEADER[1]))?,
            partition: partition.ok_or_else(|| de::Error::missing_field(HEADER[2]))?,
            regions: regions.ok_or_else(|| de::Error::missing_field(HEADER[3]))?,
            collected_at: collected_at.ok_or_else(|| de::Error::missing_field(HEADER[4]))?,
            data,
        })
    }
}

/// Reads one service's object into the store, each data set with its type.
struct ServiceSeed<'a> {
    service: &'static Service,
    data: &'a mut DataStore,
}

impl<'de> DeserializeSeed<'de> for ServiceSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ServiceSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the {} data sets", self.service.interface)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(name) = map.next_key::<String>()? {
            let Some(set) = self
                .service
                .data_sets
                .iter()
                .find(|set| set.key().name == name)
            else {
                let known: Vec<&str> = self
                    .service
                    .data_sets
                    .iter()
                    .map(|set| set.key().name)
                    .collect();
                return Err(de::Error::custom(format!(
                    "unknown data set `{}.{name}` (written by a newer host, or misspelt?); \
                     this host knows: {}",
                    self.service.snapshot_key(),
                    known.join(", ")
                )));
            };
            let stored = map.next_value_seed(DataSetSeed(*set))?;
            self.data.insert_stored(set.key(), stored);
        }
        Ok(())
    }
}

/// Reads one data set's outcome with its registered type.
struct DataSetSeed(&'static dyn AnyDataSet);

impl<'de> DeserializeSeed<'de> for DataSetSeed {
    type Value = registry::Stored;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        let mut erased = <dyn erased_serde::Deserializer>::erase(deserializer);
        self.0
            .deserialize(&mut erased)
            .map_err(|error| de::Error::custom(format!("{}: {error}", self.0.key())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bindings::s3::Bucket;
    use crate::bindings::types::DataError;
    use crate::services::{iam, s3};

    fn snapshot_with_buckets() -> Snapshot {
        let mut snapshot = Snapshot::empty();
        snapshot.account_id = "111122223333".into();
        snapshot.data.insert(
            &s3::BUCKETS,
            Ok(vec![Bucket {
                name: "logs".into(),
                arn: "arn:aws:s3:::logs".into(),
                region: "eu-west-1".into(),
                creation_date: Some(1),
            }]),
        );
        snapshot.data.insert(
            &iam::PASSWORD_POLICY,
            Err(DataError::NotAvailable("gone".into())),
        );
        snapshot
    }

    #[test]
    fn a_written_snapshot_reads_back_with_its_types() {
        let json = serde_json::to_string_pretty(&snapshot_with_buckets()).unwrap();
        assert!(
            json.contains("\"s3\": {\n    \"buckets\": {\n      \"Ok\""),
            "{json}"
        );
        let read: Snapshot = serde_json::from_str(&json).unwrap();
        assert_eq!(read.account_id, "111122223333");
        assert_eq!(read.data.read(&s3::BUCKETS).unwrap()[0].name, "logs");
        assert_eq!(
            read.data.read(&iam::PASSWORD_POLICY).unwrap_err(),
            DataError::NotAvailable("gone".into())
        );
        assert!(
            read.data.read(&iam::CREDENTIAL_REPORT).is_err(),
            "what was not collected stays absent"
        );
    }

    #[test]
    fn unknown_data_sets_are_refused_and_other_keys_ignored() {
        let header = r#""format": "plumbline-snapshot/1", "account_id": "1", "partition": "aws",
                        "regions": [], "collected_at": "2026-01-01T00:00:00Z""#;
        let with_expect = format!(r#"{{ {header}, "expect": {{ "status": "pass" }} }}"#);
        assert!(serde_json::from_str::<Snapshot>(&with_expect).is_ok());
        let misspelt = format!(r#"{{ {header}, "s3": {{ "bucket": {{ "Ok": [] }} }} }}"#);
        let error = serde_json::from_str::<Snapshot>(&misspelt)
            .unwrap_err()
            .to_string();
        assert!(error.contains("unknown data set `s3.bucket`"), "{error}");
        assert!(error.contains("buckets"), "names the known ones: {error}");
        let wrong_type = format!(r#"{{ {header}, "s3": {{ "buckets": {{ "Ok": 3 }} }} }}"#);
        let error = serde_json::from_str::<Snapshot>(&wrong_type)
            .unwrap_err()
            .to_string();
        assert!(error.contains("s3.buckets"), "{error}");
    }
}
