//! Amazon Macie, per region: whether it is enabled, its classification
//! jobs, and automated sensitive data discovery.

mod collect;

use crate::bindings::macie::{ClassificationJob, MacieSession};
use crate::registry::{DataSet, ForKey, Regional, Scope, Service};

const INTERFACE: &str = "macie";

pub static SERVICE: Service = Service {
    interface: INTERFACE,
    data_sets: &[&SESSIONS, &CLASSIFICATION_JOBS, &AUTOMATED_DISCOVERY_STATUS],
};

pub static SESSIONS: DataSet<Regional<Option<MacieSession>>> = DataSet {
    interface: INTERFACE,
    name: "sessions",
    description: "whether Macie is enabled",
    scope: Scope::Regional,
    actions: &["macie2:GetMacieSession"],
    depends_on: &[],
    collect: |context| Box::pin(collect::sessions(context)),
    answers: &[&ForKey("session")],
};

/// Listed only where Macie is enabled: elsewhere the call fails, and there
/// are no jobs.
pub static CLASSIFICATION_JOBS: DataSet<Regional<Vec<ClassificationJob>>> = DataSet {
    interface: INTERFACE,
    name: "classification_jobs",
    description: "the Macie classification jobs",
    scope: Scope::Regional,
    actions: &["macie2:ListClassificationJobs"],
    depends_on: &[&SESSIONS],
    collect: |context| Box::pin(collect::classification_jobs(context)),
    answers: &[&ForKey("classification-jobs")],
};

/// Read only where Macie is enabled; elsewhere it is `DISABLED`.
pub static AUTOMATED_DISCOVERY_STATUS: DataSet<Regional<String>> = DataSet {
    interface: INTERFACE,
    name: "automated_discovery_status",
    description: "Macie automated sensitive data discovery",
    scope: Scope::Regional,
    actions: &["macie2:GetAutomatedDiscoveryConfiguration"],
    depends_on: &[&SESSIONS],
    collect: |context| Box::pin(collect::automated_discovery_status(context)),
    answers: &[&ForKey("automated-discovery-status")],
};
