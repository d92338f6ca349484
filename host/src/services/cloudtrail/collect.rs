//! CloudTrail: DescribeTrails in every region of the scan, then per trail
//! GetTrailStatus and GetEventSelectors in the trail's home region.

use std::collections::BTreeMap;
use std::future::Future;

use aws_sdk_cloudtrail::Client;
use aws_sdk_cloudtrail::types::{
    AdvancedEventSelector as SdkAdvancedEventSelector, EventSelector as SdkEventSelector,
    Trail as SdkTrail,
};

use super::TRAILS;
use crate::bindings::cloudtrail::{
    AdvancedEventSelector, DataResource, EventSelector, FieldSelector, LoggingStatus, Trail,
    TrailSelectors,
};
use crate::bindings::types::{AccessDenied, DataError};
use crate::collect::errors::data_error;
use crate::collect::{Context, text, timestamp};
use crate::registry::{Outcome, PerKey};

/// CloudTrail's defaults for a classic selector's unset fields.
const DEFAULT_READ_WRITE_TYPE: &str = "All";
const DEFAULT_INCLUDE_MANAGEMENT_EVENTS: bool = true;

/// Every trail that logs a region of the scan, once, sorted by ARN.
///
/// DescribeTrails with shadow trails included, in every region of the scan
/// concurrently: a region lists the trails homed there and the multi-region
/// trails homed elsewhere (their shadows), so a multi-region trail homed in
/// a region outside the scan is found too, with one call per region.
/// Without shadow trails it would be missed, and listing both ways would
/// double the calls. Every listing of a trail describes the same trail
/// (with its `HomeRegion`), so one entry per ARN is kept; its status and
/// selectors are read in that home region.
///
/// A region whose listing fails fails the whole list: a trail listed only
/// there (single-region) would otherwise be silently missing.
pub async fn trails(context: &Context<'_>) -> Outcome<Vec<Trail>> {
    let listings = context
        .per_region(|region| {
            let client: Client = context.client(&region);
            async move {
                let output = client
                    .describe_trails()
                    .include_shadow_trails(true)
                    .send()
                    .await
                    .map_err(|error| data_error("cloudtrail:DescribeTrails", error))?;
                Ok(output.trail_list().to_vec())
            }
        })
        .await?;
    let mut by_arn = BTreeMap::new();
    for (region, listing) in listings {
        let listed = listing.map_err(|error| in_region(error, &region))?;
        for trail in &listed {
            let arn = text(trail.trail_arn());
            by_arn
                .entry(arn.clone())
                .or_insert_with(|| trail_record(trail, arn, &region));
        }
    }
    Ok(by_arn.into_values().collect())
}

fn trail_record(trail: &SdkTrail, arn: String, listed_in: &str) -> Trail {
    // The home region is also the trail ARN's region
    // (`arn:aws:cloudtrail:<region>:<account>:trail/<name>`).
    let home_region = trail
        .home_region()
        .or_else(|| arn.split(':').nth(3).filter(|region| !region.is_empty()))
        .unwrap_or(listed_in)
        .to_string();
    Trail {
        name: text(trail.name()),
        home_region,
        is_multi_region: trail.is_multi_region_trail().unwrap_or(false),
        is_organization_trail: trail.is_organization_trail().unwrap_or(false),
        include_global_service_events: trail.include_global_service_events().unwrap_or(false),
        log_file_validation_enabled: trail.log_file_validation_enabled().unwrap_or(false),
        s3_bucket_name: present(trail.s3_bucket_name()),
        s3_key_prefix: present(trail.s3_key_prefix()),
        cloud_watch_logs_log_group_arn: present(trail.cloud_watch_logs_log_group_arn()),
        kms_key_id: present(trail.kms_key_id()),
        arn,
    }
}

