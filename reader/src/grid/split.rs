//! Text run together with no separators (a page's table flattened into one
//! line, OCR text) → the cells it was, cut where its labels start and end:
//! `项目名称博物馆补助资金主管部门文旅局` → `项目名称 | 博物馆补助资金 |
//! 主管部门 | 文旅局`. Consecutive run-together lines form one stream whose
//! rows [`super::stream`] rebuilds. Inside an indicator's piece, name,
//! description (`反映…`) and target are told apart by where a target starts
//! (a comparator or a number with a unit), so a piece holding several
//! indicators gives several rows.

use std::sync::OnceLock;

use regex::Regex;

use crate::labels::{exact, find_in_text, qualitative_targets, value_words, Field, HeaderRole, Label};

use super::stream::fragment_rows;
use super::{Cell, Row};

/// A cell is text run together when it holds this many labels …
const MIN_LABELS: usize = 3;
/// … at least this many of them fields or indicator categories (a long
/// narrative cell mentions a label or two in passing).
const MIN_STRUCTURAL: usize = 2;

/// Rows of text run together, re-formed from their pieces. Only a line of
/// one cell is a candidate: a cell among others is a real cell, however
/// many labels its text mentions. In a document whose other lines have
/// cells (`among_cells`), a lone line is prose unless it starts with a
/// label (`数量指标：…`) or is as dense with labels as a table.
pub fn split_run_together(rows: Vec<Row>, among_cells: bool) -> Vec<Row> {
    let mut out = Vec::with_capacity(rows.len());
    let mut stream = Stream::default();
    for row in rows {
        let text = row.filled().map(|(_, c)| c.text.as_str()).next().unwrap_or("");
        // A line right after a run-together one carries on its text (a
        // line break in the middle of a value: `项目总投资` / `174.78万元`).
        let carries_on = !stream.cells.is_empty() && row.gap_before == 0;
        // `数量指标：种植数量>=17600株` on a line of its own is an indicator
        // row written out, however few labels it holds.
        let looks_run_together =
            (is_run_together(text) || writes_out_indicators(text)) && (!among_cells || starts_with_label(text) || is_dense(text));
        let run_together = row.filled_count() == 1
            && (carries_on || looks_run_together || stream.in_indicators && continues_indicators(text));
        // A blank line between two run-together lines ends a stream.
        if !run_together || row.gap_before > 0 {
            stream.flush(&mut out);
        }
        if run_together {
            let line = row.first_line;
            stream.sentences |= text.contains(['。', '；', ';']);
            let pieces = stream.pieces(text);
            stream.cells.extend(pieces.into_iter().map(|text| Cell { text, line }));
        } else {
            out.push(row);
        }
    }
    stream.flush(&mut out);
    out
}

/// Cuts the cells of a whole document at the labels they hold, keeping
/// what is known across cells (inside the indicator block, field words are
/// words of names): for reading a document as the sequence of its cells.
#[derive(Default)]
pub struct Cutter {
    stream: Stream,
}

impl Cutter {
    /// The pieces of one cell: itself, unless it starts with a label that
    /// more text follows (`项目名称城乡医疗救助`) or is a table run together;
    /// a narrative cell that mentions a label in passing stays whole.
    pub fn pieces(&mut self, text: &str) -> Vec<String> {
        if exact(text).is_some() {
            // A label cell, with its unit (`项目资金（万元）`): whether the
            // indicator block starts or ends.
            self.stream.pieces(text);
            return vec![text.to_string()];
        }
        let found = find_in_text(text);
        let starts_with_label = found.first().is_some_and(|f| f.start == 0 && f.end < text.len());
        if starts_with_label || is_run_together(text) {
            self.stream.pieces(text)
        } else {
            vec![text.to_string()]
        }
    }
}

/// Consecutive run-together lines, as pieces, and what is known of them.
#[derive(Default)]
struct Stream {
    cells: Vec<Cell>,
    /// Inside an indicator block: field labels there are words of
    /// indicator names (项目资金使用合规性), not labels.
    in_indicators: bool,
    /// The text is written in sentences: a word at the end of an
    /// indicator's clause is part of it, not a target written as a word.
    sentences: bool,
}

