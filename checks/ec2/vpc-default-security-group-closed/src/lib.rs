//! The default security group of every VPC has no rules at all.

use plumbline_guest::bindings::plumbline::check::ec2::{IpPermission, SecurityGroup};
use plumbline_guest::network;
use plumbline_guest::prelude::*;

struct DefaultSecurityGroupClosed;

/// EC2 names every VPC's default security group so, and no other group may
/// take the name.
const DEFAULT_GROUP_NAME: &str = "default";

impl Check for DefaultSecurityGroupClosed {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::VPC_DEFAULT_SG_RESTRICTS_ALL,
            severity: Severity::Medium,
            description: "Checks, in every region of the scan, that the default security group \
                          (the group named `default`) of each VPC has no inbound and no outbound \
                          rules, whatever their source or destination: a rule admitting only \
                          the group itself (as EC2 creates it) fails too. A default group that \
                          nothing uses is judged all the same, since anything launched without \
                          a group named gets it. A region without VPCs is not applicable.",
            rationale: "Resources launched or created without a security group chosen get the \
                        VPC's default group. As EC2 creates it, it admits all traffic between \
                        its members and lets them send anywhere; with no rules, such a \
                        resource is isolated until a deliberate group is attached, and \
                        least-privilege groups are designed for what needs them.",
            remediation: "Attach purpose-built security groups to the resources that use the \
                          default group, then remove every rule of the default group: VPC \
                          console > Security groups > the `default` group > Inbound rules and \
                          Outbound rules > Edit > Delete each rule > Save. With the CLI: `aws \
                          ec2 revoke-security-group-ingress --group-id <sg-id> --ip-permissions \
                          '<the rule as describe-security-groups shows it>'` and `aws ec2 \
                          revoke-security-group-egress --group-id <sg-id> --ip-permissions \
                          IpProtocol=-1,IpRanges=[{CidrIp=0.0.0.0/0}]`.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        Ok(regional::for_each_region(
            ec2::security_groups,
            judge_region,
            network::security_groups_resource,
        ))
    }
}

fn judge_region(region: &str, groups: Vec<SecurityGroup>) -> Vec<Finding> {
    // A default group belongs to a VPC; an EC2-Classic one (no VPC) is not
    // this control's.
    let defaults: Vec<Finding> = groups
        .iter()
        .filter(|group| group.name == DEFAULT_GROUP_NAME && group.vpc_id.is_some())
        .map(|group| judge(region, group))
        .collect();
    if defaults.is_empty() {
        return vec![Finding::not_applicable(
            network::security_groups_resource(region),
            region,
            format!("no VPCs (no default security groups) in {region}"),
        )];
    }
    defaults
}

fn judge(region: &str, group: &SecurityGroup) -> Finding {
    let group_name = network::describe_security_group(group);
    if group.ingress.is_empty() && group.egress.is_empty() {
        return Finding::pass(
            &group.arn,
            region,
            format!("{group_name} has no inbound and no outbound rules"),
        );
    }
    let rules: Vec<String> = [
        describe_rules("inbound", "from", &group.ingress),
        describe_rules("outbound", "to", &group.egress),
    ]
    .into_iter()
    .flatten()
    .collect();
    Finding::fail(
        &group.arn,
        region,
        format!(
            "{group_name} has {}; a default security group must have none",
            rules.join(" and ")
        ),
    )
}

/// `2 inbound rule(s) (all protocols from sg-1; tcp port 22 from 10.0.0.0/8)`,
/// or None when there are none.
fn describe_rules(kind: &str, direction: &str, rules: &[IpPermission]) -> Option<String> {
    if rules.is_empty() {
        return None;
    }
    // A rule's own description lists its peers with commas: rules are
    // separated by semicolons.
    const SHOWN: usize = 3;
    let mut described: Vec<String> = rules
        .iter()
        .take(SHOWN)
        .map(|rule| network::describe_permission(rule, direction))
        .collect();
    if rules.len() > SHOWN {
        described.push(format!("{} more", rules.len() - SHOWN));
    }
    Some(format!(
        "{} {kind} rule(s) ({})",
        rules.len(),
        described.join("; ")
    ))
}

plumbline_guest::export_check!(DefaultSecurityGroupClosed);
