//! Packs as `.tar.gz` files or URLs, and the one tar extractor (git sources
//! use it too). The archive holds the built pack's files at its root
//! (`tar czf extra-1.2.0.tar.gz -C dist .`). Extraction writes only regular
//! files, at checked relative paths, within the pack size limits: links,
//! devices, `..` and absolute names refuse the archive.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;

use anyhow::{Context, bail};

use super::manifest::{self, check_relative_path, limits};

/// Bytes a downloaded or read archive may have: the packed files plus tar's
/// per-file headers, compressed.
const ARCHIVE_BYTES: u64 = limits::PACK_BYTES + 16 * 1024 * 1024;

/// Reads the tarball at `location` (a path or an http(s) URL), checks the
/// optional sha256 pin, and extracts it into `staging`; returns its sha256.
pub fn fetch(location: &str, pin: Option<&str>, staging: &Path) -> anyhow::Result<String> {
    let bytes = if location.starts_with("https://") || location.starts_with("http://") {
        download(location)?
    } else {
        manifest::read_bounded(Path::new(location), ARCHIVE_BYTES)?
    };
    let digest = manifest::sha256_hex(&bytes);
    if let Some(pin) = pin
        && pin != digest
    {
        bail!(
            "{location} has sha256 {digest}, not the pinned {pin}: the file changed since the pin \
             was written, or it is not the file you meant"
        );
    }
    extract(flate2::read::GzDecoder::new(bytes.as_slice()), staging)
        .with_context(|| format!("{location} is not a valid pack archive"))?;
    Ok(digest)
}

fn download(url: &str) -> anyhow::Result<Vec<u8>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let mut response = reqwest::get(url)
            .await
            .with_context(|| format!("cannot download {url}"))?;
        if !response.status().is_success() {
            bail!(
                "cannot download {url}: the server answered {}",
                response.status()
            );
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .with_context(|| format!("the download of {url} broke off"))?
        {
            bytes.extend_from_slice(&chunk);
            if bytes.len() as u64 > ARCHIVE_BYTES {
                bail!("{url} is larger than the limit of {ARCHIVE_BYTES} bytes for a pack archive");
            }
        }
        Ok(bytes)
    })
}

/// Extracts an uncompressed tar stream into `staging`.
pub fn extract(reader: impl Read, staging: &Path) -> anyhow::Result<()> {
    let mut archive = tar::Archive::new(reader);
    let mut seen = BTreeSet::new();
    let mut total = 0u64;
    for entry in archive.entries().context("cannot read the archive")? {
        let mut entry = entry.context("cannot read the archive")?;
        let raw_path = entry.path_bytes();
        let name = String::from_utf8(raw_path.into_owned())
            .map_err(|_| anyhow::anyhow!("an entry's name is not UTF-8"))?;
        let name = name
            .trim_start_matches("./")
            .trim_end_matches('/')
            .to_string();
        let kind = entry.header().entry_type();
        if kind.is_pax_global_extensions() || kind.is_pax_local_extensions() {
            continue;
        }
        if name.is_empty() || name == "." {
            continue;
        }
        check_relative_path(&name)?;
        if kind.is_dir() {
            continue;
        }
        if kind.is_symlink() || kind.is_hard_link() {
            bail!("{name} is a link; a pack holds only regular files");
        }
        if !kind.is_file() {
            bail!("{name} is not a regular file");
        }
        if !seen.insert(name.to_lowercase()) {
            bail!("the archive holds {name} twice");
        }
        if seen.len() > limits::FILES + manifest::UNLISTED_FILES.len() {
            bail!("the archive holds more than {} files", limits::FILES);
        }
        let size = entry.header().size().context("an entry has no size")?;
        if size > limits::FILE_BYTES {
            bail!(
                "{name} is {size} bytes; the limit for a pack file is {}",
                limits::FILE_BYTES
            );
        }
        total += size;
        if total > limits::PACK_BYTES {
            bail!("its files add up to more than {} bytes", limits::PACK_BYTES);
        }
        let target = staging.join(&name);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let mut content = Vec::with_capacity(size as usize);
        (&mut entry)
            .take(size)
            .read_to_end(&mut content)
            .with_context(|| format!("cannot read {name}"))?;
        std::fs::write(&target, content).with_context(|| format!("cannot write {name}"))?;
    }
    Ok(())
}
