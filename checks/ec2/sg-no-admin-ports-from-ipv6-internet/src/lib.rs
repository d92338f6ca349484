//! No security group admits the IPv6 internet to SSH or RDP.

use plumbline_guest::network::{self, ADMIN_PORTS, Exposure, IpFamily};
use plumbline_guest::prelude::*;

struct AdminPortsFromIpv6Internet;

impl Check for AdminPortsFromIpv6Internet {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::SG_NO_ADMIN_PORTS_FROM_IPV6_INTERNET,
            severity: Severity::High,
            description: "Checks every security group in every region of the scan: it fails when \
                          an inbound rule admits port 22 (SSH) or 3389 (RDP) from ::/0 (any IPv6 \
                          block with prefix length 0). A rule counts when its port range includes \
                          the port (a rule for all protocols, a TCP rule without ports and \
                          0-65535 include every port) and its protocol is TCP or all (-1); UDP \
                          counts too from v2.0.0 on, as for the IPv4 recommendation (the later \
                          audit text names TCP (6), UDP (17) or ALL (-1); which version first did \
                          could not be established, so v2.0.0 was chosen for both). Rules open \
                          only to 0.0.0.0/0 are the IPv4 recommendation's; prefix lists and \
                          referenced security groups are not the internet. A region without \
                          security groups is not applicable.",
            rationale: "SSH and RDP give an interactive session on the server. An instance with \
                        an IPv6 address is directly reachable from the IPv6 internet, where \
                        scanners find open administration ports as they do on IPv4; one \
                        guessed password or service exploit is a compromised host inside the \
                        VPC.",
            remediation: "Remove or narrow each rule named in a finding: VPC console > Security \
                          groups > the group > Inbound rules > Edit inbound rules, and set the \
                          source to the administrators' address range or a prefix list, or \
                          delete the rule and reach instances through Systems Manager Session \
                          Manager. With the CLI: `aws ec2 revoke-security-group-ingress \
                          --group-id <sg-id> --ip-permissions \
                          IpProtocol=tcp,FromPort=22,ToPort=22,Ipv6Ranges=[{CidrIpv6=::/0}]`.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        Ok(network::judge_security_groups(
            cis::SG_NO_ADMIN_PORTS_FROM_IPV6_INTERNET,
            |version| Exposure {
                ports: ADMIN_PORTS,
                transports: network::admin_port_transports(version),
                sources: &[IpFamily::V6],
            },
        ))
    }
}

plumbline_guest::export_check!(AdminPortsFromIpv6Internet);
