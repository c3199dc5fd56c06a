//! Stage 0 for text documents: what every layout suffers alike, undone once
//! before the layout is looked at.
//!
//! - **Labels printed one character per line** (a merged cell of a narrow
//!   column: `绩` / `效` / `指` / `标`, or `一\n级\n指\n标` inside a tab row):
//!   the characters are joined where together they are a label of the
//!   vocabulary, so a tab row broken by such a cell is one line again.
//! - **A word processor's document properties** glued before the text
//!   (`Normal 0 false 7.8 磅 0 2 false false false EN-US ZH-CN X-NONE`,
//!   what Word's HTML export leaves when its styles are lost) are dropped.
//! - **Page chrome**: a site's breadcrumb (`当前位置：首页 > 财政资金 > …`)
//!   and its font-size and print links are blanked, and a breadcrumb glued
//!   before the table's text is cut off (the `发布时间` line stays: it dates
//!   the page).
//!
//! - **Bars that are no pipe table**: a ` |` after every line of a tab or
//!   space row and lines holding only `|` between rows (what some sites'
//!   text extraction writes for every cell border) are dropped. Where
//!   every cell is a line ending in ` |`, or cells one per line are parted
//!   by lines of `|` (cell streams), the bars are the cells' borders and
//!   the stream reads them.
//!
//! Joining lines changes the line count; [`Normalised::origin`] maps each
//! line back to the file's line it starts on, so every cell still names
//! the line a person finds it on.

use std::sync::OnceLock;

use regex::Regex;

use crate::labels::exact;

/// Lines after normalisation, each with the file line (1-based) it starts on.
#[derive(Debug, Default, PartialEq)]
pub struct Normalised {
    pub lines: Vec<String>,
    pub origin: Vec<u32>,
}

impl Normalised {
    /// The file line of normalised line `line` (1-based).
    pub fn file_line(&self, line: u32) -> u32 {
        self.origin.get((line as usize).wrapping_sub(1)).copied().unwrap_or(line)
    }

    /// Whether any line moved (a label joined): only then do rows need
    /// their lines mapped back.
    pub fn moved(&self) -> bool {
        self.origin.iter().enumerate().any(|(i, &l)| l != i as u32 + 1)
    }
}

pub fn normalise(text: &str) -> Normalised {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    if let Some(first) = lines.iter_mut().find(|l| !l.trim().is_empty()) {
        *first = without_document_properties(first).to_string();
    }
    for line in &mut lines {
        if let Some(rest) = without_chrome(line) {
            *line = rest;
        }
    }
    // Labels first: a character alone on its line may carry a bar (`产 |`).
    let mut normalised = join_vertical_labels(lines);
    drop_border_bars(&mut normalised.lines);
    normalised
}

/// Word's document properties, as its HTML export prints them when the
/// styles are lost: `Normal 0 false 7.8 磅 0 2 false false false EN-US
/// ZH-CN X-NONE MicrosoftInternetExplorer4`.
fn properties_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"^\s*Normal(?:\s+(?:\d+(?:\.\d+)?|磅|pt|false|true|EN-US|ZH-CN|ZH-TW|X-NONE|JA|Microsoft\w*|DocumentNotSpecified|\d+\.\d+\s*磅)\b)+\s*",
        )
        .expect("compiles")
    })
}

fn without_document_properties(line: &str) -> &str {
    match properties_pattern().find(line) {
        // Only a run that names the properties (not a word `Normal` in text).
        Some(m) if m.as_str().contains("false") || m.as_str().contains("EN-US") || m.as_str().contains("X-NONE") => &line[m.end()..],
        _ => line,
    }
}

