//! `cargo xtask scale [--projects 10000,100000] [--seed 1]`: our index
//! against Pagefind, on the real documents and on synthetic corpora.
//!
//! For each corpus, in one run: build our site's index (`indexer build`,
//! timed, with its peak memory) and a Pagefind index over the same
//! per-project HTML pages (`pagefind`, timed), into one site folder under
//! `target/scale/`; then replay the same queries against both in headless
//! Chromium (`scale-bench`) and print the figures side by side. The real
//! corpus is queried with `tests/fixtures/queries/public.json` and each
//! system's top ten are checked against the projects those queries must
//! find; synthetic corpora with the public queries plus the ones the
//! generator made from the corpus. Figures are measured, never asserted.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::{json, Value};

use crate::{cargo, flag_value, root, run_command, setup, Result};

struct Corpus {
    name: String,
    data: PathBuf,
    queries: PathBuf,
    public: Option<PathBuf>,
}

struct Built {
    seconds: f64,
    peak_mb: Option<f64>,
    files: u64,
    bytes: u64,
}

pub fn run(args: &[String]) -> Result<()> {
    let sizes: Vec<usize> = flag_value(args, "--projects")
        .unwrap_or("10000,100000")
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| s.trim().parse().map_err(|_| format!("--projects: not a number: {s}")))
        .collect::<Result<_>>()?;
    let seed = flag_value(args, "--seed").unwrap_or("1");
    setup::run(true)?;
    crate::build()?;
    let pagefind = setup::install_pagefind()?;
    run_command(Command::new(cargo()).current_dir(root()).args(["build", "--release", "-p", "jixiao-indexer", "-p", "jixiao-e2e", "--bin", "indexer", "--bin", "scale-bench"]))?;
    let indexer = root().join("target/release/indexer");
    let bench = root().join("target/release/scale-bench");
    let work = root().join("target/scale");
    let public = root().join("tests/fixtures/queries/public.json");

    let mut corpora = vec![Corpus { name: "real".into(), data: root().join("data"), queries: public.clone(), public: Some(public.clone()) }];
    for n in sizes {
        let dir = work.join(format!("synthetic-{n}"));
        remove(&dir)?;
        run_command(
            Command::new(&indexer)
                .current_dir(root())
                .args(["generate", "--projects", &n.to_string(), "--seed", seed, "--out"])
                .arg(&dir),
        )?;
        // The public queries, then the generated ones.
        let mut queries = read_json(&public)?["queries"].as_array().cloned().unwrap_or_default();
        queries.extend(read_json(&dir.join("queries.json"))?["queries"].as_array().cloned().unwrap_or_default());
        let file = dir.join("all-queries.json");
        std::fs::write(&file, json!({ "queries": queries }).to_string()).map_err(|e| format!("{}: {e}", file.display()))?;
        corpora.push(Corpus { name: format!("synthetic-{n}"), data: dir.join("data"), queries: file, public: None });
    }

    let machine = machine();
    for corpus in &corpora {
        let site = work.join(&corpus.name).join("site");
        remove(&site)?;
        copy_dir(&root().join("dist"), &site, &|p| p.file_name().is_some_and(|n| n == "idx"))?;

        let started = Instant::now();
        let output = Command::new(&indexer)
            .current_dir(root())
            .args(["build", "--data"])
            .arg(&corpus.data)
            .arg("--out")
            .arg(site.join("idx"))
            .output()
            .map_err(|e| format!("indexer: {e}"))?;
        let seconds = started.elapsed().as_secs_f64();
        let report = String::from_utf8_lossy(&output.stderr).to_string();
        if !output.status.success() {
            return Err(format!("indexer build failed on {}:\n{report}", corpus.name));
        }
        let peak_mb = report.split("peak memory ").nth(1).and_then(|s| s.split_whitespace().next()).and_then(|n| n.parse().ok());
        let (files, bytes) = index_size(&site.join("idx"))?;
        let ours = Built { seconds, peak_mb, files, bytes };

        let started = Instant::now();
        let output = Command::new(&pagefind)
            .arg("--site")
            .arg(site.join("idx/pages"))
            .arg("--output-path")
            .arg(site.join("pagefind"))
            .output()
            .map_err(|e| format!("pagefind: {e}"))?;
        if !output.status.success() {
            return Err(format!("pagefind failed on {}:\n{}", corpus.name, String::from_utf8_lossy(&output.stderr)));
        }
        let seconds = started.elapsed().as_secs_f64();
        let (files, bytes) = tree_size(&site.join("pagefind"))?;
        let theirs = Built { seconds, peak_mb: None, files, bytes };

        let mut cmd = Command::new(&bench);
        cmd.arg(&site).arg(&corpus.queries);
        if let Some(public) = &corpus.public {
            cmd.arg(public);
        }
        eprintln!("xtask: replaying the queries of {} in headless Chromium", corpus.name);
        let out = cmd.output().map_err(|e| format!("scale-bench: {e}"))?;
        if !out.status.success() {
            return Err(format!("scale-bench failed on {}: {}", corpus.name, String::from_utf8_lossy(&out.stderr)));
        }
        let results: Value = serde_json::from_slice(&out.stdout).map_err(|e| format!("scale-bench printed no JSON: {e}"))?;
        let saved = work.join(&corpus.name).join("results.json");
        std::fs::write(&saved, serde_json::to_string_pretty(&results).unwrap_or_default()).map_err(|e| format!("{}: {e}", saved.display()))?;
        print_table(corpus, &report, &ours, &theirs, &results, &machine);
    }
    Ok(())
}

