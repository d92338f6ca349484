//! AWS Config, per region: the configuration recorders, their status, and
//! the delivery channels.

mod collect;

use crate::bindings::config::{ConfigurationRecorder, DeliveryChannel, RecorderStatus};
use crate::registry::{DataSet, ForKey, Regional, Scope, Service};

const INTERFACE: &str = "config";

pub static SERVICE: Service = Service {
    interface: INTERFACE,
    data_sets: &[&RECORDERS, &RECORDER_STATUSES, &DELIVERY_CHANNELS],
};

pub static RECORDERS: DataSet<Regional<Vec<ConfigurationRecorder>>> = DataSet {
    interface: INTERFACE,
    name: "recorders",
    description: "the AWS Config configuration recorders",
    scope: Scope::Regional,
    actions: &["config:DescribeConfigurationRecorders"],
    depends_on: &[],
    collect: |context| Box::pin(collect::recorders(context)),
    answers: &[&ForKey("recorders")],
};

pub static RECORDER_STATUSES: DataSet<Regional<Vec<RecorderStatus>>> = DataSet {
    interface: INTERFACE,
    name: "recorder_statuses",
    description: "the AWS Config recorders' status",
    scope: Scope::Regional,
    actions: &["config:DescribeConfigurationRecorderStatus"],
    depends_on: &[],
    collect: |context| Box::pin(collect::recorder_statuses(context)),
    answers: &[&ForKey("recorder-statuses")],
};

pub static DELIVERY_CHANNELS: DataSet<Regional<Vec<DeliveryChannel>>> = DataSet {
    interface: INTERFACE,
    name: "delivery_channels",
    description: "the AWS Config delivery channels",
    scope: Scope::Regional,
    actions: &["config:DescribeDeliveryChannels"],
    depends_on: &[],
    collect: |context| Box::pin(collect::delivery_channels(context)),
    answers: &[&ForKey("delivery-channels")],
};
