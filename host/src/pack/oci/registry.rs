//! Talking to a registry: credentials, HTTP or HTTPS, pushing an artifact,
//! pulling one with every read bounded, listing tags.
//!
//! oci-client does the distribution protocol's auth dance (basic, bearer
//! tokens) and the pushes; manifests and blobs are pulled with reqwest
//! directly, because oci-client reads a manifest whole whatever its size
//! and verifies blobs inside its own stream, which would leave a hostile
//! registry's refusals unexplained.

use std::net::IpAddr;

use anyhow::{Context, anyhow, bail};
use base64::Engine;
use oci_client::client::{ClientConfig, ClientProtocol};
use oci_client::errors::{OciDistributionError, OciErrorCode};
use oci_client::secrets::RegistryAuth;
use oci_client::{Client, RegistryOperation};
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderValue};

use super::artifact::{
    Artifact, BlobSource, Descriptor, IMAGE_INDEX_MEDIA_TYPE, IMAGE_MANIFEST_MEDIA_TYPE,
    ImageManifest, OCI_MANIFEST_BYTES, unpack,
};
use super::reference::Reference;
use crate::pack::manifest::sha256_hex;

pub const USERNAME_VARIABLE: &str = "PLUMBLINE_REGISTRY_USERNAME";
pub const PASSWORD_VARIABLE: &str = "PLUMBLINE_REGISTRY_PASSWORD";
/// Comma-separated `host:port`s reached over plain HTTP (besides loopback).
pub const INSECURE_VARIABLE: &str = "PLUMBLINE_INSECURE_REGISTRIES";

/// Who to be at a registry.
///
/// [`Credentials::from_environment`] reads `PLUMBLINE_REGISTRY_USERNAME` and
/// `PLUMBLINE_REGISTRY_PASSWORD`, else the `auths.<registry>.auth` entry of
/// the Docker config (`$DOCKER_CONFIG/config.json`, else
/// `~/.docker/config.json`), as `docker login` writes it. Docker credential
/// helpers (`credsStore`, `credHelpers`) are not run: with those, set the
/// environment variables instead.
#[derive(Clone)]
pub enum Credentials {
    Anonymous,
    Basic {
        username: String,
        password: String,
        /// Where they came from, named when the registry refuses them.
        origin: String,
    },
}

impl Credentials {
    pub fn from_environment(registry: &str) -> anyhow::Result<Credentials> {
        Credentials::resolve(registry, |name| std::env::var(name).ok())
    }

    /// [`Credentials::from_environment`] with the environment as a
    /// function, so that tests need not change the process's.
    pub fn resolve(
        registry: &str,
        environment: impl Fn(&str) -> Option<String>,
    ) -> anyhow::Result<Credentials> {
        match (
            environment(USERNAME_VARIABLE),
            environment(PASSWORD_VARIABLE),
        ) {
            (Some(username), Some(password)) => {
                return Ok(Credentials::Basic {
                    username,
                    password,
                    origin: format!("{USERNAME_VARIABLE} and {PASSWORD_VARIABLE}"),
                });
            }
            (Some(_), None) | (None, Some(_)) => {
                bail!("set both {USERNAME_VARIABLE} and {PASSWORD_VARIABLE}, or neither")
            }
            (None, None) => {}
        }
        let config = match environment("DOCKER_CONFIG") {
            Some(dir) => std::path::PathBuf::from(dir).join("config.json"),
            None => match environment("HOME") {
                Some(home) => std::path::PathBuf::from(home).join(".docker/config.json"),
                None => return Ok(Credentials::Anonymous),
            },
        };
        if !config.is_file() {
            return Ok(Credentials::Anonymous);
        }
        docker_config_credentials(&config, registry)
    }

    fn auth(&self) -> RegistryAuth {
        match self {
            Credentials::Anonymous => RegistryAuth::Anonymous,
            Credentials::Basic {
                username, password, ..
            } => RegistryAuth::Basic(username.clone(), password.clone()),
        }
    }
}

