//! Packs as OCI artifacts: publish to a registry, fetch from one, and export
//! to / read from an OCI image layout folder for air-gapped machines.
//!
//! # The artifact format
//!
//! A pack is one OCI image manifest (`application/vnd.oci.image.manifest.v1+json`,
//! schema version 2) with:
//!
//! - `artifactType`: `application/vnd.plumbline.pack.v1`;
//! - `config`: the pack's `plumbline-pack.toml`, its exact bytes, media type
//!   `application/vnd.plumbline.pack.manifest.v1+toml`;
//! - `layers`: one per file the pack manifest lists, media type
//!   `application/wasm` for `.wasm` files and `application/octet-stream`
//!   otherwise, and one per signature the pack carries,
//!   `application/vnd.plumbline.pack.signature.v1+minisign`
//!   (`plumbline-pack.toml.minisig`) or
//!   `application/vnd.plumbline.pack.signature.v1+ssh` (`plumbline-pack.toml.sig`).
//!   Each layer's `org.opencontainers.image.title` annotation is its path in
//!   the pack; layers are ordered by that path;
//! - `annotations`: the pack's name (`org.opencontainers.image.title`),
//!   version, description, licenses and source, for registry UIs.
//!
//! Signatures are over the pack manifest, not over the registry digest, so
//! copying an artifact to a mirror or pushing it again never breaks them.
//! The manifest JSON is compact, with a fixed field order and no
//! timestamps: the same pack folder always gives the same bytes, so the
//! digest a registry reports for a pack equals the one `host pack export`
//! writes to a layout.
//!
//! A version `X.Y.Z` is tagged `X.Y.Z`, `X.Y` and `X`; a pre-release only
//! by its own tag ([`version_tags`]).
//!
//! Fetching refuses, before downloading any blob, a manifest of another
//! media type or artifact type, a layer with an unknown media type, a title
//! that is not a safe pack path, two layers with one title, or sizes over the
//! pack limits; every blob is then read with a hard cap at its announced size
//! and checked against its digest before its file is written.
//!
//! Registries are reached over HTTPS, except loopback ones and those listed
//! in `PLUMBLINE_INSECURE_REGISTRIES`; see [`Credentials`] for logging in.

mod artifact;
mod layout;
mod reference;
mod registry;

pub use layout::{export_layout, fetch_layout};
pub use reference::Reference;
pub use registry::{
    Credentials, Published, fetch, fetch_with, publish, publish_with, tags, tags_with, version_tags,
};
