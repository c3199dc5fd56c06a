//! Stage 2: finding the tables in a document's rows.
//!
//! A project table is anchored on its 项目名称 row; a department-wide table
//! on a title such as 整体支出绩效目标申报表 or a 部门整体绩效目标 heading
//! (or their self-evaluations, 部门整体支出绩效自评表).
//! Each table also owns the title rows printed just above its anchor (the
//! preamble: 绩效目标表 titles, (2024年度), 申报编号, 单位：万元, the
//! department line of 兴隆县, or a project name shifted out of its cell by
//! OCR), and runs until the next table's preamble.

use std::sync::OnceLock;

use jixiao_core::model::Kind;
use regex::Regex;

use crate::grid::Row;
use crate::labels::{self, Field, Label};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableSpan {
    pub kind: Kind,
    /// Row index of the first preamble row.
    pub start: usize,
    /// Row index of the anchor (项目名称 row or department title).
    pub anchor: usize,
    /// One past the last row.
    pub end: usize,
    /// The anchor is the header of a table listing many projects (see
    /// [`super::list`]).
    pub list: bool,
    /// No 项目名称 row: the anchor is the indicator block, the name comes
    /// from the title.
    pub named_by_title: bool,
}

fn title_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?x)
            绩效目标(申报)?表 | 申报表 | 目标表$ | 申报编号 | 填报单位
            | ^[(（]?\s*\d{4}\s*[)）]?\s*年度\s*[)）]?$   # (2024年度)  (2024) 年度
            | ^[(（]\s*\d{4}\s*年度\s*[)）]$
            | ^单位\s*[:：]
            | ^第.部分
            | ^\#
            | 预算项目绩效目标$
            | ^\d{3,}\s*\S*(本级|局|中心|委员会|办公室)$      # 362001 兴隆县医疗保障局本级
            ",
        )
        .expect("title pattern compiles")
    })
}

fn department_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"整体支出绩效目标|部门整体绩效目标|部门[(（]单位[)）]整体绩效目标|整体绩效目标表|整体支出绩效自评|整体绩效自评").expect("compiles"))
}

/// A table-of-contents entry: dot leaders or a trailing page number cell.
fn is_toc_row(row: &Row) -> bool {
    let joined = row.joined();
    joined.contains("....") || joined.contains("……")
}

fn is_project_anchor(row: &Row) -> bool {
    row.filled().any(|(_, c)| matches!(labels::classify(&c.text), Some(m) if m.label == Label::Field(Field::Name)))
}

fn is_department_anchor(row: &Row) -> bool {
    row.filled_count() <= 2 && !is_toc_row(row) && department_pattern().is_match(&row.joined())
}

/// A row of labels that belong above a table's 项目名称 row: who fills it
/// in, in which unit, for which department (部门名称 | 某局, 金额单位：万元).
pub fn is_heading_field_row(row: &Row) -> bool {
    let mut labels = row.filled().map(|(_, c)| labels::classify(&c.text).map(|m| m.label));
    matches!(
        labels.next(),
        Some(Some(Label::Field(
            Field::Department
                | Field::DepartmentCode
                | Field::ReportingUnit
                | Field::MoneyUnit
                | Field::ProjectCode
                | Field::ImplementingUnit
                | Field::DepartmentAndUnit
        )))
    ) && row.filled_count() <= 6
}

/// A row that reads like a table title, not like table content.
fn is_title_row(row: &Row) -> bool {
    if is_heading_field_row(row) {
        return true;
    }
    if row.filled_count() != 1 || is_toc_row(row) {
        return false;
    }
    let text = row.joined();
    text.chars().count() <= 80 && title_pattern().is_match(text.trim())
}

/// A one-cell row that is not a label: a candidate shifted project name.
fn is_free_line(row: &Row) -> bool {
    row.filled_count() == 1 && {
        let text = row.joined();
        text.chars().count() <= 80 && labels::classify(&text).is_none() && !text.starts_with("填报人")
    }
}

/// Rows of real content (not titles, not a table of contents).
fn is_substantial(row: &Row) -> bool {
    !is_toc_row(row) && row.joined().chars().count() >= 20
}

