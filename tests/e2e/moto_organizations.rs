//! The Organizations controls and S3 Block Public Access end to end: an
//! organization, accounts and buckets seeded in moto through the real SDK,
//! scanned by the `host` binary with those checks. The Organizations controls
//! are Manual: their evidence is asserted in the messages, and the report's
//! scores are shown to leave them out.

use aws_sdk_organizations::types::{OrganizationFeatureSet, PolicyType};
use aws_sdk_s3::types::PublicAccessBlockConfiguration;
use libtest_mimic::Trial;
use plumbline_host::services::s3::KeepEndpointHost;
use serde_json::Value;

use crate::support;
use crate::support::moto::{Account, REGION};
use crate::support::{Run, host, resources, run, status};

pub fn tests() -> Vec<Trial> {
    e2e_tests![
        tokio organization_evidence_names_what_was_seeded_and_is_not_scored,
        tokio account_outside_an_organization_judges_buckets_by_their_own_block,
        tokio account_level_block_covers_every_bucket,
    ]
}

const CENTRALIZED_ROOT: &str = "org-centralized-root-access";
const GUARDRAILS: &str = "org-authorization-guardrails";
const NO_WORKLOADS: &str = "org-management-account-no-workloads";
const OU_STRUCTURE: &str = "org-ou-structure";
const POLICY_ADMIN: &str = "org-delegated-policy-admin";
const SERVICE_ADMINS: &str = "org-delegated-service-admins";
const ORGANIZATION_CHECKS: [&str; 6] = [
    CENTRALIZED_ROOT,
    GUARDRAILS,
    NO_WORKLOADS,
    OU_STRUCTURE,
    POLICY_ADMIN,
    SERVICE_ADMINS,
];
const BLOCK_PUBLIC_ACCESS: &str = "s3-block-public-access";

const DENY_LEAVING: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny",
    "Action":"organizations:LeaveOrganization","Resource":"*"}]}"#;
const REGIONS_ONLY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny",
    "NotAction":"iam:*","Resource":"*","Condition":{"StringNotEquals":
    {"aws:RequestedRegion":["us-east-1","eu-west-1"]}}}]}"#;

/// A scan of `account` in the moto region with the Organizations checks and
/// S3 Block Public Access, as JSON.
fn scan(account: &Account) -> Run {
    let cache = tempfile::tempdir().unwrap();
    let mut command = host(cache.path());
    command.args(["scan", "--format", "json", "--regions", REGION]);
    for check in ORGANIZATION_CHECKS.iter().chain([&BLOCK_PUBLIC_ACCESS]) {
        command.arg("--plugins").arg(support::check(check));
    }
    account.configure(&mut command);
    run(&mut command)
}

