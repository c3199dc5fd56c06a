//! Tables that list many projects, one group of rows each, under one header
//! row of column labels (budget workbooks' 部门项目支出绩效目标表 sheets):
//!
//! ```text
//! 单位名称 | 项目名称 | 预算数 | 年度目标 | 一级指标 | 二级指标 | 三级指标 | 指标值 …
//! 820-某部门 | 8,827,620.53                                   (a group row)
//! 820001-某单位 | 村组干部报酬 | 3,309,840.00 | … | 效益指标 | … | 95 …
//!                                       产出指标 | 时效指标 | … | 1 …
//! ```
//!
//! A row whose cells before its first indicator category are not all empty
//! starts a project; its project cells are aligned to the right end of the
//! project columns, because a text export drops the merged cells on the
//! left (单位名称 spanning several projects). The indicator cells of every
//! row go to one [`IndicatorReader`] per project, under the header's
//! indicator columns. A short row of a coded unit and an amount before the
//! projects (`820-某部门 | 8,827,620.53`) names the department the units
//! below belong to.

use jixiao_core::model::Section;

use crate::grid::{Cell, Row};
use crate::labels::{classify, exact, Field, HeaderRole, Label};

use super::indicators::{parse_header, IndicatorReader};
use super::reader::{read_preamble_row, AmountCell, Located, Side, TableReading};
use super::tables::TableSpan;

/// The header of a list table: a 项目名称 column among column labels, and
/// indicator columns after them.
pub fn is_list_header(row: &Row) -> bool {
    let labels: Vec<Option<Label>> = row.filled().map(|(_, c)| exact(&c.text).map(|m| m.label)).collect();
    let name = labels.contains(&Some(Label::Field(Field::Name)));
    let indicator_columns = labels
        .iter()
        .filter(|l| matches!(l, Some(Label::Header(HeaderRole::Level1 | HeaderRole::Level2 | HeaderRole::Name | HeaderRole::Value))))
        .count();
    let unlabelled = labels.iter().filter(|l| l.is_none()).count();
    name && indicator_columns >= 2 && unlabelled == 0
}

fn is_category(cell: &Cell) -> bool {
    matches!(classify(&cell.text).map(|m| m.label), Some(Label::Level1(_) | Label::Level2 { .. }))
}

/// A cell that prints a unit with its code (`820-马踏镇部门`).
fn is_coded_unit(text: &str) -> bool {
    let digits = text.chars().take_while(|c| c.is_ascii_digit()).count();
    digits >= 2 && text[digits..].starts_with(['-', '－', '—', ' ', '_'])
}

fn looks_like_amount(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | ','))
}

/// Every project of a list table, each as a table reading of its own.
pub fn read_list_table(rows: &[Row], span: &TableSpan) -> Vec<TableReading> {
    let header = &rows[span.anchor];
    let columns: Vec<Option<Label>> =
        header.cells.iter().map(|c| exact(&c.text).map(|m| m.label)).collect();
    let indicator_start = columns
        .iter()
        .position(|l| matches!(l, Some(Label::Header(HeaderRole::Level1 | HeaderRole::Level2 | HeaderRole::Name))))
        .unwrap_or(columns.len());
    let indicator_header = Row { cells: header.cells[indicator_start..].to_vec(), ..header.clone() };
    let Some(layout) = parse_header(&indicator_header) else { return Vec::new() };

    let mut preamble = TableReading::default();
    for row in &rows[span.start..span.anchor] {
        read_preamble_row(&mut preamble, row);
    }
    let mut group: Option<Located> = None;
    // The project cells of the last project, by column: a row that leaves
    // out merged cells on the left takes theirs.
    let mut previous: Vec<Option<Cell>> = vec![None; indicator_start];
    let mut projects: Vec<(TableReading, IndicatorReader)> = Vec::new();
    for row in &rows[span.anchor + 1..span.end] {
        let split = row.cells.iter().position(is_category).unwrap_or(row.cells.len().min(indicator_start));
        let head = &row.cells[..split];
        let indicators = &row.cells[split..];
        if head.iter().any(|c| !c.text.is_empty()) {
            let filled: Vec<&Cell> = head.iter().filter(|c| !c.text.is_empty()).collect();
            let group_row = indicators.is_empty()
                && head.len() < indicator_start
                && filled.len() == 2
                && is_coded_unit(&filled[0].text)
                && looks_like_amount(&filled[1].text);
            if group_row {
                group = Some(Located { text: filled[0].text.clone(), line: filled[0].line });
                continue;
            }
            let mut t = TableReading {
                kind: span.kind,
                anchor_line: row.first_line,
                first_line: row.first_line,
                last_line: row.last_line,
                titles: preamble.titles.clone(),
                year: preamble.year,
                unit: preamble.unit,
                ..TableReading::default()
            };
            // Right-aligned: merged cells on the left are the ones missing.
            let offset = indicator_start.saturating_sub(head.len());
            let mut cells: Vec<Option<Cell>> = previous[..offset.min(previous.len())].to_vec();
            cells.extend(head.iter().map(|c| (!c.text.is_empty()).then(|| c.clone())));
            for (k, cell) in cells.iter().enumerate() {
                if let Some(cell) = cell {
                    assign(&mut t, columns.get(k).cloned().flatten(), cell);
                }
            }
            previous = cells;
            if let Some(group) = &group {
                // The coded group names the department; the row's own unit implements.
                if let Some(unit) = t.department_raw.take() {
                    t.implementing_unit.get_or_insert(unit);
                }
                t.department_raw = Some(group.clone());
            }
            projects.push((t, IndicatorReader::new(layout.clone())));
        }
        if let Some((t, reader)) = projects.last_mut() {
            t.last_line = row.last_line;
            for cell in head.iter().chain(indicators) {
                t.all_text.push_str(&cell.text);
                t.all_text.push('\n');
            }
            if indicators.iter().any(|c| !c.text.is_empty()) {
                reader.read_row(&Row { cells: indicators.to_vec(), ..row.clone() });
            }
        }
    }
    projects
        .into_iter()
        .map(|(mut t, reader)| {
            t.indicators = reader.indicators;
            t
        })
        .collect()
}

/// A project cell, by the label of its column.
fn assign(t: &mut TableReading, label: Option<Label>, cell: &Cell) {
    let located = || Located { text: cell.text.clone(), line: cell.line };
    match label {
        Some(Label::Field(Field::Name)) => t.name = Some(located()),
        Some(Label::Field(Field::Department)) => t.department_raw = Some(located()),
        Some(Label::Field(Field::ImplementingUnit | Field::DepartmentAndUnit)) => t.implementing_unit = Some(located()),
        Some(Label::Field(Field::ProjectCode)) => t.project_code = Some(located()),
        Some(Label::Field(field)) if field.is_amount() => t.amounts.push(AmountCell {
            field,
            side: Side::Annual,
            stage: None,
            text: cell.text.clone(),
            unit: None,
            line: cell.line,
        }),
        Some(Label::Section(label)) => t.sections.push(Section { label: label.to_string(), text: cell.text.clone() }),
        _ => {}
    }
}
