//! AWS Account Management: the primary and alternate contacts.

use aws_sdk_account::Client;
use aws_sdk_account::types::AlternateContactType;

use super::AlternateContacts;
use crate::bindings::account::{Contact, PrimaryContact};
use crate::collect::errors::data_error;
use crate::collect::{Context, text};
use crate::registry::Outcome;

/// Each contact type is its own call, so each may fail alone.
pub async fn alternate_contacts(context: &Context<'_>) -> Outcome<AlternateContacts> {
    let client = &context.global_client::<Client>();
    let (billing, operations, security) = tokio::join!(
        alternate_contact(client, AlternateContactType::Billing),
        alternate_contact(client, AlternateContactType::Operations),
        alternate_contact(client, AlternateContactType::Security),
    );
    Ok(AlternateContacts {
        billing,
        operations,
        security,
    })
}

async fn alternate_contact(
    client: &Client,
    contact_type: AlternateContactType,
) -> Outcome<Option<Contact>> {
    match client
        .get_alternate_contact()
        .alternate_contact_type(contact_type)
        .send()
        .await
    {
        Ok(output) => Ok(output.alternate_contact().map(|contact| Contact {
            name: text(contact.name()),
            title: text(contact.title()),
            email_address: text(contact.email_address()),
            phone_number: text(contact.phone_number()),
        })),
        // The API's way of saying "none registered".
        Err(error)
            if error
                .as_service_error()
                .is_some_and(|service| service.is_resource_not_found_exception()) =>
        {
            Ok(None)
        }
        Err(error) => Err(data_error("account:GetAlternateContact", error)),
    }
}

pub async fn contact_information(context: &Context<'_>) -> Outcome<Option<PrimaryContact>> {
    let client: Client = context.global_client();
    match client.get_contact_information().send().await {
        Ok(output) => Ok(output.contact_information().map(|contact| PrimaryContact {
            full_name: contact.full_name().to_string(),
            company_name: contact.company_name().map(str::to_string),
            address_line1: contact.address_line1().to_string(),
            city: contact.city().to_string(),
            state_or_region: contact.state_or_region().map(str::to_string),
            postal_code: contact.postal_code().to_string(),
            country_code: contact.country_code().to_string(),
            phone_number: contact.phone_number().to_string(),
            website_url: contact.website_url().map(str::to_string),
        })),
        Err(error)
            if error
                .as_service_error()
                .is_some_and(|service| service.is_resource_not_found_exception()) =>
        {
            Ok(None)
        }
        Err(error) => Err(data_error("account:GetContactInformation", error)),
    }
}
