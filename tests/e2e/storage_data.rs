//! The Storage section's data as `host collect` reads it from moto through
//! the AWS SDK: each bucket's policy, versioning and default encryption;
//! Macie, RDS and EFS per region, in an account where only one of two
//! regions has the resource or setting. A denied call is an error naming
//! its IAM action, never an empty answer.

use aws_sdk_s3::types::{
    BucketLocationConstraint, BucketVersioningStatus, CreateBucketConfiguration,
    ServerSideEncryption, ServerSideEncryptionByDefault, ServerSideEncryptionConfiguration,
    ServerSideEncryptionRule, VersioningConfiguration,
};
use libtest_mimic::Trial;
use serde_json::{Value, json};

use crate::support::collected::{collect, collect_in, entry, ok};
use crate::support::moto::{self, Account};

pub fn tests() -> Vec<Trial> {
    e2e_tests![
        tokio collect_reads_each_buckets_policy_versioning_and_encryption,
        tokio collect_reads_macie_only_where_it_is_enabled,
        tokio collect_reads_rds_instances_and_clusters_per_region,
        tokio collect_reads_efs_file_systems_per_region,
        tokio denied_calls_are_access_denied_naming_the_action,
    ]
}

/// The region seeded with the resource or setting (the SDK's home region).
const SEEDED: &str = moto::REGION;
/// The region left empty.
const EMPTY: &str = "eu-west-1";
async fn collect_reads_each_buckets_policy_versioning_and_encryption() {
    let account = Account::new().await;
    let s3 = aws_sdk_s3::Client::new(&account.sdk_config());
    let configured = format!("configured-{}", account.id);
    let plain = format!("plain-{}", account.id);
    s3.create_bucket().bucket(&configured).send().await.unwrap();
    s3.create_bucket()
        .bucket(&plain)
        .create_bucket_configuration(
            CreateBucketConfiguration::builder()
                .location_constraint(BucketLocationConstraint::EuWest1)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let policy = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [format!("arn:aws:s3:::{configured}"), format!("arn:aws:s3:::{configured}/*")],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}
        }]
    });
    s3.put_bucket_policy()
        .bucket(&configured)
        .policy(policy.to_string())
        .send()
        .await
        .unwrap();
    s3.put_bucket_versioning()
        .bucket(&configured)
        .versioning_configuration(
            VersioningConfiguration::builder()
                .status(BucketVersioningStatus::Enabled)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let key_id = "arn:aws:kms:us-east-1:123456789012:key/storage-test";
    s3.put_bucket_encryption()
        .bucket(&configured)
        .server_side_encryption_configuration(
            ServerSideEncryptionConfiguration::builder()
                .rules(
                    ServerSideEncryptionRule::builder()
                        .apply_server_side_encryption_by_default(
                            ServerSideEncryptionByDefault::builder()
                                .sse_algorithm(ServerSideEncryption::AwsKms)
                                .kms_master_key_id(key_id)
                                .build()
                                .unwrap(),
                        )
                        .bucket_key_enabled(true)
                        .build(),
                )
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();

    let snapshot = collect(&account);
    let stored_policy = ok(&snapshot, "s3", "bucket_policies", &configured)
        .as_str()
        .expect("the policy is JSON text");
    assert_eq!(
        serde_json::from_str::<Value>(stored_policy).unwrap(),
        policy
    );
    assert_eq!(
        ok(&snapshot, "s3", "bucket_policies", &plain),
        &Value::Null,
        "a bucket without a policy (NoSuchBucketPolicy) has none"
    );
    // moto 5.2.5 answers GetBucketVersioning under the root element
    // `GetBucketVersioningResponse`, not AWS's `VersioningConfiguration`, and
    // the SDK refuses it: versioning cannot be read from moto, so it is an
    // error naming the call for every bucket, never a made-up state.
    for bucket in [&configured, &plain] {
        let outcome = entry(&snapshot, "s3", "bucket_versioning", bucket);
        assert!(
            outcome["Err"]["CollectionFailed"]
                .as_str()
                .is_some_and(|reason| reason.contains("s3:GetBucketVersioning")),
            "{bucket}: {outcome}"
        );
    }
    assert_eq!(
        ok(&snapshot, "s3", "bucket_encryption", &configured),
        &json!([{
            "sse_algorithm": "aws:kms",
            "kms_master_key_id": key_id,
            "bucket_key_enabled": true,
        }])
    );
    // AWS has encrypted every new bucket with AES256 since 2023; moto 5.2.5
    // still answers ServerSideEncryptionConfigurationNotFoundError for a
    // bucket never given a configuration, which is no rule at all.
    assert_eq!(ok(&snapshot, "s3", "bucket_encryption", &plain), &json!([]));
}

async fn collect_reads_macie_only_where_it_is_enabled() {
    let account = Account::new().await;
    // moto enables Macie in every region of a new account.
    aws_sdk_macie2::Client::new(&account.sdk_config_in(EMPTY))
        .disable_macie()
        .send()
        .await
        .unwrap();

    let snapshot = collect(&account);
    assert_eq!(
        ok(&snapshot, "macie", "sessions", EMPTY),
        &Value::Null,
        "Macie is not enabled in {EMPTY} (moto: ResourceNotFoundException)"
    );
    // Where Macie is off the host does not call. moto 5.2.5 implements
    // neither ListClassificationJobs nor GetAutomatedDiscoveryConfiguration,
    // so these answers show that no call was made.
    assert_eq!(
        ok(&snapshot, "macie", "classification_jobs", EMPTY),
        &json!([])
    );
    assert_eq!(
        ok(&snapshot, "macie", "automated_discovery_status", EMPTY),
        "DISABLED"
    );
    // Where Macie is on, moto's session carries timestamps without a UTC
    // offset, which the SDK refuses: the session is an error, and the data
    // read after it carries that error rather than an empty answer.
    for data_set in [
        "sessions",
        "classification_jobs",
        "automated_discovery_status",
    ] {
        let outcome = entry(&snapshot, "macie", data_set, SEEDED);
        assert!(
            outcome["Err"]["CollectionFailed"]
                .as_str()
                .is_some_and(|reason| reason.contains("macie2:GetMacieSession")),
            "macie.{data_set} in {SEEDED}: {outcome}"
        );
    }
}

async fn collect_reads_rds_instances_and_clusters_per_region() {
    let account = Account::new().await;
    let database = |region: &str, identifier: &str, hardened: bool| {
        let rds = aws_sdk_rds::Client::new(&account.sdk_config_in(region));
        let identifier = identifier.to_string();
        async move {
            rds.create_db_instance()
                .db_instance_identifier(identifier)
                .db_instance_class("db.t3.micro")
                .engine("postgres")
                .master_username("admin")
                .master_user_password("a-long-password")
                .allocated_storage(20)
                .storage_encrypted(hardened)
                .publicly_accessible(!hardened)
                .auto_minor_version_upgrade(hardened)
                .multi_az(hardened)
                .send()
                .await
                .unwrap();
        }
    };
    database(SEEDED, "hardened", true).await;
    database(EMPTY, "exposed", false).await;
    let rds = aws_sdk_rds::Client::new(&account.sdk_config());
    rds.create_db_cluster()
        .db_cluster_identifier("aurora")
        .engine("aurora-postgresql")
        .master_username("admin")
        .master_user_password("a-long-password")
        .storage_encrypted(true)
        .send()
        .await
        .unwrap();
    rds.create_db_instance()
        .db_instance_identifier("aurora-writer")
        .db_cluster_identifier("aurora")
        .db_instance_class("db.r6g.large")
        .engine("aurora-postgresql")
        .send()
        .await
        .unwrap();

    let snapshot = collect(&account);
    let instances = |region: &str| {
        ok(&snapshot, "rds", "db_instances", region)
            .as_array()
            .unwrap()
            .clone()
    };
    let seeded = instances(SEEDED);
    let hardened = seeded
        .iter()
        .find(|instance| instance["identifier"] == "hardened")
        .unwrap_or_else(|| panic!("no instance `hardened` in {SEEDED}: {seeded:#?}"));
    assert_eq!(
        hardened["arn"],
        format!("arn:aws:rds:{SEEDED}:{}:db:hardened", account.id)
    );
    assert_eq!(hardened["engine"], "postgres");
    for (field, expected) in [
        ("storage_encrypted", true),
        ("publicly_accessible", false),
        ("auto_minor_version_upgrade", true),
        ("multi_az", true),
    ] {
        assert_eq!(hardened[field], expected, "hardened.{field}: {hardened}");
    }
    assert_eq!(hardened["cluster_identifier"], Value::Null);
    let writer = seeded
        .iter()
        .find(|instance| instance["identifier"] == "aurora-writer")
        .unwrap_or_else(|| panic!("no instance `aurora-writer` in {SEEDED}: {seeded:#?}"));
    assert_eq!(writer["cluster_identifier"], "aurora");

    let empty = instances(EMPTY);
    assert_eq!(empty.len(), 1, "{empty:#?}");
    let exposed = &empty[0];
    assert_eq!(exposed["identifier"], "exposed");
    for (field, expected) in [
        ("storage_encrypted", false),
        ("publicly_accessible", true),
        ("auto_minor_version_upgrade", false),
        ("multi_az", false),
    ] {
        assert_eq!(exposed[field], expected, "exposed.{field}: {exposed}");
    }

    let clusters = ok(&snapshot, "rds", "db_clusters", SEEDED);
    assert_eq!(clusters.as_array().unwrap().len(), 1, "{clusters:#}");
    let cluster = &clusters[0];
    assert_eq!(cluster["identifier"], "aurora");
    assert_eq!(
        cluster["arn"],
        format!("arn:aws:rds:{SEEDED}:{}:cluster:aurora", account.id)
    );
    assert_eq!(cluster["engine"], "aurora-postgresql");
    assert_eq!(cluster["storage_encrypted"], true);
    assert_eq!(cluster["members"], json!(["aurora-writer"]));
    assert_eq!(ok(&snapshot, "rds", "db_clusters", EMPTY), &json!([]));
}

async fn collect_reads_efs_file_systems_per_region() {
    let account = Account::new().await;
    let encrypted = aws_sdk_efs::Client::new(&account.sdk_config())
        .create_file_system()
        .creation_token("encrypted")
        .encrypted(true)
        .tags(
            aws_sdk_efs::types::Tag::builder()
                .key("Name")
                .value("shared-home")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let plain = aws_sdk_efs::Client::new(&account.sdk_config_in(EMPTY))
        .create_file_system()
        .creation_token("plain")
        .send()
        .await
        .unwrap();

    let snapshot = collect(&account);
    let file_system = |region: &str| {
        let listed = ok(&snapshot, "efs", "file_systems", region);
        assert_eq!(listed.as_array().unwrap().len(), 1, "{listed:#}");
        listed[0].clone()
    };
    let seeded = file_system(SEEDED);
    assert_eq!(seeded["id"], encrypted.file_system_id());
    assert_eq!(
        seeded["arn"],
        format!(
            "arn:aws:elasticfilesystem:{SEEDED}:{}:file-system/{}",
            account.id,
            encrypted.file_system_id()
        )
    );
    assert_eq!(seeded["name"], "shared-home");
    assert_eq!(seeded["encrypted"], true);
    assert_eq!(seeded["life_cycle_state"], "available");
    assert!(seeded["creation_time"].is_i64(), "{seeded}");
    let empty = file_system(EMPTY);
    assert_eq!(empty["id"], plain.file_system_id());
    assert_eq!(
        empty["name"], "",
        "moto names an untagged file system \"\" (AWS leaves the name out)"
    );
    assert_eq!(empty["encrypted"], false);
    assert_eq!(empty["kms_key_id"], Value::Null);
}

/// On a moto server that enforces IAM, an auditor that may list the buckets
/// but not read their policies, nor the RDS instances.
async fn denied_calls_are_access_denied_naming_the_action() {
    let (endpoint, iam) = moto::enforcing_iam("4");
    // The first free request: a bucket of moto's default account, which the
    // auditor below belongs to.
    let bucket = "denied-calls-policy";
    aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::Config::builder()
            .behavior_version_latest()
            .endpoint_url(&endpoint)
            .region(aws_sdk_s3::config::Region::new(SEEDED))
            .credentials_provider(aws_credential_types::Credentials::new(
                "test", "test", None, None, "moto",
            ))
            .force_path_style(true)
            .build(),
    )
    .create_bucket()
    .bucket(bucket)
    .send()
    .await
    .unwrap();
    let auditor = moto::auditor(
        &iam,
        "auditor",
        &[
            "sts:GetCallerIdentity",
            "s3:ListAllMyBuckets",
            "s3:GetBucketLocation",
        ],
    )
    .await;

    let snapshot = collect_in(SEEDED, |command| {
        moto::configure_auditor(command, &endpoint, &auditor)
    });
    // S3 says only "Access Denied"; RDS names the principal.
    for (interface, data_set, key, action, reason) in [
        (
            "s3",
            "bucket_policies",
            bucket,
            "s3:GetBucketPolicy",
            "Access Denied",
        ),
        (
            "rds",
            "db_instances",
            SEEDED,
            "rds:DescribeDBInstances",
            "user/auditor",
        ),
    ] {
        let denied = &entry(&snapshot, interface, data_set, key)["Err"]["AccessDenied"];
        assert_eq!(
            denied["action"], action,
            "{interface}.{data_set}: {:#}",
            snapshot[interface]
        );
        assert!(
            denied["message"].as_str().unwrap().contains(reason),
            "the service's reason is kept: {denied}"
        );
    }
}
