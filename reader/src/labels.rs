//! Recognising label cells (项目名称, 年度资金总额, 一级指标 …), in a cell
//! of their own or inside text run together.
//!
//! The vocabulary lives in `reader/data/labels.toml`; this module only
//! normalises text and looks it up, so a new template is new synonyms.

use std::collections::HashMap;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};
use jixiao_core::model::Comparator;
use jixiao_core::text::fold_char;
use serde::Deserialize;

/// The field a label introduces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    Name,
    ParentName,
    Department,
    /// One label naming both the department and the implementing unit.
    DepartmentAndUnit,
    DepartmentCode,
    ImplementingUnit,
    ProjectCode,
    ReportingUnit,
    Contact,
    Attribute,
    Period,
    MoneyBlock,
    /// `金额单位：万元`.
    MoneyUnit,
    PeriodTotal,
    AnnualTotal,
    Central,
    Provincial,
    /// 市级 money: provincial in a municipality, local elsewhere.
    CityLevel,
    Local,
    SelfRaised,
    Other,
    FiscalUnspecified,
    InitialBudget,
    AdjustedBudget,
    Received,
    Executed,
    ExecutionRate,
    TotalScore,
    Grade,
    /// Known, and nothing the record keeps.
    Ignored,
}

impl Field {
    fn from_key(key: &str) -> Option<Field> {
        Some(match key {
            "name" => Field::Name,
            "parent_name" => Field::ParentName,
            "department" => Field::Department,
            "department_and_unit" => Field::DepartmentAndUnit,
            "department_code" => Field::DepartmentCode,
            "implementing_unit" => Field::ImplementingUnit,
            "project_code" => Field::ProjectCode,
            "reporting_unit" => Field::ReportingUnit,
            "contact" => Field::Contact,
            "attribute" => Field::Attribute,
            "period" => Field::Period,
            "money_block" => Field::MoneyBlock,
            "money_unit" => Field::MoneyUnit,
            "period_total" => Field::PeriodTotal,
            "annual_total" => Field::AnnualTotal,
            "central" => Field::Central,
            "provincial" => Field::Provincial,
            "city_level" => Field::CityLevel,
            "local" => Field::Local,
            "self_raised" => Field::SelfRaised,
            "other" => Field::Other,
            "fiscal_unspecified" => Field::FiscalUnspecified,
            "initial_budget" => Field::InitialBudget,
            "adjusted_budget" => Field::AdjustedBudget,
            "received" => Field::Received,
            "executed" => Field::Executed,
            "execution_rate" => Field::ExecutionRate,
            "total_score" => Field::TotalScore,
            "grade" => Field::Grade,
            "ignored" => Field::Ignored,
            _ => return None,
        })
    }

    /// Fields whose value is an amount of money.
    pub fn is_amount(self) -> bool {
        matches!(
            self,
            Field::PeriodTotal
                | Field::AnnualTotal
                | Field::Central
                | Field::Provincial
                | Field::CityLevel
                | Field::Local
                | Field::SelfRaised
                | Field::Other
                | Field::FiscalUnspecified
                | Field::InitialBudget
                | Field::AdjustedBudget
                | Field::Received
                | Field::Executed
        )
    }

    /// Fields that name what the money of a row is (a source or a total),
    /// as opposed to what stage of the budget a column is (年初, 执行).
    pub fn is_money_source(self) -> bool {
        self.is_amount() && !self.is_money_stage()
    }

    /// The stages of a self-evaluation's money, printed as column headers
    /// (年初预算数 | 全年预算数 | 全年执行数 | 执行率) or as labels.
    pub fn is_money_stage(self) -> bool {
        matches!(
            self,
            Field::InitialBudget | Field::AdjustedBudget | Field::Received | Field::Executed | Field::ExecutionRate
        )
    }
}

