//! The Monitoring section's "a log metric filter and alarm exist for ..."
//! controls: one [`MonitoredActivity`] per control (its CIS filter patterns
//! in every benchmark version) and [`judge`], the chain they all share.
//!
//! A control passes only when the whole chain holds, for at least one trail:
//!
//! 1. a multi-region CloudTrail trail that is logging and records all
//!    management events, read and write ([`crate::trails`]);
//! 2. the trail delivers to a CloudWatch Logs log group
//!    (`cloud-watch-logs-log-group-arn`, in the trail's home region);
//! 3. a metric filter on that log group whose pattern covers the CIS pattern
//!    ([`crate::metric_filter`]: broader is fine, narrower is not);
//! 4. a CloudWatch alarm in that region on the filter's metric (name and
//!    namespace);
//! 5. with actions enabled and an alarm action that is an SNS topic with at
//!    least one confirmed subscription.
//!
//! One finding for the account. A fail names the first missing link of the
//! trail that got furthest (on the account, region `global`, when no trail
//! qualifies; on the trail, in its home region, for a missing log group,
//! filter or alarm; on the alarm for a missing notification). A pass names
//! the whole chain, on the alarm. A data error is the check's `error`, naming
//! the denied action: never a pass.
//!
//! Where CIS changed a pattern between versions, the chain is judged once
//! per pattern ([`crate::evaluate_per_version`]) and the findings differ by
//! version only if the verdict or the evidence does. CIS marks most of these
//! recommendations Manual from v2.0.0; the data answers them fully, so the
//! status is pass or fail in every version, as for `s3-mfa-delete`, and the
//! report keeps Manual recommendations out of the scores anyway.

use std::collections::HashMap;

use crate::bindings::plumbline::check::cloudtrail::Trail;
use crate::bindings::plumbline::check::cloudwatch::MetricAlarm;
use crate::bindings::plumbline::check::logs::MetricFilter;
use crate::bindings::plumbline::check::sns::Subscription;
use crate::cis::{self, Control};
use crate::metric_filter::FilterPattern;
use crate::trails::{self, RecordingTrails};
use crate::{
    DataError, Finding, GLOBAL_REGION, account, brief_list, cloudwatch, evaluate_per_version, logs,
    sns,
};

/// One Monitoring control: the activity a metric filter must catch.
#[derive(Debug, Clone, Copy)]
pub struct MonitoredActivity {
    pub control: Control,
    /// For messages: "no metric filter ... matches the CIS pattern for
    /// `activity`".
    pub activity: &'static str,
    /// The CIS patterns of the control's first version. A filter passes
    /// when it covers any of them (CIS offers alternatives, e.g. a narrower
    /// pattern for accounts using SSO).
    pub patterns: &'static [&'static str],
    /// Later versions' patterns, oldest first.
    pub revisions: &'static [PatternEdition],
}

/// The CIS filter patterns from one benchmark version until the next
/// revision.
#[derive(Debug, Clone, Copy)]
pub struct PatternEdition {
    pub since: &'static str,
    pub patterns: &'static [&'static str],
}

impl MonitoredActivity {
    /// The CIS patterns in one version of the control.
    pub fn patterns(&self, version: &str) -> &'static [&'static str] {
        let mut current = self.patterns;
        for known in self.control.versions() {
            if let Some(edition) = self.revisions.iter().find(|e| e.since == known) {
                current = edition.patterns;
            }
            if known == version {
                break;
            }
        }
        current
    }
}

/// CIS v1.2.0 asks for the two error codes alone. From v1.3.0 the pattern
/// leaves out CloudTrail's own delivery and HeadBucket probes; the v1.3.0
/// text joins those with `||` (matching nearly every event, an erratum) and
/// later texts with a dangling `... || ... && ...`; the intended
/// `(A || B) && C && D` is kept, which both literal texts also cover.
pub const UNAUTHORIZED_API_CALLS: MonitoredActivity = MonitoredActivity {
    control: cis::MON_UNAUTHORIZED_API_CALLS,
    activity: "unauthorized API calls",
    patterns: &[
        r#"{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }"#,
    ],
    revisions: &[PatternEdition {
        since: "1.3.0",
        patterns: &[
            r#"{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }"#,
        ],
    }],
};

