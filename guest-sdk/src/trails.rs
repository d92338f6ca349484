//! CloudTrail trails that record the account's management activity, shared by
//! the Logging section (`cloudtrail-multi-region`: "CloudTrail is enabled in
//! all regions") and the Monitoring section (every "metric filter and alarm"
//! control starts from such a trail, see [`crate::monitoring`]).
//!
//! A trail qualifies when, in this order:
//!
//! 1. it is multi-region;
//! 2. it is logging (`GetTrailStatus` `IsLogging`);
//! 3. it records every management event, read and write
//!    ([`management_events_gap`]).
//!
//! [`recording_trails`] reads the trail list, then the status of the
//! multi-region trails only and the selectors of the logging ones only, and
//! returns the qualifying trails or why none does, naming the first
//! requirement each trail misses. [`records_all_management_events`] is the
//! predicate alone, for a check that reads the selectors itself.
//!
//! ```text
//! match trails::recording_trails()? {
//!     RecordingTrails::Found(trails) => /* pass on trails[0].arn */,
//!     RecordingTrails::Missing(why) => /* fail on the account: why */,
//! }
//! ```

use crate::bindings::plumbline::check::cloudtrail::{
    AdvancedEventSelector, EventSelector, Trail, TrailSelectors,
};
use crate::{DataError, cloudtrail};

/// The classic selector value that records both read and write events.
const READ_WRITE_ALL: &str = "All";
/// The advanced selector field and value that select management events.
const EVENT_CATEGORY: &str = "eventCategory";
const MANAGEMENT: &str = "Management";

/// The requirement every message of [`RecordingTrails::Missing`] begins with.
pub const REQUIREMENT: &str =
    "no multi-region trail that is logging and records all management events (read and write)";

/// The outcome of [`recording_trails`].
#[derive(Debug, Clone, PartialEq)]
pub enum RecordingTrails {
    /// The multi-region trails that are logging and record all management
    /// events, in `cloudtrail::trails()` order; never empty.
    Found(Vec<Trail>),
    /// Why no trail qualifies: [`REQUIREMENT`], then what each candidate
    /// lacks (e.g. "trail audit is not logging").
    Missing(String),
}

/// Finds the trails that record all of the account's management activity.
/// A data error (trail list, or a candidate's status or selectors) is
/// returned as is: an unread trail is never taken as compliant or not.
pub fn recording_trails() -> Result<RecordingTrails, DataError> {
    let trails = cloudtrail::trails()?;
    if trails.is_empty() {
        return Ok(missing("the account has no CloudTrail trail"));
    }
    let (multi_region, single_region): (Vec<Trail>, Vec<Trail>) =
        trails.into_iter().partition(|trail| trail.is_multi_region);
    if multi_region.is_empty() {
        let names: Vec<&str> = single_region.iter().map(|t| t.name.as_str()).collect();
        return Ok(missing(&format!(
            "no trail is multi-region (single-region: {})",
            crate::brief_list(&names, 5)
        )));
    }
    let mut found = Vec::new();
    let mut shortfalls = Vec::new();
    // One trail's unreadable status must not hide another that qualifies;
    // it decides only when no trail does.
    let mut unreadable = None;
    for trail in multi_region {
        match shortfall(&trail) {
            Ok(None) => found.push(trail),
            Ok(Some(gap)) => shortfalls.push(gap),
            Err(error) => {
                unreadable.get_or_insert(error);
            }
        }
    }
    match (found.is_empty(), unreadable) {
        (false, _) => Ok(RecordingTrails::Found(found)),
        (true, Some(error)) => Err(error),
        (true, None) => Ok(missing(&shortfalls.join("; "))),
    }
}

/// Why a multi-region trail does not record every management event, or
/// none when it does.
fn shortfall(trail: &Trail) -> Result<Option<String>, DataError> {
    if !cloudtrail::trail_status(&trail.arn)?.is_logging {
        return Ok(Some(format!("trail {} is not logging", trail.name)));
    }
    Ok(
        management_events_gap(&cloudtrail::event_selectors(&trail.arn)?)
            .map(|gap| format!("trail {}: {gap}", trail.name)),
    )
}

fn missing(detail: &str) -> RecordingTrails {
    RecordingTrails::Missing(format!("{REQUIREMENT}: {detail}"))
}

/// Whether a trail's event selectors record every management event, read
/// and write. See [`management_events_gap`] for the exact rule.
pub fn records_all_management_events(selectors: &TrailSelectors) -> bool {
    management_events_gap(selectors).is_none()
}

