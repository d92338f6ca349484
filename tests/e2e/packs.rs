//! Check packs end to end, with the real `host`, `minisign`, `ssh-keygen`,
//! `tar` and `git`: scaffold, build, sign, install from a folder, a tarball,
//! git and HTTP, scan with provenance, and every refusal leaving the
//! installed state byte for byte as it was.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use libtest_mimic::Trial;

use crate::support::hostile_registry::{self, HostileRegistry, Spoil};
use crate::support::http::{Behaviour, FileServer};
use crate::support::packs::{self, Machine};
use crate::support::registry;
use crate::support::{self, Run};

pub fn tests() -> Vec<Trial> {
    e2e_tests![
        sync a_scaffolded_pack_builds_signs_installs_and_scans_with_its_provenance,
        sync ssh_signatures_interoperate_with_ssh_keygen,
        sync a_tarball_a_git_tag_and_a_folder_install_the_same_pack_digest,
        sync refused_packs_name_the_problem_and_change_nothing,
        sync a_remote_pack_must_be_signed_unless_allowed_and_the_choice_is_recorded,
        sync an_install_killed_halfway_changes_nothing,
        sync locked_installs_reproduce_the_set_or_name_the_drift,
        sync pack_diff_lists_added_removed_and_changed_checks,
        sync two_packs_with_one_check_id_are_refused_naming_both,
        sync a_pack_changed_on_disk_after_install_is_refused_at_scan,
        sync the_config_file_names_the_default_packs,
        sync an_exported_layout_installs_offline_with_the_registry_digests,
        sync a_registry_blob_that_does_not_match_its_digest_changes_nothing,
        sync outdated_update_and_diff_follow_published_versions,
        sync the_first_party_checks_are_the_plumbline_cis_aws_pack,
        sync verify_list_remove_and_the_trust_store,
    ]
}

fn component(id: &str) -> PathBuf {
    support::check(id)
}

/// The publisher acme: a minisign key in `dir`, trusted on `machine` for
/// `acme/*`.
fn acme(machine: &Machine, dir: &Path) -> packs::MinisignKey {
    let key = packs::minisign_key(dir, "acme");
    machine.trust("acme", &key.public, &["acme/*"]);
    key
}

/// A two-check pack `acme/extra` built in `dir` and signed with `key`;
/// returns the built folder.
fn signed_pack(machine: &Machine, dir: &Path, version: &str, key: &packs::MinisignKey) -> PathBuf {
    let project = dir.join("project");
    packs::project(
        &project,
        "acme/extra",
        version,
        &[component("root-mfa"), component("root-no-access-keys")],
    );
    let built = dir.join("dist");
    packs::build(machine, &project, &built);
    let signed = machine.host_with(
        &["pack", "sign"],
        &[&built, Path::new("--key"), &key.secret],
    );
    assert_eq!(signed.code, 0, "{}", signed.stderr);
    built
}

fn install(machine: &Machine, source: &str, extra: &[&str]) -> Run {
    let mut args = vec!["pack", "install", source];
    args.extend_from_slice(extra);
    machine.host(&args)
}

fn scan_json(machine: &Machine, extra: &[&str]) -> Run {
    let mut args = vec!["scan", "--format", "json", "--snapshot"];
    let snapshot = support::demo_snapshot();
    args.push(snapshot.to_str().unwrap());
    args.extend_from_slice(extra);
    machine.host(&args)
}

