//! moto servers (AWS emulator) on 127.0.0.1. One is shared by every test
//! that needs no server of its own; each test works in an account of its own
//! there: STS AssumeRole into a role of that account gives credentials moto
//! attributes to it. A test whose server must differ (IAM enforced, managed
//! policies loaded, a request recorder no other test writes to) starts its
//! own with [`start`].

use std::collections::BTreeMap;
use std::net::{TcpListener, TcpStream};
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use aws_credential_types::Credentials;
use base64::Engine as _;

use super::{root, shared_dir};

pub const REGION: &str = "us-east-1";

static ENDPOINT: OnceLock<String> = OnceLock::new();

/// `http://127.0.0.1:<port>` of the shared moto server, started on first use.
pub fn endpoint() -> &'static str {
    ENDPOINT.get_or_init(|| start(&[]))
}

/// Starts a moto server with extra settings (environment variables), for a
/// test that needs a server of its own; returns its endpoint. The server
/// lives as long as the test process.
pub fn start(settings: &[(&'static str, &'static str)]) -> String {
    let settings = settings.to_vec();
    let server = root().join(".venv/bin/moto_server");
    assert!(
        server.exists(),
        "{} is missing: run scripts/setup-python.sh (scripts/test.sh does)",
        server.display()
    );
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    // moto writes its request recordings (and anything else it writes to a
    // relative path) outside the working tree.
    let scratch = shared_dir("moto");
    let mut command = Command::new(server);
    command
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .current_dir(&scratch)
        .env(
            "MOTO_RECORDER_FILEPATH",
            scratch.join(format!("recording-{port}")),
        )
        .envs(settings);
    super::spawn_server(command, "moto_server");
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "moto_server did not listen on port {port} within 60 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    format!("http://127.0.0.1:{port}")
}

/// An AWS account of its own on a moto server.
pub struct Account {
    pub id: String,
    pub credentials: Credentials,
    /// The server the account lives on.
    pub endpoint: String,
}

static NEXT_ACCOUNT: AtomicU64 = AtomicU64::new(0);

impl Account {
    /// A fresh account on the shared server (ids are unique per process).
    pub async fn new() -> Account {
        Account::on(endpoint()).await
    }

    /// A fresh account on a given server, e.g. one from [`start`] with
    /// settings of its own.
    pub async fn on(endpoint: &str) -> Account {
        let id = format!(
            "{:06}{:06}",
            std::process::id() % 1_000_000,
            NEXT_ACCOUNT.fetch_add(1, Ordering::Relaxed) + 100_000
        );
        let sts = aws_sdk_sts::Client::from_conf(
            aws_sdk_sts::Config::builder()
                .behavior_version_latest()
                .endpoint_url(endpoint)
                .region(aws_sdk_sts::config::Region::new(REGION))
                .credentials_provider(Credentials::new("test", "test", None, None, "moto"))
                .build(),
        );
        let assumed = sts
            .assume_role()
            .role_arn(format!("arn:aws:iam::{id}:role/plumbline-test"))
            .role_session_name("plumbline-test")
            .send()
            .await
            .expect("sts:AssumeRole on moto");
        let issued = assumed.credentials().expect("assumed credentials");
        let credentials = Credentials::new(
            issued.access_key_id(),
            issued.secret_access_key(),
            Some(issued.session_token().to_string()),
            None,
            "moto-assumed",
        );
        Account {
            id,
            credentials,
            endpoint: endpoint.to_string(),
        }
    }

    pub fn iam(&self) -> aws_sdk_iam::Client {
        aws_sdk_iam::Client::from_conf(
            aws_sdk_iam::Config::builder()
                .behavior_version_latest()
                .endpoint_url(&self.endpoint)
                .region(aws_sdk_iam::config::Region::new(REGION))
                .credentials_provider(self.credentials.clone())
                .build(),
        )
    }

    /// SDK settings for this account on its moto server: build any
    /// service client with `aws_sdk_<service>::Client::new(&account.sdk_config())`.
    pub fn sdk_config(&self) -> aws_config::SdkConfig {
        aws_config::SdkConfig::builder()
            .behavior_version(aws_config::BehaviorVersion::latest())
            .endpoint_url(&self.endpoint)
            .region(aws_config::Region::new(REGION))
            .credentials_provider(
                aws_credential_types::provider::SharedCredentialsProvider::new(
                    self.credentials.clone(),
                ),
            )
            .build()
    }

    /// [`Account::sdk_config`] for another region: seeding a second region.
    pub fn sdk_config_in(&self, region: &str) -> aws_config::SdkConfig {
        self.sdk_config()
            .to_builder()
            .region(aws_config::Region::new(region.to_string()))
            .build()
    }

