//! Returns a well-formed finding and one whose message is 64 KiB, on a
//! resource with a control sequence in it: the host must make this check's
//! result `error`, naming the field and the limit, and show the resource
//! escaped.

use plumbline_guest::bindings::exports::plumbline::check::plugin::Guest;
use plumbline_guest::prelude::*;

#[path = "../../hostile_metadata.rs"]
mod hostile_metadata;

struct HostileHugeFinding;

impl Guest for HostileHugeFinding {
    fn metadata() -> CheckMetadata {
        hostile_metadata::metadata("hostile-huge-finding")
    }

    fn evaluate() -> Vec<Finding> {
        vec![
            Finding::pass("arn:aws:s3:::fine", GLOBAL_REGION, "within the limits"),
            Finding::fail(
                "arn:aws:s3:::\x1b]0;pwned\x07huge",
                GLOBAL_REGION,
                "m".repeat(64 * 1024),
            ),
        ]
    }
}

plumbline_guest::bindings::export!(HostileHugeFinding with_types_in plumbline_guest::bindings);
