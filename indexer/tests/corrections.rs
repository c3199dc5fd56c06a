//! Readings to be checked and corrections by hand, through a real build:
//! data/ with the fixtures of `tests/fixtures/checks/` (a table typed from a
//! scan, and a correction of it), plus corrections that no longer fit. The
//! unsure record is listed first in quality.json with its doubts; the
//! correction applies, is shown as 人工校正 and is in every download; the
//! corrections that no longer fit are problems naming their line in
//! corrections.toml, and change nothing.

mod common;

use std::path::Path;

use serde_json::Value;

use common::{indexer_build, repo, scratch};

const FIXTURE: &str = "c1_yudu_scan_typed.txt";

/// What the build wrote: its report, quality.json and the records.
struct Built {
    stderr: String,
    quality: Value,
    records: Vec<Value>,
    out: std::path::PathBuf,
}

fn build_with(case: &str, extra_corrections: &str) -> Built {
    let root = scratch(&format!("corrections-{case}"));
    let data = root.join("data");
    std::fs::create_dir_all(&data).unwrap();
    for entry in std::fs::read_dir(repo().join("data")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, data.join(path.file_name().unwrap())).unwrap();
    }
    let fixtures = repo().join("tests/fixtures/checks");
    std::fs::copy(fixtures.join(FIXTURE), data.join(FIXTURE)).unwrap();
    let registry = std::fs::read_to_string(data.join("sources.toml")).unwrap() + "\n" + &std::fs::read_to_string(fixtures.join("sources.toml")).unwrap();
    std::fs::write(data.join("sources.toml"), registry).unwrap();
    let corrections = std::fs::read_to_string(fixtures.join("corrections.toml")).unwrap() + extra_corrections;
    std::fs::write(data.join("corrections.toml"), corrections).unwrap();
    let out = root.join("idx");
    let output = indexer_build(&data, &out, false);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    let read = |p: &Path| -> Value { serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap() };
    let quality = read(&out.join("quality.json"));
    let records = read(&out.join("download/jixiao-records.json")).as_array().unwrap().clone();
    Built { stderr, quality, records, out }
}

fn fixture_record(built: &Built) -> &Value {
    built.records.iter().find(|r| r["sources"][0]["document"] == FIXTURE).expect("the fixture's record")
}

/// Corrections that no longer fit: another document's content, a value
/// no longer read so, a file that is not registered.
const STALE: &str = r#"
[[correction]]
document = "000_2ed6aacce9ed946a.txt"
sha256 = "0000000000000000000000000000000000000000000000000000000000000000"
line = 7
field = "total_yuan"
read = "200000"
value = "210000"
by = "测试"
note = "文件已改"

[[correction]]
document = "c1_yudu_scan_typed.txt"
sha256 = "106ed0e252675be0a75deeeac4c7842ab902a5965749f2f132ad4e448873893d"
line = 3
field = "total_yuan"
read = "500000"
value = "700000"
by = "测试"
note = "读出的不是这个数"

[[correction]]
document = "999_not_registered.txt"
sha256 = "106ed0e252675be0a75deeeac4c7842ab902a5965749f2f132ad4e448873893d"
line = 3
field = "name"
read = "甲"
value = "乙"
by = "测试"
note = "没有这个文件"
"#;

#[test]
fn an_unsure_reading_is_listed_first_with_its_doubts() {
    let built = build_with("unsure", "");
    let to_check = built.quality["records_to_check"].as_array().unwrap();
    let first = &to_check[0];
    let record = fixture_record(&built);
    assert_eq!(first["id"], record["id"], "the least sure record first: {to_check:#?}");
    assert!(first["confidence"].as_u64().unwrap() < 80, "{first}");
    assert!(first["printed"].as_str().unwrap().starts_with(&format!("{FIXTURE}:3")), "{first}");
    let doubts: Vec<&str> = first["doubts"].as_array().unwrap().iter().map(|d| d["message"].as_str().unwrap()).collect();
    assert!(doubts.iter().any(|d| d.contains("500000 元") && d.contains("600000 元")), "sources that do not add up: {doubts:?}");
    assert!(doubts.iter().any(|d| d.contains("未读到指标值")), "a blank target: {doubts:?}");
    let scores: Vec<u64> = to_check.iter().map(|c| c["confidence"].as_u64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] <= w[1]), "least sure first: {scores:?}");
    assert!(built.stderr.contains(&format!("check: {FIXTURE}:3: 城乡居民医保经办服务经费")), "{}", built.stderr);
    // The records download and CSV carry the confidence.
    assert_eq!(record["confidence"]["score"], first["confidence"]);
    let csv = std::fs::read_to_string(built.out.join("download/jixiao-records.csv")).unwrap();
    let row = csv.lines().find(|l| l.contains("城乡居民医保经办服务经费")).unwrap();
    assert!(row.contains(&format!(",{},", first["confidence"])) && row.contains("不符"), "{row}");
    // The static page says 需核对, with the reasons.
    let page = std::fs::read_to_string(built.out.join(format!("pages/{}.html", record["id"].as_str().unwrap()))).unwrap();
    assert!(page.contains("<h2>需核对</h2>") && page.contains("未读到指标值"), "{page}");
}

