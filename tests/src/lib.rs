//! The end-to-end harness: the built site (`dist/`) served by a plain static
//! server from a subdirectory, and Debian's headless Chromium driven
//! through chromedriver, the way a user's browser would see it.
//!
//! Tests get a [`Site`] (the server) and a [`Browser`] (a fresh Chromium
//! session). Screenshots go to `target/screenshots/` for reviewers.

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};

/// (width, height) of the two screens every flow of the site is tested on:
/// a laptop and a phone.
pub const SCREENS: [(u32, u32); 2] = [(1280, 900), (390, 844)];

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ is in the repository").to_path_buf()
}

/// The built site; the tests need `cargo xtask build` (run by `cargo xtask test`) first.
/// `JIXIAO_DIST` points the tests at another build (e.g. one with an empty
/// index, to see them fail).
pub fn dist() -> PathBuf {
    let dist = std::env::var_os("JIXIAO_DIST").map(PathBuf::from).unwrap_or_else(|| root().join("dist"));
    assert!(
        dist.join("index.html").exists() && dist.join("idx/manifest.bin").exists(),
        "dist/ is not built: run `cargo xtask test` (or `cargo xtask build` before `cargo test`)"
    );
    dist
}

/// The sub-path the site is served under, to prove relative URLs work.
pub const SUBDIR: &str = "/some/sub/dir/";

/// A static server for a folder.
pub struct Site {
    server: devserve::Server,
}

impl Site {
    /// Serves the built site under [`SUBDIR`].
    pub fn start() -> Site {
        Site::serve(&dist())
    }

    /// Serves any folder (e.g. a copy of dist/ with a corrupted file).
    pub fn serve(folder: &Path) -> Site {
        let server = devserve::Server::start(folder, "127.0.0.1:0", SUBDIR).expect("static server starts");
        Site { server }
    }