impl Stream {
    fn flush(&mut self, out: &mut Vec<Row>) {
        if !self.cells.is_empty() {
            out.extend(fragment_rows(std::mem::take(&mut self.cells), !self.sentences));
        }
        self.sentences = false;
    }

    /// The text cut at every label it holds; pieces of punctuation only are
    /// dropped, a title (`…绩效目标表`) stays whole.
    fn pieces(&mut self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut at = 0;
        let titles: Vec<(usize, usize)> = title_pattern().find_iter(text).map(|m| (m.start(), m.end())).collect();
        for found in find_in_text(text) {
            if found.start < at || titles.iter().any(|&(s, e)| found.start < e && found.end > s) {
                continue;
            }
            // A second level that is an everyday word (满意度, 服务对象满意度)
            // is a label only where a piece ends before it; inside a name
            // (受益脱贫户满意度) it is a word of the name.
            if let Label::Level2 { name, .. } = &found.label {
                let before = text[at..found.start].trim_end();
                let at_boundary = before.is_empty()
                    || before.ends_with(|c: char| is_separator(c) || c.is_whitespace())
                    || target_pattern().find_iter(before).any(|m| m.end() == before.len());
                if !name.ends_with("指标") && !at_boundary {
                    continue;
                }
            }
            // A source of money (中央财政, 省级资金) is a label where an
            // amount or another label follows it; inside a name
            // (下达2024年中央财政医疗服务…补助资金) it is words of the name.
            if let Label::Field(field) = found.label {
                if field.is_money_source() && field != Field::AnnualTotal && !amount_or_label_follows(&text[found.end..]) {
                    continue;
                }
            }
            match found.label {
                Label::Field(Field::Name | Field::ParentName) => self.in_indicators = false,
                Label::Field(_) if self.in_indicators => continue,
                // Second levels (资金投入, 满意度) are everyday words too: only
                // a first level or the header starts the block.
                Label::Level1(_) | Label::Header(HeaderRole::Level1 | HeaderRole::Level2 | HeaderRole::Name) => self.in_indicators = true,
                _ => {}
            }
            // A unit or a formula's column letter after the label is the
            // label's (`项目资金(万元)`, `全年预算数(A)`, `执行率(B/A)`).
            let end = found.end + tag_after(&text[found.start..found.end], &text[found.end..]);
            push_piece(&mut out, &text[at..found.start]);
            push_piece(&mut out, &text[found.start..end]);
            at = end;
        }
        push_piece(&mut out, &text[at..]);
        out
    }
}

/// What follows a money label in text run together: an amount (`0.00`,
/// `：20万元`, `(万元)` then one), a blank cell's `—`, another label, or
/// the end of the text.
fn amount_or_label_follows(rest: &str) -> bool {
    let rest = rest.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '：'));
    let rest = match rest.strip_prefix(['(', '（']).and_then(|r| r.find([')', '）']).map(|i| &r[i..])) {
        Some(after_tag) => after_tag.trim_start_matches([')', '）']).trim_start(),
        None => rest,
    };
    rest.is_empty()
        || rest.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '—' | '-' | '/' | '.' | '－'))
        || rest.starts_with("无")
        || find_in_text(rest).first().is_some_and(|f| f.start == 0)
}

/// The length of a parenthesised tag right after `label` in `rest` that
/// the label takes with it (the label with it is still that label), or 0.
fn tag_after(label: &str, rest: &str) -> usize {
    const LONGEST_TAG_CHARS: usize = 8;
    let trimmed = rest.trim_start();
    if !trimmed.starts_with(['(', '（']) {
        return 0;
    }
    let Some(close) = trimmed.char_indices().take(LONGEST_TAG_CHARS + 2).find(|(_, c)| matches!(c, ')' | '）')).map(|(i, c)| i + c.len_utf8()) else {
        return 0;
    };
    let tagged = format!("{label}{}", &trimmed[..close]);
    let same = matches!((exact(label), exact(&tagged)), (Some(a), Some(b)) if a.label == b.label);
    if same {
        rest.len() - trimmed.len() + close
    } else {
        0
    }
}

