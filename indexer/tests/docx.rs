//! A Word `.docx` is read directly: `tests/docx/000_first_table.docx` holds
//! the first table of `data/000_2ed6aacce9ed946a.txt` as Word stores it
//! (merged cells, a vertical merge; made by `tests/docx/make_docx.py`), and
//! gives the same record as the text printing.

mod common;

use std::path::Path;

use jixiao_core::model::Record;
use jixiao_reader::extract::{self, DocumentReport};
use jixiao_indexer::sources::{self, SourceEntry};

use common::{indexer_build, repo, scratch};

const DOCX: &str = "000_first_table.docx";
const TEXT: &str = "000_2ed6aacce9ed946a.txt";

fn entry(file: &str) -> SourceEntry {
    let registry = std::fs::read_to_string(repo().join("data/sources.toml")).unwrap();
    let start = registry.find(&format!("file = \"{TEXT}\"")).unwrap();
    let described = &registry[start..registry[start..].find("\n\n").map_or(registry.len(), |end| start + end)];
    let mut entry: SourceEntry = toml::from_str(&described.replace(TEXT, file)).unwrap();
    entry.file = file.to_string();
    entry
}

fn extract(dir: &Path, file: &str) -> (Vec<Record>, DocumentReport) {
    let (input, problems) = sources::load_document(dir, &entry(file));
    assert!(problems.is_empty(), "{problems:?}");
    let loaded = input.expect("read");
    extract::extract_grid(&loaded.input, &loaded.grid)
}

/// A record without where it was printed (file and line numbers differ).
fn content(record: &Record) -> serde_json::Value {
    let mut value = serde_json::to_value(record).unwrap();
    value.as_object_mut().unwrap().remove("sources");
    value
}

#[test]
fn docx_table_reads_as_its_text_printing() {
    let (from_word, report) = extract(&repo().join("indexer/tests/docx"), DOCX);
    let (from_text, _) = extract(&repo().join("data"), TEXT);
    assert_eq!(report.layout, "Word tables (.docx)");
    assert_eq!((report.reading.format.as_str(), report.project_tables), ("docx", 1));
    assert_eq!(from_word.len(), 1);
    let (word, text) = (&from_word[0], &from_text[0]);
    assert_eq!(word.name, "待遇保障和医药服务工作经费");
    assert_eq!(word.money.total_yuan, Some(200_000));
    assert_eq!(word.indicators.len(), 7);
    assert!(word.warnings.is_empty(), "{:?}", word.warnings);
    assert_eq!(content(word), content(text));
    // Lines of a .docx are paragraphs and table rows: title, blank, year,
    // blank, then the table from its first row.
    let source = &word.sources[0];
    assert_eq!((source.line, source.line_start, source.line_end), (5, 1, 30));
}

#[test]
fn docx_builds_with_the_indexer() {
    let root = scratch("docx");
    let data = root.join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::copy(repo().join("indexer/tests/docx").join(DOCX), data.join(DOCX)).unwrap();
    std::fs::write(data.join("sources.toml"), "[[document]]\nfile = \"000_first_table.docx\"\nregion = \"山西省忻州市\"\nyear = 2024\n").unwrap();
    let output = indexer_build(&data, &root.join("idx"), true);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("000_first_table.docx  Word tables (.docx): 1 project tables"), "{stderr}");
    assert!(stderr.contains("行号 = 第几个段落或表格行"), "{stderr}");
    let quality: serde_json::Value = serde_json::from_slice(&std::fs::read(root.join("idx/quality.json")).unwrap()).unwrap();
    assert_eq!(quality["documents"][0]["format"], "docx");
}

#[test]
fn a_docx_that_cannot_be_read_is_named_with_its_paragraph() {
    use std::io::Write;
    let mut buffer = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut buffer);
    zip.start_file("word/document.xml", zip::write::SimpleFileOptions::default()).unwrap();
    let xml = r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>一</w:t></w:r></w:p><w:p><w:r><w:t>二</w:r></w:p></w:body></w:document>"#;
    zip.write_all(xml.as_bytes()).unwrap();
    zip.finish().unwrap();
    let refused = sources::read_document("broken.docx", buffer.get_ref()).err().expect("refused");
    let shown = refused.to_string();
    assert!(shown.starts_with("broken.docx:2（第 2 个段落或表格行）: 无法读取：Word 文档的 XML 有误"), "{shown}");
    assert!(shown.ends_with("，已跳过"), "{shown}");
}
