//! The web front ends AWS runs and whether they keep access logs: per
//! region the Elastic Load Balancing v2 load balancers and the API Gateway
//! stages (REST, HTTP and WebSocket APIs); the CloudFront distributions
//! once for the account.

mod collect;

use crate::bindings::frontends::Frontend;
use crate::registry::{DataSet, ForKey, Regional, Scope, Service, Whole};

const INTERFACE: &str = "frontends";

pub static SERVICE: Service = Service {
    interface: INTERFACE,
    data_sets: &[&REGIONAL_FRONTENDS, &DISTRIBUTIONS],
};

pub static REGIONAL_FRONTENDS: DataSet<Regional<Vec<Frontend>>> = DataSet {
    interface: INTERFACE,
    name: "regional_frontends",
    description: "the load balancers and API Gateway stages",
    scope: Scope::Regional,
    actions: &[
        "elasticloadbalancing:DescribeLoadBalancers",
        "elasticloadbalancing:DescribeLoadBalancerAttributes",
        // GetRestApis, GetStages (REST), GetApis and GetStages (HTTP and
        // WebSocket) are all authorized as this one action.
        "apigateway:GET",
    ],
    depends_on: &[],
    collect: |context| Box::pin(collect::regional_frontends(context)),
    answers: &[&ForKey("regional-frontends")],
};

pub static DISTRIBUTIONS: DataSet<Vec<Frontend>> = DataSet {
    interface: INTERFACE,
    name: "distributions",
    description: "the CloudFront distributions",
    scope: Scope::Account,
    actions: &[
        "cloudfront:ListDistributions",
        "cloudfront:GetDistributionConfig",
    ],
    depends_on: &[],
    collect: |context| Box::pin(collect::distributions(context)),
    answers: &[&Whole("distributions")],
};
