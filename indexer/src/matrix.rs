//! The layout matrix: every hand-checked table (the gold of `data/` and
//! the expectations of the wild excerpts) printed in the national template,
//! saved in each layout the web keeps tables in, with each kind of noise
//! seen in real files, alone and in pairs, and read back as a new user's
//! document would be. A cell of the matrix is the share of the printed
//! values the reader gives back for one layout and one noise.
//!
//! The renderings are made here, from the expectations, so a layout or a
//! noise the reader does not know fails here before it fails on a county's
//! site. `indexer matrix` prints the matrix; `indexer/tests/matrix.rs`
//! holds every cell to its floor.

use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

use jixiao_core::model::{Kind, Record};
use jixiao_core::text::{fold_char, similarity, simplify};
use jixiao_reader::extract;
use jixiao_reader::grid::clean::repair_ocr_digits;
use jixiao_reader::labels::strip_glosses;
use serde::Deserialize;

use crate::score::ExpectedFile;
use crate::sources::{read_document, Problem};

/// One table as a person checked it: what any rendering of it must give back.
#[derive(Clone, Debug, Default)]
pub struct Specimen {
    /// Where it comes from (`gold 000_….txt:7`, `wild chengan_2020_selfeval.txt`).
    pub origin: String,
    pub kind: Kind,
    pub year: Option<u16>,
    pub name: String,
    pub department: Option<String>,
    pub implementing_unit: Option<String>,
    pub project_code: Option<String>,
    pub total_yuan: Option<i64>,
    pub central_yuan: Option<i64>,
    pub provincial_yuan: Option<i64>,
    pub local_yuan: Option<i64>,
    pub executed_yuan: Option<i64>,
    pub indicators: Vec<SpecimenIndicator>,
}

#[derive(Clone, Debug, Default)]
pub struct SpecimenIndicator {
    pub level1: Option<String>,
    pub level2: Option<String>,
    pub name: String,
    pub value: Option<String>,
    pub actual: Option<String>,
    pub weight: Option<String>,
    pub score: Option<String>,
}

/// Text as the template prints it: simplified, without glosses, on one
/// line (the noises put traditional characters and line breaks back).
fn plain(text: &str) -> String {
    let text: String = strip_glosses(text).chars().map(simplify).collect();
    text.split_whitespace().collect::<Vec<_>>().join(" ").replace('|', "")
}

fn plain_opt(text: &Option<String>) -> Option<String> {
    text.as_deref().map(plain).filter(|t| !t.is_empty())
}

#[derive(Deserialize)]
struct GoldFile {
    source: String,
    tables: Vec<GoldTable>,
}

#[derive(Deserialize)]
struct GoldTable {
    kind: String,
    line: u32,
    name: String,
    year: u16,
    department_raw: Option<String>,
    implementing_unit: Option<String>,
    project_code: Option<String>,
    total_yuan: Option<i64>,
    funds_yuan: GoldFunds,
    indicators: Vec<GoldIndicator>,
}

#[derive(Deserialize)]
struct GoldFunds {
    central: Option<i64>,
    provincial: Option<i64>,
    local: Option<i64>,
}

#[derive(Deserialize)]
struct GoldIndicator {
    level1: Option<String>,
    level2: Option<String>,
    name: String,
    value: Option<String>,
}

/// The gold tables of `gold_dir` (one JSON file per document).
pub fn gold_specimens(gold_dir: &Path) -> Result<Vec<Specimen>, Problem> {
    let problem = |file: &Path, message: String| Problem { file: file.display().to_string(), line: None, message };
    let mut files: Vec<_> = std::fs::read_dir(gold_dir)
        .map_err(|e| problem(gold_dir, e.to_string()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut specimens = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).map_err(|e| problem(&path, e.to_string()))?;
        let gold: GoldFile = serde_json::from_str(&text).map_err(|e| problem(&path, e.to_string()))?;
        for t in gold.tables {
            specimens.push(Specimen {
                origin: format!("gold {}:{}", gold.source, t.line),
                kind: if t.kind == "department" { Kind::Department } else { Kind::Project },
                year: Some(t.year),
                name: plain(&t.name),
                department: plain_opt(&t.department_raw),
                implementing_unit: plain_opt(&t.implementing_unit),
                project_code: plain_opt(&t.project_code),
                total_yuan: t.total_yuan,
                central_yuan: t.funds_yuan.central,
                provincial_yuan: t.funds_yuan.provincial,
                local_yuan: t.funds_yuan.local,
                executed_yuan: None,
                indicators: t
                    .indicators
                    .iter()
                    .map(|i| SpecimenIndicator {
                        level1: plain_opt(&i.level1),
                        level2: plain_opt(&i.level2),
                        name: plain(&i.name),
                        value: plain_opt(&i.value),
                        ..SpecimenIndicator::default()
                    })
                    .collect(),
            });
        }
    }
    Ok(specimens)
}

