//! Stage 6: a table reading becomes a [`Record`]: region resolved, department
//! canonicalised, money converted to yuan, fund sources derived, and every
//! doubt written down as a warning or a conflict.

use jixiao_core::model::{
    Evaluation,
    Conflict, ConflictValue, FundSource, FundSourceTag, Kind, Money, Record, Region, SourceRef, Warning,
};

use super::amount::{parse_amount, Amount};
use crate::grid::clean::compact;
use super::department::canonicalise;
use crate::labels::{Field, Unit};
use super::reader::{AmountCell, Side, TableReading};
use super::region::{self, ClueSource, Clues};

/// What the document as a whole says, for tables that do not say it themselves.
#[derive(Clone, Debug, Default)]
pub struct DocumentContext {
    pub file: String,
    pub declared_region: Option<String>,
    pub declared_publisher: Option<String>,
    pub declared_year: Option<u16>,
    /// A year printed in the document's own title (`2024 年部门预算绩效文本`).
    pub title_year: Option<u16>,
    /// The department most of the document's tables name.
    pub main_department: Option<String>,
    /// The money unit most of the document's tables state.
    pub main_unit: Option<Unit>,
    /// What the document prints before its first table (a page's title,
    /// its publisher): where the tables themselves name no place.
    pub front_matter: String,
    /// The year the page was published (`发布时间：2023-03-27`).
    pub published_year: Option<u16>,
}

