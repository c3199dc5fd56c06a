//! The `indexer` binary end to end: `build` writes the index, `query` finds
//! projects in it with the app's query engine.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde::Deserialize;

use common::repo;

/// One index built by the real binary for all tests in this file.
fn built_index() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let out = std::env::temp_dir().join(format!("jixiao-query-test-{}", std::process::id()));
        let status = Command::new(env!("CARGO_BIN_EXE_indexer"))
            .current_dir(repo())
            .args(["build", "--out"])
            .arg(&out)
            .status()
            .expect("indexer runs");
        assert!(status.success(), "indexer build failed");
        out
    })
}

#[derive(Deserialize, Debug)]
struct Hit {
    id: String,
    name: String,
    region: String,
    year: Option<u16>,
}

fn query(text: &str) -> Vec<Hit> {
    let output = Command::new(env!("CARGO_BIN_EXE_indexer"))
        .current_dir(repo())
        .args(["query", text, "--json", "--index"])
        .arg(built_index())
        .output()
        .expect("indexer runs");
    assert!(output.status.success(), "query {text}: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("query prints JSON")
}

#[test]
fn zhucun_lists_the_three_village_cadre_projects() {
    let hits = query("驻村");
    for (name, region, year) in [("驻村干部补助经费", "忻州市", 2024), ("驻村帮扶干部补助经费", "忻州市", 2024), ("驻村第一书记、干部和工作队经费", "神木市", 2022)] {
        let hit = hits.iter().find(|h| h.name == name).unwrap_or_else(|| panic!("{name} missing from {hits:?}"));
        assert_eq!((hit.region.as_str(), hit.year), (region, Some(year)));
        assert!(!hit.id.is_empty());
    }
    assert!(hits.len() <= 10);
}

#[derive(Deserialize)]
struct PublicQueries {
    queries: Vec<PublicQuery>,
}

#[derive(Deserialize)]
struct PublicQuery {
    q: String,
    must_find: Vec<MustFind>,
}

#[derive(Deserialize)]
struct MustFind {
    name: String,
    region: String,
}

/// Every project `../shared/queries/public.json` lists is in the top 10 of
/// its query; the mean reciprocal rank is printed (`--nocapture`).
#[test]
fn public_queries_find_their_projects() {
    let file: PublicQueries =
        serde_json::from_str(&std::fs::read_to_string(repo().join("tests/fixtures/queries/public.json")).unwrap()).unwrap();
    let mut failures = Vec::new();
    let mut reciprocal_ranks = Vec::new();
    for q in &file.queries {
        let hits = query(&q.q);
        for m in &q.must_find {
            match hits.iter().position(|h| h.name.contains(&m.name) && h.region == m.region) {
                Some(rank) => reciprocal_ranks.push(1.0 / (rank as f64 + 1.0)),
                None => failures.push(format!("{}: {} ({}) not in the top 10", q.q, m.name, m.region)),
            }
        }
    }
    let mrr = reciprocal_ranks.iter().sum::<f64>() / (reciprocal_ranks.len() + failures.len()) as f64;
    println!("public queries: {} projects, mean reciprocal rank {mrr:.3}", reciprocal_ranks.len() + failures.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn bad_queries_never_break() {
    for text in ["", "-", "\"", "\"驻村", "！？。", "😀😀", &"医".repeat(10_000), "-驻村", "a\"b\"c"] {
        let _ = query(text);
    }
}
