//! EC2: which regions the account has enabled, and the instances in each.

use aws_config::SdkConfig;
use aws_sdk_ec2::Client;
use aws_sdk_ec2::types::InstanceStateName;

use crate::bindings::ec2::Instance;
use crate::collect::errors::data_error;
use crate::collect::{Context, text, timestamp};
use crate::registry::{Outcome, Regional};

/// Regions a customer can use without opting in, or has opted into.
const ENABLED_OPT_IN_STATUSES: &[&str] = &["opt-in-not-required", "opted-in"];

/// `ec2:DescribeRegions` (all regions, then filtered): the enabled regions of
/// `partition`, sorted.
pub async fn enabled_regions(config: &SdkConfig, partition: &str) -> Outcome<Vec<String>> {
    let output = Client::new(config)
        .describe_regions()
        .all_regions(true)
        .send()
        .await
        .map_err(|error| data_error("ec2:DescribeRegions", error))?;
    let mut regions: Vec<String> = output
        .regions()
        .iter()
        .filter(|region| {
            // An endpoint that omits the status lists only enabled regions.
            region
                .opt_in_status()
                .is_none_or(|status| ENABLED_OPT_IN_STATUSES.contains(&status))
        })
        .filter_map(|region| region.region_name())
        .filter(|name| partition_of_region(name) == partition)
        .map(str::to_string)
        .collect();
    regions.sort();
    Ok(regions)
}

/// The partition a region belongs to, from its name.
pub fn partition_of_region(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else if region.starts_with("us-isob-") {
        "aws-iso-b"
    } else if region.starts_with("us-iso-") {
        "aws-iso"
    } else if region.starts_with("eusc-") {
        "aws-eusc"
    } else {
        "aws"
    }
}

pub async fn instances(context: &Context<'_>) -> Outcome<Regional<Vec<Instance>>> {
    context
        .per_region(|region| {
            let client: Client = context.client(&region);
            let arn_prefix = format!(
                "arn:{}:ec2:{region}:{}:instance/",
                context.partition(),
                context.account_id()
            );
            async move { instances_in(&client, &arn_prefix).await }
        })
        .await
}

pub async fn ebs_encryption_by_default(context: &Context<'_>) -> Outcome<Regional<bool>> {
    context
        .per_region(|region| {
            let client: Client = context.client(&region);
            async move {
                let output = client
                    .get_ebs_encryption_by_default()
                    .send()
                    .await
                    .map_err(|error| data_error("ec2:GetEbsEncryptionByDefault", error))?;
                Ok(output.ebs_encryption_by_default().unwrap_or(false))
            }
        })
        .await
}

async fn instances_in(client: &Client, arn_prefix: &str) -> Outcome<Vec<Instance>> {
    let reservations: Result<Vec<_>, _> = client
        .describe_instances()
        .into_paginator()
        .items()
        .send()
        .collect()
        .await;
    let reservations = reservations.map_err(|error| data_error("ec2:DescribeInstances", error))?;
    Ok(reservations
        .iter()
        .flat_map(|reservation| reservation.instances())
        .filter(|instance| {
            instance.state().and_then(|state| state.name()) != Some(&InstanceStateName::Terminated)
        })
        .map(|instance| {
            let id = text(instance.instance_id());
            Instance {
                arn: format!("{arn_prefix}{id}"),
                id,
                state: instance
                    .state()
                    .and_then(|state| state.name())
                    .map(|name| name.as_str().to_string())
                    .unwrap_or_default(),
                iam_instance_profile_arn: instance
                    .iam_instance_profile()
                    .and_then(|profile| profile.arn())
                    .map(str::to_string),
                launch_time: instance.launch_time().map(timestamp),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::partition_of_region;

    #[test]
    fn regions_map_to_their_partition() {
        assert_eq!(partition_of_region("eu-west-1"), "aws");
        assert_eq!(partition_of_region("us-gov-west-1"), "aws-us-gov");
        assert_eq!(partition_of_region("cn-north-1"), "aws-cn");
        assert_eq!(partition_of_region("us-east-1"), "aws");
    }
}
