//! Amazon CloudWatch, per region: the metric alarms.

mod collect;

use crate::bindings::cloudwatch::MetricAlarm;
use crate::registry::{DataSet, ForKey, Regional, Scope, Service};

const INTERFACE: &str = "cloudwatch";

pub static SERVICE: Service = Service {
    interface: INTERFACE,
    data_sets: &[&ALARMS],
};

pub static ALARMS: DataSet<Regional<Vec<MetricAlarm>>> = DataSet {
    interface: INTERFACE,
    name: "alarms",
    description: "the CloudWatch metric alarms",
    scope: Scope::Regional,
    actions: &["cloudwatch:DescribeAlarms"],
    depends_on: &[],
    collect: |context| Box::pin(collect::alarms(context)),
    answers: &[&ForKey("alarms")],
};
