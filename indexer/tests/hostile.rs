//! Hostile and broken input (issue 7): each file is built by the real
//! `indexer build`, beside a real document of data/, from a temporary data
//! folder. For each the indexer names the file and line of the problem,
//! keeps every table of the real document, and exits 0 (non-zero with
//! `--strict`).
//!
//! The files are in `indexer/tests/hostile/`, each a project table of a
//! county of its own (so nothing merges with the real document):
//!
//! | file | what is wrong |
//! |---|---|
//! | `empty.txt` | nothing in it |
//! | binary (made here) | two lines of text, then bytes that are no text |
//! | `gbk.txt` | saved in GBK, no BOM |
//! | `truncated.txt` | cut off in the middle of an indicator row |
//! | 5 MB line (made here) | a whole document's cells on one 5 MB line, a table after it |
//! | `script_cell.txt` | `<script>` and `<img onerror>` in the project name and an indicator |
//! | `long_name.txt` | a project name of 2,000 characters |
//! | `amount_grouping.txt` | the amounts read `1,2,3` |
//! | `amount_numerals.txt` | the amounts read `壹佰万` |
//! | `duplicate_ids.txt` | one table printed twice, a third with the same 项目编码 |
//! | zip bomb (made here) | an `.xlsx` whose sheet inflates 1,000 times to 256 MB |
//! | broken workbook (made here) | an `.xlsx` whose sheet XML is cut off |
//! | `formats/encrypted.xlsx` | a workbook protected with a password |
//! | 50 MB page (made here) | an HTML page of 50 MB |
//! | legacy Word (made here) | a `.doc` (an OLE file with a WordDocument stream) |

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Instant;

use serde_json::Value;

use common::{indexer_build, repo, scratch};

/// The real document each hostile file is built beside.
const REAL: &str = "000_2ed6aacce9ed946a.txt";
const REAL_ENTRY: &str = "[[document]]\nfile = \"000_2ed6aacce9ed946a.txt\"\npublisher = \"忻州市医疗保障局\"\nregion = \"山西省忻州市\"\nyear = 2024\n\n";

fn hostile(name: &str) -> Vec<u8> {
    std::fs::read(repo().join("indexer/tests/hostile").join(name)).unwrap()
}

struct Built {
    stderr: String,
    quality: Value,
    records: Vec<Value>,
    out: PathBuf,
    seconds: f64,
}

impl Built {
    fn records_of(&self, file: &str) -> Vec<&Value> {
        self.records.iter().filter(|r| r["sources"].as_array().unwrap().iter().any(|s| s["document"] == file)).collect()
    }

    /// The report names `file:line` with a message containing `words`,
    /// on standard error and in quality.json.
    fn assert_names(&self, file: &str, line: u32, words: &str) {
        let printed = format!("{file}:{line}: ");
        assert!(
            self.stderr.lines().any(|l| l.contains(&printed) && l.contains(words)),
            "no “{printed}… {words}” in the report:\n{}",
            self.stderr
        );
        let problems = self.quality["problems"].as_array().unwrap().iter();
        let warnings = self.quality["documents"].as_array().unwrap().iter().flat_map(|d| d["warnings_detail"].as_array().unwrap());
        let in_json = problems.map(|p| (&p["file"], &p["line"], &p["message"])).chain(warnings.map(|w| (&w["document"], &w["line"], &w["message"])));
        let mut found = false;
        for (f, l, m) in in_json {
            found |= f == file && l.as_u64() == Some(line as u64) && m.as_str().unwrap().contains(words);
        }
        assert!(found, "quality.json lacks {file}:{line} {words}: {:#}", self.quality);
    }
}

/// Builds `files` (name, bytes, sources.toml entry) beside the real
/// document, without and with `--strict`; checks the exit codes and that
/// the real document's tables are all there, as when built alone.
fn build_beside(case: &str, files: &[(&str, Vec<u8>)]) -> Built {
    let root = scratch(&format!("hostile-{case}"));
    let data = root.join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::copy(repo().join("data").join(REAL), data.join(REAL)).unwrap();
    let mut sources = REAL_ENTRY.to_string();
    for (name, bytes) in files {
        std::fs::write(data.join(name), bytes).unwrap();
        sources.push_str(&format!("[[document]]\nfile = \"{name}\"\nyear = 2024\ncontains = \"hostile test input: {case}\"\n\n"));
    }
    std::fs::write(data.join("sources.toml"), sources).unwrap();
    let (built, code) = run_build(&data, &root.join("idx"), false);
    assert_eq!(code, Some(0), "{case}: build without --strict must succeed:\n{}", built.stderr);
    let (strict, code) = run_build(&data, &root.join("idx-strict"), true);
    assert!(code.is_some_and(|c| c != 0), "{case}: --strict must fail:\n{}", strict.stderr);
    assert_keeps_real_document(case, &built);
    built
}

