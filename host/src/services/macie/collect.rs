//! Macie: GetMacieSession per region, then ListClassificationJobs and
//! GetAutomatedDiscoveryConfiguration only where a session exists.

use std::future::Future;

use aws_sdk_macie2::Client;
use aws_sdk_macie2::error::ProvideErrorMetadata;

use super::SESSIONS;
use crate::bindings::macie::{ClassificationJob, MacieSession};
use crate::bindings::types::DataError;
use crate::collect::errors::data_error;
use crate::collect::{Context, text, timestamp};
use crate::registry::{Outcome, Regional};

/// What automated discovery reports where Macie is not enabled.
const DISCOVERY_DISABLED: &str = "DISABLED";

pub async fn sessions(context: &Context<'_>) -> Outcome<Regional<Option<MacieSession>>> {
    context
        .per_region(|region| {
            let client: Client = context.client(&region);
            async move {
                match client.get_macie_session().send().await {
                    Ok(output) => Ok(Some(MacieSession {
                        status: output
                            .status()
                            .map(|status| status.as_str().to_string())
                            .unwrap_or_default(),
                        created_at: output.created_at().map(timestamp),
                        updated_at: output.updated_at().map(timestamp),
                    })),
                    Err(error) if macie_not_enabled(&error) => Ok(None),
                    Err(error) => Err(data_error("macie2:GetMacieSession", error)),
                }
            }
        })
        .await
}

pub async fn classification_jobs(
    context: &Context<'_>,
) -> Outcome<Regional<Vec<ClassificationJob>>> {
    where_enabled(context, Vec::new, |region| {
        let client: Client = context.client(&region);
        let arn_prefix = format!(
            "arn:{}:macie2:{region}:{}:classification-job/",
            context.partition(),
            context.account_id()
        );
        async move {
            let jobs: Result<Vec<_>, _> = client
                .list_classification_jobs()
                .into_paginator()
                .items()
                .send()
                .collect()
                .await;
            let jobs = jobs.map_err(|error| data_error("macie2:ListClassificationJobs", error))?;
            Ok(jobs
                .iter()
                .map(|job| {
                    let id = text(job.job_id());
                    ClassificationJob {
                        // A job summary carries no ARN; this is the form
                        // Macie gives its jobs.
                        arn: format!("{arn_prefix}{id}"),
                        id,
                        name: text(job.name()),
                        job_type: text(job.job_type().map(|job_type| job_type.as_str())),
                        status: text(job.job_status().map(|status| status.as_str())),
                        created_at: job.created_at().map(timestamp),
                        bucket_names: job
                            .bucket_definitions()
                            .iter()
                            .flat_map(|definition| definition.buckets())
                            .cloned()
                            .collect(),
                    }
                })
                .collect())
        }
    })
    .await
}

pub async fn automated_discovery_status(context: &Context<'_>) -> Outcome<Regional<String>> {
    where_enabled(
        context,
        || DISCOVERY_DISABLED.to_string(),
        |region| {
            let client: Client = context.client(&region);
            async move {
                let output = client
                    .get_automated_discovery_configuration()
                    .send()
                    .await
                    .map_err(|error| {
                        data_error("macie2:GetAutomatedDiscoveryConfiguration", error)
                    })?;
                Ok(output
                    .status()
                    .map_or(DISCOVERY_DISABLED, |status| status.as_str())
                    .to_string())
            }
        },
    )
    .await
}

/// Runs `fetch` in each region where [`SESSIONS`] found Macie enabled. Where
/// it is not, Macie would refuse the call, so the answer is `when_disabled`
/// without one; where the session could not be read, its error stands.
async fn where_enabled<T, Fut>(
    context: &Context<'_>,
    when_disabled: impl Fn() -> T,
    fetch: impl Fn(String) -> Fut,
) -> Outcome<Regional<T>>
where
    Fut: Future<Output = Outcome<T>>,
{
    let sessions = context.get(&SESSIONS)?;
    let (when_disabled, fetch) = (&when_disabled, &fetch);
    context
        .per_region(|region| {
            let session = sessions.get(&region).cloned();
            async move {
                match session {
                    Some(Ok(Some(_))) => fetch(region).await,
                    Some(Ok(None)) => Ok(when_disabled()),
                    Some(Err(error)) => Err(error),
                    None => Err(DataError::CollectionFailed(format!(
                        "host bug: no Macie session was read for {region}"
                    ))),
                }
            }
        })
        .await
}

/// Where Macie is off, AWS answers GetMacieSession with the code of an IAM
/// denial, told apart only by its message; moto answers with
/// ResourceNotFoundException. A real denial stays an error.
fn macie_not_enabled<E: ProvideErrorMetadata>(error: &E) -> bool {
    match error.code() {
        Some("AccessDeniedException") => error
            .message()
            .is_some_and(|message| message.contains("Macie is not enabled")),
        Some("ResourceNotFoundException") => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use aws_sdk_macie2::error::ErrorMetadata;
    use aws_sdk_macie2::operation::get_macie_session::GetMacieSessionError;

    use super::macie_not_enabled;

    fn error(code: &str, message: &str) -> GetMacieSessionError {
        GetMacieSessionError::generic(ErrorMetadata::builder().code(code).message(message).build())
    }

    /// The IAM-enforcing moto cannot show this (it refuses Macie's
    /// signatures), so the two AccessDeniedExceptions are told apart here.
    #[test]
    fn only_macie_being_off_is_not_enabled_not_an_iam_denial() {
        assert!(macie_not_enabled(&error(
            "AccessDeniedException",
            "Macie is not enabled."
        )));
        assert!(macie_not_enabled(&error(
            "ResourceNotFoundException",
            "The request failed because the specified resource doesn't exist."
        )));
        assert!(!macie_not_enabled(&error(
            "AccessDeniedException",
            "User: arn:aws:iam::123456789012:user/auditor is not authorized to perform: \
             macie2:GetMacieSession because no identity-based policy allows the \
             macie2:GetMacieSession action"
        )));
        assert!(!macie_not_enabled(&error(
            "ThrottlingException",
            "Rate exceeded"
        )));
    }
}
