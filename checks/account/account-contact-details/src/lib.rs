//! The account's contact details are current. Manual: the Account
//! Management API shows what is on record; whether it is current is for the
//! auditor to confirm.

use plumbline_guest::account::{AlternateContactType, Contact, PrimaryContact};
use plumbline_guest::prelude::*;

struct ContactDetails;

impl Check for ContactDetails {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::ACCOUNT_CONTACT_DETAILS,
            severity: Severity::Low,
            description: "Reports the account's primary contact and its billing, operations and \
                          security alternate contacts as the Account Management API returns \
                          them, for the auditor to confirm they are current. Messages show \
                          names and what is on record, not email addresses or phone numbers.",
            rationale: "AWS sends abuse reports, security notices and billing warnings to these \
                        contacts, and may restrict an account whose owners do not respond. \
                        Stale contacts mean those messages reach nobody.",
            remediation: "Review and update the contacts (Account > Contact information and \
                          Alternate contacts, or `aws account put-contact-information` and \
                          `aws account put-alternate-contact`). Use shared mailboxes and phone \
                          lines owned by a team rather than one person.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        let primary = account::contact_information()?;
        let mut alternates = Vec::new();
        for (label, kind) in [
            ("billing", AlternateContactType::Billing),
            ("operations", AlternateContactType::Operations),
            ("security", AlternateContactType::Security),
        ] {
            alternates.push(describe_alternate(
                label,
                account::alternate_contact(kind)?.as_ref(),
            ));
        }
        let message = format!(
            "primary contact: {}; alternate contacts: {}. Confirm with the account's owners \
             that each is current and reaches people who act on AWS notices",
            primary
                .as_ref()
                .map_or_else(|| "none on record".to_string(), describe_primary),
            alternates.join("; ")
        );
        Ok(vec![Finding::manual(
            account::account_resource(),
            GLOBAL_REGION,
            message,
        )])
    }
}

fn describe_primary(contact: &PrimaryContact) -> String {
    let mut parts = vec![contact.full_name.clone()];
    parts.extend(contact.company_name.clone());
    parts.push(format!("{}, {}", contact.city, contact.country_code));
    parts.push(
        if contact.phone_number.trim().is_empty() {
            "no phone"
        } else {
            "phone on record"
        }
        .to_string(),
    );
    parts.extend(contact.website_url.clone());
    parts.join(", ")
}

fn describe_alternate(label: &str, contact: Option<&Contact>) -> String {
    match contact {
        Some(contact) => format!("{label} {}", contacts::describe(contact)),
        None => format!("{label} none"),
    }
}

plumbline_guest::export_check!(ContactDetails);
