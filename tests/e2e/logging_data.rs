//! The Logging section's data as `host collect` reads it from moto through
//! the AWS SDK: CloudTrail trails (each once, from its home region) with
//! their status and event selectors; AWS Config recorders, their status and
//! delivery channels; each bucket's server access logging and ACL; VPC flow
//! logs; Security Hub. Each test seeds one region (or each region
//! differently) and collects two. A denied call is an error naming its IAM
//! action, never an empty answer.

use aws_sdk_cloudtrail::types::{
    AdvancedEventSelector, AdvancedFieldSelector, DataResource, EventSelector, ReadWriteType,
};
use aws_sdk_config::types::{ConfigurationRecorder, DeliveryChannel, RecordingGroup};
use aws_sdk_ec2::types::{FlowLogsResourceType, LogDestinationType, TrafficType};
use aws_sdk_s3::types::{BucketCannedAcl, BucketLoggingStatus, LoggingEnabled};
use libtest_mimic::Trial;
use serde_json::{Value, json};

use crate::support::collected::{collect, collect_with, entry, ok, whole};
use crate::support::moto::{self, Account};

pub fn tests() -> Vec<Trial> {
    e2e_tests![
        tokio each_trail_is_listed_once_from_its_home_region_with_status_and_selectors,
        tokio config_recorders_statuses_and_channels_are_read_per_region,
        tokio bucket_logging_on_and_off_and_a_public_acl_grant_are_collected,
        tokio a_vpc_flow_log_is_collected_in_its_region_only,
        tokio security_hub_is_none_only_where_it_is_not_enabled,
        tokio denied_logging_calls_are_access_denied_naming_the_action,
    ]
}

/// The region seeded with the resource or setting (the SDK's home region).
const SEEDED: &str = moto::REGION;
/// The other region of the scan.
const OTHER: &str = "eu-west-1";
/// A region outside the scan.
const OUTSIDE: &str = "ap-southeast-2";
async fn create_bucket(account: &Account, bucket: &str) {
    aws_sdk_s3::Client::new(&account.sdk_config())
        .create_bucket()
        .bucket(bucket)
        .send()
        .await
        .unwrap();
}

/// Creates a trail in `region` delivering to `bucket`; returns its ARN.
async fn create_trail(
    account: &Account,
    region: &str,
    name: &str,
    bucket: &str,
    multi_region: bool,
) -> String {
    let created = aws_sdk_cloudtrail::Client::new(&account.sdk_config_in(region))
        .create_trail()
        .name(name)
        .s3_bucket_name(bucket)
        .is_multi_region_trail(multi_region)
        .enable_log_file_validation(multi_region)
        .send()
        .await
        .unwrap();
    created.trail_arn().unwrap().to_string()
}

