use std::process::ExitCode;

use clap::Parser;
use plumbline_host::cli::{Cli, Command};
use plumbline_host::report::untrusted::escape;
use plumbline_host::{coverage, diff, fixtures, pack, permissions, scaffold, scan};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Scan(args) => scan::scan(*args),
        Command::Collect(args) => scan::collect(args),
        Command::Coverage(args) => coverage::coverage(args),
        Command::Permissions(args) => permissions::permissions(args),
        Command::Diff(args) => diff::diff(args),
        Command::New(args) => scaffold::new(args),
        Command::Test(args) => fixtures::test(args),
        Command::Pack(command) => pack::commands::pack(command),
        Command::Trust(command) => pack::commands::trust(command),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            // Check text in an error is escaped where the error is made;
            // escaping again is harmless (escaping is idempotent) and covers
            // text that reached it some other way. Line breaks are kept: only
            // the host's own advice spans lines, since embedded check text
            // has its newlines escaped already.
            let message = format!("{error:#}");
            let lines: Vec<_> = message.lines().map(escape).collect();
            eprintln!("error: {}", lines.join("\n"));
            ExitCode::from(scan::exit::ERROR)
        }
    }
}
