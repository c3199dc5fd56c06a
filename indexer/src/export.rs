//! `indexer export`: the extracted records as JSON or CSV.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use jixiao_core::model::Record;

use crate::sources::Problem;

#[derive(Clone, Copy, Debug)]
pub enum Format {
    Json,
    Csv,
}

pub fn run(data: &Path, format: Format, out: Option<&Path>) -> Result<ExitCode, Problem> {
    let extraction = crate::extract_data(data)?;
    let bytes = match format {
        Format::Json => to_json(&extraction.records).into_bytes(),
        Format::Csv => jixiao_core::csv::records_to_csv(&extraction.records).into_bytes(),
    };
    match out {
        Some(path) => std::fs::write(path, bytes)
            .map_err(|e| Problem { file: path.display().to_string(), line: None, message: e.to_string() })?,
        None => std::io::stdout()
            .write_all(&bytes)
            .map_err(|e| Problem { file: "stdout".into(), line: None, message: e.to_string() })?,
    }
    Ok(ExitCode::SUCCESS)
}

pub fn to_json(records: &[Record]) -> String {
    serde_json::to_string_pretty(records).expect("records serialise")
}

/// `datapackage.json` (Frictionless Data) describing the downloads.
pub fn datapackage(record_count: usize) -> String {
    let fields: Vec<serde_json::Value> = jixiao_core::csv::RECORD_COLUMNS
        .iter()
        .map(|name| {
            let kind = match *name {
                "year" | "total_yuan" | "period_total_yuan" | "central" | "provincial" | "local" | "self_raised"
                | "other" | "fiscal_unspecified" | "indicator_count" | "confidence" => "integer",
                _ => "string",
            };
            serde_json::json!({ "name": name, "type": kind })
        })
        .collect();
    let package = serde_json::json!({
        "name": "jixiao-medical-insurance-performance-targets",
        "title": "医疗保障部门预算项目绩效目标表（结构化数据）",
        "description": "Performance target tables (绩效目标表) published by Chinese local governments, extracted into records. Amounts in yuan.",
        "licenses": [{ "name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0" }],
        "count_of_records": record_count,
        "resources": [
            {
                "name": "records",
                "path": "jixiao-records.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "schema": { "fields": fields, "primaryKey": ["id"] }
            },
            {
                "name": "indicators",
                "path": "jixiao-indicators.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "description": "Every indicator of every record, one row each, with the headers the site shows. 数值 and 单位 are the target as printed; 链接 is the record's page relative to the site's root.",
                "schema": { "fields": jixiao_core::table::INDICATOR_HEADERS.iter().map(|h| serde_json::json!({ "name": h, "type": "string" })).collect::<Vec<_>>() }
            },
            {
                "name": "records-full",
                "path": "jixiao-records.json",
                "format": "json",
                "mediatype": "application/json",
                "description": "Every field of every record, with indicators, sections, sources (publisher, title, year, URL, the site's copy) and raw table text."
            },
            {
                "name": "database",
                "path": "jixiao.sqlite",
                "format": "sqlite",
                "mediatype": "application/vnd.sqlite3",
                "description": "The dataset as one SQLite database (Datasette, any SQL tool). Amounts in yuan.",
                "tables": [
                    { "name": "records", "primaryKey": ["id"], "description": "One row per record: the columns of jixiao-records.csv, amounts in yuan; confidence is how sure the reading is (0–100, below 80 to be checked: 需核对)." },
                    { "name": "corrections", "primaryKey": ["record_id", "position"], "foreignKeys": [{ "fields": ["record_id"], "reference": { "resource": "records", "fields": ["id"] } }],
                      "description": "Values corrected by hand (人工校正, data/corrections.toml): the field, the value as read and as corrected, who corrected it and why." },
                    { "name": "doubts", "primaryKey": ["record_id", "position"], "foreignKeys": [{ "fields": ["record_id"], "reference": { "resource": "records", "fields": ["id"] } }],
                      "description": "Why a record's reading is not sure, most serious first: the field (name, total_yuan, indicator:<name> …), the reason, and how much it lowers the confidence." },
                    { "name": "indicators", "primaryKey": ["record_id", "position"], "foreignKeys": [{ "fields": ["record_id"], "reference": { "resource": "records", "fields": ["id"] } }],
                      "description": "Every indicator: categories, name, target as printed and parsed (comparator, number, unit), description, basis, weight; in a self-evaluation what was achieved (actual), whether the target was met (achievement: 已完成 / 未完成 / 无法判断), score, and the reason for a deviation." },
                    { "name": "evaluations", "primaryKey": ["record_id"],
                      "foreignKeys": [{ "fields": ["record_id"], "reference": { "resource": "records", "fields": ["id"] } }, { "fields": ["target_id"], "reference": { "resource": "records", "fields": ["id"] } }],
                      "description": "Self-evaluations (records of kind 绩效自评): money at the start of the year and executed (yuan), execution rate, score, grade, and the target record each evaluates, with the reason for the link and its confidence (100 = same project code)." },
                    { "name": "documents", "primaryKey": ["file"], "description": "The published documents as data/sources.toml describes them: publisher, title, year, URL." },
                    { "name": "printings", "primaryKey": ["record_id", "document", "line"],
                      "foreignKeys": [{ "fields": ["record_id"], "reference": { "resource": "records", "fields": ["id"] } }, { "fields": ["document"], "reference": { "resource": "documents", "fields": ["file"] } }],
                      "description": "Which lines (or page) of which document each record was read from." }
                ]
            }
        ]
    });
    serde_json::to_string_pretty(&package).expect("datapackage serialises")
}

