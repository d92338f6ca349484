//! The Monitoring section's data and the web front ends as `host collect`
//! reads them from moto through the AWS SDK, in an account where one of two
//! regions is seeded: KMS keys with their aliases and rotation, metric
//! filters, alarms, SNS topics and subscriptions, load balancers, API
//! Gateway stages and CloudFront distributions. What moto cannot serve the
//! SDK is an error naming the call, and a denied call names its IAM action.

use aws_sdk_cloudfront::types::{
    DefaultCacheBehavior, DistributionConfig, LoggingConfig, Origin, Origins, S3OriginConfig,
    ViewerProtocolPolicy,
};
use aws_sdk_elasticloadbalancingv2::types::LoadBalancerAttribute;
use aws_sdk_kms::types::{KeySpec, KeyUsageType};
use libtest_mimic::Trial;
use serde_json::{Value, json};

use crate::support::collected::{collect, collect_in, entry, ok};
use crate::support::moto::{self, Account};

pub fn tests() -> Vec<Trial> {
    e2e_tests![
        tokio kms_keys_aliases_and_rotation_only_where_it_applies,
        tokio metric_filters_of_every_log_group,
        tokio single_metric_and_metric_math_alarms,
        tokio sns_topics_and_subscriptions,
        tokio load_balancers_and_api_stages_with_their_access_logs,
        tokio cloudfront_distributions_with_their_logging,
        tokio denied_calls_are_access_denied_naming_the_action,
    ]
}

/// The region seeded with the resources (the SDK's home region).
const SEEDED: &str = moto::REGION;
/// The region left empty, or given only what shows a per-region call.
const OTHER: &str = "eu-west-1";
/// The item of a list whose `field` is `value`.
fn with<'a>(items: &'a Value, field: &str, value: &str) -> &'a Value {
    items
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {items}"))
        .iter()
        .find(|item| item[field] == value)
        .unwrap_or_else(|| panic!("no item with {field} {value:?} in {items:#}"))
}

async fn kms_keys_aliases_and_rotation_only_where_it_applies() {
    let account = Account::new().await;
    let kms = aws_sdk_kms::Client::new(&account.sdk_config());
    // AWS defaults the key usage to ENCRYPT_DECRYPT and always reports it;
    // moto 5.2.5 reports none unless it was given.
    let create = |client: aws_sdk_kms::Client| async move {
        let created = client
            .create_key()
            .key_usage(KeyUsageType::EncryptDecrypt)
            .send()
            .await
            .unwrap();
        created.key_metadata().unwrap().arn().unwrap().to_string()
    };
    let rotated = create(kms.clone()).await;
    kms.enable_key_rotation()
        .key_id(&rotated)
        .send()
        .await
        .unwrap();
    for alias in ["alias/app", "alias/billing"] {
        kms.create_alias()
            .alias_name(alias)
            .target_key_id(&rotated)
            .send()
            .await
            .unwrap();
    }
    let disabled = create(kms.clone()).await;
    // moto 5.2.5 fails (HTTP 500) to disable a key given by ARN.
    let disabled_id = disabled.rsplit('/').next().unwrap();
    kms.disable_key().key_id(disabled_id).send().await.unwrap();
    let signing = kms
        .create_key()
        .key_spec(KeySpec::Rsa2048)
        .key_usage(KeyUsageType::SignVerify)
        .send()
        .await
        .unwrap()
        .key_metadata()
        .unwrap()
        .arn()
        .unwrap()
        .to_string();
    // In the other region: its rotation status is read there, the region
    // of its ARN (the home region's KMS does not know the key).
    let unrotated = create(aws_sdk_kms::Client::new(&account.sdk_config_in(OTHER))).await;

    let snapshot = collect(&account);
    let keys = ok(&snapshot, "kms", "keys", SEEDED);
    assert_eq!(keys.as_array().unwrap().len(), 3, "{keys:#}");
    let key = with(keys, "arn", &rotated);
    assert_eq!(key["aliases"], json!(["alias/app", "alias/billing"]));
    for (field, expected) in [
        ("key_manager", "CUSTOMER"),
        ("key_state", "Enabled"),
        ("key_spec", "SYMMETRIC_DEFAULT"),
        ("key_usage", "ENCRYPT_DECRYPT"),
        ("origin", "AWS_KMS"),
    ] {
        assert_eq!(key[field], expected, "{field}: {key}");
    }
    assert!(key["creation_date"].is_i64(), "{key}");
    assert_eq!(
        key["id"].as_str(),
        rotated.rsplit('/').next(),
        "the id is the ARN's last part"
    );
    assert_eq!(with(keys, "arn", &disabled)["key_state"], "Disabled");
    let signing_key = with(keys, "arn", &signing);
    assert_eq!(signing_key["key_spec"], "RSA_2048");
    assert_eq!(signing_key["key_usage"], "SIGN_VERIFY");
    assert_eq!(signing_key["aliases"], json!([]));
    let other = ok(&snapshot, "kms", "keys", OTHER);
    assert_eq!(with(other, "arn", &unrotated)["aliases"], json!([]));

    assert_eq!(ok(&snapshot, "kms", "key_rotation", &rotated), true);
    assert_eq!(ok(&snapshot, "kms", "key_rotation", &unrotated), false);
    // moto answers GetKeyRotationStatus for these too (false), so an
    // answer of not-available shows the host did not call.
    for (arn, reason) in [
        (&disabled, "its key state is \"Disabled\", not Enabled"),
        (
            &signing,
            "its key spec is \"RSA_2048\", not SYMMETRIC_DEFAULT",
        ),
    ] {
        let outcome = entry(&snapshot, "kms", "key_rotation", arn);
        assert!(
            outcome["Err"]["NotAvailable"]
                .as_str()
                .is_some_and(|message| message.contains(arn) && message.contains(reason)),
            "{arn}: {outcome}"
        );
    }
}

