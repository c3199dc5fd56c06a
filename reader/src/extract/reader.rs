//! Stage 4: reading one table's rows into labelled values.
//!
//! Label-anchored, not position-anchored: each label cell claims the cells
//! after it up to the next label. A row without labels continues the row
//! above: its cells go to the header label of the same column when the row
//! above was a header (实施期目标 | 年度目标), are paired column by column with
//! the values above (3月底 | 6月底 over 25% | 50%), or extend the last
//! section. Indicator rows are handed to [`super::indicators`].

use std::sync::OnceLock;

use jixiao_core::model::{Indicator, Kind, Section};
use regex::Regex;

use crate::grid::split::points_and_score;
use crate::grid::Row;
use super::indicators::{parse_header, HeaderLayout, IndicatorReader};
use super::stages::StageColumn;
use crate::labels::{classify, Field, HeaderRole, Label, LabelMatch, Unit};
use super::tables::TableSpan;

/// Which half of a money block an amount was printed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// 实施期 (implementation period).
    Period,
    /// 年度 (the budget year).
    Annual,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AmountCell {
    pub field: Field,
    pub side: Side,
    /// The budget stage of the column it was printed in (年初预算数,
    /// 全年预算数, 全年执行数 …) under a header of stages; `None` otherwise.
    pub stage: Option<Field>,
    pub text: String,
    /// Unit printed on the label or the money block, if any.
    pub unit: Option<Unit>,
    pub line: u32,
}

/// A value with the line it was printed on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    pub text: String,
    pub line: u32,
}

/// Everything read from one table, before normalisation.
#[derive(Clone, Debug, Default)]
pub struct TableReading {
    pub kind: Kind,
    pub anchor_line: u32,
    pub first_line: u32,
    pub last_line: u32,
    pub name: Option<Located>,
    /// The 一级项目 a 二级项目 belongs to.
    pub parent_name: Option<Located>,
    /// An unlabelled line right above the anchor (a name OCR moved out of its cell).
    pub free_line: Option<Located>,
    /// The table prints no 项目名称: it is anchored on its indicators and
    /// named by its title.
    pub named_by_title: bool,
    pub titles: Vec<String>,
    pub year: Option<u16>,
    /// Unit stated for the whole table (单位：万元, or a money label's unit).
    pub unit: Option<Unit>,
    pub department_raw: Option<Located>,
    /// The department came from a `<code> <unit>` line above the table.
    pub department_from_title_line: bool,
    pub implementing_unit: Option<Located>,
    pub reporting_unit: Option<Located>,
    pub project_code: Option<Located>,
    /// A department code printed on a label of its own (部门预算编码).
    pub department_code: Option<Located>,
    /// A self-evaluation's total score, grade and execution rate as printed.
    pub total_score: Option<Located>,
    pub grade: Option<Located>,
    pub execution_rate: Option<Located>,
    pub amounts: Vec<AmountCell>,
    pub sections: Vec<Section>,
    pub indicators: Vec<Indicator>,
    /// Text of every cell, for region clues.
    pub all_text: String,
}

fn year_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(20\d{2})\s*[)）]?\s*年\s*度").expect("compiles"))
}

fn department_line_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^(\d{3,})\s*([^年\s\d]\S*)$").expect("compiles"))
}

fn heading_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^[（(]?[一二三四五六七八九十]+[、)）]\s*(\S.{0,20})$").expect("compiles"))
}

/// A label cell with the value cells that follow it in its row.
#[derive(Debug)]
struct Segment {
    label: LabelMatch,
    col: usize,
    line: u32,
    values: Vec<(usize, String)>,
}

/// The last labelled row, which an unlabelled row may continue.
#[derive(Debug, Default)]
struct Context {
    segments: Vec<Segment>,
}