fn docker_config_credentials(
    path: &std::path::Path,
    registry: &str,
) -> anyhow::Result<Credentials> {
    #[derive(serde::Deserialize)]
    struct Config {
        #[serde(default)]
        auths: std::collections::BTreeMap<String, Entry>,
    }
    #[derive(serde::Deserialize)]
    struct Entry {
        auth: Option<String>,
    }
    let bytes = crate::pack::manifest::read_bounded(path, 1024 * 1024)?;
    let config: Config = serde_json::from_slice(&bytes)
        .with_context(|| format!("{} is not a Docker config file", path.display()))?;
    // `docker login` keys entries by the bare host, older versions by a URL.
    let host_of = |key: &str| {
        let key = key
            .strip_prefix("https://")
            .or_else(|| key.strip_prefix("http://"))
            .unwrap_or(key);
        key.split('/').next().unwrap_or_default().to_string()
    };
    let Some(encoded) = config
        .auths
        .iter()
        .find(|(key, _)| host_of(key) == registry)
        .and_then(|(_, entry)| entry.auth.as_deref())
    else {
        return Ok(Credentials::Anonymous);
    };
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .with_context(|| {
            format!(
                "{}: auths.{registry}.auth is not base64 of user:password",
                path.display()
            )
        })?;
    let Some((username, password)) = decoded.split_once(':') else {
        bail!(
            "{}: auths.{registry}.auth is not base64 of user:password",
            path.display()
        );
    };
    Ok(Credentials::Basic {
        username: username.to_string(),
        password: password.to_string(),
        origin: path.display().to_string(),
    })
}

/// Plain HTTP only where nothing crosses a network, or where the user said
/// so for that exact registry.
fn plain_http_allowed(registry: &str, insecure: Option<&str>) -> bool {
    let host = match registry.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or_default(),
        None => registry.split(':').next().unwrap_or_default(),
    };
    let loopback = host == "localhost"
        || host
            .parse::<IpAddr>()
            .is_ok_and(|address| address.is_loopback());
    loopback || insecure.is_some_and(|list| list.split(',').any(|entry| entry.trim() == registry))
}

/// A published artifact.
#[derive(Debug, Clone)]
pub struct Published {
    /// The OCI manifest's digest, `sha256:...`.
    pub digest: String,
    /// The tags pushed, exact version first.
    pub tags: Vec<String>,
}

/// The tags a version is published under: `X.Y.Z`, `X.Y` and `X` so that a
/// reference can follow a minor or major channel; a pre-release only under
/// its own, as nobody following `1` wants `1.3.0-rc.1`. OCI tags hold no
/// `+`, so build metadata is written with `_` (as Helm does).
pub fn version_tags(version: &semver::Version) -> Vec<String> {
    let exact = version.to_string().replace('+', "_");
    if !version.pre.is_empty() {
        return vec![exact];
    }
    vec![
        exact,
        format!("{}.{}", version.major, version.minor),
        version.major.to_string(),
    ]
}

/// Pushes a built pack folder (its files checked against its manifest)
/// and tags it by its version; credentials from the environment.
pub fn publish(pack_dir: &std::path::Path, repository: &Reference) -> anyhow::Result<Published> {
    let credentials = Credentials::from_environment(&repository.registry)?;
    publish_with(pack_dir, repository, &credentials)
}

pub fn publish_with(
    pack_dir: &std::path::Path,
    repository: &Reference,
    credentials: &Credentials,
) -> anyhow::Result<Published> {
    let artifact = Artifact::build(pack_dir)?;
    let tags = version_tags(&artifact.version);
    if repository.digest.is_some() {
        bail!(
            "cannot publish to {repository}: a digest names content already in the registry; \
             give oci://{} and the pack's version becomes its tags",
            repository.repository_only()
        );
    }
    if let Some(tag) = &repository.tag
        && *tag != tags[0]
    {
        bail!(
            "cannot publish version {} as {repository}: a pack is tagged by its version \
             ({}); give oci://{} without a tag",
            artifact.version,
            tags.join(", "),
            repository.repository_only()
        );
    }
    let connection = Connection::new(repository, credentials)?;
    connection.push(&artifact, &tags)?;
    Ok(Published {
        digest: artifact.digest,
        tags,
    })
}

/// Downloads the artifact into `staging` (empty); returns its manifest
/// digest. Credentials from the environment.
pub fn fetch(reference: &Reference, staging: &std::path::Path) -> anyhow::Result<String> {
    let credentials = Credentials::from_environment(&reference.registry)?;
    fetch_with(reference, staging, &credentials)
}

pub fn fetch_with(
    reference: &Reference,
    staging: &std::path::Path,
    credentials: &Credentials,
) -> anyhow::Result<String> {
    let connection = Connection::new(reference, credentials)?;
    connection.fetch(reference, staging)
}

/// The repository's tags (whatever tag or digest `repository` carries).
pub fn tags(repository: &Reference) -> anyhow::Result<Vec<String>> {
    let credentials = Credentials::from_environment(&repository.registry)?;
    tags_with(repository, &credentials)
}

