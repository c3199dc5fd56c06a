//! How right extraction is on documents with hand-checked expectations
//! (`tests/fixtures/wild/expect.json`: real tables of other places, in the
//! forms the web keeps them). Each document is read as a new user would add
//! it, with nothing declared about it; each expected project is paired with
//! the record whose name is most alike, and its values are compared:
//! name, region code, year, total, department, project code, the kind of
//! table (a target or department table is not a self-evaluation), and each
//! indicator with its target. `indexer score` prints the figures; the test
//! `indexer/tests/wild.rs` holds them to a floor.

use std::path::Path;

use jixiao_core::model::{Kind, Record};
use jixiao_core::text::{fold_char, similarity};
use jixiao_reader::extract::{self, DocumentInput};
use jixiao_reader::labels::strip_glosses;
use serde::Deserialize;

use crate::sources::Problem;

#[derive(Deserialize)]
pub struct ExpectedFile {
    pub file: String,
    pub region_code: Option<String>,
    pub year: Option<u16>,
    pub kind: String,
    pub projects: Vec<ExpectedProject>,
}

#[derive(Deserialize)]
pub struct ExpectedProject {
    pub name: String,
    pub implementing_unit: Option<String>,
    pub central_yuan: Option<i64>,
    pub provincial_yuan: Option<i64>,
    pub local_yuan: Option<i64>,
    pub name_simplified: Option<String>,
    pub department: Option<String>,
    pub project_code: Option<String>,
    pub total_yuan: Option<i64>,
    pub executed_yuan: Option<i64>,
    pub initial_budget_yuan: Option<i64>,
    /// Every visible indicator row (the first entries of the set).
    #[serde(default)]
    pub indicators: Vec<ExpectedIndicator>,
    /// Up to three visible indicators with their targets (the lighter
    /// schema of later entries), checked as `indicators` are.
    #[serde(default)]
    pub sample_indicators: Vec<ExpectedIndicator>,
    /// Up to three indicators with what was achieved (self-evaluations).
    #[serde(default)]
    pub actual_values: Vec<ExpectedActual>,
    /// 三级指标 rows at least partly visible (`null`: not counted).
    pub indicator_count: Option<usize>,
}

#[derive(Deserialize)]
pub struct ExpectedActual {
    pub name: String,
    pub actual: Option<String>,
}

#[derive(Deserialize)]
pub struct ExpectedIndicator {
    pub level1: Option<String>,
    pub level2: Option<String>,
    pub name: String,
    pub value: Option<String>,
    /// Self-evaluations: what was achieved, weight and score (absent keys
    /// are not checked; `"actual": null` is).
    #[serde(default, deserialize_with = "present")]
    pub actual: Option<Option<String>>,
    pub weight: Option<String>,
    pub score: Option<String>,
}

/// A key that is present (`Some(None)` for `null`), or absent (`None`).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Ok(Some(Option::deserialize(d)?))
}

/// One compared value. `secondary` values (implementing unit, money by
/// source, indicator categories) are reported apart from the score, and so
/// are a self-evaluation's (`evaluation`: what was achieved, spent, scored).
#[derive(Clone, Debug)]
pub struct Check {
    pub what: String,
    pub expected: String,
    pub got: String,
    pub ok: bool,
    pub secondary: bool,
    pub evaluation: bool,
}

/// The checks of one document.
#[derive(Debug)]
pub struct FileScore {
    pub file: String,
    /// The document is a self-evaluation (绩效自评表).
    pub self_evaluation: bool,
    pub projects: usize,
    pub projects_found: usize,
    pub checks: Vec<Check>,
}

impl FileScore {
    pub fn passed(&self) -> usize {
        self.scored().filter(|c| c.ok).count()
    }

    /// The checks that count in the score.
    pub fn scored(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| !c.secondary && !c.evaluation)
    }

    /// The checks of what a self-evaluation adds.
    pub fn evaluated(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| c.evaluation)
    }
}

