//! Where a pack comes from, and fetching it into a staging folder: the first
//! step of fetch -> stage -> verify -> activate. A source only ever writes
//! into the empty staging folder it is given; verification judges what it
//! wrote, whatever the source.

use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use super::oci;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A built pack folder on this machine.
    Folder(PathBuf),
    /// A `.tar.gz` file or an http(s) URL, optionally pinned by its sha256.
    Tarball {
        location: String,
        sha256: Option<String>,
    },
    /// A git repository at a tag, branch or commit (`git+URL#REF`).
    Git { url: String, reference: String },
    /// `oci://registry/repository:tag` or `@sha256:...`.
    Oci(oci::Reference),
    /// An OCI image layout folder written by `host pack export`
    /// (`oci-layout:DIR[:TAG]`, or a folder holding an `oci-layout` file).
    OciLayout { path: PathBuf, tag: Option<String> },
}

/// What a fetch resolved the source to.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The immutable thing that was fetched: a registry manifest digest, a
    /// git commit, a tarball's sha256; none for a local folder.
    pub resolved: Option<String>,
}

impl Source {
    pub fn parse(text: &str) -> anyhow::Result<Source> {
        if let Some(rest) = text.strip_prefix("oci://") {
            return Ok(Source::Oci(oci::Reference::parse(rest)?));
        }
        if let Some(rest) = text.strip_prefix("oci-layout:") {
            let (path, tag) = split_layout(rest);
            let path = absolute(&path)?;
            return Ok(Source::OciLayout { path, tag });
        }
        if let Some(rest) = text.strip_prefix("git+") {
            let Some((url, reference)) = rest.rsplit_once('#') else {
                bail!(
                    "{text:?}: a git source names the tag or commit to install after '#', \
                     e.g. git+https://example.com/acme/extra.git#v1.2.0"
                );
            };
            if reference.is_empty() || reference.starts_with('-') {
                bail!("{text:?}: {reference:?} is not a tag or commit");
            }
            return Ok(Source::Git {
                url: url.to_string(),
                reference: reference.to_string(),
            });
        }
        let (location, pin) = match text.split_once("#sha256=") {
            Some((location, pin)) => (location, Some(pin)),
            None => (text, None),
        };
        if let Some(pin) = pin
            && (pin.len() != 64 || !pin.chars().all(|c| c.is_ascii_hexdigit()))
        {
            bail!("{text:?}: the #sha256= pin must be 64 hex digits");
        }
        let remote = location.starts_with("https://") || location.starts_with("http://");
        if remote || location.ends_with(".tar.gz") || location.ends_with(".tgz") {
            let location = if remote {
                location.to_string()
            } else {
                absolute(Path::new(location))?.display().to_string()
            };
            return Ok(Source::Tarball {
                location,
                sha256: pin.map(str::to_ascii_lowercase),
            });
        }
        if pin.is_some() {
            bail!("{text:?}: a #sha256= pin applies to a tarball (.tar.gz) or URL, not a folder");
        }
        let path = absolute(Path::new(location))?;
        if path.join("oci-layout").is_file() {
            return Ok(Source::OciLayout { path, tag: None });
        }
        if path.is_dir() {
            return Ok(Source::Folder(path));
        }
        bail!(
            "{text:?} is not a pack source: give a built pack folder, a .tar.gz file or URL, \
             git+URL#REF, oci://registry/repository:tag or oci-layout:DIR"
        )
    }

    /// Whether the pack comes from somewhere other than this machine, and so
    /// must be signed by a trusted key unless the user says otherwise.
    pub fn is_remote(&self) -> bool {
        match self {
            Source::Folder(_) | Source::OciLayout { .. } => false,
            Source::Tarball { location, .. } => location.contains("://"),
            Source::Git { url, .. } => !url.starts_with("file://") && !Path::new(url).exists(),
            Source::Oci(_) => true,
        }
    }

    /// Writes the pack's files into `staging` (an empty folder).
    pub fn fetch(&self, staging: &Path) -> anyhow::Result<Fetched> {
        match self {
            Source::Folder(path) => {
                super::stage::copy_folder(path, staging)?;
                Ok(Fetched { resolved: None })
            }
            Source::Tarball { location, sha256 } => {
                let digest = super::tarball::fetch(location, sha256.as_deref(), staging)?;
                Ok(Fetched {
                    resolved: Some(format!("sha256:{digest}")),
                })
            }
            Source::Git { url, reference } => {
                let commit = super::git::fetch(url, reference, staging)?;
                Ok(Fetched {
                    resolved: Some(commit),
                })
            }
            Source::Oci(reference) => {
                let digest = oci::fetch(reference, staging)
                    .with_context(|| format!("cannot fetch {self}"))?;
                Ok(Fetched {
                    resolved: Some(digest),
                })
            }
            Source::OciLayout { path, tag } => {
                let digest = oci::fetch_layout(path, tag.as_deref(), staging)
                    .with_context(|| format!("cannot read {self}"))?;
                Ok(Fetched {
                    resolved: Some(digest),
                })
            }
        }
    }
}

/// The full path of a local source, so the lock file names it wherever the
/// next command runs from.
fn absolute(path: &Path) -> anyhow::Result<PathBuf> {
    std::fs::canonicalize(path).with_context(|| format!("{} does not exist", path.display()))
}

/// `DIR[:TAG]`, where a `:` that is part of the path (a Windows drive) is
/// not a tag because a tag holds no `/`.
fn split_layout(text: &str) -> (PathBuf, Option<String>) {
    match text.rsplit_once(':') {
        Some((path, tag)) if !tag.is_empty() && !tag.contains('/') && !path.is_empty() => {
            (PathBuf::from(path), Some(tag.to_string()))
        }
        _ => (PathBuf::from(text), None),
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Folder(path) => write!(f, "{}", path.display()),
            Source::Tarball { location, sha256 } => match sha256 {
                Some(pin) => write!(f, "{location}#sha256={pin}"),
                None => write!(f, "{location}"),
            },
            Source::Git { url, reference } => write!(f, "git+{url}#{reference}"),
            Source::Oci(reference) => write!(f, "oci://{reference}"),
            Source::OciLayout { path, tag } => match tag {
                Some(tag) => write!(f, "oci-layout:{}:{tag}", path.display()),
                None => write!(f, "oci-layout:{}", path.display()),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_told_apart_by_their_form() {
        assert!(matches!(
            Source::parse("git+file:///srv/extra.git#v1.0.0").unwrap(),
            Source::Git { reference, .. } if reference == "v1.0.0"
        ));
        let pinned = format!("https://example.com/extra.tar.gz#sha256={}", "A".repeat(64));
        assert!(matches!(
            Source::parse(&pinned).unwrap(),
            Source::Tarball { sha256: Some(pin), .. } if pin == "a".repeat(64)
        ));
        assert!(Source::parse("https://example.com/x.tgz#sha256=123").is_err());
        assert!(Source::parse("git+https://example.com/x.git").is_err());
        assert!(matches!(
            Source::parse("oci-layout:/:1.2.0").unwrap(),
            Source::OciLayout { tag: Some(tag), .. } if tag == "1.2.0"
        ));
    }
}
