//! Every CloudTrail trail encrypts its log files with a KMS key (SSE-KMS).

use plumbline_guest::prelude::*;
use plumbline_guest::trail_logging;

struct CloudtrailKmsEncryption;

impl Check for CloudtrailKmsEncryption {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::CLOUDTRAIL_KMS_ENCRYPTION,
            severity: Severity::Medium,
            description: "Checks every CloudTrail trail of the account (in its home region): it \
                          passes when the trail encrypts its log files with a KMS key (KmsKeyId \
                          set), naming the key, and fails when the files only get the bucket's \
                          default encryption. Decisions: the key's own settings (rotation, \
                          policy) are other controls' concern; an organization trail is judged \
                          like the account's own. An account without trails is not applicable \
                          (cloudtrail-multi-region fails it).",
            rationale: "With SSE-KMS, reading the logs needs kms:Decrypt on the key as well as \
                        read access to the bucket, so a bucket misconfiguration alone does not \
                        expose them, and every decryption is itself logged.",
            remediation: "Create a customer managed key whose policy lets CloudTrail encrypt \
                          (cloudtrail.amazonaws.com, kms:GenerateDataKey*) and the log readers \
                          decrypt. Console: CloudTrail > Trails > the trail > General details > \
                          Edit > Log file SSE-KMS encryption > Enabled > the key > Save changes. \
                          CLI: `aws cloudtrail update-trail --name <trail> --kms-key-id \
                          <key-arn>`.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        trail_logging::for_each_trail(|trail| {
            let name = trail_logging::describe(trail);
            match &trail.kms_key_id {
                Some(key) => Finding::pass(
                    &trail.arn,
                    &trail.home_region,
                    format!("{name}: log files are encrypted with KMS key {key}"),
                ),
                None => Finding::fail(
                    &trail.arn,
                    &trail.home_region,
                    format!("{name}: log files are not encrypted with a KMS key (SSE-KMS)"),
                ),
            }
        })
    }
}

plumbline_guest::export_check!(CloudtrailKmsEncryption);