/// From v1.3.0 CIS also accepts the pattern restricted to successful IAM
/// user sign-ins (fewer false positives with SSO); a filter covering the
/// original covers that one too.
pub const CONSOLE_SIGNIN_WITHOUT_MFA: MonitoredActivity = MonitoredActivity {
    control: cis::MON_CONSOLE_SIGNIN_WITHOUT_MFA,
    activity: "console sign-in without MFA",
    patterns: &[
        r#"{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }"#,
    ],
    revisions: &[PatternEdition {
        since: "1.3.0",
        patterns: &[
            r#"{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }"#,
            r#"{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }"#,
        ],
    }],
};

pub const ROOT_USAGE: MonitoredActivity = MonitoredActivity {
    control: cis::MON_ROOT_USAGE,
    activity: "root account usage",
    patterns: &[
        r#"{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }"#,
    ],
    revisions: &[],
};

pub const IAM_POLICY_CHANGES: MonitoredActivity = MonitoredActivity {
    control: cis::MON_IAM_POLICY_CHANGES,
    activity: "IAM policy changes",
    patterns: &[
        "{ ($.eventName = DeleteGroupPolicy) || ($.eventName = DeleteRolePolicy) || ($.eventName = DeleteUserPolicy) || ($.eventName = PutGroupPolicy) || ($.eventName = PutRolePolicy) || ($.eventName = PutUserPolicy) || ($.eventName = CreatePolicy) || ($.eventName = DeletePolicy) || ($.eventName = CreatePolicyVersion) || ($.eventName = DeletePolicyVersion) || ($.eventName = AttachRolePolicy) || ($.eventName = DetachRolePolicy) || ($.eventName = AttachUserPolicy) || ($.eventName = DetachUserPolicy) || ($.eventName = AttachGroupPolicy) || ($.eventName = DetachGroupPolicy) }",
    ],
    revisions: &[],
};

pub const CLOUDTRAIL_CONFIG_CHANGES: MonitoredActivity = MonitoredActivity {
    control: cis::MON_CLOUDTRAIL_CONFIG_CHANGES,
    activity: "CloudTrail configuration changes",
    patterns: &[
        "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }",
    ],
    revisions: &[],
};

pub const CONSOLE_AUTH_FAILURES: MonitoredActivity = MonitoredActivity {
    control: cis::MON_CONSOLE_AUTH_FAILURES,
    activity: "console authentication failures",
    patterns: &[
        r#"{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }"#,
    ],
    revisions: &[],
};

pub const CMK_DISABLE_OR_DELETION: MonitoredActivity = MonitoredActivity {
    control: cis::MON_CMK_DISABLE_OR_DELETION,
    activity: "disabling or scheduled deletion of customer managed keys",
    patterns: &[
        "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }",
    ],
    revisions: &[],
};

pub const S3_BUCKET_POLICY_CHANGES: MonitoredActivity = MonitoredActivity {
    control: cis::MON_S3_BUCKET_POLICY_CHANGES,
    activity: "S3 bucket policy changes",
    patterns: &[
        "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }",
    ],
    revisions: &[],
};

pub const AWS_CONFIG_CHANGES: MonitoredActivity = MonitoredActivity {
    control: cis::MON_AWS_CONFIG_CHANGES,
    activity: "AWS Config configuration changes",
    patterns: &[
        "{ ($.eventSource = config.amazonaws.com) && (($.eventName = StopConfigurationRecorder) || ($.eventName = DeleteDeliveryChannel) || ($.eventName = PutDeliveryChannel) || ($.eventName = PutConfigurationRecorder)) }",
    ],
    revisions: &[],
};

pub const SECURITY_GROUP_CHANGES: MonitoredActivity = MonitoredActivity {
    control: cis::MON_SECURITY_GROUP_CHANGES,
    activity: "security group changes",
    patterns: &[
        "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }",
    ],
    revisions: &[],
};

pub const NACL_CHANGES: MonitoredActivity = MonitoredActivity {
    control: cis::MON_NACL_CHANGES,
    activity: "network ACL changes",
    patterns: &[
        "{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }",
    ],
    revisions: &[],
};

pub const NETWORK_GATEWAY_CHANGES: MonitoredActivity = MonitoredActivity {
    control: cis::MON_NETWORK_GATEWAY_CHANGES,
    activity: "network gateway changes",
    patterns: &[
        "{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }",
    ],
    revisions: &[],
};

