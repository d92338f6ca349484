//! At least one multi-region CloudTrail trail is logging and records every
//! management event, read and write.

use plumbline_guest::prelude::*;
use plumbline_guest::trail_logging;
use plumbline_guest::trails::{self, RecordingTrails};

struct CloudtrailMultiRegion;

impl Check for CloudtrailMultiRegion {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::CLOUDTRAIL_MULTI_REGION,
            severity: Severity::High,
            description: "Checks the account's CloudTrail trails for one that is multi-region, \
                          is logging (GetTrailStatus IsLogging) and records every management \
                          event, read and write (GetEventSelectors: a classic selector with \
                          IncludeManagementEvents and ReadWriteType All excluding no event \
                          source, or an advanced selector on eventCategory Management with no \
                          other condition). An organization trail counts like the account's \
                          own. Decisions: the control asks for one such trail, so the verdict \
                          is the account's: each qualifying trail is a pass (in its home \
                          region), and when none qualifies one fail on the account names what \
                          each multi-region trail lacks; other trails get no finding. No trail \
                          at all fails. A trail whose status or selectors cannot be read is an \
                          error. CIS marks the recommendation Manual from v5.0.0; the APIs \
                          answer it, so every version gets pass or fail.",
            rationale: "CloudTrail records the API activity of the account, the record every \
                        investigation starts from. A multi-region trail also covers regions \
                        nobody uses, where an attacker would otherwise act unrecorded, and \
                        global service events; without read events, reconnaissance goes \
                        unseen.",
            remediation: "Console: CloudTrail > Trails > Create trail (or the trail > Edit): \
                          apply to all regions (trails created in the console are \
                          multi-region), Management events with Read and Write, no excluded \
                          event source; start logging. CLI: `aws cloudtrail create-trail --name \
                          <trail> --s3-bucket-name <bucket> --is-multi-region-trail`, `aws \
                          cloudtrail update-trail --name <trail> --is-multi-region-trail`, `aws \
                          cloudtrail put-event-selectors --trail-name <trail> \
                          --event-selectors '[{\"ReadWriteType\": \"All\", \
                          \"IncludeManagementEvents\": true}]'`, `aws cloudtrail start-logging \
                          --name <trail>`.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        Ok(match trails::recording_trails()? {
            RecordingTrails::Found(found) => found
                .iter()
                .map(|trail| {
                    Finding::pass(
                        &trail.arn,
                        &trail.home_region,
                        format!(
                            "{} is multi-region, logging, and records all management events (read and write)",
                            trail_logging::describe(trail)
                        ),
                    )
                })
                .collect(),
            RecordingTrails::Missing(why) => {
                vec![Finding::fail(account::account_resource(), GLOBAL_REGION, why)]
            }
        })
    }
}

plumbline_guest::export_check!(CloudtrailMultiRegion);