/// The projects of the wild excerpts' expectations.
pub fn wild_specimens(expect: &Path) -> Result<Vec<Specimen>, Problem> {
    let problem = |message: String| Problem { file: expect.display().to_string(), line: None, message };
    let text = std::fs::read_to_string(expect).map_err(|e| problem(e.to_string()))?;
    let files: Vec<ExpectedFile> = serde_json::from_str(&text).map_err(|e| problem(e.to_string()))?;
    let mut specimens = Vec::new();
    for file in &files {
        for p in &file.projects {
            let mut indicators: Vec<SpecimenIndicator> = p
                .indicators
                .iter()
                .chain(&p.sample_indicators)
                .map(|i| SpecimenIndicator {
                    level1: plain_opt(&i.level1),
                    level2: plain_opt(&i.level2),
                    name: plain(&i.name),
                    value: plain_opt(&i.value),
                    actual: i.actual.as_ref().and_then(plain_opt),
                    weight: plain_opt(&i.weight),
                    score: plain_opt(&i.score),
                })
                .collect();
            for a in &p.actual_values {
                let name = plain(&a.name);
                match indicators.iter_mut().find(|i| i.name == name) {
                    Some(i) => i.actual = plain_opt(&a.actual),
                    // The lighter schema left this indicator's target out,
                    // not the table: it is printed as met, its actual.
                    None => indicators.push(SpecimenIndicator { name, value: plain_opt(&a.actual), actual: plain_opt(&a.actual), ..SpecimenIndicator::default() }),
                }
            }
            // A name the template could not print apart from its neighbours
            // (empty, or a label itself) is no indicator of the rendering.
            indicators.retain(|i| !i.name.is_empty());
            let kind = match file.kind.as_str() {
                "selfeval" => Kind::Evaluation,
                "department" => Kind::Department,
                _ => Kind::Project,
            };
            specimens.push(Specimen {
                origin: format!("wild {}", file.file),
                kind,
                year: file.year,
                name: plain(p.name_simplified.as_deref().unwrap_or(&p.name)),
                department: plain_opt(&p.department),
                implementing_unit: plain_opt(&p.implementing_unit),
                project_code: plain_opt(&p.project_code),
                total_yuan: p.total_yuan,
                central_yuan: p.central_yuan,
                provincial_yuan: p.provincial_yuan,
                local_yuan: p.local_yuan,
                executed_yuan: p.executed_yuan,
                indicators,
            });
        }
    }
    Ok(specimens)
}

/// What a cell of the template is, for the noises that touch some cells only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Title,
    Label,
    Value,
    Money,
    Category,
    Target,
    Empty,
}

#[derive(Clone, Debug)]
struct TemplateCell {
    text: String,
    role: Role,
}

/// A table in the national template: rows of cells, empty cells where a
/// merged cell covers the grid.
#[derive(Clone, Debug, Default)]
struct Sheet {
    rows: Vec<Vec<TemplateCell>>,
    /// Rows of the indicator block, by index (noises that move merged
    /// category cells need them).
    indicator_rows: std::ops::Range<usize>,
}

/// An exact decimal of 万元 (`656600` → `65.66`, `22790480` → `2279.048`).
fn wan(yuan: i64) -> String {
    let (whole, rest) = (yuan / 10_000, (yuan % 10_000).abs());
    let sign = if yuan < 0 && whole == 0 { "-" } else { "" };
    let decimals = format!("{rest:04}");
    let decimals = decimals.trim_end_matches('0');
    let decimals = if decimals.len() < 2 { format!("{decimals:0<2}") } else { decimals.to_string() };
    format!("{sign}{whole}.{decimals}")
}

fn cell(text: impl Into<String>, role: Role) -> TemplateCell {
    let text = text.into();
    let role = if text.is_empty() { Role::Empty } else { role };
    TemplateCell { text, role }
}

fn row(cells: &[(&str, Role)], width: usize) -> Vec<TemplateCell> {
    let mut row: Vec<TemplateCell> = cells.iter().map(|(t, r)| cell(*t, *r)).collect();
    row.resize(width.max(row.len()), cell("", Role::Empty));
    row
}

