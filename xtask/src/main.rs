//! Project automation: `cargo xtask <command>`.
//!
//! - `setup [--browser]`  install whatever this machine lacks (idempotent)
//! - `build`              setup, build the index and the site into `dist/`
//! - `serve`              build, then serve `dist/` at http://127.0.0.1:8080
//! - `test`               setup (with the browser), build, run every test
//! - `bench [queries.json]` build, then print speed and size figures (native and in Chromium)
//! - `scale [--projects 10000,100000] [--build-only 300000] [--seed 1]` our index against Pagefind, real and synthetic corpora
//! - `fuzz [--minutes N] [--seed] [target…]` cargo-fuzz every target N minutes (default 10; nightly)
//! - `gazetteer`          regenerate reader/data/gazetteer.tsv (maintainers; needs npm)
//! - `t2s`                regenerate core/data/t2s.bin, the traditional→simplified table (maintainers; needs npm)
//!
//! Setup steps are code so that the README's two commands work the same on a
//! laptop and on a bare CI machine. See `../shared/TOOLCHAIN.md` for why the
//! wasm toolchain has two routes.

mod bench;
mod csp;
mod fuzz;
mod gazetteer;
mod scale;
mod setup;
mod shell;
mod t2s;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use setup::Toolchain;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = args.first().map(String::as_str).unwrap_or("help");
    let rest = &args[args.len().min(1)..];
    let result = match command {
        "setup" => setup::run(rest.iter().any(|a| a == "--browser")).map(|_| ()),
        "build" => build(false).map(|_| ()),
        "serve" => serve(rest),
        "test" => test(rest),
        "bench" => build(true).and_then(|t| build_bench_site(&t)).and_then(|site| bench::run(rest, &site)),
        "scale" => scale::run(rest),
        "fuzz" => fuzz::run(rest),
        "gazetteer" => gazetteer::run(),
        "t2s" => t2s::run(),
        _ => {
            eprintln!("usage: cargo xtask <setup [--browser] | build | serve [--addr A] | test | bench [queries.json] | scale [--projects N,M] [--build-only N] [--seed S] | fuzz [--minutes N] [--seed] [target…] | gazetteer | t2s>");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

pub type Result<T> = std::result::Result<T, String>;

/// The repository root (the parent of this crate's folder).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}

/// Runs a command to completion, failing with its name if it fails.
pub fn run_command(cmd: &mut Command) -> Result<()> {
    let shown = format!("{cmd:?}");
    eprintln!("xtask: running {shown}");
    let status = cmd.status().map_err(|e| format!("cannot start {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed with {status}"))
    }
}

/// Fetches an npm package (`name@version`) with `npm pack` into a fresh
/// temporary folder and unpacks it; returns the unpacked `package/` folder.
/// Maintainers' generators read published data this way, without a
/// `node_modules` tree.
pub fn unpack_npm_package(package: &str) -> Result<PathBuf> {
    let work = std::env::temp_dir().join(format!("jixiao-npm-{}", package.replace(['@', '/'], "-")));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    run_command(Command::new("npm").current_dir(&work).args(["pack", package, "--silent"]))?;
    let tarball = std::fs::read_dir(&work)
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "tgz"))
        .ok_or_else(|| format!("npm pack {package} produced no tarball"))?;
    run_command(Command::new("tar").current_dir(&work).arg("xzf").arg(&tarball))?;
    Ok(work.join("package"))
}

/// Sets up this machine (with the browser, for what drives it) and builds
/// the index and the site into `dist/`, the indexer compiled alone.
pub fn build(browser: bool) -> Result<Toolchain> {
    let toolchain = setup::run(browser)?;
    let mut indexer = Command::new(cargo());
    indexer.args(["run", "--quiet", "-p", "jixiao-indexer", "--"]);
    build_with(indexer, &toolchain)?;
    Ok(toolchain)
}