fn run_build(data: &Path, out: &Path, strict: bool) -> (Built, Option<i32>) {
    let started = Instant::now();
    let output = indexer_build(data, out, strict);
    let seconds = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let read_json = |path: PathBuf| -> Value {
        serde_json::from_slice(&std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}\n{stderr}", path.display()))).unwrap()
    };
    let quality = read_json(out.join("quality.json"));
    let records = read_json(out.join("download/jixiao-records.json")).as_array().unwrap().clone();
    (Built { stderr, quality, records, out: out.to_path_buf(), seconds }, output.status.code())
}

/// What the real document gives when built alone.
fn alone() -> &'static Built {
    static ALONE: OnceLock<Built> = OnceLock::new();
    ALONE.get_or_init(|| {
        let root = scratch("hostile-alone");
        let data = root.join("data");
        std::fs::create_dir_all(&data).unwrap();
        std::fs::copy(repo().join("data").join(REAL), data.join(REAL)).unwrap();
        std::fs::write(data.join("sources.toml"), REAL_ENTRY).unwrap();
        let (built, code) = run_build(&data, &root.join("idx"), true);
        assert_eq!(code, Some(0), "the real document alone builds cleanly:\n{}", built.stderr);
        built
    })
}

fn assert_keeps_real_document(case: &str, built: &Built) {
    let ids = |b: &Built| -> BTreeSet<String> { b.records_of(REAL).iter().map(|r| r["id"].as_str().unwrap().to_string()).collect() };
    let expected = ids(alone());
    assert_eq!(expected.len(), 7, "the real document has 7 project tables");
    assert_eq!(ids(built), expected, "{case}: the real document's records changed");
    let report = |b: &Built| -> Value {
        b.quality["documents"].as_array().unwrap().iter().find(|d| d["file"] == REAL).cloned().expect("real document reported")
    };
    let (mine, theirs) = (report(built), report(alone()));
    for field in ["project_tables", "indicators", "warnings"] {
        assert_eq!(mine[field], theirs[field], "{case}: {field} of the real document");
    }
}

fn only<'a>(built: &'a Built, file: &str) -> &'a Value {
    let records = built.records_of(file);
    assert_eq!(records.len(), 1, "{file}: {records:#?}");
    records[0]
}

#[test]
fn empty_file() {
    let built = build_beside("empty", &[("empty.txt", hostile("empty.txt"))]);
    built.assert_names("empty.txt", 1, "文件为空");
}

#[test]
fn binary_file() {
    // Two lines of text, then what a PDF's compressed stream looks like.
    let mut bytes = "项目名称\t城乡医疗救助资金\n第二行\n".as_bytes().to_vec();
    let mut state: u32 = 7;
    for _ in 0..4096 {
        state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        bytes.push((state >> 16) as u8);
    }
    let built = build_beside("binary", &[("scan.txt", bytes)]);
    built.assert_names("scan.txt", 3, "不是文本文件");
    assert!(built.records_of("scan.txt").is_empty());
}

#[test]
fn gbk_file() {
    let built = build_beside("gbk", &[("gbk.txt", hostile("gbk.txt"))]);
    built.assert_names("gbk.txt", 1, "按字节推断为 GB18030");
    assert!(built.stderr.contains("定南县县级预算部门(单位)项目支出绩效目标表"), "the problem shows the line as read");
    let record = only(&built, "gbk.txt");
    assert_eq!(record["name"], "医疗保障经办服务能力提升经费");
    assert_eq!(record["region"]["code"], "360728");
    assert_eq!(record["money"]["total_yuan"], 468_000);
    let report = built.quality["documents"].as_array().unwrap().iter().find(|d| d["file"] == "gbk.txt").unwrap();
    assert_eq!((report["encoding"].as_str(), report["bom"].as_bool()), (Some("GB18030"), Some(false)));
}

