//! `host permissions`: the least-privilege policy it prints for the
//! first-party checks is enough for a whole scan on a moto server that
//! enforces IAM (no check meets a denied call), and without one of its
//! actions exactly the checks that need it report `error` naming it.

use std::collections::BTreeMap;

use libtest_mimic::Trial;
use serde_json::Value;

use crate::support::{self, host, moto, run};

pub fn tests() -> Vec<Trial> {
    e2e_tests![
        sync the_policy_and_the_table_list_the_same_read_only_actions,
        tokio a_scan_under_the_printed_policy_meets_no_denied_call,
    ]
}

/// `host permissions --format json` for the first-party checks: the IAM
/// policy document.
fn first_party_policy() -> Value {
    let cache = tempfile::tempdir().unwrap();
    let printed = run(host(cache.path())
        .args(["permissions", "--quiet", "--format", "json", "--plugins"])
        .arg(support::checks_dir()));
    assert_eq!(printed.code, 0, "{}", printed.stderr);
    printed.json()
}

fn actions(policy: &Value) -> Vec<String> {
    policy["Statement"][0]["Action"]
        .as_array()
        .expect("one statement with a list of actions")
        .iter()
        .map(|action| action.as_str().unwrap().to_string())
        .collect()
}

fn the_policy_and_the_table_list_the_same_read_only_actions() {
    let policy = first_party_policy();
    assert_eq!(policy["Version"], "2012-10-17");
    assert_eq!(policy["Statement"][0]["Effect"], "Allow");
    assert_eq!(policy["Statement"][0]["Resource"], "*");
    let actions = actions(&policy);
    for expected in [
        "sts:GetCallerIdentity",
        "iam:GenerateCredentialReport",
        "iam:GetAccountAuthorizationDetails",
        "ec2:DescribeRegions",
        "ec2:DescribeInstances",
        "s3:GetBucketPublicAccessBlock",
        "organizations:ListAccountsForParent",
    ] {
        assert!(
            actions.iter().any(|action| action == expected),
            "{expected}: {actions:?}"
        );
    }
    for action in &actions {
        let operation = action.split_once(':').unwrap().1;
        // API Gateway's IAM actions are HTTP methods: `GET` only reads.
        assert!(
            ["Get", "List", "Describe", "Generate"]
                .iter()
                .any(|verb| operation.starts_with(verb))
                || action == "apigateway:GET",
            "{action} is not a read-only action"
        );
    }

    let cache = tempfile::tempdir().unwrap();
    let table = run(host(cache.path())
        .args(["permissions", "--quiet", "--plugins"])
        .arg(support::checks_dir()));
    assert_eq!(table.code, 0, "{}", table.stderr);
    let rows: Vec<&str> = table
        .stdout
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .filter(|first| first.contains(':') && !first.ends_with(':'))
        .collect();
    assert_eq!(
        rows, actions,
        "one table row per policy action:\n{}",
        table.stdout
    );
    let analyzers = table
        .stdout
        .lines()
        .find(|line| line.starts_with("access-analyzer:ListAnalyzers"))
        .unwrap();
    assert!(
        analyzers.contains("every region") && analyzers.contains("iam-access-analyzer-enabled"),
        "{analyzers}"
    );
}

/// Each check's status and finding messages from a scan as `key`.
fn scan_as(
    endpoint: &str,
    (key_id, secret): &(String, String),
) -> BTreeMap<String, (String, String)> {
    let cache = tempfile::tempdir().unwrap();
    let scan = run(host(cache.path())
        .args(["scan", "--quiet", "--format", "json", "--plugins"])
        .arg(support::checks_dir())
        .env("AWS_ENDPOINT_URL", endpoint)
        .env("AWS_REGION", moto::REGION)
        .env("AWS_ACCESS_KEY_ID", key_id)
        .env("AWS_SECRET_ACCESS_KEY", secret));
    assert!(!scan.stdout.is_empty(), "no report: {}", scan.stderr);
    scan.json()["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|result| {
            (
                result["check"].as_str().unwrap().to_string(),
                (
                    result["status"].as_str().unwrap().to_string(),
                    result["findings"].to_string(),
                ),
            )
        })
        .collect()
}

async fn a_scan_under_the_printed_policy_meets_no_denied_call() {
    let actions = actions(&first_party_policy());
    let removed = "iam:GetAccountPasswordPolicy";
    let fewer: Vec<String> = actions.iter().filter(|a| *a != removed).cloned().collect();
    assert_eq!(fewer.len() + 1, actions.len());

    let (endpoint, iam) = moto::enforcing_iam("6");
    let full = moto::auditor(&iam, "auditor", &actions).await;
    let partial = moto::auditor(&iam, "partial-auditor", &fewer).await;

    let allowed = scan_as(&endpoint, &full);
    assert_eq!(allowed.len(), support::first_party_check_ids().len());
    for (check, (status, findings)) in &allowed {
        assert!(
            !findings.contains("access denied"),
            "{check} ({status}) met a denied call under the printed policy: {findings}"
        );
    }

    let without_one = scan_as(&endpoint, &partial);
    // Statuses, not messages: the second auditor's own key shows in the
    // credential report as used more recently.
    let changed: Vec<&String> = allowed
        .keys()
        .filter(|check| allowed[*check].0 != without_one[*check].0)
        .collect();
    let password_checks: Vec<&String> = allowed
        .keys()
        .filter(|check| check.starts_with("pw-policy-"))
        .collect();
    assert_eq!(
        changed, password_checks,
        "only the checks that read the password policy change"
    );
    for check in password_checks {
        let (status, findings) = &without_one[check];
        assert_eq!(status, "error", "{check}: {findings}");
        assert!(
            findings.contains(&format!("access denied to {removed}")),
            "{check}: {findings}"
        );
    }
}
