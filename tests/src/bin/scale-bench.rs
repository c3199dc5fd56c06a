//! The browser half of `cargo xtask scale`: one site folder holding our
//! app and index (`idx/`) and a Pagefind index of the same per-project
//! pages (`pagefind/`, with `pagefind-bench.html`), queried the same way in
//! headless Chromium. Prints JSON.
//!
//! Per query and system, from a fresh page load (nothing cached; the
//! server forbids caching): once the system is ready (our manifest loaded;
//! Pagefind's entry, metadata and wasm loaded), the query runs from a cold
//! start and we record
//! - the index files it fetched (ours: `idx/*.bin` but the manifest;
//!   Pagefind: index chunks, filters and fragments) and their sizes as
//!   stored (both systems store them compressed);
//! - the time to the first result's display data, and to ten results';
//! - warm repeats (everything fetched): the query latency once its files
//!   are there;
//! - the record ids of the top ten.
//!
//! `scale-bench <site> <queries.json> [<expected.json>]`: with queries
//! that name the projects they must find (by part of the name and the
//! region, as in `tests/fixtures/queries/`), each system's top ten are
//! checked against them, using the site's own
//! `download/jixiao-records.json`: recall@10, mean reciprocal rank, and the
//! queries that showed no result at all.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use jixiao_e2e::{stats, Browser, Site};
use serde_json::{json, Value};

/// Results whose display data a query loads (a first screen).
const SHOWN: usize = 10;

#[derive(Clone, Copy)]
enum System {
    Ours,
    Pagefind,
}

impl System {
    fn page(self, url: &str) -> String {
        match self {
            System::Ours => url.to_string(),
            System::Pagefind => format!("{url}pagefind-bench.html"),
        }
    }

    /// True once the system can take a query.
    fn ready(self) -> &'static str {
        match self {
            System::Ours => "window.wasmBindings && window.wasmBindings.jixiaoQuery && document.querySelector('.card, .no-results')",
            System::Pagefind => "window.pfReady === true",
        }
    }

    fn run(self) -> &'static str {
        match self {
            System::Ours => "const [q, shown, done] = arguments; window.wasmBindings.jixiaoQuery(q, shown).then(done, e => done('ERROR ' + e));",
            System::Pagefind => "const [q, shown, done] = arguments; window.pfQuery(q, shown).then(done, e => done('ERROR ' + e));",
        }
    }

    /// Is a fetched file part of the query's cost (not the fixed start)?
    fn counts(self, file: &str) -> bool {
        match self {
            System::Ours => file.starts_with("idx/") && file.ends_with(".bin") && !file.ends_with("manifest.bin"),
            System::Pagefind => {
                file.starts_with("pagefind/") && [".pf_index", ".pf_fragment", ".pf_filter"].iter().any(|e| file.ends_with(e))
            }
        }
    }
}

/// The page that drives Pagefind's JavaScript API like its UI does.
pub const PAGEFIND_PAGE: &str = r#"<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>Pagefind benchmark</title></head>
<body>
<script type="module">
const pagefind = await import("./pagefind/pagefind.js");
// In the page's own thread, like our app: Pagefind 1.5+ would search in a
// Web Worker, whose fetches the page's resource timings cannot see. The
// bytes are the same either way; the worker would only add message hops.
await pagefind.options({ noWorker: true });
await pagefind.init();
const now = () => performance.now();
window.pfQuery = async (q, shown) => {
  const start = now();
  let search = await pagefind.search(q);
  let results = search.results;
  if (results.length) await results[0].data();
  const first = now() - start;
  const data = await Promise.all(results.slice(0, shown).map(r => r.data()));
  const all = now() - start;
  const warm = [];
  for (let i = 0; i < 5; i++) {
    const t = now();
    const again = await pagefind.search(q);
    await Promise.all(again.results.slice(0, shown).map(r => r.data()));
    warm.push(now() - t);
  }
  const us = ms => Math.round(ms * 1000);
  const ids = data.map(d => d.url.split("/").pop().replace(/\.html$/, ""));
  return JSON.stringify({ first_us: us(first), shown_us: us(all), warm_us: warm.map(us), total: results.length, ids });
};
window.pfReady = true;
</script>
</body></html>
"#;

