//! The collected account state. `host collect` writes it, `host scan
//! --snapshot` reads it, and a live scan builds it in memory: one model.
//!
//! Every data set is `None` when it was not collected, `Some(Err(..))` when
//! collecting it failed (the typed error a check will see) and `Some(Ok(..))`
//! otherwise. The data types are the WIT records themselves.

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};

use crate::bindings::iam::{
    AttachedPolicy, CredentialReportRow, ManagedPolicy, PasswordPolicy, ServerCertificate,
    SummaryEntry, User, VirtualMfaDevice,
};
use crate::bindings::types::{DataError, Timestamp};

/// Identifies the snapshot file format; bumped on incompatible changes.
pub const FORMAT: &str = "plumbline-snapshot/1";

/// What one data function answers: the data, or why there is none.
pub type Outcome<T> = Result<T, DataError>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub format: String,
    pub account_id: String,
    pub partition: String,
    pub regions: Vec<String>,
    /// When the data was collected (RFC 3339); the default "now" of a scan.
    pub collected_at: String,
    #[serde(default)]
    pub iam: IamData,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IamData {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential_report: Option<Outcome<Vec<CredentialReportRow>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_policy: Option<Outcome<Option<PasswordPolicy>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_summary: Option<Outcome<Vec<SummaryEntry>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization_details: Option<Outcome<AuthorizationDetails>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub virtual_mfa_devices: Option<Outcome<Vec<VirtualMfaDevice>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_certificates: Option<Outcome<Vec<ServerCertificate>>>,
}

/// `GetAccountAuthorizationDetails`: users, groups, roles and managed
/// policies in one paginated call, which also answers "where is this policy
/// attached" without a call per policy.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AuthorizationDetails {
    pub users: Vec<User>,
    pub groups: Vec<Principal>,
    pub roles: Vec<Principal>,
    pub policies: Vec<ManagedPolicy>,
}

/// A group or role: what entity lookups need of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Principal {
    pub name: String,
    pub arn: String,
    pub attached_policies: Vec<AttachedPolicy>,
}

/// One unit of collection: a set of AWS calls that together answer one or
/// more WIT data functions. The plan is the set of sources that loaded checks
/// import; each is collected once per scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DataSource {
    CredentialReport,
    PasswordPolicy,
    AccountSummary,
    AuthorizationDetails,
    VirtualMfaDevices,
    ServerCertificates,
}

impl DataSource {
    pub const ALL: [DataSource; 6] = [
        DataSource::CredentialReport,
        DataSource::PasswordPolicy,
        DataSource::AccountSummary,
        DataSource::AuthorizationDetails,
        DataSource::VirtualMfaDevices,
        DataSource::ServerCertificates,
    ];

    /// The source behind an imported WIT function, e.g. (`iam`, `users`).
    /// `None` for functions that need no collection (the scan context).
    pub fn for_function(interface: &str, function: &str) -> Option<DataSource> {
        match (interface, function) {
            ("iam", "credential-report") => Some(DataSource::CredentialReport),
            ("iam", "account-password-policy") => Some(DataSource::PasswordPolicy),
            ("iam", "account-summary") => Some(DataSource::AccountSummary),
            ("iam", "users" | "policies" | "entities-for-policy") => {
                Some(DataSource::AuthorizationDetails)
            }
            ("iam", "virtual-mfa-devices") => Some(DataSource::VirtualMfaDevices),
            ("iam", "server-certificates") => Some(DataSource::ServerCertificates),
            _ => None,
        }
    }

    /// For progress output and error messages.
    pub fn describe(self) -> &'static str {
        match self {
            DataSource::CredentialReport => "the IAM credential report",
            DataSource::PasswordPolicy => "the IAM password policy",
            DataSource::AccountSummary => "the IAM account summary",
            DataSource::AuthorizationDetails => "the IAM users, groups, roles and policies",
            DataSource::VirtualMfaDevices => "the IAM virtual MFA devices",
            DataSource::ServerCertificates => "the IAM server certificates",
        }
    }
}

pub type Plan = BTreeSet<DataSource>;

impl Snapshot {
    pub fn read(path: &Path) -> anyhow::Result<Snapshot> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read snapshot {}", path.display()))?;
        let snapshot: Snapshot = serde_json::from_str(&text).with_context(|| {
            format!(
                "{} is not a valid Plumbline snapshot (expected the JSON that `host collect` writes)",
                path.display()
            )
        })?;
        if snapshot.format != FORMAT {
            bail!(
                "{} has snapshot format {:?}; this host reads {FORMAT:?}. Re-create it with `host collect`.",
                path.display(),
                snapshot.format
            );
        }
        crate::timefmt::parse(&snapshot.collected_at).with_context(|| {
            format!("{}: `collected_at` is not an RFC 3339 time", path.display())
        })?;
        Ok(snapshot)
    }

    pub fn write(&self, path: &Path) -> anyhow::Result<()> {
        let json = serde_json::to_string_pretty(self)?;
        crate::report::write_atomically(path, json.as_bytes())
    }

    /// The collection time as a timestamp.
    pub fn collected_at(&self) -> Timestamp {
        crate::timefmt::parse(&self.collected_at).unwrap_or_default()
    }
}

/// The users, groups and roles a managed policy is attached to.
pub fn entities_for_policy(
    details: &AuthorizationDetails,
    policy_arn: &str,
) -> crate::bindings::iam::PolicyEntities {
    fn attached(policies: &[AttachedPolicy], arn: &str) -> bool {
        policies.iter().any(|policy| policy.arn == arn)
    }
    crate::bindings::iam::PolicyEntities {
        users: details
            .users
            .iter()
            .filter(|user| attached(&user.attached_policies, policy_arn))
            .map(|user| user.name.clone())
            .collect(),
        groups: details
            .groups
            .iter()
            .filter(|group| attached(&group.attached_policies, policy_arn))
            .map(|group| group.name.clone())
            .collect(),
        roles: details
            .roles
            .iter()
            .filter(|role| attached(&role.attached_policies, policy_arn))
            .map(|role| role.name.clone())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attached(arn: &str) -> Vec<AttachedPolicy> {
        vec![AttachedPolicy {
            name: "p".into(),
            arn: arn.into(),
        }]
    }

    #[test]
    fn entities_for_policy_finds_users_groups_and_roles() {
        let support = "arn:aws:iam::aws:policy/AWSSupportAccess";
        let details = AuthorizationDetails {
            users: vec![User {
                name: "ann".into(),
                arn: "arn:aws:iam::1:user/ann".into(),
                id: "A".into(),
                path: "/".into(),
                create_date: 0,
                groups: vec![],
                attached_policies: attached(support),
                inline_policies: vec![],
            }],
            groups: vec![Principal {
                name: "ops".into(),
                arn: "g".into(),
                attached_policies: attached("other"),
            }],
            roles: vec![Principal {
                name: "desk".into(),
                arn: "r".into(),
                attached_policies: attached(support),
            }],
            policies: vec![],
        };
        let entities = entities_for_policy(&details, support);
        assert_eq!(entities.users, vec!["ann"]);
        assert!(entities.groups.is_empty());
        assert_eq!(entities.roles, vec!["desk"]);
    }
}
