//! AWS Organizations as the scanned account sees it. Most calls answer only
//! in the management account or a delegated administrator; a member account
//! gets access-denied, recorded as such. Global.

mod collect;

use crate::bindings::organizations::{
    DelegatedAdministrator, MemberAccount, OrganizationDetails, OrganizationPolicy,
    OrganizationalUnit, Root,
};
use crate::registry::{DataSet, Scope, Service, Whole};

const INTERFACE: &str = "organizations";

pub static SERVICE: Service = Service {
    interface: INTERFACE,
    data_sets: &[
        &ORGANIZATION,
        &ROOTS,
        &ORGANIZATIONAL_UNITS,
        &ACCOUNTS,
        &POLICIES,
        &DELEGATED_ADMINISTRATORS,
        &RESOURCE_POLICY,
    ],
};

pub static ORGANIZATION: DataSet<Option<OrganizationDetails>> = DataSet {
    interface: INTERFACE,
    name: "organization",
    description: "the AWS Organizations membership",
    scope: Scope::Account,
    actions: &["organizations:DescribeOrganization"],
    depends_on: &[],
    collect: |context| Box::pin(collect::organization(context)),
    answers: &[&Whole("organization")],
};

pub static ROOTS: DataSet<Vec<Root>> = DataSet {
    interface: INTERFACE,
    name: "roots",
    description: "the organization's roots",
    scope: Scope::Account,
    actions: &["organizations:ListRoots"],
    depends_on: &[],
    collect: |context| Box::pin(collect::roots(context)),
    answers: &[&Whole("roots")],
};

pub static ORGANIZATIONAL_UNITS: DataSet<Vec<OrganizationalUnit>> = DataSet {
    interface: INTERFACE,
    name: "organizational_units",
    description: "the organization's units (the whole tree)",
    scope: Scope::Account,
    actions: &["organizations:ListOrganizationalUnitsForParent"],
    depends_on: &[&ROOTS],
    collect: |context| Box::pin(collect::organizational_units(context)),
    answers: &[&Whole("organizational-units")],
};

pub static ACCOUNTS: DataSet<Vec<MemberAccount>> = DataSet {
    interface: INTERFACE,
    name: "accounts",
    description: "the organization's accounts",
    scope: Scope::Account,
    actions: &["organizations:ListAccountsForParent"],
    depends_on: &[&ROOTS, &ORGANIZATIONAL_UNITS],
    collect: |context| Box::pin(collect::accounts(context)),
    answers: &[&Whole("accounts")],
};

pub static POLICIES: DataSet<Vec<OrganizationPolicy>> = DataSet {
    interface: INTERFACE,
    name: "policies",
    description: "the organization's control policies",
    scope: Scope::Account,
    actions: &[
        "organizations:ListPolicies",
        "organizations:ListTargetsForPolicy",
    ],
    depends_on: &[],
    collect: |context| Box::pin(collect::policies(context)),
    answers: &[&Whole("policies")],
};

pub static DELEGATED_ADMINISTRATORS: DataSet<Vec<DelegatedAdministrator>> = DataSet {
    interface: INTERFACE,
    name: "delegated_administrators",
    description: "the organization's delegated administrators",
    scope: Scope::Account,
    actions: &[
        "organizations:ListDelegatedAdministrators",
        "organizations:ListDelegatedServicesForAccount",
    ],
    depends_on: &[],
    collect: |context| Box::pin(collect::delegated_administrators(context)),
    answers: &[&Whole("delegated-administrators")],
};

pub static RESOURCE_POLICY: DataSet<Option<String>> = DataSet {
    interface: INTERFACE,
    name: "resource_policy",
    description: "the organization's resource policy",
    scope: Scope::Account,
    actions: &["organizations:DescribeResourcePolicy"],
    depends_on: &[],
    collect: |context| Box::pin(collect::resource_policy(context)),
    answers: &[&Whole("resource-policy")],
};