/// The specimen printed in the national template of its kind.
fn template(s: &Specimen) -> Sheet {
    let evaluation = s.kind == Kind::Evaluation;
    // A target table with weights prints a 权重 column after the target.
    let weighted = !evaluation && s.indicators.iter().any(|i| i.weight.is_some());
    let width = if evaluation { 8 } else if weighted { 5 } else { 4 };
    let year = s.year.map_or(String::new(), |y| format!("{y}年度"));
    let mut rows = Vec::new();
    let title = match s.kind {
        Kind::Evaluation => format!("{year}项目支出绩效自评表"),
        Kind::Department => format!("{}{year}部门整体支出绩效目标表", s.department.as_deref().unwrap_or("")),
        Kind::Project => format!("{year}项目支出绩效目标表"),
    };
    rows.push(row(&[(&title, Role::Title)], width));
    let (label, value) = if s.kind == Kind::Department { ("部门名称", Role::Value) } else { ("项目名称", Role::Value) };
    rows.push(row(&[(label, Role::Label), (&s.name, value)], width));
    if s.kind != Kind::Department {
        let department = s.department.as_deref().unwrap_or("");
        let unit = s.implementing_unit.as_deref().unwrap_or("");
        if !department.is_empty() || !unit.is_empty() {
            rows.push(row(&[("主管部门", Role::Label), (department, Role::Value), ("实施单位", Role::Label), (unit, Role::Value)], width));
        }
    }
    if let Some(code) = &s.project_code {
        rows.push(row(&[("项目编码", Role::Label), (code, Role::Value)], width));
    }
    let sources = [("其中：中央补助", s.central_yuan), ("省级资金", s.provincial_yuan), ("市县财政资金", s.local_yuan)];
    if evaluation {
        rows.push(row(
            &[
                ("项目资金（万元）", Role::Label),
                ("", Role::Empty),
                ("年初预算数", Role::Label),
                ("全年预算数", Role::Label),
                ("全年执行数", Role::Label),
                ("分值", Role::Label),
                ("执行率", Role::Label),
                ("得分", Role::Label),
            ],
            width,
        ));
        let money = |v: Option<i64>| v.map(wan).unwrap_or_default();
        let rate = match (s.total_yuan, s.executed_yuan) {
            (Some(t), Some(e)) if t > 0 => format!("{}%", wan(e * 1_000_000 / t).trim_end_matches(".00")),
            _ => String::new(),
        };
        let (total, executed) = (money(s.total_yuan), money(s.executed_yuan));
        rows.push(row(
            &[
                ("", Role::Empty),
                ("年度资金总额", Role::Label),
                (&total, Role::Money),
                (&total, Role::Money),
                (&executed, Role::Money),
                ("10", Role::Value),
                (&rate, Role::Value),
                ("10", Role::Value),
            ],
            width,
        ));
        for (label, amount) in sources.iter().filter(|(_, a)| a.is_some()) {
            let amount = money(*amount);
            rows.push(row(&[("", Role::Empty), (label, Role::Label), (&amount, Role::Money), (&amount, Role::Money)], width));
        }
    } else if let Some(total) = s.total_yuan {
        let head = if s.kind == Kind::Department { "年度预算申请（万元）" } else { "项目资金（万元）" };
        rows.push(row(&[(head, Role::Label), ("年度资金总额", Role::Label), (&wan(total), Role::Money)], width));
        for (label, amount) in sources.iter().filter_map(|(l, a)| a.map(|a| (l, a))) {
            rows.push(row(&[("", Role::Empty), (label, Role::Label), (&wan(amount), Role::Money)], width));
        }
    }
    rows.push(row(&[("年度绩效目标", Role::Label), ("按期完成年度工作任务，资金使用合规。", Role::Value)], width));
    let header: &[&str] = if evaluation {
        &["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]
    } else if weighted {
        &["一级指标", "二级指标", "三级指标", "指标值", "权重"]
    } else {
        &["一级指标", "二级指标", "三级指标", "指标值"]
    };
    rows.push(header.iter().map(|h| cell(*h, Role::Label)).collect());
    let start = rows.len();
    let (mut level1, mut level2) = (None, None);
    for i in &s.indicators {
        // Merged category cells print once, on the first row of their group.
        let l1 = if i.level1.is_some() && i.level1 != level1 { i.level1.clone().unwrap_or_default() } else { String::new() };
        let l2 = if i.level2.is_some() && (i.level2 != level2 || !l1.is_empty()) { i.level2.clone().unwrap_or_default() } else { String::new() };
        level1 = i.level1.clone().or(level1);
        level2 = i.level2.clone().or(level2);
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let mut cells = vec![cell(l1, Role::Category), cell(l2, Role::Category), cell(i.name.clone(), Role::Value), cell(text(&i.value), Role::Target)];
        if weighted {
            cells.push(cell(text(&i.weight), Role::Value));
        }
        if evaluation {
            cells.extend([cell(text(&i.actual), Role::Target), cell(text(&i.weight), Role::Value), cell(text(&i.score), Role::Value), cell("", Role::Empty)]);
        }
        rows.push(cells);
    }
    Sheet { indicator_rows: start..rows.len(), rows }
}

/// How a rendering saves the table's cells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// One row per line, cells between tabs.
    Tabs,
    /// `a | b | c |` rows, `|||` padding after the last cell.
    Pipes,
    /// `| a | b |` rows with a rule under the first.
    Markdown,
    /// One cell per line (empty cells left out), no blank lines.
    Lines,
    /// One cell per paragraph, a blank line between.
    Paragraphs,
    /// One cell per line ending ` |`, an empty cell a bare `|`.
    BarEnds,
    /// One cell per line, cells parted by lines holding only `|`.
    BarLines,
    /// One row per line, cells between single spaces.
    Spaces,
    /// One row per line, columns padded with runs of spaces.
    Aligned,
    /// One row per line, cells run together with nothing between.
    RunRows,
    /// The whole table on one line, cells run together.
    RunTogether,
    /// The whole table on one line, cells between spaces (a flattened workbook).
    OneLine,
    /// One cell per line indented by its column, a blank line between lines.
    Tree,
    /// An HTML page with a `<table>` (merged categories as `rowspan`).
    Html,
}

impl Layout {
    pub const ALL: [Layout; 14] = [
        Layout::Tabs,
        Layout::Pipes,
        Layout::Markdown,
        Layout::Lines,
        Layout::Paragraphs,
        Layout::BarEnds,
        Layout::BarLines,
        Layout::Spaces,
        Layout::Aligned,
        Layout::RunRows,
        Layout::RunTogether,
        Layout::OneLine,
        Layout::Tree,
        Layout::Html,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Layout::Tabs => "tabs",
            Layout::Pipes => "pipes",
            Layout::Markdown => "markdown",
            Layout::Lines => "lines",
            Layout::Paragraphs => "paragraphs",
            Layout::BarEnds => "bar-ends",
            Layout::BarLines => "bar-lines",
            Layout::Spaces => "spaces",
            Layout::Aligned => "aligned",
            Layout::RunRows => "run-rows",
            Layout::RunTogether => "run-together",
            Layout::OneLine => "one-line",
            Layout::Tree => "tree",
            Layout::Html => "html",
        }
    }
}

