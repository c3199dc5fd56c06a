//! How sure a reading is: the template's checks of what was read against
//! itself (a name and money where every table prints them, sources that add
//! up to their total, a target for every indicator, a share that cannot
//! pass 100 %), each a [`Doubt`] with its reason and weight. A value in
//! doubt is kept as read; the doubt says what it may be instead, and the
//! app marks the record 需核对 with the reasons and the original text.

use jixiao_core::model::{Confidence, Doubt, Kind, Record};

/// Each warning of a record (a guessed unit, an amount in numerals, a
/// table cut off …) costs this much, up to [`WARNINGS_AT_MOST`] of them:
/// the warnings are listed on the page themselves.
const PER_WARNING: u8 = 5;
const WARNINGS_AT_MOST: usize = 4;
/// Indicators without a target cost this much each, together at most
/// [`MISSING_TARGETS_AT_MOST`]: a table with many cut off is one doubt.
const PER_MISSING_TARGET: u8 = 5;
const MISSING_TARGETS_AT_MOST: u8 = 25;

/// The doubts of a record as read.
pub fn assess(record: &Record) -> Confidence {
    let mut doubts = Vec::new();
    let mut doubt = |field: &str, weight: u8, message: String| doubts.push(Doubt { field: field.to_string(), message, weight });
    if record.warnings.iter().any(|w| w.message == "未读到项目名称") {
        doubt("name", 40, "未读到项目名称，名称是表格所在位置".into());
    }
    let m = &record.money;
    if record.kind != Kind::Department && m.total_yuan.is_none() {
        doubt("total_yuan", 15, "未读到年度资金总额".into());
    }
    if let Some(total) = m.total_yuan {
        // 中央 + 省 + 市县 + 自筹 + 其他, or 财政拨款 + 自筹 + 其他: a table
        // prints one breakdown or the other; either adding up will do.
        let levels = [m.central, m.provincial, m.local, m.self_raised, m.other];
        let fiscal = [m.fiscal_unspecified, m.self_raised, m.other];
        let sum = |parts: &[Option<i64>]| parts.iter().any(Option::is_some).then(|| parts.iter().flatten().sum::<i64>());
        let sums: Vec<i64> = [sum(&levels), sum(&fiscal)].into_iter().flatten().filter(|&s| s > 0).collect();
        if !sums.is_empty() && !sums.contains(&total) {
            let shown = sums.iter().map(|s| format!("{s} 元")).collect::<Vec<_>>().join("或");
            doubt("total_yuan", 20, format!("资金来源之和（{shown}）与年度资金总额（{total} 元）不符"));
        }
        if let Some(period) = m.period_total_yuan.filter(|&p| p < total) {
            doubt("total_yuan", 10, format!("实施期资金总额（{period} 元）小于年度资金总额（{total} 元）"));
        }
    }
    if record.kind != Kind::Department && record.indicators.is_empty() {
        doubt("indicators", 25, "未读到绩效指标".into());
    }
    let mut missing_targets = 0u8;
    for i in &record.indicators {
        let field = format!("indicator:{}", i.name);
        if !is_a_name(&i.name) {
            doubt(&field, 10, format!("指标名称“{}”不像指标名称（是数值或表格标签），可能读错了列", i.name));
        }
        match &i.value {
            None => missing_targets = missing_targets.saturating_add(1),
            Some(value) => {
                if let Some(read) = super::values::comparator_read_as_two(&i.name, value) {
                    doubt(&field, 10, format!("指标“{}”的指标值“{value}”超过 100%，可能是“{read}”（识别时“≥”读成了“2”），按原文保留", i.name));
                }
            }
        }
    }
    if missing_targets > 0 {
        let weight = (missing_targets.saturating_mul(PER_MISSING_TARGET)).min(MISSING_TARGETS_AT_MOST);
        doubt("indicators", weight, format!("{missing_targets} 项指标未读到指标值"));
    }
    finish(doubts, record.warnings.len())
}

/// The score of a set of doubts and warnings, doubts most serious first.
pub fn finish(mut doubts: Vec<Doubt>, warnings: usize) -> Confidence {
    doubts.sort_by(|a, b| b.weight.cmp(&a.weight));
    let lost: u32 = doubts.iter().map(|d| u32::from(d.weight)).sum::<u32>() + u32::from(PER_WARNING) * warnings.min(WARNINGS_AT_MOST) as u32;
    Confidence { score: 100u32.saturating_sub(lost) as u8, doubts }
}

/// The rows of the table were rebuilt by the template: its layout gave
/// none that could be read.
pub fn rows_rebuilt() -> Doubt {
    Doubt { field: "table".into(), message: "原文的版式没有可靠的行，表格的行按单元格顺序由模板重建".into(), weight: 10 }
}

/// Words, not a value or a table's label (a category's word may name an
/// indicator: 满意度).
pub fn is_a_name(name: &str) -> bool {
    use crate::labels::Label;
    let han = name.chars().filter(|&c| jixiao_core::text::is_han(c)).count();
    let starts_like_a_value = name.starts_with(|c: char| c.is_ascii_digit() || "≥≤<>=≧≦".contains(c));
    let a_label = matches!(crate::labels::exact(name).map(|m| m.label), Some(Label::Field(_) | Label::Header(_) | Label::Section(_)));
    han >= 2 && !starts_like_a_value && !a_label
}

#[cfg(test)]
mod tests {
    use jixiao_core::model::{Indicator, Money, Warning};

    use super::*;

    fn record(money: Money, indicators: Vec<Indicator>) -> Record {
        Record { name: "医疗救助资金".into(), money, indicators, ..Record::default() }
    }

    fn target(name: &str, value: Option<&str>) -> Indicator {
        Indicator { name: name.into(), value: value.map(str::to_string), ..Indicator::default() }
    }

    #[test]
    fn a_table_read_whole_is_sure() {
        let money = Money { total_yuan: Some(300_000), central: Some(100_000), local: Some(200_000), ..Money::default() };
        let c = assess(&record(money, vec![target("救助人次", Some("≥3000人次")), target("满意度", Some("≥95%"))]));
        assert_eq!(c, Confidence { score: 100, doubts: Vec::new() });
    }

    #[test]
    fn doubts_say_why_most_serious_first() {
        let money = Money { total_yuan: Some(300_000), central: Some(100_000), local: Some(100_000), ..Money::default() };
        let mut r = record(money, vec![target("救助人次", None), target("服务对象满意度", Some("290%"))]);
        r.warnings.push(Warning { message: "未读到项目名称".into(), ..Warning::default() });
        let c = assess(&r);
        let fields: Vec<&str> = c.doubts.iter().map(|d| d.field.as_str()).collect();
        assert_eq!(fields, ["name", "total_yuan", "indicator:服务对象满意度", "indicators"]);
        assert!(c.doubts[1].message.contains("200000 元"), "{}", c.doubts[1].message);
        assert!(c.doubts[2].message.contains("≥90%"), "{}", c.doubts[2].message);
        assert!(c.unsure());
        assert_eq!(c.score, 100 - 40 - 20 - 10 - 5 - 5);
    }

    #[test]
    fn either_breakdown_may_add_up() {
        let money = Money { total_yuan: Some(150_000), fiscal_unspecified: Some(150_000), other: Some(0), ..Money::default() };
        assert!(assess(&record(money, vec![target("检查次数", Some("≥1次/年"))])).doubts.is_empty());
    }
}
