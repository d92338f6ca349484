//! What the host asks AWS for: only the data the loaded checks import, each
//! call once per scan. Counted with moto's request recorder on a server of
//! this test's own: recording is server-wide, so on the shared server the
//! other tests' requests would be counted too.

use std::collections::BTreeMap;
use std::path::Path;

use libtest_mimic::Trial;

use crate::support;
use crate::support::moto::Account;
use crate::support::moto::record;
use crate::support::{host, moto, run};

pub fn tests() -> Vec<Trial> {
    e2e_tests![
        tokio each_needed_call_is_made_once_and_nothing_else_is_asked,
    ]
}

fn scan_with(account: &Account, plugins: &Path) {
    let cache = tempfile::tempdir().unwrap();
    let mut command = host(cache.path());
    command
        .args(["scan", "--quiet", "--format", "json", "--plugins"])
        .arg(plugins);
    account.configure(&mut command);
    let outcome = run(&mut command);
    // moto lacks some APIs (Access Analyzer, account contacts), so checks
    // may end in `error` (exit 2); the scan itself must still report.
    assert!(
        outcome.code != 2 || !outcome.stdout.is_empty(),
        "{}",
        outcome.stderr
    );
}

async fn each_needed_call_is_made_once_and_nothing_else_is_asked() {
    let endpoint = moto::start(&[]);
    let account = Account::on(&endpoint).await;
    account
        .iam()
        .create_user()
        .user_name("kim")
        .send()
        .await
        .unwrap();

    let calls = record(&endpoint, || scan_with(&account, &support::checks_dir())).await;
    for once in [
        "GetCallerIdentity",
        "GetAccountPasswordPolicy",
        "ListVirtualMFADevices",
        "ListServerCertificates",
        "ListSAMLProviders",
        "ListOpenIDConnectProviders",
        "DescribeRegions",
    ] {
        assert_eq!(calls.get(once), Some(&1), "{once}: {calls:?}");
    }
    for shared in [
        "GetAccountSummary",
        "GetCredentialReport",
        "GetAccountAuthorizationDetails",
    ] {
        assert_eq!(
            calls.get(shared),
            Some(&1),
            "several checks read {shared}, one call: {calls:?}"
        );
    }
    let generate = calls.get("GenerateCredentialReport").copied().unwrap_or(0);
    assert!(
        (1..=3).contains(&generate),
        "generate, then poll until complete: {calls:?}"
    );
    let enabled_regions = aws_sdk_ec2::Client::new(&account.sdk_config())
        .describe_regions()
        .all_regions(true)
        .send()
        .await
        .unwrap()
        .regions()
        .iter()
        .filter(|region| region.opt_in_status() != Some("not-opted-in"))
        // moto lists the China and GovCloud regions too; they are other
        // partitions than this account's.
        .filter(|region| {
            let name = region.region_name().unwrap_or_default();
            !name.starts_with("cn-") && !name.starts_with("us-gov-")
        })
        .count();
    assert!(enabled_regions > 1);
    // Instances answer both `instances` and `instance-metadata-options`;
    // every regional data set is one call per region, however many checks
    // read it.
    for regional in [
        "DescribeInstances",
        "DescribeSecurityGroups",
        "DescribeNetworkAcls",
        "DescribeVpcs",
        "DescribeRouteTables",
        "DescribeVpcPeeringConnections",
        "DescribeVpcEndpoints",
        "GetEbsEncryptionByDefault",
        "DescribeDBInstances",
        "DescribeDBClusters",
    ] {
        assert_eq!(
            calls.get(regional),
            Some(&enabled_regions),
            "one {regional} per enabled region of the partition: {calls:?}"
        );
    }

    let only_root_mfa = record(&endpoint, || {
        scan_with(&account, &support::check("root-mfa"))
    })
    .await;
    let expected: BTreeMap<String, usize> = [
        ("GetCallerIdentity".to_string(), 1),
        ("GetAccountSummary".to_string(), 1),
    ]
    .into();
    assert_eq!(
        only_root_mfa, expected,
        "a scan collects only what its checks import"
    );
}
