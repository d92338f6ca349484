//! No security group admits the internet to CIFS/SMB (port 445).

use plumbline_guest::network::{self, Exposure, IpFamily, Transport};
use plumbline_guest::prelude::*;

struct CifsRestricted;

/// CIFS/SMB over TCP, and the UDP port Windows file sharing also listens on.
const CIFS_FROM_INTERNET: Exposure = Exposure {
    ports: &[445],
    transports: &[Transport::Tcp, Transport::Udp],
    sources: &[IpFamily::V4, IpFamily::V6],
};

impl Check for CifsRestricted {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::EC2_CIFS_RESTRICTED,
            severity: Severity::High,
            description: "Checks every security group in every region of the scan: it fails when \
                          an inbound rule admits port 445 (CIFS/SMB) over TCP, UDP or all \
                          protocols (-1) from the internet, 0.0.0.0/0 or ::/0 (any block with \
                          prefix length 0), in every version. A rule for all protocols, a TCP or \
                          UDP rule without ports and 0-65535 include port 445. Trusted networks \
                          are anything narrower: specific CIDR blocks, prefix lists and \
                          referenced security groups pass. A region without security groups is \
                          not applicable.",
            rationale: "SMB on port 445 is one of the most attacked services on the internet \
                        (WannaCry and NotPetya spread through it); exposed, it invites remote \
                        code execution, credential relay and data theft from file shares.",
            remediation: "Remove or narrow each rule named in a finding: VPC console > Security \
                          groups > the group > Inbound rules > Edit inbound rules, and set the \
                          source to the networks that need the share (or a prefix list or \
                          security group). With the CLI: `aws ec2 revoke-security-group-ingress \
                          --group-id <sg-id> --protocol tcp --port 445 --cidr 0.0.0.0/0` (and \
                          `--ip-permissions ...Ipv6Ranges=[{CidrIpv6=::/0}]` for IPv6).",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        Ok(network::judge_security_groups(
            cis::EC2_CIFS_RESTRICTED,
            |_| CIFS_FROM_INTERNET,
        ))
    }
}

plumbline_guest::export_check!(CifsRestricted);
