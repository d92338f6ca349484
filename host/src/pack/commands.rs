//! The `host pack` and `host trust` commands.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use super::build;
use super::changes::Changes;
use super::manifest::{Manifest, PackName};
use super::oci;
use super::source::Source;
use super::store::{LockFile, LockedPack, Staging, Store, default_config_dir, default_packs_dir};
use super::trust::{Signer, TrustStore};
use super::verify::{VerifiedPack, Verifier};
use crate::cli::{
    Format, PackCommand, PackDiffArgs, PackInstallArgs, PackUpdateArgs, RuntimeArgs, StateArgs,
    TrustCommand,
};
use crate::report::untrusted::escape;
use crate::runtime::Runtime;
use crate::scan::{build_runtime, exit};

impl StateArgs {
    pub fn packs_dir(&self) -> PathBuf {
        self.packs_dir.clone().unwrap_or_else(default_packs_dir)
    }

    pub fn config_dir(&self) -> PathBuf {
        self.config_dir.clone().unwrap_or_else(default_config_dir)
    }

    fn trust(&self) -> anyhow::Result<TrustStore> {
        TrustStore::open(&self.config_dir())
    }
}

pub fn pack(command: PackCommand) -> anyhow::Result<u8> {
    match command {
        PackCommand::New(args) => {
            let name: PackName = args.name.parse()?;
            let dir = args.dir.unwrap_or_else(|| PathBuf::from(name.pack()));
            let check = args
                .check
                .unwrap_or_else(|| format!("{}-example", name.pack()));
            build::new_project(&name, &dir, &check, args.guest_sdk.as_deref())?;
            eprintln!(
                "Created pack project {name} in {} with the check {check}.\n\
                 Next: host pack build {0}   (then sign, publish or install {0}/dist)",
                dir.display()
            );
        }
        PackCommand::Build(args) => {
            let runtime = build_runtime(&args.runtime)?;
            let out = args.out.unwrap_or_else(|| args.project.join("dist"));
            let manifest = build::build(&args.project, &out, &runtime)?;
            eprintln!(
                "Built {} {} ({} checks, {}) into {}",
                manifest.pack.name,
                manifest.pack.version,
                manifest.checks.len(),
                manifest.pack.api,
                out.display()
            );
        }
        PackCommand::Verify(args) => {
            let context = PackContext::open(&args.state, &args.runtime)?;
            let verifier = context.verifier(args.allow_unsigned);
            let source = Source::parse(&args.source)?;
            let verified = stage(&context.store, &verifier, source)?.verified;
            println!(
                "{} {}: OK — {} checks, manifest sha256:{}, signer: {}",
                verified.manifest.pack.name,
                verified.manifest.pack.version,
                verified.checks.len(),
                verified.digest,
                verified.signer
            );
        }
        PackCommand::Sign(args) => {
            let password = match &args.password_env {
                Some(variable) => Some(std::env::var(variable).with_context(|| {
                    format!("--password-env {variable}: the variable is not set")
                })?),
                None => None,
            };
            let written = super::signature::sign(&args.pack, &args.key, password)?;
            eprintln!("Signed: {}", written.display());
        }
        PackCommand::Publish(args) => {
            let Some(reference) = args.reference.strip_prefix("oci://") else {
                bail!(
                    "{:?}: publish to an oci://registry/repository reference",
                    args.reference
                );
            };
            let reference = oci::Reference::parse(reference)?;
            let published = oci::publish(&args.pack, &reference)?;
            println!(
                "Published {} as {} (tags: {})",
                args.pack.display(),
                published.digest,
                published.tags.join(", ")
            );
        }
        PackCommand::Install(args) => return install(args),
        PackCommand::List(args) => {
            let lock = LockFile::read(&lock_path(&args.state))?;
            if lock.packs.is_empty() {
                println!(
                    "No packs installed in {}.",
                    args.state.packs_dir().display()
                );
            }
            for pack in &lock.packs {
                println!(
                    "{} {}  {}  signer: {}  sha256:{}",
                    pack.name,
                    pack.version,
                    pack.source,
                    pack.signer,
                    &pack.manifest_sha256[..12]
                );
            }
        }
        PackCommand::Info(args) => {
            let name: PackName = args.name.parse()?;
            let context = PackContext::open(&args.state, &args.runtime)?;
            let store = &context.store;
            let lock = store.lock_file()?;
            let locked = installed(&lock, &name, store)?;
            let verified = verify_installed(&context.runtime, store, &context.trust, locked)?;
            let (manifest, checks) = (verified.manifest, verified.checks);
            println!("{} {}", manifest.pack.name, manifest.pack.version);
            println!("  {}", escape(&manifest.pack.description));
            println!("  license: {}", escape(&manifest.pack.license));
            if !manifest.pack.authors.is_empty() {
                println!("  authors: {}", escape(&manifest.pack.authors.join(", ")));
            }
            if let Some(home) = &manifest.pack.source {
                println!("  home: {}", escape(home));
            }
            println!("  needs: plumbline:check {}", manifest.pack.api);
            println!("  installed from: {}", locked.source);
            if let Some(resolved) = &locked.resolved {
                println!("  resolved: {resolved}");
            }
            println!("  manifest: sha256:{}", locked.manifest_sha256);
            println!("  signer: {}", locked.signer);
            println!("  folder: {}", store.folder(locked).display());
            println!("  checks:");
            for check in &checks {
                let references = cis_references(&check.metadata);
                println!(
                    "    {}  {}",
                    check.metadata.id,
                    escape(&check.metadata.title)
                );
                println!("      CIS {}", references.join(", "));
            }
        }
        PackCommand::Remove(args) => {
            let name: PackName = args.name.parse()?;
            let store = Store::open(&args.state.packs_dir())?;
            let mut lock = store.lock_file()?;
            installed(&lock, &name, &store)?;
            lock.packs.retain(|pack| pack.name != name);
            store.commit(&lock)?;
            eprintln!("Removed {name}");
        }
        PackCommand::Outdated(args) => {
            let lock = LockFile::read(&lock_path(&args.state))?;
            let mut any = false;
            for pack in &lock.packs {
                if let Some((version, _)) = newer_version(pack)? {
                    any = true;
                    println!(
                        "{} {} -> {version}  ({})",
                        pack.name, pack.version, pack.source
                    );
                }
            }
            if !any {
                println!("Every installed pack is the newest of its major version.");
            }
        }
        PackCommand::Update(args) => return update(args),
        PackCommand::Diff(args) => return diff(args),
        PackCommand::Export(args) => {
            let folder = match args.pack.parse::<PackName>() {
                Ok(name) if !Path::new(&args.pack).exists() => {
                    let store = Store::open(&args.state.packs_dir())?;
                    let lock = store.lock_file()?;
                    store.folder(installed(&lock, &name, &store)?)
                }
                _ => PathBuf::from(&args.pack),
            };
            let digest = oci::export_layout(&folder, &args.out)?;
            println!(
                "Exported {} to {} ({digest})",
                folder.display(),
                args.out.display()
            );
        }
    }
    Ok(exit::CLEAN)
}