#[test]
fn table_cut_off_in_the_middle() {
    let built = build_beside("truncated", &[("truncated.txt", hostile("truncated.txt"))]);
    built.assert_names("truncated.txt", 22, "表格可能被截断");
    let record = only(&built, "truncated.txt");
    assert_eq!(record["name"], "定点医药机构监督检查经费");
    assert_eq!(record["money"]["total_yuan"], 356_000, "what was printed before the cut is kept");
}

#[test]
fn five_megabyte_single_line() {
    // A whole document's cells on one line (line breaks became tabs), as a
    // broken export writes it, then a complete table on lines of its own.
    let real = std::fs::read_to_string(repo().join("data").join(REAL)).unwrap().replace('\n', "\t");
    let mut line = String::new();
    while line.len() < 5 * 1024 * 1024 {
        line.push_str(&real);
    }
    let mut bytes = line.into_bytes();
    bytes.extend(b"\n\n");
    bytes.extend(std::fs::read(repo().join("indexer/tests/adding/005_yudu_2024.txt")).unwrap());
    assert!(bytes.len() > 5 * 1024 * 1024);
    let built = build_beside("long-line", &[("long_line.txt", bytes)]);
    built.assert_names("long_line.txt", 1, "不像表格中的一行");
    assert!(built.seconds < 10.0, "a 5 MB line took {:.1} s", built.seconds);
    let names: Vec<&str> = built.records_of("long_line.txt").iter().map(|r| r["name"].as_str().unwrap()).collect();
    for name in ["城乡居民基本医疗保险县级财政补助资金", "医疗救助县级配套资金"] {
        assert!(names.contains(&name), "the tables after the long line are kept: {names:?}");
    }
}

/// The exact project name of `hostile/script_cell.txt` (the browser test
/// reuses the file).
const SCRIPT_NAME: &str = "医保信息系统运维经费<script>alert(1)</script><img src=x onerror=alert(1)>";

#[test]
fn script_in_cells() {
    let built = build_beside("script", &[("script_cell.txt", hostile("script_cell.txt"))]);
    built.assert_names("script_cell.txt", 5, "可执行的 HTML 代码");
    built.assert_names("script_cell.txt", 19, "可执行的 HTML 代码");
    let record = only(&built, "script_cell.txt");
    assert_eq!(record["name"], SCRIPT_NAME, "kept as literal text");
    let indicator = record["indicators"].as_array().unwrap().iter().find(|i| i["name"].as_str().unwrap().starts_with("运维系统数量")).unwrap();
    assert_eq!(indicator["name"], "运维系统数量<script>alert(1)</script><img src=x onerror=alert(1)>");
    // The static page shows it as text.
    let page = std::fs::read_to_string(built.out.join("pages").join(format!("{}.html", record["id"].as_str().unwrap()))).unwrap();
    assert!(page.contains("医保信息系统运维经费&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"));
    assert!(!page.contains("<script") && !page.contains("<img"), "no markup from data in the page");
}

#[test]
fn name_of_two_thousand_characters() {
    let built = build_beside("long-name", &[("long_name.txt", hostile("long_name.txt"))]);
    built.assert_names("long_name.txt", 5, "项目名称长达 2000 字");
    let record = only(&built, "long_name.txt");
    let name = record["name"].as_str().unwrap();
    assert_eq!(name.chars().count(), 2000, "kept whole");
    assert!(name.starts_with("城乡居民大病保险补充保障资金城乡居民"));
    let id = record["id"].as_str().unwrap();
    let page = std::fs::read_to_string(built.out.join("pages").join(format!("{id}.html"))).unwrap();
    assert!(page.contains(name));
    // Searchable with the app's query engine.
    let output = Command::new(env!("CARGO_BIN_EXE_indexer"))
        .args(["query", "大病保险补充保障", "--json", "--index"])
        .arg(&built.out)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let hits: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(hits.first().map(|h| h["id"].as_str().unwrap()), Some(id), "{hits:#?}");
}

#[test]
fn amount_with_broken_grouping() {
    let built = build_beside("grouping", &[("amount_grouping.txt", hostile("amount_grouping.txt"))]);
    built.assert_names("amount_grouping.txt", 8, "金额“1,2,3”的千位分隔符位置不对");
    let record = only(&built, "amount_grouping.txt");
    assert_eq!(record["money"]["total_yuan"], Value::Null, "1,2,3 is not read as 123");
    assert_eq!(record["money"]["local"], Value::Null);
}

