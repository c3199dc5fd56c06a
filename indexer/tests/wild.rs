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

use jixiao_indexer::score::{score_all, Check, FileScore};

use common::repo;

/// Projects of the set that must be found (of 51).
const PROJECTS_FOUND: usize = 48;
/// Share of the scored values read right over the set.
const VALUES: f64 = 0.83;
/// Share of every value of the self-evaluations, and of what results add.
const SELF_EVALUATION_VALUES: f64 = 0.75;
const RESULTS: f64 = 0.73;

fn scores() -> Vec<FileScore> {
    score_all(&repo().join("tests/fixtures/wild/expect.json")).expect("wild excerpts read")
}

#[test]
fn wild_documents_give_their_projects() {
    let scores = scores();
    let found: usize = scores.iter().map(|s| s.projects_found).sum();
    let missing: Vec<String> = scores
        .iter()
        .filter(|s| s.projects_found < s.projects)
        .map(|s| format!("{}: {}/{} projects", s.file, s.projects_found, s.projects))
        .collect();
    println!("wild excerpts: {found} projects found");
    assert!(found >= PROJECTS_FOUND, "{found} < {PROJECTS_FOUND} projects found; missing: {missing:#?}");
}

/// The share of `checks` that pass over the set, and the misses listed.
fn share_of<'a, I: Iterator<Item = &'a Check>>(scores: &'a [FileScore], checks: impl Fn(&'a FileScore) -> I) -> (usize, usize, String) {
    let passed = scores.iter().flat_map(&checks).filter(|c| c.ok).count();
    let total = scores.iter().flat_map(&checks).count();
    let misses: Vec<String> = scores
        .iter()
        .flat_map(|s| checks(s).filter(|c| !c.ok).map(move |c| format!("{}: {}: expected {}, got {}", s.file, c.what, c.expected, c.got)))
        .collect();
    (passed, total, misses.join("\n"))
}

/// The self-evaluations give their records with the values checked by
/// hand, over every value of them, and over what results add wherever they
/// are printed (kind, money executed, each indicator's actual, weight and
/// score).
#[test]
fn wild_self_evaluation_values_are_read_right() {
    let scores = scores();
    let self_evaluations = scores.iter().filter(|s| s.self_evaluation).count();
    assert!(self_evaluations >= 20, "the set's {self_evaluations} self-evaluations");
    let (passed, total, misses) = share_of(&scores, |s| s.checks.iter().filter(move |_| s.self_evaluation));
    println!("wild self-evaluations: {passed}/{total} values right");
    assert!(passed as f64 >= total as f64 * SELF_EVALUATION_VALUES, "{passed}/{total} below the floor; misses:\n{misses}");
    let (passed, total, misses) = share_of(&scores, FileScore::evaluated);
    println!("wild results: {passed}/{total} values right");
    assert!(total >= 140, "the set gives {total} results to check");
    assert!(passed as f64 >= total as f64 * RESULTS, "{passed}/{total} below the floor; misses:\n{misses}");
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
    let (_, _, misses) = share_of(&scores, FileScore::scored);
    assert!(share >= VALUES, "{passed}/{total} = {:.1} % below the floor; misses:\n{misses}", 100.0 * share);
}