/// A kind of damage real files show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Noise {
    /// Empty cells written as U+00A0.
    Nbsp,
    /// ` |` after every line and a lone `|` line before every row.
    Bars,
    /// Labels and categories printed one character per line.
    Vertical,
    /// Traditional characters with pinyin glosses after some of them.
    Traditional,
    /// A site's breadcrumb, date and print links before the table.
    Chrome,
    /// A word processor's document properties glued before the first line.
    Properties,
    /// Cells in the order a flattened workbook gives them: a merged
    /// category printed in the middle of its rows, long cells wrapped and
    /// the row read line by line across its cells.
    Scrambled,
    /// OCR confusions: `≥` read as `2` before a rate, `0` as `O` in
    /// numbers, `元` as `兀`.
    Ocr,
    /// Money cells with the amount printed twice (`854万854万`).
    MoneyTwice,
}

impl Noise {
    pub const ALL: [Noise; 9] =
        [Noise::Nbsp, Noise::Bars, Noise::Vertical, Noise::Traditional, Noise::Chrome, Noise::Properties, Noise::Scrambled, Noise::Ocr, Noise::MoneyTwice];

    pub fn key(self) -> &'static str {
        match self {
            Noise::Nbsp => "nbsp",
            Noise::Bars => "bars",
            Noise::Vertical => "vertical",
            Noise::Traditional => "traditional",
            Noise::Chrome => "chrome",
            Noise::Properties => "properties",
            Noise::Scrambled => "scrambled",
            Noise::Ocr => "ocr",
            Noise::MoneyTwice => "money-twice",
        }
    }
}

/// No noise, each noise, each pair of noises.
pub fn noise_sets() -> Vec<Vec<Noise>> {
    let mut sets = vec![Vec::new()];
    sets.extend(Noise::ALL.iter().map(|n| vec![*n]));
    for (i, a) in Noise::ALL.iter().enumerate() {
        for b in &Noise::ALL[i + 1..] {
            sets.push(vec![*a, *b]);
        }
    }
    sets
}

pub fn noise_key(noises: &[Noise]) -> String {
    if noises.is_empty() {
        "none".into()
    } else {
        noises.iter().map(|n| n.key()).collect::<Vec<_>>().join("+")
    }
}

/// Simplified → one traditional form, from the reader's own table.
fn traditional_of() -> &'static HashMap<char, char> {
    static MAP: OnceLock<HashMap<char, char>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map = HashMap::new();
        for code in 0x4E00u32..=0x9FFF {
            let Some(t) = char::from_u32(code) else { continue };
            let s = simplify(t);
            if s != t {
                map.entry(s).or_insert(t);
            }
        }
        // Forms the converters of these sites print (OpenCC's first pick
        // is not always theirs).
        for (s, t) in [('项', '項'), ('医', '醫'), ('疗', '療'), ('标', '標'), ('资', '資'), ('级', '級'), ('数', '數'), ('产', '產')] {
            map.insert(s, t);
        }
        map
    })
}

/// Pinyin some mirror sites print after a character (`項(xiàng)`).
const GLOSSES: &[(char, &str)] = &[
    ('項', "xiàng"),
    ('醫', "yī"),
    ('療', "liáo"),
    ('標', "biāo"),
    ('產', "chǎn"),
    ('資', "zī"),
    ('數', "shù"),
    ('區', "qū"),
    ('費', "fèi"),
    ('監', "jiān"),
    ('實', "shí"),
    ('財', "cái"),
];

fn traditional(text: &str) -> String {
    let map = traditional_of();
    let mut out = String::with_capacity(text.len() * 2);
    for c in text.chars() {
        let t = map.get(&c).copied().unwrap_or(c);
        out.push(t);
        if let Some((_, gloss)) = GLOSSES.iter().find(|(g, _)| *g == t) {
            out.push('(');
            out.push_str(gloss);
            out.push(')');
        }
    }
    out
}

/// The OCR confusions of [`Noise::Ocr`] in one cell.
fn ocr(text: &str, role: Role) -> String {
    let mut out = text.replace("万元", "万兀");
    if role == Role::Target {
        // `≥95%` read as `295%`: only before a share, where it can be told.
        if let Some(rest) = out.strip_prefix('≥') {
            let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
            if rest[digits.len()..].starts_with('%') && digits.parse::<u32>().is_ok_and(|n| (1..=100).contains(&n)) {
                out = format!("2{rest}");
            }
        }
    }
    if matches!(role, Role::Target | Role::Money) {
        // A zero after a digit read as the letter O.
        let chars: Vec<char> = out.chars().collect();
        out = chars.iter().enumerate().map(|(i, &c)| if c == '0' && i > 0 && chars[i - 1].is_ascii_digit() { 'O' } else { c }).collect();
    }
    out
}

/// Applies the noises that change cells (before the layout saves them).
/// A table is laid out (and wrapped) before its text is converted: a
/// mirror site's glosses and an OCR's confusions are in the printed words.
fn noisy_sheet(mut sheet: Sheet, noises: &[Noise]) -> Sheet {
    if noises.contains(&Noise::Scrambled) {
        sheet = scrambled(sheet);
    }
    for row in &mut sheet.rows {
        for cell in row.iter_mut() {
            if noises.contains(&Noise::MoneyTwice) && cell.role == Role::Money {
                cell.text = format!("{0}万{0}万", cell.text);
            }
            if noises.contains(&Noise::Ocr) {
                cell.text = ocr(&cell.text, cell.role);
            }
            if noises.contains(&Noise::Traditional) {
                cell.text = traditional(&cell.text);
            }
            if noises.contains(&Noise::Vertical) && matches!(cell.role, Role::Category | Role::Label) {
                let chars: Vec<char> = cell.text.chars().collect();
                if (2..=6).contains(&chars.len()) && !cell.text.contains('(') {
                    cell.text = chars.iter().map(|c| c.to_string()).collect::<Vec<_>>().join("\n");
                }
            }
            if noises.contains(&Noise::Nbsp) && cell.role == Role::Empty {
                cell.text = "\u{a0}".into();
            }
        }
    }
    sheet
}

