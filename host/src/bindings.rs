//! Host-side bindings of the `plumbline:check` WIT world. The generated data
//! types double as the snapshot format (hence the serde derives): what the
//! host collects, what a snapshot file stores and what a check reads are one
//! model.

wasmtime::component::bindgen!({
    path: "../wit",
    world: "check",
    additional_derives: [serde::Serialize, serde::Deserialize, PartialEq],
});

pub use exports::plumbline::check::plugin;
pub use plumbline::check::{
    access_analyzer, account, cloudtrail, cloudwatch, config, ec2, efs, frontends, iam, kms, logs,
    macie, organizations, rds, s3, scan, securityhub, sns, types,
};

/// The WIT package version this host implements (from wit/check.wit).
pub const API_VERSION: &str = env!("PLUMBLINE_API_VERSION");
/// The WIT package the contract lives in.
pub const API_PACKAGE: &str = "plumbline:check";
