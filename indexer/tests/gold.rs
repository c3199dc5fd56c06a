//! Extraction checked field by field against the hand-checked annotations
//! in `tests/fixtures/gold/` (schema: `tests/fixtures/gold/SCHEMA.md`),
//! running the real pipeline on the real documents in `data/`.

mod common;

use std::path::PathBuf;
use std::sync::OnceLock;

use jixiao_core::model::{Kind, Record};
use serde::Deserialize;

use common::repo;

fn records() -> &'static Vec<Record> {
    static RECORDS: OnceLock<Vec<Record>> = OnceLock::new();
    RECORDS.get_or_init(|| jixiao_indexer::extract_data(&repo().join("data")).expect("data/ extracts").records)
}

#[derive(Deserialize)]
struct GoldFile {
    source: String,
    tables: Vec<GoldTable>,
}

#[derive(Deserialize)]
struct GoldTable {
    kind: String,
    line: u32,
    name: String,
    year: u16,
    province: String,
    city: String,
    county: Option<String>,
    region_code: String,
    department_raw: Option<String>,
    department: String,
    department_code: Option<String>,
    implementing_unit: Option<String>,
    project_code: Option<String>,
    unit_in_doc: String,
    total_yuan: Option<i64>,
    period_total_yuan: Option<i64>,
    funds_yuan: GoldFunds,
    indicators: Vec<GoldIndicator>,
    same_as: Option<String>,
    notes: String,
}

#[derive(Deserialize)]
struct GoldFunds {
    central: Option<i64>,
    provincial: Option<i64>,
    local: Option<i64>,
    self_raised: Option<i64>,
    other: Option<i64>,
    fiscal_unspecified: Option<i64>,
}

#[derive(Deserialize, Debug)]
struct GoldIndicator {
    level1: Option<String>,
    level2: Option<String>,
    name: String,
    value: Option<String>,
    annual_value: Option<String>,
}

fn gold_files() -> Vec<GoldFile> {
    let dir = repo().join("tests/fixtures/gold");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("gold folder")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no gold files in {}", dir.display());
    files.iter().map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()).collect()
}

/// The record printed at a document line (the table's 项目名称 row, or for a
/// department table its title, which may be a title row above the anchor).
fn record_at<'a>(records: &'a [Record], document: &str, line: u32) -> Option<&'a Record> {
    records
        .iter()
        .find(|r| r.sources.iter().any(|s| s.document == document && s.line_start <= line && line <= s.line))
}

/// The gold's whitespace is not consistent (`≥ 12 次` but `≥6人`, as printed
/// or not); indicator texts are compared without it.
fn squeeze(s: &Option<String>) -> Option<String> {
    s.as_ref().map(|s| s.chars().filter(|c| !c.is_whitespace()).collect())
}

