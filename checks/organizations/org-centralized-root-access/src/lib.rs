//! Centralized root access: member accounts' root users are managed from the
//! organization, not by their own credentials.

use plumbline_guest::prelude::*;

struct CentralizedRootAccess;

/// The two IAM features that together make up centralized root access.
const FEATURES: [&str; 2] = ["RootCredentialsManagement", "RootSessions"];

impl Check for CentralizedRootAccess {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::ORG_CENTRALIZED_ROOT_ACCESS,
            severity: Severity::Medium,
            description: "Reports which centralized root access features the organization has \
                          enabled (IAM ListOrganizationsFeatures: RootCredentialsManagement and \
                          RootSessions). Both are needed; whether member accounts' root \
                          credentials were then actually removed is for the auditor to confirm, \
                          so the result is manual. Not applicable to an account outside any \
                          organization.",
            rationale: "Every member account has a root user that no policy can restrict. With \
                        centralized root access the management account can delete member root \
                        credentials and perform the few root-only tasks through short \
                        privileged sessions, so there are no long-lived root passwords, keys \
                        or MFA devices to lose across the organization.",
            remediation: "From the management account: enable trusted access for IAM in \
                          Organizations, then IAM > Root access management > Enable, with both \
                          Root credentials management and Privileged root actions in member \
                          accounts (`aws iam enable-organizations-root-credentials-management` \
                          and `aws iam enable-organizations-root-sessions`). Then delete the \
                          root credentials of each member account from the same page.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        organization::evaluate_within(|organization| {
            let enabled = iam::organizations_features()?;
            let (on, off): (Vec<&str>, Vec<&str>) = FEATURES
                .into_iter()
                .partition(|feature| enabled.iter().any(|e| e == feature));
            let state = match (on.is_empty(), off.is_empty()) {
                (true, _) => "centralized root access is not enabled (neither \
                              RootCredentialsManagement nor RootSessions); both are needed"
                    .to_string(),
                (false, true) => format!("{} enabled", on.join(" and ")),
                (false, false) => format!(
                    "{} enabled, {} not; both are needed",
                    on.join(", "),
                    off.join(", ")
                ),
            };
            let message = format!(
                "organization {} (feature set {}): {state}; confirm that no member account keeps \
                 a root password, access key or MFA device",
                organization.details.id, organization.details.feature_set
            );
            Ok(vec![Finding::manual(
                organization.resource(),
                GLOBAL_REGION,
                message,
            )])
        })
    }
}

plumbline_guest::export_check!(CentralizedRootAccess);
