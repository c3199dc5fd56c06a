//! Cell streams → rows: tables whose every cell became a line (or a
//! paragraph, or a piece of text run together), with the row breaks lost.
//!
//! Rows are rebuilt from what the cells say, one general rule set:
//! - a label wrapped over two cells (`年度` / `指标值`, `经济效益` / `指标`)
//!   is one cell again;
//! - a run of header cells (一级指标 二级指标 三级指标 指标值 …, or the money
//!   columns 年初预算数 全年预算数 全年执行数 …) is a header row, and fixes
//!   how many cells the rows under it have: an indicator row is its
//!   categories, its name and one cell per header column after the name; a
//!   money row is its label and one cell per money column;
//! - any other label starts a row and takes the cells up to the next label;
//! - text that is no label and follows no header is a row of its own.

use crate::labels::{classify, exact, Field, HeaderRole, Label};

use super::split::split_indicator_text;
use super::{Cell, Row};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Empty,
    Field(Field),
    Section,
    Header(HeaderRole),
    Category,
    Text,
}

impl Kind {
    fn of(cell: &Cell) -> Kind {
        if cell.text.is_empty() {
            return Kind::Empty;
        }
        match classify(&cell.text) {
            // `金额单位：万元` carries its value: a row by itself.
            Some(m) if m.inline_value.is_some() => match m.label {
                Label::Section(_) => Kind::Section,
                _ => Kind::Field(Field::Ignored),
            },
            Some(m) => match m.label {
                Label::Field(f) => Kind::Field(f),
                Label::Section(_) => Kind::Section,
                Label::Header(role) => Kind::Header(role),
                Label::Level1(_) | Label::Level2 { .. } => Kind::Category,
            },
            None => Kind::Text,
        }
    }

    /// A cell that starts a row of its own in a stream.
    fn starts_row(self) -> bool {
        matches!(self, Kind::Field(_) | Kind::Section | Kind::Header(_) | Kind::Category)
    }

    /// A cell that may stand in a header row.
    fn is_header(self) -> bool {
        match self {
            Kind::Header(_) => true,
            Kind::Field(f) => f.is_money_stage(),
            _ => false,
        }
    }
}

/// Rows from a stream of real cells (each line or paragraph one cell).
pub fn rows(cells: Vec<Cell>) -> Vec<Row> {
    let cells = rejoin_wrapped_labels(cells);
    let real = vec![false; cells.len()];
    form_rows(cells, &real, false)
}

/// Rows from the pieces of text run together, cut at its labels: values
/// are not cells of their own there, so an indicator's name and target are
/// told apart inside one piece ([`split_indicator_text`]; `words_as_targets`:
/// a word at the end of a piece may be its target, where the text is not
/// written in sentences).
pub fn fragment_rows(cells: Vec<Cell>, words_as_targets: bool) -> Vec<Row> {
    let cells = split_leading_amounts(cells);
    let fragments = vec![true; cells.len()];
    form_rows(cells, &fragments, words_as_targets)
}

/// Rows from real cells and pieces of text run together mixed
/// (`fragment[i]`: cell `i` is a piece), as a document read as the
/// sequence of its cells gives them.
pub fn mixed_rows(cells: Vec<Cell>, fragment: Vec<bool>, words_as_targets: bool) -> Vec<Row> {
    let mut out_cells = Vec::with_capacity(cells.len());
    let mut out_fragment = Vec::with_capacity(cells.len());
    for (cell, is_fragment) in cells.into_iter().zip(fragment) {
        let pieces = if is_fragment { split_leading_amounts(vec![cell]) } else { vec![cell] };
        out_fragment.extend(std::iter::repeat_n(is_fragment, pieces.len()));
        out_cells.extend(pieces);
    }
    form_rows(out_cells, &out_fragment, words_as_targets)
}

/// In text run together, the piece after a money label starts with its
/// amount and may run on into the next words (`174.78万元中央补`): the
/// amount is a cell of its own.
fn split_leading_amounts(cells: Vec<Cell>) -> Vec<Cell> {
    static AMOUNT: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let amount = AMOUNT.get_or_init(|| regex::Regex::new(r"^\d[\d,]*(?:\.\d+)?\s*(?:万元|元|万)?").expect("compiles"));
    let mut out: Vec<Cell> = Vec::with_capacity(cells.len());
    for cell in cells {
        let after_money_label = out.last().is_some_and(|c| matches!(Kind::of(c), Kind::Field(f) if f.is_amount()));
        match amount.find(&cell.text).filter(|m| after_money_label && m.end() < cell.text.len()) {
            Some(m) => {
                let (head, tail) = cell.text.split_at(m.end());
                out.push(Cell { text: head.to_string(), line: cell.line });
                out.push(Cell { text: tail.to_string(), line: cell.line });
            }
            None => out.push(cell),
        }
    }
    out
}

