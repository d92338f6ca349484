//! The IAM policy, role, identity provider and EC2 instance-role checks end
//! to end: accounts seeded in moto through the real SDK, scanned by the
//! `host` binary with the checks concerned, verdicts asserted per resource
//! and manual evidence asserted in the messages. AWS-managed policies
//! (AdministratorAccess, AWSSupportAccess, AWSCloudShellFullAccess) exist on
//! moto only when loaded at start, so this module runs a server of its own.

use std::sync::OnceLock;

use aws_sdk_ec2::types::IamInstanceProfileSpecification;
use libtest_mimic::Trial;

use crate::support;
use crate::support::moto::{self, Account};
use crate::support::{message, resources, scan_checks, status};

pub fn tests() -> Vec<Trial> {
    e2e_tests![
        tokio users_with_their_own_policies_fail_and_group_members_pass,
        tokio attached_full_admin_policies_fail_and_other_policies_pass,
        tokio support_role_passes_only_when_a_role_has_aws_support_access,
        tokio instances_without_an_instance_profile_fail_in_their_region,
        tokio public_role_trust_policy_is_named_and_manual_controls_are_not_scored,
    ]
}

const TRUST_EC2: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
    "Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
const TRUST_ANYONE: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Anyone",
    "Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}]}"#;
const FULL_ADMIN: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*:*","Resource":"*"}]}"#;
const READ_ONLY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
    "Action":["s3:GetObject","s3:ListBucket"],"Resource":"*"}]}"#;

/// Identity provider metadata. IAM wants at least 1,000 characters and moto
/// does not read it, so a placeholder certificate pads it out.
fn saml_metadata() -> String {
    format!(
        r#"<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com/saml">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
      <ds:X509Data><ds:X509Certificate>{}</ds:X509Certificate></ds:X509Data>
    </ds:KeyInfo></md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
      Location="https://idp.example.com/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>"#,
        "A".repeat(1_200)
    )
}

fn server() -> &'static str {
    static SERVER: OnceLock<String> = OnceLock::new();
    SERVER.get_or_init(|| moto::start(&[("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")]))
}

async fn fresh_account() -> Account {
    Account::on(server()).await
}

fn aws_policy(name: &str) -> String {
    format!("arn:aws:iam::aws:policy/{name}")
}

async fn create_policy(account: &Account, name: &str, document: &str) -> String {
    let created = account
        .iam()
        .create_policy()
        .policy_name(name)
        .policy_document(document)
        .send()
        .await
        .unwrap();
    created.policy().unwrap().arn().unwrap().to_string()
}

async fn create_role(account: &Account, name: &str, trust: &str) {
    account
        .iam()
        .create_role()
        .role_name(name)
        .assume_role_policy_document(trust)
        .send()
        .await
        .unwrap();
}

async fn attach_to_role(account: &Account, role: &str, policy_arn: &str) {
    account
        .iam()
        .attach_role_policy()
        .role_name(role)
        .policy_arn(policy_arn)
        .send()
        .await
        .unwrap();
}

async fn create_user(account: &Account, name: &str) {
    account
        .iam()
        .create_user()
        .user_name(name)
        .send()
        .await
        .unwrap();
}

async fn attach_to_user(account: &Account, user: &str, policy_arn: &str) {
    account
        .iam()
        .attach_user_policy()
        .user_name(user)
        .policy_arn(policy_arn)
        .send()
        .await
        .unwrap();
}

async fn users_with_their_own_policies_fail_and_group_members_pass() {
    let account = fresh_account().await;
    let iam = account.iam();
    let read = create_policy(&account, "s3-read", READ_ONLY).await;
    iam.create_group()
        .group_name("readers")
        .send()
        .await
        .unwrap();
    iam.attach_group_policy()
        .group_name("readers")
        .policy_arn(&read)
        .send()
        .await
        .unwrap();
    create_user(&account, "member").await;
    iam.add_user_to_group()
        .group_name("readers")
        .user_name("member")
        .send()
        .await
        .unwrap();
    create_user(&account, "direct").await;
    attach_to_user(&account, "direct", &read).await;
    create_user(&account, "inline").await;
    iam.put_user_policy()
        .user_name("inline")
        .policy_name("own-read")
        .policy_document(READ_ONLY)
        .send()
        .await
        .unwrap();

    let check = "iam-permissions-via-groups-only";
    let scan = scan_checks(&account, &[check], &[]);
    let report = scan.json();
    assert_eq!(status(&report, check), "fail", "{}", scan.stderr);
    assert_eq!(
        resources(&report, check, "fail"),
        vec![account.arn("user/direct"), account.arn("user/inline")]
    );
    assert_eq!(
        resources(&report, check, "pass"),
        vec![account.arn("user/member")]
    );
    assert!(
        message(&report, check, &account.arn("user/direct")).contains("managed policies s3-read")
    );
    assert!(
        message(&report, check, &account.arn("user/inline")).contains("inline policies own-read")
    );
}

