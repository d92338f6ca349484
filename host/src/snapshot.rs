//! The collected account state. `host collect` writes it, `host scan
//! --snapshot` reads it, and a live scan builds it in memory: one model.
//!
//! Every data set is `None` when it was not collected, `Some(Err(..))` when
//! collecting it failed (the typed error a check will see) and `Some(Ok(..))`
//! otherwise. The data types are the WIT records themselves.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};

use crate::bindings::access_analyzer::Analyzer;
use crate::bindings::account::{Contact, PrimaryContact};
use crate::bindings::ec2::Instance;
use crate::bindings::iam::{
    AttachedPolicy, CredentialReportRow, Group, ManagedPolicy, OidcProvider, PasswordPolicy, Role,
    SamlProvider, ServerCertificate, SummaryEntry, User, VirtualMfaDevice,
};
use crate::bindings::organizations::{
    DelegatedAdministrator, MemberAccount, OrganizationDetails, OrganizationPolicy,
    OrganizationalUnit, Root,
};
use crate::bindings::s3::{Bucket, PublicAccessBlock};
use crate::bindings::types::{DataError, Timestamp};

/// Identifies the snapshot file format; bumped on incompatible changes.
pub const FORMAT: &str = "plumbline-snapshot/1";

/// What one data function answers: the data, or why there is none.
pub type Outcome<T> = Result<T, DataError>;

/// A regional data set: one outcome per region of the scan. The outer
/// outcome fails as a whole when the regions could not be enumerated.
pub type Regional<T> = BTreeMap<String, Outcome<T>>;

/// What was collected of one data source; `None` when it was not collected.
pub type Collected<T> = Option<Outcome<T>>;

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
    #[serde(default)]
    pub account: AccountData,
    #[serde(default)]
    pub access_analyzer: AccessAnalyzerData,
    #[serde(default)]
    pub ec2: Ec2Data,
    #[serde(default)]
    pub organizations: OrganizationsData,
    #[serde(default)]
    pub s3: S3Data,
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saml_providers: Collected<Vec<SamlProvider>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oidc_providers: Collected<Vec<OidcProvider>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organizations_features: Collected<Vec<String>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AccountData {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alternate_contacts: Collected<AlternateContacts>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_information: Collected<Option<PrimaryContact>>,
}

