//! The AWS Organization the scanned account belongs to, and the account's
//! place in it: what every Organizations control needs before it can say
//! anything.

use crate::bindings::plumbline::check::organizations::{self, OrganizationDetails};
use crate::{DataError, Finding, GLOBAL_REGION, account, scan};

/// The scanned account's organization.
#[derive(Debug, Clone, PartialEq)]
pub struct Organization {
    pub details: OrganizationDetails,
    /// The scanned account.
    pub account_id: String,
}

impl Organization {
    /// Whether the scanned account is the organization's management account.
    pub fn is_management_account(&self) -> bool {
        self.details.management_account_id == self.account_id
    }

    /// The resource for findings about the organization: its ARN.
    pub fn resource(&self) -> &str {
        &self.details.arn
    }
}

/// The scanned account's organization; none when it is not in one.
pub fn current() -> Result<Option<Organization>, DataError> {
    Ok(organizations::organization()?.map(|details| Organization {
        details,
        account_id: scan::account_id(),
    }))
}

/// Evaluates a control that only exists inside an organization: `judge`
/// runs with the organization; an account outside any organization gets one
/// `not-applicable` finding saying so.
pub fn evaluate_within(
    judge: impl FnOnce(&Organization) -> Result<Vec<Finding>, DataError>,
) -> Result<Vec<Finding>, DataError> {
    match current()? {
        Some(organization) => judge(&organization),
        None => Ok(vec![Finding::not_applicable(
            account::account_resource(),
            GLOBAL_REGION,
            format!(
                "account {} is not in an AWS Organization",
                scan::account_id()
            ),
        )]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn organization(management: &str, scanned: &str) -> Organization {
        Organization {
            details: OrganizationDetails {
                id: "o-abc".into(),
                arn: "arn:aws:organizations::111122223333:organization/o-abc".into(),
                feature_set: "ALL".into(),
                management_account_id: management.into(),
            },
            account_id: scanned.into(),
        }
    }

    #[test]
    fn management_account_is_the_one_the_organization_names() {
        assert!(organization("111122223333", "111122223333").is_management_account());
        assert!(!organization("111122223333", "444455556666").is_management_account());
    }
}
