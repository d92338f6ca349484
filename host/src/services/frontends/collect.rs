//! Front ends: per region DescribeLoadBalancers, GetRestApis and GetApis,
//! then one call per load balancer (its attributes) or API (its stages)
//! under the scan's per-resource budget; for the account ListDistributions,
//! then GetDistributionConfig per distribution (the list omits logging).

use std::future::Future;

use futures_util::future::try_join3;

use crate::bindings::frontends::Frontend;
use crate::collect::errors::data_error;
use crate::collect::{Context, text};
use crate::registry::{Outcome, Regional};

/// The load balancer attributes that say whether and where it logs access.
const ACCESS_LOGS_ENABLED: &str = "access_logs.s3.enabled";
const ACCESS_LOGS_BUCKET: &str = "access_logs.s3.bucket";

pub async fn regional_frontends(context: &Context<'_>) -> Outcome<Regional<Vec<Frontend>>> {
    context
        .per_region(|region| async move {
            let (load_balancers, rest_stages, http_stages) = try_join3(
                load_balancers(context, &region),
                rest_api_stages(context, &region),
                http_api_stages(context, &region),
            )
            .await?;
            Ok([load_balancers, rest_stages, http_stages].concat())
        })
        .await
}

async fn load_balancers(context: &Context<'_>, region: &str) -> Outcome<Vec<Frontend>> {
    let client: aws_sdk_elasticloadbalancingv2::Client = context.client(region);
    let listed: Vec<_> = client
        .describe_load_balancers()
        .into_paginator()
        .items()
        .send()
        .collect::<Result<_, _>>()
        .await
        .map_err(|error| data_error("elasticloadbalancing:DescribeLoadBalancers", error))?;
    let described = context
        .each(
            listed,
            |load_balancer| text(load_balancer.load_balancer_arn()),
            |load_balancer| {
                let client = client.clone();
                async move {
                    let arn = text(load_balancer.load_balancer_arn());
                    let output = client
                        .describe_load_balancer_attributes()
                        .load_balancer_arn(&arn)
                        .send()
                        .await
                        .map_err(|error| {
                            data_error("elasticloadbalancing:DescribeLoadBalancerAttributes", error)
                        })?;
                    let attribute = |key: &str| {
                        output
                            .attributes()
                            .iter()
                            .find(|attribute| attribute.key() == Some(key))
                            .and_then(|attribute| attribute.value())
                    };
                    // Gateway load balancers have no access log attributes:
                    // they log nothing.
                    let access_log_destination = (attribute(ACCESS_LOGS_ENABLED) == Some("true"))
                        .then(|| text(attribute(ACCESS_LOGS_BUCKET)));
                    Ok(Frontend {
                        kind: "elbv2".to_string(),
                        arn,
                        name: text(load_balancer.load_balancer_name()),
                        access_log_destination,
                    })
                }
            },
        )
        .await;
    described.into_values().collect()
}

/// The stages of the region's REST APIs (API Gateway v1).
async fn rest_api_stages(context: &Context<'_>, region: &str) -> Outcome<Vec<Frontend>> {
    let client: aws_sdk_apigateway::Client = context.client(region);
    let apis: Vec<_> = client
        .get_rest_apis()
        .into_paginator()
        .items()
        .send()
        .collect::<Result<_, _>>()
        .await
        .map_err(|error| data_error("apigateway:GET", error))?;
    let stages = ApiStages::new(context, region, "apigateway-rest", "restapis");
    let per_api = context
        .each(
            apis,
            |api| text(api.id()),
            |api| {
                let (client, stages) = (client.clone(), &stages);
                async move {
                    let id = text(api.id());
                    // One answer holds every stage of the API.
                    let output = client
                        .get_stages()
                        .rest_api_id(&id)
                        .send()
                        .await
                        .map_err(|error| data_error("apigateway:GET", error))?;
                    Ok(output
                        .item()
                        .iter()
                        .map(|stage| {
                            stages.frontend(
                                &id,
                                api.name(),
                                stage.stage_name(),
                                stage
                                    .access_log_settings()
                                    .and_then(|settings| settings.destination_arn()),
                            )
                        })
                        .collect::<Vec<_>>())
                }
            },
        )
        .await;
    flatten(per_api.into_values())
}

