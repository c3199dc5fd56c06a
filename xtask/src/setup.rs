//! Installs what a fresh machine lacks, skipping what is present.
//!
//! The wasm32 standard library comes from `rustup target add` where that can
//! download; where it cannot (the machines described in TOOLCHAIN.md), from
//! Debian's `rustc-web` with `-Z build-std`. Setting
//! `JIXIAO_WASM_ROUTE=build-std` forces the second route, to test it on a
//! machine where the first works.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{cargo, root, run_command, Result};

pub const TRUNK_VERSION: &str = "0.21.14";
/// binaryen from npm: Debian's binaryen 108 miscompiles wasm-bindgen's
/// externref table (the table export ends up pointing at the function
/// table, and the page dies with "WebAssembly.Table.set(): Argument 1 is
/// invalid"). Trunk.toml names the same version.
pub const BINARYEN_NPM: &str = "binaryen@132.0.0";
/// esbuild from npm minifies the wasm-bindgen JS glue (Trunk.toml hook).
pub const ESBUILD_NPM: &str = "esbuild@0.24.0";
/// Pagefind, only for the comparison benchmark (`cargo xtask scale`); its
/// npm package ships the extended binary, which segments Chinese.
pub const PAGEFIND_NPM: &str = "pagefind@1.6.0";
const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// Unstable flags of the wasm build (on a stable compiler through
/// RUSTC_BOOTSTRAP, with std built from source alongside the app, so these
/// apply to std too): no file/line/column of panics, `Debug` formatting
/// compiled to nothing, and a panic is a trap at once, with none of the
/// panic machinery (message formatting, hook) in the bundle; the page
/// still says it crashed (app/index.html). Together with std built at the
/// app's opt-level they take 24 KB off the gzipped wasm (measured
/// 2026-11-30). `--cfg erase_components` stays in .cargo/config.toml (cargo
/// adds these to it).
const WASM_RUSTFLAGS: &str = "-Zlocation-detail=none -Zfmt-debug=none -Zunstable-options -Cpanic=immediate-abort";
/// Poppler's CJK character maps (Debian's poppler-data): without them
/// pdftotext silently drops Chinese set in fonts a PDF does not embed.
const POPPLER_DATA: &str = "/usr/share/poppler/cidToUnicode/Adobe-GB1";

/// How the wasm app gets built on this machine.
#[derive(Clone, Debug)]
pub enum Toolchain {
    /// rustup has the wasm32 target and std's sources.
    Rustup,
    /// Debian's rustc 1.96 builds std itself, linked by rustup's rust-lld.
    BuildStd { rust_lld: PathBuf },
}

impl Toolchain {
    /// A `trunk` command with the environment this route needs.
    pub fn trunk_command(&self) -> Command {
        let mut cmd = Command::new(cargo_bin("trunk"));
        // Trunk finds wasm-opt (npm binaryen) and its hook esbuild on PATH.
        let path = std::env::var("PATH").unwrap_or_default();
        cmd.env("PATH", format!("{}:{path}", binaryen_bin().display()));
        // A separate target folder keeps the wasm build from invalidating the
        // native one (different features, and on the fallback route a
        // different compiler).
        cmd.env("CARGO_TARGET_DIR", root().join("target").join("wasm"));
        for var in ["RUSTC", "RUSTDOC", "RUSTC_WRAPPER", "RUSTUP_TOOLCHAIN", "CARGO"] {
            cmd.env_remove(var);
        }
        // Both routes build std with the app, for size: see WASM_RUSTFLAGS.
        cmd.env("RUSTC_BOOTSTRAP", "1");
        cmd.env("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort");
        // std's smaller implementations (of sorting, formatting numbers …):
        // -4 KB gzipped. Its sorts are slow on long lists: the engine sorts
        // those with core::order.
        cmd.env("CARGO_UNSTABLE_BUILD_STD_FEATURES", "optimize_for_size");
        cmd.env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS", WASM_RUSTFLAGS);
        if let Toolchain::BuildStd { rust_lld } = self {
            // Debian's cargo and rustc first; ~/.cargo/bin stays on PATH
            // (after them) for trunk's wasm-bindgen.
            let path = std::env::var("PATH").unwrap_or_default();
            cmd.env("PATH", format!("{}:/usr/bin:{path}", binaryen_bin().display()));
            cmd.env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER", rust_lld);
        }
        cmd
    }
}

