//! AWS KMS, per region: the keys with their metadata and aliases, and
//! whether automatic rotation is on for the keys it applies to.

mod collect;

use crate::bindings::kms::KmsKey;
use crate::registry::{DataSet, ForKey, PerKey, Regional, Scope, Service};

const INTERFACE: &str = "kms";

pub static SERVICE: Service = Service {
    interface: INTERFACE,
    data_sets: &[&KEYS, &KEY_ROTATION],
};

pub static KEYS: DataSet<Regional<Vec<KmsKey>>> = DataSet {
    interface: INTERFACE,
    name: "keys",
    description: "the KMS keys",
    scope: Scope::Regional,
    actions: &["kms:ListKeys", "kms:DescribeKey", "kms:ListAliases"],
    depends_on: &[],
    collect: |context| Box::pin(collect::keys(context)),
    answers: &[&ForKey("keys")],
};

/// Read only for the keys rotation applies to; every other listed key is
/// answered `not-available` with the reason, without a call.
pub static KEY_ROTATION: DataSet<PerKey<bool>> = DataSet {
    interface: INTERFACE,
    name: "key_rotation",
    description: "the KMS keys' automatic rotation",
    scope: Scope::PerResource { key: "key" },
    actions: &["kms:GetKeyRotationStatus"],
    depends_on: &[&KEYS],
    collect: |context| Box::pin(collect::key_rotation(context)),
    answers: &[&ForKey("rotation-enabled")],
};
