//! The Networking section's data, collected by `host collect` through the
//! real SDK from moto: security groups and their rules, network ACLs, VPCs,
//! route tables, peering connections, endpoints, and the instances' IMDS
//! settings (one `DescribeInstances` answers both `instances` and
//! `instance-metadata-options`). Each test seeds one region and collects two,
//! so what the other region holds is moto's own default network.

use std::collections::BTreeSet;
use std::process::Command;

use aws_sdk_ec2::Client;
use aws_sdk_ec2::types::{
    Filter, HttpTokensState, InstanceMetadataOptionsRequest, IpPermission, IpRange, Ipv6Range,
    PortRange, PrefixListId, RuleAction, UserIdGroupPair, VpcEndpointType,
};
use futures_util::future::join_all;
use libtest_mimic::Trial;
use serde_json::{Value, json};

use crate::support::moto::{Account, REGION};
use crate::support::{collected, moto};

pub fn tests() -> Vec<Trial> {
    e2e_tests![
        tokio security_group_rules_nacl_entries_and_default_vpcs_are_collected,
        tokio a_peering_route_and_a_gateway_endpoint_are_collected,
        tokio instances_and_their_imds_settings_come_from_one_paginated_call,
        tokio imds_defaults_moto_lacks_are_a_data_error_never_a_default,
        tokio a_denied_network_call_is_an_error_of_its_data_set_only,
    ]
}

/// The region no test seeds: only moto's default VPC lives there.
const UNSEEDED_REGION: &str = "eu-west-1";

/// An AWS-managed prefix list id (S3 in us-east-1); moto accepts any.
const PREFIX_LIST: &str = "pl-63a5400a";

fn ec2(account: &Account) -> Client {
    Client::new(&account.sdk_config())
}

/// `host collect` of the seeded and the unseeded region; returns the
/// snapshot's `ec2` object.
fn collect_ec2(configure: impl FnOnce(&mut Command)) -> Value {
    collected::collect_with(configure)["ec2"].clone()
}

/// A regional data set's list for one region, which must have been read.
fn listed<'a>(ec2: &'a Value, data_set: &str, region: &str) -> &'a Vec<Value> {
    ec2[data_set]["Ok"][region]["Ok"]
        .as_array()
        .unwrap_or_else(|| panic!("{data_set} in {region}: {}", ec2[data_set]))
}

fn with_id<'a>(items: &'a [Value], field: &str, id: &str) -> &'a Value {
    items
        .iter()
        .find(|item| item[field] == id)
        .unwrap_or_else(|| panic!("no {field} {id} in {items:?}"))
}

fn arn(account: &Account, region: &str, resource: &str) -> String {
    format!("arn:aws:ec2:{region}:{}:{resource}", account.id)
}

async fn default_vpc_id(ec2: &Client) -> String {
    let vpcs = ec2
        .describe_vpcs()
        .filters(Filter::builder().name("is-default").values("true").build())
        .send()
        .await
        .unwrap();
    vpcs.vpcs()[0].vpc_id().unwrap().to_string()
}

async fn security_group(ec2: &Client, vpc_id: &str, name: &str) -> String {
    ec2.create_security_group()
        .group_name(name)
        .description(format!("the {name} servers"))
        .vpc_id(vpc_id)
        .send()
        .await
        .unwrap()
        .group_id()
        .unwrap()
        .to_string()
}

fn tcp(port: i32) -> aws_sdk_ec2::types::builders::IpPermissionBuilder {
    IpPermission::builder()
        .ip_protocol("tcp")
        .from_port(port)
        .to_port(port)
}

