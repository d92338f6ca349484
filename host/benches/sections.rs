//! The Networking and Storage checks on a large synthetic account: 20,000
//! security group rules, network ACLs, route tables, peering connections,
//! endpoints, flow logs and instances over four regions for the Networking checks;
//! 5,000 buckets with policies, versioning and encryption, RDS instances,
//! EFS file systems and Macie for the Storage checks. Prints the snapshot's
//! size and read time, the time to evaluate each section's checks (best of
//! five) and the process's peak memory.
//!
//!     scripts/build-components.sh && cargo bench -p plumbline-host --bench sections
//!
//! Not a test: nothing here asserts a time.

#[path = "support/memory.rs"]
mod memory;
mod support;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use memory::peak_rss_kb;
use plumbline_host::bindings::ec2::{
    FlowLog, ImdsDefaults, Instance, IpPermission, NetworkAcl, NetworkAclEntry, PeeringSide,
    PortRange, Route, RouteTable, SecurityGroup, Vpc, VpcEndpoint, VpcPeeringConnection,
};
use plumbline_host::bindings::efs::FileSystem;
use plumbline_host::bindings::macie::MacieSession;
use plumbline_host::bindings::rds::DbInstance;
use plumbline_host::bindings::s3::{Bucket, EncryptionRule, PublicAccessBlock, Versioning};
use plumbline_host::registry::{Outcome, PerKey, Regional};
use plumbline_host::runtime::{Limits, Runtime, ScanData};
use plumbline_host::services::ec2::{InstanceRecord, MetadataOptions};
use plumbline_host::services::{ec2, efs, macie, rds, s3};
use plumbline_host::snapshot::Snapshot;
use support::{best_of, fmt, row, time_once};

const NOW: i64 = 1_796_083_200;
const ACCOUNT: &str = "123456789012";
const REGIONS: [&str; 4] = ["eu-west-1", "us-east-1", "us-east-2", "us-west-2"];
/// Security group rules in the account: ingress and egress, one source each.
const SECURITY_GROUP_RULES: usize = 20_000;
const RULES_PER_GROUP: usize = 10;
const VPCS_PER_REGION: usize = 50;
const INSTANCES_PER_REGION: usize = 1_000;
const BUCKETS: usize = 5_000;
const DATABASES_PER_REGION: usize = 250;
const FILE_SYSTEMS_PER_REGION: usize = 100;
const ROUNDS: u32 = 5;

fn main() {
    let checks = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .join("checks");
    let cache = tempfile::tempdir().unwrap();
    let runtime = Runtime::new(Limits::default(), Some(cache.path())).unwrap();

    let snapshot = synthetic();
    let file = cache.path().join("snapshot.json");
    snapshot.write(&file).unwrap();
    let size = std::fs::metadata(&file).unwrap().len() as f64 / 1e6;
    let read = time_once(|| {
        Snapshot::read(&file).unwrap();
    });
    row("step", "time");
    row(
        format!("read snapshot ({size:.1} MB, {SECURITY_GROUP_RULES} SG rules, {BUCKETS} buckets)"),
        fmt(read),
    );
    let data = Arc::new(ScanData { snapshot, now: NOW });

    for (section, folders) in [
        ("Networking", vec![checks.join("ec2"), checks.join("vpc")]),
        (
            "Storage",
            vec![
                checks.join("s3"),
                checks.join("rds"),
                checks.join("efs"),
                checks.join("macie"),
            ],
        ),
    ] {
        let loaded = runtime.load(&existing(folders)).unwrap();
        assert!(
            !loaded.is_empty(),
            "no {section} checks: run scripts/build-components.sh first"
        );
        let best = best_of(ROUNDS, || {
            let runs = runtime.evaluate_all(&loaded, data.clone(), &|_| {});
            for run in &runs {
                if let Err(error) = &run.outcome {
                    panic!("{section}: a check failed: {error:#}");
                }
            }
        });
        row(
            format!(
                "evaluate {} {section} checks (best of {ROUNDS})",
                loaded.len()
            ),
            fmt(best),
        );
    }
    row(
        "peak resident memory (VmHWM)",
        format!("{} MB", peak_rss_kb() / 1024),
    );
}

