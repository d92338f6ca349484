//! Network rules: security group permissions and network ACL entries, and
//! the question the CIS Networking controls ask of them: which rule lets the
//! internet reach given ports. One reading of EC2's rule shapes for every
//! NACL and security-group check.
//!
//! Decisions, shared by every check that uses this module:
//!
//! - **The internet** is a CIDR block with prefix length 0: `0.0.0.0/0` and
//!   `::/0`, and equally any other `/0` (`10.0.0.0/0` also covers every
//!   address). Narrower blocks, however wide (`0.0.0.0/1`), are not the
//!   internet: CIS names `0.0.0.0/0` and `::/0`.
//! - **Prefix lists and referenced security groups** are never the internet:
//!   their members are named and managed elsewhere.
//! - **Ports**: a rule for every protocol (`-1`) admits every port; a TCP or
//!   UDP rule without ports admits every port, and `0-65535` is a range like
//!   any other. ICMP's type and code (EC2 writes `-1` for "any") are not
//!   ports, and no other protocol carries TCP or UDP ports.
//! - **Network ACLs**: only ALLOW ingress entries expose anything. An ALLOW
//!   entry that a lower-numbered DENY entry shadows still counts, as CIS
//!   audits the rules ("no rule exists that ... shows ALLOW"): it is one edit
//!   away from exposure. The shadowing is named in the finding.
//!
//! ```text
//! let exposure = Exposure { ports: ADMIN_PORTS, transports: &[Transport::Tcp],
//!                           sources: &[IpFamily::V4] };
//! for rule in security_group_exposures(&group, &exposure) { ... }
//! ```

use std::convert::Infallible;
use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use crate::bindings::plumbline::check::ec2::{
    IpPermission, NetworkAcl, NetworkAclEntry, SecurityGroup,
};
use crate::cis::Control;
use crate::{Finding, brief_list, ec2, evaluate_per_version, regional};

/// The remote server administration ports CIS names: SSH and RDP.
pub const ADMIN_PORTS: &[u16] = &[SSH_PORT, RDP_PORT];
pub const SSH_PORT: u16 = 22;
pub const RDP_PORT: u16 = 3389;

/// The transport protocols that count for the administration-port controls
/// in one benchmark version.
///
/// Decision: the audit text of later versions reads "using the protocols TCP
/// (6), UDP (17) or ALL (-1)"; which version first said so could not be
/// established from public sources, so UDP counts from v2.0.0 on. Earlier
/// versions speak of port ranges only, read as TCP (and every-protocol
/// rules, which include TCP).
pub fn admin_port_transports(version: &str) -> &'static [Transport] {
    if matches!(version, "1.2.0" | "1.3.0" | "1.4.0" | "1.5.0") {
        &[Transport::Tcp]
    } else {
        &[Transport::Tcp, Transport::Udp]
    }
}

/// The IP protocol of a rule, as either EC2 API writes it: security groups
/// say `tcp`, network ACLs say `6`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Protocol {
    /// `-1`: every protocol, every port.
    All,
    Tcp,
    Udp,
    Icmp,
    Icmpv6,
    /// Any other protocol, by the name or number EC2 gave (`50` for ESP).
    Other(String),
}

impl Protocol {
    pub fn from_ec2(text: &str) -> Protocol {
        match text.trim().to_ascii_lowercase().as_str() {
            "-1" | "all" => Protocol::All,
            "tcp" | "6" => Protocol::Tcp,
            "udp" | "17" => Protocol::Udp,
            "icmp" | "1" => Protocol::Icmp,
            "icmpv6" | "58" => Protocol::Icmpv6,
            other => Protocol::Other(other.to_string()),
        }
    }

    /// Whether traffic of this transport protocol matches the rule.
    pub fn carries(&self, transport: Transport) -> bool {
        match self {
            Protocol::All => true,
            Protocol::Tcp => transport == Transport::Tcp,
            Protocol::Udp => transport == Transport::Udp,
            _ => false,
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Protocol::All => f.write_str("all protocols"),
            Protocol::Tcp => f.write_str("tcp"),
            Protocol::Udp => f.write_str("udp"),
            Protocol::Icmp => f.write_str("icmp"),
            Protocol::Icmpv6 => f.write_str("icmpv6"),
            Protocol::Other(other) => write!(f, "protocol {other}"),
        }
    }
}

/// The transport protocols that have ports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    Tcp,
    Udp,
}

impl fmt::Display for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Transport::Tcp => "TCP",
            Transport::Udp => "UDP",
        })
    }
}

/// The ports a rule admits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ports {
    Every,
    /// Inclusive.
    Range {
        from: u16,
        to: u16,
    },
    /// The protocol has no ports (ICMP, ESP, ...).
    NotPorts,
}

