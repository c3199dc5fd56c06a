//! Text documents → rows, in whichever layout the text was saved.
//!
//! The layout is detected from the shape of the lines (see [`detect`]):
//! tabs, pipes, runs of spaces, single spaces between Chinese tokens, one
//! cell per line. Lines that do not follow the document's layout (a page's
//! navigation, a title, a notice) are one-cell rows. After the rows are
//! found, [`super::split`] cuts text run together at the labels it holds.

use super::clean::clean_cell;
use super::{split, stream, Cell, Layout, Row};

pub fn rows(text: &str) -> (Layout, Vec<Row>) {
    rows_in(text, None)
}

/// Like [`rows`], in a layout known beforehand instead of one detected.
pub fn rows_in(text: &str, known: Option<Layout>) -> (Layout, Vec<Row>) {
    let lines: Vec<&str> = text.lines().collect();
    let layout = known.unwrap_or_else(|| detect(&lines));
    let rows = match layout {
        Layout::CellPerLine => cell_per_line_rows(&lines),
        Layout::PipeRows => line_rows(&lines, split_pipes),
        Layout::SpaceAligned => line_rows(&lines, split_aligned),
        Layout::SpaceSeparated => line_rows(&lines, split_spaces),
        Layout::CellStream => stream::rows(stream_cells(&lines)),
        Layout::Plain => line_rows(&lines, |line| Some(vec![line.to_string()])),
        _ => line_rows(&lines, |line| Some(line.split('\t').map(str::to_string).collect())),
    };
    let rows = match layout {
        Layout::TabRows | Layout::PipeRows | Layout::SpaceAligned | Layout::SpaceSeparated => join_wrapped_rows(rows),
        _ => rows,
    };
    // Text run together is only found in layouts without real cells.
    match layout {
        Layout::Plain => (layout, split::split_run_together(rows, false)),
        Layout::PipeRows | Layout::SpaceAligned | Layout::SpaceSeparated => (layout, split::split_run_together(rows, true)),
        _ => (layout, rows),
    }
}

/// A cell that is a label, a category or a value (a number, a target),
/// not the words of a cell wrapped onto the next line.
fn is_own_cell(text: &str) -> bool {
    let han = text.chars().filter(|&c| jixiao_core::text::is_han(c)).count();
    let value = text.starts_with(|c: char| "≥≤<>=≧≦".contains(c)) || text.starts_with(|c: char| c.is_ascii_digit()) && han <= 3;
    value || crate::labels::classify(text).is_some()
}

/// Rows of a cell wrapped onto the lines below it (`项目名称 | 待遇保障和医药服`
/// then ` | 务工作经费`): the line below holds fewer cells, nothing in the
/// row's first column, each under a cell of the row above that is as long
/// as its column's longest (a line wraps where the column is full) and no
/// shorter than it, none of them a label or a value. Their text goes to
/// the cell above; a row with a cell of its own (a new indicator's name
/// and target, a money label) is a row.
fn join_wrapped_rows(rows: Vec<Row>) -> Vec<Row> {
    let mut widths: Vec<usize> = Vec::new();
    for row in &rows {
        for (col, cell) in row.cells.iter().enumerate() {
            if widths.len() <= col {
                widths.resize(col + 1, 0);
            }
            widths[col] = widths[col].max(cell.text.chars().count());
        }
    }
    let full = |col: usize, len: usize| len * 10 >= widths.get(col).copied().unwrap_or(0) * 9;
    let mut out: Vec<Row> = Vec::with_capacity(rows.len());
    for row in rows {
        let wrapped = out.last().is_some_and(|above| {
            let (above_filled, filled) = (above.filled_count(), row.filled_count());
            row.gap_before == 0
                && filled > 0
                && filled < above_filled
                && row.cells.first().is_some_and(|c| c.text.is_empty())
                && row.filled().all(|(col, cell)| {
                    above.cells.get(col).is_some_and(|a| {
                        let (a_len, len) = (a.text.chars().count(), cell.text.chars().count());
                        !a.text.is_empty()
                            && !is_own_cell(&a.text)
                            && !is_own_cell(&cell.text)
                            && len <= a_len
                            && a_len >= 6
                            && full(col, a_len)
                            && !a.text.ends_with(['。', '；', ';'])
                    })
                })
        });
        match out.last_mut() {
            Some(above) if wrapped => {
                for (col, cell) in row.cells.iter().enumerate().filter(|(_, c)| !c.text.is_empty()) {
                    let target = &mut above.cells[col].text;
                    // Chinese text wraps without a space; Latin words keep one.
                    if target.ends_with(|c: char| c.is_ascii_alphanumeric()) && cell.text.starts_with(|c: char| c.is_ascii_alphanumeric()) {
                        target.push(' ');
                    }
                    target.push_str(&cell.text);
                }
                above.last_line = row.last_line;
            }
            _ => out.push(row),
        }
    }
    out
}

