//! `cargo xtask scale [--projects 10000,100000] [--build-only 300000] [--seed 1] [--ours-only]`:
//! our index against Pagefind, on the real documents and on synthetic
//! corpora; `--build-only` sizes time only our index build (and its memory);
//! `--ours-only` builds no Pagefind index of the synthetic corpora (at 100k
//! projects it needs about 41 GB of memory), only of the real documents.
//!
//! For each corpus, in one run: build our site's index (`indexer build`,
//! timed, with its peak memory) and a Pagefind index over the same
//! per-project HTML pages (`pagefind`, timed), into one site folder under
//! `target/scale/`; then replay the same queries against both in headless
//! Chromium (`scale-bench`) and print the figures side by side. The real
//! corpus is queried with every query of `tests/fixtures/queries/` (the
//! public ones and those written as people ask) and each system's top ten
//! are checked against the projects those queries must find (recall@10,
//! mean reciprocal rank); synthetic corpora with the public queries plus
//! the ones the generator made from the corpus. Figures are measured,
//! never asserted.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::{json, Value};

use crate::{cargo, flag_value, kib, ms, root, run_command, setup, Result};

struct Corpus {
    name: String,
    data: PathBuf,
    queries: PathBuf,
    /// Queries with the projects each must find (the real corpus's).
    expected: Option<PathBuf>,
}

struct Built {
    seconds: f64,
    peak_mb: Option<f64>,
    files: u64,
    bytes: u64,
}

fn sizes(args: &[String], flag: &str, default: &str) -> Result<Vec<usize>> {
    flag_value(args, flag)
        .unwrap_or(default)
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| s.trim().parse().map_err(|_| format!("{flag}: not a number: {s}")))
        .collect()
}

pub fn run(args: &[String]) -> Result<()> {
    let sizes_compared = sizes(args, "--projects", "10000,100000")?;
    // Corpora too large to compare in a browser run: only our build is timed.
    let sizes_built = sizes(args, "--build-only", "")?;
    let seed = flag_value(args, "--seed").unwrap_or("1");
    let ours_only = args.iter().any(|a| a == "--ours-only");
    let toolchain = crate::build(true)?;
    let bench_site = crate::build_bench_site(&toolchain)?;
    let pagefind = setup::install_pagefind()?;
    run_command(Command::new(cargo()).current_dir(root()).args(["build", "--release", "-p", "jixiao-indexer", "-p", "jixiao-e2e", "--bin", "indexer", "--bin", "scale-bench"]))?;
    let indexer = root().join("target/release/indexer");
    let bench = root().join("target/release/scale-bench");
    let work = root().join("target/scale");
    let fixtures = root().join("tests/fixtures/queries");
    let public = fixtures.join("public.json");
    std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    let every_fixture = work.join("real-queries.json");
    let mut queries = Vec::new();
    for name in ["public.json", "natural.json"] {
        queries.extend(read_json(&fixtures.join(name))?["queries"].as_array().cloned().unwrap_or_default());
    }
    std::fs::write(&every_fixture, json!({ "queries": queries }).to_string()).map_err(|e| format!("{}: {e}", every_fixture.display()))?;

    let mut corpora =
        vec![Corpus { name: "real".into(), data: root().join("data"), queries: every_fixture.clone(), expected: Some(every_fixture.clone()) }];
    for n in sizes_compared {
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
        corpora.push(Corpus { name: format!("synthetic-{n}"), data: dir.join("data"), queries: file, expected: None });
    }

    let machine = machine();
    for corpus in &corpora {
        let site = work.join(&corpus.name).join("site");
        remove(&site)?;
        copy_dir(&bench_site, &site, &|p| p.file_name().is_some_and(|n| n == "idx"))?;

        let (ours, report) = build_ours(&indexer, &corpus.data, &site.join("idx"))?;
        let theirs = if ours_only && corpus.expected.is_none() {
            Err("not built (--ours-only)".to_string())
        } else {
            run_pagefind(&pagefind, &site)?
        };
        if let Err(why) = &theirs {
            eprintln!("xtask: Pagefind did not build on {}: {why}", corpus.name);
        }

        let mut cmd = Command::new(&bench);
        cmd.arg(&site).arg(&corpus.queries);
        if let Some(expected) = &corpus.expected {
            cmd.arg(expected);
        }
        if theirs.is_err() {
            cmd.arg("--ours-only");
        }
        eprintln!("xtask: replaying the queries of {} in headless Chromium", corpus.name);
        let out = cmd.output().map_err(|e| format!("scale-bench: {e}"))?;
        if !out.status.success() {
            return Err(format!("scale-bench failed on {}: {}", corpus.name, String::from_utf8_lossy(&out.stderr)));
        }
        let results: Value = serde_json::from_slice(&out.stdout).map_err(|e| format!("scale-bench printed no JSON: {e}"))?;
        let saved = work.join(&corpus.name).join("results.json");
        std::fs::write(&saved, serde_json::to_string_pretty(&results).unwrap_or_default()).map_err(|e| format!("{}: {e}", saved.display()))?;
        print_table(corpus, &report, &ours, theirs.as_ref(), &results, &machine);
    }
    if !sizes_built.is_empty() {
        println!("\n### Index build only (synthetic, seed {seed})\n");
        println!("Measured {} on {machine}.\n", today());
        println!("| projects | build (wall clock) | peak memory | index size, as stored |");
        println!("|---|---|---|---|");
    }
    for n in sizes_built {
        let dir = work.join(format!("synthetic-{n}"));
        remove(&dir)?;
        run_command(Command::new(&indexer).current_dir(root()).args(["generate", "--projects", &n.to_string(), "--seed", seed, "--out"]).arg(&dir))?;
        let (ours, _) = build_ours(&indexer, &dir.join("data"), &dir.join("idx"))?;
        println!(
            "| {n} | {:.1} s | {} | {:.1} MB in {} files |",
            ours.seconds,
            ours.peak_mb.map_or("-".into(), |m| format!("{m:.0} MB")),
            ours.bytes as f64 / 1e6,
            ours.files
        );
    }
    Ok(())
}