    /// URL of the site root, ending in `/`.
    pub fn url(&self) -> String {
        self.server.url()
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// A chromedriver process and a Chromium session; both end when dropped.
pub struct Browser {
    pub client: Client,
    driver: Child,
    profile: TempDir,
}

/// A temporary folder removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(label: &str) -> TempDir {
        static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("jixiao-{label}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("temp dir");
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Chromium flags that work headless, as root, on a machine with no
/// outside network (see ../shared/TOOLCHAIN.md).
const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,900",
    "--lang=zh-CN",
];

impl Browser {
    pub async fn start() -> Browser {
        Browser::start_with(&[]).await
    }

    /// Starts Chromium with extra flags (e.g. a narrow window).
    pub async fn start_with(extra_flags: &[&str]) -> Browser {
        Browser::launch(extra_flags, serde_json::json!({})).await
    }

    /// Chromium saving downloads into `dir` without asking.
    pub async fn with_downloads(dir: &Path) -> Browser {
        let prefs = serde_json::json!({
            "download.default_directory": dir.display().to_string(),
            "download.prompt_for_download": false,
        });
        Browser::launch(&[], prefs).await
    }

    /// Chromium at one of [`SCREENS`]: a desktop window, or a phone.
    pub async fn at(width: u32, height: u32) -> Browser {
        if width >= 1000 {
            Browser::start().await
        } else {
            Browser::phone(width, height).await
        }
    }

    /// Chromium emulating a phone screen of `width` × `height` CSS pixels
    /// (a desktop window cannot be made that narrow).
    pub async fn phone(width: u32, height: u32) -> Browser {
        Browser::launch_with(&[], serde_json::json!({}), Some(serde_json::json!({
            "deviceMetrics": { "width": width, "height": height, "pixelRatio": 2.0, "mobile": true, "touch": true }
        })))
        .await
    }

    /// Chromium with JavaScript turned off.
    pub async fn without_javascript() -> Browser {
        Browser::launch(&[], serde_json::json!({ "profile.managed_default_content_settings.javascript": 2 })).await
    }

    async fn launch(extra_flags: &[&str], prefs: serde_json::Value) -> Browser {
        Browser::launch_with(extra_flags, prefs, None).await
    }

    async fn launch_with(extra_flags: &[&str], prefs: serde_json::Value, mobile: Option<serde_json::Value>) -> Browser {
        let chromedriver = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        assert!(Path::new(&chromedriver).exists(), "{chromedriver} missing: run `cargo xtask setup --browser`");
        let port = free_port();
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            // A process group of its own, which the Chromium it starts joins,
            // so that dropping the Browser ends both (see `Drop`).
            .process_group(0)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let profile = TempDir::new("chromium");
        let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|s| s.to_string()).collect();
        args.extend(extra_flags.iter().map(|s| s.to_string()));
        args.push(format!("--user-data-dir={}", profile.0.display()));
        let mut capabilities = serde_json::Map::new();
        let mut options = serde_json::json!({ "binary": chromium, "args": args, "prefs": prefs });
        if let Some(mobile) = mobile {
            options["mobileEmulation"] = mobile;
        }
        capabilities.insert("goog:chromeOptions".into(), options);
        let webdriver = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector).capabilities(capabilities.clone()).connect(&webdriver).await {
                Ok(client) => break client,
                Err(e) if started.elapsed() < Duration::from_secs(30) => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("cannot start a Chromium session through chromedriver: {e}"),
            }
        };
        Browser { client, driver, profile }
    }

    pub async fn open(&self, url: &str) {
        self.client.goto(url).await.expect("page opens");
    }

    /// Waits until `css` matches an element, or panics after 15 s (with
    /// a screenshot and what the page said, for the reviewer).
    pub async fn wait_for(&self, css: &str) -> Element {
        match self.client.wait().at_most(Duration::from_secs(15)).for_element(Locator::Css(css)).await {
            Ok(element) => element,
            Err(e) => {
                let page = self.page_state().await;
                panic!("no element `{css}` appeared: {e}\n{page}");
            }
        }
    }

    /// The URL and visible text of the page, and a screenshot of it, after a failure.
    async fn page_state(&self) -> String {
        self.screenshot("failure").await;
        let url = self.client.current_url().await.map(|u| u.to_string()).unwrap_or_default();
        let text = self.eval("document.body ? document.body.innerText.slice(0, 600) : ''").await;
        format!("page {url} shows: {text}")
    }

    /// Waits until a JavaScript expression is true, or panics with `what`.
    pub async fn wait_until(&self, expression: &str, what: &str) {
        let started = Instant::now();
        loop {
            let value = self.client.execute(&format!("return !!({expression});"), vec![]).await.expect("script runs");
            if value == serde_json::Value::Bool(true) {
                return;
            }
            if started.elapsed() > Duration::from_secs(15) {
                let page = self.page_state().await;
                panic!("timed out waiting for {what} ({expression})\n{page}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Clicks the element matching `css`.
    pub async fn click(&self, css: &str) {
        self.wait_for(css).await.click().await.unwrap_or_else(|e| panic!("cannot click `{css}`: {e}"));
    }

    /// Clicks the first element matching `css` whose text contains `text`.
    pub async fn click_text(&self, css: &str, text: &str) {
        let started = Instant::now();
        loop {
            for element in self.client.find_all(Locator::Css(css)).await.expect("query runs") {
                if element.text().await.unwrap_or_default().contains(text) {
                    element.click().await.unwrap_or_else(|e| panic!("cannot click `{css}` “{text}”: {e}"));
                    return;
                }
            }
            if started.elapsed() > Duration::from_secs(15) {
                panic!("no `{css}` containing “{text}”");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The value of a JavaScript expression.
    pub async fn eval(&self, expression: &str) -> serde_json::Value {
        self.client.execute(&format!("return ({expression});"), vec![]).await.expect("script runs")
    }

    /// The page's query string, decoded.
    pub async fn search_params(&self) -> std::collections::HashMap<String, String> {
        let v = self.eval("Object.fromEntries(new URLSearchParams(location.search))").await;
        serde_json::from_value(v).unwrap_or_default()
    }

    /// Texts of every element matching `css`.
    pub async fn texts(&self, css: &str) -> Vec<String> {
        let mut out = Vec::new();
        for element in self.client.find_all(Locator::Css(css)).await.expect("query runs") {
            out.push(element.text().await.unwrap_or_default());
        }
        out
    }

    /// (label, count) of the values the filter panel offers for a facet
    /// (its URL key: `region`, `fund`, `outcome` …).
    pub async fn facet_values(&self, facet: &str) -> Vec<(String, usize)> {
        let labels = self.texts(&format!(".facet-{facet} .facet-value .facet-label")).await;
        let counts = self.texts(&format!(".facet-{facet} .facet-value .facet-count")).await;
        labels.into_iter().zip(counts).map(|(l, c)| (l, c.trim().parse().unwrap_or(0))).collect()
    }

    /// The text of a file the page downloads into `dir` (see
    /// [`Browser::with_downloads`]), waiting up to 15 s for it.
    pub async fn downloaded(&self, dir: &Path, name: &str) -> String {
        let file = dir.join(name);
        let started = std::time::Instant::now();
        while !file.exists() && started.elapsed().as_secs() < 15 {
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{name} was not downloaded: {e}"))
    }

    /// Types into the element, as a user would (one key event per character).
    pub async fn type_into(&self, css: &str, text: &str) {
        let input = self.wait_for(css).await;
        input.clear().await.expect("input clears");
        input.send_keys(text).await.expect("typing works");
    }

    /// Saves a screenshot to `target/screenshots/<name>.png`.
    pub async fn screenshot(&self, name: &str) {
        let dir = root().join("target/screenshots");
        std::fs::create_dir_all(&dir).expect("artifact folder");
        if let Ok(png) = self.client.screenshot().await {
            std::fs::write(dir.join(format!("{name}.png")), png).expect("screenshot written");
        }
    }

    /// Files the current page fetched (the page itself and the resources
    /// still in its timing buffer), as paths relative to `site`; the page
    /// at the site's root is `index.html`.
    pub async fn fetched_files(&self, site: &str) -> Vec<String> {
        let names = self
            .eval("performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource')).map(e => e.name)")
            .await;
        names
            .as_array()
            .expect("a list of names")
            .iter()
            .filter_map(|n| n.as_str()?.strip_prefix(site))
            .map(|p| p.split(['?', '#']).next().unwrap_or("").to_string())
            .map(|p| if p.is_empty() { "index.html".to_string() } else { p })
            .collect()
    }

    /// Chromium's profile folder, unique to this browser (it names its processes).
    pub fn profile_dir(&self) -> &Path {
        &self.profile.0
    }

    /// Ends the WebDriver session, then chromedriver (on drop).
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

/// Kills chromedriver's whole process group: a test that panics never
/// reaches `close`, and killing chromedriver alone left its Chromium running
/// for good (reparented to init).
impl Drop for Browser {
    fn drop(&mut self) {
        // SAFETY: kill(2) only sends a signal. The group is still chromedriver's:
        // it is not reaped, so its id cannot have been reused.
        unsafe { libc::kill(-(self.driver.id() as libc::pid_t), libc::SIGKILL) };
        let _ = self.driver.wait();
    }
}

/// Percent-encodes a query-string value.
pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Median, 95th percentile, maximum and count of benchmark samples (`null`
/// without samples), as the benchmarks print them.
pub fn stats(mut v: Vec<f64>) -> serde_json::Value {
    if v.is_empty() {
        return serde_json::Value::Null;
    }
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let at = |q: f64| v[((v.len() as f64 - 1.0) * q).round() as usize];
    serde_json::json!({ "median": at(0.5), "p95": at(0.95), "max": v[v.len() - 1], "samples": v.len() })
}

/// Copies a folder tree, leaving out the paths `skip` names.
pub fn copy_dir(from: &Path, to: &Path, skip: &dyn Fn(&Path) -> bool) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        if skip(&path) {
            continue;
        }
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target, skip);
        } else {
            std::fs::copy(&path, target).unwrap();
        }
    }
}
