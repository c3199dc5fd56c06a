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
                | "other" | "fiscal_unspecified" | "indicator_count" => "integer",
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
                "name": "records-full",
                "path": "jixiao-records.json",
                "format": "json",
                "mediatype": "application/json",
                "description": "Every field of every record, with indicators, sections, sources and raw table text."
            }
        ]
    });
    serde_json::to_string_pretty(&package).expect("datapackage serialises")
}