pub fn build_record(t: &TableReading, doc: &DocumentContext) -> Record {
    let mut warnings = Vec::new();
    let mut conflicts = Vec::new();
    let warn = |warnings: &mut Vec<Warning>, line: u32, message: String| {
        warnings.push(Warning { document: doc.file.clone(), line, message });
    };

    // Region.
    let mut clues = Clues::default();
    // A department-wide section that names no department is the document's.
    // A template's words for any county's body (`县(市、区)教育部门`) name
    // no department.
    let own_department = t.department_raw.as_ref().map(|d| d.text.clone()).filter(|d| !super::department::is_placeholder(d));
    let department_text = own_department.clone().or_else(|| doc.main_department.clone());
    if let Some(d) = &department_text {
        clues.add(ClueSource::Department, d);
    }
    for unit in [&t.implementing_unit, &t.reporting_unit].into_iter().flatten() {
        clues.add(ClueSource::Unit, &unit.text);
    }
    for title in &t.titles {
        clues.add(ClueSource::Unit, title);
    }
    if let Some(name) = &t.name {
        clues.add(ClueSource::Name, &name.text);
    }
    clues.add(ClueSource::Body, &t.all_text);
    for declared in [&doc.declared_region, &doc.declared_publisher].into_iter().flatten() {
        clues.add(ClueSource::Declared, declared);
    }
    clues.add(ClueSource::Document, &doc.front_matter);
    if let Some(code) = &t.project_code {
        clues.add_project_code(&code.text);
    }
    let region = match region::resolve(&clues) {
        Some(resolution) => {
            if let Some(declared) = resolution.disagrees_with_declared {
                warn(
                    &mut warnings,
                    t.anchor_line,
                    format!("表格所属地区为{}，与 sources.toml 登记的“{declared}”不一致，以表格为准", resolution.region.full_name()),
                );
            }
            resolution.region
        }
        None => {
            warn(&mut warnings, t.anchor_line, "无法确定表格所属地区".into());
            Region::default()
        }
    };

    // Department.
    let department = department_text.as_deref().map(|raw| canonicalise(raw, &region));
    let implementing_unit = t.implementing_unit.as_ref().map(|u| u.text.clone()).or_else(|| {
        // A `<code> <unit>` line above the table names the implementing unit too.
        t.department_from_title_line.then(|| department.as_ref().map(|d| d.unit.clone())).flatten()
    });

    // Name.
    let name = match t.kind {
        Kind::Department => department.as_ref().map(|d| d.canonical.clone()).unwrap_or_default(),
        Kind::Project | Kind::Evaluation => project_name(t, department.as_ref().map(|d| d.unit.as_str()), &mut warnings, doc),
    };
    // `51000021R000000019951-工资性支出`: a project code printed before the name.
    let (code_in_name, name) = split_code_from_name(&name);

    // Year. A self-evaluation is written after its year ends: one that
    // prints no year is of the year before the page's date.
    let evaluation_table = is_evaluation(t, doc);
    let mut year = t.year.or(doc.title_year).or(doc.declared_year);
    if year.is_none() {
        match doc.published_year {
            Some(published) if evaluation_table => {
                let evaluated = published - 1;
                warn(&mut warnings, t.anchor_line, format!("自评表未注明年度，发布于 {published} 年，按上一年度取 {evaluated} 年"));
                year = Some(evaluated);
            }
            Some(published) => {
                warn(&mut warnings, t.anchor_line, format!("表格未注明预算年度，按发布日期取 {published} 年"));
                year = Some(published);
            }
            None => warn(&mut warnings, t.anchor_line, "表格未注明预算年度".into()),
        }
    }

    let unit = table_unit(t, doc, &mut warnings);
    let yuan = read_amounts(t, unit, doc, &mut warnings);
    let money = read_money(t, unit, &yuan, doc, &region, &mut warnings, &mut conflicts);
    let fund_sources = fund_sources(&money, &name);

    // An annual target that differs from the period target is worth a note.
    for indicator in &t.indicators {
        if let (Some(value), Some(annual)) = (&indicator.value, &indicator.annual_value) {
            conflicts.push(Conflict {
                field: format!("indicator:{}", indicator.name),
                values: vec![
                    ConflictValue { value: value.clone(), document: doc.file.clone(), line: t.anchor_line },
                    ConflictValue { value: annual.clone(), document: doc.file.clone(), line: t.anchor_line },
                ],
                message: format!("指标“{}”的实施期目标为 {value}，年度目标为 {annual}", indicator.name),
            });
        }
    }
    if t.kind == Kind::Project && t.indicators.is_empty() {
        warn(&mut warnings, t.anchor_line, "未读到绩效指标".into());
    }

    let evaluation = evaluation_table.then(|| evaluation_of(t, &yuan));
    let mut record = Record {
        id: String::new(),
        alias_ids: Vec::new(),
        kind: if evaluation.is_some() { Kind::Evaluation } else { t.kind },
        name,
        year,
        region,
        department: department.as_ref().map(|d| d.canonical.clone()),
        department_raw: own_department.clone(),
        department_code: t
            .department_code
            .as_ref()
            .map(|c| c.text.clone())
            .or_else(|| own_department.and_then(|_| department.as_ref().and_then(|d| d.code.clone()))),
        implementing_unit,
        project_code: t.project_code.as_ref().map(|c| c.text.split_whitespace().collect()).or(code_in_name),
        money,
        fund_sources,
        indicators: t.indicators.clone(),
        sections: t.sections.clone(),
        sources: vec![SourceRef {
            document: doc.file.clone(),
            line: t.anchor_line,
            line_start: t.first_line,
            line_end: t.last_line,
            // Cut from the document's grid by `extract_grid`.
            raw_text: String::new(),
            ..SourceRef::default()
        }],
        warnings,
        conflicts,
        evaluation,
        evaluations: Vec::new(),
        outcome: None,
        confidence: Default::default(),
        corrections: Vec::new(),
        similar: Vec::new(),
    };
    record.confidence = super::confidence::assess(&record);
    record
}

/// A self-evaluation (绩效自评表): its title says so, or, under no title
/// naming it a target table (绩效目标表), it prints what was achieved or
/// spent (实际完成值, 全年执行数). A target table may show past years' money
/// spent (2021年实际执行数) beside its budget. A table without a title of
/// its own goes by the page's (`…绩效目标表.docx` above the text).
fn is_evaluation(t: &TableReading, doc: &DocumentContext) -> bool {
    // A page's lines speak for the table only where they name a table (a
    // menu's 绩效自评 does not).
    let titles: Vec<&str> = if t.titles.is_empty() {
        doc.front_matter.lines().filter(|l| l.contains('表')).collect()
    } else {
        t.titles.iter().map(String::as_str).collect()
    };
    let titled = titles.iter().any(|title| title.contains("自评") || title.contains("绩效评价表"));
    let titled_target = titles.iter().any(|title| title.contains("目标表") || title.contains("目标申报表"));
    let executed = t.amounts.iter().any(|a| a.field == Field::Executed || a.stage == Some(Field::Executed));
    let actuals = t.indicators.iter().filter(|i| i.actual.is_some()).count() * 2 > t.indicators.len().max(1);
    titled || !titled_target && (executed || actuals || t.total_score.is_some())
}

