//! Corrections by the people who run the site: `data/corrections.toml`.
//!
//! ```toml
//! [[correction]]
//! document = "005_yudu_2024.txt"   # the file in data/
//! sha256 = "9f2c…"                 # its content when the correction was written
//! line = 7                         # the table's line (its 项目名称 row; `indexer inspect` prints it)
//! field = "total_yuan"             # what is corrected (below)
//! read = "2"                       # what the reader read there (checked on every build)
//! value = "23800"                  # what it is
//! by = "李明（县医保局）"
//! note = "原表单位为元，表头误印万元"
//! ```
//!
//! `field` is a record's field (`name`, `year`, `department`,
//! `implementing_unit`, `project_code`, `total_yuan`, `period_total_yuan`,
//! `central`, `provincial`, `local`, `self_raised`, `other`,
//! `fiscal_unspecified`, amounts in yuan), an indicator's (`indicator.value`,
//! `indicator.actual`, `indicator.name`, with `indicator` naming it as
//! read), a new indicator (`indicator.add`: `value` is its target, with
//! `indicator`, `level1`, `level2` for its name and categories), or
//! `table` with `value = "不是绩效目标表"` to drop what is no table.
//!
//! A correction applies to the printing it names only while that printing
//! is what it was: a changed document (another hash), a table no longer at
//! that line, or a value no longer read as `read` is a reported problem and
//! the correction is not applied. An applied one is kept on the record
//! (shown as 人工校正 with who and why, and in every download).

use std::path::Path;

use jixiao_core::model::{Correction, Indicator, Record};
use serde::Deserialize;

use crate::sources::Problem;

pub const FILE: &str = "corrections.toml";

/// What `table` corrections say of a printing that is no table.
pub const NOT_A_TABLE: &str = "不是绩效目标表";

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub document: String,
    pub sha256: String,
    pub line: u32,
    pub field: String,
    #[serde(default)]
    pub indicator: Option<String>,
    #[serde(default)]
    pub level1: Option<String>,
    #[serde(default)]
    pub level2: Option<String>,
    #[serde(default)]
    pub read: Option<String>,
    #[serde(default)]
    pub value: Option<String>,
    pub by: String,
    pub note: String,
    /// The entry's line in corrections.toml, for problems.
    #[serde(skip)]
    pub at: u32,
}

#[derive(Deserialize)]
struct File {
    #[serde(default)]
    correction: Vec<Entry>,
}

/// The corrections of a data folder (none when it has no corrections.toml).
pub fn read(data_dir: &Path) -> Result<Vec<Entry>, Problem> {
    let path = data_dir.join(FILE);
    let Ok(text) = std::fs::read_to_string(&path) else { return Ok(Vec::new()) };
    let problem = |line: Option<u32>, message: String| Problem { file: FILE.into(), line, message };
    let file: File = toml::from_str(&text).map_err(|e| {
        let line = e.span().map(|s| text[..s.start].matches('\n').count() as u32 + 1);
        problem(line, format!("无法读取校正文件：{}", e.message()))
    })?;
    // Each entry's line: the n-th `[[correction]]` header.
    let headers: Vec<u32> = text.lines().enumerate().filter(|(_, l)| l.trim() == "[[correction]]").map(|(i, _)| i as u32 + 1).collect();
    Ok(file.correction.into_iter().enumerate().map(|(n, e)| Entry { at: headers.get(n).copied().unwrap_or(1), ..e }).collect())
}

