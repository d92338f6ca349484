//! IAM collectors: one per data set, each returning the typed outcome a
//! check will see.

use std::time::Duration;

use aws_sdk_iam::Client;
use aws_sdk_iam::types::{EntityType, ReportStateType};

use super::{AuthorizationDetails, credential_report};
use crate::bindings::iam::{
    AttachedPolicy, CredentialReportRow, Group, InlinePolicy, ManagedPolicy, OidcProvider,
    PasswordPolicy, Role, SamlProvider, ServerCertificate, SummaryEntry, User, VirtualMfaDevice,
};
use crate::bindings::types::DataError;
use crate::collect::errors::data_error;
use crate::collect::{Context, text, timestamp};
use crate::registry::Outcome;

/// How long to wait for AWS to generate a credential report: polls start
/// fast (a fresh report often takes under a second) and back off.
const REPORT_POLL_FIRST: Duration = Duration::from_millis(200);
const REPORT_POLL_LONGEST: Duration = Duration::from_secs(2);
const REPORT_WAIT_LIMIT: Duration = Duration::from_secs(120);

pub async fn credential_report(context: &Context<'_>) -> Outcome<Vec<CredentialReportRow>> {
    let client: Client = context.global_client();
    let mut interval = REPORT_POLL_FIRST;
    let mut waited = Duration::ZERO;
    loop {
        let generated = client
            .generate_credential_report()
            .send()
            .await
            .map_err(|error| data_error("iam:GenerateCredentialReport", error))?;
        if generated.state() == Some(&ReportStateType::Complete) {
            break;
        }
        if waited >= REPORT_WAIT_LIMIT {
            return Err(DataError::CollectionFailed(format!(
                "iam:GenerateCredentialReport: report still not ready after {} s",
                waited.as_secs()
            )));
        }
        tokio::time::sleep(interval).await;
        waited += interval;
        interval = (interval * 2).min(REPORT_POLL_LONGEST);
    }
    let report = client
        .get_credential_report()
        .send()
        .await
        .map_err(|error| data_error("iam:GetCredentialReport", error))?;
    let content = report.content().ok_or_else(|| {
        DataError::CollectionFailed("iam:GetCredentialReport returned no content".into())
    })?;
    credential_report::parse(content.as_ref())
        .map_err(|reason| DataError::CollectionFailed(format!("iam:GetCredentialReport: {reason}")))
}

pub async fn password_policy(context: &Context<'_>) -> Outcome<Option<PasswordPolicy>> {
    let client: Client = context.global_client();
    match client.get_account_password_policy().send().await {
        Ok(output) => Ok(output.password_policy().map(|policy| PasswordPolicy {
            minimum_password_length: non_negative(policy.minimum_password_length()).unwrap_or(0),
            require_symbols: policy.require_symbols(),
            require_numbers: policy.require_numbers(),
            require_uppercase_characters: policy.require_uppercase_characters(),
            require_lowercase_characters: policy.require_lowercase_characters(),
            allow_users_to_change_password: policy.allow_users_to_change_password(),
            expire_passwords: policy.expire_passwords(),
            max_password_age: non_negative(policy.max_password_age()),
            password_reuse_prevention: non_negative(policy.password_reuse_prevention()),
            hard_expiry: policy.hard_expiry(),
        })),
        Err(error)
            if error
                .as_service_error()
                .is_some_and(|service| service.is_no_such_entity_exception()) =>
        {
            Ok(None)
        }
        Err(error) => Err(data_error("iam:GetAccountPasswordPolicy", error)),
    }
}

pub async fn account_summary(context: &Context<'_>) -> Outcome<Vec<SummaryEntry>> {
    let client: Client = context.global_client();
    let output = client
        .get_account_summary()
        .send()
        .await
        .map_err(|error| data_error("iam:GetAccountSummary", error))?;
    let mut entries: Vec<SummaryEntry> = output
        .summary_map()
        .into_iter()
        .flatten()
        .map(|(key, value)| SummaryEntry {
            name: key.as_str().to_string(),
            value: i64::from(*value),
        })
        .collect();
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(entries)
}

const AUTHORIZATION_DETAILS: &str = "iam:GetAccountAuthorizationDetails";

