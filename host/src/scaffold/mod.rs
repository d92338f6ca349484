//! `host new`: scaffolds a check in Rust, Python, JavaScript or C with its
//! metadata from a CIS control key, a pass and a fail fixture, and a build
//! script. What it writes builds and passes its own fixtures as it is; the
//! templates are the files in this folder, one folder per language.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde_json::json;

use crate::benchmarks;
use crate::bindings::API_VERSION;
use crate::bindings::types::Scoring;
use crate::cli::{Language, NewArgs};
use crate::report::json::scoring_name;
use crate::scan::exit;

/// The contract, so a scaffolded check builds without this repository.
const CONTRACT: &str = include_str!("../../../wit/check.wit");
/// The componentize-py the repository's own Python checks are built with.
const COMPONENTIZE_PY: &str = "0.25.1";
/// The repository's pinned JavaScript toolchain, which scaffolds pin too.
const PACKAGE_JSON: &str = include_str!("../../../package.json");
const RUST_CHECK: &str = include_str!("rust/lib.rs");
/// The script that builds a JavaScript check, shared with the repository's.
const COMPONENTIZE_JS: &str = include_str!("../../../scripts/componentize-js.mjs");

pub fn new(args: NewArgs) -> anyhow::Result<u8> {
    let id = &args.name;
    let valid_id = id.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.ends_with('-');
    if !valid_id {
        bail!(
            "{id:?} is not a check id: use kebab-case (a-z, 0-9, '-', starting with a letter), \
             e.g. root-no-access-keys"
        );
    }
    let control = Control::find(&args.control)?;
    let dir = args.dir.clone().unwrap_or_else(|| PathBuf::from(id));
    if dir.exists() && std::fs::read_dir(&dir)?.next().is_some() {
        bail!(
            "{} exists and is not empty; choose another NAME or --dir",
            dir.display()
        );
    }
    let values = Values {
        id: id.clone(),
        language: args.lang.name(),
        control,
        guest_sdk: guest_sdk_dependency(args.guest_sdk.as_deref())?,
    };
    let files = files(args.lang, &values);
    // Written into a sibling staging folder and moved into place, so a
    // failure leaves no half-written check behind.
    let parent = dir
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)
        .with_context(|| format!("cannot create {}", parent.display()))?;
    let staging = parent.join(format!(".host-new-{id}-{}", std::process::id()));
    let written = write_files(&staging, &files).and_then(|()| {
        if dir.exists() {
            std::fs::remove_dir(&dir)
                .with_context(|| format!("cannot replace {}", dir.display()))?;
        }
        std::fs::rename(&staging, &dir)
            .with_context(|| format!("cannot move the new check to {}", dir.display()))
    });
    if written.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    written?;
    println!(
        "Created {} ({}, CIS control {}: {}).\n\nNext:\n  cd {}\n  ./build.sh                # -> {id}.wasm\n  \
         host test .               # its fixtures: pass and fail\n  \
         host scan --plugins {id}.wasm --snapshot fixtures/fail-example.json\n\n\
         The rule in it is an example (root MFA); replace it with the control's logic.",
        dir.display(),
        args.lang.name(),
        values.control.key,
        values.control.title,
        dir.display(),
    );
    Ok(exit::CLEAN)
}

fn write_files(folder: &Path, files: &[File]) -> anyhow::Result<()> {
    for (path, content, executable) in files {
        let target = folder.join(path);
        std::fs::create_dir_all(target.parent().expect("a file in the check folder"))
            .with_context(|| format!("cannot create the folder of {}", target.display()))?;
        std::fs::write(&target, content)
            .with_context(|| format!("cannot write {}", target.display()))?;
        if *executable {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o755))?;
        }
    }
    Ok(())
}

/// The `plumbline-guest` dependency of a Rust check: the SDK at `path`, or
/// the release of this host.
pub fn guest_sdk_dependency(path: Option<&Path>) -> anyhow::Result<String> {
    Ok(match path {
        Some(path) => {
            let path = std::fs::canonicalize(path)
                .with_context(|| format!("--guest-sdk {} does not exist", path.display()))?;
            format!("{{ path = {:?} }}", path.display().to_string())
        }
        None => format!("\"{}\"", env!("CARGO_PKG_VERSION")),
    })
}

