//! EC2, per region: instances and their metadata (IMDS) settings, EBS
//! encryption by default, and the VPC network (security groups, network
//! ACLs, VPCs, route tables, peering connections, endpoints, flow logs). Its
//! `DescribeRegions` also tells which regions a scan covers.

mod collect;

pub use collect::{enabled_regions, partition_of_region};

use serde::{Deserialize, Serialize};

use crate::bindings::ec2::{
    FlowLog, ImdsDefaults, Instance, InstanceMetadata, NetworkAcl, RouteTable, SecurityGroup, Vpc,
    VpcEndpoint, VpcPeeringConnection,
};
use crate::bindings::types::DataError;
use crate::registry::{DataSet, ForKey, ForKeyPart, Outcome, Regional, Scope, Service};

const INTERFACE: &str = "ec2";

pub static SERVICE: Service = Service {
    interface: INTERFACE,
    data_sets: &[
        &INSTANCES,
        &EBS_ENCRYPTION_BY_DEFAULT,
        &SECURITY_GROUPS,
        &NETWORK_ACLS,
        &VPCS,
        &ROUTE_TABLES,
        &VPC_PEERING_CONNECTIONS,
        &VPC_ENDPOINTS,
        &INSTANCE_METADATA_DEFAULTS,
        &FLOW_LOGS,
    ],
};

/// One `DescribeInstances` per region answers both `instances` and
/// `instance-metadata-options`.
pub static INSTANCES: DataSet<Regional<Vec<InstanceRecord>>> = DataSet {
    interface: INTERFACE,
    name: "instances",
    description: "the EC2 instances",
    scope: Scope::Regional,
    actions: &["ec2:DescribeInstances"],
    depends_on: &[],
    collect: |context| Box::pin(collect::instances(context)),
    answers: &[
        &ForKeyPart {
            function: "instances",
            pick: InstanceRecord::instances,
        },
        &ForKeyPart {
            function: "instance-metadata-options",
            pick: InstanceRecord::metadata_options,
        },
    ],
};

/// One instance as a snapshot stores it: the WIT `instance` with its
/// metadata options beside its fields, so that snapshots written before the
/// options were recorded (contract 1.2) still load.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstanceRecord {
    #[serde(flatten)]
    pub instance: Instance,
    /// None in an older snapshot, or when `DescribeInstances` omitted the
    /// instance's options.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata_options: Option<MetadataOptions>,
}

/// The IMDS settings `DescribeInstances` reports for an instance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetadataOptions {
    /// `required` or `optional`.
    pub http_tokens: String,
    /// `enabled` or `disabled`.
    pub http_endpoint: String,
}

impl InstanceRecord {
    fn instances(records: Vec<InstanceRecord>) -> Outcome<Vec<Instance>> {
        Ok(records.into_iter().map(|record| record.instance).collect())
    }

    /// The region's instances' IMDS settings. An instance without recorded
    /// options makes the whole region a data error rather than a guess:
    /// assuming `optional` would fail compliant instances, assuming
    /// `required` would pass instances that allow IMDSv1, and leaving the
    /// instance out would pass a region nobody looked at.
    fn metadata_options(records: Vec<InstanceRecord>) -> Outcome<Vec<InstanceMetadata>> {
        records
            .into_iter()
            .map(
                |InstanceRecord {
                     instance,
                     metadata_options,
                 }| {
                    let options = metadata_options.ok_or_else(|| {
                        DataError::NotAvailable(format!(
                            "no metadata options were recorded for instance {}: this snapshot \
                         predates IMDS options (taken by a host older than contract 1.3.0), or \
                         ec2:DescribeInstances omitted them",
                            instance.id
                        ))
                    })?;
                    Ok(InstanceMetadata {
                        instance_id: instance.id,
                        arn: instance.arn,
                        state: instance.state,
                        http_tokens: options.http_tokens,
                        http_endpoint: options.http_endpoint,
                    })
                },
            )
            .collect()
    }
}

pub static EBS_ENCRYPTION_BY_DEFAULT: DataSet<Regional<bool>> = DataSet {
    interface: INTERFACE,
    name: "ebs_encryption_by_default",
    description: "EBS encryption by default",
    scope: Scope::Regional,
    actions: &["ec2:GetEbsEncryptionByDefault"],
    depends_on: &[],
    collect: |context| Box::pin(collect::ebs_encryption_by_default(context)),
    answers: &[&ForKey("ebs-encryption-by-default")],
};

pub static SECURITY_GROUPS: DataSet<Regional<Vec<SecurityGroup>>> = DataSet {
    interface: INTERFACE,
    name: "security_groups",
    description: "the VPC security groups",
    scope: Scope::Regional,
    actions: &["ec2:DescribeSecurityGroups"],
    depends_on: &[],
    collect: |context| Box::pin(collect::security_groups(context)),
    answers: &[&ForKey("security-groups")],
};

