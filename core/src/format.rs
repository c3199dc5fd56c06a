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
        if i > 0 && (digits.len() - i) % 3 == 0 {
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
}
