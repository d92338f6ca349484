//! No network ACL allows the internet in to SSH or RDP.

use plumbline_guest::bindings::plumbline::check::ec2::NetworkAcl;
use plumbline_guest::network::{self, ADMIN_PORTS, Exposure, IpFamily};
use plumbline_guest::prelude::*;

struct NaclAdminPortsFromInternet;

/// The looked-for traffic in one benchmark version. Every version's text
/// names 0.0.0.0/0 only; ::/0 counts from v1.5.0 on, the version that made
/// ::/0 the internet for security groups, since an ALLOW from ::/0 is the
/// same exposure. UDP follows the security-group decision (v2.0.0 on).
fn admin_ports_from_internet(version: &str) -> Exposure {
    Exposure {
        ports: ADMIN_PORTS,
        transports: network::admin_port_transports(version),
        sources: if matches!(version, "1.3.0" | "1.4.0") {
            &[IpFamily::V4]
        } else {
            &[IpFamily::V4, IpFamily::V6]
        },
    }
}

impl Check for NaclAdminPortsFromInternet {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::NACL_NO_ADMIN_PORTS_FROM_INTERNET,
            severity: Severity::Medium,
            description: "Checks every network ACL in every region of the scan: it fails when an \
                          inbound ALLOW rule admits port 22 (SSH) or 3389 (RDP) from the \
                          internet. A rule counts when its port range includes the port (a rule \
                          for all protocols, a rule without a port range and 0-65535 include \
                          every port) and its protocol is TCP (6) or all (-1); UDP (17) counts \
                          too from v2.0.0 on (the later audit text names TCP (6), UDP (17) or \
                          ALL (-1); which version first did could not be established, so v2.0.0 \
                          was chosen). The internet is 0.0.0.0/0 (any IPv4 block with prefix \
                          length 0) in every version and also ::/0 from v1.5.0 on: the text \
                          names only 0.0.0.0/0, but v1.5.0 made ::/0 the internet for security \
                          groups and an IPv6 ALLOW is the same exposure. Following the CIS text \
                          literally (no rule may show ALLOW), an ALLOW rule still fails when a \
                          lower-numbered DENY rule shadows it: it is one edit away from \
                          exposure; the finding names the shadowing DENY. Outbound rules and \
                          DENY rules are not judged. A VPC's default network ACL as EC2 creates \
                          it (allow everything at rule 100) fails. A region without network \
                          ACLs is not applicable.",
            rationale: "Network ACLs are the stateless first filter at the subnet edge. An \
                        ALLOW from the whole internet to SSH or RDP leaves the administration \
                        ports of every instance in the subnets guarded by security groups \
                        alone, and one permissive security group then exposes them.",
            remediation: "For each rule named: VPC console > Network ACLs > the ACL > Inbound \
                          rules > Edit inbound rules, and narrow the source of the rule to the \
                          administrators' range or replace it with rules that leave out ports \
                          22 and 3389 (a shadowed rule too: delete it rather than rely on the \
                          DENY above it). With the CLI: `aws ec2 replace-network-acl-entry \
                          --network-acl-id <acl-id> --ingress --rule-number <n> --protocol 6 \
                          --port-range From=443,To=443 --cidr-block 0.0.0.0/0 --rule-action \
                          allow` or `aws ec2 delete-network-acl-entry --network-acl-id <acl-id> \
                          --ingress --rule-number <n>`.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        evaluate_per_version(
            cis::NACL_NO_ADMIN_PORTS_FROM_INTERNET,
            admin_ports_from_internet,
            |exposure| {
                Ok(regional::for_each_region(
                    ec2::network_acls,
                    |region, acls| judge_region(region, &acls, exposure),
                    network_acls_resource,
                ))
            },
        )
    }
}

fn network_acls_resource(region: &str) -> String {
    regional::region_resource("ec2", region, "network-acl")
}

fn judge_region(region: &str, acls: &[NetworkAcl], exposure: &Exposure) -> Vec<Finding> {
    if acls.is_empty() {
        return vec![Finding::not_applicable(
            network_acls_resource(region),
            region,
            format!("no network ACLs in {region}"),
        )];
    }
    acls.iter()
        .map(|acl| judge(region, acl, exposure))
        .collect()
}

fn judge(region: &str, acl: &NetworkAcl, exposure: &Exposure) -> Finding {
    let default = if acl.is_default { ", default" } else { "" };
    let acl_name = format!(
        "network ACL {} ({}{default}, {} subnet(s))",
        acl.id,
        acl.vpc_id,
        acl.subnet_ids.len()
    );
    network::exposure_verdict(
        &acl.arn,
        region,
        &acl_name,
        &network::network_acl_exposures(acl, exposure),
        exposure,
    )
}

plumbline_guest::export_check!(NaclAdminPortsFromInternet);
