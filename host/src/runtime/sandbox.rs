//! What a check sees inside its store: the scan data through the WIT imports,
//! WASI with nothing granted (no preopened directories, no sockets, no
//! environment, no inherited stdio), bounded captured output and a memory cap.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use wasmtime::StoreLimits;
use wasmtime::component::ResourceTable;
use wasmtime_wasi::cli::{IsTerminal, StdoutStream};
use wasmtime_wasi::p2::{OutputStream, Pollable, StreamError, StreamResult};
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

use crate::bindings::access_analyzer::Analyzer;
use crate::bindings::account::{AlternateContactType, Contact, PrimaryContact};
use crate::bindings::ec2::Instance;
use crate::bindings::iam::{
    CredentialReportRow, Group, ManagedPolicy, OidcProvider, PasswordPolicy, PolicyEntities, Role,
    SamlProvider, ServerCertificate, SummaryEntry, User, VirtualMfaDevice,
};
use crate::bindings::organizations::{
    DelegatedAdministrator, MemberAccount, OrganizationDetails, OrganizationPolicy,
    OrganizationalUnit, Root,
};
use crate::bindings::s3::{Bucket, PublicAccessBlock};
use crate::bindings::types::{DataError, Timestamp};
use crate::bindings::{access_analyzer, account, ec2, iam, organizations, s3, scan, types};
use crate::snapshot::{self, Collected, DataSource, Outcome, Regional, Snapshot};

/// The scan data a check may read, shared by every store of a scan.
pub struct ScanData {
    pub snapshot: Snapshot,
    pub now: Timestamp,
}

pub struct CheckState {
    wasi: WasiCtx,
    table: ResourceTable,
    pub limits: StoreLimits,
    data: Arc<ScanData>,
}

impl CheckState {
    pub fn new(
        data: Arc<ScanData>,
        limits: StoreLimits,
        stdout: CapturedOutput,
        stderr: CapturedOutput,
    ) -> Self {
        let wasi = WasiCtx::builder()
            .stdout(stdout)
            .stderr(stderr)
            .allow_tcp(false)
            .allow_udp(false)
            .allow_ip_name_lookup(false)
            .build();
        CheckState {
            wasi,
            table: ResourceTable::new(),
            limits,
            data,
        }
    }
}

impl WasiView for CheckState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl types::Host for CheckState {}

impl scan::Host for CheckState {
    fn account_id(&mut self) -> String {
        self.data.snapshot.account_id.clone()
    }

    fn partition(&mut self) -> String {
        self.data.snapshot.partition.clone()
    }

    fn regions(&mut self) -> Vec<String> {
        self.data.snapshot.regions.clone()
    }

    fn now(&mut self) -> Timestamp {
        self.data.now
    }
}

/// A data set's answer, or `not-available` naming what was not collected.
fn answer<T: Clone>(outcome: &Option<Outcome<T>>, source: DataSource) -> Outcome<T> {
    outcome
        .as_ref()
        .map_or_else(|| Err(not_collected(source)), Clone::clone)
}

/// One entry of a keyed data set (a region's, a bucket's), or why there is none.
fn answer_for<T: Clone>(
    outcome: &Collected<BTreeMap<String, Outcome<T>>>,
    source: DataSource,
    key: &str,
    scope: &str,
) -> Outcome<T> {
    let entries = outcome
        .as_ref()
        .ok_or_else(|| not_collected(source))?
        .as_ref()
        .map_err(Clone::clone)?;
    entries.get(key).cloned().unwrap_or_else(|| {
        Err(DataError::NotAvailable(format!(
            "{} has no {scope} {key:?} in this scan",
            source.describe()
        )))
    })
}

fn regional<T: Clone>(
    outcome: &Collected<Regional<T>>,
    source: DataSource,
    region: &str,
) -> Outcome<T> {
    answer_for(outcome, source, region, "region")
}

fn not_collected(source: DataSource) -> DataError {
    DataError::NotAvailable(format!(
        "no data for {}: not collected in this scan (a snapshot taken without it?)",
        source.describe()
    ))
}

impl iam::Host for CheckState {
    fn credential_report(&mut self) -> Outcome<Vec<CredentialReportRow>> {
        answer(
            &self.data.snapshot.iam.credential_report,
            DataSource::CredentialReport,
        )
    }

    fn account_password_policy(&mut self) -> Outcome<Option<PasswordPolicy>> {
        answer(
            &self.data.snapshot.iam.password_policy,
            DataSource::PasswordPolicy,
        )
    }