/// The stages of the region's HTTP and WebSocket APIs (API Gateway v2).
async fn http_api_stages(context: &Context<'_>, region: &str) -> Outcome<Vec<Frontend>> {
    let client: aws_sdk_apigatewayv2::Client = context.client(region);
    let apis = all_pages(|token| {
        let request = client.get_apis().set_next_token(token);
        async move {
            let output = request
                .send()
                .await
                .map_err(|error| data_error("apigateway:GET", error))?;
            Ok((
                output.items().to_vec(),
                output.next_token().map(str::to_string),
            ))
        }
    })
    .await?;
    let stages = ApiStages::new(context, region, "apigateway-http", "apis");
    let per_api = context
        .each(
            apis,
            |api| text(api.api_id()),
            |api| {
                let (client, stages) = (client.clone(), &stages);
                async move {
                    let id = text(api.api_id());
                    let listed = all_pages(|token| {
                        let request = client.get_stages().api_id(&id).set_next_token(token);
                        async move {
                            let output = request
                                .send()
                                .await
                                .map_err(|error| data_error("apigateway:GET", error))?;
                            Ok((
                                output.items().to_vec(),
                                output.next_token().map(str::to_string),
                            ))
                        }
                    })
                    .await?;
                    Ok(listed
                        .iter()
                        .map(|stage| {
                            stages.frontend(
                                &id,
                                api.name(),
                                stage.stage_name(),
                                stage
                                    .access_log_settings()
                                    .and_then(|settings| settings.destination_arn()),
                            )
                        })
                        .collect::<Vec<_>>())
                }
            },
        )
        .await;
    flatten(per_api.into_values())
}

/// How one region's stages of one kind of API (REST, or HTTP and
/// WebSocket) are named as front ends. A stage has no ARN of its own in
/// the API's answers; this is the form IAM and access logs give it:
/// `arn:aws:apigateway:<region>::/<collection>/<api id>/stages/<stage>`.
struct ApiStages {
    kind: &'static str,
    arn_prefix: String,
}

impl ApiStages {
    fn new(context: &Context<'_>, region: &str, kind: &'static str, collection: &str) -> Self {
        ApiStages {
            kind,
            arn_prefix: format!(
                "arn:{}:apigateway:{region}::/{collection}/",
                context.partition()
            ),
        }
    }

    /// A stage, named `<api name>/<stage name>`.
    fn frontend(
        &self,
        api_id: &str,
        api_name: Option<&str>,
        stage_name: Option<&str>,
        access_log_destination: Option<&str>,
    ) -> Frontend {
        let stage_name = text(stage_name);
        Frontend {
            kind: self.kind.to_string(),
            arn: format!("{}{api_id}/stages/{stage_name}", self.arn_prefix),
            name: format!("{}/{stage_name}", text(api_name)),
            access_log_destination: access_log_destination.map(str::to_string),
        }
    }
}

/// Every item of an API Gateway v2 list, following `NextToken` (the SDK
/// has no paginator for these operations). `fetch` gets the token of the
/// page to read and returns the page's items and the next token.
async fn all_pages<T, Fut>(fetch: impl Fn(Option<String>) -> Fut) -> Outcome<Vec<T>>
where
    Fut: Future<Output = Outcome<(Vec<T>, Option<String>)>>,
{
    let mut items = Vec::new();
    let mut token = None;
    loop {
        let (page, next) = fetch(token).await?;
        items.extend(page);
        match next.filter(|next| !next.is_empty()) {
            Some(next) => token = Some(next),
            None => return Ok(items),
        }
    }
}

/// One list of every resource's items, or the first resource's error: a
/// region answered without some API's stages would hide them.
fn flatten(
    per_resource: impl IntoIterator<Item = Outcome<Vec<Frontend>>>,
) -> Outcome<Vec<Frontend>> {
    let mut frontends = Vec::new();
    for outcome in per_resource {
        frontends.extend(outcome?);
    }
    Ok(frontends)
}

/// CloudFront is global: the SDK sends its calls to the partition's one
/// endpoint (signed for us-east-1 in `aws`) whatever the client's region,
/// so the home region's client keeps the partition right.
pub async fn distributions(context: &Context<'_>) -> Outcome<Vec<Frontend>> {
    let client: aws_sdk_cloudfront::Client = context.global_client();
    let listed: Vec<_> = client
        .list_distributions()
        .into_paginator()
        .items()
        .send()
        .collect::<Result<_, _>>()
        .await
        .map_err(|error| data_error("cloudfront:ListDistributions", error))?;
    let described = context
        .each(
            listed,
            |distribution| distribution.id().to_string(),
            |distribution| {
                let client = client.clone();
                async move {
                    let output = client
                        .get_distribution_config()
                        .id(distribution.id())
                        .send()
                        .await
                        .map_err(|error| data_error("cloudfront:GetDistributionConfig", error))?;
                    let logging = output
                        .distribution_config()
                        .and_then(|config| config.logging())
                        .filter(|logging| logging.enabled());
                    Ok(Frontend {
                        kind: "cloudfront".to_string(),
                        arn: distribution.arn().to_string(),
                        name: distribution.id().to_string(),
                        access_log_destination: logging.map(|logging| logging.bucket().to_string()),
                    })
                }
            },
        )
        .await;
    described.into_values().collect()
}