/// Makes sure everything the build (and with `browser`, the tests) needs is
/// installed; returns the wasm route to use.
pub fn run(browser: bool) -> Result<Toolchain> {
    warn_if_disk_is_short();
    let mut apt = Vec::new();
    if !on_path("npm") {
        apt.extend(["nodejs", "npm"]);
    }
    if browser {
        if !Path::new("/usr/bin/chromium").exists() {
            apt.push("chromium");
        }
        if !Path::new("/usr/bin/chromedriver").exists() {
            apt.push("chromium-driver");
        }
        if !Path::new("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc").exists() {
            apt.push("fonts-noto-cjk");
        }
    }
    // The reader reads PDF with poppler's pdfinfo and pdftotext.
    if !Path::new("/usr/bin/pdftotext").exists() || !Path::new("/usr/bin/pdfinfo").exists() {
        apt.push("poppler-utils");
    }
    if !Path::new(POPPLER_DATA).exists() {
        apt.push("poppler-data");
    }
    let toolchain = wasm_toolchain(&mut apt)?;
    apt_install(&apt)?;
    if !Path::new(POPPLER_DATA).exists() {
        return Err(format!("poppler-data is installed but {POPPLER_DATA} is missing: PDFs would lose their Chinese text"));
    }
    if let Toolchain::BuildStd { .. } = toolchain {
        prepare_debian_std_sources()?;
    }
    install_npm_tools()?;
    install_wasm_bindgen()?;
    install_trunk()?;
    Ok(toolchain)
}

/// Room a build from a fresh clone takes on the disk holding `target/`:
/// `cargo xtask test` peaked at 2.2 GB (measured 2026-11-26), plus margin.
const FRESH_BUILD_BYTES: u64 = 3 << 30;

/// Says up front when the disk holding the repository has less room than a
/// fresh build takes. Without this, a full disk shows up minutes later as
/// "No space left on device" from whichever compiler step hit it (one CI run
/// failed so). Only a warning: an incremental build needs far less.
fn warn_if_disk_is_short() {
    let Ok(df) = capture(Command::new("df").arg("-Pk").arg(root())) else { return };
    // POSIX format: a header line, then: filesystem, size, used, available (KiB), …
    let available = df.lines().nth(1).and_then(|line| line.split_whitespace().nth(3)).and_then(|kib| kib.parse::<u64>().ok());
    if let Some(kib) = available.filter(|kib| kib * 1024 < FRESH_BUILD_BYTES) {
        eprintln!(
            "xtask: warning: {:.1} GB free on the disk holding {}; a build from a fresh clone takes about {} GB",
            kib as f64 / (1 << 20) as f64,
            root().display(),
            FRESH_BUILD_BYTES >> 30
        );
    }
}

