//! RDS: DescribeDBInstances and DescribeDBClusters, every page, per region.

use aws_sdk_rds::Client;

use crate::bindings::rds::{DbCluster, DbInstance};
use crate::collect::errors::data_error;
use crate::collect::{Context, text};
use crate::registry::{Outcome, Regional};

pub async fn db_instances(context: &Context<'_>) -> Outcome<Regional<Vec<DbInstance>>> {
    context
        .per_region(|region| {
            let client: Client = context.client(&region);
            async move {
                let instances: Result<Vec<_>, _> = client
                    .describe_db_instances()
                    .into_paginator()
                    .items()
                    .send()
                    .collect()
                    .await;
                let instances =
                    instances.map_err(|error| data_error("rds:DescribeDBInstances", error))?;
                Ok(instances
                    .iter()
                    .map(|instance| DbInstance {
                        identifier: text(instance.db_instance_identifier()),
                        arn: text(instance.db_instance_arn()),
                        engine: text(instance.engine()),
                        engine_version: text(instance.engine_version()),
                        status: text(instance.db_instance_status()),
                        storage_encrypted: instance.storage_encrypted().unwrap_or(false),
                        kms_key_id: instance.kms_key_id().map(str::to_string),
                        auto_minor_version_upgrade: instance
                            .auto_minor_version_upgrade()
                            .unwrap_or(false),
                        publicly_accessible: instance.publicly_accessible().unwrap_or(false),
                        multi_az: instance.multi_az().unwrap_or(false),
                        cluster_identifier: instance.db_cluster_identifier().map(str::to_string),
                        availability_zone: instance.availability_zone().map(str::to_string),
                    })
                    .collect())
            }
        })
        .await
}

pub async fn db_clusters(context: &Context<'_>) -> Outcome<Regional<Vec<DbCluster>>> {
    context
        .per_region(|region| {
            let client: Client = context.client(&region);
            async move {
                let clusters: Result<Vec<_>, _> = client
                    .describe_db_clusters()
                    .into_paginator()
                    .items()
                    .send()
                    .collect()
                    .await;
                let clusters =
                    clusters.map_err(|error| data_error("rds:DescribeDBClusters", error))?;
                Ok(clusters
                    .iter()
                    .map(|cluster| DbCluster {
                        identifier: text(cluster.db_cluster_identifier()),
                        arn: text(cluster.db_cluster_arn()),
                        engine: text(cluster.engine()),
                        status: text(cluster.status()),
                        storage_encrypted: cluster.storage_encrypted().unwrap_or(false),
                        multi_az: cluster.multi_az().unwrap_or(false),
                        members: cluster
                            .db_cluster_members()
                            .iter()
                            .filter_map(|member| member.db_instance_identifier())
                            .map(str::to_string)
                            .collect(),
                        availability_zones: cluster.availability_zones().to_vec(),
                    })
                    .collect())
            }
        })
        .await
}