/// Every source a group's TCP ingress admits to `port`, tagged with the
/// field it was collected in (EC2 merges rules of one port range into one
/// permission, so they are gathered across permissions).
fn tcp_sources(group: &Value, port: i64) -> BTreeSet<String> {
    let mut sources = BTreeSet::new();
    for permission in group["ingress"].as_array().unwrap() {
        if permission["ip_protocol"] != "tcp" || permission["from_port"] != port {
            continue;
        }
        assert_eq!(permission["to_port"], port, "{permission}");
        for field in [
            "ipv4_ranges",
            "ipv6_ranges",
            "prefix_list_ids",
            "security_group_ids",
        ] {
            for source in permission[field].as_array().unwrap() {
                sources.insert(format!("{field}: {}", source.as_str().unwrap()));
            }
        }
    }
    sources
}

fn set<const N: usize>(items: [&str; N]) -> BTreeSet<String> {
    items.iter().map(|item| item.to_string()).collect()
}

async fn security_group_rules_nacl_entries_and_default_vpcs_are_collected() {
    let account = Account::new().await;
    let ec2 = ec2(&account);
    let default_vpc = default_vpc_id(&ec2).await;
    let app = security_group(&ec2, &default_vpc, "app").await;
    let web = security_group(&ec2, &default_vpc, "web").await;
    ec2.authorize_security_group_ingress()
        .group_id(&web)
        .ip_permissions(
            tcp(22)
                .ip_ranges(IpRange::builder().cidr_ip("0.0.0.0/0").build())
                .build(),
        )
        .ip_permissions(
            tcp(22)
                .ipv6_ranges(Ipv6Range::builder().cidr_ipv6("::/0").build())
                .build(),
        )
        .ip_permissions(
            tcp(443)
                .user_id_group_pairs(UserIdGroupPair::builder().group_id(&app).build())
                .build(),
        )
        .ip_permissions(
            tcp(5432)
                .prefix_list_ids(PrefixListId::builder().prefix_list_id(PREFIX_LIST).build())
                .build(),
        )
        .send()
        .await
        .unwrap();
    let acl = ec2
        .create_network_acl()
        .vpc_id(&default_vpc)
        .send()
        .await
        .unwrap()
        .network_acl()
        .unwrap()
        .network_acl_id()
        .unwrap()
        .to_string();
    ec2.create_network_acl_entry()
        .network_acl_id(&acl)
        .rule_number(100)
        .protocol("6")
        .rule_action(RuleAction::Deny)
        .egress(false)
        .cidr_block("0.0.0.0/0")
        .port_range(PortRange::builder().from(22).to(22).build())
        .send()
        .await
        .unwrap();

    let collected = collect_ec2(|command| account.configure(command));

    let groups = listed(&collected, "security_groups", REGION);
    let web_group = with_id(groups, "id", &web);
    assert_eq!(
        web_group["arn"],
        arn(&account, REGION, &format!("security-group/{web}"))
    );
    assert_eq!(web_group["name"], "web");
    assert_eq!(web_group["description"], "the web servers");
    assert_eq!(web_group["vpc_id"], default_vpc);
    assert_eq!(
        tcp_sources(web_group, 22),
        set(["ipv4_ranges: 0.0.0.0/0", "ipv6_ranges: ::/0"])
    );
    assert_eq!(
        tcp_sources(web_group, 443),
        set([format!("security_group_ids: {app}").as_str()])
    );
    assert_eq!(
        tcp_sources(web_group, 5432),
        set([format!("prefix_list_ids: {PREFIX_LIST}").as_str()])
    );
    assert_eq!(
        web_group["egress"],
        json!([{
            "ip_protocol": "-1", "from_port": null, "to_port": null,
            "ipv4_ranges": ["0.0.0.0/0"], "ipv6_ranges": [],
            "prefix_list_ids": [], "security_group_ids": [],
        }]),
        "a new group's default egress: every protocol, no ports"
    );

    let acls = listed(&collected, "network_acls", REGION);
    let seeded_acl = with_id(acls, "id", &acl);
    assert_eq!(
        seeded_acl["arn"],
        arn(&account, REGION, &format!("network-acl/{acl}"))
    );
    assert_eq!(seeded_acl["vpc_id"], default_vpc);
    assert_eq!(seeded_acl["is_default"], false);
    assert!(
        seeded_acl["entries"].as_array().unwrap().contains(&json!({
            "rule_number": 100, "protocol": "6", "rule_action": "deny", "egress": false,
            "ipv4_cidr": "0.0.0.0/0", "ipv6_cidr": null,
            "port_range": { "from_port": 22, "to_port": 22 },
        })),
        "{seeded_acl}"
    );

    // moto gives every region a default VPC with its default security group
    // and network ACL (associated with the default subnets).
    for region in [REGION, UNSEEDED_REGION] {
        let vpcs = listed(&collected, "vpcs", region);
        let defaults: Vec<&Value> = vpcs
            .iter()
            .filter(|vpc| vpc["is_default"] == true)
            .collect();
        assert_eq!(defaults.len(), 1, "{region}: {vpcs:?}");
        let default = defaults[0];
        let id = default["id"].as_str().unwrap();
        assert_eq!(default["arn"], arn(&account, region, &format!("vpc/{id}")));
        assert_eq!(default["ipv4_cidrs"], json!(["172.31.0.0/16"]));
        assert_eq!(default["state"], "available");

        let groups = listed(&collected, "security_groups", region);
        assert!(
            groups
                .iter()
                .any(|group| group["name"] == "default" && group["vpc_id"] == id),
            "{region}: the default VPC's default group: {groups:?}"
        );
        let acls = listed(&collected, "network_acls", region);
        let default_acl = acls
            .iter()
            .find(|acl| acl["is_default"] == true && acl["vpc_id"] == id)
            .unwrap_or_else(|| panic!("{region}: no default network ACL: {acls:?}"));
        assert!(
            !default_acl["subnet_ids"].as_array().unwrap().is_empty(),
            "{default_acl}"
        );
    }
    assert!(
        !listed(&collected, "security_groups", UNSEEDED_REGION)
            .iter()
            .any(|group| group["name"] == "web"),
        "the seeded group is in {REGION} only"
    );
}

