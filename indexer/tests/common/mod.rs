//! What the indexer's integration tests share: where the repository is, a
//! scratch folder per test, and running the built `indexer build`.

// Each test file is its own crate and uses only some of these.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (the indexer crate's parent folder).
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// A fresh, empty folder for one test, unique to this test process.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("jixiao-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    dir
}

/// Runs `indexer build --data <data> --out <out>`, with `--strict` if asked.
pub fn indexer_build(data: &Path, out: &Path, strict: bool) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_indexer"));
    command.arg("build").arg("--data").arg(data).arg("--out").arg(out);
    if strict {
        command.arg("--strict");
    }
    command.output().expect("indexer runs")
}