fn push_piece(out: &mut Vec<String>, piece: &str) {
    let mut piece = piece.trim_matches(|c: char| c.is_whitespace() || is_separator(c));
    // `资金总额:30其中:财政拨款30`: 其中 belongs to the label after it.
    while let Some(rest) = piece.strip_suffix("其中") {
        piece = rest.trim_end_matches(|c: char| c.is_whitespace() || is_separator(c));
    }
    match short_labels(piece) {
        Some(labels) => out.extend(labels.into_iter().map(str::to_string)),
        None if !piece.is_empty() => out.push(piece.to_string()),
        None => {}
    }
}

/// The longest piece [`short_labels`] looks into.
const MAX_LABEL_RUN_CHARS: usize = 16;

/// A piece made only of labels too short to look for inside text (`分值得分`
/// between the header's 实际完成值 and 偏差原因分析及改进措施): those labels.
/// Only a piece that is nothing but labels is cut, so a name or value
/// mentioning one stays whole.
fn short_labels(piece: &str) -> Option<Vec<&str>> {
    let bounds: Vec<usize> = piece.char_indices().map(|(i, _)| i).chain([piece.len()]).collect();
    let chars = bounds.len() - 1;
    if !(4..=MAX_LABEL_RUN_CHARS).contains(&chars) || exact(piece).is_some() {
        return None;
    }
    // cut[j]: where the label ending at char j starts, if the piece up to j is labels.
    let mut cut: Vec<Option<usize>> = vec![None; chars + 1];
    for j in 2..=chars {
        cut[j] = (0..j - 1).rev().find(|&i| (i == 0 || cut[i].is_some()) && exact(&piece[bounds[i]..bounds[j]]).is_some());
    }
    let mut labels = Vec::new();
    let mut end = chars;
    while end > 0 {
        let start = cut[end]?;
        labels.push(&piece[bounds[start]..bounds[end]]);
        end = start;
    }
    labels.reverse();
    Some(labels)
}

fn title_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"[\p{Han}()（）]{0,15}(?:绩效目标(?:申报|设定)?表|绩效自评表|绩效评价表)").expect("compiles"))
}

/// … and labels this dense: a table run together is mostly labels and
/// short values (a label every 12–35 characters in real ones), prose that
/// mentions labels is not (one in 65 or more).
const MAX_CHARS_PER_LABEL: usize = 60;

fn is_run_together(text: &str) -> bool {
    let chars = text.chars().count();
    if chars < 24 {
        return false;
    }
    let found = find_in_text(text);
    // A sign-off line (填报人：… 联系电话：…) is no table.
    let structural = found
        .iter()
        .filter(|f| matches!(f.label, Label::Field(field) if field != Field::Contact) || matches!(f.label, Label::Level1(_) | Label::Level2 { .. }))
        .count();
    found.len() >= MIN_LABELS && structural >= MIN_STRUCTURAL && chars <= found.len() * MAX_CHARS_PER_LABEL
}

fn starts_with_label(text: &str) -> bool {
    find_in_text(text).first().is_some_and(|f| f.start == 0)
}

/// A label every 30 characters or more often, and no sentence: a table's
/// text, not prose.
fn is_dense(text: &str) -> bool {
    !text.contains('。') && text.chars().count() <= find_in_text(text).len() * 30
}

/// A line that starts with a category and its colon and holds a target
/// (`数量指标：种植数量>=17600株`): an indicator row written out. A sentence
/// that starts with one (`满意度指标经问卷调查…`) is prose.
fn writes_out_indicators(text: &str) -> bool {
    let starts_with_category = find_in_text(text).first().is_some_and(|f| {
        f.start == 0 && matches!(f.label, Label::Level1(_) | Label::Level2 { .. }) && text[f.end..].trim_start().starts_with([':', '：'])
    });
    starts_with_category && target_pattern().is_match(text)
}

/// Inside a run of indicators, a line that starts with a category and
/// holds a target (`服务对象满意度指标,受益脱贫户满意度≥95%。`).
fn continues_indicators(text: &str) -> bool {
    let starts_with_category =
        find_in_text(text).first().is_some_and(|f| f.start == 0 && matches!(f.label, Label::Level1(_) | Label::Level2 { .. }));
    starts_with_category && target_pattern().is_match(text)
}

fn is_separator(c: char) -> bool {
    matches!(c, ':' | '：' | ',' | '，' | ';' | '；' | '。' | '、' | '|')
}

