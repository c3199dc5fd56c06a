//! Serves a folder of static files over HTTP on loopback, the way any plain
//! static host would: no rewrites, no compression, files under an optional
//! mount prefix (to prove the site works from a subdirectory).
//!
//! A small HTTP/1.1 server on `std::net`: one thread per connection,
//! keep-alive honoured, GET and HEAD only. (tiny_http was tried first: with
//! a browser fetching many files at once over keep-alive connections,
//! some requests never reached the handler and pages stalled.)

use std::io::{self, BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// A running server; dropping it stops the server.
pub struct Server {
    addr: SocketAddr,
    prefix: String,
    stop: Arc<AtomicBool>,
    worker: Option<JoinHandle<()>>,
}

impl Server {
    /// Serves `root` at `http://<addr><prefix>`. `prefix` is `/` or a path
    /// such as `/sub/dir/`. Port 0 picks a free port.
    pub fn start(root: &Path, addr: &str, prefix: &str) -> io::Result<Server> {
        let listener = TcpListener::bind(addr).map_err(|e| io::Error::other(format!("cannot listen on {addr}: {e}")))?;
        let addr = listener.local_addr()?;
        let prefix = normalise_prefix(prefix);
        let stop = Arc::new(AtomicBool::new(false));
        let worker = {
            let root = root.to_path_buf();
            let prefix = prefix.clone();
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let (root, prefix) = (root.clone(), prefix.clone());
                    std::thread::spawn(move || {
                        let _ = serve_connection(stream, &root, &prefix);
                    });
                }
            })
        };
        Ok(Server { addr, prefix, stop, worker: Some(worker) })
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
        self.stop.store(true, Ordering::Relaxed);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.addr);
    }
}

/// Answers requests on one connection until the client closes it.
fn serve_connection(stream: TcpStream, root: &Path, prefix: &str) -> io::Result<()> {
    stream.set_nodelay(true)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line)? == 0 {
            return Ok(());
        }
        let mut close = false;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header)? == 0 {
                return Ok(());
            }
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("connection") && value.trim().eq_ignore_ascii_case("close") {
                    close = true;
                }
            }
        }
        let mut parts = request_line.split_whitespace();
        let (method, target, version) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"), parts.next().unwrap_or(""));
        close |= version == "HTTP/1.0";
        let url = target.split(['?', '#']).next().unwrap_or("/");
        let (status, content_type, body) = match (method, resolve(root, prefix, url)) {
            ("GET" | "HEAD", Some(path)) => match std::fs::read(&path) {
                Ok(body) => ("200 OK", content_type(&path), body),
                Err(_) => ("404 Not Found", "text/plain; charset=utf-8", b"404 Not Found".to_vec()),
            },
            ("GET" | "HEAD", None) => ("404 Not Found", "text/plain; charset=utf-8", b"404 Not Found".to_vec()),
            _ => ("405 Method Not Allowed", "text/plain; charset=utf-8", b"405 Method Not Allowed".to_vec()),
        };
        let head = format!(
            "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: {}\r\n\r\n",
            body.len(),
            if close { "close" } else { "keep-alive" }
        );
        writer.write_all(head.as_bytes())?;
        if method != "HEAD" {
            writer.write_all(&body)?;
        }
        writer.flush()?;
        if close {
            return Ok(());
        }
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
    fn serves_files_under_the_prefix_over_keep_alive() {
        let dir = std::env::temp_dir().join(format!("devserve-test-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("a")).unwrap();
        std::fs::write(dir.join("a/x.txt"), "hello").unwrap();
        let server = Server::start(&dir, "127.0.0.1:0", "/sub/").unwrap();
        let mut stream = TcpStream::connect(server.addr).unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        for (path, status) in [("/sub/a/x.txt", "200"), ("/sub/missing", "404"), ("/a/x.txt", "404")] {
            write!(stream, "GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            assert!(line.contains(status), "{path}: {line}");
            let mut length = 0;
            loop {
                let mut h = String::new();
                reader.read_line(&mut h).unwrap();
                if h.trim().is_empty() {
                    break;
                }
                if let Some(v) = h.strip_prefix("Content-Length: ") {
                    length = v.trim().parse().unwrap();
                }
            }
            let mut body = vec![0; length];
            std::io::Read::read_exact(&mut reader, &mut body).unwrap();
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn normalises_prefixes() {
        assert_eq!(normalise_prefix(""), "/");
        assert_eq!(normalise_prefix("sub/dir"), "/sub/dir/");
    }
}
