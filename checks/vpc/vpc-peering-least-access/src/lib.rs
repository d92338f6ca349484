//! Routes to VPC peering connections cover only what needs the peer: the
//! evidence for a manual review, per peering connection.

use plumbline_guest::bindings::plumbline::check::ec2::{
    PeeringSide, Route, RouteTable, VpcPeeringConnection,
};
use plumbline_guest::network::Cidr;
use plumbline_guest::prelude::*;

struct PeeringLeastAccess;

impl Check for PeeringLeastAccess {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::VPC_PEERING_LEAST_ACCESS,
            severity: Severity::Medium,
            description: "For each VPC peering connection of every region of the scan, a manual \
                          finding with the evidence: both sides (VPC and CIDR blocks), and each \
                          route of the region's route tables that targets the connection (route \
                          table, its VPC, destination), flagging routes whose destination covers \
                          a whole CIDR block of the peer VPC or more. Whether each route is as \
                          narrow as the workloads need is for a reviewer: a route to the whole \
                          peer VPC may be intended. Routes to a prefix list are shown but not \
                          flagged (its entries are not read). A cross-region peering shows each \
                          region's own routes in that region's finding. A region without peering \
                          connections is not applicable.",
            rationale: "A peering route is what lets traffic cross to the other VPC. Routing \
                        only the subnets that must talk, rather than whole VPC ranges, limits \
                        what a compromised host on either side can reach and keeps a \
                        misconfigured security group from exposing the whole peer.",
            remediation: "Replace broad peering routes with routes to the specific subnets \
                          that need the peer: VPC console > Route tables > the table > Routes > \
                          Edit routes. With the CLI: `aws ec2 delete-route --route-table-id \
                          <rtb-id> --destination-cidr-block <peer VPC CIDR>` then `aws ec2 \
                          create-route --route-table-id <rtb-id> --destination-cidr-block \
                          <peer subnet CIDR> --vpc-peering-connection-id <pcx-id>`, and keep the \
                          routes only in the route tables of the subnets that use the peer.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        Ok(regional::for_each_region(
            ec2::vpc_peering_connections,
            judge_region,
            peering_resource,
        ))
    }
}

fn peering_resource(region: &str) -> String {
    regional::region_resource("ec2", region, "vpc-peering-connection")
}

fn judge_region(region: &str, connections: Vec<VpcPeeringConnection>) -> Vec<Finding> {
    if connections.is_empty() {
        return vec![Finding::not_applicable(
            peering_resource(region),
            region,
            format!("no VPC peering connections in {region}"),
        )];
    }
    // Route tables are read only where there is a peering to route to.
    match ec2::route_tables(region) {
        Ok(tables) => connections
            .iter()
            .map(|connection| {
                Finding::manual(&connection.arn, region, evidence(connection, &tables))
            })
            .collect(),
        Err(error) => connections
            .iter()
            .map(|connection| {
                Finding::error(
                    &connection.arn,
                    region,
                    format!(
                        "peering connection {}: its routes are unknown: {}",
                        connection.id,
                        error.describe()
                    ),
                )
            })
            .collect(),
    }
}

/// One line: the connection, its sides, and the routes that target it.
fn evidence(connection: &VpcPeeringConnection, tables: &[RouteTable]) -> String {
    let routes: Vec<String> = tables
        .iter()
        .flat_map(|table| {
            table
                .routes
                .iter()
                .filter(|route| targets(route, &connection.id))
                .map(move |route| describe_route(table, route, connection))
        })
        .collect();
    let sides = format!(
        "{} (requester) <-> {} (accepter)",
        describe_side(&connection.requester),
        describe_side(&connection.accepter)
    );
    let routes = if routes.is_empty() {
        "no route of this region's route tables targets it".to_string()
    } else {
        format!("{} route(s): {}", routes.len(), routes.join("; "))
    };
    format!(
        "peering connection {} ({}): {sides}; {routes}; review that each route covers only the \
         subnets that need the peer",
        connection.id, connection.status
    )
}

fn targets(route: &Route, connection_id: &str) -> bool {
    route.vpc_peering_connection_id.as_deref() == Some(connection_id)
        || route.target == connection_id
}

/// `vpc-1 10.0.0.0/16, 2001:db8::/56 (111122223333, eu-west-1)`.
fn describe_side(side: &PeeringSide) -> String {
    let cidrs: Vec<&str> = side
        .ipv4_cidrs
        .iter()
        .chain(&side.ipv6_cidrs)
        .map(String::as_str)
        .collect();
    let region = side
        .region
        .as_deref()
        .map_or(String::new(), |region| format!(", {region}"));
    format!(
        "{} {} ({}{region})",
        side.vpc_id,
        if cidrs.is_empty() {
            "(no CIDR block known)".to_string()
        } else {
            cidrs.join(", ")
        },
        side.owner_id
    )
}

/// `rtb-1 (vpc-1) -> 10.1.0.0/16 [covers the whole peer CIDR 10.1.0.0/16]`.
fn describe_route(table: &RouteTable, route: &Route, connection: &VpcPeeringConnection) -> String {
    let destination = route
        .destination_ipv4_cidr
        .as_deref()
        .or(route.destination_ipv6_cidr.as_deref());
    let shown = destination
        .or(route.destination_prefix_list_id.as_deref())
        .unwrap_or("no destination");
    let mut line = format!("{} ({}) -> {shown}", table.id, table.vpc_id);
    if !route.state.eq_ignore_ascii_case("active") {
        line.push_str(&format!(" ({})", route.state));
    }
    if let Some(covered) = destination.and_then(|d| whole_peer_cidr(d, table, connection)) {
        line.push_str(&format!(" [covers the whole peer VPC CIDR {covered}]"));
    }
    line
}

/// The peer VPC CIDR block the destination covers entirely, if any. The
/// peer is the side the route table's VPC is not; a table of neither side
/// (not expected) is compared with both.
fn whole_peer_cidr<'a>(
    destination: &str,
    table: &RouteTable,
    connection: &'a VpcPeeringConnection,
) -> Option<&'a str> {
    let destination = Cidr::parse(destination)?;
    let (requester, accepter) = (&connection.requester, &connection.accepter);
    let peers: Vec<&PeeringSide> = if table.vpc_id == requester.vpc_id {
        vec![accepter]
    } else if table.vpc_id == accepter.vpc_id {
        vec![requester]
    } else {
        vec![requester, accepter]
    };
    peers
        .into_iter()
        .flat_map(|side| side.ipv4_cidrs.iter().chain(&side.ipv6_cidrs))
        .find(|cidr| Cidr::parse(cidr).is_some_and(|peer| destination.contains(&peer)))
        .map(String::as_str)
}

plumbline_guest::export_check!(PeeringLeastAccess);
