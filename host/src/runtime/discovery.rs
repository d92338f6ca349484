//! Finding plugin files and telling components from other WebAssembly.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

const WASM_MAGIC: &[u8; 4] = b"\0asm";
/// Version and layer fields of a core module (version 1, layer 0).
const CORE_MODULE_HEADER: [u8; 4] = [0x01, 0x00, 0x00, 0x00];
/// Component layer (layer 1); the version field before it is still evolving.
const COMPONENT_LAYER: [u8; 2] = [0x01, 0x00];

/// Every `.wasm` file under `directory`, recursively, in a stable order.
/// Build directories (`target/`, `node_modules/`, whose toolchains ship
/// .wasm files of their own) and hidden directories are skipped.
pub fn find_components(directory: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let metadata = std::fs::metadata(directory)
        .with_context(|| format!("cannot read plugin directory {}", directory.display()))?;
    if metadata.is_file() {
        return Ok(vec![directory.to_path_buf()]);
    }
    let mut found = Vec::new();
    let mut pending = vec![directory.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries =
            std::fs::read_dir(&dir).with_context(|| format!("cannot list {}", dir.display()))?;
        for entry in entries {
            let path = entry?.path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            if path.is_dir() {
                if !name.starts_with('.') && name != "target" && name != "node_modules" {
                    pending.push(path);
                }
            } else if path.extension().is_some_and(|ext| ext == "wasm") {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Refuses anything that is not a WebAssembly component, saying what it is.
pub fn ensure_component(bytes: &[u8]) -> anyhow::Result<()> {
    if bytes.len() < 8 || &bytes[..4] != WASM_MAGIC {
        bail!("it is not a WebAssembly file (no `\\0asm` header)");
    }
    if bytes[4..8] == CORE_MODULE_HEADER {
        bail!(
            "it is a core WebAssembly module, not a component: build checks for the \
             wasm32-wasip2 target (cargo build --target wasm32-wasip2) or wrap the module \
             with `wasm-tools component new`"
        );
    }
    if bytes[6..8] != COMPONENT_LAYER {
        bail!(
            "it is not a WebAssembly component (unknown layer {:02x}{:02x})",
            bytes[6],
            bytes[7]
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_modules_components_and_other_files_apart() {
        assert!(ensure_component(b"\0asm\x0d\x00\x01\x00rest").is_ok());
        let module = ensure_component(b"\0asm\x01\x00\x00\x00")
            .unwrap_err()
            .to_string();
        assert!(module.contains("core WebAssembly module"), "{module}");
        let text = ensure_component(b"hello world").unwrap_err().to_string();
        assert!(text.contains("not a WebAssembly file"), "{text}");
    }
}