/// The whole dataset as one SQLite database (`download/jixiao.sqlite`),
/// for Datasette or any SQL tool: `records` (key `id`), `indicators` (key
/// `record_id`, `position`), `documents` (key `file`) and `printings` (which
/// lines of which document each record was read from). Amounts in yuan.
pub fn write_sqlite(path: &Path, records: &[&Record], registry: &[crate::sources::SourceEntry]) -> Result<(), Problem> {
    let problem = |e: rusqlite::Error| Problem { file: path.display().to_string(), line: None, message: e.to_string() };
    let _ = std::fs::remove_file(path);
    let mut db = rusqlite::Connection::open(path).map_err(problem)?;
    db.execute_batch(SCHEMA).map_err(problem)?;
    let tx = db.transaction().map_err(problem)?;
    {
        let mut document = tx.prepare("INSERT INTO documents VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)").map_err(problem)?;
        for e in registry {
            document.execute(rusqlite::params![e.file, e.publisher, e.title, e.year, e.url, e.region, e.contains]).map_err(problem)?;
        }
        let mut record = tx
            .prepare("INSERT INTO records VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)")
            .map_err(problem)?;
        let mut indicator = tx
            .prepare("INSERT INTO indicators VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)")
            .map_err(problem)?;
        let mut printing = tx.prepare("INSERT OR IGNORE INTO printings VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)").map_err(problem)?;
        let mut doubt = tx.prepare("INSERT INTO doubts VALUES (?1, ?2, ?3, ?4, ?5)").map_err(problem)?;
        let mut correction = tx.prepare("INSERT INTO corrections VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)").map_err(problem)?;
        for r in records {
            let m = &r.money;
            record
                .execute(rusqlite::params![
                    r.id,
                    r.kind.label_zh(),
                    r.name,
                    r.year,
                    r.region.province,
                    r.region.city,
                    r.region.county,
                    r.region.code,
                    r.department,
                    r.department_code,
                    r.implementing_unit,
                    r.project_code,
                    m.unit_in_doc,
                    m.total_yuan,
                    m.period_total_yuan,
                    m.central,
                    m.provincial,
                    m.local,
                    m.self_raised,
                    m.other,
                    m.fiscal_unspecified,
                    r.confidence.score,
                ])
                .map_err(problem)?;
            for (position, d) in r.confidence.doubts.iter().enumerate() {
                doubt.execute(rusqlite::params![r.id, position, d.field, d.message, d.weight]).map_err(problem)?;
            }
            for (position, c) in r.corrections.iter().enumerate() {
                correction.execute(rusqlite::params![r.id, position, c.field, c.read, c.value, c.note, c.by]).map_err(problem)?;
            }
            for (position, i) in r.indicators.iter().enumerate() {
                let (comparator, number, unit) = match &i.parsed {
                    Some(jixiao_core::model::ParsedValue::Quantity { comparator, number, unit }) => (Some(comparator.symbol()), Some(*number), unit.clone()),
                    _ => (None, None, None),
                };
                indicator
                    .execute(rusqlite::params![
                        r.id,
                        position,
                        i.level1,
                        i.level2,
                        i.name,
                        i.value,
                        i.annual_value,
                        comparator,
                        number,
                        unit,
                        i.description,
                        i.basis,
                        i.weight,
                        i.actual,
                        i.achievement.map(|a| a.label_zh()),
                        i.score,
                        i.deviation
                    ])
                    .map_err(problem)?;
            }
            for s in &r.sources {
                printing.execute(rusqlite::params![r.id, s.document, s.line, s.line_start, s.line_end, s.place, s.page]).map_err(problem)?;
            }
        }
    }
    // After every record: an evaluation refers to its target's row.
    {
        let mut evaluation = tx.prepare("INSERT INTO evaluations VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)").map_err(problem)?;
        for r in records {
            let Some(e) = &r.evaluation else { continue };
            let link = e.target.as_ref();
            evaluation
                .execute(rusqlite::params![
                    r.id,
                    e.initial_budget_yuan,
                    e.executed_yuan,
                    e.execution_rate,
                    e.score,
                    e.grade,
                    link.map(|l| &l.id),
                    link.map(|l| &l.reason),
                    link.map(|l| l.confidence)
                ])
                .map_err(problem)?;
        }
    }
    tx.commit().map_err(problem)
}

