//! A registry that lies: a minimal HTTP/1.1 server (std only) serving a real
//! pack's artifact, read from an OCI layout that `export_layout` wrote,
//! spoiled in one way. What a fetch must refuse, and before which download,
//! is the test's to say.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use serde_json::Value;

/// The repository and tag the artifact is served as.
pub const REPOSITORY: &str = "hostile/pack";
pub const TAG: &str = "1.0.0";
const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";

#[derive(Clone, Copy)]
pub enum Spoil {
    /// The layer's blob has other bytes (of the same length) than its digest.
    AlteredBlob,
    /// The manifest is a Docker image manifest, not an OCI one.
    WrongMediaType,
    /// The layer's descriptor announces more than a pack file may hold.
    OversizedLayer,
    /// The layer's blob streams on past its announced size, with no
    /// Content-Length to give it away.
    OverlongLayer,
}

pub struct HostileRegistry {
    address: String,
    blob_requests: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

struct Served {
    manifest: Vec<u8>,
    manifest_type: String,
    blobs: BTreeMap<String, Vec<u8>>,
    /// The spoiled layer's digest, when its blob is served differently.
    overlong: Option<String>,
}

impl HostileRegistry {
    /// Serves the only artifact of `layout` with the layer titled `title`
    /// (or the manifest) spoiled as `spoil` says.
    pub fn start(layout: &Path, title: &str, spoil: Spoil) -> HostileRegistry {
        let mut served = read_layout(layout);
        let mut manifest: Value = serde_json::from_slice(&served.manifest).unwrap();
        let layer = manifest["layers"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|layer| layer["annotations"]["org.opencontainers.image.title"] == title)
            .unwrap_or_else(|| panic!("the layout has no layer titled {title}"));
        let digest = layer["digest"].as_str().unwrap().to_string();
        match spoil {
            Spoil::AlteredBlob => {
                let blob = served.blobs.get_mut(&digest).unwrap();
                blob[0] ^= 0xff;
            }
            Spoil::WrongMediaType => {
                manifest["mediaType"] = DOCKER_MANIFEST.into();
                served.manifest_type = DOCKER_MANIFEST.to_string();
            }
            Spoil::OversizedLayer => {
                layer["size"] = (plumbline_host::pack::manifest::limits::FILE_BYTES + 1).into();
            }
            Spoil::OverlongLayer => served.overlong = Some(digest),
        }
        if !matches!(spoil, Spoil::AlteredBlob | Spoil::OverlongLayer) {
            served.manifest = serde_json::to_vec(&manifest).unwrap();
        }

        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap().to_string();
        let blob_requests = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let served = Arc::new(served);
        {
            let blob_requests = Arc::clone(&blob_requests);
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        return;
                    }
                    let Ok(stream) = stream else { continue };
                    let served = Arc::clone(&served);
                    let blob_requests = Arc::clone(&blob_requests);
                    std::thread::spawn(move || serve(stream, &served, &blob_requests));
                }
            });
        }
        HostileRegistry {
            address,
            blob_requests,
            stop,
        }
    }

    /// `127.0.0.1:<port>`.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// How many blob downloads were asked for.
    pub fn blob_requests(&self) -> usize {
        self.blob_requests.load(Ordering::SeqCst)
    }
}

impl Drop for HostileRegistry {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so that it sees the flag.
        let _ = TcpStream::connect(&self.address);
    }
}

fn read_layout(layout: &Path) -> Served {
    let index: Value =
        serde_json::from_slice(&std::fs::read(layout.join("index.json")).unwrap()).unwrap();
    let digest = index["manifests"][0]["digest"]
        .as_str()
        .unwrap()
        .to_string();
    let mut blobs = BTreeMap::new();
    for entry in std::fs::read_dir(layout.join("blobs/sha256")).unwrap() {
        let entry = entry.unwrap();
        blobs.insert(
            format!("sha256:{}", entry.file_name().to_string_lossy()),
            std::fs::read(entry.path()).unwrap(),
        );
    }
    Served {
        manifest: blobs[&digest].clone(),
        manifest_type: "application/vnd.oci.image.manifest.v1+json".to_string(),
        blobs,
        overlong: None,
    }
}

fn serve(mut stream: TcpStream, served: &Served, blob_requests: &AtomicUsize) {
    let mut request = Vec::new();
    let mut buffer = [0u8; 4096];
    while !request.windows(4).any(|window| window == b"\r\n\r\n") {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => return,
            Ok(read) => request.extend_from_slice(&buffer[..read]),
        }
        if request.len() > 64 * 1024 {
            return;
        }
    }
    let request = String::from_utf8_lossy(&request);
    let mut words = request.split_whitespace();
    let (Some(method), Some(path)) = (words.next(), words.next()) else {
        return;
    };
    let manifests = format!("/v2/{REPOSITORY}/manifests/");
    let blobs = format!("/v2/{REPOSITORY}/blobs/");
    let head = method == "HEAD";
    if path == "/v2/" {
        respond(&mut stream, "200 OK", "application/json", b"{}", head);
    } else if let Some(reference) = path.strip_prefix(&manifests) {
        let digest = format!(
            "sha256:{}",
            plumbline_host::pack::manifest::sha256_hex(&served.manifest)
        );
        if reference == TAG || reference == digest {
            respond(
                &mut stream,
                "200 OK",
                &served.manifest_type,
                &served.manifest,
                head,
            );
        } else {
            respond(&mut stream, "404 Not Found", "text/plain", b"", head);
        }
    } else if let Some(digest) = path.strip_prefix(&blobs) {
        blob_requests.fetch_add(1, Ordering::SeqCst);
        match served.blobs.get(digest) {
            Some(bytes) if served.overlong.as_deref() == Some(digest) => {
                // No Content-Length: the body ends when the connection does.
                let _ = stream.write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n",
                );
                let _ = stream.write_all(bytes);
                let _ = stream.write_all(&vec![b'!'; 1024 * 1024]);
            }
            Some(bytes) => respond(
                &mut stream,
                "200 OK",
                "application/octet-stream",
                bytes,
                head,
            ),
            None => respond(&mut stream, "404 Not Found", "text/plain", b"", head),
        }
    } else {
        respond(&mut stream, "404 Not Found", "text/plain", b"", head);
    }
}

fn respond(stream: &mut TcpStream, status: &str, content_type: &str, body: &[u8], head: bool) {
    let header = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(header.as_bytes());
    if !head {
        let _ = stream.write_all(body);
    }
}
