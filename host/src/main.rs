use std::process::ExitCode;

use clap::Parser;
use plumbline_host::cli::{Cli, Command};
use plumbline_host::{coverage, pack, permissions, scan};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Scan(args) => scan::scan(args),
        Command::Collect(args) => scan::collect(args),
        Command::Coverage(args) => coverage::coverage(args),
        Command::Permissions(args) => permissions::permissions(args),
        Command::Pack(command) => pack::commands::pack(command),
        Command::Trust(command) => pack::commands::trust(command),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(scan::exit::ERROR)
        }
    }
}