fn target_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // A comparator (or `二`, OCR's reading of `=`) and a number, with an
        // optional unit; or a number with a unit. Longest words first: the
        // regex takes the first alternative that matches.
        let words = value_words();
        let comparators: Vec<String> = words.comparators.iter().map(|(w, _)| regex::escape(w)).chain(["二".to_string()]).collect();
        let units: Vec<String> = words.units.iter().map(|u| regex::escape(u)).collect();
        let (comparators, units) = (comparators.join("|"), units.join("|"));
        Regex::new(&format!(r"(?:(?:{comparators})\s*\d[\d.,]*\s*(?:{units})?|\d[\d.,]*\s*(?:{units}))")).expect("target pattern compiles")
    })
}

/// One indicator's text (or several run together) → rows of name and
/// target, with a `反映…` description kept between them. `columns`: the
/// header's columns after the name; a self-evaluation's results (完成值,
/// 得分) after its target columns (指标值, 年度指标值) are read from the
/// text that follows the targets.
pub fn split_indicator_text(text: &str, words_as_targets: bool, columns: &[HeaderRole]) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let is_target = |r: &HeaderRole| matches!(r, HeaderRole::Value | HeaderRole::AnnualValue);
    let targets = columns.iter().filter(|r| is_target(r)).count().max(1);
    let after_target = &columns[columns.iter().rposition(is_target).map_or(0, |i| i + 1)..];
    let with_results = after_target.first() == Some(&HeaderRole::Actual);
    for part in text.split(['；', ';', '。']) {
        let mut rest = part.trim_matches(|c: char| c.is_whitespace() || is_separator(c));
        // A group's weight printed after its category (`数量指标15分派车次数…`).
        let mut weight = None;
        // `1.项目完工验收合格率100%`: a list's number, not a target of 1 项.
        // (After a row, `1、提供…` is the next column's list.)
        if let Some(number) = list_number().captures(rest).and_then(|c| c.get(1)) {
            rest = &rest[number.end()..];
        }
        while !rest.is_empty() {
            // A number before any name is a weight or score, not a target.
            if let Some(m) = target_pattern().find(rest).filter(|m| m.start() == 0) {
                if rows.is_empty() && weight.is_none() && is_points(m.as_str()) {
                    weight = Some(m.as_str().trim().to_string());
                }
                rest = rest[m.end()..].trim_start_matches(|c: char| c.is_whitespace() || is_separator(c));
                continue;
            }
            if let Some(label_end) = leading_field_with_number(rest).filter(|_| !rows.is_empty()) {
                // `总分10095.2` after the last indicator: a field and its number, not an indicator.
                rows.push(vec![rest[..label_end].to_string(), rest[label_end..].trim().to_string()]);
                break;
            }
            let Some(m) = target_pattern().find(rest) else {
                if let Some((name_end, word_end)) = target_in_words_between(rest) {
                    rows.push(vec![rest[..name_end].to_string(), rest[name_end..word_end].to_string()]);
                    rest = &rest[word_end..];
                    continue;
                }
                rows.push(name_and_words(rest, words_as_targets));
                break;
            };
            let name = rest[..m.start()].trim_matches(|c: char| c.is_whitespace() || is_separator(c));
            let mut row: Vec<String> = weight.take().into_iter().collect();
            row.extend(named(name));
            let mut end = m.end();
            if with_results {
                row.push(m.as_str().trim().to_string());
                // A target per target column (实施期 and 年度), then the results.
                for _ in 1..targets {
                    let Some(next) = target_pattern().find(&rest[end..]).filter(|n| n.start() == 0) else { break };
                    row.push(next.as_str().trim().to_string());
                    end += next.end();
                }
                let (results, used) = results_after_target(&rest[end..], leading_number(m.as_str()), after_target);
                let complete = results.len() == result_columns(after_target).len();
                end += used;
                // Words left after every result, with no number, are the
                // reason for a deviation where the header prints it next.
                let left = rest[end..].trim_matches(|c: char| c.is_whitespace() || is_separator(c));
                let deviation_next = complete && after_target.get(results.len()) == Some(&HeaderRole::Deviation);
                row.extend(results);
                if deviation_next && !left.is_empty() && !left.starts_with("反映") && !left.contains(|c: char| c.is_ascii_digit()) {
                    row.push(left.to_string());
                    end = rest.len();
                }
            } else {
                // Targets printed one after another (one per county) are one value.
                while let Some(next) = target_pattern().find(&rest[end..]).filter(|n| n.start() == 0) {
                    end += next.end();
                }
                row.push(rest[m.start()..end].trim().to_string());
            }
            rows.push(row);
            rest = rest[end..].trim_start_matches(|c: char| c.is_whitespace() || is_separator(c));
        }
    }
    // A piece that starts with a number is what is left of scores and
    // notes, not an indicator.
    rows.retain(|r| r.iter().find(|cell| !is_points(cell)).is_some_and(|name| name.chars().next().is_some_and(|c| !c.is_ascii_digit())));
    rows
}

