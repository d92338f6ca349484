//! EC2: which regions the account has enabled, and per region the
//! instances, EBS encryption by default, the VPC network, the IMDS
//! defaults and the flow logs.

use std::future::Future;

use aws_config::SdkConfig;
use aws_sdk_ec2::Client;
use aws_sdk_ec2::types::{
    InstanceStateName, IpPermission, NetworkAclEntry, Route, VpcCidrBlockState,
    VpcCidrBlockStateCode, VpcPeeringConnectionVpcInfo,
};

use super::{InstanceRecord, MetadataOptions};
use crate::bindings::ec2::{
    FlowLog, ImdsDefaults, Instance, IpPermission as Permission, NetworkAcl,
    NetworkAclEntry as AclEntry, PeeringSide, PortRange, Route as RouteEntry, RouteTable,
    SecurityGroup, Vpc, VpcEndpoint, VpcPeeringConnection,
};
use crate::collect::errors::data_error;
use crate::collect::{Context, text, timestamp};
use crate::registry::{Outcome, Regional};

/// Every item of a paginated EC2 list (the SDK's paginator follows
/// `NextToken`; the page size is left to EC2), or the data error of the
/// first failed page.
macro_rules! all_items {
    ($request:expr, $action:expr) => {
        $request
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
            .map_err(|error| data_error($action, error))
    };
}

/// Regions a customer can use without opting in, or has opted into.
const ENABLED_OPT_IN_STATUSES: &[&str] = &["opt-in-not-required", "opted-in"];

/// `ec2:DescribeRegions` (all regions, then filtered): the enabled regions of
/// `partition`, sorted.
pub async fn enabled_regions(config: &SdkConfig, partition: &str) -> Outcome<Vec<String>> {
    let output = Client::new(config)
        .describe_regions()
        .all_regions(true)
        .send()
        .await
        .map_err(|error| data_error("ec2:DescribeRegions", error))?;
    let mut regions: Vec<String> = output
        .regions()
        .iter()
        .filter(|region| {
            // An endpoint that omits the status lists only enabled regions.
            region
                .opt_in_status()
                .is_none_or(|status| ENABLED_OPT_IN_STATUSES.contains(&status))
        })
        .filter_map(|region| region.region_name())
        .filter(|name| partition_of_region(name) == partition)
        .map(str::to_string)
        .collect();
    regions.sort();
    Ok(regions)
}

/// The partition a region belongs to, from its name.
pub fn partition_of_region(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else if region.starts_with("us-isob-") {
        "aws-iso-b"
    } else if region.starts_with("us-iso-") {
        "aws-iso"
    } else if region.starts_with("eusc-") {
        "aws-eusc"
    } else {
        "aws"
    }
}

/// The ARNs of one region's EC2 resources:
/// `arn:<partition>:ec2:<region>:<account>:<type>/<id>`.
struct Arns {
    prefix: String,
}

impl Arns {
    fn of(&self, resource_type: &str, id: &str) -> String {
        format!("{}{resource_type}/{id}", self.prefix)
    }
}

/// Runs `fetch` in every region of the scan, concurrently, with the
/// region's client and the ARNs of its resources.
async fn in_every_region<T, Fut>(
    context: &Context<'_>,
    fetch: impl Fn(Client, Arns) -> Fut,
) -> Outcome<Regional<T>>
where
    Fut: Future<Output = Outcome<T>>,
{
    context
        .per_region(|region| {
            let arns = Arns {
                prefix: format!(
                    "arn:{}:ec2:{region}:{}:",
                    context.partition(),
                    context.account_id()
                ),
            };
            fetch(context.client(&region), arns)
        })
        .await
}

pub async fn instances(context: &Context<'_>) -> Outcome<Regional<Vec<InstanceRecord>>> {
    in_every_region(context, |client, arns| async move {
        let reservations = all_items!(client.describe_instances(), "ec2:DescribeInstances")?;
        Ok(reservations
            .iter()
            .flat_map(|reservation| reservation.instances())
            .filter(|instance| {
                instance.state().and_then(|state| state.name())
                    != Some(&InstanceStateName::Terminated)
            })
            .map(|instance| instance_record(instance, &arns))
            .collect())
    })
    .await
}

