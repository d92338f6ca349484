//! OCI image layout folders (`oci-layout`, `index.json`, `blobs/sha256/`):
//! the artifact a registry would hold, on a USB stick for machines without
//! network. `oras copy --from-oci-layout` and `skopeo` read and write them
//! too, so a layout can be pushed to a registry or pulled from one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};

use super::artifact::{
    ARTIFACT_TYPE, Artifact, BlobSource, Descriptor, IMAGE_INDEX_MEDIA_TYPE,
    IMAGE_MANIFEST_MEDIA_TYPE, ImageManifest, OCI_MANIFEST_BYTES, unpack, verify,
};
use super::reference::is_sha256_digest;
use crate::pack::manifest::read_bounded;

const LAYOUT_FILE: &str = "oci-layout";
const INDEX_FILE: &str = "index.json";
const LAYOUT_VERSION: &str = "1.0.0";
const REF_NAME_ANNOTATION: &str = "org.opencontainers.image.ref.name";

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct LayoutMarker {
    image_layout_version: String,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Index {
    schema_version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    media_type: Option<String>,
    manifests: Vec<Descriptor>,
}

/// Writes a built pack as a layout folder `out` (absent or empty) holding
/// the same manifest bytes, and so the same digest, as `publish` pushes;
/// returns the digest. The folder is written beside `out` and renamed into
/// place, so a failure leaves no half-written layout.
pub fn export_layout(pack_dir: &Path, out: &Path) -> anyhow::Result<String> {
    let artifact = Artifact::build(pack_dir)?;
    if let Ok(mut entries) = std::fs::read_dir(out) {
        if entries.next().is_some() {
            bail!(
                "{} exists and is not empty: give a new folder for the layout",
                out.display()
            );
        }
    } else if out.exists() {
        bail!("{} exists and is not a folder", out.display());
    }
    let name = out
        .file_name()
        .with_context(|| format!("{} does not name a folder", out.display()))?;
    let parent = match out.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let temporary = parent.join(format!(
        ".{}.partial-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    if temporary.exists() {
        std::fs::remove_dir_all(&temporary)
            .with_context(|| format!("cannot remove the leftover {}", temporary.display()))?;
    }
    let written = write_layout(&artifact, &temporary).and_then(|()| {
        // rename() cannot replace a folder everywhere, even an empty one.
        if out.exists() {
            std::fs::remove_dir(out)
                .with_context(|| format!("cannot replace {}", out.display()))?;
        }
        std::fs::rename(&temporary, out)
            .with_context(|| format!("cannot move the layout to {}", out.display()))
    });
    if let Err(error) = written {
        let _ = std::fs::remove_dir_all(&temporary);
        return Err(error);
    }
    Ok(artifact.digest)
}

fn write_layout(artifact: &Artifact, dir: &Path) -> anyhow::Result<()> {
    let blobs = dir.join("blobs/sha256");
    std::fs::create_dir_all(&blobs)
        .with_context(|| format!("cannot create {}", blobs.display()))?;
    let write = |path: PathBuf, bytes: &[u8]| {
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))
    };
    let blob_path = |digest: &str| blobs.join(digest.trim_start_matches("sha256:"));
    for blob in artifact.blobs() {
        write(blob_path(&blob.descriptor.digest), &blob.bytes)?;
    }
    write(blob_path(&artifact.digest), &artifact.manifest_json)?;
    let marker = LayoutMarker {
        image_layout_version: LAYOUT_VERSION.to_string(),
    };
    write(dir.join(LAYOUT_FILE), &serde_json::to_vec(&marker)?)?;
    let index = Index {
        schema_version: 2,
        media_type: Some(IMAGE_INDEX_MEDIA_TYPE.to_string()),
        manifests: vec![Descriptor {
            media_type: IMAGE_MANIFEST_MEDIA_TYPE.to_string(),
            digest: artifact.digest.clone(),
            size: artifact.manifest_json.len() as u64,
            artifact_type: Some(ARTIFACT_TYPE.to_string()),
            annotations: BTreeMap::from([(
                REF_NAME_ANNOTATION.to_string(),
                artifact.version.to_string(),
            )]),
        }],
    };
    write(dir.join(INDEX_FILE), &serde_json::to_vec(&index)?)
}