pub async fn authorization_details(context: &Context<'_>) -> Outcome<AuthorizationDetails> {
    let client: Client = context.global_client();
    let action = AUTHORIZATION_DETAILS;
    let mut pages = client
        .get_account_authorization_details()
        .filter(EntityType::User)
        .filter(EntityType::Group)
        .filter(EntityType::Role)
        .filter(EntityType::LocalManagedPolicy)
        .filter(EntityType::AwsManagedPolicy)
        .into_paginator()
        .send();
    let mut details = AuthorizationDetails::default();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|error| data_error(action, error))?;
        for user in page.user_detail_list() {
            let name = text(user.user_name());
            details.users.push(User {
                arn: text(user.arn()),
                id: text(user.user_id()),
                path: text(user.path()),
                create_date: user.create_date().map(timestamp).unwrap_or_default(),
                groups: user.group_list().to_vec(),
                attached_policies: attached(user.attached_managed_policies()),
                inline_policies: inline_policies(user.user_policy_list(), &format!("user {name}"))?,
                name,
            });
        }
        for group in page.group_detail_list() {
            let name = text(group.group_name());
            details.groups.push(Group {
                arn: text(group.arn()),
                attached_policies: attached(group.attached_managed_policies()),
                inline_policies: inline_policies(
                    group.group_policy_list(),
                    &format!("group {name}"),
                )?,
                name,
            });
        }
        for role in page.role_detail_list() {
            let name = text(role.role_name());
            let owner = format!("role {name}");
            details.roles.push(Role {
                arn: text(role.arn()),
                id: text(role.role_id()),
                path: text(role.path()),
                create_date: role.create_date().map(timestamp).unwrap_or_default(),
                assume_role_policy_document: decode_document(
                    role.assume_role_policy_document().unwrap_or("{}"),
                )
                .map_err(|reason| {
                    DataError::CollectionFailed(format!(
                        "{AUTHORIZATION_DETAILS}: trust policy of {owner}: {reason}"
                    ))
                })?,
                attached_policies: attached(role.attached_managed_policies()),
                inline_policies: inline_policies(role.role_policy_list(), &owner)?,
                instance_profiles: role
                    .instance_profile_list()
                    .iter()
                    .map(|profile| profile.arn().to_string())
                    .collect(),
                name,
            });
        }
        for policy in page.policies() {
            let arn = text(policy.arn());
            let default_version = policy
                .policy_version_list()
                .iter()
                .find(|version| version.is_default_version())
                .ok_or_else(|| {
                    DataError::CollectionFailed(format!(
                        "{action}: policy {arn} has no default version"
                    ))
                })?;
            let document =
                decode_document(default_version.document().unwrap_or("{}")).map_err(|reason| {
                    DataError::CollectionFailed(format!("{action}: policy {arn}: {reason}"))
                })?;
            details.policies.push(ManagedPolicy {
                name: policy_name(policy.policy_name(), &arn),
                aws_managed: arn.contains(":iam::aws:policy/"),
                arn,
                path: text(policy.path()),
                attachment_count: non_negative(policy.attachment_count()).unwrap_or(0),
                default_version_id: text(default_version.version_id()),
                document,
            });
        }
    }
    Ok(details)
}

pub async fn virtual_mfa_devices(context: &Context<'_>) -> Outcome<Vec<VirtualMfaDevice>> {
    let client: Client = context.global_client();
    let devices: Result<Vec<_>, _> = client
        .list_virtual_mfa_devices()
        .into_paginator()
        .items()
        .send()
        .collect()
        .await;
    let devices = devices.map_err(|error| data_error("iam:ListVirtualMFADevices", error))?;
    Ok(devices
        .iter()
        .map(|device| VirtualMfaDevice {
            serial_number: device.serial_number().to_string(),
            user_arn: device.user().map(|user| user.arn().to_string()),
            enable_date: device.enable_date().map(timestamp),
        })
        .collect())
}

pub async fn server_certificates(context: &Context<'_>) -> Outcome<Vec<ServerCertificate>> {
    let client: Client = context.global_client();
    let certificates: Result<Vec<_>, _> = client
        .list_server_certificates()
        .into_paginator()
        .items()
        .send()
        .collect()
        .await;
    let certificates =
        certificates.map_err(|error| data_error("iam:ListServerCertificates", error))?;
    Ok(certificates
        .iter()
        .map(|meta| ServerCertificate {
            name: meta.server_certificate_name().to_string(),
            arn: meta.arn().to_string(),
            id: meta.server_certificate_id().to_string(),
            path: meta.path().to_string(),
            upload_date: meta.upload_date().map(timestamp),
            expiration: meta.expiration().map(timestamp),
        })
        .collect())
}

/// Some endpoints (moto) leave a managed policy's name out; its ARN ends
/// with it.
fn policy_name(name: Option<&str>, arn: &str) -> String {
    match name.filter(|name| !name.is_empty()) {
        Some(name) => name.to_string(),
        None => arn.rsplit('/').next().unwrap_or_default().to_string(),
    }
}

