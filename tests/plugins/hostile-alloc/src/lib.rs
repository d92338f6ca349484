//! Allocates until something stops it: the host's memory cap must.

use plumbline_guest::bindings::exports::plumbline::check::plugin::Guest;
use plumbline_guest::prelude::*;

#[path = "../../hostile_metadata.rs"]
mod hostile_metadata;

struct HostileAlloc;

impl Guest for HostileAlloc {
    fn metadata() -> CheckMetadata {
        hostile_metadata::metadata("hostile-alloc")
    }

    fn evaluate() -> Vec<Finding> {
        let mut hoard: Vec<Vec<u8>> = Vec::new();
        loop {
            hoard.push(vec![1u8; 1 << 20]);
            std::hint::black_box(&hoard);
        }
    }
}

plumbline_guest::bindings::export!(HostileAlloc with_types_in plumbline_guest::bindings);
