//! The Plumbline host: loads sandboxed check components, collects the AWS
//! account state they read, runs them and reports per CIS benchmark version.
//!
//! - [`registry`]: every data set the host can collect, what it answers and
//!   needs; [`services`]: one module per AWS service declaring its data sets
//!   and collecting them; [`collect`]: the engine that runs a plan;
//! - [`runtime`]: the wasmtime sandbox; [`snapshot`]: the collected data;
//! - [`scan`], [`coverage`], [`permissions`]: the commands; [`report`]: output.

pub mod benchmarks;
pub mod bindings;
pub mod cli;
pub mod collect;
pub mod config;
pub mod coverage;
pub mod diff;
pub mod fixtures;
pub mod pack;
pub mod permissions;
pub mod progress;
pub mod registry;
pub mod report;
pub mod runtime;
pub mod scaffold;
pub mod scan;
pub mod services;
pub mod snapshot;
pub mod timefmt;
pub mod waivers;
