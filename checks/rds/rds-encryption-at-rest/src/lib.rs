//! Every RDS DB instance is encrypted at rest.

use plumbline_guest::prelude::*;
use plumbline_guest::rds::{self, DbInstance};

struct RdsEncryptionAtRest;

impl Check for RdsEncryptionAtRest {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::RDS_ENCRYPTION_AT_REST,
            severity: Severity::High,
            description: "Checks every RDS DB instance in every region in scope: it passes when \
                          its storage is encrypted (StorageEncrypted), naming the KMS key, and \
                          fails otherwise. An Aurora instance reports its cluster's encryption. \
                          A region without DB instances is not applicable.",
            rationale: "Encryption at rest protects the database's storage, automated backups, \
                        read replicas and snapshots from anyone who reaches the underlying \
                        storage outside the database engine.",
            remediation: "Encryption cannot be turned on for an existing instance: take a \
                          snapshot, copy it with encryption (`aws rds copy-db-snapshot \
                          --source-db-snapshot-identifier <snapshot> \
                          --target-db-snapshot-identifier <snapshot>-encrypted --kms-key-id \
                          <key>`), restore the copy (`aws rds restore-db-instance-from-db-snapshot \
                          ...`) and move clients to it. Console: RDS > Snapshots > Actions > Copy \
                          snapshot > Enable encryption, then Restore snapshot.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        Ok(rds::for_each_db_instance(judge))
    }
}

fn judge(region: &str, instance: &DbInstance) -> Finding {
    let message = match (&instance.storage_encrypted, &instance.kms_key_id) {
        (true, Some(key)) => format!(
            "{} is encrypted at rest with {key}",
            rds::describe(instance)
        ),
        (true, None) => format!("{} is encrypted at rest", rds::describe(instance)),
        (false, _) => format!("{} is not encrypted at rest", rds::describe(instance)),
    };
    Finding::verdict(instance.storage_encrypted, &instance.arn, region, message)
}

plumbline_guest::export_check!(RdsEncryptionAtRest);
