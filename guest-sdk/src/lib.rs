//! The Rust SDK for Plumbline checks.
//!
//! A check is a WebAssembly component that implements the `plumbline:check`
//! world (see `wit/check.wit`). This crate gives it:
//!
//! - [`bindings`]: the generated WIT bindings (data imports, exported types);
//! - [`cis`]: one constant per CIS control with its id, scoring status and
//!   level in every benchmark version, generated from the reference tables;
//! - [`Check`] and [`export_check!`]: implement two functions, export the type;
//!   the check's id is its package name without `check-`;
//! - [`Finding`] constructors and per-version evaluation for controls whose
//!   threshold changed between versions;
//! - [`policy`]: IAM policy document parsing and analysis, bucket policies
//!   that deny HTTP included;
//! - [`organization`]: the scanned account's AWS Organization and its place in it;
//! - [`password_policy`]: judging the account password policy, its absence a fail;
//! - [`credentials`]: the IAM credential report's keys, ages and root row;
//! - [`contacts`]: the account's alternate contacts described for findings;
//! - [`regional`]: judging per-region data, a failing region reported as an
//!   error while the others are still judged;
//! - [`buckets`]: judging every S3 bucket on its own data, likewise;
//! - [`rds`]: the RDS interface and judging every DB instance in every region;
//! - [`time`]: ages measured against the scan's "now";
//! - [`metric_filter`]: CloudWatch Logs filter patterns, and whether one covers
//!   another;
//! - [`monitoring`]: the Monitoring section's trail > log group > metric
//!   filter > alarm > SNS chain, with each control's CIS patterns;
//! - [`trails`]: the multi-region CloudTrail trails that record all
//!   management events (Logging and Monitoring sections);
//! - [`trail_logging`]: judging each trail, its S3 bucket, and S3
//!   object-level logging (Logging section).
//!
//! ```text
//! use plumbline_guest::prelude::*;
//!
//! struct PasswordLength;
//!
//! impl Check for PasswordLength {
//!     fn metadata() -> CheckInfo { /* CheckInfo { control, severity, .. } */ }
//!     fn evaluate() -> Result<Vec<Finding>, DataError> {
//!         let policy = iam::password_policy()?;
//!         /* ... */
//!     }
//! }
//!
//! plumbline_guest::export_check!(PasswordLength);
//! ```

pub mod account;
pub mod buckets;
mod check_id;
pub mod cis;
pub mod contacts;
pub mod credentials;
mod finding;
pub mod metric_filter;
pub mod monitoring;
pub mod network;
pub mod organization;
pub mod password_policy;
pub mod policy;
pub mod rds;
pub mod regional;
pub mod time;
pub mod trail_logging;
pub mod trails;

pub use check_id::{PACKAGE_PREFIX, check_id_from_package_name};
pub use finding::{CheckInfo, GLOBAL_REGION, brief_list, evaluate_per_version};

/// Generated WIT bindings for the `check` world.
pub mod bindings {
    wit_bindgen::generate!({
        path: "../wit",
        world: "check",
        pub_export_macro: true,
        default_bindings_module: "plumbline_guest::bindings",
        additional_derives: [PartialEq],
    });
}

pub use bindings::plumbline::check::types::{
    BenchmarkRef, CheckMetadata, DataError, Finding, FindingStatus, Scoring, Severity,
};
pub use bindings::plumbline::check::{
    access_analyzer, cloudtrail, cloudwatch, config, ec2, efs, frontends, iam, kms, logs, macie,
    organizations, s3, scan, securityhub, sns,
};

/// What a check implements. The SDK turns a data error returned by
/// [`Check::evaluate`] into one `error` finding naming the account and the
/// reason, so `?` on a data function is the right thing to write.
pub trait Check {
    /// What the check is about; [`export_check!`] adds the id.
    fn metadata() -> CheckInfo;
    fn evaluate() -> Result<Vec<Finding>, DataError>;
}

/// Runs a check's evaluation the way the host expects it: a data error becomes
/// an `error` finding, and an empty answer (nothing to judge) is made explicit.
#[doc(hidden)]
pub fn run<C: Check>() -> Vec<Finding> {
    match C::evaluate() {
        Ok(findings) => findings,
        Err(error) => vec![Finding::error(
            account::account_resource(),
            GLOBAL_REGION,
            error.describe(),
        )],
    }
}

/// Exports a type implementing [`Check`] as the component's `plugin` interface.
///
/// The check's id is the crate's package name without `check-`
/// ([`check_id_from_package_name`]); a package named otherwise does not
/// compile.
#[macro_export]
macro_rules! export_check {
    ($check:ty) => {
        struct PlumblineExport;

        const PLUMBLINE_CHECK_ID: &str =
            $crate::check_id_from_package_name(::core::env!("CARGO_PKG_NAME"));

        impl $crate::bindings::exports::plumbline::check::plugin::Guest for PlumblineExport {
            fn metadata() -> $crate::CheckMetadata {
                <$check as $crate::Check>::metadata().into_metadata(PLUMBLINE_CHECK_ID)
            }

            fn evaluate() -> ::std::vec::Vec<$crate::Finding> {
                $crate::run::<$check>()
            }
        }

        $crate::bindings::export!(PlumblineExport with_types_in $crate::bindings);
    };
}

impl DataError {
    /// One line for a finding: what failed and why.
    pub fn describe(&self) -> String {
        match self {
            DataError::AccessDenied(denied) => {
                format!("access denied to {}: {}", denied.action, denied.message)
            }
            DataError::NotAvailable(reason) => format!("data not available: {reason}"),
            DataError::CollectionFailed(reason) => format!("collection failed: {reason}"),
        }
    }
}

/// Everything a check usually needs, in one import.
pub mod prelude {
    pub use crate::{
        Check, CheckInfo, CheckMetadata, DataError, Finding, FindingStatus, GLOBAL_REGION,
        Severity, access_analyzer, account, cis, contacts, credentials, ec2, evaluate_per_version,
        iam, organization, organizations, password_policy, policy, regional, s3, scan, time,
    };
}