#[test]
fn every_gold_field_matches() {
    let records = records();
    let mut failures = Vec::new();
    let mut checked = 0;
    for gold in gold_files() {
        for t in &gold.tables {
            let at = format!("{}:{} {}", gold.source, t.line, t.name);
            let Some(r) = record_at(records, &gold.source, t.line) else {
                failures.push(format!("{at}: no record"));
                continue;
            };
            let mut mismatches = Vec::new();
            let mut check = |field: &str, expected: String, got: String| {
                if expected != got {
                    mismatches.push(format!("{at}: {field}: expected {expected}, got {got}"));
                }
            };
            let primary = r.sources[0].document == gold.source;
            check("kind", t.kind.clone(), match r.kind {
                Kind::Project => "project".into(),
                Kind::Department => "department".into(),
                Kind::Evaluation => "evaluation".into(),
            });
            check("year", format!("{:?}", Some(t.year)), format!("{:?}", r.year));
            check("province", t.province.clone(), r.region.province.clone().unwrap_or_default());
            check("city", t.city.clone(), r.region.city.clone().unwrap_or_default());
            check("county", format!("{:?}", t.county), format!("{:?}", r.region.county));
            check("region_code", t.region_code.clone(), r.region.code.clone().unwrap_or_default());
            if primary {
                check("name", t.name.clone(), r.name.clone());
                check("department_raw", format!("{:?}", t.department_raw), format!("{:?}", r.department_raw));
                check("department", t.department.clone(), r.department.clone().unwrap_or_default());
                check("department_code", format!("{:?}", t.department_code), format!("{:?}", r.department_code));
                check("implementing_unit", format!("{:?}", t.implementing_unit), format!("{:?}", r.implementing_unit));
                check("project_code", format!("{:?}", t.project_code), format!("{:?}", r.project_code));
                check("unit_in_doc", t.unit_in_doc.clone(), r.money.unit_in_doc.clone().unwrap_or_default());
                check("total_yuan", format!("{:?}", t.total_yuan), format!("{:?}", r.money.total_yuan));
                check("period_total_yuan", format!("{:?}", t.period_total_yuan), format!("{:?}", r.money.period_total_yuan));
                let f = &t.funds_yuan;
                let m = &r.money;
                for (name, gold, ours) in [
                    ("central", f.central, m.central),
                    ("provincial", f.provincial, m.provincial),
                    ("local", f.local, m.local),
                    ("self_raised", f.self_raised, m.self_raised),
                    ("other", f.other, m.other),
                    ("fiscal_unspecified", f.fiscal_unspecified, m.fiscal_unspecified),
                ] {
                    check(name, format!("{gold:?}"), format!("{ours:?}"));
                }
                // Department-wide entries whose indicators the gold leaves
                // unannotated (see its notes) are not compared.
                let unannotated = t.kind == "department" && t.indicators.is_empty() && t.notes.contains("not annotated");
                if !unannotated {
                    let expected: Vec<_> = t
                        .indicators
                        .iter()
                        .map(|i| (i.level1.clone(), i.level2.clone(), squeeze(&Some(i.name.clone())), squeeze(&i.value), squeeze(&i.annual_value)))
                        .collect();
                    let got: Vec<_> = r
                        .indicators
                        .iter()
                        .map(|i| (i.level1.clone(), i.level2.clone(), squeeze(&Some(i.name.clone())), squeeze(&i.value), squeeze(&i.annual_value)))
                        .collect();
                    if expected != got {
                        check("indicators", format!("{expected:?}"), format!("{got:?}"));
                    }
                }
            }
            if let Some(same_as) = &t.same_as {
                let (doc, line) = same_as.split_once(':').expect("same_as is file:line");
                let line: u32 = line.parse().expect("same_as line");
                let twin = record_at(records, doc, line).map(|r| r.id.clone());
                check("same_as", format!("{:?}", Some(&r.id)), format!("{twin:?}"));
            }
            failures.extend(mismatches);
            checked += 1;
        }
    }
    assert!(checked >= 22, "only {checked} gold tables checked");
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn every_table_is_found_and_printings_merge() {
    let records = records();
    let projects: Vec<&Record> = records.iter().filter(|r| r.kind == Kind::Project).collect();
    let departments = records.iter().filter(|r| r.kind == Kind::Department).count();
    let printed_project_tables: usize = projects.iter().map(|r| r.sources.len()).sum();
    assert_eq!(printed_project_tables, 47, "project tables found");
    assert_eq!(projects.len(), 40, "distinct projects");
    assert_eq!(departments, 3, "department-wide entries");
    let merged: Vec<&&Record> = projects.iter().filter(|r| r.sources.len() == 2).collect();
    assert_eq!(merged.len(), 7, "projects printed twice");
    for r in merged {
        let documents: Vec<&str> = r.sources.iter().map(|s| s.document.as_str()).collect();
        assert_eq!(documents, ["000_2ed6aacce9ed946a.txt", "001_f70456660833eacc.txt"], "{}", r.name);
        // A printing under another name keeps the id it would have had, so links to it still work.
        let renamed = r.conflicts.iter().any(|c| c.field == "name");
        assert_eq!(r.alias_ids.len(), usize::from(renamed), "{}: {:?}", r.name, r.alias_ids);
    }
}

#[test]
fn no_table_is_unaccounted_for() {
    let extraction = jixiao_indexer::extract_data(&repo().join("data")).unwrap();
    assert_eq!(extraction.reports.len(), 5);
    for report in &extraction.reports {
        assert!(report.unaccounted_lines.is_empty(), "{}: {:?}", report.file, report.unaccounted_lines);
    }
    assert!(extraction.problems.is_empty(), "{:?}", extraction.problems);
}

#[test]
fn every_record_links_to_its_source_lines() {
    let data = repo().join("data");
    for r in records() {
        assert!(!r.id.is_empty());
        for s in &r.sources {
            let text = std::fs::read_to_string(data.join(&s.document)).unwrap();
            let lines: Vec<&str> = text.lines().collect();
            assert!(s.line_start <= s.line && s.line <= s.line_end && (s.line_end as usize) <= lines.len(), "{}: {s:?}", r.name);
            assert_eq!(s.raw_text, lines[s.line_start as usize - 1..s.line_end as usize].join("\n"), "{}", r.name);
        }
    }
}

#[test]
fn ids_are_unique_and_stable() {
    let records = records();
    let mut ids: Vec<&str> = records.iter().map(|r| r.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), records.len());
    // The same input gives the same ids.
    let again = jixiao_indexer::extract_data(&repo().join("data")).unwrap().records;
    assert_eq!(again.iter().map(|r| &r.id).collect::<Vec<_>>(), records.iter().map(|r| &r.id).collect::<Vec<_>>());
}
