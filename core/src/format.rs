//! Numbers the Chinese way, shared by the app and the static pages.

/// An amount in yuan as a reader expects it: 596400 → `59.64 万元`,
/// 32000000 → `3200 万元`, 123000000 → `1.23 亿元`, 8600 → `8,600 元`.
pub fn yuan_zh(yuan: i64) -> String {
    let sign = if yuan < 0 { "-" } else { "" };
    let abs = yuan.unsigned_abs();
    if abs >= 100_000_000 {
        format!("{sign}{} 亿元", decimal(abs, 100_000_000))
    } else if abs >= 10_000 {
        format!("{sign}{} 万元", decimal(abs, 10_000))
    } else {
        format!("{sign}{} 元", grouped(abs))
    }
}

/// An amount in yuan as a plain number of 万元 (`295500` → `29.55`), for
/// inputs where the unit is printed beside the field.
pub fn wan(yuan: i64) -> String {
    let sign = if yuan < 0 { "-" } else { "" };
    format!("{sign}{}", decimal(yuan.unsigned_abs(), 10_000).replace(',', ""))
}

/// Reads a number of 万元 as typed (`29.55`, `1,000`, ` 3 `) into yuan,
/// with integer arithmetic (no float rounding); `None` if it is not one.
pub fn parse_wan(text: &str) -> Option<i64> {
    let text: String = text.trim().chars().filter(|&c| c != ',').collect();
    if !is_decimal(&text) {
        return None;
    }
    let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
    let whole: i64 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
    let mut frac_yuan = 0i64;
    for (i, c) in frac.chars().take(4).enumerate() {
        frac_yuan += (c as i64 - '0' as i64) * 10i64.pow(3 - i as u32);
    }
    whole.checked_mul(10_000)?.checked_add(frac_yuan)
}

/// Digits with at most one decimal point (`5`, `0.25`, `.5`): a number as
/// amounts and targets print. Checked by hand: a float parser would weigh
/// kilobytes in the app.
pub fn is_decimal(text: &str) -> bool {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    !(whole.is_empty() && fraction.is_empty()) && whole.chars().chain(fraction.chars()).all(|c| c.is_ascii_digit())
}

/// `value / unit` with up to four decimals, trailing zeros dropped.
fn decimal(value: u64, unit: u64) -> String {
    let whole = value / unit;
    let rest = value % unit;
    // Four decimals are exact for 万 (1 yuan = 0.0001 万); round for 亿.
    let scale = unit / 10_000;
    let frac = (rest + scale / 2) / scale.max(1);
    let (whole, frac) = if frac >= 10_000 { (whole + 1, 0) } else { (whole, frac) };
    if frac == 0 {
        grouped(whole)
    } else {
        let digits = format!("{frac:04}");
        format!("{}.{}", grouped(whole), digits.trim_end_matches('0'))
    }
}

/// Thousands separators: 1234567 → `1,234,567`.
pub fn grouped(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_a_reader_expects() {
        assert_eq!(yuan_zh(596_400), "59.64 万元");
        assert_eq!(yuan_zh(28_000), "2.8 万元");
        assert_eq!(yuan_zh(200_000), "20 万元");
        assert_eq!(yuan_zh(32_000_000), "3,200 万元");
        assert_eq!(yuan_zh(123_000_000), "1.23 亿元");
        assert_eq!(yuan_zh(8_600), "8,600 元");
        assert_eq!(yuan_zh(0), "0 元");
        assert_eq!(yuan_zh(295_500), "29.55 万元");
    }

    #[test]
    fn wan_round_trips() {
        assert_eq!(wan(295_500), "29.55");
        assert_eq!(wan(10_000_000), "1000");
        assert_eq!(parse_wan("29.55"), Some(295_500));
        assert_eq!(parse_wan(" 1,000 "), Some(10_000_000));
        assert_eq!(parse_wan(".5"), Some(5_000));
        assert_eq!(parse_wan("abc"), None);
        assert_eq!(parse_wan("-3"), None);
        assert_eq!(parse_wan(""), None);
    }
}