fn existing(folders: Vec<PathBuf>) -> Vec<PathBuf> {
    folders
        .into_iter()
        .filter(|folder| folder.is_dir())
        .collect()
}

fn arn(region: &str, kind: &str, id: &str) -> String {
    format!("arn:aws:ec2:{region}:{ACCOUNT}:{kind}/{id}")
}

fn per_region<T>(mut build: impl FnMut(usize, &str) -> T) -> Outcome<Regional<T>> {
    Ok(REGIONS
        .iter()
        .enumerate()
        .map(|(index, region)| (region.to_string(), Ok(build(index, region))))
        .collect())
}

fn per_bucket<T>(buckets: &[Bucket], value: impl Fn(usize, &Bucket) -> T) -> Outcome<PerKey<T>> {
    Ok(buckets
        .iter()
        .enumerate()
        .map(|(index, bucket)| (bucket.name.clone(), Ok(value(index, bucket))))
        .collect())
}

fn synthetic() -> Snapshot {
    let mut snapshot = Snapshot::empty();
    snapshot.account_id = ACCOUNT.into();
    snapshot.partition = "aws".into();
    snapshot.regions = REGIONS.map(String::from).to_vec();
    snapshot.collected_at = "2026-12-01T00:00:00Z".into();
    let data = &mut snapshot.data;

    let groups_per_region = SECURITY_GROUP_RULES / RULES_PER_GROUP / REGIONS.len();
    data.insert(
        &ec2::SECURITY_GROUPS,
        per_region(|_, region| {
            (0..groups_per_region)
                .map(|index| security_group(region, index))
                .collect()
        }),
    );
    data.insert(
        &ec2::NETWORK_ACLS,
        per_region(|_, region| {
            (0..VPCS_PER_REGION)
                .map(|index| network_acl(region, index))
                .collect()
        }),
    );
    data.insert(
        &ec2::VPCS,
        per_region(|_, region| {
            (0..VPCS_PER_REGION)
                .map(|index| vpc(region, index))
                .collect()
        }),
    );
    data.insert(
        &ec2::ROUTE_TABLES,
        per_region(|_, region| {
            (0..VPCS_PER_REGION)
                .map(|index| route_table(region, index))
                .collect()
        }),
    );
    data.insert(
        &ec2::VPC_PEERING_CONNECTIONS,
        per_region(|_, region| {
            (0..VPCS_PER_REGION / 2)
                .map(|index| peering(region, index))
                .collect()
        }),
    );
    data.insert(
        &ec2::VPC_ENDPOINTS,
        per_region(|_, region| {
            (0..VPCS_PER_REGION)
                .map(|index| endpoint(region, index))
                .collect()
        }),
    );
    data.insert(
        &ec2::FLOW_LOGS,
        per_region(|_, _| {
            (0..VPCS_PER_REGION)
                .filter(|index| !index.is_multiple_of(5))
                .map(flow_log)
                .collect()
        }),
    );
    data.insert(
        &ec2::INSTANCES,
        per_region(|_, region| {
            (0..INSTANCES_PER_REGION)
                .map(|index| instance(region, index))
                .collect()
        }),
    );
    data.insert(
        &ec2::INSTANCE_METADATA_DEFAULTS,
        per_region(|index, _| ImdsDefaults {
            http_tokens: index.is_multiple_of(2).then(|| "required".into()),
            http_endpoint: None,
            http_put_response_hop_limit: None,
        }),
    );
    data.insert(
        &ec2::EBS_ENCRYPTION_BY_DEFAULT,
        per_region(|index, _| index.is_multiple_of(2)),
    );

    let buckets: Vec<Bucket> = (0..BUCKETS).map(bucket).collect();
    data.insert(&s3::BUCKET_POLICIES, per_bucket(&buckets, bucket_policy));
    data.insert(
        &s3::BUCKET_VERSIONING,
        per_bucket(&buckets, |index, _| Versioning {
            status: (!index.is_multiple_of(3)).then(|| "Enabled".into()),
            mfa_delete: index.is_multiple_of(7),
        }),
    );
    data.insert(
        &s3::BUCKET_ENCRYPTION,
        per_bucket(&buckets, |index, _| {
            vec![EncryptionRule {
                sse_algorithm: if index.is_multiple_of(2) {
                    "aws:kms"
                } else {
                    "AES256"
                }
                .into(),
                kms_master_key_id: None,
                bucket_key_enabled: index.is_multiple_of(2),
            }]
        }),
    );
    data.insert(
        &s3::BUCKET_PUBLIC_ACCESS_BLOCKS,
        per_bucket(&buckets, |index, _| {
            Some(PublicAccessBlock {
                block_public_acls: index.is_multiple_of(2),
                ignore_public_acls: true,
                block_public_policy: true,
                restrict_public_buckets: true,
            })
        }),
    );
    data.insert(&s3::ACCOUNT_PUBLIC_ACCESS_BLOCK, Ok(None));
    data.insert(&s3::BUCKETS, Ok(buckets));

    data.insert(
        &rds::DB_INSTANCES,
        per_region(|_, region| {
            (0..DATABASES_PER_REGION)
                .map(|index| database(region, index))
                .collect()
        }),
    );
    data.insert(&rds::DB_CLUSTERS, per_region(|_, _| Vec::new()));
    data.insert(
        &efs::FILE_SYSTEMS,
        per_region(|_, region| {
            (0..FILE_SYSTEMS_PER_REGION)
                .map(|index| file_system(region, index))
                .collect()
        }),
    );
    data.insert(
        &macie::SESSIONS,
        per_region(|index, _| {
            index.is_multiple_of(2).then(|| MacieSession {
                status: "ENABLED".into(),
                created_at: Some(NOW),
                updated_at: Some(NOW),
            })
        }),
    );
    data.insert(&macie::CLASSIFICATION_JOBS, per_region(|_, _| Vec::new()));
    data.insert(
        &macie::AUTOMATED_DISCOVERY_STATUS,
        per_region(|_, _| "DISABLED".to_string()),
    );
    snapshot
}

