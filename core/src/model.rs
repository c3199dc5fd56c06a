//! The structured record of one published performance-target table.
//!
//! This is the contract between the indexer (which fills it from documents)
//! and everything downstream: the JSON export, the index, the app. Field
//! names are part of the public dataset (JSON/CSV exports), so renaming one
//! is a format change.

use serde::{Deserialize, Serialize};

/// One project table, or one department-wide set of targets.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Stable identifier used in URLs, e.g. `140900-2024-7f3a9c21`.
    pub id: String,
    /// Identifiers of other printings merged into this record; old links
    /// that name them still resolve.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alias_ids: Vec<String>,
    pub kind: Kind,
    /// Name as published (OCR column shifts repaired).
    pub name: String,
    /// Budget year of the table.
    pub year: Option<u16>,
    pub region: Region,
    /// Canonical full name of the competent department.
    pub department: Option<String>,
    /// The competent-department cell as printed.
    pub department_raw: Option<String>,
    pub department_code: Option<String>,
    pub implementing_unit: Option<String>,
    pub project_code: Option<String>,
    pub money: Money,
    /// Fund sources for filtering, derived from `money` (and, where the table
    /// does not break the money down, inferred from the project name).
    #[serde(default)]
    pub fund_sources: Vec<FundSourceTag>,
    #[serde(default)]
    pub indicators: Vec<Indicator>,
    /// Narrative sections (概况, 立项依据, 总体目标 …) in document order.
    #[serde(default)]
    pub sections: Vec<Section>,
    /// Every printing this record was read from.
    pub sources: Vec<SourceRef>,
    /// What could not be read.
    #[serde(default)]
    pub warnings: Vec<Warning>,
    /// Where two printings or two cells disagree.
    #[serde(default)]
    pub conflicts: Vec<Conflict>,
    /// A self-evaluation's money, score and link to its target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluation: Option<Evaluation>,
    /// The ids of the self-evaluations of this target record.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evaluations: Vec<String>,
    /// What the self-evaluations say of the targets (see [`Outcome`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    /// How sure the reading is, and why not more.
    #[serde(default)]
    pub confidence: Confidence,
    /// Values the people who run the site corrected by hand (人工校正).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<Correction>,
    /// Ids of the projects whose text is most alike (set by the build).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub similar: Vec<String>,
}

/// How sure the reader is of a record: 100 when the template fits every
/// value read, less for each doubt. A record under [`Confidence::SURE`] is
/// shown as 需核对 (to be checked) with its doubts and a link to the
/// original text; its values are kept as read, never replaced by a guess.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confidence {
    /// 0–100.
    pub score: u8,
    /// Why the score is not 100, the most serious first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub doubts: Vec<Doubt>,
}

impl Default for Confidence {
    fn default() -> Confidence {
        Confidence { score: 100, doubts: Vec::new() }
    }
}

impl Confidence {
    /// Below this a record is marked 需核对.
    pub const SURE: u8 = 80;

    pub fn unsure(&self) -> bool {
        self.score < Confidence::SURE
    }
}

/// One reason to doubt a reading.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Doubt {
    /// What it is about: `name`, `total_yuan`, `money`, `indicator:<name>`,
    /// `indicators`, `table` …
    pub field: String,
    /// In words, for the people who read the page.
    pub message: String,
    /// How much it lowers the score.
    pub weight: u8,
}

/// A value corrected by hand in `data/corrections.toml`: what was read,
/// what it is, who said so and why.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    /// The field corrected (`name`, `total_yuan`, `indicator:<name>.value`,
    /// `table` …), as `corrections.toml` names it.
    pub field: String,
    /// The value as the reader read it (`None`: it read none).
    pub read: Option<String>,
    /// The value as corrected (`None`: removed).
    pub value: Option<String>,
    pub note: String,
    pub by: String,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    #[default]
    Project,
    Department,
    /// A self-evaluation (绩效自评表): the year's targets beside what was
    /// achieved, the money executed and the score (see [`Evaluation`]).
    Evaluation,
}

impl Kind {
    pub fn label_zh(self) -> &'static str {
        match self {
            Kind::Project => "项目",
            Kind::Department => "部门整体",
            Kind::Evaluation => "绩效自评",
        }
    }
}

/// An administrative unit, resolved against the GB/T 2260 gazetteer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Region {
    pub province: Option<String>,
    pub city: Option<String>,
    /// County-level unit (县 / 区 / 县级市); `None` for a city-level table.
    pub county: Option<String>,
    /// Six-digit GB/T 2260 code of the most specific unit.
    pub code: Option<String>,
}

impl Region {
    /// The most specific name, e.g. `兴隆县` or `忻州市`.
    pub fn short_name(&self) -> &str {
        self.county
            .as_deref()
            .or(self.city.as_deref())
            .or(self.province.as_deref())
            .unwrap_or("")
    }