/// From v1.4.0 CIS prefixes `$.eventSource = ec2.amazonaws.com &&` (its text
/// leaves the `||` list unparenthesised; the intended grouping is kept).
pub const ROUTE_TABLE_CHANGES: MonitoredActivity = MonitoredActivity {
    control: cis::MON_ROUTE_TABLE_CHANGES,
    activity: "route table changes",
    patterns: &[
        "{ ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable) }",
    ],
    revisions: &[PatternEdition {
        since: "1.4.0",
        patterns: &[
            "{ ($.eventSource = ec2.amazonaws.com) && (($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable)) }",
        ],
    }],
};

pub const VPC_CHANGES: MonitoredActivity = MonitoredActivity {
    control: cis::MON_VPC_CHANGES,
    activity: "VPC changes",
    patterns: &[
        "{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }",
    ],
    revisions: &[],
};

/// The control first appears in v1.3.0.
pub const ORGANIZATIONS_CHANGES: MonitoredActivity = MonitoredActivity {
    control: cis::MON_ORGANIZATIONS_CHANGES,
    activity: "AWS Organizations changes",
    patterns: &[
        r#"{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = "AcceptHandshake") || ($.eventName = "AttachPolicy") || ($.eventName = "CreateAccount") || ($.eventName = "CreateOrganizationalUnit") || ($.eventName = "CreatePolicy") || ($.eventName = "DeclineHandshake") || ($.eventName = "DeleteOrganization") || ($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || ($.eventName = "DetachPolicy") || ($.eventName = "DisablePolicyType") || ($.eventName = "EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") || ($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount") || ($.eventName = "RemoveAccountFromOrganization") || ($.eventName = "UpdatePolicy") || ($.eventName = "UpdateOrganizationalUnit")) }"#,
    ],
    revisions: &[],
};

/// Every Monitoring control with a metric filter, for tests and tooling.
pub const ALL: [MonitoredActivity; 15] = [
    UNAUTHORIZED_API_CALLS,
    CONSOLE_SIGNIN_WITHOUT_MFA,
    ROOT_USAGE,
    IAM_POLICY_CHANGES,
    CLOUDTRAIL_CONFIG_CHANGES,
    CONSOLE_AUTH_FAILURES,
    CMK_DISABLE_OR_DELETION,
    S3_BUCKET_POLICY_CHANGES,
    AWS_CONFIG_CHANGES,
    SECURITY_GROUP_CHANGES,
    NACL_CHANGES,
    NETWORK_GATEWAY_CHANGES,
    ROUTE_TABLE_CHANGES,
    VPC_CHANGES,
    ORGANIZATIONS_CHANGES,
];

/// The check's description: `what` the control watches, then the chain.
#[macro_export]
macro_rules! monitoring_description {
    ($what:literal) => {
        concat!(
            "Checks that ",
            $what,
            " raise a notification: a multi-region CloudTrail trail that is logging and \
             records all management events (read and write) delivers to a CloudWatch Logs \
             log group; a metric filter on that group has a pattern that covers the CIS \
             pattern (compared as logic, not text: quoting, spacing, term order and \
             parentheses do not matter, extra || alternatives are accepted, a missing event \
             or an extra && condition is not); a CloudWatch alarm watches the filter's metric; \
             and the alarm notifies an SNS topic with at least one confirmed subscription. \
             The finding names the first missing link. Where CIS changed the pattern between \
             versions each version is judged on its own. CIS marks the recommendation Manual \
             from v2.0.0 in most versions; the data decides it fully, so the check gives pass \
             or fail in every version."
        )
    };
}

/// The check's remediation: the filter name and metric to create.
#[macro_export]
macro_rules! monitoring_remediation {
    ($metric:literal) => {
        concat!(
            "Send a multi-region trail to CloudWatch Logs (CloudTrail > the trail > \
             CloudWatch Logs > Edit), then create the metric filter, the alarm and the \
             notification: `aws logs put-metric-filter --log-group-name <trail-log-group> \
             --filter-name ",
            $metric,
            " --metric-transformations metricName=",
            $metric,
            ",metricNamespace=CISBenchmark,metricValue=1 --filter-pattern '<the CIS pattern \
             named in the finding>'`; `aws sns create-topic --name cis-alarms` and `aws sns \
             subscribe --topic-arn <topic> --protocol email --notification-endpoint <address>` \
             (confirm the subscription); `aws cloudwatch put-metric-alarm --alarm-name ",
            $metric,
            " --metric-name ",
            $metric,
            " --namespace CISBenchmark --statistic Sum --period 300 --threshold 1 \
             --comparison-operator GreaterThanOrEqualToThreshold --evaluation-periods 1 \
             --alarm-actions <topic>`, in the trail's home region."
        )
    };
}

