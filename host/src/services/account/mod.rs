//! AWS Account Management: the primary and alternate contacts. Global.

mod collect;

use serde::{Deserialize, Serialize};

use crate::bindings::account::{AlternateContactType, Contact, PrimaryContact};
use crate::registry::{DataSet, Lookup, Outcome, Scope, Service, Whole};

const INTERFACE: &str = "account";

pub static SERVICE: Service = Service {
    interface: INTERFACE,
    data_sets: &[&ALTERNATE_CONTACTS, &CONTACT_INFORMATION],
};

/// `account:GetAlternateContact` for each type; each may be denied alone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlternateContacts {
    pub billing: Outcome<Option<Contact>>,
    pub operations: Outcome<Option<Contact>>,
    pub security: Outcome<Option<Contact>>,
}

pub static ALTERNATE_CONTACTS: DataSet<AlternateContacts> = DataSet {
    interface: INTERFACE,
    name: "alternate_contacts",
    description: "the account's alternate contacts",
    scope: Scope::Account,
    actions: &["account:GetAlternateContact"],
    depends_on: &[],
    collect: |context| Box::pin(collect::alternate_contacts(context)),
    answers: &[&Lookup {
        function: "alternate-contact",
        find: |contacts: &AlternateContacts, contact_type: AlternateContactType| match contact_type
        {
            AlternateContactType::Billing => contacts.billing.clone(),
            AlternateContactType::Operations => contacts.operations.clone(),
            AlternateContactType::Security => contacts.security.clone(),
        },
    }],
};

pub static CONTACT_INFORMATION: DataSet<Option<PrimaryContact>> = DataSet {
    interface: INTERFACE,
    name: "contact_information",
    description: "the account's primary contact",
    scope: Scope::Account,
    actions: &["account:GetContactInformation"],
    depends_on: &[],
    collect: |context| Box::pin(collect::contact_information(context)),
    answers: &[&Whole("contact-information")],
};