/// The money, score and grade of a self-evaluation; `yuan` is each money
/// cell's amount, read by [`read_amounts`].
fn evaluation_of(t: &TableReading, yuan: &[Option<i64>]) -> Evaluation {
    // The total's row (or the first money row) under the budget stages, or
    // labels of their own (执行数 6.84).
    let stage_of = |stage: Field| -> Option<i64> {
        let cells = t.amounts.iter().zip(yuan).filter(|(a, _)| a.stage == Some(stage) || a.field == stage && a.stage.is_none());
        let mut cells: Vec<_> = cells.collect();
        // The total's cell, where the table prints one, even unreadable: a
        // part (当年财政拨款, 其他资金) is not the project's money.
        if let Some((_, yuan)) = cells.iter().find(|(a, _)| a.field == Field::AnnualTotal) {
            return **yuan;
        }
        cells.sort_by_key(|(a, _)| a.field != stage);
        cells.into_iter().find_map(|(_, yuan)| *yuan)
    };
    let rate = t
        .amounts
        .iter()
        .find(|a| a.stage == Some(Field::ExecutionRate))
        .map(|a| a.text.clone())
        .or_else(|| t.execution_rate.as_ref().map(|r| r.text.clone()));
    Evaluation {
        initial_budget_yuan: stage_of(Field::InitialBudget),
        executed_yuan: stage_of(Field::Executed),
        execution_rate: rate.map(|r| compact(&r)).filter(|r| !r.is_empty()),
        score: t.total_score.as_ref().map(|s| compact(&s.text)),
        grade: t.grade.as_ref().map(|g| compact(&g.text)),
        target: None,
    }
}

fn title_name_pattern() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(r"^(?:标\s*题\s*[:：]?\s*)?(?:关于)?(.+?)(?:绩效目标|绩效自评|绩效评价|项目支出绩效|支出绩效|的公示|的通知)").expect("compiles")
    })
}

fn carried_out_pattern() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| regex::Regex::new(r"实施([^，。,；;：:“”《》]{4,60}?项目)").expect("compiles"))
}

/// The project a titled table is about, when it prints no 项目名称:
/// `彭水自治县2024年度中央对地方转移支付计划生育服务项目绩效自评表` →
/// `中央对地方转移支付计划生育服务项目` (places and the year before the
/// name dropped); where the text says `实施…项目` more fully, that.
fn name_from_title(titles: &[String], text: &str) -> Option<String> {
    let year = regex::Regex::new(r"^\s*(19|20)\d{2}\s*年(度)?").expect("compiles");
    let title = titles.iter().find_map(|title| {
        let caps = title_name_pattern().captures(title.trim())?;
        let mut name = caps[1].trim().to_string();
        loop {
            let before = name.clone();
            if let Some(place) = region::leading_place(&name) {
                name = name[place..].to_string();
            }
            name = year.replace(&name, "").trim().to_string();
            if name == before {
                break;
            }
        }
        (name.chars().count() >= 4).then_some(name)
    })?;
    let fuller = carried_out_pattern()
        .captures_iter(text)
        .map(|c| c[1].to_string())
        .find(|full| full.ends_with(&title) || compact(full).ends_with(&compact(&title)));
    Some(fuller.unwrap_or(title))
}

fn code_before_name() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| regex::Regex::new(r"^([0-9A-Za-z]{10,})\s*[-－—_]\s*(\S.*)$").expect("compiles"))
}

/// A project code of ten or more letters and digits printed before the
/// name, split off: (code, name).
fn split_code_from_name(name: &str) -> (Option<String>, String) {
    match code_before_name().captures(name.trim()) {
        Some(caps) if caps[1].chars().any(|c| c.is_ascii_digit()) => (Some(caps[1].to_string()), caps[2].to_string()),
        _ => (None, name.to_string()),
    }
}

/// An organisation's name where the project name belongs (OCR moved the
/// project name to the line above the table).
fn looks_like_organisation(name: &str) -> bool {
    ["局", "中心", "科", "处", "委员会", "办公室", "站", "所", "院"].iter().any(|s| name.ends_with(s))
}