/// Judges one control: the chain above, once per distinct CIS pattern.
pub fn judge(activity: &MonitoredActivity) -> Result<Vec<Finding>, DataError> {
    let trails = match trails::recording_trails()? {
        RecordingTrails::Found(trails) => trails,
        RecordingTrails::Missing(why) => {
            return Ok(vec![Finding::fail(
                account::account_resource(),
                GLOBAL_REGION,
                why,
            )]);
        }
    };
    let mut data = RegionalData::default();
    evaluate_per_version(
        activity.control,
        |version| activity.patterns(version),
        |patterns| {
            let required: Vec<FilterPattern> = patterns
                .iter()
                .map(|pattern| {
                    FilterPattern::parse(pattern).expect("every CIS pattern parses (unit tested)")
                })
                .collect();
            Ok(vec![judge_trails(activity, &trails, &required, &mut data)?])
        },
    )
}

/// The links of the chain after the trail, in order: a broken link further
/// down means the trail got further.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Link {
    LogGroup,
    MetricFilter,
    Alarm,
    Notification,
}

struct Broken {
    link: Link,
    finding: Finding,
}

fn judge_trails(
    activity: &MonitoredActivity,
    trails: &[Trail],
    required: &[FilterPattern],
    data: &mut RegionalData,
) -> Result<Finding, DataError> {
    let mut furthest: Option<Broken> = None;
    for trail in trails {
        match follow_chain(activity, trail, required, data)? {
            Ok(pass) => return Ok(pass),
            Err(broken) => {
                if furthest.as_ref().is_none_or(|best| broken.link > best.link) {
                    furthest = Some(broken);
                }
            }
        }
    }
    Ok(furthest
        .expect("recording_trails returns at least one trail")
        .finding)
}

/// The pass naming the whole chain from `trail`, or its first broken link.
fn follow_chain(
    activity: &MonitoredActivity,
    trail: &Trail,
    required: &[FilterPattern],
    data: &mut RegionalData,
) -> Result<Result<Finding, Broken>, DataError> {
    let region = trail.home_region.as_str();
    let broken = |link: Link, resource: &str, message: String| {
        Err(Broken {
            link,
            finding: Finding::fail(resource, region, message),
        })
    };
    let Some((group_region, group)) = trail
        .cloud_watch_logs_log_group_arn
        .as_deref()
        .and_then(log_group_of)
    else {
        return Ok(broken(
            Link::LogGroup,
            &trail.arn,
            format!(
                "trail {} delivers to no CloudWatch Logs log group",
                trail.name
            ),
        ));
    };

    let filters: Vec<MetricFilter> = data
        .metric_filters(&group_region)?
        .iter()
        .filter(|filter| filter.log_group_name == group)
        .cloned()
        .collect();
    let matching: Vec<&MetricFilter> = filters
        .iter()
        .filter(|filter| {
            FilterPattern::parse(&filter.pattern)
                .is_ok_and(|pattern| required.iter().any(|needed| pattern.covers(needed)))
        })
        .collect();
    if matching.is_empty() {
        return Ok(broken(
            Link::MetricFilter,
            &trail.arn,
            format!(
                "no metric filter on log group {group} matches the CIS pattern for {}; {}",
                activity.activity,
                closest_filter(&filters, required)
            ),
        ));
    }

    let metrics: Vec<(String, String)> = matching
        .iter()
        .flat_map(|filter| &filter.metric_transformations)
        .map(|metric| (metric.metric_namespace.clone(), metric.metric_name.clone()))
        .collect();
    let alarms: Vec<MetricAlarm> = data
        .alarms(&group_region)?
        .iter()
        .filter(|alarm| {
            alarm.metrics.iter().any(|watched| {
                metrics.contains(&(watched.namespace.clone(), watched.metric_name.clone()))
            })
        })
        .cloned()
        .collect();
    if alarms.is_empty() {
        let names: Vec<String> = metrics
            .iter()
            .map(|(namespace, name)| format!("{namespace}/{name}"))
            .collect();
        return Ok(broken(
            Link::Alarm,
            &trail.arn,
            format!(
                "no alarm on metric {} (metric filter {} on log group {group})",
                brief_list(&names, 3),
                matching[0].name
            ),
        ));
    }

    for alarm in &alarms {
        if let Some((topic, confirmed)) = notified_topic(alarm, data)? {
            return Ok(Ok(Finding::pass(
                &alarm.arn,
                region,
                format!(
                    "trail {} delivers to log group {group}; metric filter {} covers the CIS \
                     pattern for {}; alarm {} notifies SNS topic {topic} ({confirmed} confirmed \
                     subscription(s))",
                    trail.name, matching[0].name, activity.activity, alarm.name
                ),
            )));
        }
    }
    let alarm = &alarms[0];
    let why = if alarm.actions_enabled {
        "notifies no SNS topic with a confirmed subscription"
    } else {
        "has its actions disabled, so it notifies no SNS topic"
    };
    Ok(broken(
        Link::Notification,
        &alarm.arn,
        format!(
            "alarm {} on the {} metric filter {why}",
            alarm.name, activity.activity
        ),
    ))
}

