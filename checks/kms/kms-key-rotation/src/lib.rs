//! Every enabled, customer-managed, symmetric KMS key rotates its key
//! material automatically.

use plumbline_guest::kms::{self, KmsKey};
use plumbline_guest::prelude::*;

struct KmsKeyRotation;

impl Check for KmsKeyRotation {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::KMS_KEY_ROTATION,
            severity: Severity::Medium,
            description: "Checks, in every region in scope, each KMS key that is customer \
                          managed, Enabled and symmetric (key spec SYMMETRIC_DEFAULT), the keys \
                          CIS asks about: it passes when automatic key rotation is on \
                          (GetKeyRotationStatus) and fails when it is off. Decisions: AWS \
                          managed keys (rotated by AWS), disabled or pending-deletion keys, and \
                          asymmetric or HMAC keys (which cannot rotate automatically) are not \
                          judged and get no finding; a customer symmetric key whose material is \
                          imported or held in a custom key store (origin other than AWS_KMS) \
                          cannot rotate automatically either, so it is not applicable, named so \
                          its owner rotates it by hand. A region without any key to judge is \
                          one not-applicable finding naming the region.",
            rationale: "Rotating key material limits how much data one key version protects \
                        and how long a compromised version stays useful. Automatic rotation \
                        keeps old versions for decryption, so it needs no change from the \
                        key's users.",
            remediation: "Console: KMS > Customer managed keys > the key > Key rotation > \
                          check 'Automatically rotate this KMS key every year' (or set a \
                          rotation period) > Save. CLI: `aws kms enable-key-rotation --key-id \
                          <key-arn> --region <region>`.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        Ok(regional::for_each_region(
            kms::keys,
            |region, keys| judge_region(region, &keys),
            region_resource,
        ))
    }
}

fn region_resource(region: &str) -> String {
    regional::region_resource("kms", region, "key")
}

fn judge_region(region: &str, keys: &[KmsKey]) -> Vec<Finding> {
    let judged: Vec<&KmsKey> = keys
        .iter()
        .filter(|key| is_rotation_candidate(key))
        .collect();
    if judged.is_empty() {
        let skipped = keys.len();
        return vec![Finding::not_applicable(
            region_resource(region),
            region,
            format!(
                "no enabled customer-managed symmetric KMS keys in {region} ({skipped} other key(s) not judged)"
            ),
        )];
    }
    judged
        .into_iter()
        .map(|key| judge_key(region, key))
        .collect()
}

/// The keys CIS judges: customer managed, enabled, symmetric encryption keys.
fn is_rotation_candidate(key: &KmsKey) -> bool {
    key.key_manager == "CUSTOMER"
        && key.key_state == "Enabled"
        && key.key_spec == "SYMMETRIC_DEFAULT"
}

fn judge_key(region: &str, key: &KmsKey) -> Finding {
    let name = describe(key);
    if key.origin != "AWS_KMS" {
        return Finding::not_applicable(
            &key.arn,
            region,
            format!(
                "{name}: key material origin {} cannot rotate automatically; rotate it manually",
                key.origin
            ),
        );
    }
    match kms::rotation_enabled(&key.arn) {
        Ok(true) => Finding::pass(
            &key.arn,
            region,
            format!("{name}: automatic rotation is enabled"),
        ),
        Ok(false) => Finding::fail(
            &key.arn,
            region,
            format!("{name}: automatic rotation is not enabled"),
        ),
        Err(error) => Finding::error(&key.arn, region, format!("{name}: {}", error.describe())),
    }
}

/// `KMS key 1234abcd-... (alias/app)`: the id, and the aliases people know it by.
fn describe(key: &KmsKey) -> String {
    if key.aliases.is_empty() {
        format!("KMS key {}", key.id)
    } else {
        format!("KMS key {} ({})", key.id, key.aliases.join(", "))
    }
}

plumbline_guest::export_check!(KmsKeyRotation);
