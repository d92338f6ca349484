//! Installed packs: immutable `publisher/pack/version-digest` folders under
//! the packs directory, and the lock file that says which are installed.
//! Every change happens under an exclusive file lock; a pack's folder is
//! moved into place by one rename from the staging area, and the lock file
//! is replaced by one rename, so an install that fails or is killed leaves
//! the previous state as it was (at most an unfinished staging folder,
//! removed by the next install).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};

use super::manifest::PackName;
use super::trust::Signer;

const LOCK_FILE: &str = "plumbline.lock";
const MUTEX_FILE: &str = ".lock";
const STAGING_DIR: &str = ".staging";
const LOCK_FORMAT: u32 = 1;

/// The lock file of the packs directory `root`.
pub fn lock_path(root: &Path) -> PathBuf {
    root.join(LOCK_FILE)
}

/// The XDG data directory's packs folder, unless the user names one.
pub fn default_packs_dir() -> PathBuf {
    xdg_dir("XDG_DATA_HOME", ".local/share").join("plumbline/packs")
}

/// Where the trust store and config file live, unless the user names it.
pub fn default_config_dir() -> PathBuf {
    xdg_dir("XDG_CONFIG_HOME", ".config").join("plumbline")
}

fn xdg_dir(variable: &str, fallback: &str) -> PathBuf {
    match std::env::var_os(variable).filter(|value| !value.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => std::env::var_os("HOME")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("."))
            .join(fallback),
    }
}

/// One installed pack, as the lock file records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockedPack {
    pub name: PackName,
    pub version: semver::Version,
    /// The source it was installed from, as the user gave it.
    pub source: String,
    /// What the source resolved to: a registry digest, a git commit, a
    /// tarball's sha256 (none for a local folder).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved: Option<String>,
    /// sha256 of the pack manifest, which pins every file.
    pub manifest_sha256: String,
    pub signer: Signer,
    /// The installed folder, relative to the packs directory.
    pub path: String,
}

#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockFile {
    pub format: u32,
    #[serde(rename = "pack", default)]
    pub packs: Vec<LockedPack>,
}

impl LockFile {
    pub fn read(path: &Path) -> anyhow::Result<LockFile> {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let lock: LockFile = toml::from_str(&text)
                    .with_context(|| format!("{} is not a valid lock file", path.display()))?;
                if lock.format != LOCK_FORMAT {
                    bail!(
                        "{} has lock format {}; this host reads format {LOCK_FORMAT}",
                        path.display(),
                        lock.format
                    );
                }
                Ok(lock)
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(LockFile {
                format: LOCK_FORMAT,
                packs: Vec::new(),
            }),
            Err(error) => Err(error).with_context(|| format!("cannot read {}", path.display())),
        }
    }

    pub fn write(&self, path: &Path) -> anyhow::Result<()> {
        let text = format!(
            "# Installed Plumbline check packs, written by `host pack install`.\n\
             # `host pack install --locked` reproduces exactly this set or fails naming the drift.\n{}",
            toml::to_string_pretty(self).expect("the lock file serializes")
        );
        crate::report::write_atomically(path, text.as_bytes())
    }

    pub fn find(&self, name: &PackName) -> Option<&LockedPack> {
        self.packs.iter().find(|pack| &pack.name == name)
    }

    /// Records `pack`, replacing any other version of it.
    pub fn put(&mut self, pack: LockedPack) {
        self.packs.retain(|existing| existing.name != pack.name);
        self.packs.push(pack);
        self.packs.sort_by(|a, b| a.name.cmp(&b.name));
    }
}

/// The packs directory, opened under its exclusive lock for as long as this
/// value lives (other `host` processes wait).
pub struct Store {
    root: PathBuf,
    lock_path: PathBuf,
    stagings: AtomicUsize,
    _mutex: std::fs::File,
}

impl Store {
    pub fn open(root: &Path) -> anyhow::Result<Store> {
        std::fs::create_dir_all(root)
            .with_context(|| format!("cannot create the packs directory {}", root.display()))?;
        let mutex = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(root.join(MUTEX_FILE))
            .with_context(|| format!("cannot open the lock of {}", root.display()))?;
        mutex
            .lock()
            .with_context(|| format!("cannot lock {}", root.display()))?;
        // Leftovers of installs that were killed: nothing else writes there
        // while we hold the lock.
        let staging = root.join(STAGING_DIR);
        if staging.exists() {
            std::fs::remove_dir_all(&staging)
                .with_context(|| format!("cannot clean {}", staging.display()))?;
        }
        Ok(Store {
            root: root.to_path_buf(),
            lock_path: lock_path(root),
            stagings: AtomicUsize::new(0),
            _mutex: mutex,
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn lock_file(&self) -> anyhow::Result<LockFile> {
        LockFile::read(&self.lock_path)
    }

    /// A new, empty staging folder.
    pub fn staging(&self) -> anyhow::Result<Staging> {
        let number = self.stagings.fetch_add(1, Ordering::Relaxed);
        let path = self.root.join(STAGING_DIR).join(number.to_string());
        std::fs::create_dir_all(&path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        Ok(Staging { path })
    }

    /// Moves a verified staging folder to its immutable place; a folder
    /// already there holds the same manifest digest, so it is kept.
    pub fn activate(&self, staging: Staging, relative: &str) -> anyhow::Result<PathBuf> {
        let target = self.root.join(relative);
        if target.exists() {
            return Ok(target);
        }
        let parent = target.parent().expect("a pack folder has a parent");
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        std::fs::rename(&staging.path, &target)
            .with_context(|| format!("cannot move the pack into {}", target.display()))?;
        Ok(target)
    }

    /// Records the new lock file (the activation point), then removes pack
    /// folders no entry names any more.
    pub fn commit(&self, lock: &LockFile) -> anyhow::Result<()> {
        lock.write(&self.lock_path)?;
        self.remove_unreferenced(lock)
    }

    fn remove_unreferenced(&self, lock: &LockFile) -> anyhow::Result<()> {
        for publisher in read_dirs(&self.root)? {
            for pack in read_dirs(&publisher)? {
                for version in read_dirs(&pack)? {
                    let relative = version
                        .strip_prefix(&self.root)
                        .expect("under the root")
                        .to_string_lossy()
                        .replace('\\', "/");
                    if !lock.packs.iter().any(|locked| locked.path == relative) {
                        std::fs::remove_dir_all(&version)
                            .with_context(|| format!("cannot remove {}", version.display()))?;
                    }
                }
                let _ = std::fs::remove_dir(&pack);
            }
            let _ = std::fs::remove_dir(&publisher);
        }
        Ok(())
    }

    /// The installed folder of a locked pack.
    pub fn folder(&self, pack: &LockedPack) -> PathBuf {
        self.root.join(&pack.path)
    }
}

/// Sub-folders, skipping the store's own hidden entries.
fn read_dirs(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut dirs = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
        let entry = entry?;
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if !hidden && entry.file_type()?.is_dir() {
            dirs.push(entry.path());
        }
    }
    Ok(dirs)
}

/// A staging folder, removed when dropped unless it was activated.
pub struct Staging {
    pub path: PathBuf,
}

impl Drop for Staging {
    fn drop(&mut self) {
        if self.path.exists() {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}
