//! Chinese numerals as used for amounts (壹佰万, 三千五百, 二十).

/// Parses a whole number written in Chinese numerals, financial (壹贰叁) or
/// ordinary (一二三). Returns `None` for anything else, including text that
/// merely contains numerals.
pub fn parse_financial_numerals(text: &str) -> Option<i64> {
    if text.is_empty() || !text.chars().all(|c| digit(c).is_some() || unit(c).is_some()) {
        return None;
    }
    let mut total: i64 = 0; // completed 亿 and 万 sections
    let mut section: i64 = 0; // below 万
    let mut number: i64 = 0; // the digit waiting for its unit
    let mut saw_digit = false;
    for c in text.chars() {
        if let Some(d) = digit(c) {
            number = d;
            saw_digit = true;
        } else if let Some(u) = unit(c) {
            match u {
                10 | 100 | 1000 => {
                    // 十 alone means ten.
                    let n = if number == 0 && !saw_digit { 1 } else { number };
                    section = section.checked_add(n.checked_mul(u)?)?;
                    number = 0;
                    saw_digit = false;
                }
                10_000 => {
                    let block = section.checked_add(number)?;
                    let block = if block == 0 { 1 } else { block };
                    total = total.checked_add(block.checked_mul(u)?)?;
                    section = 0;
                    number = 0;
                    saw_digit = false;
                }
                _ => {
                    let block = total.checked_add(section)?.checked_add(number)?;
                    let block = if block == 0 { 1 } else { block };
                    total = block.checked_mul(u)?;
                    section = 0;
                    number = 0;
                    saw_digit = false;
                }
            }
        }
    }
    total.checked_add(section)?.checked_add(number)
}

fn digit(c: char) -> Option<i64> {
    Some(match c {
        '零' | '〇' => 0,
        '壹' | '一' => 1,
        '贰' | '二' | '两' => 2,
        '叁' | '三' => 3,
        '肆' | '四' => 4,
        '伍' | '五' => 5,
        '陆' | '六' => 6,
        '柒' | '七' => 7,
        '捌' | '八' => 8,
        '玖' | '九' => 9,
        _ => return None,
    })
}

fn unit(c: char) -> Option<i64> {
    Some(match c {
        '拾' | '十' => 10,
        '佰' | '百' => 100,
        '仟' | '千' => 1000,
        '万' => 10_000,
        '亿' => 100_000_000,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_numerals() {
        assert_eq!(parse_financial_numerals("壹佰万"), Some(1_000_000));
        assert_eq!(parse_financial_numerals("三千五百"), Some(3_500));
        assert_eq!(parse_financial_numerals("十二"), Some(12));
        assert_eq!(parse_financial_numerals("贰拾万零伍佰"), Some(200_500));
        assert_eq!(parse_financial_numerals("一亿二千万"), Some(120_000_000));
        assert_eq!(parse_financial_numerals("约一百"), None);
        assert_eq!(parse_financial_numerals("100"), None);
    }
}