/// The first SNS topic among an alarm's actions with a confirmed
/// subscription, and how many it has.
fn notified_topic(
    alarm: &MetricAlarm,
    data: &mut RegionalData,
) -> Result<Option<(String, usize)>, DataError> {
    if !alarm.actions_enabled {
        return Ok(None);
    }
    for action in &alarm.alarm_actions {
        let Some(topic_region) = sns_topic_region(action) else {
            continue;
        };
        let confirmed = data
            .subscriptions(topic_region)?
            .iter()
            .filter(|subscription| subscription.topic_arn == *action && subscription.confirmed)
            .count();
        if confirmed > 0 {
            return Ok(Some((action.clone(), confirmed)));
        }
    }
    Ok(None)
}

/// `arn:<partition>:sns:<region>:<account>:<topic>`: the topic's region.
fn sns_topic_region(arn: &str) -> Option<&str> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    (parts.len() == 6 && parts[2] == "sns").then(|| parts[3])
}

/// The region and name of a log group from its ARN,
/// `arn:<partition>:logs:<region>:<account>:log-group:<name>[:*]`.
fn log_group_of(arn: &str) -> Option<(String, String)> {
    let parts: Vec<&str> = arn.splitn(7, ':').collect();
    if parts.len() != 7 || parts[2] != "logs" || parts[5] != "log-group" {
        return None;
    }
    let name = parts[6].strip_suffix(":*").unwrap_or(parts[6]);
    Some((parts[3].to_string(), name.to_string()))
}

/// Which filter on the log group comes nearest the CIS pattern and what it
/// lacks, for a fail's message.
fn closest_filter(filters: &[MetricFilter], required: &[FilterPattern]) -> String {
    if filters.is_empty() {
        return "the log group has no metric filters".to_string();
    }
    let mut nearest: Option<(usize, String)> = None;
    for filter in filters {
        let Ok(pattern) = FilterPattern::parse(&filter.pattern) else {
            continue;
        };
        for needed in required {
            let gap = pattern.gap(needed);
            let uncovered: Vec<String> = gap.uncovered.iter().map(ToString::to_string).collect();
            let mut text = format!(
                "closest: filter {} does not cover {}",
                filter.name,
                brief_list(&uncovered, 3)
            );
            if !gap.extra_conditions.is_empty() {
                let extra: Vec<String> = gap
                    .extra_conditions
                    .iter()
                    .map(ToString::to_string)
                    .collect();
                text.push_str(&format!(" (it also requires {})", extra.join(" && ")));
            }
            if nearest
                .as_ref()
                .is_none_or(|(best, _)| uncovered.len() < *best)
            {
                nearest = Some((uncovered.len(), text));
            }
        }
    }
    nearest.map(|(_, text)| text).unwrap_or_else(|| {
        format!(
            "its metric filters ({}) are not JSON filter patterns",
            brief_list(
                &filters.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(),
                3
            )
        )
    })
}

/// Regional data read once per region, whichever version's pattern is
/// judged.
#[derive(Default)]
struct RegionalData {
    metric_filters: HashMap<String, Vec<MetricFilter>>,
    alarms: HashMap<String, Vec<MetricAlarm>>,
    subscriptions: HashMap<String, Vec<Subscription>>,
}