fn project_name(t: &TableReading, department_unit: Option<&str>, warnings: &mut Vec<Warning>, doc: &DocumentContext) -> String {
    let printed = t.name.as_ref().map(|n| n.text.trim().to_string()).filter(|n| !n.is_empty());
    let is_unit = |n: &str| {
        looks_like_organisation(n)
            && (t.implementing_unit.as_ref().is_some_and(|u| compact(&u.text) == compact(n))
                || department_unit.is_some_and(|u| compact(u).ends_with(&compact(n)))
                || region::gazetteer().places.iter().any(|p| n.starts_with(&p.name)))
    };
    match (printed, &t.free_line) {
        (Some(name), Some(free)) if is_unit(&name) => {
            warnings.push(Warning {
                document: doc.file.clone(),
                line: t.anchor_line,
                message: format!("项目名称栏写的是单位名称“{name}”，项目名称取自表格上方第 {} 行", free.line),
            });
            free.text.clone()
        }
        (Some(name), _) => name,
        (None, Some(free)) => {
            warnings.push(Warning {
                document: doc.file.clone(),
                line: t.anchor_line,
                message: format!("项目名称栏为空，项目名称取自表格上方第 {} 行", free.line),
            });
            free.text.clone()
        }
        (None, None) => match name_from_title(&t.titles, &t.all_text) {
            Some(name) => {
                warnings.push(Warning {
                    document: doc.file.clone(),
                    line: t.anchor_line,
                    message: format!("表格没有“项目名称”栏，项目名称“{name}”取自标题"),
                });
                name
            }
            None => {
                warnings.push(Warning { document: doc.file.clone(), line: t.anchor_line, message: "未读到项目名称".into() });
                t.titles.first().cloned().unwrap_or_else(|| format!("（{} 第 {} 行的表格）", doc.file, t.anchor_line))
            }
        },
    }
}

/// Provinces that are cities (北京, 天津, 上海, 重庆): their 市级 money is
/// the provincial tier.
fn is_municipality(region: &Region) -> bool {
    region.code.as_deref().is_some_and(|c| ["11", "12", "31", "50"].iter().any(|p| c.starts_with(p)))
}

/// The unit a table states for its money; where it states none, the one
/// its amounts print inside their cells (`2.38 万元`), with a warning.
fn table_unit(t: &TableReading, doc: &DocumentContext, warnings: &mut Vec<Warning>) -> Option<Unit> {
    if t.unit.is_some() {
        return t.unit;
    }
    let printed = |text: &str| {
        let text = text.trim();
        let digits_before = |suffix: &str| text.strip_suffix(suffix).is_some_and(|n| n.trim_end().ends_with(|c: char| c.is_ascii_digit()));
        if digits_before("万元") || digits_before("万") {
            Some(Unit::WanYuan)
        } else if digits_before("元") {
            Some(Unit::Yuan)
        } else {
            None
        }
    };
    let cell = t.amounts.iter().find(|a| a.unit.is_none() && printed(&a.text).is_some())?;
    let unit = printed(&cell.text)?;
    warnings.push(Warning { document: doc.file.clone(), line: cell.line, message: format!("表格未注明金额单位，按同表金额“{}”所注的{}读取", cell.text.trim(), unit.as_str()) });
    Some(unit)
}

/// Each money cell of a table (`t.amounts`) read once, in yuan: `None` when
/// it is blank, not an amount, or a rate (执行率). Read in the unit printed
/// for it, else the table's, else yuan (which [`read_money`] warns of).
/// What is doubtful about a reading (rounded, written in numerals, not an
/// amount) is warned once, with its line.
fn read_amounts(t: &TableReading, table_unit: Option<Unit>, doc: &DocumentContext, warnings: &mut Vec<Warning>) -> Vec<Option<i64>> {
    let mut warn = |line: u32, message: String| warnings.push(Warning { document: doc.file.clone(), line, message });
    let read = |cell: &AmountCell| {
        if cell.stage.is_some_and(|stage| !stage.is_amount()) {
            return None;
        }
        match parse_amount(&cell.text, cell.unit.or(table_unit).unwrap_or(Unit::Yuan)) {
            Ok(Amount::Yuan { yuan, rounded, in_numerals }) => {
                if rounded {
                    warn(cell.line, format!("金额“{}”含不足一元的部分，已四舍五入到元", cell.text));
                }
                if in_numerals {
                    warn(cell.line, format!("金额“{}”以中文数字书写，已读作 {yuan} 元，请核对", cell.text.trim()));
                }
                Some(yuan)
            }
            Ok(Amount::Blank) => None,
            Err(e) => {
                // Header words in money blocks are not amounts; only report what looks like one.
                if cell.text.chars().any(|c| c.is_ascii_digit() || "零一二三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟".contains(c)) {
                    warn(cell.line, e.message());
                }
                None
            }
        }
    };
    t.amounts.iter().map(read).collect()
}