/// Ten rules: eight ingress (one in ten groups opens SSH or RDP to the IPv4
/// or IPv6 internet, the rest admit private ranges, prefix lists or other
/// groups) and two egress.
fn security_group(region: &str, index: usize) -> SecurityGroup {
    let id = format!("sg-{index:017x}");
    let source = |cidr: &str| IpPermission {
        ip_protocol: "tcp".into(),
        from_port: Some(1000 + index as i32 % 1000),
        to_port: Some(1000 + index as i32 % 1000),
        ipv4_ranges: vec![cidr.into()],
        ipv6_ranges: Vec::new(),
        prefix_list_ids: Vec::new(),
        security_group_ids: Vec::new(),
    };
    let mut ingress: Vec<IpPermission> = (0..6)
        .map(|octet| source(&format!("10.{octet}.{}.0/24", index % 256)))
        .collect();
    ingress.push(IpPermission {
        prefix_list_ids: vec!["pl-63a5400a".into()],
        ipv4_ranges: Vec::new(),
        ..source("")
    });
    let exposed = match index % 10 {
        0 => IpPermission {
            from_port: Some(22),
            to_port: Some(22),
            ..source("0.0.0.0/0")
        },
        1 => IpPermission {
            from_port: Some(3389),
            to_port: Some(3389),
            ipv4_ranges: Vec::new(),
            ipv6_ranges: vec!["::/0".into()],
            ..source("")
        },
        _ => IpPermission {
            security_group_ids: vec![format!("sg-{:017x}", index + 1)],
            ipv4_ranges: Vec::new(),
            ..source("")
        },
    };
    ingress.push(exposed);
    let everywhere = IpPermission {
        ip_protocol: "-1".into(),
        from_port: None,
        to_port: None,
        ..source("0.0.0.0/0")
    };
    SecurityGroup {
        arn: arn(region, "security-group", &id),
        name: if index < VPCS_PER_REGION {
            "default".into()
        } else {
            format!("app-{index}")
        },
        description: "synthetic".into(),
        vpc_id: Some(format!("vpc-{:017x}", index % VPCS_PER_REGION)),
        ingress,
        egress: vec![
            everywhere.clone(),
            IpPermission {
                ipv4_ranges: vec!["10.0.0.0/8".into()],
                ..everywhere
            },
        ],
        id,
    }
}

