//! IAM Access Analyzer: the analyzers of every region in scope.

use aws_config::{Region, SdkConfig};
use aws_sdk_accessanalyzer::Client;

use super::errors::data_error;
use super::{Collection, per_region, timestamp};
use crate::bindings::access_analyzer::Analyzer;
use crate::snapshot::{AccessAnalyzerData, DataSource, Outcome};

pub async fn collect(
    config: &SdkConfig,
    regions: &Outcome<Vec<String>>,
    collection: &Collection<'_>,
) -> AccessAnalyzerData {
    let analyzers = collection
        .run(
            DataSource::AccessAnalyzers,
            per_region(regions, |region| {
                let client = Client::from_conf(
                    aws_sdk_accessanalyzer::config::Builder::from(config)
                        .region(Region::new(region))
                        .build(),
                );
                async move { analyzers(&client).await }
            }),
        )
        .await;
    AccessAnalyzerData { analyzers }
}

async fn analyzers(client: &Client) -> Outcome<Vec<Analyzer>> {
    let analyzers: Result<Vec<_>, _> = client
        .list_analyzers()
        .into_paginator()
        .items()
        .send()
        .collect()
        .await;
    let analyzers =
        analyzers.map_err(|error| data_error("access-analyzer:ListAnalyzers", error))?;
    Ok(analyzers
        .iter()
        .map(|analyzer| Analyzer {
            name: analyzer.name().to_string(),
            arn: analyzer.arn().to_string(),
            type_: analyzer.r#type().as_str().to_string(),
            status: analyzer.status().as_str().to_string(),
            created_at: Some(timestamp(analyzer.created_at())),
        })
        .collect())
}