/// Names the region a whole-account list failed in.
fn in_region(error: DataError, region: &str) -> DataError {
    match error {
        DataError::AccessDenied(AccessDenied { action, message }) => {
            DataError::AccessDenied(AccessDenied {
                action,
                message: format!("in {region}: {message}"),
            })
        }
        DataError::NotAvailable(reason) => {
            DataError::NotAvailable(format!("in {region}: {reason}"))
        }
        DataError::CollectionFailed(reason) => {
            DataError::CollectionFailed(format!("in {region}: {reason}"))
        }
    }
}

pub async fn trail_statuses(context: &Context<'_>) -> Outcome<PerKey<LoggingStatus>> {
    per_trail(context, |client, trail| async move {
        let output = client
            .get_trail_status()
            .name(&trail.arn)
            .send()
            .await
            .map_err(|error| data_error("cloudtrail:GetTrailStatus", error))?;
        Ok(LoggingStatus {
            // An answer without the flag is not evidence of logging.
            is_logging: output.is_logging().unwrap_or(false),
            latest_delivery_time: output.latest_delivery_time().map(timestamp),
            latest_cloud_watch_logs_delivery_time: output
                .latest_cloud_watch_logs_delivery_time()
                .map(timestamp),
            latest_delivery_error: present(output.latest_delivery_error()),
        })
    })
    .await
}

pub async fn event_selectors(context: &Context<'_>) -> Outcome<PerKey<TrailSelectors>> {
    per_trail(context, |client, trail| async move {
        let output = client
            .get_event_selectors()
            .trail_name(&trail.arn)
            .send()
            .await
            .map_err(|error| data_error("cloudtrail:GetEventSelectors", error))?;
        Ok(TrailSelectors {
            classic: output
                .event_selectors()
                .iter()
                .map(classic_selector)
                .collect(),
            advanced: output
                .advanced_event_selectors()
                .iter()
                .map(advanced_selector)
                .collect(),
        })
    })
    .await
}

fn classic_selector(selector: &SdkEventSelector) -> EventSelector {
    EventSelector {
        read_write_type: selector
            .read_write_type()
            .map_or(DEFAULT_READ_WRITE_TYPE, |kind| kind.as_str())
            .to_string(),
        include_management_events: selector
            .include_management_events()
            .unwrap_or(DEFAULT_INCLUDE_MANAGEMENT_EVENTS),
        data_resources: selector
            .data_resources()
            .iter()
            .map(|resource| DataResource {
                type_: text(resource.r#type()),
                values: resource.values().to_vec(),
            })
            .collect(),
        exclude_management_event_sources: selector.exclude_management_event_sources().to_vec(),
    }
}

fn advanced_selector(selector: &SdkAdvancedEventSelector) -> AdvancedEventSelector {
    AdvancedEventSelector {
        name: present(selector.name()),
        field_selectors: selector
            .field_selectors()
            .iter()
            .map(|field| FieldSelector {
                field: field.field().to_string(),
                equals: field.equals().to_vec(),
                starts_with: field.starts_with().to_vec(),
                ends_with: field.ends_with().to_vec(),
                not_equals: field.not_equals().to_vec(),
                not_starts_with: field.not_starts_with().to_vec(),
                not_ends_with: field.not_ends_with().to_vec(),
            })
            .collect(),
    }
}

/// Runs `fetch` for every trail of [`TRAILS`] within the scan's budget of
/// requests in flight, with a client of the trail's home region (where
/// CloudTrail keeps its settings), keyed by trail ARN.
async fn per_trail<'c, T, Fut>(
    context: &'c Context<'_>,
    fetch: impl Fn(Client, &'c Trail) -> Fut,
) -> Outcome<PerKey<T>>
where
    Fut: Future<Output = Outcome<T>>,
{
    let trails = context.get(&TRAILS)?;
    Ok(context
        .each(
            trails,
            |trail| trail.arn.clone(),
            |trail| fetch(context.client(&trail.home_region), trail),
        )
        .await)
}

/// CloudTrail answers some unset fields with an empty string.
fn present(value: Option<&str>) -> Option<String> {
    value.filter(|value| !value.is_empty()).map(str::to_string)
}