/// Every finding message of a check, one per line.
fn messages(report: &Value, check: &str) -> String {
    support::result(report, check)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| finding["message"].as_str().unwrap().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

fn assert_mentions(report: &Value, check: &str, expected: &[&str]) {
    let text = messages(report, check);
    for needle in expected {
        assert!(text.contains(needle), "{check}: {needle:?} not in {text:?}");
    }
}

/// Creates buckets named `<name>-<account id>` (bucket names are global on
/// moto as on AWS); those in `blocked` get all four bucket-level options.
async fn buckets(account: &Account, open: &[&str], blocked: &[&str]) {
    let s3 = aws_sdk_s3::Client::new(&account.sdk_config());
    for name in open.iter().chain(blocked) {
        s3.create_bucket()
            .bucket(bucket_name(account, name))
            .send()
            .await
            .unwrap();
    }
    for name in blocked {
        s3.put_public_access_block()
            .bucket(bucket_name(account, name))
            .public_access_block_configuration(
                PublicAccessBlockConfiguration::builder()
                    .block_public_acls(true)
                    .ignore_public_acls(true)
                    .block_public_policy(true)
                    .restrict_public_buckets(true)
                    .build(),
            )
            .send()
            .await
            .unwrap();
    }
}

fn bucket_name(account: &Account, name: &str) -> String {
    format!("{name}-{}", account.id)
}

fn bucket_arn(account: &Account, name: &str) -> String {
    format!("arn:aws:s3:::{}", bucket_name(account, name))
}

async fn organization_evidence_names_what_was_seeded_and_is_not_scored() {
    let account = Account::new().await;
    let organizations = aws_sdk_organizations::Client::new(&account.sdk_config());
    let organization = organizations
        .create_organization()
        .feature_set(OrganizationFeatureSet::All)
        .send()
        .await
        .unwrap()
        .organization()
        .unwrap()
        .clone();
    let organization_arn = organization.arn().unwrap().to_string();
    let organization_id = organization.id().unwrap().to_string();
    let roots = organizations.list_roots().send().await.unwrap();
    let root = roots.roots()[0].id().unwrap().to_string();
    let unit = |parent: String, name: &'static str| {
        let organizations = organizations.clone();
        async move {
            organizations
                .create_organizational_unit()
                .parent_id(parent)
                .name(name)
                .send()
                .await
                .unwrap()
                .organizational_unit()
                .unwrap()
                .id()
                .unwrap()
                .to_string()
        }
    };
    let security = unit(root.clone(), "Security").await;
    let workloads = unit(root.clone(), "Workloads").await;
    unit(workloads.clone(), "Prod").await;
    let member = |name: &'static str| {
        let organizations = organizations.clone();
        async move {
            organizations
                .create_account()
                .account_name(name)
                .email(format!("{}@example.com", name.to_lowercase()))
                .send()
                .await
                .unwrap()
                .create_account_status()
                .unwrap()
                .account_id()
                .unwrap()
                .to_string()
        }
    };
    let audit = member("Audit").await;
    let legacy = member("Legacy").await;
    organizations
        .move_account()
        .account_id(&audit)
        .source_parent_id(&root)
        .destination_parent_id(&security)
        .send()
        .await
        .unwrap();
    organizations
        .enable_policy_type()
        .root_id(&root)
        .policy_type(PolicyType::ServiceControlPolicy)
        .send()
        .await
        .unwrap();
    for (name, content, target) in [
        ("DenyLeavingOrganization", DENY_LEAVING, &root),
        ("ApprovedRegionsOnly", REGIONS_ONLY, &workloads),
    ] {
        let policy = organizations
            .create_policy()
            .name(name)
            .description(name)
            .r#type(PolicyType::ServiceControlPolicy)
            .content(content)
            .send()
            .await
            .unwrap();
        organizations
            .attach_policy()
            .policy_id(
                policy
                    .policy()
                    .unwrap()
                    .policy_summary()
                    .unwrap()
                    .id()
                    .unwrap(),
            )
            .target_id(target)
            .send()
            .await
            .unwrap();
    }
    organizations
        .register_delegated_administrator()
        .account_id(&audit)
        .service_principal("guardduty.amazonaws.com")
        .send()
        .await
        .unwrap();
    let ec2 = aws_sdk_ec2::Client::new(&account.sdk_config());
    let images = ec2.describe_images().owners("amazon").send().await.unwrap();
    let instance = ec2
        .run_instances()
        .image_id(images.images()[0].image_id().unwrap())
        .min_count(1)
        .max_count(1)
        .send()
        .await
        .unwrap()
        .instances()[0]
        .instance_id()
        .unwrap()
        .to_string();
    buckets(&account, &[], &["locked"]).await;

    let scan_run = scan(&account);
    let report = scan_run.json();

    for check in [GUARDRAILS, OU_STRUCTURE, SERVICE_ADMINS] {
        assert_eq!(
            status(&report, check),
            "manual",
            "{check}: {}",
            scan_run.stderr
        );
        assert_eq!(
            resources(&report, check, "manual"),
            vec![organization_arn.clone()]
        );
    }
    assert_mentions(
        &report,
        GUARDRAILS,
        &[
            &format!("organization {organization_id} (feature set ALL)"),
            &format!("root {root} SCPs ENABLED, RCPs not enabled"),
            "2 customer-managed SCP(s)",
            &format!("DenyLeavingOrganization (attached to {root})"),
            &format!("ApprovedRegionsOnly (attached to {workloads})"),
            "no customer-managed RCPs",
        ],
    );
    assert!(
        !messages(&report, GUARDRAILS).contains("FullAWSAccess"),
        "the AWS-managed allow-all policies guard nothing and are left out"
    );
    assert_mentions(
        &report,
        OU_STRUCTURE,
        &[
            "3 OU(s), 2 at the top level",
            "Security",
            "Workloads",
            "3 account(s), 2 directly under the root",
            &format!("Legacy ({legacy})"),
        ],
    );
    assert!(!messages(&report, OU_STRUCTURE).contains(&format!("Audit ({audit})")));
    assert_mentions(
        &report,
        SERVICE_ADMINS,
        &[&format!(
            "1 delegated administrator(s): {audit} (Audit) for guardduty.amazonaws.com"
        )],
    );

    assert_eq!(status(&report, NO_WORKLOADS), "manual");
    assert_eq!(
        resources(&report, NO_WORKLOADS, "manual"),
        vec![format!("arn:aws:ec2:{REGION}:{}:instances", account.id)]
    );
    assert_mentions(
        &report,
        NO_WORKLOADS,
        &[&format!(
            "1 EC2 instance(s) in the management account: {instance} (running)"
        )],
    );

    // moto answers neither iam:ListOrganizationsFeatures nor
    // organizations:DescribeResourcePolicy: no data is an error, never
    // evidence (the fixtures cover both answers).
    assert_eq!(status(&report, CENTRALIZED_ROOT), "error");
    assert_eq!(status(&report, POLICY_ADMIN), "error");

    assert_eq!(status(&report, BLOCK_PUBLIC_ACCESS), "pass");
    assert_eq!(
        resources(&report, BLOCK_PUBLIC_ACCESS, "pass"),
        vec![bucket_arn(&account, "locked")]
    );

    // The Organizations recommendations are Manual: none is scored, not even
    // the two in error. Block Public Access (Automated) is the only one
    // counted, in every version and level.
    for check in ORGANIZATION_CHECKS {
        let benchmarks = support::result(&report, check)["benchmarks"]
            .as_array()
            .unwrap();
        assert!(
            benchmarks.iter().all(|b| b["scoring"] == "Manual"),
            "{check}: {benchmarks:?}"
        );
    }
    let scores = report["scores"].as_array().unwrap();
    let v7_level2 = scores
        .iter()
        .find(|score| score["version"] == "7.0.0" && score["level"] == 2)
        .unwrap_or_else(|| panic!("no v7.0.0 level 2 score: {scores:#?}"));
    assert_eq!(
        (
            &v7_level2["passed"],
            &v7_level2["failed"],
            &v7_level2["errors"]
        ),
        (&Value::from(1), &Value::from(0), &Value::from(0)),
        "{v7_level2}"
    );
    for score in scores {
        assert_eq!(
            score["passed"].as_u64().unwrap()
                + score["failed"].as_u64().unwrap()
                + score["errors"].as_u64().unwrap(),
            1,
            "only s3-block-public-access is scored: {score}"
        );
    }
}

