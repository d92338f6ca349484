//! Metadata shared by the hostile test plugins: no benchmark references, so
//! they never change a score, only their own result.

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