pub fn read_table(rows: &[Row], span: &TableSpan) -> TableReading {
    let mut t = TableReading {
        kind: span.kind,
        anchor_line: rows[span.anchor].first_line,
        first_line: rows[span.start].first_line,
        last_line: rows[span.end - 1].last_line,
        named_by_title: span.named_by_title,
        ..Default::default()
    };
    for row in &rows[span.start..span.end] {
        for (_, cell) in row.filled() {
            t.all_text.push_str(&cell.text);
            t.all_text.push('\n');
        }
    }
    // A department table's anchor is its title row.
    let body_start = if span.kind == Kind::Department { span.anchor + 1 } else { span.anchor };
    // Title rows are read as such; rows of labels above the anchor (部门名称,
    // 金额单位) as the body reads them.
    let body_start = (span.start..body_start).find(|&i| super::tables::is_heading_field_row(&rows[i])).unwrap_or(body_start);
    for row in &rows[span.start..body_start] {
        read_preamble_row(&mut t, row);
    }
    let mut money_block_unit: Option<Unit> = None;
    // The budget stages of the last header row of them, by column.
    let mut stages = StageHeader::default();
    let mut context = Context::default();
    let mut indicators: Option<IndicatorReader> = None;
    for row in &rows[body_start..span.end] {
        if let Some(reader) = indicators.as_mut() {
            if reader.read_row(row) {
                continue;
            }
            t.indicators.append(&mut indicators.take().map(|r| r.indicators).unwrap_or_default());
        }
        if let Some(layout) = parse_header(row) {
            indicators = Some(IndicatorReader::new(layout));
            continue;
        }
        if starts_indicator_block(row) {
            let mut reader = IndicatorReader::new(HeaderLayout::fallback());
            reader.read_row(row);
            indicators = Some(reader);
            continue;
        }
        let (orphans, segments) = segment_row(row);
        // `计划生育转移支付资金合计（万元） | 年度预算资金总额 | 1084.25`: a
        // heading before the row's labels may state the unit of its money.
        if !segments.is_empty() {
            if let Some(unit) = orphans.iter().find_map(|(_, text)| Unit::find_in(text)) {
                money_block_unit = Some(unit);
                t.unit.get_or_insert(unit);
            }
        }
        if let [segment] = segments.as_slice() {
            if orphans.is_empty()
                && segment.values.is_empty()
                && segment.label.inline_value.is_some()
                && !t.sections.is_empty()
                && narrative_line(&mut t, segment)
            {
                push_section_text(&mut t.sections, "说明", &row.joined());
                continue;
            }
        }
        if segments.is_empty() && amounts_under_header(&mut t, &context, &orphans, money_block_unit, row.first_line) {
            // One row of amounts per header: a second row under it is no money of its columns.
            context = Context::default();
            continue;
        }
        if !orphans.is_empty() {
            continue_rows(&mut t, &context, &orphans, segments.is_empty());
        }
        if segments.is_empty() {
            continue;
        }
        // Units first: a header row of budget stages (`项目资金（万元） | 年初预算数
        // | 全年预算数 …`) states the unit of the rows below it.
        for segment in &segments {
            if let Some(unit) = segment.label.unit {
                if matches!(segment.label.label, Label::Field(Field::MoneyBlock)) {
                    money_block_unit = Some(unit);
                }
                t.unit.get_or_insert(unit);
            }
        }
        if let Some(header) = stage_header(&segments) {
            stages = header;
            context = Context { segments };
            continue;
        }
        let label_counts = |field: Field| segments.iter().filter(|s| s.label.label == Label::Field(field)).count();
        for (i, segment) in segments.iter().enumerate() {
            let first_value = segment.label.inline_value.clone().or_else(|| segment.values.first().map(|v| v.1.clone()));
            let located = |text: String| Located { text, line: segment.line };
            match &segment.label.label {
                Label::Field(Field::Name) => {
                    if t.name.is_none() {
                        t.name = first_value.map(located);
                    }
                }
                Label::Field(Field::ParentName) => {
                    if t.parent_name.is_none() {
                        t.parent_name = first_value.map(located);
                    }
                }
                Label::Field(Field::TotalScore) => {
                    // `总分 | 100 | 95.6`: the points available (分值) stand
                    // before the score given (得分) in every template.
                    let numbers: Vec<&String> = segment.values.iter().map(|v| &v.1).filter(|v| v.trim().parse::<f64>().is_ok()).collect();
                    let value = match numbers.as_slice() {
                        [.., score] if numbers.len() >= 2 => Some(score.to_string()),
                        // `10095.2` in text run together: 100 | 95.2.
                        [run] if run.trim().parse::<f64>().is_ok_and(|n| n > 100.0) => points_and_score(run).map(|(_, score)| score.to_string()),
                        _ => first_value,
                    };
                    if t.total_score.is_none() {
                        t.total_score = value.map(located);
                    }
                }
                Label::Field(Field::Grade) => {
                    if t.grade.is_none() {
                        t.grade = first_value.map(located);
                    }
                }
                Label::Field(Field::ExecutionRate) => {
                    if t.execution_rate.is_none() {
                        t.execution_rate = first_value.map(located);
                    }
                }
                Label::Field(Field::DepartmentCode) => {
                    if t.department_code.is_none() {
                        t.department_code = first_value.map(located);
                    }
                }
                Label::Field(Field::DepartmentAndUnit) => {
                    if let Some(v) = first_value {
                        if t.department_raw.is_none() || t.department_from_title_line {
                            t.department_raw = Some(located(v.clone()));
                            t.department_from_title_line = false;
                        }
                        t.implementing_unit.get_or_insert(located(v));
                    }
                }
                Label::Field(Field::MoneyUnit) => {
                    if let Some(unit) = first_value.as_deref().and_then(Unit::find_in) {
                        t.unit = Some(unit);
                        money_block_unit.get_or_insert(unit);
                    }
                }
                Label::Field(Field::Department) => {
                    if t.department_raw.is_none() || t.department_from_title_line {
                        if let Some(v) = first_value {
                            t.department_raw = Some(located(v));
                            t.department_from_title_line = false;
                        }
                    }
                }
                Label::Field(Field::ImplementingUnit) => {
                    if t.implementing_unit.is_none() {
                        t.implementing_unit = first_value.map(located);
                    }
                }
                Label::Field(Field::ProjectCode) => {
                    if t.project_code.is_none() {
                        t.project_code = first_value.map(located);
                    }
                }
                Label::Field(Field::ReportingUnit) => {
                    if t.reporting_unit.is_none() {
                        t.reporting_unit = first_value.map(located);
                    }
                }
                Label::Field(Field::Attribute) => push_section(&mut t.sections, "项目属性", segment_text(segment)),
                // The sign-off line, kept as printed.
                Label::Field(Field::Contact) => push_section(&mut t.sections, "填报信息", row.joined()),
                Label::Field(Field::Period) => push_section(&mut t.sections, "项目期限", segment_text(segment)),
                Label::Field(Field::MoneyBlock) => {
                    // Text in a money block is what the money is for, or
                    // the unit (`资金情况 | (万元)`).
                    let text = segment_text(segment);
                    if let Some(unit) = (text.chars().count() <= 8).then(|| Unit::find_in(&text)).flatten() {
                        money_block_unit = Some(unit);
                        t.unit.get_or_insert(unit);
                        continue;
                    }
                    if !text.is_empty() && !looks_numeric(&text) {
                        push_section(&mut t.sections, "资金用途", text);
                    }
                }
                Label::Field(field) if field.is_amount() => {
                    // A label printed twice in one row: the first is the
                    // 实施期 half, the second the 年度 half.
                    let same_before = segments[..i].iter().filter(|s| s.label.label == segment.label.label).count();
                    let side = if *field == Field::PeriodTotal || (label_counts(*field) >= 2 && same_before == 0) {
                        Side::Period
                    } else {
                        Side::Annual
                    };
                    let unit = segment.label.unit.or(money_block_unit);
                    let staged = if stages.stages.is_empty() || field.is_money_stage() { Vec::new() } else { staged_values(segment, &stages) };
                    if !staged.is_empty() {
                        for (stage, text) in staged {
                            t.amounts.push(AmountCell { field: *field, side, stage: Some(stage), text, unit, line: segment.line });
                        }
                    } else if let Some(text) = first_value {
                        t.amounts.push(AmountCell { field: *field, side, stage: None, text, unit, line: segment.line });
                    }
                }
                Label::Field(_) => {}
                Label::Section(label) => {
                    let mut values = segment.values.iter().map(|v| v.1.as_str()).filter(|v| !v.is_empty());
                    let text = segment.label.inline_value.clone().or_else(|| values.next().map(str::to_string));
                    if let Some(text) = text {
                        push_section(&mut t.sections, label, text);
                    }
                    // A second, different text is the annual side (总体目标 | 实施期 | 年度).
                    if let Some(second) = values.next() {
                        let annual_label = if *label == "总体目标" { "年度目标" } else { label };
                        push_section(&mut t.sections, annual_label, second.to_string());
                    }
                }
                Label::Header(_) | Label::Level1(_) | Label::Level2 { .. } => {}
            }
        }
        context = Context { segments };
    }
    if let Some(reader) = indicators {
        t.indicators.extend(reader.indicators);
    }
    if t.named_by_title && t.amounts.is_empty() {
        t.amounts.extend(amount_in_prose(&rows[span.start..span.anchor]));
    }
    t
}

