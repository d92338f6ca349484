//! The AWS Security Finding Format, as `securityhub:BatchImportFindings`
//! takes it: a JSON list of findings, one per judged resource (at most 100
//! per call). Each finding's `Id` is derived from the account, check, region
//! and resource only, so importing the next scan updates the findings of
//! the last one instead of adding copies; `Compliance.Status` carries the
//! verdict and `RelatedRequirements` the CIS ids in the chosen version.

use serde_json::{Value, json};

use super::{Report, Row, Status};
use crate::bindings::types::Severity;

/// The ASFF version every finding declares.
const SCHEMA_VERSION: &str = "2018-10-08";
const FINDING_TYPE: &str = "Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark";
/// Security Hub's limits on the free-text fields.
const TITLE_LIMIT: usize = 256;
const DESCRIPTION_LIMIT: usize = 1024;
/// Regions where no region applies (IAM is global): the findings go to the
/// scan's first region, as Security Hub keeps findings per region.
const GLOBAL: &str = "global";

pub fn render(report: &Report) -> String {
    let findings: Vec<Value> = report
        .rows()
        .iter()
        .map(|row| finding(report, row))
        .collect();
    super::untrusted::json(&findings)
}

fn finding(report: &Report, row: &Row) -> Value {
    let home = report.regions.first().map_or("us-east-1", String::as_str);
    let region = if row.region.is_empty() || row.region == GLOBAL {
        home
    } else {
        row.region
    };
    let account = &report.account_id;
    let check = &row.outcome.check;
    let resource = row.resource_or_account(account);
    let requirements: Vec<String> = row
        .reference
        .map(|reference| {
            vec![format!(
                "CIS AWS Foundations Benchmark v{}/{}",
                reference.version, reference.id
            )]
        })
        .unwrap_or_default();
    let mut finding = json!({
        "SchemaVersion": SCHEMA_VERSION,
        "Id": row.finding_id(account),
        "ProductArn": format!(
            "arn:{}:securityhub:{region}:{account}:product/{account}/default",
            report.partition
        ),
        "GeneratorId": format!("plumbline/{check}"),
        "AwsAccountId": account,
        "Types": [FINDING_TYPE],
        "CreatedAt": report.evaluated_at,
        "UpdatedAt": report.evaluated_at,
        "Severity": { "Label": severity_label(row.severity()) },
        "Title": truncated(&row.outcome.title, TITLE_LIMIT),
        "Description": truncated(
            if row.message.is_empty() { &row.outcome.title } else { row.message },
            DESCRIPTION_LIMIT
        ),
        "Resources": [{
            "Type": resource_type(&resource),
            "Id": resource,
            "Partition": report.partition,
            "Region": region,
        }],
        "Compliance": {
            "Status": compliance_status(row.status),
            "RelatedRequirements": requirements,
        },
        "ProductFields": {
            "plumbline/check": check,
            "plumbline/status": row.status.name(),
            "plumbline/region": row.region,
        },
        "RecordState": "ACTIVE",
    });
    // A waived finding is Security Hub's suppressed one, with the reason.
    if let Some(waiver) = row.waiver {
        finding["Workflow"] = json!({ "Status": "SUPPRESSED" });
        finding["Note"] = json!({
            "Text": truncated(&format!("waived: {}", waiver.reason), 512),
            "UpdatedBy": truncated(&waiver.owner, 512),
            "UpdatedAt": report.evaluated_at,
        });
    }
    finding
}

fn severity_label(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "CRITICAL",
        Severity::High => "HIGH",
        Severity::Medium => "MEDIUM",
        Severity::Low => "LOW",
        Severity::Informational => "INFORMATIONAL",
    }
}

fn compliance_status(status: Status) -> &'static str {
    match status {
        Status::Pass => "PASSED",
        Status::Fail | Status::Waived => "FAILED",
        Status::Manual => "WARNING",
        Status::NotApplicable | Status::Error => "NOT_AVAILABLE",
    }
}

/// Security Hub's resource type for the ARNs checks name most; `Other`
/// for the rest.
fn resource_type(resource: &str) -> &'static str {
    let Some(rest) = resource.strip_prefix("arn:") else {
        return if resource.starts_with("AWS::::Account:") {
            "AwsAccount"
        } else {
            "Other"
        };
    };
    let mut parts = rest.splitn(5, ':');
    let service = parts.nth(1).unwrap_or_default();
    let kind = parts.nth(2).unwrap_or_default();
    match (service, kind.split('/').next().unwrap_or_default()) {
        ("iam", "user") => "AwsIamUser",
        ("iam", "role") => "AwsIamRole",
        ("iam", "group") => "AwsIamGroup",
        ("iam", "policy") => "AwsIamPolicy",
        ("s3", _) => "AwsS3Bucket",
        ("cloudtrail", _) => "AwsCloudTrailTrail",
        ("kms", "key") => "AwsKmsKey",
        ("ec2", "security-group") => "AwsEc2SecurityGroup",
        ("ec2", "network-acl") => "AwsEc2NetworkAcl",
        ("ec2", "vpc") => "AwsEc2Vpc",
        ("ec2", "instance") => "AwsEc2Instance",
        ("rds", "db") => "AwsRdsDbInstance",
        ("efs", _) => "AwsEfsFileSystem",
        _ => "Other",
    }
}

fn truncated(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit.saturating_sub(1)) {
        Some((index, _)) if text.chars().count() > limit => format!("{}…", &text[..index]),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_types_come_from_the_arn() {
        assert_eq!(
            resource_type("arn:aws:iam::123456789012:user/bob"),
            "AwsIamUser"
        );
        assert_eq!(resource_type("arn:aws:s3:::bucket"), "AwsS3Bucket");
        assert_eq!(
            resource_type("arn:aws:ec2:us-east-1:123456789012:security-group/sg-1"),
            "AwsEc2SecurityGroup"
        );
        assert_eq!(resource_type("account 123456789012"), "Other");
        assert_eq!(resource_type("AWS::::Account:123456789012"), "AwsAccount");
    }

    #[test]
    fn long_text_is_cut_to_the_limit() {
        assert_eq!(truncated("abcdef", 4), "abc…");
        assert_eq!(truncated("abcd", 4), "abcd");
        assert_eq!(truncated("é".repeat(5).as_str(), 3).chars().count(), 3);
    }
}
