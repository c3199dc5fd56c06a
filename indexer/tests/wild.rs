//! Real tables of other places, in the forms the web keeps them
//! (`tests/fixtures/wild/`: pipe and markdown rows, one cell per line,
//! space-separated cells, text run together, traditional characters with
//! pinyin glosses …), each read as a new user would add it, with nothing
//! declared about it. Every document must give its projects, and the
//! values a person checked by hand (`expect.json`: name, region code, year,
//! total, department, project code, each indicator with its target) must
//! come out right: at least 95 % of them over the set, and no document far
//! behind. `cargo run -p jixiao-indexer -- score --verbose` lists every
//! miss.

mod common;

use jixiao_indexer::score::{score_all, FileScore};

use common::repo;

fn scores() -> Vec<FileScore> {
    score_all(&repo().join("tests/fixtures/wild/expect.json")).expect("wild excerpts read")
}

#[test]
fn every_wild_document_gives_its_projects() {
    let missing: Vec<String> = scores()
        .iter()
        .filter(|s| s.projects_found < s.projects)
        .map(|s| format!("{}: {}/{} projects", s.file, s.projects_found, s.projects))
        .collect();
    assert!(missing.is_empty(), "{missing:#?}");
}

#[test]
fn wild_values_are_read_right() {
    let scores = scores();
    let passed: usize = scores.iter().map(FileScore::passed).sum();
    let total: usize = scores.iter().map(|s| s.scored().count()).sum();
    let share = passed as f64 / total as f64;
    println!(
        "wild excerpts: {passed}/{total} values right ({:.1} %)",
        100.0 * share
    );
    let behind: Vec<String> = scores
        .iter()
        .filter(|s| (s.passed() as f64) < 0.6 * s.scored().count() as f64)
        .map(|s| format!("{}: {}/{}", s.file, s.passed(), s.scored().count()))
        .collect();
    assert!(behind.is_empty(), "documents far behind: {behind:#?}");
    let misses: Vec<String> = scores
        .iter()
        .flat_map(|s| {
            s.scored().filter(|c| !c.ok).map(|c| {
                format!(
                    "{}: {}: expected {}, got {}",
                    s.file, c.what, c.expected, c.got
                )
            })
        })
        .collect();
    assert!(
        share >= 0.95,
        "{passed}/{total} = {:.1} % < 95 %; misses:\n{}",
        100.0 * share,
        misses.join("\n")
    );
}