impl RegionalData {
    fn metric_filters(&mut self, region: &str) -> Result<&[MetricFilter], DataError> {
        cached(&mut self.metric_filters, region, logs::metric_filters)
    }

    fn alarms(&mut self, region: &str) -> Result<&[MetricAlarm], DataError> {
        cached(&mut self.alarms, region, cloudwatch::alarms)
    }

    fn subscriptions(&mut self, region: &str) -> Result<&[Subscription], DataError> {
        cached(&mut self.subscriptions, region, sns::subscriptions)
    }
}

fn cached<'a, T>(
    cache: &'a mut HashMap<String, Vec<T>>,
    region: &str,
    fetch: impl FnOnce(&str) -> Result<Vec<T>, DataError>,
) -> Result<&'a [T], DataError> {
    if !cache.contains_key(region) {
        let data = fetch(region)?;
        cache.insert(region.to_string(), data);
    }
    Ok(&cache[region])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> FilterPattern {
        FilterPattern::parse(text).unwrap_or_else(|error| panic!("{text}: {error}"))
    }

    /// Every CIS pattern of every control and version.
    fn every_pattern() -> Vec<(&'static str, &'static str)> {
        ALL.iter()
            .flat_map(|activity| {
                let revised = activity
                    .revisions
                    .iter()
                    .flat_map(|edition| edition.patterns);
                activity
                    .patterns
                    .iter()
                    .chain(revised)
                    .map(|pattern| (activity.control.key, *pattern))
            })
            .collect()
    }

    /// The pattern written another way: its alternatives in reverse order,
    /// each clause's conditions reversed, values quoted when they were not
    /// and bare when they were, spacing and parentheses changed.
    fn rewritten(pattern: &str) -> String {
        let clauses: Vec<String> = parse(pattern)
            .clauses()
            .iter()
            .rev()
            .map(|clause| {
                let text = clause.to_string();
                let inner = text.trim_start_matches('(').trim_end_matches(')');
                let mut conditions: Vec<&str> = inner.split(" && ").collect();
                conditions.reverse();
                let requoted: Vec<String> = conditions
                    .iter()
                    .map(|condition| requote(condition, pattern))
                    .collect();
                format!("(({}))", requoted.join(")&&("))
            })
            .collect();
        format!("{{{}}}", clauses.join("||\n  "))
    }

    /// Drops the quotes `Display` puts around a value when the CIS text
    /// quoted it, so the rewrite flips every value's quoting.
    fn requote(condition: &str, original: &str) -> String {
        match condition.split_once(" \"") {
            Some((head, quoted)) if original.contains(&format!("\"{}", quoted)) => {
                let value = quoted.trim_end_matches('"');
                if value.contains(' ') {
                    condition.to_string()
                } else {
                    format!("{head}{value}")
                }
            }
            _ => condition.to_string(),
        }
    }

    #[test]
    fn every_cis_pattern_covers_itself_however_it_is_written() {
        for (control, pattern) in every_pattern() {
            let required = parse(pattern);
            let rewritten = rewritten(pattern);
            assert!(
                parse(&rewritten).covers(&required),
                "{control}: {rewritten}"
            );
            assert!(
                required.covers(&parse(&rewritten)),
                "{control}: {rewritten}"
            );
            assert!(
                parse(&format!(
                    "{{ (({})) }}",
                    pattern.trim_matches(['{', '}', ' '])
                ))
                .covers(&required),
                "{control}"
            );
        }
    }

    #[test]
    fn a_filter_missing_one_alternative_does_not_cover() {
        for (control, pattern) in every_pattern() {
            let required = parse(pattern);
            let clauses = required.clauses();
            if clauses.len() < 2 {
                continue;
            }
            for left_out in 0..clauses.len() {
                let kept: Vec<String> = clauses
                    .iter()
                    .enumerate()
                    .filter(|(index, _)| *index != left_out)
                    .map(|(_, clause)| clause.to_string())
                    .collect();
                let filter = parse(&format!("{{ {} }}", kept.join(" || ")));
                let gap = filter.gap(&required);
                assert_eq!(gap.uncovered, vec![clauses[left_out].clone()], "{control}");
            }
        }
    }

    #[test]
    fn a_filter_with_an_extra_condition_or_another_field_does_not_cover() {
        for (control, pattern) in every_pattern() {
            let required = parse(pattern);
            let body = pattern.trim().trim_start_matches('{').trim_end_matches('}');
            let narrowed = parse(&format!("{{ ({body}) && ($.awsRegion = \"us-east-1\") }}"));
            let gap = narrowed.gap(&required);
            assert_eq!(gap.uncovered.len(), required.clauses().len(), "{control}");
            assert_eq!(gap.extra_conditions.len(), 1, "{control}");
            let broader = parse(&format!("{{ ({body}) || ($.awsRegion = \"us-east-1\") }}"));
            assert!(broader.covers(&required), "{control}");
            let other_field = parse(&pattern.replacen("$.", "$.requestParameters.", 1));
            assert!(!other_field.covers(&required), "{control}");
        }
    }

    #[test]
    fn the_literal_cis_texts_cover_the_intended_patterns() {
        // As printed: v1.3.0's ||-joined erratum and the later dangling &&.
        let erratum = r#"{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") || ($.sourceIPAddress!="delivery.logs.amazonaws.com") || ($.eventName!="HeadBucket") }"#;
        let dangling = r#"{ ($.errorCode ="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }"#;
        let later = parse(UNAUTHORIZED_API_CALLS.patterns("4.0.0")[0]);
        assert!(parse(erratum).covers(&later));
        assert!(parse(dangling).covers(&later));
        let route = "{($.eventSource = ec2.amazonaws.com) && ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable) }";
        assert!(parse(route).covers(&parse(ROUTE_TABLE_CHANGES.patterns("7.0.0")[0])));
    }

    #[test]
    fn revisions_follow_the_controls_versions() {
        for activity in ALL {
            let versions: Vec<&str> = activity.control.versions().collect();
            for edition in activity.revisions {
                assert!(
                    versions.contains(&edition.since),
                    "{}",
                    activity.control.key
                );
            }
        }
        assert_eq!(UNAUTHORIZED_API_CALLS.patterns("1.2.0").len(), 1);
        assert!(!UNAUTHORIZED_API_CALLS.patterns("1.2.0")[0].contains("HeadBucket"));
        assert!(UNAUTHORIZED_API_CALLS.patterns("1.3.0")[0].contains("HeadBucket"));
        assert!(UNAUTHORIZED_API_CALLS.patterns("7.0.0")[0].contains("HeadBucket"));
        assert_eq!(CONSOLE_SIGNIN_WITHOUT_MFA.patterns("5.0.0").len(), 2);
        assert!(ROUTE_TABLE_CHANGES.patterns("1.4.0")[0].contains("eventSource"));
        assert!(!ROUTE_TABLE_CHANGES.patterns("1.3.0")[0].contains("eventSource"));
    }

    #[test]
    fn the_later_narrower_patterns_are_covered_by_the_earlier_ones() {
        let early = parse(UNAUTHORIZED_API_CALLS.patterns("1.2.0")[0]);
        let later = parse(UNAUTHORIZED_API_CALLS.patterns("1.3.0")[0]);
        assert!(early.covers(&later));
        assert!(!later.covers(&early));
        let sso = parse(CONSOLE_SIGNIN_WITHOUT_MFA.patterns("3.0.0")[1]);
        assert!(parse(CONSOLE_SIGNIN_WITHOUT_MFA.patterns("3.0.0")[0]).covers(&sso));
    }

    #[test]
    fn arns_give_the_log_group_and_topic_regions() {
        assert_eq!(
            log_group_of("arn:aws:logs:eu-west-1:111122223333:log-group:aws-cloudtrail-logs:*"),
            Some(("eu-west-1".to_string(), "aws-cloudtrail-logs".to_string()))
        );
        assert_eq!(
            log_group_of("arn:aws:logs:eu-west-1:111122223333:log-group:/a/b"),
            Some(("eu-west-1".to_string(), "/a/b".to_string()))
        );
        assert_eq!(log_group_of("arn:aws:s3:::bucket"), None);
        assert_eq!(
            sns_topic_region("arn:aws:sns:us-east-1:111122223333:cis"),
            Some("us-east-1")
        );
        assert_eq!(
            sns_topic_region("arn:aws:automate:us-east-1:ec2:stop"),
            None
        );
    }
}
