//! AWS Config: one call per region for each data set. None of the three
//! APIs is paginated: a region has at most a handful of recorders and
//! channels.

use std::future::Future;

use aws_sdk_config::Client;
use aws_sdk_config::types::{ConfigurationRecorder as SdkRecorder, RecordingGroup};

use crate::bindings::config::{ConfigurationRecorder, DeliveryChannel, RecorderStatus};
use crate::collect::errors::data_error;
use crate::collect::{Context, text, timestamp};
use crate::registry::{Outcome, Regional};

/// Runs `fetch` in every region of the scan, concurrently, with the
/// region's client.
async fn in_every_region<T, Fut>(
    context: &Context<'_>,
    fetch: impl Fn(Client) -> Fut,
) -> Outcome<Regional<T>>
where
    Fut: Future<Output = Outcome<T>>,
{
    context
        .per_region(|region| fetch(context.client(&region)))
        .await
}

pub async fn recorders(context: &Context<'_>) -> Outcome<Regional<Vec<ConfigurationRecorder>>> {
    in_every_region(context, |client| async move {
        let output = client
            .describe_configuration_recorders()
            .send()
            .await
            .map_err(|error| data_error("config:DescribeConfigurationRecorders", error))?;
        Ok(output
            .configuration_recorders()
            .iter()
            .map(recorder)
            .collect())
    })
    .await
}

/// A recorder without a recording group is reported as recording nothing
/// in particular: no flag set, no types (not evidence of full recording).
fn recorder(recorder: &SdkRecorder) -> ConfigurationRecorder {
    let group = recorder.recording_group();
    let type_names = |types: &[aws_sdk_config::types::ResourceType]| {
        types
            .iter()
            .map(|resource_type| resource_type.as_str().to_string())
            .collect()
    };
    ConfigurationRecorder {
        name: text(recorder.name()),
        all_supported: group.is_some_and(RecordingGroup::all_supported),
        include_global_resource_types: group
            .is_some_and(RecordingGroup::include_global_resource_types),
        resource_types: group.map_or_else(Vec::new, |group| type_names(group.resource_types())),
        recording_strategy: group
            .and_then(RecordingGroup::recording_strategy)
            .and_then(|strategy| strategy.use_only())
            .map(|strategy| strategy.as_str().to_string()),
        excluded_resource_types: group
            .and_then(RecordingGroup::exclusion_by_resource_types)
            .map_or_else(Vec::new, |excluded| type_names(excluded.resource_types())),
    }
}

pub async fn recorder_statuses(context: &Context<'_>) -> Outcome<Regional<Vec<RecorderStatus>>> {
    in_every_region(context, |client| async move {
        let output = client
            .describe_configuration_recorder_status()
            .send()
            .await
            .map_err(|error| data_error("config:DescribeConfigurationRecorderStatus", error))?;
        Ok(output
            .configuration_recorders_status()
            .iter()
            .map(|status| RecorderStatus {
                name: text(status.name()),
                recording: status.recording(),
                last_status: status.last_status().map(|last| last.as_str().to_string()),
                last_status_change_time: status.last_status_change_time().map(timestamp),
            })
            .collect())
    })
    .await
}

pub async fn delivery_channels(context: &Context<'_>) -> Outcome<Regional<Vec<DeliveryChannel>>> {
    in_every_region(context, |client| async move {
        let output = client
            .describe_delivery_channels()
            .send()
            .await
            .map_err(|error| data_error("config:DescribeDeliveryChannels", error))?;
        Ok(output
            .delivery_channels()
            .iter()
            .map(|channel| DeliveryChannel {
                name: text(channel.name()),
                s3_bucket_name: channel.s3_bucket_name().map(str::to_string),
                sns_topic_arn: channel.sns_topic_arn().map(str::to_string),
            })
            .collect())
    })
    .await
}