pub fn tags_with(repository: &Reference, credentials: &Credentials) -> anyhow::Result<Vec<String>> {
    Connection::new(repository, credentials)?.tags()
}

/// One registry and repository, with the runtime its async clients run on.
struct Connection {
    runtime: tokio::runtime::Runtime,
    client: Client,
    http: reqwest::Client,
    credentials: Credentials,
    /// The repository as oci-client names it (tag set per request).
    image: oci_client::Reference,
    registry: String,
    repository: String,
    /// `http://host` or `https://host`.
    base: String,
}

const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);
/// Tags asked for per page of the tag list.
const TAG_PAGE: usize = 1000;

impl Connection {
    fn new(reference: &Reference, credentials: &Credentials) -> anyhow::Result<Connection> {
        let insecure = std::env::var(INSECURE_VARIABLE).ok();
        let plain = plain_http_allowed(&reference.registry, insecure.as_deref());
        let image = oci_client::Reference::with_tag(
            reference.registry.clone(),
            reference.repository.clone(),
            "latest".to_string(),
        );
        let host = image.resolve_registry().to_string();
        let client = Client::try_from(ClientConfig {
            protocol: if plain {
                ClientProtocol::HttpsExcept(vec![host.clone()])
            } else {
                ClientProtocol::Https
            },
            connect_timeout: Some(TIMEOUT),
            read_timeout: Some(TIMEOUT),
            platform_resolver: None,
            ..ClientConfig::default()
        })
        .context("cannot set up the registry client")?;
        let http = reqwest::Client::builder()
            .connect_timeout(TIMEOUT)
            .read_timeout(TIMEOUT)
            .https_only(!plain)
            .build()
            .context("cannot set up the HTTP client")?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("cannot start the async runtime")?;
        Ok(Connection {
            runtime,
            client,
            http,
            credentials: credentials.clone(),
            image,
            registry: reference.registry.clone(),
            repository: reference.repository.clone(),
            base: format!("{}://{host}", if plain { "http" } else { "https" }),
        })
    }

    fn tagged(&self, tag: &str) -> oci_client::Reference {
        oci_client::Reference::with_tag(
            self.registry.clone(),
            self.repository.clone(),
            tag.to_string(),
        )
    }

    /// The refusal of a request for want of (valid) credentials, saying how
    /// to give them.
    fn login_error(&self) -> anyhow::Error {
        let registry = &self.registry;
        match &self.credentials {
            Credentials::Anonymous => anyhow!(
                "registry {registry} asks for credentials for {}: set {USERNAME_VARIABLE} and \
                 {PASSWORD_VARIABLE}, or run `docker login {registry}`",
                self.repository
            ),
            Credentials::Basic { origin, .. } => anyhow!(
                "registry {registry} refused the credentials from {origin} for {}: check the \
                 user name and password (or token) and that the account may use this repository",
                self.repository
            ),
        }
    }

    fn explain(&self, error: OciDistributionError) -> anyhow::Error {
        let status_unauthorized =
            |code: u16| code == reqwest::StatusCode::UNAUTHORIZED.as_u16() || code == 403;
        let unauthorized = match &error {
            OciDistributionError::UnauthorizedError { .. }
            | OciDistributionError::AuthenticationFailure(_) => true,
            OciDistributionError::RegistryError { envelope, .. } => {
                envelope.errors.iter().any(|error| {
                    matches!(
                        error.code,
                        OciErrorCode::Unauthorized | OciErrorCode::Denied
                    )
                })
            }
            OciDistributionError::ServerError { code, .. } => status_unauthorized(*code),
            OciDistributionError::RequestError(error) => error
                .status()
                .is_some_and(|status| status_unauthorized(status.as_u16())),
            _ => false,
        };
        if unauthorized {
            return self.login_error();
        }
        anyhow!("registry {}: {error}", self.registry)
    }