#[test]
fn amount_in_chinese_numerals() {
    let built = build_beside("numerals", &[("amount_numerals.txt", hostile("amount_numerals.txt"))]);
    built.assert_names("amount_numerals.txt", 8, "金额“壹佰万”以中文数字书写，已读作 1000000 元");
    let record = only(&built, "amount_numerals.txt");
    assert_eq!(record["money"]["total_yuan"], 1_000_000);
}

#[test]
fn duplicate_project_ids() {
    let built = build_beside("duplicates", &[("duplicate_ids.txt", hostile("duplicate_ids.txt"))]);
    built.assert_names("duplicate_ids.txt", 29, "与 duplicate_ids.txt:5 的表格同名、同地区、同年度（同一文件中印了两次），两表都保留");
    built.assert_names("duplicate_ids.txt", 53, "项目编码“36073024P000112”与 duplicate_ids.txt:5 的表格");
    let records = built.records_of("duplicate_ids.txt");
    let ids: BTreeSet<&str> = records.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!((records.len(), ids.len()), (3, 3), "every table kept, each with its own id: {ids:?}");
    assert!(ids.contains("360730-2024-912bf484") && ids.contains("360730-2024-912bf484-2"), "{ids:?}");
}

#[test]
fn all_at_once() {
    // Every committed hostile file in one build: the same problems, and the
    // real document still whole.
    let names = [
        "empty.txt",
        "gbk.txt",
        "truncated.txt",
        "script_cell.txt",
        "long_name.txt",
        "amount_grouping.txt",
        "amount_numerals.txt",
        "duplicate_ids.txt",
    ];
    let files: Vec<(&str, Vec<u8>)> = names.iter().map(|n| (*n, hostile(n))).collect();
    let built = build_beside("all", &files);
    built.assert_names("empty.txt", 1, "文件为空");
    built.assert_names("truncated.txt", 22, "表格可能被截断");
    built.assert_names("duplicate_ids.txt", 29, "两表都保留");
    assert!(built.seconds < 30.0);
}

/// A zip package of `entries`, deflated.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut buffer = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut buffer);
    for (name, content) in entries {
        zip.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(content).unwrap();
    }
    zip.finish().unwrap();
    buffer.into_inner()
}

#[test]
fn office_files_that_cannot_be_read() {
    let started = Instant::now();
    let bomb = zip_of(&[("[Content_Types].xml", b"<Types/>"), ("xl/workbook.xml", b"<workbook/>"), ("xl/worksheets/sheet1.xml", &vec![b' '; 256 << 20])]);
    assert!(bomb.len() < 2 << 20, "the bomb is small: {} bytes", bomb.len());
    let broken = zip_of(&[("[Content_Types].xml", b"<Types/>"), ("xl/workbook.xml", b"<workbook><sheets><sheet name=\"A\" r:id=\"rId1\"")]);
    let mut doc = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    doc.extend("WordDocument".encode_utf16().flat_map(u16::to_le_bytes));
    doc.resize(4096, 0);
    let page = {
        let mut page = String::from("<html><body><table>");
        while page.len() < 50 << 20 {
            page.push_str("<tr><td>项目名称</td><td>某某经费</td></tr>\n");
        }
        page.push_str("</table></body></html>");
        page.into_bytes()
    };
    let built = build_beside(
        "office",
        &[
            ("bomb.xlsx", bomb),
            ("broken.xlsx", broken),
            ("locked.xls", hostile_format("encrypted.xlsx")),
            ("legacy.doc", doc),
            ("huge.html", page),
        ],
    );
    built.assert_names("bomb.xlsx", 1, "压缩炸弹");
    built.assert_names("broken.xlsx", 1, "工作簿无法打开");
    built.assert_names("locked.xls", 1, "密码");
    built.assert_names("legacy.doc", 1, "另存为”.docx");
    built.assert_names("huge.html", 1, "超过 20 MB");
    for file in ["bomb.xlsx", "broken.xlsx", "locked.xls", "legacy.doc", "huge.html"] {
        assert!(built.records_of(file).is_empty(), "{file}");
    }
    // Refused before anything is inflated or parsed: seconds, not minutes.
    let seconds = started.elapsed().as_secs_f64();
    println!("five unreadable office files built beside a real one in {seconds:.1} s");
    assert!(seconds < 30.0, "five unreadable office files took {seconds:.1} s");
}

fn hostile_format(name: &str) -> Vec<u8> {
    std::fs::read(repo().join("indexer/tests/formats").join(name)).unwrap()
}
