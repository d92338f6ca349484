//! IAM Access Analyzer watches for external access in every region.

use plumbline_guest::bindings::plumbline::check::access_analyzer::Analyzer;
use plumbline_guest::prelude::*;

struct AccessAnalyzerEnabled;

/// Analyzer types that look for access from outside the account or
/// organization; unused-access and internal-access analyzers do not.
const EXTERNAL_ACCESS_TYPES: [&str; 2] = ["ACCOUNT", "ORGANIZATION"];

impl Check for AccessAnalyzerEnabled {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::IAM_ACCESS_ANALYZER_ENABLED,
            severity: Severity::Medium,
            description: "Checks that every region in scope has an IAM Access Analyzer external \
                          access analyzer (type ACCOUNT or ORGANIZATION) in status ACTIVE. \
                          Unused-access and internal-access analyzers do not count: they do not \
                          report resources shared outside the zone of trust.",
            rationale: "Access Analyzer reports S3 buckets, KMS keys, IAM roles, queues and \
                        other resources whose policies grant access to principals outside the \
                        account or organization. It is regional, so a region without an \
                        analyzer is a region where an unintended share goes unnoticed.",
            remediation: "In each listed region: IAM > Access analyzer > Create analyzer, type \
                          External access, zone of trust the account (or the organization, from \
                          the management or delegated administrator account). With the CLI: \
                          `aws accessanalyzer create-analyzer --analyzer-name external \
                          --type ACCOUNT --region <region>`.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        Ok(regional::for_each_region(
            access_analyzer::analyzers,
            |region, analyzers| vec![judge(region, &analyzers)],
            region_resource,
        ))
    }
}

fn region_resource(region: &str) -> String {
    regional::region_resource("access-analyzer", region, "analyzer")
}

fn judge(region: &str, analyzers: &[Analyzer]) -> Finding {
    let active_external = analyzers.iter().find(|analyzer| {
        analyzer.status == "ACTIVE" && EXTERNAL_ACCESS_TYPES.contains(&analyzer.type_.as_str())
    });
    if let Some(analyzer) = active_external {
        return Finding::pass(
            &analyzer.arn,
            region,
            format!(
                "external access analyzer {} ({}) is ACTIVE",
                analyzer.name, analyzer.type_
            ),
        );
    }
    let message = if analyzers.is_empty() {
        "no IAM Access Analyzer analyzer in this region".to_string()
    } else {
        let seen: Vec<String> = analyzers
            .iter()
            .map(|analyzer| {
                format!(
                    "{} ({}, {})",
                    analyzer.name, analyzer.type_, analyzer.status
                )
            })
            .collect();
        format!(
            "no ACTIVE external access analyzer; found {}",
            seen.join(", ")
        )
    };
    Finding::fail(region_resource(region), region, message)
}

plumbline_guest::export_check!(AccessAnalyzerEnabled);