    fn account_summary(&mut self) -> Outcome<Vec<SummaryEntry>> {
        answer(
            &self.data.snapshot.iam.account_summary,
            DataSource::AccountSummary,
        )
    }

    fn users(&mut self) -> Outcome<Vec<User>> {
        self.authorization_details()
            .map(|details| details.users.clone())
    }

    fn policies(&mut self) -> Outcome<Vec<ManagedPolicy>> {
        self.authorization_details()
            .map(|details| details.policies.clone())
    }

    fn entities_for_policy(&mut self, policy_arn: String) -> Outcome<PolicyEntities> {
        self.authorization_details()
            .map(|details| snapshot::entities_for_policy(details, &policy_arn))
    }

    fn virtual_mfa_devices(&mut self) -> Outcome<Vec<VirtualMfaDevice>> {
        answer(
            &self.data.snapshot.iam.virtual_mfa_devices,
            DataSource::VirtualMfaDevices,
        )
    }

    fn server_certificates(&mut self) -> Outcome<Vec<ServerCertificate>> {
        answer(
            &self.data.snapshot.iam.server_certificates,
            DataSource::ServerCertificates,
        )
    }

    fn roles(&mut self) -> Outcome<Vec<Role>> {
        self.authorization_details()
            .map(|details| details.roles.clone())
    }

    fn groups(&mut self) -> Outcome<Vec<Group>> {
        self.authorization_details()
            .map(|details| details.groups.clone())
    }

    fn saml_providers(&mut self) -> Outcome<Vec<SamlProvider>> {
        answer(
            &self.data.snapshot.iam.saml_providers,
            DataSource::SamlProviders,
        )
    }

    fn oidc_providers(&mut self) -> Outcome<Vec<OidcProvider>> {
        answer(
            &self.data.snapshot.iam.oidc_providers,
            DataSource::OidcProviders,
        )
    }

    fn organizations_features(&mut self) -> Outcome<Vec<String>> {
        answer(
            &self.data.snapshot.iam.organizations_features,
            DataSource::OrganizationsFeatures,
        )
    }
}

impl account::Host for CheckState {
    fn alternate_contact(
        &mut self,
        contact_type: AlternateContactType,
    ) -> Outcome<Option<Contact>> {
        let contacts = answer(
            &self.data.snapshot.account.alternate_contacts,
            DataSource::AlternateContacts,
        )?;
        match contact_type {
            AlternateContactType::Billing => contacts.billing,
            AlternateContactType::Operations => contacts.operations,
            AlternateContactType::Security => contacts.security,
        }
    }

    fn contact_information(&mut self) -> Outcome<Option<PrimaryContact>> {
        answer(
            &self.data.snapshot.account.contact_information,
            DataSource::ContactInformation,
        )
    }
}

impl access_analyzer::Host for CheckState {
    fn analyzers(&mut self, region: String) -> Outcome<Vec<Analyzer>> {
        regional(
            &self.data.snapshot.access_analyzer.analyzers,
            DataSource::AccessAnalyzers,
            &region,
        )
    }
}

impl ec2::Host for CheckState {
    fn instances(&mut self, region: String) -> Outcome<Vec<Instance>> {
        regional(
            &self.data.snapshot.ec2.instances,
            DataSource::Ec2Instances,
            &region,
        )
    }
}

impl organizations::Host for CheckState {
    fn organization(&mut self) -> Outcome<Option<OrganizationDetails>> {
        let data = &self.data.snapshot.organizations;
        answer(&data.organization, DataSource::Organization)
    }

    fn roots(&mut self) -> Outcome<Vec<Root>> {
        let data = &self.data.snapshot.organizations;
        answer(&data.roots, DataSource::OrganizationStructure)
    }

    fn organizational_units(&mut self) -> Outcome<Vec<OrganizationalUnit>> {
        let data = &self.data.snapshot.organizations;
        answer(
            &data.organizational_units,
            DataSource::OrganizationStructure,
        )
    }

    fn accounts(&mut self) -> Outcome<Vec<MemberAccount>> {
        let data = &self.data.snapshot.organizations;
        answer(&data.accounts, DataSource::OrganizationStructure)
    }

    fn policies(&mut self) -> Outcome<Vec<OrganizationPolicy>> {
        let data = &self.data.snapshot.organizations;
        answer(&data.policies, DataSource::OrganizationPolicies)
    }

