//! The password policy and access key checks end to end: accounts seeded in
//! moto through the real AWS SDK, scanned by the `host` binary with those
//! checks only, verdicts asserted per resource. What moto cannot seed (the
//! root user's row, hardware MFA, backdated keys) is covered by the checks'
//! fixtures; key age is reached here by moving the scan's "now" forward.

use libtest_mimic::Trial;
use serde_json::Value;

use crate::support;
use crate::support::moto::Account;
use crate::support::{message, resources, seed, status};

pub fn tests() -> Vec<Trial> {
    e2e_tests![
        tokio password_policy_checks_pass_a_cis_policy_and_fail_a_weak_or_missing_one,
        tokio a_user_with_two_active_access_keys_fails_and_one_with_one_passes,
        tokio access_keys_older_than_90_days_fail_rotation,
        tokio console_users_with_a_never_used_access_key_fail_the_setup_check,
    ]
}

const PASSWORD_POLICY_CHECKS: [&str; 7] = [
    "pw-policy-min-length-14",
    "pw-policy-uppercase",
    "pw-policy-lowercase",
    "pw-policy-symbol",
    "pw-policy-number",
    "pw-policy-reuse",
    "pw-policy-expiry-90",
];

/// A scan of `account` with the given first-party checks, as a JSON report.
fn scan(account: &Account, checks: &[&str], extra: &[&str]) -> Value {
    let outcome = support::scan_checks(account, checks, extra);
    assert!(
        outcome.code == 0 || outcome.code == 1,
        "scan exited {}: {}",
        outcome.code,
        outcome.stderr
    );
    outcome.json()
}

/// The one finding a check gave, for account-wide checks.
fn only_finding<'a>(report: &'a Value, check: &str) -> &'a Value {
    let findings = support::result(report, check)["findings"]
        .as_array()
        .unwrap();
    assert_eq!(findings.len(), 1, "{check}: {findings:?}");
    &findings[0]
}

async fn password_policy_checks_pass_a_cis_policy_and_fail_a_weak_or_missing_one() {
    let compliant = Account::new().await;
    compliant
        .iam()
        .update_account_password_policy()
        .minimum_password_length(14)
        .require_uppercase_characters(true)
        .require_lowercase_characters(true)
        .require_symbols(true)
        .require_numbers(true)
        .password_reuse_prevention(24)
        .max_password_age(90)
        .send()
        .await
        .unwrap();
    let weak = Account::new().await;
    weak.iam()
        .update_account_password_policy()
        .minimum_password_length(12)
        .password_reuse_prevention(5)
        .max_password_age(180)
        .send()
        .await
        .unwrap();
    let without_policy = Account::new().await;

    let report = scan(&compliant, &PASSWORD_POLICY_CHECKS, &[]);
    for check in PASSWORD_POLICY_CHECKS {
        assert_eq!(status(&report, check), "pass", "{check}");
        assert_eq!(
            resources(&report, check, "pass"),
            vec![format!("account {}", compliant.id)],
            "{check}"
        );
    }
    assert!(
        only_finding(&report, "pw-policy-reuse")["message"]
            .as_str()
            .unwrap()
            .contains("remembers 24 previous passwords")
    );

    let report = scan(&weak, &PASSWORD_POLICY_CHECKS, &[]);
    for check in PASSWORD_POLICY_CHECKS {
        assert_eq!(status(&report, check), "fail", "{check}");
        assert_eq!(
            resources(&report, check, "fail"),
            vec![format!("account {}", weak.id)],
            "{check}"
        );
    }
    for (check, evidence) in [
        ("pw-policy-min-length-14", "minimum password length is 12"),
        (
            "pw-policy-uppercase",
            "does not require at least one uppercase letter",
        ),
        (
            "pw-policy-lowercase",
            "does not require at least one lowercase letter",
        ),
        ("pw-policy-symbol", "does not require at least one symbol"),
        ("pw-policy-number", "does not require at least one number"),
        ("pw-policy-reuse", "remembers 5 previous passwords"),
        ("pw-policy-expiry-90", "passwords expire after 180 days"),
    ] {
        let message = only_finding(&report, check)["message"].as_str().unwrap();
        assert!(message.contains(evidence), "{check}: {message}");
    }

    let report = scan(&without_policy, &PASSWORD_POLICY_CHECKS, &[]);
    for check in PASSWORD_POLICY_CHECKS {
        let finding = only_finding(&report, check);
        assert_eq!(finding["status"], "fail", "{check}");
        assert!(
            finding["message"]
                .as_str()
                .unwrap()
                .contains("no password policy"),
            "{check}: {finding}"
        );
    }
}