/// Picks the wasm route, queueing Debian packages for the fallback.
fn wasm_toolchain(apt: &mut Vec<&'static str>) -> Result<Toolchain> {
    let forced = std::env::var("JIXIAO_WASM_ROUTE").ok();
    if forced.as_deref() != Some("build-std") {
        if rustup_can_build_wasm() {
            return Ok(Toolchain::Rustup);
        }
        eprintln!("xtask: trying `rustup target add {WASM_TARGET}` and `rustup component add rust-src`");
        let _ = Command::new("rustup").args(["target", "add", WASM_TARGET]).status();
        let _ = Command::new("rustup").args(["component", "add", "rust-src"]).status();
        if rustup_can_build_wasm() {
            return Ok(Toolchain::Rustup);
        }
        eprintln!("xtask: rustup cannot provide {WASM_TARGET} and std's sources; using Debian's rustc-web with build-std");
    }
    if !Path::new("/usr/bin/cargo").exists() || !Path::new("/usr/bin/rustc").exists() {
        apt.extend(["rustc-web", "cargo-web"]);
    }
    if !Path::new("/usr/lib/rustlib/src/rust").exists() {
        apt.push("rust-web-src");
    }
    let sysroot = capture(Command::new(cargo_bin("rustc")).args(["--print", "sysroot"]))?;
    let rust_lld = Path::new(sysroot.trim()).join("lib/rustlib/x86_64-unknown-linux-gnu/bin/rust-lld");
    if !rust_lld.exists() {
        return Err(format!("rust-lld not found at {} (needed to link wasm on the build-std route)", rust_lld.display()));
    }
    Ok(Toolchain::BuildStd { rust_lld })
}

/// rustup's toolchain has the wasm32 target and std's sources (the wasm
/// build compiles std), and the crates std depends on are fetched.
fn rustup_can_build_wasm() -> bool {
    let has_target = capture(Command::new("rustup").args(["target", "list", "--installed"]))
        .is_ok_and(|out| out.lines().any(|l| l.trim() == WASM_TARGET));
    let Ok(sysroot) = capture(Command::new(cargo_bin("rustc")).args(["--print", "sysroot"])) else { return false };
    let library = Path::new(sysroot.trim()).join("lib/rustlib/src/rust/library");
    has_target && library.exists() && fetch_std_dependencies(&cargo_bin("cargo"), &library).is_ok()
}

fn prepare_debian_std_sources() -> Result<()> {
    let library = Path::new("/usr/lib/rustlib/src/rust/library");
    if !library.exists() {
        return Err(format!("Debian's rust-web-src is installed but {} is missing", library.display()));
    }
    fetch_std_dependencies(Path::new("/usr/bin/cargo"), library)
}

/// Fetches the crates std's sources in `library` depend on, with the cargo
/// that builds them: the wasm build compiles std, offline.
fn fetch_std_dependencies(cargo: &Path, library: &Path) -> Result<()> {
    let mut fetch = Command::new(cargo);
    fetch.arg("fetch").arg("--manifest-path").arg(library.join("Cargo.toml")).args(["--target", WASM_TARGET, "--quiet"]);
    // std's manifest uses unstable cargo features.
    fetch.env("RUSTC_BOOTSTRAP", "1");
    run_command(&mut fetch).map_err(|e| format!("cannot fetch the crates std depends on: {e}"))
}

/// `apt-get install`s the packages (none: nothing to do).
fn apt_install(packages: &[&str]) -> Result<()> {
    if packages.is_empty() {
        return Ok(());
    }
    let sudo: &[&str] = if is_root() { &[] } else { &["sudo"] };
    let apt = |args: &[&str]| {
        let mut cmd = Command::new(sudo.first().copied().unwrap_or("apt-get"));
        if !sudo.is_empty() {
            cmd.arg("apt-get");
        }
        cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        cmd
    };
    run_command(&mut apt(&["update", "-q"]))?;
    let mut install = apt(&["install", "-y", "-q", "--no-install-recommends"]);
    install.args(packages);
    run_command(&mut install)
}

fn is_root() -> bool {
    capture(Command::new("id").arg("-u")).is_ok_and(|uid| uid.trim() == "0")
}

/// Where project tools outside cargo live (shared by every clone).
fn tools_dir() -> PathBuf {
    let home = PathBuf::from(std::env::var_os("HOME").unwrap_or_default());
    std::env::var_os("XDG_CACHE_HOME").map(PathBuf::from).unwrap_or_else(|| home.join(".cache")).join("jixiao/tools")
}

fn binaryen_bin() -> PathBuf {
    tools_dir().join("node_modules/.bin")
}

