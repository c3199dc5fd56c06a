//! Stage 3: recognising label cells (项目名称, 年度资金总额, 一级指标 …).
//!
//! The vocabulary lives in `reader/data/labels.toml`; this module only
//! normalises cells and looks them up, so a new layout is new synonyms.

use std::collections::HashMap;
use std::sync::OnceLock;

use jixiao_core::text::fold_char;
use serde::Deserialize;

/// The field a label introduces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    Name,
    Department,
    ImplementingUnit,
    ProjectCode,
    ReportingUnit,
    Contact,
    Attribute,
    Period,
    MoneyBlock,
    PeriodTotal,
    AnnualTotal,
    Central,
    Provincial,
    Local,
    SelfRaised,
    Other,
    FiscalUnspecified,
}

impl Field {
    fn from_key(key: &str) -> Option<Field> {
        Some(match key {
            "name" => Field::Name,
            "department" => Field::Department,
            "implementing_unit" => Field::ImplementingUnit,
            "project_code" => Field::ProjectCode,
            "reporting_unit" => Field::ReportingUnit,
            "contact" => Field::Contact,
            "attribute" => Field::Attribute,
            "period" => Field::Period,
            "money_block" => Field::MoneyBlock,
            "period_total" => Field::PeriodTotal,
            "annual_total" => Field::AnnualTotal,
            "central" => Field::Central,
            "provincial" => Field::Provincial,
            "local" => Field::Local,
            "self_raised" => Field::SelfRaised,
            "other" => Field::Other,
            "fiscal_unspecified" => Field::FiscalUnspecified,
            _ => return None,
        })
    }

    pub fn is_amount(self) -> bool {
        matches!(
            self,
            Field::PeriodTotal
                | Field::AnnualTotal
                | Field::Central
                | Field::Provincial
                | Field::Local
                | Field::SelfRaised
                | Field::Other
                | Field::FiscalUnspecified
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
    Description,
    Basis,
    Remark,
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
        } else if t.contains("(元)") || t.contains("单位:元") || t.ends_with("元)") {
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
}

#[derive(Deserialize)]
struct Levels {
    level1: Vec<String>,
    level2: HashMap<String, String>,
    department_level2: HashMap<String, String>,
}

struct Lexicon {
    labels: HashMap<String, Label>,
    department_parents: HashMap<String, &'static str>,
}

/// First levels of the department-wide framework (部门管理 / 部门产出 / 部门效果).
pub const DEPARTMENT_LEVEL1: &[&str] = &["部门管理", "部门产出", "部门效果"];

/// The department-wide first level a second-level category belongs under.
pub fn department_parent(level2: &str) -> Option<&'static str> {
    lexicon().department_parents.get(level2).copied()
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let vocabulary: Vocabulary =
            toml::from_str(include_str!("../../data/labels.toml")).expect("reader/data/labels.toml is valid");
        let mut labels = HashMap::new();
        // Later kinds never override earlier ones: fields first, then
        // categories, then headers, then sections.
        let mut add = |synonym: &str, label: Label| {
            labels.entry(normalise(synonym)).or_insert(label);
        };
        for (key, synonyms) in &vocabulary.fields {
            let field = Field::from_key(key).unwrap_or_else(|| panic!("labels.toml: unknown field {key}"));
            for s in synonyms {
                add(s, Label::Field(field));
            }
        }
        for name in &vocabulary.indicator_levels.level1 {
            add(name, Label::Level1(leak(normalise(name))));
        }
        for (name, parent) in &vocabulary.indicator_levels.level2 {
            add(name, Label::Level2 { name: leak(normalise(name)), parent: leak(normalise(parent)) });
        }
        for (key, synonyms) in &vocabulary.indicator_header {
            let role = match key.as_str() {
                "block" => HeaderRole::Block,
                "level1" => HeaderRole::Level1,
                "level2" => HeaderRole::Level2,
                "name" => HeaderRole::Name,
                "value" => HeaderRole::Value,
                "annual_value" => HeaderRole::AnnualValue,
                "description" => HeaderRole::Description,
                "basis" => HeaderRole::Basis,
                "remark" => HeaderRole::Remark,
                _ => panic!("labels.toml: unknown indicator header role {key}"),
            };
            for s in synonyms {
                add(s, Label::Header(role));
            }
        }
        for (canonical, synonyms) in &vocabulary.sections {
            let canonical = leak(canonical.clone());
            for s in synonyms {
                add(s, Label::Section(canonical));
            }
        }
        let department_parents = vocabulary
            .indicator_levels
            .department_level2
            .iter()
            .map(|(l2, parent)| (normalise(l2), leak(normalise(parent))))
            .collect();
        Lexicon { labels, department_parents }
    })
}

/// Normalises a cell for label lookup: folded, no whitespace, no trailing
/// colon, ASCII parentheses.
pub fn normalise(text: &str) -> String {
    let mut s: String = text
        .chars()
        .map(fold_char)
        .filter(|c| !c.is_whitespace())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn label(text: &str) -> Option<Label> {
        classify(text).map(|m| m.label)
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
    fn ordinary_text_is_not_a_label() {
        assert_eq!(label("驻村干部补助经费"), None);
        assert_eq!(label("200,000"), None);
    }
}
