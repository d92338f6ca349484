//! Amazon SNS, per region: the topics and their subscriptions.

mod collect;

use crate::bindings::sns::Subscription;
use crate::registry::{DataSet, ForKey, Regional, Scope, Service};

const INTERFACE: &str = "sns";

pub static SERVICE: Service = Service {
    interface: INTERFACE,
    data_sets: &[&TOPICS, &SUBSCRIPTIONS],
};

pub static TOPICS: DataSet<Regional<Vec<String>>> = DataSet {
    interface: INTERFACE,
    name: "topics",
    description: "the SNS topics",
    scope: Scope::Regional,
    actions: &["sns:ListTopics"],
    depends_on: &[],
    collect: |context| Box::pin(collect::topics(context)),
    answers: &[&ForKey("topics")],
};

pub static SUBSCRIPTIONS: DataSet<Regional<Vec<Subscription>>> = DataSet {
    interface: INTERFACE,
    name: "subscriptions",
    description: "the SNS subscriptions",
    scope: Scope::Regional,
    actions: &["sns:ListSubscriptions"],
    depends_on: &[],
    collect: |context| Box::pin(collect::subscriptions(context)),
    answers: &[&ForKey("subscriptions")],
};
