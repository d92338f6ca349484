//! Amazon S3 and S3 Control: Block Public Access for the account and for
//! each bucket; each bucket's policy, versioning, default encryption,
//! server access logging and ACL.

mod collect;
mod custom_endpoint;

pub use custom_endpoint::KeepEndpointHost;

use crate::bindings::s3::{
    Bucket, EncryptionRule, Grant, LoggingTarget, PublicAccessBlock, Versioning,
};
use crate::registry::{DataSet, ForKey, PerKey, Scope, Service, Whole};

const INTERFACE: &str = "s3";

pub static SERVICE: Service = Service {
    interface: INTERFACE,
    data_sets: &[
        &ACCOUNT_PUBLIC_ACCESS_BLOCK,
        &BUCKETS,
        &BUCKET_PUBLIC_ACCESS_BLOCKS,
        &BUCKET_POLICIES,
        &BUCKET_VERSIONING,
        &BUCKET_ENCRYPTION,
        &BUCKET_LOGGING,
        &BUCKET_ACLS,
    ],
};

pub static ACCOUNT_PUBLIC_ACCESS_BLOCK: DataSet<Option<PublicAccessBlock>> = DataSet {
    interface: INTERFACE,
    name: "account_public_access_block",
    description: "the account's S3 Block Public Access settings",
    scope: Scope::Account,
    actions: &["s3:GetAccountPublicAccessBlock"],
    depends_on: &[],
    collect: |context| Box::pin(collect::account_public_access_block(context)),
    answers: &[&Whole("account-public-access-block")],
};

pub static BUCKETS: DataSet<Vec<Bucket>> = DataSet {
    interface: INTERFACE,
    name: "buckets",
    description: "the S3 buckets",
    scope: Scope::Account,
    actions: &["s3:ListAllMyBuckets", "s3:GetBucketLocation"],
    depends_on: &[],
    collect: |context| Box::pin(collect::buckets(context)),
    answers: &[&Whole("buckets")],
};

pub static BUCKET_PUBLIC_ACCESS_BLOCKS: DataSet<PerKey<Option<PublicAccessBlock>>> = DataSet {
    interface: INTERFACE,
    name: "bucket_public_access_blocks",
    description: "the S3 buckets' Block Public Access settings",
    scope: Scope::PerResource { key: "bucket" },
    actions: &["s3:GetBucketPublicAccessBlock"],
    depends_on: &[&BUCKETS],
    collect: |context| Box::pin(collect::bucket_public_access_blocks(context)),
    answers: &[&ForKey("bucket-public-access-block")],
};

pub static BUCKET_POLICIES: DataSet<PerKey<Option<String>>> = DataSet {
    interface: INTERFACE,
    name: "bucket_policies",
    description: "the S3 buckets' policies",
    scope: Scope::PerResource { key: "bucket" },
    actions: &["s3:GetBucketPolicy"],
    depends_on: &[&BUCKETS],
    collect: |context| Box::pin(collect::bucket_policies(context)),
    answers: &[&ForKey("bucket-policy")],
};

pub static BUCKET_VERSIONING: DataSet<PerKey<Versioning>> = DataSet {
    interface: INTERFACE,
    name: "bucket_versioning",
    description: "the S3 buckets' versioning",
    scope: Scope::PerResource { key: "bucket" },
    actions: &["s3:GetBucketVersioning"],
    depends_on: &[&BUCKETS],
    collect: |context| Box::pin(collect::bucket_versioning(context)),
    answers: &[&ForKey("bucket-versioning")],
};

pub static BUCKET_ENCRYPTION: DataSet<PerKey<Vec<EncryptionRule>>> = DataSet {
    interface: INTERFACE,
    name: "bucket_encryption",
    description: "the S3 buckets' default encryption",
    scope: Scope::PerResource { key: "bucket" },
    // The IAM action that authorizes GetBucketEncryption.
    actions: &["s3:GetEncryptionConfiguration"],
    depends_on: &[&BUCKETS],
    collect: |context| Box::pin(collect::bucket_encryption(context)),
    answers: &[&ForKey("bucket-encryption")],
};

pub static BUCKET_LOGGING: DataSet<PerKey<Option<LoggingTarget>>> = DataSet {
    interface: INTERFACE,
    name: "bucket_logging",
    description: "the S3 buckets' server access logging",
    scope: Scope::PerResource { key: "bucket" },
    actions: &["s3:GetBucketLogging"],
    depends_on: &[&BUCKETS],
    collect: |context| Box::pin(collect::bucket_logging(context)),
    answers: &[&ForKey("bucket-logging")],
};

pub static BUCKET_ACLS: DataSet<PerKey<Vec<Grant>>> = DataSet {
    interface: INTERFACE,
    name: "bucket_acls",
    description: "the S3 buckets' ACLs",
    scope: Scope::PerResource { key: "bucket" },
    actions: &["s3:GetBucketAcl"],
    depends_on: &[&BUCKETS],
    collect: |context| Box::pin(collect::bucket_acls(context)),
    answers: &[&ForKey("bucket-acl")],
};
