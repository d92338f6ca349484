//! The Storage and Networking sections against a two-region moto account,
//! scanned live by the real host with the first-party checks: us-east-1 is
//! seeded compliant, eu-west-1 is not, and every check moto can feed gives
//! each resource its verdict in its own region.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_ec2::types::{
    HttpTokensState, InstanceMetadataOptionsRequest, IpPermission, IpRange, Ipv6Range,
    UserIdGroupPair,
};
use libtest_mimic::Trial;
use serde_json::Value;

use crate::support::moto::Account;
use crate::support::{message, resources, result, scan_checks};

pub fn tests() -> Vec<Trial> {
    e2e_tests![
        tokio network_checks_judge_every_resource_in_each_region,
        tokio storage_checks_judge_every_resource_in_each_region,
    ]
}

const COMPLIANT: &str = "us-east-1";
const EXPOSED: &str = "eu-west-1";
const BOTH_REGIONS: &str = "us-east-1,eu-west-1";

const SG_IPV4: &str = "sg-no-admin-ports-from-ipv4-internet";
const SG_IPV6: &str = "sg-no-admin-ports-from-ipv6-internet";
const SG_SSH: &str = "sg-no-ssh-from-internet";
const SG_RDP: &str = "sg-no-rdp-from-internet";
const CIFS: &str = "ec2-cifs-restricted";
const DEFAULT_SG: &str = "vpc-default-security-group-closed";
const NACL: &str = "nacl-no-admin-ports-from-internet";
const IMDS: &str = "ec2-imdsv2-required";
const EBS: &str = "ebs-encryption-by-default";
const PEERING: &str = "vpc-peering-least-access";
const ENDPOINTS: &str = "vpc-endpoints-used";

const S3_DENY_HTTP: &str = "s3-deny-http";
const S3_MFA_DELETE: &str = "s3-mfa-delete";
const S3_ENCRYPTION: &str = "s3-default-encryption";
const RDS_ENCRYPTION: &str = "rds-encryption-at-rest";
const RDS_MINOR_UPGRADE: &str = "rds-auto-minor-version-upgrade";
const RDS_PUBLIC: &str = "rds-no-public-access";
const RDS_MULTI_AZ: &str = "rds-multi-az";
const EFS: &str = "efs-encryption-at-rest";

fn ec2_in(account: &Account, region: &str) -> aws_sdk_ec2::Client {
    aws_sdk_ec2::Client::new(&account.sdk_config_in(region))
}

fn ipv4(from: i32, to: i32, protocol: &str, cidr: &str) -> IpPermission {
    IpPermission::builder()
        .ip_protocol(protocol)
        .from_port(from)
        .to_port(to)
        .ip_ranges(IpRange::builder().cidr_ip(cidr).build())
        .build()
}

fn ipv6(from: i32, to: i32, protocol: &str, cidr: &str) -> IpPermission {
    IpPermission::builder()
        .ip_protocol(protocol)
        .from_port(from)
        .to_port(to)
        .ipv6_ranges(Ipv6Range::builder().cidr_ipv6(cidr).build())
        .build()
}

fn every_protocol_from(cidr: &str) -> IpPermission {
    IpPermission::builder()
        .ip_protocol("-1")
        .ip_ranges(IpRange::builder().cidr_ip(cidr).build())
        .build()
}

/// A security group in the region's default VPC with the given ingress
/// rules; its ARN.
async fn security_group(
    account: &Account,
    region: &str,
    name: &str,
    ingress: Vec<IpPermission>,
) -> String {
    let ec2 = ec2_in(account, region);
    let id = ec2
        .create_security_group()
        .group_name(name)
        .description(name)
        .send()
        .await
        .unwrap()
        .group_id()
        .unwrap()
        .to_string();
    if !ingress.is_empty() {
        ec2.authorize_security_group_ingress()
            .group_id(&id)
            .set_ip_permissions(Some(ingress))
            .send()
            .await
            .unwrap();
    }
    format!("arn:aws:ec2:{region}:{}:security-group/{id}", account.id)
}