    fn delegated_administrators(&mut self) -> Outcome<Vec<DelegatedAdministrator>> {
        let data = &self.data.snapshot.organizations;
        answer(
            &data.delegated_administrators,
            DataSource::DelegatedAdministrators,
        )
    }

    fn resource_policy(&mut self) -> Outcome<Option<String>> {
        let data = &self.data.snapshot.organizations;
        answer(
            &data.resource_policy,
            DataSource::OrganizationResourcePolicy,
        )
    }
}

impl s3::Host for CheckState {
    fn account_public_access_block(&mut self) -> Outcome<Option<PublicAccessBlock>> {
        answer(
            &self.data.snapshot.s3.account_public_access_block,
            DataSource::AccountPublicAccessBlock,
        )
    }

    fn buckets(&mut self) -> Outcome<Vec<Bucket>> {
        answer(&self.data.snapshot.s3.buckets, DataSource::Buckets)
    }

    fn bucket_public_access_block(&mut self, bucket: String) -> Outcome<Option<PublicAccessBlock>> {
        answer_for(
            &self.data.snapshot.s3.bucket_public_access_blocks,
            DataSource::BucketPublicAccessBlocks,
            &bucket,
            "bucket",
        )
    }
}

impl CheckState {
    fn authorization_details(&self) -> Outcome<&snapshot::AuthorizationDetails> {
        match &self.data.snapshot.iam.authorization_details {
            Some(outcome) => outcome.as_ref().map_err(Clone::clone),
            None => Err(not_collected(DataSource::AuthorizationDetails)),
        }
    }
}

/// A guest's stdout or stderr: kept in memory up to a bound, the rest
/// dropped (and marked), never an error the guest could trip over.
#[derive(Clone)]
pub struct CapturedOutput {
    inner: Arc<Mutex<Captured>>,
}

struct Captured {
    bytes: Vec<u8>,
    limit: usize,
    truncated: bool,
}

impl CapturedOutput {
    pub fn new(limit: usize) -> Self {
        CapturedOutput {
            inner: Arc::new(Mutex::new(Captured {
                bytes: Vec::new(),
                limit,
                truncated: false,
            })),
        }
    }

    /// What the guest wrote, lossily decoded, with a marker when cut.
    pub fn text(&self) -> String {
        let captured = self.inner.lock().expect("output lock");
        let mut text = String::from_utf8_lossy(&captured.bytes).into_owned();
        if captured.truncated {
            text.push_str("\n[output truncated]");
        }
        text
    }

    fn append(&self, bytes: &[u8]) {
        let mut captured = self.inner.lock().expect("output lock");
        let room = captured.limit.saturating_sub(captured.bytes.len());
        if bytes.len() > room {
            captured.truncated = true;
        }
        let kept = bytes.len().min(room);
        captured.bytes.extend_from_slice(&bytes[..kept]);
    }
}

impl IsTerminal for CapturedOutput {
    fn is_terminal(&self) -> bool {
        false
    }
}

impl StdoutStream for CapturedOutput {
    fn async_stream(&self) -> Box<dyn tokio::io::AsyncWrite + Send + Sync> {
        Box::new(self.clone())
    }

    fn p2_stream(&self) -> Box<dyn OutputStream> {
        Box::new(self.clone())
    }
}

impl OutputStream for CapturedOutput {
    fn write(&mut self, bytes: bytes::Bytes) -> StreamResult<()> {
        self.append(&bytes);
        Ok(())
    }

    fn flush(&mut self) -> StreamResult<()> {
        Ok(())
    }

    fn check_write(&mut self) -> Result<usize, StreamError> {
        Ok(64 * 1024)
    }
}

#[wasmtime_wasi::async_trait]
impl Pollable for CapturedOutput {
    async fn ready(&mut self) {}
}

impl tokio::io::AsyncWrite for CapturedOutput {
    fn poll_write(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
        bytes: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        self.append(bytes);
        std::task::Poll::Ready(Ok(bytes.len()))
    }

    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
}

impl ScanData {
    /// No account data: what `metadata` runs against at load time.
    pub fn empty() -> Self {
        ScanData {
            snapshot: Snapshot {
                format: snapshot::FORMAT.to_string(),
                account_id: String::new(),
                partition: String::new(),
                regions: Vec::new(),
                collected_at: crate::timefmt::format(0),
                iam: Default::default(),
                account: Default::default(),
                access_analyzer: Default::default(),
                ec2: Default::default(),
                organizations: Default::default(),
                s3: Default::default(),
            },
            now: 0,
        }
    }
}