/// [`Noise::Scrambled`]: a merged first-level category moves to the middle
/// row of its group, and each row is read one printed line at a time
/// across its cells, long cells wrapping after 8 characters.
fn scrambled(mut sheet: Sheet) -> Sheet {
    let block = sheet.indicator_rows.clone();
    let mut group_start = block.start;
    for r in block.clone() {
        let next_starts = r + 1 == block.end || !sheet.rows[r + 1][0].text.trim().is_empty() && sheet.rows[r + 1][0].role != Role::Empty;
        if next_starts {
            let middle = group_start + (r - group_start) / 2;
            if middle != group_start {
                let moved = std::mem::replace(&mut sheet.rows[group_start][0], cell("", Role::Empty));
                sheet.rows[middle][0] = moved;
            }
            group_start = r + 1;
        }
    }
    let mut rows = Vec::new();
    for row in &sheet.rows {
        let pieces: Vec<Vec<String>> = row
            .iter()
            .map(|c| {
                let chars: Vec<char> = c.text.chars().collect();
                if c.role == Role::Title || chars.len() <= 8 {
                    vec![c.text.clone()]
                } else {
                    chars.chunks(8).map(|p| p.iter().collect()).collect()
                }
            })
            .collect();
        let height = pieces.iter().map(Vec::len).max().unwrap_or(1);
        for line in 0..height {
            let cells: Vec<TemplateCell> = row
                .iter()
                .zip(&pieces)
                .map(|(c, p)| TemplateCell { text: p.get(line).cloned().unwrap_or_default(), role: if p.get(line).is_some() { c.role } else { Role::Empty } })
                .collect();
            rows.push(cells);
        }
    }
    Sheet { rows, indicator_rows: 0..0 }
}

fn filled(row: &[TemplateCell]) -> impl Iterator<Item = &str> {
    row.iter().map(|c| c.text.as_str()).filter(|t| !t.is_empty())
}

fn trimmed(row: &[TemplateCell]) -> &[TemplateCell] {
    let end = row.iter().rposition(|c| !c.text.is_empty()).map_or(0, |i| i + 1);
    &row[..end]
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('\n', "<br>")
}

