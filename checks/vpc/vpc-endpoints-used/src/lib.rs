//! VPCs reach AWS services through VPC endpoints: the evidence for a manual
//! review, per VPC.

use plumbline_guest::bindings::plumbline::check::ec2::{Vpc, VpcEndpoint};
use plumbline_guest::prelude::*;

struct EndpointsUsed;

impl Check for EndpointsUsed {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::VPC_ENDPOINTS_USED,
            severity: Severity::Low,
            description: "For each VPC of every region of the scan, a manual finding listing its \
                          VPC endpoints: service name, type and, when not available, state (or \
                          that it has none). Which AWS services the VPC's workloads call, and so \
                          which endpoints it should have, only a reviewer knows. A region \
                          without VPCs is not applicable.",
            rationale: "Without an endpoint, calls to AWS services leave the VPC through an \
                        internet or NAT gateway. An endpoint keeps them on the AWS network, \
                        removes the need for internet access for that purpose, and lets an \
                        endpoint policy restrict which resources can be reached from the VPC.",
            remediation: "For each AWS service the VPC's workloads use, create an endpoint: VPC \
                          console > Endpoints > Create endpoint > AWS services > the service \
                          (gateway endpoints for S3 and DynamoDB, interface endpoints for the \
                          others) > the VPC, subnets or route tables. With the CLI: `aws ec2 \
                          create-vpc-endpoint --vpc-id <vpc-id> --service-name \
                          com.amazonaws.<region>.s3 --route-table-ids <rtb-id>` (gateway) or \
                          `--vpc-endpoint-type Interface --subnet-ids <subnet-id>`, and attach an \
                          endpoint policy limiting what it reaches.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        Ok(regional::for_each_region(
            |region| Ok((ec2::vpcs(region)?, ec2::vpc_endpoints(region)?)),
            judge_region,
            |region| regional::region_resource("ec2", region, "vpc"),
        ))
    }
}

fn judge_region(region: &str, (vpcs, endpoints): (Vec<Vpc>, Vec<VpcEndpoint>)) -> Vec<Finding> {
    if vpcs.is_empty() {
        return vec![Finding::not_applicable(
            regional::region_resource("ec2", region, "vpc"),
            region,
            format!("no VPCs in {region}"),
        )];
    }
    vpcs.iter()
        .map(|vpc| Finding::manual(&vpc.arn, region, evidence(vpc, &endpoints)))
        .collect()
}

fn evidence(vpc: &Vpc, endpoints: &[VpcEndpoint]) -> String {
    let default = if vpc.is_default { ", default VPC" } else { "" };
    let name = format!("VPC {} ({}{default})", vpc.id, vpc.ipv4_cidrs.join(", "));
    let own: Vec<String> = endpoints
        .iter()
        .filter(|endpoint| endpoint.vpc_id == vpc.id)
        .map(describe_endpoint)
        .collect();
    if own.is_empty() {
        return format!(
            "{name} has no VPC endpoints: any call to an AWS service leaves through an internet \
             or NAT gateway; review which services its workloads use"
        );
    }
    format!(
        "{name} has {} VPC endpoint(s): {}; review that every AWS service its workloads use \
         has one",
        own.len(),
        plumbline_guest::brief_list(&own, 10)
    )
}

/// `com.amazonaws.us-east-1.s3 (Gateway)`, with the state when not available.
fn describe_endpoint(endpoint: &VpcEndpoint) -> String {
    if endpoint.state.eq_ignore_ascii_case("available") {
        format!("{} ({})", endpoint.service_name, endpoint.endpoint_type)
    } else {
        format!(
            "{} ({}, {})",
            endpoint.service_name, endpoint.endpoint_type, endpoint.state
        )
    }
}

plumbline_guest::export_check!(EndpointsUsed);
