//! Packs over OCI, through the library: publishing to a real registry
//! (docker-registry on 127.0.0.1, open and behind basic auth), fetching by
//! tag and by digest, OCI layouts, and a registry that lies.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use libtest_mimic::Trial;
use plumbline_host::pack::manifest::{MANIFEST_FILE, MINISIGN_SIGNATURE_FILE, sha256_hex};
use plumbline_host::pack::oci::{self, Credentials, Reference};

use crate::support::hostile_registry::{self, HostileRegistry, Spoil};
use crate::support::registry;

pub fn tests() -> Vec<Trial> {
    e2e_tests![
        sync a_published_pack_is_tagged_by_version_and_fetched_byte_for_byte,
        sync publish_refuses_a_reference_that_names_another_version,
        sync an_exported_layout_has_the_published_digest_and_round_trips,
        sync a_registry_that_wants_credentials_says_how_to_log_in,
        sync credentials_from_the_caller_or_a_docker_config_are_used,
        sync wrong_credentials_are_named_as_refused,
        sync a_blob_that_does_not_match_its_digest_is_refused,
        sync a_manifest_of_another_media_type_is_refused_before_any_blob,
        sync an_oversized_layer_is_refused_before_any_blob,
        sync a_layer_streaming_past_its_size_is_cut_off,
    ]
}

/// A built pack folder (two fake components, a fake signature: fetching
/// never looks inside them) at `dir`.
fn pack(dir: &Path, name: &str, version: &str) -> PathBuf {
    let files: [(&str, &[u8]); 3] = [
        ("checks/acme-one.wasm", b"\0asm\x01\0\0\0one"),
        ("checks/nested/acme-two.wasm", b"\0asm\x01\0\0\0two"),
        ("LICENSE", b"MIT"),
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
    std::fs::write(
        dir.join(MANIFEST_FILE),
        format!(
            "[pack]\nname = \"{name}\"\nversion = \"{version}\"\ndescription = \"E2E\"\n\
             license = \"MIT\"\napi = \"^1.4\"\n\n[[check]]\nid = \"acme-one\"\n\
             component = \"checks/acme-one.wasm\"\n{listed}"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join(MINISIGN_SIGNATURE_FILE),
        "untrusted comment: not checked here\n",
    )
    .unwrap();
    dir.to_path_buf()
}

/// Every file under `dir` by relative path.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut found = BTreeMap::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap();
                found.insert(
                    relative.to_string_lossy().into_owned(),
                    std::fs::read(&path).unwrap(),
                );
            }
        }
    }
    found
}

fn reference(text: &str) -> Reference {
    Reference::parse(text).unwrap_or_else(|error| panic!("{text}: {error:#}"))
}

/// An empty staging folder inside `dir`.
fn staging(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir(&path).unwrap();
    path
}

fn a_published_pack_is_tagged_by_version_and_fetched_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let built = pack(&dir.path().join("pack"), "acme/extra", "1.2.3");
    let repository = reference(&format!("{}/e2e/published", registry::open()));
    let published = oci::publish(&built, &repository).unwrap();
    assert_eq!(published.tags, ["1.2.3", "1.2", "1"]);
    assert!(published.digest.starts_with("sha256:"));

    // A pre-release moves no floating tag.
    let candidate = pack(&dir.path().join("rc"), "acme/extra", "1.3.0-rc.1");
    assert_eq!(
        oci::publish(&candidate, &repository).unwrap().tags,
        ["1.3.0-rc.1"]
    );
    let mut tags = oci::tags(&repository).unwrap();
    tags.sort();
    assert_eq!(tags, ["1", "1.2", "1.2.3", "1.3.0-rc.1"]);

    for (name, text) in [
        ("by-major", format!("{repository}:1")),
        ("by-tag", format!("{repository}:1.2.3")),
        ("by-digest", format!("{repository}@{}", published.digest)),
    ] {
        let into = staging(dir.path(), name);
        let digest = oci::fetch(&reference(&text), &into).unwrap();
        assert_eq!(digest, published.digest, "{text}");
        assert_eq!(files(&into), files(&built), "{text}");
    }

    let nowhere = staging(dir.path(), "untagged");
    let error = format!("{:#}", oci::fetch(&repository, &nowhere).unwrap_err());
    assert!(error.contains("names no version"), "{error}");
    let missing = format!(
        "{:#}",
        oci::fetch(&reference(&format!("{repository}:9")), &nowhere).unwrap_err()
    );
    assert!(missing.contains("has no manifest 9"), "{missing}");
}

