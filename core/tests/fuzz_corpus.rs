//! Replays the kept fuzz corpus of the tokenizer and query parser targets
//! (`fuzz/corpus/<target>/`, minimized by `cargo fuzz cmin`) and the inputs
//! that once crashed (`fuzz/regressions/<target>/`) through the same harness
//! functions the cargo-fuzz targets call, on stable: none may panic. The
//! index decoder's inputs without gzip go through the core decoders here
//! too; `indexer/tests/fuzz_corpus.rs` replays the other targets.

use std::path::{Path, PathBuf};

use jixiao_core::fuzz_harness;

fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().join("fuzz");
    let mut out = Vec::new();
    for dir in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(fuzz.join(dir).join(target)) else { continue };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_file() {
                let bytes = std::fs::read(&path).unwrap();
                out.push((path, bytes));
            }
        }
    }
    out.sort();
    out
}

fn replay(target: &str, harness: fn(&[u8]), keep: fn(&[u8]) -> bool) {
    let inputs = inputs(target);
    assert!(!inputs.is_empty(), "no kept inputs for {target} in fuzz/corpus or fuzz/regressions");
    for (path, bytes) in inputs.iter().filter(|(_, b)| keep(b)) {
        if std::panic::catch_unwind(|| harness(bytes)).is_err() {
            panic!("{target} panicked on {}", path.display());
        }
    }
}

#[test]
fn tokenizer_corpus_replays() {
    replay("tokenizer", fuzz_harness::tokenizer, |_| true);
}

#[test]
fn query_parser_corpus_replays() {
    replay("query_parser", fuzz_harness::query_parser, |_| true);
}

#[test]
fn index_decoder_corpus_replays_without_gzip() {
    // Selector bit 0x80 marks gzip input, inflated by the indexer's harness.
    replay("index_decoder", fuzz_harness::index_decoder, |b| b.first().is_some_and(|s| s & 0x80 == 0));
}
