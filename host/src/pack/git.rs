//! Git.
use std::path::Path;
pub fn fetch(_url: &str, _reference: &str, _staging: &Path) -> anyhow::Result<String> {
    anyhow::bail!("todo")
}