/// The role of a cell in the indicator table's header row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HeaderRole {
    Block,
    Level1,
    Level2,
    Name,
    Value,
    AnnualValue,
    /// 指标性质 / 指标值类型: the comparator (≥, =, 定性) printed apart.
    Comparator,
    /// 度量单位: the unit printed apart.
    Unit,
    Description,
    Basis,
    Weight,
    Score,
    Actual,
    Deviation,
    Remark,
}

impl HeaderRole {
    fn from_key(key: &str) -> Option<HeaderRole> {
        Some(match key {
            "block" => HeaderRole::Block,
            "level1" => HeaderRole::Level1,
            "level2" => HeaderRole::Level2,
            "name" => HeaderRole::Name,
            "value" => HeaderRole::Value,
            "annual_value" => HeaderRole::AnnualValue,
            "comparator" => HeaderRole::Comparator,
            "unit" => HeaderRole::Unit,
            "description" => HeaderRole::Description,
            "basis" => HeaderRole::Basis,
            "weight" => HeaderRole::Weight,
            "score" => HeaderRole::Score,
            "actual" => HeaderRole::Actual,
            "deviation" => HeaderRole::Deviation,
            "remark" => HeaderRole::Remark,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Label {
    Field(Field),
    /// A narrative section, by canonical name.
    Section(&'static str),
    Header(HeaderRole),
    /// A first-level indicator category.
    Level1(&'static str),
    /// A second-level category with its usual first-level parent.
    Level2 { name: &'static str, parent: &'static str },
}

/// Money unit stated by a label such as `项目资金（万元）`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Yuan,
    WanYuan,
}

impl Unit {
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Yuan => "元",
            Unit::WanYuan => "万元",
        }
    }

    pub fn find_in(text: &str) -> Option<Unit> {
        let t: String = text.chars().map(fold_char).filter(|c| !c.is_whitespace()).collect();
        if t.contains("万元") {
            Some(Unit::WanYuan)
        } else if t.contains("(元)") || t.contains("单位:元") || t.ends_with("元)") || t == "元" {
            Some(Unit::Yuan)
        } else {
            None
        }
    }
}

/// A recognised label cell.
#[derive(Clone, Debug, PartialEq)]
pub struct LabelMatch {
    pub label: Label,
    pub unit: Option<Unit>,
    /// Text after the label inside the same cell (`申报编号：JXMB…`).
    pub inline_value: Option<String>,
}

#[derive(Deserialize)]
struct Vocabulary {
    fields: HashMap<String, Vec<String>>,
    sections: HashMap<String, Vec<String>>,
    indicator_header: HashMap<String, Vec<String>>,
    indicator_levels: Levels,
    qualitative_targets: Qualitative,
    values: ValueVocabulary,
}

#[derive(Deserialize)]
struct Levels {
    level1: Vec<String>,
    level2: HashMap<String, String>,
    department_level2: HashMap<String, String>,
}

#[derive(Deserialize)]
struct Qualitative {
    words: Vec<String>,
}

/// `[values]` as written in labels.toml.
#[derive(Deserialize)]
struct ValueVocabulary {
    units: Vec<String>,
    at_least: Vec<String>,
    at_most: Vec<String>,
    equal: Vec<String>,
    more_than: Vec<String>,
    less_than: Vec<String>,
    value_types: Vec<String>,
    met: Vec<String>,
    not_met: Vec<String>,
}

/// How targets and actuals are written (labels.toml `[values]`). Units and
/// comparators are longest first, so a prefix never hides a longer word
/// (大于 / 大于等于, 万 / 万元).
pub struct ValueWords {
    pub units: Vec<String>,
    pub comparators: Vec<(String, Comparator)>,
    pub value_types: Vec<String>,
    pub met: Vec<String>,
    pub not_met: Vec<String>,
}

impl ValueWords {
    fn from(v: ValueVocabulary) -> ValueWords {
        let mut comparators: Vec<(String, Comparator)> = [
            (v.at_least, Comparator::Ge),
            (v.at_most, Comparator::Le),
            (v.equal, Comparator::Eq),
            (v.more_than, Comparator::Gt),
            (v.less_than, Comparator::Lt),
        ]
        .into_iter()
        .flat_map(|(words, c)| words.into_iter().map(move |w| (w, c)))
        .collect();
        comparators.sort_by_key(|(w, _)| std::cmp::Reverse(w.chars().count()));
        let mut units = v.units;
        units.sort_by_key(|u| std::cmp::Reverse(u.chars().count()));
        ValueWords { units, comparators, value_types: v.value_types, met: v.met, not_met: v.not_met }
    }

    /// A comparator or value type printed in a cell of its own. A word
    /// that also says a target was met (达到) is an actual there.
    pub fn is_comparator(&self, text: &str) -> bool {
        let text = text.trim();
        let comparator = self.comparators.iter().any(|(w, _)| w == text) && !self.met.iter().any(|w| w == text);
        comparator || self.value_types.iter().any(|w| w == text)
    }
}

struct Lexicon {
    labels: HashMap<String, Label>,
    department_parents: HashMap<String, &'static str>,
    /// Every label's normalised form, for finding labels inside text.
    finder: AhoCorasick,
    finder_labels: Vec<Label>,
    qualitative: Vec<String>,
    values: ValueWords,
}

/// First levels of the department-wide framework (部门管理 / 部门产出 / 部门效果).
pub const DEPARTMENT_LEVEL1: &[&str] = &["部门管理", "部门产出", "部门效果"];

/// The department-wide first level a second-level category belongs under.
pub fn department_parent(level2: &str) -> Option<&'static str> {
    lexicon().department_parents.get(level2).copied()
}

/// Units, comparators and the words of met and missed targets.
pub fn value_words() -> &'static ValueWords {
    &lexicon().values
}

/// Targets written as words (长远, 提升, 增加岗位), longest first.
pub fn qualitative_targets() -> &'static [String] {
    &lexicon().qualitative
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// Labels shorter than this are not looked for inside text run together:
/// two characters (合计, 得分, 来源) occur inside ordinary names.
const MIN_FOUND_IN_TEXT: usize = 3;

fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let vocabulary: Vocabulary =
            toml::from_str(include_str!("../data/labels.toml")).expect("reader/data/labels.toml is valid");
        let mut entries: Vec<(String, Label)> = Vec::new();
        // Earlier kinds win over later ones for the same words: fields, then
        // categories, then headers, then sections. Within a kind, keys are
        // taken in sorted order so the outcome never depends on hashing.
        let mut fields: Vec<_> = vocabulary.fields.iter().collect();
        fields.sort();
        for (key, synonyms) in fields {
            let field = Field::from_key(key).unwrap_or_else(|| panic!("labels.toml: unknown field {key}"));
            entries.extend(synonyms.iter().map(|s| (s.clone(), Label::Field(field))));
        }
        for name in &vocabulary.indicator_levels.level1 {
            entries.push((name.clone(), Label::Level1(leak(normalise(name)))));
        }
        let mut level2: Vec<_> = vocabulary.indicator_levels.level2.iter().collect();
        level2.sort();
        for (name, parent) in level2 {
            entries.push((name.clone(), Label::Level2 { name: leak(normalise(name)), parent: leak(normalise(parent)) }));
        }
        let mut headers: Vec<_> = vocabulary.indicator_header.iter().collect();
        headers.sort();
        for (key, synonyms) in headers {
            let role = HeaderRole::from_key(key).unwrap_or_else(|| panic!("labels.toml: unknown indicator header role {key}"));
            entries.extend(synonyms.iter().map(|s| (s.clone(), Label::Header(role))));
        }
        let mut sections: Vec<_> = vocabulary.sections.iter().collect();
        sections.sort();
        for (canonical, synonyms) in sections {
            let canonical = leak(canonical.clone());
            entries.extend(synonyms.iter().map(|s| (s.clone(), Label::Section(canonical))));
        }
        let mut labels = HashMap::new();
        for (synonym, label) in entries {
            labels.entry(normalise(&synonym)).or_insert(label);
        }
        let mut found_in_text: Vec<(&String, &Label)> =
            labels.iter().filter(|(key, _)| key.chars().count() >= MIN_FOUND_IN_TEXT).collect();
        found_in_text.sort_by(|a, b| a.0.cmp(b.0));
        let finder = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(found_in_text.iter().map(|(key, _)| key.as_str()))
            .expect("label finder builds");
        let finder_labels = found_in_text.iter().map(|(_, label)| (*label).clone()).collect();
        let department_parents = vocabulary
            .indicator_levels
            .department_level2
            .iter()
            .map(|(l2, parent)| (normalise(l2), leak(normalise(parent))))
            .collect();
        let mut qualitative = vocabulary.qualitative_targets.words.clone();
        qualitative.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
        let values = ValueWords::from(vocabulary.values);
        Lexicon { labels, department_parents, finder, finder_labels, qualitative, values }
    })
}

