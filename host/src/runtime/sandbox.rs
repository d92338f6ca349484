//! What a check sees inside its store: the scan data through the WIT imports,
//! WASI with nothing granted (no preopened directories, no sockets, no
//! environment, no inherited stdio), bounded captured output and a memory cap.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use wasmtime::component::{Linker, ResourceTable};
use wasmtime::{StoreContextMut, StoreLimits};
use wasmtime_wasi::cli::{IsTerminal, StdoutStream};
use wasmtime_wasi::p2::{OutputStream, Pollable, StreamError, StreamResult};
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

use crate::bindings::types::Timestamp;
use crate::bindings::{API_PACKAGE, API_VERSION};
use crate::registry::{self, DataStore};
use crate::snapshot::Snapshot;

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
    reads: Reads,
}

/// The `reads` contract of one call into a check.
pub enum Reads {
    /// `metadata`: the check may declare what it reads (`reads.declare`),
    /// and may read no data.
    Declaring(Option<Vec<String>>),
    /// `evaluate`: the check may call these data functions
    /// (`interface.function`), or every function it imports when `None`.
    Enforcing(Option<Arc<BTreeSet<String>>>),
}

impl CheckState {
    pub fn new(
        data: Arc<ScanData>,
        limits: StoreLimits,
        stdout: CapturedOutput,
        stderr: CapturedOutput,
        reads: Reads,
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
            reads,
        }
    }

    /// What the check declared with `reads.declare` during `metadata`.
    pub fn into_declared_reads(self) -> Option<Vec<String>> {
        match self.reads {
            Reads::Declaring(declared) => declared,
            Reads::Enforcing(_) => None,
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

impl CheckState {
    /// The collected data that answers `interface.function`, if the check
    /// may call it. A call outside its declared reads is an error that
    /// stops the check: the host did not collect for it, and a silent
    /// "not available" could be mistaken for an answer.
    pub fn collected_for(&self, interface: &str, function: &str) -> wasmtime::Result<&DataStore> {
        match &self.reads {
            // A handful of names: a scan without a string built per call.
            Reads::Enforcing(Some(allowed))
                if !allowed
                    .iter()
                    .any(|name| name.split_once('.') == Some((interface, function))) =>
            {
                Err(wasmtime::format_err!(
                    "called {interface}.{function}, which it did not declare with reads.declare \
                     (it declared: {}); add it to the declaration in its metadata",
                    allowed.iter().cloned().collect::<Vec<_>>().join(", ")
                ))
            }
            Reads::Declaring(_) => Err(wasmtime::format_err!(
                "called {interface}.{function} from metadata, which must not read scan data"
            )),
            _ => Ok(&self.data.snapshot.data),
        }
    }
}

/// Defines every `plumbline:check` import a check may have: the scan
/// context, and each service's data functions from the registry. A component
/// built against an older minor version finds them too (the linker matches
/// semver-compatible names).
pub fn link(linker: &mut Linker<CheckState>) -> wasmtime::Result<()> {
    let name = |interface: &str| format!("{API_PACKAGE}/{interface}@{API_VERSION}");
    // Types only; interfaces that `use` them import it.
    linker.instance(&name("types"))?;
    let mut scan = linker.instance(&name("scan"))?;
    scan.func_wrap(
        "account-id",
        |store: StoreContextMut<'_, CheckState>, (): ()| {
            Ok((store.data().data.snapshot.account_id.clone(),))
        },
    )?;
    scan.func_wrap(
        "partition",
        |store: StoreContextMut<'_, CheckState>, (): ()| {
            Ok((store.data().data.snapshot.partition.clone(),))
        },
    )?;
    scan.func_wrap(
        "regions",
        |store: StoreContextMut<'_, CheckState>, (): ()| {
            Ok((store.data().data.snapshot.regions.clone(),))
        },
    )?;
    scan.func_wrap("now", |store: StoreContextMut<'_, CheckState>, (): ()| {
        Ok((store.data().data.now,))
    })?;
    let mut reads = linker.instance(&name("reads"))?;
    reads.func_wrap(
        "declare",
        |mut store: StoreContextMut<'_, CheckState>, (functions,): (Vec<String>,)| match &mut store
            .data_mut()
            .reads
        {
            Reads::Declaring(declared @ None) => {
                *declared = Some(functions);
                Ok(())
            }
            Reads::Declaring(Some(_)) => Err(wasmtime::format_err!(
                "called reads.declare twice; declare every function in one call"
            )),
            Reads::Enforcing(_) => Err(wasmtime::format_err!(
                "called reads.declare from evaluate; call it from metadata"
            )),
        },
    )?;
    for service in registry::services() {
        let mut instance = linker.instance(&name(service.interface))?;
        for set in service.data_sets {
            set.link(&mut instance)?;
        }
    }
    Ok(())
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
            snapshot: Snapshot::empty(),
            now: 0,
        }
    }
}
