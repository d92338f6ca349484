//! The Plumbline host: loads sandboxed check components, collects the AWS
//! account state they read, runs them and reports per CIS benchmark version.

pub mod benchmarks;
pub mod bindings;
pub mod cli;
pub mod collect;
pub mod coverage;
pub mod progress;
pub mod report;
pub mod runtime;
pub mod scan;
pub mod snapshot;
pub mod timefmt;