fn instance_record(instance: &aws_sdk_ec2::types::Instance, arns: &Arns) -> InstanceRecord {
    let id = text(instance.instance_id());
    let options = instance.metadata_options();
    InstanceRecord {
        instance: Instance {
            arn: arns.of("instance", &id),
            id,
            state: instance
                .state()
                .and_then(|state| state.name())
                .map(|name| name.as_str().to_string())
                .unwrap_or_default(),
            iam_instance_profile_arn: instance
                .iam_instance_profile()
                .and_then(|profile| profile.arn())
                .map(str::to_string),
            launch_time: instance.launch_time().map(timestamp),
        },
        // Recorded only when both settings are known: a half-known answer
        // is no answer (see `InstanceRecord::metadata_options`).
        metadata_options: options
            .and_then(|options| options.http_tokens().zip(options.http_endpoint()))
            .map(|(tokens, endpoint)| MetadataOptions {
                http_tokens: tokens.as_str().to_string(),
                http_endpoint: endpoint.as_str().to_string(),
            }),
    }
}

pub async fn ebs_encryption_by_default(context: &Context<'_>) -> Outcome<Regional<bool>> {
    context
        .per_region(|region| {
            let client: Client = context.client(&region);
            async move {
                let output = client
                    .get_ebs_encryption_by_default()
                    .send()
                    .await
                    .map_err(|error| data_error("ec2:GetEbsEncryptionByDefault", error))?;
                Ok(output.ebs_encryption_by_default().unwrap_or(false))
            }
        })
        .await
}

/// The account-level defaults only: an empty answer means no default is
/// set (new instances get the AMI's or launch's settings). An endpoint
/// without the API is a data error, never an assumed default.
pub async fn instance_metadata_defaults(context: &Context<'_>) -> Outcome<Regional<ImdsDefaults>> {
    in_every_region(context, |client, _| async move {
        let output = client
            .get_instance_metadata_defaults()
            .send()
            .await
            .map_err(|error| data_error("ec2:GetInstanceMetadataDefaults", error))?;
        let defaults = output.account_level();
        Ok(ImdsDefaults {
            http_tokens: defaults
                .and_then(|defaults| defaults.http_tokens())
                .map(|tokens| tokens.as_str().to_string()),
            http_endpoint: defaults
                .and_then(|defaults| defaults.http_endpoint())
                .map(|endpoint| endpoint.as_str().to_string()),
            http_put_response_hop_limit: defaults
                .and_then(|defaults| defaults.http_put_response_hop_limit()),
        })
    })
    .await
}

pub async fn security_groups(context: &Context<'_>) -> Outcome<Regional<Vec<SecurityGroup>>> {
    in_every_region(context, |client, arns| async move {
        let groups = all_items!(
            client.describe_security_groups(),
            "ec2:DescribeSecurityGroups"
        )?;
        Ok(groups
            .iter()
            .map(|group| {
                let id = text(group.group_id());
                SecurityGroup {
                    arn: arns.of("security-group", &id),
                    id,
                    name: text(group.group_name()),
                    description: text(group.description()),
                    vpc_id: group.vpc_id().map(str::to_string),
                    ingress: group.ip_permissions().iter().map(permission).collect(),
                    egress: group
                        .ip_permissions_egress()
                        .iter()
                        .map(permission)
                        .collect(),
                }
            })
            .collect())
    })
    .await
}

fn permission(permission: &IpPermission) -> Permission {
    Permission {
        ip_protocol: text(permission.ip_protocol()),
        from_port: permission.from_port(),
        to_port: permission.to_port(),
        ipv4_ranges: strings(permission.ip_ranges().iter().map(|range| range.cidr_ip())),
        ipv6_ranges: strings(
            permission
                .ipv6_ranges()
                .iter()
                .map(|range| range.cidr_ipv6()),
        ),
        prefix_list_ids: strings(
            permission
                .prefix_list_ids()
                .iter()
                .map(|prefix_list| prefix_list.prefix_list_id()),
        ),
        security_group_ids: strings(
            permission
                .user_id_group_pairs()
                .iter()
                .map(|pair| pair.group_id()),
        ),
    }
}

pub async fn network_acls(context: &Context<'_>) -> Outcome<Regional<Vec<NetworkAcl>>> {
    in_every_region(context, |client, arns| async move {
        let acls = all_items!(client.describe_network_acls(), "ec2:DescribeNetworkAcls")?;
        Ok(acls
            .iter()
            .map(|acl| {
                let id = text(acl.network_acl_id());
                NetworkAcl {
                    arn: arns.of("network-acl", &id),
                    id,
                    vpc_id: text(acl.vpc_id()),
                    is_default: acl.is_default().unwrap_or(false),
                    entries: acl.entries().iter().map(acl_entry).collect(),
                    subnet_ids: strings(
                        acl.associations()
                            .iter()
                            .map(|association| association.subnet_id()),
                    ),
                }
            })
            .collect())
    })
    .await
}

