//! IAM users are managed centrally through identity federation or AWS
//! Organizations. Manual: the APIs show which identity providers exist and
//! how many IAM users still sign in with a password, not whether people
//! actually sign in through the provider.

use plumbline_guest::bindings::plumbline::check::iam::SamlProvider;
use plumbline_guest::brief_list;
use plumbline_guest::prelude::*;

struct CentralizedUserManagement;

/// Names shown per list in the one-line message.
const SHOWN: usize = 5;

/// IAM Identity Center creates one role per permission set under this path.
const IDENTITY_CENTER_ROLE_PATH: &str = "/aws-reserved/sso.amazonaws.com/";

impl Check for CentralizedUserManagement {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::IAM_CENTRALIZED_USER_MANAGEMENT,
            severity: Severity::Medium,
            description: "Gathers the evidence for a review of how people get into the account: \
                          the SAML and OpenID Connect identity providers, the IAM Identity \
                          Center roles, and the IAM users that still have a console password. \
                          Whether the identity provider is the way people actually sign in is \
                          for the auditor to confirm.",
            rationale: "Identities kept in one directory are created, reviewed and removed in \
                        one place, with one MFA and password policy. Local IAM users in many \
                        accounts are missed when people leave and accumulate long-lived \
                        credentials.",
            remediation: "Connect the corporate directory through IAM Identity Center (or a SAML \
                          provider in each account), give people permission sets or federated \
                          roles instead of IAM users, then remove the console passwords and \
                          users that federation replaces. With several accounts, manage access \
                          from the AWS Organizations management or delegated administrator \
                          account.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        let now = scan::now();
        let saml: Vec<String> = iam::saml_providers()?
            .iter()
            .map(|provider| describe_saml(provider, now))
            .collect();
        let oidc: Vec<String> = iam::oidc_providers()?
            .into_iter()
            .map(|provider| provider.url)
            .collect();
        let identity_center_roles = iam::roles()?
            .iter()
            .filter(|role| role.path.starts_with(IDENTITY_CENTER_ROLE_PATH))
            .count();
        let report = iam::credential_report()?;
        let console_users: Vec<&str> = account::iam_users(&report)
            .filter(|row| row.password_enabled == Some(true))
            .map(|row| row.user.as_str())
            .collect();
        let message = format!(
            "{}; {}; IAM Identity Center roles: {identity_center_roles}; {}. Confirm that people \
             sign in through the identity provider or IAM Identity Center, that the remaining \
             IAM users are documented exceptions, and that with several accounts access is \
             managed from AWS Organizations",
            listed("SAML providers", &saml),
            listed("OIDC providers", &oidc),
            listed("IAM users with a console password", &console_users),
        );
        Ok(vec![Finding::manual(
            account::account_resource(),
            GLOBAL_REGION,
            message,
        )])
    }
}

fn describe_saml(provider: &SamlProvider, now: i64) -> String {
    let name = provider
        .arn
        .rsplit_once(":saml-provider/")
        .map_or(provider.arn.as_str(), |(_, name)| name);
    match provider.valid_until {
        Some(until) if until < now => format!("{name} (metadata expired {})", time::date(until)),
        Some(until) => format!("{name} (valid until {})", time::date(until)),
        None => name.to_string(),
    }
}

fn listed<S: AsRef<str>>(label: &str, names: &[S]) -> String {
    if names.is_empty() {
        format!("{label}: none")
    } else {
        format!("{label}: {} ({})", names.len(), brief_list(names, SHOWN))
    }
}

plumbline_guest::export_check!(CentralizedUserManagement);
