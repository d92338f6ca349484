//! End to end through the real AWS SDK: accounts seeded in moto, scanned by
//! the `host` binary with the first-party checks, verdicts asserted per
//! resource.

use libtest_mimic::Trial;

use crate::support;
use crate::support::moto::Account;
use crate::support::{host, resources, run, scan_checks, seed, status};

pub fn tests() -> Vec<Trial> {
    e2e_tests![
        tokio compliant_account_passes_every_check_moto_can_represent,
        tokio non_compliant_account_fails_with_the_offending_resources,
        tokio unused_credentials_use_the_threshold_of_each_benchmark_version,
        tokio a_collected_snapshot_gives_the_same_verdicts_offline,
        tokio collect_reads_users_policies_devices_and_certificates,
        tokio collect_reads_ebs_encryption_by_default_per_region,
        tokio data_moto_cannot_give_is_an_error_never_a_pass,
        tokio a_registered_security_contact_passes_and_none_fails,
    ]
}

/// The checks these tests judge: the IAM user and root basics. The other
/// IAM-section checks have test files of their own (tests/moto_*.rs).
const CHECKS: [&str; 5] = [
    "iam-unused-credentials-disabled",
    "iam-user-console-mfa",
    "pw-policy-min-length-14",
    "root-mfa",
    "root-no-access-keys",
];

async fn compliant_account_passes_every_check_moto_can_represent() {
    let account = Account::new().await;
    let iam = account.iam();
    iam.update_account_password_policy()
        .minimum_password_length(14)
        .send()
        .await
        .unwrap();
    seed::user(&account, "carol", true, 0).await;
    seed::enable_virtual_mfa(&account, "carol").await;
    seed::user(&account, "dave", false, 1).await;

    let scan = scan_checks(&account, &CHECKS, &[]);
    let report = scan.json();
    assert_eq!(report["account"]["id"], account.id.as_str());
    assert_eq!(
        status(&report, "pw-policy-min-length-14"),
        "pass",
        "{}",
        scan.stderr
    );
    assert_eq!(status(&report, "iam-user-console-mfa"), "pass");
    assert_eq!(
        resources(&report, "iam-user-console-mfa", "pass"),
        vec![account.arn("user/carol")]
    );
    assert_eq!(status(&report, "iam-unused-credentials-disabled"), "pass");
    assert_eq!(
        resources(&report, "iam-unused-credentials-disabled", "pass"),
        vec![account.arn("user/carol"), account.arn("user/dave")]
    );
    assert_eq!(status(&report, "root-no-access-keys"), "pass");
    // moto reports AccountMFAEnabled = 0 for every account: root MFA cannot
    // be seeded, so it fails here (the pass case is a snapshot fixture).
    assert_eq!(status(&report, "root-mfa"), "fail");
    assert_eq!(
        resources(&report, "root-mfa", "fail"),
        vec![account.arn("root")]
    );
    assert_eq!(scan.code, 1, "a failing check exits 1");
}

async fn non_compliant_account_fails_with_the_offending_resources() {
    let account = Account::new().await;
    seed::user(&account, "erin", true, 0).await;
    seed::user(&account, "grace", true, 0).await;
    seed::enable_virtual_mfa(&account, "grace").await;
    seed::user(&account, "frank", false, 1).await;

    let scan = scan_checks(&account, &CHECKS, &[]);
    let report = scan.json();
    assert_eq!(
        status(&report, "pw-policy-min-length-14"),
        "fail",
        "no password policy at all"
    );
    assert_eq!(
        resources(&report, "iam-user-console-mfa", "fail"),
        vec![account.arn("user/erin")]
    );
    assert_eq!(
        resources(&report, "iam-user-console-mfa", "pass"),
        vec![account.arn("user/grace")]
    );
    assert_eq!(status(&report, "iam-user-console-mfa"), "fail");
    assert_eq!(scan.code, 1);

    let iam = account.iam();
    iam.update_account_password_policy()
        .minimum_password_length(13)
        .send()
        .await
        .unwrap();
    let report = scan_checks(&account, &CHECKS, &[]).json();
    let finding = &support::result(&report, "pw-policy-min-length-14")["findings"][0];
    assert_eq!(finding["status"], "fail");
    assert!(
        finding["message"].as_str().unwrap().contains("is 13"),
        "{finding}"
    );
}