#[test]
fn a_correction_applies_is_shown_and_exported() {
    let built = build_with("applied", "");
    let record = fixture_record(&built);
    let satisfaction = record["indicators"].as_array().unwrap().iter().find(|i| i["name"] == "参保群众满意度").unwrap();
    assert_eq!(satisfaction["value"], "≥90%");
    assert_eq!(satisfaction["parsed"]["comparator"], "≥");
    let correction = &record["corrections"][0];
    assert_eq!((correction["field"].as_str(), correction["read"].as_str(), correction["value"].as_str()), (Some("indicator.value"), Some("290%"), Some("≥90%")));
    assert_eq!(correction["by"], "李明（于都县医保局）");
    let doubts: Vec<&str> = record["confidence"]["doubts"].as_array().unwrap().iter().map(|d| d["field"].as_str().unwrap()).collect();
    assert!(!doubts.contains(&"indicator:参保群众满意度"), "a corrected value is no doubt: {doubts:?}");
    assert!(doubts.contains(&"total_yuan"), "what was not corrected still is: {doubts:?}");
    let page = std::fs::read_to_string(built.out.join(format!("pages/{}.html", record["id"].as_str().unwrap()))).unwrap();
    assert!(page.contains("<h2>人工校正</h2>") && page.contains("扫描录入时") && page.contains("李明（于都县医保局）"), "{page}");
    let csv = std::fs::read_to_string(built.out.join("download/jixiao-records.csv")).unwrap();
    assert!(csv.lines().any(|l| l.contains("indicator.value：290% → ≥90%（李明（于都县医保局）")), "the CSV carries it");
    let db = rusqlite::Connection::open(built.out.join("download/jixiao.sqlite")).unwrap();
    let (field, value, by): (String, String, String) =
        db.query_row("SELECT field, value, by FROM corrections WHERE record_id = ?1", [record["id"].as_str().unwrap()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap();
    assert_eq!((field.as_str(), value.as_str(), by.as_str()), ("indicator.value", "≥90%", "李明（于都县医保局）"));
    let doubts: i64 = db.query_row("SELECT count(*) FROM doubts WHERE record_id = ?1", [record["id"].as_str().unwrap()], |r| r.get(0)).unwrap();
    assert!(doubts >= 2, "the doubts left are in the database");
}

#[test]
fn corrections_that_no_longer_fit_are_problems_and_change_nothing() {
    let built = build_with("stale", STALE);
    let problems: Vec<(u64, &str)> = built.quality["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["file"] == "corrections.toml")
        .map(|p| (p["line"].as_u64().unwrap(), p["message"].as_str().unwrap()))
        .collect();
    // The fixture's correction is 11 lines; the stale ones follow it.
    let lines: Vec<u64> = problems.iter().map(|(l, _)| *l).collect();
    assert_eq!(lines.len(), 3, "{problems:#?}");
    assert!(problems.iter().any(|(_, m)| m.contains("000_2ed6aacce9ed946a.txt:7") && m.contains("文件内容已改变") && m.contains("未采用此校正")), "{problems:#?}");
    assert!(problems.iter().any(|(_, m)| m.contains("现在读作“600000”")), "{problems:#?}");
    assert!(problems.iter().any(|(_, m)| m.contains("999_not_registered.txt") && m.contains("不是 sources.toml 登记的文件")), "{problems:#?}");
    let text = std::fs::read_to_string(repo().join("tests/fixtures/checks/corrections.toml")).unwrap() + STALE;
    let headers: Vec<u64> = text.lines().enumerate().filter(|(_, l)| l.trim() == "[[correction]]").map(|(i, _)| i as u64 + 1).skip(1).collect();
    let mut sorted = lines.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, headers, "each problem names its entry's line");
    for (line, _) in &problems {
        assert!(built.stderr.contains(&format!("problem: corrections.toml:{line}: ")), "{}", built.stderr);
    }
    // Nothing of them applied.
    let xinzhou = built
        .records
        .iter()
        .find(|r| r["sources"].as_array().unwrap().iter().any(|s| s["document"] == "000_2ed6aacce9ed946a.txt" && s["line"] == 7))
        .expect("000:7 is read");
    assert_eq!(xinzhou["money"]["total_yuan"], 200000);
    assert_eq!(fixture_record(&built)["money"]["total_yuan"], 600000);
    assert_eq!(fixture_record(&built)["corrections"].as_array().unwrap().len(), 1, "only the fitting correction");
}
