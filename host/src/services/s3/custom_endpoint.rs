//! Requests to a custom endpoint (`AWS_ENDPOINT_URL`): an emulator, or a
//! private endpoint given by URL.

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextMut;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

/// S3 Control puts the account id in front of the endpoint's host
/// (`123456789012.s3-control.us-east-1.amazonaws.com`). With a custom
/// endpoint (an emulator, a VPC endpoint given by URL) that name does not
/// resolve, so the prefix is taken off again.
#[derive(Debug)]
pub struct KeepEndpointHost {
    account_prefix: String,
}

impl KeepEndpointHost {
    pub fn for_account(account_id: &str) -> Self {
        KeepEndpointHost {
            account_prefix: format!("{account_id}."),
        }
    }
}

impl Intercept for KeepEndpointHost {
    fn name(&self) -> &'static str {
        "KeepEndpointHost"
    }

    fn modify_before_transmit(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let request = context.request_mut();
        let uri = request.uri().to_string();
        if let Some((scheme, rest)) = uri.split_once("://")
            && let Some(host_and_path) = rest.strip_prefix(&self.account_prefix)
        {
            request.set_uri(format!("{scheme}://{host_and_path}"))?;
        }
        Ok(())
    }
}