/// The sheet saved in a layout: the document's text (HTML for [`Layout::Html`]).
fn save(sheet: &Sheet, layout: Layout, noises: &[Noise]) -> String {
    let rows = &sheet.rows;
    let mut lines: Vec<String> = Vec::new();
    // Lines of each row, for the noises that mark where rows start.
    let mut row_starts: Vec<usize> = Vec::new();
    match layout {
        Layout::Tabs => {
            for row in rows {
                row_starts.push(lines.len());
                lines.push(trimmed(row).iter().map(|c| c.text.as_str()).collect::<Vec<_>>().join("\t"));
            }
        }
        Layout::Pipes => {
            for row in rows {
                row_starts.push(lines.len());
                let cells = trimmed(row);
                let padding = "|".repeat(row.len() - cells.len());
                lines.push(format!("{} |{padding}", cells.iter().map(|c| c.text.as_str()).collect::<Vec<_>>().join(" | ")));
            }
        }
        Layout::Markdown => {
            for (r, row) in rows.iter().enumerate() {
                row_starts.push(lines.len());
                if r == 0 {
                    lines.push(row[0].text.clone());
                    continue;
                }
                lines.push(format!("| {} |", row.iter().map(|c| c.text.as_str()).collect::<Vec<_>>().join(" | ")));
                if r == 1 {
                    lines.push(format!("|{}", "---|".repeat(row.len())));
                }
            }
        }
        Layout::Lines | Layout::Paragraphs | Layout::Tree => {
            for row in rows {
                row_starts.push(lines.len());
                for (col, c) in row.iter().enumerate() {
                    if c.text.is_empty() {
                        continue;
                    }
                    match layout {
                        Layout::Tree => lines.push(format!("{}{}", " ".repeat(col + 1), c.text)),
                        _ => lines.push(c.text.clone()),
                    }
                    if layout != Layout::Lines {
                        lines.push(String::new());
                    }
                }
            }
        }
        Layout::BarEnds => {
            for row in rows {
                row_starts.push(lines.len());
                for c in trimmed(row) {
                    lines.push(if c.text.is_empty() { "|".into() } else { format!("{} |", c.text) });
                }
            }
        }
        Layout::BarLines => {
            for row in rows {
                row_starts.push(lines.len());
                for c in trimmed(row) {
                    if !c.text.is_empty() {
                        lines.push(c.text.clone());
                    }
                    lines.push("|".into());
                }
            }
        }
        Layout::Spaces | Layout::RunRows => {
            let sep = if layout == Layout::Spaces { " " } else { "" };
            for row in rows {
                row_starts.push(lines.len());
                lines.push(filled(row).collect::<Vec<_>>().join(sep));
            }
        }
        Layout::Aligned => {
            let width = |t: &str| t.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum::<usize>();
            let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
            let widths: Vec<usize> = (0..columns)
                .map(|col| rows.iter().skip(1).filter_map(|r| r.get(col)).map(|c| width(&c.text)).max().unwrap_or(0))
                .collect();
            for (r, row) in rows.iter().enumerate() {
                row_starts.push(lines.len());
                if r == 0 {
                    lines.push(row[0].text.clone());
                    continue;
                }
                let mut line = String::new();
                for (col, c) in trimmed(row).iter().enumerate() {
                    line.push_str(&c.text);
                    line.push_str(&" ".repeat(widths[col].saturating_sub(width(&c.text)) + 4));
                }
                lines.push(line.trim_end().to_string());
            }
        }
        Layout::RunTogether | Layout::OneLine => {
            let sep = if layout == Layout::OneLine { " " } else { "" };
            row_starts.push(0);
            lines.push(rows.iter().flat_map(|r| filled(r)).collect::<Vec<_>>().join(sep));
        }
        Layout::Html => {
            let mut html = String::from("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>绩效目标</title></head><body>\n");
            if noises.contains(&Noise::Chrome) {
                html.push_str("<div class=\"crumb\">当前位置：首页 &gt; 政府信息公开 &gt; 财政资金 &gt; 预算公开</div>\n<div>发布时间：2023-03-27 来源：本站 浏览次数：128</div>\n");
            }
            html.push_str(&format!("<p>{}</p>\n<table border=\"1\">\n", escape_html(&rows[0][0].text)));
            for row in &rows[1..] {
                html.push_str("<tr>");
                let cells = trimmed(row);
                let last = cells.len().saturating_sub(1);
                for (col, c) in cells.iter().enumerate() {
                    let span = if col == last { row.len() - col } else { 1 };
                    if span > 1 {
                        html.push_str(&format!("<td colspan=\"{span}\">{}</td>", escape_html(&c.text)));
                    } else {
                        html.push_str(&format!("<td>{}</td>", escape_html(&c.text)));
                    }
                }
                html.push_str("</tr>\n");
            }
            html.push_str("</table>\n</body></html>\n");
            return html;
        }
    }
    if noises.contains(&Noise::Bars) {
        let mut barred = Vec::with_capacity(lines.len() * 2);
        let mut starts = row_starts.iter().peekable();
        for (i, line) in lines.iter().enumerate() {
            while starts.peek().is_some_and(|&&s| s == i) {
                barred.push("|".to_string());
                starts.next();
            }
            barred.push(if line.is_empty() { String::new() } else { format!("{line} |") });
        }
        lines = barred;
    }
    let mut text = lines.join("\n");
    if noises.contains(&Noise::Properties) {
        text = format!("Normal 0 false 7.8 磅 0 2 false false false EN-US ZH-CN X-NONE MicrosoftInternetExplorer4 {text}");
    }
    if noises.contains(&Noise::Chrome) {
        text = format!("当前位置：首页 > 政府信息公开 > 财政资金 > 预算公开\n发布时间：2023-03-27 来源：本站 浏览次数：128\n【字体：大 中 小】【打印】【关闭】\n{text}");
    }
    text.push('\n');
    text
}

/// The specimen as a document in a layout with noises.
pub fn render(specimen: &Specimen, layout: Layout, noises: &[Noise]) -> String {
    save(&noisy_sheet(template(specimen), noises), layout, noises)
}

/// Text as compared: glosses dropped, folded, no whitespace.
fn key(text: &str) -> String {
    strip_glosses(text).chars().map(fold_char).filter(|c| !c.is_whitespace()).collect()
}

/// Values of a specimen given back by a reading, and the ones missed.
#[derive(Clone, Debug, Default)]
pub struct ReadBack {
    pub values: usize,
    pub read: usize,
    pub misses: Vec<String>,
}