fn lock_path(state: &StateArgs) -> PathBuf {
    super::store::lock_path(&state.packs_dir())
}

fn installed<'a>(
    lock: &'a LockFile,
    name: &PackName,
    store: &Store,
) -> anyhow::Result<&'a LockedPack> {
    lock.find(name).with_context(|| {
        format!(
            "{name} is not installed in {} (see `host pack list`)",
            store.root().display()
        )
    })
}

/// What fetching and verifying packs needs: the sandbox, the trust store
/// and the packs directory, held under its lock.
struct PackContext {
    runtime: Runtime,
    trust: TrustStore,
    store: Store,
}

impl PackContext {
    fn open(state: &StateArgs, runtime: &RuntimeArgs) -> anyhow::Result<PackContext> {
        Ok(PackContext {
            runtime: build_runtime(runtime)?,
            trust: state.trust()?,
            store: Store::open(&state.packs_dir())?,
        })
    }

    fn verifier(&self, allow_unsigned: bool) -> Verifier<'_> {
        Verifier {
            trust: &self.trust,
            runtime: &self.runtime,
            allow_unsigned,
        }
    }
}

/// A pack fetched into its staging folder and verified, ready to activate.
struct Staged {
    source: Source,
    verified: VerifiedPack,
    staging: Staging,
    /// What the source resolved to (registry digest, git commit, tarball sha256).
    resolved: Option<String>,
}

/// fetch -> stage -> verify.
fn stage(store: &Store, verifier: &Verifier, source: Source) -> anyhow::Result<Staged> {
    let staging = store.staging()?;
    let fetched = source.fetch(&staging.path)?;
    let verified = verifier
        .verify(&staging.path, &source.to_string(), source.is_remote())
        .with_context(|| format!("refusing {source}"))?;
    Ok(Staged {
        source,
        verified,
        staging,
        resolved: fetched.resolved,
    })
}

