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