/// What a trail's event selectors leave out of its management events, or
/// none when they record them all:
///
/// - classic selectors: one selector with `IncludeManagementEvents` and
///   `ReadWriteType` `All` (the CIS audit's test) that excludes no event
///   source;
/// - advanced selectors: one selector whose only condition is
///   `eventCategory` equal to `Management`: any other condition (`readOnly`,
///   `eventSource`, ...) narrows it.
///
/// Excluded event sources (the console's "exclude AWS KMS events") are a gap
/// although the CIS audit text only asks for the first two settings: the
/// Monitoring controls need exactly those events (KMS key deletion).
pub fn management_events_gap(selectors: &TrailSelectors) -> Option<String> {
    if !selectors.advanced.is_empty() {
        return advanced_gap(&selectors.advanced);
    }
    classic_gap(&selectors.classic)
}

fn classic_gap(selectors: &[EventSelector]) -> Option<String> {
    let management: Vec<&EventSelector> = selectors
        .iter()
        .filter(|selector| selector.include_management_events)
        .collect();
    if management.is_empty() {
        return Some("no event selector includes management events".to_string());
    }
    if management.iter().any(|selector| {
        selector.read_write_type == READ_WRITE_ALL
            && selector.exclude_management_event_sources.is_empty()
    }) {
        return None;
    }
    let selector = management[0];
    Some(if selector.read_write_type != READ_WRITE_ALL {
        format!(
            "management events are recorded {} only (ReadWriteType is not All)",
            selector.read_write_type
        )
    } else {
        format!(
            "management events from {} are excluded",
            selector.exclude_management_event_sources.join(", ")
        )
    })
}

fn advanced_gap(selectors: &[AdvancedEventSelector]) -> Option<String> {
    let management: Vec<&AdvancedEventSelector> = selectors
        .iter()
        .filter(|selector| {
            selector.field_selectors.iter().any(|condition| {
                condition.field == EVENT_CATEGORY
                    && condition.equals.iter().any(|value| value == MANAGEMENT)
            })
        })
        .collect();
    if management.is_empty() {
        return Some("no advanced event selector selects management events".to_string());
    }
    let narrowing = |selector: &AdvancedEventSelector| -> Vec<String> {
        selector
            .field_selectors
            .iter()
            .filter(|condition| condition.field != EVENT_CATEGORY)
            .map(|condition| condition.field.clone())
            .collect()
    };
    if management
        .iter()
        .any(|selector| narrowing(selector).is_empty())
    {
        return None;
    }
    Some(format!(
        "the management events selector also filters on {}",
        narrowing(management[0]).join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bindings::plumbline::check::cloudtrail::FieldSelector;

    fn classic(read_write_type: &str, management: bool, excluded: &[&str]) -> TrailSelectors {
        TrailSelectors {
            classic: vec![EventSelector {
                read_write_type: read_write_type.into(),
                include_management_events: management,
                data_resources: vec![],
                exclude_management_event_sources: excluded.iter().map(|s| s.to_string()).collect(),
            }],
            advanced: vec![],
        }
    }

    fn condition(field: &str, equals: &[&str]) -> FieldSelector {
        FieldSelector {
            field: field.into(),
            equals: equals.iter().map(|s| s.to_string()).collect(),
            starts_with: vec![],
            ends_with: vec![],
            not_equals: vec![],
            not_starts_with: vec![],
            not_ends_with: vec![],
        }
    }

    fn advanced(conditions: Vec<FieldSelector>) -> TrailSelectors {
        TrailSelectors {
            classic: vec![],
            advanced: vec![AdvancedEventSelector {
                name: None,
                field_selectors: conditions,
            }],
        }
    }

    #[test]
    fn classic_all_with_management_events_records_everything() {
        assert!(records_all_management_events(&classic("All", true, &[])));
    }

    #[test]
    fn classic_gaps_are_named() {
        assert_eq!(
            management_events_gap(&classic("WriteOnly", true, &[])).unwrap(),
            "management events are recorded WriteOnly only (ReadWriteType is not All)"
        );
        assert_eq!(
            management_events_gap(&classic("All", false, &[])).unwrap(),
            "no event selector includes management events"
        );
        assert_eq!(
            management_events_gap(&classic("All", true, &["kms.amazonaws.com"])).unwrap(),
            "management events from kms.amazonaws.com are excluded"
        );
        assert!(
            management_events_gap(&TrailSelectors {
                classic: vec![],
                advanced: vec![]
            })
            .is_some()
        );
    }

    #[test]
    fn advanced_management_selector_without_other_conditions_records_everything() {
        let selectors = advanced(vec![condition("eventCategory", &["Management"])]);
        assert!(records_all_management_events(&selectors));
    }

    #[test]
    fn advanced_read_only_or_data_selectors_are_gaps() {
        let read_only = advanced(vec![
            condition("eventCategory", &["Management"]),
            condition("readOnly", &["false"]),
        ]);
        assert_eq!(
            management_events_gap(&read_only).unwrap(),
            "the management events selector also filters on readOnly"
        );
        let data_only = advanced(vec![
            condition("eventCategory", &["Data"]),
            condition("resources.type", &["AWS::S3::Object"]),
        ]);
        assert_eq!(
            management_events_gap(&data_only).unwrap(),
            "no advanced event selector selects management events"
        );
    }
}
