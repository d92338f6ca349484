//! Judging CloudTrail trails for the Logging section: every trail on its own
//! settings, every trail's S3 bucket on data read per bucket, and S3
//! object-level (data event) logging. Which trails record management
//! activity is [`crate::trails`]'s question.
//!
//! Decisions, shared by every check that uses this module:
//!
//! - Findings are about the trail (its ARN, in its home region), also when
//!   its bucket is judged: the trail is what chose the bucket, and two trails
//!   sharing one bucket are two findings naming it.
//! - The account without any trail is not applicable to the per-trail
//!   checks (`cloudtrail-multi-region` fails it), but fails object-level
//!   logging, which asks for a trail that records the events.
//! - A trail's bucket that cannot be read (denied, or in another account as
//!   an organization trail's central bucket is) is an `error` naming it,
//!   never a pass.
//!
//! ```text
//! trail_logging::for_each_trail(|trail| Finding::verdict(trail.log_file_validation_enabled, ...))
//! trail_logging::for_each_trail_bucket(s3::bucket_logging, |trail, bucket, logging| ...)
//! trail_logging::judge_s3_object_logging(ObjectAccess::Write)
//! ```

use crate::bindings::plumbline::check::cloudtrail::{
    AdvancedEventSelector, EventSelector, FieldSelector, Trail, TrailSelectors,
};
use crate::{DataError, Finding, GLOBAL_REGION, account, cloudtrail};

/// The data resource type of S3 object-level API activity.
const S3_OBJECT: &str = "AWS::S3::Object";

/// Runs `judge` on every trail of the account (`cloudtrail::trails()`). No
/// trail at all gives one `not-applicable` finding on the account; the trail
/// list failing is the caller's data error.
pub fn for_each_trail(judge: impl FnMut(&Trail) -> Finding) -> Result<Vec<Finding>, DataError> {
    let trails = cloudtrail::trails()?;
    if trails.is_empty() {
        return Ok(vec![Finding::not_applicable(
            account::account_resource(),
            GLOBAL_REGION,
            "the account has no CloudTrail trail (cloudtrail-multi-region fails it)",
        )]);
    }
    Ok(trails.iter().map(judge).collect())
}

/// Runs `judge` on every trail with the data `fetch` returns for its S3
/// bucket (by bucket name). A trail naming no bucket, or whose bucket's data
/// is an error, gives one `error` finding on the trail naming the bucket and
/// the reason; the other trails are still judged.
pub fn for_each_trail_bucket<T>(
    mut fetch: impl FnMut(&str) -> Result<T, DataError>,
    mut judge: impl FnMut(&Trail, &str, T) -> Finding,
) -> Result<Vec<Finding>, DataError> {
    for_each_trail(|trail| {
        let Some(bucket) = trail.s3_bucket_name.as_deref() else {
            return Finding::error(
                &trail.arn,
                &trail.home_region,
                format!("{} names no S3 bucket", describe(trail)),
            );
        };
        match fetch(bucket) {
            Ok(data) => judge(trail, bucket, data),
            Err(error) => Finding::error(
                &trail.arn,
                &trail.home_region,
                format!(
                    "{} delivers to bucket {bucket}: {}",
                    describe(trail),
                    describe_bucket_error(&error)
                ),
            ),
        }
    })
}

/// A bucket the host cannot read is usually another account's: say so, as
/// the check must then be run there.
fn describe_bucket_error(error: &DataError) -> String {
    match error {
        DataError::NotAvailable(_) => format!(
            "{} (a bucket in another account, such as an organization trail's central bucket, is judged by scanning that account)",
            error.describe()
        ),
        _ => error.describe(),
    }
}

/// A trail as messages name it: `trail audit` or `organization trail audit`.
pub fn describe(trail: &Trail) -> String {
    if trail.is_organization_trail {
        format!("organization trail {}", trail.name)
    } else {
        format!("trail {}", trail.name)
    }
}