fn a_scaffolded_pack_builds_signs_installs_and_scans_with_its_provenance() {
    let machine = Machine::new();
    let work = tempfile::tempdir().unwrap();
    let project = work.path().join("extra");
    let sdk = support::root().join("guest-sdk");
    let created = machine.host_with(
        &["pack", "new", "acme/extra", "--dir"],
        &[&project, Path::new("--guest-sdk"), &sdk],
    );
    assert_eq!(created.code, 0, "{}", created.stderr);
    let built = project.join("dist");
    let build = machine.host_with(&["pack", "build"], &[&project]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(
        build.stderr.contains("Built acme/extra 0.1.0 (1 checks"),
        "{}",
        build.stderr
    );

    let key = packs::minisign_key(work.path(), "acme");
    let signed = machine.host_with(
        &["pack", "sign"],
        &[&built, Path::new("--key"), &key.secret],
    );
    assert_eq!(signed.code, 0, "{}", signed.stderr);
    // The real minisign accepts the host's signature.
    let verified = Command::new("minisign")
        .arg("-Vp")
        .arg(&key.public)
        .arg("-m")
        .arg(built.join("plumbline-pack.toml"))
        .output()
        .unwrap();
    assert!(verified.status.success(), "{verified:?}");

    let repository = format!("oci://{}/acme/extra", registry::open());
    let published = machine.host_with(&["pack", "publish"], &[&built, Path::new(&repository)]);
    assert_eq!(published.code, 0, "{}", published.stderr);
    assert!(
        published.stdout.contains("tags: 0.1.0, 0.1, 0"),
        "{}",
        published.stdout
    );

    // A clean machine that trusts acme installs it from the registry.
    let machine = Machine::new();
    machine.trust("acme", &key.public, &["acme/*"]);
    let installed = install(&machine, &format!("{repository}:0.1.0"), &[]);
    assert_eq!(installed.code, 0, "{}", installed.stderr);
    let locked = machine.locked("acme/extra");
    assert!(
        locked["resolved"].as_str().unwrap().starts_with("sha256:"),
        "{locked:?}"
    );
    assert_eq!(
        locked["manifest_sha256"].as_str().unwrap(),
        packs::manifest_digest(&built)
    );
    assert_eq!(locked["signer"]["name"].as_str(), Some("acme"));

    let report = scan_json(&machine, &["--pack", "acme/extra"]);
    assert!(report.code <= 1, "{}", report.stderr);
    let json = report.json();
    let result = support::result(&json, "extra-example");
    let provenance = &result["provenance"];
    assert_eq!(provenance["kind"], "pack");
    assert_eq!(provenance["pack"], "acme/extra");
    assert_eq!(provenance["version"], "0.1.0");
    assert_eq!(
        provenance["digest"],
        format!("sha256:{}", packs::manifest_digest(&built))
    );
    assert!(
        provenance["signer"]
            .as_str()
            .unwrap()
            .starts_with("acme (minisign key "),
        "{provenance}"
    );
    assert_eq!(provenance["source"], format!("{repository}:0.1.0"));
    let info = machine.host(&["pack", "info", "acme/extra"]);
    assert_eq!(info.code, 0, "{}", info.stderr);
    assert!(
        info.stdout
            .contains("extra-example  Ensure MFA is enabled for the 'root' user account")
            && info.stdout.contains("v7.0.0 2.5")
            && info.stdout.contains("signer: acme (minisign key"),
        "{}",
        info.stdout
    );
    assert_eq!(json["results"].as_array().unwrap().len(), 1);

    let table = machine.host(&[
        "scan",
        "--pack",
        "acme/extra",
        "--snapshot",
        support::demo_snapshot().to_str().unwrap(),
    ]);
    let row = table
        .stdout
        .lines()
        .find(|line| line.contains("extra-example"))
        .unwrap();
    assert!(row.contains("acme/extra 0.1.0"), "{}", table.stdout);
    assert!(
        table.stdout.contains("signer: acme (minisign key"),
        "{}",
        table.stdout
    );
}

fn ssh_signatures_interoperate_with_ssh_keygen() {
    let machine = Machine::new();
    let work = tempfile::tempdir().unwrap();
    let project = work.path().join("project");
    packs::project(&project, "acme/extra", "1.0.0", &[component("root-mfa")]);
    let built = work.path().join("dist");
    packs::build(&machine, &project, &built);
    let key = packs::ssh_key(work.path(), "acme-ssh");

    // Signed by ssh-keygen itself; the host verifies it.
    let output = Command::new("ssh-keygen")
        .args(["-Y", "sign", "-n", "plumbline-pack", "-f"])
        .arg(&key)
        .arg(built.join("plumbline-pack.toml"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    machine.trust("acme", &key.with_extension("pub"), &["acme/extra"]);
    let installed = install(&machine, built.to_str().unwrap(), &[]);
    assert_eq!(installed.code, 0, "{}", installed.stderr);
    let signer = machine.locked("acme/extra")["signer"]["fingerprint"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(signer.starts_with("SHA256:"), "{signer}");

    // Signed by the host; ssh-keygen verifies it.
    std::fs::remove_file(built.join("plumbline-pack.toml.sig")).unwrap();
    let signed = machine.host_with(&["pack", "sign"], &[&built, Path::new("--key"), &key]);
    assert_eq!(signed.code, 0, "{}", signed.stderr);
    let public = std::fs::read_to_string(key.with_extension("pub")).unwrap();
    let allowed = work.path().join("allowed_signers");
    std::fs::write(&allowed, format!("acme {public}")).unwrap();
    let verified = Command::new("ssh-keygen")
        .args(["-Y", "verify", "-n", "plumbline-pack", "-I", "acme", "-f"])
        .arg(&allowed)
        .arg("-s")
        .arg(built.join("plumbline-pack.toml.sig"))
        .stdin(std::fs::File::open(built.join("plumbline-pack.toml")).unwrap())
        .output()
        .unwrap();
    assert!(verified.status.success(), "{verified:?}");
}

fn a_tarball_a_git_tag_and_a_folder_install_the_same_pack_digest() {
    let publisher = Machine::new();
    let work = tempfile::tempdir().unwrap();
    let key = acme(&publisher, work.path());
    let built = signed_pack(&publisher, work.path(), "1.2.0", &key);
    let digest = packs::manifest_digest(&built);
    let archive = work.path().join("extra-1.2.0.tar.gz");
    packs::tarball(&built, &archive);
    let repository = packs::git_repository(&built, &work.path().join("extra.git"), "v1.2.0");

    for source in [
        built.display().to_string(),
        archive.display().to_string(),
        format!("git+{repository}#v1.2.0"),
    ] {
        let machine = Machine::new();
        let key = work.path().join("acme.pub");
        machine.trust("acme", &key, &["acme/*"]);
        let installed = install(&machine, &source, &[]);
        assert_eq!(installed.code, 0, "{source}: {}", installed.stderr);
        let locked = machine.locked("acme/extra");
        assert_eq!(
            locked["manifest_sha256"].as_str(),
            Some(digest.as_str()),
            "{source}"
        );
        assert_eq!(locked["version"].as_str(), Some("1.2.0"));
        if source.starts_with("git+") {
            let commit = locked["resolved"].as_str().unwrap();
            assert_eq!(commit.len(), 40, "a git install pins the commit: {commit}");
        }
        if source.ends_with(".tar.gz") {
            let archive_digest =
                plumbline_host::pack::manifest::sha256_hex(&std::fs::read(&archive).unwrap());
            assert_eq!(
                locked["resolved"].as_str(),
                Some(format!("sha256:{archive_digest}").as_str())
            );
        }
        let report = scan_json(&machine, &["--pack", "acme/extra"]);
        assert!(report.code <= 1, "{}", report.stderr);
        assert_eq!(report.json()["results"].as_array().unwrap().len(), 2);
    }
}

/// Installs `source` on a machine that already has a good pack installed,
/// and asserts it is refused with `message` and the state is unchanged.
fn assert_refused(machine: &Machine, source: &str, extra: &[&str], message: &str) {
    let before = machine.installed_state();
    let refused = install(machine, source, extra);
    assert_eq!(
        refused.code, 2,
        "{source} was not refused:\n{}",
        refused.stderr
    );
    assert!(
        refused.stderr.contains(message),
        "{source}: expected {message:?} in:\n{}",
        refused.stderr
    );
    assert_eq!(
        machine.installed_state(),
        before,
        "{source}: a refused install changed the installed state"
    );
}

fn variant(good: &Path, dir: &Path, name: &str, change: impl FnOnce(&Path)) -> String {
    let copy = dir.join(name);
    packs::copy_dir(good, &copy);
    change(&copy);
    copy.display().to_string()
}

fn refused_packs_name_the_problem_and_change_nothing() {
    let machine = Machine::new();
    let work = tempfile::tempdir().unwrap();
    let key = acme(&machine, work.path());
    let good = signed_pack(&machine, work.path(), "1.0.0", &key);
    let installed = install(&machine, good.to_str().unwrap(), &[]);
    assert_eq!(installed.code, 0, "{}", installed.stderr);
    let dir = work.path();

    let tampered = variant(&good, dir, "tampered", |pack| {
        let path = pack.join("checks/root-mfa.wasm");
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 0xff;
        std::fs::write(&path, bytes).unwrap();
    });
    assert_refused(&machine, &tampered, &[], "checks/root-mfa.wasm has sha256");

    let extra = variant(&good, dir, "extra", |pack| {
        std::fs::write(pack.join("checks/extra.wasm"), b"\0asm").unwrap();
    });
    assert_refused(
        &machine,
        &extra,
        &[],
        "holds the file checks/extra.wasm, which its manifest does not list",
    );

    let missing = variant(&good, dir, "missing", |pack| {
        std::fs::remove_file(pack.join("checks/root-no-access-keys.wasm")).unwrap();
    });
    assert_refused(
        &machine,
        &missing,
        &[],
        "checks/root-no-access-keys.wasm that its manifest lists is missing",
    );

    let symlink = variant(&good, dir, "symlink", |pack| {
        std::os::unix::fs::symlink("/etc/passwd", pack.join("README")).unwrap();
    });
    assert_refused(&machine, &symlink, &[], "README is a symbolic link");

    // A tarball entry that climbs out of the pack, written by Python's tarfile.
    let climbing = dir.join("climbing.tar.gz");
    let script = format!(
        "import tarfile,io\nt=tarfile.open({:?},'w:gz')\nfor n in ['plumbline-pack.toml','../evil']:\n d=b'x'\n i=tarfile.TarInfo(n); i.size=len(d); t.addfile(i,io.BytesIO(d))\nt.close()",
        climbing.display().to_string()
    );
    let python = Command::new("python3")
        .args(["-c", &script])
        .output()
        .unwrap();
    assert!(python.status.success(), "{python:?}");
    assert_refused(
        &machine,
        climbing.to_str().unwrap(),
        &[],
        "the path \"../evil\" is not allowed in a pack",
    );
    assert!(!dir.join("evil").exists() && !machine.packs_dir().join(".staging/evil").exists());

    let edited = variant(&good, dir, "edited", |pack| {
        let path = pack.join("plumbline-pack.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace("Test pack", "Totally harmless pack")).unwrap();
    });
    assert_refused(
        &machine,
        &edited,
        &[],
        "does not match the manifest: the pack was changed after it was signed",
    );

    // Signed by a key the user trusts only for another publisher's packs.
    let other = packs::minisign_key(dir, "other");
    machine.trust("other", &other.public, &["other/*"]);
    let impersonating = variant(&good, dir, "impersonating", |pack| {
        std::fs::remove_file(pack.join("plumbline-pack.toml.minisig")).unwrap();
        let signed = machine.host_with(
            &["pack", "sign"],
            &[pack, Path::new("--key"), &other.secret],
        );
        assert_eq!(signed.code, 0, "{}", signed.stderr);
    });
    assert_refused(
        &machine,
        &impersonating,
        &[],
        "that key is trusted only for other/*, not for acme/extra",
    );

    // A component built against plumbline:check@2.0.0, in a pack whose
    // manifest (written by hand, hashes right, signed) claims the 1.x range.
    let future = variant(&good, dir, "future", |pack| {
        let wrong = support::test_plugin("wrong-api-version");
        std::fs::copy(&wrong, pack.join("checks/root-mfa.wasm")).unwrap();
        let path = pack.join("plumbline-pack.toml");
        let mut manifest = plumbline_host::pack::manifest::Manifest::parse(
            &std::fs::read_to_string(&path).unwrap(),
        )
        .unwrap();
        let bytes = std::fs::read(&wrong).unwrap();
        let file = manifest
            .files
            .iter_mut()
            .find(|file| file.path == "checks/root-mfa.wasm")
            .unwrap();
        file.sha256 = plumbline_host::pack::manifest::sha256_hex(&bytes);
        file.size = bytes.len() as u64;
        std::fs::write(&path, manifest.to_toml()).unwrap();
        std::fs::remove_file(pack.join("plumbline-pack.toml.minisig")).unwrap();
        let signed = machine.host_with(&["pack", "sign"], &[pack, Path::new("--key"), &key.secret]);
        assert_eq!(signed.code, 0, "{}", signed.stderr);
    });
    assert_refused(&machine, &future, &[], "plumbline:check@2.0.0");

    // Nothing of a refused pack is left behind, and the good one still scans.
    let report = scan_json(&machine, &["--pack", "acme/extra"]);
    assert!(report.code <= 1, "{}", report.stderr);
}

fn a_remote_pack_must_be_signed_unless_allowed_and_the_choice_is_recorded() {
    let machine = Machine::new();
    let work = tempfile::tempdir().unwrap();
    let project = work.path().join("project");
    packs::project(&project, "acme/unsigned", "0.3.0", &[component("root-mfa")]);
    let built = work.path().join("dist");
    packs::build(&machine, &project, &built);
    let archive = work.path().join("unsigned.tar.gz");
    packs::tarball(&built, &archive);
    let server = FileServer::start(
        "unsigned.tar.gz",
        std::fs::read(&archive).unwrap(),
        Behaviour::Serve,
    );

    assert_refused(&machine, &server.url, &[], "acme/unsigned is not signed");
    // A signature by a key nobody trusts is no better.
    let stranger = packs::minisign_key(work.path(), "stranger");
    let signed = machine.host_with(
        &["pack", "sign"],
        &[&built, Path::new("--key"), &stranger.secret],
    );
    assert_eq!(signed.code, 0, "{}", signed.stderr);
    packs::tarball(&built, &archive);
    let server = FileServer::start(
        "signed.tar.gz",
        std::fs::read(&archive).unwrap(),
        Behaviour::Serve,
    );
    assert_refused(
        &machine,
        &server.url,
        &[],
        "which is not in your trust store",
    );

    let allowed = install(&machine, &server.url, &["--allow-unsigned"]);
    assert_eq!(allowed.code, 0, "{}", allowed.stderr);
    let locked = machine.locked("acme/unsigned");
    assert_eq!(locked["signer"]["kind"].as_str(), Some("unsigned"));
    assert_eq!(locked["signer"]["allowed"].as_bool(), Some(true));
    let report = scan_json(&machine, &["--pack", "acme/unsigned"]);
    let json = report.json();
    assert_eq!(
        support::result(&json, "root-mfa")["provenance"]["signer"],
        "unsigned (--allow-unsigned)"
    );
}

fn an_install_killed_halfway_changes_nothing() {
    let machine = Machine::new();
    let work = tempfile::tempdir().unwrap();
    let key = acme(&machine, work.path());
    let good = signed_pack(&machine, work.path(), "1.0.0", &key);
    assert_eq!(install(&machine, good.to_str().unwrap(), &[]).code, 0);
    let before = machine.installed_state();

    let newer = signed_pack(&machine, &work.path().join("newer"), "1.1.0", &key);
    let archive = work.path().join("newer.tar.gz");
    packs::tarball(&newer, &archive);
    let server = FileServer::start(
        "newer.tar.gz",
        std::fs::read(&archive).unwrap(),
        Behaviour::StallHalfway,
    );
    let mut child = support::host(machine.path())
        .args(["pack", "install", &server.url])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while server.requests() == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the install never asked for the tarball"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    // SIGKILL: no chance to clean up.
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(
        machine.installed_state(),
        before,
        "a killed install changed the installed state"
    );
    let report = scan_json(&machine, &["--pack", "acme/extra"]);
    assert!(report.code <= 1, "{}", report.stderr);
    assert_eq!(
        support::result(&report.json(), "root-mfa")["provenance"]["version"],
        "1.0.0"
    );
    // The next install cleans the leftovers and succeeds.
    let next = install(&machine, newer.to_str().unwrap(), &[]);
    assert_eq!(next.code, 0, "{}", next.stderr);
    assert!(!machine.packs_dir().join(".staging").join("0").exists());
}

fn locked_installs_reproduce_the_set_or_name_the_drift() {
    let machine = Machine::new();
    let work = tempfile::tempdir().unwrap();
    let key = acme(&machine, work.path());
    let built = signed_pack(&machine, work.path(), "2.0.0", &key);
    let archive = work.path().join("extra.tar.gz");
    packs::tarball(&built, &archive);
    assert_eq!(install(&machine, archive.to_str().unwrap(), &[]).code, 0);
    let lockfile = work.path().join("plumbline.lock");
    std::fs::copy(machine.packs_dir().join("plumbline.lock"), &lockfile).unwrap();

    // A fresh machine with the same trust reproduces exactly the locked set.
    let ci = Machine::new();
    ci.trust("acme", &work.path().join("acme.pub"), &["acme/*"]);
    let reproduced = ci.host_with(&["pack", "install", "--locked", "--lockfile"], &[&lockfile]);
    assert_eq!(reproduced.code, 0, "{}", reproduced.stderr);
    assert_eq!(
        ci.locked("acme/extra")["manifest_sha256"],
        machine.locked("acme/extra")["manifest_sha256"]
    );
    let scan = scan_json(&ci, &["--pack", "acme/extra"]);
    assert!(scan.code <= 1, "{}", scan.stderr);

    // The tarball at the locked location changes: the pin names the drift.
    let changed = signed_pack(&machine, &work.path().join("changed"), "2.0.1", &key);
    packs::tarball(&changed, &archive);
    let drifted = Machine::new();
    drifted.trust("acme", &work.path().join("acme.pub"), &["acme/*"]);
    let refused = drifted.host_with(&["pack", "install", "--locked", "--lockfile"], &[&lockfile]);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("not the pinned"),
        "{}",
        refused.stderr
    );
    assert!(drifted.installed_state().is_empty());
}

fn pack_diff_lists_added_removed_and_changed_checks() {
    let machine = Machine::new();
    let work = tempfile::tempdir().unwrap();
    let old_project = work.path().join("old");
    packs::project(
        &old_project,
        "acme/extra",
        "1.0.0",
        &[component("root-mfa"), component("root-no-access-keys")],
    );
    let old = work.path().join("old-dist");
    packs::build(&machine, &old_project, &old);
    let changed = work.path().join("root-mfa.wasm");
    packs::with_custom_section(&component("root-mfa"), &changed);
    let new_project = work.path().join("new");
    packs::project(
        &new_project,
        "acme/extra",
        "1.1.0",
        &[changed, component("account-security-contact")],
    );
    let new = work.path().join("new-dist");
    packs::build(&machine, &new_project, &new);

    let diff = machine.host_with(&["pack", "diff", "--format", "json"], &[&old, &new]);
    assert_eq!(diff.code, 0, "{}", diff.stderr);
    let json = diff.json();
    let ids = |key: &str| -> Vec<String> {
        json[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|entry| entry["check"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids("added"), ["account-security-contact"]);
    assert_eq!(ids("removed"), ["root-no-access-keys"]);
    assert_eq!(ids("changed"), ["root-mfa"]);
    let cis: Vec<&str> = json["changed"][0]["cis"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(cis.contains(&"v3.0.0 1.5"), "{cis:?}");
    let table = machine.host_with(&["pack", "diff"], &[&old, &new]);
    assert!(
        table
            .stdout
            .contains("acme/extra 1.0.0 -> acme/extra 1.1.0"),
        "{}",
        table.stdout
    );
    assert!(
        table
            .stdout
            .contains("added (1):\n  account-security-contact"),
        "{}",
        table.stdout
    );
}

fn two_packs_with_one_check_id_are_refused_naming_both() {
    let machine = Machine::new();
    let work = tempfile::tempdir().unwrap();
    for name in ["acme/one", "acme/two"] {
        let dir = work.path().join(name);
        packs::project(
            &dir.join("project"),
            name,
            "1.0.0",
            &[component("root-mfa")],
        );
        packs::build(&machine, &dir.join("project"), &dir.join("dist"));
        let installed = install(&machine, dir.join("dist").to_str().unwrap(), &[]);
        assert_eq!(installed.code, 0, "{}", installed.stderr);
    }
    let scan = scan_json(&machine, &["--pack", "acme/one", "--pack", "acme/two"]);
    assert_eq!(scan.code, 2);
    assert!(
        scan.stderr
            .contains("two checks declare the id \"root-mfa\": pack acme/one 1.0.0")
            && scan.stderr.contains("pack acme/two 1.0.0"),
        "{}",
        scan.stderr
    );
    // And a pack's check against a local one with the same id.
    let plugins = support::check("root-mfa");
    let mixed = scan_json(
        &machine,
        &["--pack", "acme/one", "--plugins", plugins.to_str().unwrap()],
    );
    assert_eq!(mixed.code, 2);
    assert!(
        mixed.stderr.contains("pack acme/one 1.0.0") && mixed.stderr.contains("root-mfa.wasm"),
        "{}",
        mixed.stderr
    );
}

fn a_pack_changed_on_disk_after_install_is_refused_at_scan() {
    let machine = Machine::new();
    let work = tempfile::tempdir().unwrap();
    let key = acme(&machine, work.path());
    let built = signed_pack(&machine, work.path(), "1.0.0", &key);
    assert_eq!(install(&machine, built.to_str().unwrap(), &[]).code, 0);
    let folder = machine
        .packs_dir()
        .join(machine.locked("acme/extra")["path"].as_str().unwrap());
    let component = folder.join("checks/root-mfa.wasm");
    let mut bytes = std::fs::read(&component).unwrap();
    bytes.extend_from_slice(b"\0");
    std::fs::write(&component, bytes).unwrap();
    let scan = scan_json(&machine, &["--pack", "acme/extra"]);
    assert_eq!(scan.code, 2);
    assert!(
        scan.stderr.contains("installed pack acme/extra is damaged"),
        "{}",
        scan.stderr
    );
    assert!(
        scan.stderr.contains("checks/root-mfa.wasm is"),
        "{}",
        scan.stderr
    );
}

fn the_config_file_names_the_default_packs() {
    let machine = Machine::new();
    let work = tempfile::tempdir().unwrap();
    let key = acme(&machine, work.path());
    let built = signed_pack(&machine, work.path(), "1.0.0", &key);
    assert_eq!(install(&machine, built.to_str().unwrap(), &[]).code, 0);
    std::fs::create_dir_all(machine.config_dir()).unwrap();
    std::fs::write(
        machine.config_dir().join("config.toml"),
        "packs = [\"acme/extra\"]\n",
    )
    .unwrap();
    let scan = scan_json(&machine, &[]);
    assert!(scan.code <= 1, "{}", scan.stderr);
    let json = scan.json();
    let results = json["results"].as_array().unwrap();
    assert_eq!(
        results.len(),
        2,
        "only the configured pack runs, not checks/"
    );
    assert!(
        results
            .iter()
            .all(|result| result["provenance"]["pack"] == "acme/extra")
    );
}

fn an_exported_layout_installs_offline_with_the_registry_digests() {
    let publisher = Machine::new();
    let work = tempfile::tempdir().unwrap();
    let key = acme(&publisher, work.path());
    let built = signed_pack(&publisher, work.path(), "3.1.0", &key);
    let repository = format!("oci://{}/acme/offline", registry::open());
    let published = publisher.host_with(&["pack", "publish"], &[&built, Path::new(&repository)]);
    assert_eq!(published.code, 0, "{}", published.stderr);
    let online = Machine::new();
    online.trust("acme", &key.public, &["acme/*"]);
    assert_eq!(install(&online, &format!("{repository}:3.1"), &[]).code, 0);
    let registry_lock = online.locked("acme/extra");

    // Exported from the installed pack, carried over, installed offline.
    let layout = work.path().join("usb/acme-extra");
    let exported = online.host_with(&["pack", "export", "acme/extra", "--out"], &[&layout]);
    assert_eq!(exported.code, 0, "{}", exported.stderr);
    let offline = Machine::new();
    offline.trust("acme", &key.public, &["acme/*"]);
    let installed = install(&offline, &format!("oci-layout:{}", layout.display()), &[]);
    assert_eq!(installed.code, 0, "{}", installed.stderr);
    let layout_lock = offline.locked("acme/extra");
    assert_eq!(
        layout_lock["manifest_sha256"],
        registry_lock["manifest_sha256"]
    );
    assert_eq!(
        layout_lock["resolved"], registry_lock["resolved"],
        "same OCI manifest digest"
    );
    assert_eq!(layout_lock["signer"], registry_lock["signer"]);
}

fn a_registry_blob_that_does_not_match_its_digest_changes_nothing() {
    let machine = Machine::new();
    let work = tempfile::tempdir().unwrap();
    let key = acme(&machine, work.path());
    let good = signed_pack(&machine, work.path(), "1.0.0", &key);
    assert_eq!(install(&machine, good.to_str().unwrap(), &[]).code, 0);
    let layout = work.path().join("layout");
    let exported = machine.host_with(&["pack", "export"], &[&good, Path::new("--out"), &layout]);
    assert_eq!(exported.code, 0, "{}", exported.stderr);
    let hostile = HostileRegistry::start(&layout, "checks/root-mfa.wasm", Spoil::AlteredBlob);
    let source = format!(
        "oci://{}/{}:{}",
        hostile.address(),
        hostile_registry::REPOSITORY,
        hostile_registry::TAG
    );
    assert_refused(&machine, &source, &[], "checks/root-mfa.wasm");
    let refused = install(&machine, &source, &[]);
    assert!(refused.stderr.contains("sha256"), "{}", refused.stderr);
}

fn outdated_update_and_diff_follow_published_versions() {
    let publisher = Machine::new();
    let work = tempfile::tempdir().unwrap();
    let key = acme(&publisher, work.path());
    let repository = format!("oci://{}/acme/channel", registry::open());
    for (version, checks) in [
        ("1.0.0", vec![component("root-mfa")]),
        (
            "1.1.0",
            vec![component("root-mfa"), component("root-no-access-keys")],
        ),
        ("2.0.0", vec![component("account-security-contact")]),
    ] {
        let dir = work.path().join(version);
        packs::project(&dir.join("project"), "acme/channel", version, &checks);
        packs::build(&publisher, &dir.join("project"), &dir.join("dist"));
        let signed = publisher.host_with(
            &["pack", "sign"],
            &[&dir.join("dist"), Path::new("--key"), &key.secret],
        );
        assert_eq!(signed.code, 0, "{}", signed.stderr);
        let published = publisher.host_with(
            &["pack", "publish"],
            &[&dir.join("dist"), Path::new(&repository)],
        );
        assert_eq!(published.code, 0, "{}", published.stderr);
    }

    let machine = Machine::new();
    machine.trust("acme", &key.public, &["acme/*"]);
    assert_eq!(
        install(&machine, &format!("{repository}:1.0.0"), &[]).code,
        0
    );
    let outdated = machine.host(&["pack", "outdated"]);
    assert_eq!(outdated.code, 0, "{}", outdated.stderr);
    assert!(
        outdated.stdout.contains("acme/channel 1.0.0 -> 1.1.0"),
        "the newest 1.x, not 2.0.0: {}",
        outdated.stdout
    );
    let updated = machine.host(&["pack", "update"]);
    assert_eq!(updated.code, 0, "{}", updated.stderr);
    assert_eq!(
        machine.locked("acme/channel")["version"].as_str(),
        Some("1.1.0")
    );
    assert!(
        updated
            .stderr
            .contains("Installed acme/channel 1.1.0 (was 1.0.0; 1 added (root-no-access-keys))"),
        "an update says what it changes: {}",
        updated.stderr
    );
    let current = machine.host(&["pack", "outdated"]);
    assert!(
        current
            .stdout
            .contains("Every installed pack is the newest"),
        "{}",
        current.stdout
    );

    let diff = machine.host(&[
        "pack",
        "diff",
        "--format",
        "json",
        &format!("{repository}:1.0.0"),
        &format!("{repository}:1.1"),
    ]);
    assert_eq!(diff.code, 0, "{}", diff.stderr);
    let json = diff.json();
    assert_eq!(json["added"][0]["check"], "root-no-access-keys");
    assert!(
        json["removed"].as_array().unwrap().is_empty()
            && json["changed"].as_array().unwrap().is_empty()
    );
}

fn the_first_party_checks_are_the_plumbline_cis_aws_pack() {
    let machine = Machine::new();
    let work = tempfile::tempdir().unwrap();
    let built = work.path().join("cis-aws");
    packs::build(&machine, &support::root().join("checks"), &built);
    let manifest = plumbline_host::pack::manifest::Manifest::read(&built)
        .unwrap()
        .0;
    assert_eq!(manifest.pack.name.to_string(), "plumbline/cis-aws");
    let ids: Vec<String> = manifest
        .checks
        .iter()
        .map(|check| check.id.clone())
        .collect();
    assert_eq!(
        ids,
        support::first_party_check_ids(),
        "every first-party check, by the id its component declares"
    );
    assert_eq!(
        manifest.pack.api.to_string(),
        format!("^{}", plumbline_host::bindings::API_VERSION)
    );

    let installed = install(&machine, built.to_str().unwrap(), &[]);
    assert_eq!(installed.code, 0, "{}", installed.stderr);
    let from_pack = scan_json(&machine, &["--pack", "plumbline/cis-aws"]);
    let from_folder = scan_json(&machine, &["--plugins", "checks"]);
    let statuses = |run: &Run| -> Vec<(String, String)> {
        run.json()["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|result| {
                (
                    result["check"].as_str().unwrap().to_string(),
                    result["status"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    assert_eq!(
        statuses(&from_pack),
        statuses(&from_folder),
        "the pack scans exactly as the folder does"
    );
    assert_eq!(from_pack.code, from_folder.code);
}

fn verify_list_remove_and_the_trust_store() {
    let machine = Machine::new();
    let work = tempfile::tempdir().unwrap();
    let key = acme(&machine, work.path());
    let built = signed_pack(&machine, work.path(), "1.0.0", &key);
    let digest = packs::manifest_digest(&built);

    let verified = machine.host_with(&["pack", "verify"], &[&built]);
    assert_eq!(verified.code, 0, "{}", verified.stderr);
    assert!(
        verified.stdout.contains(&format!(
            "acme/extra 1.0.0: OK — 2 checks, manifest sha256:{digest}, signer: acme (minisign key"
        )),
        "{}",
        verified.stdout
    );
    assert!(
        machine.installed_state().is_empty(),
        "verify installs nothing"
    );

    assert_eq!(install(&machine, built.to_str().unwrap(), &[]).code, 0);
    let listed = machine.host(&["pack", "list"]);
    assert!(
        listed.stdout.contains("acme/extra 1.0.0") && listed.stdout.contains(&digest[..12]),
        "{}",
        listed.stdout
    );
    let trusted = machine.host(&["trust", "list"]);
    assert!(
        trusted.stdout.contains("acme  minisign key")
            && trusted.stdout.contains("may sign: acme/*"),
        "{}",
        trusted.stdout
    );

    // Without the key, the same signed pack is signed by a stranger: a
    // remote copy would be refused; the installed one still scans.
    assert_eq!(machine.host(&["trust", "remove", "acme"]).code, 0);
    assert!(
        machine
            .host(&["trust", "list"])
            .stdout
            .contains("No trusted keys")
    );
    let scan = scan_json(&machine, &["--pack", "acme/extra"]);
    assert!(scan.code <= 1, "{}", scan.stderr);

    let removed = machine.host(&["pack", "remove", "acme/extra"]);
    assert_eq!(removed.code, 0, "{}", removed.stderr);
    assert!(
        machine
            .host(&["pack", "list"])
            .stdout
            .contains("No packs installed")
    );
    let state = machine.installed_state();
    assert_eq!(
        state.keys().collect::<Vec<_>>(),
        ["plumbline.lock"],
        "the pack's folder is gone"
    );
    let again = machine.host(&["pack", "remove", "acme/extra"]);
    assert_eq!(again.code, 2);
    assert!(
        again.stderr.contains("acme/extra is not installed"),
        "{}",
        again.stderr
    );
}
