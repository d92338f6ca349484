//! Every EFS file system is encrypted at rest.

use plumbline_guest::bindings::plumbline::check::efs::FileSystem;
use plumbline_guest::efs;
use plumbline_guest::prelude::*;

struct EfsEncryptionAtRest;

impl Check for EfsEncryptionAtRest {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::EFS_ENCRYPTION,
            severity: Severity::Medium,
            description: "Checks every EFS file system in every region in scope: it passes when \
                          it is encrypted at rest (Encrypted), naming the KMS key, and fails \
                          otherwise. A region without file systems is not applicable.",
            rationale: "Encryption at rest protects the file system's data and metadata on \
                        the underlying storage; it can only be chosen when the file system is \
                        created.",
            remediation: "Encryption cannot be turned on for an existing file system: create an \
                          encrypted one (EFS > Create file system > Customize > Enable \
                          encryption of data at rest, or `aws efs create-file-system \
                          --encrypted --kms-key-id <key> --region <region>`), copy the data \
                          across (AWS DataSync), move clients to it and delete the old one.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        Ok(regional::for_each_resource(
            efs::file_systems,
            judge,
            "EFS file systems",
            |region| regional::region_resource("elasticfilesystem", region, "file-system"),
        ))
    }
}

fn judge(region: &str, file_system: &FileSystem) -> Finding {
    // An empty Name tag names nothing.
    let name = match file_system.name.as_deref().filter(|name| !name.is_empty()) {
        Some(name) => format!("EFS file system {} ({name})", file_system.id),
        None => format!("EFS file system {}", file_system.id),
    };
    let message = match (file_system.encrypted, &file_system.kms_key_id) {
        (true, Some(key)) => format!("{name} is encrypted at rest with {key}"),
        (true, None) => format!("{name} is encrypted at rest"),
        (false, _) => format!("{name} is not encrypted at rest"),
    };
    Finding::verdict(file_system.encrypted, &file_system.arn, region, message)
}

plumbline_guest::export_check!(EfsEncryptionAtRest);