    fn push(&self, artifact: &Artifact, tags: &[String]) -> anyhow::Result<()> {
        let auth = self.credentials.auth();
        self.runtime.block_on(async {
            self.client
                .auth(&self.image, &auth, RegistryOperation::Push)
                .await
                .map_err(|error| self.explain(error))?;
            let mut pushed = std::collections::BTreeSet::new();
            for blob in artifact.blobs() {
                let digest = &blob.descriptor.digest;
                if !pushed.insert(digest) {
                    continue;
                }
                let present = self
                    .client
                    .blob_exists(&self.image, digest)
                    .await
                    .map_err(|error| self.explain(error))?;
                if !present {
                    self.client
                        .push_blob(&self.image, blob.bytes.clone(), digest)
                        .await
                        .map_err(|error| self.explain(error))
                        .with_context(|| {
                            format!(
                                "cannot push {}",
                                blob.descriptor.title().unwrap_or("the pack manifest")
                            )
                        })?;
                }
            }
            for tag in tags {
                self.client
                    .push_manifest_raw(
                        &self.tagged(tag),
                        artifact.manifest_json.clone(),
                        HeaderValue::from_static(IMAGE_MANIFEST_MEDIA_TYPE),
                    )
                    .await
                    .map_err(|error| self.explain(error))
                    .with_context(|| format!("cannot tag {tag}"))?;
            }
            Ok(())
        })
    }

    fn tags(&self) -> anyhow::Result<Vec<String>> {
        let auth = self.credentials.auth();
        self.runtime.block_on(async {
            let mut tags: Vec<String> = Vec::new();
            loop {
                let page = self
                    .client
                    .list_tags(
                        &self.image,
                        &auth,
                        Some(TAG_PAGE),
                        tags.last().map(String::as_str),
                    )
                    .await
                    .map_err(|error| self.explain(error))?;
                let full = page.tags.len() >= TAG_PAGE;
                tags.extend(page.tags);
                if !full {
                    return Ok(tags);
                }
            }
        })
    }

    /// The `Authorization` header for pulls, if the registry wants one: a
    /// bearer token from its token service, else basic credentials.
    async fn pull_authorization(&self) -> anyhow::Result<Option<HeaderValue>> {
        let auth = self.credentials.auth();
        let token = self
            .client
            .auth(&self.image, &auth, RegistryOperation::Pull)
            .await
            .map_err(|error| self.explain(error))?;
        let value = match (token, &self.credentials) {
            (Some(token), _) => format!("Bearer {token}"),
            (
                None,
                Credentials::Basic {
                    username, password, ..
                },
            ) => format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}"))
            ),
            (None, Credentials::Anonymous) => return Ok(None),
        };
        let mut value = HeaderValue::from_str(&value)
            .context("the credentials are not valid in an HTTP header")?;
        value.set_sensitive(true);
        Ok(Some(value))
    }

    /// GETs `/v2/<repository>/<path>` and reads at most `limit` bytes.
    async fn get(
        &self,
        path: &str,
        accept: Option<&str>,
        authorization: Option<&HeaderValue>,
        limit: u64,
        what: &str,
    ) -> anyhow::Result<Vec<u8>> {
        let url = format!("{}/v2/{}/{path}", self.base, self.repository);
        let mut request = self.http.get(&url);
        if let Some(accept) = accept {
            request = request.header(ACCEPT, accept);
        }
        if let Some(authorization) = authorization {
            request = request.header(AUTHORIZATION, authorization.clone());
        }
        let mut response = request
            .send()
            .await
            .with_context(|| format!("cannot reach registry {} ({url})", self.registry))?;
        let status = response.status();
        if status == reqwest::StatusCode::UNAUTHORIZED || status == reqwest::StatusCode::FORBIDDEN {
            return Err(self.login_error());
        }
        if status == reqwest::StatusCode::NOT_FOUND {
            bail!("registry {} has no {what} ({url})", self.registry);
        }
        if !status.is_success() {
            bail!(
                "registry {} answered {status} for {what} ({url})",
                self.registry
            );
        }
        if let Some(length) = response.content_length()
            && length > limit
        {
            bail!("{what}: the registry announces {length} bytes, more than the {limit} expected");
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .with_context(|| format!("{what}: the download from {} broke off", self.registry))?
        {
            if (bytes.len() + chunk.len()) as u64 > limit {
                bail!("{what}: the registry sent more than the {limit} bytes expected");
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes)
    }

    fn fetch(&self, reference: &Reference, staging: &std::path::Path) -> anyhow::Result<String> {
        let Some(wanted) = reference.digest.as_ref().or(reference.tag.as_ref()) else {
            bail!(
                "{reference} names no version: add :TAG (e.g. :1.2.0, or :1 for the newest 1.x) \
                 or @sha256:DIGEST"
            );
        };
        let (authorization, manifest_bytes) = self.runtime.block_on(async {
            let authorization = self.pull_authorization().await?;
            // Ask for an index too, so that a registry that holds one
            // answers with it and is refused for it, rather than with 404.
            let accept = format!("{IMAGE_MANIFEST_MEDIA_TYPE}, {IMAGE_INDEX_MEDIA_TYPE}");
            let bytes = self
                .get(
                    &format!("manifests/{wanted}"),
                    Some(&accept),
                    authorization.as_ref(),
                    OCI_MANIFEST_BYTES,
                    &format!("manifest {wanted} in {}", self.repository),
                )
                .await?;
            anyhow::Ok((authorization, bytes))
        })?;
        let digest = format!("sha256:{}", sha256_hex(&manifest_bytes));
        if let Some(expected) = &reference.digest
            && digest != *expected
        {
            bail!(
                "the registry sent a manifest that hashes to {digest}, not the {expected} asked for"
            );
        }
        let manifest = ImageManifest::parse(&manifest_bytes)
            .with_context(|| format!("{reference} ({digest})"))?;
        let mut blobs = RegistryBlobs {
            connection: self,
            authorization,
        };
        unpack(&manifest, &mut blobs, staging)?;
        Ok(digest)
    }
}

struct RegistryBlobs<'a> {
    connection: &'a Connection,
    authorization: Option<HeaderValue>,
}

