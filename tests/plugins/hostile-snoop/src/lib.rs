//! Tries every way out of the sandbox a check could attempt and reports each
//! as a finding: `pass` when the sandbox refused, `fail` (with what it saw)
//! when it got through.

use plumbline_guest::bindings::exports::plumbline::check::plugin::Guest;
use plumbline_guest::prelude::*;

#[path = "../../hostile_metadata.rs"]
mod hostile_metadata;

struct HostileSnoop;

fn attempt(name: &str, escaped: Option<String>) -> Finding {
    match escaped {
        None => Finding::pass(name, GLOBAL_REGION, "refused"),
        Some(seen) => Finding::fail(name, GLOBAL_REGION, seen),
    }
}

impl Guest for HostileSnoop {
    fn metadata() -> CheckMetadata {
        hostile_metadata::metadata("hostile-snoop")
    }

    fn evaluate() -> Vec<Finding> {
        let variables: Vec<String> = std::env::vars().map(|(key, _)| key).collect();
        let arguments: Vec<String> = std::env::args().collect();
        let root_listing = std::fs::read_dir("/").map(|entries| entries.count());
        let passwd = std::fs::read_to_string("/etc/passwd");
        let credentials = std::fs::read_to_string("/root/.aws/credentials");
        let cwd_listing = std::fs::read_dir(".").map(|entries| entries.count());
        let created = std::fs::write("/tmp/plumbline-escape", b"escaped");
        // The test names a port with a live listener through the snapshot's
        // regions: the only channel into the sandbox is the scan data.
        let port = scan::regions()
            .iter()
            .find_map(|region| region.strip_prefix("listener-port-").map(str::to_string))
            .unwrap_or_else(|| "1".into());
        let connected = std::net::TcpStream::connect(format!("127.0.0.1:{port}"));
        let resolved = std::net::ToSocketAddrs::to_socket_addrs(&("localhost", 80));
        let mut stdin = String::new();
        let read_stdin = std::io::Read::read_to_string(&mut std::io::stdin(), &mut stdin);
        vec![
            attempt(
                "environment",
                (!variables.is_empty()).then(|| variables.join(",")),
            ),
            attempt(
                "arguments",
                (!arguments.is_empty()).then(|| arguments.join(" ")),
            ),
            attempt("list /", root_listing.ok().map(|n| format!("{n} entries"))),
            attempt(
                "read /etc/passwd",
                passwd.ok().map(|text| format!("{} bytes", text.len())),
            ),
            attempt(
                "read ~/.aws/credentials",
                credentials.ok().map(|_| "read".into()),
            ),
            attempt("list .", cwd_listing.ok().map(|n| format!("{n} entries"))),
            attempt(
                "write /tmp",
                created.ok().map(|_| "wrote /tmp/plumbline-escape".into()),
            ),
            attempt(
                "tcp connect",
                connected
                    .ok()
                    .map(|_| format!("connected to 127.0.0.1:{port}")),
            ),
            attempt(
                "dns lookup",
                resolved
                    .ok()
                    .map(|addrs| format!("{} addresses", addrs.count())),
            ),
            attempt(
                "stdin",
                (read_stdin.is_ok() && !stdin.is_empty()).then(|| stdin.clone()),
            ),
        ]
    }
}

plumbline_guest::bindings::export!(HostileSnoop with_types_in plumbline_guest::bindings);