fn publish_refuses_a_reference_that_names_another_version() {
    let dir = tempfile::tempdir().unwrap();
    let built = pack(dir.path(), "acme/extra", "2.0.0");
    let base = format!("{}/e2e/refused", registry::open());
    let error = format!(
        "{:#}",
        oci::publish(&built, &reference(&format!("{base}:latest"))).unwrap_err()
    );
    assert!(
        error.contains("a pack is tagged by its version (2.0.0, 2.0, 2)"),
        "{error}"
    );
    let digest = format!("{base}@sha256:{}", "0".repeat(64));
    let error = format!(
        "{:#}",
        oci::publish(&built, &reference(&digest)).unwrap_err()
    );
    assert!(
        error.contains("a digest names content already in the registry"),
        "{error}"
    );
    // Its own version as the tag is what it would be tagged anyway.
    oci::publish(&built, &reference(&format!("{base}:2.0.0"))).unwrap();

    std::fs::write(dir.path().join("LICENSE"), "changed").unwrap();
    let error = format!("{:#}", oci::publish(&built, &reference(&base)).unwrap_err());
    assert!(
        error.contains("LICENSE does not match plumbline-pack.toml"),
        "{error}"
    );
}

fn an_exported_layout_has_the_published_digest_and_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let built = pack(&dir.path().join("pack"), "acme/layout", "0.4.1");
    let published = oci::publish(
        &built,
        &reference(&format!("{}/e2e/layout", registry::open())),
    )
    .unwrap();
    let layout = dir.path().join("layout");
    assert_eq!(
        oci::export_layout(&built, &layout).unwrap(),
        published.digest
    );
    let into = staging(dir.path(), "from-layout");
    assert_eq!(
        oci::fetch_layout(&layout, Some("0.4.1"), &into).unwrap(),
        published.digest
    );
    assert_eq!(files(&into), files(&built));
}

fn a_registry_that_wants_credentials_says_how_to_log_in() {
    let dir = tempfile::tempdir().unwrap();
    let built = pack(dir.path(), "acme/private", "1.0.0");
    let registry = registry::with_auth();
    let repository = reference(&format!("{registry}/e2e/anonymous"));
    let error = format!(
        "{:#}",
        oci::publish_with(&built, &repository, &Credentials::Anonymous).unwrap_err()
    );
    for needle in [
        &format!("registry {registry} asks for credentials"),
        "PLUMBLINE_REGISTRY_USERNAME",
        "PLUMBLINE_REGISTRY_PASSWORD",
        &format!("docker login {registry}"),
    ] {
        assert!(error.contains(needle), "{needle:?} not in: {error}");
    }
    let into = staging(dir.path(), "anonymous-fetch");
    let tagged = reference(&format!("{repository}:1.0.0"));
    let error = format!(
        "{:#}",
        oci::fetch_with(&tagged, &into, &Credentials::Anonymous).unwrap_err()
    );
    assert!(error.contains("asks for credentials"), "{error}");
    let error = format!(
        "{:#}",
        oci::tags_with(&repository, &Credentials::Anonymous).unwrap_err()
    );
    assert!(error.contains("asks for credentials"), "{error}");
}

fn credentials_from_the_caller_or_a_docker_config_are_used() {
    let dir = tempfile::tempdir().unwrap();
    let built = pack(&dir.path().join("pack"), "acme/private", "1.1.0");
    let registry = registry::with_auth();
    let repository = reference(&format!("{registry}/e2e/private"));
    let given = Credentials::Basic {
        username: registry::USERNAME.to_string(),
        password: registry::PASSWORD.to_string(),
        origin: "the test".to_string(),
    };
    let published = oci::publish_with(&built, &repository, &given).unwrap();

    // As `docker login` leaves them, found through DOCKER_CONFIG.
    let docker = dir.path().join("docker");
    std::fs::create_dir(&docker).unwrap();
    let auth = {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(format!(
            "{}:{}",
            registry::USERNAME,
            registry::PASSWORD
        ))
    };
    std::fs::write(
        docker.join("config.json"),
        serde_json::json!({ "auths": { registry: { "auth": auth } } }).to_string(),
    )
    .unwrap();
    let docker_dir = docker.display().to_string();
    let from_config = Credentials::resolve(registry, |name| {
        (name == "DOCKER_CONFIG").then(|| docker_dir.clone())
    })
    .unwrap();
    let mut tags = oci::tags_with(&repository, &from_config).unwrap();
    tags.sort();
    assert_eq!(tags, ["1", "1.1", "1.1.0"]);
    let into = staging(dir.path(), "fetched");
    let digest = oci::fetch_with(
        &reference(&format!("{repository}:1.1")),
        &into,
        &from_config,
    )
    .unwrap();
    assert_eq!(digest, published.digest);
    assert_eq!(files(&into), files(&built));
}

