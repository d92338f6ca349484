//! `plumbline-pack.toml`: what a pack is. The built manifest names the pack,
//! the `plumbline:check` API range it needs, its checks and the sha256 and
//! size of every file; signatures are made over its exact bytes, so the
//! manifest's own sha256 is the pack's identity wherever it travels (folder,
//! tarball, git, OCI registry, OCI layout).

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Component, Path};
use std::str::FromStr;

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};

pub const MANIFEST_FILE: &str = "plumbline-pack.toml";
/// A minisign signature over the manifest's bytes.
pub const MINISIGN_SIGNATURE_FILE: &str = "plumbline-pack.toml.minisig";
/// An OpenSSH (`ssh-keygen -Y sign -n plumbline-pack`) signature over them.
pub const SSH_SIGNATURE_FILE: &str = "plumbline-pack.toml.sig";

/// Files a pack holds besides the ones its manifest lists.
pub const UNLISTED_FILES: [&str; 3] = [MANIFEST_FILE, MINISIGN_SIGNATURE_FILE, SSH_SIGNATURE_FILE];

/// Bounds that keep a hostile pack from filling the disk or memory before its
/// hashes are even checked. A first-party check component is under 1 MiB.
pub mod limits {
    pub const MANIFEST_BYTES: u64 = 1024 * 1024;
    pub const SIGNATURE_BYTES: u64 = 16 * 1024;
    pub const FILE_BYTES: u64 = 64 * 1024 * 1024;
    pub const PACK_BYTES: u64 = 512 * 1024 * 1024;
    pub const FILES: usize = 4096;
    pub const PATH_BYTES: usize = 255;
}

/// `publisher/pack`: lower-case ASCII letters, digits and `-`, each part
/// starting with a letter or digit.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PackName {
    publisher: String,
    pack: String,
}

impl PackName {
    pub fn publisher(&self) -> &str {
        &self.publisher
    }

    pub fn pack(&self) -> &str {
        &self.pack
    }
}

impl FromStr for PackName {
    type Err = anyhow::Error;

    fn from_str(text: &str) -> anyhow::Result<Self> {
        let valid_part = |part: &str| {
            !part.is_empty()
                && part.len() <= 64
                && part.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        };
        match text.split_once('/') {
            Some((publisher, pack)) if valid_part(publisher) && valid_part(pack) => Ok(PackName {
                publisher: publisher.to_string(),
                pack: pack.to_string(),
            }),
            _ => bail!(
                "{text:?} is not a pack name: it must be publisher/pack, each part lower-case \
                 letters, digits and '-' (e.g. acme/s3-extra)"
            ),
        }
    }
}

impl TryFrom<String> for PackName {
    type Error = anyhow::Error;
    fn try_from(text: String) -> anyhow::Result<Self> {
        text.parse()
    }
}

impl From<PackName> for String {
    fn from(name: PackName) -> String {
        name.to_string()
    }
}

impl fmt::Display for PackName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.publisher, self.pack)
    }
}

/// The built manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub pack: PackInfo,
    #[serde(rename = "check", default)]
    pub checks: Vec<CheckEntry>,
    #[serde(rename = "file", default)]
    pub files: Vec<FileEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackInfo {
    pub name: PackName,
    pub version: semver::Version,
    pub description: String,
    pub license: String,
    #[serde(default)]
    pub authors: Vec<String>,
    /// Where the pack's sources live (a URL), shown to users; not fetched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The `plumbline:check` versions the pack's components need, e.g. `^1.4`.
    pub api: semver::VersionReq,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckEntry {
    pub id: String,
    /// The component's path in the pack (one of the listed files).
    pub component: String,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileEntry {
    pub path: String,
    pub sha256: String,
    pub size: u64,
}

impl Manifest {
    /// Parses and validates a built manifest: every rule that does not need
    /// the files themselves.
    pub fn parse(text: &str) -> anyhow::Result<Manifest> {
        let manifest: Manifest =
            toml::from_str(text).context("it is not a valid plumbline-pack.toml")?;
        manifest.validate()?;
        Ok(manifest)
    }

    pub fn read(directory: &Path) -> anyhow::Result<(Manifest, Vec<u8>)> {
        let path = directory.join(MANIFEST_FILE);
        let bytes = read_bounded(&path, limits::MANIFEST_BYTES)?;
        let text = std::str::from_utf8(&bytes)
            .with_context(|| format!("{} is not UTF-8", path.display()))?;
        let manifest = Manifest::parse(text).with_context(|| format!("in {}", path.display()))?;
        Ok((manifest, bytes))
    }

    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).expect("a manifest serializes")
    }

    fn validate(&self) -> anyhow::Result<()> {
        if self.files.len() > limits::FILES {
            bail!(
                "it lists {} files; a pack may hold at most {}",
                self.files.len(),
                limits::FILES
            );
        }
        let mut paths = BTreeSet::new();
        let mut total = 0u64;
        for file in &self.files {
            check_relative_path(&file.path)?;
            if UNLISTED_FILES.contains(&file.path.as_str()) {
                bail!(
                    "it lists {} as a file; the manifest and its signatures are never listed",
                    file.path
                );
            }
            // Case-insensitive, so a pack cannot hold two files that are one
            // file on macOS or Windows.
            if !paths.insert(file.path.to_lowercase()) {
                bail!("it lists the file {} twice", file.path);
            }
            if file.sha256.len() != 64
                || !file
                    .sha256
                    .chars()
                    .all(|c| matches!(c, '0'..='9' | 'a'..='f'))
            {
                bail!(
                    "file {}: sha256 {:?} is not 64 lower-case hex digits",
                    file.path,
                    file.sha256
                );
            }
            if file.size > limits::FILE_BYTES {
                bail!(
                    "file {} is {} bytes; the limit is {}",
                    file.path,
                    file.size,
                    limits::FILE_BYTES
                );
            }
            total += file.size;
        }
        if total > limits::PACK_BYTES {
            bail!(
                "its files add up to {total} bytes; the limit is {}",
                limits::PACK_BYTES
            );
        }
        if self.checks.is_empty() {
            bail!("it declares no checks");
        }
        let mut ids = BTreeSet::new();
        for check in &self.checks {
            if !ids.insert(check.id.as_str()) {
                bail!("it declares the check {} twice", check.id);
            }
            if !self.files.iter().any(|file| file.path == check.component) {
                bail!(
                    "check {}: its component {} is not among the listed files",
                    check.id,
                    check.component
                );
            }
        }
        Ok(())
    }

    pub fn file(&self, path: &str) -> Option<&FileEntry> {
        self.files.iter().find(|file| file.path == path)
    }
}

