//! Pack projects: `host pack new` scaffolds one, `host pack build` turns it
//! into a built pack (components plus a manifest of hashes). The manifest's
//! check ids and API range are read from the built components themselves,
//! so they cannot disagree with the code.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use serde::Deserialize;

use super::manifest::{self, CheckEntry, FileEntry, MANIFEST_FILE, Manifest, PackInfo, PackName};
use crate::runtime::{Origin, Runtime, discovery};

/// The project's `plumbline-pack.toml`: the pack's description and what to
/// build. The built pack's manifest adds the checks, files and API range.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Project {
    pack: ProjectInfo,
    #[serde(default)]
    build: BuildPlan,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProjectInfo {
    name: PackName,
    version: semver::Version,
    description: String,
    license: String,
    #[serde(default)]
    authors: Vec<String>,
    #[serde(default)]
    source: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct BuildPlan {
    /// Rust check crates (folders), built for wasm32-wasip2 with cargo.
    #[serde(default)]
    crates: Vec<PathBuf>,
    /// Components built by other tools (componentize-py, jco, clang), as
    /// files or folders searched for `.wasm`.
    #[serde(default)]
    components: Vec<PathBuf>,
    /// Other files the pack ships, such as README.md and LICENSE.
    #[serde(default)]
    include: Vec<PathBuf>,
}

/// Builds the project in `project` into `out`; returns the built manifest.
pub fn build(project: &Path, out: &Path, runtime: &Runtime) -> anyhow::Result<Manifest> {
    let project_file = project.join(MANIFEST_FILE);
    let text = std::fs::read_to_string(&project_file).with_context(|| {
        format!(
            "cannot read {}: a pack project has a plumbline-pack.toml (make one with `host pack new`)",
            project_file.display()
        )
    })?;
    let plan: Project = toml::from_str(&text).with_context(|| {
        format!(
            "{} is not a pack project (it needs [pack] and [build])",
            project_file.display()
        )
    })?;

    let mut components = Vec::new();
    for crate_dir in &plan.build.crates {
        components.push(build_crate(&project.join(crate_dir))?);
    }
    for path in &plan.build.components {
        components.extend(discovery::find_components(&project.join(path))?);
    }
    if components.is_empty() {
        bail!(
            "{} builds no checks: list crates or components under [build]",
            project_file.display()
        );
    }

    let staging = out.with_extension("partial");
    if staging.exists() {
        std::fs::remove_dir_all(&staging)?;
    }
    std::fs::create_dir_all(staging.join("checks"))?;
    let mut checks = Vec::new();
    let mut files = Vec::new();
    let mut api_version: Option<semver::Version> = None;
    for component in &components {
        let bytes = std::fs::read(component)
            .with_context(|| format!("cannot read {}", component.display()))?;
        let origin = Origin::Local {
            path: component.clone(),
        };
        let loaded = runtime
            .load_component(component, &bytes, origin)
            .with_context(|| format!("refusing {}", component.display()))?;
        let path = format!("checks/{}.wasm", loaded.metadata.id);
        if checks
            .iter()
            .any(|check: &CheckEntry| check.id == loaded.metadata.id)
        {
            bail!(
                "two components declare the check id {:?}",
                loaded.metadata.id
            );
        }
        std::fs::write(staging.join(&path), &bytes)?;
        files.push(file_entry(&path, &bytes));
        checks.push(CheckEntry {
            id: loaded.metadata.id.clone(),
            component: path,
        });
        let version = &loaded.contract.api_version;
        if api_version.as_ref().is_none_or(|highest| version > highest) {
            api_version = Some(version.clone());
        }
    }
    for include in &plan.build.include {
        let relative = include.to_string_lossy().replace('\\', "/");
        manifest::check_relative_path(&relative)?;
        let bytes = std::fs::read(project.join(include)).with_context(|| {
            format!(
                "cannot read {} (listed in [build] include)",
                include.display()
            )
        })?;
        let target = staging.join(&relative);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&target, &bytes)?;
        files.push(file_entry(&relative, &bytes));
    }
    checks.sort_by(|a, b| a.id.cmp(&b.id));
    files.sort();
    let api_version = api_version.expect("at least one component");
    let built = Manifest {
        pack: PackInfo {
            name: plan.pack.name,
            version: plan.pack.version,
            description: plan.pack.description,
            license: plan.pack.license,
            authors: plan.pack.authors,
            source: plan.pack.source,
            api: semver::VersionReq::parse(&format!("^{api_version}")).expect("a caret range"),
        },
        checks,
        files,
    };
    let text = built.to_toml();
    Manifest::parse(&text).context("the built manifest is not valid")?;
    std::fs::write(staging.join(MANIFEST_FILE), text)?;
    replace_output(out, &staging)?;
    Ok(built)
}

fn file_entry(path: &str, bytes: &[u8]) -> FileEntry {
    FileEntry {
        path: path.to_string(),
        sha256: manifest::sha256_hex(bytes),
        size: bytes.len() as u64,
    }
}

