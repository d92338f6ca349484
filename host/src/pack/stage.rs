//! Staging: the files a source fetched, in a private folder next to the
//! installed packs, judged before anything is activated.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use super::manifest::{self, Manifest, UNLISTED_FILES, check_relative_path, limits};

/// Copies a built pack folder's regular files into `staging`. A symbolic
/// link anywhere refuses the copy: a pack is plain files, and following a
/// link could read anything on the machine into it.
pub fn copy_folder(from: &Path, staging: &Path) -> anyhow::Result<()> {
    for (relative, path) in walk(from)? {
        let target = staging.join(&relative);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::copy(&path, &target).with_context(|| format!("cannot copy {}", path.display()))?;
    }
    Ok(())
}

/// Every regular file under `root` by its `/`-separated relative path.
/// Refuses symbolic links and other special files, unreadable names, and
/// more files than a pack may hold.
pub fn walk(root: &Path) -> anyhow::Result<BTreeMap<String, PathBuf>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries =
            std::fs::read_dir(&dir).with_context(|| format!("cannot list {}", dir.display()))?;
        for entry in entries {
            let path = entry?.path();
            let relative = relative_name(root, &path)?;
            let kind = std::fs::symlink_metadata(&path)
                .with_context(|| format!("cannot read {}", path.display()))?
                .file_type();
            if kind.is_symlink() {
                bail!("{relative} is a symbolic link; a pack holds only regular files");
            } else if kind.is_dir() {
                pending.push(path);
            } else if kind.is_file() {
                files.insert(relative, path);
                if files.len() > limits::FILES + UNLISTED_FILES.len() {
                    bail!("it holds more than {} files", limits::FILES);
                }
            } else {
                bail!("{relative} is not a regular file");
            }
        }
    }
    Ok(files)
}

fn relative_name(root: &Path, path: &Path) -> anyhow::Result<String> {
    let relative = path.strip_prefix(root).expect("walked under the root");
    let parts: Option<Vec<&str>> = relative.iter().map(|part| part.to_str()).collect();
    match parts {
        Some(parts) => Ok(parts.join("/")),
        None => bail!("{} has a name that is not UTF-8", path.display()),
    }
}

/// Checks that the staged files are exactly the manifest's: nothing extra,
/// nothing missing, every size and sha256 as listed, every path allowed.
pub fn check_files(staged: &Path, manifest: &Manifest) -> anyhow::Result<()> {
    let found = walk(staged)?;
    for relative in found.keys() {
        check_relative_path(relative)?;
        if manifest.file(relative).is_none() && !UNLISTED_FILES.contains(&relative.as_str()) {
            bail!(
                "it holds the file {relative}, which its manifest does not list: a pack's files must \
                 be exactly the manifest's (rebuild it with `host pack build`)"
            );
        }
    }
    for file in &manifest.files {
        let Some(path) = found.get(&file.path) else {
            bail!("the file {} that its manifest lists is missing", file.path);
        };
        let bytes = manifest::read_bounded(path, limits::FILE_BYTES)?;
        if bytes.len() as u64 != file.size {
            bail!(
                "{} is {} bytes but its manifest says {}: the file was changed after the pack was built",
                file.path,
                bytes.len(),
                file.size
            );
        }
        let actual = manifest::sha256_hex(&bytes);
        if actual != file.sha256 {
            bail!(
                "{} has sha256 {actual} but its manifest says {}: the file was changed after the \
                 pack was built",
                file.path,
                file.sha256
            );
        }
    }
    Ok(())
}
