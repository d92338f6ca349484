//! A one-file HTTP server on 127.0.0.1 for pack tarballs: serves the same
//! body at every path, or stalls halfway through it (to kill an install
//! mid-download).

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

pub struct FileServer {
    pub url: String,
    requests: Arc<AtomicUsize>,
}

#[derive(Clone, Copy)]
pub enum Behaviour {
    Serve,
    /// Sends the headers and half the body, then holds the connection open.
    StallHalfway,
}

impl FileServer {
    /// Serves `body` as `/<name>` (any path answers the same).
    pub fn start(name: &str, body: Vec<u8>, behaviour: Behaviour) -> FileServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/{name}", listener.local_addr().unwrap());
        let requests = Arc::new(AtomicUsize::new(0));
        let counter = requests.clone();
        let body = Arc::new(body);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let body = body.clone();
                let counter = counter.clone();
                std::thread::spawn(move || {
                    let mut request = [0u8; 4096];
                    let _ = stream.read(&mut request);
                    counter.fetch_add(1, Ordering::SeqCst);
                    let header = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/gzip\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = stream.write_all(header.as_bytes());
                    match behaviour {
                        Behaviour::Serve => {
                            let _ = stream.write_all(&body);
                        }
                        Behaviour::StallHalfway => {
                            let _ = stream.write_all(&body[..body.len() / 2]);
                            let _ = stream.flush();
                            std::thread::sleep(Duration::from_secs(120));
                        }
                    }
                });
            }
        });
        FileServer { url, requests }
    }

    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}