/// A line with nothing in it. A line holding only U+00A0 is not blank: web
/// pages write an empty table cell so.
fn is_blank(line: &str) -> bool {
    line.chars().all(|c| c.is_ascii_whitespace() || c == '\u{3000}')
}

/// The layout most of the document's lines follow.
pub fn detect(lines: &[&str]) -> Layout {
    let content: Vec<&str> = lines.iter().copied().filter(|l| !is_blank(l)).collect();
    let n = content.len();
    if n == 0 {
        return Layout::TabRows;
    }
    let share = |count: usize| count * 10 >= n * 3;
    let tabbed = content.iter().filter(|l| l.contains('\t')).count();
    if share(tabbed) {
        let single_cells = lines.iter().filter(|l| l.starts_with('\t') && l.matches('\t').count() == 1).count();
        return if single_cells * 2 > n { Layout::CellPerLine } else { Layout::TabRows };
    }
    let piped: Vec<&&str> = content.iter().filter(|l| l.contains('|')).collect();
    if share(piped.len()) {
        let one_cell = piped.iter().filter(|l| l.matches('|').count() == 1 && l.trim_end().ends_with('|')).count();
        return if one_cell * 2 > piped.len() { Layout::CellStream } else { Layout::PipeRows };
    }
    if blank_separated_cells(lines) || line_per_cell(&content) {
        return Layout::CellStream;
    }
    let aligned = content.iter().filter(|l| has_space_run(l.trim())).count();
    if share(aligned) {
        return Layout::SpaceAligned;
    }
    let spaced = content.iter().filter(|l| is_space_separated(l)).count();
    if share(spaced) {
        return Layout::SpaceSeparated;
    }
    Layout::Plain
}

/// Paragraphs of one short line each, blank lines between them: a table
/// whose every cell became a paragraph.
fn blank_separated_cells(lines: &[&str]) -> bool {
    let mut paragraphs = Vec::new();
    let mut current = 0usize;
    let mut chars = 0usize;
    for line in lines {
        if is_blank(line) {
            if current > 0 {
                paragraphs.push((current, chars));
            }
            current = 0;
            chars = 0;
        } else {
            current += 1;
            chars += line.trim().chars().count();
        }
    }
    if current > 0 {
        paragraphs.push((current, chars));
    }
    let short = paragraphs.iter().filter(|&&(lines, chars)| lines <= 2 && chars <= 24).count();
    paragraphs.len() >= 12 && short * 10 >= paragraphs.len() * 7
}

/// Short lines with nothing between them, many of them labels on their
/// own (`项目名称` / `城乡居民医疗保险补助` / `主管部门` / …): a table whose
/// every cell became a line. Prose and page text have long lines and few
/// whole-line labels.
fn line_per_cell(content: &[&str]) -> bool {
    let n = content.len();
    let short = content.iter().filter(|l| l.trim().chars().count() <= 24).count();
    if n < 12 || short * 10 < n * 8 {
        // Most text documents: no line looked up as a label.
        return false;
    }
    // Fields and column headers: a notice's bare headings (产出指标) are
    // categories, not a table's labels.
    let labels = content
        .iter()
        .filter(|l| matches!(crate::labels::exact(l).map(|m| m.label), Some(crate::labels::Label::Field(_) | crate::labels::Label::Header(_))))
        .count();
    labels * 5 >= n
}

/// Two or more spaces between text: a column gap.
fn has_space_run(line: &str) -> bool {
    line.contains("  ") || line.contains('\u{3000}')
}

fn line_rows(lines: &[&str], split: impl Fn(&str) -> Option<Vec<String>>) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut gap = 0;
    for (i, line) in lines.iter().enumerate() {
        let line_no = i as u32 + 1;
        if line.trim().is_empty() {
            gap += 1;
            continue;
        }
        // A line that does not follow the layout is one cell.
        let raw = split(line).unwrap_or_else(|| vec![line.to_string()]);
        let mut cells: Vec<Cell> = raw.iter().map(|raw| Cell { text: clean_cell(raw), line: line_no }).collect();
        while cells.last().is_some_and(|c| c.text.is_empty()) {
            cells.pop();
        }
        if cells.is_empty() {
            // A row of empty cells (`| | |`) separates like a blank line.
            gap += 1;
            continue;
        }
        rows.push(Row { first_line: line_no, last_line: line_no, cells, gap_before: gap });
        gap = 0;
    }
    rows
}

