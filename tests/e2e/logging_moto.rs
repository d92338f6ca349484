//! The Logging section against a two-region moto account, scanned live by
//! the real host with the first-party checks: us-east-1 is seeded compliant,
//! eu-west-1 is not, and every Automated control moto can represent gives
//! each resource its verdict in its own region (trails in their home
//! region). Moto keeps no CloudWatch Logs delivery time for trails, so the
//! CloudWatch Logs integration of a trail that names a log group is a fail
//! ("never delivered"), never a pass. The web front-end control (Manual, v7.0.0
//! only) is left to its fixtures.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_cloudtrail::types::{DataResource, EventSelector, ReadWriteType};
use aws_sdk_config::types::{ConfigurationRecorder, DeliveryChannel, RecordingGroup};
use aws_sdk_ec2::types::{FlowLogsResourceType, LogDestinationType, TrafficType};
use aws_sdk_s3::types::{
    BucketCannedAcl, BucketLocationConstraint, BucketLoggingStatus, CreateBucketConfiguration,
    LoggingEnabled,
};
use libtest_mimic::Trial;
use serde_json::Value;

use crate::support::moto::Account;
use crate::support::{message, resources, result, scan_checks};

pub fn tests() -> Vec<Trial> {
    e2e_tests![
        tokio trail_checks_judge_each_trail_in_its_home_region,
        tokio regional_logging_checks_judge_every_resource_in_each_region,
    ]
}

/// The S3 log delivery group, as a grant header names it.
const LOG_DELIVERY: &str = "uri=http://acs.amazonaws.com/groups/s3/LogDelivery";

const COMPLIANT: &str = "us-east-1";
const EXPOSED: &str = "eu-west-1";
const BOTH_REGIONS: &str = "us-east-1,eu-west-1";

const MULTI_REGION: &str = "cloudtrail-multi-region";
const VALIDATION: &str = "cloudtrail-log-file-validation";
const BUCKET_NOT_PUBLIC: &str = "cloudtrail-bucket-not-public";
const CLOUDWATCH: &str = "cloudtrail-cloudwatch-logs-integration";
const BUCKET_LOGGING: &str = "cloudtrail-bucket-access-logging";
const TRAIL_KMS: &str = "cloudtrail-kms-encryption";
const OBJECT_WRITES: &str = "s3-object-level-write-logging";
const OBJECT_READS: &str = "s3-object-level-read-logging";
const CONFIG: &str = "config-enabled-all-regions";
const KEY_ROTATION: &str = "kms-key-rotation";
const FLOW_LOGS: &str = "vpc-flow-logs";

async fn create_bucket(account: &Account, region: &str, bucket: &str) {
    let s3 = aws_sdk_s3::Client::new(&account.sdk_config_in(region));
    let mut request = s3.create_bucket().bucket(bucket);
    if region != COMPLIANT {
        request = request.create_bucket_configuration(
            CreateBucketConfiguration::builder()
                .location_constraint(BucketLocationConstraint::from(region))
                .build(),
        );
    }
    request.send().await.unwrap();
}

fn found(report: &Value, check: &str, status: &str) -> BTreeSet<String> {
    resources(report, check, status).into_iter().collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|item| item.to_string()).collect()
}

/// The statuses a check gave in each region.
fn statuses_by_region(report: &Value, check: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut by_region: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for finding in result(report, check)["findings"].as_array().unwrap() {
        by_region
            .entry(finding["region"].as_str().unwrap().to_string())
            .or_default()
            .insert(finding["status"].as_str().unwrap().to_string());
    }
    by_region
}

