//! On-disk cache of compiled components, keyed by the component's sha256 and
//! the engine's compatibility hash: a warm scan of unchanged plugins compiles
//! nothing. Only files this host wrote are ever deserialized (the directory is
//! created private to the user); a file that fails to load is recompiled.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use anyhow::Context;
use sha2::{Digest, Sha256};
use wasmtime::Engine;
use wasmtime::component::Component;

pub struct ComponentCache {
    directory: PathBuf,
    engine_key: String,
}

/// Whether a component came from the cache or was compiled now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compilation {
    Cached,
    Compiled,
}

impl ComponentCache {
    pub fn open(directory: &Path, engine: &Engine) -> anyhow::Result<Self> {
        create_private_dir(directory).with_context(|| {
            format!("cannot create the component cache {}", directory.display())
        })?;
        ensure_private(directory)?;
        let mut hasher = Sha256Hasher(Sha256::new());
        engine.precompile_compatibility_hash().hash(&mut hasher);
        let engine_key = hex(&hasher.0.finalize()[..12]);
        Ok(ComponentCache {
            directory: directory.to_path_buf(),
            engine_key,
        })
    }

    /// The compiled component for `bytes`, from the cache or compiled and
    /// stored.
    pub fn load(&self, engine: &Engine, bytes: &[u8]) -> anyhow::Result<(Component, Compilation)> {
        let path = self.directory.join(format!(
            "{}-{}.cwasm",
            hex(&Sha256::digest(bytes)),
            self.engine_key
        ));
        if path.exists() {
            // SAFETY: the file is named by the sha256 of the component and the
            // engine's compatibility hash and was written by `store` below into
            // a directory only this user can write.
            if let Ok(component) = unsafe { Component::deserialize_file(engine, &path) } {
                return Ok((component, Compilation::Cached));
            }
        }
        let component = Component::new(engine, bytes)?;
        if let Err(error) = self.store(&path, &component) {
            eprintln!(
                "warning: cannot cache compiled component at {}: {error:#}",
                path.display()
            );
        }
        Ok((component, Compilation::Compiled))
    }

    fn store(&self, path: &Path, component: &Component) -> anyhow::Result<()> {
        let serialized = component.serialize()?;
        crate::report::write_atomically(path, &serialized)
    }
}

fn create_private_dir(directory: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(directory)
}

/// Compiled code from the cache runs natively, outside the sandbox: refuse a
/// directory that other users could plant files in.
fn ensure_private(directory: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(directory)?.permissions().mode();
        if mode & 0o022 != 0 {
            anyhow::bail!(
                "refusing the component cache {}: other users can write to it (mode {:o}), and \
                 compiled checks loaded from it run as native code. Run `chmod go-w {0}` or \
                 choose another --cache-dir.",
                directory.display(),
                mode & 0o777
            );
        }
    }
    Ok(())
}

/// The default cache location: `$PLUMBLINE_CACHE_DIR`, else
/// `$XDG_CACHE_HOME/plumbline/components`, else `~/.cache/plumbline/components`.
pub fn default_directory() -> PathBuf {
    if let Some(dir) = std::env::var_os("PLUMBLINE_CACHE_DIR") {
        return PathBuf::from(dir);
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))
        .unwrap_or_else(std::env::temp_dir);
    base.join("plumbline").join("components")
}

struct Sha256Hasher(Sha256);

impl Hasher for Sha256Hasher {
    fn finish(&self) -> u64 {
        let digest = self.0.clone().finalize();
        u64::from_le_bytes(digest[..8].try_into().expect("sha256 is 32 bytes"))
    }

    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