async fn a_user_with_two_active_access_keys_fails_and_one_with_one_passes() {
    let account = Account::new().await;
    seed::user(&account, "ivan", false, 2).await;
    seed::user(&account, "judy", false, 1).await;
    seed::user(&account, "kim", true, 0).await;

    let report = scan(&account, &["iam-single-active-access-key"], &[]);
    let check = "iam-single-active-access-key";
    assert_eq!(status(&report, check), "fail");
    assert_eq!(
        resources(&report, check, "fail"),
        vec![account.arn("user/ivan")]
    );
    assert_eq!(
        resources(&report, check, "pass"),
        vec![account.arn("user/judy"), account.arn("user/kim")]
    );
    let ivan = message(&report, check, &account.arn("user/ivan"));
    assert!(
        ivan.contains("access key 1 never used, access key 2 never used"),
        "{ivan}"
    );

    // Deactivating the second key leaves one active key: a pass.
    let iam = account.iam();
    let keys = iam
        .list_access_keys()
        .user_name("ivan")
        .send()
        .await
        .unwrap();
    iam.update_access_key()
        .user_name("ivan")
        .access_key_id(keys.access_key_metadata()[1].access_key_id().unwrap())
        .status(aws_sdk_iam::types::StatusType::Inactive)
        .send()
        .await
        .unwrap();
    let report = scan(&account, &[check], &[]);
    assert_eq!(status(&report, check), "pass");
    assert_eq!(resources(&report, check, "fail"), Vec::<String>::new());
}

async fn access_keys_older_than_90_days_fail_rotation() {
    let account = Account::new().await;
    seed::user(&account, "leo", false, 1).await;
    seed::user(&account, "mia", true, 2).await;
    seed::user(&account, "ned", true, 0).await;
    let check = "iam-access-key-rotation";

    let today = scan(&account, &[check], &[]);
    assert_eq!(status(&today, check), "pass");
    assert_eq!(
        resources(&today, check, "pass"),
        vec![account.arn("user/leo"), account.arn("user/mia")]
    );
    assert_eq!(
        resources(&today, check, "not-applicable"),
        vec![account.arn("user/ned")],
        "no active key, nothing to rotate"
    );

    let in_100_days = scan(&account, &[check], &["--now", &seed::days_from_now(100)]);
    assert_eq!(status(&in_100_days, check), "fail");
    assert_eq!(
        resources(&in_100_days, check, "fail"),
        vec![account.arn("user/leo"), account.arn("user/mia")]
    );
    let mia = support::result(&in_100_days, check)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|finding| finding["resource"] == account.arn("user/mia"))
        .unwrap();
    let message = mia["message"].as_str().unwrap();
    assert!(
        message.contains("access key 1 last rotated") && message.contains("access key 2"),
        "{message}"
    );
    assert!(message.contains("(100 days ago)"), "{message}");

    let in_80_days = scan(&account, &[check], &["--now", &seed::days_from_now(80)]);
    assert_eq!(status(&in_80_days, check), "pass");
}

async fn console_users_with_a_never_used_access_key_fail_the_setup_check() {
    let account = Account::new().await;
    seed::user(&account, "olga", true, 1).await;
    seed::user(&account, "pete", true, 0).await;
    seed::user(&account, "quinn", false, 1).await;
    let check = "iam-no-access-keys-at-user-setup";

    let report = scan(&account, &[check], &[]);
    assert_eq!(status(&report, check), "fail");
    assert_eq!(
        resources(&report, check, "fail"),
        vec![account.arn("user/olga")]
    );
    assert_eq!(
        resources(&report, check, "pass"),
        vec![account.arn("user/pete"), account.arn("user/quinn")]
    );
    let olga = message(&report, check, &account.arn("user/olga"));
    assert!(olga.contains("active access key 1 never used"), "{olga}");
}
