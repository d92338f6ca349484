//! Turning an AWS SDK error into the typed `data-error` a check sees.

use aws_sdk_iam::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};

use crate::bindings::types::{AccessDenied, DataError};

/// Error codes AWS services use for "the caller may not do this".
const ACCESS_DENIED_CODES: &[&str] = &[
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "UnauthorizedAccess",
    "AuthorizationError",
    "AuthorizationErrorException",
    "Forbidden",
];

/// Error codes for "this API or service is not here" (opt-in regions,
/// partitions or endpoints without the service).
const NOT_AVAILABLE_CODES: &[&str] = &[
    "OptInRequired",
    "UnsupportedOperation",
    "UnrecognizedClientException",
    "InvalidAction",
    "NotImplemented",
    "SubscriptionRequiredException",
];

/// Classifies an SDK error for `action` (an IAM action name such as
/// `iam:GetCredentialReport`).
pub fn data_error<E, R>(action: &str, error: SdkError<E, R>) -> DataError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug,
{
    let code = error.code().unwrap_or_default().to_string();
    let message = error.message().unwrap_or_default().to_string();
    if ACCESS_DENIED_CODES.contains(&code.as_str()) {
        return DataError::AccessDenied(AccessDenied {
            action: action.to_string(),
            message: if message.is_empty() { code } else { message },
        });
    }
    if NOT_AVAILABLE_CODES.contains(&code.as_str()) {
        return DataError::NotAvailable(format!("{action}: {code}: {message}"));
    }
    DataError::CollectionFailed(format!("{action}: {}", DisplayErrorContext(&error)))
}