/// A notice that sets out its targets in prose (`…安排…资金50万元，实施…项目`)
/// states its money in a sentence before them: the amount allotted so, when
/// the text allots one only (`下达…2000万元，其中安排…50万元` is no
/// project's total that can be told).
fn amount_in_prose(rows: &[Row]) -> Option<AmountCell> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?:安排|下达|下拨|拨付|分配|投入)[^。；;，,]{0,60}?资金\s*(\d[\d,]*(?:\.\d+)?)\s*(万元|元)").expect("compiles")
    });
    let mut allotted = rows.iter().flat_map(|row| {
        let text = row.joined();
        let found: Vec<AmountCell> = re
            .captures_iter(&text)
            .map(|caps| {
                let unit = if &caps[2] == "万元" { Unit::WanYuan } else { Unit::Yuan };
                AmountCell { field: Field::AnnualTotal, side: Side::Annual, stage: None, text: caps[1].to_string(), unit: Some(unit), line: row.first_line }
            })
            .collect();
        found
    });
    let first = allotted.next()?;
    allotted.next().is_none().then_some(first)
}

/// A row of budget stages with no values (年初预算数 | 全年预算数 | 全年执行数
/// | 分值 | 执行率 | 得分): the columns of the money rows under it.
#[derive(Clone, Debug, Default)]
struct StageHeader {
    /// Each stage's column.
    stages: Vec<(usize, Field)>,
    /// Every column in order, points and scores too (for cells run together).
    columns: Vec<StageColumn>,
}

