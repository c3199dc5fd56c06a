//! Text in any of the accepted encodings and line ends reads the same, and
//! the report says how each file was read. `tests/encodings/` holds
//! `tests/adding/005_yudu_2024.txt` (UTF-8, LF) saved as UTF-16LE with BOM
//! and CRLF, as GBK without BOM with CRLF, and as UTF-8 with BOM and CR.

mod common;

use jixiao_reader::decode::Reading;
use jixiao_reader::extract;
use jixiao_indexer::sources::{self, Problem, SourceEntry};

use common::{indexer_build, repo, scratch};

fn entry(file: &str) -> SourceEntry {
    toml::from_str(&format!("file = \"{file}\"\npublisher = \"于都县医疗保障局\"\nregion = \"江西省赣州市于都县\"\nyear = 2024")).unwrap()
}

fn read(dir: &str, file: &str) -> (String, Reading, Vec<Problem>, Vec<jixiao_core::model::Record>) {
    let (input, problems) = sources::load_document(&repo().join(dir), &entry(file));
    let loaded = input.expect("read");
    let (records, report) = extract::extract_grid(&loaded.input, &loaded.grid);
    let text = match &loaded.input.content {
        jixiao_reader::decode::Content::Text { text, .. } => text.clone(),
        other => panic!("{file} read as {other:?}"),
    };
    (text, report.reading, problems, records)
}

#[test]
fn every_encoding_reads_the_same_and_says_how() {
    let (text, reading, problems, records) = read("indexer/tests/adding", "005_yudu_2024.txt");
    assert!(problems.is_empty());
    assert_eq!((reading.encoding.as_str(), reading.bom, reading.line_ends.as_str()), ("UTF-8", false, "LF"));
    assert!(reading.conversions.is_empty(), "read as is");
    assert_eq!(records.len(), 2);
    let json = |r: &[jixiao_core::model::Record]| serde_json::to_value(r).unwrap();
    for (file, encoding, bom, line_ends, conversions, guessed) in [
        ("utf16le_bom.txt", "UTF-16LE", true, "CRLF", 3, false),
        ("gbk_crlf.txt", "GB18030", false, "CRLF", 2, true),
        ("utf8_bom_cr.txt", "UTF-8", true, "CR", 2, false),
    ] {
        let (their_text, their_reading, their_problems, their_records) = read("indexer/tests/encodings", file);
        assert_eq!(their_text, text, "{file}: the same text once decoded");
        assert_eq!(json(&their_records).to_string().replace(file, "005_yudu_2024.txt"), json(&records).to_string(), "{file}");
        assert_eq!(
            (their_reading.encoding.as_str(), their_reading.bom, their_reading.line_ends.as_str(), their_reading.conversions.len()),
            (encoding, bom, line_ends, conversions),
            "{file}: {their_reading:?}"
        );
        // Only a guessed encoding is a problem: it names the first line of
        // Chinese text and shows how it was read.
        match guessed {
            true => {
                assert_eq!(their_problems.len(), 1, "{their_problems:?}");
                let shown = their_problems[0].to_string();
                assert!(shown.starts_with("gbk_crlf.txt:2: 文件没有标明编码（无 BOM），按字节推断为 GB18030"), "{shown}");
                assert!(shown.contains("“于都县医疗保障局2024年项目支出绩效目标表”"), "{shown}");
            }
            false => assert!(their_problems.is_empty(), "{file}: {their_problems:?}"),
        }
    }
}

#[test]
fn the_report_and_quality_json_say_how_each_file_was_read() {
    let root = scratch("encodings");
    let data = root.join("data");
    std::fs::create_dir_all(&data).unwrap();
    let mut sources = String::new();
    for file in ["utf16le_bom.txt", "utf8_bom_cr.txt"] {
        std::fs::copy(repo().join("indexer/tests/encodings").join(file), data.join(file)).unwrap();
        sources.push_str(&format!("[[document]]\nfile = \"{file}\"\nregion = \"江西省赣州市于都县\"\nyear = 2024\n\n"));
    }
    std::fs::write(data.join("sources.toml"), sources).unwrap();
    let output = indexer_build(&data, &root.join("idx"), true);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // Converted but certain (BOM): reported, not a problem.
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("utf16le_bom.txt  tab-separated rows: 2 project tables"), "{stderr}");
    assert!(stderr.contains("[UTF-16LE，有 BOM，CRLF→LF]"), "{stderr}");
    assert!(stderr.contains("[UTF-8，有 BOM，CR→LF]"), "{stderr}");
    let quality: serde_json::Value = serde_json::from_slice(&std::fs::read(root.join("idx/quality.json")).unwrap()).unwrap();
    let document = &quality["documents"][0];
    assert_eq!((document["encoding"].as_str(), document["bom"].as_bool(), document["line_ends"].as_str()), (Some("UTF-16LE"), Some(true), Some("CRLF")));
    assert_eq!(
        document["conversions"],
        serde_json::json!(["去掉了字节顺序标记（BOM）", "按 BOM 以 UTF-16LE 解码，转换为 UTF-8", "换行符 CRLF 统一为 LF"])
    );
}
