//! Extraction: published documents → structured records.
//!
//! The pipeline, one module per stage:
//! 1. [`grid`]: text → rows of cells (tab rows or one cell per line), with
//!    [`clean`] resolving markup remnants;
//! 2. [`tables`]: rows → table spans (anchor, title rows, extent);
//! 3. [`labels`]: label cells recognised from `reader/data/labels.toml`;
//! 4. [`reader`]: a table's rows → labelled values, [`indicators`] for the
//!    indicator block ([`values`] parses targets, [`amount`] money);
//! 5. [`records`]: values → a record ([`region`], [`department`]);
//! 6. [`checks`]: doubts about a whole table no single stage sees (cut off
//!    at the end of the file, active HTML in a cell, an overlong name);
//! 7. [`merge`]: printings of one project → one record with a stable id.

pub mod amount;
pub mod checks;
pub mod clean;
pub mod department;
pub mod grid;
pub mod indicators;
pub mod labels;
pub mod merge;
pub mod numerals;
pub mod reader;
pub mod records;
pub mod region;
pub mod tables;
pub mod values;

use std::collections::HashMap;

use jixiao_core::model::{Kind, Record};

use records::DocumentContext;

/// A document to extract, with what `data/sources.toml` says of it.
#[derive(Clone, Debug, Default)]
pub struct DocumentInput {
    pub file: String,
    pub text: String,
    pub declared_region: Option<String>,
    pub declared_publisher: Option<String>,
    pub declared_year: Option<u16>,
    /// The layout when the format fixes it (a `.docx`); `None`: detected.
    pub layout: Option<grid::Layout>,
    /// How the file's bytes were read, for the report.
    pub reading: crate::decode::Reading,
}

impl DocumentInput {
    /// A decoded file, in the layout its format fixes (a `.docx`'s tables),
    /// with nothing declared about it yet.
    pub fn from_decoded(file: String, decoded: crate::decode::Decoded) -> DocumentInput {
        DocumentInput {
            file,
            layout: (decoded.reading.format == "docx").then_some(grid::Layout::WordTables),
            text: decoded.text,
            reading: decoded.reading,
            ..DocumentInput::default()
        }
    }
}

/// What extraction made of one document.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct DocumentReport {
    pub file: String,
    pub layout: String,
    /// Format, encoding, BOM, line ends and conversions (flattened into the
    /// document's entry of quality.json).
    #[serde(flatten)]
    pub reading: crate::decode::Reading,
    pub project_tables: usize,
    pub department_tables: usize,
    pub indicators: usize,
    pub warnings: usize,
    /// Lines that mention 项目名称 but anchor no table: a table the
    /// extractor may have missed.
    pub unaccounted_lines: Vec<u32>,
}

/// Reads every table of one document into (unmerged) records.
pub fn extract_document(input: &DocumentInput) -> (Vec<Record>, DocumentReport) {
    let (layout, rows) = grid::rows_in(&input.text, input.layout);
    let spans = tables::find_tables(&rows);
    let readings: Vec<reader::TableReading> = spans.iter().map(|span| reader::read_table(&rows, span)).collect();
    let context = DocumentContext {
        file: input.file.clone(),
        declared_region: input.declared_region.clone(),
        declared_publisher: input.declared_publisher.clone(),
        declared_year: input.declared_year,
        title_year: title_year(&rows),
        main_department: main_department(&readings).or_else(|| input.declared_publisher.clone()),
        main_unit: most_common(readings.iter().filter_map(|t| t.unit)),
    };
    let mut records: Vec<Record> = readings.iter().map(|t| records::build_record(t, &context)).collect();
    checks::check_tables(&rows, &spans, &mut records);
    let report = DocumentReport {
        file: input.file.clone(),
        layout: layout.describe().to_string(),
        reading: input.reading.clone(),
        project_tables: records.iter().filter(|r| r.kind == Kind::Project).count(),
        department_tables: records.iter().filter(|r| r.kind == Kind::Department).count(),
        indicators: records.iter().map(|r| r.indicators.len()).sum(),
        warnings: records.iter().map(|r| r.warnings.len()).sum(),
        unaccounted_lines: unaccounted_lines(&input.text, &readings),
    };
    (records, report)
}

/// Merges printings of the same project and gives each record its id.
/// Records come in `sources.toml` order.
pub fn finish(records: Vec<Record>) -> Vec<Record> {
    let mut merged = merge::merge_printings(records);
    merge::assign_ids(&mut merged);
    merged
}

/// The year in the document's own title, if its first rows print one.
fn title_year(rows: &[grid::Row]) -> Option<u16> {
    let re = regex::Regex::new(r"(20\d{2})\s*年\s*(度|部门预算|预算|公开)").expect("compiles");
    rows.iter().take(12).find_map(|row| re.captures(&row.joined()).and_then(|c| c[1].parse().ok()))
}

fn unaccounted_lines(text: &str, readings: &[reader::TableReading]) -> Vec<u32> {
    text.lines()
        .enumerate()
        .map(|(i, line)| (i as u32 + 1, line))
        .filter(|(_, line)| labels::normalise(line).contains("项目名称"))
        .filter(|(n, _)| !readings.iter().any(|t| t.anchor_line == *n))
        .map(|(n, _)| n)
        .collect()
}

fn most_common<T: PartialEq + Copy>(items: impl Iterator<Item = T>) -> Option<T> {
    let mut counts: Vec<(T, usize)> = Vec::new();
    for item in items {
        match counts.iter_mut().find(|(x, _)| *x == item) {
            Some((_, n)) => *n += 1,
            None => counts.push((item, 1)),
        }
    }
    counts.into_iter().max_by_key(|&(_, n)| n).map(|(x, _)| x)
}

/// The department most tables of the document name (for department-wide
/// sections that do not name it).
fn main_department(readings: &[reader::TableReading]) -> Option<String> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for t in readings {
        if let Some(d) = &t.department_raw {
            *counts.entry(d.text.as_str()).or_default() += 1;
        }
    }
    counts.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0))).map(|(d, _)| d.to_string())
}
