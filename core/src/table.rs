//! The columns of the tables the site shows, shared by the app, the static
//! pages and the CSV files, so a download carries the headers a reader saw
//! on the page.

use crate::format::wan;
use crate::index::docs::DocSummary;
use crate::model::{Achievement, Indicator, ParsedValue, Record};
use crate::units::Quantity;

/// An indicator's printed text in one column.
pub type IndicatorCell = fn(&Indicator) -> Option<&str>;

/// The columns a table of indicators may show after the indicator's name.
/// A self-evaluation's indicators show the target beside what was achieved.
pub const INDICATOR_COLUMNS: [(&str, IndicatorCell); 9] = [
    ("指标值", |i| i.value.as_deref()),
    ("实际完成值", |i| i.actual.as_deref()),
    ("完成情况", |i| i.achievement.map(Achievement::label_zh)),
    ("年度指标值", |i| i.annual_value.as_deref()),
    ("权重", |i| i.weight.as_deref()),
    ("得分", |i| i.score.as_deref()),
    ("绩效指标描述", |i| i.description.as_deref()),
    ("指标值确定依据", |i| i.basis.as_deref()),
    ("偏差原因分析及改进措施", |i| i.deviation.as_deref()),
];

/// The columns that hold a value for any of `indicators`: a column the
/// table leaves empty everywhere is not shown.
pub fn indicator_columns(indicators: &[Indicator]) -> Vec<(&'static str, IndicatorCell)> {
    INDICATOR_COLUMNS
        .into_iter()
        .filter(|(_, cell)| indicators.iter().any(|i| cell(i).is_some_and(|v| !v.trim().is_empty())))
        .collect()
}

/// Headers of a list of search results (the app's export).
pub const RESULT_HEADERS: [&str; 14] = [
    "项目名称",
    "类型",
    "省",
    "市",
    "县（区）",
    "行政区划代码",
    "主管部门",
    "实施单位",
    "年度",
    "年度资金总额（元）",
    "年度资金总额（万元）",
    "资金来源",
    "需核对",
    "链接",
];

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

/// Money as a CSV cell in 元 and in 万元 (exact: four decimals at most).
fn yuan_and_wan(yuan: Option<i64>) -> [String; 2] {
    [opt(&yuan), yuan.map(wan).unwrap_or_default()]
}

/// One result as a CSV row; `link` is the address of its page.
pub fn result_row(s: &DocSummary, link: &str) -> Vec<String> {
    let [yuan, wan] = yuan_and_wan(s.total_yuan);
    vec![
        s.name.clone(),
        s.kind.label_zh().to_string(),
        opt(&s.region.province),
        opt(&s.region.city),
        opt(&s.region.county),
        opt(&s.region.code),
        opt(&s.department),
        opt(&s.implementing_unit),
        opt(&s.year),
        yuan,
        wan,
        s.fund_sources
            .iter()
            .map(|t| if t.inferred { format!("{}（据名称推断）", t.source.label_zh()) } else { t.source.label_zh().to_string() })
            .collect::<Vec<_>>()
            .join("、"),
        if s.unsure { "是".into() } else { String::new() },
        link.to_string(),
    ]
}

/// Headers of a list of indicators (the app's indicator view, its export,
/// and the indicators download).
pub const INDICATOR_HEADERS: [&str; 17] = [
    "项目名称",
    "地区",
    "行政区划代码",
    "年度",
    "一级指标",
    "二级指标",
    "三级指标",
    "指标值",
    "比较",
    "数值",
    "单位",
    "实际完成值",
    "完成情况",
    "得分",
    "类型",
    "读取可信度",
    "链接",
];

/// One indicator of a record as a CSV row; `link` is the record's page.
pub fn indicator_row(r: &Record, i: &Indicator, link: &str) -> Vec<String> {
    let quantity = Quantity::of(i);
    vec![
        r.name.clone(),
        r.region.full_name(),
        opt(&r.region.code),
        opt(&r.year),
        opt(&i.level1),
        opt(&i.level2),
        i.name.clone(),
        opt(&i.value),
        quantity.as_ref().map(|q| q.comparator.symbol().to_string()).unwrap_or_default(),
        quantity.map(|q| q.printed).unwrap_or_default(),
        match &i.parsed {
            Some(ParsedValue::Quantity { unit, .. }) => opt(unit),
            _ => String::new(),
        },
        opt(&i.actual),
        i.achievement.map(|a| a.label_zh().to_string()).unwrap_or_default(),
        opt(&i.score),
        r.kind.label_zh().into(),
        r.confidence.score.to_string(),
        link.to_string(),
    ]
}