/// wasm-opt (binaryen) and esbuild from npm, into the tools folder.
fn install_npm_tools() -> Result<()> {
    let binaryen = BINARYEN_NPM.rsplit('@').next().unwrap_or_default().split('.').next().unwrap_or_default();
    let esbuild = ESBUILD_NPM.rsplit('@').next().unwrap_or_default();
    let have_binaryen = capture(Command::new(binaryen_bin().join("wasm-opt")).arg("--version"))
        .is_ok_and(|v| v.contains(&format!("version_{binaryen}")));
    let have_esbuild =
        capture(Command::new(binaryen_bin().join("esbuild")).arg("--version")).is_ok_and(|v| v.trim() == esbuild);
    if have_binaryen && have_esbuild {
        return Ok(());
    }
    std::fs::create_dir_all(tools_dir()).map_err(|e| format!("{}: {e}", tools_dir().display()))?;
    run_command(
        Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(tools_dir())
            .args([BINARYEN_NPM, ESBUILD_NPM]),
    )
}

/// Pagefind from npm, into the tools folder; returns its command.
pub fn install_pagefind() -> Result<PathBuf> {
    let command = binaryen_bin().join("pagefind");
    let version = PAGEFIND_NPM.rsplit('@').next().unwrap_or_default();
    if capture(Command::new(&command).arg("--version")).is_ok_and(|v| v.trim() == format!("pagefind {version}")) {
        return Ok(command);
    }
    if !on_path("npm") {
        apt_install(&["nodejs", "npm"])?;
    }
    std::fs::create_dir_all(tools_dir()).map_err(|e| format!("{}: {e}", tools_dir().display()))?;
    run_command(Command::new("npm").args(["install", "--no-audit", "--no-fund", "--prefix"]).arg(tools_dir()).arg(PAGEFIND_NPM))?;
    Ok(command)
}

/// wasm-bindgen-cli must be exactly the version in Cargo.lock.
fn install_wasm_bindgen() -> Result<()> {
    let wanted = locked_version("wasm-bindgen")?;
    let installed = capture(Command::new(cargo_bin("wasm-bindgen")).arg("--version")).unwrap_or_default();
    if installed.split_whitespace().nth(1) == Some(wanted.as_str()) {
        return Ok(());
    }
    // Not --locked: its lock file names a crate version the registry mirror lacks.
    run_command(Command::new(cargo()).args(["install", "wasm-bindgen-cli", "--version", &wanted]))
}

fn install_trunk() -> Result<()> {
    let installed = capture(Command::new(cargo_bin("trunk")).arg("--version")).unwrap_or_default();
    if installed.split_whitespace().nth(1) == Some(TRUNK_VERSION) {
        return Ok(());
    }
    // --locked: a newer lightningcss/cssparser pair does not compile.
    run_command(Command::new(cargo()).args(["install", "trunk", "--version", TRUNK_VERSION, "--locked"]))
}

/// The version of `package` that Cargo.lock pins.
pub fn locked_version(package: &str) -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let needle = format!("name = \"{package}\"\nversion = \"");
    let start = lock.find(&needle).ok_or_else(|| format!("{package} is not in Cargo.lock"))? + needle.len();
    let end = lock[start..].find('"').ok_or("Cargo.lock is malformed")?;
    Ok(lock[start..start + end].to_string())
}

/// A binary installed by `cargo install` (or rustup's proxies).
pub fn cargo_bin(name: &str) -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo"));
    let installed = home.join("bin").join(name);
    if installed.exists() {
        installed
    } else {
        PathBuf::from(name)
    }
}

fn on_path(name: &str) -> bool {
    Command::new("sh").args(["-c", &format!("command -v {name}")]).output().is_ok_and(|o| o.status.success())
}

/// Runs a command and returns its standard output.
pub fn capture(cmd: &mut Command) -> Result<String> {
    let out = cmd.output().map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!("{cmd:?} failed: {}", String::from_utf8_lossy(&out.stderr).trim()))
    }
}
