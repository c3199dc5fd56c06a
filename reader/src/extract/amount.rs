//! Money amounts as printed (`200,000`, `29.55`, `153.12　`, `368`) → yuan.
//!
//! Arithmetic is decimal, never floating point: 29.55 万元 is exactly
//! 295,500 yuan.

use crate::labels::Unit;

#[derive(Debug, PartialEq, Eq)]
pub enum AmountError {
    /// Thousands separators that do not group by three (`1,2,3`).
    BadGrouping(String),
    /// Not a number at all.
    NotANumber(String),
    /// More decimals than the unit allows (a fraction of a yuan).
    FractionOfYuan(String),
    /// Beyond [`MAX_PLAUSIBLE_YUAN`].
    TooLarge(String),
}

/// No project's budget comes near a trillion yuan (a whole province's
/// budget is a few); an amount beyond it is columns of digits run together
/// (`1001201101091.67` for 100 | 120 | 110 | 10 | 91.67 %), not money.
const MAX_PLAUSIBLE_YUAN: i128 = 1_000_000_000_000;

impl AmountError {
    pub fn message(&self) -> String {
        match self {
            AmountError::BadGrouping(t) => format!("金额“{t}”的千位分隔符位置不对，无法确定数值"),
            AmountError::NotANumber(t) => format!("金额“{t}”不是数字"),
            AmountError::FractionOfYuan(t) => format!("金额“{t}”精确到分以下，已四舍五入到元"),
            AmountError::TooLarge(t) => format!("金额“{t}”超过一万亿元，不像一个项目的金额（可能是几列数字连在了一起），未采用"),
        }
    }
}

/// What a money cell says.
#[derive(Debug, PartialEq, Eq)]
pub enum Amount {
    /// An amount in yuan; `rounded` when the printed value had fractions of
    /// a yuan, `in_numerals` when it was written in Chinese numerals (壹佰万).
    Yuan { yuan: i64, rounded: bool, in_numerals: bool },
    /// The cell says "nothing" (empty, —, 无).
    Blank,
}

/// Parses a money cell. A unit printed in the cell (`元`, `万元`, `万`)
/// overrides `unit`.
pub fn parse_amount(text: &str, unit: Unit) -> Result<Amount, AmountError> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace() && *c != '\u{3000}').collect();
    // What the amount is made of, in brackets after it (`854万(高标准农田建设
    // 400万元,示范建设295万元…)`), is a note, not the amount.
    let compact = match compact.find(['(', '（']) {
        Some(open) if open > 0 && compact[..open].starts_with(|c: char| c.is_ascii_digit()) && compact.ends_with([')', '）']) => compact[..open].to_string(),
        _ => compact,
    };
    // A cell whose amount is printed twice (`854万854万`, `6.306.30`: the
    // text of a merged cell and of its breakdown) says it once. Only where
    // the whole is no number (a unit or a second point inside it): `1212`
    // is an amount.
    let half = compact.len() / 2;
    let once = compact.get(..half).filter(|once| half > 0 && compact.len() % 2 == 0 && compact[half..] == **once);
    let whole_is_no_number = |once: &&str| once.ends_with(['万', '元']) || once.contains('.');
    let mut s = once.filter(|o| whole_is_no_number(o) && o.starts_with(|c: char| c.is_ascii_digit())).unwrap_or(compact.as_str());
    if s.is_empty() || matches!(s, "-" | "—" | "——" | "－" | "/" | "无" | "\\") {
        return Ok(Amount::Blank);
    }
    let mut unit = unit;
    for (suffix, u) in [("万元", Unit::WanYuan), ("万", Unit::WanYuan), ("元", Unit::Yuan)] {
        if let Some(rest) = s.strip_suffix(suffix) {
            s = rest;
            unit = u;
            break;
        }
    }
    if let Some(value) = super::numerals::parse_financial_numerals(s) {
        let yuan = value.saturating_mul(multiplier(unit));
        if i128::from(yuan) > MAX_PLAUSIBLE_YUAN {
            return Err(AmountError::TooLarge(text.trim().to_string()));
        }
        return Ok(Amount::Yuan { yuan, rounded: false, in_numerals: true });
    }
    let normalised: String = s
        .chars()
        .map(|c| match c {
            '，' => ',',
            '．' => '.',
            _ => c,
        })
        .collect();
    let s = normalised.as_str();
    let (integer, fraction) = match s.split_once('.') {
        Some((i, f)) => (i, f),
        None => (s, ""),
    };
    if integer.is_empty() && fraction.is_empty() {
        return Err(AmountError::NotANumber(text.trim().to_string()));
    }
    if !fraction.chars().all(|c| c.is_ascii_digit()) {
        return Err(AmountError::NotANumber(text.trim().to_string()));
    }
    let digits = ungroup(integer).ok_or_else(|| {
        if integer.chars().all(|c| c.is_ascii_digit() || c == ',') {
            AmountError::BadGrouping(text.trim().to_string())
        } else {
            AmountError::NotANumber(text.trim().to_string())
        }
    })?;
    let scale: u32 = match unit {
        Unit::Yuan => 0,
        Unit::WanYuan => 4,
    };
    // value = digits.fraction × 10^scale, computed on integers.
    let mut yuan: i128 = 0;
    for c in digits.chars() {
        yuan = yuan * 10 + c.to_digit(10).unwrap_or(0) as i128;
        if yuan > MAX_PLAUSIBLE_YUAN {
            // Stops hundreds of digits before they overflow.
            return Err(AmountError::TooLarge(text.trim().to_string()));
        }
    }
    let fraction_digits: Vec<u32> = fraction.chars().filter_map(|c| c.to_digit(10)).collect();
    let mut rounded = false;
    for i in 0..scale as usize {
        yuan = yuan * 10 + *fraction_digits.get(i).unwrap_or(&0) as i128;
    }
    let rest = fraction_digits.get(scale as usize..).unwrap_or(&[]);
    if rest.iter().any(|&d| d != 0) {
        rounded = true;
        if rest[0] >= 5 {
            yuan += 1;
        }
    }
    match i64::try_from(yuan) {
        Ok(yuan) if i128::from(yuan) <= MAX_PLAUSIBLE_YUAN => Ok(Amount::Yuan { yuan, rounded, in_numerals: false }),
        _ => Err(AmountError::TooLarge(text.trim().to_string())),
    }
}

