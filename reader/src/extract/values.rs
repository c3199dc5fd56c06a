//! Indicator target values → comparator, number, unit; or qualitative text.
//!
//! `≥95%`, `≤ 59.64 万元`, `280元/人/年`, `不少于5000人`, `控制在0.1%以内`
//! are quantities; `有所提升`, `2022年10月底前`, `处置率达100%` are text.

use jixiao_core::model::{Comparator, ParsedValue};

use crate::labels::value_words;

/// Units a quantity may carry (after the number). Anything else that is
/// short and digit-free is accepted too, so new units need no code change.
const MAX_UNIT_CHARS: usize = 8;

/// A share that cannot pass 100 % (a rate, a satisfaction, a coverage)
/// printed as `2` and a share (`295%` for `≥95%`), or any target printed
/// as `2` and a share over 1000 % (`2100%`): OCR read `≥` as `2`. The
/// target it may stand for, or `None`.
pub fn comparator_read_as_two(name: &str, value: &str) -> Option<String> {
    const SHARES: [&str; 9] = ["率", "满意度", "比例", "占比", "覆盖", "知晓度", "满意程度", "达标", "合格"];
    let digits = value.trim().strip_prefix('2')?.strip_suffix('%')?;
    let share: f64 = digits.parse().ok().filter(|_| !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit() || c == '.'))?;
    let printed: f64 = format!("2{digits}").parse().ok()?;
    let a_share = SHARES.iter().any(|w| name.contains(w));
    let implausible = a_share && printed > 100.0 || printed >= 1000.0;
    (implausible && (1.0..=100.0).contains(&share) && !digits.starts_with('.')).then(|| format!("≥{digits}%"))
}

pub fn parse_value(value: &str) -> ParsedValue {
    parse_quantity(value).unwrap_or_else(|| ParsedValue::Qualitative { text: value.to_string() })
}

fn parse_quantity(value: &str) -> Option<ParsedValue> {
    let text: String = value
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '﹪' | '％' => '%',
            '＝' => '=',
            '＞' => '>',
            '＜' => '<',
            '≧' => '≥',
            '≦' => '≤',
            _ => c,
        })
        .collect();
    let mut rest = text.as_str();
    let mut comparator = None;
    if let Some((word, c)) = value_words().comparators.iter().find(|(word, _)| rest.starts_with(word.as_str())) {
        comparator = Some(*c);
        rest = &rest[word.len()..];
    }
    let number_len = rest.char_indices().take_while(|&(_, c)| c.is_ascii_digit() || c == '.' || c == ',').map(|(i, c)| i + c.len_utf8()).last()?;
    let number_text = rest[..number_len].replace(',', "");
    // Beyond f64 (hundreds of digits) is not a quantity anyone means.
    let number: f64 = number_text.parse().ok().filter(|n: &f64| n.is_finite())?;
    let mut unit = &rest[number_len..];
    for (suffix, c) in [("以上", Comparator::Ge), ("以下", Comparator::Le), ("以内", Comparator::Le)] {
        if let Some(u) = unit.strip_suffix(suffix) {
            if comparator.is_none() || comparator == Some(Comparator::Le) && c == Comparator::Le {
                comparator = Some(c);
            }
            unit = u;
        }
    }
    if unit.chars().count() > MAX_UNIT_CHARS || unit.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(ParsedValue::Quantity {
        comparator: comparator.unwrap_or(Comparator::Eq),
        number,
        unit: (!unit.is_empty()).then(|| unit.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_share_over_100_is_read_back_from_ocr() {
        assert_eq!(comparator_read_as_two("服务对象满意度", "290%").as_deref(), Some("≥90%"));
        assert_eq!(comparator_read_as_two("参保率", "2100%").as_deref(), Some("≥100%"));
        assert_eq!(comparator_read_as_two("收入增长", "290%"), None, "growth may pass 100 %");
        assert_eq!(comparator_read_as_two("支付时效", "2100%").as_deref(), Some("≥100%"), "no target is 2100 %");
        assert_eq!(comparator_read_as_two("覆盖率", "95%"), None);
        assert_eq!(comparator_read_as_two("覆盖率", "20%"), None, "a share of 0 % is none");
        assert_eq!(comparator_read_as_two("覆盖率", "25%"), None, "25 % is a share as printed");
    }

    fn quantity(text: &str) -> (Comparator, f64, Option<String>) {
        match parse_value(text) {
            ParsedValue::Quantity { comparator, number, unit } => (comparator, number, unit),
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn parses_quantities() {
        assert_eq!(quantity("≥95%"), (Comparator::Ge, 95.0, Some("%".into())));
        assert_eq!(quantity("≤ 59.64 万元"), (Comparator::Le, 59.64, Some("万元".into())));
        assert_eq!(quantity("280元/人/年"), (Comparator::Eq, 280.0, Some("元/人/年".into())));
        assert_eq!(quantity("不少于5000人"), (Comparator::Ge, 5000.0, Some("人".into())));
        assert_eq!(quantity("控制在0.1%以内"), (Comparator::Le, 0.1, Some("%".into())));
        assert_eq!(quantity("100﹪"), (Comparator::Eq, 100.0, Some("%".into())));
        assert_eq!(quantity("12个月"), (Comparator::Eq, 12.0, Some("个月".into())));
        assert_eq!(quantity("95%以上"), (Comparator::Ge, 95.0, Some("%".into())));
        // labels.toml's comparators, longest first: 大于等于 is not 大于 and a unit of 等于.
        assert_eq!(quantity("大于等于90%"), (Comparator::Ge, 90.0, Some("%".into())));
        assert_eq!(quantity("小于等于3天"), (Comparator::Le, 3.0, Some("天".into())));
        assert_eq!(quantity("大于90%"), (Comparator::Gt, 90.0, Some("%".into())));
    }

    #[test]
    fn keeps_text_as_text() {
        for text in ["有所提升", "2022年10月底前", "处置率达100%", "202201-12月", "按时间节点完成"] {
            assert!(matches!(parse_value(text), ParsedValue::Qualitative { .. }), "{text}");
        }
    }
}