fn stage_header(segments: &[Segment]) -> Option<StageHeader> {
    let all_headers = segments.iter().all(|s| s.values.is_empty() && s.label.inline_value.is_none());
    let stages: Vec<(usize, Field)> = segments
        .iter()
        .filter_map(|s| match s.label.label {
            Label::Field(f) if f.is_money_stage() => Some((s.col, f)),
            _ => None,
        })
        .collect();
    let columns = segments
        .iter()
        .filter_map(|s| match s.label.label {
            Label::Field(Field::ExecutionRate) => Some(StageColumn::Rate),
            Label::Field(f) if f.is_money_stage() => Some(StageColumn::Money(f)),
            Label::Header(HeaderRole::Weight) => Some(StageColumn::Points),
            Label::Header(HeaderRole::Score) => Some(StageColumn::Score),
            _ => None,
        })
        .collect();
    (stages.len() >= 2 && all_headers).then_some(StageHeader { stages, columns })
}

/// `年度资金总额 | 中央资金 | 省级资金` over `120 | 100 | 20`: a row of
/// amounts under a header row of money labels, each amount going to the
/// label of its column. Returns whether the row was that.
fn amounts_under_header(t: &mut TableReading, header: &Context, values: &[(usize, String)], block_unit: Option<Unit>, line: u32) -> bool {
    let amount_field = |s: &Segment| match s.label.label {
        Label::Field(f) if f.is_amount() => Some(f),
        _ => None,
    };
    let is_header = header.segments.iter().all(|s| s.values.is_empty() && s.label.inline_value.is_none());
    let amount_columns = header.segments.iter().filter_map(amount_field).count();
    let all_amounts = values.iter().all(|(_, v)| looks_numeric(v));
    let under_amounts = values.iter().any(|(col, _)| header.segments.iter().any(|s| s.col == *col && amount_field(s).is_some()));
    if !is_header || amount_columns < 2 || values.is_empty() || !all_amounts || !under_amounts {
        return false;
    }
    for (col, text) in values {
        let Some(segment) = header.segments.iter().find(|s| s.col == *col) else { continue };
        if let Some(field) = amount_field(segment) {
            t.amounts.push(AmountCell { field, side: Side::Annual, stage: None, text: text.clone(), unit: segment.label.unit.or(block_unit), line });
        }
    }
    true
}

/// A money row's values under a header of stages, by column. A header whose
/// first stage stands in the label's own column has no column for labels
/// (a stream, where the header row holds only the stages): its columns
/// start one after the label.
fn staged_values(segment: &Segment, header: &StageHeader) -> Vec<(Field, String)> {
    // The row's cells run together into one (`40004000100%`): cut where
    // the columns' arithmetic holds (see `stages`).
    // (Text run together may part the run at its `%`: `40004000100 | %`.)
    let filled: Vec<&str> = segment.values.iter().map(|(_, t)| t.as_str()).filter(|t| !t.is_empty()).collect();
    let run_together = filled.len() < header.columns.len() && filled.iter().all(|t| t.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | '%' | ' ')));
    if run_together && filled.concat().contains('%') {
        if let Some(cells) = super::stages::cut(&filled.concat(), &header.columns) {
            return cells
                .into_iter()
                .map(|(column, text)| match column {
                    StageColumn::Money(field) => (field, text),
                    _ => (Field::ExecutionRate, format!("{text}%")),
                })
                .collect();
        }
    }
    let stages = &header.stages;
    let first_stage = stages.first().map_or(0, |s| s.0);
    let offset = if first_stage <= segment.col { segment.col + 1 - first_stage } else { 0 };
    segment
        .values
        .iter()
        .filter_map(|(col, text)| {
            let col = col.checked_sub(offset)?;
            stages.iter().find(|(c, _)| *c == col).map(|&(_, f)| (f, text.clone()))
        })
        .collect()
}

