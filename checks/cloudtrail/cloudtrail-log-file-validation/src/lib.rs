//! Every CloudTrail trail validates its log files.

use plumbline_guest::prelude::*;
use plumbline_guest::trail_logging;

struct CloudtrailLogFileValidation;

impl Check for CloudtrailLogFileValidation {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::CLOUDTRAIL_LOG_FILE_VALIDATION,
            severity: Severity::Medium,
            description: "Checks every CloudTrail trail of the account (in its home region): it \
                          passes when log file integrity validation is enabled \
                          (LogFileValidationEnabled) and fails otherwise. An organization trail \
                          is judged like the account's own. An account without trails is not \
                          applicable (cloudtrail-multi-region fails it).",
            rationale: "With validation, CloudTrail delivers a signed digest file every hour, \
                        so anyone can later prove that a log file was not modified, deleted or \
                        forged after delivery: evidence an attacker cannot quietly rewrite.",
            remediation: "Console: CloudTrail > Trails > the trail > General details > Edit > \
                          Advanced settings > Log file validation > Enabled > Save changes. \
                          CLI: `aws cloudtrail update-trail --name <trail> \
                          --enable-log-file-validation`; check with `aws cloudtrail \
                          validate-logs --trail-arn <arn> --start-time <time>`.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        trail_logging::for_each_trail(|trail| {
            let name = trail_logging::describe(trail);
            let message = if trail.log_file_validation_enabled {
                format!("{name}: log file validation is enabled")
            } else {
                format!("{name}: log file validation is not enabled")
            };
            Finding::verdict(
                trail.log_file_validation_enabled,
                &trail.arn,
                &trail.home_region,
                message,
            )
        })
    }
}

plumbline_guest::export_check!(CloudtrailLogFileValidation);
