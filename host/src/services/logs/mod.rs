//! Amazon CloudWatch Logs, per region: the metric filters of every log
//! group.

mod collect;

use crate::bindings::logs::MetricFilter;
use crate::registry::{DataSet, ForKey, Regional, Scope, Service};

const INTERFACE: &str = "logs";

pub static SERVICE: Service = Service {
    interface: INTERFACE,
    data_sets: &[&METRIC_FILTERS],
};

pub static METRIC_FILTERS: DataSet<Regional<Vec<MetricFilter>>> = DataSet {
    interface: INTERFACE,
    name: "metric_filters",
    description: "the CloudWatch Logs metric filters",
    scope: Scope::Regional,
    actions: &["logs:DescribeMetricFilters"],
    depends_on: &[],
    collect: |context| Box::pin(collect::metric_filters(context)),
    answers: &[&ForKey("metric-filters")],
};
