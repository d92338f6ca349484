//! Packs from git repositories at a tag, branch or commit. The `git` tool
//! does the transport (so the user's credential helpers and SSH config
//! apply); the tree of the resolved commit comes out through `git archive`
//! and the same tar extractor as tarballs, so a symbolic link in the
//! repository refuses the pack like one in an archive.

use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, bail};

/// Clones `url` next to `staging`, resolves `reference` to a commit and
/// extracts that commit's tree into `staging`; returns the commit id.
pub fn fetch(url: &str, reference: &str, staging: &Path) -> anyhow::Result<String> {
    if url.starts_with('-') {
        bail!("{url:?} is not a git URL");
    }
    let clone = staging.with_extension("git");
    let result = (|| {
        git(Command::new("git")
            .args(["clone", "--quiet", "--bare", "--no-hardlinks", "--"])
            .arg(url)
            .arg(&clone))
        .with_context(|| format!("cannot clone {url}"))?;
        let commit = git(Command::new("git")
            .arg("-C")
            .arg(&clone)
            .args(["rev-parse", "--verify", "--quiet", "--end-of-options"])
            .arg(format!("{reference}^{{commit}}")))
        .with_context(|| format!("{url} has no tag, branch or commit {reference:?}"))?;
        let commit = String::from_utf8_lossy(&commit).trim().to_string();
        let archive = git(Command::new("git").arg("-C").arg(&clone).args([
            "archive",
            "--format=tar",
            &commit,
        ]))
        .with_context(|| format!("cannot read commit {commit} of {url}"))?;
        super::tarball::extract(archive.as_slice(), staging)
            .with_context(|| format!("commit {commit} of {url} is not a valid pack"))?;
        Ok(commit)
    })();
    let _ = std::fs::remove_dir_all(&clone);
    result
}

/// Runs git without prompting; its stdout, or its stderr as the error.
fn git(command: &mut Command) -> anyhow::Result<Vec<u8>> {
    let output = command
        .env("GIT_TERMINAL_PROMPT", "0")
        .stdin(Stdio::null())
        .output()
        .context("cannot run git (is it installed and on PATH?)")?;
    if !output.status.success() {
        bail!("{}", String::from_utf8_lossy(&output.stderr).trim());
    }
    Ok(output.stdout)
}

/// The repository's tag names, for `host pack outdated`.
pub fn tags(url: &str) -> anyhow::Result<Vec<String>> {
    if url.starts_with('-') {
        bail!("{url:?} is not a git URL");
    }
    let listing = git(Command::new("git")
        .args(["ls-remote", "--tags", "--refs", "--"])
        .arg(url))
    .with_context(|| format!("cannot list the tags of {url}"))?;
    Ok(String::from_utf8_lossy(&listing)
        .lines()
        .filter_map(|line| {
            line.split_once("refs/tags/")
                .map(|(_, tag)| tag.to_string())
        })
        .collect())
}