/// The source `host new --lang rust` writes for check `id` of a control
/// (`host pack new` starts its project with it too).
pub fn rust_check_source(id: &str, control_key: &str) -> anyhow::Result<String> {
    let values = Values {
        id: id.to_string(),
        language: Language::Rust.name(),
        control: Control::find(control_key)?,
        guest_sdk: String::new(),
    };
    Ok(values.fill(RUST_CHECK))
}

/// A CIS control as the reference tables give it.
struct Control {
    key: String,
    /// In the newest version that has it.
    title: String,
    /// (version, id, scoring, level), oldest version first.
    references: Vec<(String, String, Scoring, u8)>,
}

impl Control {
    /// By its key in any case (`ROOT_NO_ACCESS_KEYS`, `root_no_access_keys`).
    fn find(key: &str) -> anyhow::Result<Control> {
        let wanted = key.to_ascii_lowercase().replace('-', "_");
        let mut control = Control {
            key: wanted.clone(),
            title: String::new(),
            references: Vec::new(),
        };
        for benchmark in benchmarks::all() {
            for recommendation in &benchmark.recommendations {
                if recommendation.control_key == wanted {
                    control.title = recommendation.title.clone();
                    control.references.push((
                        benchmark.version.clone(),
                        recommendation.id.clone(),
                        recommendation.scoring,
                        recommendation.level,
                    ));
                }
            }
        }
        if control.references.is_empty() {
            let close: Vec<&str> = known_keys()
                .into_iter()
                .filter(|known| {
                    wanted
                        .split('_')
                        .filter(|word| word.len() > 2)
                        .any(|word| known.contains(word))
                })
                .take(8)
                .collect();
            bail!(
                "there is no CIS control {key:?}{}. `host coverage --format json` gives every recommendation's \
                 control_key",
                if close.is_empty() {
                    String::new()
                } else {
                    format!(" (similar: {})", close.join(", ").to_ascii_uppercase())
                }
            );
        }
        Ok(control)
    }

    fn constant(&self) -> String {
        self.key.to_ascii_uppercase()
    }
}

fn known_keys() -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = benchmarks::all()
        .iter()
        .flat_map(|benchmark| {
            benchmark
                .recommendations
                .iter()
                .map(|r| r.control_key.as_str())
        })
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

struct Values {
    id: String,
    language: &'static str,
    control: Control,
    guest_sdk: String,
}

impl Values {
    fn type_name(&self) -> String {
        self.id
            .split('-')
            .map(|word| {
                let mut chars = word.chars();
                chars.next().map_or(String::new(), |first| {
                    first.to_ascii_uppercase().to_string() + chars.as_str()
                })
            })
            .collect()
    }

    /// Fills a template's `{{name}}` placeholders.
    fn fill(&self, template: &str) -> String {
        let replacements = [
            ("{{id}}", self.id.clone()),
            ("{{language}}", self.language.to_string()),
            ("{{crate_file}}", self.id.replace('-', "_")),
            ("{{type_name}}", self.type_name()),
            ("{{control_key}}", self.control.key.clone()),
            ("{{control_const}}", self.control.constant()),
            ("{{title}}", self.control.title.clone()),
            ("{{title_escaped}}", escape_string(&self.control.title)),
            ("{{guest_sdk}}", self.guest_sdk.clone()),
            ("{{api_version}}", API_VERSION.to_string()),
            ("{{componentize_py}}", COMPONENTIZE_PY.to_string()),
            ("{{python_references}}", self.references("    (\"{version}\", \"{id}\", Scoring.{SCORING}, {level}),")),
            ("{{javascript_references}}", self.references("    { version: \"{version}\", id: \"{id}\", scoring: \"{scoring}\", level: {level} },")),
            ("{{c_references}}", self.references("    {\"{version}\", \"{id}\", PLUMBLINE_CHECK_TYPES_SCORING_{SCORING}, {level}},")),
            ("{{javascript_toolchain}}", javascript_toolchain()),
        ];
        let mut text = template.to_string();
        for (placeholder, value) in replacements {
            text = text.replace(placeholder, &value);
        }
        text
    }

