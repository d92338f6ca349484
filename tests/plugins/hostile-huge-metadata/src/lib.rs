//! Declares a title of a megabyte: the host must refuse it at load, naming
//! the check, the field and the limit, instead of carrying it into reports.

use plumbline_guest::bindings::exports::plumbline::check::plugin::Guest;
use plumbline_guest::prelude::*;

#[path = "../../hostile_metadata.rs"]
mod hostile_metadata;

struct HostileHugeMetadata;

impl Guest for HostileHugeMetadata {
    fn metadata() -> CheckMetadata {
        CheckMetadata {
            title: "T".repeat(1024 * 1024),
            ..hostile_metadata::metadata("hostile-huge-metadata")
        }
    }

    fn evaluate() -> Vec<Finding> {
        Vec::new()
    }
}

plumbline_guest::bindings::export!(HostileHugeMetadata with_types_in plumbline_guest::bindings);
