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
struct QueryFile {
    queries: Vec<ExpectedQuery>,
}

#[derive(Deserialize)]
struct ExpectedQuery {
    q: String,
    must_find: Vec<MustFind>,
}

#[derive(Deserialize)]
struct MustFind {
    name: String,
    region: String,
}

/// How a query file's expected projects rank in the top 10 of their queries.
struct Evaluation {
    queries: usize,
    projects: usize,
    found: usize,
    /// Per query, 1 / the rank of its first expected project (0 if none is in the top 10).
    reciprocal_ranks: f64,
    missed: Vec<String>,
    /// Queries that showed no results at all.
    empty: Vec<String>,
}

impl Evaluation {
    fn recall(&self) -> f64 {
        self.found as f64 / self.projects as f64
    }

    /// Mean reciprocal rank, over the queries.
    fn mrr(&self) -> f64 {
        self.reciprocal_ranks / self.queries as f64
    }
}

fn evaluate(fixture: &str) -> Evaluation {
    let path = repo().join("tests/fixtures/queries").join(fixture);
    let file: QueryFile = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut e = Evaluation { queries: file.queries.len(), projects: 0, found: 0, reciprocal_ranks: 0.0, missed: Vec::new(), empty: Vec::new() };
    for q in &file.queries {
        let hits = query(&q.q);
        if hits.is_empty() {
            e.empty.push(q.q.clone());
        }
        let mut first: Option<usize> = None;
        for m in &q.must_find {
            e.projects += 1;
            match hits.iter().position(|h| h.name.contains(&m.name) && h.region == m.region) {
                Some(rank) => {
                    e.found += 1;
                    first = Some(first.map_or(rank, |f| f.min(rank)));
                }
                None => e.missed.push(format!("{}: {} ({}) not in the top 10 of {:?}", q.q, m.name, m.region, hits.iter().map(|h| &h.name).collect::<Vec<_>>())),
            }
        }
        e.reciprocal_ranks += first.map_or(0.0, |rank| 1.0 / (rank as f64 + 1.0));
    }
    println!("{fixture}: {} queries, {} projects, recall@10 {:.3}, mean reciprocal rank {:.3}", file.queries.len(), e.projects, e.recall(), e.mrr());
    e
}

/// Every project `tests/fixtures/queries/public.json` lists is in the top
/// 10 of its query; recall and mean reciprocal rank are printed (`--nocapture`).
#[test]
fn public_queries_find_their_projects() {
    let e = evaluate("public.json");
    assert!(e.missed.is_empty(), "{}", e.missed.join("\n"));
}

/// The queries written as people ask (`natural.json`): recall@10 and mean
/// reciprocal rank above their floors, and no query that should find a
/// project shows nothing.
#[test]
fn natural_queries_find_what_people_mean() {
    let e = evaluate("natural.json");
    assert!(e.empty.is_empty(), "no results for: {}", e.empty.join(", "));
    assert!(e.recall() >= 0.98 && e.mrr() >= 0.9, "recall@10 {:.3} (floor 0.98), MRR {:.3} (floor 0.9):\n{}", e.recall(), e.mrr(), e.missed.join("\n"));
}

#[test]
fn an_exclusion_alone_lists_every_project_but_those_it_names() {
    let hits = query("-驻村");
    assert_eq!(hits.len(), 10, "{hits:?}");
    assert!(hits.iter().all(|h| !h.name.contains("驻村")), "{hits:?}");
}

#[test]
fn bad_queries_never_break() {
    for text in ["", "-", "\"", "\"驻村", "！？。", "😀😀", &"医".repeat(10_000), "-驻村", "a\"b\"c"] {
        let _ = query(text);
    }
}