impl Ports {
    /// The ports of a rule with this protocol and EC2's `from`/`to` fields
    /// (a security group's `FromPort`/`ToPort`, a network ACL's `PortRange`).
    pub fn of(protocol: &Protocol, from: Option<i32>, to: Option<i32>) -> Ports {
        match protocol {
            Protocol::All => Ports::Every,
            Protocol::Tcp | Protocol::Udp => match (from.and_then(port), to.and_then(port)) {
                (Some(from), Some(to)) => Ports::Range { from, to },
                // Absent (or EC2's `-1`): the rule does not restrict ports.
                _ => Ports::Every,
            },
            _ => Ports::NotPorts,
        }
    }

    pub fn contains(&self, port: u16) -> bool {
        match *self {
            Ports::Every => true,
            Ports::Range { from, to } => (from..=to).contains(&port),
            Ports::NotPorts => false,
        }
    }
}

fn port(value: i32) -> Option<u16> {
    u16::try_from(value).ok()
}

impl fmt::Display for Ports {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Ports::Every => f.write_str("all ports"),
            Ports::Range { from, to } if from == to => write!(f, "port {from}"),
            Ports::Range { from, to } => write!(f, "ports {from}-{to}"),
            Ports::NotPorts => Ok(()),
        }
    }
}

/// A protocol with its ports, as a rule reads: `tcp ports 20-25`,
/// `all protocols`, `icmp`.
fn describe_traffic(protocol: &Protocol, ports: Ports) -> String {
    match (protocol, ports) {
        (Protocol::All, _) | (_, Ports::NotPorts) => protocol.to_string(),
        _ => format!("{protocol} {ports}"),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IpFamily {
    V4,
    V6,
}

impl IpFamily {
    /// How CIS writes the whole internet of this family.
    pub fn internet(self) -> &'static str {
        match self {
            IpFamily::V4 => "0.0.0.0/0",
            IpFamily::V6 => "::/0",
        }
    }

    fn bits(self) -> u8 {
        match self {
            IpFamily::V4 => 32,
            IpFamily::V6 => 128,
        }
    }
}

/// An IPv4 or IPv6 CIDR block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    family: IpFamily,
    /// The address bits, right-aligned (an IPv4 address in the low 32).
    address: u128,
    prefix_len: u8,
}

impl Cidr {
    /// None when the text is not a CIDR block.
    pub fn parse(text: &str) -> Option<Cidr> {
        let (address, prefix_len) = text.trim().split_once('/')?;
        let prefix_len: u8 = prefix_len.parse().ok()?;
        let (family, address) = if let Ok(v4) = address.parse::<Ipv4Addr>() {
            (IpFamily::V4, u128::from(u32::from(v4)))
        } else {
            (IpFamily::V6, u128::from(address.parse::<Ipv6Addr>().ok()?))
        };
        (prefix_len <= family.bits()).then_some(Cidr {
            family,
            address,
            prefix_len,
        })
    }

    pub fn family(&self) -> IpFamily {
        self.family
    }

    /// Whether the block covers every address of its family.
    pub fn is_internet(&self) -> bool {
        self.prefix_len == 0
    }

    /// Whether every address of `other` is in this block.
    pub fn contains(&self, other: &Cidr) -> bool {
        self.family == other.family
            && self.prefix_len <= other.prefix_len
            && (self.address ^ other.address) & self.network_mask() == 0
    }

    fn network_mask(&self) -> u128 {
        let host_bits = u32::from(self.family.bits() - self.prefix_len);
        let family_mask = u128::MAX >> (128 - u32::from(self.family.bits()));
        family_mask.checked_shl(host_bits).unwrap_or(0) & family_mask
    }
}

/// The family whose whole internet the CIDR block is, if it is one.
pub fn internet_family(cidr: &str) -> Option<IpFamily> {
    Cidr::parse(cidr)
        .filter(Cidr::is_internet)
        .map(|cidr| cidr.family())
}

/// What a control looks for: traffic to some ports, over some transport
/// protocols, from the internet of some IP families.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exposure {
    pub ports: &'static [u16],
    /// A rule for every protocol carries each of these.
    pub transports: &'static [Transport],
    pub sources: &'static [IpFamily],
}

impl Exposure {
    /// e.g. `TCP, UDP or all-protocol traffic to port 22 or 3389 from 0.0.0.0/0`.
    pub fn describe(&self) -> String {
        let transports: Vec<String> = self.transports.iter().map(|t| t.to_string()).collect();
        let ports: Vec<String> = self.ports.iter().map(|p| p.to_string()).collect();
        let sources: Vec<&str> = self.sources.iter().map(|s| s.internet()).collect();
        format!(
            "{} or all-protocol traffic to port {} from {}",
            transports.join(", "),
            or_list(&ports),
            or_list(&sources),
        )
    }

    /// The looked-for ports a rule with this protocol and ports admits.
    fn reached_ports(&self, protocol: &Protocol, ports: Ports) -> Vec<u16> {
        if !self.transports.iter().any(|t| protocol.carries(*t)) {
            return Vec::new();
        }
        self.ports
            .iter()
            .copied()
            .filter(|port| ports.contains(*port))
            .collect()
    }