/// A pinyin gloss printed after a character (`項(xiàng)`): lower-case
/// Latin letters with tone marks in parentheses, right after a Han
/// character.
fn is_gloss(inner: &str) -> bool {
    !inner.is_empty()
        && inner.chars().count() <= 8
        && inner.chars().all(|c| c.is_ascii_lowercase() || ('\u{e0}'..='\u{1dc}').contains(&c))
        && inner.chars().any(|c| !c.is_ascii() || "aeiou".contains(c))
}

/// Text without the pinyin glosses some sites print after every character
/// (`區(qū)` → `區`).
pub fn strip_glosses(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('(') && !text.contains('（') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find(['(', '（']) {
        let open_len = rest[open..].chars().next().map_or(1, char::len_utf8);
        let after = &rest[open + open_len..];
        let close = after.find([')', '）']);
        let after_han = rest[..open].chars().next_back().is_some_and(jixiao_core::text::is_han);
        match close {
            Some(close) if after_han && is_gloss(&after[..close]) => {
                out.push_str(&rest[..open]);
                let close_len = after[close..].chars().next().map_or(1, char::len_utf8);
                rest = &after[close + close_len..];
            }
            _ => {
                out.push_str(&rest[..open + open_len]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// Normalises a cell for label lookup: glosses and required-field markers
/// dropped, folded, no whitespace, no trailing colon, ASCII parentheses, a
/// trailing score (`绩效指标(90分)`) and a note that the row must be filled
/// (`成本指标(必填硬性指标)`) dropped.
pub fn normalise(text: &str) -> String {
    let text = strip_glosses(text);
    let mut s: String = text
        .chars()
        .map(fold_char)
        .filter(|c| !c.is_whitespace() && !matches!(c, '*' | '★' | '☆' | '※'))
        .map(|c| match c {
            '【' => '[',
            '】' => ']',
            '，' => ',',
            _ => c,
        })
        .collect();
    while s.ends_with([':', '：']) {
        s.pop();
    }
    // `年度预算资金总额):` — a closing parenthesis with no opening one.
    if s.ends_with(')') && !s.contains('(') {
        s.pop();
        while s.ends_with(':') {
            s.pop();
        }
    }
    // A column's letter in a formula template: `全年预算数(A)`, `执行率(B/A)`.
    if let Some(open) = s.strip_suffix(')').and_then(|body| body.rfind('(')) {
        let tag = &s[open + 1..s.len() - 1];
        // Single letters (folded to lower case) between operators: `B/A`,
        // not a word such as `GDP`.
        let letters: Vec<&str> = tag.split(|c: char| "+-/*=×÷".contains(c)).collect();
        if open > 0 && letters.iter().all(|l| l.len() == 1 && l.bytes().all(|b| b.is_ascii_lowercase())) {
            s.truncate(open);
        }
    }
    // A column's period in a header that prints the long-term and the
    // annual targets side by side: `三级指标(长期)`, `指标值(年度)` (the
    // repeated columns make the table mirrored).
    for period in ["(长期)", "(中期)", "(年度)", "(实施期)", "(当年)"] {
        if s.len() > period.len() && s.ends_with(period) {
            s.truncate(s.len() - period.len());
            break;
        }
    }
    // A form's note on whether a row must be filled: `成本指标(必填硬性指标)`,
    // `满意度指标(选填)`.
    if let Some(open) = s.strip_suffix(')').and_then(|body| body.rfind('(')) {
        let note = &s[open + 1..s.len() - 1];
        if open > 0 && ["必填", "选填", "可选", "硬性", "非必填"].iter().any(|w| note.contains(w)) && note.chars().count() <= 8 {
            s.truncate(open);
        }
    }
    if s.ends_with("分)") {
        if let Some(open) = s.rfind('(') {
            if s[open + 1..s.len() - "分)".len()].chars().all(|c| c.is_ascii_digit()) && open > 0 {
                s.truncate(open);
            }
        }
    }
    s
}

/// Looks a cell up as a label.
pub fn classify(text: &str) -> Option<LabelMatch> {
    let key = normalise(text);
    if key.is_empty() {
        return None;
    }
    if key.chars().count() <= 40 {
        if let Some(m) = lookup(&key) {
            return Some(m);
        }
    }
    // `标签：值` or `标签(盖章)值` inside one cell.
    for split in [key.find(':'), key.find(')').map(|i| i + 1)].into_iter().flatten() {
        let (head, tail) = key.split_at(split);
        let tail = tail.trim_start_matches(':');
        if head.chars().count() > 40 {
            continue;
        }
        if let Some(mut m) = lookup(head) {
            if !tail.is_empty() {
                m.inline_value = Some(inline_text(text, tail));
            }
            return Some(m);
        }
    }
    None
}

/// The label of a cell only when the whole cell is the label (no value in
/// it).
pub fn exact(text: &str) -> Option<LabelMatch> {
    classify(text).filter(|m| m.inline_value.is_none())
}

/// The original text of an inline value (the key lost its spaces).
fn inline_text(original: &str, normalised_tail: &str) -> String {
    original
        .char_indices()
        .map(|(i, _)| original[i..].trim())
        .find(|s| normalise(s) == normalised_tail)
        .unwrap_or(normalised_tail)
        .to_string()
}

fn lookup(key: &str) -> Option<LabelMatch> {
    let labels = &lexicon().labels;
    let mut key = key.trim_start_matches("其中").trim_start_matches(':').to_string();
    let mut unit = None;
    // A unit in parentheses at the end: `项目资金(万元)`, `资金总额(万元)`.
    if let Some(open) = key.rfind('(') {
        if key.ends_with(')') {
            if let Some(u) = Unit::find_in(&key[open..]) {
                unit = Some(u);
                key.truncate(open);
            }
        }
    }
    labels.get(&key).map(|label| LabelMatch { label: label.clone(), unit, inline_value: None })
}

/// A label found inside text: its byte range in the text and what it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub label: Label,
}

/// Every label inside `text`, leftmost-longest, not overlapping. The text
/// is matched as [`normalise`] sees it (folded, without spaces), and the
/// ranges are mapped back to the original.
pub fn find_in_text(text: &str) -> Vec<Found> {
    let lexicon = lexicon();
    // The normalised text with, per byte of it, the original byte offset.
    let mut folded = String::with_capacity(text.len());
    let mut origin: Vec<usize> = Vec::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        if c.is_whitespace() || matches!(c, '*' | '★' | '☆' | '※') {
            continue;
        }
        let f = match fold_char(c) {
            '【' => '[',
            '】' => ']',
            '，' => ',',
            f => f,
        };
        for _ in 0..f.len_utf8() {
            origin.push(i);
        }
        folded.push(f);
    }
    origin.push(text.len());
    lexicon
        .finder
        .find_iter(&folded)
        .map(|m| {
            let start = origin[m.start()];
            // The end is the end of the original character the match ends in.
            let last = origin[m.end() - 1];
            let end = last + text[last..].chars().next().map_or(1, char::len_utf8);
            Found { start, end, label: lexicon.finder_labels[m.pattern().as_usize()].clone() }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(text: &str) -> Option<Label> {
        classify(text).map(|m| m.label)
    }

    #[test]
    fn drops_a_formula_columns_letter() {
        assert_eq!(label("全年预算数（A）"), Some(Label::Field(Field::AdjustedBudget)));
        assert_eq!(label("执行率（B/A）"), Some(Label::Field(Field::ExecutionRate)));
        assert_eq!(normalise("指标(GDP)"), "指标(gdp)", "letters of a word are kept");
    }

    #[test]
    fn recognises_fields_with_units_and_qizhong() {
        let m = classify("项目资金 （万元）").unwrap();
        assert_eq!(m.label, Label::Field(Field::MoneyBlock));
        assert_eq!(m.unit, Some(Unit::WanYuan));
        assert_eq!(label("其中: 中央财政资金"), Some(Label::Field(Field::Central)));
        assert_eq!(label("市县（区）财政资 金"), Some(Label::Field(Field::Local)));
        assert_eq!(label("实施期资金总额："), Some(Label::Field(Field::PeriodTotal)));
    }

    #[test]
    fn splits_inline_values() {
        let m = classify("绩效目标申报编号：JXMB 202240400102").unwrap();
        assert_eq!(m.label, Label::Field(Field::ProjectCode));
        assert_eq!(m.inline_value.as_deref(), Some("JXMB 202240400102"));
        let m = classify("填报单位（盖章）石鼓区医保局").unwrap();
        assert_eq!(m.label, Label::Field(Field::ReportingUnit));
        assert_eq!(m.inline_value.as_deref(), Some("石鼓区医保局"));
    }

    #[test]
    fn recognises_indicator_categories_despite_ocr_spaces() {
        assert_eq!(label("效益指 标"), Some(Label::Level1("效益指标")));
        assert_eq!(label("社会效益指 标"), Some(Label::Level2 { name: "社会效益指标", parent: "效益指标" }));
        assert_eq!(label("三级指标"), Some(Label::Header(HeaderRole::Name)));
    }

    #[test]
    fn traditional_glossed_and_marked_labels() {
        assert_eq!(label("項(xiàng)目名稱(chēng)"), Some(Label::Field(Field::Name)));
        assert_eq!(label("*指標(biāo)值"), Some(Label::Header(HeaderRole::Value)));
        assert_eq!(label("績效指標(90分)"), Some(Label::Header(HeaderRole::Block)));
        assert_eq!(label("成本指标(必填硬性指标)"), Some(Label::Level2 { name: "成本指标", parent: "产出指标" }));
        assert_eq!(label("时效指标(必填)"), label("时效指标"));
        assert_eq!(label("三级指标(长期)"), Some(Label::Header(HeaderRole::Name)));
        assert_eq!(label("指标值（年度）"), Some(Label::Header(HeaderRole::Value)));
        assert_eq!(normalise("参保率(选填项目之外的说明文字)"), "参保率(选填项目之外的说明文字)", "a long note is text");
        assert_eq!(strip_glosses("區(qū)發(fā)改局（2023）"), "區發改局（2023）");
    }

    #[test]
    fn ordinary_text_is_not_a_label() {
        assert_eq!(label("驻村干部补助经费"), None);
        assert_eq!(label("200,000"), None);
    }

    #[test]
    fn labels_are_found_inside_text_run_together() {
        let text = "項目名稱 文化事业发展专项资金主管部门嘉峪关市文化和旅游局";
        let found = find_in_text(text);
        let spans: Vec<(&str, &Label)> = found.iter().map(|f| (&text[f.start..f.end], &f.label)).collect();
        assert_eq!(
            spans,
            [("項目名稱", &Label::Field(Field::Name)), ("主管部门", &Label::Field(Field::Department))]
        );
    }
}