const SCHEMA: &str = "
CREATE TABLE documents (file TEXT PRIMARY KEY, publisher TEXT, title TEXT, year INTEGER, url TEXT, region TEXT, contains TEXT);
CREATE TABLE records (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, year INTEGER,
  province TEXT, city TEXT, county TEXT, region_code TEXT,
  department TEXT, department_code TEXT, implementing_unit TEXT, project_code TEXT, unit_in_doc TEXT,
  total_yuan INTEGER, period_total_yuan INTEGER, central INTEGER, provincial INTEGER, local INTEGER,
  self_raised INTEGER, other INTEGER, fiscal_unspecified INTEGER, confidence INTEGER NOT NULL);
CREATE TABLE corrections (
  record_id TEXT NOT NULL REFERENCES records(id), position INTEGER NOT NULL,
  field TEXT NOT NULL, read TEXT, value TEXT, note TEXT NOT NULL, by TEXT NOT NULL,
  PRIMARY KEY (record_id, position));
CREATE TABLE doubts (
  record_id TEXT NOT NULL REFERENCES records(id), position INTEGER NOT NULL,
  field TEXT NOT NULL, message TEXT NOT NULL, weight INTEGER NOT NULL,
  PRIMARY KEY (record_id, position));
CREATE TABLE indicators (
  record_id TEXT NOT NULL REFERENCES records(id), position INTEGER NOT NULL,
  level1 TEXT, level2 TEXT, name TEXT NOT NULL, value TEXT, annual_value TEXT,
  comparator TEXT, number REAL, unit TEXT, description TEXT, basis TEXT, weight TEXT,
  actual TEXT, achievement TEXT, score TEXT, deviation TEXT,
  PRIMARY KEY (record_id, position));
CREATE TABLE evaluations (
  record_id TEXT PRIMARY KEY REFERENCES records(id),
  initial_budget_yuan INTEGER, executed_yuan INTEGER, execution_rate TEXT, score TEXT, grade TEXT,
  target_id TEXT REFERENCES records(id), link_reason TEXT, link_confidence INTEGER);
CREATE TABLE printings (
  record_id TEXT NOT NULL REFERENCES records(id), document TEXT NOT NULL REFERENCES documents(file),
  line INTEGER NOT NULL, line_start INTEGER NOT NULL, line_end INTEGER NOT NULL, place TEXT, page INTEGER,
  PRIMARY KEY (record_id, document, line));
CREATE INDEX indicators_name ON indicators(name);
CREATE INDEX records_region ON records(region_code, year);
";