fn install(args: PackInstallArgs) -> anyhow::Result<u8> {
    let context = PackContext::open(&args.state, &args.runtime)?;
    let (store, verifier) = (&context.store, context.verifier(args.allow_unsigned));
    if args.locked {
        let lock = match &args.lockfile {
            Some(path) => LockFile::read(path)?,
            None => store.lock_file()?,
        };
        return install_locked(store, &verifier, lock);
    }
    let mut lock = store.lock_file()?;
    // Everything is fetched and verified before anything is activated: one
    // bad pack in the list installs none.
    let mut ready = Vec::new();
    for text in &args.sources {
        let source = Source::parse(text)?;
        eprintln!("Fetching {source}");
        ready.push(stage(store, &verifier, source)?);
    }
    for staged in ready {
        let pack = &staged.verified.manifest.pack;
        let relative = format!("{}/{}", pack.name, staged.verified.folder_name());
        let change = match lock.find(&pack.name) {
            Some(previous) => {
                let checks = Manifest::read(&store.folder(previous))
                    .map(|(old, _)| Changes::between(&old, &staged.verified.manifest).summary())
                    .unwrap_or_else(|_| "the previous version is unreadable".into());
                format!(" (was {}; {checks})", previous.version)
            }
            None => String::new(),
        };
        lock.put(LockedPack {
            name: pack.name.clone(),
            version: pack.version.clone(),
            source: staged.source.to_string(),
            resolved: staged.resolved,
            manifest_sha256: staged.verified.digest.clone(),
            signer: staged.verified.signer.clone(),
            path: relative.clone(),
        });
        store.activate(staged.staging, &relative)?;
        eprintln!(
            "Installed {} {}{change}: {} checks, signer: {}",
            pack.name,
            pack.version,
            staged.verified.checks.len(),
            staged.verified.signer
        );
    }
    store.commit(&lock)?;
    if let Some(path) = &args.lockfile {
        lock.write(path)?;
    }
    Ok(exit::CLEAN)
}

/// Reinstalls exactly the lock file's packs, each from its resolved
/// source, and fails naming the first that differs from what was locked;
/// as with `install`, nothing is activated until every pack is verified.
fn install_locked(store: &Store, verifier: &Verifier, lock: LockFile) -> anyhow::Result<u8> {
    let mut ready = Vec::new();
    for locked in &lock.packs {
        let present = Manifest::read(&store.folder(locked))
            .is_ok_and(|(_, bytes)| super::manifest::sha256_hex(&bytes) == locked.manifest_sha256);
        if present {
            continue;
        }
        let source = pinned_source(locked)?;
        eprintln!("Fetching {} {} from {source}", locked.name, locked.version);
        let verifier = Verifier {
            allow_unsigned: matches!(locked.signer, Signer::Unsigned { allowed: true }),
            ..*verifier
        };
        let staged = stage(store, &verifier, source)?;
        let verified = &staged.verified;
        if verified.digest != locked.manifest_sha256 || verified.manifest.pack.name != locked.name {
            bail!(
                "drift: {} {} from {} is now {} {} with manifest sha256 {}, but the lock file \
                 pins sha256 {}; nothing was installed",
                locked.name,
                locked.version,
                staged.source,
                verified.manifest.pack.name,
                verified.manifest.pack.version,
                verified.digest,
                locked.manifest_sha256
            );
        }
        ready.push((staged, &locked.path));
    }
    for (staged, path) in ready {
        store.activate(staged.staging, path)?;
    }
    store.commit(&lock)?;
    eprintln!(
        "Installed exactly the {} packs of the lock file",
        lock.packs.len()
    );
    Ok(exit::CLEAN)
}

/// The locked source, narrowed to what it resolved to (the digest of a
/// registry tag, the commit of a git tag) so a moved tag cannot change it.
fn pinned_source(locked: &LockedPack) -> anyhow::Result<Source> {
    let source = Source::parse(&locked.source)?;
    Ok(match (source, &locked.resolved) {
        (Source::Oci(mut reference), Some(digest)) => {
            reference.tag = None;
            reference.digest = Some(digest.clone());
            Source::Oci(reference)
        }
        (Source::Git { url, .. }, Some(commit)) => Source::Git {
            url,
            reference: commit.clone(),
        },
        (Source::Tarball { location, .. }, Some(digest)) => Source::Tarball {
            location,
            sha256: digest.strip_prefix("sha256:").map(str::to_string),
        },
        (source, _) => source,
    })
}