/// A `标签：文字` line inside narrative text (`绩效目标：…`, `绩效指标：…`)
/// stays in the current section (true); a list of indicators is also read
/// as indicators.
fn narrative_line(t: &mut TableReading, segment: &Segment) -> bool {
    match (&segment.label.label, &segment.label.inline_value) {
        (Label::Field(_), _) | (_, None) => false,
        (Label::Header(HeaderRole::Block), Some(list)) => {
            t.indicators.extend(super::indicators::from_list(list));
            true
        }
        _ => true,
    }
}

/// `绩效指标 | 产出指标 | 数量指标 | …` without a recognisable header row above.
/// `产出指标 | 数量指标 | …` (after 绩效指标 or not) without a recognisable
/// header row above.
fn starts_indicator_block(row: &Row) -> bool {
    let labels: Vec<Option<Label>> = row.filled().map(|(_, c)| classify(&c.text).map(|m| m.label)).collect();
    let is_category = |l: &Option<Label>| matches!(l, Some(Label::Level1(_) | Label::Level2 { .. }));
    match labels.first() {
        Some(Some(Label::Header(HeaderRole::Block))) => labels[1..].iter().any(is_category),
        Some(first) => is_category(first) && labels.len() >= 2,
        None => false,
    }
}

pub(super) fn read_preamble_row(t: &mut TableReading, row: &Row) {
    let text = row.joined();
    if let Some(year) = year_pattern().captures(&text).and_then(|c| c[1].parse().ok()) {
        t.year.get_or_insert(year);
    }
    if let Some(unit) = text.contains("单位").then(|| Unit::find_in(&text)).flatten() {
        t.unit.get_or_insert(unit);
    }
    let line = row.first_line;
    if let Some(m) = classify(&text) {
        match (m.label, m.inline_value) {
            (Label::Field(Field::ProjectCode), Some(v)) => t.project_code = Some(Located { text: v, line }),
            (Label::Field(Field::ReportingUnit), Some(v)) => t.reporting_unit = Some(Located { text: v, line }),
            _ => {}
        }
        return;
    }
    if department_line_pattern().is_match(text.trim()) {
        t.department_raw = Some(Located { text: text.trim().to_string(), line });
        t.department_from_title_line = true;
        return;
    }
    let is_title = text.contains("绩效目标") || text.contains("申报表") || year_pattern().is_match(&text) || text.starts_with('#');
    if is_title {
        t.titles.push(text.trim_start_matches('#').trim().to_string());
    } else if text.chars().count() > 1 && !t.named_by_title {
        t.free_line = Some(Located { text, line });
    }
}

/// Splits a row into the cells before its first label and its label segments.
fn segment_row(row: &Row) -> (Vec<(usize, String)>, Vec<Segment>) {
    let mut orphans = Vec::new();
    let mut segments: Vec<Segment> = Vec::new();
    for (col, cell) in row.filled() {
        match classify(&cell.text) {
            Some(label) => segments.push(Segment { label, col, line: cell.line, values: Vec::new() }),
            None => match segments.last_mut() {
                Some(segment) => segment.values.push((col, cell.text.clone())),
                None => orphans.push((col, cell.text.clone())),
            },
        }
    }
    (orphans, segments)
}

/// Cells of a row without a label of its own continue the row above.
fn continue_rows(t: &mut TableReading, context: &Context, orphans: &[(usize, String)], whole_row: bool) {
    let text: Vec<&str> = orphans.iter().map(|o| o.1.as_str()).collect();
    // Numbered headings in narrative sections start a section of their own.
    if whole_row && orphans.len() == 1 {
        if let Some(caps) = heading_pattern().captures(orphans[0].1.trim()) {
            let title = caps[1].trim_end_matches(['：', ':']).to_string();
            if t.sections.last().is_none_or(|s| s.label != title) {
                t.sections.push(Section { label: title, text: String::new() });
            }
            return;
        }
    }
    let header_row = !context.segments.is_empty() && context.segments.iter().all(|s| s.values.is_empty());
    if header_row && context.segments.len() >= 2 {
        // Values under a header row go to the header of their column.
        for (col, value) in orphans {
            let header = context.segments.iter().rev().find(|s| s.col <= *col).unwrap_or(&context.segments[0]);
            if let Label::Section(label) = header.label.label {
                push_section(&mut t.sections, label, value.clone());
            }
        }
        return;
    }
    let Some(last) = context.segments.last() else {
        // Narrative before any label: the text of the current section.
        push_section_text(&mut t.sections, "说明", &text.join(" "));
        return;
    };
    let label = match &last.label.label {
        Label::Section(label) => label.to_string(),
        Label::Field(Field::MoneyBlock) => "资金用途".to_string(),
        _ if context.segments.iter().any(|s| matches!(s.label.label, Label::Field(Field::MoneyBlock))) => "资金用途".into(),
        _ => match t.sections.last() {
            Some(section) => section.label.clone(),
            None => return,
        },
    };
    // Paired column by column with the values above (3月底 over 25%).
    let above: Vec<&(usize, String)> = last.values.iter().collect();
    let paired = above.len() >= 2 && orphans.iter().all(|(col, _)| above.iter().any(|(c, _)| c == col));
    let addition = if paired {
        above
            .iter()
            .filter_map(|(col, head)| orphans.iter().find(|(c, _)| c == col).map(|(_, v)| format!("{head}：{v}")))
            .collect::<Vec<_>>()
            .join("；")
    } else {
        text.join(" ")
    };
    if paired {
        // Replace the bare headings with the pairs.
        if let Some(section) = t.sections.iter_mut().rev().find(|s| s.label == label) {
            section.text = addition;
            return;
        }
    }
    push_section_text(&mut t.sections, &label, &addition);
}

