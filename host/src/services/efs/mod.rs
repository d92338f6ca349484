//! Amazon EFS, per region: the file systems.

mod collect;

use crate::bindings::efs::FileSystem;
use crate::registry::{DataSet, ForKey, Regional, Scope, Service};

const INTERFACE: &str = "efs";

pub static SERVICE: Service = Service {
    interface: INTERFACE,
    data_sets: &[&FILE_SYSTEMS],
};

pub static FILE_SYSTEMS: DataSet<Regional<Vec<FileSystem>>> = DataSet {
    interface: INTERFACE,
    name: "file_systems",
    description: "the EFS file systems",
    scope: Scope::Regional,
    actions: &["elasticfilesystem:DescribeFileSystems"],
    depends_on: &[],
    collect: |context| Box::pin(collect::file_systems(context)),
    answers: &[&ForKey("file-systems")],
};