/// The newest version in `pack`'s major channel that is newer than it,
/// with the source that installs it; packs from folders and tarballs are
/// pinned and never have one.
fn newer_version(pack: &LockedPack) -> anyhow::Result<Option<(semver::Version, Source)>> {
    let source = Source::parse(&pack.source)?;
    let tags = match &source {
        Source::Oci(reference) => {
            oci::tags(reference).with_context(|| format!("cannot list the tags of {source}"))?
        }
        Source::Git { url, .. } => super::git::tags(url)?,
        _ => return Ok(None),
    };
    let newest = tags
        .into_iter()
        .filter_map(|tag| {
            semver::Version::parse(tag.trim_start_matches('v'))
                .ok()
                .map(|version| (version, tag))
        })
        .filter(|(version, _)| {
            version.major == pack.version.major && version > &pack.version && version.pre.is_empty()
        })
        .max_by(|a, b| a.0.cmp(&b.0));
    let Some((version, tag)) = newest else {
        return Ok(None);
    };
    let newer = match source {
        Source::Oci(mut reference) => {
            reference.tag = Some(tag);
            reference.digest = None;
            Source::Oci(reference)
        }
        Source::Git { url, .. } => Source::Git {
            url,
            reference: tag,
        },
        other => other,
    };
    Ok(Some((version, newer)))
}

fn update(args: PackUpdateArgs) -> anyhow::Result<u8> {
    let lock = LockFile::read(&lock_path(&args.state))?;
    let names: Vec<PackName> = args
        .names
        .iter()
        .map(|name| name.parse())
        .collect::<anyhow::Result<_>>()?;
    let mut sources = Vec::new();
    for name in &names {
        if lock.find(name).is_none() {
            bail!("{name} is not installed (see `host pack list`)");
        }
    }
    for pack in &lock.packs {
        if !names.is_empty() && !names.contains(&pack.name) {
            continue;
        }
        if let Some((version, source)) = newer_version(pack)? {
            eprintln!("{} {} -> {version}", pack.name, pack.version);
            sources.push(source.to_string());
        }
    }
    if sources.is_empty() {
        eprintln!("Nothing to update.");
        return Ok(exit::CLEAN);
    }
    install(PackInstallArgs {
        sources,
        locked: false,
        lockfile: None,
        allow_unsigned: args.allow_unsigned,
        state: args.state,
        runtime: args.runtime,
    })
}

fn diff(args: PackDiffArgs) -> anyhow::Result<u8> {
    let context = PackContext::open(&args.state, &args.runtime)?;
    let (store, verifier) = (&context.store, context.verifier(args.allow_unsigned));
    let old = diff_side(store, &verifier, &args.old)?;
    let new = diff_side(store, &verifier, &args.new)?;
    let changes = Changes::between(&old.manifest, &new.manifest);
    // A removed check's CIS ids come from the old pack, the others' from the new.
    let references = |id: &String| -> Vec<String> {
        let side = if new.references.contains_key(id) {
            &new
        } else {
            &old
        };
        side.references.get(id).cloned().unwrap_or_default()
    };
    let (old_label, new_label) = (old.label(), new.label());
    let groups = [
        ("added", &changes.added),
        ("removed", &changes.removed),
        ("changed", &changes.changed),
    ];
    match args.format {
        Format::Json => {
            let mut document = serde_json::json!({ "old": old_label, "new": new_label });
            for (label, ids) in groups {
                document[label] = ids
                    .iter()
                    .map(|id| serde_json::json!({ "check": id, "cis": references(id) }))
                    .collect();
            }
            println!("{}", serde_json::to_string_pretty(&document)?);
        }
        Format::Table => {
            println!("{old_label} -> {new_label}");
            for (label, ids) in groups {
                println!("{label} ({}):", ids.len());
                for id in ids {
                    println!("  {id}  {}", references(id).join(", "));
                }
            }
        }
    }
    Ok(exit::CLEAN)
}

/// One side of a diff: a verified pack's manifest and each check's CIS ids.
struct DiffSide {
    manifest: Manifest,
    references: std::collections::BTreeMap<String, Vec<String>>,
}