    /// One line per benchmark version of the control, from `line` with
    /// `{version}`, `{id}`, `{level}` and the scoring as the WIT case
    /// (`{scoring}`: `not-scored`) or a Python enum member (`{SCORING}`:
    /// `NOT_SCORED`).
    fn references(&self, line: &str) -> String {
        self.control
            .references
            .iter()
            .map(|(version, id, scoring, level)| {
                let case = scoring_name(*scoring)
                    .to_ascii_lowercase()
                    .replace(' ', "-");
                line.replace("{version}", version)
                    .replace("{id}", id)
                    .replace("{level}", &level.to_string())
                    .replace("{SCORING}", &case.to_ascii_uppercase().replace('-', "_"))
                    .replace("{scoring}", &case)
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// The `devDependencies` lines of the repository's package.json.
fn javascript_toolchain() -> String {
    let package: serde_json::Value =
        serde_json::from_str(PACKAGE_JSON).expect("package.json is JSON");
    package["devDependencies"]
        .as_object()
        .expect("package.json has devDependencies")
        .iter()
        .map(|(name, version)| format!("    {:?}: {version}", name))
        .collect::<Vec<_>>()
        .join(",\n")
}

/// A string literal's body for Python, JavaScript and C (titles are ASCII
/// text from the reference tables; quotes and backslashes are escaped).
fn escape_string(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

/// (path in the check folder, content, executable).
type File = (String, String, bool);

fn files(lang: Language, values: &Values) -> Vec<File> {
    let text = |path: &str, template: &str| (path.to_string(), values.fill(template), false);
    let script = |template: &str| ("build.sh".to_string(), values.fill(template), true);
    let mut files = match lang {
        Language::Rust => vec![
            text("Cargo.toml", include_str!("rust/Cargo.toml")),
            text("src/lib.rs", RUST_CHECK),
            script(include_str!("rust/build.sh")),
            text(".gitignore", "/target/\n/*.wasm\n"),
        ],
        Language::Python => vec![
            text("check.py", include_str!("python/check.py")),
            script(include_str!("python/build.sh")),
            text(".gitignore", "/.venv/\n/*.wasm\n__pycache__/\n"),
        ],
        Language::Javascript => vec![
            text("check.js", include_str!("javascript/check.js")),
            text("package.json", include_str!("javascript/package.json")),
            text("componentize.mjs", COMPONENTIZE_JS),
            script(include_str!("javascript/build.sh")),
            text(".gitignore", "/node_modules/\n/*.wasm\n"),
        ],
        Language::C => vec![
            text("check.c", include_str!("c/check.c")),
            script(include_str!("c/build.sh")),
            text(".gitignore", "/*.wasm\n"),
        ],
    };
    // Every toolchain but cargo builds against a world of its own over the
    // contract, both shipped in the folder.
    if lang != Language::Rust {
        files.push(text("wit/world.wit", include_str!("world.wit")));
        files.push(text("wit/deps/plumbline-check/check.wit", CONTRACT));
    }
    files.push(text("README.md", include_str!("README.md")));
    files.extend(fixtures());
    files
}

/// A pass and a fail snapshot for the example rule.
fn fixtures() -> Vec<File> {
    let fixture = |mfa: i64, status: &str| {
        let document = json!({
            "format": "plumbline-snapshot/1",
            "account_id": "111122223333",
            "partition": "aws",
            "regions": ["us-east-1"],
            "collected_at": "2026-12-01T00:00:00Z",
            "iam": {
                "account_summary": {"Ok": [
                    {"name": "AccountMFAEnabled", "value": mfa},
                    {"name": "AccountAccessKeysPresent", "value": 0}
                ]}
            },
            "expect": {
                "status": status,
                status: ["arn:aws:iam::111122223333:root"]
            }
        });
        serde_json::to_string_pretty(&document).expect("JSON") + "\n"
    };
    vec![
        (
            "fixtures/pass-example.json".to_string(),
            fixture(1, "pass"),
            false,
        ),
        (
            "fixtures/fail-example.json".to_string(),
            fixture(0, "fail"),
            false,
        ),
    ]
}