    /// Full path, e.g. `河北省 承德市 兴隆县`.
    pub fn full_name(&self) -> String {
        [&self.province, &self.city, &self.county]
            .iter()
            .filter_map(|p| p.as_deref())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Money of a table, always in yuan (integers), whatever unit the document used.
/// `None` means the document does not say.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    /// The unit the table states (`元` or `万元`).
    pub unit_in_doc: Option<String>,
    /// Annual total (年度资金总额 / 预算数 / 资金总额).
    pub total_yuan: Option<i64>,
    /// Total over the implementation period (实施期资金总额).
    pub period_total_yuan: Option<i64>,
    pub central: Option<i64>,
    pub provincial: Option<i64>,
    /// City / county / district money (市县(区)财政资金).
    pub local: Option<i64>,
    pub self_raised: Option<i64>,
    pub other: Option<i64>,
    /// 财政资金 / 财政拨款 not split by level of government.
    pub fiscal_unspecified: Option<i64>,
}

impl Money {
    /// The amount of one source, as printed.
    pub fn by_source(&self, source: FundSource) -> Option<i64> {
        match source {
            FundSource::Central => self.central,
            FundSource::Provincial => self.provincial,
            FundSource::Local => self.local,
            FundSource::SelfRaised => self.self_raised,
            FundSource::Other => self.other,
            FundSource::FiscalUnspecified => self.fiscal_unspecified,
        }
    }
}

/// Where money comes from. The string forms are used in URLs (`?fund=central`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FundSource {
    Central,
    Provincial,
    Local,
    SelfRaised,
    Other,
    FiscalUnspecified,
}

impl FundSource {
    pub const ALL: [FundSource; 6] = [
        FundSource::Central,
        FundSource::Provincial,
        FundSource::Local,
        FundSource::SelfRaised,
        FundSource::Other,
        FundSource::FiscalUnspecified,
    ];

    pub fn key(self) -> &'static str {
        match self {
            FundSource::Central => "central",
            FundSource::Provincial => "provincial",
            FundSource::Local => "local",
            FundSource::SelfRaised => "self_raised",
            FundSource::Other => "other",
            FundSource::FiscalUnspecified => "fiscal_unspecified",
        }
    }

    pub fn from_key(key: &str) -> Option<FundSource> {
        FundSource::ALL.into_iter().find(|s| s.key() == key)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            FundSource::Central => "中央",
            FundSource::Provincial => "省级",
            FundSource::Local => "市县区",
            FundSource::SelfRaised => "单位自筹",
            FundSource::Other => "其他",
            FundSource::FiscalUnspecified => "财政未分级",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundSourceTag {
    pub source: FundSource,
    /// True when the table gives no breakdown and the source was inferred
    /// from the project name (e.g. 中央财政…补助资金).
    #[serde(default)]
    pub inferred: bool,
}

/// One performance indicator (三级指标) with its category and target.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub level1: Option<String>,
    pub level2: Option<String>,
    pub name: String,
    /// Target value as printed (implementation period, or the only one given).
    pub value: Option<String>,
    /// The annual target, only where it differs from `value`.
    pub annual_value: Option<String>,
    /// `value` parsed.
    pub parsed: Option<ParsedValue>,
    /// What the indicator measures (绩效指标描述 / 指标解释), as printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// How the target was set (指标值确定依据), as printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
    /// The indicator's weight in the table's score (权重 / 分值), as printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<String>,
    /// In a self-evaluation: what was achieved (实际完成值), as printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual: Option<String>,
    /// In a self-evaluation: the score given (得分), as printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<String>,
    /// In a self-evaluation: why the target was missed and what will change
    /// (偏差原因分析及改进措施).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deviation: Option<String>,
    /// Whether `actual` meets `value`, where an actual is printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub achievement: Option<Achievement>,
}

impl Record {
    /// Sets beside a target table's indicators what one of its
    /// self-evaluations reports: an evaluated indicator of the same name
    /// (punctuation and spacing aside) gives its actual, score and
    /// achievement. Names that differ are left without, never paired by
    /// likeness: a result shown beside the wrong target would mislead.
    pub fn take_results_from(&mut self, evaluation: &Record) {
        for target in self.indicators.iter_mut().filter(|i| i.actual.is_none()) {
            let key = crate::text::name_key(&target.name);
            if let Some(result) = evaluation.indicators.iter().find(|e| e.actual.is_some() && crate::text::name_key(&e.name) == key) {
                target.actual = result.actual.clone();
                target.score = result.score.clone();
                target.achievement = result.achievement;
            }
        }
    }
}

/// A target set against what was achieved: decided only from parsed
/// numbers in comparable units, or from an actual that says so plainly
/// (达标, 完成); anything else cannot be told — never a guess.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Achievement {
    Achieved,
    Missed,
    Unclear,
}

impl Achievement {
    /// The serialised name (also a CSS class of the state in the app).
    pub fn key(self) -> &'static str {
        match self {
            Achievement::Achieved => "achieved",
            Achievement::Missed => "missed",
            Achievement::Unclear => "unclear",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Achievement::Achieved => "已完成",
            Achievement::Missed => "未完成",
            Achievement::Unclear => "无法判断",
        }
    }
}

