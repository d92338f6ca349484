//! Tarballs.
use std::path::Path;
pub fn fetch(_location: &str, _pin: Option<&str>, _staging: &Path) -> anyhow::Result<String> {
    anyhow::bail!("todo")
}
