//! A scanning principal that may not make some calls, on a moto server that
//! enforces IAM: the checks needing the denied data report `error` naming the
//! denied action, the others still judge, and nothing reports a pass for data
//! it never saw.

use libtest_mimic::Trial;

use crate::support;
use crate::support::{host, moto, resources, run, status};

pub fn tests() -> Vec<Trial> {
    e2e_tests![
        tokio denied_calls_become_errors_that_name_the_action,
    ]
}

/// moto's default account: with IAM enforced, requests are checked against
/// users of this account.
const ACCOUNT: &str = "123456789012";

async fn denied_calls_become_errors_that_name_the_action() {
    let (endpoint, iam) = moto::enforcing_iam("3");
    let (key_id, secret) = moto::auditor(
        &iam,
        "auditor",
        &[
            "sts:GetCallerIdentity",
            "iam:GetAccountSummary",
            "iam:GetAccountPasswordPolicy",
        ],
    )
    .await;

    let cache = tempfile::tempdir().unwrap();
    let scan = run(host(cache.path())
        .args(["scan", "--format", "json", "--plugins"])
        .arg(support::checks_dir())
        .env("AWS_ENDPOINT_URL", &endpoint)
        .env("AWS_REGION", moto::REGION)
        .env("AWS_ACCESS_KEY_ID", key_id)
        .env("AWS_SECRET_ACCESS_KEY", secret));
    assert_eq!(
        scan.code, 2,
        "checks that could not evaluate make the scan exit 2: {}",
        scan.stderr
    );
    assert!(
        scan.stderr
            .contains("access denied to iam:GenerateCredentialReport"),
        "{}",
        scan.stderr
    );
    let report = scan.json();
    for check in ["iam-user-console-mfa", "iam-unused-credentials-disabled"] {
        assert_eq!(status(&report, check), "error", "{check}");
        let finding = &support::result(&report, check)["findings"][0];
        assert_eq!(finding["resource"], format!("account {ACCOUNT}"));
        let message = finding["message"].as_str().unwrap();
        assert!(
            message.contains("access denied to iam:GenerateCredentialReport"),
            "{message}"
        );
        assert!(
            message.contains("user/auditor"),
            "the service's reason is kept: {message}"
        );
    }
    assert_eq!(
        status(&report, "root-no-access-keys"),
        "pass",
        "allowed data is still judged"
    );
    assert_eq!(
        resources(&report, "pw-policy-min-length-14", "fail"),
        vec![format!("account {ACCOUNT}")]
    );
    // Regional checks: the regions themselves could not be listed.
    for check in ["iam-access-analyzer-enabled", "ec2-instance-roles"] {
        assert_eq!(status(&report, check), "error", "{check}");
        let messages = support::result(&report, check)["findings"].to_string();
        assert!(
            messages.contains("access denied to ec2:DescribeRegions"),
            "{check}: {messages}"
        );
    }
    // Nothing passes on data it was denied: only the root-key check reads
    // nothing but the allowed account summary and can pass here.
    for result in report["results"].as_array().unwrap() {
        let check = result["check"].as_str().unwrap();
        if check != "root-no-access-keys" {
            assert_ne!(result["status"], "pass", "{check} passed: {result}");
        }
    }
}
