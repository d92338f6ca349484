//! Detached signatures over a pack's manifest bytes, in the two formats
//! publishers already have keys for: minisign, and OpenSSH's SSHSIG
//! (`ssh-keygen -Y sign -n plumbline-pack`). Both are made and checked here
//! with well-kept crates, and interoperate with the real tools.

use std::io::Cursor;
use std::path::Path;

use anyhow::{Context, bail};

use super::manifest::{self, MINISIGN_SIGNATURE_FILE, SSH_SIGNATURE_FILE};

/// The SSHSIG namespace: a signature made for anything else (git commits,
/// files) can never pass for a pack signature.
pub const SSH_NAMESPACE: &str = "plumbline-pack";

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeyKind {
    Minisign,
    Ssh,
}

impl KeyKind {
    pub fn signature_file(self) -> &'static str {
        match self {
            KeyKind::Minisign => MINISIGN_SIGNATURE_FILE,
            KeyKind::Ssh => SSH_SIGNATURE_FILE,
        }
    }
}

/// A public key as a trust store keeps it: its kind and its one-line text
/// (minisign's base64 key, or an OpenSSH `ssh-ed25519 AAAA...` line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    pub kind: KeyKind,
    pub text: String,
}

impl PublicKey {
    /// Reads a minisign `.pub` file or an OpenSSH public key file.
    pub fn from_file_text(text: &str) -> anyhow::Result<PublicKey> {
        let text = text.trim();
        if text.starts_with("ssh-") || text.starts_with("ecdsa-") {
            let key = ssh_key::PublicKey::from_openssh(text)
                .context("it looks like an OpenSSH public key but does not parse")?;
            return Ok(PublicKey {
                kind: KeyKind::Ssh,
                text: key.to_openssh().context("cannot encode the OpenSSH key")?,
            });
        }
        // A minisign .pub file is an untrusted comment line and the key line.
        let line = text.lines().last().unwrap_or_default().trim();
        let key = minisign::PublicKey::from_base64(line).map_err(|error| {
            anyhow::anyhow!(
                "it is neither a minisign public key (minisign -G) nor an OpenSSH public key \
                 (ssh-keygen): {error}"
            )
        })?;
        Ok(PublicKey {
            kind: KeyKind::Minisign,
            text: key.to_base64(),
        })
    }

    /// A short, stable identity shown to users: minisign's key id, or the
    /// SSH key's SHA256 fingerprint.
    pub fn fingerprint(&self) -> String {
        match self.kind {
            KeyKind::Minisign => minisign::PublicKey::from_base64(&self.text)
                .map(|key| format!("minisign key {}", key_id(key.keynum())))
                .unwrap_or_else(|_| "minisign key (unreadable)".into()),
            KeyKind::Ssh => ssh_key::PublicKey::from_openssh(&self.text)
                .map(|key| key.fingerprint(ssh_key::HashAlg::Sha256).to_string())
                .unwrap_or_else(|_| "ssh key (unreadable)".into()),
        }
    }

    /// Whether `signature` names this key as its signer (before checking it).
    fn is_signer_of(&self, signature: &Signature) -> bool {
        match (self.kind, signature) {
            (KeyKind::Minisign, Signature::Minisign(signature)) => {
                minisign::PublicKey::from_base64(&self.text)
                    .is_ok_and(|key| key.keynum() == signature.keynum())
            }
            (KeyKind::Ssh, Signature::Ssh(signature)) => {
                ssh_key::PublicKey::from_openssh(&self.text)
                    .is_ok_and(|key| key.key_data() == signature.public_key())
            }
            _ => false,
        }
    }

    /// Checks `signature` over `message` with this key.
    fn verifies(&self, signature: &Signature, message: &[u8]) -> bool {
        match signature {
            Signature::Minisign(signature) => minisign::PublicKey::from_base64(&self.text)
                .is_ok_and(|key| {
                    minisign::verify(&key, signature, Cursor::new(message), true, false, false)
                        .is_ok()
                }),
            Signature::Ssh(signature) => ssh_key::PublicKey::from_openssh(&self.text)
                .is_ok_and(|key| key.verify(SSH_NAMESPACE, message, signature).is_ok()),
        }
    }
}

fn key_id(keynum: &[u8]) -> String {
    keynum
        .iter()
        .rev()
        .map(|byte| format!("{byte:02X}"))
        .collect()
}

/// A signature file found next to a manifest.
pub enum Signature {
    Minisign(minisign::SignatureBox),
    Ssh(ssh_key::SshSig),
}

impl Signature {
    /// The signatures in a pack folder; a file that is present but does not
    /// parse is an error, never ignored.
    pub fn read_all(pack: &Path) -> anyhow::Result<Vec<Signature>> {
        let mut found = Vec::new();
        for kind in [KeyKind::Minisign, KeyKind::Ssh] {
            let path = pack.join(kind.signature_file());
            if !path.exists() {
                continue;
            }
            let bytes = manifest::read_bounded(&path, manifest::limits::SIGNATURE_BYTES)?;
            let text = String::from_utf8(bytes)
                .with_context(|| format!("{} is not text", path.display()))?;
            let signature = match kind {
                KeyKind::Minisign => minisign::SignatureBox::from_string(&text)
                    .map(Signature::Minisign)
                    .map_err(|error| anyhow::anyhow!("{error}")),
                KeyKind::Ssh => ssh_key::SshSig::from_pem(text.as_bytes())
                    .map(Signature::Ssh)
                    .map_err(anyhow::Error::from),
            }
            .with_context(|| format!("{} is not a valid signature file", path.display()))?;
            found.push(signature);
        }
        Ok(found)
    }

