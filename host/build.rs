//! The host's API version is the version of the WIT package it implements,
//! read from `wit/check.wit` so the two cannot disagree.

fn main() {
    const WIT: &str = "../wit/check.wit";
    println!("cargo::rerun-if-changed={WIT}");
    let text = std::fs::read_to_string(WIT).expect("read wit/check.wit");
    let version = text
        .lines()
        .find_map(|line| line.trim().strip_prefix("package plumbline:check@"))
        .and_then(|rest| rest.strip_suffix(';'))
        .expect("wit/check.wit declares `package plumbline:check@<version>;`");
    println!("cargo::rustc-env=PLUMBLINE_API_VERSION={version}");
}