impl DiffSide {
    fn label(&self) -> String {
        format!("{} {}", self.manifest.pack.name, self.manifest.pack.version)
    }
}

/// `text` is a source, or the name of an installed pack.
fn diff_side(store: &Store, verifier: &Verifier, text: &str) -> anyhow::Result<DiffSide> {
    let source = match text.parse::<PackName>() {
        Ok(name) if !Path::new(text).exists() => {
            let lock = store.lock_file()?;
            Source::Folder(store.folder(installed(&lock, &name, store)?))
        }
        _ => Source::parse(text)?,
    };
    let verified = stage(store, verifier, source)?.verified;
    let references = verified
        .checks
        .iter()
        .map(|check| (check.metadata.id.clone(), cis_references(&check.metadata)))
        .collect();
    Ok(DiffSide {
        manifest: verified.manifest,
        references,
    })
}

/// A check's CIS ids, one per benchmark version: `v3.0.0 1.5`, escaped.
fn cis_references(metadata: &crate::bindings::types::CheckMetadata) -> Vec<String> {
    metadata
        .benchmarks
        .iter()
        .map(|reference| format!("v{} {}", escape(&reference.version), escape(&reference.id)))
        .collect()
}

pub fn trust(command: TrustCommand) -> anyhow::Result<u8> {
    match command {
        TrustCommand::Add(args) => {
            let mut store = args.state.trust()?;
            let key = store.add(&args.name, &args.key, &args.packs)?;
            eprintln!(
                "Trusting {:?} ({}) to sign {}",
                key.name,
                key.fingerprint(),
                key.packs.join(", ")
            );
        }
        TrustCommand::List(args) => {
            let store = args.state.trust()?;
            if store.keys.is_empty() {
                println!("No trusted keys (add one with `host trust add`).");
            }
            for key in &store.keys {
                println!(
                    "{}  {}  may sign: {}",
                    key.name,
                    key.fingerprint(),
                    key.packs.join(", ")
                );
            }
        }
        TrustCommand::Remove(args) => {
            args.state.trust()?.remove(&args.name)?;
            eprintln!("No longer trusting {:?}", args.name);
        }
    }
    Ok(exit::CLEAN)
}

/// Loads installed packs for a scan: each pack's folder is checked against
/// the lock file (manifest sha256) and every file against the manifest, so
/// a pack changed on disk after install is refused by name.
pub fn load_installed(
    runtime: &Runtime,
    state: &StateArgs,
    names: &[String],
) -> anyhow::Result<Vec<crate::runtime::LoadedCheck>> {
    let store = Store::open(&state.packs_dir())?;
    let lock = store.lock_file()?;
    let trust = state.trust()?;
    let mut checks = Vec::new();
    for text in names {
        let name: PackName = text.parse()?;
        let locked = lock.find(&name).with_context(|| {
            format!(
                "--pack {name}: not installed in {} (install it with `host pack install SOURCE`)",
                store.root().display()
            )
        })?;
        let verified = verify_installed(runtime, &store, &trust, locked)?;
        checks.extend(verified.checks);
    }
    Ok(checks)
}

/// An installed pack, checked against the lock file (manifest sha256) and
/// every file against the manifest; its checks carry the signer recorded at
/// install.
fn verify_installed(
    runtime: &Runtime,
    store: &Store,
    trust: &TrustStore,
    locked: &LockedPack,
) -> anyhow::Result<VerifiedPack> {
    let name = &locked.name;
    let folder = store.folder(locked);
    let (_, bytes) = Manifest::read(&folder).with_context(|| format!("installed pack {name}"))?;
    let digest = super::manifest::sha256_hex(&bytes);
    if digest != locked.manifest_sha256 {
        bail!(
            "installed pack {name}: its manifest has sha256 {digest}, but the lock file pins {}: \
             the installed files were changed; reinstall with `host pack install --locked`",
            locked.manifest_sha256
        );
    }
    // Trust was judged at install; re-judging here would make a scan
    // depend on today's trust store rather than what was installed.
    let verifier = Verifier {
        trust,
        runtime,
        allow_unsigned: true,
    };
    let mut verified = verifier
        .verify(&folder, &locked.source, false)
        .with_context(|| format!("installed pack {name} is damaged; reinstall it"))?;
    for check in &mut verified.checks {
        if let crate::runtime::Origin::Pack { signer, .. } = &mut check.origin {
            *signer = locked.signer.to_string();
        }
    }
    Ok(verified)
}
