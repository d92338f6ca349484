//! IAM Access Analyzer, per region.

mod collect;

use crate::bindings::access_analyzer::Analyzer;
use crate::registry::{DataSet, ForKey, Regional, Scope, Service};

const INTERFACE: &str = "access-analyzer";

pub static SERVICE: Service = Service {
    interface: INTERFACE,
    data_sets: &[&ANALYZERS],
};

pub static ANALYZERS: DataSet<Regional<Vec<Analyzer>>> = DataSet {
    interface: INTERFACE,
    name: "analyzers",
    description: "the IAM Access Analyzer analyzers",
    scope: Scope::Regional,
    actions: &["access-analyzer:ListAnalyzers"],
    depends_on: &[],
    collect: |context| Box::pin(collect::analyzers(context)),
    answers: &[&ForKey("analyzers")],
};
