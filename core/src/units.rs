//! Target values as quantities that can be compared: `≤2万元` and
//! `≤20000元` are the same target, `≥95%` and `≥ 95 %` too. A value is
//! brought to its unit's base (元, 人, …) by the factor its unit's prefix
//! names; units without a known prefix stay as printed.

use crate::model::{Comparator, Indicator, ParsedValue};

/// A target value in its base unit.
#[derive(Clone, Debug, PartialEq)]
pub struct Quantity {
    pub comparator: Comparator,
    /// The number in the base unit (`2万元` → 20000).
    pub number: f64,
    /// The base unit (`元`), or the unit as printed; empty for a bare number.
    pub unit: String,
    /// The number as printed (`2`), for display and downloads.
    pub printed: String,
}

/// Prefixes of a unit and their factors: `万元` is 10,000 `元`.
const PREFIXES: [(char, f64); 4] = [('亿', 1e8), ('万', 1e4), ('千', 1e3), ('百', 1e2)];

/// Splits a unit into its base and factor (`万元` → `元`, 10000).
pub fn base_unit(unit: &str) -> (String, f64) {
    let unit: String = unit.chars().filter(|c| !c.is_whitespace()).collect();
    let unit = unit.replace('％', "%");
    let mut chars = unit.chars();
    if let (Some(first), rest) = (chars.next(), chars.as_str()) {
        if !rest.is_empty() {
            if let Some(&(_, factor)) = PREFIXES.iter().find(|(p, _)| *p == first) {
                return (rest.to_string(), factor);
            }
        }
    }
    (unit, 1.0)
}

/// The first number in printed text (`≥95.5%` → `95.5`).
fn printed_number(text: &str) -> String {
    let start = text.find(|c: char| c.is_ascii_digit());
    start
        .map(|s| text[s..].chars().take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',').collect::<String>())
        .map(|n| n.trim_end_matches(['.', ',']).to_string())
        .unwrap_or_default()
}

impl Quantity {
    /// The indicator's target as a quantity, if it was read as one.
    pub fn of(i: &Indicator) -> Option<Quantity> {
        let Some(ParsedValue::Quantity { comparator, number, unit }) = &i.parsed else { return None };
        let (unit, factor) = base_unit(unit.as_deref().unwrap_or(""));
        Some(Quantity { comparator: *comparator, number: number * factor, unit, printed: printed_number(i.value.as_deref().unwrap_or("")) })
    }

    /// The same target: same comparator, unit and number (to a millionth).
    pub fn same_as(&self, other: &Quantity) -> bool {
        self.comparator == other.comparator
            && self.unit == other.unit
            && (self.number - other.number).abs() <= 1e-6 * self.number.abs().max(other.number.abs()).max(1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quantity(value: &str, comparator: Comparator, number: f64, unit: &str) -> Quantity {
        let i = Indicator {
            value: Some(value.into()),
            parsed: Some(ParsedValue::Quantity { comparator, number, unit: Some(unit.into()) }),
            ..Default::default()
        };
        Quantity::of(&i).unwrap()
    }

    #[test]
    fn units_are_brought_to_their_base() {
        let a = quantity("≤2万元", Comparator::Le, 2.0, "万元");
        let b = quantity("≤20000元", Comparator::Le, 20000.0, "元");
        assert!(a.same_as(&b), "{a:?} {b:?}");
        assert_eq!((a.unit.as_str(), a.printed.as_str()), ("元", "2"));
        assert!(!a.same_as(&quantity("≥2万元", Comparator::Ge, 2.0, "万元")));
        assert!(quantity("≥95%", Comparator::Ge, 95.0, "%").same_as(&quantity("≥ 95 ％", Comparator::Ge, 95.0, "％")));
        assert_eq!(base_unit("万"), ("万".to_string(), 1.0), "a unit that is only a prefix stays");
        assert_eq!(base_unit("个"), ("个".to_string(), 1.0));
    }
}
