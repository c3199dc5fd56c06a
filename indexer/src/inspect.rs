//! `indexer inspect FILE`: how the reader sees one document — the format
//! and layout detected, every row of cells with its line, and the records
//! read from it — for anyone adding a document whose tables do not come
//! out as expected.

use std::path::Path;
use std::process::ExitCode;

use jixiao_reader::decode::decode;
use jixiao_reader::extract::{self, DocumentInput};

use crate::sources::Problem;

pub fn run(path: &Path) -> Result<ExitCode, Problem> {
    let problem = |line: Option<u32>, message: String| Problem { file: path.display().to_string(), line, message };
    let bytes = std::fs::read(path).map_err(|e| problem(None, e.to_string()))?;
    let decoded = decode(&bytes).map_err(|e| problem(Some(e.line()), e.to_string()))?;
    // What a correction of this document names it by (data/corrections.toml).
    println!("sha256 {}", crate::corrections::sha256(&bytes));
    let grid = decoded.grid();
    let format = decoded.reading.format.clone();
    let file = path.file_name().map_or(String::new(), |n| n.to_string_lossy().into_owned());
    let input = DocumentInput::from_decoded(file, decoded);
    let (records, report) = extract::extract_grid(&input, &grid);
    let layout = grid.layout.map_or("", |l| l.describe());
    // The rows the records were read from: the layout's, or the template's.
    let rows = if report.rows_rebuilt { jixiao_reader::grid::sequence::template_rows(&grid.rows) } else { grid.rows.clone() };
    let rebuilt = if report.rows_rebuilt { " · rows rebuilt from the cells by the template" } else { "" };
    println!("format {format} · layout {layout}{rebuilt}");
    for row in &rows {
        let place = grid.place(row.first_line).map(|p| p.describe()).unwrap_or_default();
        let cells: Vec<&str> = row.cells.iter().map(|c| c.text.as_str()).collect();
        println!("{:>5} {place} | {}", row.first_line, cells.join(" | "));
    }
    let json = serde_json::to_string_pretty(&records).map_err(|e| problem(None, e.to_string()))?;
    println!("{json}");
    Ok(ExitCode::SUCCESS)
}
