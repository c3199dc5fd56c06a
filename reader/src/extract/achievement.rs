//! Whether a self-evaluation's actual meets its target: `≥50000人次`
//! against `110406` is achieved, `≤20万元` against `23.5万元` missed. Only
//! numbers in comparable units are compared (万元 and 元, % and 百分点 and
//! 百分比, 万人 and 人); a target in words is decided only by an actual that
//! says so plainly (达标, 完成, 是 / 未完成, 否), or that repeats the target
//! word for word (target 较大, actual 较大). A bare number (`90%`, no ≥ or ≤)
//! is met only by that number; other numbers cannot be told, except short
//! of 100 %. Anything else cannot be told.

use jixiao_core::model::{Achievement, Comparator, ParsedValue};

use super::values::parse_value;
use crate::labels::value_words;

/// A unit as one of a family with a factor to its base: (base, factor).
fn unit_base(unit: &str) -> (&str, f64) {
    let unit = unit.split(['(', '（']).next().unwrap_or(unit).trim();
    match unit {
        "%" | "百分比" | "百分点" => ("%", 1.0),
        "万元" => ("元", 10_000.0),
        "亿元" => ("元", 100_000_000.0),
        "千元" => ("元", 1_000.0),
        "万人" => ("人", 10_000.0),
        "万人次" => ("人次", 10_000.0),
        other => (other, 1.0),
    }
}

/// The number and unit an actual states (`110406`, `100%`, `37.24万元`).
fn quantity(text: &str) -> Option<(f64, Option<String>)> {
    match parse_value(text) {
        ParsedValue::Quantity { comparator: Comparator::Eq, number, unit } => Some((number, unit)),
        _ => None,
    }
}

/// `None` when nothing was printed as achieved.
pub fn assess(target: Option<&str>, actual: Option<&str>) -> Option<Achievement> {
    let actual = actual.map(str::trim).filter(|a| !a.is_empty() && !super::indicators::is_placeholder(a))?;
    let plain: String = actual.chars().filter(|c| !c.is_whitespace() && !matches!(c, '。' | '.' | '，')).collect();
    // Words of an actual that state the target was met, or was not.
    let words = value_words();
    if words.not_met.contains(&plain) {
        return Some(Achievement::Missed);
    }
    if words.met.contains(&plain) {
        return Some(Achievement::Achieved);
    }
    let Some(ParsedValue::Quantity { comparator, number: goal, unit: goal_unit }) = target.map(parse_value) else {
        // A target in words met by the very words promised.
        let same = target.is_some_and(|t| jixiao_core::text::name_key(t) == jixiao_core::text::name_key(actual));
        return Some(if same { Achievement::Achieved } else { Achievement::Unclear });
    };
    let Some((got, got_unit)) = quantity(actual) else { return Some(Achievement::Unclear) };
    // An actual without a unit is in the target's.
    let (goal_base, goal_factor) = unit_base(goal_unit.as_deref().unwrap_or(""));
    let (got_base, got_factor) = match got_unit.as_deref() {
        Some(unit) => unit_base(unit),
        None => (goal_base, goal_factor),
    };
    if goal_base != got_base {
        return Some(Achievement::Unclear);
    }
    let (goal, got) = (goal * goal_factor, got * got_factor);
    let tolerance = 1e-9 * goal.abs().max(1.0);
    let met = match comparator {
        Comparator::Ge => got >= goal - tolerance,
        Comparator::Gt => got > goal + tolerance,
        Comparator::Le => got <= goal + tolerance,
        Comparator::Lt => got < goal - tolerance,
        // A bare number promises neither more nor less: only the very
        // number is an answer, unless the target says `=`, or is 100 %
        // (all of something: less is short of it).
        Comparator::Eq => {
            let exact = target.is_some_and(|t| t.contains(['=', '＝']) || t.contains("等于"));
            let all = goal_base == "%" && (goal - 100.0).abs() <= tolerance;
            if (got - goal).abs() <= tolerance {
                true
            } else if exact || all && got < goal {
                false
            } else {
                return Some(Achievement::Unclear);
            }
        }
    };
    Some(if met { Achievement::Achieved } else { Achievement::Missed })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_comparable_units_decide() {
        assert_eq!(assess(Some("≥50000人次"), Some("110406")), Some(Achievement::Achieved));
        for nothing in ["", "/", "——", "空", "……"] {
            assert_eq!(assess(Some("≥95%"), Some(nothing)), None, "{nothing:?} says nothing was achieved");
        }
        assert_eq!(assess(Some(">= 98 %(百分比)"), Some("100%")), Some(Achievement::Achieved));
        assert_eq!(assess(Some("≤20万元"), Some("235000元")), Some(Achievement::Missed));
        assert_eq!(assess(Some("≤20万元"), Some("19.5万元")), Some(Achievement::Achieved));
        assert_eq!(assess(Some("=100%"), Some("98%")), Some(Achievement::Missed));
        assert_eq!(assess(Some("≥95%"), Some("96百分比")), Some(Achievement::Achieved));
        assert_eq!(assess(Some("100%"), Some("98%")), Some(Achievement::Missed), "short of all");
        assert_eq!(assess(Some("2人"), Some("2")), Some(Achievement::Achieved));
        assert_eq!(assess(Some("43.2"), Some("37.24")), Some(Achievement::Unclear), "a bare number: less may be better");
        assert_eq!(assess(Some("90%"), Some("92%")), Some(Achievement::Unclear));
    }

    #[test]
    fn words_decide_only_when_plain() {
        assert_eq!(assess(Some("有所提升"), Some("达标")), Some(Achievement::Achieved));
        assert_eq!(assess(Some("按时完成"), Some("未完成")), Some(Achievement::Missed));
        assert_eq!(assess(Some("有所提升"), Some("群众满意度明显提高")), Some(Achievement::Unclear));
        assert_eq!(assess(Some("较大"), Some("较大。")), Some(Achievement::Achieved), "the very words promised");
        assert_eq!(assess(Some("明显减轻"), Some("有所减轻")), Some(Achievement::Unclear));
        assert_eq!(assess(Some("≥95%"), Some("95人")), Some(Achievement::Unclear), "a different unit is no answer");
        assert_eq!(assess(Some("≥95%"), None), None);
        assert_eq!(assess(Some("≥95%"), Some("/")), None);
    }
}
