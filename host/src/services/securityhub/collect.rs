//! Security Hub: DescribeHub per region.

use aws_sdk_securityhub::Client;
use aws_sdk_securityhub::error::ProvideErrorMetadata;

use crate::bindings::securityhub::HubDetails;
use crate::collect::errors::data_error;
use crate::collect::{Context, text};
use crate::registry::{Outcome, Regional};

pub async fn hubs(context: &Context<'_>) -> Outcome<Regional<Option<HubDetails>>> {
    context
        .per_region(|region| {
            let client: Client = context.client(&region);
            async move {
                match client.describe_hub().send().await {
                    Ok(output) => Ok(Some(HubDetails {
                        arn: text(output.hub_arn()),
                        // An RFC 3339 string; one that does not parse is an
                        // unknown time, not a missing hub.
                        subscribed_at: output
                            .subscribed_at()
                            .and_then(|time| crate::timefmt::parse(time).ok()),
                    })),
                    Err(error) if hub_not_enabled(&error) => Ok(None),
                    Err(error) => Err(data_error("securityhub:DescribeHub", error)),
                }
            }
        })
        .await
}

/// Where Security Hub is off, DescribeHub answers InvalidAccessException
/// ("Account ... is not subscribed to AWS Security Hub"). The same code
/// with another message, and an IAM denial (AccessDeniedException), stay
/// errors.
fn hub_not_enabled<E: ProvideErrorMetadata>(error: &E) -> bool {
    error.code() == Some("InvalidAccessException")
        && error
            .message()
            .is_some_and(|message| message.contains("not subscribed to AWS Security Hub"))
}

#[cfg(test)]
mod tests {
    use aws_sdk_securityhub::error::ErrorMetadata;
    use aws_sdk_securityhub::operation::describe_hub::DescribeHubError;

    use super::hub_not_enabled;

    fn error(code: &str, message: &str) -> DescribeHubError {
        DescribeHubError::generic(ErrorMetadata::builder().code(code).message(message).build())
    }

    /// The IAM-enforcing moto answers a denial with its own message, so the
    /// codes AWS uses are told apart here too.
    #[test]
    fn only_an_unsubscribed_account_is_not_enabled_not_an_iam_denial() {
        assert!(hub_not_enabled(&error(
            "InvalidAccessException",
            "Account 123456789012 is not subscribed to AWS Security Hub"
        )));
        assert!(!hub_not_enabled(&error(
            "AccessDeniedException",
            "User: arn:aws:iam::123456789012:user/auditor is not authorized to perform: \
             securityhub:DescribeHub"
        )));
        assert!(!hub_not_enabled(&error(
            "InvalidAccessException",
            "The request was rejected because you are not a member account"
        )));
    }
}