/// `account:GetAlternateContact` for each type; each may be denied alone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlternateContacts {
    pub billing: Outcome<Option<Contact>>,
    pub operations: Outcome<Option<Contact>>,
    pub security: Outcome<Option<Contact>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AccessAnalyzerData {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analyzers: Collected<Regional<Vec<Analyzer>>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Ec2Data {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instances: Collected<Regional<Vec<Instance>>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OrganizationsData {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Collected<Option<OrganizationDetails>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roots: Collected<Vec<Root>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organizational_units: Collected<Vec<OrganizationalUnit>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accounts: Collected<Vec<MemberAccount>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policies: Collected<Vec<OrganizationPolicy>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delegated_administrators: Collected<Vec<DelegatedAdministrator>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_policy: Collected<Option<String>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct S3Data {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_public_access_block: Collected<Option<PublicAccessBlock>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buckets: Collected<Vec<Bucket>>,
    /// Per bucket name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bucket_public_access_blocks:
        Collected<BTreeMap<String, Outcome<Option<PublicAccessBlock>>>>,
}

/// `GetAccountAuthorizationDetails`: users, groups, roles and managed
/// policies in one paginated call, which also answers "where is this policy
/// attached" without a call per policy.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AuthorizationDetails {
    pub users: Vec<User>,
    pub groups: Vec<Group>,
    pub roles: Vec<Role>,
    pub policies: Vec<ManagedPolicy>,
}

/// One unit of collection: a set of AWS calls that together answer one or
/// more WIT data functions. The plan is the set of sources that loaded checks
/// import; each is collected once per scan.
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
    SamlProviders,
    OidcProviders,
    OrganizationsFeatures,
    AlternateContacts,
    ContactInformation,
    AccessAnalyzers,
    Ec2Instances,
    Organization,
    OrganizationStructure,
    OrganizationPolicies,
    DelegatedAdministrators,
    OrganizationResourcePolicy,
    AccountPublicAccessBlock,
    Buckets,
    BucketPublicAccessBlocks,
}

impl DataSource {
    pub const ALL: [DataSource; 21] = [
        DataSource::CredentialReport,
        DataSource::PasswordPolicy,
        DataSource::AccountSummary,
        DataSource::AuthorizationDetails,
        DataSource::VirtualMfaDevices,
        DataSource::ServerCertificates,
        DataSource::SamlProviders,
        DataSource::OidcProviders,
        DataSource::OrganizationsFeatures,
        DataSource::AlternateContacts,
        DataSource::ContactInformation,
        DataSource::AccessAnalyzers,
        DataSource::Ec2Instances,
        DataSource::Organization,
        DataSource::OrganizationStructure,
        DataSource::OrganizationPolicies,
        DataSource::DelegatedAdministrators,
        DataSource::OrganizationResourcePolicy,
        DataSource::AccountPublicAccessBlock,
        DataSource::Buckets,
        DataSource::BucketPublicAccessBlocks,
    ];

    /// The source behind an imported WIT function, e.g. (`iam`, `users`).
    /// `None` for functions that need no collection (the scan context).
    pub fn for_function(interface: &str, function: &str) -> Option<DataSource> {
        let source = match (interface, function) {
            ("iam", "credential-report") => DataSource::CredentialReport,
            ("iam", "account-password-policy") => DataSource::PasswordPolicy,
            ("iam", "account-summary") => DataSource::AccountSummary,
            ("iam", "users" | "groups" | "roles" | "policies" | "entities-for-policy") => {
                DataSource::AuthorizationDetails
            }
            ("iam", "virtual-mfa-devices") => DataSource::VirtualMfaDevices,
            ("iam", "server-certificates") => DataSource::ServerCertificates,
            ("iam", "saml-providers") => DataSource::SamlProviders,
            ("iam", "oidc-providers") => DataSource::OidcProviders,
            ("iam", "organizations-features") => DataSource::OrganizationsFeatures,
            ("account", "alternate-contact") => DataSource::AlternateContacts,
            ("account", "contact-information") => DataSource::ContactInformation,
            ("access-analyzer", "analyzers") => DataSource::AccessAnalyzers,
            ("ec2", "instances") => DataSource::Ec2Instances,
            ("organizations", "organization") => DataSource::Organization,
            ("organizations", "roots" | "organizational-units" | "accounts") => {
                DataSource::OrganizationStructure
            }
            ("organizations", "policies") => DataSource::OrganizationPolicies,
            ("organizations", "delegated-administrators") => DataSource::DelegatedAdministrators,
            ("organizations", "resource-policy") => DataSource::OrganizationResourcePolicy,
            ("s3", "account-public-access-block") => DataSource::AccountPublicAccessBlock,
            ("s3", "buckets") => DataSource::Buckets,
            ("s3", "bucket-public-access-block") => DataSource::BucketPublicAccessBlocks,
            _ => return None,
        };
        Some(source)
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
            DataSource::SamlProviders => "the IAM SAML providers",
            DataSource::OidcProviders => "the IAM OpenID Connect providers",
            DataSource::OrganizationsFeatures => "the IAM centralized root access features",
            DataSource::AlternateContacts => "the account's alternate contacts",
            DataSource::ContactInformation => "the account's primary contact",
            DataSource::AccessAnalyzers => "the IAM Access Analyzer analyzers of every region",
            DataSource::Ec2Instances => "the EC2 instances of every region",
            DataSource::Organization => "the AWS Organizations membership",
            DataSource::OrganizationStructure => "the organization's roots, units and accounts",
            DataSource::OrganizationPolicies => "the organization's control policies",
            DataSource::DelegatedAdministrators => "the organization's delegated administrators",
            DataSource::OrganizationResourcePolicy => "the organization's resource policy",
            DataSource::AccountPublicAccessBlock => "the account's S3 Block Public Access settings",
            DataSource::Buckets => "the S3 buckets",
            DataSource::BucketPublicAccessBlocks => "the S3 buckets' Block Public Access settings",
        }
    }

    /// Sources answered per region: planning one means enumerating regions.
    pub fn is_regional(self) -> bool {
        matches!(self, DataSource::AccessAnalyzers | DataSource::Ec2Instances)
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
            groups: vec![Group {
                name: "ops".into(),
                arn: "g".into(),
                attached_policies: attached("other"),
                inline_policies: vec![],
            }],
            roles: vec![Role {
                name: "desk".into(),
                arn: "r".into(),
                id: "R".into(),
                path: "/".into(),
                create_date: 0,
                assume_role_policy_document: "{}".into(),
                attached_policies: attached(support),
                inline_policies: vec![],
                instance_profiles: vec![],
            }],
            policies: vec![],
        };
        let entities = entities_for_policy(&details, support);
        assert_eq!(entities.users, vec!["ann"]);
        assert!(entities.groups.is_empty());
        assert_eq!(entities.roles, vec!["desk"]);
    }
}