async fn attached_full_admin_policies_fail_and_other_policies_pass() {
    let account = fresh_account().await;
    let iam = account.iam();
    let everything = create_policy(&account, "everything", FULL_ADMIN).await;
    let spare = create_policy(&account, "break-glass", FULL_ADMIN).await;
    let limited = create_policy(&account, "s3-read", READ_ONLY).await;
    iam.create_group()
        .group_name("admins")
        .send()
        .await
        .unwrap();
    iam.attach_group_policy()
        .group_name("admins")
        .policy_arn(&everything)
        .send()
        .await
        .unwrap();
    create_role(&account, "ops", TRUST_EC2).await;
    attach_to_role(&account, "ops", &aws_policy("AdministratorAccess")).await;
    let support = aws_policy("AWSSupportAccess");
    attach_to_role(&account, "ops", &support).await;

    let check = "iam-no-full-admin-policies";
    let scan = scan_checks(&account, &[check], &[]);
    let report = scan.json();
    assert_eq!(status(&report, check), "fail", "{}", scan.stderr);
    let mut expected = vec![everything.clone(), aws_policy("AdministratorAccess")];
    expected.sort();
    assert_eq!(resources(&report, check, "fail"), expected);
    assert!(resources(&report, check, "pass").contains(&spare));
    assert!(message(&report, check, &everything).contains("attached to groups admins"));
    let administrator = message(&report, check, &aws_policy("AdministratorAccess"));
    assert!(
        administrator.contains("AWS-managed policy")
            && administrator.contains("attached to roles ops"),
        "{administrator}"
    );
    assert!(message(&report, check, &spare).contains("attached to no user, group or role"));

    let passed = resources(&report, check, "pass");
    assert!(passed.contains(&limited), "{passed:?}");
    let limited_message = message(&report, check, &limited);
    assert!(
        limited_message.contains("customer-managed policy s3-read does not grant"),
        "{limited_message}"
    );
    assert!(passed.contains(&support), "{passed:?}");
    let support_message = message(&report, check, &support);
    assert!(
        support_message.contains("AWS-managed policy AWSSupportAccess does not grant")
            && support_message.contains("attached to roles ops"),
        "{support_message}"
    );
    // moto loads every AWS-managed policy into the account; only the
    // attached ones are judged.
    assert!(
        !passed.contains(&aws_policy("ReadOnlyAccess")),
        "an unattached AWS-managed policy has no finding: {passed:?}"
    );
}

async fn support_role_passes_only_when_a_role_has_aws_support_access() {
    let support = aws_policy("AWSSupportAccess");
    let with_role = fresh_account().await;
    create_role(&with_role, "support-desk", TRUST_EC2).await;
    attach_to_role(&with_role, "support-desk", &support).await;
    let user_only = fresh_account().await;
    create_user(&user_only, "helpdesk").await;
    attach_to_user(&user_only, "helpdesk", &support).await;

    let check = "iam-support-role";
    let scan_with = scan_checks(&with_role, &[check], &[]);
    let report = scan_with.json();
    assert_eq!(status(&report, check), "pass", "{}", scan_with.stderr);
    assert_eq!(resources(&report, check, "pass"), vec![support.clone()]);
    assert!(message(&report, check, &support).contains("role(s) support-desk"));

    let report = scan_checks(&user_only, &[check], &[]).json();
    assert_eq!(status(&report, check), "fail");
    assert_eq!(resources(&report, check, "fail"), vec![support.clone()]);
    assert!(message(&report, check, &support).contains("attached to users helpdesk"));
}

