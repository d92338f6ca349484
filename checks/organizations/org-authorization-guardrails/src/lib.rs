//! Service control and resource control policies set guardrails for every
//! account of the organization.

use plumbline_guest::bindings::plumbline::check::organizations::{OrganizationPolicy, Root};
use plumbline_guest::prelude::*;

struct AuthorizationGuardrails;

/// The policy types that act as authorization guardrails, with short names.
const GUARDRAIL_TYPES: [(&str, &str); 2] = [
    ("SERVICE_CONTROL_POLICY", "SCP"),
    ("RESOURCE_CONTROL_POLICY", "RCP"),
];

/// How many policies, and targets per policy, a message names.
const LISTED: usize = 5;

impl Check for AuthorizationGuardrails {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::ORG_AUTHORIZATION_GUARDRAILS,
            severity: Severity::Medium,
            description: "Reports whether service control policies (SCPs) and resource control \
                          policies (RCPs) are enabled on the organization root, and which \
                          customer-managed ones exist and where they are attached. Whether they \
                          restrict the right things for every account needs a human, so the \
                          result is manual. Not applicable to an account outside any \
                          organization.",
            rationale: "SCPs cap what principals in member accounts can do and RCPs cap what \
                        anyone can do to their resources, whatever the accounts' own IAM \
                        policies say. They stop a compromised or careless administrator in one \
                        account from leaving the organization, turning off logging or opening \
                        data to outsiders.",
            remediation: "From the management account: Organizations > Policies > enable \
                          Service control policies and Resource control policies (all features \
                          must be on). Write policies that deny what must never happen (leaving \
                          the organization, disabling CloudTrail, GuardDuty or Config, unapproved \
                          regions, access from outside the organization to data) and attach them \
                          to the root or to every organizational unit.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        organization::evaluate_within(|organization| {
            let roots = organizations::roots()?;
            let policies = organizations::policies()?;
            let message = format!(
                "organization {} (feature set {}): {}; {}; confirm that these guardrails reach \
                 every account and deny what the organization forbids",
                organization.details.id,
                organization.details.feature_set,
                describe_roots(&roots),
                describe_policies(&policies),
            );
            Ok(vec![Finding::manual(
                organization.resource(),
                GLOBAL_REGION,
                message,
            )])
        })
    }
}

/// Which guardrail policy types each root has enabled.
fn describe_roots(roots: &[Root]) -> String {
    if roots.is_empty() {
        return "no organization root listed".to_string();
    }
    let described: Vec<String> = roots
        .iter()
        .map(|root| {
            let types: Vec<String> = GUARDRAIL_TYPES
                .iter()
                .map(|(policy_type, short)| {
                    let status = root
                        .policy_types
                        .iter()
                        .find(|status| status.type_ == *policy_type)
                        .map_or("not enabled", |status| status.status.as_str());
                    format!("{short}s {status}")
                })
                .collect();
            format!("root {} {}", root.id, types.join(", "))
        })
        .collect();
    described.join("; ")
}

/// The customer-managed guardrail policies of each type and their targets.
/// AWS-managed ones (FullAWSAccess, RCPFullAWSAccess) allow everything and
/// guard nothing, so they are left out.
fn describe_policies(policies: &[OrganizationPolicy]) -> String {
    let described: Vec<String> = GUARDRAIL_TYPES
        .iter()
        .map(|(policy_type, short)| {
            let own: Vec<String> = policies
                .iter()
                .filter(|policy| policy.type_ == *policy_type && !policy.aws_managed)
                .map(|policy| {
                    if policy.targets.is_empty() {
                        format!("{} (not attached)", policy.name)
                    } else {
                        format!(
                            "{} (attached to {})",
                            policy.name,
                            plumbline_guest::brief_list(&policy.targets, LISTED)
                        )
                    }
                })
                .collect();
            if own.is_empty() {
                format!("no customer-managed {short}s")
            } else {
                format!(
                    "{} customer-managed {short}(s): {}",
                    own.len(),
                    plumbline_guest::brief_list(&own, LISTED)
                )
            }
        })
        .collect();
    described.join("; ")
}

plumbline_guest::export_check!(AuthorizationGuardrails);
