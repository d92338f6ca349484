//! OCI registries on 127.0.0.1: Debian's `docker-registry` (the CNCF
//! distribution registry) with a config of ours, one open and one behind
//! htpasswd basic auth, each started on first use and shared by every test
//! (tests keep to repositories of their own). They die with the test
//! process, as moto does.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use super::shared_dir;

const BINARY: &str = "/usr/bin/docker-registry";
pub const USERNAME: &str = "publisher";
pub const PASSWORD: &str = "correct horse battery staple";

static OPEN: OnceLock<String> = OnceLock::new();
static WITH_AUTH: OnceLock<String> = OnceLock::new();

/// `127.0.0.1:<port>` of the registry anyone may push to and pull from.
pub fn open() -> &'static str {
    OPEN.get_or_init(|| start(false))
}

/// `127.0.0.1:<port>` of the registry that wants [`USERNAME`] and
/// [`PASSWORD`] for every request.
pub fn with_auth() -> &'static str {
    WITH_AUTH.get_or_init(|| start(true))
}

fn start(auth: bool) -> String {
    assert!(
        Path::new(BINARY).exists(),
        "{BINARY} is missing: run scripts/setup-test-tools.sh (scripts/test.sh does)"
    );
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = shared_dir(&format!("registry-{port}"));
    let mut config = format!(
        "version: 0.1\n\
         log:\n  level: error\n  accesslog:\n    disabled: true\n\
         storage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: true\n\
         http:\n  addr: 127.0.0.1:{port}\n  secret: plumbline-e2e\n",
        dir.join("data").display()
    );
    if auth {
        let htpasswd = Command::new("htpasswd")
            .args(["-Bbn", USERNAME, PASSWORD])
            .output()
            .expect("run htpasswd (apache2-utils): run scripts/setup-test-tools.sh");
        assert!(htpasswd.status.success(), "htpasswd failed: {htpasswd:?}");
        std::fs::write(dir.join("htpasswd"), &htpasswd.stdout).unwrap();
        config.push_str(&format!(
            "auth:\n  htpasswd:\n    realm: plumbline-e2e\n    path: {}\n",
            dir.join("htpasswd").display()
        ));
    }
    let config_path = dir.join("config.yml");
    std::fs::write(&config_path, config).unwrap();

    let mut command = Command::new(BINARY);
    command.arg("serve").arg(&config_path);
    super::spawn_server(command, "docker-registry");
    let deadline = Instant::now() + Duration::from_secs(30);
    let expected = if auth { "401" } else { "200" };
    loop {
        if let Some(status) = v2_status(port)
            && status == expected
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "docker-registry did not answer /v2/ with {expected} on port {port} within 30 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    format!("127.0.0.1:{port}")
}

/// The status code of `GET /v2/`, once the registry listens.
fn v2_status(port: u16) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .write_all(b"GET /v2/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    answer.split_whitespace().nth(1).map(str::to_string)
}
