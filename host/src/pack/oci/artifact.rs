//! The mapping between a built pack and an OCI image manifest, both ways:
//! [`Artifact::build`] for publish and export, [`ImageManifest::parse`] and
//! [`unpack`] for fetch, whether the blobs come from a registry or a layout.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};

use super::reference::is_sha256_digest;
use crate::pack::manifest::{
    MANIFEST_FILE, MINISIGN_SIGNATURE_FILE, Manifest, SSH_SIGNATURE_FILE, check_relative_path,
    limits, read_bounded, sha256_hex,
};

pub const IMAGE_MANIFEST_MEDIA_TYPE: &str = "application/vnd.oci.image.manifest.v1+json";
pub const IMAGE_INDEX_MEDIA_TYPE: &str = "application/vnd.oci.image.index.v1+json";
pub const ARTIFACT_TYPE: &str = "application/vnd.plumbline.pack.v1";
pub const CONFIG_MEDIA_TYPE: &str = "application/vnd.plumbline.pack.manifest.v1+toml";
const WASM_MEDIA_TYPE: &str = "application/wasm";
const FILE_MEDIA_TYPE: &str = "application/octet-stream";
const MINISIGN_MEDIA_TYPE: &str = "application/vnd.plumbline.pack.signature.v1+minisign";
const SSH_MEDIA_TYPE: &str = "application/vnd.plumbline.pack.signature.v1+ssh";
const SIGNATURES: [(&str, &str); 2] = [
    (MINISIGN_SIGNATURE_FILE, MINISIGN_MEDIA_TYPE),
    (SSH_SIGNATURE_FILE, SSH_MEDIA_TYPE),
];
pub const TITLE_ANNOTATION: &str = "org.opencontainers.image.title";

/// An OCI manifest (or layout index) larger than this is refused unread: a
/// pack's, at the file limit, is a few hundred KiB.
pub const OCI_MANIFEST_BYTES: u64 = 4 * 1024 * 1024;

/// An OCI content descriptor. Field order is the serialized order, which
/// keeps the manifest JSON, and so its digest, the same on every build.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Descriptor {
    pub media_type: String,
    pub digest: String,
    pub size: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact_type: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

impl Descriptor {
    fn of(media_type: &str, bytes: &[u8], title: Option<&str>) -> Descriptor {
        Descriptor {
            media_type: media_type.to_string(),
            digest: format!("sha256:{}", sha256_hex(bytes)),
            size: bytes.len() as u64,
            artifact_type: None,
            annotations: title
                .map(|title| BTreeMap::from([(TITLE_ANNOTATION.to_string(), title.to_string())]))
                .unwrap_or_default(),
        }
    }

