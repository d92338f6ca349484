//! Turning an AWS SDK error into the typed `data-error` a check sees.

use aws_sdk_iam::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::http::Response;

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
    "InvalidAction",
    "NotImplemented",
    "SubscriptionRequiredException",
    "AWSOrganizationsNotInUseException",
];

/// Statuses an endpoint without the API answers with, when it names no
/// error code (emulators, partitions without the service).
const HTTP_NOT_IMPLEMENTED: &[u16] = &[404, 501];

const HTTP_FORBIDDEN: u16 = 403;

/// Classifies an SDK error for `action` (an IAM action name such as
/// `iam:GetCredentialReport`).
pub fn data_error<E>(action: &str, error: SdkError<E, Response>) -> DataError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let service = match &error {
        SdkError::ServiceError(service) => service,
        // An answer the SDK could not read at all (an HTML error page): its
        // status says more than the parser's complaint.
        SdkError::ResponseError(response) => {
            let status = response.raw().status().as_u16();
            return DataError::CollectionFailed(format!(
                "{action}: the endpoint answered HTTP {status} with a body that is not an AWS \
                 response (is the API supported there?)"
            ));
        }
        // Timeouts, connection failures, credential problems: no answer from
        // the service at all.
        _ => {
            return DataError::CollectionFailed(format!(
                "{action}: {}",
                DisplayErrorContext(&error)
            ));
        }
    };
    let status = service.raw().status().as_u16();
    let body = service
        .raw()
        .body()
        .bytes()
        .map(String::from_utf8_lossy)
        .unwrap_or_default();
    // Some endpoints answer in a shape the SDK's parser does not read (an
    // `<Errors>` list, HTML); the raw body still names the code.
    let code = error
        .code()
        .map(str::to_string)
        .or_else(|| xml_element(&body, "Code"));
    let message = error
        .message()
        .map(str::to_string)
        .or_else(|| xml_element(&body, "Message"));
    let code_text = code.clone().unwrap_or_else(|| format!("HTTP {status}"));
    let message_text = message.unwrap_or_default();
    let denied = code
        .as_deref()
        .is_some_and(|code| ACCESS_DENIED_CODES.contains(&code))
        || (code.is_none() && status == HTTP_FORBIDDEN);
    if denied {
        return DataError::AccessDenied(AccessDenied {
            action: action.to_string(),
            message: if message_text.is_empty() {
                code_text
            } else {
                message_text
            },
        });
    }
    if code
        .as_deref()
        .is_some_and(|code| NOT_AVAILABLE_CODES.contains(&code))
    {
        return DataError::NotAvailable(format!("{action}: {code_text}: {message_text}"));
    }
    if code.is_none() && HTTP_NOT_IMPLEMENTED.contains(&status) {
        return DataError::NotAvailable(format!(
            "{action}: the endpoint does not implement this API (HTTP {status})"
        ));
    }
    if code.is_none() && message_text.is_empty() {
        return DataError::CollectionFailed(format!(
            "{action}: the endpoint answered HTTP {status} without an AWS error code \
             (is the API supported there?)"
        ));
    }
    DataError::CollectionFailed(format!(
        "{action}: {code_text}: {message_text} (HTTP {status})"
    ))
}

/// The text of the first `<name>` element of an XML error body.
fn xml_element(body: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let start = body.find(&open)? + open.len();
    let end = body[start..].find(&format!("</{name}>"))? + start;
    Some(body[start..end].trim().to_string()).filter(|text| !text.is_empty())
}

#[cfg(test)]
mod tests {
    use super::xml_element;

    #[test]
    fn reads_codes_from_error_lists_too() {
        let body = "<ErrorResponse><Errors><Error><Code>AccessDenied</Code>\
                    <Message>User: u is not authorized</Message></Error></Errors></ErrorResponse>";
        assert_eq!(xml_element(body, "Code").as_deref(), Some("AccessDenied"));
        assert_eq!(
            xml_element(body, "Message").as_deref(),
            Some("User: u is not authorized")
        );
        assert_eq!(xml_element(body, "RequestId"), None);
    }
}
