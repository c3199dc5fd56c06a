//! Stage 5: the indicator table (一级指标 / 二级指标 / 三级指标 / 指标值).
//!
//! One mechanism reads every layout:
//! - the header row gives each column a role; a table whose header repeats
//!   二级指标 / 三级指标 is *mirrored*: its right half restates each
//!   indicator with the annual (年度) value;
//! - in a data row, category cells are recognised by vocabulary, not by
//!   position (OCR shifts them), the first other cell is the indicator name,
//!   and the cells after it take the roles of the header columns at the same
//!   distance from the name column (in a mirrored table: the value is the
//!   first cell after the name, the annual value the first cell after the
//!   name's repetition);
//! - blank categories carry forward from the rows above, a missing first
//!   level follows from the second (数量指标 → 产出指标);
//! - a row holding only cells right of the name column, or a tiny fragment
//!   right after a page break, continues the indicator above (a wrapped cell).

use jixiao_core::model::Indicator;
use jixiao_core::text::similarity;

use crate::grid::clean::compact;
use crate::grid::split::is_points;
use crate::grid::Row;
use crate::labels::{classify, department_parent, exact, value_words, HeaderRole, Label, DEPARTMENT_LEVEL1};
use super::values::parse_value;

/// Indicators written as a sentence (`绩效指标：全民参保率达 95%以上；医疗保险
/// 待遇报销及时`): one per clause, the target split off where a number starts.
pub fn from_list(text: &str) -> Vec<Indicator> {
    text.split(['；', ';', '。'])
        .map(str::trim)
        .filter(|clause| !clause.is_empty())
        .map(|clause| {
            let clause = compact(clause);
            let split = clause.char_indices().find(|&(_, c)| c.is_ascii_digit() || "≥≤=<>".contains(c)).map(|(i, _)| i);
            let (name, value) = match split {
                Some(i) if i > 0 => {
                    let name = clause[..i].trim_end_matches(['达', '为', '在', '于']).trim_end_matches("达到").to_string();
                    (name, Some(clause[i..].to_string()))
                }
                _ => (clause.clone(), None),
            };
            Indicator { parsed: value.as_deref().map(parse_value), name, value, ..Indicator::default() }
        })
        .collect()
}

pub(super) fn is_placeholder(text: &str) -> bool {
    matches!(text, "无" | "/" | "-" | "—" | "——" | "－" | "\\" | "空" | "……" | "…" | "..." | "……。")
}

/// A template's numbered placeholder left unfilled (`指标2`).
fn is_template_name(text: &str) -> bool {
    text.strip_prefix("指标").is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

/// The first level a second-level category belongs under, in the framework
/// (project or department-wide) that `context` (the printed or carried first
/// level) belongs to; `None` when the framework is unknown. Within a known
/// framework the second level decides: a contradicting first level is an
/// OCR shift or a first level carried too far.
fn parent_in_framework(level2: &str, project_parent: &str, context: &str) -> Option<String> {
    if DEPARTMENT_LEVEL1.contains(&context) {
        department_parent(level2).map(String::from)
    } else if PROJECT_LEVEL1.contains(&context) {
        Some(project_parent.to_string())
    } else {
        None
    }
}

/// A cell that is a target value, not an indicator's name (`=100%`, `≥95%`).
fn looks_like_target(text: &str) -> bool {
    let rest = text.trim_start_matches(['≥', '≤', '=', '<', '>', '＝']);
    rest.len() < text.len() || rest.chars().next().is_some_and(|c| c.is_ascii_digit()) && rest.chars().count() <= 8
}

/// A form's prompt of what to write (`项目资金测算依据(文字描述)`,
/// `正式批资金(-年-月-日)`): no value itself.
fn is_prompt(text: &str) -> bool {
    let t = text.trim().trim_end_matches([')', '）']);
    ["文字描述", "数字描述", "文字说明", "-年-月-日"].iter().any(|p| t.ends_with(p))
}

/// A table's title: `…项目支出绩效目标表`, `…绩效自评表`.
fn is_table_title(text: &str) -> bool {
    let t = text.trim().trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '(' | '（'));
    ["绩效目标表", "目标申报表", "绩效自评表", "绩效评价表"].iter().any(|end| t.ends_with(end))
}

/// A numbered list item's line: `1.…`, `2、…`, `(1)…`, with words after its number.
fn starts_list_item(text: &str) -> bool {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let numbered = RE.get_or_init(|| regex::Regex::new(r"^(?:\d{1,2}[.．、]|[(（]\d{1,2}[)）])").expect("compiles")).is_match(text.trim());
    // `1.2024年度…材料` is an item, `1.5万元` a number.
    numbered && text.chars().filter(|&c| jixiao_core::text::is_han(c)).count() >= 4
}