pub static NETWORK_ACLS: DataSet<Regional<Vec<NetworkAcl>>> = DataSet {
    interface: INTERFACE,
    name: "network_acls",
    description: "the VPC network ACLs",
    scope: Scope::Regional,
    actions: &["ec2:DescribeNetworkAcls"],
    depends_on: &[],
    collect: |context| Box::pin(collect::network_acls(context)),
    answers: &[&ForKey("network-acls")],
};

pub static VPCS: DataSet<Regional<Vec<Vpc>>> = DataSet {
    interface: INTERFACE,
    name: "vpcs",
    description: "the VPCs",
    scope: Scope::Regional,
    actions: &["ec2:DescribeVpcs"],
    depends_on: &[],
    collect: |context| Box::pin(collect::vpcs(context)),
    answers: &[&ForKey("vpcs")],
};

pub static ROUTE_TABLES: DataSet<Regional<Vec<RouteTable>>> = DataSet {
    interface: INTERFACE,
    name: "route_tables",
    description: "the VPC route tables",
    scope: Scope::Regional,
    actions: &["ec2:DescribeRouteTables"],
    depends_on: &[],
    collect: |context| Box::pin(collect::route_tables(context)),
    answers: &[&ForKey("route-tables")],
};

pub static VPC_PEERING_CONNECTIONS: DataSet<Regional<Vec<VpcPeeringConnection>>> = DataSet {
    interface: INTERFACE,
    name: "vpc_peering_connections",
    description: "the VPC peering connections",
    scope: Scope::Regional,
    actions: &["ec2:DescribeVpcPeeringConnections"],
    depends_on: &[],
    collect: |context| Box::pin(collect::vpc_peering_connections(context)),
    answers: &[&ForKey("vpc-peering-connections")],
};

pub static VPC_ENDPOINTS: DataSet<Regional<Vec<VpcEndpoint>>> = DataSet {
    interface: INTERFACE,
    name: "vpc_endpoints",
    description: "the VPC endpoints",
    scope: Scope::Regional,
    actions: &["ec2:DescribeVpcEndpoints"],
    depends_on: &[],
    collect: |context| Box::pin(collect::vpc_endpoints(context)),
    answers: &[&ForKey("vpc-endpoints")],
};

pub static INSTANCE_METADATA_DEFAULTS: DataSet<Regional<ImdsDefaults>> = DataSet {
    interface: INTERFACE,
    name: "instance_metadata_defaults",
    description: "the account's IMDS defaults for new instances",
    scope: Scope::Regional,
    actions: &["ec2:GetInstanceMetadataDefaults"],
    depends_on: &[],
    collect: |context| Box::pin(collect::instance_metadata_defaults(context)),
    answers: &[&ForKey("instance-metadata-defaults")],
};

pub static FLOW_LOGS: DataSet<Regional<Vec<FlowLog>>> = DataSet {
    interface: INTERFACE,
    name: "flow_logs",
    description: "the VPC flow logs",
    scope: Scope::Regional,
    actions: &["ec2:DescribeFlowLogs"],
    depends_on: &[],
    collect: |context| Box::pin(collect::flow_logs(context)),
    answers: &[&ForKey("flow-logs")],
};

#[cfg(test)]
mod tests {
    use super::InstanceRecord;
    use crate::bindings::types::DataError;

    /// An instance as snapshots before contract 1.3.0 store it.
    const RECORDED_WITHOUT_OPTIONS: &str = r#"{
        "id": "i-0good",
        "arn": "arn:aws:ec2:us-east-1:111122223333:instance/i-0good",
        "state": "running",
        "iam_instance_profile_arn": null,
        "launch_time": 1764547200
    }"#;

    #[test]
    fn older_snapshots_load_and_their_imds_settings_are_unknown() {
        let record: InstanceRecord = serde_json::from_str(RECORDED_WITHOUT_OPTIONS).unwrap();
        assert_eq!(record.instance.id, "i-0good");
        assert_eq!(record.metadata_options, None);
        let instances = InstanceRecord::instances(vec![record.clone()]).unwrap();
        assert_eq!(instances, vec![record.instance.clone()]);
        match InstanceRecord::metadata_options(vec![record]) {
            Err(DataError::NotAvailable(reason)) => {
                assert!(
                    reason.contains("i-0good") && reason.contains("predates"),
                    "{reason}"
                )
            }
            other => panic!("unknown IMDS settings must be an error, got {other:?}"),
        }
    }

    #[test]
    fn recorded_options_round_trip_beside_the_instance_fields() {
        let mut value: serde_json::Value = serde_json::from_str(RECORDED_WITHOUT_OPTIONS).unwrap();
        value["metadata_options"] =
            serde_json::json!({ "http_tokens": "required", "http_endpoint": "enabled" });
        let record: InstanceRecord = serde_json::from_value(value.clone()).unwrap();
        assert_eq!(serde_json::to_value(&record).unwrap(), value);
        let metadata = InstanceRecord::metadata_options(vec![record]).unwrap();
        assert_eq!(metadata[0].instance_id, "i-0good");
        assert_eq!(metadata[0].http_tokens, "required");
        assert_eq!(metadata[0].http_endpoint, "enabled");
    }
}