/// `a | b | c`, `| a | b |`, `a | b |||`; `None` for a line without pipes;
/// a markdown rule (`|---|:--:|`) is no row at all (an empty one).
fn split_pipes(line: &str) -> Option<Vec<String>> {
    let trimmed = line.trim();
    if !trimmed.contains('|') {
        return None;
    }
    if trimmed.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '+' | '=')) {
        return Some(Vec::new());
    }
    // Outer pipes (`| a | b |`) frame a markdown row; a pipe only at the
    // start (` | | 25%`) follows an empty first cell.
    let framed = trimmed.starts_with('|') && trimmed.ends_with('|') && trimmed.len() > 1;
    let inner = if framed { &trimmed[1..] } else { trimmed };
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    Some(inner.split('|').map(|c| c.trim().to_string()).collect())
}

/// Columns separated by two or more spaces (or an ideographic space); a
/// single space stays inside a cell.
fn split_aligned(line: &str) -> Option<Vec<String>> {
    let trimmed = line.trim();
    if !has_space_run(trimmed) {
        return None;
    }
    let normalised = trimmed.replace('\u{3000}', "  ");
    Some(normalised.split("  ").map(str::trim).filter(|c| !c.is_empty()).map(str::to_string).collect())
}

/// Cells separated by single spaces, where the spaces stand between
/// Chinese tokens (or numbers and symbols): `预算数 6.84 到位数 6.84`.
/// Spaces between Latin words (`DRG / DIP`) do not split.
fn split_spaces(line: &str) -> Option<Vec<String>> {
    let tokens: Vec<&str> = line.split([' ', '\u{a0}', '\u{3000}', '|']).filter(|t| !t.is_empty()).collect();
    if tokens.len() < 2 {
        return None;
    }
    let latin_words = tokens.iter().filter(|t| t.chars().all(|c| c.is_ascii_alphabetic())).count();
    if latin_words * 4 >= tokens.len() {
        return None;
    }
    // A code and the unit it codes (`303 忻州市医疗保障局`), a year and the
    // name it starts (`2024 年劳务派遣人员经费`), a number and its unit (`2
    // 人`) are one cell; a score and the reason after it (`18 部分药品…`),
    // or anything before a label, are two.
    let mut cells: Vec<String> = Vec::with_capacity(tokens.len());
    for token in tokens {
        let code = cells.last().is_some_and(|c| c.len() >= 3 && c.bytes().all(|b| b.is_ascii_digit()));
        let number = cells.last().is_some_and(|c| !c.is_empty() && c.chars().all(|c| c.is_ascii_digit() || c == '.'));
        let words = token.starts_with(jixiao_core::text::is_han) && crate::labels::classify(token).is_none();
        let unit = token.chars().count() <= 3;
        match cells.last_mut() {
            Some(cell) if words && (code || number && unit) => {
                cell.push(' ');
                cell.push_str(token);
            }
            _ => cells.push(token.to_string()),
        }
    }
    Some(cells)
}

/// A line that reads as Chinese tokens separated by spaces (for detecting
/// the layout; in it, [`split_spaces`] splits every line).
fn is_space_separated(line: &str) -> bool {
    let tokens: Vec<&str> = line.split([' ', '\u{a0}', '\u{3000}', '|']).filter(|t| !t.is_empty()).collect();
    let han = tokens.iter().filter(|t| t.chars().any(jixiao_core::text::is_han)).count();
    tokens.len() >= 2 && han * 2 >= tokens.len() && split_spaces(line).is_some()
}

/// The cells of a cell stream: one per line ending in `|` (a bare `|` is an
/// empty cell), one per paragraph between blank lines (U+00A0 alone is an
/// empty cell), or one per line where blank lines do not part them. Lines
/// of one paragraph join without a space: a Chinese label wrapped in its
/// cell (`项目资金` / `(万元)`).
fn stream_cells(lines: &[&str]) -> Vec<Cell> {
    let piped = lines.iter().filter(|l| l.trim_end().ends_with('|')).count() * 2 > lines.iter().filter(|l| !is_blank(l)).count();
    let mut cells = Vec::new();
    if piped || !blank_separated_cells(lines) {
        for (i, line) in lines.iter().enumerate() {
            if is_blank(line) {
                continue;
            }
            // A cell's end and the bars of the cells it spans (`名称 | |||`).
            let text: &str = line.trim_end().strip_suffix('|').map_or(line, |t| t.trim_end_matches(|c: char| c == '|' || c.is_whitespace()));
            cells.push(Cell { text: clean_cell(text), line: i as u32 + 1 });
        }
        return cells;
    }
    let mut current: Option<(String, u32)> = None;
    for (i, line) in lines.iter().enumerate() {
        if is_blank(line) {
            if let Some((text, line)) = current.take() {
                cells.push(Cell { text: clean_cell(&text), line });
            }
            continue;
        }
        match &mut current {
            Some((text, _)) => text.push_str(line.trim()),
            None => current = Some((line.trim_matches(|c: char| c.is_ascii_whitespace()).to_string(), i as u32 + 1)),
        }
    }
    if let Some((text, line)) = current {
        cells.push(Cell { text: clean_cell(&text), line });
    }
    cells
}