fn acl_entry(entry: &NetworkAclEntry) -> AclEntry {
    AclEntry {
        rule_number: entry.rule_number().unwrap_or_default(),
        protocol: text(entry.protocol()),
        rule_action: entry
            .rule_action()
            .map(|action| action.as_str().to_ascii_lowercase())
            .unwrap_or_default(),
        egress: entry.egress().unwrap_or(false),
        ipv4_cidr: entry.cidr_block().map(str::to_string),
        ipv6_cidr: entry.ipv6_cidr_block().map(str::to_string),
        port_range: entry.port_range().and_then(|range| {
            Some(PortRange {
                from_port: range.from()?,
                to_port: range.to()?,
            })
        }),
    }
}

pub async fn vpcs(context: &Context<'_>) -> Outcome<Regional<Vec<Vpc>>> {
    in_every_region(context, |client, arns| async move {
        let vpcs = all_items!(client.describe_vpcs(), "ec2:DescribeVpcs")?;
        Ok(vpcs
            .iter()
            .map(|vpc| {
                let id = text(vpc.vpc_id());
                Vpc {
                    arn: arns.of("vpc", &id),
                    id,
                    is_default: vpc.is_default().unwrap_or(false),
                    ipv4_cidrs: cidrs(
                        vpc.cidr_block(),
                        vpc.cidr_block_association_set()
                            .iter()
                            .filter(|association| is_associated(association.cidr_block_state()))
                            .map(|association| association.cidr_block()),
                    ),
                    ipv6_cidrs: cidrs(
                        None,
                        vpc.ipv6_cidr_block_association_set()
                            .iter()
                            .filter(|association| {
                                is_associated(association.ipv6_cidr_block_state())
                            })
                            .map(|association| association.ipv6_cidr_block()),
                    ),
                    state: vpc
                        .state()
                        .map(|state| state.as_str().to_string())
                        .unwrap_or_default(),
                }
            })
            .collect())
    })
    .await
}

/// Whether a VPC CIDR association is (or is becoming) part of the VPC: a
/// disassociated or failed block is history, not address space.
fn is_associated(state: Option<&VpcCidrBlockState>) -> bool {
    !matches!(
        state.and_then(VpcCidrBlockState::state),
        Some(
            VpcCidrBlockStateCode::Disassociated
                | VpcCidrBlockStateCode::Disassociating
                | VpcCidrBlockStateCode::Failed
                | VpcCidrBlockStateCode::Failing
        )
    )
}

pub async fn route_tables(context: &Context<'_>) -> Outcome<Regional<Vec<RouteTable>>> {
    in_every_region(context, |client, arns| async move {
        let tables = all_items!(client.describe_route_tables(), "ec2:DescribeRouteTables")?;
        Ok(tables
            .iter()
            .map(|table| {
                let id = text(table.route_table_id());
                RouteTable {
                    arn: arns.of("route-table", &id),
                    id,
                    vpc_id: text(table.vpc_id()),
                    main: table
                        .associations()
                        .iter()
                        .any(|association| association.main() == Some(true)),
                    subnet_ids: strings(
                        table
                            .associations()
                            .iter()
                            .map(|association| association.subnet_id()),
                    ),
                    routes: table.routes().iter().map(route).collect(),
                }
            })
            .collect())
    })
    .await
}

fn route(route: &Route) -> RouteEntry {
    // A route names exactly one target in practice; a route to an instance
    // also names its network interface, which comes first here.
    let target = [
        route.gateway_id(),
        route.nat_gateway_id(),
        route.transit_gateway_id(),
        route.network_interface_id(),
        route.instance_id(),
        route.vpc_peering_connection_id(),
        route.egress_only_internet_gateway_id(),
        route.local_gateway_id(),
        route.carrier_gateway_id(),
        route.core_network_arn(),
        route.odb_network_arn(),
    ]
    .into_iter()
    .flatten()
    .next();
    RouteEntry {
        destination_ipv4_cidr: route.destination_cidr_block().map(str::to_string),
        destination_ipv6_cidr: route.destination_ipv6_cidr_block().map(str::to_string),
        destination_prefix_list_id: route.destination_prefix_list_id().map(str::to_string),
        target: text(target),
        vpc_peering_connection_id: route.vpc_peering_connection_id().map(str::to_string),
        state: route
            .state()
            .map(|state| state.as_str().to_ascii_lowercase())
            .unwrap_or_default(),
    }
}

pub async fn vpc_peering_connections(
    context: &Context<'_>,
) -> Outcome<Regional<Vec<VpcPeeringConnection>>> {
    in_every_region(context, |client, arns| async move {
        let connections = all_items!(
            client.describe_vpc_peering_connections(),
            "ec2:DescribeVpcPeeringConnections"
        )?;
        Ok(connections
            .iter()
            .map(|connection| {
                let id = text(connection.vpc_peering_connection_id());
                VpcPeeringConnection {
                    arn: arns.of("vpc-peering-connection", &id),
                    id,
                    status: connection
                        .status()
                        .and_then(|status| status.code())
                        .map(|code| code.as_str().to_string())
                        .unwrap_or_default(),
                    requester: peering_side(connection.requester_vpc_info()),
                    accepter: peering_side(connection.accepter_vpc_info()),
                }
            })
            .collect())
    })
    .await
}

