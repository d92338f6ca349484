//! Check packs: a manifest of hashes plus check components, fetched from a
//! folder, a tarball, git or an OCI registry through one path (fetch ->
//! stage -> verify -> activate), signed by publishers the user trusts, and
//! installed as immutable, pinned folders.

pub mod build;
pub mod changes;
pub mod commands;
pub mod git;
pub mod manifest;
pub mod oci;
pub mod signature;
pub mod source;
pub mod stage;
pub mod store;
pub mod tarball;
pub mod trust;
pub mod verify;
