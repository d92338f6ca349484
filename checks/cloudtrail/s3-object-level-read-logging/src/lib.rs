//! A multi-region trail records S3 object-level read events for every
//! bucket.

use plumbline_guest::prelude::*;
use plumbline_guest::trail_logging::{self, ObjectAccess};

struct S3ObjectLevelReadLogging;

impl Check for S3ObjectLevelReadLogging {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::S3_OBJECT_LEVEL_READ_LOGGING,
            severity: Severity::Medium,
            description: "Checks the account's CloudTrail trails for one that is multi-region, \
                          logging, and records S3 object-level read data events for every \
                          bucket (GetEventSelectors): a classic selector with ReadWriteType \
                          ReadOnly or All and data resource AWS::S3::Object with the value \
                          arn:aws:s3 or arn:aws:s3:::, or an advanced selector on eventCategory \
                          Data and resources.type AWS::S3::Object whose readOnly condition (if \
                          any) admits true and that names no particular bucket. Decisions: CIS \
                          audits this \"for all S3 buckets\", so the verdict is the account's: \
                          each qualifying trail is a pass (in its home region), and when none \
                          qualifies one fail on the account names what each trail lacks; \
                          selectors covering some buckets only, or single-region trails, do \
                          not count. A trail that cannot be read is an error unless another \
                          qualifies.",
            rationale: "Object-level read events (GetObject, ...) show who read which data, \
                        which management events alone do not: needed to tell what a leak \
                        exposed and to whom.",
            remediation: "Console: CloudTrail > Trails > the multi-region trail > Data events > \
                          Edit > Add data event type S3 > Log selector template 'Log readOnly \
                          events' (or all events) for all current and future buckets > Save. \
                          CLI: `aws cloudtrail put-event-selectors --trail-name <trail> \
                          --event-selectors '[{\"ReadWriteType\": \"ReadOnly\", \
                          \"IncludeManagementEvents\": true, \"DataResources\": [{\"Type\": \
                          \"AWS::S3::Object\", \"Values\": [\"arn:aws:s3\"]}]}]'` (keep the \
                          management events setting the trail already has; `All` records \
                          reads and writes).",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        trail_logging::judge_s3_object_logging(ObjectAccess::Read)
    }
}

plumbline_guest::export_check!(S3ObjectLevelReadLogging);