async fn wait_until(browser: &Browser, expression: &str) -> bool {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(120) {
        let value = browser.client.execute(&format!("return !!({expression});"), vec![]).await.expect("script runs");
        if value == Value::Bool(true) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}

async fn measure(system: System, browser: &Browser, url: &str, root: &Path, queries: &[String]) -> Vec<Value> {
    let mut out = Vec::new();
    for q in queries {
        browser.open(&system.page(url)).await;
        if !wait_until(browser, system.ready()).await {
            out.push(json!({ "q": q, "error": "the page did not get ready" }));
            continue;
        }
        browser.client.execute("performance.setResourceTimingBufferSize(100000); performance.clearResourceTimings();", vec![]).await.unwrap();
        let result = browser.client.execute_async(system.run(), vec![json!(q), json!(SHOWN)]).await.expect("query runs");
        let text = result.as_str().unwrap_or("ERROR no answer");
        if let Some(error) = text.strip_prefix("ERROR ") {
            out.push(json!({ "q": q, "error": error }));
            continue;
        }
        let mut answer: Value = serde_json::from_str(text).expect("the hook answers JSON");
        let files: Vec<String> = browser.fetched_files(url).await.into_iter().filter(|f| system.counts(f)).collect();
        let bytes: u64 = files.iter().filter_map(|f| std::fs::metadata(root.join(f)).ok()).map(|m| m.len()).sum();
        answer["q"] = json!(q);
        answer["files"] = json!(files.len());
        answer["bytes"] = json!(bytes);
        out.push(answer);
    }
    out
}

fn summary(runs: &[Value]) -> Value {
    let ok: Vec<&Value> = runs.iter().filter(|r| r.get("error").is_none()).collect();
    let field = |key: &str, scale: f64| ok.iter().filter_map(|r| r[key].as_f64()).map(|v| v * scale).collect::<Vec<_>>();
    let warm: Vec<f64> = ok.iter().flat_map(|r| r["warm_us"].as_array().cloned().unwrap_or_default()).filter_map(|v| v.as_f64()).map(|v| v / 1000.0).collect();
    json!({
        "queries": runs.len(),
        "errors": runs.iter().filter_map(|r| r.get("error").map(|e| json!({ "q": r["q"], "error": e }))).collect::<Vec<_>>(),
        "bytes": stats(field("bytes", 1.0)),
        "files": stats(field("files", 1.0)),
        "first_result_ms": stats(field("first_us", 0.001)),
        "ten_results_ms": stats(field("shown_us", 0.001)),
        "warm_ms": stats(warm),
    })
}

/// For each query with expected projects: which of them are in the top
/// ten, and where the first of them ranks.
fn top10(runs: &[Value], expected: &Value, records: &[Value]) -> Value {
    let queries = expected["queries"].as_array().unwrap();
    let (mut fully_found, mut found, mut projects, mut reciprocal_ranks) = (0, 0, 0, 0.0);
    let mut missed = Vec::new();
    let mut no_results = Vec::new();
    for q in queries {
        let text = q["q"].as_str().unwrap();
        let run = runs.iter().find(|r| r["q"] == text);
        if run.is_none_or(|r| r["total"].as_u64() == Some(0)) {
            no_results.push(text);
        }
        let top: Vec<&str> =
            run.and_then(|r| r["ids"].as_array()).map(|ids| ids.iter().filter_map(Value::as_str).take(SHOWN).collect()).unwrap_or_default();
        let mut all = true;
        let mut first: Option<usize> = None;
        for must in q["must_find"].as_array().unwrap() {
            projects += 1;
            let name = must["name"].as_str().unwrap();
            let region = must["region"].as_str().unwrap_or("");
            let rank = top.iter().position(|id| {
                records.iter().any(|r| {
                    r["id"].as_str() == Some(id)
                        && r["name"].as_str().is_some_and(|n| n.contains(name))
                        && [&r["region"]["county"], &r["region"]["city"], &r["region"]["province"]].iter().any(|v| v.as_str() == Some(region))
                })
            });
            match rank {
                Some(rank) => {
                    found += 1;
                    first = Some(first.map_or(rank, |f| f.min(rank)));
                }
                None => {
                    all = false;
                    missed.push(format!("{text}: {name} ({region})"));
                }
            }
        }
        fully_found += usize::from(all);
        reciprocal_ranks += first.map_or(0.0, |rank| 1.0 / (rank as f64 + 1.0));
    }
    json!({
        "queries": queries.len(),
        "queries_fully_found": fully_found,
        "projects": projects,
        "projects_found": found,
        "recall": found as f64 / projects.max(1) as f64,
        "mrr": reciprocal_ranks / queries.len().max(1) as f64,
        "no_results": no_results,
        "missed": missed,
    })
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[tokio::main]
async fn main() {
    // `--ours-only`: Pagefind did not build this corpus (see `cargo xtask scale`).
    let ours_only = std::env::args().any(|a| a == "--ours-only");
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--ours-only").collect();
    let (Some(site_dir), Some(queries_file)) = (args.first(), args.get(1)) else {
        eprintln!("usage: scale-bench <site folder> <queries.json> [<expected.json>] [--ours-only]");
        std::process::exit(2);
    };
    let root = PathBuf::from(site_dir);
    std::fs::write(root.join("pagefind-bench.html"), PAGEFIND_PAGE).expect("the site folder is writable");
    let queries: Vec<String> =
        read_json(Path::new(queries_file))["queries"].as_array().unwrap().iter().map(|q| q["q"].as_str().unwrap().to_string()).collect();
    let site = Site::serve(&root);
    let url = site.url();
    let browser = Browser::start().await;
    let ours = measure(System::Ours, &browser, &url, &root, &queries).await;
    let pagefind = if ours_only { Vec::new() } else { measure(System::Pagefind, &browser, &url, &root, &queries).await };
    browser.close().await;

    let mut out = json!({
        "ours": { "summary": summary(&ours), "runs": ours },
        "pagefind": { "summary": summary(&pagefind), "runs": pagefind },
    });
    if let Some(expected_file) = args.get(2) {
        let expected = read_json(Path::new(expected_file));
        let records: Vec<Value> = read_json(&root.join("idx/download/jixiao-records.json")).as_array().cloned().unwrap_or_default();
        out["ours"]["top10"] = top10(out["ours"]["runs"].as_array().unwrap(), &expected, &records);
        out["pagefind"]["top10"] = top10(out["pagefind"]["runs"].as_array().unwrap(), &expected, &records);
    }
    println!("{}", serde_json::to_string_pretty(&out).unwrap());
}