    pub fn kind(&self) -> KeyKind {
        match self {
            Signature::Minisign(_) => KeyKind::Minisign,
            Signature::Ssh(_) => KeyKind::Ssh,
        }
    }

    /// Who the signature says signed it, for messages about unknown keys.
    pub fn claimed_signer(&self) -> String {
        match self {
            Signature::Minisign(signature) => {
                format!("minisign key {}", key_id(signature.keynum()))
            }
            Signature::Ssh(signature) => ssh_key::PublicKey::from(signature.public_key().clone())
                .fingerprint(ssh_key::HashAlg::Sha256)
                .to_string(),
        }
    }
}

/// What checking one signature against one trusted key found.
pub enum Match {
    /// The key is the signature's signer and the signature is valid.
    Valid,
    /// The key is the signer, but the signature does not match the message:
    /// the manifest was changed after signing.
    Invalid,
    /// Another key made this signature.
    OtherSigner,
}

pub fn check(key: &PublicKey, signature: &Signature, message: &[u8]) -> Match {
    if !key.is_signer_of(signature) {
        Match::OtherSigner
    } else if key.verifies(signature, message) {
        Match::Valid
    } else {
        Match::Invalid
    }
}

/// minisign 0.11 writes a key made with `-W` (no password) with an
/// all-zero checksum, which the minisign crate takes for a still-encrypted
/// key; the checksum (BLAKE2b-256 of the algorithm, key id and secret key)
/// is recomputed for such keys. `None` for any other key.
fn unencrypted_minisign_key(key_text: &str) -> Option<minisign::SecretKey> {
    use base64::Engine as _;
    use blake2::Digest as _;
    const KDF_NONE: [u8; 2] = [0, 0];
    let line = key_text.lines().nth(1)?.trim();
    let mut bytes = base64::engine::general_purpose::STANDARD
        .decode(line)
        .ok()?;
    // sig_alg(2) kdf_alg(2) chk_alg(2) salt(32) opslimit(8) memlimit(8)
    // keynum(8) secret key(64) checksum(32)
    if bytes.len() != 158 || bytes[2..4] != KDF_NONE || bytes[126..].iter().any(|&b| b != 0) {
        return None;
    }
    let mut checksum = blake2::Blake2b::<blake2::digest::consts::U32>::new();
    checksum.update(&bytes[0..2]);
    checksum.update(&bytes[54..126]);
    bytes[126..].copy_from_slice(&checksum.finalize());
    minisign::SecretKey::from_bytes(&bytes).ok()
}

/// Signs the manifest of the pack folder `pack` with a minisign secret key
/// or an OpenSSH private key; returns the signature file written.
pub fn sign(
    pack: &Path,
    key_file: &Path,
    password: Option<String>,
) -> anyhow::Result<std::path::PathBuf> {
    let (manifest, bytes) = manifest::Manifest::read(pack)?;
    let key_text = std::fs::read_to_string(key_file)
        .with_context(|| format!("cannot read the key {}", key_file.display()))?;
    let (kind, signature) = if key_text.contains("-----BEGIN OPENSSH PRIVATE KEY-----") {
        let mut key = ssh_key::PrivateKey::from_openssh(&key_text).with_context(|| {
            format!(
                "{} is not a readable OpenSSH private key",
                key_file.display()
            )
        })?;
        if key.is_encrypted() {
            let Some(password) = password else {
                bail!(
                    "{} is encrypted: put its passphrase in an environment variable and name it \
                     with --password-env",
                    key_file.display()
                );
            };
            key = key.decrypt(password.as_bytes()).with_context(|| {
                format!("cannot decrypt {}: wrong passphrase?", key_file.display())
            })?;
        }
        let signature = key
            .sign(SSH_NAMESPACE, ssh_key::HashAlg::Sha512, &bytes)
            .context("cannot sign with the OpenSSH key")?;
        let pem = signature
            .to_pem(ssh_key::LineEnding::LF)
            .context("cannot encode the SSH signature")?;
        (KeyKind::Ssh, pem)
    } else {
        let secret_box = minisign::SecretKeyBox::from_string(&key_text).map_err(|error| {
            anyhow::anyhow!(
                "{} is neither a minisign secret key (minisign -G) nor an OpenSSH private key: {error}",
                key_file.display()
            )
        })?;
        let secret = match password {
            Some(password) => secret_box.into_secret_key(Some(password)),
            None => unencrypted_minisign_key(&key_text)
                .map_or_else(|| secret_box.into_unencrypted_secret_key(), Ok),
        }
        .map_err(|error| {
            anyhow::anyhow!(
                "cannot open the minisign key {} ({error}); an encrypted key needs its password \
                 in an environment variable named with --password-env",
                key_file.display()
            )
        })?;
        let trusted_comment = format!(
            "plumbline pack {} {} manifest sha256 {}",
            manifest.pack.name,
            manifest.pack.version,
            manifest::sha256_hex(&bytes)
        );
        let signature = minisign::sign(
            None,
            &secret,
            Cursor::new(&bytes),
            Some(&trusted_comment),
            None,
        )
        .map_err(|error| anyhow::anyhow!("cannot sign with the minisign key: {error}"))?;
        (KeyKind::Minisign, signature.into_string())
    };
    let path = pack.join(kind.signature_file());
    crate::report::write_atomically(&path, signature.as_bytes())?;
    Ok(path)
}
