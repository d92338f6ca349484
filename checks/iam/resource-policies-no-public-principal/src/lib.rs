//! AWS resource policies do not allow unrestricted access with
//! `"Principal": "*"`. The scan reads IAM role trust policies and judges
//! them; every other resource policy is left to the auditor, with the steps.

use plumbline_guest::bindings::plumbline::check::iam::Role;
use plumbline_guest::policy::{PolicyDocument, Statement};
use plumbline_guest::prelude::*;

struct NoPublicPrincipal;

impl Check for NoPublicPrincipal {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::RESOURCE_POLICIES_NO_PUBLIC_PRINCIPAL,
            severity: Severity::High,
            description: "Fails every IAM role whose trust policy has an Allow statement for \
                          Principal \"*\" (or {\"AWS\": \"*\"}, or a NotPrincipal) with no \
                          condition, and lists the audit steps for the other resource policies \
                          (S3, SQS, SNS, KMS, Lambda, Secrets Manager, ...) the scan does not \
                          read.",
            rationale: "A resource policy that allows any principal without a condition opens \
                        the resource to every AWS account and, for some services, to anonymous \
                        callers. For a role it means anyone who knows its ARN can assume it and \
                        act with its permissions.",
            remediation: "Replace \"*\" with the account, role or service principals that need \
                          access, or keep it only together with a condition that pins the \
                          caller (aws:PrincipalOrgID, aws:SourceAccount, aws:SourceArn, \
                          aws:SourceVpce). For roles: IAM > Roles > the role > Trust \
                          relationships > Edit trust policy.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        let roles = iam::roles()?;
        let mut findings: Vec<Finding> = roles.iter().map(judge_trust_policy).collect();
        let open = findings
            .iter()
            .filter(|finding| finding.status == FindingStatus::Fail)
            .count();
        findings.push(Finding::manual(
            account::account_resource(),
            GLOBAL_REGION,
            format!(
                "IAM role trust policies: {} read, {open} open to any principal (each named in \
                 its own finding). Not read by this scan: for every S3 bucket, SQS queue, SNS \
                 topic, KMS key, Lambda function, Secrets Manager secret, ECR repository, \
                 EventBridge event bus and Glacier vault, open its resource policy and look for \
                 Allow statements whose Principal is \"*\" or {{\"AWS\": \"*\"}} (or that use \
                 NotPrincipal) with no Condition restricting the caller by organization, \
                 account, source ARN or VPC endpoint; IAM Access Analyzer's external-access \
                 findings list most of them",
                roles.len()
            ),
        ));
        Ok(findings)
    }
}

fn judge_trust_policy(role: &Role) -> Finding {
    let document = match PolicyDocument::parse(&role.assume_role_policy_document) {
        Ok(document) => document,
        Err(error) => {
            return Finding::error(
                &role.arn,
                GLOBAL_REGION,
                format!("trust policy of role {}: {error}", role.name),
            );
        }
    };
    let open: Vec<String> = document
        .statements
        .iter()
        .enumerate()
        .filter(|(_, statement)| statement.allows_public_unconditionally())
        .map(|(index, statement)| describe(index, statement))
        .collect();
    if open.is_empty() {
        Finding::pass(
            &role.arn,
            GLOBAL_REGION,
            format!(
                "the trust policy of role {} admits no public principal without a condition",
                role.name
            ),
        )
    } else {
        Finding::fail(
            &role.arn,
            GLOBAL_REGION,
            format!(
                "the trust policy of role {} lets any AWS principal in: {}",
                role.name,
                open.join("; ")
            ),
        )
    }
}

fn describe(index: usize, statement: &Statement) -> String {
    let label = statement
        .sid
        .clone()
        .unwrap_or_else(|| format!("#{}", index + 1));
    let actions = if statement.not_actions.is_empty() {
        statement.actions.join(", ")
    } else {
        format!("every action except {}", statement.not_actions.join(", "))
    };
    let whom = if statement.not_principal.is_some() {
        "everyone outside its NotPrincipal"
    } else {
        "Principal \"*\""
    };
    format!("statement {label} allows {actions} to {whom} with no condition")
}

plumbline_guest::export_check!(NoPublicPrincipal);