/// Joins a label wrapped over two cells back into one.
fn rejoin_wrapped_labels(cells: Vec<Cell>) -> Vec<Cell> {
    let mut out: Vec<Cell> = Vec::with_capacity(cells.len());
    let mut cells = cells.into_iter().peekable();
    while let Some(mut cell) = cells.next() {
        if let Some(next) = cells.peek() {
            if !cell.text.is_empty() && !next.text.is_empty() {
                let joined = format!("{}{}", cell.text, next.text);
                let either_alone_is_no_label = exact(&cell.text).is_none() || exact(&next.text).is_none();
                // A target's column never follows a result's (`实际完成` /
                // `指标值` is 实际完成指标值 wrapped).
                let role = |text: &str| match exact(text).map(|m| m.label) {
                    Some(Label::Header(role)) => Some(role),
                    _ => None,
                };
                let out_of_order = role(&cell.text) == Some(HeaderRole::Actual) && matches!(role(&next.text), Some(HeaderRole::Value | HeaderRole::AnnualValue));
                if (either_alone_is_no_label || out_of_order) && exact(&joined).is_some() {
                    cell.text = joined;
                    cells.next();
                }
            }
        }
        out.push(cell);
    }
    out
}

/// `fragment[i]`: cell `i` is a piece of text run together, not a real
/// cell (`words_as_targets`: a word at the end of a piece may be a target).
fn form_rows(cells: Vec<Cell>, fragment: &[bool], words_as_targets: bool) -> Vec<Row> {
    let kinds: Vec<Kind> = cells.iter().map(Kind::of).collect();
    let n = cells.len();
    let mut rows = Vec::new();
    let row = |cells: &[Cell]| Row {
        first_line: cells.first().map_or(0, |c| c.line),
        last_line: cells.last().map_or(0, |c| c.line),
        cells: cells.to_vec(),
        gap_before: 0,
    };
    // Cells after the name in the indicator rows under the last header.
    let mut indicator_width: Option<usize> = None;
    // Cells after the label in the money rows under the last money header.
    let mut money_width: Option<usize> = None;
    // In text run together: the header's columns after the name.
    let mut after_name: Vec<HeaderRole> = Vec::new();
    let mut i = 0;
    while i < n {
        if kinds[i] == Kind::Empty {
            i += 1;
            continue;
        }
        let run = kinds[i..].iter().take_while(|k| k.is_header()).count();
        if run >= 2 {
            let header = &kinds[i..i + run];
            match header.iter().position(|k| *k == Kind::Header(HeaderRole::Name)) {
                Some(name) => {
                    indicator_width = Some(run - name - 1);
                    money_width = None;
                    after_name = header[name + 1..].iter().filter_map(|k| if let Kind::Header(role) = k { Some(*role) } else { None }).collect();
                }
                None if header.iter().any(|k| matches!(k, Kind::Field(_))) => money_width = Some(run),
                None => {}
            }
            rows.push(row(&cells[i..i + run]));
            i += run;
            continue;
        }
        match kinds[i] {
            Kind::Field(field) => {
                if field == Field::Name {
                    after_name.clear();
                }
                let width = if field.is_money_source() { money_width } else { None };
                if !field.is_amount() {
                    indicator_width = None;
                }
                let end = label_row_end(&kinds, i, width);
                rows.push(row(&cells[i..end]));
                i = end;
            }
            Kind::Section | Kind::Header(_) => {
                indicator_width = None;
                let end = label_row_end(&kinds, i, None);
                rows.push(row(&cells[i..end]));
                i = end;
            }
            Kind::Category | Kind::Text if indicator_width.is_some() && !fragment[i] && !piece_after_categories(&kinds, fragment, i) => {
                let width = indicator_width.unwrap_or(0);
                let mut j = i;
                while j < n && kinds[j] == Kind::Category {
                    j += 1;
                }
                // The name, unless the row ends first.
                if j < n && !matches!(kinds[j], Kind::Field(_) | Kind::Section) {
                    j += 1;
                    let mut taken = 0;
                    // A category starts the next row: the row's last cells were empty.
                    while j < n && taken < width && !matches!(kinds[j], Kind::Field(_) | Kind::Section | Kind::Category) {
                        if kinds[j..].iter().take_while(|k| k.is_header()).count() >= 2 {
                            break;
                        }
                        j += 1;
                        taken += 1;
                    }
                    // Points after the row's columns, before the next name,
                    // are the row's weight (a header that prints no 分值
                    // column: it was cut off or printed apart), not a row.
                    let points = |k: usize| cells.get(k).is_some_and(|c| is_points_cell(&c.text));
                    let header_has_points = after_name.iter().any(|r| matches!(r, HeaderRole::Weight | HeaderRole::Score));
                    // (A name has words: `%` after a number is its unit.)
                    let name_next = |k: usize| kinds[k] == Kind::Category || kinds[k] == Kind::Text && cells[k].text.chars().filter(|&c| jixiao_core::text::is_han(c)).count() >= 2;
                    if !header_has_points && taken == width && j + 1 < n && points(j) && name_next(j + 1) {
                        j += 1;
                    }
                }
                rows.push(row(&cells[i..j]));
                i = j;
            }
            Kind::Category if fragment[i] || piece_after_categories(&kinds, fragment, i) => {
                let mut j = i;
                while j < n && kinds[j] == Kind::Category {
                    j += 1;
                }
                let mut categories = cells[i..j].to_vec();
                if j < n && kinds[j] == Kind::Text {
                    let mut pieces = split_indicator_text(&cells[j].text, words_as_targets, &after_name);
                    // `服务对象满意度 | %=99`: symbols alone are no name; the
                    // category word before them is it.
                    if let Some(first) = pieces.first_mut() {
                        let symbols_only = first[0].chars().all(|c| !c.is_alphanumeric());
                        if symbols_only && categories.len() >= 2 {
                            let category = categories.pop().map(|c| c.text).unwrap_or_default();
                            first[0] = format!("{category}{}", first[0]);
                        }
                    }
                    for (k, piece) in pieces.iter().enumerate() {
                        let mut row_cells: Vec<Cell> = if k == 0 { categories.clone() } else { Vec::new() };
                        row_cells.extend(piece.iter().map(|text| Cell { text: text.clone(), line: cells[j].line }));
                        rows.push(row(&row_cells));
                    }
                    j += 1;
                } else {
                    rows.push(row(&categories));
                }
                i = j;
            }
            _ => {
                rows.push(row(&cells[i..i + 1]));
                i += 1;
            }
        }
    }
    rows
}