    /// Whether the CIDR block is the internet of a looked-for family.
    fn counts_as_internet(&self, cidr: &str) -> bool {
        internet_family(cidr).is_some_and(|family| self.sources.contains(&family))
    }
}

/// `a`, `a or b`, `a, b or c`.
fn or_list<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [only] => only.as_ref().to_string(),
        [init @ .., last] => {
            let init: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
            format!("{} or {}", init.join(", "), last.as_ref())
        }
    }
}

/// One inbound rule that lets the internet reach looked-for ports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExposingRule {
    /// How the rule reads: `inbound tcp ports 20-25 from 0.0.0.0/0`,
    /// `rule 100 allows all protocols from ::/0`.
    pub rule: String,
    /// The looked-for ports it admits.
    pub ports: Vec<u16>,
    /// Network ACLs: the lower-numbered DENY entries that block every
    /// looked-for port and protocol the rule admits (empty when none do).
    pub shadowed_by: Vec<i32>,
}

impl fmt::Display for ExposingRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ports: Vec<String> = self.ports.iter().map(|p| p.to_string()).collect();
        write!(f, "{} (reaches port {})", self.rule, or_list(&ports))?;
        if !self.shadowed_by.is_empty() {
            let rules: Vec<String> = self.shadowed_by.iter().map(|r| r.to_string()).collect();
            write!(
                f,
                " [shadowed by DENY rule {}, still an ALLOW rule CIS counts]",
                or_list(&rules)
            )?;
        }
        Ok(())
    }
}

/// The ingress rules of a security group that admit looked-for traffic from
/// the internet, one per rule and open CIDR block. Prefix lists and
/// referenced security groups are never the internet.
pub fn security_group_exposures(group: &SecurityGroup, exposure: &Exposure) -> Vec<ExposingRule> {
    let mut exposing = Vec::new();
    for permission in &group.ingress {
        let protocol = Protocol::from_ec2(&permission.ip_protocol);
        let ports = Ports::of(&protocol, permission.from_port, permission.to_port);
        let reached = exposure.reached_ports(&protocol, ports);
        if reached.is_empty() {
            continue;
        }
        let open_sources = permission
            .ipv4_ranges
            .iter()
            .chain(&permission.ipv6_ranges)
            .filter(|cidr| exposure.counts_as_internet(cidr));
        for cidr in open_sources {
            exposing.push(ExposingRule {
                rule: format!("inbound {} from {cidr}", describe_traffic(&protocol, ports)),
                ports: reached.clone(),
                shadowed_by: Vec::new(),
            });
        }
    }
    exposing
}

/// A security group rule as one line: `all protocols from sg-1, 0.0.0.0/0`.
/// `direction` is `from` for ingress, `to` for egress.
pub fn describe_permission(permission: &IpPermission, direction: &str) -> String {
    let protocol = Protocol::from_ec2(&permission.ip_protocol);
    let ports = Ports::of(&protocol, permission.from_port, permission.to_port);
    let peers: Vec<&str> = permission
        .ipv4_ranges
        .iter()
        .chain(&permission.ipv6_ranges)
        .chain(&permission.prefix_list_ids)
        .chain(&permission.security_group_ids)
        .map(String::as_str)
        .collect();
    let peers = if peers.is_empty() {
        "nowhere".to_string()
    } else {
        brief_list(&peers, 3)
    };
    format!("{} {direction} {peers}", describe_traffic(&protocol, ports))
}

/// A network ACL entry's protocol, ports and source.
struct AclRule<'a> {
    entry: &'a NetworkAclEntry,
    protocol: Protocol,
    ports: Ports,
    source: Option<&'a str>,
}

impl<'a> AclRule<'a> {
    fn new(entry: &'a NetworkAclEntry) -> Self {
        let protocol = Protocol::from_ec2(&entry.protocol);
        let range = entry.port_range.as_ref();
        let ports = Ports::of(
            &protocol,
            range.map(|r| r.from_port),
            range.map(|r| r.to_port),
        );
        let source = entry.ipv4_cidr.as_deref().or(entry.ipv6_cidr.as_deref());
        AclRule {
            entry,
            protocol,
            ports,
            source,
        }
    }

    fn is_ingress(&self, action: &str) -> bool {
        !self.entry.egress && self.entry.rule_action.eq_ignore_ascii_case(action)
    }

    fn source_family(&self) -> Option<IpFamily> {
        self.source.and_then(internet_family)
    }

    /// Whether this entry matches internet traffic of `family` to `port`
    /// over `transport`.
    fn matches(&self, family: IpFamily, transport: Transport, port: u16) -> bool {
        self.source_family() == Some(family)
            && self.protocol.carries(transport)
            && self.ports.contains(port)
    }
}