fn peering_side(side: Option<&VpcPeeringConnectionVpcInfo>) -> PeeringSide {
    PeeringSide {
        vpc_id: text(side.and_then(|side| side.vpc_id())),
        owner_id: text(side.and_then(|side| side.owner_id())),
        region: side.and_then(|side| side.region()).map(str::to_string),
        ipv4_cidrs: cidrs(
            side.and_then(|side| side.cidr_block()),
            side.into_iter()
                .flat_map(|side| side.cidr_block_set())
                .map(|block| block.cidr_block()),
        ),
        ipv6_cidrs: cidrs(
            None,
            side.into_iter()
                .flat_map(|side| side.ipv6_cidr_block_set())
                .map(|block| block.ipv6_cidr_block()),
        ),
    }
}

pub async fn vpc_endpoints(context: &Context<'_>) -> Outcome<Regional<Vec<VpcEndpoint>>> {
    in_every_region(context, |client, arns| async move {
        let endpoints = all_items!(client.describe_vpc_endpoints(), "ec2:DescribeVpcEndpoints")?;
        Ok(endpoints
            .iter()
            .map(|endpoint| {
                let id = text(endpoint.vpc_endpoint_id());
                VpcEndpoint {
                    arn: arns.of("vpc-endpoint", &id),
                    id,
                    vpc_id: text(endpoint.vpc_id()),
                    service_name: text(endpoint.service_name()),
                    endpoint_type: endpoint
                        .vpc_endpoint_type()
                        .map(|kind| kind.as_str().to_string())
                        .unwrap_or_default(),
                    state: endpoint
                        .state()
                        .map(|state| state.as_str().to_ascii_lowercase())
                        .unwrap_or_default(),
                    route_table_ids: endpoint.route_table_ids().to_vec(),
                    subnet_ids: endpoint.subnet_ids().to_vec(),
                }
            })
            .collect())
    })
    .await
}

/// The values present, in order.
fn strings<'a>(values: impl IntoIterator<Item = Option<&'a str>>) -> Vec<String> {
    values.into_iter().flatten().map(str::to_string).collect()
}

/// A resource's CIDR blocks: the primary one (when the API names it apart)
/// and every block of its set, each once. EC2 lists the primary block in the
/// set too; an endpoint that only names the primary one still yields it.
fn cidrs<'a>(primary: Option<&'a str>, set: impl Iterator<Item = Option<&'a str>>) -> Vec<String> {
    let mut blocks: Vec<String> = Vec::new();
    for block in primary.into_iter().chain(set.flatten()) {
        if !blocks.iter().any(|known| known == block) {
            blocks.push(block.to_string());
        }
    }
    blocks
}

pub async fn flow_logs(context: &Context<'_>) -> Outcome<Regional<Vec<FlowLog>>> {
    context
        .per_region(|region| {
            let client: Client = context.client(&region);
            // A flow log created with a log group name delivers to that group
            // in its own account and region.
            let log_group_prefix = format!(
                "arn:{}:logs:{region}:{}:log-group:",
                context.partition(),
                context.account_id()
            );
            async move {
                let flow_logs = all_items!(client.describe_flow_logs(), "ec2:DescribeFlowLogs")?;
                Ok(flow_logs
                    .iter()
                    .map(|flow_log| FlowLog {
                        id: text(flow_log.flow_log_id()),
                        resource_id: text(flow_log.resource_id()),
                        traffic_type: text(flow_log.traffic_type().map(|kind| kind.as_str())),
                        status: text(flow_log.flow_log_status()),
                        deliver_logs_status: flow_log.deliver_logs_status().map(str::to_string),
                        log_destination_type: text(
                            flow_log.log_destination_type().map(|kind| kind.as_str()),
                        ),
                        log_destination: flow_log.log_destination().map(str::to_string).or_else(
                            || {
                                flow_log
                                    .log_group_name()
                                    .map(|name| format!("{log_group_prefix}{name}"))
                            },
                        ),
                    })
                    .collect())
            }
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::partition_of_region;

    #[test]
    fn regions_map_to_their_partition() {
        assert_eq!(partition_of_region("eu-west-1"), "aws");
        assert_eq!(partition_of_region("us-gov-west-1"), "aws-us-gov");
        assert_eq!(partition_of_region("cn-north-1"), "aws-cn");
        assert_eq!(partition_of_region("us-east-1"), "aws");
    }
}
