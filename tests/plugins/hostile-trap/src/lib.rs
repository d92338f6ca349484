//! Writes to stderr, then traps (a panic aborts: `unreachable` in wasm).

use plumbline_guest::bindings::exports::plumbline::check::plugin::Guest;
use plumbline_guest::prelude::*;

#[path = "../../hostile_metadata.rs"]
mod hostile_metadata;

struct HostileTrap;

impl Guest for HostileTrap {
    fn metadata() -> CheckMetadata {
        hostile_metadata::metadata("hostile-trap")
    }

    fn evaluate() -> Vec<Finding> {
        eprintln!("hostile-trap: about to panic on purpose");
        panic!("hostile-trap: deliberate panic");
    }
}

plumbline_guest::bindings::export!(HostileTrap with_types_in plumbline_guest::bindings);