/// Builds the index with `indexer` (a command that runs the indexer, to
/// which `build` is appended), then the site into `dist/`, on a machine
/// set up for `toolchain`.
fn build_with(mut indexer: Command, toolchain: &Toolchain) -> Result<()> {
    let started = Instant::now();
    run_command(indexer.current_dir(root()).arg("build"))?;
    eprintln!("xtask: index built in {:.1} s", started.elapsed().as_secs_f64());
    let started = Instant::now();
    let mut trunk = toolchain.trunk_command();
    trunk.current_dir(root()).args(["build", "--release", "--offline"]);
    run_command(&mut trunk)?;
    shell::apply(&root().join("dist"))?;
    csp::apply(&root().join("dist/index.html"))?;
    eprintln!("xtask: site built into dist/ in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// The site with the benchmarks' measurement hooks (app feature `bench`),
/// into `target/dist-bench/`, after [`build`]: only benchmarks use it.
pub fn build_bench_site(toolchain: &Toolchain) -> Result<PathBuf> {
    let dist = root().join("target/dist-bench");
    let mut trunk = toolchain.trunk_command();
    trunk.current_dir(root()).args(["build", "--release", "--offline", "--features", "bench", "--dist"]).arg(&dist);
    run_command(&mut trunk)?;
    shell::apply(&dist)?;
    csp::apply(&dist.join("index.html"))?;
    Ok(dist)
}

fn serve(args: &[String]) -> Result<()> {
    build(false)?;
    let addr = flag_value(args, "--addr").unwrap_or("127.0.0.1:8080");
    let server = devserve::Server::start(&root().join("dist"), addr, "/").map_err(|e| e.to_string())?;
    println!("Serving the site at {} (Ctrl-C to stop)", server.url());
    server.wait();
    Ok(())
}

fn test(args: &[String]) -> Result<()> {
    let started = Instant::now();
    let toolchain = setup::run(true)?;
    // Compile the tests first and build the index with the indexer binary
    // that compilation produced. `cargo run -p jixiao-indexer` would resolve
    // features for the indexer alone, which differ from the workspace's, and
    // compile tantivy and a hundred other crates a second time: minutes and
    // gigabytes on a fresh clone (a CI run once ran out of disk doing so).
    build_with(Command::new(compile_tests()?), &toolchain)?;
    let mut cmd = Command::new(cargo());
    // Unit and integration tests of every crate (the app's run natively),
    // then the browser tests against the dist/ just built.
    cmd.current_dir(root()).args(["test", "--workspace"]);
    cmd.args(args);
    run_command(&mut cmd)?;
    eprintln!("xtask: every test passed in {:.0} s (setup and build included)", started.elapsed().as_secs_f64());
    Ok(())
}

/// Compiles every test of the workspace (`cargo test --workspace --no-run`)
/// and returns the indexer binary that compilation made, as cargo reports it
/// (wherever a `CARGO_TARGET_DIR` or a cargo config puts it).
fn compile_tests() -> Result<PathBuf> {
    let mut cmd = Command::new(cargo());
    cmd.current_dir(root()).args(["test", "--workspace", "--no-run", "--message-format=json-render-diagnostics"]);
    // Progress and compiler errors to the terminal; cargo's JSON messages to us.
    cmd.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::inherit());
    eprintln!("xtask: running {cmd:?}");
    let output = cmd.output().map_err(|e| format!("cannot start {cmd:?}: {e}"))?;
    if !output.status.success() {
        return Err(format!("{cmd:?} failed with {}", output.status));
    }
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        // The binary itself, not its unit-test harness (also a "bin" target).
        .find(|message| message["target"]["name"] == "indexer" && message["target"]["kind"][0] == "bin" && message["profile"]["test"] == false)
        .and_then(|message| message["executable"].as_str().map(PathBuf::from))
        .ok_or_else(|| "cargo test --no-run built no indexer binary".to_string())
}

/// A byte count of a benchmark's JSON in KiB, `-` when absent.
pub fn kib(v: &serde_json::Value) -> String {
    v.as_f64().map_or("-".into(), |b| format!("{:.1} KiB", b / 1024.0))
}

/// Milliseconds of a benchmark's JSON to `decimals` places, `-` when absent.
pub fn ms(v: &serde_json::Value, decimals: usize) -> String {
    v.as_f64().map_or("-".into(), |m| format!("{m:.decimals$} ms"))
}

pub fn flag_value<'a>(args: &'a [String], flag: &str) -> Option<&'a str> {
    args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)).map(String::as_str)
}

/// The cargo that runs this xtask (rustup's), for native builds.
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}
