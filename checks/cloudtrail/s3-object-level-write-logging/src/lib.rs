//! A multi-region trail records S3 object-level write events for every
//! bucket.

use plumbline_guest::prelude::*;
use plumbline_guest::trail_logging::{self, ObjectAccess};

struct S3ObjectLevelWriteLogging;

impl Check for S3ObjectLevelWriteLogging {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::S3_OBJECT_LEVEL_WRITE_LOGGING,
            severity: Severity::Medium,
            description: "Checks the account's CloudTrail trails for one that is multi-region, \
                          logging, and records S3 object-level write data events for every \
                          bucket (GetEventSelectors): a classic selector with ReadWriteType \
                          WriteOnly or All and data resource AWS::S3::Object with the value \
                          arn:aws:s3 or arn:aws:s3:::, or an advanced selector on eventCategory \
                          Data and resources.type AWS::S3::Object whose readOnly condition (if \
                          any) admits false and that names no particular bucket. Decisions: CIS \
                          audits this \"for all S3 buckets\", so the verdict is the account's: \
                          each qualifying trail is a pass (in its home region), and when none \
                          qualifies one fail on the account names what each trail lacks; \
                          selectors covering some buckets only, or single-region trails, do \
                          not count. A trail that cannot be read is an error unless another \
                          qualifies.",
            rationale: "Object-level events (PutObject, DeleteObject, ...) show who changed \
                        or deleted which data, which management events alone do not: needed \
                        to investigate a leak or a destructive attack on S3 data.",
            remediation: "Console: CloudTrail > Trails > the multi-region trail > Data events > \
                          Edit > Add data event type S3 > Log selector template 'Log writeOnly \
                          events' (or all events) for all current and future buckets > Save. \
                          CLI: `aws cloudtrail put-event-selectors --trail-name <trail> \
                          --event-selectors '[{\"ReadWriteType\": \"WriteOnly\", \
                          \"IncludeManagementEvents\": true, \"DataResources\": [{\"Type\": \
                          \"AWS::S3::Object\", \"Values\": [\"arn:aws:s3\"]}]}]'` (keep the \
                          management events setting the trail already has).",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        trail_logging::judge_s3_object_logging(ObjectAccess::Write)
    }
}

plumbline_guest::export_check!(S3ObjectLevelWriteLogging);
