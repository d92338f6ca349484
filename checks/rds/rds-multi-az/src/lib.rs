//! Evidence, per RDS DB instance, of its Multi-AZ setting for the manual
//! review of "Multi-AZ deployments are used".

use plumbline_guest::prelude::*;
use plumbline_guest::rds::{self, DbCluster, DbInstance};

struct RdsMultiAz;

impl Check for RdsMultiAz {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::RDS_MULTI_AZ,
            severity: Severity::Medium,
            description: "Gives, for every RDS DB instance in every region in scope, one manual \
                          finding stating its Multi-AZ setting. For an instance that belongs to \
                          a DB cluster (Aurora, Multi-AZ DB clusters) the instance's own flag is \
                          always false and the cluster's MultiAZ is the setting, so the cluster \
                          is read (only in regions that have cluster members) and its setting \
                          reported. Manual, as CIS marks it: whether a single-AZ database is \
                          acceptable (development, a replica) is a judgement. A region without \
                          DB instances is not applicable.",
            rationale: "A Multi-AZ deployment keeps a synchronous standby in another \
                        Availability Zone and fails over to it automatically, so an AZ outage \
                        or instance failure does not take the database down or lose committed \
                        data.",
            remediation: "For an instance: RDS > Databases > the instance > Modify > \
                          Availability & durability > Create a standby instance > Continue > \
                          Apply immediately, or `aws rds modify-db-instance \
                          --db-instance-identifier <instance> --multi-az --apply-immediately \
                          --region <region>`. For an Aurora cluster: add a reader in another \
                          Availability Zone (`aws rds create-db-instance --db-cluster-identifier \
                          <cluster> --availability-zone <az> ...`).",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        Ok(regional::for_each_resource(
            read_instances,
            judge,
            "RDS DB instances",
            rds::region_resource,
        ))
    }
}

/// A DB instance with the setting that decides its Multi-AZ state: its own,
/// or its cluster's.
struct InstanceSetting {
    instance: DbInstance,
    cluster: Option<ClusterSetting>,
}

enum ClusterSetting {
    Found(DbCluster),
    /// The instance names a cluster DescribeDBClusters did not return.
    Missing(String),
}

/// The region's instances, each with its cluster; the clusters are read only
/// when some instance belongs to one.
fn read_instances(region: &str) -> Result<Vec<InstanceSetting>, DataError> {
    let instances = rds::db_instances(region)?;
    let clusters = if instances
        .iter()
        .any(|instance| instance.cluster_identifier.is_some())
    {
        rds::db_clusters(region)?
    } else {
        Vec::new()
    };
    Ok(instances
        .into_iter()
        .map(|instance| {
            let cluster = instance.cluster_identifier.as_ref().map(|identifier| {
                clusters
                    .iter()
                    .find(|cluster| &cluster.identifier == identifier)
                    .map_or_else(
                        || ClusterSetting::Missing(identifier.clone()),
                        |cluster| ClusterSetting::Found(cluster.clone()),
                    )
            });
            InstanceSetting { instance, cluster }
        })
        .collect())
}

fn judge(region: &str, setting: &InstanceSetting) -> Finding {
    let instance = &setting.instance;
    let state = |multi_az: bool| if multi_az { "Multi-AZ" } else { "single-AZ" };
    let message = match &setting.cluster {
        None => format!(
            "{} is {} (its MultiAZ setting)",
            rds::describe(instance),
            state(instance.multi_az)
        ),
        Some(ClusterSetting::Found(cluster)) => format!(
            "{} belongs to cluster {}, which is {} (cluster MultiAZ, {} AZ(s): {})",
            rds::describe(instance),
            cluster.identifier,
            state(cluster.multi_az),
            cluster.availability_zones.len(),
            cluster.availability_zones.join(", ")
        ),
        Some(ClusterSetting::Missing(identifier)) => format!(
            "{} belongs to cluster {identifier}, which DescribeDBClusters did not return; check its Multi-AZ setting by hand",
            rds::describe(instance)
        ),
    };
    Finding::manual(&instance.arn, region, message)
}

plumbline_guest::export_check!(RdsMultiAz);
