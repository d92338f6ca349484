//! AWS CloudTrail: the account's trails, each listed once, and each trail's
//! logging status and event selectors, read in the trail's home region.

mod collect;

use crate::bindings::cloudtrail::{LoggingStatus, Trail, TrailSelectors};
use crate::registry::{DataSet, ForKey, PerKey, Scope, Service, Whole};

const INTERFACE: &str = "cloudtrail";

pub static SERVICE: Service = Service {
    interface: INTERFACE,
    data_sets: &[&TRAILS, &TRAIL_STATUSES, &EVENT_SELECTORS],
};

/// One list for the account, read in every region of the scan (see
/// [`collect::trails`]).
pub static TRAILS: DataSet<Vec<Trail>> = DataSet {
    interface: INTERFACE,
    name: "trails",
    description: "the CloudTrail trails",
    scope: Scope::AccountFromRegions,
    actions: &["cloudtrail:DescribeTrails"],
    depends_on: &[],
    collect: |context| Box::pin(collect::trails(context)),
    answers: &[&Whole("trails")],
};

/// Keyed by trail ARN.
pub static TRAIL_STATUSES: DataSet<PerKey<LoggingStatus>> = DataSet {
    interface: INTERFACE,
    name: "trail_statuses",
    description: "the CloudTrail trails' logging status",
    scope: Scope::PerResource { key: "trail" },
    actions: &["cloudtrail:GetTrailStatus"],
    depends_on: &[&TRAILS],
    collect: |context| Box::pin(collect::trail_statuses(context)),
    answers: &[&ForKey("trail-status")],
};

/// Keyed by trail ARN.
pub static EVENT_SELECTORS: DataSet<PerKey<TrailSelectors>> = DataSet {
    interface: INTERFACE,
    name: "event_selectors",
    description: "the CloudTrail trails' event selectors",
    scope: Scope::PerResource { key: "trail" },
    actions: &["cloudtrail:GetEventSelectors"],
    depends_on: &[&TRAILS],
    collect: |context| Box::pin(collect::event_selectors(context)),
    answers: &[&ForKey("event-selectors")],
};