/// Text as compared: glosses dropped, folded (traditional → simplified,
/// full-width → half-width), no whitespace.
fn key(text: &str) -> String {
    strip_glosses(text).chars().map(fold_char).filter(|c| !c.is_whitespace()).collect()
}

fn shown<T: std::fmt::Debug>(v: &Option<T>) -> String {
    match v {
        Some(v) => format!("{v:?}"),
        None => "—".into(),
    }
}

/// Reads an excerpt as a document (its first line, `# source: …`, is the
/// fixture's, not the document's).
pub fn read_excerpt(path: &Path) -> Result<Vec<Record>, Problem> {
    let problem = |message: String| Problem { file: path.display().to_string(), line: None, message };
    let bytes = std::fs::read(path).map_err(|e| problem(e.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|e| problem(e.to_string()))?;
    let body = text.split_once('\n').map_or("", |(first, rest)| if first.starts_with("# source:") { rest } else { text.as_str() });
    // Keep line numbers those of the file: the first line becomes blank.
    let input = DocumentInput::from_text(path.file_name().map_or(String::new(), |n| n.to_string_lossy().into_owned()), format!("\n{body}"));
    Ok(extract::extract_document(&input).0)
}

pub fn score_file(expected: &ExpectedFile, records: &[Record]) -> FileScore {
    let mut checks = Vec::new();
    let mut used = vec![false; records.len()];
    let mut found = 0;
    for project in &expected.projects {
        let want = key(project.name_simplified.as_deref().unwrap_or(&project.name));
        let best = records
            .iter()
            .enumerate()
            .filter(|(i, _)| !used[*i])
            .map(|(i, r)| (i, similarity(&key(&r.name), &want)))
            .filter(|&(_, s)| s >= 0.5)
            .max_by(|a, b| a.1.total_cmp(&b.1));
        match best {
            Some((i, _)) => {
                used[i] = true;
                found += 1;
                checks.extend(score_project(expected, project, &records[i]));
            }
            None => {
                // A project not found fails every check a found one is
                // scored on, so losing a project never raises a share.
                let mut missed = score_project(expected, project, &Record::default());
                for c in &mut missed {
                    c.ok = false;
                    c.got = "没有这条记录".into();
                }
                checks.extend(missed);
            }
        }
    }
    FileScore { file: expected.file.clone(), self_evaluation: expected.kind == "selfeval", projects: expected.projects.len(), projects_found: found, checks }
}

/// The checks of one expected project against the record paired with it.
fn score_project(expected: &ExpectedFile, project: &ExpectedProject, r: &Record) -> Vec<Check> {
    let mut checks = Vec::new();
    let want = key(project.name_simplified.as_deref().unwrap_or(&project.name));
    let mut check = |what: &str, expected: String, got: String, ok: bool| {
        let (secondary, evaluation) = (what.starts_with('·'), what.starts_with('◦'));
        checks.push(Check { what: format!("{}：{what}", project.name), expected, got, ok, secondary, evaluation });
    };
    if expected.kind != "selfeval" {
        // A target table taken for a self-evaluation (or the reverse) shows users results it has not.
        let kind = if expected.kind == "department" { Kind::Department } else { Kind::Project };
        check("类型", format!("{kind:?}"), format!("{:?}", r.kind), r.kind == kind);
    }
    if expected.kind == "selfeval" {
        let got = r.evaluation.as_ref();
        check("◦ 类型", "evaluation".into(), format!("{:?}", r.kind), r.kind == Kind::Evaluation);
        for (what, want, value) in [
            ("◦ 执行数（元）", project.executed_yuan, got.and_then(|e| e.executed_yuan)),
            ("◦ 年初预算数（元）", project.initial_budget_yuan, got.and_then(|e| e.initial_budget_yuan)),
        ] {
            if want.is_some() {
                check(what, shown(&want), shown(&value), want == value);
            }
        }
    }
    check("名称", want.clone(), r.name.clone(), key(&r.name) == want);
    check("地区代码", shown(&expected.region_code), shown(&r.region.code), r.region.code == expected.region_code);
    check("年度", shown(&expected.year), shown(&r.year), r.year == expected.year);
    check("年度资金总额（元）", shown(&project.total_yuan), shown(&r.money.total_yuan), r.money.total_yuan == project.total_yuan);
    let department_ok = match &project.department {
        None => r.department_raw.is_none(),
        Some(d) => [&r.department_raw, &r.department].iter().any(|v| v.as_deref().is_some_and(|v| key(v) == key(d))),
    };
    check("主管部门", shown(&project.department), shown(&r.department_raw), department_ok);
    let code_ok = project.project_code.as_deref().map(key) == r.project_code.as_deref().map(key);
    check("项目编码", shown(&project.project_code), shown(&r.project_code), code_ok);
    let unit_ok = match &project.implementing_unit {
        None => r.implementing_unit.is_none(),
        Some(u) => r.implementing_unit.as_deref().is_some_and(|v| key(v) == key(u)),
    };
    check("· 实施单位", shown(&project.implementing_unit), shown(&r.implementing_unit), unit_ok);
    for (what, want, got) in [
        ("· 中央资金", project.central_yuan, r.money.central),
        ("· 省级资金", project.provincial_yuan, r.money.provincial),
        ("· 市县资金", project.local_yuan, r.money.local),
    ] {
        check(what, shown(&want), shown(&got), want == got);
    }
    // More indicators than the table prints are text taken for indicators.
    if let Some(count) = project.indicator_count {
        check("· 指标数", count.to_string(), r.indicators.len().to_string(), r.indicators.len() == count);
    }
    let same = |a: Option<&str>, b: Option<&str>| a.map(key) == b.map(key);
    let mut taken = vec![false; r.indicators.len()];
    for indicator in project.indicators.iter().chain(&project.sample_indicators) {
        let got = find_indicator(r, &indicator.name, &taken);
        let (ok, got_text, levels) = match got {
            Some(j) => {
                taken[j] = true;
                let g = &r.indicators[j];
                let levels = (g.level1.as_deref().map(key), g.level2.as_deref().map(key));
                (same(g.value.as_deref(), indicator.value.as_deref()), format!("{} = {}", g.name, shown(&g.value)), Some(levels))
            }
            None => (false, "没有".into(), None),
        };
        check(&format!("指标“{}”", indicator.name), shown(&indicator.value), got_text, ok);
        let got_indicator = got.map(|j| &r.indicators[j]);
        if let Some(actual) = &indicator.actual {
            let value = got_indicator.and_then(|g| g.actual.as_deref());
            check(&format!("◦ 指标“{}”的实际完成值", indicator.name), shown(actual), shown(&value), same(actual.as_deref(), value));
        }
        for (what, want, value) in [
            ("权重", &indicator.weight, got_indicator.and_then(|g| g.weight.as_deref())),
            ("得分", &indicator.score, got_indicator.and_then(|g| g.score.as_deref())),
        ] {
            if want.is_some() {
                check(&format!("◦ 指标“{}”的{what}", indicator.name), shown(want), shown(&value), same(want.as_deref(), value));
            }
        }
        let want_levels = (indicator.level1.as_deref().map(key), indicator.level2.as_deref().map(key));
        check(
            &format!("· 指标“{}”的一级、二级指标", indicator.name),
            format!("{want_levels:?}"),
            format!("{levels:?}"),
            levels.as_ref() == Some(&want_levels),
        );
    }
    // Actuals are looked up on their own: an indicator may be sampled for
    // its target and for its actual both.
    let mut taken = vec![false; r.indicators.len()];
    for expected_actual in &project.actual_values {
        let got = find_indicator(r, &expected_actual.name, &taken);
        if let Some(j) = got {
            taken[j] = true;
        }
        let value = got.and_then(|j| r.indicators[j].actual.as_deref());
        let got_text = got.map_or("没有".to_string(), |j| format!("{} = {}", r.indicators[j].name, shown(&value)));
        check(&format!("◦ 指标“{}”的实际完成值", expected_actual.name), shown(&expected_actual.actual), got_text, same(expected_actual.actual.as_deref(), value));
    }
    checks
}

/// The record's indicator of this name not yet paired: the same name, or
/// else one alike (OCR and wrapping change a few characters).
fn find_indicator(r: &Record, name: &str, taken: &[bool]) -> Option<usize> {
    let name = key(name);
    let free = || r.indicators.iter().enumerate().filter(|(j, _)| !taken[*j]);
    free().find(|(_, g)| key(&g.name) == name).or_else(|| free().find(|(_, g)| similarity(&key(&g.name), &name) >= 0.8)).map(|(j, _)| j)
}

/// Scores every document of an expectations file (documents beside it).
pub fn score_all(expect: &Path) -> Result<Vec<FileScore>, Problem> {
    let problem = |message: String| Problem { file: expect.display().to_string(), line: None, message };
    let text = std::fs::read_to_string(expect).map_err(|e| problem(e.to_string()))?;
    let files: Vec<ExpectedFile> = serde_json::from_str(&text).map_err(|e| problem(e.to_string()))?;
    let dir = expect.parent().unwrap_or(Path::new("."));
    files.iter().map(|f| read_excerpt(&dir.join(&f.file)).map(|records| score_file(f, &records))).collect()
}

/// `indexer score`: per document, the share of expected values read right,
/// and what was not; then the total.
pub fn run(expect: &Path, verbose: bool) -> Result<std::process::ExitCode, Problem> {
    let scores = score_all(expect)?;
    let (mut passed, mut total) = (0, 0);
    let (mut secondary_passed, mut secondary_total) = (0, 0);
    let (mut evaluation_passed, mut evaluation_total) = (0, 0);
    let (mut self_evaluation_passed, mut self_evaluation_total) = (0, 0);
    for s in &scores {
        passed += s.passed();
        total += s.scored().count();
        secondary_passed += s.checks.iter().filter(|c| c.secondary && c.ok).count();
        secondary_total += s.checks.iter().filter(|c| c.secondary).count();
        evaluation_passed += s.evaluated().filter(|c| c.ok).count();
        evaluation_total += s.evaluated().count();
        let results = if s.self_evaluation {
            self_evaluation_passed += s.checks.iter().filter(|c| c.ok).count();
            self_evaluation_total += s.checks.len();
            format!("   every value {}/{}", s.checks.iter().filter(|c| c.ok).count(), s.checks.len())
        } else {
            String::new()
        };
        println!(
            "{:<32} {:>3}/{:<3} {:>5.1} %   projects {}/{}{results}",
            s.file,
            s.passed(),
            s.scored().count(),
            100.0 * s.passed() as f64 / s.scored().count().max(1) as f64,
            s.projects_found,
            s.projects
        );
        if verbose {
            for c in s.checks.iter().filter(|c| !c.ok) {
                println!("    ✗ {}: expected {}, got {}", c.what, c.expected, c.got);
            }
        }
    }
    println!("{:<32} {passed:>3}/{total:<3} {:>5.1} %", "total", 100.0 * passed as f64 / total.max(1) as f64);
    println!(
        "{:<32} {secondary_passed:>3}/{secondary_total:<3} {:>5.1} %   (implementing unit, money by source, indicator categories and count; not in the score)",
        "also",
        100.0 * secondary_passed as f64 / secondary_total.max(1) as f64
    );
    println!(
        "{:<32} {evaluation_passed:>3}/{evaluation_total:<3} {:>5.1} %   (kind, money executed, actuals, weights, scores)",
        "results",
        100.0 * evaluation_passed as f64 / evaluation_total.max(1) as f64
    );
    println!(
        "{:<32} {self_evaluation_passed:>3}/{self_evaluation_total:<3} {:>5.1} %   (every value of the self-evaluations)",
        "self-evaluations",
        100.0 * self_evaluation_passed as f64 / self_evaluation_total.max(1) as f64
    );
    Ok(std::process::ExitCode::SUCCESS)
}