fn segment_text(segment: &Segment) -> String {
    let mut parts: Vec<String> = segment.label.inline_value.iter().cloned().collect();
    parts.extend(segment.values.iter().map(|v| v.1.clone()));
    parts.join(" ")
}

fn looks_numeric(text: &str) -> bool {
    text.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | ' ' | '%'))
}

/// Adds a section; the same label again appends to its text.
fn push_section(sections: &mut Vec<Section>, label: &str, text: String) {
    let text = text.trim().to_string();
    if text.is_empty() {
        return;
    }
    match sections.iter_mut().find(|s| s.label == label) {
        Some(section) if section.text.is_empty() => section.text = text,
        Some(section) if section.text != text => {
            section.text.push('\n');
            section.text.push_str(&text);
        }
        Some(_) => {}
        None => sections.push(Section { label: label.to_string(), text }),
    }
}

/// Extends the last section with this label (or the last section of all).
fn push_section_text(sections: &mut Vec<Section>, fallback_label: &str, text: &str) {
    let text = text.trim();
    if text.is_empty() {
        return;
    }
    if let Some(section) = sections.last_mut() {
        if section.label == fallback_label || fallback_label == "说明" {
            if !section.text.is_empty() {
                section.text.push('\n');
            }
            section.text.push_str(text);
            return;
        }
    }
    push_section(sections, fallback_label, text.to_string());
}

#[cfg(test)]
mod tests {
    use super::super::{extract_document, DocumentInput};

    fn record(text: &str) -> jixiao_core::model::Record {
        let (mut records, _) = extract_document(&DocumentInput::from_text("t.txt", text));
        assert_eq!(records.len(), 1, "{records:?}");
        records.remove(0)
    }

    fn money(text: &str) -> jixiao_core::model::Money {
        record(text).money
    }

    /// The national self-evaluation template (项目支出绩效自评表) as a table.
    const NATIONAL_SELF_EVALUATION: &str = "项目支出绩效自评表\n（2023年度）\n\
        项目名称\t城乡居民基本医疗保险补助\n主管部门\t某县医疗保障局\t实施单位\t某县医疗保障局\n\
        项目资金（万元）\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\n\
        \t年度资金总额\t100\t120\t110\t10\t91.67%\t9.2\n\t其中：当年财政拨款\t100\t120\t110\t—\t—\t—\n\
        \t其他资金\t0\t0\t0\t—\t—\t—\n\
        绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施\n\
        \t产出指标\t数量指标\t参保人数\t≥5万人\t5.2万人\t20\t20\t\n\
        \t\t质量指标\t政策范围内报销比例\t≥70%\t68%\t20\t18\t部分药品超出目录\n\
        \t满意度指标\t服务对象满意度指标\t参保群众满意度\t≥90%\t93%\t10\t10\t\n\
        总分\t100\t95.2\n";

    /// What a reader of the record sees: money, results and indicators.
    fn reading(r: &jixiao_core::model::Record) -> String {
        let indicators: Vec<String> = r
            .indicators
            .iter()
            .map(|i| format!("{:?}", (&i.level1, &i.level2, &i.name, &i.value, &i.actual, &i.weight, &i.score, &i.achievement, &i.deviation)))
            .collect();
        format!("{:?}\n{:?}\n{:?}\n{}", r.kind, r.money, r.evaluation, indicators.join("\n"))
    }

