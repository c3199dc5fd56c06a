//! Extraction: a document's grid → structured records.
//!
//! The pipeline, one module per stage (the grid itself is
//! [`crate::grid`]'s):
//! 1. [`tables`]: rows → table spans (anchor, title rows, extent);
//! 2. [`reader`]: a table's rows → labelled values (labels from
//!    [`crate::labels`]), [`indicators`] for the indicator block ([`values`]
//!    parses targets, [`amount`] money);
//! 3. [`records`]: values → a record ([`region`], [`department`]);
//! 4. [`checks`]: doubts about a whole table no single stage sees (cut off
//!    at the end of the file, active HTML in a cell, an overlong name);
//! 5. [`merge`]: printings of one project → one record with a stable id;
//!    [`link`]: each self-evaluation to the target table it evaluates
//!    ([`achievement`] decides, per indicator, whether it was met).

pub mod achievement;
pub mod amount;
pub mod checks;
pub mod confidence;
pub mod department;
pub mod indicators;
pub mod link;
pub mod list;
pub mod merge;
pub mod numerals;
pub mod reader;
pub mod records;
pub mod region;
pub mod stages;
pub mod tables;
pub mod values;

use std::collections::HashMap;

use jixiao_core::model::{Kind, Record};

use crate::decode::{Content, Decoded, Reading};
use crate::grid::{self, Grid};
use crate::labels;
use records::DocumentContext;

/// A document to extract, with what its publisher's registry says of it.
#[derive(Clone, Debug)]
pub struct DocumentInput {
    pub file: String,
    pub content: Content,
    pub declared_region: Option<String>,
    pub declared_publisher: Option<String>,
    pub declared_year: Option<u16>,
    /// How the file's bytes were read, for the report.
    pub reading: Reading,
}

impl DocumentInput {
    /// A decoded file, with nothing declared about it yet.
    pub fn from_decoded(file: String, decoded: Decoded) -> DocumentInput {
        DocumentInput {
            file,
            content: decoded.content,
            reading: decoded.reading,
            declared_region: None,
            declared_publisher: None,
            declared_year: None,
        }
    }

    /// Text already decoded, in the layout it shows.
    pub fn from_text(file: impl Into<String>, text: impl Into<String>) -> DocumentInput {
        let reading = Reading { format: "text".into(), encoding: "UTF-8".into(), line_ends: "LF".into(), ..Reading::default() };
        DocumentInput::from_decoded(file.into(), Decoded { content: Content::Text { text: text.into(), layout: None }, reading })
    }
}

/// What extraction made of one document.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct DocumentReport {
    pub file: String,
    pub layout: String,
    /// The rows read are the template's rebuilding from the sequence of
    /// cells ([`grid::sequence`]), not the layout's.
    pub rows_rebuilt: bool,
    /// Format, encoding, BOM, line ends and conversions (flattened into the
    /// document's entry of quality.json).
    #[serde(flatten)]
    pub reading: Reading,
    pub project_tables: usize,
    pub department_tables: usize,
    pub indicators: usize,
    pub warnings: usize,
    /// Lines that mention 项目名称 but anchor no table: a table the
    /// extractor may have missed.
    pub unaccounted_lines: Vec<u32>,
    /// Where each line of a structured document is (page, sheet, table),
    /// for reports; empty for text.
    #[serde(skip)]
    pub places: Vec<grid::Place>,
}

impl DocumentReport {
    /// `file:line`, or for a structured document `file:line（第 3 页）`.
    pub fn locate(&self, line: u32) -> String {
        locate(&self.file, &self.places, line)
    }
}

/// `file:line`, with the line's place in a structured document.
pub fn locate(file: &str, places: &[grid::Place], line: u32) -> String {
    match places.get((line as usize).wrapping_sub(1)).map(grid::Place::describe).filter(|p| !p.is_empty()) {
        Some(place) => format!("{file}:{line}（{place}）"),
        None if places.is_empty() => format!("{file}:{line}"),
        None => format!("{file}:{line}（第 {line} 个段落或表格行）"),
    }
}

/// Reads every table of one document into (unmerged) records.
pub fn extract_document(input: &DocumentInput) -> (Vec<Record>, DocumentReport) {
    let grid = match &input.content {
        Content::Text { text, layout } => Grid::from_text(text, *layout),
        Content::Rows { layout, rows } => Grid::from_rows(*layout, rows.clone()),
    };
    extract_grid(input, &grid)
}