async fn a_peering_route_and_a_gateway_endpoint_are_collected() {
    let account = Account::new().await;
    let ec2 = ec2(&account);
    let create_vpc = |cidr: &'static str| {
        let ec2 = ec2.clone();
        async move {
            ec2.create_vpc()
                .cidr_block(cidr)
                .amazon_provided_ipv6_cidr_block(true)
                .send()
                .await
                .unwrap()
                .vpc()
                .unwrap()
                .vpc_id()
                .unwrap()
                .to_string()
        }
    };
    let requester = create_vpc("10.1.0.0/16").await;
    let accepter = create_vpc("10.2.0.0/16").await;
    let peering = ec2
        .create_vpc_peering_connection()
        .vpc_id(&requester)
        .peer_vpc_id(&accepter)
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
    let subnet = ec2
        .create_subnet()
        .vpc_id(&requester)
        .cidr_block("10.1.1.0/24")
        .send()
        .await
        .unwrap()
        .subnet()
        .unwrap()
        .subnet_id()
        .unwrap()
        .to_string();
    let table = ec2
        .create_route_table()
        .vpc_id(&requester)
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
        .destination_cidr_block("10.2.0.0/16")
        .vpc_peering_connection_id(&peering)
        .send()
        .await
        .unwrap();
    ec2.associate_route_table()
        .route_table_id(&table)
        .subnet_id(&subnet)
        .send()
        .await
        .unwrap();
    let s3_service = format!("com.amazonaws.{REGION}.s3");
    let endpoint = ec2
        .create_vpc_endpoint()
        .vpc_id(&requester)
        .service_name(&s3_service)
        .vpc_endpoint_type(VpcEndpointType::Gateway)
        .route_table_ids(&table)
        .send()
        .await
        .unwrap()
        .vpc_endpoint()
        .unwrap()
        .vpc_endpoint_id()
        .unwrap()
        .to_string();

    let collected = collect_ec2(|command| account.configure(command));

    let vpcs = listed(&collected, "vpcs", REGION);
    let requester_vpc = with_id(vpcs, "id", &requester);
    assert_eq!(requester_vpc["is_default"], false);
    assert_eq!(requester_vpc["ipv4_cidrs"], json!(["10.1.0.0/16"]));
    assert_eq!(
        requester_vpc["ipv6_cidrs"].as_array().unwrap().len(),
        1,
        "the Amazon-provided IPv6 block: {requester_vpc}"
    );

    let tables = listed(&collected, "route_tables", REGION);
    let peered = with_id(tables, "id", &table);
    assert_eq!(
        peered["arn"],
        arn(&account, REGION, &format!("route-table/{table}"))
    );
    assert_eq!(peered["vpc_id"], requester);
    assert_eq!(peered["main"], false);
    assert_eq!(peered["subnet_ids"], json!([subnet]));
    let routes = peered["routes"].as_array().unwrap();
    for route in [
        json!({
            "destination_ipv4_cidr": "10.1.0.0/16", "destination_ipv6_cidr": null,
            "destination_prefix_list_id": null, "target": "local",
            "vpc_peering_connection_id": null, "state": "active",
        }),
        json!({
            "destination_ipv4_cidr": "10.2.0.0/16", "destination_ipv6_cidr": null,
            "destination_prefix_list_id": null, "target": peering,
            "vpc_peering_connection_id": peering, "state": "active",
        }),
    ] {
        assert!(routes.contains(&route), "{route} in {routes:?}");
    }
    let main = tables
        .iter()
        .find(|table| table["vpc_id"] == requester && table["main"] == true)
        .unwrap_or_else(|| panic!("the requester VPC has a main route table: {tables:?}"));
    assert_eq!(main["subnet_ids"], json!([]));

    let connection = with_id(
        listed(&collected, "vpc_peering_connections", REGION),
        "id",
        &peering,
    );
    assert_eq!(
        connection["arn"],
        arn(
            &account,
            REGION,
            &format!("vpc-peering-connection/{peering}")
        )
    );
    assert_eq!(connection["status"], "active");
    for (side, vpc, cidr) in [
        ("requester", &requester, "10.1.0.0/16"),
        ("accepter", &accepter, "10.2.0.0/16"),
    ] {
        let side = &connection[side];
        assert_eq!(side["vpc_id"], *vpc, "{connection}");
        assert_eq!(side["owner_id"], account.id, "{connection}");
        assert_eq!(side["region"], REGION, "{connection}");
        assert_eq!(side["ipv4_cidrs"], json!([cidr]), "{connection}");
    }

    let gateway = with_id(listed(&collected, "vpc_endpoints", REGION), "id", &endpoint);
    assert_eq!(
        gateway["arn"],
        arn(&account, REGION, &format!("vpc-endpoint/{endpoint}"))
    );
    assert_eq!(gateway["vpc_id"], requester);
    assert_eq!(gateway["service_name"], s3_service);
    assert_eq!(gateway["endpoint_type"], "Gateway");
    assert_eq!(gateway["state"], "available");
    assert_eq!(gateway["route_table_ids"], json!([table]));

    for data_set in ["vpc_peering_connections", "vpc_endpoints"] {
        assert_eq!(
            listed(&collected, data_set, UNSEEDED_REGION),
            &Vec::<Value>::new(),
            "{data_set}: seeded in {REGION} only"
        );
    }
}

