//! AWS Config records every supported resource type in every region, and
//! global (IAM) resource types in at least one.

use plumbline_guest::bindings::plumbline::check::config::{
    self, ConfigurationRecorder, DeliveryChannel, RecorderStatus,
};
use plumbline_guest::brief_list;
use plumbline_guest::prelude::*;

struct ConfigEnabledAllRegions;

impl Check for ConfigEnabledAllRegions {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::CONFIG_ENABLED_ALL_REGIONS,
            severity: Severity::Medium,
            description: "Checks every region in scope: it passes when a configuration recorder \
                          records all supported resource types (allSupported, or the \
                          ALL_SUPPORTED_RESOURCE_TYPES strategy), is recording \
                          (DescribeConfigurationRecorderStatus) and the region has a delivery \
                          channel; it fails naming what is missing. One more finding, on the \
                          account, passes when at least one recording region also records \
                          global resource types (IAM). Decisions: every CIS version's audit \
                          asks for global resources to be included in one region only \
                          (recording them everywhere duplicates IAM items), so the versions do \
                          not differ and global resources are not asked of each region; a \
                          recorder that excludes types or records a chosen list fails its \
                          region; with --regions, only the regions scanned can show global \
                          recording, and a region whose data failed makes the global finding \
                          an error unless another region already records them.",
            rationale: "AWS Config keeps the configuration history of the account's \
                        resources and their relationships, which security analysis, change \
                        tracking and compliance audits rely on. A region without it is a \
                        region where changes go unrecorded.",
            remediation: "In each listed region: AWS Config > Settings (or Get started) > \
                          Recording strategy 'All resource types with customizable overrides' \
                          without overrides, include global resource types (IAM) in one region, \
                          an S3 bucket (and optionally an SNS topic) for delivery > Save, and \
                          make sure recording is on. CLI: `aws configservice \
                          put-configuration-recorder --configuration-recorder \
                          name=default,roleARN=<role-arn> --recording-group \
                          allSupported=true,includeGlobalResourceTypes=<true in one region> \
                          --region <region>`, `aws configservice put-delivery-channel \
                          --delivery-channel name=default,s3BucketName=<bucket> --region \
                          <region>`, `aws configservice start-configuration-recorder \
                          --configuration-recorder-name default --region <region>`.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        let mut global_recording_regions = Vec::new();
        let mut findings = regional::for_each_region(
            |region| {
                Ok(RegionConfig {
                    recorders: config::recorders(region)?,
                    statuses: config::recorder_statuses(region)?,
                    channels: config::delivery_channels(region)?,
                })
            },
            |region, setup| {
                if setup.records_global_resources() {
                    global_recording_regions.push(region.to_string());
                }
                vec![judge_region(region, &setup)]
            },
            region_resource,
        );
        let failed_regions = findings
            .iter()
            .any(|finding| finding.status == FindingStatus::Error);
        findings.push(judge_global_resources(
            &global_recording_regions,
            failed_regions,
        ));
        Ok(findings)
    }
}

fn region_resource(region: &str) -> String {
    regional::region_resource("config", region, "configuration-recorder")
}

/// What AWS Config is set to do in one region.
struct RegionConfig {
    recorders: Vec<ConfigurationRecorder>,
    statuses: Vec<RecorderStatus>,
    channels: Vec<DeliveryChannel>,
}

impl RegionConfig {
    fn is_recording(&self, recorder: &ConfigurationRecorder) -> bool {
        self.statuses
            .iter()
            .any(|status| status.name == recorder.name && status.recording)
    }

    /// A recorder that records every supported type and is on.
    fn complete_recorder(&self) -> Option<&ConfigurationRecorder> {
        self.recorders
            .iter()
            .find(|recorder| records_all_supported(recorder) && self.is_recording(recorder))
    }

    fn records_global_resources(&self) -> bool {
        self.recorders
            .iter()
            .any(|recorder| recorder.include_global_resource_types && self.is_recording(recorder))
    }
}

fn records_all_supported(recorder: &ConfigurationRecorder) -> bool {
    recorder.all_supported
        || recorder.recording_strategy.as_deref() == Some("ALL_SUPPORTED_RESOURCE_TYPES")
}

fn judge_region(region: &str, setup: &RegionConfig) -> Finding {
    let resource = region_resource(region);
    if setup.recorders.is_empty() {
        return Finding::fail(
            resource,
            region,
            format!("no AWS Config configuration recorder in {region}"),
        );
    }
    let channel = setup.channels.first();
    match (setup.complete_recorder(), channel) {
        (Some(recorder), Some(channel)) => Finding::pass(
            resource,
            region,
            format!(
                "recorder {} records all supported resource types and is recording; delivery channel {}",
                recorder.name,
                describe_channel(channel)
            ),
        ),
        (recorder, channel) => {
            let mut missing = Vec::new();
            if recorder.is_none() {
                missing.extend(setup.recorders.iter().map(|r| describe_shortfall(setup, r)));
            }
            if channel.is_none() {
                missing.push("no delivery channel".to_string());
            }
            Finding::fail(resource, region, missing.join("; "))
        }
    }
}

/// Why a recorder does not make the region compliant.
fn describe_shortfall(setup: &RegionConfig, recorder: &ConfigurationRecorder) -> String {
    let mut problems = Vec::new();
    if !records_all_supported(recorder) {
        problems.push(describe_partial_recording(recorder));
    }
    if !setup.is_recording(recorder) {
        problems.push("is not recording".to_string());
    }
    format!("recorder {} {}", recorder.name, problems.join(" and "))
}

fn describe_partial_recording(recorder: &ConfigurationRecorder) -> String {
    if recorder.recording_strategy.as_deref() == Some("EXCLUSION_BY_RESOURCE_TYPES") {
        format!(
            "excludes {} resource type(s) ({})",
            recorder.excluded_resource_types.len(),
            brief_list(&recorder.excluded_resource_types, 3)
        )
    } else {
        format!(
            "records only {} chosen resource type(s) ({})",
            recorder.resource_types.len(),
            brief_list(&recorder.resource_types, 3)
        )
    }
}

fn describe_channel(channel: &DeliveryChannel) -> String {
    match &channel.s3_bucket_name {
        Some(bucket) => format!("{} delivers to s3://{bucket}", channel.name),
        None => channel.name.clone(),
    }
}

fn judge_global_resources(recording_regions: &[String], failed_regions: bool) -> Finding {
    let resource = account::account_resource();
    if !recording_regions.is_empty() {
        return Finding::pass(
            resource,
            GLOBAL_REGION,
            format!(
                "global resource types (IAM) are recorded in {}",
                recording_regions.join(", ")
            ),
        );
    }
    if failed_regions {
        return Finding::error(
            resource,
            GLOBAL_REGION,
            "no region read records global resource types (IAM), and some regions' AWS Config data could not be read",
        );
    }
    Finding::fail(
        resource,
        GLOBAL_REGION,
        "no recording AWS Config recorder in the regions scanned includes global resource types (IAM)",
    )
}

plumbline_guest::export_check!(ConfigEnabledAllRegions);
