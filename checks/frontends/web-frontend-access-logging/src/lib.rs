//! Every AWS-managed web front end (load balancer, CloudFront distribution,
//! API Gateway stage) keeps access logs. CIS marks it Manual, but the
//! services' APIs answer it outright, so the check passes or fails (as the
//! other Manual controls an API decides do); Manual scoring keeps it out of
//! the scores.

use plumbline_guest::bindings::plumbline::check::frontends::{self, Frontend};
use plumbline_guest::prelude::*;

struct WebFrontendAccessLogging;

impl Check for WebFrontendAccessLogging {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::WEB_FRONTEND_ACCESS_LOGGING,
            severity: Severity::Medium,
            description: "Checks every Elastic Load Balancing v2 load balancer and API Gateway \
                          stage (REST, HTTP and WebSocket) of every region in scope, and every \
                          CloudFront distribution: each passes when its access logs go \
                          somewhere, naming where (bucket or log group), and fails when access \
                          logging is off. Decisions: CIS marks the recommendation Manual, but \
                          the APIs answer it, so the check gives pass or fail with the \
                          destination as evidence rather than a manual finding (Manual scoring \
                          still keeps it out of the scores); whether the destination is the \
                          right one is left to the reader. Gateway Load Balancers, which keep \
                          no access logs, and Network Load Balancers (logs for TLS listeners \
                          only) are judged like the others. A region without front ends, or an \
                          account without distributions, is not applicable.",
            rationale: "Access logs record each request a front end serves (client, path, \
                        response, latency), which is what shows an attack on a web \
                        application and what an investigation needs afterwards; the services \
                        keep none unless logging is turned on.",
            remediation: "Load balancer: EC2 > Load balancers > the load balancer > Attributes \
                          > Edit > Access logs > an S3 bucket; CLI `aws elbv2 \
                          modify-load-balancer-attributes --load-balancer-arn <arn> --attributes \
                          Key=access_logs.s3.enabled,Value=true \
                          Key=access_logs.s3.bucket,Value=<bucket>`. CloudFront: the distribution \
                          > Logging > standard logging to a bucket or CloudWatch Logs. API \
                          Gateway: the stage > Logs and tracing > Custom access logging > a log \
                          group ARN and format; CLI `aws apigateway update-stage` (REST) or `aws \
                          apigatewayv2 update-stage --access-log-settings \
                          DestinationArn=<log-group-arn>,Format=<format>` (HTTP, WebSocket).",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        let mut findings = regional::for_each_resource(
            frontends::regional_frontends,
            judge,
            "load balancers or API Gateway stages",
            |region| regional::region_resource("elasticloadbalancing", region, "loadbalancer"),
        );
        findings.extend(judge_distributions());
        Ok(findings)
    }
}

/// CloudFront is global: its distributions are judged once, apart from the
/// regions, and their failing data hides none of the regional verdicts.
fn judge_distributions() -> Vec<Finding> {
    let resource = || {
        format!(
            "arn:{}:cloudfront::{}:distribution",
            scan::partition(),
            scan::account_id()
        )
    };
    match frontends::distributions() {
        Ok(distributions) if distributions.is_empty() => vec![Finding::not_applicable(
            resource(),
            GLOBAL_REGION,
            "no CloudFront distributions in the account",
        )],
        Ok(distributions) => distributions
            .iter()
            .map(|distribution| judge(GLOBAL_REGION, distribution))
            .collect(),
        Err(error) => vec![Finding::error(resource(), GLOBAL_REGION, error.describe())],
    }
}

fn judge(region: &str, frontend: &Frontend) -> Finding {
    let name = format!("{} {}", describe_kind(&frontend.kind), frontend.name);
    match &frontend.access_log_destination {
        Some(destination) => Finding::pass(
            &frontend.arn,
            region,
            format!("{name}: access logs go to {destination}"),
        ),
        None => Finding::fail(
            &frontend.arn,
            region,
            format!("{name}: access logging is off"),
        ),
    }
}

fn describe_kind(kind: &str) -> &str {
    match kind {
        "elbv2" => "load balancer",
        "cloudfront" => "CloudFront distribution",
        "apigateway-rest" => "API Gateway REST API stage",
        "apigateway-http" => "API Gateway HTTP/WebSocket API stage",
        other => other,
    }
}

plumbline_guest::export_check!(WebFrontendAccessLogging);
