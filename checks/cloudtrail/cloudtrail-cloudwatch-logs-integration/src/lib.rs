//! Every CloudTrail trail delivers its events to CloudWatch Logs, and did so
//! within the last day.

use plumbline_guest::bindings::plumbline::check::cloudtrail::{self, Trail};
use plumbline_guest::prelude::*;
use plumbline_guest::trail_logging;

/// CIS: the trail's last delivery to CloudWatch Logs is within a day.
const MAX_DELIVERY_AGE_SECONDS: i64 = time::SECONDS_PER_DAY;

struct CloudtrailCloudwatchLogsIntegration;

impl Check for CloudtrailCloudwatchLogsIntegration {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::CLOUDTRAIL_CLOUDWATCH_LOGS_INTEGRATION,
            severity: Severity::Medium,
            description: "Checks every CloudTrail trail of the account (in its home region): it \
                          passes when the trail names a CloudWatch Logs log group \
                          (CloudWatchLogsLogGroupArn) and its status (GetTrailStatus) shows a \
                          delivery there within the 24 hours before the scan's time \
                          (LatestCloudWatchLogsDeliveryTime), as the CIS audit asks; it fails \
                          without a log group, without any delivery, or with an older one. \
                          Decisions: every trail is judged, not only one, as the title says \
                          trails; a status that cannot be read is an error. An account without \
                          trails is not applicable (cloudtrail-multi-region fails it).",
            rationale: "In CloudWatch Logs the events can be searched in real time and feed \
                        the metric filters and alarms of the Monitoring section; a trail \
                        that only writes to S3 gives no timely alerting.",
            remediation: "Console: CloudTrail > Trails > the trail > CloudWatch Logs > Edit > \
                          Enabled, a new or existing log group and an IAM role CloudTrail can \
                          assume to write to it > Save changes. CLI: `aws cloudtrail \
                          update-trail --name <trail> --cloud-watch-logs-log-group-arn \
                          <log-group-arn> --cloud-watch-logs-role-arn <role-arn>`; check the \
                          delivery with `aws cloudtrail get-trail-status --name <trail>`.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        trail_logging::for_each_trail(judge)
    }
}

fn judge(trail: &Trail) -> Finding {
    let name = trail_logging::describe(trail);
    let finding =
        |status, message: String| Finding::new(status, &trail.arn, &trail.home_region, message);
    let Some(log_group) = &trail.cloud_watch_logs_log_group_arn else {
        return finding(
            FindingStatus::Fail,
            format!("{name} does not deliver to CloudWatch Logs (no log group)"),
        );
    };
    let status = match cloudtrail::trail_status(&trail.arn) {
        Ok(status) => status,
        Err(error) => {
            return finding(
                FindingStatus::Error,
                format!("{name}: {}", error.describe()),
            );
        }
    };
    let Some(delivered) = status.latest_cloud_watch_logs_delivery_time else {
        return finding(
            FindingStatus::Fail,
            format!("{name} names log group {log_group} but has never delivered to it"),
        );
    };
    let age = scan::now() - delivered;
    if age <= MAX_DELIVERY_AGE_SECONDS {
        finding(
            FindingStatus::Pass,
            format!(
                "{name} delivers to {log_group}, last on {}",
                time::date(delivered)
            ),
        )
    } else {
        finding(
            FindingStatus::Fail,
            format!(
                "{name} last delivered to {log_group} on {} ({} hours before the scan; CIS asks for within 24 hours)",
                time::date(delivered),
                age / 3600
            ),
        )
    }
}

plumbline_guest::export_check!(CloudtrailCloudwatchLogsIntegration);
