//! IAM Access Analyzer: the analyzers of every region in scope.

use aws_sdk_accessanalyzer::Client;

use crate::bindings::access_analyzer::Analyzer;
use crate::collect::errors::data_error;
use crate::collect::{Context, timestamp};
use crate::registry::{Outcome, Regional};

pub async fn analyzers(context: &Context<'_>) -> Outcome<Regional<Vec<Analyzer>>> {
    context
        .per_region(|region| {
            let client: Client = context.client(&region);
            async move { analyzers_in(&client).await }
        })
        .await
}

async fn analyzers_in(client: &Client) -> Outcome<Vec<Analyzer>> {
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