/// Strips every VPC's default security group of its rules and every
/// default network ACL of its allow entries: the CIS-compliant state.
async fn close_defaults(ec2: &aws_sdk_ec2::Client) {
    let groups = ec2
        .describe_security_groups()
        .filters(
            aws_sdk_ec2::types::Filter::builder()
                .name("group-name")
                .values("default")
                .build(),
        )
        .send()
        .await
        .unwrap();
    for group in groups.security_groups() {
        let id = group.group_id().unwrap();
        if !group.ip_permissions().is_empty() {
            ec2.revoke_security_group_ingress()
                .group_id(id)
                .set_ip_permissions(Some(group.ip_permissions().to_vec()))
                .send()
                .await
                .unwrap();
        }
        if !group.ip_permissions_egress().is_empty() {
            ec2.revoke_security_group_egress()
                .group_id(id)
                .set_ip_permissions(Some(group.ip_permissions_egress().to_vec()))
                .send()
                .await
                .unwrap();
        }
    }
    let acls = ec2.describe_network_acls().send().await.unwrap();
    for acl in acls.network_acls() {
        for entry in acl.entries() {
            let allows = entry.rule_action().map(|a| a.as_str()) == Some("allow");
            if allows && entry.rule_number() != Some(32767) {
                ec2.delete_network_acl_entry()
                    .network_acl_id(acl.network_acl_id().unwrap())
                    .rule_number(entry.rule_number().unwrap())
                    .egress(entry.egress().unwrap())
                    .send()
                    .await
                    .unwrap();
            }
        }
    }
}

/// The ARNs of the default security groups and network ACLs of a region.
async fn defaults(ec2: &aws_sdk_ec2::Client, account: &Account, region: &str) -> Defaults {
    let groups = ec2.describe_security_groups().send().await.unwrap();
    let acls = ec2.describe_network_acls().send().await.unwrap();
    let arn = |kind: &str, id: &str| format!("arn:aws:ec2:{region}:{}:{kind}/{id}", account.id);
    Defaults {
        security_groups: groups
            .security_groups()
            .iter()
            .filter(|group| group.group_name() == Some("default"))
            .map(|group| arn("security-group", group.group_id().unwrap()))
            .collect(),
        network_acls: acls
            .network_acls()
            .iter()
            .map(|acl| arn("network-acl", acl.network_acl_id().unwrap()))
            .collect(),
    }
}

struct Defaults {
    security_groups: BTreeSet<String>,
    network_acls: BTreeSet<String>,
}

async fn instance(
    ec2: &aws_sdk_ec2::Client,
    account: &Account,
    region: &str,
    tokens: HttpTokensState,
) -> String {
    let images = ec2.describe_images().owners("amazon").send().await.unwrap();
    let id = ec2
        .run_instances()
        .image_id(images.images()[0].image_id().unwrap())
        .min_count(1)
        .max_count(1)
        .metadata_options(
            InstanceMetadataOptionsRequest::builder()
                .http_tokens(tokens)
                .build(),
        )
        .send()
        .await
        .unwrap()
        .instances()[0]
        .instance_id()
        .unwrap()
        .to_string();
    format!("arn:aws:ec2:{region}:{}:instance/{id}", account.id)
}