/// Reads a rendering back and counts the specimen's values in it. A target
/// counts as read when it is the specimen's, or when it is kept as printed
/// (an OCR noise's) and the record doubts it: a value the reader is not
/// sure of is marked, never replaced by a guess.
pub fn read_back(specimen: &Specimen, document: &str, layout: Layout, noises: &[Noise]) -> ReadBack {
    let file = if layout == Layout::Html { "matrix.html" } else { "matrix.txt" };
    let records = match read_document(file, document.as_bytes()) {
        Ok((input, grid, _)) => extract::extract_grid(&input, &grid).0,
        Err(_) => Vec::new(),
    };
    let want = key(&specimen.name);
    let record = records.iter().max_by(|a, b| similarity(&key(&a.name), &want).total_cmp(&similarity(&key(&b.name), &want)));
    let empty = Record::default();
    let r = record.filter(|r| similarity(&key(&r.name), &want) >= 0.5).unwrap_or(&empty);
    let mut result = ReadBack::default();
    let mut check = |what: &str, expected: String, got: String| {
        result.values += 1;
        if key(&expected) == key(&got) {
            result.read += 1;
        } else {
            result.misses.push(format!("{what}: expected {expected:?}, got {got:?}"));
        }
    };
    check("名称", specimen.name.clone(), r.name.clone());
    if let Some(d) = &specimen.department {
        let got = [&r.department_raw, &r.department].into_iter().flatten().find(|v| key(v) == key(d)).or(r.department_raw.as_ref());
        check("主管部门", d.clone(), got.cloned().unwrap_or_default());
    }
    if let Some(u) = &specimen.implementing_unit {
        check("实施单位", u.clone(), r.implementing_unit.clone().unwrap_or_default());
    }
    if let Some(c) = &specimen.project_code {
        check("项目编码", c.clone(), r.project_code.clone().unwrap_or_default());
    }
    if let Some(y) = specimen.year {
        check("年度", y.to_string(), r.year.map(|y| y.to_string()).unwrap_or_default());
    }
    let money = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    for (what, want, got) in [
        ("年度资金总额", specimen.total_yuan, r.money.total_yuan),
        ("中央资金", specimen.central_yuan, r.money.central),
        ("省级资金", specimen.provincial_yuan, r.money.provincial),
        ("市县资金", specimen.local_yuan, r.money.local),
        ("执行数", specimen.executed_yuan, r.evaluation.as_ref().and_then(|e| e.executed_yuan)),
    ] {
        if want.is_some() {
            check(what, money(want), money(got));
        }
    }
    let mut taken = vec![false; r.indicators.len()];
    for i in &specimen.indicators {
        let name = key(&i.name);
        let found = r
            .indicators
            .iter()
            .enumerate()
            .find(|(j, g)| !taken[*j] && key(&g.name) == name)
            .or_else(|| r.indicators.iter().enumerate().find(|(j, g)| !taken[*j] && similarity(&key(&g.name), &name) >= 0.8))
            .map(|(j, _)| j);
        if let Some(j) = found {
            taken[j] = true;
        }
        let g = found.map(|j| &r.indicators[j]);
        let text = |v: Option<&String>| v.cloned().unwrap_or_default();
        // As printed, after the repairs the reader is sure of (`1OO%`).
        let printed = i.value.as_deref().map(|v| if noises.contains(&Noise::Ocr) { repair_ocr_digits(&ocr(v, Role::Target)) } else { v.to_string() });
        let kept_in_doubt = g.is_some_and(|g| {
            g.value.as_deref().map(key) == printed.as_deref().map(key) && r.confidence.doubts.iter().any(|d| d.field == format!("indicator:{}", g.name))
        });
        let got = g.map_or(String::new(), |g| format!("{} = {}", i.name, text(if kept_in_doubt { i.value.as_ref() } else { g.value.as_ref() })));
        check(&format!("指标“{}”", i.name), format!("{} = {}", i.name, text(i.value.as_ref())), got);
        for (what, want, got) in [
            ("实际完成值", &i.actual, g.and_then(|g| g.actual.as_ref())),
            ("分值", &i.weight, g.and_then(|g| g.weight.as_ref())),
            ("得分", &i.score, g.and_then(|g| g.score.as_ref())),
        ] {
            if let Some(want) = want {
                check(&format!("指标“{}”的{what}", i.name), want.clone(), text(got));
            }
        }
    }
    result
}

/// One cell of the matrix.
#[derive(Clone, Debug)]
pub struct MatrixCell {
    pub layout: Layout,
    pub noises: Vec<Noise>,
    pub values: usize,
    pub read: usize,
    /// The first misses, with the specimen they come from.
    pub misses: Vec<String>,
}

impl MatrixCell {
    pub fn share(&self) -> f64 {
        self.read as f64 / self.values.max(1) as f64
    }
}

/// Every cell of the matrix over the specimens (in parallel).
pub fn matrix(specimens: &[Specimen], layouts: &[Layout], noise_sets: &[Vec<Noise>]) -> Vec<MatrixCell> {
    use rayon::prelude::*;
    let cells: Vec<(Layout, &Vec<Noise>)> = layouts.iter().flat_map(|l| noise_sets.iter().map(move |n| (*l, n))).collect();
    cells
        .par_iter()
        .map(|(layout, noises)| {
            let mut cell = MatrixCell { layout: *layout, noises: noises.to_vec(), values: 0, read: 0, misses: Vec::new() };
            for s in specimens {
                let back = read_back(s, &render(s, *layout, noises), *layout, noises);
                cell.values += back.values;
                cell.read += back.read;
                cell.misses.extend(back.misses.into_iter().map(|m| format!("{}: {m}", s.origin)));
            }
            cell
        })
        .collect()
}

/// The floor of each cell of the matrix (`tests/fixtures/matrix_floor.json`:
/// layout → noise set → share), which `indexer/tests/matrix.rs` holds every
/// cell to. The goal is 0.99 everywhere; a floor is what the reader reaches
/// today, raised as it gets better and never lowered.
pub type Floors = std::collections::BTreeMap<String, std::collections::BTreeMap<String, f64>>;

pub const FLOOR_FILE: &str = "tests/fixtures/matrix_floor.json";

/// How `indexer matrix` moves the floors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FloorMove {
    /// Raise a floor where its cell reaches more.
    Raise,
    /// Set every floor to what its cell reaches, lower too.
    Set,
}

pub fn read_floors(repo: &Path) -> Result<Floors, Problem> {
    let path = repo.join(FLOOR_FILE);
    let problem = |message: String| Problem { file: FLOOR_FILE.into(), line: None, message };
    let text = std::fs::read_to_string(&path).map_err(|e| problem(e.to_string()))?;
    serde_json::from_str(&text).map_err(|e| problem(e.to_string()))
}