/// Which S3 object-level API activity a check asks to be recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectAccess {
    /// `PutObject`, `DeleteObject`, ...: classic `WriteOnly` or `All`,
    /// advanced `readOnly` false or absent.
    Write,
    /// `GetObject`, ...: classic `ReadOnly` or `All`, advanced `readOnly`
    /// true or absent.
    Read,
}

impl ObjectAccess {
    fn name(self) -> &'static str {
        match self {
            ObjectAccess::Write => "write",
            ObjectAccess::Read => "read",
        }
    }

    fn classic_read_write_types(self) -> [&'static str; 2] {
        match self {
            ObjectAccess::Write => ["WriteOnly", "All"],
            ObjectAccess::Read => ["ReadOnly", "All"],
        }
    }

    /// The advanced selectors' `readOnly` value of these events.
    fn read_only_value(self) -> &'static str {
        match self {
            ObjectAccess::Write => "false",
            ObjectAccess::Read => "true",
        }
    }
}

/// The account-level verdict on S3 object-level logging ("for all S3
/// buckets"): one `pass` per multi-region, logging trail whose selectors
/// record `access` events of every bucket ([`s3_object_events_gap`]), or one
/// `fail` on the account naming what each trail lacks. Multi-region because
/// CIS configures the events on a multi-region trail: a single-region trail
/// misses buckets used from other regions; logging because a stopped trail
/// records nothing. A trail whose status or selectors cannot be read is an
/// `error` on that trail when no other trail qualifies (never a fail that
/// might be wrong, never a pass).
pub fn judge_s3_object_logging(access: ObjectAccess) -> Result<Vec<Finding>, DataError> {
    let trails = cloudtrail::trails()?;
    let requirement = format!(
        "no multi-region, logging trail records S3 object-level {} events for all buckets",
        access.name()
    );
    if trails.is_empty() {
        return Ok(vec![Finding::fail(
            account::account_resource(),
            GLOBAL_REGION,
            format!("{requirement}: the account has no CloudTrail trail"),
        )]);
    }
    let mut recording = Vec::new();
    let mut unreadable = Vec::new();
    let mut shortfalls = Vec::new();
    for trail in &trails {
        match s3_object_logging_shortfall(trail, access) {
            Ok(None) => recording.push(Finding::pass(
                &trail.arn,
                &trail.home_region,
                format!(
                    "{} (multi-region, logging) records S3 object-level {} events for all buckets",
                    describe(trail),
                    access.name()
                ),
            )),
            Ok(Some(shortfall)) => shortfalls.push(format!("{}: {shortfall}", describe(trail))),
            Err(error) => unreadable.push(Finding::error(
                &trail.arn,
                &trail.home_region,
                format!("{}: {}", describe(trail), error.describe()),
            )),
        }
    }
    Ok(if !recording.is_empty() {
        recording
    } else if !unreadable.is_empty() {
        unreadable
    } else {
        vec![Finding::fail(
            account::account_resource(),
            GLOBAL_REGION,
            format!("{requirement}: {}", shortfalls.join("; ")),
        )]
    })
}

/// The first thing keeping `trail` from recording every bucket's `access`
/// events, or none; the status and selectors are read only when needed.
fn s3_object_logging_shortfall(
    trail: &Trail,
    access: ObjectAccess,
) -> Result<Option<String>, DataError> {
    if !trail.is_multi_region {
        return Ok(Some("single-region".to_string()));
    }
    if !cloudtrail::trail_status(&trail.arn)?.is_logging {
        return Ok(Some("not logging".to_string()));
    }
    Ok(s3_object_events_gap(
        &cloudtrail::event_selectors(&trail.arn)?,
        access,
    ))
}