/// Where the label of what ends a self-evaluation (总分, 评价等级) ends at
/// the start of `text`, when only a number follows it (`总分10095.2` after
/// the last indicator). Inside indicators field labels are not looked for
/// (预算执行率 names an indicator), so it is looked for here.
fn leading_field_with_number(text: &str) -> Option<usize> {
    const LONGEST_LABEL_CHARS: usize = 8;
    let ends: Vec<usize> = text.char_indices().map(|(i, c)| i + c.len_utf8()).take(LONGEST_LABEL_CHARS).collect();
    let closing = |end: usize| matches!(exact(&text[..end]).map(|m| m.label), Some(Label::Field(Field::TotalScore | Field::Grade)));
    let end = ends.into_iter().skip(1).rev().find(|&end| closing(end))?;
    let number = text[end..].trim();
    let numeric = !number.is_empty() && number.starts_with(|c: char| c.is_ascii_digit()) && number.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | '%'));
    numeric.then_some(end)
}

/// The number of a list item before its text (`1.`, `2、`), not a
/// decimal (`1.5万元`).
fn list_number() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^(\d{1,2}[.．、]\s*)\p{Han}").expect("compiles"))
}

/// Points (`15分`): a weight or score, never a target.
pub fn is_points(text: &str) -> bool {
    let text = text.trim();
    text.strip_suffix('分').is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

fn leading_number(text: &str) -> Option<f64> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r"\d[\d,]*(?:\.\d+)?").expect("compiles"));
    re.find(text).and_then(|m| m.as_str().replace(',', "").parse().ok())
}

/// A self-evaluation's results after its target, run together (`15000次`
/// then `17180151、提供…`): the cells of the header's columns after the
/// target (actual, weight, score, in the header's order) that the text
/// gives, and how many bytes they used.
///
/// An actual with a unit ends at its unit. Digits run together with no
/// unit are cut only where the cut is certain:
/// - a `1` right before `、` starts the next column's list (`1、提供…`);
/// - a run of several columns (`1718015`, `2018`) is cut where each part
///   is what its column holds: an actual of the target's order of
///   magnitude (a self-evaluation reports the quantity it planned), a
///   weight and a score of at most 100 points, the score no more than the
///   weight. Only a run with exactly one such cut is cut (17180 | 15
///   against a target of 15000; 20 | 18); a run for one column is that
///   column's; otherwise nothing is taken.
fn results_after_target(text: &str, target: Option<f64>, columns: &[HeaderRole]) -> (Vec<String>, usize) {
    static DIGITS: OnceLock<Regex> = OnceLock::new();
    let digits = DIGITS.get_or_init(|| Regex::new(r"^\d+(?:\.\d+)?").expect("compiles"));
    let mut roles = result_columns(columns);
    let mut cells = Vec::new();
    let mut at = 0;
    if roles.first() == Some(&HeaderRole::Actual) {
        if let Some(m) = target_pattern().find(text).filter(|m| m.start() == 0 && !is_points(m.as_str())) {
            cells.push(m.as_str().trim().to_string());
            at = m.end();
            roles = &roles[1..];
        }
    }
    let Some(m) = digits.find(&text[at..]).filter(|_| !roles.is_empty()) else {
        return (cells, at);
    };
    let mut run = m.as_str();
    let mut used = m.end();
    let after = &text[at + m.end()..];
    if run.len() >= 2 && run.ends_with('1') && after.starts_with('、') {
        run = &run[..run.len() - 1];
        used -= 1;
    } else if after.starts_with('分') {
        used += '分'.len_utf8();
    }
    let magnitude = target.map(whole_digits_of);
    match cut_columns(run, roles, magnitude) {
        Some(parts) => cells.extend(parts.into_iter().map(str::to_string)),
        None if roles.len() == 1 => cells.push(run.to_string()),
        // `988` for 98 | 8 or 988 | nothing: which is a guess.
        None => return (cells, at),
    }
    (cells, at + used)
}