async fn metric_filters_of_every_log_group() {
    let account = Account::new().await;
    let logs = aws_sdk_cloudwatchlogs::Client::new(&account.sdk_config());
    let filters = [
        (
            "trail-events",
            "unauthorized-calls",
            r#"{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }"#,
            "UnauthorizedAPICalls",
        ),
        (
            "console-events",
            "root-usage",
            r#"{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS }"#,
            "RootAccountUsage",
        ),
    ];
    for (group, name, pattern, metric) in filters {
        logs.create_log_group()
            .log_group_name(group)
            .send()
            .await
            .unwrap();
        logs.put_metric_filter()
            .log_group_name(group)
            .filter_name(name)
            .filter_pattern(pattern)
            .metric_transformations(
                aws_sdk_cloudwatchlogs::types::MetricTransformation::builder()
                    .metric_name(metric)
                    .metric_namespace("CISBenchmark")
                    .metric_value("1")
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .unwrap();
    }

    let snapshot = collect(&account);
    let listed = ok(&snapshot, "logs", "metric_filters", SEEDED);
    assert_eq!(listed.as_array().unwrap().len(), 2, "{listed:#}");
    for (group, name, pattern, metric) in filters {
        assert_eq!(
            with(listed, "name", name),
            &json!({
                "name": name,
                "log_group_name": group,
                "pattern": pattern,
                "metric_transformations": [
                    {"metric_name": metric, "metric_namespace": "CISBenchmark"}
                ],
            })
        );
    }
    assert_eq!(ok(&snapshot, "logs", "metric_filters", OTHER), &json!([]));
}

/// A single-metric alarm notifying an SNS topic and a metric-math alarm,
/// in one region; the other region has none.
async fn single_metric_and_metric_math_alarms() {
    let account = Account::new().await;
    let cloudwatch = aws_sdk_cloudwatch::Client::new(&account.sdk_config());
    let topic = format!("arn:aws:sns:{SEEDED}:{}:security-alerts", account.id);
    cloudwatch
        .put_metric_alarm()
        .alarm_name("root-usage")
        .metric_name("RootUsage")
        .namespace("CISBenchmark")
        .statistic(aws_sdk_cloudwatch::types::Statistic::Sum)
        .period(300)
        .evaluation_periods(1)
        .threshold(1.0)
        .comparison_operator(
            aws_sdk_cloudwatch::types::ComparisonOperator::GreaterThanOrEqualToThreshold,
        )
        .alarm_actions(&topic)
        .send()
        .await
        .unwrap();
    let metric = |name: &str| {
        aws_sdk_cloudwatch::types::MetricDataQuery::builder()
            .id(name.to_lowercase())
            .metric_stat(
                aws_sdk_cloudwatch::types::MetricStat::builder()
                    .metric(
                        aws_sdk_cloudwatch::types::Metric::builder()
                            .metric_name(name)
                            .namespace("CISBenchmark")
                            .build(),
                    )
                    .period(300)
                    .stat("Sum")
                    .build(),
            )
            .return_data(false)
            .build()
    };
    cloudwatch
        .put_metric_alarm()
        .alarm_name("iam-changes")
        .metrics(metric("IAMPolicyChanges"))
        .metrics(metric("IAMRoleChanges"))
        .metrics(
            aws_sdk_cloudwatch::types::MetricDataQuery::builder()
                .id("total")
                .expression("iampolicychanges + iamrolechanges")
                .return_data(true)
                .build(),
        )
        .evaluation_periods(1)
        .threshold(1.0)
        .comparison_operator(
            aws_sdk_cloudwatch::types::ComparisonOperator::GreaterThanOrEqualToThreshold,
        )
        .send()
        .await
        .unwrap();

    let snapshot = collect(&account);
    let alarms = ok(&snapshot, "cloudwatch", "alarms", SEEDED)
        .as_array()
        .unwrap();
    let named = |name: &str| {
        alarms
            .iter()
            .find(|alarm| alarm["name"] == name)
            .unwrap_or_else(|| panic!("no alarm {name}: {alarms:#?}"))
    };
    let single = named("root-usage");
    assert_eq!(
        single["metrics"],
        json!([{"metric_name": "RootUsage", "namespace": "CISBenchmark"}])
    );
    assert_eq!(single["alarm_actions"], json!([topic]));
    assert_eq!(single["actions_enabled"], true);
    let math = named("iam-changes");
    let metrics: Vec<&str> = math["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|metric| metric["metric_name"].as_str().unwrap())
        .collect();
    assert_eq!(metrics, ["IAMPolicyChanges", "IAMRoleChanges"]);
    assert_eq!(ok(&snapshot, "cloudwatch", "alarms", OTHER), &json!([]));
}

async fn sns_topics_and_subscriptions() {
    let account = Account::new().await;
    let sns = aws_sdk_sns::Client::new(&account.sdk_config());
    let topic = sns
        .create_topic()
        .name("security-alerts")
        .send()
        .await
        .unwrap()
        .topic_arn()
        .unwrap()
        .to_string();
    let queue = format!("arn:aws:sqs:{SEEDED}:{}:alerts-inbox", account.id);
    for (protocol, endpoint) in [("sqs", queue.as_str()), ("email", "oncall@example.com")] {
        sns.subscribe()
            .topic_arn(&topic)
            .protocol(protocol)
            .endpoint(endpoint)
            .send()
            .await
            .unwrap();
    }

    let snapshot = collect(&account);
    assert_eq!(ok(&snapshot, "sns", "topics", SEEDED), &json!([topic]));
    assert_eq!(ok(&snapshot, "sns", "topics", OTHER), &json!([]));
    let subscriptions = ok(&snapshot, "sns", "subscriptions", SEEDED);
    assert_eq!(
        subscriptions.as_array().unwrap().len(),
        2,
        "{subscriptions:#}"
    );
    let queued = with(subscriptions, "protocol", "sqs");
    assert_eq!(queued["topic_arn"], topic.as_str());
    assert_eq!(queued["endpoint"], queue.as_str());
    assert!(
        queued["arn"]
            .as_str()
            .is_some_and(|arn| arn.starts_with(&format!("{topic}:"))),
        "{queued}"
    );
    assert_eq!(queued["confirmed"], true);
    // AWS lists an email subscription as PendingConfirmation until the
    // recipient confirms; moto 5.2.5 gives it its ARN at once, so here it
    // is confirmed too (the pending case is a unit test of the host).
    let emailed = with(subscriptions, "protocol", "email");
    assert_eq!(emailed["endpoint"], "oncall@example.com");
    assert_eq!(emailed["confirmed"], true, "{emailed}");
    assert_eq!(ok(&snapshot, "sns", "subscriptions", OTHER), &json!([]));
}

async fn load_balancers_and_api_stages_with_their_access_logs() {
    let account = Account::new().await;
    let config = account.sdk_config();
    let ec2 = aws_sdk_ec2::Client::new(&config);
    let subnets: Vec<String> = ec2
        .describe_subnets()
        .filters(
            aws_sdk_ec2::types::Filter::builder()
                .name("default-for-az")
                .values("true")
                .build(),
        )
        .send()
        .await
        .unwrap()
        .subnets()
        .iter()
        .filter_map(|subnet| subnet.subnet_id().map(str::to_string))
        .take(2)
        .collect();
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&config);
    let mut load_balancer_arns = Vec::new();
    for name in ["logged", "unlogged"] {
        let created = elb
            .create_load_balancer()
            .name(name)
            .set_subnets(Some(subnets.clone()))
            .send()
            .await
            .unwrap();
        load_balancer_arns.push(
            created.load_balancers()[0]
                .load_balancer_arn()
                .unwrap()
                .to_string(),
        );
    }
    let attribute = |key: &str, value: &str| {
        LoadBalancerAttribute::builder()
            .key(key)
            .value(value)
            .build()
    };
    elb.modify_load_balancer_attributes()
        .load_balancer_arn(&load_balancer_arns[0])
        .attributes(attribute("access_logs.s3.enabled", "true"))
        .attributes(attribute("access_logs.s3.bucket", "elb-access-logs"))
        .send()
        .await
        .unwrap();

    let rest = aws_sdk_apigateway::Client::new(&config);
    let rest_api = rest
        .create_rest_api()
        .name("orders")
        .send()
        .await
        .unwrap()
        .id()
        .unwrap()
        .to_string();
    // A deployment needs a method: GET / answered by a mock integration.
    let root = rest
        .get_resources()
        .rest_api_id(&rest_api)
        .send()
        .await
        .unwrap()
        .items()[0]
        .id()
        .unwrap()
        .to_string();
    rest.put_method()
        .rest_api_id(&rest_api)
        .resource_id(&root)
        .http_method("GET")
        .authorization_type("NONE")
        .send()
        .await
        .unwrap();
    rest.put_integration()
        .rest_api_id(&rest_api)
        .resource_id(&root)
        .http_method("GET")
        .r#type(aws_sdk_apigateway::types::IntegrationType::Mock)
        .send()
        .await
        .unwrap();
    rest.create_deployment()
        .rest_api_id(&rest_api)
        .stage_name("prod")
        .send()
        .await
        .unwrap();
    let rest_log_group = format!(
        "arn:aws:logs:{SEEDED}:{}:log-group:orders-access",
        account.id
    );
    rest.update_stage()
        .rest_api_id(&rest_api)
        .stage_name("prod")
        .patch_operations(
            aws_sdk_apigateway::types::PatchOperation::builder()
                .op(aws_sdk_apigateway::types::Op::Replace)
                .path("/accessLogSettings/destinationArn")
                .value(&rest_log_group)
                .build(),
        )
        .send()
        .await
        .unwrap();

    let http = aws_sdk_apigatewayv2::Client::new(&config);
    let http_api = http
        .create_api()
        .name("webhooks")
        .protocol_type(aws_sdk_apigatewayv2::types::ProtocolType::Http)
        .send()
        .await
        .unwrap()
        .api_id()
        .unwrap()
        .to_string();
    let http_log_group = format!(
        "arn:aws:logs:{SEEDED}:{}:log-group:webhooks-access",
        account.id
    );
    http.create_stage()
        .api_id(&http_api)
        .stage_name("live")
        .access_log_settings(
            aws_sdk_apigatewayv2::types::AccessLogSettings::builder()
                .destination_arn(&http_log_group)
                .format("$context.requestId")
                .build(),
        )
        .send()
        .await
        .unwrap();
    http.create_stage()
        .api_id(&http_api)
        .stage_name("test")
        .send()
        .await
        .unwrap();

    let snapshot = collect(&account);
    let frontends = ok(&snapshot, "frontends", "regional_frontends", SEEDED);
    let stage_arn = |collection: &str, api: &str, stage: &str| {
        format!("arn:aws:apigateway:{SEEDED}::/{collection}/{api}/stages/{stage}")
    };
    let expected = [
        json!({"kind": "elbv2", "arn": load_balancer_arns[0], "name": "logged",
               "access_log_destination": "elb-access-logs"}),
        json!({"kind": "elbv2", "arn": load_balancer_arns[1], "name": "unlogged",
               "access_log_destination": null}),
        json!({"kind": "apigateway-rest", "arn": stage_arn("restapis", &rest_api, "prod"),
               "name": "orders/prod", "access_log_destination": rest_log_group}),
        json!({"kind": "apigateway-http", "arn": stage_arn("apis", &http_api, "live"),
               "name": "webhooks/live", "access_log_destination": http_log_group}),
        json!({"kind": "apigateway-http", "arn": stage_arn("apis", &http_api, "test"),
               "name": "webhooks/test", "access_log_destination": null}),
    ];
    assert_eq!(
        frontends.as_array().unwrap().len(),
        expected.len(),
        "{frontends:#}"
    );
    for frontend in expected {
        assert_eq!(
            with(frontends, "arn", frontend["arn"].as_str().unwrap()),
            &frontend
        );
    }
    assert_eq!(
        ok(&snapshot, "frontends", "regional_frontends", OTHER),
        &json!([])
    );
}

async fn cloudfront_distributions_with_their_logging() {
    let account = Account::new().await;
    let cloudfront = aws_sdk_cloudfront::Client::new(&account.sdk_config());
    let distribution = |reference: &str, logging: Option<LoggingConfig>| {
        let origin = Origin::builder()
            .id("site")
            .domain_name("site-content.s3.amazonaws.com")
            .s3_origin_config(S3OriginConfig::builder().origin_access_identity("").build())
            .build()
            .unwrap();
        DistributionConfig::builder()
            .caller_reference(reference)
            .comment(reference)
            .enabled(true)
            .origins(
                Origins::builder()
                    .quantity(1)
                    .items(origin)
                    .build()
                    .unwrap(),
            )
            .default_cache_behavior(
                DefaultCacheBehavior::builder()
                    .target_origin_id("site")
                    .viewer_protocol_policy(ViewerProtocolPolicy::RedirectToHttps)
                    .build()
                    .unwrap(),
            )
            .set_logging(logging)
            .build()
            .unwrap()
    };
    let logged = cloudfront
        .create_distribution()
        .distribution_config(distribution(
            "logged",
            Some(
                LoggingConfig::builder()
                    .enabled(true)
                    .include_cookies(false)
                    .bucket("cdn-logs.s3.amazonaws.com")
                    .prefix("site/")
                    .build(),
            ),
        ))
        .send()
        .await
        .unwrap();
    let unlogged = cloudfront
        .create_distribution()
        .distribution_config(distribution("unlogged", None))
        .send()
        .await
        .unwrap();

    let snapshot = collect(&account);
    let distributions = snapshot["frontends"]["distributions"]
        .get("Ok")
        .unwrap_or_else(|| panic!("{:#}", snapshot["frontends"]["distributions"]));
    assert_eq!(
        distributions.as_array().unwrap().len(),
        2,
        "{distributions:#}"
    );
    for (created, destination) in [
        (&logged, json!("cdn-logs.s3.amazonaws.com")),
        (&unlogged, Value::Null),
    ] {
        let created = created.distribution().unwrap();
        assert_eq!(
            with(distributions, "arn", created.arn()),
            &json!({"kind": "cloudfront", "arn": created.arn(), "name": created.id(),
                    "access_log_destination": destination})
        );
    }
}

/// On a moto server that enforces IAM, an auditor that may list KMS keys
/// and aliases but not describe a key, nor read metric filters.
async fn denied_calls_are_access_denied_naming_the_action() {
    let (endpoint, iam) = moto::enforcing_iam("4");
    // The first free request: a key of moto's default account, which the
    // auditor below belongs to.
    aws_sdk_kms::Client::from_conf(
        aws_sdk_kms::Config::builder()
            .behavior_version_latest()
            .endpoint_url(&endpoint)
            .region(aws_sdk_kms::config::Region::new(SEEDED))
            .credentials_provider(aws_credential_types::Credentials::new(
                "test", "test", None, None, "moto",
            ))
            .build(),
    )
    .create_key()
    .send()
    .await
    .unwrap();
    let auditor = moto::auditor(
        &iam,
        "auditor",
        &["sts:GetCallerIdentity", "kms:ListKeys", "kms:ListAliases"],
    )
    .await;

    let snapshot = collect_in(SEEDED, |command| {
        moto::configure_auditor(command, &endpoint, &auditor)
    });
    for (interface, data_set, action) in [
        ("kms", "keys", "kms:DescribeKey"),
        ("logs", "metric_filters", "logs:DescribeMetricFilters"),
    ] {
        let denied = &entry(&snapshot, interface, data_set, SEEDED)["Err"]["AccessDenied"];
        assert_eq!(
            denied["action"], action,
            "{interface}.{data_set}: {:#}",
            snapshot[interface]
        );
        assert!(
            denied["message"]
                .as_str()
                .is_some_and(|message| message.contains("user/auditor")),
            "the service's reason is kept: {denied}"
        );
    }
    // A region whose keys could not be read names no key to answer
    // rotation for (a check reads the keys first and reports their error).
    assert_eq!(snapshot["kms"]["key_rotation"], json!({"Ok": {}}));
}