/// Puts the new build in place of `out`, which may hold only an earlier
/// build: anything else there is the user's and is never deleted.
fn replace_output(out: &Path, staging: &Path) -> anyhow::Result<()> {
    if out.exists() {
        if !out.join(MANIFEST_FILE).is_file() && std::fs::read_dir(out)?.next().is_some() {
            bail!(
                "{} exists and is not an earlier build of a pack; choose another --out",
                out.display()
            );
        }
        std::fs::remove_dir_all(out)
            .with_context(|| format!("cannot replace {}", out.display()))?;
    }
    std::fs::rename(staging, out).with_context(|| format!("cannot write {}", out.display()))
}

/// Builds one Rust check crate for wasm32-wasip2; returns the component.
fn build_crate(crate_dir: &Path) -> anyhow::Result<PathBuf> {
    let cargo_toml = crate_dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&cargo_toml)
        .with_context(|| format!("cannot read {}", cargo_toml.display()))?;
    let package: toml::Table = toml::from_str(&text)
        .with_context(|| format!("{} is not valid TOML", cargo_toml.display()))?;
    let name = package
        .get("package")
        .and_then(|package| package.get("name"))
        .and_then(|name| name.as_str())
        .with_context(|| format!("{} has no package name", cargo_toml.display()))?
        .to_string();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(&cargo)
        .args([
            "build",
            "--quiet",
            "--target",
            "wasm32-wasip2",
            "--profile",
            "guest",
            "--manifest-path",
        ])
        .arg(&cargo_toml)
        .status()
        .with_context(|| format!("cannot run cargo to build {}", crate_dir.display()))?;
    if !status.success() {
        bail!(
            "cargo could not build {} for wasm32-wasip2 (its errors are above; is the target \
             installed? `rustup target add wasm32-wasip2`)",
            crate_dir.display()
        );
    }
    let metadata = Command::new(&cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--manifest-path",
        ])
        .arg(&cargo_toml)
        .output()
        .context("cannot run cargo metadata")?;
    let metadata: serde_json::Value =
        serde_json::from_slice(&metadata.stdout).context("cargo metadata gave no JSON")?;
    let target_dir = metadata["target_directory"]
        .as_str()
        .context("cargo metadata names no target directory")?;
    let component = Path::new(target_dir)
        .join("wasm32-wasip2/guest")
        .join(format!("{}.wasm", name.replace('-', "_")));
    if !component.is_file() {
        bail!(
            "cargo built {name} but {} is not there",
            component.display()
        );
    }
    Ok(component)
}

/// Scaffolds a pack project with one Rust check.
pub fn new_project(
    name: &PackName,
    dir: &Path,
    check: &str,
    guest_sdk: Option<&Path>,
) -> anyhow::Result<()> {
    if dir.exists() && std::fs::read_dir(dir)?.next().is_some() {
        bail!(
            "{} exists and is not empty; choose another --dir",
            dir.display()
        );
    }
    let valid_id = !check.is_empty()
        && check
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !valid_id {
        bail!("--check {check:?}: a check id is kebab-case (a-z, 0-9, '-')");
    }
    let sdk = crate::scaffold::guest_sdk_dependency(guest_sdk)?;
    let files = [
        (
            MANIFEST_FILE.to_string(),
            format!(
                "# The pack project: `host pack build` builds it into dist/ with a manifest of hashes.\n\
                 [pack]\n\
                 name = \"{name}\"\n\
                 version = \"0.1.0\"\n\
                 description = \"Checks by {publisher}\"\n\
                 license = \"Apache-2.0\"\n\
                 authors = []\n\
                 # source = \"https://github.com/{publisher}/{pack}\"\n\n\
                 [build]\n\
                 # Rust check crates, built for wasm32-wasip2.\n\
                 crates = [\"checks/{check}\"]\n\
                 # Components built by other tools (componentize-py, jco, clang).\n\
                 components = []\n\
                 # Other files the pack ships.\n\
                 include = [\"README.md\"]\n",
                publisher = name.publisher(),
                pack = name.pack(),
            ),
        ),
        (
            "Cargo.toml".to_string(),
            "[workspace]\nresolver = \"3\"\nmembers = [\"checks/*\"]\n\n\
             # Small, fast components; the profile `host pack build` uses.\n\
             [profile.guest]\ninherits = \"release\"\nopt-level = \"s\"\nlto = true\n\
             codegen-units = 1\npanic = \"abort\"\nstrip = true\n"
                .to_string(),
        ),
        (".gitignore".to_string(), "/target/\n/dist/\n".to_string()),
        (
            "README.md".to_string(),
            format!(
                "# {name}\n\nPlumbline check pack.\n\n```sh\nhost pack build            # -> dist/\n\
                 host pack sign dist --key KEY\nhost pack publish dist oci://REGISTRY/{name}\n```\n"
            ),
        ),
        (
            format!("checks/{check}/Cargo.toml"),
            format!(
                "[package]\n# The check's id is the package name without `check-`.\n\
                 name = \"check-{check}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n\
                 [lib]\ncrate-type = [\"cdylib\"]\n\n\
                 [dependencies]\nplumbline-guest = {sdk}\n"
            ),
        ),
        (
            format!("checks/{check}/src/lib.rs"),
            crate::scaffold::rust_check_source(check, "root_mfa")?,
        ),
    ];
    for (path, content) in files {
        let target = dir.join(&path);
        std::fs::create_dir_all(target.parent().expect("a file in the project"))?;
        std::fs::write(&target, content)
            .with_context(|| format!("cannot write {}", target.display()))?;
    }
    Ok(())
}