/// Reads every table of a document's grid into (unmerged) records, each
/// with its printing's raw text and place.
///
/// The document is read twice: in the rows its layout gave, and as the
/// sequence of its cells with the rows the template rebuilds
/// ([`grid::sequence`]); the reading the template fits better ([`fit`])
/// is kept, the layout's on a tie.
pub fn extract_grid(input: &DocumentInput, grid: &Grid) -> (Vec<Record>, DocumentReport) {
    let by_layout = read_rows(input, grid, &grid.rows);
    let cells: usize = grid.rows.iter().map(|r| r.cells.len()).sum();
    let template_rows = if cells <= grid::sequence::MAX_CELLS { grid::sequence::template_rows(&grid.rows) } else { Vec::new() };
    let by_template = read_rows(input, grid, &template_rows);
    let (reading, rows, rebuilt) = if fit(&by_template.records) > fit(&by_layout.records) {
        (by_template, &template_rows, true)
    } else {
        (by_layout, &grid.rows, false)
    };
    let TableSet { mut records, readings } = reading;
    if rebuilt {
        for r in &mut records {
            let mut doubts = std::mem::take(&mut r.confidence.doubts);
            doubts.push(confidence::rows_rebuilt());
            r.confidence = confidence::finish(doubts, r.warnings.len());
        }
    }
    let layout = grid.layout.map_or("", |l| l.describe());
    let report = DocumentReport {
        file: input.file.clone(),
        layout: layout.to_string(),
        rows_rebuilt: rebuilt,
        reading: input.reading.clone(),
        project_tables: records.iter().filter(|r| r.kind == Kind::Project).count(),
        department_tables: records.iter().filter(|r| r.kind == Kind::Department).count(),
        indicators: records.iter().map(|r| r.indicators.len()).sum(),
        warnings: records.iter().map(|r| r.warnings.len()).sum(),
        unaccounted_lines: unaccounted_lines(grid, rows, &readings),
        places: grid.places.clone(),
    };
    (records, report)
}

/// One reading of a document: its records, and the tables they came from.
struct TableSet {
    records: Vec<Record>,
    readings: Vec<reader::TableReading>,
}

/// Reads the tables of one set of rows of a document.
fn read_rows(input: &DocumentInput, grid: &Grid, rows: &[grid::Row]) -> TableSet {
    let spans = tables::find_tables(rows);
    let readings: Vec<reader::TableReading> = spans
        .iter()
        .flat_map(|span| if span.list { list::read_list_table(rows, span) } else { vec![reader::read_table(rows, span)] })
        .collect();
    let context = DocumentContext {
        file: input.file.clone(),
        declared_region: input.declared_region.clone(),
        declared_publisher: input.declared_publisher.clone(),
        declared_year: input.declared_year,
        title_year: title_year(rows),
        main_department: main_department(&readings).or_else(|| input.declared_publisher.clone()),
        main_unit: most_common(readings.iter().filter_map(|t| t.unit)),
        front_matter: front_matter(rows, &spans),
        published_year: published_year(rows),
    };
    let mut records: Vec<Record> = readings.iter().map(|t| records::build_record(t, &context)).collect();
    for record in &mut records {
        for source in &mut record.sources {
            source.raw_text = grid.text_of(source.line_start, source.line_end);
            source.place = grid.describe_range(source.line_start, source.line_end);
            source.page = grid.place(source.line_start).and_then(grid::Place::page);
        }
    }
    checks::check_tables(rows, &spans, &mut records);
    TableSet { records, readings }
}