/// The ALLOW ingress entries of a network ACL that admit looked-for traffic
/// from the internet, lowest rule number first, each with the DENY entries
/// that shadow it (it counts either way: see the module's decisions).
pub fn network_acl_exposures(acl: &NetworkAcl, exposure: &Exposure) -> Vec<ExposingRule> {
    let mut rules: Vec<AclRule> = acl.entries.iter().map(AclRule::new).collect();
    rules.sort_by_key(|rule| rule.entry.rule_number);
    let denies: Vec<&AclRule> = rules.iter().filter(|r| r.is_ingress("deny")).collect();
    rules
        .iter()
        .filter(|rule| rule.is_ingress("allow"))
        .filter_map(|allow| {
            let source = allow.source.filter(|s| exposure.counts_as_internet(s))?;
            let family = allow.source_family()?;
            let reached = exposure.reached_ports(&allow.protocol, allow.ports);
            if reached.is_empty() {
                return None;
            }
            let earlier_denies: Vec<&&AclRule> = denies
                .iter()
                .filter(|deny| deny.entry.rule_number < allow.entry.rule_number)
                .collect();
            let admitted = exposure
                .transports
                .iter()
                .filter(|t| allow.protocol.carries(**t))
                .flat_map(|t| reached.iter().map(move |port| (*t, *port)));
            // Shadowed only when every admitted port and protocol meets a
            // DENY first; one that slips through is exposure today.
            let blockers: Option<Vec<i32>> = admitted
                .map(|(transport, port)| {
                    earlier_denies
                        .iter()
                        .find(|deny| deny.matches(family, transport, port))
                        .map(|deny| deny.entry.rule_number)
                })
                .collect();
            let mut shadowed_by = blockers.unwrap_or_default();
            shadowed_by.sort_unstable();
            shadowed_by.dedup();
            Some(ExposingRule {
                rule: format!(
                    "rule {} allows {} from {source}",
                    allow.entry.rule_number,
                    describe_traffic(&allow.protocol, allow.ports)
                ),
                ports: reached,
                shadowed_by,
            })
        })
        .collect()
}

/// Judges every security group in every region of the scan for one control:
/// a group fails when an inbound rule admits the looked-for traffic from the
/// internet, and passes otherwise. `exposure_in` gives the looked-for traffic
/// in each benchmark version of `control`; findings that differ between
/// versions are returned per version. A region without security groups is
/// not applicable; a region whose data is an error is an `error` naming why.
pub fn judge_security_groups(
    control: Control,
    exposure_in: impl Fn(&str) -> Exposure,
) -> Vec<Finding> {
    let Ok(findings) = evaluate_per_version(control, exposure_in, |exposure| {
        Ok::<_, Infallible>(regional::for_each_region(
            ec2::security_groups,
            |region, groups| {
                if groups.is_empty() {
                    return vec![Finding::not_applicable(
                        security_groups_resource(region),
                        region,
                        format!("no security groups in {region}"),
                    )];
                }
                groups
                    .iter()
                    .map(|group| judge_security_group(region, group, exposure))
                    .collect()
            },
            security_groups_resource,
        ))
    });
    findings
}

/// The resource standing for a region's security groups as a whole.
pub fn security_groups_resource(region: &str) -> String {
    regional::region_resource("ec2", region, "security-group")
}

/// `security group sg-1 (web) in vpc-1`, for messages.
pub fn describe_security_group(group: &SecurityGroup) -> String {
    let vpc = group
        .vpc_id
        .as_deref()
        .map_or(String::new(), |vpc| format!(" in {vpc}"));
    format!("security group {} ({}){vpc}", group.id, group.name)
}

fn judge_security_group(region: &str, group: &SecurityGroup, exposure: &Exposure) -> Finding {
    exposure_verdict(
        &group.arn,
        region,
        &describe_security_group(group),
        &security_group_exposures(group, exposure),
        exposure,
    )
}

