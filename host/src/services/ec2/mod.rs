//! EC2, per region. Its `DescribeRegions` also tells which regions a scan
//! covers.

mod collect;

pub use collect::{enabled_regions, partition_of_region};

use crate::bindings::ec2::Instance;
use crate::registry::{DataSet, ForKey, Regional, Scope, Service};

const INTERFACE: &str = "ec2";

pub static SERVICE: Service = Service {
    interface: INTERFACE,
    data_sets: &[&INSTANCES, &EBS_ENCRYPTION_BY_DEFAULT],
};

pub static INSTANCES: DataSet<Regional<Vec<Instance>>> = DataSet {
    interface: INTERFACE,
    name: "instances",
    description: "the EC2 instances",
    scope: Scope::Regional,
    actions: &["ec2:DescribeInstances"],
    depends_on: &[],
    collect: |context| Box::pin(collect::instances(context)),
    answers: &[&ForKey("instances")],
};

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
