//! SNS: ListTopics and ListSubscriptions per region, paginated.

use aws_sdk_sns::Client;

use crate::bindings::sns::Subscription;
use crate::collect::errors::data_error;
use crate::collect::{Context, text};
use crate::registry::{Outcome, Regional};

pub async fn topics(context: &Context<'_>) -> Outcome<Regional<Vec<String>>> {
    context
        .per_region(|region| {
            let client: Client = context.client(&region);
            async move {
                let topics: Vec<_> = client
                    .list_topics()
                    .into_paginator()
                    .items()
                    .send()
                    .collect::<Result<_, _>>()
                    .await
                    .map_err(|error| data_error("sns:ListTopics", error))?;
                Ok(topics
                    .iter()
                    .filter_map(|topic| topic.topic_arn())
                    .map(str::to_string)
                    .collect())
            }
        })
        .await
}

pub async fn subscriptions(context: &Context<'_>) -> Outcome<Regional<Vec<Subscription>>> {
    context
        .per_region(|region| {
            let client: Client = context.client(&region);
            async move {
                let subscriptions: Vec<_> = client
                    .list_subscriptions()
                    .into_paginator()
                    .items()
                    .send()
                    .collect::<Result<_, _>>()
                    .await
                    .map_err(|error| data_error("sns:ListSubscriptions", error))?;
                Ok(subscriptions
                    .iter()
                    .map(|subscription| {
                        let arn = text(subscription.subscription_arn());
                        Subscription {
                            confirmed: is_confirmed(&arn),
                            arn,
                            topic_arn: text(subscription.topic_arn()),
                            protocol: text(subscription.protocol()),
                            endpoint: text(subscription.endpoint()),
                        }
                    })
                    .collect())
            }
        })
        .await
}

/// SNS gives a subscription its ARN once the endpoint confirms; until then
/// it lists `PendingConfirmation` in its place, and `Deleted` for one
/// removed while listed. Neither delivers, so only a real ARN counts as
/// confirmed; the others stay listed (with that word as their ARN) so a
/// check can say why a topic has no working subscriber.
fn is_confirmed(subscription_arn: &str) -> bool {
    subscription_arn.starts_with("arn:")
}

#[cfg(test)]
mod tests {
    use super::is_confirmed;

    #[test]
    fn only_a_subscription_with_an_arn_is_confirmed() {
        assert!(is_confirmed(
            "arn:aws:sns:eu-west-1:123456789012:alerts:6b0e71bd-7e97-4d97-80ce-4a0994e55286"
        ));
        assert!(!is_confirmed("PendingConfirmation"));
        assert!(!is_confirmed("Deleted"));
        assert!(!is_confirmed(""));
    }
}