fn read_money(
    t: &TableReading,
    table_unit: Option<Unit>,
    yuan: &[Option<i64>],
    doc: &DocumentContext,
    region: &Region,
    warnings: &mut Vec<Warning>,
    conflicts: &mut Vec<Conflict>,
) -> Money {
    let mut money = Money::default();
    // Under a header of budget stages, the budget of the year is the
    // adjusted (全年) one where printed, else the initial one; executed
    // money is not a budget.
    let adjusted_printed = t.amounts.iter().any(|a| a.stage == Some(Field::AdjustedBudget));
    let mut unit_used: Option<Unit> = None;
    let mut unit_warned = false;
    // (field, side) → (yuan, line) of the first printing.
    let mut seen: Vec<(Field, Side, i64, u32)> = Vec::new();
    for (cell, &yuan) in t.amounts.iter().zip(yuan) {
        match cell.stage {
            None | Some(Field::AdjustedBudget) => {}
            Some(Field::InitialBudget) if !adjusted_printed => {}
            Some(_) => continue,
        }
        let unit = match cell.unit.or(table_unit) {
            Some(u) => u,
            None => {
                if !unit_warned {
                    warnings.push(Warning {
                        document: doc.file.clone(),
                        line: cell.line,
                        message: "表格未注明金额单位，按“元”读取".into(),
                    });
                    unit_warned = true;
                }
                Unit::Yuan
            }
        };
        let Some(yuan) = yuan else { continue };
        if let Some(&(_, _, first, first_line)) = seen.iter().find(|s| s.0 == cell.field && s.1 == cell.side) {
            if first != yuan {
                conflicts.push(Conflict {
                    field: field_key(cell.field).to_string(),
                    values: vec![
                        ConflictValue { value: first.to_string(), document: doc.file.clone(), line: first_line },
                        ConflictValue { value: yuan.to_string(), document: doc.file.clone(), line: cell.line },
                    ],
                    message: format!("{}在表中出现两个不同的数额：{first} 元和 {yuan} 元", field_label(cell.field)),
                });
            }
            continue;
        }
        seen.push((cell.field, cell.side, yuan, cell.line));
        let slot = match (cell.field, cell.side) {
            (Field::PeriodTotal, _) => &mut money.period_total_yuan,
            (Field::AnnualTotal, Side::Annual) => &mut money.total_yuan,
            (_, Side::Period) => continue,
            (Field::Central, _) => &mut money.central,
            (Field::Provincial, _) => &mut money.provincial,
            (Field::CityLevel, _) if is_municipality(region) => &mut money.provincial,
            (Field::CityLevel, _) => &mut money.local,
            (Field::Local, _) => &mut money.local,
            (Field::SelfRaised, _) => &mut money.self_raised,
            (Field::Other, _) => &mut money.other,
            (Field::FiscalUnspecified, _) => &mut money.fiscal_unspecified,
            _ => continue,
        };
        *slot = Some(yuan);
        if matches!(cell.field, Field::AnnualTotal | Field::PeriodTotal) || unit_used.is_none() {
            unit_used.get_or_insert(unit);
        }
    }
    money.unit_in_doc = unit_used.or(table_unit).or(doc.main_unit).map(|u| u.as_str().to_string());
    // The split by source should add up to the total.
    let parts = [money.central, money.provincial, money.local, money.self_raised, money.other, money.fiscal_unspecified];
    // A department's budget table lists its income by source and prints no
    // total (神木市: 财政拨款收入 1323.06 万元): the year's total is their sum.
    if t.kind == Kind::Department && money.total_yuan.is_none() && parts.iter().any(Option::is_some) {
        money.total_yuan = Some(parts.iter().flatten().sum());
    }
    if let Some(total) = money.total_yuan {
        if parts.iter().any(Option::is_some) {
            let sum: i64 = parts.iter().flatten().sum();
            if sum != total {
                conflicts.push(Conflict {
                    field: "fund_sources".into(),
                    values: vec![
                        ConflictValue { value: total.to_string(), document: doc.file.clone(), line: t.anchor_line },
                        ConflictValue { value: sum.to_string(), document: doc.file.clone(), line: t.anchor_line },
                    ],
                    message: format!("各资金来源合计 {sum} 元，与年度资金总额 {total} 元不一致"),
                });
            }
        }
    }
    money
}

