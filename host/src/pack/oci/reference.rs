//! `registry[:port]/repository[:tag][@sha256:digest]`, as users write it
//! after `oci://`.

use std::fmt;

use anyhow::bail;

/// Where a pack lives in a registry. The registry is always explicit: a pack
/// reference never falls back to Docker Hub, so `acme/extra` cannot quietly
/// mean someone else's artifact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub registry: String,
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

/// The OCI distribution spec's bound on a repository name.
const REPOSITORY_BYTES: usize = 255;
const TAG_BYTES: usize = 128;

impl Reference {
    pub fn parse(text: &str) -> anyhow::Result<Reference> {
        let example =
            "e.g. ghcr.io/acme/extra:1.2.0 or localhost:5000/acme/extra@sha256:<64 hex digits>";
        let (name, digest) = match text.split_once('@') {
            Some((name, digest)) => (name, Some(parse_digest(text, digest)?)),
            None => (text, None),
        };
        let Some((registry, path)) = name.split_once('/') else {
            bail!(
                "{text:?} is not an OCI reference: name the registry and the repository, {example}"
            );
        };
        if !is_registry(registry) {
            bail!(
                "{text:?}: {registry:?} is not a registry host: the reference must start with the \
                 registry (a host name with a '.', localhost, or an address, optionally with :port), {example}"
            );
        }
        // The tag follows the last ':' of the path; the registry's port is
        // already split off, and repositories hold no ':'.
        let (repository, tag) = match path.rsplit_once(':') {
            Some((repository, tag)) => (repository, Some(tag)),
            None => (path, None),
        };
        check_repository(text, repository)?;
        if let Some(tag) = tag {
            check_tag(text, tag)?;
        }
        Ok(Reference {
            registry: registry.to_string(),
            repository: repository.to_string(),
            tag: tag.map(str::to_string),
            digest,
        })
    }

    /// The same repository, without tag or digest.
    pub fn repository_only(&self) -> Reference {
        Reference {
            tag: None,
            digest: None,
            ..self.clone()
        }
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.registry, self.repository)?;
        if let Some(tag) = &self.tag {
            write!(f, ":{tag}")?;
        }
        if let Some(digest) = &self.digest {
            write!(f, "@{digest}")?;
        }
        Ok(())
    }
}

/// `sha256:` and 64 lower-case hex digits: the only digest Plumbline writes,
/// and the one every blob is verified against.
pub(super) fn is_sha256_digest(digest: &str) -> bool {
    digest.strip_prefix("sha256:").is_some_and(|hex| {
        hex.len() == 64 && hex.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f'))
    })
}

fn parse_digest(text: &str, digest: &str) -> anyhow::Result<String> {
    if !is_sha256_digest(digest) {
        bail!(
            "{text:?}: the digest after '@' must be sha256: and 64 lower-case hex digits \
             (as `host pack publish` prints it), not {digest:?}"
        );
    }
    Ok(digest.to_string())
}

/// A host name, an IPv4 address or a bracketed IPv6 address, with an
/// optional port. A bare word is refused unless it is `localhost`: Docker
/// would read it as the first part of a Docker Hub repository.
fn is_registry(registry: &str) -> bool {
    let (host, port) = if let Some(rest) = registry.strip_prefix('[') {
        match rest.split_once(']') {
            Some((address, port)) if address.parse::<std::net::Ipv6Addr>().is_ok() => {
                if port.is_empty() {
                    return true;
                }
                match port.strip_prefix(':') {
                    Some(port) => (None, Some(port)),
                    None => return false,
                }
            }
            _ => return false,
        }
    } else {
        match registry.split_once(':') {
            Some((host, port)) => (Some(host), Some(port)),
            None => (Some(registry), None),
        }
    };
    let port_ok = port.is_none_or(|port| {
        !port.is_empty() && port.len() <= 5 && port.parse::<u16>().is_ok_and(|port| port > 0)
    });
    let host_ok = host.is_none_or(|host| {
        let labels_ok = host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
        labels_ok && (host.contains('.') || host == "localhost" || port.is_some())
    });
    port_ok && host_ok
}