/// Rows are blocks between blank lines; a line starting with a tab starts a
/// cell, any other line continues the cell above it (a wrapped label such as
/// `项目立项` / `依据`), or, before the first cell of a block, is a row of
/// its own (titles).
fn cell_per_line_rows(lines: &[&str]) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut current: Option<(Row, Vec<String>)> = None;
    let mut gap = 0;
    let finish = |current: &mut Option<(Row, Vec<String>)>, rows: &mut Vec<Row>| {
        if let Some((mut row, raws)) = current.take() {
            for (cell, raw) in row.cells.iter_mut().zip(raws) {
                cell.text = clean_cell(&raw);
            }
            while row.cells.last().is_some_and(|c| c.text.is_empty()) {
                row.cells.pop();
            }
            if !row.cells.is_empty() {
                rows.push(row);
            }
        }
    };
    for (i, line) in lines.iter().enumerate() {
        let line_no = i as u32 + 1;
        // A tab alone is an empty cell; only a line without one separates rows.
        if line.trim().is_empty() && !line.starts_with('\t') {
            finish(&mut current, &mut rows);
            gap += 1;
            continue;
        }
        if let Some(cell_text) = line.strip_prefix('\t') {
            let (row, raws) = current.get_or_insert_with(|| {
                let row = Row { first_line: line_no, last_line: line_no, cells: Vec::new(), gap_before: gap };
                (row, Vec::new())
            });
            gap = 0;
            row.cells.push(Cell { text: String::new(), line: line_no });
            raws.push(cell_text.to_string());
            row.last_line = line_no;
        } else if let Some((row, raws)) = current.as_mut().filter(|(row, _)| !row.cells.is_empty()) {
            // A wrapped cell: the line break is not part of the text.
            if let Some(last) = raws.last_mut() {
                last.push_str(line);
            }
            row.last_line = line_no;
        } else {
            // Free text (titles) is a one-cell row; tabs inside it still split cells.
            finish(&mut current, &mut rows);
            let cells = line.split('\t').map(|raw| Cell { text: clean_cell(raw), line: line_no }).collect();
            rows.push(Row { first_line: line_no, last_line: line_no, cells, gap_before: gap });
            gap = 0;
        }
    }
    finish(&mut current, &mut rows);
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(row: &Row) -> Vec<&str> {
        row.cells.iter().map(|c| c.text.as_str()).collect()
    }

    /// A table's cells one per line is a cell stream; a notice of short
    /// lines with bare headings (产出指标) is prose.
    #[test]
    fn cells_one_per_line_are_told_from_a_notice() {
        let cells = "项目名称\n医疗救助资金\n主管部门\n某县医疗保障局\n实施单位\n某县医疗保障局\n项目资金（万元）\n年度资金总额\n200\n\
                     一级指标\n二级指标\n三级指标\n指标值\n产出指标\n数量指标\n救助人次\n≥3000人次\n";
        assert_eq!(detect(&cells.lines().collect::<Vec<_>>()), Layout::CellStream);
        let notice = "标题：关于某镇种植项目绩效目标设定的公示\n现将绩效目标设定如下：\n产出指标\n数量指标：种植数量>=17600株\n\
                      质量指标：种苗成活率>=95%\n时效指标：完成及时率>=100%\n效益指标\n经济效益指标：产值≥80万元\n\
                      社会效益指标：带动脱贫户≥20户\n满意度指标\n服务对象满意度指标：满意度≥95%\n某镇人民政府\n2023年3月27日\n";
        assert_eq!(detect(&notice.lines().collect::<Vec<_>>()), Layout::Plain);
    }

    #[test]
    fn tab_rows_keep_empty_cells_for_alignment() {
        let (layout, rows) = rows("项目名称\t\t驻村干部补助经费\t\t\n\n\t产出指标\t数量指标");
        assert_eq!(layout, Layout::TabRows);
        assert_eq!(texts(&rows[0]), ["项目名称", "", "驻村干部补助经费"]);
        assert_eq!(rows[1].first_line, 3);
        assert_eq!(rows[1].gap_before, 1);
        assert_eq!(texts(&rows[1]), ["", "产出指标", "数量指标"]);
    }

    #[test]
    fn cell_per_line_rows_join_wrapped_cells() {
        let text = "标题\n\t项目名称\n\t城乡医疗救助资金\n\n\t项目立项\n依据\n\t文件\n\n\t效\n益\n指\n标\n\t社会效益指标\n\n\t\n\t甲\n";
        let (layout, rows) = rows(text);
        assert_eq!(layout, Layout::CellPerLine);
        assert_eq!(texts(&rows[0]), ["标题"]);
        assert_eq!(texts(&rows[1]), ["项目名称", "城乡医疗救助资金"]);
        assert_eq!(texts(&rows[2]), ["项目立项依据", "文件"]);
        assert_eq!((rows[2].first_line, rows[2].last_line), (5, 7));
        assert_eq!(texts(&rows[3]), ["效益指标", "社会效益指标"]);
        assert_eq!(texts(&rows[4]), ["", "甲"], "a lone tab is an empty cell");
    }

    #[test]
    fn a_cell_wrapped_onto_the_next_line_is_one_cell() {
        let text = "项目名称\t待遇保障和医药服\n\t务工作经费\n主管部门\t303-忻州市医\t实施单位\t忻州市医疗保障局\n\t疗保障局\n                    产出指标\t数量指标\t确保基本医保、大\t100%\n\t\t病保险、医疗救助\n\t质量指标\t返贫致贫人口按个\t90%\n\t\t人缴费标准资助\n\t\t资助发放及时率\t100%\n\t\t完成率\n";
        let (_, rows) = rows(text);
        let texts: Vec<Vec<&str>> = rows.iter().map(texts).collect();
        assert_eq!(texts[0], ["项目名称", "待遇保障和医药服务工作经费"]);
        assert_eq!(texts[1], ["主管部门", "303-忻州市医疗保障局", "实施单位", "忻州市医疗保障局"]);
        assert_eq!(texts[2], ["产出指标", "数量指标", "确保基本医保、大病保险、医疗救助", "100%"]);
        assert_eq!(texts[3], ["", "质量指标", "返贫致贫人口按个人缴费标准资助", "90%"]);
        assert_eq!(texts[4], ["", "", "资助发放及时率", "100%"], "a row with a target of its own is a row");
        assert_eq!(texts[5], ["", "", "完成率"], "a name under one that does not fill its column is a row");
        assert_eq!((rows[0].first_line, rows[0].last_line), (1, 2));
    }

    #[test]
    fn pipe_and_markdown_rows() {
        let text = "页面标题\n| 项目名称 | 甲 | 主管部门 | 乙 |\n|---|---|---|---|\n预算 | 70.00 | |||||\n";
        let (layout, rows) = rows(text);
        assert_eq!(layout, Layout::PipeRows);
        assert_eq!(texts(&rows[0]), ["页面标题"]);
        assert_eq!(texts(&rows[1]), ["项目名称", "甲", "主管部门", "乙"]);
        assert_eq!(texts(&rows[2]), ["预算", "70.00"]);
        assert_eq!(rows[2].first_line, 4);
    }

    #[test]
    fn space_aligned_and_space_separated_rows() {
        let (layout, aligned) = rows("项目名称    驻村 经费    主管部门    乙局\n年度资金总额    20    单位    万元\n一级指标  二级指标\n");
        assert_eq!(layout, Layout::SpaceAligned);
        assert_eq!(texts(&aligned[0]), ["项目名称", "驻村 经费", "主管部门", "乙局"]);
        let (layout, spaced) = rows("预算数 6.84 到位数 6.84 执行数 6.84\n其他 0.00 其他 0.00\n产出指标 质量指标 覆盖率 >= 98 %\n");
        assert_eq!(layout, Layout::SpaceSeparated);
        assert_eq!(texts(&spaced[2]), ["产出指标", "质量指标", "覆盖率", ">=", "98", "%"]);
        let (_, spaced) = rows("项目名称 2024 年劳务派遣人员经费 主管部门 303 忻州市医疗保障局\n年度资金总额 20 其中:中央资金 0\n数量指标 派遣人数 6 人\n");
        assert_eq!(texts(&spaced[0]), ["项目名称", "2024 年劳务派遣人员经费", "主管部门", "303 忻州市医疗保障局"]);
        assert_eq!(texts(&spaced[1]), ["年度资金总额", "20", "其中:中央资金", "0"]);
        assert_eq!(texts(&spaced[2]), ["数量指标", "派遣人数", "6 人"]);
    }
}
