//! `indexer build`: data/ → the files the site serves.

use std::path::Path;
use std::process::ExitCode;

use crate::sources::Problem;

pub fn run(data: &Path, out: &Path, strict: bool) -> Result<ExitCode, Problem> {
    let extraction = crate::extract_data(data)?;
    std::fs::create_dir_all(out).map_err(|e| Problem { file: out.display().to_string(), line: None, message: e.to_string() })?;
    let json = crate::export::to_json(&extraction.records);
    std::fs::write(out.join("records.json"), json).map_err(|e| Problem { file: out.display().to_string(), line: None, message: e.to_string() })?;
    for p in &extraction.problems {
        eprintln!("{p}");
    }
    Ok(if strict && !extraction.problems.is_empty() { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}