/// Two VPCs of one region peered, with a route to the peer; the peering
/// connection's id.
async fn peered_vpcs(ec2: &aws_sdk_ec2::Client) -> (String, String) {
    let mut vpcs = Vec::new();
    for cidr in ["10.10.0.0/16", "10.20.0.0/16"] {
        let vpc = ec2.create_vpc().cidr_block(cidr).send().await.unwrap();
        vpcs.push(vpc.vpc().unwrap().vpc_id().unwrap().to_string());
    }
    let peering = ec2
        .create_vpc_peering_connection()
        .vpc_id(&vpcs[0])
        .peer_vpc_id(&vpcs[1])
        .send()
        .await
        .unwrap()
        .vpc_peering_connection()
        .unwrap()
        .vpc_peering_connection_id()
        .unwrap()
        .to_string();
    ec2.accept_vpc_peering_connection()
        .vpc_peering_connection_id(&peering)
        .send()
        .await
        .unwrap();
    let table = ec2
        .create_route_table()
        .vpc_id(&vpcs[0])
        .send()
        .await
        .unwrap()
        .route_table()
        .unwrap()
        .route_table_id()
        .unwrap()
        .to_string();
    ec2.create_route()
        .route_table_id(&table)
        .destination_cidr_block("10.20.5.0/24")
        .vpc_peering_connection_id(&peering)
        .send()
        .await
        .unwrap();
    (peering, vpcs[0].clone())
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

fn set(items: &[&String]) -> BTreeSet<String> {
    items.iter().map(|item| item.to_string()).collect()
}

fn found(report: &Value, check: &str, status: &str) -> BTreeSet<String> {
    resources(report, check, status).into_iter().collect()
}

fn only(statuses: &[&str]) -> BTreeSet<String> {
    statuses.iter().map(|status| status.to_string()).collect()
}

async fn network_checks_judge_every_resource_in_each_region() {
    let account = Account::new().await;
    let compliant = ec2_in(&account, COMPLIANT);
    let exposed = ec2_in(&account, EXPOSED);

    let (peering, peered_vpc) = peered_vpcs(&compliant).await;
    compliant
        .create_vpc_endpoint()
        .vpc_id(&peered_vpc)
        .service_name(format!("com.amazonaws.{COMPLIANT}.s3"))
        .send()
        .await
        .unwrap();
    close_defaults(&compliant).await;
    compliant
        .enable_ebs_encryption_by_default()
        .send()
        .await
        .unwrap();

    let web = security_group(
        &account,
        COMPLIANT,
        "web",
        vec![
            ipv4(443, 443, "tcp", "0.0.0.0/0"),
            ipv6(443, 443, "tcp", "::/0"),
        ],
    )
    .await;
    let office_ssh = security_group(
        &account,
        COMPLIANT,
        "office-ssh",
        vec![ipv4(22, 22, "tcp", "203.0.113.0/24")],
    )
    .await;
    let web_id = web.rsplit('/').next().unwrap().to_string();
    let from_web = security_group(
        &account,
        COMPLIANT,
        "ssh-from-web-tier",
        vec![
            IpPermission::builder()
                .ip_protocol("tcp")
                .from_port(22)
                .to_port(22)
                .user_id_group_pairs(UserIdGroupPair::builder().group_id(&web_id).build())
                .build(),
        ],
    )
    .await;
    let ssh = security_group(
        &account,
        EXPOSED,
        "ssh-world",
        vec![ipv4(22, 22, "tcp", "0.0.0.0/0")],
    )
    .await;
    let rdp_v6 = security_group(
        &account,
        EXPOSED,
        "rdp-ipv6-world",
        vec![ipv6(3389, 3389, "tcp", "::/0")],
    )
    .await;
    let wide_open = security_group(
        &account,
        EXPOSED,
        "everything",
        vec![every_protocol_from("0.0.0.0/0")],
    )
    .await;
    let smb = security_group(
        &account,
        EXPOSED,
        "smb-world",
        vec![ipv4(445, 445, "tcp", "0.0.0.0/0")],
    )
    .await;
    let full_range = security_group(
        &account,
        EXPOSED,
        "all-tcp-ports",
        vec![ipv4(0, 65535, "tcp", "0.0.0.0/0")],
    )
    .await;
    let imds_v2 = instance(&compliant, &account, COMPLIANT, HttpTokensState::Required).await;
    let imds_v1 = instance(&exposed, &account, EXPOSED, HttpTokensState::Optional).await;
    let compliant_defaults = defaults(&compliant, &account, COMPLIANT).await;
    let exposed_defaults = defaults(&exposed, &account, EXPOSED).await;

    let scan = scan_checks(
        &account,
        &[
            SG_IPV4, SG_IPV6, SG_SSH, SG_RDP, CIFS, DEFAULT_SG, NACL, IMDS, EBS, PEERING, ENDPOINTS,
        ],
        &["--regions", BOTH_REGIONS],
    );
    let report = scan.json();

    // Security groups: the IPv4 and IPv6 recommendations are separate, a
    // prefix of the internet or a security group is not the world, and a
    // 0-65535 range or every protocol counts.
    assert_eq!(
        found(&report, SG_IPV4, "fail"),
        set(&[&ssh, &wide_open, &full_range]),
        "{}",
        scan.stderr
    );
    for group in [&web, &office_ssh, &from_web, &rdp_v6, &smb] {
        assert!(
            found(&report, SG_IPV4, "pass").contains(group),
            "{SG_IPV4}: {group}"
        );
    }
    assert_eq!(found(&report, SG_IPV6, "fail"), set(&[&rdp_v6]));
    for group in [&web, &ssh, &wide_open, &smb] {
        assert!(
            found(&report, SG_IPV6, "pass").contains(group),
            "{SG_IPV6}: {group}"
        );
    }
    assert_eq!(
        found(&report, SG_SSH, "fail"),
        set(&[&ssh, &wide_open, &full_range])
    );
    assert_eq!(
        found(&report, SG_RDP, "fail"),
        set(&[&wide_open, &full_range])
    );
    assert_eq!(
        found(&report, CIFS, "fail"),
        set(&[&smb, &wide_open, &full_range])
    );
    assert!(
        message(&report, SG_IPV4, &ssh).contains("22"),
        "{}",
        message(&report, SG_IPV4, &ssh)
    );

    // Default security groups and network ACLs: every VPC's, used or not,
    // in its own region.
    assert_eq!(
        found(&report, DEFAULT_SG, "pass"),
        compliant_defaults.security_groups
    );
    assert_eq!(
        found(&report, DEFAULT_SG, "fail"),
        exposed_defaults.security_groups
    );
    assert!(!exposed_defaults.security_groups.is_empty());
    assert_eq!(
        found(&report, NACL, "pass"),
        compliant_defaults.network_acls
    );
    assert_eq!(found(&report, NACL, "fail"), exposed_defaults.network_acls);

    assert_eq!(found(&report, IMDS, "pass"), set(&[&imds_v2]));
    assert_eq!(found(&report, IMDS, "fail"), set(&[&imds_v1]));

    let ebs = statuses_by_region(&report, EBS);
    assert_eq!(ebs[COMPLIANT], only(&["pass"]), "{ebs:?}");
    assert_eq!(ebs[EXPOSED], only(&["fail"]), "{ebs:?}");

    // Manual controls give their evidence, never a verdict.
    let peering_arn = format!(
        "arn:aws:ec2:{COMPLIANT}:{}:vpc-peering-connection/{peering}",
        account.id
    );
    assert_eq!(found(&report, PEERING, "manual"), set(&[&peering_arn]));
    assert!(
        message(&report, PEERING, &peering_arn).contains("10.20.5.0/24"),
        "{}",
        message(&report, PEERING, &peering_arn)
    );
    let peering_regions = statuses_by_region(&report, PEERING);
    assert_eq!(peering_regions[EXPOSED], only(&["not-applicable"]));
    let endpoint_vpc = format!("arn:aws:ec2:{COMPLIANT}:{}:vpc/{peered_vpc}", account.id);
    assert!(
        message(&report, ENDPOINTS, &endpoint_vpc).contains("s3"),
        "{}",
        message(&report, ENDPOINTS, &endpoint_vpc)
    );
    for check in [
        SG_IPV4, SG_IPV6, SG_SSH, SG_RDP, CIFS, DEFAULT_SG, NACL, IMDS, EBS, PEERING, ENDPOINTS,
    ] {
        assert!(
            resources(&report, check, "error").is_empty(),
            "{check}: {:#}",
            result(&report, check)
        );
    }
}

async fn storage_checks_judge_every_resource_in_each_region() {
    let account = Account::new().await;
    let s3 = aws_sdk_s3::Client::new(&account.sdk_config());
    let tls_only = format!("tls-only-{}", account.id);
    let plain = format!("plain-{}", account.id);
    s3.create_bucket().bucket(&tls_only).send().await.unwrap();
    s3.create_bucket()
        .bucket(&plain)
        .create_bucket_configuration(
            aws_sdk_s3::types::CreateBucketConfiguration::builder()
                .location_constraint(aws_sdk_s3::types::BucketLocationConstraint::EuWest1)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let deny_http = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": {"AWS": "*"},
            "Action": "s3:*",
            "Resource": [format!("arn:aws:s3:::{tls_only}"), format!("arn:aws:s3:::{tls_only}/*")],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}
        }]
    });
    s3.put_bucket_policy()
        .bucket(&tls_only)
        .policy(deny_http.to_string())
        .send()
        .await
        .unwrap();
    s3.put_bucket_versioning()
        .bucket(&tls_only)
        .versioning_configuration(
            aws_sdk_s3::types::VersioningConfiguration::builder()
                .status(aws_sdk_s3::types::BucketVersioningStatus::Enabled)
                .build(),
        )
        .send()
        .await
        .unwrap();
    s3.put_bucket_encryption()
        .bucket(&tls_only)
        .server_side_encryption_configuration(
            aws_sdk_s3::types::ServerSideEncryptionConfiguration::builder()
                .rules(
                    aws_sdk_s3::types::ServerSideEncryptionRule::builder()
                        .apply_server_side_encryption_by_default(
                            aws_sdk_s3::types::ServerSideEncryptionByDefault::builder()
                                .sse_algorithm(aws_sdk_s3::types::ServerSideEncryption::AwsKms)
                                .build()
                                .unwrap(),
                        )
                        .build(),
                )
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();

    let database = |region: &str, name: &str, hardened: bool| {
        let rds = aws_sdk_rds::Client::new(&account.sdk_config_in(region));
        let name = name.to_string();
        async move {
            let created = rds
                .create_db_instance()
                .db_instance_identifier(&name)
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
            created
                .db_instance()
                .unwrap()
                .db_instance_arn()
                .unwrap()
                .to_string()
        }
    };
    let hardened_db = database(COMPLIANT, "hardened", true).await;
    let exposed_db = database(EXPOSED, "exposed", false).await;

    let file_system = |region: &str, encrypted: bool| {
        let efs = aws_sdk_efs::Client::new(&account.sdk_config_in(region));
        async move {
            efs.create_file_system()
                .creation_token(format!("fs-{encrypted}"))
                .encrypted(encrypted)
                .send()
                .await
                .unwrap()
                .file_system_arn()
                .unwrap()
                .to_string()
        }
    };
    let encrypted_fs = file_system(COMPLIANT, true).await;
    let plain_fs = file_system(EXPOSED, false).await;

    let scan = scan_checks(
        &account,
        &[
            S3_DENY_HTTP,
            S3_MFA_DELETE,
            S3_ENCRYPTION,
            RDS_ENCRYPTION,
            RDS_MINOR_UPGRADE,
            RDS_PUBLIC,
            RDS_MULTI_AZ,
            EFS,
        ],
        &["--regions", BOTH_REGIONS],
    );
    let report = scan.json();
    let tls_only_arn = format!("arn:aws:s3:::{tls_only}");
    let plain_arn = format!("arn:aws:s3:::{plain}");

    assert_eq!(
        found(&report, S3_DENY_HTTP, "pass"),
        set(&[&tls_only_arn]),
        "{}",
        scan.stderr
    );
    assert_eq!(found(&report, S3_DENY_HTTP, "fail"), set(&[&plain_arn]));
    // moto 5.2.5 answers GetBucketVersioning under the wrong XML root, which
    // the SDK refuses: unreadable versioning is an error naming the call,
    // never a pass.
    assert_eq!(
        found(&report, S3_MFA_DELETE, "error"),
        set(&[&tls_only_arn, &plain_arn])
    );
    assert!(
        message(&report, S3_MFA_DELETE, &tls_only_arn).contains("s3:GetBucketVersioning"),
        "{}",
        message(&report, S3_MFA_DELETE, &tls_only_arn)
    );
    assert!(found(&report, S3_ENCRYPTION, "pass").contains(&tls_only_arn));
    assert!(
        message(&report, S3_ENCRYPTION, &tls_only_arn).contains("aws:kms"),
        "{}",
        message(&report, S3_ENCRYPTION, &tls_only_arn)
    );
    let plain_region: Vec<&Value> = result(&report, S3_DENY_HTTP)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|finding| finding["resource"] == plain_arn.as_str())
        .collect();
    assert_eq!(plain_region[0]["region"], EXPOSED);

    for check in [RDS_ENCRYPTION, RDS_MINOR_UPGRADE, RDS_PUBLIC] {
        assert_eq!(
            found(&report, check, "pass"),
            set(&[&hardened_db]),
            "{check}"
        );
        assert_eq!(
            found(&report, check, "fail"),
            set(&[&exposed_db]),
            "{check}"
        );
    }
    assert_eq!(
        found(&report, RDS_MULTI_AZ, "manual"),
        set(&[&hardened_db, &exposed_db])
    );
    assert_eq!(found(&report, EFS, "pass"), set(&[&encrypted_fs]));
    assert_eq!(found(&report, EFS, "fail"), set(&[&plain_fs]));
    for check in [
        S3_DENY_HTTP,
        S3_ENCRYPTION,
        RDS_ENCRYPTION,
        RDS_MINOR_UPGRADE,
        RDS_PUBLIC,
        RDS_MULTI_AZ,
        EFS,
    ] {
        assert!(
            resources(&report, check, "error").is_empty(),
            "{check}: {:#}",
            result(&report, check)
        );
    }
}