/// The floors raised to what `cells` reach (to a tenth of a percent, down),
/// and, with `lower`, lowered where a cell reaches less: a change that
/// trades a cell for another says so in its commit.
pub fn moved_floors(old: &Floors, cells: &[MatrixCell], lower: bool) -> Floors {
    let mut floors = old.clone();
    for c in cells {
        let reached = (c.share() * 1000.0).floor() / 1000.0;
        let floor = floors.entry(c.layout.key().to_string()).or_default().entry(noise_key(&c.noises)).or_insert(0.0);
        *floor = if lower { reached } else { floor.max(reached) };
    }
    floors
}

/// Every specimen of the repository: the gold of `data/` and the wild set.
pub fn specimens(repo: &Path) -> Result<Vec<Specimen>, Problem> {
    let mut all = gold_specimens(&repo.join("tests/fixtures/gold"))?;
    all.extend(wild_specimens(&repo.join("tests/fixtures/wild/expect.json"))?);
    Ok(all)
}

/// `indexer matrix`: prints each layout's row of shares, one column per
/// noise set (`--pairs` adds the pairs), and the worst cells' misses.
pub fn run(repo: &Path, pairs: bool, verbose: bool, only: Option<&str>, floors: Option<FloorMove>) -> Result<std::process::ExitCode, Problem> {
    let specimens = specimens(repo)?;
    let sets: Vec<Vec<Noise>> = noise_sets().into_iter().filter(|s| pairs || s.len() <= 1).collect();
    let layouts: Vec<Layout> = Layout::ALL.iter().copied().filter(|l| only.is_none_or(|o| o == l.key())).collect();
    let cells = matrix(&specimens, &layouts, &sets);
    let values: usize = specimens.iter().map(|s| read_back(s, "", Layout::Tabs, &[]).values).sum();
    println!("{} tables ({} values) × {} layouts × {} noise sets", specimens.len(), values, layouts.len(), sets.len());
    for set in &sets {
        let column: Vec<&MatrixCell> = cells.iter().filter(|c| &c.noises == set).collect();
        let shares: Vec<String> = column.iter().map(|c| format!("{:>5.1}", 100.0 * c.share())).collect();
        println!("{:<24} {}", noise_key(set), shares.join(" "));
    }
    println!("{:<24} {}", "", layouts.iter().map(|l| format!("{:>5}", &l.key()[..l.key().len().min(5)])).collect::<Vec<_>>().join(" "));
    let worst = cells.iter().map(MatrixCell::share).fold(1.0, f64::min);
    let (read, total) = cells.iter().fold((0, 0), |(r, t), c| (r + c.read, t + c.values));
    println!("worst cell {:.1} %, overall {:.1} %", 100.0 * worst, 100.0 * read as f64 / total.max(1) as f64);
    if let Some(kind) = floors {
        let old = read_floors(repo).unwrap_or_default();
        let floors = moved_floors(&old, &cells, kind == FloorMove::Set);
        let text = serde_json::to_string_pretty(&floors).expect("floors serialise") + "\n";
        std::fs::write(repo.join(FLOOR_FILE), text).map_err(|e| Problem { file: FLOOR_FILE.into(), line: None, message: e.to_string() })?;
        println!("floors {} ({FLOOR_FILE})", if kind == FloorMove::Set { "set to what the cells reach" } else { "raised where cells reach more" });
    }
    if verbose {
        let mut sorted: Vec<&MatrixCell> = cells.iter().collect();
        sorted.sort_by(|a, b| a.share().total_cmp(&b.share()));
        for c in sorted.iter().take(12).filter(|c| c.share() < 1.0) {
            println!("\n{} × {}: {}/{}", c.layout.key(), noise_key(&c.noises), c.read, c.values);
            for m in c.misses.iter().take(15) {
                println!("    ✗ {m}");
            }
        }
    }
    Ok(std::process::ExitCode::SUCCESS)
}

/// `indexer matrix --show ORIGIN`: one rendering, and what is read back.
pub fn show(repo: &Path, origin: &str, layout: &str, noise: &str) -> Result<std::process::ExitCode, Problem> {
    let problem = |message: String| Problem { file: "indexer matrix".into(), line: None, message };
    let specimen = specimens(repo)?.into_iter().find(|s| s.origin.contains(origin)).ok_or_else(|| problem(format!("no table from {origin}")))?;
    let layout = Layout::ALL.into_iter().find(|l| l.key() == layout).ok_or_else(|| problem(format!("no layout {layout}")))?;
    let noises: Vec<Noise> = noise
        .split('+')
        .filter(|n| *n != "none")
        .map(|n| Noise::ALL.into_iter().find(|x| x.key() == n).ok_or_else(|| problem(format!("no noise {n}"))))
        .collect::<Result<_, _>>()?;
    let document = render(&specimen, layout, &noises);
    println!("{document}");
    let back = read_back(&specimen, &document, layout, &noises);
    println!("── {} of {} values read back", back.read, back.values);
    for m in &back.misses {
        println!("    ✗ {m}");
    }
    Ok(std::process::ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_print_as_exact_wan() {
        assert_eq!(wan(656600), "65.66");
        assert_eq!(wan(22790480), "2279.048");
        assert_eq!(wan(1_000_000), "100.00");
        assert_eq!(wan(63000), "6.30");
    }

    #[test]
    fn noises_change_what_they_name() {
        assert_eq!(ocr("≥95%", Role::Target), "295%");
        assert_eq!(ocr("≥1200人", Role::Target), "≥12OO人");
        assert_eq!(traditional("项目资金"), "項(xiàng)目資(zī)金");
    }
}
