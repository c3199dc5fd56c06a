//! The browser half of `cargo xtask bench`: what headless Chromium
//! downloads and how fast the loaded app answers, printed as JSON.
//!
//! - first load: every file the browser fetched from opening a search link
//!   until the first result card shows, with raw and gzip sizes;
//! - per query (cold: a fresh page load per query, nothing cached): the
//!   index files the query itself fetched (term shards, summary blocks);
//! - latency: `jixiaoBench` inside the page, cold and warm runs.

use std::io::Write;

use jixiao_e2e::{dist, stats, Browser, Site};
use serde_json::{json, Value};

fn gzip_len(bytes: &[u8]) -> u64 {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap().len() as u64
}

fn sizes(files: &[String]) -> (u64, u64, Vec<Value>) {
    let root = dist();
    let (mut raw, mut gz) = (0, 0);
    let mut list = Vec::new();
    for f in files {
        let Ok(bytes) = std::fs::read(root.join(f)) else { continue };
        // Index files are stored compressed; the rest as a server would send them.
        let g = if f.ends_with(".bin") { bytes.len() as u64 } else { gzip_len(&bytes) };
        raw += bytes.len() as u64;
        gz += g;
        list.push(json!({ "file": f, "bytes": bytes.len(), "gzip": g }));
    }
    (raw, gz, list)
}

async fn wait_for_results(browser: &Browser) {
    browser.wait_until("document.querySelector('.card, .no-results')", "search results").await;
}

#[tokio::main]
async fn main() {
    let queries: Vec<String> = {
        let path = std::env::args().nth(1).unwrap_or_else(|| "tests/fixtures/queries/public.json".into());
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&path).expect("query file")).unwrap();
        v["queries"].as_array().unwrap().iter().map(|q| q["q"].as_str().unwrap().to_string()).collect()
    };
    let site = Site::start();
    let url = site.url();
    let browser = Browser::start().await;

    // First load: a search link opened cold, until the first result shows.
    let first_query = "医疗救助";
    browser.open(&format!("{url}?q={}", jixiao_e2e::encode(first_query))).await;
    wait_for_results(&browser).await;
    let first_files = browser.fetched_files(&url).await;
    let (first_raw, first_gz, first_list) = sizes(&first_files);

    // Bytes per query, cold: a fresh page per query (the server forbids caching).
    let mut per_query_raw = Vec::new();
    let mut per_query_gz = Vec::new();
    let mut per_query = Vec::new();
    for q in &queries {
        browser.open(&format!("{url}?q={}", jixiao_e2e::encode(q))).await;
        wait_for_results(&browser).await;
        let files: Vec<String> = browser.fetched_files(&url)
            .await
            .into_iter()
            .filter(|f| f.starts_with("idx/") && !f.ends_with("manifest.bin") && !f.contains("/columns."))
            .collect();
        let (raw, gz, _) = sizes(&files);
        per_query_raw.push(raw as f64);
        per_query_gz.push(gz as f64);
        per_query.push(json!({ "q": q, "files": files.len(), "bytes": raw, "gzip": gz }));
    }

    // Latency inside the page, once loaded: the same app built with its
    // measurement hooks (`cargo xtask bench` builds it; the site people get
    // has none).
    let bench_dist = std::env::var_os("JIXIAO_BENCH_DIST").expect("JIXIAO_BENCH_DIST: the site built with the app's `bench` feature (run `cargo xtask bench`)");
    let bench_site = Site::serve(std::path::Path::new(&bench_dist));
    let url = bench_site.url();
    browser.open(&url).await;
    browser.wait_until("window.wasmBindings && document.querySelector('.card')", "the app to load").await;
    let result = browser
        .client
        .execute_async(
            "const [queries, repeats, done] = arguments; window.wasmBindings.jixiaoBench(queries, repeats).then(done, e => done('ERROR ' + e));",
            vec![json!(queries), json!(30)],
        )
        .await
        .expect("benchmark runs in the page");
    let timings: Value = serde_json::from_str(result.as_str().expect("timings")).expect("timings are JSON");
    let millis = |key: &str| timings[key].as_array().unwrap().iter().map(|v| v.as_f64().unwrap() / 1000.0).collect::<Vec<_>>();

    let out = json!({
        "first_load": { "query": first_query, "bytes": first_raw, "gzip": first_gz, "files": first_list },
        "per_query_cold": { "bytes": stats(per_query_raw), "gzip": stats(per_query_gz), "queries": per_query },
        "browser_cold_ms": stats(millis("cold_us")),
        "browser_warm_ms": stats(millis("warm_us")),
    });
    println!("{}", serde_json::to_string_pretty(&out).unwrap());
    browser.close().await;
}
