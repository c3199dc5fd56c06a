//! `cargo xtask bench`: builds the site, then prints every speed and size
//! figure side by side: the indexer's native measurements (`indexer bench`)
//! and the browser's (`browser-bench` in headless Chromium). Figures are
//! measured, never asserted: machines here are shared and noisy.

use std::process::Command;

use serde_json::Value;

use crate::{cargo, kib, ms, root, Result};

fn json_of(cmd: &mut Command) -> Result<Value> {
    eprintln!("xtask: running {cmd:?}");
    let out = cmd.output().map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    if !out.status.success() {
        return Err(format!("{cmd:?} failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| format!("{cmd:?} printed no JSON: {e}"))
}

pub fn run(args: &[String], bench_site: &std::path::Path) -> Result<()> {
    let queries = args.first().cloned().unwrap_or_else(|| "tests/fixtures/queries/public.json".into());
    let native = json_of(Command::new(cargo()).current_dir(root()).args(["run", "--quiet", "-p", "jixiao-indexer", "--", "bench", "--queries", &queries]))?;
    let browser = json_of(
        Command::new(cargo()).current_dir(root()).env("JIXIAO_BENCH_DIST", bench_site).args(["run", "--quiet", "-p", "jixiao-e2e", "--bin", "browser-bench", "--", &queries]),
    )?;

    let builds: Vec<f64> = native["build_seconds"].as_array().map(|a| a.iter().filter_map(Value::as_f64).collect()).unwrap_or_default();
    let best = builds.iter().cloned().fold(f64::INFINITY, f64::min);
    println!("\n## Benchmark ({} documents, {} records, {} queries)\n", native["documents"], native["records"], native["queries"]);
    println!("| figure | value |");
    println!("|---|---|");
    println!("| index build (extract + tantivy + compile + write), best of {} | {:.2} s |", builds.len(), best);
    // Index files are stored gzip-compressed already (see indexer/src/transport.rs).
    println!("| index size as stored, gzip-compressed (dictionary, postings, columns, ids, overview, blocks) | {} ({} files) |", kib(&native["index_bytes"]), native["index_files"]);
    if let Some(kinds) = native["by_kind"].as_array() {
        for k in kinds {
            println!("| · {} | {} |", k[0].as_str().unwrap_or(""), kib(&k[1]));
        }
    }
    let first = &browser["first_load"];
    println!(
        "| first load until the first result (`?q={}`), gzipped | **{}** ({} raw) |",
        first["query"].as_str().unwrap_or(""),
        kib(&first["gzip"]),
        kib(&first["bytes"])
    );
    if let Some(files) = first["files"].as_array() {
        for f in files {
            println!("| · {} | {} (gzip {}) |", f["file"].as_str().unwrap_or(""), kib(&f["bytes"]), kib(&f["gzip"]));
        }
    }
    let pq = &browser["per_query_cold"];
    println!("| bytes per query, cold (index files the query fetched), gzipped: median / p95 / max | {} / {} / {} |", kib(&pq["gzip"]["median"]), kib(&pq["gzip"]["p95"]), kib(&pq["gzip"]["max"]));
    println!("| query latency, native, warm: median / p95 | {} / {} |", ms(&native["native_warm_ms"]["median"], 2), ms(&native["native_warm_ms"]["p95"], 2));
    println!("| query latency, native, cold (reads the files): median / p95 | {} / {} |", ms(&native["native_cold_ms"]["median"], 2), ms(&native["native_cold_ms"]["p95"], 2));
    println!("| query latency, headless Chromium, loaded: median / p95 | **{} / {}** |", ms(&browser["browser_warm_ms"]["median"], 2), ms(&browser["browser_warm_ms"]["p95"], 2));
    println!("| query latency, headless Chromium, first run (fetches shards): median / p95 | {} / {} |", ms(&browser["browser_cold_ms"]["median"], 2), ms(&browser["browser_cold_ms"]["p95"], 2));
    println!("\nLatency in the browser is `performance.now()` around engine + first-page summaries (Chromium rounds to 0.1 ms).");
    Ok(())
}
