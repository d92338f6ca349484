//! A synthetic IAM-heavy account for the benches: `users` IAM users, EC2
//! instances and S3 buckets in proportion.

use plumbline_host::bindings::ec2::Instance;
use plumbline_host::bindings::iam::{CredentialReportKey, CredentialReportRow, SummaryEntry, User};
use plumbline_host::bindings::s3::{Bucket, PublicAccessBlock};
use plumbline_host::registry::PerKey;
use plumbline_host::services::ec2::{InstanceRecord, MetadataOptions};
use plumbline_host::services::iam::AuthorizationDetails;
use plumbline_host::services::{ec2, iam, s3};
use plumbline_host::snapshot::Snapshot;

const DAY: i64 = 86_400;
/// The synthetic account's "now": evaluate it with this time.
pub const NOW: i64 = 1_796_083_200;

/// An account with `users` IAM users, a third of them with console
/// passwords, most with an access key, some stale.
pub fn account(users: usize) -> Snapshot {
    let account = "123456789012";
    let mut rows = Vec::with_capacity(users + 1);
    let mut details = AuthorizationDetails::default();
    for index in 0..users {
        let name = format!("user-{index:06}");
        let arn = format!("arn:aws:iam::{account}:user/{name}");
        let age = (index % 120) as i64 * DAY;
        rows.push(CredentialReportRow {
            user: name.clone(),
            arn: arn.clone(),
            user_creation_time: Some(NOW - 400 * DAY),
            password_enabled: Some(index.is_multiple_of(3)),
            password_last_used: Some(NOW - age),
            password_last_changed: Some(NOW - 200 * DAY),
            mfa_active: !index.is_multiple_of(5),
            access_keys: vec![
                CredentialReportKey {
                    active: !index.is_multiple_of(4),
                    last_rotated: Some(NOW - 300 * DAY),
                    last_used: Some(NOW - age),
                },
                CredentialReportKey {
                    active: false,
                    last_rotated: None,
                    last_used: None,
                },
            ],
            certificates_active: vec![false, false],
        });
        details.users.push(User {
            name,
            arn,
            id: format!("AIDA{index:016}"),
            path: "/".into(),
            create_date: NOW - 400 * DAY,
            groups: vec!["developers".into()],
            attached_policies: Vec::new(),
            inline_policies: Vec::new(),
        });
    }
    let mut snapshot = Snapshot::empty();
    snapshot.account_id = account.into();
    snapshot.partition = "aws".into();
    snapshot.regions = vec!["us-east-1".into()];
    snapshot.collected_at = "2026-12-01T00:00:00Z".into();
    let data = &mut snapshot.data;
    data.insert(&iam::CREDENTIAL_REPORT, Ok(rows));
    data.insert(&iam::PASSWORD_POLICY, Ok(None));
    data.insert(
        &iam::ACCOUNT_SUMMARY,
        Ok(vec![
            SummaryEntry {
                name: "AccountAccessKeysPresent".into(),
                value: 0,
            },
            SummaryEntry {
                name: "AccountMFAEnabled".into(),
                value: 1,
            },
        ]),
    );
    data.insert(&iam::AUTHORIZATION_DETAILS, Ok(details));
    data.insert(&iam::VIRTUAL_MFA_DEVICES, Ok(Vec::new()));
    data.insert(&iam::SERVER_CERTIFICATES, Ok(Vec::new()));
    data.insert(&iam::SAML_PROVIDERS, Ok(Vec::new()));
    data.insert(&iam::OIDC_PROVIDERS, Ok(Vec::new()));
    data.insert(&iam::ORGANIZATIONS_FEATURES, Ok(Vec::new()));
    data.insert(
        &ec2::INSTANCES,
        Ok(REGIONS
            .iter()
            .map(|region| {
                (
                    region.to_string(),
                    Ok(instances(account, region, users / 4)),
                )
            })
            .collect()),
    );
    let (buckets, blocks) = buckets(users / 2);
    data.insert(&s3::ACCOUNT_PUBLIC_ACCESS_BLOCK, Ok(None));
    data.insert(&s3::BUCKETS, Ok(buckets));
    data.insert(&s3::BUCKET_PUBLIC_ACCESS_BLOCKS, Ok(blocks));
    snapshot
}

/// Regions of the synthetic account.
const REGIONS: [&str; 4] = ["eu-west-1", "us-east-1", "us-east-2", "us-west-2"];

fn instances(account: &str, region: &str, count: usize) -> Vec<InstanceRecord> {
    (0..count)
        .map(|index| {
            let id = format!("i-{index:017x}");
            InstanceRecord {
                instance: Instance {
                    arn: format!("arn:aws:ec2:{region}:{account}:instance/{id}"),
                    id,
                    state: "running".into(),
                    iam_instance_profile_arn: (!index.is_multiple_of(3))
                        .then(|| format!("arn:aws:iam::{account}:instance-profile/app")),
                    launch_time: Some(NOW - DAY),
                },
                metadata_options: Some(MetadataOptions {
                    http_tokens: "required".into(),
                    http_endpoint: "enabled".into(),
                }),
            }
        })
        .collect()
}

/// Buckets, half of them with all four Block Public Access settings on.
fn buckets(count: usize) -> (Vec<Bucket>, PerKey<Option<PublicAccessBlock>>) {
    let buckets: Vec<Bucket> = (0..count)
        .map(|index| {
            let name = format!("bucket-{index:06}");
            Bucket {
                arn: format!("arn:aws:s3:::{name}"),
                name,
                region: REGIONS[index % REGIONS.len()].into(),
                creation_date: Some(NOW - DAY),
            }
        })
        .collect();
    let blocks = buckets
        .iter()
        .enumerate()
        .map(|(index, bucket)| {
            let on = index.is_multiple_of(2);
            let block = PublicAccessBlock {
                block_public_acls: on,
                ignore_public_acls: on,
                block_public_policy: on,
                restrict_public_buckets: on,
            };
            (bucket.name.clone(), Ok(Some(block)))
        })
        .collect();
    (buckets, blocks)
}