impl BlobSource for RegistryBlobs<'_> {
    fn read(&mut self, descriptor: &Descriptor, what: &str) -> anyhow::Result<Vec<u8>> {
        let connection = self.connection;
        connection.runtime.block_on(connection.get(
            &format!("blobs/{}", descriptor.digest),
            None,
            self.authorization.as_ref(),
            descriptor.size,
            what,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floating_tags_follow_releases_only() {
        let tags = |version: &str| version_tags(&semver::Version::parse(version).unwrap());
        assert_eq!(tags("1.2.3"), ["1.2.3", "1.2", "1"]);
        assert_eq!(tags("0.4.0"), ["0.4.0", "0.4", "0"]);
        assert_eq!(tags("1.3.0-rc.1"), ["1.3.0-rc.1"]);
        assert_eq!(tags("1.3.0+build.5"), ["1.3.0_build.5", "1.3", "1"]);
    }

    #[test]
    fn plain_http_is_for_loopback_and_listed_registries() {
        for registry in [
            "127.0.0.1:5000",
            "localhost:5000",
            "localhost",
            "[::1]:5000",
            "127.0.0.2",
        ] {
            assert!(plain_http_allowed(registry, None), "{registry}");
        }
        assert!(!plain_http_allowed("ghcr.io", None));
        assert!(!plain_http_allowed(
            "registry.lan:5000",
            Some("registry.lan")
        ));
        assert!(plain_http_allowed(
            "registry.lan:5000",
            Some("other:1, registry.lan:5000")
        ));
    }

    #[test]
    fn credentials_come_from_the_environment_then_docker_config() {
        let dir = tempfile::tempdir().unwrap();
        let docker = dir.path().join("docker");
        std::fs::create_dir(&docker).unwrap();
        std::fs::write(
            docker.join("config.json"),
            r#"{"auths": {"https://registry.example.com/v1/": {"auth": "YWxpY2U6czNjcjN0"},
                          "helper.example.com": {}}}"#,
        )
        .unwrap();
        let docker_dir = docker.display().to_string();
        let environment = |pairs: Vec<(&'static str, String)>| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(key, _)| *key == name)
                    .map(|(_, value)| value.clone())
            }
        };
        let basic = |credentials: Credentials| match credentials {
            Credentials::Basic {
                username, password, ..
            } => Some((username, password)),
            Credentials::Anonymous => None,
        };

        let from_config = Credentials::resolve(
            "registry.example.com",
            environment(vec![("DOCKER_CONFIG", docker_dir.clone())]),
        )
        .unwrap();
        assert_eq!(basic(from_config), Some(("alice".into(), "s3cr3t".into())));
        for registry in ["helper.example.com", "other.example.com"] {
            let none = Credentials::resolve(
                registry,
                environment(vec![("DOCKER_CONFIG", docker_dir.clone())]),
            )
            .unwrap();
            assert_eq!(basic(none), None, "{registry}");
        }
        let from_variables = Credentials::resolve(
            "registry.example.com",
            environment(vec![
                ("DOCKER_CONFIG", docker_dir.clone()),
                (USERNAME_VARIABLE, "bob".into()),
                (PASSWORD_VARIABLE, "pw".into()),
            ]),
        )
        .unwrap();
        assert_eq!(basic(from_variables), Some(("bob".into(), "pw".into())));
        let half = Credentials::resolve(
            "registry.example.com",
            environment(vec![(USERNAME_VARIABLE, "bob".into())]),
        );
        assert!(half.is_err());
    }
}
