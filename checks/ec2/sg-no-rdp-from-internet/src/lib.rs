//! CIS v1.2.0 4.2: no security group admits the IPv4 internet to port 3389.

use plumbline_guest::network::{self, Exposure, IpFamily, RDP_PORT};
use plumbline_guest::prelude::*;

struct RdpFromInternet;

impl Check for RdpFromInternet {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::SG_NO_RDP_FROM_INTERNET,
            severity: Severity::High,
            description: "Checks every security group in every region of the scan: it fails when \
                          an inbound rule admits port 3389 from 0.0.0.0/0 (any IPv4 block with \
                          prefix length 0) over TCP or all protocols (-1); a rule for all \
                          protocols, a TCP rule without ports and 0-65535 include port 3389. UDP \
                          does not count: v1.2.0 speaks of port ranges only (UDP counts for the \
                          administration-port recommendations from v2.0.0 on). Prefix lists and \
                          referenced security groups are not the internet; ::/0 is not in this \
                          recommendation. A region without security groups is not applicable.",
            rationale: "RDP gives a desktop session on the server. Open to the whole internet \
                        it is scanned within minutes and attacked by password guessing and \
                        exploits of the RDP service.",
            remediation: "Remove or narrow each rule named in a finding: VPC console > Security \
                          groups > the group > Inbound rules > Edit inbound rules, and set the \
                          source to the administrators' address range, or delete the rule and \
                          use Systems Manager Fleet Manager or a bastion. With the CLI: `aws ec2 \
                          revoke-security-group-ingress --group-id <sg-id> --protocol tcp \
                          --port 3389 --cidr 0.0.0.0/0`.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        Ok(network::judge_security_groups(
            cis::SG_NO_RDP_FROM_INTERNET,
            |version| Exposure {
                ports: &[RDP_PORT],
                transports: network::admin_port_transports(version),
                sources: &[IpFamily::V4],
            },
        ))
    }
}

plumbline_guest::export_check!(RdpFromInternet);