    pub fn title(&self) -> Option<&str> {
        self.annotations.get(TITLE_ANNOTATION).map(String::as_str)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageManifest {
    pub schema_version: u32,
    pub media_type: String,
    pub artifact_type: String,
    pub config: Descriptor,
    pub layers: Vec<Descriptor>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

/// The fields that tell what a JSON document is, read before anything else
/// so that a wrong document is refused for what it is, not for a missing
/// field.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Kind {
    schema_version: Option<u32>,
    media_type: Option<String>,
    artifact_type: Option<String>,
}

/// A blob of the artifact with its bytes, ready to push or write.
pub struct Blob {
    pub descriptor: Descriptor,
    pub bytes: Vec<u8>,
}

/// A built pack as an OCI artifact.
pub struct Artifact {
    pub version: semver::Version,
    /// The pack manifest's bytes.
    pub config: Blob,
    pub layers: Vec<Blob>,
    /// The OCI image manifest's exact bytes.
    pub manifest_json: Vec<u8>,
    /// `sha256:` of [`Artifact::manifest_json`].
    pub digest: String,
}

impl Artifact {
    /// Reads a built pack folder: its manifest, every file it lists (each
    /// checked against the manifest's hash and size) and its signatures.
    pub fn build(pack_dir: &Path) -> anyhow::Result<Artifact> {
        let (manifest, manifest_bytes) = Manifest::read(pack_dir)?;
        let mut layers = Vec::new();
        for file in &manifest.files {
            let path = pack_dir.join(&file.path);
            let bytes = read_bounded(&path, limits::FILE_BYTES)?;
            let sha256 = sha256_hex(&bytes);
            if sha256 != file.sha256 || bytes.len() as u64 != file.size {
                bail!(
                    "{} does not match {MANIFEST_FILE}: the manifest says {} bytes with sha256 {}, \
                     the file has {} bytes with sha256 {sha256}; build the pack again \
                     (`host pack build`) and sign it again",
                    path.display(),
                    file.size,
                    file.sha256,
                    bytes.len()
                );
            }
            let media_type = if file.path.ends_with(".wasm") {
                WASM_MEDIA_TYPE
            } else {
                FILE_MEDIA_TYPE
            };
            layers.push(Blob {
                descriptor: Descriptor::of(media_type, &bytes, Some(&file.path)),
                bytes,
            });
        }
        for (name, media_type) in SIGNATURES {
            let path = pack_dir.join(name);
            if path.exists() {
                let bytes = read_bounded(&path, limits::SIGNATURE_BYTES)?;
                layers.push(Blob {
                    descriptor: Descriptor::of(media_type, &bytes, Some(name)),
                    bytes,
                });
            }
        }
        // By title, whatever order the manifest lists files in.
        layers.sort_by(|a, b| a.descriptor.title().cmp(&b.descriptor.title()));

        let info = &manifest.pack;
        let mut annotations = BTreeMap::from([
            ("org.opencontainers.image.title", info.name.to_string()),
            ("org.opencontainers.image.version", info.version.to_string()),
            (
                "org.opencontainers.image.description",
                info.description.clone(),
            ),
            ("org.opencontainers.image.licenses", info.license.clone()),
        ]);
        if let Some(source) = &info.source {
            annotations.insert("org.opencontainers.image.source", source.clone());
        }
        let config = Blob {
            descriptor: Descriptor::of(CONFIG_MEDIA_TYPE, &manifest_bytes, None),
            bytes: manifest_bytes,
        };
        let image_manifest = ImageManifest {
            schema_version: 2,
            media_type: IMAGE_MANIFEST_MEDIA_TYPE.to_string(),
            artifact_type: ARTIFACT_TYPE.to_string(),
            config: config.descriptor.clone(),
            layers: layers.iter().map(|blob| blob.descriptor.clone()).collect(),
            annotations: annotations
                .into_iter()
                .map(|(key, value)| (key.to_string(), value))
                .collect(),
        };
        let manifest_json = serde_json::to_vec(&image_manifest).expect("a manifest serializes");
        Ok(Artifact {
            version: info.version.clone(),
            digest: format!("sha256:{}", sha256_hex(&manifest_json)),
            config,
            layers,
            manifest_json,
        })
    }

    /// The config and the layers: every blob the manifest refers to.
    pub fn blobs(&self) -> impl Iterator<Item = &Blob> {
        std::iter::once(&self.config).chain(&self.layers)
    }
}

/// What kind of file a layer is, from its media type.
enum LayerKind {
    File,
    Signature,
}

impl ImageManifest {
    /// Parses and checks a fetched OCI manifest against the artifact format
    /// before any blob is downloaded: media types, digests, sizes against
    /// the pack limits, titles as pack paths, no duplicates.
    pub fn parse(bytes: &[u8]) -> anyhow::Result<ImageManifest> {
        let kind: Kind =
            serde_json::from_slice(bytes).context("the OCI manifest is not valid JSON")?;
        if kind.schema_version != Some(2) {
            bail!(
                "the OCI manifest has schemaVersion {:?}; expected 2",
                kind.schema_version
            );
        }
        match kind.media_type.as_deref() {
            Some(IMAGE_MANIFEST_MEDIA_TYPE) => {}
            Some(other) => bail!(
                "the OCI manifest has media type {other}; expected {IMAGE_MANIFEST_MEDIA_TYPE} \
                 (a Plumbline pack is a single OCI image manifest, not an image index or a Docker image)"
            ),
            None => {
                bail!("the OCI manifest names no media type; expected {IMAGE_MANIFEST_MEDIA_TYPE}")
            }
        }
        if kind.artifact_type.as_deref() != Some(ARTIFACT_TYPE) {
            bail!(
                "this is not a Plumbline pack: its artifactType is {}; expected {ARTIFACT_TYPE}",
                kind.artifact_type.as_deref().unwrap_or("missing")
            );
        }
        let manifest: ImageManifest =
            serde_json::from_slice(bytes).context("the OCI manifest is malformed")?;
        manifest.check()?;
        Ok(manifest)
    }

    fn check(&self) -> anyhow::Result<()> {
        let config = &self.config;
        if config.media_type != CONFIG_MEDIA_TYPE {
            bail!(
                "the OCI manifest's config has media type {}; expected {CONFIG_MEDIA_TYPE}",
                config.media_type
            );
        }
        check_descriptor(
            config,
            &format!("the config blob ({MANIFEST_FILE})"),
            limits::MANIFEST_BYTES,
        )?;
        if self.layers.len() > limits::FILES + SIGNATURES.len() {
            bail!(
                "the OCI manifest has {} layers; a pack holds at most {} files and {} signatures",
                self.layers.len(),
                limits::FILES,
                SIGNATURES.len()
            );
        }
        let mut titles = BTreeSet::new();
        let mut total = config.size;
        for layer in &self.layers {
            let Some(title) = layer.title() else {
                bail!(
                    "layer {} has no {TITLE_ANNOTATION} annotation, so it names no file of the pack",
                    layer.digest
                );
            };
            check_relative_path(title).with_context(|| format!("layer {}", layer.digest))?;
            let limit = match layer_kind(layer)? {
                LayerKind::File => limits::FILE_BYTES,
                LayerKind::Signature => limits::SIGNATURE_BYTES,
            };
            check_descriptor(layer, &format!("layer {title}"), limit)?;
            // Case-insensitive, as the pack manifest's own file list is.
            if !titles.insert(title.to_lowercase()) {
                bail!("the OCI manifest has two layers titled {title}");
            }
            total += layer.size;
        }
        if total > limits::PACK_BYTES {
            bail!(
                "the OCI manifest's blobs add up to {total} bytes; a pack may hold at most {}",
                limits::PACK_BYTES
            );
        }
        Ok(())
    }
}

fn layer_kind(layer: &Descriptor) -> anyhow::Result<LayerKind> {
    let title = layer.title().unwrap_or_default();
    let media_type = layer.media_type.as_str();
    if let Some((name, _)) = SIGNATURES.iter().find(|(_, kind)| *kind == media_type) {
        if title != *name {
            bail!(
                "layer {title} has media type {media_type}; a layer of that type must be titled {name}"
            );
        }
        return Ok(LayerKind::Signature);
    }
    if media_type != WASM_MEDIA_TYPE && media_type != FILE_MEDIA_TYPE {
        bail!(
            "layer {title} has media type {media_type}; expected {WASM_MEDIA_TYPE}, \
             {FILE_MEDIA_TYPE}, {MINISIGN_MEDIA_TYPE} or {SSH_MEDIA_TYPE}"
        );
    }
    if title == MANIFEST_FILE || SIGNATURES.iter().any(|(name, _)| *name == title) {
        bail!(
            "layer {title} has media type {media_type}, but {title} is the pack's manifest or signature"
        );
    }
    Ok(LayerKind::File)
}

fn check_descriptor(descriptor: &Descriptor, what: &str, limit: u64) -> anyhow::Result<()> {
    if !is_sha256_digest(&descriptor.digest) {
        bail!(
            "{what}: the digest {:?} is not sha256: and 64 lower-case hex digits",
            descriptor.digest
        );
    }
    if descriptor.size > limit {
        bail!(
            "{what}: its descriptor announces {} bytes; the limit is {limit}",
            descriptor.size
        );
    }
    Ok(())
}

/// Where the blobs of a fetched artifact come from.
pub trait BlobSource {
    /// The blob's bytes. Never reads more than `descriptor.size` bytes (plus
    /// one, to tell that there were more): a source may lie about sizes.
    fn read(&mut self, descriptor: &Descriptor, what: &str) -> anyhow::Result<Vec<u8>>;
}

/// Checks bytes read for a descriptor against its size and digest.
pub fn verify(descriptor: &Descriptor, what: &str, bytes: &[u8]) -> anyhow::Result<()> {
    if bytes.len() as u64 != descriptor.size {
        bail!(
            "{what}: got {} bytes, but its descriptor announces {}",
            bytes.len(),
            descriptor.size
        );
    }
    let digest = format!("sha256:{}", sha256_hex(bytes));
    if digest != descriptor.digest {
        bail!(
            "{what}: its bytes hash to {digest}, but its descriptor names {}; the blob was \
             altered or the source is corrupt",
            descriptor.digest
        );
    }
    Ok(())
}

/// Writes a checked manifest's config and layers into `staging` (empty), each
/// blob verified before its file is created, so a refused blob leaves no
/// file behind.
pub fn unpack(
    manifest: &ImageManifest,
    source: &mut dyn BlobSource,
    staging: &Path,
) -> anyhow::Result<()> {
    let mut blobs = vec![(MANIFEST_FILE, &manifest.config)];
    for layer in &manifest.layers {
        blobs.push((layer.title().expect("checked by parse"), layer));
    }
    for (title, descriptor) in blobs {
        let what = if title == MANIFEST_FILE {
            format!("the config blob ({MANIFEST_FILE})")
        } else {
            format!("layer {title}")
        };
        let bytes = source.read(descriptor, &what)?;
        verify(descriptor, &what, &bytes)?;
        write_new_file(staging, title, &bytes)?;
    }
    Ok(())
}

/// Creates `staging/relative` and the folders above it, refusing to go
/// through anything that is not a folder this unpacking made: a symlink
/// there could send the file outside `staging`.
fn write_new_file(staging: &Path, relative: &str, bytes: &[u8]) -> anyhow::Result<()> {
    let mut path = staging.to_path_buf();
    let mut parts = relative.split('/').peekable();
    while let Some(part) = parts.next() {
        path.push(part);
        if parts.peek().is_none() {
            break;
        }
        match std::fs::symlink_metadata(&path) {
            Ok(metadata) if metadata.is_dir() => {}
            Ok(_) => bail!(
                "cannot write {relative}: {} is not a folder",
                path.display()
            ),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir(&path)
                    .with_context(|| format!("cannot create {}", path.display()))?;
            }
            Err(error) => {
                return Err(error).with_context(|| format!("cannot inspect {}", path.display()));
            }
        }
    }
    // create_new refuses an existing file or symlink instead of following it.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A built pack folder with two checks and a minisign signature (the
    /// signature's content is not checked here).
    pub fn pack_folder(dir: &Path) {
        let files = [
            ("checks/zeta.wasm", b"\0asm zeta".as_slice()),
            ("checks/acme-one.wasm", b"\0asm one".as_slice()),
            ("README.md", b"# extra".as_slice()),
        ];
        let mut listed = String::new();
        for (path, bytes) in files {
            let full = dir.join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(&full, bytes).unwrap();
            listed.push_str(&format!(
                "\n[[file]]\npath = \"{path}\"\nsha256 = \"{}\"\nsize = {}\n",
                sha256_hex(bytes),
                bytes.len()
            ));
        }
        let manifest = format!(
            "[pack]\nname = \"acme/extra\"\nversion = \"1.2.3\"\ndescription = \"Extra\"\n\
             license = \"MIT\"\napi = \"^1.4\"\n\n[[check]]\nid = \"acme-one\"\n\
             component = \"checks/acme-one.wasm\"\n{listed}"
        );
        std::fs::write(dir.join(MANIFEST_FILE), manifest).unwrap();
        std::fs::write(
            dir.join(MINISIGN_SIGNATURE_FILE),
            "untrusted comment: x\nRW...\n",
        )
        .unwrap();
    }

    #[test]
    fn the_mapping_is_deterministic_and_ordered_by_path() {
        let dir = tempfile::tempdir().unwrap();
        pack_folder(dir.path());
        let first = Artifact::build(dir.path()).unwrap();
        let second = Artifact::build(dir.path()).unwrap();
        assert_eq!(first.manifest_json, second.manifest_json);
        assert_eq!(first.digest, second.digest);

        let parsed = ImageManifest::parse(&first.manifest_json).unwrap();
        assert_eq!(parsed.artifact_type, ARTIFACT_TYPE);
        assert_eq!(parsed.config.media_type, CONFIG_MEDIA_TYPE);
        assert_eq!(
            parsed.config.digest,
            format!(
                "sha256:{}",
                sha256_hex(&std::fs::read(dir.path().join(MANIFEST_FILE)).unwrap())
            )
        );
        let layers: Vec<(&str, &str)> = parsed
            .layers
            .iter()
            .map(|layer| (layer.title().unwrap(), layer.media_type.as_str()))
            .collect();
        assert_eq!(
            layers,
            [
                ("README.md", FILE_MEDIA_TYPE),
                ("checks/acme-one.wasm", WASM_MEDIA_TYPE),
                ("checks/zeta.wasm", WASM_MEDIA_TYPE),
                (MINISIGN_SIGNATURE_FILE, MINISIGN_MEDIA_TYPE),
            ]
        );
        let text = String::from_utf8(first.manifest_json.clone()).unwrap();
        assert!(!text.contains("created"), "{text}");
        assert!(
            text.starts_with(
                "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\
             \"artifactType\":\"application/vnd.plumbline.pack.v1\",\"config\":"
            ),
            "{text}"
        );
    }

    #[test]
    fn a_file_that_does_not_match_the_manifest_is_not_published() {
        let dir = tempfile::tempdir().unwrap();
        pack_folder(dir.path());
        std::fs::write(dir.path().join("checks/zeta.wasm"), b"\0asm other").unwrap();
        let error = format!("{:#}", Artifact::build(dir.path()).err().unwrap());
        assert!(
            error.contains("zeta.wasm does not match plumbline-pack.toml"),
            "{error}"
        );
    }

    fn manifest_with(edit: impl FnOnce(&mut serde_json::Value)) -> Vec<u8> {
        let dir = tempfile::tempdir().unwrap();
        pack_folder(dir.path());
        let mut value: serde_json::Value =
            serde_json::from_slice(&Artifact::build(dir.path()).unwrap().manifest_json).unwrap();
        edit(&mut value);
        serde_json::to_vec(&value).unwrap()
    }

    #[test]
    fn fetched_manifests_are_checked_before_any_blob() {
        type Edit = Box<dyn FnOnce(&mut serde_json::Value)>;
        let cases: Vec<(Edit, &str)> = vec![
            (
                Box::new(|m| {
                    m["mediaType"] = "application/vnd.docker.distribution.manifest.v2+json".into()
                }),
                "media type application/vnd.docker.distribution.manifest.v2+json; expected application/vnd.oci.image.manifest.v1+json",
            ),
            (
                Box::new(|m| m["artifactType"] = "application/x-other".into()),
                "not a Plumbline pack",
            ),
            (
                Box::new(|m| m["config"]["mediaType"] = "application/json".into()),
                "config has media type",
            ),
            (
                Box::new(|m| m["layers"][1]["size"] = (limits::FILE_BYTES + 1).into()),
                "the limit is",
            ),
            (
                Box::new(|m| m["layers"][1]["digest"] = "sha512:00".into()),
                "is not sha256",
            ),
            (
                Box::new(|m| {
                    m["layers"][1]["annotations"][TITLE_ANNOTATION] = "../escape.wasm".into()
                }),
                "not allowed in a pack",
            ),
            (
                Box::new(|m| {
                    m["layers"][2]["annotations"][TITLE_ANNOTATION] = "checks/ACME-one.wasm".into()
                }),
                "two layers titled",
            ),
            (
                Box::new(|m| m["layers"][1]["mediaType"] = "text/html".into()),
                "has media type text/html",
            ),
            (
                Box::new(|m| {
                    m["layers"][1]["annotations"][TITLE_ANNOTATION] = MANIFEST_FILE.into()
                }),
                "is the pack's manifest or signature",
            ),
        ];
        for (edit, says) in cases {
            let error = format!(
                "{:#}",
                ImageManifest::parse(&manifest_with(edit)).unwrap_err()
            );
            assert!(error.contains(says), "expected {says:?} in: {error}");
        }
    }
}