/// Inline policies of `owner` (e.g. "user alice"), documents decoded.
fn inline_policies(
    policies: &[aws_sdk_iam::types::PolicyDetail],
    owner: &str,
) -> Outcome<Vec<InlinePolicy>> {
    policies
        .iter()
        .map(|policy| {
            let name = text(policy.policy_name());
            let document =
                decode_document(policy.policy_document().unwrap_or("{}")).map_err(|reason| {
                    DataError::CollectionFailed(format!(
                        "{AUTHORIZATION_DETAILS}: inline policy {name} of {owner}: {reason}"
                    ))
                })?;
            Ok(InlinePolicy { name, document })
        })
        .collect()
}

pub async fn saml_providers(context: &Context<'_>) -> Outcome<Vec<SamlProvider>> {
    let client: Client = context.global_client();
    let output = client
        .list_saml_providers()
        .send()
        .await
        .map_err(|error| data_error("iam:ListSAMLProviders", error))?;
    Ok(output
        .saml_provider_list()
        .iter()
        .map(|provider| SamlProvider {
            arn: text(provider.arn()),
            create_date: provider.create_date().map(timestamp),
            valid_until: provider.valid_until().map(timestamp),
        })
        .collect())
}

pub async fn oidc_providers(context: &Context<'_>) -> Outcome<Vec<OidcProvider>> {
    let client: Client = context.global_client();
    let output = client
        .list_open_id_connect_providers()
        .send()
        .await
        .map_err(|error| data_error("iam:ListOpenIDConnectProviders", error))?;
    Ok(output
        .open_id_connect_provider_list()
        .iter()
        .map(|provider| {
            let arn = text(provider.arn());
            OidcProvider {
                url: oidc_url(&arn),
                arn,
            }
        })
        .collect())
}

/// `arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com`
/// names its issuer after `oidc-provider/`.
fn oidc_url(arn: &str) -> String {
    arn.split_once(":oidc-provider/")
        .map(|(_, url)| url.to_string())
        .unwrap_or_default()
}

pub async fn organizations_features(context: &Context<'_>) -> Outcome<Vec<String>> {
    let client: Client = context.global_client();
    let output = client
        .list_organizations_features()
        .send()
        .await
        .map_err(|error| data_error("iam:ListOrganizationsFeatures", error))?;
    Ok(output
        .enabled_features()
        .iter()
        .map(|feature| feature.as_str().to_string())
        .collect())
}

fn attached(policies: &[aws_sdk_iam::types::AttachedPolicy]) -> Vec<AttachedPolicy> {
    policies
        .iter()
        .map(|policy| {
            let arn = text(policy.policy_arn());
            AttachedPolicy {
                name: policy_name(policy.policy_name(), &arn),
                arn,
            }
        })
        .collect()
}

/// IAM returns policy documents URL-encoded (RFC 3986) and the Rust SDK
/// passes them through as is; checks get plain JSON. A document that is
/// already JSON (some emulators) is returned unchanged.
pub fn decode_document(document: &str) -> Result<String, String> {
    if document.trim_start().starts_with('{') {
        return Ok(document.to_string());
    }
    percent_encoding::percent_decode_str(document)
        .decode_utf8()
        .map(|decoded| decoded.into_owned())
        .map_err(|error| format!("policy document is not UTF-8 after percent-decoding: {error}"))
}

fn non_negative(value: Option<i32>) -> Option<u32> {
    value.and_then(|number| u32::try_from(number).ok())
}

#[cfg(test)]
mod tests {
    use super::{decode_document, oidc_url, policy_name};

    #[test]
    fn a_missing_policy_name_is_read_from_the_arn() {
        let arn = "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess";
        assert_eq!(policy_name(None, arn), "ViewOnlyAccess");
        assert_eq!(policy_name(Some(""), arn), "ViewOnlyAccess");
        assert_eq!(policy_name(Some("Named"), arn), "Named");
    }

    #[test]
    fn oidc_issuer_comes_from_the_arn() {
        assert_eq!(
            oidc_url("arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"),
            "token.actions.githubusercontent.com"
        );
        assert_eq!(oidc_url("arn:aws:iam::1:user/x"), "");
    }

    #[test]
    fn url_encoded_documents_are_decoded_and_json_is_kept() {
        let encoded = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D";
        assert_eq!(
            decode_document(encoded).unwrap(),
            r#"{"Version":"2012-10-17","Statement":[]}"#
        );
        let plain = r#"{"Statement":[{"Resource":"arn:aws:s3:::a%20b"}]}"#;
        assert_eq!(decode_document(plain).unwrap(), plain);
    }
}
