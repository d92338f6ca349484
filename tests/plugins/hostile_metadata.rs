//! Metadata shared by the hostile test plugins: no benchmark references, so
//! they never change a score, only their own result.
//!
//! The plugins export the WIT bindings directly rather than through
//! `export_check!`: they are not first-party checks (their packages are
//! `test-plugin-<name>`, not `check-<id>`), and a check's `CheckInfo` always
//! has a CIS control.

use plumbline_guest::{CheckMetadata, Severity};

pub fn metadata(id: &str) -> CheckMetadata {
    CheckMetadata {
        id: id.to_string(),
        title: format!("Test plugin {id}: misbehaves on purpose"),
        description: "Exercises the host's sandbox limits.".to_string(),
        rationale: "A check must never take the scan down with it.".to_string(),
        remediation: "None: this plugin exists for the test suite.".to_string(),
        severity: Severity::Informational,
        benchmarks: Vec::new(),
    }
}
