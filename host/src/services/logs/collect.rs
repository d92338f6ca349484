//! CloudWatch Logs: DescribeMetricFilters per region, without a log group,
//! so one paginated call lists the filters of every log group.

use aws_sdk_cloudwatchlogs::Client;

use crate::bindings::logs::{MetricFilter, MetricTransformation};
use crate::collect::errors::data_error;
use crate::collect::{Context, text};
use crate::registry::{Outcome, Regional};

pub async fn metric_filters(context: &Context<'_>) -> Outcome<Regional<Vec<MetricFilter>>> {
    context
        .per_region(|region| {
            let client: Client = context.client(&region);
            async move {
                let filters: Vec<_> = client
                    .describe_metric_filters()
                    .into_paginator()
                    .items()
                    .send()
                    .collect::<Result<_, _>>()
                    .await
                    .map_err(|error| data_error("logs:DescribeMetricFilters", error))?;
                Ok(filters
                    .iter()
                    .map(|filter| MetricFilter {
                        name: text(filter.filter_name()),
                        log_group_name: text(filter.log_group_name()),
                        pattern: text(filter.filter_pattern()),
                        metric_transformations: filter
                            .metric_transformations()
                            .iter()
                            .map(|transformation| MetricTransformation {
                                metric_name: transformation.metric_name().to_string(),
                                metric_namespace: transformation.metric_namespace().to_string(),
                            })
                            .collect(),
                    })
                    .collect())
            }
        })
        .await
}