async fn account_outside_an_organization_judges_buckets_by_their_own_block() {
    let account = Account::new().await;
    buckets(&account, &["open"], &["locked"]).await;

    let scan_run = scan(&account);
    let report = scan_run.json();

    for check in ORGANIZATION_CHECKS {
        assert_eq!(
            status(&report, check),
            "not-applicable",
            "{check}: {}",
            scan_run.stderr
        );
        assert_eq!(
            resources(&report, check, "not-applicable"),
            vec![format!("account {}", account.id)]
        );
        assert_mentions(
            &report,
            check,
            &[&format!(
                "account {} is not in an AWS Organization",
                account.id
            )],
        );
    }
    assert_eq!(status(&report, BLOCK_PUBLIC_ACCESS), "fail");
    assert_eq!(
        resources(&report, BLOCK_PUBLIC_ACCESS, "pass"),
        vec![bucket_arn(&account, "locked")]
    );
    assert_eq!(
        resources(&report, BLOCK_PUBLIC_ACCESS, "fail"),
        vec![bucket_arn(&account, "open")]
    );
    assert_mentions(
        &report,
        BLOCK_PUBLIC_ACCESS,
        &["no bucket-level Block Public Access; no account-level Block Public Access"],
    );
    assert_eq!(scan_run.code, 1, "a failing check exits 1");
}

async fn account_level_block_covers_every_bucket() {
    let account = Account::new().await;
    buckets(&account, &["open"], &[]).await;
    let s3control = aws_sdk_s3control::Client::from_conf(
        aws_sdk_s3control::config::Builder::from(&account.sdk_config())
            .interceptor(KeepEndpointHost::for_account(&account.id))
            .build(),
    );
    s3control
        .put_public_access_block()
        .account_id(&account.id)
        .public_access_block_configuration(
            aws_sdk_s3control::types::PublicAccessBlockConfiguration::builder()
                .block_public_acls(true)
                .ignore_public_acls(true)
                .block_public_policy(true)
                .restrict_public_buckets(true)
                .build(),
        )
        .send()
        .await
        .unwrap();

    let scan_run = scan(&account);
    let report = scan_run.json();
    assert_eq!(
        status(&report, BLOCK_PUBLIC_ACCESS),
        "pass",
        "{}",
        scan_run.stderr
    );
    assert_eq!(
        resources(&report, BLOCK_PUBLIC_ACCESS, "pass"),
        vec![format!("account {}", account.id)]
    );
    assert_eq!(
        resources(&report, BLOCK_PUBLIC_ACCESS, "fail"),
        Vec::<String>::new()
    );
}