/// A path inside a pack: relative, `/`-separated, no `..`, `.`, empty or
/// absolute parts, no backslashes or control characters, bounded length.
pub fn check_relative_path(path: &str) -> anyhow::Result<()> {
    let problem = if path.is_empty() {
        Some("it is empty")
    } else if path.len() > limits::PATH_BYTES {
        Some("it is too long")
    } else if path.starts_with('/') || Path::new(path).is_absolute() {
        Some("it is absolute")
    } else if path.contains('\\') {
        Some("it contains a backslash")
    } else if path.chars().any(char::is_control) {
        Some("it contains a control character")
    } else if path
        .split('/')
        .any(|part| part.is_empty() || part == "." || part == "..")
        || Path::new(path)
            .components()
            .any(|part| !matches!(part, Component::Normal(_)))
    {
        Some("it has an empty, `.` or `..` part")
    } else {
        None
    };
    match problem {
        Some(problem) => bail!("the path {path:?} is not allowed in a pack: {problem}"),
        None => Ok(()),
    }
}

/// Reads a file that must not be larger than `limit` without reading more.
pub fn read_bounded(path: &Path, limit: u64) -> anyhow::Result<Vec<u8>> {
    use std::io::Read;
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {}", path.display()))?;
    if bytes.len() as u64 > limit {
        bail!(
            "{} is larger than the limit of {limit} bytes",
            path.display()
        );
    }
    Ok(bytes)
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pack_names_are_publisher_slash_pack() {
        assert_eq!(
            "acme/s3-extra".parse::<PackName>().unwrap().publisher(),
            "acme"
        );
        for bad in [
            "acme", "Acme/x", "acme/x/y", "/x", "acme/-x", "acme/x y", "",
        ] {
            assert!(bad.parse::<PackName>().is_err(), "{bad}");
        }
    }

    #[test]
    fn pack_paths_stay_inside_the_pack() {
        assert!(check_relative_path("checks/a.wasm").is_ok());
        for bad in [
            "../a",
            "a/../b",
            "/etc/passwd",
            "a//b",
            "./a",
            "a\\b",
            "",
            "a/\u{1b}",
        ] {
            assert!(check_relative_path(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_manifest_round_trips_and_refuses_duplicates() {
        let text = r#"
[pack]
name = "acme/extra"
version = "1.2.0"
description = "Extra checks"
license = "MIT"
api = "^1.4"

[[check]]
id = "acme-one"
component = "checks/acme-one.wasm"

[[file]]
path = "checks/acme-one.wasm"
sha256 = "0000000000000000000000000000000000000000000000000000000000000000"
size = 10
"#;
        let manifest = Manifest::parse(text).unwrap();
        assert_eq!(Manifest::parse(&manifest.to_toml()).unwrap(), manifest);
        let twice = text.replace("[[check]]", "[[file]]\npath = \"checks/ACME-one.wasm\"\nsha256 = \"0000000000000000000000000000000000000000000000000000000000000000\"\nsize = 1\n\n[[check]]");
        let error = format!("{:#}", Manifest::parse(&twice).unwrap_err());
        assert!(error.contains("twice"), "{error}");
    }
}