/// SHA-256 of a document's bytes, in hex: what a correction is keyed by.
pub fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Applies the corrections of one document to its records (unmerged, as
/// read), given the document's hash. Returns the problems of those that
/// cannot apply; a table marked as no table is removed.
pub fn apply(entries: &[Entry], document: &str, hash: &str, records: &mut Vec<Record>) -> Vec<Problem> {
    let mut problems = Vec::new();
    let problem = |e: &Entry, message: String| Problem { file: FILE.into(), line: Some(e.at), message: format!("{}:{}：{message}，未采用此校正", e.document, e.line) };
    let mut dropped = Vec::new();
    for e in entries.iter().filter(|e| e.document == document) {
        if !e.sha256.eq_ignore_ascii_case(hash) {
            problems.push(problem(e, format!("文件内容已改变（校正时为 {}，现为 {hash}）", short(&e.sha256))));
            continue;
        }
        // The table's 项目名称 line, or its first line.
        let Some(i) = records.iter().position(|r| r.sources.first().is_some_and(|s| s.line == e.line || s.line_start == e.line)) else {
            problems.push(problem(e, "此行没有读到表格".into()));
            continue;
        };
        match correct(&mut records[i], e) {
            Ok(true) => dropped.push(i),
            Ok(false) => {}
            Err(message) => problems.push(problem(e, message)),
        }
    }
    dropped.sort_unstable();
    dropped.dedup();
    for i in dropped.into_iter().rev() {
        records.remove(i);
    }
    problems
}

fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

/// One correction on one record; `Ok(true)`: the record is no table.
fn correct(r: &mut Record, e: &Entry) -> Result<bool, String> {
    if e.field == "table" {
        return match e.value.as_deref() == Some(NOT_A_TABLE) {
            true => Ok(true),
            false => Err(format!("field = \"table\" 只能写 value = \"{NOT_A_TABLE}\"")),
        };
    }
    let read = match e.field.as_str() {
        "indicator.add" => add_indicator(r, e)?,
        field if field.starts_with("indicator.") => correct_indicator(r, e)?,
        field => {
            let read = text_of(r, field).ok_or_else(|| format!("不认识的字段“{field}”"))?;
            check_read(read.as_deref(), e)?;
            set(r, field, e.value.as_deref())?;
            read
        }
    };
    r.corrections.push(Correction { field: e.field.clone(), read, value: e.value.clone(), note: e.note.clone(), by: e.by.clone() });
    // A value corrected by hand is no doubt of the reading any more.
    let doubted = match e.field.split_once('.') {
        Some(("indicator", _)) => format!("indicator:{}", e.indicator.as_deref().unwrap_or("")),
        _ => e.field.clone(),
    };
    let doubts = std::mem::take(&mut r.confidence.doubts)
        .into_iter()
        .filter(|d| d.field != doubted && !(e.field == "indicator.add" && d.field == "indicators"))
        .collect();
    r.confidence = jixiao_reader::extract::confidence::finish(doubts, r.warnings.len());
    Ok(false)
}

/// The value is still what the correction says was read.
fn check_read(now: Option<&str>, e: &Entry) -> Result<(), String> {
    match now.map(squeeze) == e.read.as_deref().map(squeeze) {
        true => Ok(()),
        false => Err(format!("此处现在读作“{}”，不是校正时的“{}”", now.unwrap_or("（空）"), e.read.as_deref().unwrap_or("（空）"))),
    }
}

fn add_indicator(r: &mut Record, e: &Entry) -> Result<Option<String>, String> {
    let name = e.indicator.clone().filter(|n| !n.trim().is_empty()).ok_or("添加指标须写 indicator（指标名称）")?;
    if r.indicators.iter().any(|i| squeeze(&i.name) == squeeze(&name)) {
        return Err(format!("已有指标“{name}”，请用 indicator.value 校正"));
    }
    r.indicators.push(Indicator {
        level1: e.level1.clone(),
        level2: e.level2.clone(),
        parsed: e.value.as_deref().map(jixiao_reader::extract::values::parse_value),
        name,
        value: e.value.clone(),
        ..Indicator::default()
    });
    Ok(None)
}

/// `indicator.value`, `indicator.actual`, `indicator.name`: what was read.
fn correct_indicator(r: &mut Record, e: &Entry) -> Result<Option<String>, String> {
    let name = e.indicator.as_deref().ok_or("指标的校正须写 indicator（读出的指标名称）")?;
    let indicator = r.indicators.iter_mut().find(|i| squeeze(&i.name) == squeeze(name)).ok_or_else(|| format!("没有读到指标“{name}”"))?;
    match e.field.as_str() {
        "indicator.name" => {
            check_read(Some(&indicator.name), e)?;
            let value = e.value.clone().ok_or("指标名称不能校正为空")?;
            Ok(Some(std::mem::replace(&mut indicator.name, value)))
        }
        "indicator.value" | "indicator.actual" => {
            let target = e.field == "indicator.value";
            let slot = if target { &mut indicator.value } else { &mut indicator.actual };
            check_read(slot.as_deref(), e)?;
            let read = std::mem::replace(slot, e.value.clone());
            if target {
                indicator.parsed = e.value.as_deref().map(jixiao_reader::extract::values::parse_value);
            }
            // Whether it was met is decided again from what it now says.
            indicator.achievement = jixiao_reader::extract::achievement::assess(indicator.value.as_deref(), indicator.actual.as_deref());
            Ok(read)
        }
        other => Err(format!("不认识的字段“{other}”")),
    }
}

/// Text without whitespace, for comparing what was read.
fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The value of a record's field as text (`Some(None)`: known, empty).
fn text_of(r: &Record, field: &str) -> Option<Option<String>> {
    let m = &r.money;
    let amount = |v: Option<i64>| Some(v.map(|v| v.to_string()));
    match field {
        "name" => Some(Some(r.name.clone())),
        "year" => Some(r.year.map(|y| y.to_string())),
        "department" => Some(r.department_raw.clone().or_else(|| r.department.clone())),
        "implementing_unit" => Some(r.implementing_unit.clone()),
        "project_code" => Some(r.project_code.clone()),
        "total_yuan" => amount(m.total_yuan),
        "period_total_yuan" => amount(m.period_total_yuan),
        "central" => amount(m.central),
        "provincial" => amount(m.provincial),
        "local" => amount(m.local),
        "self_raised" => amount(m.self_raised),
        "other" => amount(m.other),
        "fiscal_unspecified" => amount(m.fiscal_unspecified),
        _ => None,
    }
}

fn set(r: &mut Record, field: &str, value: Option<&str>) -> Result<(), String> {
    let amount = |v: Option<&str>| -> Result<Option<i64>, String> {
        v.map(|v| v.trim().parse::<i64>().map_err(|_| format!("金额“{v}”须是以元为单位的整数"))).transpose()
    };
    let m = &mut r.money;
    match field {
        "name" => r.name = value.ok_or("项目名称不能校正为空")?.to_string(),
        "year" => r.year = value.map(|v| v.trim().parse().map_err(|_| format!("年度“{v}”须是四位数字"))).transpose()?,
        "department" => {
            r.department_raw = value.map(str::to_string);
            r.department = value.map(str::to_string);
        }
        "implementing_unit" => r.implementing_unit = value.map(str::to_string),
        "project_code" => r.project_code = value.map(str::to_string),
        "total_yuan" => m.total_yuan = amount(value)?,
        "period_total_yuan" => m.period_total_yuan = amount(value)?,
        "central" => m.central = amount(value)?,
        "provincial" => m.provincial = amount(value)?,
        "local" => m.local = amount(value)?,
        "self_raised" => m.self_raised = amount(value)?,
        "other" => m.other = amount(value)?,
        "fiscal_unspecified" => m.fiscal_unspecified = amount(value)?,
        other => return Err(format!("不认识的字段“{other}”")),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use jixiao_core::model::{Doubt, SourceRef};

    use super::*;

    fn record() -> Record {
        let mut r = Record {
            name: "食品监管补助资金".into(),
            sources: vec![SourceRef { document: "a.txt".into(), line: 7, line_start: 5, line_end: 30, ..SourceRef::default() }],
            indicators: vec![Indicator { name: "满意度".into(), value: Some("290%".into()), ..Indicator::default() }],
            ..Record::default()
        };
        r.money.total_yuan = Some(2);
        r.confidence.doubts = vec![
            Doubt { field: "total_yuan".into(), message: "资金来源之和与年度资金总额不符".into(), weight: 20 },
            Doubt { field: "indicator:满意度".into(), message: "超过 100%".into(), weight: 10 },
        ];
        r.confidence.score = 70;
        r
    }

    fn entry(field: &str, read: Option<&str>, value: Option<&str>) -> Entry {
        Entry {
            document: "a.txt".into(),
            sha256: "abc".into(),
            line: 7,
            field: field.into(),
            indicator: None,
            level1: None,
            level2: None,
            read: read.map(str::to_string),
            value: value.map(str::to_string),
            by: "李明".into(),
            note: "原表单位为元".into(),
            at: 3,
        }
    }

    #[test]
    fn a_correction_applies_while_the_value_is_what_was_read() {
        let mut records = vec![record()];
        let problems = apply(&[entry("total_yuan", Some("2"), Some("23800"))], "a.txt", "ABC", &mut records);
        assert!(problems.is_empty(), "{problems:?}");
        let r = &records[0];
        assert_eq!(r.money.total_yuan, Some(23800));
        assert_eq!(r.corrections, [Correction { field: "total_yuan".into(), read: Some("2".into()), value: Some("23800".into()), note: "原表单位为元".into(), by: "李明".into() }]);
        assert_eq!(r.confidence.doubts.len(), 1, "the corrected doubt is gone: {:?}", r.confidence.doubts);
        assert_eq!(r.confidence.score, 90);
    }

    #[test]
    fn a_changed_document_or_value_is_a_problem_not_applied() {
        let mut records = vec![record()];
        let problems = apply(&[entry("total_yuan", Some("2"), Some("23800"))], "a.txt", "def", &mut records);
        assert!(problems[0].message.contains("文件内容已改变"), "{problems:?}");
        let problems = apply(&[entry("total_yuan", Some("3"), Some("23800"))], "a.txt", "abc", &mut records);
        assert!(problems[0].message.contains("现在读作“2”"), "{problems:?}");
        let mut moved = entry("total_yuan", Some("2"), Some("23800"));
        moved.line = 40;
        assert!(apply(&[moved], "a.txt", "abc", &mut records)[0].message.contains("此行没有读到表格"));
        assert_eq!(records[0].money.total_yuan, Some(2), "nothing applied");
        assert!(records[0].corrections.is_empty());
        assert_eq!(problems[0].line, Some(3), "the problem names the entry's line");
    }

    #[test]
    fn indicators_are_fixed_added_and_tables_dropped() {
        let mut records = vec![record()];
        let mut fix = entry("indicator.value", Some("290%"), Some("≥90%"));
        fix.indicator = Some("满意度".into());
        let mut add = entry("indicator.add", None, Some("100%"));
        add.indicator = Some("资金发放率".into());
        add.level2 = Some("质量指标".into());
        assert!(apply(&[fix, add], "a.txt", "abc", &mut records).is_empty());
        let r = &records[0];
        assert_eq!(r.indicators[0].value.as_deref(), Some("≥90%"));
        assert_eq!(r.indicators[1].name, "资金发放率");
        assert_eq!(r.indicators[1].level2.as_deref(), Some("质量指标"));
        assert_eq!(r.corrections.len(), 2);
        let problems = apply(&[entry("table", None, Some(NOT_A_TABLE))], "a.txt", "abc", &mut records);
        assert!(problems.is_empty() && records.is_empty());
    }

    #[test]
    fn entries_know_their_lines() {
        let dir = std::env::temp_dir().join(format!("jixiao-corrections-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let text = "# 校正\n\n[[correction]]\ndocument = \"a.txt\"\nsha256 = \"abc\"\nline = 7\nfield = \"name\"\nread = \"甲\"\nvalue = \"乙\"\nby = \"李明\"\nnote = \"错字\"\n\n[[correction]]\ndocument = \"b.txt\"\nsha256 = \"def\"\nline = 9\nfield = \"year\"\nvalue = \"2024\"\nby = \"李明\"\nnote = \"漏印\"\n";
        std::fs::write(dir.join(FILE), text).unwrap();
        let entries = read(&dir).unwrap();
        assert_eq!(entries.iter().map(|e| e.at).collect::<Vec<_>>(), [3, 13]);
        std::fs::write(dir.join(FILE), "[[correction]]\ndocument = \"a.txt\"\nfiled = \"name\"\n").unwrap();
        let problem = read(&dir).unwrap_err();
        assert_eq!(problem.file, FILE);
        assert!(problem.line.is_some(), "{problem:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