/// The verdict on one security group or network ACL (`subject` names it):
/// a fail naming the exposing rules, or a pass naming what was looked for.
pub fn exposure_verdict(
    resource: &str,
    region: &str,
    subject: &str,
    exposing: &[ExposingRule],
    exposure: &Exposure,
) -> Finding {
    if exposing.is_empty() {
        return Finding::pass(
            resource,
            region,
            format!("{subject}: no inbound rule admits {}", exposure.describe()),
        );
    }
    let rules: Vec<String> = exposing.iter().map(ToString::to_string).collect();
    Finding::fail(
        resource,
        region,
        format!(
            "{subject}: {}; no rule may admit {}",
            brief_list(&rules, 3),
            exposure.describe()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FindingStatus;
    use crate::bindings::plumbline::check::ec2::PortRange;

    const TCP_ADMIN_V4: Exposure = Exposure {
        ports: ADMIN_PORTS,
        transports: &[Transport::Tcp],
        sources: &[IpFamily::V4],
    };
    const TCP_UDP_ADMIN_V4: Exposure = Exposure {
        transports: &[Transport::Tcp, Transport::Udp],
        ..TCP_ADMIN_V4
    };
    const TCP_ADMIN_V6: Exposure = Exposure {
        sources: &[IpFamily::V6],
        ..TCP_ADMIN_V4
    };

    /// An `IpPermissions` entry as DescribeSecurityGroups returns it.
    fn permission(protocol: &str, from: Option<i32>, to: Option<i32>) -> IpPermission {
        IpPermission {
            ip_protocol: protocol.into(),
            from_port: from,
            to_port: to,
            ipv4_ranges: vec![],
            ipv6_ranges: vec![],
            prefix_list_ids: vec![],
            security_group_ids: vec![],
        }
    }

    fn from_v4(mut permission: IpPermission, cidr: &str) -> IpPermission {
        permission.ipv4_ranges.push(cidr.into());
        permission
    }

    fn from_v6(mut permission: IpPermission, cidr: &str) -> IpPermission {
        permission.ipv6_ranges.push(cidr.into());
        permission
    }

    fn group(ingress: Vec<IpPermission>) -> SecurityGroup {
        SecurityGroup {
            id: "sg-0a1b2c3d".into(),
            arn: "arn:aws:ec2:us-east-1:111122223333:security-group/sg-0a1b2c3d".into(),
            name: "web".into(),
            description: "web servers".into(),
            vpc_id: Some("vpc-1".into()),
            ingress,
            egress: vec![from_v4(permission("-1", None, None), "0.0.0.0/0")],
        }
    }

    fn exposed(ingress: Vec<IpPermission>, exposure: &Exposure) -> Vec<String> {
        security_group_exposures(&group(ingress), exposure)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    /// A network ACL entry as DescribeNetworkAcls returns it (protocol
    /// numbers as strings).
    fn entry(
        number: i32,
        protocol: &str,
        action: &str,
        cidr: &str,
        ports: Option<(i32, i32)>,
    ) -> NetworkAclEntry {
        let v6 = cidr.contains(':');
        NetworkAclEntry {
            rule_number: number,
            protocol: protocol.into(),
            rule_action: action.into(),
            egress: false,
            ipv4_cidr: (!v6).then(|| cidr.into()),
            ipv6_cidr: v6.then(|| cidr.into()),
            port_range: ports.map(|(from_port, to_port)| PortRange { from_port, to_port }),
        }
    }

    fn acl(entries: Vec<NetworkAclEntry>) -> NetworkAcl {
        NetworkAcl {
            id: "acl-1".into(),
            arn: "arn:aws:ec2:us-east-1:111122223333:network-acl/acl-1".into(),
            vpc_id: "vpc-1".into(),
            is_default: true,
            entries,
            subnet_ids: vec![],
        }
    }

    fn acl_exposed(entries: Vec<NetworkAclEntry>, exposure: &Exposure) -> Vec<ExposingRule> {
        network_acl_exposures(&acl(entries), exposure)
    }

    #[test]
    fn protocols_read_the_same_in_both_apis() {
        assert_eq!(Protocol::from_ec2("-1"), Protocol::All);
        assert_eq!(Protocol::from_ec2("all"), Protocol::All);
        assert_eq!(Protocol::from_ec2("tcp"), Protocol::Tcp);
        assert_eq!(Protocol::from_ec2("6"), Protocol::Tcp);
        assert_eq!(Protocol::from_ec2("UDP"), Protocol::Udp);
        assert_eq!(Protocol::from_ec2("17"), Protocol::Udp);
        assert_eq!(Protocol::from_ec2("1"), Protocol::Icmp);
        assert_eq!(Protocol::from_ec2("icmpv6"), Protocol::Icmpv6);
        assert_eq!(Protocol::from_ec2("58"), Protocol::Icmpv6);
        assert_eq!(Protocol::from_ec2("50"), Protocol::Other("50".into()));
        assert!(Protocol::All.carries(Transport::Udp));
        assert!(!Protocol::Tcp.carries(Transport::Udp));
        assert!(!Protocol::Icmp.carries(Transport::Tcp));
    }

    #[test]
    fn port_ranges_follow_the_protocol() {
        let every = Ports::of(&Protocol::All, None, None);
        assert_eq!(every, Ports::Every);
        assert_eq!(Ports::of(&Protocol::All, Some(-1), Some(-1)), Ports::Every);
        assert_eq!(Ports::of(&Protocol::Tcp, None, None), Ports::Every);
        let full = Ports::of(&Protocol::Tcp, Some(0), Some(65535));
        assert!(full.contains(22) && full.contains(3389) && full.contains(65535));
        let range = Ports::of(&Protocol::Udp, Some(20), Some(25));
        assert!(range.contains(20) && range.contains(22) && range.contains(25));
        assert!(!range.contains(19) && !range.contains(26));
        // ICMP's -1 means "any type", not "any port".
        let icmp = Ports::of(&Protocol::Icmp, Some(-1), Some(-1));
        assert_eq!(icmp, Ports::NotPorts);
        assert!(!icmp.contains(22));
        assert!(!Ports::of(&Protocol::Other("50".into()), None, None).contains(22));
        assert_eq!(range.to_string(), "ports 20-25");
        assert_eq!(Ports::Range { from: 22, to: 22 }.to_string(), "port 22");
    }

    #[test]
    fn only_a_zero_length_prefix_is_the_internet() {
        assert_eq!(internet_family("0.0.0.0/0"), Some(IpFamily::V4));
        assert_eq!(internet_family("::/0"), Some(IpFamily::V6));
        // Any /0 covers every address, whatever the address bits say.
        assert_eq!(internet_family("10.0.0.0/0"), Some(IpFamily::V4));
        assert_eq!(internet_family("2001:db8::/0"), Some(IpFamily::V6));
        assert_eq!(internet_family("0.0.0.0/1"), None);
        assert_eq!(internet_family("203.0.113.7/32"), None);
        assert_eq!(internet_family("::/1"), None);
        assert_eq!(internet_family("pl-63a5400a"), None);
        assert_eq!(internet_family("sg-0a1b2c3d"), None);
        assert_eq!(internet_family("0.0.0.0"), None);
    }

    #[test]
    fn cidr_containment() {
        let cidr = |text| Cidr::parse(text).unwrap();
        assert!(cidr("10.0.0.0/8").contains(&cidr("10.1.0.0/16")));
        assert!(cidr("10.1.0.0/16").contains(&cidr("10.1.0.0/16")));
        assert!(!cidr("10.1.0.0/24").contains(&cidr("10.1.0.0/16")));
        assert!(!cidr("10.2.0.0/16").contains(&cidr("10.1.0.0/16")));
        assert!(cidr("0.0.0.0/0").contains(&cidr("192.168.0.0/16")));
        assert!(cidr("2001:db8::/32").contains(&cidr("2001:db8:1234::/56")));
        assert!(!cidr("2001:db8::/32").contains(&cidr("2001:db9::/56")));
        assert!(
            !cidr("::/0").contains(&cidr("10.0.0.0/8")),
            "families differ"
        );
        assert!(cidr("10.0.0.1/32").contains(&cidr("10.0.0.1/32")));
        assert_eq!(Cidr::parse("10.0.0.0/33"), None);
        assert_eq!(Cidr::parse("10.0.0.0"), None);
    }

    #[test]
    fn every_protocol_without_ports_exposes_both_admin_ports() {
        let rules = exposed(
            vec![from_v4(permission("-1", None, None), "0.0.0.0/0")],
            &TCP_ADMIN_V4,
        );
        assert_eq!(
            rules,
            ["inbound all protocols from 0.0.0.0/0 (reaches port 22 or 3389)"]
        );
    }

    #[test]
    fn a_tcp_range_counts_for_the_ports_it_includes() {
        let whole = exposed(
            vec![from_v4(
                permission("tcp", Some(0), Some(65535)),
                "0.0.0.0/0",
            )],
            &TCP_ADMIN_V4,
        );
        assert_eq!(
            whole,
            ["inbound tcp ports 0-65535 from 0.0.0.0/0 (reaches port 22 or 3389)"]
        );
        let narrow = exposed(
            vec![from_v4(permission("tcp", Some(20), Some(25)), "0.0.0.0/0")],
            &TCP_ADMIN_V4,
        );
        assert_eq!(
            narrow,
            ["inbound tcp ports 20-25 from 0.0.0.0/0 (reaches port 22)"]
        );
        let web = exposed(
            vec![from_v4(
                permission("tcp", Some(443), Some(443)),
                "0.0.0.0/0",
            )],
            &TCP_ADMIN_V4,
        );
        assert!(web.is_empty());
    }

    #[test]
    fn udp_counts_only_when_the_exposure_names_it() {
        let udp = vec![from_v4(
            permission("udp", Some(3389), Some(3389)),
            "0.0.0.0/0",
        )];
        assert!(exposed(udp.clone(), &TCP_ADMIN_V4).is_empty());
        assert_eq!(
            exposed(udp, &TCP_UDP_ADMIN_V4),
            ["inbound udp port 3389 from 0.0.0.0/0 (reaches port 3389)"]
        );
    }

    #[test]
    fn icmp_is_not_a_port() {
        let icmp = vec![
            from_v4(permission("icmp", Some(-1), Some(-1)), "0.0.0.0/0"),
            from_v6(permission("icmpv6", Some(-1), Some(-1)), "::/0"),
        ];
        assert!(exposed(icmp.clone(), &TCP_UDP_ADMIN_V4).is_empty());
        assert!(exposed(icmp, &TCP_ADMIN_V6).is_empty());
    }

    #[test]
    fn ipv4_and_ipv6_internet_are_told_apart() {
        let v6_only = vec![from_v6(permission("tcp", Some(22), Some(22)), "::/0")];
        assert!(exposed(v6_only.clone(), &TCP_ADMIN_V4).is_empty());
        assert_eq!(
            exposed(v6_only, &TCP_ADMIN_V6),
            ["inbound tcp port 22 from ::/0 (reaches port 22)"]
        );
        let v4_only = vec![from_v4(permission("tcp", Some(22), Some(22)), "0.0.0.0/0")];
        assert!(exposed(v4_only, &TCP_ADMIN_V6).is_empty());
        let both = from_v6(
            from_v4(permission("6", Some(3389), Some(3389)), "0.0.0.0/0"),
            "::/0",
        );
        assert_eq!(exposed(vec![both.clone()], &TCP_ADMIN_V4).len(), 1);
        assert_eq!(exposed(vec![both], &TCP_ADMIN_V6).len(), 1);
    }

    #[test]
    fn prefix_lists_referenced_groups_and_narrow_blocks_are_not_the_internet() {
        let mut rule = permission("-1", None, None);
        rule.prefix_list_ids.push("pl-63a5400a".into());
        rule.security_group_ids.push("sg-0f00".into());
        rule.ipv4_ranges.push("203.0.113.0/24".into());
        rule.ipv6_ranges.push("2001:db8::/32".into());
        assert!(exposed(vec![rule.clone()], &TCP_UDP_ADMIN_V4).is_empty());
        assert!(exposed(vec![rule], &TCP_ADMIN_V6).is_empty());
    }

    #[test]
    fn each_open_block_of_a_rule_is_reported() {
        let rule = from_v4(
            from_v4(permission("tcp", Some(22), Some(22)), "10.0.0.0/8"),
            "0.0.0.0/0",
        );
        let rule = from_v4(rule, "192.0.2.0/0");
        assert_eq!(
            exposed(vec![rule], &TCP_ADMIN_V4),
            [
                "inbound tcp port 22 from 0.0.0.0/0 (reaches port 22)",
                "inbound tcp port 22 from 192.0.2.0/0 (reaches port 22)"
            ]
        );
    }

    #[test]
    fn security_groups_are_judged_with_the_rule_named() {
        let open = group(vec![from_v4(
            permission("tcp", Some(20), Some(25)),
            "0.0.0.0/0",
        )]);
        let finding = judge_security_group("us-east-1", &open, &TCP_ADMIN_V4);
        assert_eq!(finding.status, FindingStatus::Fail);
        assert_eq!(finding.region, "us-east-1");
        assert_eq!(
            finding.message,
            "security group sg-0a1b2c3d (web) in vpc-1: inbound tcp ports 20-25 from 0.0.0.0/0 \
             (reaches port 22); no rule may admit TCP or all-protocol traffic to port 22 or 3389 \
             from 0.0.0.0/0"
        );
        let closed = group(vec![from_v4(
            permission("tcp", Some(443), Some(443)),
            "0.0.0.0/0",
        )]);
        let finding = judge_security_group("us-east-1", &closed, &TCP_UDP_ADMIN_V4);
        assert_eq!(finding.status, FindingStatus::Pass);
        assert_eq!(
            finding.message,
            "security group sg-0a1b2c3d (web) in vpc-1: no inbound rule admits TCP, UDP or \
             all-protocol traffic to port 22 or 3389 from 0.0.0.0/0"
        );
    }

    #[test]
    fn udp_counts_from_version_2() {
        assert_eq!(admin_port_transports("1.2.0"), [Transport::Tcp]);
        assert_eq!(admin_port_transports("1.5.0"), [Transport::Tcp]);
        assert_eq!(
            admin_port_transports("2.0.0"),
            [Transport::Tcp, Transport::Udp]
        );
        assert_eq!(
            admin_port_transports("7.0.0"),
            [Transport::Tcp, Transport::Udp]
        );
    }

    #[test]
    fn permissions_read_as_one_line() {
        let mut rule = permission("-1", None, None);
        rule.security_group_ids.push("sg-0a1b2c3d".into());
        assert_eq!(
            describe_permission(&rule, "from"),
            "all protocols from sg-0a1b2c3d"
        );
        let rule = from_v6(
            from_v4(permission("tcp", Some(443), Some(443)), "0.0.0.0/0"),
            "::/0",
        );
        assert_eq!(
            describe_permission(&rule, "to"),
            "tcp port 443 to 0.0.0.0/0, ::/0"
        );
        let rule = from_v4(permission("icmp", Some(8), Some(0)), "10.0.0.0/8");
        assert_eq!(describe_permission(&rule, "from"), "icmp from 10.0.0.0/8");
    }

    #[test]
    fn the_default_network_acl_exposes_every_port() {
        // What EC2 creates: allow everything at 100 (101 for IPv6), deny at *.
        let default_entries = vec![
            entry(100, "-1", "allow", "0.0.0.0/0", None),
            entry(101, "-1", "allow", "::/0", None),
            entry(32767, "-1", "deny", "0.0.0.0/0", None),
            entry(32768, "-1", "deny", "::/0", None),
        ];
        let v4 = acl_exposed(default_entries.clone(), &TCP_ADMIN_V4);
        assert_eq!(v4.len(), 1);
        assert_eq!(
            v4[0].to_string(),
            "rule 100 allows all protocols from 0.0.0.0/0 (reaches port 22 or 3389)"
        );
        let both = Exposure {
            sources: &[IpFamily::V4, IpFamily::V6],
            ..TCP_ADMIN_V4
        };
        let rules: Vec<String> = acl_exposed(default_entries, &both)
            .iter()
            .map(|r| r.rule.clone())
            .collect();
        assert_eq!(
            rules,
            [
                "rule 100 allows all protocols from 0.0.0.0/0",
                "rule 101 allows all protocols from ::/0"
            ]
        );
    }

    #[test]
    fn network_acl_protocol_numbers_and_ranges() {
        let entries = vec![
            entry(100, "6", "allow", "0.0.0.0/0", Some((20, 25))),
            entry(110, "17", "allow", "0.0.0.0/0", Some((3389, 3389))),
            entry(120, "1", "allow", "0.0.0.0/0", None),
            entry(130, "6", "allow", "0.0.0.0/0", Some((443, 443))),
            entry(140, "6", "allow", "10.0.0.0/8", Some((22, 22))),
            entry(150, "6", "allow", "::/0", Some((22, 22))),
        ];
        let tcp: Vec<String> = acl_exposed(entries.clone(), &TCP_ADMIN_V4)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            tcp,
            ["rule 100 allows tcp ports 20-25 from 0.0.0.0/0 (reaches port 22)"]
        );
        let with_udp: Vec<String> = acl_exposed(entries, &TCP_UDP_ADMIN_V4)
            .iter()
            .map(|r| r.rule.clone())
            .collect();
        assert_eq!(
            with_udp,
            [
                "rule 100 allows tcp ports 20-25 from 0.0.0.0/0",
                "rule 110 allows udp port 3389 from 0.0.0.0/0"
            ]
        );
    }

    #[test]
    fn egress_and_deny_entries_expose_nothing() {
        let mut outbound = entry(100, "-1", "allow", "0.0.0.0/0", None);
        outbound.egress = true;
        let entries = vec![
            outbound,
            entry(110, "6", "deny", "0.0.0.0/0", Some((22, 22))),
        ];
        assert!(acl_exposed(entries, &TCP_UDP_ADMIN_V4).is_empty());
    }

    #[test]
    fn a_shadowed_allow_still_counts_and_names_its_deny() {
        let entries = vec![
            entry(90, "6", "deny", "0.0.0.0/0", Some((22, 22))),
            entry(95, "-1", "deny", "0.0.0.0/0", None),
            entry(100, "6", "allow", "0.0.0.0/0", Some((22, 22))),
        ];
        let rules = acl_exposed(entries, &TCP_ADMIN_V4);
        assert_eq!(rules.len(), 1);
        assert_eq!(rules[0].shadowed_by, [90]);
        assert_eq!(
            rules[0].to_string(),
            "rule 100 allows tcp port 22 from 0.0.0.0/0 (reaches port 22) \
             [shadowed by DENY rule 90, still an ALLOW rule CIS counts]"
        );
    }

    #[test]
    fn a_partial_deny_or_a_later_one_does_not_shadow() {
        let entries = vec![
            // Blocks TCP 22 only: UDP 22 and port 3389 still get through rule 100.
            entry(90, "6", "deny", "0.0.0.0/0", Some((22, 22))),
            // Blocks IPv6 only.
            entry(95, "-1", "deny", "::/0", None),
            entry(100, "-1", "allow", "0.0.0.0/0", None),
            // After the allow: never reached first.
            entry(200, "-1", "deny", "0.0.0.0/0", None),
        ];
        let rules = acl_exposed(entries, &TCP_UDP_ADMIN_V4);
        assert_eq!(rules.len(), 1);
        assert!(rules[0].shadowed_by.is_empty());
        // The deny's rule number is compared, not the list order.
        let entries = vec![
            entry(100, "6", "allow", "0.0.0.0/0", Some((3389, 3389))),
            entry(50, "6", "deny", "0.0.0.0/0", Some((3000, 4000))),
        ];
        assert_eq!(acl_exposed(entries, &TCP_ADMIN_V4)[0].shadowed_by, [50]);
    }

    #[test]
    fn exposures_describe_themselves() {
        assert_eq!(
            TCP_ADMIN_V4.describe(),
            "TCP or all-protocol traffic to port 22 or 3389 from 0.0.0.0/0"
        );
        let cifs = Exposure {
            ports: &[445],
            transports: &[Transport::Tcp, Transport::Udp],
            sources: &[IpFamily::V4, IpFamily::V6],
        };
        assert_eq!(
            cifs.describe(),
            "TCP, UDP or all-protocol traffic to port 445 from 0.0.0.0/0 or ::/0"
        );
    }
}
