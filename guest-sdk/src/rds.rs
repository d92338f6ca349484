//! Amazon RDS: (re-exported here) the WIT `rds` interface, and judging every
//! DB instance in every region of the scan.

pub use crate::bindings::plumbline::check::rds::*;
use crate::{Finding, regional};

/// The resource for findings about a region's RDS data as a whole (its data
/// error, or "no DB instances here").
pub fn region_resource(region: &str) -> String {
    regional::region_resource("rds", region, "db")
}

/// One finding per DB instance from `judge`, in every region of the scan;
/// see [`regional::for_each_resource`] for empty and failing regions.
pub fn for_each_db_instance(judge: impl FnMut(&str, &DbInstance) -> Finding) -> Vec<Finding> {
    regional::for_each_resource(db_instances, judge, "RDS DB instances", region_resource)
}

/// An instance as messages name it: `DB instance orders (postgres)`.
pub fn describe(instance: &DbInstance) -> String {
    format!("DB instance {} ({})", instance.identifier, instance.engine)
}
