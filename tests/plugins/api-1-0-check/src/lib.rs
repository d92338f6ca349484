//! A check built against `plumbline:check@1.0.0`, the first released
//! contract: a 1.x host must run it unchanged. It judges the root user's MFA
//! from the account summary, as the first-party `root-mfa` check does.

wit_bindgen::generate!({
    path: "wit",
    world: "check",
});

use exports::plumbline::check::plugin::Guest;
use plumbline::check::types::{
    BenchmarkRef, CheckMetadata, Finding, FindingStatus, Scoring, Severity,
};
use plumbline::check::{iam, scan};

struct LegacyRootMfa;

impl Guest for LegacyRootMfa {
    fn metadata() -> CheckMetadata {
        CheckMetadata {
            id: "legacy-root-mfa".to_string(),
            title: "Root MFA, as a 1.0.0 check".to_string(),
            description: "Reads AccountMFAEnabled through the 1.0.0 contract.".to_string(),
            rationale: "Checks built against an older minor version keep working.".to_string(),
            remediation: "None: this is a compatibility test plugin.".to_string(),
            severity: Severity::Informational,
            benchmarks: vec![BenchmarkRef {
                benchmark: "CIS AWS Foundations".to_string(),
                version: "7.0.0".to_string(),
                id: "2.5".to_string(),
                scoring: Scoring::Automated,
                level: 1,
            }],
        }
    }

    fn evaluate() -> Vec<Finding> {
        let root = format!("arn:{}:iam::{}:root", scan::partition(), scan::account_id());
        let (status, message) = match iam::account_summary() {
            Ok(summary) => {
                let enabled = summary
                    .iter()
                    .any(|entry| entry.name == "AccountMFAEnabled" && entry.value == 1);
                if enabled {
                    (FindingStatus::Pass, "root MFA enabled".to_string())
                } else {
                    (FindingStatus::Fail, "root MFA not enabled".to_string())
                }
            }
            Err(_) => (FindingStatus::Error, "no account summary".to_string()),
        };
        vec![Finding {
            resource: root,
            region: "global".to_string(),
            status,
            message,
            benchmark_versions: Vec::new(),
        }]
    }
}

export!(LegacyRootMfa);