fn today() -> String {
    crate::setup::capture(Command::new("date").arg("+%Y-%m-%d")).unwrap_or_default().trim().to_string()
}

/// Builds our index of `data` into `out`, timed (wall clock) with the
/// indexer's own peak memory; returns the figures and the indexer's report.
fn build_ours(indexer: &Path, data: &Path, out: &Path) -> Result<(Built, String)> {
    let started = Instant::now();
    let output = Command::new(indexer)
        .current_dir(root())
        .args(["build", "--data"])
        .arg(data)
        .arg("--out")
        .arg(out)
        .output()
        .map_err(|e| format!("indexer: {e}"))?;
    let seconds = started.elapsed().as_secs_f64();
    let report = String::from_utf8_lossy(&output.stderr).to_string();
    if !output.status.success() {
        return Err(format!("indexer build failed on {}:\n{report}", data.display()));
    }
    let peak_mb = report.split("peak memory ").nth(1).and_then(|s| s.split_whitespace().next()).and_then(|n| n.parse().ok());
    let (files, bytes) = index_size(out)?;
    Ok((Built { seconds, peak_mb, files, bytes }, report))
}

/// Builds the Pagefind index of the site's per-project pages, timed, with
/// the peak memory of its process tree (the npm command is a wrapper around
/// the native indexer). `Ok(Err(why))`: Pagefind ran but did not finish,
/// e.g. killed by the kernel when memory ran out; that is a result too.
fn run_pagefind(pagefind: &Path, site: &Path) -> Result<std::result::Result<Built, String>> {
    use std::os::unix::process::ExitStatusExt;
    let started = Instant::now();
    let mut child = Command::new(pagefind)
        .arg("--site")
        .arg(site.join("idx/pages"))
        .arg("--output-path")
        .arg(site.join("pagefind"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("pagefind: {e}"))?;
    let mut peak_kb = 0;
    let status = loop {
        peak_kb = peak_kb.max(tree_peak_kb(child.id()));
        if let Some(status) = child.try_wait().map_err(|e| format!("pagefind: {e}"))? {
            break status;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    let seconds = started.elapsed().as_secs_f64();
    let peak_mb = (peak_kb > 0).then(|| peak_kb as f64 / 1024.0);
    if !status.success() {
        let mut stderr = String::new();
        if let Some(mut pipe) = child.stderr.take() {
            let _ = std::io::Read::read_to_string(&mut pipe, &mut stderr);
        }
        let how = match status.signal() {
            Some(9) => "killed by SIGKILL (on Linux: the out-of-memory killer)".to_string(),
            Some(signal) => format!("killed by signal {signal}"),
            None => format!("exit status {}", status.code().unwrap_or(-1)),
        };
        let peak = peak_mb.map(|m| format!(", peak memory {:.1} GB", m / 1024.0)).unwrap_or_default();
        return Ok(Err(format!("{how} after {seconds:.0} s{peak} {}", stderr.trim()).trim().to_string()));
    }
    let (files, bytes) = tree_size(&site.join("pagefind"))?;
    Ok(Ok(Built { seconds, peak_mb, files, bytes }))
}

/// The largest peak resident set (`VmHWM`) among a process and its
/// descendants, in kB (Linux `/proc`; 0 elsewhere).
fn tree_peak_kb(root: u32) -> u64 {
    let Ok(entries) = std::fs::read_dir("/proc") else { return 0 };
    let mut parent_of = Vec::new();
    for entry in entries.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else { continue };
        // stat: "pid (comm) state ppid …"; comm may hold spaces, so split after ')'.
        let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
        if let Some(ppid) = stat.rsplit(')').next().and_then(|rest| rest.split_whitespace().nth(1)).and_then(|p| p.parse::<u32>().ok()) {
            parent_of.push((pid, ppid));
        }
    }
    let mut tree = vec![root];
    let mut i = 0;
    while i < tree.len() {
        let parent = tree[i];
        tree.extend(parent_of.iter().filter(|(_, ppid)| *ppid == parent).map(|(pid, _)| *pid));
        i += 1;
    }
    tree.iter()
        .filter_map(|pid| std::fs::read_to_string(format!("/proc/{pid}/status")).ok())
        .filter_map(|status| status.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok()))
        .max()
        .unwrap_or(0)
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

fn print_table(corpus: &Corpus, report: &str, ours: &Built, theirs: std::result::Result<&Built, &String>, results: &Value, machine: &str) {
    let records = report.lines().find(|l| l.contains(" records (")).unwrap_or("").trim_start_matches("indexer: ").to_string();
    let (a, b) = (&results["ours"]["summary"], &results["pagefind"]["summary"]);
    let pair = |key: &str, stat: &str, f: fn(&Value) -> String| (f(&a[key][stat]), f(&b[key][stat]));
    println!("\n### {} — {records}\n", corpus.name);
    println!("Measured {} on {machine}; {} queries.\n", today(), a["queries"]);
    let version = setup::PAGEFIND_NPM.rsplit('@').next().unwrap_or_default();
    println!("| figure | ours | Pagefind {version} |");
    println!("|---|---|---|");
    let mb = |m: Option<f64>| m.map(|m| format!(", peak memory {m:.0} MB")).unwrap_or_default();
    let (their_build, their_size) = match theirs {
        Ok(t) => (format!("{:.1} s{}", t.seconds, mb(t.peak_mb)), format!("{:.1} MB in {} files", t.bytes as f64 / 1e6, t.files)),
        Err(why) => (format!("did not finish: {why}"), "-".into()),
    };
    println!("| index build (wall clock) | {:.1} s{} | {their_build} |", ours.seconds, mb(ours.peak_mb));
    println!("| index size, as stored | {:.1} MB in {} files | {their_size} |", ours.bytes as f64 / 1e6, ours.files);
    for (label, stat) in [("median", "median"), ("p95", "p95"), ("max", "max")] {
        let (x, y) = pair("bytes", stat, kib);
        println!("| bytes per query, cold cache, {label} | {x} | {y} |");
    }
    let ratio = a["bytes"]["median"].as_f64().zip(b["bytes"]["median"].as_f64()).map(|(x, y)| x / y.max(1.0));
    println!("| ours ÷ Pagefind, median bytes | {} | |", ratio.map_or("-".into(), |r| format!("{r:.2}")));
    let count = |v: &Value| v.as_f64().map_or("-".into(), |n| format!("{n:.0}"));
    println!("| files per query, median | {} | {} |", count(&a["files"]["median"]), count(&b["files"]["median"]));
    for (label, key) in [("time to first result, cold", "first_result_ms"), ("time to ten results, cold", "ten_results_ms"), ("query once its files arrived (warm)", "warm_ms")] {
        let (x, y) = pair(key, "median", |v| ms(v, 1));
        let (x95, y95) = pair(key, "p95", |v| ms(v, 1));
        println!("| {label}: median / p95 | {x} / {x95} | {y} / {y95} |");
    }
    if let (Some(x), Some(y)) = (results["ours"].get("top10"), results["pagefind"].get("top10")) {
        let percent = |v: &Value| v.as_f64().map_or("-".into(), |r| format!("{:.1} %", r * 100.0));
        let two = |v: &Value| v.as_f64().map_or("-".into(), |r| format!("{r:.3}"));
        let empty = |v: &Value| v["no_results"].as_array().map_or(0, Vec::len);
        println!(
            "| recall@10 of the expected projects | {} ({} of {}) | {} ({} of {}) |",
            percent(&x["recall"]), x["projects_found"], x["projects"], percent(&y["recall"]), y["projects_found"], y["projects"]
        );
        println!("| mean reciprocal rank (first expected project) | {} | {} |", two(&x["mrr"]), two(&y["mrr"]));
        println!(
            "| queries with every expected project in the top 10 | {} of {} | {} of {} |",
            x["queries_fully_found"], x["queries"], y["queries_fully_found"], y["queries"]
        );
        println!("| queries with an expected project that show no result | {} | {} |", empty(x), empty(y));
    }
    for (who, s) in [("ours", a), ("Pagefind", b)] {
        if let Some(errors) = s["errors"].as_array().filter(|e| !e.is_empty()) {
            println!("\n{who}: {} queries failed: {}", errors.len(), Value::Array(errors.clone()));
        }
    }
}
