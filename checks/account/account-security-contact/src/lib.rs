//! Security contact information is registered for the account. CIS marks it
//! Manual, but `account:GetAlternateContact` answers it outright (as AWS
//! Security Hub does), so the check passes or fails.

use plumbline_guest::account::AlternateContactType;
use plumbline_guest::prelude::*;

struct SecurityContact;

impl Check for SecurityContact {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::ACCOUNT_SECURITY_CONTACT,
            severity: Severity::Medium,
            description: "Checks that the account has a security alternate contact with both \
                          an email address and a phone number (Account Management \
                          GetAlternateContact, type SECURITY).",
            rationale: "AWS sends security notifications (compromised credentials, abuse \
                        reports, vulnerable resources) to the security contact. Without one \
                        they go only to the root email address, which often is not watched by \
                        the security team.",
            remediation: "Register a security contact that reaches the security team, \
                          preferably a shared mailbox and an on-call number: Account > Alternate \
                          contacts > Security contact, or `aws account put-alternate-contact \
                          --alternate-contact-type SECURITY --name ... --title ... \
                          --email-address ... --phone-number ...`.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        let resource = account::account_resource();
        let finding = match account::alternate_contact(AlternateContactType::Security)? {
            Some(contact) => Finding::verdict(
                contacts::is_reachable(&contact),
                resource,
                GLOBAL_REGION,
                format!("security contact: {}", contacts::describe(&contact)),
            ),
            None => Finding::fail(resource, GLOBAL_REGION, "no security contact is registered"),
        };
        Ok(vec![finding])
    }
}

plumbline_guest::export_check!(SecurityContact);