/// What a trail's event selectors leave out of the S3 object-level `access`
/// events of every bucket, or none when they record them all:
///
/// - classic selectors: one with `ReadWriteType` covering `access` and an
///   `AWS::S3::Object` data resource whose values include every bucket
///   (`arn:<partition>:s3` or `arn:<partition>:s3:::`, as the console and
///   CIS write it);
/// - advanced selectors: one with `eventCategory` `Data` and
///   `resources.type` `AWS::S3::Object`, whose `readOnly` condition (if any)
///   admits `access` and whose `resources.ARN` condition (if any) only
///   starts with every bucket's prefix. Any other condition (`eventName`,
///   `resources.ARN` naming buckets, ...) narrows it, so it does not count.
pub fn s3_object_events_gap(selectors: &TrailSelectors, access: ObjectAccess) -> Option<String> {
    let recorded = if selectors.advanced.is_empty() {
        classic_records_objects(&selectors.classic, access)
    } else {
        selectors
            .advanced
            .iter()
            .any(|selector| advanced_records_objects(selector, access))
    };
    if recorded {
        return None;
    }
    let every_bucket_selector = selectors
        .classic
        .iter()
        .find(|selector| selects_every_bucket(selector));
    Some(match every_bucket_selector {
        Some(selector) => format!(
            "S3 object-level data events are recorded {} only",
            selector.read_write_type
        ),
        None => format!(
            "no event selector records S3 object-level {} data events for all buckets",
            access.name()
        ),
    })
}

fn classic_records_objects(selectors: &[EventSelector], access: ObjectAccess) -> bool {
    selectors.iter().any(|selector| {
        access
            .classic_read_write_types()
            .contains(&selector.read_write_type.as_str())
            && selects_every_bucket(selector)
    })
}

fn selects_every_bucket(selector: &EventSelector) -> bool {
    selector.data_resources.iter().any(|resource| {
        resource.type_ == S3_OBJECT
            && resource
                .values
                .iter()
                .any(|value| is_every_bucket_prefix(value))
    })
}

/// `arn:<partition>:s3` or `arn:<partition>:s3:::`: every object of every
/// bucket, where `arn:aws:s3:::bucket/` would be one bucket's.
fn is_every_bucket_prefix(value: &str) -> bool {
    let mut parts = value.splitn(3, ':');
    parts.next() == Some("arn")
        && parts.next().is_some()
        && matches!(parts.next(), Some("s3" | "s3:::"))
}

fn advanced_records_objects(selector: &AdvancedEventSelector, access: ObjectAccess) -> bool {
    let mut data_events = false;
    let mut objects = false;
    for condition in &selector.field_selectors {
        match condition.field.as_str() {
            "eventCategory" => data_events = condition.equals.iter().any(|v| v == "Data"),
            "resources.type" => objects = condition.equals.iter().any(|v| v == S3_OBJECT),
            "readOnly" if admits(condition, access.read_only_value()) => {}
            "resources.ARN" if selects_every_arn(condition) => {}
            _ => return false,
        }
    }
    data_events && objects
}

/// Whether an advanced selector condition admits `value`: every operator
/// used must (each list is one alternative for the positive operators, and
/// every entry must miss for the negative ones).
fn admits(condition: &FieldSelector, value: &str) -> bool {
    let any = |list: &[String], matches: fn(&str, &str) -> bool| {
        list.is_empty() || list.iter().any(|entry| matches(value, entry))
    };
    let none = |list: &[String], matches: fn(&str, &str) -> bool| {
        !list.iter().any(|entry| matches(value, entry))
    };
    any(&condition.equals, |v, e| v == e)
        && any(&condition.starts_with, |v, e| v.starts_with(e))
        && any(&condition.ends_with, |v, e| v.ends_with(e))
        && none(&condition.not_equals, |v, e| v == e)
        && none(&condition.not_starts_with, |v, e| v.starts_with(e))
        && none(&condition.not_ends_with, |v, e| v.ends_with(e))
}