/// A site's page furniture around a document's text.
fn chrome_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?x)
            ^\s*(?:当前位置|您的位置|您现在的位置|你的位置|所在位置)\s*[:：]\s*(?:首页|网站首页)?   # a breadcrumb
            | ^\s*【\s*字[体號号]\s*[:：]   # 【字体：大 中 小】
            | ^\s*(?:【\s*)?(?:打印本页|打印|关闭窗口|关闭)(?:\s*】)?\s*(?:【\s*(?:打印本页|打印|关闭窗口|关闭|收藏)\s*】\s*)*$",
        )
        .expect("compiles")
    })
}

/// A chrome line blanked (`Some("")`), a breadcrumb glued before text cut
/// off (`Some(rest)`), or `None` for a line of the document.
fn without_chrome(line: &str) -> Option<String> {
    let m = chrome_pattern().find(line)?;
    let rest = &line[m.end()..];
    if !line[m.start()..m.end()].contains("位置") {
        return Some(String::new());
    }
    // Steps of the breadcrumb, then whatever the page printed after it on
    // the same line: the last step may run into the table's text, which
    // resumes at its title's year (`预算公开2024年度…绩效目标表`) or at its
    // first label.
    let last_step = rest.rfind(['>', '›', '»']).map_or(0, |i| i + rest[i..].chars().next().map_or(1, char::len_utf8));
    let after = &rest[last_step..];
    if after.trim().chars().count() <= 12 {
        // The last step alone (`财政资金`).
        return Some(String::new());
    }
    let label = crate::labels::find_in_text(after).first().map(|f| f.start);
    let year = title_year().find(after).map(|m| m.start()).filter(|&y| label.is_none_or(|l| y < l));
    Some(match year.or(label) {
        Some(start) => after[start..].trim().to_string(),
        None => String::new(),
    })
}

/// A title's year before its 绩效 (`2024年度项目支出绩效目标表`).
fn title_year() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"20\d{2}\s*年[^>›»]{0,30}绩效").expect("compiles"))
}

fn is_lone_bar(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && t.chars().all(|c| c == '|' || c.is_whitespace())
}

/// A line whose only `|` is a cell end (`项目名称 |`).
fn bar_terminated(line: &str) -> Option<&str> {
    let t = line.trim_end();
    let body = t.strip_suffix('|')?.trim_end_matches(|c: char| c == '|' || c.is_whitespace());
    (!body.is_empty() && !body.contains('|')).then_some(body)
}

/// See the module: bars that are cell borders, not a pipe table's cells.
fn drop_border_bars(lines: &mut [String]) {
    let content: Vec<&String> = lines.iter().filter(|l| !l.trim().is_empty() && !is_lone_bar(l)).collect();
    let lone = lines.iter().filter(|l| is_lone_bar(l)).count();
    let terminated: Vec<&str> = content.iter().filter_map(|l| bar_terminated(l)).collect();
    if lone == 0 && terminated.is_empty() {
        return;
    }
    // Cells one per line ending in ` |`: many of those lines are a label
    // and nothing else; a row of cells holds a label and its values.
    let labels_alone = terminated.iter().filter(|body| exact(body.trim()).is_some()).count();
    let cell_stream = terminated.len() * 2 > content.len() && labels_alone * 100 >= terminated.len() * 15;
    if cell_stream {
        return;
    }
    let rows_terminated = terminated.len() * 2 > content.len();
    // Between pipe rows, a line of bars is a border, not a row.
    let pipe_rows = content.iter().filter(|l| l.matches('|').count() >= 2).count() * 2 > content.len();
    // Cells one per line parted by bars: the stream reads the bars.
    if !rows_terminated && !pipe_rows {
        return;
    }
    for line in lines.iter_mut() {
        if is_lone_bar(line) {
            line.clear();
        } else if let Some(body) = bar_terminated(line).filter(|_| rows_terminated) {
            *line = body.to_string();
        }
    }
}

/// What stands between cells on a line: the line's start and end, tabs,
/// pipes, spaces.
fn is_cell_edge(c: char) -> bool {
    c == '\t' || c == '|' || c.is_whitespace()
}