/// us-east-1: a multi-region trail that logs everything (management events,
/// S3 object events of every bucket), validates and encrypts its files, names
/// a log group and delivers to a private bucket with access logging. eu-west-1:
/// a single-region trail that is not logging, with none of that, delivering
/// to a public bucket without access logging.
async fn trail_checks_judge_each_trail_in_its_home_region() {
    let account = Account::new().await;
    let audit_bucket = format!("audit-{}", account.id);
    let access_logs = format!("access-logs-{}", account.id);
    let public_bucket = format!("public-trail-{}", account.id);
    create_bucket(&account, COMPLIANT, &audit_bucket).await;
    create_bucket(&account, COMPLIANT, &access_logs).await;
    create_bucket(&account, EXPOSED, &public_bucket).await;
    let s3 = aws_sdk_s3::Client::new(&account.sdk_config());
    // S3 (and moto) refuse a logging target the log delivery group cannot write to.
    s3.put_bucket_acl()
        .bucket(&access_logs)
        .grant_write(LOG_DELIVERY)
        .grant_read_acp(LOG_DELIVERY)
        .send()
        .await
        .unwrap();
    s3.put_bucket_logging()
        .bucket(&audit_bucket)
        .bucket_logging_status(
            BucketLoggingStatus::builder()
                .logging_enabled(
                    LoggingEnabled::builder()
                        .target_bucket(&access_logs)
                        .target_prefix("audit/")
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    aws_sdk_s3::Client::new(&account.sdk_config_in(EXPOSED))
        .put_bucket_acl()
        .bucket(&public_bucket)
        .acl(BucketCannedAcl::PublicRead)
        .send()
        .await
        .unwrap();

    let home = aws_sdk_cloudtrail::Client::new(&account.sdk_config());
    let audit = home
        .create_trail()
        .name("audit")
        .s3_bucket_name(&audit_bucket)
        .is_multi_region_trail(true)
        .enable_log_file_validation(true)
        .kms_key_id(format!(
            "arn:aws:kms:{COMPLIANT}:{}:key/1111aaaa-0000-0000-0000-000000000001",
            account.id
        ))
        .cloud_watch_logs_log_group_arn(format!(
            "arn:aws:logs:{COMPLIANT}:{}:log-group:audit:*",
            account.id
        ))
        .cloud_watch_logs_role_arn(account.arn("role/cloudtrail-to-logs"))
        .send()
        .await
        .unwrap()
        .trail_arn()
        .unwrap()
        .to_string();
    home.start_logging().name(&audit).send().await.unwrap();
    home.put_event_selectors()
        .trail_name(&audit)
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
                .build(),
        )
        .send()
        .await
        .unwrap();
    let regional = aws_sdk_cloudtrail::Client::new(&account.sdk_config_in(EXPOSED))
        .create_trail()
        .name("regional")
        .s3_bucket_name(&public_bucket)
        .is_multi_region_trail(false)
        .send()
        .await
        .unwrap()
        .trail_arn()
        .unwrap()
        .to_string();

    let checks = [
        MULTI_REGION,
        VALIDATION,
        BUCKET_NOT_PUBLIC,
        CLOUDWATCH,
        BUCKET_LOGGING,
        TRAIL_KMS,
        OBJECT_WRITES,
        OBJECT_READS,
    ];
    let scan = scan_checks(&account, &checks, &["--regions", BOTH_REGIONS]);
    let report = scan.json();

    // The account-level controls: one qualifying trail is the account's pass.
    for check in [MULTI_REGION, OBJECT_WRITES, OBJECT_READS] {
        assert_eq!(
            found(&report, check, "pass"),
            set(&[&audit]),
            "{check}: {}",
            scan.stderr
        );
        assert_eq!(
            statuses_by_region(&report, check),
            BTreeMap::from([(COMPLIANT.to_string(), set(&["pass"]))]),
            "{check}"
        );
    }

    // Per trail, in its home region: the audit trail passes, the regional
    // one fails.
    for check in [VALIDATION, BUCKET_NOT_PUBLIC, BUCKET_LOGGING, TRAIL_KMS] {
        assert_eq!(
            found(&report, check, "pass"),
            set(&[&audit]),
            "{check}: {report:#}"
        );
        assert_eq!(found(&report, check, "fail"), set(&[&regional]), "{check}");
        assert_eq!(
            statuses_by_region(&report, check),
            BTreeMap::from([
                (COMPLIANT.to_string(), set(&["pass"])),
                (EXPOSED.to_string(), set(&["fail"])),
            ]),
            "{check}"
        );
    }
    assert!(
        message(&report, BUCKET_NOT_PUBLIC, &regional).contains("its ACL grants READ to AllUsers"),
        "{}",
        message(&report, BUCKET_NOT_PUBLIC, &regional)
    );

    // Moto records no CloudWatch Logs delivery for a trail: the log group
    // alone never passes.
    assert!(found(&report, CLOUDWATCH, "pass").is_empty(), "{report:#}");
    assert_eq!(
        found(&report, CLOUDWATCH, "fail"),
        set(&[&audit, &regional])
    );
    assert!(
        message(&report, CLOUDWATCH, &audit).contains("has never delivered"),
        "{}",
        message(&report, CLOUDWATCH, &audit)
    );
    assert!(message(&report, CLOUDWATCH, &regional).contains("no log group"));
}

/// AWS Config, KMS key rotation and VPC flow logs: us-east-1 set up as CIS
/// asks, eu-west-1 not.
async fn regional_logging_checks_judge_every_resource_in_each_region() {
    let account = Account::new().await;

    // AWS Config: complete in us-east-1 (global resources included); a
    // recorder that was never started, without a delivery channel, in
    // eu-west-1.
    let config_bucket = format!("config-{}", account.id);
    create_bucket(&account, COMPLIANT, &config_bucket).await;
    for region in [COMPLIANT, EXPOSED] {
        let config = aws_sdk_config::Client::new(&account.sdk_config_in(region));
        config
            .put_configuration_recorder()
            .configuration_recorder(
                ConfigurationRecorder::builder()
                    .name("default")
                    .role_arn(account.arn("role/config"))
                    .recording_group(
                        RecordingGroup::builder()
                            .all_supported(true)
                            .include_global_resource_types(region == COMPLIANT)
                            .build(),
                    )
                    .build(),
            )
            .send()
            .await
            .unwrap();
        if region == COMPLIANT {
            config
                .put_delivery_channel()
                .delivery_channel(
                    DeliveryChannel::builder()
                        .name("default")
                        .s3_bucket_name(&config_bucket)
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
        }
    }

    // KMS: one customer key per region, rotating only in us-east-1.
    let mut keys = BTreeMap::new();
    for region in [COMPLIANT, EXPOSED] {
        let kms = aws_sdk_kms::Client::new(&account.sdk_config_in(region));
        // Moto leaves KeyUsage empty unless it is given.
        let key = kms
            .create_key()
            .key_usage(aws_sdk_kms::types::KeyUsageType::EncryptDecrypt)
            .send()
            .await
            .unwrap();
        let metadata = key.key_metadata().unwrap();
        if region == COMPLIANT {
            kms.enable_key_rotation()
                .key_id(metadata.key_id())
                .send()
                .await
                .unwrap();
        }
        keys.insert(region, metadata.arn().unwrap().to_string());
    }

    // Flow logs: every VPC of us-east-1 (moto's default VPC and one more)
    // captures rejected traffic; in eu-west-1 the default VPC captures only
    // accepted traffic and a second VPC has none.
    let flow_bucket = format!("flow-logs-{}", account.id);
    create_bucket(&account, COMPLIANT, &flow_bucket).await;
    let mut vpcs: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (region, traffic) in [
        (COMPLIANT, TrafficType::Reject),
        (EXPOSED, TrafficType::Accept),
    ] {
        let ec2 = aws_sdk_ec2::Client::new(&account.sdk_config_in(region));
        let extra = ec2
            .create_vpc()
            .cidr_block("10.30.0.0/16")
            .send()
            .await
            .unwrap();
        let extra_id = extra.vpc().unwrap().vpc_id().unwrap().to_string();
        let ids: Vec<String> = ec2
            .describe_vpcs()
            .send()
            .await
            .unwrap()
            .vpcs()
            .iter()
            .map(|vpc| vpc.vpc_id().unwrap().to_string())
            .collect();
        let logged: Vec<String> = if region == COMPLIANT {
            ids.clone()
        } else {
            ids.iter().filter(|id| **id != extra_id).cloned().collect()
        };
        ec2.create_flow_logs()
            .resource_type(FlowLogsResourceType::Vpc)
            .set_resource_ids(Some(logged))
            .traffic_type(traffic)
            .log_destination_type(LogDestinationType::S3)
            .log_destination(format!("arn:aws:s3:::{flow_bucket}"))
            .send()
            .await
            .unwrap();
        let arns = ids
            .iter()
            .map(|id| format!("arn:aws:ec2:{region}:{}:vpc/{id}", account.id))
            .collect();
        vpcs.insert(region, arns);
    }

    let scan = scan_checks(
        &account,
        &[CONFIG, KEY_ROTATION, FLOW_LOGS],
        &["--regions", BOTH_REGIONS],
    );
    let report = scan.json();

    let region_recorder = |region: &str| {
        format!(
            "arn:aws:config:{region}:{}:configuration-recorder",
            account.id
        )
    };
    let account_resource = format!("account {}", account.id);
    assert_eq!(
        found(&report, CONFIG, "pass"),
        set(&[&region_recorder(COMPLIANT), &account_resource]),
        "{}",
        scan.stderr
    );
    assert_eq!(
        found(&report, CONFIG, "fail"),
        set(&[&region_recorder(EXPOSED)])
    );
    let exposed_config = message(&report, CONFIG, &region_recorder(EXPOSED));
    assert!(
        exposed_config.contains("is not recording")
            && exposed_config.contains("no delivery channel"),
        "{exposed_config}"
    );
    assert!(message(&report, CONFIG, &account_resource).contains(COMPLIANT));

    assert_eq!(
        found(&report, KEY_ROTATION, "pass"),
        set(&[&keys[COMPLIANT]]),
        "{:#}",
        result(&report, KEY_ROTATION)
    );
    assert_eq!(found(&report, KEY_ROTATION, "fail"), set(&[&keys[EXPOSED]]));
    assert_eq!(
        statuses_by_region(&report, KEY_ROTATION),
        BTreeMap::from([
            (COMPLIANT.to_string(), set(&["pass"])),
            (EXPOSED.to_string(), set(&["fail"])),
        ])
    );

    let region_vpcs = |region: &str| vpcs[region].iter().cloned().collect::<BTreeSet<_>>();
    assert_eq!(
        found(&report, FLOW_LOGS, "pass"),
        region_vpcs(COMPLIANT),
        "{report:#}"
    );
    assert_eq!(found(&report, FLOW_LOGS, "fail"), region_vpcs(EXPOSED));
    assert_eq!(
        vpcs[EXPOSED].len(),
        2,
        "moto's default VPC and the one created"
    );
    assert!(
        vpcs[EXPOSED]
            .iter()
            .any(|vpc| message(&report, FLOW_LOGS, vpc).contains("captures only ACCEPT traffic")),
        "{report:#}"
    );
}