async fn each_trail_is_listed_once_from_its_home_region_with_status_and_selectors() {
    let account = Account::new().await;
    let bucket = format!("trails-{}", account.id);
    create_bucket(&account, &bucket).await;
    let everywhere = create_trail(&account, SEEDED, "everywhere", &bucket, true).await;
    let regional = create_trail(&account, OTHER, "regional", &bucket, false).await;
    // Homed outside the scan: found through its shadows in the scanned
    // regions. A single-region trail there logs no scanned region.
    let far_away = create_trail(&account, OUTSIDE, "far-away", &bucket, true).await;
    create_trail(&account, OUTSIDE, "far-away-local", &bucket, false).await;

    let home = aws_sdk_cloudtrail::Client::new(&account.sdk_config());
    home.start_logging().name(&everywhere).send().await.unwrap();
    home.put_event_selectors()
        .trail_name(&everywhere)
        .event_selectors(
            EventSelector::builder()
                .read_write_type(ReadWriteType::All)
                .include_management_events(true)
                .data_resources(
                    DataResource::builder()
                        .r#type("AWS::S3::Object")
                        .values("arn:aws:s3")
                        .build(),
                )
                .exclude_management_event_sources("kms.amazonaws.com")
                .build(),
        )
        .send()
        .await
        .unwrap();
    aws_sdk_cloudtrail::Client::new(&account.sdk_config_in(OTHER))
        .put_event_selectors()
        .trail_name(&regional)
        .advanced_event_selectors(
            AdvancedEventSelector::builder()
                .name("management events")
                .field_selectors(
                    AdvancedFieldSelector::builder()
                        .field("eventCategory")
                        .equals("Management")
                        .build()
                        .unwrap(),
                )
                .field_selectors(
                    AdvancedFieldSelector::builder()
                        .field("eventSource")
                        .not_equals("kms.amazonaws.com")
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();

    let snapshot = collect(&account);
    let trails = whole(&snapshot, "cloudtrail", "trails").as_array().unwrap();
    let arns: Vec<&str> = trails
        .iter()
        .map(|trail| trail["arn"].as_str().unwrap())
        .collect();
    let mut expected = vec![everywhere.as_str(), regional.as_str(), far_away.as_str()];
    expected.sort();
    assert_eq!(
        arns, expected,
        "each trail once, sorted by ARN (both scanned regions list the multi-region ones)"
    );
    let trail = |arn: &str| {
        trails
            .iter()
            .find(|trail| trail["arn"] == arn)
            .unwrap()
            .clone()
    };
    assert_eq!(
        trail(&everywhere),
        json!({
            "name": "everywhere",
            "arn": everywhere,
            "home_region": SEEDED,
            "is_multi_region": true,
            "is_organization_trail": false,
            "include_global_service_events": true,
            "log_file_validation_enabled": true,
            "s3_bucket_name": bucket,
            "s3_key_prefix": null,
            "cloud_watch_logs_log_group_arn": null,
            "kms_key_id": null,
        })
    );
    assert_eq!(trail(&regional)["home_region"], OTHER);
    assert_eq!(trail(&regional)["is_multi_region"], false);
    assert_eq!(trail(&far_away)["home_region"], OUTSIDE);

    // Status and selectors, read in each trail's home region, by ARN.
    let status = ok(&snapshot, "cloudtrail", "trail_statuses", &everywhere);
    assert_eq!(status["is_logging"], true, "{status}");
    assert!(status["latest_delivery_time"].is_i64(), "{status}");
    assert_eq!(status["latest_delivery_error"], Value::Null, "{status}");
    for arn in [&regional, &far_away] {
        let status = ok(&snapshot, "cloudtrail", "trail_statuses", arn);
        assert_eq!(status["is_logging"], false, "{arn}: {status}");
    }
    assert_eq!(
        ok(&snapshot, "cloudtrail", "event_selectors", &everywhere),
        &json!({
            "classic": [{
                "read_write_type": "All",
                "include_management_events": true,
                "data_resources": [{ "type_": "AWS::S3::Object", "values": ["arn:aws:s3"] }],
                "exclude_management_event_sources": ["kms.amazonaws.com"],
            }],
            "advanced": [],
        })
    );
    let no_strings = json!([]);
    assert_eq!(
        ok(&snapshot, "cloudtrail", "event_selectors", &regional),
        &json!({
            "classic": [],
            "advanced": [{
                "name": "management events",
                "field_selectors": [
                    {
                        "field": "eventCategory",
                        "equals": ["Management"],
                        "starts_with": no_strings,
                        "ends_with": no_strings,
                        "not_equals": no_strings,
                        "not_starts_with": no_strings,
                        "not_ends_with": no_strings,
                    },
                    {
                        "field": "eventSource",
                        "equals": no_strings,
                        "starts_with": no_strings,
                        "ends_with": no_strings,
                        "not_equals": ["kms.amazonaws.com"],
                        "not_starts_with": no_strings,
                        "not_ends_with": no_strings,
                    },
                ],
            }],
        })
    );
}

async fn config_recorders_statuses_and_channels_are_read_per_region() {
    let account = Account::new().await;
    let bucket = format!("config-{}", account.id);
    create_bucket(&account, &bucket).await;
    let config = aws_sdk_config::Client::new(&account.sdk_config());
    config
        .put_configuration_recorder()
        .configuration_recorder(
            ConfigurationRecorder::builder()
                .name("default")
                .role_arn(account.arn("role/config"))
                .recording_group(
                    RecordingGroup::builder()
                        .all_supported(true)
                        .include_global_resource_types(true)
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    config
        .put_delivery_channel()
        .delivery_channel(
            DeliveryChannel::builder()
                .name("default")
                .s3_bucket_name(&bucket)
                .build(),
        )
        .send()
        .await
        .unwrap();
    config
        .start_configuration_recorder()
        .configuration_recorder_name("default")
        .send()
        .await
        .unwrap();

    let snapshot = collect(&account);
    let recorders = ok(&snapshot, "config", "recorders", SEEDED);
    assert_eq!(recorders.as_array().unwrap().len(), 1, "{recorders:#}");
    let recorder = &recorders[0];
    assert_eq!(recorder["name"], "default");
    assert_eq!(recorder["all_supported"], true, "{recorder}");
    assert_eq!(
        recorder["include_global_resource_types"], true,
        "{recorder}"
    );
    assert_eq!(recorder["resource_types"], json!([]), "{recorder}");
    let statuses = ok(&snapshot, "config", "recorder_statuses", SEEDED);
    assert_eq!(statuses.as_array().unwrap().len(), 1, "{statuses:#}");
    assert_eq!(statuses[0]["name"], "default");
    assert_eq!(statuses[0]["recording"], true, "{statuses}");
    assert_eq!(
        ok(&snapshot, "config", "delivery_channels", SEEDED),
        &json!([{ "name": "default", "s3_bucket_name": bucket, "sns_topic_arn": null }])
    );
    for data_set in ["recorders", "recorder_statuses", "delivery_channels"] {
        assert_eq!(
            ok(&snapshot, "config", data_set, OTHER),
            &json!([]),
            "config.{data_set} in {OTHER}"
        );
    }
}

/// The S3 log delivery group, as an ACL grant header names it.
const LOG_DELIVERY: &str = "uri=http://acs.amazonaws.com/groups/s3/LogDelivery";

async fn bucket_logging_on_and_off_and_a_public_acl_grant_are_collected() {
    let account = Account::new().await;
    let logged = format!("logged-{}", account.id);
    let logs = format!("logs-{}", account.id);
    let public = format!("public-{}", account.id);
    for bucket in [&logged, &logs, &public] {
        create_bucket(&account, bucket).await;
    }
    let s3 = aws_sdk_s3::Client::new(&account.sdk_config());
    // S3 delivers access logs only to a bucket the log delivery group may
    // write to.
    s3.put_bucket_acl()
        .bucket(&logs)
        .grant_write(LOG_DELIVERY)
        .grant_read_acp(LOG_DELIVERY)
        .send()
        .await
        .unwrap();
    s3.put_bucket_logging()
        .bucket(&logged)
        .bucket_logging_status(
            BucketLoggingStatus::builder()
                .logging_enabled(
                    LoggingEnabled::builder()
                        .target_bucket(&logs)
                        .target_prefix("access/")
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    s3.put_bucket_acl()
        .bucket(&public)
        .acl(BucketCannedAcl::PublicRead)
        .send()
        .await
        .unwrap();

    let snapshot = collect(&account);
    assert_eq!(
        ok(&snapshot, "s3", "bucket_logging", &logged),
        &json!({ "target_bucket": logs, "target_prefix": "access/" })
    );
    for bucket in [&logs, &public] {
        assert_eq!(
            ok(&snapshot, "s3", "bucket_logging", bucket),
            &Value::Null,
            "{bucket} does not log"
        );
    }
    const ALL_USERS: &str = "http://acs.amazonaws.com/groups/global/AllUsers";
    let grants = |bucket: &str| {
        ok(&snapshot, "s3", "bucket_acls", bucket)
            .as_array()
            .unwrap()
            .clone()
    };
    let public_grants = grants(&public);
    assert!(
        public_grants.contains(&json!({
            "grantee_type": "Group",
            "grantee": ALL_USERS,
            "permission": "READ",
        })),
        "{public_grants:#?}"
    );
    assert!(
        public_grants
            .iter()
            .any(|grant| grant["grantee_type"] == "CanonicalUser"
                && grant["permission"] == "FULL_CONTROL"
                && !grant["grantee"].as_str().unwrap().is_empty()),
        "the owner keeps full control, named by canonical id: {public_grants:#?}"
    );
    assert!(
        grants(&logged)
            .iter()
            .all(|grant| grant["grantee_type"] == "CanonicalUser"),
        "a private bucket grants no group"
    );
}

async fn a_vpc_flow_log_is_collected_in_its_region_only() {
    let account = Account::new().await;
    aws_sdk_cloudwatchlogs::Client::new(&account.sdk_config())
        .create_log_group()
        .log_group_name("vpc-flow-logs")
        .send()
        .await
        .unwrap();
    let ec2 = aws_sdk_ec2::Client::new(&account.sdk_config());
    let vpc = ec2
        .create_vpc()
        .cidr_block("10.7.0.0/16")
        .send()
        .await
        .unwrap();
    let vpc_id = vpc.vpc().unwrap().vpc_id().unwrap().to_string();
    let created = ec2
        .create_flow_logs()
        .resource_type(FlowLogsResourceType::Vpc)
        .resource_ids(&vpc_id)
        .traffic_type(TrafficType::Reject)
        .log_destination_type(LogDestinationType::CloudWatchLogs)
        .log_group_name("vpc-flow-logs")
        .deliver_logs_permission_arn(account.arn("role/flow-logs"))
        .send()
        .await
        .unwrap();
    let flow_log_id = created.flow_log_ids()[0].clone();

    let snapshot = collect(&account);
    let flow_logs = ok(&snapshot, "ec2", "flow_logs", SEEDED);
    assert_eq!(
        flow_logs,
        &json!([{
            "id": flow_log_id,
            "resource_id": vpc_id,
            "traffic_type": "REJECT",
            "status": "ACTIVE",
            "deliver_logs_status": "SUCCESS",
            "log_destination_type": "cloud-watch-logs",
            // Created with a log group name: the group of that name in the
            // flow log's account and region.
            "log_destination": format!(
                "arn:aws:logs:{SEEDED}:{}:log-group:vpc-flow-logs",
                account.id
            ),
        }])
    );
    assert_eq!(ok(&snapshot, "ec2", "flow_logs", OTHER), &json!([]));
}

async fn security_hub_is_none_only_where_it_is_not_enabled() {
    let account = Account::new().await;
    aws_sdk_securityhub::Client::new(&account.sdk_config())
        .enable_security_hub()
        .send()
        .await
        .unwrap();

    let snapshot = collect(&account);
    let hub = ok(&snapshot, "securityhub", "hubs", SEEDED);
    assert_eq!(
        hub["arn"],
        format!("arn:aws:securityhub:{SEEDED}:{}:hub/default", account.id)
    );
    assert!(hub["subscribed_at"].is_i64(), "{hub}");
    assert_eq!(
        ok(&snapshot, "securityhub", "hubs", OTHER),
        &Value::Null,
        "not subscribed in {OTHER} (InvalidAccessException)"
    );
}

/// On a moto server that enforces IAM, an auditor that may list the trails
/// and the buckets and read the trails' selectors, but not the trails'
/// status, the buckets' logging, nor AWS Config.
async fn denied_logging_calls_are_access_denied_naming_the_action() {
    // Free requests: the bucket and the trail, then the auditor's three.
    let (endpoint, iam) = moto::enforcing_iam("5");
    let sdk_config = aws_config::SdkConfig::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .endpoint_url(&endpoint)
        .region(aws_config::Region::new(SEEDED))
        .credentials_provider(
            aws_credential_types::provider::SharedCredentialsProvider::new(
                aws_credential_types::Credentials::new("test", "test", None, None, "moto"),
            ),
        )
        .build();
    let bucket = "denied-logging-trail";
    aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&sdk_config)
            .force_path_style(true)
            .build(),
    )
    .create_bucket()
    .bucket(bucket)
    .send()
    .await
    .unwrap();
    let trail = aws_sdk_cloudtrail::Client::new(&sdk_config)
        .create_trail()
        .name("audited")
        .s3_bucket_name(bucket)
        .is_multi_region_trail(true)
        .send()
        .await
        .unwrap()
        .trail_arn()
        .unwrap()
        .to_string();
    let auditor = moto::auditor(
        &iam,
        "auditor",
        &[
            "sts:GetCallerIdentity",
            "cloudtrail:DescribeTrails",
            "cloudtrail:GetEventSelectors",
            "s3:ListAllMyBuckets",
            "s3:GetBucketLocation",
            "s3:GetBucketAcl",
            "securityhub:DescribeHub",
        ],
    )
    .await;

    let snapshot = collect_with(|command| moto::configure_auditor(command, &endpoint, &auditor));
    let trails = whole(&snapshot, "cloudtrail", "trails");
    assert_eq!(trails.as_array().unwrap().len(), 1, "{trails:#}");
    ok(&snapshot, "cloudtrail", "event_selectors", &trail);
    ok(&snapshot, "s3", "bucket_acls", bucket);
    // CloudTrail names the principal; S3 says only "Access Denied".
    for (interface, data_set, key, action, reason) in [
        (
            "cloudtrail",
            "trail_statuses",
            trail.as_str(),
            "cloudtrail:GetTrailStatus",
            "user/auditor",
        ),
        (
            "s3",
            "bucket_logging",
            bucket,
            "s3:GetBucketLogging",
            "Access Denied",
        ),
    ] {
        let denied = &entry(&snapshot, interface, data_set, key)["Err"]["AccessDenied"];
        assert_eq!(
            denied["action"], action,
            "{interface}.{data_set} for {key}: {:#}",
            snapshot[interface]
        );
        assert!(
            denied["message"].as_str().unwrap().contains(reason),
            "the service's reason is kept: {denied}"
        );
    }
    // moto 5.2.5 enforcing IAM refuses Security Hub's request signatures
    // (SignatureDoesNotMatch) even for an allowed action, and denies Config
    // calls with a body that is not Config's JSON error shape: both are
    // errors naming the call, never "not enabled" or "no recorder".
    for region in [SEEDED, OTHER] {
        for (interface, data_set, action) in [
            ("securityhub", "hubs", "securityhub:DescribeHub"),
            (
                "config",
                "recorders",
                "config:DescribeConfigurationRecorders",
            ),
        ] {
            let outcome = entry(&snapshot, interface, data_set, region);
            assert!(
                outcome["Err"]["CollectionFailed"]
                    .as_str()
                    .is_some_and(|reason| reason.contains(action)),
                "{interface}.{data_set} in {region}: {outcome}"
            );
        }
    }
}
