//! The account's alternate contacts in findings. Reports are shared widely,
//! so a message carries the contact's name and what is on record (the email
//! domain, whether a phone number is set), not the address or number itself.

use crate::account::Contact;

/// Whether AWS can reach the contact: both an email address and a phone
/// number are on record.
pub fn is_reachable(contact: &Contact) -> bool {
    !contact.email_address.trim().is_empty() && !contact.phone_number.trim().is_empty()
}

/// e.g. `Security Team (email at example.com, phone on record)`.
pub fn describe(contact: &Contact) -> String {
    let name = match contact.name.trim() {
        "" => "unnamed contact",
        name => name,
    };
    let email = match contact.email_address.trim().rsplit_once('@') {
        Some((_, domain)) if !domain.is_empty() => format!("email at {domain}"),
        _ if contact.email_address.trim().is_empty() => "no email".to_string(),
        _ => "an email address without a domain".to_string(),
    };
    let phone = if contact.phone_number.trim().is_empty() {
        "no phone"
    } else {
        "phone on record"
    };
    format!("{name} ({email}, {phone})")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(name: &str, email: &str, phone: &str) -> Contact {
        Contact {
            name: name.into(),
            title: "CISO".into(),
            email_address: email.into(),
            phone_number: phone.into(),
        }
    }

    #[test]
    fn reachable_needs_email_and_phone() {
        assert!(is_reachable(&contact(
            "Sec",
            "sec@example.com",
            "+1 555 0100"
        )));
        assert!(!is_reachable(&contact("Sec", "sec@example.com", " ")));
        assert!(!is_reachable(&contact("Sec", "", "+1 555 0100")));
    }

    #[test]
    fn descriptions_show_the_domain_not_the_address() {
        assert_eq!(
            describe(&contact("Sec Team", "soc@example.com", "+1 555 0100")),
            "Sec Team (email at example.com, phone on record)"
        );
        assert_eq!(
            describe(&contact("", "", "")),
            "unnamed contact (no email, no phone)"
        );
        assert_eq!(
            describe(&contact("Ops", "ops", "1")),
            "Ops (an email address without a domain, phone on record)"
        );
    }
}