/// Text with a target in it (`道路设计使用年限>=10年`, `达95%`).
fn states_target(text: &str) -> bool {
    text.contains(['≥', '≤', '>', '<', '=', '＞', '＜', '＝', '%', '％'])
}

/// A heading's or list item's number on its own: `二、`, `(一)`, `3.`.
fn is_enumeration(text: &str) -> bool {
    let t = text.trim().trim_start_matches(['(', '（']).trim_end_matches(['、', '.', '．', ')', '）']);
    let numerals = t.chars().count() <= 3 && t.chars().all(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(c));
    !t.is_empty() && numerals && t.len() < text.trim().len()
}

/// What the cells after an indicator's name say.
#[derive(Debug, Default)]
struct Assigned {
    value: Option<String>,
    /// The value was joined from cells of its own (comparator, number, unit).
    in_pieces: bool,
    annual: Option<String>,
    description: Vec<String>,
    basis: Vec<String>,
    weight: Option<String>,
    /// Self-evaluations: what was achieved, the score, why a target was missed.
    actual: Option<String>,
    score: Option<String>,
    deviation: Vec<String>,
}

fn joined(parts: &[String]) -> Option<String> {
    let text = parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty() && !is_placeholder(p)).collect::<Vec<_>>().join("；");
    (!text.is_empty()).then_some(text)
}

/// A comparator or value type printed in a cell of its own.
fn is_comparator(text: &str) -> bool {
    value_words().is_comparator(text)
}

fn is_value_type(text: &str) -> bool {
    value_words().value_types.iter().any(|t| t == text.trim())
}

fn is_number(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-'))
}

