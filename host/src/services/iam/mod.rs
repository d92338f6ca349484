//! Identity and Access Management. Global: one value per account.

mod collect;
mod credential_report;

use serde::{Deserialize, Serialize};

use crate::bindings::iam::{
    AttachedPolicy, CredentialReportRow, Group, ManagedPolicy, OidcProvider, PasswordPolicy,
    PolicyEntities, Role, SamlProvider, ServerCertificate, SummaryEntry, User, VirtualMfaDevice,
};
use crate::registry::{DataSet, Lookup, Part, Scope, Service, Whole};

const INTERFACE: &str = "iam";

pub static SERVICE: Service = Service {
    interface: INTERFACE,
    data_sets: &[
        &CREDENTIAL_REPORT,
        &PASSWORD_POLICY,
        &ACCOUNT_SUMMARY,
        &AUTHORIZATION_DETAILS,
        &VIRTUAL_MFA_DEVICES,
        &SERVER_CERTIFICATES,
        &SAML_PROVIDERS,
        &OIDC_PROVIDERS,
        &ORGANIZATIONS_FEATURES,
    ],
};

pub static CREDENTIAL_REPORT: DataSet<Vec<CredentialReportRow>> = DataSet {
    interface: INTERFACE,
    name: "credential_report",
    description: "the IAM credential report",
    scope: Scope::Account,
    actions: &["iam:GenerateCredentialReport", "iam:GetCredentialReport"],
    depends_on: &[],
    collect: |context| Box::pin(collect::credential_report(context)),
    answers: &[&Whole("credential-report")],
};

pub static PASSWORD_POLICY: DataSet<Option<PasswordPolicy>> = DataSet {
    interface: INTERFACE,
    name: "password_policy",
    description: "the IAM password policy",
    scope: Scope::Account,
    actions: &["iam:GetAccountPasswordPolicy"],
    depends_on: &[],
    collect: |context| Box::pin(collect::password_policy(context)),
    answers: &[&Whole("account-password-policy")],
};

pub static ACCOUNT_SUMMARY: DataSet<Vec<SummaryEntry>> = DataSet {
    interface: INTERFACE,
    name: "account_summary",
    description: "the IAM account summary",
    scope: Scope::Account,
    actions: &["iam:GetAccountSummary"],
    depends_on: &[],
    collect: |context| Box::pin(collect::account_summary(context)),
    answers: &[&Whole("account-summary")],
};

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

pub static AUTHORIZATION_DETAILS: DataSet<AuthorizationDetails> = DataSet {
    interface: INTERFACE,
    name: "authorization_details",
    description: "the IAM users, groups, roles and policies",
    scope: Scope::Account,
    actions: &["iam:GetAccountAuthorizationDetails"],
    depends_on: &[],
    collect: |context| Box::pin(collect::authorization_details(context)),
    answers: &[
        &Part {
            function: "users",
            pick: |details: &AuthorizationDetails| details.users.clone(),
        },
        &Part {
            function: "groups",
            pick: |details: &AuthorizationDetails| details.groups.clone(),
        },
        &Part {
            function: "roles",
            pick: |details: &AuthorizationDetails| details.roles.clone(),
        },
        &Part {
            function: "policies",
            pick: |details: &AuthorizationDetails| details.policies.clone(),
        },
        &Lookup {
            function: "entities-for-policy",
            find: |details: &AuthorizationDetails, policy_arn: String| {
                Ok(entities_for_policy(details, &policy_arn))
            },
        },
    ],
};

pub static VIRTUAL_MFA_DEVICES: DataSet<Vec<VirtualMfaDevice>> = DataSet {
    interface: INTERFACE,
    name: "virtual_mfa_devices",
    description: "the IAM virtual MFA devices",
    scope: Scope::Account,
    actions: &["iam:ListVirtualMFADevices"],
    depends_on: &[],
    collect: |context| Box::pin(collect::virtual_mfa_devices(context)),
    answers: &[&Whole("virtual-mfa-devices")],
};

pub static SERVER_CERTIFICATES: DataSet<Vec<ServerCertificate>> = DataSet {
    interface: INTERFACE,
    name: "server_certificates",
    description: "the IAM server certificates",
    scope: Scope::Account,
    actions: &["iam:ListServerCertificates"],
    depends_on: &[],
    collect: |context| Box::pin(collect::server_certificates(context)),
    answers: &[&Whole("server-certificates")],
};

pub static SAML_PROVIDERS: DataSet<Vec<SamlProvider>> = DataSet {
    interface: INTERFACE,
    name: "saml_providers",
    description: "the IAM SAML providers",
    scope: Scope::Account,
    actions: &["iam:ListSAMLProviders"],
    depends_on: &[],
    collect: |context| Box::pin(collect::saml_providers(context)),
    answers: &[&Whole("saml-providers")],
};

pub static OIDC_PROVIDERS: DataSet<Vec<OidcProvider>> = DataSet {
    interface: INTERFACE,
    name: "oidc_providers",
    description: "the IAM OpenID Connect providers",
    scope: Scope::Account,
    actions: &["iam:ListOpenIDConnectProviders"],
    depends_on: &[],
    collect: |context| Box::pin(collect::oidc_providers(context)),
    answers: &[&Whole("oidc-providers")],
};

pub static ORGANIZATIONS_FEATURES: DataSet<Vec<String>> = DataSet {
    interface: INTERFACE,
    name: "organizations_features",
    description: "the IAM centralized root access features",
    scope: Scope::Account,
    actions: &["iam:ListOrganizationsFeatures"],
    depends_on: &[],
    collect: |context| Box::pin(collect::organizations_features(context)),
    answers: &[&Whole("organizations-features")],
};

/// The users, groups and roles a managed policy is attached to.
pub fn entities_for_policy(details: &AuthorizationDetails, policy_arn: &str) -> PolicyEntities {
    fn attached(policies: &[AttachedPolicy], arn: &str) -> bool {
        policies.iter().any(|policy| policy.arn == arn)
    }
    PolicyEntities {
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
