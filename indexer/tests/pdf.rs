//! A PDF in `data/` is built by the real `indexer build`: the first table of
//! `data/000` printed to PDF by Chromium (`reader/tests/pdf/000_first_table.pdf`)
//! beside its text printing is one record printed twice, without conflicts,
//! whose PDF printing names its pages; a broken PDF beside them is a
//! problem with its file and line, and everything else is still built.

mod common;

use serde_json::Value;

use common::{indexer_build, repo, scratch};

const TEXT: &str = "000_2ed6aacce9ed946a.txt";

#[test]
fn pdf_builds_beside_its_text_printing() {
    let root = scratch("pdf");
    let data = root.join("data");
    std::fs::create_dir_all(&data).unwrap();
    let pdf = std::fs::read(repo().join("reader/tests/pdf/000_first_table.pdf")).unwrap();
    std::fs::write(data.join("000_first_table.pdf"), &pdf).unwrap();
    std::fs::write(data.join("broken.pdf"), &pdf[..pdf.len() / 4]).unwrap();
    std::fs::copy(repo().join("data").join(TEXT), data.join(TEXT)).unwrap();
    let entry = |file: &str| format!("[[document]]\nfile = \"{file}\"\npublisher = \"忻州市医疗保障局\"\nregion = \"山西省忻州市\"\nyear = 2024\n\n");
    std::fs::write(data.join("sources.toml"), [TEXT, "000_first_table.pdf", "broken.pdf"].map(entry).concat()).unwrap();

    let output = indexer_build(&data, &root.join("idx"), false);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("000_first_table.pdf  PDF pages: 1 project tables"), "{stderr}");
    assert!(stderr.lines().any(|l| l.contains("broken.pdf:1: ") && l.contains("PDF 文件已损坏或不完整")), "{stderr}");

    let read = |path: &str| -> Value { serde_json::from_slice(&std::fs::read(root.join("idx").join(path)).unwrap()).unwrap() };
    let quality = read("quality.json");
    let report = quality["documents"].as_array().unwrap().iter().find(|d| d["file"] == "000_first_table.pdf").unwrap();
    assert_eq!((report["format"].as_str(), report["project_tables"].as_u64()), (Some("pdf"), Some(1)));
    assert!(report["conversions"][0].as_str().unwrap().contains("PDF 共 2 页"), "{report:#}");

    let records = read("download/jixiao-records.json");
    let record = records.as_array().unwrap().iter().find(|r| r["name"] == "待遇保障和医药服务工作经费").unwrap();
    let documents: Vec<&str> = record["sources"].as_array().unwrap().iter().map(|s| s["document"].as_str().unwrap()).collect();
    assert_eq!(documents, [TEXT, "000_first_table.pdf"], "one project, printed twice");
    assert_eq!(record["conflicts"], Value::Array(Vec::new()), "the two printings agree");
    let printed = &record["sources"][1];
    assert_eq!((printed["page"].as_u64(), printed["place"].as_str()), (Some(1), Some("第 1–2 页")));
    assert_eq!(records.as_array().unwrap().iter().filter(|r| r["sources"][0]["document"] == TEXT).count(), 7, "the text document's tables are all there");

    let strict = indexer_build(&data, &root.join("idx-strict"), true);
    assert!(!strict.status.success(), "the broken PDF fails --strict");
}
