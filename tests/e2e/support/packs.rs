//! Pack fixtures for the pack tests: projects built by the real `host pack
//! build`, keys made by the real `minisign` and `ssh-keygen`, and the
//! installed state as bytes, to prove a refused install changed nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

use super::{Run, host, run};

/// A user's machine: its own packs directory, config and compile cache.
pub struct Machine {
    pub home: TempDir,
}

impl Machine {
    pub fn new() -> Machine {
        Machine {
            home: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self) -> &Path {
        self.home.path()
    }

    pub fn packs_dir(&self) -> PathBuf {
        self.path().join("packs")
    }

    pub fn config_dir(&self) -> PathBuf {
        self.path().join("config")
    }

    pub fn host(&self, args: &[&str]) -> Run {
        run(host(self.path()).args(args))
    }

    /// `host` with path arguments.
    pub fn host_with(&self, args: &[&str], paths: &[&Path]) -> Run {
        run(host(self.path()).args(args).args(paths))
    }

    /// Every file of the installed state (pack folders and the lock file)
    /// with its bytes; the staging area and the lock's mutex file are not
    /// state.
    pub fn installed_state(&self) -> BTreeMap<String, Vec<u8>> {
        let mut state = BTreeMap::new();
        let root = self.packs_dir();
        let mut pending = vec![root.clone()];
        while let Some(dir) = pending.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries {
                let path = entry.unwrap().path();
                let relative = path.strip_prefix(&root).unwrap().display().to_string();
                if relative == ".staging" || relative == ".lock" {
                    continue;
                }
                if path.is_dir() {
                    pending.push(path);
                } else {
                    state.insert(relative, std::fs::read(&path).unwrap());
                }
            }
        }
        state
    }

    pub fn lock_file(&self) -> toml::Table {
        let text = std::fs::read_to_string(self.packs_dir().join("plumbline.lock")).unwrap();
        toml::from_str(&text).unwrap()
    }

    /// The lock file's entry for a pack.
    pub fn locked(&self, name: &str) -> toml::Table {
        self.lock_file()["pack"]
            .as_array()
            .unwrap()
            .iter()
            .find(|pack| pack["name"].as_str() == Some(name))
            .unwrap_or_else(|| panic!("{name} is not in the lock file"))
            .as_table()
            .unwrap()
            .clone()
    }

    /// Trusts a public key for pack-name patterns; panics if refused.
    pub fn trust(&self, name: &str, key: &Path, patterns: &[&str]) {
        let mut command = host(self.path());
        command
            .args(["trust", "add"])
            .arg(key)
            .args(["--name", name]);
        for pattern in patterns {
            command.args(["--packs", pattern]);
        }
        let trusted = run(&mut command);
        assert_eq!(trusted.code, 0, "{}", trusted.stderr);
    }
}

/// A pack project whose checks are already-built components (the
/// first-party ones), so it builds without cargo.
pub fn project(dir: &Path, name: &str, version: &str, components: &[PathBuf]) {
    std::fs::create_dir_all(dir).unwrap();
    let list: Vec<String> = components
        .iter()
        .map(|path| format!("{:?}", path.display().to_string()))
        .collect();
    std::fs::write(
        dir.join("plumbline-pack.toml"),
        format!(
            "[pack]\nname = \"{name}\"\nversion = \"{version}\"\ndescription = \"Test pack\"\n\
             license = \"MIT\"\n\n[build]\ncomponents = [{}]\n",
            list.join(", ")
        ),
    )
    .unwrap();
}

/// Builds a project with `host pack build` into `out`.
pub fn build(machine: &Machine, project: &Path, out: &Path) {
    let built = machine.host_with(&["pack", "build"], &[project, Path::new("--out"), out]);
    assert_eq!(built.code, 0, "host pack build failed:\n{}", built.stderr);
}

/// A minisign key pair without a password, made by the minisign tool.
pub struct MinisignKey {
    pub public: PathBuf,
    pub secret: PathBuf,
}

pub fn minisign_key(dir: &Path, name: &str) -> MinisignKey {
    let key = MinisignKey {
        public: dir.join(format!("{name}.pub")),
        secret: dir.join(format!("{name}.key")),
    };
    let status = Command::new("minisign")
        .args(["-G", "-W", "-p"])
        .arg(&key.public)
        .arg("-s")
        .arg(&key.secret)
        .output()
        .expect("minisign is installed (scripts/setup-test-tools.sh)");
    assert!(status.status.success(), "{status:?}");
    key
}

/// An ed25519 OpenSSH key pair without a passphrase, made by ssh-keygen;
/// returns the private key's path (the public key is `<path>.pub`).
pub fn ssh_key(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    let output = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", name, "-f"])
        .arg(&path)
        .output()
        .expect("ssh-keygen is installed (scripts/setup-test-tools.sh)");
    assert!(output.status.success(), "{output:?}");
    path
}

/// `tar czf archive -C folder .`, with the real tar.
pub fn tarball(folder: &Path, archive: &Path) {
    let output = Command::new("tar")
        .arg("czf")
        .arg(archive)
        .arg("-C")
        .arg(folder)
        .arg(".")
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
}

/// A bare git repository holding `folder`'s files at tag `tag`; returns its
/// file:// URL.
pub fn git_repository(folder: &Path, repository: &Path, tag: &str) -> String {
    let work = repository.with_extension("work");
    let git = |args: &[&str], dir: &Path| {
        let output = Command::new("git")
            .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
            .args(args)
            .current_dir(dir)
            .output()
            .unwrap();
        assert!(output.status.success(), "git {args:?}: {output:?}");
    };
    if !repository.exists() {
        std::fs::create_dir_all(repository).unwrap();
        git(&["init", "--quiet", "--bare"], repository);
        std::fs::create_dir_all(&work).unwrap();
        git(&["init", "--quiet"], &work);
        git(
            &["remote", "add", "origin", repository.to_str().unwrap()],
            &work,
        );
    }
    // The tag's tree is exactly the pack folder.
    for entry in std::fs::read_dir(&work).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().unwrap() != ".git" {
            if path.is_dir() {
                std::fs::remove_dir_all(&path).unwrap();
            } else {
                std::fs::remove_file(&path).unwrap();
            }
        }
    }
    copy_dir(folder, &work);
    git(&["add", "-A"], &work);
    git(&["commit", "--quiet", "-m", tag], &work);
    git(&["tag", tag], &work);
    git(
        &[
            "push",
            "--quiet",
            "origin",
            "HEAD:refs/heads/main",
            "--tags",
        ],
        &work,
    );
    format!("file://{}", repository.display())
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// sha256 of the pack manifest in a built pack folder, as the lock file
/// and reports name it.
pub fn manifest_digest(pack: &Path) -> String {
    plumbline_host::pack::manifest::sha256_hex(
        &std::fs::read(pack.join("plumbline-pack.toml")).unwrap(),
    )
}

/// A copy of a component with a custom section appended: the same check,
/// other bytes (a "changed" check for `host pack diff`).
pub fn with_custom_section(component: &Path, out: &Path) {
    let mut bytes = std::fs::read(component).unwrap();
    let name = b"plumbline-test";
    let payload = b"changed";
    let size = 1 + name.len() + payload.len();
    bytes.push(0);
    bytes.push(size as u8);
    bytes.push(name.len() as u8);
    bytes.extend_from_slice(name);
    bytes.extend_from_slice(payload);
    std::fs::write(out, bytes).unwrap();
}
