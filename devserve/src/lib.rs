//! Serves a folder of static files over HTTP on loopback, the way any plain
//! static host would: no rewrites, no compression, files under an optional
//! mount prefix (to prove the site works from a subdirectory).

use std::io;
use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::thread::JoinHandle;

/// A running server; dropping it stops the server.
pub struct Server {
    http: Arc<tiny_http::Server>,
    addr: SocketAddr,
    prefix: String,
    worker: Option<JoinHandle<()>>,
}

impl Server {
    /// Serves `root` at `http://<addr><prefix>`. `prefix` is `/` or a path
    /// such as `/sub/dir/`. Port 0 picks a free port.
    pub fn start(root: &Path, addr: &str, prefix: &str) -> io::Result<Server> {
        let http = tiny_http::Server::http(addr).map_err(|e| io::Error::other(format!("cannot listen on {addr}: {e}")))?;
        let addr = http
            .server_addr()
            .to_ip()
            .ok_or_else(|| io::Error::other("server is not listening on an IP address"))?;
        let http = Arc::new(http);
        let prefix = normalise_prefix(prefix);
        let worker = {
            let http = Arc::clone(&http);
            let root = root.to_path_buf();
            let prefix = prefix.clone();
            std::thread::spawn(move || {
                for request in http.incoming_requests() {
                    respond(&root, &prefix, request);
                }
            })
        };
        Ok(Server { http, addr, prefix, worker: Some(worker) })
    }

    /// The URL of the served folder, ending in `/`.
    pub fn url(&self) -> String {
        format!("http://{}{}", self.addr, self.prefix)
    }

    /// Blocks until the server stops (it never does on its own).
    pub fn wait(mut self) {
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.http.unblock();
    }
}

fn normalise_prefix(prefix: &str) -> String {
    let trimmed = prefix.trim_matches('/');
    if trimmed.is_empty() {
        "/".to_string()
    } else {
        format!("/{trimmed}/")
    }
}

fn respond(root: &Path, prefix: &str, request: tiny_http::Request) {
    let url = request.url().split(['?', '#']).next().unwrap_or("/").to_string();
    let response = match resolve(root, prefix, &url) {
        Some(path) => match std::fs::read(&path) {
            Ok(body) => tiny_http::Response::from_data(body)
                .with_header(header("Content-Type", content_type(&path)))
                .with_header(header("Cache-Control", "no-store"))
                .with_status_code(200),
            Err(_) => not_found(),
        },
        None => not_found(),
    };
    let _ = request.respond(response);
}

/// Maps a URL path to a file under `root`, refusing anything outside it.
fn resolve(root: &Path, prefix: &str, url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix(prefix).or_else(|| (url.to_string() + "/").strip_prefix(prefix).map(|_| ""))?;
    let decoded = percent_decode(rest)?;
    let mut path = root.to_path_buf();
    for component in Path::new(&decoded).components() {
        match component {
            Component::Normal(part) => path.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if path.is_dir() {
        path.push("index.html");
    }
    path.is_file().then_some(path)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("static header is valid")
}

fn not_found() -> tiny_http::Response<io::Cursor<Vec<u8>>> {
    tiny_http::Response::from_data(b"404 Not Found".to_vec()).with_status_code(404)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_outside_root() {
        let root = std::env::temp_dir();
        assert_eq!(resolve(&root, "/", "/../etc/passwd"), None);
        assert_eq!(resolve(&root, "/sub/", "/other/x"), None);
    }

    #[test]
    fn normalises_prefixes() {
        assert_eq!(normalise_prefix(""), "/");
        assert_eq!(normalise_prefix("sub/dir"), "/sub/dir/");
    }
}