/// How well a reading's records fit the template: every value it gives
/// (a name, the year, money, who runs the project, indicators with their
/// targets and results) counts for it; an indicator without a target, a
/// name that is no name and every warning count against it.
pub fn fit(records: &[Record]) -> i64 {
    let some = |v: bool| i64::from(v);
    records
        .iter()
        .map(|r| {
            let named = !r.warnings.iter().any(|w| w.message == "未读到项目名称");
            let m = &r.money;
            let mut fit = 4 * some(named) + some(r.year.is_some()) + 2 * some(m.total_yuan.is_some());
            fit += [m.period_total_yuan, m.central, m.provincial, m.local, m.self_raised, m.other, m.fiscal_unspecified].iter().filter(|v| v.is_some()).count() as i64;
            fit += some(r.department_raw.is_some()) + some(r.implementing_unit.is_some()) + some(r.project_code.is_some());
            if let Some(e) = &r.evaluation {
                fit += some(e.executed_yuan.is_some()) + some(e.initial_budget_yuan.is_some()) + some(e.score.is_some());
            }
            let mut names = std::collections::HashSet::new();
            for i in &r.indicators {
                // A table lists an indicator once: a second is a column
                // (年度指标值) read as a row.
                if !names.insert(i.name.as_str()) {
                    fit -= 3;
                    continue;
                }
                // A category's word may name an indicator (满意度), but of
                // two readings the one that takes categories for names is
                // the worse.
                let category = matches!(labels::exact(&i.name).map(|m| m.label), Some(labels::Label::Level1(_) | labels::Label::Level2 { .. }));
                let plausible = i.name.chars().count() <= 80 && confidence::is_a_name(&i.name) && !category;
                if !plausible {
                    fit -= 2;
                    continue;
                }
                fit += if i.value.is_some() { 3 } else { -1 };
                fit += some(i.level2.is_some()) + some(i.actual.is_some()) + some(i.weight.is_some()) + some(i.score.is_some());
            }
            fit - r.warnings.len() as i64
        })
        .sum()
}

/// Merges printings of the same project and gives each record its id.
/// Records come in `sources.toml` order.
pub fn finish(records: Vec<Record>) -> Vec<Record> {
    let mut merged = merge::merge_printings(records);
    merge::assign_ids(&mut merged);
    link::link_evaluations(&mut merged);
    merged
}

/// The text of the rows before the first table (at most a few dozen).
fn front_matter(rows: &[grid::Row], spans: &[tables::TableSpan]) -> String {
    let end = spans.first().map_or(rows.len(), |s| s.start).min(40);
    rows[..end].iter().map(grid::Row::joined).collect::<Vec<_>>().join("\n")
}

/// The year a page says it was published (`发布时间：2023-03-27`).
fn published_year(rows: &[grid::Row]) -> Option<u16> {
    let re = regex::Regex::new(r"(?:发布时间|发文时间|发布日期|成文日期)\s*[:：]?\s*(20\d{2})\s*[-./年]").expect("compiles");
    rows.iter().take(20).find_map(|row| re.captures(&row.joined()).and_then(|c| c[1].parse().ok()))
}

/// The year in the document's own title, if its first rows print one.
fn title_year(rows: &[grid::Row]) -> Option<u16> {
    let dated = regex::Regex::new(r"(20\d{2})\s*年\s*(度|部门预算|预算|公开)").expect("compiles");
    let any_year = regex::Regex::new(r"(20\d{2})\s*年").expect("compiles");
    let first = rows.iter().take(12).map(grid::Row::joined);
    first.clone().find_map(|text| dated.captures(&text).and_then(|c| c[1].parse().ok())).or_else(|| {
        // A title such as 鄂州市2022年市直部门预算项目支出绩效目标表.
        first.filter(|text| text.contains("绩效") && text.chars().count() <= 80).find_map(|text| any_year.captures(&text).and_then(|c| c[1].parse().ok()))
    })
}

/// Rows that look like part of a table (a 项目名称 label, or the header of
/// an indicator block: 一级指标, 三级指标, 指标值 …) but lie outside every
/// table read: a table the reader missed, for the report.
fn unaccounted_lines(grid: &Grid, rows: &[grid::Row], readings: &[reader::TableReading]) -> Vec<u32> {
    use crate::labels::{classify, Field, HeaderRole, Label};
    let read = |line: u32| readings.iter().any(|t| t.anchor_line == line || (t.first_line..=t.last_line).contains(&line));
    let looks_like_a_table = |row: &grid::Row| {
        let labels: Vec<Label> = row.filled().filter_map(|(_, c)| classify(&c.text).map(|m| m.label)).collect();
        labels.contains(&Label::Field(Field::Name))
            || labels.iter().filter(|l| matches!(l, Label::Header(HeaderRole::Level1 | HeaderRole::Level2 | HeaderRole::Name | HeaderRole::Value))).count() >= 2
    };
    let mut lines: Vec<u32> = rows.iter().filter(|row| looks_like_a_table(row) && !read(row.first_line)).map(|row| row.first_line).collect();
    // A line naming 项目名称 in running text (a contents page) counts too.
    lines.extend(
        grid.lines
            .iter()
            .enumerate()
            .map(|(i, line)| (i as u32 + 1, line))
            .filter(|(n, line)| labels::normalise(line).contains("项目名称") && !read(*n))
            .map(|(n, _)| n),
    );
    lines.sort_unstable();
    lines.dedup();
    lines
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
