//! CloudWatch: DescribeAlarms per region, paginated. Without `AlarmTypes`
//! it lists only metric alarms, the ones that watch a metric.

use aws_sdk_cloudwatch::Client;

use crate::bindings::cloudwatch::{AlarmMetric, MetricAlarm};
use crate::collect::errors::data_error;
use crate::collect::{Context, text};
use crate::registry::{Outcome, Regional};

pub async fn alarms(context: &Context<'_>) -> Outcome<Regional<Vec<MetricAlarm>>> {
    context
        .per_region(|region| {
            let client: Client = context.client(&region);
            async move {
                let mut pages = client.describe_alarms().into_paginator().send();
                let mut alarms = Vec::new();
                while let Some(page) = pages.next().await {
                    let page =
                        page.map_err(|error| data_error("cloudwatch:DescribeAlarms", error))?;
                    alarms.extend(page.metric_alarms().iter().map(metric_alarm));
                }
                Ok(alarms)
            }
        })
        .await
}

fn metric_alarm(alarm: &aws_sdk_cloudwatch::types::MetricAlarm) -> MetricAlarm {
    MetricAlarm {
        name: text(alarm.alarm_name()),
        arn: text(alarm.alarm_arn()),
        metrics: watched_metrics(alarm),
        // CloudWatch's default when the field is absent.
        actions_enabled: alarm.actions_enabled().unwrap_or(true),
        alarm_actions: alarm.alarm_actions().to_vec(),
        state: text(alarm.state_value().map(|state| state.as_str())),
    }
}

/// A single-metric alarm's metric, or each metric a metric-math alarm's
/// queries read (its expressions read no metric of their own).
fn watched_metrics(alarm: &aws_sdk_cloudwatch::types::MetricAlarm) -> Vec<AlarmMetric> {
    if let Some(metric_name) = alarm.metric_name() {
        return vec![AlarmMetric {
            metric_name: metric_name.to_string(),
            namespace: text(alarm.namespace()),
        }];
    }
    alarm
        .metrics()
        .iter()
        .filter_map(|query| query.metric_stat()?.metric())
        .map(|metric| AlarmMetric {
            metric_name: text(metric.metric_name()),
            namespace: text(metric.namespace()),
        })
        .collect()
}