/// The single Han character a line holds, with a trailing ` |` allowed.
fn lone_char(line: &str) -> Option<char> {
    let t = line.trim_matches(is_cell_edge);
    let mut chars = t.chars();
    let c = chars.next()?;
    (chars.next().is_none() && jixiao_core::text::is_han(c)).then_some(c)
}

/// The last character of a line, with where it starts and whether a cell
/// edge stands before it (`\t产`) or it is glued to the text before
/// (`…医疗保障局实`, text run together).
fn trailing_char(line: &str) -> Option<(usize, char, bool)> {
    let t = line.trim_end_matches(|c: char| c.is_whitespace() || c == '|');
    let (i, c) = t.char_indices().next_back()?;
    let before = t[..i].chars().next_back();
    jixiao_core::text::is_han(c).then_some((i, c, before.is_none_or(is_cell_edge)))
}

/// The first character of a line, with where the rest starts and whether a
/// cell edge follows it (`标\t数量指标`) or text does (`称待遇保障…`).
fn leading_char(line: &str) -> Option<(char, usize, bool)> {
    let start = line.len() - line.trim_start().len();
    let c = line[start..].chars().next()?;
    let end = start + c.len_utf8();
    let after = line[end..].chars().next();
    jixiao_core::text::is_han(c).then_some((c, end, after.is_none_or(is_cell_edge)))
}

/// Joins the characters of a label printed one per line (blank lines
/// between them allowed) where together they are a label.
fn join_vertical_labels(mut lines: Vec<String>) -> Normalised {
    let mut out = Normalised::default();
    let mut i = 0;
    while i < lines.len() {
        let first = i;
        // A joined line may end with the first character of the next label
        // printed so (`…\t实` / `施` / `单` / `位\t…`): look again from it.
        while let Some((joined, next)) = vertical_label_at(&lines, i) {
            i = next - 1;
            lines[i] = joined;
        }
        out.lines.push(std::mem::take(&mut lines[i]));
        out.origin.push(first as u32 + 1);
        i += 1;
    }
    out
}