    /// Points a `host` command at this account.
    pub fn configure(&self, command: &mut Command) {
        command
            .env("AWS_ENDPOINT_URL", &self.endpoint)
            .env("AWS_REGION", REGION)
            .env("AWS_ACCESS_KEY_ID", self.credentials.access_key_id())
            .env(
                "AWS_SECRET_ACCESS_KEY",
                self.credentials.secret_access_key(),
            )
            .env(
                "AWS_SESSION_TOKEN",
                self.credentials.session_token().unwrap_or_default(),
            );
    }

    pub fn arn(&self, resource: &str) -> String {
        format!("arn:aws:iam::{}:{resource}", self.id)
    }
}

/// A moto server of its own that enforces IAM. Its first `free_requests`
/// requests go unauthenticated, enough to create the auditors a test needs
/// with the returned IAM client (three requests each, see [`auditor`]);
/// every request after is checked against their policies.
pub fn enforcing_iam(free_requests: &'static str) -> (String, aws_sdk_iam::Client) {
    let endpoint = start(&[("INITIAL_NO_AUTH_ACTION_COUNT", free_requests)]);
    let iam = aws_sdk_iam::Client::from_conf(
        aws_sdk_iam::Config::builder()
            .behavior_version_latest()
            .endpoint_url(&endpoint)
            .region(aws_sdk_iam::config::Region::new(REGION))
            .credentials_provider(Credentials::new("test", "test", None, None, "moto"))
            .build(),
    );
    (endpoint, iam)
}

/// Points a `host` command at the moto server `endpoint` with an auditor's
/// credentials (from [`auditor`]).
pub fn configure_auditor(
    command: &mut Command,
    endpoint: &str,
    (key_id, secret): &(String, String),
) {
    command
        .env("AWS_ENDPOINT_URL", endpoint)
        .env("AWS_REGION", REGION)
        .env("AWS_ACCESS_KEY_ID", key_id)
        .env("AWS_SECRET_ACCESS_KEY", secret);
}

/// A user allowed exactly `actions` (an inline policy), on a server from
/// [`enforcing_iam`]; returns its access key id and secret.
pub async fn auditor(
    iam: &aws_sdk_iam::Client,
    name: &str,
    actions: &[impl AsRef<str>],
) -> (String, String) {
    iam.create_user().user_name(name).send().await.unwrap();
    let key = iam
        .create_access_key()
        .user_name(name)
        .send()
        .await
        .unwrap();
    let key = key.access_key().unwrap();
    let actions: Vec<&str> = actions.iter().map(AsRef::as_ref).collect();
    let policy = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{ "Effect": "Allow", "Action": actions, "Resource": "*" }],
    });
    iam.put_user_policy()
        .user_name(name)
        .policy_name("plumbline-audit")
        .policy_document(policy.to_string())
        .send()
        .await
        .unwrap();
    (
        key.access_key_id().to_string(),
        key.secret_access_key().to_string(),
    )
}

/// Starts moto's request recorder, runs `scan`, returns the count of each
/// AWS action. Recording is server-wide: give the test a server of its own
/// ([`start`]), or the other tests' requests are counted too.
pub async fn record(endpoint: &str, scan: impl FnOnce()) -> BTreeMap<String, usize> {
    let http = |path: &str, post: bool| recorder_request(endpoint, path, post);
    http("reset-recording", true);
    http("start-recording", true);
    scan();
    http("stop-recording", true);
    let mut actions = BTreeMap::new();
    for line in http("download-recording", false)
        .lines()
        .filter(|line| !line.trim().is_empty())
    {
        let request: serde_json::Value = serde_json::from_str(line).unwrap();
        let body = request["body"].as_str().unwrap_or_default();
        let body = if request["body_encoded"] == true {
            String::from_utf8(
                base64::engine::general_purpose::STANDARD
                    .decode(body)
                    .unwrap(),
            )
            .unwrap()
        } else {
            body.to_string()
        };
        let action = body
            .split('&')
            .find_map(|pair| pair.strip_prefix("Action="))
            .unwrap_or("(no action)")
            .to_string();
        *actions.entry(action).or_default() += 1;
    }
    actions
}

/// One HTTP/1.0 request to moto's recorder API (plain std, no client crate).
fn recorder_request(endpoint: &str, path: &str, post: bool) -> String {
    use std::io::{Read, Write};
    let address = endpoint.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).expect("connect to moto");
    let method = if post { "POST" } else { "GET" };
    write!(
        stream,
        "{method} /moto-api/recorder/{path} HTTP/1.0\r\nHost: {address}\r\nContent-Length: 0\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").expect("an HTTP response");
    assert!(
        head.starts_with("HTTP/1.") && head.contains(" 200 "),
        "{path}: {head}"
    );
    body.to_string()
}
