//! Never returns: the host's epoch deadline must stop it.

use plumbline_guest::bindings::exports::plumbline::check::plugin::Guest;
use plumbline_guest::prelude::*;

#[path = "../../hostile_metadata.rs"]
mod hostile_metadata;

struct HostileLoop;

impl Guest for HostileLoop {
    fn metadata() -> CheckMetadata {
        hostile_metadata::metadata("hostile-loop")
    }

    fn evaluate() -> Vec<Finding> {
        let mut round: u64 = 0;
        loop {
            round = std::hint::black_box(round.wrapping_add(1));
            eprintln!("hostile-loop round {round}");
        }
    }
}

plumbline_guest::bindings::export!(HostileLoop with_types_in plumbline_guest::bindings);