/// A query naming a place the site does not cover says so, and is read
/// without the place (`广州 医疗救助`, `广州医疗救助`); a covered place
/// (`兴隆`) is matched as ever, with no note.
#[test]
fn a_place_the_site_does_not_cover_is_named() {
    use jixiao_core::search::{Filters, Sort};
    let mut index = jixiao_indexer::query::LocalIndex::open(built_index()).unwrap();
    let mut run = |text: &str| index.search(text, &Filters::default(), Sort::Relevance).unwrap().1;
    for text in ["广州 医疗救助", "广州医疗救助", "廣州 醫療救助"] {
        let found = run(text);
        assert!(found.notes.first().is_some_and(|n| n.contains("本站尚未收录“广州”")), "{text}: {:?}", found.notes);
        assert!(found.hits.len() >= 3 && found.hits.iter().all(|h| h.full), "{text}: the other places' 医疗救助 projects, in full");
    }
    let alone = run("广州");
    assert!(alone.hits.is_empty() && alone.notes.iter().any(|n| n.contains("本站尚未收录“广州”")), "{:?}", alone.notes);
    let covered = run("兴隆 医疗救助");
    assert!(covered.notes.is_empty(), "{:?}", covered.notes);
    assert!(!covered.hits.is_empty());
    // A word that is no place and matches nothing is not called a place.
    assert!(run("量子计算").notes.iter().all(|n| !n.contains("本站尚未收录")));
    // Each word looks in one page of place names, not in all of them.
    for (text, words) in [("广州医疗救助", 1), ("广州 量子计算", 2), ("医疗救助", 0)] {
        let mut fresh = jixiao_indexer::query::LocalIndex::open(built_index()).unwrap();
        fresh.search(text, &Filters::default(), Sort::Relevance).unwrap();
        let pages = fresh.files_read.iter().filter(|f| matches!(f, jixiao_core::index::FileId::Places(_))).count();
        assert!(pages <= words && (pages > 0) == (words > 0), "{text}: {pages} pages of place names read");
    }
}

/// Each facet value's count is the number of results choosing it gives,
/// with other filters set (a facet is counted with every filter but its own).
#[test]
fn facet_counts_are_the_results_choosing_them_gives() {
    use jixiao_core::search::{Facet, Filters, Sort};
    let mut index = jixiao_indexer::query::LocalIndex::open(built_index()).unwrap();
    let mut checked = 0;
    for (q, filters) in [
        ("医疗", Filters::default()),
        ("医疗", Filters { year: Some(2024), ..Default::default() }),
        ("经费", Filters { region: Some("140900".into()), fund: Some(jixiao_core::model::FundSource::Local), ..Default::default() }),
    ] {
        let (_, found) = index.search(q, &filters, Sort::Relevance).unwrap();
        for facet in Facet::ALL {
            for value in found.facets.of(facet) {
                let mut chosen = filters.clone();
                facet.choose(&mut chosen, Some(&value.key));
                let (_, narrowed) = index.search(q, &chosen, Sort::Relevance).unwrap();
                assert_eq!(narrowed.hits.len(), value.count, "{q} {filters:?}: {facet:?} {} ({})", value.label, value.key);
                checked += 1;
            }
        }
    }
    assert!(checked > 20, "only {checked} facet values checked");
}

/// People name the kind of table they want (部门整体) whether or not its
/// title does: every department-wide table comes first for it.
#[test]
fn a_kind_of_table_is_found_by_its_name() {
    let output = Command::new(env!("CARGO_BIN_EXE_indexer")).current_dir(repo()).args(["export", "--format", "json"]).output().expect("indexer runs");
    assert!(output.status.success());
    let records: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).expect("export prints JSON");
    let mut departments: Vec<&str> = records.iter().filter(|r| r["kind"] == "department").filter_map(|r| r["name"].as_str()).collect();
    assert!(departments.len() >= 3, "{departments:?}");
    let hits = query("部门整体");
    let mut first: Vec<&str> = hits.iter().take(departments.len()).map(|h| h.name.as_str()).collect();
    departments.sort();
    first.sort();
    assert_eq!(first, departments, "{hits:?}");
}

/// Words typed together that a name holds apart (`药品耗材集中采购`, the
/// name 药品及耗材集中采购工资经费) match in full: every character stands
/// in the name, only the bigram across the words does not.
#[test]
fn a_name_holding_every_word_of_a_query_matches_it_in_full() {
    use jixiao_core::search::{Filters, Sort};
    let mut index = jixiao_indexer::query::LocalIndex::open(built_index()).unwrap();
    let (_, found) = index.search("药品耗材集中采购", &Filters::default(), Sort::Relevance).unwrap();
    let hit = found.hits.iter().find(|h| index.summary(h.doc).unwrap().name == "药品及耗材集中采购工资经费").expect("the project is found");
    assert!(hit.full, "{hit:?}");
    // A name holding only some of the words is still a partial match.
    let (_, found) = index.search("药品耗材集中采购监督", &Filters::default(), Sort::Relevance).unwrap();
    assert!(found.hits.iter().all(|h| !h.full || index.summary(h.doc).unwrap().name != "药品及耗材集中采购工资经费"));
}
