//! Writes to stderr, then traps (a panic aborts: `unreachable` in wasm).

use plumbline_guest::prelude::*;

#[path = "../../hostile_metadata.rs"]
mod hostile_metadata;

struct HostileTrap;

impl Check for HostileTrap {
    fn metadata() -> CheckMetadata {
        hostile_metadata::metadata("hostile-trap")
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        eprintln!("hostile-trap: about to panic on purpose");
        panic!("hostile-trap: deliberate panic");
    }
}

plumbline_guest::export_check!(HostileTrap);
