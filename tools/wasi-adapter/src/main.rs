//! Writes the WASI preview 1 reactor adapter to the path given, from the
//! adapter crate's public constant rather than from cargo's registry layout.

use std::{env, fs, process::ExitCode};

use wasi_preview1_component_adapter_provider::WASI_SNAPSHOT_PREVIEW1_REACTOR_ADAPTER;

fn main() -> ExitCode {
    let mut arguments = env::args_os().skip(1);
    let (Some(output), None) = (arguments.next(), arguments.next()) else {
        eprintln!("usage: wasi-adapter <output.wasm>");
        return ExitCode::FAILURE;
    };
    if let Err(error) = fs::write(&output, WASI_SNAPSHOT_PREVIEW1_REACTOR_ADAPTER) {
        eprintln!("cannot write {}: {error}", output.to_string_lossy());
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