pub fn find_tables(rows: &[Row]) -> Vec<TableSpan> {
    let mut anchors: Vec<(usize, Kind)> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if is_project_anchor(row) {
            anchors.push((i, Kind::Project));
        } else if is_department_anchor(row) {
            anchors.push((i, Kind::Department));
        }
    }
    // A department heading followed by nothing but more headings (a table of
    // contents) is not a table.
    let anchors: Vec<(usize, Kind)> = anchors
        .iter()
        .enumerate()
        .filter(|&(k, &(i, kind))| {
            let next = anchors.get(k + 1).map_or(rows.len(), |a| a.0);
            kind == Kind::Project || rows[i + 1..next].iter().any(is_substantial)
        })
        .map(|(_, a)| *a)
        .collect();

    // A table that prints no 项目名称 (an announcement listing a project's
    // targets, a self-evaluation named in its title) is anchored on its
    // indicators, and everything above them is its preamble.
    if anchors.is_empty() {
        if let Some(anchor) = indicator_block_start(rows) {
            return vec![TableSpan { kind: Kind::Project, start: 0, anchor, end: rows.len(), list: false, named_by_title: true }];
        }
    }

    let mut spans: Vec<TableSpan> = Vec::new();
    for &(anchor, kind) in &anchors {
        let floor = spans.last().map_or(0, |s: &TableSpan| s.anchor + 1);
        let start = preamble_start(rows, anchor, floor);
        if let Some(previous) = spans.last_mut() {
            previous.end = start;
        }
        let list = kind == Kind::Project && super::list::is_list_header(&rows[anchor]);
        spans.push(TableSpan { kind, start, anchor, end: rows.len(), list, named_by_title: false });
    }
    spans
}

fn is_category_row(row: &Row) -> bool {
    row.filled().any(|(_, c)| matches!(labels::classify(&c.text).map(|m| m.label), Some(Label::Level1(_) | Label::Level2 { .. })))
}

/// The first row of an indicator block (a header row, or a row of
/// categories), when the document has at least two rows of categories.
fn indicator_block_start(rows: &[Row]) -> Option<usize> {
    let category_rows = rows.iter().filter(|r| is_category_row(r)).count();
    if category_rows < 2 {
        return None;
    }
    rows.iter().position(|r| super::indicators::parse_header(r).is_some() || is_category_row(r) && r.filled_count() >= 2)
}

/// Walks up from the anchor over title rows (and one free line right above
/// the anchor, which may be a project name OCR moved out of its cell).
fn preamble_start(rows: &[Row], anchor: usize, floor: usize) -> usize {
    let mut start = anchor;
    let mut free_line_taken = false;
    while start > floor {
        let row = &rows[start - 1];
        if is_title_row(row) {
            start -= 1;
        } else if !free_line_taken && start == anchor && is_free_line(row) && title_above(rows, start - 1, floor) {
            free_line_taken = true;
            start -= 1;
        } else {
            break;
        }
    }
    start
}

fn title_above(rows: &[Row], index: usize, floor: usize) -> bool {
    index > floor && is_title_row(&rows[index - 1])
}

#[cfg(test)]
mod tests {
    use crate::grid;
    use super::*;

    #[test]
    fn project_tables_own_their_titles() {
        let text = "标题\n\n某某市项目支出绩效目标表\n(2024年度)\n项目名称\t甲\n\t产出指标\t数量指标\t人数\t2人\n非服务对象或非受益者满意度指标\n某某市项目支出绩效目标表\n(2024年度)\n下达资金(财社[2024]7号)\n项目名称\t某某局\n";
        let (_, rows) = grid::text::rows(text);
        let spans = find_tables(&rows);
        assert_eq!(spans.len(), 2);
        assert_eq!(rows[spans[0].start].first_line, 3);
        assert_eq!(rows[spans[0].anchor].first_line, 5);
        assert_eq!(rows[spans[0].end - 1].first_line, 7, "a category row stays with its table");
        assert_eq!(rows[spans[1].start].first_line, 8);
        assert_eq!(rows[spans[1].anchor].first_line, 11);
    }

    #[test]
    fn table_of_contents_is_not_a_department_table() {
        let text = "第一部分 部门整体绩效目标\n一、总体绩效目标.....\t1\n第一部分\n\n部门整体绩效目标\n\n（一）医疗保障政策制定、管理及实施。拟定全县医疗保险实施措施\n";
        let (_, rows) = grid::text::rows(text);
        let spans = find_tables(&rows);
        assert_eq!(spans.len(), 1);
        assert_eq!(spans[0].kind, Kind::Department);
        assert_eq!(rows[spans[0].anchor].first_line, 5);
        assert_eq!(rows[spans[0].start].first_line, 3);
    }
}