pub fn field_key(field: Field) -> &'static str {
    match field {
        Field::PeriodTotal => "period_total_yuan",
        Field::AnnualTotal => "total_yuan",
        Field::Central => "central",
        Field::Provincial => "provincial",
        Field::Local => "local",
        Field::SelfRaised => "self_raised",
        Field::Other => "other",
        Field::FiscalUnspecified => "fiscal_unspecified",
        _ => "other_field",
    }
}

fn field_label(field: Field) -> &'static str {
    match field {
        Field::PeriodTotal => "实施期资金总额",
        Field::AnnualTotal => "年度资金总额",
        Field::Central => "中央财政资金",
        Field::Provincial => "省级财政资金",
        Field::Local => "市县（区）财政资金",
        Field::SelfRaised => "单位自筹",
        Field::Other => "其他资金",
        Field::FiscalUnspecified => "财政资金",
        _ => "金额",
    }
}

/// Fund sources for filtering: every source with money, and where the table
/// gives no split by level of government, the level the name states
/// (中央财政…补助资金), marked as inferred.
pub fn fund_sources(money: &Money, name: &str) -> Vec<FundSourceTag> {
    let mut tags: Vec<FundSourceTag> = FundSource::ALL
        .into_iter()
        .filter(|&s| money.by_source(s).is_some_and(|v| v > 0))
        .map(|source| FundSourceTag { source, inferred: false })
        .collect();
    let split_by_level = [FundSource::Central, FundSource::Provincial, FundSource::Local]
        .iter()
        .any(|&s| money.by_source(s).is_some_and(|v| v > 0));
    if !split_by_level {
        let name = compact(name);
        let mut infer = |source| {
            if !tags.iter().any(|t| t.source == source) {
                tags.push(FundSourceTag { source, inferred: true });
            }
        };
        if name.contains("中央财政") || name.contains("中央补助") || name.contains("中央资金") {
            infer(FundSource::Central);
        }
        if name.contains("省级财政") || name.contains("省级补助") || name.contains("省财政") {
            infer(FundSource::Provincial);
        }
        if name.contains("区级财政") || name.contains("县级财政") || name.contains("市级财政") {
            infer(FundSource::Local);
        }
    }
    tags.sort_by_key(|t| t.source);
    tags
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::Grid;

    #[test]
    fn a_bad_amount_of_a_self_evaluation_is_warned_once_with_its_line() {
        // The initial budget is read as the year's money and as the
        // evaluation's 年初预算数: one reading, one warning.
        let text = "项目支出绩效自评表\n项目名称\t医保信息化建设\n主管部门\t某县医疗保障局\n\
                    项目资金（万元）\t年初预算数\t全年执行数\t执行率\n年度资金总额\t1,20\t100\t83%\n\
                    一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\n产出指标\t数量指标\t系统数\t≥1个\t1个\n";
        let grid = Grid::from_text(text, None);
        let span = &super::super::tables::find_tables(&grid.rows)[0];
        let record = build_record(&super::super::reader::read_table(&grid.rows, span), &DocumentContext { file: "t.txt".into(), ..DocumentContext::default() });
        let evaluation = record.evaluation.as_ref().expect("a self-evaluation");
        assert_eq!((evaluation.initial_budget_yuan, evaluation.executed_yuan), (None, Some(1_000_000)));
        let about_amounts: Vec<(u32, &str)> =
            record.warnings.iter().filter(|w| w.message.contains("金额")).map(|w| (w.line, w.message.as_str())).collect();
        assert_eq!(about_amounts, [(5, "金额“1,20”的千位分隔符位置不对，无法确定数值")]);
    }
}