fn network_acl(region: &str, index: usize) -> NetworkAcl {
    let id = format!("acl-{index:017x}");
    let entry = |rule_number: i32, rule_action: &str, cidr: &str, ports: Option<(i32, i32)>| {
        NetworkAclEntry {
            rule_number,
            protocol: if ports.is_some() { "6" } else { "-1" }.into(),
            rule_action: rule_action.into(),
            egress: false,
            ipv4_cidr: Some(cidr.into()),
            ipv6_cidr: None,
            port_range: ports.map(|(from_port, to_port)| PortRange { from_port, to_port }),
        }
    };
    let mut entries: Vec<NetworkAclEntry> = (0..8)
        .map(|rule| {
            entry(
                100 + rule,
                "allow",
                "10.0.0.0/8",
                Some((1024 + rule, 2048 + rule)),
            )
        })
        .collect();
    entries.push(if index.is_multiple_of(3) {
        entry(200, "allow", "0.0.0.0/0", None)
    } else {
        entry(200, "allow", "0.0.0.0/0", Some((443, 443)))
    });
    entries.push(entry(32767, "deny", "0.0.0.0/0", None));
    NetworkAcl {
        arn: arn(region, "network-acl", &id),
        vpc_id: format!("vpc-{index:017x}"),
        is_default: true,
        entries,
        subnet_ids: vec![format!("subnet-{index:017x}")],
        id,
    }
}

fn vpc(region: &str, index: usize) -> Vpc {
    let id = format!("vpc-{index:017x}");
    Vpc {
        arn: arn(region, "vpc", &id),
        is_default: index == 0,
        ipv4_cidrs: vec![format!("10.{index}.0.0/16")],
        ipv6_cidrs: Vec::new(),
        state: "available".into(),
        id,
    }
}

fn route_table(region: &str, index: usize) -> RouteTable {
    let id = format!("rtb-{index:017x}");
    let route = |destination: String, target: String, peering: Option<String>| Route {
        destination_ipv4_cidr: Some(destination),
        destination_ipv6_cidr: None,
        destination_prefix_list_id: None,
        target,
        vpc_peering_connection_id: peering,
        state: "active".into(),
    };
    let peering = format!("pcx-{:017x}", index / 2);
    RouteTable {
        arn: arn(region, "route-table", &id),
        vpc_id: format!("vpc-{index:017x}"),
        main: true,
        subnet_ids: Vec::new(),
        routes: vec![
            route(format!("10.{index}.0.0/16"), "local".into(), None),
            route("0.0.0.0/0".into(), "igw-0123".into(), None),
            route(
                format!("10.{}.0.0/16", index ^ 1),
                peering.clone(),
                Some(peering),
            ),
        ],
        id,
    }
}

fn peering(region: &str, index: usize) -> VpcPeeringConnection {
    let id = format!("pcx-{index:017x}");
    let side = |vpc: usize| PeeringSide {
        vpc_id: format!("vpc-{vpc:017x}"),
        owner_id: ACCOUNT.into(),
        region: Some(region.into()),
        ipv4_cidrs: vec![format!("10.{vpc}.0.0/16")],
        ipv6_cidrs: Vec::new(),
    };
    VpcPeeringConnection {
        arn: arn(region, "vpc-peering-connection", &id),
        status: "active".into(),
        requester: side(2 * index),
        accepter: side(2 * index + 1),
        id,
    }
}