fn whole_digits(number: &str) -> usize {
    number.split('.').next().map_or(0, str::len)
}

fn whole_digits_of(number: f64) -> usize {
    format!("{:.0}", number.abs().trunc()).len()
}

/// Points available and points given run together (`10095.2` after 总分):
/// the two, when only one cut makes them points.
pub fn points_and_score(run: &str) -> Option<(&str, &str)> {
    match cut_columns(run.trim(), &[HeaderRole::Weight, HeaderRole::Score], None)?.as_slice() {
        [available, score] => Some((available, score)),
        _ => None,
    }
}

/// The columns of results that follow a target (actual, weight, score).
fn result_columns(columns: &[HeaderRole]) -> &[HeaderRole] {
    let n = columns.iter().take_while(|r| matches!(r, HeaderRole::Actual | HeaderRole::Weight | HeaderRole::Score)).count();
    &columns[..n]
}

/// The one cut of `run` into parts that fit `roles` (see
/// [`results_after_target`]); none when no cut fits or several do.
fn cut_columns<'a>(run: &'a str, roles: &[HeaderRole], magnitude: Option<usize>) -> Option<Vec<&'a str>> {
    fn fits(part: &str, role: HeaderRole, magnitude: Option<usize>) -> bool {
        let well_formed = !part.starts_with('.') && !part.ends_with('.') && (!part.starts_with('0') || part == "0" || part.starts_with("0."));
        well_formed
            && match role {
                HeaderRole::Actual => magnitude == Some(whole_digits(part)),
                _ => part.parse::<f64>().is_ok_and(|points| points <= 100.0),
            }
    }
    fn cuts<'a>(run: &'a str, roles: &[HeaderRole], magnitude: Option<usize>, parts: &mut Vec<&'a str>, found: &mut Vec<Vec<&'a str>>) {
        let [role, rest @ ..] = roles else {
            if run.is_empty() {
                found.push(parts.clone());
            }
            return;
        };
        let lengths = if rest.is_empty() { run.len()..=run.len() } else { 1..=run.len().saturating_sub(rest.len()) };
        for len in lengths.filter(|&len| len > 0) {
            let part = &run[..len];
            if fits(part, *role, magnitude) {
                parts.push(part);
                cuts(&run[len..], rest, magnitude, parts, found);
                parts.pop();
            }
        }
    }
    // A score is out of its weight.
    let weight_at = roles.iter().position(|r| *r == HeaderRole::Weight);
    let score_at = roles.iter().position(|r| *r == HeaderRole::Score);
    let mut found = Vec::new();
    cuts(run, roles, magnitude, &mut Vec::new(), &mut found);
    found.retain(|parts| match (weight_at, score_at) {
        (Some(w), Some(s)) => parts[s].parse::<f64>().ok() <= parts[w].parse::<f64>().ok(),
        _ => true,
    });
    (found.len() == 1).then(|| found.remove(0))
}

/// Characters an indicator's name ends with (合格率, 人数, 满意度, 合规性 …).
const NAME_ENDINGS: &str = "率数量度性额比";

/// A target written as words between two indicators with no number to
/// mark either (`成本控制率不超预算水电气消耗下降率反映…`): where the first
/// name and its target end. Only where the words stand right after what
/// ends a name and before another whole name (of four characters or more,
/// ending as names do, maybe with its `反映…` description);
/// `满意度提高情况` and `质量提升幅度` stay one name.
fn target_in_words_between(text: &str) -> Option<(usize, usize)> {
    const MIN_NAME_CHARS: usize = 4;
    let ends_a_name = |s: &str| s.chars().count() >= 2 && s.chars().last().is_some_and(|c| NAME_ENDINGS.contains(c));
    let is_indicator = |s: &str| {
        let name = s.split("反映").next().unwrap_or(s);
        name.chars().count() >= MIN_NAME_CHARS && ends_a_name(name)
    };
    qualitative_targets()
        .iter()
        .flat_map(|word| text.match_indices(word.as_str()).map(move |(at, w)| (at, at + w.len())))
        .filter(|&(at, end)| ends_a_name(&text[..at]) && !text[..at].contains("反映") && is_indicator(&text[end..]))
        .min_by_key(|&(at, _)| at)
}

