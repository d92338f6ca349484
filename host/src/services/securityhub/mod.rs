//! AWS Security Hub, per region: whether it is enabled.

mod collect;

use crate::bindings::securityhub::HubDetails;
use crate::registry::{DataSet, ForKey, Regional, Scope, Service};

const INTERFACE: &str = "securityhub";

pub static SERVICE: Service = Service {
    interface: INTERFACE,
    data_sets: &[&HUBS],
};

pub static HUBS: DataSet<Regional<Option<HubDetails>>> = DataSet {
    interface: INTERFACE,
    name: "hubs",
    description: "whether Security Hub is enabled",
    scope: Scope::Regional,
    actions: &["securityhub:DescribeHub"],
    depends_on: &[],
    collect: |context| Box::pin(collect::hubs(context)),
    answers: &[&ForKey("hub")],
};
