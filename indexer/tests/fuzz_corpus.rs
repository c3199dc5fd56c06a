//! Replays the kept fuzz corpus (`fuzz/corpus/<target>/`, minimized by
//! `cargo fuzz cmin`) and the inputs that once crashed
//! (`fuzz/regressions/<target>/`) through the same harness functions the
//! cargo-fuzz targets call, on stable: none may panic. All five targets
//! are replayed here (the core's harnesses through the indexer's crate,
//! which depends on it: the index decoder's inputs, with or without gzip,
//! go through the indexer's harness, which hands plain ones to the core's).
//!
//! `seed_corpus` (ignored; `cargo xtask fuzz --seed`) writes the starting
//! corpora from real inputs: the documents of `data/`, the public queries,
//! and the files of an index built from `data/`.

mod built_index;
mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use built_index::built;
use common::repo;
use jixiao_core::fuzz_harness::{self as core_harness, unwrap_body, KINDS, WRAP};
use jixiao_core::index::FileId;
use jixiao_indexer::fuzz_harness::{self, GZIP};

/// Every kept input of a target, with its path.
fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for dir in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(repo().join("fuzz").join(dir).join(target)) else { continue };
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

fn replay(target: &str, harness: fn(&[u8])) {
    let inputs = inputs(target);
    assert!(!inputs.is_empty(), "no kept inputs for {target} in fuzz/corpus or fuzz/regressions");
    for (path, bytes) in &inputs {
        if std::panic::catch_unwind(|| harness(bytes)).is_err() {
            panic!("{target} panicked on {}", path.display());
        }
    }
}

#[test]
fn tokenizer_corpus_replays() {
    replay("tokenizer", core_harness::tokenizer);
}

#[test]
fn query_parser_corpus_replays() {
    replay("query_parser", core_harness::query_parser);
}

#[test]
fn table_parser_corpus_replays() {
    replay("table_parser", fuzz_harness::table_parser);
}

#[test]
fn value_parser_corpus_replays() {
    replay("value_parser", fuzz_harness::value_parser);
}

#[test]
fn index_decoder_corpus_replays() {
    replay("index_decoder", fuzz_harness::index_decoder);
}

/// Writes one seed file named by its content hash.
fn seed(dir: &Path, bytes: &[u8]) {
    let name = jixiao_core::index::bytes::content_hash(bytes);
    std::fs::write(dir.join(name), bytes).unwrap();
}

fn documents() -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(repo().join("data")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            let bytes = std::fs::read(&path).unwrap();
            out.push(jixiao_reader::decode::decode(&bytes).map(|d| d.text().into_owned()).unwrap_or_default());
        }
    }
    out.sort();
    out
}