/// Reads the artifact tagged `tag` (default: the only one) from a layout
/// into `staging` (empty), every blob checked as a registry's would be;
/// returns the manifest digest.
pub fn fetch_layout(layout: &Path, tag: Option<&str>, staging: &Path) -> anyhow::Result<String> {
    let marker: LayoutMarker =
        serde_json::from_slice(&read_bounded(&layout.join(LAYOUT_FILE), 4096)?)
            .with_context(|| format!("{} is not an OCI image layout", layout.display()))?;
    if marker.image_layout_version != LAYOUT_VERSION {
        bail!(
            "{}: OCI image layout version {} is not supported (expected {LAYOUT_VERSION})",
            layout.display(),
            marker.image_layout_version
        );
    }
    let index: Index =
        serde_json::from_slice(&read_bounded(&layout.join(INDEX_FILE), OCI_MANIFEST_BYTES)?)
            .with_context(|| {
                format!(
                    "{} is not an OCI image index",
                    layout.join(INDEX_FILE).display()
                )
            })?;
    let ref_name = |descriptor: &Descriptor| {
        descriptor
            .annotations
            .get(REF_NAME_ANNOTATION)
            .cloned()
            .unwrap_or_else(|| "(untagged)".to_string())
    };
    let names = || {
        index
            .manifests
            .iter()
            .map(ref_name)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let chosen = match tag {
        Some(tag) => index
            .manifests
            .iter()
            .find(|descriptor| {
                descriptor
                    .annotations
                    .get(REF_NAME_ANNOTATION)
                    .map(String::as_str)
                    == Some(tag)
            })
            .with_context(|| {
                format!(
                    "{} has no artifact tagged {tag}; it has: {}",
                    layout.display(),
                    names()
                )
            })?,
        None => match index.manifests.as_slice() {
            [only] => only,
            [] => bail!("{} holds no artifact", layout.display()),
            _ => bail!(
                "{} holds several artifacts ({}): name one, oci-layout:{}:TAG",
                layout.display(),
                names(),
                layout.display()
            ),
        },
    };
    if chosen.media_type != IMAGE_MANIFEST_MEDIA_TYPE {
        bail!(
            "{}: the artifact {} has media type {}; expected {IMAGE_MANIFEST_MEDIA_TYPE}",
            layout.display(),
            ref_name(chosen),
            chosen.media_type
        );
    }
    if chosen.size > OCI_MANIFEST_BYTES {
        bail!(
            "{}: the manifest of {} announces {} bytes; the limit is {OCI_MANIFEST_BYTES}",
            layout.display(),
            ref_name(chosen),
            chosen.size
        );
    }
    let mut blobs = LayoutBlobs { layout };
    let what = format!("the OCI manifest {}", chosen.digest);
    let manifest_bytes = blobs.read(chosen, &what)?;
    verify(chosen, &what, &manifest_bytes)?;
    let manifest = ImageManifest::parse(&manifest_bytes)
        .with_context(|| format!("{} ({})", layout.display(), chosen.digest))?;
    unpack(&manifest, &mut blobs, staging)?;
    Ok(chosen.digest.clone())
}

struct LayoutBlobs<'a> {
    layout: &'a Path,
}

impl BlobSource for LayoutBlobs<'_> {
    fn read(&mut self, descriptor: &Descriptor, what: &str) -> anyhow::Result<Vec<u8>> {
        // Checked before it becomes a path: a digest is also a file name.
        if !is_sha256_digest(&descriptor.digest) {
            bail!(
                "{what}: the digest {:?} is not sha256: and 64 lower-case hex digits",
                descriptor.digest
            );
        }
        let path = self
            .layout
            .join("blobs/sha256")
            .join(descriptor.digest.trim_start_matches("sha256:"));
        read_bounded(&path, descriptor.size)
            .with_context(|| format!("{what}: its blob is missing or larger than announced"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::oci::artifact::tests::pack_folder;

    /// Every file under `dir`, by relative path.
    fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        let mut found = BTreeMap::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(folder) = stack.pop() {
            for entry in std::fs::read_dir(&folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let relative = path
                        .strip_prefix(dir)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned();
                    found.insert(relative, std::fs::read(&path).unwrap());
                }
            }
        }
        found
    }

    #[test]
    fn a_layout_round_trips_byte_for_byte() {
        let dir = tempfile::tempdir().unwrap();
        let pack = dir.path().join("pack");
        pack_folder(&pack);
        let out = dir.path().join("layout");
        let digest = export_layout(&pack, &out).unwrap();
        assert_eq!(digest, Artifact::build(&pack).unwrap().digest);
        let staging = dir.path().join("staging");
        std::fs::create_dir(&staging).unwrap();
        assert_eq!(fetch_layout(&out, None, &staging).unwrap(), digest);
        assert_eq!(files(&staging), files(&pack));

        let again = dir.path().join("again");
        std::fs::create_dir(&again).unwrap();
        assert_eq!(fetch_layout(&out, Some("1.2.3"), &again).unwrap(), digest);
        let missing = dir.path().join("missing");
        let error = format!(
            "{:#}",
            fetch_layout(&out, Some("9.9.9"), &missing).unwrap_err()
        );
        assert!(
            error.contains("no artifact tagged 9.9.9; it has: 1.2.3"),
            "{error}"
        );
    }

    #[test]
    fn export_refuses_a_folder_with_content_and_leaves_nothing_on_failure() {
        let dir = tempfile::tempdir().unwrap();
        let pack = dir.path().join("pack");
        pack_folder(&pack);
        let out = dir.path().join("layout");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("keep"), "x").unwrap();
        let error = format!("{:#}", export_layout(&pack, &out).unwrap_err());
        assert!(error.contains("exists and is not empty"), "{error}");

        std::fs::write(pack.join("README.md"), "changed").unwrap();
        let fresh = dir.path().join("fresh");
        assert!(export_layout(&pack, &fresh).is_err());
        assert!(!fresh.exists());
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            names.iter().all(|name| !name.contains("partial")),
            "{names:?}"
        );
    }

    #[test]
    fn a_tampered_layout_blob_is_refused_and_not_written() {
        let dir = tempfile::tempdir().unwrap();
        let pack = dir.path().join("pack");
        pack_folder(&pack);
        let out = dir.path().join("layout");
        export_layout(&pack, &out).unwrap();
        let wasm = crate::pack::manifest::sha256_hex(
            &std::fs::read(pack.join("checks/zeta.wasm")).unwrap(),
        );
        std::fs::write(out.join("blobs/sha256").join(&wasm), b"\0asm ZETA").unwrap();
        let staging = dir.path().join("staging");
        std::fs::create_dir(&staging).unwrap();
        let error = format!("{:#}", fetch_layout(&out, None, &staging).unwrap_err());
        assert!(
            error.contains("layer checks/zeta.wasm: its bytes hash to sha256:"),
            "{error}"
        );
        assert!(
            error.contains(&format!("but its descriptor names sha256:{wasm}")),
            "{error}"
        );
        assert!(!staging.join("checks/zeta.wasm").exists());
    }
}