/// A `resources.ARN` condition that leaves no bucket out: only `StartsWith`
/// every bucket's prefix.
fn selects_every_arn(condition: &FieldSelector) -> bool {
    condition.equals.is_empty()
        && condition.ends_with.is_empty()
        && condition.not_equals.is_empty()
        && condition.not_starts_with.is_empty()
        && condition.not_ends_with.is_empty()
        && condition
            .starts_with
            .iter()
            .any(|prefix| is_every_bucket_prefix(prefix))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bindings::plumbline::check::cloudtrail::DataResource;

    fn classic(read_write_type: &str, values: &[&str]) -> TrailSelectors {
        TrailSelectors {
            classic: vec![EventSelector {
                read_write_type: read_write_type.into(),
                include_management_events: true,
                data_resources: vec![DataResource {
                    type_: S3_OBJECT.into(),
                    values: values.iter().map(|v| v.to_string()).collect(),
                }],
                exclude_management_event_sources: vec![],
            }],
            advanced: vec![],
        }
    }

    fn condition(field: &str, equals: &[&str], starts_with: &[&str]) -> FieldSelector {
        let list = |values: &[&str]| values.iter().map(|v| v.to_string()).collect();
        FieldSelector {
            field: field.into(),
            equals: list(equals),
            starts_with: list(starts_with),
            ends_with: vec![],
            not_equals: vec![],
            not_starts_with: vec![],
            not_ends_with: vec![],
        }
    }

    fn advanced(extra: Vec<FieldSelector>) -> TrailSelectors {
        let mut field_selectors = vec![
            condition("eventCategory", &["Data"], &[]),
            condition("resources.type", &[S3_OBJECT], &[]),
        ];
        field_selectors.extend(extra);
        TrailSelectors {
            classic: vec![],
            advanced: vec![AdvancedEventSelector {
                name: Some("S3 objects".into()),
                field_selectors,
            }],
        }
    }

    #[test]
    fn classic_selectors_need_every_bucket_and_the_access() {
        for every_bucket in ["arn:aws:s3", "arn:aws:s3:::", "arn:aws-us-gov:s3:::"] {
            assert_eq!(
                s3_object_events_gap(&classic("All", &[every_bucket]), ObjectAccess::Read),
                None
            );
        }
        assert_eq!(
            s3_object_events_gap(&classic("WriteOnly", &["arn:aws:s3"]), ObjectAccess::Write),
            None
        );
        assert_eq!(
            s3_object_events_gap(&classic("WriteOnly", &["arn:aws:s3"]), ObjectAccess::Read)
                .unwrap(),
            "S3 object-level data events are recorded WriteOnly only"
        );
        assert_eq!(
            s3_object_events_gap(
                &classic("All", &["arn:aws:s3:::logs/"]),
                ObjectAccess::Write
            )
            .unwrap(),
            "no event selector records S3 object-level write data events for all buckets"
        );
    }

    #[test]
    fn advanced_selectors_count_unless_narrowed() {
        assert_eq!(
            s3_object_events_gap(&advanced(vec![]), ObjectAccess::Read),
            None
        );
        let write_only = advanced(vec![condition("readOnly", &["false"], &[])]);
        assert_eq!(s3_object_events_gap(&write_only, ObjectAccess::Write), None);
        assert!(s3_object_events_gap(&write_only, ObjectAccess::Read).is_some());
        let every_arn = advanced(vec![condition("resources.ARN", &[], &["arn:aws:s3:::"])]);
        assert_eq!(s3_object_events_gap(&every_arn, ObjectAccess::Write), None);
        let one_bucket = advanced(vec![condition(
            "resources.ARN",
            &[],
            &["arn:aws:s3:::logs/"],
        )]);
        assert!(s3_object_events_gap(&one_bucket, ObjectAccess::Write).is_some());
        let some_events = advanced(vec![condition("eventName", &["PutObject"], &[])]);
        assert!(s3_object_events_gap(&some_events, ObjectAccess::Write).is_some());
    }

    #[test]
    fn negative_operators_exclude_what_they_name() {
        let mut not_read = condition("readOnly", &[], &[]);
        not_read.not_equals = vec!["true".into()];
        assert!(admits(&not_read, "false"));
        assert!(!admits(&not_read, "true"));
    }
}
