//! One module per AWS service, each a WIT interface: its data sets (the
//! registration entries: the WIT functions each answers, its scope, the IAM
//! actions it needs) in `mod.rs`, its collectors in `collect.rs`. Adding a
//! service is a module here and one line in [`SERVICES`].

pub mod access_analyzer;
pub mod account;
pub mod cloudtrail;
pub mod cloudwatch;
pub mod config;
pub mod ec2;
pub mod efs;
pub mod frontends;
pub mod iam;
pub mod kms;
pub mod logs;
pub mod macie;
pub mod organizations;
pub mod rds;
pub mod s3;
pub mod securityhub;
pub mod sns;

use crate::registry::Service;

/// Every service, in snapshot order.
pub static SERVICES: &[&Service] = &[
    &iam::SERVICE,
    &account::SERVICE,
    &access_analyzer::SERVICE,
    &ec2::SERVICE,
    &organizations::SERVICE,
    &s3::SERVICE,
    &macie::SERVICE,
    &rds::SERVICE,
    &efs::SERVICE,
    &cloudtrail::SERVICE,
    &config::SERVICE,
    &securityhub::SERVICE,
    &kms::SERVICE,
    &logs::SERVICE,
    &cloudwatch::SERVICE,
    &sns::SERVICE,
    &frontends::SERVICE,
];

// The clients collectors ask the context for (S3 Control's is in `s3`).
crate::sdk_clients!(
    aws_sdk_accessanalyzer,
    aws_sdk_account,
    aws_sdk_apigateway,
    aws_sdk_apigatewayv2,
    aws_sdk_cloudfront,
    aws_sdk_cloudtrail,
    aws_sdk_cloudwatch,
    aws_sdk_cloudwatchlogs,
    aws_sdk_config,
    aws_sdk_ec2,
    aws_sdk_efs,
    aws_sdk_elasticloadbalancingv2,
    aws_sdk_iam,
    aws_sdk_kms,
    aws_sdk_macie2,
    aws_sdk_organizations,
    aws_sdk_rds,
    aws_sdk_s3,
    aws_sdk_securityhub,
    aws_sdk_sns,
);
