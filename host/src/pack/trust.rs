//! The trust store: publisher keys, each scoped to the pack names it may
//! sign (`acme/*`, `acme/extra`), and the one decision of whether a pack's
//! signatures make it trusted.

use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};

use super::manifest::PackName;
use super::signature::{self, KeyKind, Match, PublicKey, Signature};

const TRUST_FILE: &str = "trust.toml";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrustedKey {
    pub name: String,
    pub kind: KeyKind,
    pub public_key: String,
    pub packs: Vec<String>,
}

impl TrustedKey {
    fn key(&self) -> PublicKey {
        PublicKey {
            kind: self.kind,
            text: self.public_key.clone(),
        }
    }

    pub fn fingerprint(&self) -> String {
        self.key().fingerprint()
    }

    pub fn may_sign(&self, pack: &PackName) -> bool {
        self.packs
            .iter()
            .any(|pattern| scope_matches(pattern, pack))
    }
}

/// `acme/*` covers every pack of publisher acme; anything else is exact.
fn scope_matches(pattern: &str, pack: &PackName) -> bool {
    match pattern.strip_suffix("/*") {
        Some(publisher) => publisher == pack.publisher(),
        None => pattern == pack.to_string(),
    }
}

fn check_scope(pattern: &str) -> anyhow::Result<()> {
    let name = match pattern.strip_suffix("/*") {
        Some(publisher) => format!("{publisher}/any"),
        None => pattern.to_string(),
    };
    name.parse::<PackName>()
        .map(drop)
        .with_context(|| format!("--packs {pattern:?}: give publisher/pack or publisher/*"))
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrustStore {
    #[serde(rename = "key", default)]
    pub keys: Vec<TrustedKey>,
    #[serde(skip)]
    path: PathBuf,
}

/// Who signed an installed pack, as the lock file and reports show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Signer {
    Key {
        name: String,
        fingerprint: String,
    },
    /// Nobody the user trusts; `allowed` records that the user said
    /// --allow-unsigned for a pack that needed a signature.
    Unsigned {
        allowed: bool,
    },
}

impl fmt::Display for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Signer::Key { name, fingerprint } => write!(f, "{name} ({fingerprint})"),
            Signer::Unsigned { allowed: true } => write!(f, "unsigned (--allow-unsigned)"),
            Signer::Unsigned { allowed: false } => write!(f, "unsigned (local)"),
        }
    }
}

impl TrustStore {
    pub fn open(config_dir: &Path) -> anyhow::Result<TrustStore> {
        let path = config_dir.join(TRUST_FILE);
        let mut store = match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str::<TrustStore>(&text)
                .with_context(|| format!("{} is not a valid trust store", path.display()))?,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => TrustStore::default(),
            Err(error) => {
                return Err(error).with_context(|| format!("cannot read {}", path.display()));
            }
        };
        store.path = path;
        Ok(store)
    }

    fn save(&self) -> anyhow::Result<()> {
        if let Some(parent) = self.path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        let text = format!(
            "# Publisher keys trusted to sign Plumbline check packs (host trust add|list|remove).\n{}",
            toml::to_string_pretty(self).expect("the trust store serializes")
        );
        crate::report::write_atomically(&self.path, text.as_bytes())
    }

    pub fn add(
        &mut self,
        name: &str,
        key_file: &Path,
        packs: &[String],
    ) -> anyhow::Result<&TrustedKey> {
        if name.trim().is_empty() || name.chars().any(char::is_control) {
            bail!("--name must be a non-empty name without control characters");
        }
        for pattern in packs {
            check_scope(pattern)?;
        }
        let text = std::fs::read_to_string(key_file)
            .with_context(|| format!("cannot read {}", key_file.display()))?;
        let key = PublicKey::from_file_text(&text)
            .with_context(|| format!("{} is not a public key", key_file.display()))?;
        if let Some(existing) = self.keys.iter().find(|trusted| trusted.name == name) {
            bail!(
                "a key named {name:?} is already trusted ({}); remove it first with `host trust remove {name}`",
                existing.fingerprint()
            );
        }
        if let Some(existing) = self
            .keys
            .iter()
            .find(|trusted| trusted.public_key == key.text)
        {
            bail!("this key is already trusted as {:?}", existing.name);
        }
        self.keys.push(TrustedKey {
            name: name.to_string(),
            kind: key.kind,
            public_key: key.text,
            packs: packs.to_vec(),
        });
        self.save()?;
        Ok(self.keys.last().expect("just added"))
    }

    pub fn remove(&mut self, name: &str) -> anyhow::Result<()> {
        let before = self.keys.len();
        self.keys.retain(|key| key.name != name);
        if self.keys.len() == before {
            bail!("no trusted key is named {name:?} (see `host trust list`)");
        }
        self.save()
    }

    /// Decides whether `pack` is trusted from the signatures in its folder.
    /// A signature by a trusted key that does not verify, or by a key not
    /// trusted for this pack's name, refuses the pack even with
    /// `allow_unsigned`: both are evidence of tampering or impersonation. A
    /// pack signed by nobody the store knows is refused when it comes from a
    /// remote source, unless the user allows unsigned packs.
    pub fn judge(
        &self,
        pack: &PackName,
        manifest: &[u8],
        signatures: &[Signature],
        remote: bool,
        allow_unsigned: bool,
    ) -> anyhow::Result<Signer> {
        let mut unknown = Vec::new();
        for signature in signatures {
            // Each arm but OtherSigner ends the judgement, so a signature
            // that gets past this loop is by a key the store does not hold.
            for trusted in self.keys.iter().filter(|key| key.kind == signature.kind()) {
                match signature::check(&trusted.key(), signature, manifest) {
                    Match::OtherSigner => continue,
                    Match::Invalid => bail!(
                        "the {} signature by {:?} ({}) does not match the manifest: the pack was \
                         changed after it was signed",
                        kind_name(signature.kind()),
                        trusted.name,
                        trusted.fingerprint()
                    ),
                    Match::Valid if !trusted.may_sign(pack) => bail!(
                        "{pack} is signed by {:?} ({}), but that key is trusted only for {}, not for \
                         {pack}; if this publisher really owns {pack}, trust the key for it with \
                         `host trust add --packs {pack}`",
                        trusted.name,
                        trusted.fingerprint(),
                        trusted.packs.join(", ")
                    ),
                    Match::Valid => {
                        return Ok(Signer::Key {
                            name: trusted.name.clone(),
                            fingerprint: trusted.fingerprint(),
                        });
                    }
                }
            }
            unknown.push(signature.claimed_signer());
        }
        if !remote {
            return Ok(Signer::Unsigned { allowed: false });
        }
        if allow_unsigned {
            return Ok(Signer::Unsigned { allowed: true });
        }
        if unknown.is_empty() {
            bail!(
                "{pack} is not signed; a pack from a remote source must be signed by a key you trust \
                 (host trust add), or installed with --allow-unsigned"
            )
        }
        bail!(
            "{pack} is signed by {}, which is not in your trust store; if you trust that \
             publisher, add its public key with `host trust add KEY --name NAME --packs {}/*`, \
             or install with --allow-unsigned",
            unknown.join(" and "),
            pack.publisher()
        )
    }
}

fn kind_name(kind: KeyKind) -> &'static str {
    match kind {
        KeyKind::Minisign => "minisign",
        KeyKind::Ssh => "OpenSSH",
    }
}