fn multiplier(unit: Unit) -> i64 {
    match unit {
        Unit::Yuan => 1,
        Unit::WanYuan => 10_000,
    }
}

/// Removes thousands separators, checking they group by three.
fn ungroup(integer: &str) -> Option<String> {
    if integer.is_empty() {
        return Some("0".into());
    }
    if !integer.contains(',') {
        return integer.chars().all(|c| c.is_ascii_digit()).then(|| integer.to_string());
    }
    let groups: Vec<&str> = integer.split(',').collect();
    let first_ok = (1..=3).contains(&groups[0].len());
    let rest_ok = groups[1..].iter().all(|g| g.len() == 3);
    let digits_ok = groups.iter().all(|g| g.chars().all(|c| c.is_ascii_digit()));
    (first_ok && rest_ok && digits_ok).then(|| groups.concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yuan(text: &str, unit: Unit) -> i64 {
        match parse_amount(text, unit) {
            Ok(Amount::Yuan { yuan, .. }) => yuan,
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn converts_units_exactly() {
        assert_eq!(yuan("200,000", Unit::Yuan), 200_000);
        assert_eq!(yuan("29.55", Unit::WanYuan), 295_500);
        assert_eq!(yuan("153.12\u{3000}", Unit::WanYuan), 1_531_200);
        assert_eq!(yuan("6.3", Unit::WanYuan), 63_000);
        assert_eq!(yuan("3200.00", Unit::WanYuan), 32_000_000);
        assert_eq!(yuan("8万元", Unit::Yuan), 80_000);
        assert_eq!(yuan("1,443.38", Unit::WanYuan), 14_433_800);
    }

    #[test]
    fn an_amount_printed_twice_is_read_once() {
        assert_eq!(yuan("854万854万", Unit::Yuan), 8_540_000);
        assert_eq!(yuan("6.306.30", Unit::WanYuan), 63_000);
        assert_eq!(yuan("1212", Unit::Yuan), 1212, "a number whose digits repeat is that number");
        assert_eq!(yuan("854万854万(高标准农田建设400万元,示范建设295万元)", Unit::Yuan), 8_540_000, "a note of what it is made of");
    }

    #[test]
    fn rejects_broken_amounts() {
        assert!(matches!(parse_amount("1,2,3", Unit::Yuan), Err(AmountError::BadGrouping(_))));
        assert!(matches!(parse_amount("约二十", Unit::Yuan), Err(AmountError::NotANumber(_))));
        assert_eq!(parse_amount("", Unit::Yuan), Ok(Amount::Blank));
        assert_eq!(parse_amount("—", Unit::Yuan), Ok(Amount::Blank));
        // Columns run together (100 | 120 | 110 | 10 | 91.67) are no amount; a province's is.
        assert!(matches!(parse_amount("1001201101091.67", Unit::WanYuan), Err(AmountError::TooLarge(_))));
        assert!(matches!(parse_amount("9".repeat(400).as_str(), Unit::Yuan), Err(AmountError::TooLarge(_))));
        assert_eq!(yuan("8500000", Unit::WanYuan), 85_000_000_000);
        assert!(matches!(parse_amount("贰万亿元", Unit::Yuan), Err(AmountError::TooLarge(_))));
    }

    #[test]
    fn reads_financial_numerals() {
        assert_eq!(parse_amount("壹佰万", Unit::Yuan), Ok(Amount::Yuan { yuan: 1_000_000, rounded: false, in_numerals: true }));
        assert_eq!(yuan("壹佰万元", Unit::WanYuan), 1_000_000);
    }

    #[test]
    fn rounds_fractions_of_a_yuan() {
        assert_eq!(parse_amount("10.5", Unit::Yuan), Ok(Amount::Yuan { yuan: 11, rounded: true, in_numerals: false }));
        assert_eq!(parse_amount("1.23456", Unit::WanYuan), Ok(Amount::Yuan { yuan: 12_346, rounded: true, in_numerals: false }));
    }
}