fn wrong_credentials_are_named_as_refused() {
    let dir = tempfile::tempdir().unwrap();
    let built = pack(dir.path(), "acme/private", "1.0.0");
    let registry = registry::with_auth();
    let wrong = Credentials::Basic {
        username: registry::USERNAME.to_string(),
        password: "wrong".to_string(),
        origin: "PLUMBLINE_REGISTRY_USERNAME and PLUMBLINE_REGISTRY_PASSWORD".to_string(),
    };
    let error = format!(
        "{:#}",
        oci::publish_with(&built, &reference(&format!("{registry}/e2e/wrong")), &wrong)
            .unwrap_err()
    );
    assert!(
        error.contains(&format!(
            "registry {registry} refused the credentials from PLUMBLINE_REGISTRY_USERNAME and PLUMBLINE_REGISTRY_PASSWORD"
        )),
        "{error}"
    );
}

/// Fetches the artifact a hostile registry serves spoiled into a fresh
/// staging folder; returns the error, the registry and the staging folder.
fn fetch_spoiled(dir: &Path, spoil: Spoil) -> (String, HostileRegistry, PathBuf) {
    let built = pack(&dir.join("pack"), "acme/hostile", "1.0.0");
    let layout = dir.join("layout");
    oci::export_layout(&built, &layout).unwrap();
    let hostile = HostileRegistry::start(&layout, "checks/acme-one.wasm", spoil);
    let into = staging(dir, "staging");
    let spoiled = reference(&format!(
        "{}/{}:{}",
        hostile.address(),
        hostile_registry::REPOSITORY,
        hostile_registry::TAG
    ));
    let error = format!(
        "{:#}",
        oci::fetch_with(&spoiled, &into, &Credentials::Anonymous).unwrap_err()
    );
    (error, hostile, into)
}

fn a_blob_that_does_not_match_its_digest_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (error, _hostile, into) = fetch_spoiled(dir.path(), Spoil::AlteredBlob);
    let expected = format!(
        "sha256:{}",
        sha256_hex(&std::fs::read(dir.path().join("pack/checks/acme-one.wasm")).unwrap())
    );
    assert!(
        error.contains("layer checks/acme-one.wasm: its bytes hash to sha256:"),
        "{error}"
    );
    assert!(
        error.contains(&format!("but its descriptor names {expected}")),
        "{error}"
    );
    assert!(!into.join("checks/acme-one.wasm").exists());
}

fn a_manifest_of_another_media_type_is_refused_before_any_blob() {
    let dir = tempfile::tempdir().unwrap();
    let (error, hostile, into) = fetch_spoiled(dir.path(), Spoil::WrongMediaType);
    assert!(
        error.contains(
            "media type application/vnd.docker.distribution.manifest.v2+json; \
             expected application/vnd.oci.image.manifest.v1+json"
        ),
        "{error}"
    );
    assert_eq!(hostile.blob_requests(), 0);
    assert!(files(&into).is_empty());
}

fn an_oversized_layer_is_refused_before_any_blob() {
    let dir = tempfile::tempdir().unwrap();
    let (error, hostile, into) = fetch_spoiled(dir.path(), Spoil::OversizedLayer);
    assert!(
        error.contains(
            "layer checks/acme-one.wasm: its descriptor announces 67108865 bytes; the limit is 67108864"
        ),
        "{error}"
    );
    assert_eq!(hostile.blob_requests(), 0);
    assert!(files(&into).is_empty());
}

fn a_layer_streaming_past_its_size_is_cut_off() {
    let dir = tempfile::tempdir().unwrap();
    let (error, _hostile, into) = fetch_spoiled(dir.path(), Spoil::OverlongLayer);
    assert!(
        error.contains("layer checks/acme-one.wasm: the registry sent more than the 11 bytes"),
        "{error}"
    );
    assert!(!into.join("checks/acme-one.wasm").exists());
}