/// The first cell after the categories starting at `i` is a piece of
/// text run together (an indicator's name and target in one).
fn piece_after_categories(kinds: &[Kind], fragment: &[bool], i: usize) -> bool {
    let j = i + kinds[i..].iter().take_while(|k| **k == Kind::Category).count();
    j < kinds.len() && kinds[j] == Kind::Text && fragment[j]
}

/// A number of points (`5`, `12.5`, `20分`): a weight or a score.
fn is_points_cell(text: &str) -> bool {
    let number = text.strip_suffix('分').unwrap_or(text);
    !number.is_empty() && number.len() <= 4 && number.chars().all(|c| c.is_ascii_digit() || c == '.') && number.parse::<f64>().is_ok_and(|p| p <= 100.0)
}

/// One past the last cell of a label's row: the cells up to the next label,
/// or at most `width` of them.
fn label_row_end(kinds: &[Kind], start: usize, width: Option<usize>) -> usize {
    let mut end = start + 1;
    let mut taken = 0;
    while end < kinds.len() && !kinds[end].starts_row() && width.is_none_or(|w| taken < w) {
        end += 1;
        taken += 1;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(texts: &[&str]) -> Vec<Cell> {
        texts.iter().enumerate().map(|(i, t)| Cell { text: t.to_string(), line: i as u32 + 1 }).collect()
    }

    fn texts(rows: &[Row]) -> Vec<Vec<&str>> {
        rows.iter().map(|r| r.cells.iter().map(|c| c.text.as_str()).collect()).collect()
    }

    #[test]
    fn labels_take_their_values_and_headers_fix_row_widths() {
        let stream = cells(&[
            "项目名称", "暖通改造经费", "主管部门", "廊坊市发改委",
            "项目资金(万元)", "", "年初", "预算数", "全年", "预算数", "全年", "执行数",
            "年度资金总额", "43.2", "43.2", "37.24",
            "一级指标", "二级指标", "三级指标", "年度", "指标值", "实际", "完成值",
            "产出指标", "数量指标", "指标1工程资金金额", "43.2", "37.24",
            "指标2", "", "",
            "质量指标", "指标1工程完工率", "100", "100",
        ]);
        let got = rows(stream);
        assert_eq!(
            texts(&got),
            vec![
                vec!["项目名称", "暖通改造经费"],
                vec!["主管部门", "廊坊市发改委"],
                vec!["项目资金(万元)", ""],
                vec!["年初预算数", "全年预算数", "全年执行数"],
                vec!["年度资金总额", "43.2", "43.2", "37.24"],
                vec!["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值"],
                vec!["产出指标", "数量指标", "指标1工程资金金额", "43.2", "37.24"],
                vec!["指标2", "", ""],
                vec!["质量指标", "指标1工程完工率", "100", "100"],
            ]
        );
        assert_eq!((got[4].first_line, got[4].last_line), (13, 16));
    }
}
