//! EFS: DescribeFileSystems, every page (Marker), per region.

use aws_sdk_efs::Client;

use crate::bindings::efs::FileSystem;
use crate::collect::errors::data_error;
use crate::collect::{Context, timestamp};
use crate::registry::{Outcome, Regional};

pub async fn file_systems(context: &Context<'_>) -> Outcome<Regional<Vec<FileSystem>>> {
    context
        .per_region(|region| {
            let client: Client = context.client(&region);
            // For endpoints that predate `FileSystemArn` in the response.
            let arn_prefix = format!(
                "arn:{}:elasticfilesystem:{region}:{}:file-system/",
                context.partition(),
                context.account_id()
            );
            async move {
                let file_systems: Result<Vec<_>, _> = client
                    .describe_file_systems()
                    .into_paginator()
                    .items()
                    .send()
                    .collect()
                    .await;
                let file_systems = file_systems
                    .map_err(|error| data_error("elasticfilesystem:DescribeFileSystems", error))?;
                Ok(file_systems
                    .iter()
                    .map(|file_system| FileSystem {
                        id: file_system.file_system_id().to_string(),
                        arn: file_system.file_system_arn().map_or_else(
                            || format!("{arn_prefix}{}", file_system.file_system_id()),
                            str::to_string,
                        ),
                        name: file_system.name().map(str::to_string),
                        encrypted: file_system.encrypted().unwrap_or(false),
                        kms_key_id: file_system.kms_key_id().map(str::to_string),
                        life_cycle_state: file_system.life_cycle_state().as_str().to_string(),
                        creation_time: Some(timestamp(file_system.creation_time())),
                    })
                    .collect())
            }
        })
        .await
}
