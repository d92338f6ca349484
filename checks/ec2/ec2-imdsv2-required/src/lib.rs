//! EC2 instances answer metadata requests over IMDSv2 only.

use plumbline_guest::bindings::plumbline::check::ec2::{ImdsDefaults, InstanceMetadata};
use plumbline_guest::prelude::*;

struct Imdsv2Required;

impl Check for Imdsv2Required {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::EC2_IMDSV2_ONLY,
            severity: Severity::High,
            description: "Checks every EC2 instance (terminated ones aside, stopped ones \
                          included: they can be started as they are) in every region of the \
                          scan: it passes when its metadata options require session tokens \
                          (http-tokens `required`, IMDSv2 only) or turn the metadata endpoint \
                          off (http-endpoint `disabled`, no IMDS at all), and fails when \
                          http-tokens is `optional` (IMDSv1 allowed). The account's IMDS \
                          defaults for new instances (GetInstanceMetadataDefaults) are evidence, \
                          not a verdict: they do not change running instances, so they appear \
                          in the not-applicable finding of a region without instances, and a \
                          default that cannot be read is named there without making the check \
                          an error.",
            rationale: "IMDSv1 answers any plain GET from the instance, so a server-side request \
                        forgery or an open proxy on the instance hands out its role's \
                        credentials. IMDSv2 needs a session token obtained with a PUT and \
                        a hop limit, which such requests cannot provide.",
            remediation: "Check that the instance's software uses a current AWS SDK (IMDSv2 \
                          aware), then EC2 console > Instances > the instance > Actions > \
                          Instance settings > Modify instance metadata options > IMDSv2 \
                          Required; or `aws ec2 modify-instance-metadata-options --instance-id \
                          <id> --http-tokens required --http-endpoint enabled`. For new \
                          instances set the region's default: EC2 console > Dashboard > Account \
                          attributes > Data protection and security > IMDS defaults, or `aws ec2 \
                          modify-instance-metadata-defaults --http-tokens required`.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        Ok(regional::for_each_region(
            ec2::instance_metadata_options,
            judge_region,
            instances_resource,
        ))
    }
}

fn instances_resource(region: &str) -> String {
    regional::region_resource("ec2", region, "instance")
}

fn judge_region(region: &str, instances: Vec<InstanceMetadata>) -> Vec<Finding> {
    if instances.is_empty() {
        return vec![Finding::not_applicable(
            instances_resource(region),
            region,
            format!(
                "no EC2 instances in {region}; {}",
                describe_defaults(ec2::instance_metadata_defaults(region))
            ),
        )];
    }
    instances
        .iter()
        .map(|instance| judge(region, instance))
        .collect()
}

fn judge(region: &str, instance: &InstanceMetadata) -> Finding {
    let name = format!("instance {} ({})", instance.instance_id, instance.state);
    if instance.http_endpoint.eq_ignore_ascii_case("disabled") {
        return Finding::pass(
            &instance.arn,
            region,
            format!("{name}: the metadata endpoint is disabled"),
        );
    }
    let tokens = &instance.http_tokens;
    Finding::verdict(
        tokens.eq_ignore_ascii_case("required"),
        &instance.arn,
        region,
        if tokens.eq_ignore_ascii_case("required") {
            format!("{name}: http-tokens required, IMDSv2 only")
        } else {
            format!(
                "{name}: http-tokens {tokens} with the metadata endpoint enabled, IMDSv1 allowed"
            )
        },
    )
}

/// The account's default for new instances in a region, as evidence. An
/// unreadable default is said so: it decides nothing here, and some
/// endpoints (moto among them) do not implement the call.
fn describe_defaults(defaults: Result<ImdsDefaults, DataError>) -> String {
    match defaults {
        Ok(ImdsDefaults {
            http_tokens: None,
            http_endpoint: None,
            ..
        }) => "no account IMDS default is set for new instances".to_string(),
        Ok(defaults) => format!(
            "account IMDS default for new instances: http-tokens {}, http-endpoint {}",
            defaults.http_tokens.as_deref().unwrap_or("not set"),
            defaults.http_endpoint.as_deref().unwrap_or("not set")
        ),
        Err(error) => format!(
            "account IMDS default for new instances unknown ({})",
            error.describe()
        ),
    }
}

plumbline_guest::export_check!(Imdsv2Required);
