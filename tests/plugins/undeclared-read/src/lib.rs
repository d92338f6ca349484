//! Declares (`reads.declare`) that it reads only the credential report, then
//! also calls `iam.account-summary`: the host must have collected nothing for
//! that call and must stop the check with an error naming it.

use plumbline_guest::bindings::exports::plumbline::check::plugin::Guest;
use plumbline_guest::bindings::plumbline::check::reads;
use plumbline_guest::prelude::*;

#[path = "../../hostile_metadata.rs"]
mod hostile_metadata;

struct UndeclaredRead;

impl Guest for UndeclaredRead {
    fn metadata() -> CheckMetadata {
        reads::declare(&["iam.credential-report".to_string()]);
        hostile_metadata::metadata("undeclared-read")
    }

    fn evaluate() -> Vec<Finding> {
        let users = iam::credential_report().map_or(0, |rows| rows.len());
        let summary = iam::account_summary().map_or(0, |entries| entries.len());
        vec![Finding::pass(
            "account",
            GLOBAL_REGION,
            format!("read {users} report rows and {summary} summary entries"),
        )]
    }
}

plumbline_guest::bindings::export!(UndeclaredRead);
