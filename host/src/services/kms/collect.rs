//! KMS: per region ListKeys, ListAliases and one DescribeKey per key (under
//! the scan's per-resource budget); then GetKeyRotationStatus for each key
//! rotation applies to.

use std::collections::HashMap;

use aws_sdk_kms::Client;
use aws_sdk_kms::types::{KeyListEntry, KeyMetadata};

use super::KEYS;
use crate::bindings::kms::KmsKey;
use crate::bindings::types::DataError;
use crate::collect::errors::data_error;
use crate::collect::{Context, text, timestamp};
use crate::registry::{Outcome, PerKey, Regional};

pub async fn keys(context: &Context<'_>) -> Outcome<Regional<Vec<KmsKey>>> {
    context
        .per_region(|region| {
            let client: Client = context.client(&region);
            async move {
                let listed: Vec<KeyListEntry> = client
                    .list_keys()
                    .into_paginator()
                    .items()
                    .send()
                    .collect::<Result<_, _>>()
                    .await
                    .map_err(|error| data_error("kms:ListKeys", error))?;
                let mut aliases = aliases_by_key_id(&client).await?;
                let described = context
                    .each(
                        listed,
                        |key| text(key.key_id()),
                        |key| describe_key(client.clone(), key),
                    )
                    .await;
                // A key deleted between ListKeys and DescribeKey is gone, not
                // an error; any other failure leaves the region unanswered
                // rather than answered without the key.
                described
                    .into_values()
                    .filter_map(Result::transpose)
                    .map(|metadata| {
                        metadata.map(|metadata| {
                            let key_aliases = aliases.remove(metadata.key_id()).unwrap_or_default();
                            kms_key(&metadata, key_aliases)
                        })
                    })
                    .collect()
            }
        })
        .await
}

/// ListAliases once for the region, grouped by the key they point at;
/// aliases of no key (reserved `alias/aws/...` names before their key
/// exists) are dropped.
async fn aliases_by_key_id(client: &Client) -> Outcome<HashMap<String, Vec<String>>> {
    let aliases: Vec<_> = client
        .list_aliases()
        .into_paginator()
        .items()
        .send()
        .collect::<Result<_, _>>()
        .await
        .map_err(|error| data_error("kms:ListAliases", error))?;
    let mut by_key: HashMap<String, Vec<String>> = HashMap::new();
    for alias in &aliases {
        if let (Some(key_id), Some(name)) = (alias.target_key_id(), alias.alias_name()) {
            by_key
                .entry(key_id.to_string())
                .or_default()
                .push(name.to_string());
        }
    }
    Ok(by_key)
}

/// The key's metadata, or none when the key no longer exists.
async fn describe_key(client: Client, key: KeyListEntry) -> Outcome<Option<KeyMetadata>> {
    match client
        .describe_key()
        .key_id(text(key.key_id()))
        .send()
        .await
    {
        Ok(output) => Ok(output.key_metadata().cloned()),
        Err(error)
            if error
                .as_service_error()
                .is_some_and(|service| service.is_not_found_exception()) =>
        {
            Ok(None)
        }
        Err(error) => Err(data_error("kms:DescribeKey", error)),
    }
}

fn kms_key(metadata: &KeyMetadata, mut aliases: Vec<String>) -> KmsKey {
    aliases.sort();
    KmsKey {
        id: metadata.key_id().to_string(),
        arn: text(metadata.arn()),
        key_manager: text(metadata.key_manager().map(|manager| manager.as_str())),
        key_state: text(metadata.key_state().map(|state| state.as_str())),
        key_spec: text(metadata.key_spec().map(|spec| spec.as_str())),
        key_usage: text(metadata.key_usage().map(|usage| usage.as_str())),
        origin: text(metadata.origin().map(|origin| origin.as_str())),
        creation_date: metadata.creation_date().map(timestamp),
        aliases,
    }
}

pub async fn key_rotation(context: &Context<'_>) -> Outcome<PerKey<bool>> {
    let keys_per_region = context.get(&KEYS)?;
    let mut rotation = PerKey::new();
    let mut rotatable = Vec::new();
    for (region, keys) in keys_per_region {
        // A region whose keys could not be listed has no key ARNs to answer
        // for; asking for one finds no entry, a not-available answer.
        for key in keys.iter().flatten() {
            match not_rotatable_because(key) {
                Some(reason) => {
                    rotation.insert(
                        key.arn.clone(),
                        Err(DataError::NotAvailable(format!(
                            "KMS key {}: automatic rotation does not apply ({reason})",
                            key.arn
                        ))),
                    );
                }
                None => rotatable.push((region.clone(), key.id.clone(), key.arn.clone())),
            }
        }
    }
    let statuses = context
        .each(
            rotatable,
            |(_, _, arn)| arn.clone(),
            |(region, id, _)| {
                let client: Client = context.client(&region);
                async move {
                    let output = client
                        .get_key_rotation_status()
                        .key_id(id)
                        .send()
                        .await
                        .map_err(|error| data_error("kms:GetKeyRotationStatus", error))?;
                    Ok(output.key_rotation_enabled())
                }
            },
        )
        .await;
    rotation.extend(statuses);
    Ok(rotation)
}

/// Why automatic rotation does not apply to a key, if it does not: it does
/// for enabled, customer-managed, symmetric encryption keys whose key
/// material KMS generated. AWS rotates its own keys; KMS cannot rotate
/// asymmetric, HMAC or imported key material; a disabled key's status is
/// not what CIS asks about (and KMS refuses the call for a key pending
/// deletion).
fn not_rotatable_because(key: &KmsKey) -> Option<String> {
    let requirements = [
        ("key manager", key.key_manager.as_str(), "CUSTOMER"),
        ("key state", key.key_state.as_str(), "Enabled"),
        ("key spec", key.key_spec.as_str(), "SYMMETRIC_DEFAULT"),
        ("key usage", key.key_usage.as_str(), "ENCRYPT_DECRYPT"),
        ("origin", key.origin.as_str(), "AWS_KMS"),
    ];
    requirements
        .into_iter()
        .find(|(_, actual, required)| actual != required)
        .map(|(field, actual, required)| format!("its {field} is {actual:?}, not {required}"))
}

#[cfg(test)]
mod tests {
    use super::not_rotatable_because;
    use crate::bindings::kms::KmsKey;

    fn key(key_manager: &str, key_spec: &str, key_usage: &str) -> KmsKey {
        KmsKey {
            id: "1234abcd-12ab-34cd-56ef-1234567890ab".into(),
            arn: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
                .into(),
            key_manager: key_manager.into(),
            key_state: "Enabled".into(),
            key_spec: key_spec.into(),
            key_usage: key_usage.into(),
            origin: "AWS_KMS".into(),
            creation_date: None,
            aliases: Vec::new(),
        }
    }

    #[test]
    fn only_customer_symmetric_encryption_keys_are_rotatable() {
        assert_eq!(
            not_rotatable_because(&key("CUSTOMER", "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT")),
            None
        );
        assert_eq!(
            not_rotatable_because(&key("AWS", "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT")).as_deref(),
            Some("its key manager is \"AWS\", not CUSTOMER")
        );
        assert_eq!(
            not_rotatable_because(&key("CUSTOMER", "HMAC_256", "GENERATE_VERIFY_MAC")).as_deref(),
            Some("its key spec is \"HMAC_256\", not SYMMETRIC_DEFAULT")
        );
    }
}
