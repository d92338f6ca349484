//! `host collect` of a moto account and reading the snapshot it writes, for
//! the tests of what each data set collects.

use std::process::Command;

use serde_json::Value;

use super::moto::Account;
use super::{host, run};

/// The regions the collection tests scan: the SDK's home region, where they
/// seed, and one more that stays empty or differs.
pub const SCANNED_REGIONS: &str = "eu-west-1,us-east-1";

/// `host collect --regions eu-west-1,us-east-1` (every data set) with the
/// command set up by `configure` (credentials, endpoint); the snapshot.
pub fn collect_with(configure: impl FnOnce(&mut Command)) -> Value {
    collect_in(SCANNED_REGIONS, configure)
}

/// [`collect_with`] other regions (comma-separated).
pub fn collect_in(regions: &str, configure: impl FnOnce(&mut Command)) -> Value {
    let cache = tempfile::tempdir().unwrap();
    let out = cache.path().join("snapshot.json");
    let mut command = host(cache.path());
    command
        .args(["collect", "--regions", regions, "--out"])
        .arg(&out);
    configure(&mut command);
    let collected = run(&mut command);
    assert_eq!(collected.code, 0, "{}", collected.stderr);
    serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap()
}

/// [`collect_with`] the account's own credentials.
pub fn collect(account: &Account) -> Value {
    collect_with(|command| account.configure(command))
}

/// A data set's value; the data set as a whole must have succeeded.
pub fn whole<'a>(snapshot: &'a Value, interface: &str, data_set: &str) -> &'a Value {
    let outcome = &snapshot[interface][data_set];
    outcome
        .get("Ok")
        .unwrap_or_else(|| panic!("{interface}.{data_set} failed: {outcome}"))
}

/// A regional or per-resource data set's outcome for one key (a region, a
/// bucket, an ARN); the data set as a whole must have succeeded.
pub fn entry<'a>(snapshot: &'a Value, interface: &str, data_set: &str, key: &str) -> &'a Value {
    let outcome = &whole(snapshot, interface, data_set)[key];
    assert!(
        !outcome.is_null(),
        "{interface}.{data_set} has no outcome for {key}: {:#}",
        snapshot[interface][data_set]
    );
    outcome
}

/// The value of a successful outcome for one key.
pub fn ok<'a>(snapshot: &'a Value, interface: &str, data_set: &str, key: &str) -> &'a Value {
    let outcome = entry(snapshot, interface, data_set, key);
    outcome
        .get("Ok")
        .unwrap_or_else(|| panic!("{interface}.{data_set} for {key} failed: {outcome}"))
}