fn remove(dir: &Path) -> Result<()> {
    match std::fs::remove_dir_all(dir) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(format!("{}: {e}", dir.display())),
        _ => Ok(()),
    }
}

fn read_json(path: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn copy_dir(from: &Path, to: &Path, skip: &dyn Fn(&Path) -> bool) -> Result<()> {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if skip(&path) {
            continue;
        }
        let target = to.join(path.file_name().unwrap_or_default());
        if path.is_dir() {
            copy_dir(&path, &target, skip)?;
        } else {
            std::fs::copy(&path, &target).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    Ok(())
}

/// Our search index: the `.bin` files (not the pages or the downloads).
fn index_size(dir: &Path) -> Result<(u64, u64)> {
    let mut files = 0;
    let mut bytes = 0;
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().is_some_and(|e| e == "bin") {
            files += 1;
            bytes += std::fs::metadata(&path).map_err(|e| e.to_string())?.len();
        }
    }
    Ok((files, bytes))
}

fn tree_size(dir: &Path) -> Result<(u64, u64)> {
    let mut files = 0;
    let mut bytes = 0;
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            let (f, b) = tree_size(&path)?;
            files += f;
            bytes += b;
        } else {
            files += 1;
            bytes += std::fs::metadata(&path).map_err(|e| e.to_string())?.len();
        }
    }
    Ok((files, bytes))
}

/// CPU model and core count, memory: the machine the figures are from.
fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| c.lines().find(|l| l.starts_with("model name")).and_then(|l| l.split(':').nth(1)).map(|s| s.trim().to_string()))
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| m.lines().next().and_then(|l| l.split_whitespace().nth(1)).and_then(|k| k.parse::<f64>().ok()))
        .map_or("? GB".into(), |kb| format!("{:.0} GB", kb / 1024.0 / 1024.0));
    format!("{cpu}, {cores} cores, {memory} RAM")
}

fn kb(v: &Value) -> String {
    v.as_f64().map_or("-".into(), |b| format!("{:.1} KiB", b / 1024.0))
}

fn ms(v: &Value) -> String {
    v.as_f64().map_or("-".into(), |m| format!("{m:.1} ms"))
}

fn print_table(corpus: &Corpus, report: &str, ours: &Built, theirs: &Built, results: &Value, machine: &str) {
    let records = report.lines().find(|l| l.contains(" records (")).unwrap_or("").trim_start_matches("indexer: ").to_string();
    let date = crate::setup::capture(Command::new("date").arg("+%Y-%m-%d")).unwrap_or_default();
    let (a, b) = (&results["ours"]["summary"], &results["pagefind"]["summary"]);
    let pair = |key: &str, stat: &str, f: fn(&Value) -> String| (f(&a[key][stat]), f(&b[key][stat]));
    println!("\n### {} — {records}\n", corpus.name);
    println!("Measured {} on {machine}; {} queries.\n", date.trim(), a["queries"]);
    let version = setup::PAGEFIND_NPM.rsplit('@').next().unwrap_or_default();
    println!("| figure | ours | Pagefind {version} |");
    println!("|---|---|---|");
    println!(
        "| index build (wall clock) | {:.1} s{} | {:.1} s |",
        ours.seconds,
        ours.peak_mb.map(|m| format!(", peak memory {m:.0} MB")).unwrap_or_default(),
        theirs.seconds
    );
    println!("| index size, as stored | {:.1} MB in {} files | {:.1} MB in {} files |", ours.bytes as f64 / 1e6, ours.files, theirs.bytes as f64 / 1e6, theirs.files);
    for (label, stat) in [("median", "median"), ("p95", "p95"), ("max", "max")] {
        let (x, y) = pair("bytes", stat, kb);
        println!("| bytes per query, cold cache, {label} | {x} | {y} |");
    }
    let ratio = a["bytes"]["median"].as_f64().zip(b["bytes"]["median"].as_f64()).map(|(x, y)| x / y.max(1.0));
    println!("| ours ÷ Pagefind, median bytes | {} | |", ratio.map_or("-".into(), |r| format!("{r:.2}")));
    println!("| files per query, median | {} | {} |", a["files"]["median"], b["files"]["median"]);
    for (label, key) in [("time to first result, cold", "first_result_ms"), ("time to ten results, cold", "ten_results_ms"), ("query once its files arrived (warm)", "warm_ms")] {
        let (x, y) = pair(key, "median", ms);
        let (x95, y95) = pair(key, "p95", ms);
        println!("| {label}: median / p95 | {x} / {x95} | {y} / {y95} |");
    }
    if let (Some(x), Some(y)) = (results["ours"].get("public_top10"), results["pagefind"].get("public_top10")) {
        println!(
            "| public queries with every expected project in the top 10 | {} of {} ({} of {} projects) | {} of {} ({} of {} projects) |",
            x["queries_fully_found"], x["queries"], x["projects_found"], x["projects"], y["queries_fully_found"], y["queries"], y["projects_found"], y["projects"]
        );
    }
    for (who, s) in [("ours", a), ("Pagefind", b)] {
        if let Some(errors) = s["errors"].as_array().filter(|e| !e.is_empty()) {
            println!("\n{who}: {} queries failed: {}", errors.len(), Value::Array(errors.clone()));
        }
    }
}