/// Path components of lower-case letters and digits, joined by `.`, `_`,
/// `__` or runs of `-` (the distribution spec's grammar).
fn check_repository(text: &str, repository: &str) -> anyhow::Result<()> {
    let component_ok = |component: &str| {
        let bytes = component.as_bytes();
        let alnum = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
        if bytes.is_empty() || !alnum(&bytes[0]) || !alnum(&bytes[bytes.len() - 1]) {
            return false;
        }
        let mut separator = String::new();
        for &byte in bytes {
            if alnum(&byte) {
                let allowed = separator.is_empty()
                    || separator == "."
                    || separator == "_"
                    || separator == "__"
                    || separator.bytes().all(|b| b == b'-');
                if !allowed {
                    return false;
                }
                separator.clear();
            } else if matches!(byte, b'.' | b'_' | b'-') {
                separator.push(byte as char);
            } else {
                return false;
            }
        }
        true
    };
    if repository.is_empty() {
        bail!("{text:?}: the repository after the registry is empty");
    }
    if repository.len() > REPOSITORY_BYTES || !repository.split('/').all(component_ok) {
        bail!(
            "{text:?}: {repository:?} is not a repository name: '/'-separated parts of lower-case \
             letters and digits, joined by '.', '_', '__' or '-', at most {REPOSITORY_BYTES} characters"
        );
    }
    Ok(())
}

fn check_tag(text: &str, tag: &str) -> anyhow::Result<()> {
    let valid = !tag.is_empty()
        && tag.len() <= TAG_BYTES
        && tag
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        && tag
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    if !valid {
        bail!(
            "{text:?}: {tag:?} is not a tag: letters, digits, '_', '.' and '-', not starting \
             with '.' or '-', at most {TAG_BYTES} characters"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_parse_and_display_round_trips() {
        let digest = format!("sha256:{}", "a".repeat(64));
        for text in [
            "ghcr.io/acme/extra".to_string(),
            "ghcr.io/acme/extra:1.2.0".to_string(),
            "localhost:5000/acme/s3-extra:1".to_string(),
            "127.0.0.1:5000/extra".to_string(),
            "[::1]:5000/a/b/c:v1_0".to_string(),
            "registry.example.com/team/packs/extra".to_string(),
            format!("ghcr.io/acme/extra@{digest}"),
            format!("ghcr.io/acme/extra:1.2.0@{digest}"),
        ] {
            let reference =
                Reference::parse(&text).unwrap_or_else(|error| panic!("{text}: {error:#}"));
            assert_eq!(reference.to_string(), text);
        }
        let reference = Reference::parse("localhost:5000/acme/extra:1.2").unwrap();
        assert_eq!(reference.registry, "localhost:5000");
        assert_eq!(reference.repository, "acme/extra");
        assert_eq!(reference.tag.as_deref(), Some("1.2"));
        assert_eq!(
            reference.repository_only().to_string(),
            "localhost:5000/acme/extra"
        );
    }

    #[test]
    fn bad_references_say_what_is_wrong() {
        for (text, says) in [
            ("acme/extra", "not a registry host"),
            ("extra", "name the registry"),
            ("ghcr.io/", "repository after the registry is empty"),
            ("ghcr.io/Acme/extra", "not a repository name"),
            ("ghcr.io/acme//extra", "not a repository name"),
            ("ghcr.io/acme/extra-", "not a repository name"),
            ("ghcr.io/acme/extra:", "is not a tag"),
            ("ghcr.io/acme/extra:-x", "is not a tag"),
            ("ghcr.io/acme/extra:1.0+build", "is not a tag"),
            ("ghcr.io/acme/extra@sha256:abc", "64 lower-case hex digits"),
            ("ghcr.io/acme/extra@md5:0123", "64 lower-case hex digits"),
            ("host:99999/acme/extra", "not a registry host"),
            ("[::1/acme/extra", "not a registry host"),
        ] {
            let error = format!("{:#}", Reference::parse(text).unwrap_err());
            assert!(error.contains(says), "{text}: {error}");
        }
    }
}
