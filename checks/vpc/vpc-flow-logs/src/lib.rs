//! Every VPC has an active flow log that captures rejected traffic.

use plumbline_guest::bindings::plumbline::check::ec2::{FlowLog, Vpc};
use plumbline_guest::prelude::*;

struct VpcFlowLogs;

impl Check for VpcFlowLogs {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::VPC_FLOW_LOGS,
            severity: Severity::Medium,
            description: "Checks every VPC of every region in scope (DescribeVpcs) against the \
                          region's flow logs (DescribeFlowLogs): a VPC passes when a flow log \
                          on the VPC itself is ACTIVE, captures REJECT or ALL traffic, and is \
                          not failing to deliver. Decisions: CIS asks for rejected traffic at \
                          least, so a flow log capturing only ACCEPT traffic does not count; a \
                          flow log whose delivery status is FAILED keeps no records, so it does \
                          not count either (an unknown delivery status does); flow logs on a \
                          VPC's subnets or network interfaces do not count, as CIS audits the \
                          VPC. A region without VPCs is not applicable.",
            rationale: "Flow logs record the IP traffic that reaches or leaves the VPC's \
                        network interfaces. Rejected traffic in particular shows scans and \
                        attempts blocked by security groups and network ACLs, and the records \
                        are needed to investigate an incident after the fact.",
            remediation: "Console: VPC > Your VPCs > the VPC > Actions > Create flow log > \
                          Filter Reject (or All), a CloudWatch Logs log group or S3 bucket \
                          destination (and an IAM role for CloudWatch Logs) > Create. CLI: `aws \
                          ec2 create-flow-logs --region <region> --resource-type VPC \
                          --resource-ids <vpc-id> --traffic-type REJECT \
                          --log-destination-type s3 --log-destination \
                          arn:aws:s3:::<bucket>/<prefix>`.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        Ok(regional::for_each_resource(
            vpcs_with_flow_logs,
            judge,
            "VPCs",
            region_resource,
        ))
    }
}

fn region_resource(region: &str) -> String {
    regional::region_resource("ec2", region, "vpc")
}

/// Each VPC of the region with the flow logs attached to it. The flow logs
/// are not read where there is no VPC: nothing would be judged with them.
fn vpcs_with_flow_logs(region: &str) -> Result<Vec<(Vpc, Vec<FlowLog>)>, DataError> {
    let vpcs = ec2::vpcs(region)?;
    if vpcs.is_empty() {
        return Ok(Vec::new());
    }
    let flow_logs = ec2::flow_logs(region)?;
    Ok(vpcs
        .into_iter()
        .map(|vpc| {
            let own = flow_logs
                .iter()
                .filter(|flow_log| flow_log.resource_id == vpc.id)
                .cloned()
                .collect();
            (vpc, own)
        })
        .collect())
}

fn judge(region: &str, (vpc, flow_logs): &(Vpc, Vec<FlowLog>)) -> Finding {
    let name = format!("VPC {}", vpc.id);
    if let Some(counted) = flow_logs.iter().find(|flow_log| counts(flow_log)) {
        return Finding::pass(
            &vpc.arn,
            region,
            format!(
                "{name}: flow log {} captures {} traffic to {}",
                counted.id,
                counted.traffic_type,
                destination(counted)
            ),
        );
    }
    let message = if flow_logs.is_empty() {
        format!("{name} has no flow log")
    } else {
        let why: Vec<String> = flow_logs.iter().map(why_not_counted).collect();
        format!(
            "{name} has no active flow log capturing REJECT or ALL traffic: {}",
            why.join("; ")
        )
    };
    Finding::fail(&vpc.arn, region, message)
}

/// Active, capturing rejected traffic, and not failing to deliver it.
fn counts(flow_log: &FlowLog) -> bool {
    flow_log.status == "ACTIVE" && captures_rejected_traffic(flow_log) && !delivery_failed(flow_log)
}

fn captures_rejected_traffic(flow_log: &FlowLog) -> bool {
    matches!(flow_log.traffic_type.as_str(), "REJECT" | "ALL")
}

fn delivery_failed(flow_log: &FlowLog) -> bool {
    flow_log.deliver_logs_status.as_deref() == Some("FAILED")
}

fn why_not_counted(flow_log: &FlowLog) -> String {
    let mut reasons = Vec::new();
    if flow_log.status != "ACTIVE" {
        reasons.push(format!("status {}", flow_log.status));
    }
    if !captures_rejected_traffic(flow_log) {
        reasons.push(format!("captures only {} traffic", flow_log.traffic_type));
    }
    if delivery_failed(flow_log) {
        reasons.push("delivery FAILED".to_string());
    }
    format!("flow log {} {}", flow_log.id, reasons.join(", "))
}

fn destination(flow_log: &FlowLog) -> String {
    match &flow_log.log_destination {
        Some(target) => format!("{} {target}", flow_log.log_destination_type),
        None => flow_log.log_destination_type.clone(),
    }
}

plumbline_guest::export_check!(VpcFlowLogs);