/// moto pages `DescribeInstances` by reservation, 100 to a page unless
/// `MaxResults` says otherwise; the collector leaves the page size to EC2.
const PAGE: usize = 100;

async fn instances_and_their_imds_settings_come_from_one_paginated_call() {
    let account = Account::new().await;
    let ec2 = ec2(&account);
    let images = ec2.describe_images().send().await.unwrap();
    let image = images.images()[0].image_id().unwrap().to_string();
    let launch = |tokens: Option<HttpTokensState>| {
        let ec2 = ec2.clone();
        let image = image.clone();
        async move {
            ec2.run_instances()
                .image_id(image)
                .min_count(1)
                .max_count(1)
                .set_metadata_options(tokens.map(|tokens| {
                    InstanceMetadataOptionsRequest::builder()
                        .http_tokens(tokens)
                        .build()
                }))
                .send()
                .await
                .unwrap()
                .instances()[0]
                .instance_id()
                .unwrap()
                .to_string()
        }
    };
    let required = launch(Some(HttpTokensState::Required)).await;
    let optional = launch(Some(HttpTokensState::Optional)).await;
    let terminated = launch(None).await;
    ec2.terminate_instances()
        .instance_ids(&terminated)
        .send()
        .await
        .unwrap();
    // One reservation per launch: enough for a second page.
    let unspecified = join_all((0..PAGE).map(|_| launch(None))).await;

    let collected = collect_ec2(|command| account.configure(command));

    let records = listed(&collected, "instances", REGION);
    assert_eq!(
        records.len(),
        PAGE + 2,
        "every page, without the terminated instance"
    );
    assert!(!records.iter().any(|record| record["id"] == terminated));
    let tokens_of = |id: &str| with_id(records, "id", id)["metadata_options"].clone();
    assert_eq!(
        tokens_of(&required),
        json!({ "http_tokens": "required", "http_endpoint": "enabled" })
    );
    assert_eq!(
        tokens_of(&optional),
        json!({ "http_tokens": "optional", "http_endpoint": "enabled" })
    );
    // moto's default when the launch names no metadata options (EC2's
    // depends on the AMI and the account's defaults).
    assert_eq!(
        tokens_of(&unspecified[PAGE - 1]),
        json!({ "http_tokens": "optional", "http_endpoint": "enabled" })
    );
    for record in records {
        let id = record["id"].as_str().unwrap();
        assert_eq!(
            record["arn"],
            arn(&account, REGION, &format!("instance/{id}"))
        );
        assert_eq!(record["state"], "running", "{record}");
    }
    assert!(
        collected.get("instance_metadata_options").is_none(),
        "the settings are stored with the instances, not read twice: {:?}",
        collected.as_object().unwrap().keys()
    );
    assert_eq!(listed(&collected, "instances", UNSEEDED_REGION).len(), 0);
}