async fn instances_without_an_instance_profile_fail_in_their_region() {
    let account = fresh_account().await;
    let iam = account.iam();
    create_role(&account, "web", TRUST_EC2).await;
    iam.create_instance_profile()
        .instance_profile_name("web")
        .send()
        .await
        .unwrap();
    iam.add_role_to_instance_profile()
        .instance_profile_name("web")
        .role_name("web")
        .send()
        .await
        .unwrap();
    let ec2 = aws_sdk_ec2::Client::new(&account.sdk_config());
    let images = ec2.describe_images().owners("amazon").send().await.unwrap();
    let image = images.images()[0].image_id().unwrap().to_string();
    let launch = |profile: Option<&str>| {
        ec2.run_instances()
            .image_id(&image)
            .min_count(1)
            .max_count(1)
            .set_iam_instance_profile(profile.map(|name| {
                IamInstanceProfileSpecification::builder()
                    .name(name)
                    .build()
            }))
            .send()
    };
    let with_profile = launch(Some("web")).await.unwrap().instances()[0]
        .instance_id()
        .unwrap()
        .to_string();
    let without = launch(None).await.unwrap().instances()[0]
        .instance_id()
        .unwrap()
        .to_string();
    let instance_arn = |id: &str| format!("arn:aws:ec2:us-east-1:{}:instance/{id}", account.id);

    let check = "ec2-instance-roles";
    let regions = ["--regions", "us-east-1,eu-west-1"];
    let scan_run = scan_checks(&account, &[check], &regions);
    let report = scan_run.json();
    assert_eq!(status(&report, check), "fail", "{}", scan_run.stderr);
    assert_eq!(
        resources(&report, check, "pass"),
        vec![instance_arn(&with_profile)]
    );
    assert_eq!(
        resources(&report, check, "fail"),
        vec![instance_arn(&without)]
    );
    assert!(message(&report, check, &instance_arn(&with_profile)).contains("instance-profile/web"));
    let findings = support::result(&report, check)["findings"]
        .as_array()
        .unwrap();
    assert!(
        findings
            .iter()
            .all(|finding| finding["region"] == "us-east-1")
    );

    let empty = fresh_account().await;
    let report = scan_checks(&empty, &[check], &regions).json();
    assert_eq!(status(&report, check), "pass");
    assert_eq!(
        resources(&report, check, "pass"),
        vec![format!("account {}", empty.id)]
    );
}

async fn public_role_trust_policy_is_named_and_manual_controls_are_not_scored() {
    let account = fresh_account().await;
    let iam = account.iam();
    create_role(&account, "open", TRUST_ANYONE).await;
    create_role(&account, "app", TRUST_EC2).await;
    create_role(&account, "support-desk", TRUST_EC2).await;
    attach_to_role(&account, "support-desk", &aws_policy("AWSSupportAccess")).await;
    create_user(&account, "analyst").await;
    attach_to_user(&account, "analyst", &aws_policy("AWSCloudShellFullAccess")).await;
    iam.create_login_profile()
        .user_name("analyst")
        .password("A-long-enough-passw0rd!")
        .send()
        .await
        .unwrap();
    iam.create_saml_provider()
        .name("corporate-idp")
        .saml_metadata_document(saml_metadata())
        .send()
        .await
        .unwrap();

    let public = "resource-policies-no-public-principal";
    let cloudshell = "iam-cloudshell-full-access-restricted";
    let centralized = "iam-centralized-user-management";
    let support_role = "iam-support-role";
    let scan_run = scan_checks(
        &account,
        &[public, cloudshell, centralized, support_role],
        &[],
    );
    let report = scan_run.json();

    assert_eq!(status(&report, public), "fail", "{}", scan_run.stderr);
    assert_eq!(
        resources(&report, public, "fail"),
        vec![account.arn("role/open")]
    );
    assert!(resources(&report, public, "pass").contains(&account.arn("role/app")));
    assert!(
        message(&report, public, &account.arn("role/open"))
            .contains("statement Anyone allows sts:AssumeRole to Principal \"*\"")
    );
    let account_resource = format!("account {}", account.id);
    assert!(message(&report, public, &account_resource).contains("S3 bucket, SQS queue"));

    assert_eq!(status(&report, cloudshell), "manual");
    let cloudshell_arn = aws_policy("AWSCloudShellFullAccess");
    assert_eq!(
        resources(&report, cloudshell, "manual"),
        vec![cloudshell_arn.clone()]
    );
    assert!(message(&report, cloudshell, &cloudshell_arn).contains("attached to users analyst"));

    assert_eq!(status(&report, centralized), "manual");
    let evidence = message(&report, centralized, &account_resource);
    assert!(
        evidence.contains("SAML providers: 1 (corporate-idp"),
        "{evidence}"
    );
    assert!(
        evidence.contains("IAM users with a console password: 1 (analyst)"),
        "{evidence}"
    );

    // Only the support role is an Automated recommendation: every score
    // counts it alone. The public-principal check failed and the others
    // asked for a review, and none of that is scored.
    assert_eq!(status(&report, support_role), "pass");
    let scores = report["scores"].as_array().unwrap();
    let v7_level1 = scores
        .iter()
        .find(|score| score["version"] == "7.0.0" && score["level"] == 1)
        .unwrap_or_else(|| panic!("no v7.0.0 level 1 score: {scores:#?}"));
    assert_eq!(v7_level1["passed"], 1, "{v7_level1}");
    assert_eq!(v7_level1["failed"], 0, "{v7_level1}");
    for score in scores {
        assert_eq!(
            score["passed"].as_u64().unwrap()
                + score["failed"].as_u64().unwrap()
                + score["errors"].as_u64().unwrap(),
            1,
            "only iam-support-role is scored: {score}"
        );
    }
}