/// What the published self-evaluations say of a record's targets: of an
/// evaluation, its own; of a target table, its evaluations'.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Every target whose result can be told was met.
    AllAchieved,
    /// At least one target was missed.
    SomeMissed,
    /// No target's result can be told from what was printed.
    Unclear,
}

impl Outcome {
    pub const ALL: [Outcome; 3] = [Outcome::AllAchieved, Outcome::SomeMissed, Outcome::Unclear];

    pub fn label_zh(self) -> &'static str {
        match self {
            Outcome::AllAchieved => "目标全部完成",
            Outcome::SomeMissed => "有目标未完成",
            Outcome::Unclear => "完成情况无法判断",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Outcome::AllAchieved => "all_achieved",
            Outcome::SomeMissed => "some_missed",
            Outcome::Unclear => "unclear",
        }
    }

    pub fn from_key(key: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.key() == key)
    }

    /// The outcome of a set of targets' results.
    pub fn of(achievements: impl IntoIterator<Item = Achievement>) -> Option<Outcome> {
        let (mut met, mut missed, mut any) = (0, 0, false);
        for a in achievements {
            any = true;
            match a {
                Achievement::Achieved => met += 1,
                Achievement::Missed => missed += 1,
                Achievement::Unclear => {}
            }
        }
        any.then_some(if missed > 0 {
            Outcome::SomeMissed
        } else if met > 0 {
            Outcome::AllAchieved
        } else {
            Outcome::Unclear
        })
    }
}

/// What a self-evaluation says beyond its indicators.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// 年初预算数 (the year's total as adjusted is `money.total_yuan`).
    pub initial_budget_yuan: Option<i64>,
    /// 全年执行数: the money spent.
    pub executed_yuan: Option<i64>,
    /// 执行率 as printed.
    pub execution_rate: Option<String>,
    /// The total score (自评总分), as printed.
    pub score: Option<String>,
    /// 优 / 良 / 中 / 差, as printed.
    pub grade: Option<String>,
    /// The target table this evaluates, where one was found.
    pub target: Option<EvaluationLink>,
}

/// Why an evaluation is taken to evaluate a target record.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EvaluationLink {
    /// The target record's id.
    pub id: String,
    /// In words, e.g. `项目编码相同（13082224P00079610001L）`.
    pub reason: String,
    /// 100 for the same project code, less for names alike.
    pub confidence: u8,
}

/// A target value parsed into comparator, number and unit, or kept as text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ParsedValue {
    Quantity {
        comparator: Comparator,
        number: f64,
        unit: Option<String>,
    },
    Qualitative {
        text: String,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Comparator {
    #[serde(rename = "≥")]
    Ge,
    #[serde(rename = "≤")]
    Le,
    #[serde(rename = "=")]
    Eq,
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = ">")]
    Gt,
}

impl Comparator {
    pub fn symbol(self) -> &'static str {
        match self {
            Comparator::Ge => "≥",
            Comparator::Le => "≤",
            Comparator::Eq => "=",
            Comparator::Lt => "<",
            Comparator::Gt => ">",
        }
    }
}

/// A narrative section of a table.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// Canonical label, e.g. `项目概况`.
    pub label: String,
    pub text: String,
}

/// One printing of a record: which document, which lines, and the raw text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRef {
    /// File name inside `data/`.
    pub document: String,
    /// 1-based line of the table's 项目名称 row (a department table: its title).
    pub line: u32,
    /// 1-based first line of the table, titles included.
    pub line_start: u32,
    /// 1-based last line of the table.
    pub line_end: u32,
    /// The table's text exactly as it stands in the document.
    pub raw_text: String,
    /// Where the table is in the document's own terms when lines are not
    /// how a reader finds it: `第 3–4 页`, `工作表“项目表” A5:H30`,
    /// `第 2 个表格`. `None` for text documents (the lines say it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// The PDF page the table starts on (links open the file at `#page=N`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// The document as `data/sources.toml` describes it, and where the site
    /// serves it (filled in when the site is built).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publication: Option<Publication>,
}

/// A published document: who published it, its title, year and address,
/// and the site's own copy of it, so a reader can cite and check a figure.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Publication {
    pub publisher: Option<String>,
    pub title: Option<String>,
    pub year: Option<u16>,
    /// Where it was published.
    pub url: Option<String>,
    /// The file as published, relative to the index folder: `sources/<file>`
    /// (with `#page=N` for a table on a PDF page).
    pub copy: String,
    /// A text document rendered as a page, this table's rows highlighted:
    /// `sources/<file>.html#L101-123`. `None` for PDF, Word and Excel files.
    pub view: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    pub document: String,
    pub line: u32,
    pub message: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    /// What disagrees, e.g. `total_yuan` or `indicator:保障选调生人数`.
    pub field: String,
    /// The values that disagree, each with where it was printed.
    pub values: Vec<ConflictValue>,
    pub message: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConflictValue {
    pub value: String,
    pub document: String,
    pub line: u32,
}
