//! `cargo xtask fuzz [--minutes N] [--seed] [target…]`: coverage-guided
//! fuzzing with cargo-fuzz (libFuzzer, nightly) of the five targets in
//! `fuzz/`, one after another, each for N minutes (default 10), at the
//! lowest CPU priority.
//!
//! Each target starts from its kept corpus (`fuzz/corpus/<target>`, in
//! git), the inputs that once crashed (`fuzz/regressions/<target>`) and a
//! working corpus (`fuzz/corpus-work/<target>`, ignored by git), seeded
//! from real inputs on the first run or with `--seed` (the ignored test
//! `seed_corpus` of `indexer/tests/fuzz_corpus.rs`). Afterwards the inputs
//! that reach new coverage are merged into the kept corpus, which
//! `cargo test` replays on stable. A crash stops the run; libFuzzer's
//! message names the input (`fuzz/artifacts/<target>/`).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::{flag_value, root, run_command, Result};

/// Targets with the longest input each is given.
pub const TARGETS: [(&str, usize); 5] = [
    ("table_parser", 16 * 1024),
    ("value_parser", 1024),
    ("tokenizer", 4096),
    ("query_parser", 1024),
    ("index_decoder", 64 * 1024),
];

pub fn run(args: &[String]) -> Result<()> {
    let minutes: f64 = match flag_value(args, "--minutes") {
        Some(m) => m.parse().map_err(|_| format!("--minutes {m}: not a number"))?,
        None => 10.0,
    };
    let named: Vec<&str> = args.iter().enumerate().filter(|&(i, a)| !a.starts_with("--") && (i == 0 || args[i - 1] != "--minutes")).map(|(_, a)| a.as_str()).collect();
    for name in &named {
        if !TARGETS.iter().any(|(t, _)| t == name) {
            return Err(format!("unknown fuzz target {name} (targets: {})", TARGETS.map(|t| t.0).join(", ")));
        }
    }
    ensure_cargo_fuzz()?;
    let root = root();
    let work = root.join("fuzz/corpus-work");
    if args.iter().any(|a| a == "--seed") || !work.exists() {
        seed(&work.join("seed"))?;
    }
    let mut summary = Vec::new();
    for &(target, max_len) in TARGETS.iter().filter(|(t, _)| named.is_empty() || named.contains(t)) {
        let corpus = work.join(target);
        std::fs::create_dir_all(&corpus).map_err(|e| e.to_string())?;
        copy_files(&work.join("seed").join(target), &corpus)?;
        let kept = root.join("fuzz/corpus").join(target);
        let regressions = root.join("fuzz/regressions").join(target);
        for dir in [&kept, &regressions] {
            std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        }
        let started = Instant::now();
        let seconds = (minutes * 60.0).round().max(1.0) as u64;
        let mut cmd = cargo_fuzz("run", target);
        cmd.arg(&corpus).arg(&kept).arg(&regressions).arg("--").args(libfuzzer_flags(max_len)).arg(format!("-max_total_time={seconds}"));
        let log = run_logged(&mut cmd)?;
        let stats = Stats::parse(&log, started.elapsed().as_secs_f64());
        eprintln!("xtask: {target}: {}", stats.line());
        // Keep what reached new edges (not new hit counts: that would keep
        // ten times the files for a thousandth more coverage).
        let mut merge = cargo_fuzz("run", target);
        merge.arg(&kept).arg(&corpus).arg("--").args(libfuzzer_flags(max_len)).args(["-set_cover_merge=1", "-use_counters=0"]);
        let merged = run_logged(&mut merge)?;
        let added = merged.lines().rev().find_map(|l| l.split("MERGE-OUTER: ").nth(1).filter(|s| s.contains("new files"))).unwrap_or("");
        eprintln!("xtask: {target}: kept corpus {added}");
        summary.push((target, stats));
    }
    println!("{:<14} {:>8} {:>14} {:>10} {:>8} {:>8} {:>7}", "target", "minutes", "executions", "exec/s", "cov", "ft", "corpus");
    for (target, s) in &summary {
        println!("{:<14} {:>8.1} {:>14} {:>10} {:>8} {:>8} {:>7}", target, s.seconds / 60.0, s.executions, s.per_second, s.cov, s.features, s.corpus);
    }
    Ok(())
}

fn libfuzzer_flags(max_len: usize) -> Vec<String> {
    vec![format!("-max_len={max_len}"), "-rss_limit_mb=2048".into(), "-timeout=10".into(), "-print_final_stats=1".into()]
}