/// A unit printed in a cell of its own (度量单位): one of labels.toml's,
/// maybe qualified (`人/年`, `%(百分比)`).
fn is_unit(text: &str) -> bool {
    let t = text.trim();
    t.chars().count() <= 10
        && !t.chars().any(|c| c.is_ascii_digit())
        && value_words().units.iter().any(|u| t.strip_prefix(u.as_str()).is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', '(', '（'])))
}

/// Where a target printed in pieces starts among the cells after a name,
/// and how many cells it takes: a comparator (or 定性/定量) and the value,
/// then the unit when one follows.
fn value_group(cells: &[(usize, String)], role: impl Fn(usize) -> Option<HeaderRole>) -> Option<(usize, usize)> {
    let start = (0..cells.len().saturating_sub(1)).find(|&k| {
        let (this, next) = (&cells[k].1, &cells[k + 1].1);
        is_comparator(this) && (is_number(next) || is_value_type(this) || role(k) == Some(HeaderRole::Comparator))
    })?;
    let unit = cells.get(start + 2).is_some_and(|(_, t)| is_unit(t));
    // A unit printed before its comparator (计量单位 | 指标性质 | 指标值: `米 | = | 3500`).
    let unit_first = !unit && start > 0 && is_unit(&cells[start - 1].1) && role(start - 1).is_none_or(|r| r == HeaderRole::Unit);
    match (unit, unit_first) {
        (true, _) => Some((start, 3)),
        (false, true) => Some((start - 1, 3)),
        (false, false) => Some((start, 2)),
    }
}

/// First-level categories of the project framework; within it, a printed
/// first level that contradicts the second level's parent is an OCR shift.
const PROJECT_LEVEL1: &[&str] = &["产出指标", "效益指标", "满意度指标"];

#[derive(Clone, Debug, Default)]
pub struct HeaderLayout {
    /// Role of each column of the header row.
    roles: Vec<Option<HeaderRole>>,
    name_col: usize,
    mirrored: bool,
    /// A category printed in the header row itself (an OCR shift moved it
    /// there): it applies to the rows below until they name their own.
    seed: Option<(String, String)>,
}

impl HeaderLayout {
    /// For an indicator block whose header row is missing or garbled: the
    /// usual 一级/二级/三级 column order, no column roles.
    pub fn fallback() -> Self {
        HeaderLayout { roles: Vec::new(), name_col: 3, mirrored: false, seed: None }
    }
}

impl HeaderLayout {
    fn role_at(&self, col: usize) -> Option<HeaderRole> {
        self.roles.get(col).copied().flatten()
    }
}

/// Recognises an indicator header row.
pub fn parse_header(row: &Row) -> Option<HeaderLayout> {
    let mut roles = vec![None; row.cells.len()];
    let mut counted = 0;
    let mut names = 0;
    let mut level2s = 0;
    let mut seed = None;
    for (col, cell) in row.filled() {
        let role = match classify(&cell.text).map(|m| m.label) {
            Some(Label::Header(role)) => role,
            // A shifted header prints a category where 二级指标 belongs.
            Some(Label::Level2 { name, parent }) => {
                seed.get_or_insert((name.to_string(), parent.to_string()));
                HeaderRole::Level2
            }
            _ => continue,
        };
        roles[col] = Some(role);
        match role {
            HeaderRole::Name => names += 1,
            HeaderRole::Level2 => level2s += 1,
            _ => {}
        }
        if role != HeaderRole::Block {
            counted += 1;
        }
    }
    if !roles.contains(&Some(HeaderRole::Name)) && seed.is_none() && counted >= 3 {
        // A header of 一级指标 | 二级指标 and value columns without 三级指标
        // (or OCR lost it): the names stand right after the categories.
        let last_category = roles.iter().rposition(|r| matches!(r, Some(HeaderRole::Level1 | HeaderRole::Level2)))?;
        roles.insert(last_category + 1, Some(HeaderRole::Name));
    }
    let name_col = roles.iter().position(|r| *r == Some(HeaderRole::Name))?;
    (counted >= 3).then_some(HeaderLayout { roles, name_col, mirrored: names >= 2 || level2s >= 2, seed })
}

/// What the row scanner found in one data row.
#[derive(Debug, Default)]
struct RowReading {
    level1: Option<String>,
    level2: Option<(String, String)>,
    mirror_level2: Option<(String, String)>,
    name: Option<(usize, String)>,
    /// The second level, as printed, when it made the category before it a
    /// first level: it is the name where no other name follows.
    promoted: Option<(usize, String)>,
    /// Points printed before the name: the weight of the row's group.
    weight: Option<String>,
    /// Cells after the name, before the mirrored half.
    after_name: Vec<(usize, String)>,
    annual: Option<String>,
}

#[derive(Debug, Default)]
pub struct IndicatorReader {
    layout: HeaderLayout,
    level1: Option<String>,
    level2: Option<String>,
    pub indicators: Vec<Indicator>,
    /// The roles of a second header row under the header (符号 | 单位 |
    /// 单项指标得分 | 权重占比 | 折算得分): the sub-columns of the header's
    /// cells that span several.
    sub_roles: Vec<HeaderRole>,
    /// Texts printed after indicators' names so far (descriptions, scoring
    /// rules): a row whose only text is one of them names no indicator.
    after_names: std::collections::HashSet<String>,
    /// The indicator given its group's points (`数量指标 | 15分 | …`): they
    /// are its weight while it is the group's only one.
    group_weighted: Option<usize>,
}

impl IndicatorReader {
    pub fn new(layout: HeaderLayout) -> Self {
        let (level1, level2) = match &layout.seed {
            Some((l2, parent)) => (Some(parent.clone()), Some(l2.clone())),
            None => (None, None),
        };
        IndicatorReader { layout, level1, level2, ..Default::default() }
    }

    /// Reads one row of the indicator block. Returns false when the row is
    /// not part of the block (a field or section label ends it).
    pub fn read_row(&mut self, row: &Row) -> bool {
        if let Some(layout) = parse_header(row) {
            // The header repeated after a page break.
            self.layout = layout;
            return true;
        }
        if row.filled_count() == 0 {
            return true;
        }
        let classified: Vec<(usize, &str, Option<Label>)> =
            row.filled().map(|(col, cell)| (col, cell.text.as_str(), classify(&cell.text).map(|m| m.label))).collect();
        if let Some((_, _, Some(Label::Field(_) | Label::Section(_)))) = classified.first() {
            return false;
        }
        let has_category = classified.iter().any(|(_, _, l)| matches!(l, Some(Label::Level1(_) | Label::Level2 { .. })));
        let money_label = classified.iter().any(|(_, text, l)| matches!(l, Some(Label::Field(f)) if f.is_amount() && exact(text).is_some()));
        if money_label && !has_category {
            // `资金合计（万元） | 年度预算资金总额 | 1084.25`: money, not an indicator.
            return false;
        }
        if classified.len() >= 2 && classified.iter().all(|(_, _, l)| matches!(l, Some(Label::Header(_)))) {
            // A second header row (符号 | 单位 | 权重占比 under 预期指标值 …).
            self.sub_roles = classified.iter().filter_map(|(_, _, l)| if let Some(Label::Header(r)) = l { Some(*r) } else { None }).collect();
            return true;
        }
        if classified.len() <= 2 && is_table_title(classified[0].1) {
            // The next table's title (…绩效目标表) ends this one's indicators.
            return false;
        }
        // (A cell that only starts with one, `完成情况:1座因汛期推迟`, is text.)
        let header_label = classified.iter().any(|(_, text, _)| matches!(exact(text).map(|m| m.label), Some(Label::Header(role)) if role != HeaderRole::Block));
        if !has_category && header_label {
            // `目标值 | 新罗区 永定区 …`: the rest of a header split over rows.
            return true;
        }
        if classified.len() >= 2 && classified.iter().all(|(_, text, _)| *text == classified[0].1 && text.chars().count() <= 4) {
            // `名称 | 名称 | 名称` under 一级指标 | 二级指标 | 三级指标: the header's second line.
            return true;
        }
        if !has_category && classified.first().is_some_and(|c| is_prompt(c.1)) && !self.indicators.is_empty() {
            // A second prompt and answer of the indicator above (its 记录 in lines).
            return true;
        }
        if !has_category && classified.len() == 1 && starts_list_item(classified[0].1) && !states_target(classified[0].1) && !self.indicators.is_empty() {
            // `1.2024年度项目资金预算测算相关材料。`: a numbered line of a
            // column of notes (支撑材料), not an indicator.
            return true;
        }
        if self.layout.roles.is_empty() && !has_category && classified.len() == 1 && !looks_like_target(classified[0].1) && !states_target(classified[0].1) {
            // No header says what the columns are (a notice's targets in
            // prose): a lone line with neither category nor target is what
            // follows the targets (附件, the signature, the date).
            return false;
        }
        let first_col = classified.first().map(|c| c.0).unwrap_or(0);
        if !has_category && !self.indicators.is_empty() {
            let tiny_after_break = row.gap_before > 0 && classified.first().is_some_and(|c| c.1.chars().count() <= 2);
            let lone_cell_right_of_name = classified.len() == 1 && first_col > self.layout.name_col;
            if lone_cell_right_of_name || tiny_after_break {
                self.continue_previous(&classified);
                return true;
            }
        }
        let reading = self.scan(&classified);
        self.apply(reading);
        true
    }

    fn scan(&self, cells: &[(usize, &str, Option<Label>)]) -> RowReading {
        let mut r = RowReading::default();
        let mut in_mirror = false;
        let mut mirror_name_seen = false;
        for &(col, text, ref label) in cells {
            let category = match label {
                Some(Label::Level1(l1)) => Some((l1.to_string(), None)),
                Some(Label::Level2 { name, parent }) => Some((name.to_string(), Some(parent.to_string()))),
                Some(Label::Header(HeaderRole::Block)) if r.name.is_none() => continue,
                _ => None,
            };
            if let Some((cat, parent)) = category {
                match (&r.name, parent) {
                    (None, None) => {
                        if r.level1.is_none() && r.level2.is_none() {
                            r.level1 = Some(cat);
                        }
                        continue;
                    }
                    (None, Some(parent)) => {
                        let repeated = r.level2.as_ref().is_some_and(|(l2, _)| *l2 == cat);
                        let under_previous = r.level2.as_ref().is_some_and(|(l2, _)| *l2 == parent);
                        if r.level2.is_none() {
                            r.level2 = Some((cat, parent));
                        } else if under_previous && r.level1.is_none() {
                            // 成本指标 | 经济成本指标: the first is the first level
                            // of the new framework (its second level's parent).
                            r.level1 = r.level2.take().map(|(l1, _)| l1);
                            r.level2 = Some((cat, parent));
                            r.promoted = Some((col, text.to_string()));
                        } else if repeated && col == self.layout.name_col && !self.layout.mirrored {
                            // The category word printed again in the name
                            // column is the indicator's name (经济效益指标).
                            r.name = Some((col, text.to_string()));
                        } else if !repeated && !self.layout.mirrored {
                            // Another category word where the name belongs is
                            // the name (服务对象满意度 under 服务对象满意度指标).
                            r.name = Some((col, text.to_string()));
                        } else if !repeated {
                            // A second category with no name yet: the mirrored half.
                            r.mirror_level2 = Some((cat, parent));
                            in_mirror = true;
                        }
                        continue;
                    }
                    (Some(_), parent) => {
                        // After the name, a category starts the mirrored (annual) half.
                        if let Some(parent) = parent {
                            r.mirror_level2.get_or_insert((cat, parent));
                        }
                        in_mirror = true;
                        continue;
                    }
                }
            }
            match &r.name {
                None if in_mirror => {}
                // `二、 | 效益指标`: a heading's number is no indicator.
                None if is_enumeration(text) => {}
                // `数量指标 | 15分 | 派车次数`: the group's weight, printed
                // after its category, is no name.
                None if r.weight.is_none() && is_points(text) => r.weight = Some(text.to_string()),
                None => r.name = Some((col, text.to_string())),
                Some((_, name)) => {
                    // The restated name may be cut short or OCR-garbled.
                    let repeats_name = {
                        let (a, b) = (compact(text), compact(name));
                        a == b || (a.chars().count() >= 4 && b.starts_with(&a)) || similarity(&a, &b) >= 0.8
                    };
                    if in_mirror {
                        if !mirror_name_seen && repeats_name {
                            mirror_name_seen = true;
                        } else if r.annual.is_none() {
                            r.annual = Some(text.to_string());
                        }
                    } else if repeats_name && (self.layout.mirrored || self.layout.roles.is_empty()) {
                        // The name again: the mirrored half restates the indicator.
                        in_mirror = true;
                        mirror_name_seen = true;
                    } else {
                        r.after_name.push((col, text.to_string()));
                    }
                }
            }
        }
        r
    }

    fn apply(&mut self, mut r: RowReading) {
        if let Some((col, promoted)) = r.promoted.take() {
            if r.name.as_ref().is_none_or(|(_, n)| is_comparator(n)) {
                // 成本指标 | 社会成本指标 | 定量 | 100: no name follows the two
                // categories, so the second is the name, the first its second level.
                let level2 = r.level1.take().and_then(|l| match classify(&l).map(|m| m.label) {
                    Some(Label::Level2 { name, parent }) => Some((name.to_string(), parent.to_string())),
                    _ => None,
                });
                r.level2 = level2;
                if let Some(name) = r.name.take() {
                    r.after_name.insert(0, name);
                }
                r.name = Some((col, promoted));
            }
        }
        let row_level2 = r.level2.clone().or_else(|| if r.level1.is_none() { None } else { r.mirror_level2.clone() });
        // Categories: printed in the row, else carried from above.
        let (level1, level2) = match (&r.level1, &row_level2) {
            (Some(l1), Some((l2, parent))) => (Some(parent_in_framework(l2, parent, l1).unwrap_or(l1.clone())), Some(l2.clone())),
            (Some(l1), None) => (Some(l1.clone()), None),
            (None, Some((l2, parent))) => {
                let level1 = match &self.level1 {
                    Some(carried) => parent_in_framework(l2, parent, carried).unwrap_or(carried.clone()),
                    None => parent.clone(),
                };
                (Some(level1), Some(l2.clone()))
            }
            (None, None) => {
                let mirror = r.mirror_level2.clone();
                match mirror {
                    Some((l2, parent)) if self.level2.is_none() => (Some(self.level1.clone().unwrap_or(parent)), Some(l2)),
                    _ => (self.level1.clone(), self.level2.clone()),
                }
            }
        };
        self.level1 = level1.clone();
        self.level2 = level2.clone();
        let Some((name_col, name)) = r.name else { return };
        let assigned = self.assign_values(name_col, &r.after_name, r.annual);
        // `经济效益指标 | 未达指标值酌情扣分`: the scoring rule every row prints, with no indicator.
        let boilerplate = !looks_like_target(&name) && self.after_names.contains(&compact(&name));
        self.after_names.extend(r.after_name.iter().map(|(_, text)| compact(text)));
        let (mut value, annual) = (assigned.value, assigned.annual);
        let mut name = compact(&name);
        // A word or two with nothing after it (`训`, the end of a name a
        // page viewer wrapped; `绩效`, a header's piece) names no indicator.
        let fragment = name.chars().count() <= 2 && !looks_like_target(&name);
        let nothing_after = value.is_none() && assigned.actual.is_none() && assigned.weight.is_none() && assigned.score.is_none();
        if (fragment || boilerplate) && nothing_after {
            return;
        }
        if (is_placeholder(&name) || is_template_name(&name)) && value.is_none() && assigned.actual.is_none() {
            // 无 / — / 指标2 in the name column: the category has no indicator.
            return;
        }
        if value.is_none() && looks_like_target(&name) {
            // Only a target under a category: the category names it.
            match &level2 {
                Some(l2) => {
                    value = Some(name);
                    name = l2.clone();
                }
                None => return,
            }
        }
        // A target printed in pieces keeps them apart (`≥ 95 %`, `定性 减少`).
        let value = value.map(|v| if assigned.in_pieces { v } else { compact(&v) }).filter(|v| !v.is_empty());
        let annual = annual.map(|v| compact(&v)).filter(|v| !v.is_empty());
        let (value, annual_value) = match (value, annual) {
            (Some(v), Some(a)) if v != a => (Some(v), Some(a)),
            (Some(v), _) => (Some(v), None),
            (None, a) => (a, None),
        };
        // Judged on the actual as kept: a placeholder is no actual, and no result.
        let actual = assigned.actual.map(|a| compact(&a)).filter(|a| !a.is_empty() && !is_placeholder(a));
        let achievement = super::achievement::assess(value.as_deref(), actual.as_deref());
        let own_weight = assigned.weight.is_some();
        let group_weight = if own_weight { None } else { r.weight };
        match self.group_weighted {
            // A second indicator of the group: the points were the group's, not the first one's weight.
            Some(i) if group_weight.is_none() && self.indicators.get(i).is_some_and(|first| first.level2 == level2) => {
                self.indicators[i].weight = None;
                self.group_weighted = None;
            }
            _ => self.group_weighted = group_weight.is_some().then_some(self.indicators.len()),
        }
        self.indicators.push(Indicator {
            level1,
            level2,
            name,
            parsed: value.as_deref().map(parse_value),
            value,
            annual_value,
            description: joined(&assigned.description),
            basis: joined(&assigned.basis),
            weight: assigned.weight.or(group_weight).map(|w| compact(&w)).filter(|w| !w.is_empty()),
            achievement,
            actual,
            score: assigned.score.map(|s| compact(&s)).filter(|s| !s.is_empty() && !is_placeholder(s)),
            deviation: joined(&assigned.deviation),
        });
    }

    fn assign_values(&self, name_col: usize, after: &[(usize, String)], mirrored_annual: Option<String>) -> Assigned {
        let mut a = Assigned { annual: mirrored_annual, ..Assigned::default() };
        let lone_description = after.len() == 1 && after[0].1.starts_with("反映");
        if self.layout.mirrored || after.len() == 1 && !lone_description {
            // A mirrored row restates the indicator after its value; a lone
            // cell after the name is its target whatever column OCR put it in.
            a.value = after.first().map(|(_, t)| t.clone());
            return a;
        }
        // Where a cell would sit in the header, from its distance to the name.
        let role_of = |col: usize| self.layout.role_at(self.layout.name_col + (col - name_col.min(col)));
        let mut rest: &[(usize, String)] = after;
        // Roles of the cells after a target printed in pieces, where its
        // columns do not line up with the header's: the header's roles after
        // its target columns, in order.
        let mut in_order: Option<Vec<HeaderRole>> = None;
        if let Some((start, len)) = value_group(after, |k| role_of(after[k].0)) {
            // A target printed in pieces (≥ | 95 | %, 定性 | 减少): one value;
            // text between the name and it describes the indicator.
            a.value = Some(after[start..start + len].iter().map(|(_, t)| compact(t)).collect::<Vec<_>>().join(" "));
            a.in_pieces = true;
            a.description.extend(after[..start].iter().map(|(_, t)| t.clone()));
            rest = &after[start + len..];
            let lined_up = role_of(after[start].0) == Some(HeaderRole::Comparator);
            if !lined_up {
                let roles = &self.layout.roles;
                let last_target = roles.iter().rposition(|r| matches!(r, Some(HeaderRole::Value | HeaderRole::Unit | HeaderRole::Comparator)));
                in_order = last_target.map(|i| {
                    let mut after: Vec<HeaderRole> = roles[i + 1..].iter().flatten().copied().collect();
                    // The last header cell spans the sub-columns a second
                    // header row names after its target's (自评得分 over
                    // 单项指标得分 | 权重占比 | 折算得分).
                    let sub_target = self.sub_roles.iter().rposition(|r| matches!(r, HeaderRole::Value | HeaderRole::Unit | HeaderRole::Comparator));
                    if let Some(j) = sub_target.filter(|&j| j + 1 < self.sub_roles.len()) {
                        after.pop();
                        after.extend(&self.sub_roles[j + 1..]);
                    }
                    after
                });
            }
        }
        let mut unassigned = Vec::new();
        // A prompt (`项目资金测算标准(文字描述)`) stands in its column for the
        // answer written after it.
        // The column of the prompt waiting for its answer (itself maybe no known column).
        let mut prompt_column: Option<Option<HeaderRole>> = None;
        for (k, (col, text)) in rest.iter().enumerate() {
            let role = match &in_order {
                Some(roles) => roles.get(k).copied(),
                None => role_of(*col),
            };
            if is_prompt(text) {
                prompt_column.get_or_insert(role);
                continue;
            }
            let role = prompt_column.take().unwrap_or(role);
            match role {
                Some(HeaderRole::Value) if a.value.is_none() => a.value = Some(text.clone()),
                Some(HeaderRole::AnnualValue) if a.annual.is_none() => a.annual = Some(text.clone()),
                Some(HeaderRole::Description) => a.description.push(text.clone()),
                Some(HeaderRole::Basis) => a.basis.push(text.clone()),
                Some(HeaderRole::Weight) if a.weight.is_none() => a.weight = Some(text.clone()),
                Some(HeaderRole::Actual) if a.actual.is_none() => a.actual = Some(text.clone()),
                Some(HeaderRole::Score) if a.score.is_none() => a.score = Some(text.clone()),
                Some(HeaderRole::Deviation) => a.deviation.push(text.clone()),
                // Remarks, and a second actual, weight or score, are not kept.
                Some(HeaderRole::Remark | HeaderRole::Score | HeaderRole::Actual | HeaderRole::Weight) => {}
                // `反映…` is how every template words an indicator's description.
                _ if text.starts_with("反映") => a.description.push(text.clone()),
                _ => unassigned.push(text.clone()),
            }
        }
        if a.value.is_none() && a.annual.is_none() && !unassigned.is_empty() {
            a.value = Some(unassigned.remove(0));
        }
        a
    }

    /// Appends a wrapped row to the indicator above it.
    fn continue_previous(&mut self, cells: &[(usize, &str, Option<Label>)]) {
        let Some(last) = self.indicators.last_mut() else { return };
        let mut rest = cells;
        let first_col = cells.first().map(|c| c.0).unwrap_or(0);
        if first_col <= self.layout.name_col {
            // A fragment of the name, then of the values, in order.
            if let Some((first, tail)) = cells.split_first() {
                last.name.push_str(&compact(first.1));
                rest = tail;
            }
        }
        for &(col, text, _) in rest {
            let t = compact(text);
            let role = self.layout.role_at(col);
            match (&mut last.value, &mut last.annual_value, role) {
                // The rest of a wrapped description or basis; remarks are not kept.
                (_, _, Some(HeaderRole::Description)) => last.description.get_or_insert_with(String::new).push_str(&t),
                (_, _, Some(HeaderRole::Basis)) => last.basis.get_or_insert_with(String::new).push_str(&t),
                (_, _, Some(HeaderRole::Remark)) => {}
                (None, _, _) => last.value = Some(t),
                (Some(v), annual, _) if self.layout.mirrored => {
                    if *v != t && annual.is_none() {
                        *annual = Some(t);
                    }
                }
                // The annual half restating the value adds nothing.
                (Some(v), _, _) if *v == t => {}
                (Some(v), _, _) => v.push_str(&t),
            }
        }
        last.parsed = last.value.as_deref().map(parse_value);
    }
}

#[cfg(test)]
mod tests {
    use crate::grid;
    use super::*;

    fn read(text: &str) -> Vec<Indicator> {
        let (_, rows) = grid::text::rows(text);
        let mut reader = IndicatorReader::new(parse_header(&rows[0]).expect("header"));
        for row in &rows[1..] {
            assert!(reader.read_row(row));
        }
        reader.indicators
    }

    fn values(indicators: &[Indicator]) -> Vec<(String, Option<String>)> {
        indicators.iter().map(|i| (i.name.clone(), i.value.clone())).collect()
    }

    #[test]
    fn sentence_lists_become_indicators() {
        let got = values(&from_list("全民参保率达 95%以上；医疗保险待遇报销及时；"));
        assert_eq!(
            got,
            [("全民参保率".to_string(), Some("95%以上".to_string())), ("医疗保险待遇报销及时".to_string(), None)]
        );
    }

    #[test]
    fn a_target_in_pieces_may_print_its_unit_first() {
        let text = "一级指标\t二级指标\t三级指标\t计量单位\t指标性质\t指标值\n\
                    产出指标\t数量指标\t绿化美化公路\t米\t=\t3500\n\
                    \t质量指标\t树木成活率\t%\t≥\t85\n";
        assert_eq!(values(&read(text)), [("绿化美化公路".to_string(), Some("米 = 3500".to_string())), ("树木成活率".to_string(), Some("% ≥ 85".to_string()))]);
    }

    #[test]
    fn a_description_and_basis_wrapped_onto_the_next_row_stay_whole() {
        let text = "一级指标\t二级指标\t三级指标\t绩效指标描述\t指标值\t指标值确定依据\n\
                    产出指标\t数量指标\t宣传乡镇数\t宣传到的\t≥20个\t行业\n\
                    \t\t\t乡镇数量\t\t\n\
                    \t\t\t\t\t依据\n";
        let got = read(text);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!((got[0].value.as_deref(), got[0].description.as_deref(), got[0].basis.as_deref()), (Some("≥20个"), Some("宣传到的乡镇数量"), Some("行业依据")));
    }

    /// Lines inside an indicator block that are not indicators: a header's
    /// second line, a prompt and its answer, numbered notes, a heading's
    /// number, a wrapped word, a text every row prints after its name; the
    /// next table's title ends the block.
    #[test]
    fn only_indicators_become_indicators() {
        let text = "一级指标\t二级指标\t三级指标\t指标解释\t完成情况\n\
                    名称\t名称\t名称\n\
                    产出指标\t数量指标\t参保人数\t反映参保情况\t参保人数(文字描述)\t5.2万人\n\
                    1.参保人数统计表及相关佐证材料。\n\
                    参保率(文字描述)\t98%\n\
                    \t质量指标\t报销比例\t反映报销情况\t70%\n\
                    \t\t训\n\
                    \t经济效益指标\t反映报销情况\n\
                    二、\t效益指标\t社会效益指标\t群众就医负担\t反映就医负担\t减轻\n\
                    某市2024年项目支出绩效目标表\n\
                    产出指标\t数量指标\t下一表的指标\t\t1次\n";
        let (_, rows) = grid::text::rows(text);
        let mut reader = IndicatorReader::new(parse_header(&rows[0]).expect("header"));
        let ended = rows[1..].iter().position(|row| !reader.read_row(row));
        assert_eq!(ended.map(|i| rows[i + 1].joined()), Some("某市2024年项目支出绩效目标表".to_string()), "the title ends the block");
        let got: Vec<(&str, Option<&str>)> = reader.indicators.iter().map(|i| (i.name.as_str(), i.actual.as_deref())).collect();
        assert_eq!(got, [("参保人数", Some("5.2万人")), ("报销比例", Some("70%")), ("群众就医负担", Some("减轻"))]);
    }

    #[test]
    fn points_after_a_category_are_its_weight_not_a_name() {
        let text = "二级指标\t二级分值\t三级指标\t年初指标值\t年终完成值\t自评分\n\
                    数量指标\t15分\t派车次数\t15000次\t17180\t15\n";
        let got = read(text);
        assert_eq!(got.len(), 1, "{got:?}");
        let i = &got[0];
        assert_eq!(
            (i.name.as_str(), i.weight.as_deref(), i.value.as_deref(), i.actual.as_deref(), i.score.as_deref()),
            ("派车次数", Some("15分"), Some("15000次"), Some("17180"), Some("15"))
        );
        // Points over two indicators are the group's: neither's weight.
        let two = read(&format!("{text}\t\t出诊次数\t8000次\t8100\t15\n"));
        assert_eq!(two.iter().map(|i| i.weight.as_deref()).collect::<Vec<_>>(), [None, None]);
    }

    #[test]
    fn shifted_rows_keep_their_values() {
        let text = "绩效指标\t一级指标\t二级指标\t三级指标\t\t实施期总体目标值\t年度指标值\t备注\n\
                    \t质量指标\t宣传活动举办成功率\t\t=100%\t\t\n\
                    差旅费按时支付率\t\t\t=100%\t\t\t\n\
                    \n\
                    \t\t租车费按时支付率\t\t=100%\t\t\n\
                    下乡检查医疗机构零差率销售情况\t\t\t\t每月25日之前\t\t\t\n";
        let got = values(&read(text));
        let expected: Vec<(String, Option<String>)> = [
            ("宣传活动举办成功率", "=100%"),
            ("差旅费按时支付率", "=100%"),
            ("租车费按时支付率", "=100%"),
            ("下乡检查医疗机构零差率销售情况", "每月25日之前"),
        ]
        .iter()
        .map(|(n, v)| (n.to_string(), Some(v.to_string())))
        .collect();
        assert_eq!(got, expected);
    }
}
