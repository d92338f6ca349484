//! Packs as OCI artifacts: publish to a registry, fetch from one, and export
//! to / read from an OCI image layout folder for air-gapped machines.
//!
//! PLACEHOLDER SIGNATURES: implemented by the OCI work (see the pack issue).

use std::fmt;
use std::path::Path;

/// `registry[:port]/repository[:tag|@sha256:digest]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub registry: String,
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl Reference {
    pub fn parse(_text: &str) -> anyhow::Result<Reference> {
        anyhow::bail!("OCI references are not implemented yet")
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.registry, self.repository)?;
        if let Some(tag) = &self.tag {
            write!(f, ":{tag}")?;
        }
        if let Some(digest) = &self.digest {
            write!(f, "@{digest}")?;
        }
        Ok(())
    }
}

/// Downloads the artifact into `staging`; returns the manifest digest.
pub fn fetch(_reference: &Reference, _staging: &Path) -> anyhow::Result<String> {
    anyhow::bail!("OCI fetch is not implemented yet")
}

/// Reads the artifact tagged `tag` (default: the only one) from a layout.
pub fn fetch_layout(_layout: &Path, _tag: Option<&str>, _staging: &Path) -> anyhow::Result<String> {
    anyhow::bail!("OCI layouts are not implemented yet")
}

pub struct Published {
    pub digest: String,
    pub tags: Vec<String>,
}

pub fn publish(_pack: &Path, _reference: &Reference) -> anyhow::Result<Published> {
    anyhow::bail!("OCI publish is not implemented yet")
}

pub fn tags(_reference: &Reference) -> anyhow::Result<Vec<String>> {
    anyhow::bail!("OCI tags are not implemented yet")
}

pub fn export_layout(_pack: &Path, _out: &Path) -> anyhow::Result<String> {
    anyhow::bail!("OCI layouts are not implemented yet")
}