/// A name, split from its `反映…` description.
fn named(text: &str) -> Vec<String> {
    match text.find("反映") {
        Some(i) if i > 0 => vec![text[..i].to_string(), text[i..].to_string()],
        _ => vec![text.to_string()],
    }
}

/// Text without a numeric target: a target written as words at its end
/// (`提升博物馆绿化水平提升`) is split off where nothing else marks the end of
/// the name (text with punctuation keeps its clauses whole).
fn name_and_words(text: &str, split_words: bool) -> Vec<String> {
    // `…反映补助县数量情况2312222`: after a description, a bare number is
    // the target.
    if let Some(i) = text.find("反映") {
        let digits = text.len() - text.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        if i > 0 && digits > 0 && digits < text.len() - i {
            let (head, number) = text.split_at(text.len() - digits);
            let mut row = named(head);
            row.push(number.to_string());
            return row;
        }
    }
    if split_words {
        for word in qualitative_targets() {
            if let Some(name) = text.strip_suffix(word.as_str()) {
                if name.chars().count() >= 2 {
                    let mut row = named(name);
                    row.push(word.clone());
                    return row;
                }
            }
        }
    }
    named(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_together_text_is_cut_at_labels() {
        let text = "项目名称博物馆纪念馆免费开放补助资金项目主管部门嘉峪关市文化和旅游局项目实施单位嘉峪关城市博物馆";
        assert_eq!(
            Stream::default().pieces(text),
            ["项目名称", "博物馆纪念馆免费开放补助资金", "项目主管部门", "嘉峪关市文化和旅游局", "项目实施单位", "嘉峪关城市博物馆"]
        );
        assert!(is_run_together(text));
        // Labels too short to be looked for in text are cut apart where a piece is nothing else.
        assert_eq!(
            Stream::default().pieces("三级指标年度指标值实际完成值分值得分偏差原因分析及改进措施"),
            ["三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]
        );
        assert_eq!(short_labels("得分率较高"), None);
        // A category and its colon write out an indicator row; a sentence starting with one is prose.
        assert!(writes_out_indicators("数量指标：种植数量>=17600株"));
        assert!(!writes_out_indicators("满意度指标经问卷调查，群众满意度达到96%，较上年提高3个百分点。"));
        assert!(!is_run_together("开展用于医疗保险、生育保险等政策落实工作, 建设市县乡村多层次医疗保障体系"));
    }

    #[test]
    fn a_self_evaluations_results_are_cut_from_text_run_together() {
        let results = [HeaderRole::Actual, HeaderRole::Score];
        // The group's weight before the name; the `1` of `1、` starts the next column.
        assert_eq!(
            split_indicator_text("15分派车次数15000次17180151、提供佐证资料", false, &results),
            [vec!["15分", "派车次数", "15000次", "17180", "15"]]
        );
        // Two targets one after another are the target and the actual here.
        assert_eq!(split_indicator_text("调度员上岗培训100%100%121、佐证", false, &results), [vec!["调度员上岗培训", "100%", "100%", "12"]]);
        assert_eq!(split_indicator_text("培训人次≥500人次620人次9.5分", false, &results), [vec!["培训人次", "≥500人次", "620人次", "9.5"]]);
        // No cut gives an actual of the target's magnitude, or two do: nothing is taken (95 | none or 9 | 5;
        // 95.5 | 10 or 95.51 | 0; 98 | 8 or 988 | none).
        assert_eq!(split_indicator_text("覆盖率≥90%95", false, &results), [vec!["覆盖率", "≥90%"]]);
        assert_eq!(split_indicator_text("覆盖率≥90%95.510", false, &results), [vec!["覆盖率", "≥90%"]]);
        assert_eq!(split_indicator_text("培训人次≥100人次988", false, &results), [vec!["培训人次", "≥100人次"]]);
        // A weight and a score cut where only one cut makes them points (a score out of its weight);
        // words left with no number are the deviation's; a field after the last indicator is no indicator.
        let national = [HeaderRole::Actual, HeaderRole::Weight, HeaderRole::Score, HeaderRole::Deviation];
        assert_eq!(
            split_indicator_text("政策范围内报销比例≥70%68%2018部分药品超出目录", false, &national),
            [vec!["政策范围内报销比例", "≥70%", "68%", "20", "18", "部分药品超出目录"]]
        );
        assert_eq!(
            split_indicator_text("参保群众满意度≥90%93%1010总分10095.2", false, &national),
            [vec!["参保群众满意度", "≥90%", "93%", "10", "10"], vec!["总分", "10095.2"]]
        );
        assert_eq!(split_indicator_text("参保群众满意度≥90%93%1010.5", false, &national), [vec!["参保群众满意度", "≥90%", "93%"]]);
        assert_eq!(points_and_score("10095.2"), Some(("100", "95.2")));
        assert_eq!(points_and_score("1010.5"), None);
        // A header with 指标值 and 年度指标值: two targets, then the results.
        let two_targets = [HeaderRole::Value, HeaderRole::AnnualValue, HeaderRole::Actual, HeaderRole::Score];
        assert_eq!(split_indicator_text("参保人数≥5万人≥5万人5.2万人20", false, &two_targets), [vec!["参保人数", "≥5万人", "≥5万人", "5.2万人", "20"]]);
        // Without result columns, targets printed one after another stay one value.
        assert_eq!(split_indicator_text("调度员上岗培训100%100%", false, &[]), [vec!["调度员上岗培训", "100%100%"]]);
    }

    #[test]
    fn indicator_text_gives_names_and_targets() {
        assert_eq!(split_indicator_text("免费开放天数=300天", true, &[]), [vec!["免费开放天数", "=300天"]]);
        assert_eq!(
            split_indicator_text("办公大楼日常维修维护次数反映办公大楼全年维修维护情况2280次大楼安检巡察次数反映大楼保卫巡检情况200次", true, &[]),
            [
                vec!["办公大楼日常维修维护次数", "反映办公大楼全年维修维护情况", "2280次"],
                vec!["大楼安检巡察次数", "反映大楼保卫巡检情况", "200次"],
            ]
        );
        assert_eq!(split_indicator_text("资金使用效率二100百分比", true, &[]), [vec!["资金使用效率", "二100百分比"]]);
        assert_eq!(split_indicator_text("提升博物馆绿化水平提升", true, &[]), [vec!["提升博物馆绿化水平", "提升"]]);
        assert_eq!(
            split_indicator_text(":脱贫地区特色产业产值(≥**万元)≥80万元,促使脱贫户增加收入(≥**万元)≥80万元;", false, &[]),
            [vec!["脱贫地区特色产业产值(≥**万元)", "≥80万元"], vec!["促使脱贫户增加收入(≥**万元)", "≥80万元"]]
        );
        assert_eq!(split_indicator_text("生态修复功能提高", false, &[]), [vec!["生态修复功能提高"]]);
        // A list's number is no target (of 1 项), a decimal stays one.
        assert_eq!(split_indicator_text("1.项目完工验收合格率100%", false, &[]), [vec!["项目完工验收合格率", "100%"]]);
        assert_eq!(split_indicator_text("补助标准1.5万元", false, &[]), [vec!["补助标准", "1.5万元"]]);
        // A target in words between two indicators, right after what ends a name.
        assert_eq!(
            split_indicator_text("成本控制率不超预算水电气消耗下降率反映水电气消耗比上年下降情况", false, &[]),
            [vec!["成本控制率", "不超预算"], vec!["水电气消耗下降率", "反映水电气消耗比上年下降情况"]]
        );
        assert_eq!(split_indicator_text("群众满意度提高情况", false, &[]), [vec!["群众满意度提高情况"]]);
        assert_eq!(split_indicator_text("群众文化生活质量提升幅度反映群众文化生活变化", false, &[]), [vec!["群众文化生活质量提升幅度", "反映群众文化生活变化"]]);
    }
}