async fn unused_credentials_use_the_threshold_of_each_benchmark_version() {
    let account = Account::new().await;
    seed::user(&account, "frank", false, 1).await;
    seed::user(&account, "heidi", true, 0).await;

    // 60 days on: past 45 (v1.4.0 and later), within 90 (v1.2.0, v1.3.0).
    let in_60_days = seed::days_from_now(60);
    let latest = scan_checks(&account, &CHECKS, &["--now", &in_60_days]).json();
    assert_eq!(status(&latest, "iam-unused-credentials-disabled"), "fail");
    assert_eq!(
        resources(&latest, "iam-unused-credentials-disabled", "fail"),
        vec![account.arn("user/frank"), account.arn("user/heidi")]
    );
    let legacy = scan_checks(
        &account,
        &CHECKS,
        &["--now", &in_60_days, "--benchmark-version", "1.2.0"],
    )
    .json();
    assert_eq!(status(&legacy, "iam-unused-credentials-disabled"), "pass");
    let reference = support::result(&legacy, "iam-unused-credentials-disabled")["benchmarks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["version"] == "1.2.0")
        .cloned()
        .unwrap();
    assert_eq!(reference["id"], "1.3");
    assert_eq!(reference["scoring"], "Scored");

    // 100 days on: past both thresholds.
    let legacy = scan_checks(
        &account,
        &CHECKS,
        &[
            "--now",
            &seed::days_from_now(100),
            "--benchmark-version",
            "1.3.0",
        ],
    )
    .json();
    assert_eq!(
        resources(&legacy, "iam-unused-credentials-disabled", "fail"),
        vec![account.arn("user/frank"), account.arn("user/heidi")]
    );
}

async fn a_collected_snapshot_gives_the_same_verdicts_offline() {
    let account = Account::new().await;
    seed::user(&account, "ivan", true, 0).await;
    seed::user(&account, "judy", false, 1).await;
    let cache = tempfile::tempdir().unwrap();
    let snapshot = cache.path().join("account.json");

    let mut collect = host(cache.path());
    collect.args(["collect", "--out"]).arg(&snapshot);
    account.configure(&mut collect);
    let collected = run(&mut collect);
    assert_eq!(collected.code, 0, "{}", collected.stderr);

    // The whole first-party suite: every data source goes through the
    // snapshot, including the regional and per-bucket ones.
    let mut live = host(cache.path());
    live.args(["scan", "--plugins"])
        .arg(support::checks_dir())
        .args(["--format", "json", "--now", "@4102444800"]);
    account.configure(&mut live);
    let live = run(&mut live).json();
    let mut offline = host(cache.path());
    offline
        .args(["scan", "--plugins"])
        .arg(support::checks_dir())
        .arg("--snapshot")
        .arg(&snapshot)
        .args(["--format", "json", "--now", "@4102444800"]);
    let offline = run(&mut offline).json();
    assert_eq!(live["results"], offline["results"]);
    assert_eq!(live["scores"], offline["scores"]);
}

async fn collect_reads_users_policies_devices_and_certificates() {
    let account = Account::new().await;
    let iam = account.iam();
    let statement = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}]}"#;
    let admin =
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
    iam.create_user().user_name("lee").send().await.unwrap();
    iam.create_group().group_name("ops").send().await.unwrap();
    iam.add_user_to_group()
        .group_name("ops")
        .user_name("lee")
        .send()
        .await
        .unwrap();
    iam.put_user_policy()
        .user_name("lee")
        .policy_name("reports")
        .policy_document(statement)
        .send()
        .await
        .unwrap();
    let policy = iam
        .create_policy()
        .policy_name("everything")
        .policy_document(admin)
        .send()
        .await
        .unwrap();
    let policy_arn = policy.policy().unwrap().arn().unwrap().to_string();
    iam.attach_user_policy()
        .user_name("lee")
        .policy_arn(&policy_arn)
        .send()
        .await
        .unwrap();
    iam.attach_group_policy()
        .group_name("ops")
        .policy_arn(&policy_arn)
        .send()
        .await
        .unwrap();
    seed::enable_virtual_mfa(&account, "lee").await;
    iam.upload_server_certificate()
        .server_certificate_name("www")
        .certificate_body("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----")
        .private_key("-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----")
        .send()
        .await
        .unwrap();

    let cache = tempfile::tempdir().unwrap();
    let out = cache.path().join("snapshot.json");
    let mut collect = host(cache.path());
    collect.args(["collect", "--out"]).arg(&out);
    account.configure(&mut collect);
    let collected = run(&mut collect);
    assert_eq!(collected.code, 0, "{}", collected.stderr);
    let snapshot: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let iam_data = &snapshot["iam"];

    let details = &iam_data["authorization_details"]["Ok"];
    let lee = details["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["name"] == "lee")
        .unwrap();
    assert_eq!(lee["groups"], serde_json::json!(["ops"]));
    assert_eq!(lee["attached_policies"][0]["arn"], policy_arn.as_str());
    let inline: serde_json::Value =
        serde_json::from_str(lee["inline_policies"][0]["document"].as_str().unwrap())
            .expect("decoded JSON");
    assert_eq!(inline["Statement"][0]["Resource"], "arn:aws:s3:::reports/*");
    let managed = details["policies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["arn"] == policy_arn.as_str())
        .unwrap();
    assert_eq!(managed["aws_managed"], false);
    assert_eq!(managed["default_version_id"], "v1");
    let document: serde_json::Value =
        serde_json::from_str(managed["document"].as_str().unwrap()).unwrap();
    assert_eq!(document["Statement"][0]["Action"], "*");
    let ops = details["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == "ops")
        .unwrap();
    assert_eq!(ops["attached_policies"][0]["arn"], policy_arn.as_str());

    let devices = iam_data["virtual_mfa_devices"]["Ok"].as_array().unwrap();
    assert!(
        devices
            .iter()
            .any(|d| d["user_arn"] == account.arn("user/lee").as_str()),
        "{devices:?}"
    );
    let certificates = iam_data["server_certificates"]["Ok"].as_array().unwrap();
    assert_eq!(certificates[0]["name"], "www");
    assert!(certificates[0]["expiration"].is_i64());
    assert_eq!(
        iam_data["password_policy"],
        serde_json::json!({"Ok": null}),
        "no policy is not an error"
    );
    let summary = iam_data["account_summary"]["Ok"].as_array().unwrap();
    assert!(
        summary
            .iter()
            .any(|entry| entry["name"] == "Users" && entry["value"] == 1),
        "{summary:?}"
    );
}

/// The EBS setting added through the registry (issue: one place per data
/// set): collected per region, each region its own outcome.
async fn collect_reads_ebs_encryption_by_default_per_region() {
    let account = Account::new().await;
    aws_sdk_ec2::Client::new(&account.sdk_config())
        .enable_ebs_encryption_by_default()
        .send()
        .await
        .unwrap();

    let cache = tempfile::tempdir().unwrap();
    let out = cache.path().join("snapshot.json");
    let mut collect = host(cache.path());
    collect
        .args(["collect", "--regions", "eu-west-1,us-east-1", "--out"])
        .arg(&out);
    account.configure(&mut collect);
    let collected = run(&mut collect);
    assert_eq!(collected.code, 0, "{}", collected.stderr);
    let snapshot: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(
        snapshot["ec2"]["ebs_encryption_by_default"],
        serde_json::json!({ "Ok": {
            "eu-west-1": { "Ok": false },
            "us-east-1": { "Ok": true },
        }}),
        "enabled in {} only",
        support::moto::REGION
    );
}

async fn data_moto_cannot_give_is_an_error_never_a_pass() {
    let account = Account::new().await;
    let cache = tempfile::tempdir().unwrap();
    let mut command = host(cache.path());
    command
        .args(["scan", "--plugins"])
        .arg(support::checks_dir())
        .args(["--format", "json"]);
    account.configure(&mut command);
    let scan = run(&mut command);
    assert_eq!(
        scan.code, 2,
        "checks without their data make the scan exit 2: {}",
        scan.stderr
    );
    let report = scan.json();
    // moto 5.2.5 implements neither IAM Access Analyzer nor the account's
    // primary contact (it has the alternate contacts).
    for (check, action) in [
        (
            "iam-access-analyzer-enabled",
            "access-analyzer:ListAnalyzers",
        ),
        ("account-contact-details", "account:GetContactInformation"),
    ] {
        assert_eq!(status(&report, check), "error", "{check}");
        let findings = support::result(&report, check)["findings"].to_string();
        assert!(findings.contains(action), "{check}: {findings}");
        assert!(
            resources(&report, check, "pass").is_empty(),
            "{check}: {findings}"
        );
    }
}

async fn a_registered_security_contact_passes_and_none_fails() {
    let account = Account::new().await;
    let check = ["account-security-contact"];
    let report = scan_checks(&account, &check, &[]).json();
    assert_eq!(
        resources(&report, "account-security-contact", "fail"),
        vec![format!("account {}", account.id)]
    );

    aws_sdk_account::Client::new(&account.sdk_config())
        .put_alternate_contact()
        .alternate_contact_type(aws_sdk_account::types::AlternateContactType::Security)
        .name("Security Operations")
        .title("SOC")
        .email_address("soc@example.com")
        .phone_number("+1 555 0100")
        .send()
        .await
        .unwrap();
    let report = scan_checks(&account, &check, &[]).json();
    assert_eq!(status(&report, "account-security-contact"), "pass");
    let finding = &support::result(&report, "account-security-contact")["findings"][0];
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("Security Operations"),
        "{finding}"
    );
}
