//! The Monitoring chain on a moto account, built one link at a time with the
//! SDK: after each step a scan with `mon-iam-policy-changes` names the next
//! missing link (no trail, not multi-region, not logging, write-only
//! management events, no log group, no metric filter, a filter missing one
//! event), then passes on the alarm once the whole chain stands, and names
//! the alarm link again when its actions are disabled and when it is
//! deleted. moto confirms every subscription at once (an email one too), so
//! a subscription pending confirmation, and an alarm whose only action is not
//! an SNS topic, are covered by the check's fixtures instead.

use aws_sdk_cloudtrail::types::{EventSelector, ReadWriteType};
use aws_sdk_cloudwatch::types::{ComparisonOperator, Statistic};
use aws_sdk_cloudwatchlogs::types::MetricTransformation;
use libtest_mimic::Trial;

use crate::support::moto::{self, Account};
use crate::support::{result, scan_checks};

pub fn tests() -> Vec<Trial> {
    e2e_tests![tokio each_missing_link_is_named_in_turn]
}

const CHECK: &str = "mon-iam-policy-changes";
const GROUP: &str = "cloudtrail-audit";
const METRIC: &str = "iam_policy_changes";
const NAMESPACE: &str = "CISBenchmark";
/// The CIS pattern of the control, as the benchmark prints it.
const CIS_PATTERN: &str = "{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}";

/// The check's one finding: its status, resource and message.
fn scanned(account: &Account) -> (String, String, String) {
    let scan = scan_checks(account, &[CHECK], &["--regions", moto::REGION]);
    let report = scan.json();
    let findings = result(&report, CHECK)["findings"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let text = |field: &str| findings[0][field].as_str().unwrap().to_string();
    (text("status"), text("resource"), text("message"))
}

fn assert_link(account: &Account, status: &str, resource: &str, message: &str) {
    let (found_status, found_resource, found_message) = scanned(account);
    assert_eq!(
        (found_status.as_str(), found_resource.as_str()),
        (status, resource),
        "{found_message}"
    );
    assert!(
        found_message.contains(message),
        "expected {message:?} in {found_message:?}"
    );
}

async fn put_metric_filter(account: &Account, pattern: &str) {
    aws_sdk_cloudwatchlogs::Client::new(&account.sdk_config())
        .put_metric_filter()
        .log_group_name(GROUP)
        .filter_name(METRIC)
        .filter_pattern(pattern)
        .metric_transformations(
            MetricTransformation::builder()
                .metric_name(METRIC)
                .metric_namespace(NAMESPACE)
                .metric_value("1")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
}

async fn select_management_events(account: &Account, trail: &str, read_write: ReadWriteType) {
    aws_sdk_cloudtrail::Client::new(&account.sdk_config())
        .put_event_selectors()
        .trail_name(trail)
        .event_selectors(
            EventSelector::builder()
                .read_write_type(read_write)
                .include_management_events(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
}

async fn each_missing_link_is_named_in_turn() {
    let account = Account::new().await;
    let on_account = format!("account {}", account.id);
    assert_link(
        &account,
        "fail",
        &on_account,
        "the account has no CloudTrail trail",
    );

    let bucket = format!("audit-logs-{}", account.id);
    aws_sdk_s3::Client::new(&account.sdk_config())
        .create_bucket()
        .bucket(&bucket)
        .send()
        .await
        .unwrap();
    let cloudtrail = aws_sdk_cloudtrail::Client::new(&account.sdk_config());
    let trail = cloudtrail
        .create_trail()
        .name("audit")
        .s3_bucket_name(&bucket)
        .is_multi_region_trail(false)
        .send()
        .await
        .unwrap()
        .trail_arn()
        .unwrap()
        .to_string();
    assert_link(
        &account,
        "fail",
        &on_account,
        "no trail is multi-region (single-region: audit)",
    );

    cloudtrail
        .update_trail()
        .name(&trail)
        .is_multi_region_trail(true)
        .send()
        .await
        .unwrap();
    assert_link(&account, "fail", &on_account, "trail audit is not logging");

    cloudtrail
        .start_logging()
        .name(&trail)
        .send()
        .await
        .unwrap();
    select_management_events(&account, &trail, ReadWriteType::WriteOnly).await;
    assert_link(
        &account,
        "fail",
        &on_account,
        "trail audit: management events are recorded WriteOnly only",
    );

    select_management_events(&account, &trail, ReadWriteType::All).await;
    assert_link(
        &account,
        "fail",
        &trail,
        "trail audit delivers to no CloudWatch Logs log group",
    );

    aws_sdk_cloudwatchlogs::Client::new(&account.sdk_config())
        .create_log_group()
        .log_group_name(GROUP)
        .send()
        .await
        .unwrap();
    cloudtrail
        .update_trail()
        .name(&trail)
        .cloud_watch_logs_log_group_arn(format!(
            "arn:aws:logs:{}:{}:log-group:{GROUP}:*",
            moto::REGION,
            account.id
        ))
        .cloud_watch_logs_role_arn(account.arn("role/cloudtrail-to-logs"))
        .send()
        .await
        .unwrap();
    assert_link(
        &account,
        "fail",
        &trail,
        "no metric filter on log group cloudtrail-audit matches the CIS pattern for IAM policy changes; the log group has no metric filters",
    );

    put_metric_filter(
        &account,
        &CIS_PATTERN.replace("||($.eventName=DeletePolicy)", ""),
    )
    .await;
    assert_link(
        &account,
        "fail",
        &trail,
        "closest: filter iam_policy_changes does not cover $.eventName = \"DeletePolicy\"",
    );

    put_metric_filter(&account, CIS_PATTERN).await;
    let sns = aws_sdk_sns::Client::new(&account.sdk_config());
    let topic = sns
        .create_topic()
        .name("cis-alarms")
        .send()
        .await
        .unwrap()
        .topic_arn()
        .unwrap()
        .to_string();
    sns.subscribe()
        .topic_arn(&topic)
        .protocol("email")
        .endpoint("secops@example.com")
        .send()
        .await
        .unwrap();
    let cloudwatch = aws_sdk_cloudwatch::Client::new(&account.sdk_config());
    cloudwatch
        .put_metric_alarm()
        .alarm_name(METRIC)
        .metric_name(METRIC)
        .namespace(NAMESPACE)
        .statistic(Statistic::Sum)
        .period(300)
        .evaluation_periods(1)
        .threshold(1.0)
        .comparison_operator(ComparisonOperator::GreaterThanOrEqualToThreshold)
        .alarm_actions(&topic)
        .send()
        .await
        .unwrap();
    let alarm = format!(
        "arn:aws:cloudwatch:{}:{}:alarm:{METRIC}",
        moto::REGION,
        account.id
    );
    assert_link(
        &account,
        "pass",
        &alarm,
        &format!("alarm {METRIC} notifies SNS topic {topic} (1 confirmed subscription(s))"),
    );

    cloudwatch
        .disable_alarm_actions()
        .alarm_names(METRIC)
        .send()
        .await
        .unwrap();
    assert_link(&account, "fail", &alarm, "has its actions disabled");

    cloudwatch
        .delete_alarms()
        .alarm_names(METRIC)
        .send()
        .await
        .unwrap();
    assert_link(
        &account,
        "fail",
        &trail,
        "no alarm on metric CISBenchmark/iam_policy_changes",
    );
}