/// A label starting on line `i` printed one character per line: the joined
/// line and the index of the line after it. Its first and last characters
/// may share a line with other cells, or, in text run together, be glued
/// to the text beside them where at least one character stands alone on a
/// line between them.
fn vertical_label_at(lines: &[String], i: usize) -> Option<(String, usize)> {
    let (start, first, edge_before) = trailing_char(&lines[i])?;
    let mut word = String::from(first);
    let mut alone = 0;
    let mut j = i + 1;
    let mut best: Option<(String, usize)> = None;
    // At most a dozen characters: the longest label is shorter.
    while j < lines.len() && word.chars().count() < 12 {
        if lines[j].trim().is_empty() {
            j += 1;
            continue;
        }
        if let Some(c) = lone_char(&lines[j]) {
            word.push(c);
            alone += 1;
            // A label may end on a line of its own …
            if word.chars().count() >= 2 && exact(&word).is_some() && (edge_before || alone >= 2) {
                let tail = lines[j].trim_start().trim_start_matches(|c: char| jixiao_core::text::is_han(c));
                best = Some((format!("{}{word}{}", &lines[i][..start], tail), j + 1));
            }
            j += 1;
            continue;
        }
        // … or on the first character of a line that goes on with cells.
        if let Some((c, rest, edge_after)) = leading_char(&lines[j]) {
            let candidate = format!("{word}{c}");
            if exact(&candidate).is_some() && (edge_before && edge_after || alone >= 1) {
                best = Some((format!("{}{candidate}{}", &lines[i][..start], &lines[j][rest..]), j + 1));
            }
        }
        break;
    }
    best.filter(|(joined, _)| joined.chars().count() >= 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        normalise(text).lines
    }

    #[test]
    fn vertical_labels_are_joined_in_any_layout() {
        assert_eq!(lines("绩\n效\n指\n标\n一级指标"), ["绩效指标", "一级指标"]);
        assert_eq!(lines("\t产\n出\n指\n标\t数量指标\t人数\t2人"), ["\t产出指标\t数量指标\t人数\t2人"]);
        assert_eq!(lines("绩 |\n效 |\n指 |\n标 |\n一级指标 |"), ["绩效指标 |", "一级指标 |"]);
        assert_eq!(lines("产\n\n出\n\n指\n\n标\n\n数量指标"), ["产出指标", "", "数量指标"]);
        let n = normalise("项目名称\n甲\n绩\n效\n指\n标\n乙");
        assert_eq!(n.lines, ["项目名称", "甲", "绩效指标", "乙"]);
        assert_eq!(n.origin, [1, 2, 3, 7]);
        assert_eq!(lines("主\n管\n部\n门\t某局\t实\n施\n单\n位\t某中心"), ["主管部门\t某局\t实施单位\t某中心"]);
    }

    #[test]
    fn vertical_labels_are_joined_inside_text_run_together() {
        assert_eq!(lines("项\n目\n名\n称待遇保障和医药服务工作经费"), ["项目名称待遇保障和医药服务工作经费"]);
        assert_eq!(lines("主管部门某局实\n施\n单\n位某中心"), ["主管部门某局实施单位某中心"]);
        // Two lines whose ends make a label, with nothing alone between them, stay two.
        assert_eq!(lines("完成时间年\n度资金"), ["完成时间年", "度资金"]);
    }

    #[test]
    fn single_characters_that_are_no_label_stay() {
        // Units and answers one per line are cells.
        assert_eq!(lines("人\n次\n5"), ["人", "次", "5"]);
        assert_eq!(lines("是\n否"), ["是", "否"]);
    }

    #[test]
    fn border_bars_go_and_cell_ends_stay() {
        // Tab rows with a bar after each and bars between rows.
        assert_eq!(lines("|\n项目名称\t甲 |\n|\n主管部门\t乙局 |"), ["", "项目名称\t甲", "", "主管部门\t乙局"]);
        // Cells one per line parted by bars: the stream reads them.
        let parted = "项目名称\n|\n甲\n|\n|\n主管部门";
        assert_eq!(lines(parted), parted.lines().collect::<Vec<_>>());
        // Cells one per line ending in bars: the bars are cells' ends.
        let stream = "项目名称 |\n甲 |\n主管部门 |\n|\n乙局 |";
        assert_eq!(lines(stream), stream.lines().collect::<Vec<_>>());
        // A pipe table keeps its pipes; bars between its rows go.
        assert_eq!(lines("| 项目名称 | 甲 |\n|---|---|"), ["| 项目名称 | 甲 |", "|---|---|"]);
        assert_eq!(lines("| 项目名称 | 甲 | |\n|\n| 主管部门 | 乙局 | |"), ["| 项目名称 | 甲 | |", "", "| 主管部门 | 乙局 | |"]);
    }

    #[test]
    fn document_properties_and_chrome_go() {
        assert_eq!(lines("Normal 0 false 7.8 磅 0 2 false false false EN-US ZH-CN X-NONE 项目名称\t甲")[0], "项目名称\t甲");
        assert_eq!(lines("Normal 是常规样式")[0], "Normal 是常规样式");
        assert_eq!(lines("Normal 0 false 7.8 磅 0 2 false false false EN-US ZH-CN X-NONE 2024年度项目支出绩效目标表")[0], "2024年度项目支出绩效目标表");
        assert_eq!(lines("当前位置：首页 > 政府信息公开 > 财政资金\n项目名称")[0], "");
        assert_eq!(lines("当前位置:首页 > 财政资金 > 预算公开2024年度项目支出绩效目标表项目名称甲")[0], "2024年度项目支出绩效目标表项目名称甲");
        assert_eq!(lines("【字体：大 中 小】【打印】【关闭】")[0], "");
    }
}