async fn imds_defaults_moto_lacks_are_a_data_error_never_a_default() {
    let account = Account::new().await;
    let collected = collect_ec2(|command| account.configure(command));
    for region in [REGION, UNSEEDED_REGION] {
        let outcome = &collected["instance_metadata_defaults"]["Ok"][region];
        // moto 5.2.5 does not implement GetInstanceMetadataDefaults: it
        // answers HTTP 500 without an error code.
        let reason = outcome["Err"]["CollectionFailed"]
            .as_str()
            .unwrap_or_else(|| panic!("{region}: an error, not a made-up default: {outcome}"));
        assert!(
            reason.contains("ec2:GetInstanceMetadataDefaults"),
            "{region}: the error names the action: {reason}"
        );
    }
}

async fn a_denied_network_call_is_an_error_of_its_data_set_only() {
    let (endpoint, iam) = moto::enforcing_iam("3");
    let auditor = moto::auditor(
        &iam,
        "network-auditor",
        &[
            "sts:GetCallerIdentity",
            "ec2:DescribeSecurityGroups",
            "ec2:DescribeVpcs",
        ],
    )
    .await;

    let collected = collect_ec2(|command| moto::configure_auditor(command, &endpoint, &auditor));

    for region in [REGION, UNSEEDED_REGION] {
        for allowed in ["security_groups", "vpcs"] {
            assert!(
                !listed(&collected, allowed, region).is_empty(),
                "{allowed} in {region}: the default VPC's"
            );
        }
        let denied = &collected["network_acls"]["Ok"][region]["Err"]["AccessDenied"];
        assert_eq!(
            denied["action"], "ec2:DescribeNetworkAcls",
            "{region}: {}",
            collected["network_acls"]
        );
        assert!(
            denied["message"]
                .as_str()
                .unwrap()
                .contains("network-auditor"),
            "the service's reason is kept: {denied}"
        );
    }
}