/// Cuts text at char boundaries to at most `max` bytes.
fn cut(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[test]
#[ignore = "writes the seed corpora; run by `cargo xtask fuzz --seed`"]
fn seed_corpus() {
    let root = std::env::var_os("FUZZ_SEED_DIR").map(PathBuf::from).unwrap_or_else(|| repo().join("fuzz/corpus-work/seed"));
    let dir = |target: &str| {
        let d = root.join(target);
        std::fs::create_dir_all(&d).unwrap();
        d
    };
    let documents = documents();

    // Table parser: each document cut into tables (at lines naming 项目名称
    // or a 绩效目标 title), each at most 16 KB.
    let tables = dir("table_parser");
    for text in &documents {
        let mut piece = String::new();
        for line in text.lines() {
            if (line.contains("项目名称") || line.contains("绩效目标表")) && piece.lines().count() > 3 {
                seed(&tables, cut(&piece, 16 * 1024).as_bytes());
                piece.clear();
            }
            piece.push_str(line);
            piece.push('\n');
        }
        seed(&tables, cut(&piece, 16 * 1024).as_bytes());
    }

    // Value parser and tokenizer: the cells and lines of the documents.
    let cells: BTreeSet<&str> = documents.iter().flat_map(|t| t.lines()).flat_map(|l| l.split('\t')).map(str::trim).filter(|c| !c.is_empty() && c.len() <= 120).collect();
    let values = dir("value_parser");
    for chunk in cells.iter().copied().collect::<Vec<_>>().chunks(8) {
        seed(&values, chunk.join("\n").as_bytes());
    }
    let lines: BTreeSet<&str> = documents.iter().flat_map(|t| t.lines()).filter(|l| !l.trim().is_empty()).collect();
    let tokenizer = dir("tokenizer");
    for line in lines.iter().step_by(4) {
        seed(&tokenizer, cut(line, 4096).as_bytes());
    }

    // Query parser: the public queries, alone and with the synonym groups.
    let queries: serde_json::Value = serde_json::from_slice(&std::fs::read(repo().join("../shared/queries/public.json")).unwrap()).unwrap();
    let synonyms = jixiao_indexer::build::read_synonyms(&repo().join("data")).unwrap();
    let groups: Vec<String> = synonyms.iter().map(|g| g.join("|")).collect();
    let query_dir = dir("query_parser");
    for (i, q) in queries["queries"].as_array().unwrap().iter().enumerate() {
        let q = q["q"].as_str().unwrap();
        seed(&query_dir, q.as_bytes());
        let group = &groups[i % groups.len()];
        seed(&query_dir, format!("{q}\n{group}").as_bytes());
    }
    for extra in ["医保 \"慢特病\" -培训", "-\"驻村", "ＤＩＰ 28,000", "“乡村振兴”"] {
        seed(&query_dir, extra.as_bytes());
    }

    // Index decoder: each file whole (inflated and stored), and its body
    // for the harness to wrap; at most three files of a kind.
    let decoder = dir("index_decoder");
    let index = built();
    let mut per_kind = std::collections::HashMap::new();
    for file in &index.files {
        let kind = match file.id {
            None => 0,
            Some(FileId::Dict(_)) => 1,
            Some(FileId::Postings(_)) => 2,
            Some(FileId::Columns(_)) => 4,
            Some(FileId::Amounts(_)) => 5,
            Some(FileId::Ids(_)) => 6,
            Some(FileId::Overview) => 7,
            Some(FileId::Docs(_)) => 8,
            Some(FileId::Records(_)) => 9,
            Some(FileId::Place(_)) => 10,
            Some(FileId::Places(_)) => 11,
        };
        let seen = per_kind.entry(kind).or_insert(0);
        *seen += 1;
        if *seen > 3 {
            continue;
        }
        let whole = |selector: u8, bytes: &[u8]| [&[selector][..], bytes].concat();
        seed(&decoder, &whole(0, &file.inflated));
        seed(&decoder, &whole(GZIP, &file.stored));
        let body = unwrap_body(kind, &file.inflated).unwrap_or_else(|| panic!("{}: no body", file.name));
        let doc_count = index.manifest.doc_count.to_le_bytes();
        seed(&decoder, &[&[WRAP | kind as u8][..], &doc_count, &body].concat());
        if kind == 2 {
            // The lists inside a chunk, as bare postings lists.
            let blob = jixiao_core::index::postings::chunk_blob(&file.inflated, &index.manifest.build).unwrap();
            seed(&decoder, &[&[WRAP | 3][..], &doc_count, &blob[..blob.len().min(2048)]].concat());
        }
    }
    // Every kind's wrapped body decodes in the harness's envelope.
    for (kind, (name, _)) in KINDS.iter().enumerate() {
        assert!(per_kind.contains_key(&kind) || *name == "postings list", "no {name} file to seed from");
    }
    // The seeds themselves pass the harnesses.
    for (target, harness) in [
        ("table_parser", fuzz_harness::table_parser as fn(&[u8])),
        ("value_parser", fuzz_harness::value_parser),
        ("tokenizer", core_harness::tokenizer),
        ("query_parser", core_harness::query_parser),
        ("index_decoder", fuzz_harness::index_decoder),
    ] {
        for entry in std::fs::read_dir(root.join(target)).unwrap() {
            harness(&std::fs::read(entry.unwrap().path()).unwrap());
        }
    }
}