    /// The same table saved as text in other layouts reads the same: one
    /// cell per line (a page's table cells each on a line of their own),
    /// and cells separated by single spaces.
    #[test]
    fn a_table_reads_the_same_whatever_layout_its_text_has() {
        let table = record(NATIONAL_SELF_EVALUATION);
        assert_eq!(table.kind, jixiao_core::model::Kind::Evaluation);
        assert_eq!(table.evaluation.as_ref().and_then(|e| e.executed_yuan), Some(1_100_000));
        assert_eq!(table.indicators.len(), 3, "{:#?}", table.indicators);
        let cell_per_line: String = NATIONAL_SELF_EVALUATION.split(['\t', '\n']).filter(|c| !c.is_empty()).map(|c| format!("{c}\n")).collect();
        assert_eq!(reading(&record(&cell_per_line)), reading(&table));
        let space_separated = NATIONAL_SELF_EVALUATION.replace('\t', " ");
        assert_eq!(reading(&record(&space_separated)), reading(&table));
        // Run together, the total's row is digits (1001201101091.67%9.2),
        // cut where its arithmetic holds: 110 of 120 is 91.67 %.
        let run_together: String = NATIONAL_SELF_EVALUATION.chars().filter(|c| !c.is_whitespace()).collect();
        let r = record(&run_together);
        assert_eq!(r.kind, jixiao_core::model::Kind::Evaluation);
        let e = r.evaluation.expect("an evaluation");
        assert_eq!((e.initial_budget_yuan, e.executed_yuan, e.execution_rate.as_deref(), e.score.as_deref()), (Some(1_000_000), Some(1_100_000), Some("91.67%"), Some("95.2")));
        assert_eq!(r.money.total_yuan, Some(1_200_000));
        // Where no single cut holds (the rate printed wrong), nothing is taken.
        let r = record(&run_together.replace("1001201101091.67%", "1001201101095.00%"));
        let e = r.evaluation.expect("an evaluation");
        assert_eq!((e.initial_budget_yuan, e.executed_yuan), (None, None));
        assert!(r.warnings.iter().any(|w| w.message.contains("可能是几列数字连在了一起")), "{:?}", r.warnings);
        let results: Vec<(&str, Option<&str>, Option<&str>, Option<&str>)> =
            r.indicators.iter().map(|i| (i.name.as_str(), i.actual.as_deref(), i.weight.as_deref(), i.score.as_deref())).collect();
        assert_eq!(results, [("参保人数", Some("5.2万人"), Some("20"), Some("20")), ("政策范围内报销比例", Some("68%"), Some("20"), Some("18")), ("参保群众满意度", Some("93%"), Some("10"), Some("10"))]);
    }

    /// A target table may show the money spent in past years beside its
    /// budget: it stays a target table; its title decides, and a table with
    /// no title of its own goes by the page's.
    #[test]
    fn past_years_spending_does_not_make_a_target_table_a_self_evaluation() {
        use jixiao_core::model::Kind;
        let table = "项目名称\t办公大楼运行保障\n主管部门\t某市机关事务服务中心\n\
                     项目预算\t2020年实际执行数\t2021年实际执行数\n\t662.98\t794.55\n\
                     一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t维修维护次数\t2280次\n";
        assert_eq!(record(&format!("某市2022年项目支出绩效目标表\n{table}")).kind, Kind::Project);
        assert_eq!(record(&format!("某市2022年项目支出绩效目标表.docx\n下载积分：5\n\n{table}")).kind, Kind::Project);
        // A page's menu naming 绩效自评 names no table.
        assert_eq!(record(&format!("首页 | 政务公开 | 绩效自评 | 联系我们\n\n{table}")).kind, Kind::Project);
        assert_eq!(record(&format!("某市2022年项目支出绩效自评表\n{table}")).kind, Kind::Evaluation);
    }

    /// A notice that sets out its targets in prose states its money in a
    /// sentence; the amounts of its targets (产值80万元) are no budget.
    #[test]
    fn a_notice_in_prose_gives_the_money_it_allots() {
        let notice = "标题：关于某镇设施农业种植项目绩效目标设定的公示\n\
            根据《关于下达2023年衔接推进乡村振兴资金预算指标的通知》精神，安排上级财政衔接资金50万元，实施某镇设施农业种植项目。\
            项目总体绩效目标是：增加特色产业产值80万元。现将绩效目标设定如下：\n\
            一、产出指标\n数量指标：种植数量>=17600株；时效指标：完成及时率>=100%。\n\
            二、效益指标\n经济效益指标：特色产业产值≥80万元。\n三、满意度指标\n服务对象满意度指标，受益户满意度≥95%。\n\
            附件：项目绩效目标设定表.xlsx\n某镇人民政府\n2023年3月27日\n";
        let r = record(notice);
        assert_eq!(r.money.total_yuan, Some(500_000));
        // A text that allots two amounts does not say which is the project's.
        let two = notice.replace("安排上级财政衔接资金50万元", "下达我县衔接资金2000万元，其中安排项目资金50万元");
        assert_eq!(record(&two).money.total_yuan, None);
        // Every line of targets is read, headings' numbers and what follows the targets are not.
        let targets: Vec<(&str, Option<&str>)> = r.indicators.iter().map(|i| (i.name.as_str(), i.value.as_deref())).collect();
        assert_eq!(
            targets,
            [("种植数量", Some(">=17600株")), ("完成及时率", Some(">=100%")), ("特色产业产值", Some("≥80万元")), ("受益户满意度", Some("≥95%"))]
        );
    }