/// `nice -n 19 rustup run nightly cargo fuzz <command> -O -a <target>`
/// (release with debug assertions, so overflows are found too).
fn cargo_fuzz(command: &str, target: &str) -> Command {
    let mut cmd = Command::new("nice");
    cmd.current_dir(root()).args(["-n", "19", "rustup", "run", "nightly", "cargo", "fuzz", command, "-O", "-a", target]);
    // Not the stable cargo that runs this xtask.
    for var in ["CARGO", "RUSTUP_TOOLCHAIN", "RUSTC", "RUSTDOC"] {
        cmd.env_remove(var);
    }
    cmd
}

fn ensure_cargo_fuzz() -> Result<()> {
    let nightly = Command::new("rustup").args(["run", "nightly", "rustc", "--version"]).stdout(Stdio::null()).stderr(Stdio::null()).status();
    if !nightly.is_ok_and(|s| s.success()) {
        run_command(Command::new("rustup").args(["toolchain", "install", "nightly", "--profile", "minimal"]))?;
    }
    let installed = Command::new("cargo").args(["fuzz", "--version"]).stdout(Stdio::null()).stderr(Stdio::null()).status();
    if !installed.is_ok_and(|s| s.success()) {
        run_command(Command::new("cargo").args(["install", "cargo-fuzz", "--locked"]))?;
    }
    Ok(())
}

/// Writes the seed corpora from real inputs (see `indexer/tests/fuzz_corpus.rs`).
fn seed(dir: &Path) -> Result<()> {
    run_command(
        Command::new(crate::cargo())
            .current_dir(root())
            .env("FUZZ_SEED_DIR", dir)
            .args(["test", "-p", "jixiao-indexer", "--test", "fuzz_corpus", "--", "--ignored", "seed_corpus"]),
    )
}

fn copy_files(from: &Path, to: &Path) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(from) else { return Ok(()) };
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        let target = to.join(path.file_name().unwrap_or_default());
        if path.is_file() && !target.exists() {
            std::fs::copy(&path, &target).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    Ok(())
}

/// Runs a command, passing its output through as it comes and returning
/// its stderr (where libFuzzer reports).
fn run_logged(cmd: &mut Command) -> Result<String> {
    let shown = format!("{cmd:?}");
    eprintln!("xtask: running {shown}");
    let mut child = cmd.stdout(Stdio::inherit()).stderr(Stdio::piped()).spawn().map_err(|e| format!("cannot start {shown}: {e}"))?;
    let mut log = String::new();
    for line in BufReader::new(child.stderr.take().expect("piped")).lines() {
        let line = line.map_err(|e| e.to_string())?;
        eprintln!("{line}");
        log.push_str(&line);
        log.push('\n');
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    if status.success() {
        Ok(log)
    } else {
        Err(format!("{shown} failed with {status} (a crash: the input is in fuzz/artifacts/)"))
    }
}

/// libFuzzer's figures for one run.
#[derive(Default)]
pub struct Stats {
    pub seconds: f64,
    pub executions: u64,
    pub per_second: u64,
    pub cov: u64,
    pub features: u64,
    pub corpus: u64,
}

impl Stats {
    /// Reads `-print_final_stats` and the last status line
    /// (`#N DONE cov: C ft: F corp: K/…`); `seconds` if libFuzzer says none.
    pub fn parse(log: &str, seconds: f64) -> Stats {
        let stat = |key: &str| log.lines().find_map(|l| l.strip_prefix(key)).and_then(|v| v.trim().parse().ok()).unwrap_or(0);
        // `Done N runs in S second(s)`: the fuzzing time, without the build.
        let done = log.lines().rev().find_map(|l| l.strip_prefix("Done ")).and_then(|l| l.split(" in ").nth(1)).and_then(|l| l.split_whitespace().next()?.parse().ok());
        let mut s = Stats { seconds: done.unwrap_or(seconds), executions: stat("stat::number_of_executed_units:"), per_second: stat("stat::average_exec_per_sec:"), ..Stats::default() };
        if let Some(last) = log.lines().rev().find(|l| l.starts_with('#') && l.contains(" cov: ")) {
            let words: Vec<&str> = last.split_whitespace().collect();
            let after = |key: &str| words.iter().position(|w| *w == key).and_then(|i| words.get(i + 1)).map(|v| v.split('/').next().unwrap_or("").parse().unwrap_or(0)).unwrap_or(0);
            s.cov = after("cov:");
            s.features = after("ft:");
            s.corpus = after("corp:");
        }
        s
    }

    fn line(&self) -> String {
        format!("{} executions in {:.1} min ({}/s), cov {}, ft {}, corpus {}", self.executions, self.seconds / 60.0, self.per_second, self.cov, self.features, self.corpus)
    }
}
