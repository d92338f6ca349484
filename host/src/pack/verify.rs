//! Verification of a staged pack, the same for every source: the manifest,
//! then the exact file set and every hash, then the signature, and only then
//! the components (loading one runs its `metadata` export, in the sandbox,
//! so nothing of an untrusted pack runs before its signature is judged).

use std::path::Path;

use anyhow::{Context, bail};

use super::manifest::{self, Manifest};
use super::signature::Signature;
use super::stage;
use super::trust::{Signer, TrustStore};
use crate::bindings::{API_PACKAGE, API_VERSION};
use crate::runtime::{LoadedCheck, Origin, Runtime};

pub struct Verifier<'a> {
    pub trust: &'a TrustStore,
    pub runtime: &'a Runtime,
    pub allow_unsigned: bool,
}

pub struct VerifiedPack {
    pub manifest: Manifest,
    /// sha256 of the manifest's bytes: the pack's identity.
    pub digest: String,
    pub signer: Signer,
    pub checks: Vec<LoadedCheck>,
}

impl VerifiedPack {
    /// The immutable folder name an install of this pack gets.
    pub fn folder_name(&self) -> String {
        format!("{}-{}", self.manifest.pack.version, &self.digest[..12])
    }
}

impl Verifier<'_> {
    /// Verifies the pack staged in `staged`, fetched from `source` (shown in
    /// provenance; `remote` decides whether it must be signed).
    pub fn verify(
        &self,
        staged: &Path,
        source: &str,
        remote: bool,
    ) -> anyhow::Result<VerifiedPack> {
        let (manifest, bytes) = Manifest::read(staged)?;
        let name = &manifest.pack.name;
        let context = || format!("pack {name} {}", manifest.pack.version);
        stage::check_files(staged, &manifest).with_context(context)?;
        let signatures = Signature::read_all(staged).with_context(context)?;
        let signer = self
            .trust
            .judge(name, &bytes, &signatures, remote, self.allow_unsigned)
            .with_context(context)?;
        let host_version = semver::Version::parse(API_VERSION).expect("host API version is semver");
        if !manifest.pack.api.matches(&host_version) {
            bail!(
                "pack {name} {} needs {API_PACKAGE} {}, and this host provides {host_version}: \
                 install a version of the pack made for this host, or a newer host",
                manifest.pack.version,
                manifest.pack.api
            );
        }
        let digest = manifest::sha256_hex(&bytes);
        let mut checks = Vec::with_capacity(manifest.checks.len());
        for entry in &manifest.checks {
            let path = staged.join(&entry.component);
            let component =
                std::fs::read(&path).with_context(|| format!("cannot read {}", entry.component))?;
            let origin = Origin::Pack {
                pack: name.to_string(),
                version: manifest.pack.version.to_string(),
                digest: format!("sha256:{digest}"),
                signer: signer.to_string(),
                source: source.to_string(),
            };
            let check = self
                .runtime
                .load_component(&path, &component, origin)
                .with_context(|| {
                    format!("pack {name}: check {} ({})", entry.id, entry.component)
                })?;
            if check.metadata.id != entry.id {
                bail!(
                    "pack {name}: the manifest says {} is the check {:?}, but the component \
                     declares the id {:?}",
                    entry.component,
                    entry.id,
                    check.metadata.id
                );
            }
            if !manifest.pack.api.matches(&check.contract.api_version) {
                bail!(
                    "pack {name}: check {} is built against {API_PACKAGE}@{}, outside the range \
                     {} its manifest declares; rebuild the pack with `host pack build`",
                    entry.id,
                    check.contract.api_version,
                    manifest.pack.api
                );
            }
            checks.push(check);
        }
        crate::runtime::ensure_unique_ids(&checks)?;
        Ok(VerifiedPack {
            manifest,
            digest,
            signer,
            checks,
        })
    }
}