    /// What a reader of a self-evaluation relies on survives its cells'
    /// words: an actual of 达到 (also a comparator's word), a reason that
    /// starts like a label (完成情况:…), a remark naming a target table, a
    /// short name with only its points.
    #[test]
    fn a_self_evaluations_rows_keep_their_results_whatever_their_words() {
        let r = record(
            "项目支出绩效自评表\n项目名称\t乡村道路建设\n主管部门\t某县交通运输局\n\
             一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施\n\
             产出指标\t数量指标\t道路里程\t≥5公里\t5公里\t20\t20\t指标值取自年初绩效目标表\n\
             \t\t桥梁座数\t≥2座\t1座\t10\t5\t完成情况:1座因汛期推迟至次年\n\
             \t质量指标\t验收合格率\t≥95%\t达到\t20\t20\t\n\
             \t时效指标\t工期\t\t\t10\t10\t\n",
        );
        let got: Vec<(&str, Option<&str>, Option<&str>, Option<&str>)> =
            r.indicators.iter().map(|i| (i.name.as_str(), i.actual.as_deref(), i.weight.as_deref(), i.score.as_deref())).collect();
        assert_eq!(
            got,
            [
                ("道路里程", Some("5公里"), Some("20"), Some("20")),
                ("桥梁座数", Some("1座"), Some("10"), Some("5")),
                ("验收合格率", Some("达到"), Some("20"), Some("20")),
                ("工期", None, Some("10"), Some("10")),
            ]
        );
        assert_eq!(r.indicators[2].achievement, Some(jixiao_core::model::Achievement::Achieved));
    }

    /// Other provinces' templates word the same fields differently; their
    /// words are synonyms in labels.toml, not code.
    #[test]
    fn another_templates_words_are_read_as_the_same_fields() {
        let r = record(
            "项目名称\t医疗救助资金\n归口管理部门\t某县医疗保障局\n项目单位\t某县医疗保障事务中心\n\
             资金规模（万元）\t200\n其中：中央转移支付\t120\n省级专项资金\t50\n县级补助\t30\n\
             一级指标\t二级指标\t三级指标\t计划值\t指标权重\n\
             产出指标\t数量指标\t救助人次\t≥3000人次\t20\n效益指标\t社会效益\t困难群众就医负担\t有效减轻\t30\n",
        );
        assert_eq!((r.department.as_deref(), r.implementing_unit.as_deref()), (Some("某县医疗保障局"), Some("某县医疗保障事务中心")));
        let m = &r.money;
        assert_eq!((m.total_yuan, m.central, m.provincial, m.local), (Some(2_000_000), Some(1_200_000), Some(500_000), Some(300_000)));
        let indicators: Vec<(Option<&str>, &str, Option<&str>, Option<&str>)> =
            r.indicators.iter().map(|i| (i.level2.as_deref(), i.name.as_str(), i.value.as_deref(), i.weight.as_deref())).collect();
        assert_eq!(
            indicators,
            [(Some("数量指标"), "救助人次", Some("≥3000人次"), Some("20")), (Some("社会效益"), "困难群众就医负担", Some("有效减轻"), Some("30"))]
        );
    }

    #[test]
    fn amounts_under_a_header_of_money_labels_go_to_their_columns() {
        let indicators = "一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t系统数\t≥1个\n";
        let m = money(&format!(
            "项目名称\t医保信息化建设\n主管部门\t某县医疗保障局\n项目资金（万元）\t年度资金总额\t财政拨款\t其他资金\n\t120\t100\t20\n{indicators}"
        ));
        assert_eq!((m.total_yuan, m.fiscal_unspecified, m.other), (Some(1_200_000), Some(1_000_000), Some(200_000)));
        let m = money(&format!(
            "项目名称\t医保信息化建设\n主管部门\t某县医疗保障局\n单位：万元\n年度资金总额\t中央资金\t省级资金\t县级资金\n120\t100\t20\t0\n{indicators}"
        ));
        assert_eq!((m.total_yuan, m.central, m.provincial, m.local), (Some(1_200_000), Some(1_000_000), Some(200_000), Some(0)));
    }
}