fn endpoint(region: &str, index: usize) -> VpcEndpoint {
    let id = format!("vpce-{index:017x}");
    VpcEndpoint {
        arn: arn(region, "vpc-endpoint", &id),
        vpc_id: format!("vpc-{index:017x}"),
        service_name: format!("com.amazonaws.{region}.s3"),
        endpoint_type: "Gateway".into(),
        state: "available".into(),
        route_table_ids: vec![format!("rtb-{index:017x}")],
        subnet_ids: Vec::new(),
        id,
    }
}

/// Four VPCs in five have a flow log capturing rejected traffic.
fn flow_log(index: usize) -> FlowLog {
    FlowLog {
        id: format!("fl-{index:017x}"),
        resource_id: format!("vpc-{index:017x}"),
        traffic_type: "REJECT".into(),
        status: "ACTIVE".into(),
        deliver_logs_status: Some("SUCCESS".into()),
        log_destination_type: "s3".into(),
        log_destination: Some("arn:aws:s3:::flow-logs".into()),
    }
}

fn instance(region: &str, index: usize) -> InstanceRecord {
    let id = format!("i-{index:017x}");
    InstanceRecord {
        instance: Instance {
            arn: arn(region, "instance", &id),
            id,
            state: "running".into(),
            iam_instance_profile_arn: None,
            launch_time: Some(NOW),
        },
        metadata_options: Some(MetadataOptions {
            http_tokens: if index.is_multiple_of(4) {
                "optional"
            } else {
                "required"
            }
            .into(),
            http_endpoint: "enabled".into(),
        }),
    }
}

fn bucket(index: usize) -> Bucket {
    let name = format!("bucket-{index:06}");
    Bucket {
        arn: format!("arn:aws:s3:::{name}"),
        name,
        region: REGIONS[index % REGIONS.len()].into(),
        creation_date: Some(NOW),
    }
}

/// Half the buckets deny HTTP; a tenth have no policy.
fn bucket_policy(index: usize, bucket: &Bucket) -> Option<String> {
    if index.is_multiple_of(10) {
        return None;
    }
    let deny_http = index.is_multiple_of(2);
    Some(
        serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "ReadFromTheApp",
                    "Effect": "Allow",
                    "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:role/app")},
                    "Action": ["s3:GetObject", "s3:PutObject"],
                    "Resource": format!("{}/*", bucket.arn)
                },
                {
                    "Sid": "DenyInsecureTransport",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:*",
                    "Resource": [bucket.arn.clone(), format!("{}/*", bucket.arn)],
                    "Condition": {"Bool": {"aws:SecureTransport": (!deny_http).to_string()}}
                }
            ]
        })
        .to_string(),
    )
}

fn database(region: &str, index: usize) -> DbInstance {
    let identifier = format!("db-{index}");
    DbInstance {
        arn: format!("arn:aws:rds:{region}:{ACCOUNT}:db:{identifier}"),
        identifier,
        engine: "postgres".into(),
        engine_version: "16.4".into(),
        status: "available".into(),
        storage_encrypted: !index.is_multiple_of(3),
        kms_key_id: None,
        auto_minor_version_upgrade: !index.is_multiple_of(4),
        publicly_accessible: index.is_multiple_of(5),
        multi_az: index.is_multiple_of(2),
        cluster_identifier: None,
        availability_zone: Some(format!("{region}a")),
    }
}

fn file_system(region: &str, index: usize) -> FileSystem {
    let id = format!("fs-{index:017x}");
    FileSystem {
        arn: format!("arn:aws:elasticfilesystem:{region}:{ACCOUNT}:file-system/{id}"),
        id,
        name: None,
        encrypted: !index.is_multiple_of(3),
        kms_key_id: None,
        life_cycle_state: "available".into(),
        creation_time: Some(NOW),
    }
}
