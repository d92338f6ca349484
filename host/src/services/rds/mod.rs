//! Amazon RDS, per region: the DB instances and DB clusters.

mod collect;

use crate::bindings::rds::{DbCluster, DbInstance};
use crate::registry::{DataSet, ForKey, Regional, Scope, Service};

const INTERFACE: &str = "rds";

pub static SERVICE: Service = Service {
    interface: INTERFACE,
    data_sets: &[&DB_INSTANCES, &DB_CLUSTERS],
};

pub static DB_INSTANCES: DataSet<Regional<Vec<DbInstance>>> = DataSet {
    interface: INTERFACE,
    name: "db_instances",
    description: "the RDS DB instances",
    scope: Scope::Regional,
    actions: &["rds:DescribeDBInstances"],
    depends_on: &[],
    collect: |context| Box::pin(collect::db_instances(context)),
    answers: &[&ForKey("db-instances")],
};

pub static DB_CLUSTERS: DataSet<Regional<Vec<DbCluster>>> = DataSet {
    interface: INTERFACE,
    name: "db_clusters",
    description: "the RDS DB clusters",
    scope: Scope::Regional,
    actions: &["rds:DescribeDBClusters"],
    depends_on: &[],
    collect: |context| Box::pin(collect::db_clusters(context)),
    answers: &[&ForKey("db-clusters")],
};
