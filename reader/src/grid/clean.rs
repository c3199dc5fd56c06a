//! Cell text cleaning: the remnants that PDF/Word-to-text converters leave.
//!
//! - HTML formatting tags (`<p>`, `<br>`, `<span>` …) are dropped; a checkbox
//!   `<input type="checkbox" checked>` becomes ☑ and an unticked one ☐.
//!   Any other markup (`<script>`, `<img …>`) is *kept as literal text*: it
//!   is data, and the app renders data as text.
//! - LaTeX math (`$\geq 95\%$`) becomes the plain symbols (`≥95%`).
//! - Converter bookmarks (`[bookmark: _GoBack]`) are dropped.
//! - Whitespace (including U+3000 and NBSP) collapses to single spaces.
//! - OCR's letters inside numbers are digits again: `1OO%` → `100%`,
//!   `2O万兀` → `20万元` (a letter O or l after a digit and before anything
//!   but another Latin letter cannot be a letter; 兀 after 万 is 元).

use jixiao_core::text::is_han;

/// Tags a document converter emits for formatting, safe to drop.
const FORMATTING_TAGS: &[&str] = &["p", "br", "span", "div", "b", "i", "u", "em", "strong", "sup", "sub", "font"];

pub fn clean_cell(raw: &str) -> String {
    let text = strip_markup(raw);
    let text = replace_latex(&text);
    let text = drop_bookmarks(&text);
    repair_ocr_digits(&collapse_whitespace(&text))
}

/// See the module: letters OCR reads for digits, where only a digit fits.
pub fn repair_ocr_digits(text: &str) -> String {
    if !text.contains(['O', 'o', 'l', '兀']) {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<char> = Vec::with_capacity(chars.len());
    for (i, &c) in chars.iter().enumerate() {
        let digit = match c {
            'O' | 'o' => Some('0'),
            'l' => Some('1'),
            _ => None,
        };
        let after_digit = out.last().is_some_and(char::is_ascii_digit);
        // What follows: more digits (or letters read for them), or what ends a number.
        let next = chars[i + 1..].iter().find(|n| !matches!(n, 'O' | 'o' | 'l')).copied();
        // Anything but a Latin letter ends a number (a unit, `%`, a space).
        let ends_number = next.is_none_or(|n| !n.is_ascii_alphabetic());
        match digit {
            Some(d) if after_digit && ends_number => out.push(d),
            _ if c == '兀' && out.last() == Some(&'万') => out.push('元'),
            _ => out.push(c),
        }
    }
    out.into_iter().collect()
}

fn strip_markup(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        let Some(close) = after.find('>') else {
            out.push_str(after);
            return out;
        };
        let tag = &after[1..close];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name == "input" && tag.contains("checkbox") {
            out.push(if tag.contains("checked") { '☑' } else { '☐' });
        } else if FORMATTING_TAGS.contains(&name.as_str()) {
            // Paragraph and line breaks separate text; other tags do not.
            if matches!(name.as_str(), "p" | "br" | "div") {
                out.push(' ');
            }
        } else {
            out.push_str(&after[..=close]);
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    decode_entities(&out)
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&")
}

/// Replaces `$…$` math spans by plain text.
fn replace_latex(s: &str) -> String {
    if !s.contains('$') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut parts = s.split('$');
    out.push_str(parts.next().unwrap_or(""));
    let rest: Vec<&str> = parts.collect();
    // An odd number of `$` leaves the last one unpaired: keep it literally.
    let paired = rest.len() - rest.len() % 2;
    for (i, part) in rest.iter().enumerate() {
        if i >= paired {
            out.push('$');
            out.push_str(part);
        } else if i % 2 == 0 {
            out.push_str(&latex_to_text(part));
        } else {
            out.push_str(part);
        }
    }
    out
}

fn latex_to_text(math: &str) -> String {
    const COMMANDS: &[(&str, &str)] = &[
        ("\\geqslant", "≥"),
        ("\\leqslant", "≤"),
        ("\\geq", "≥"),
        ("\\leq", "≤"),
        ("\\ge", "≥"),
        ("\\le", "≤"),
        ("\\neq", "≠"),
        ("\\times", "×"),
        ("\\cdot", "·"),
        ("\\pm", "±"),
        ("\\sim", "~"),
        ("\\%", "%"),
        ("\\,", ""),
        ("\\;", ""),
        ("\\ ", ""),
    ];
    let mut text = math.to_string();
    for (command, symbol) in COMMANDS {
        text = text.replace(command, symbol);
    }
    let text: String = text.chars().filter(|c| !matches!(c, '{' | '}')).collect();
    // Math spacing is not text spacing: `\geq 95` reads `≥95`.
    text.split_whitespace().collect()
}

fn drop_bookmarks(s: &str) -> String {
    let mut out = s.to_string();
    while let Some(start) = out.find("[bookmark:") {
        match out[start..].find(']') {
            Some(end) => out.replace_range(start..start + end + 1, ""),
            None => break,
        }
    }
    out
}

/// Runs of whitespace (full-width and no-break spaces too) as one space.
pub(crate) fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Removes the spaces a line wrap or OCR put inside a short cell: any space
/// next to a Han character or CJK punctuation goes (`工资发放准 确率` →
/// `工资发放准确率`, `≥6 人` → `≥6人`); spaces between Latin words stay
/// (`DRG / DIP`).
pub fn compact(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let prev = out.chars().last();
            let next = chars.get(i + 1).copied();
            if prev.is_none_or(is_cjk) || next.is_none_or(is_cjk) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

fn is_cjk(c: char) -> bool {
    is_han(c) || matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFFEF) || "“”‘’《》、，。；：？！（）【】".contains(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkboxes_become_symbols() {
        assert_eq!(
            clean_cell(r#"座谈会 <input checked="" type="checkbox"/> 党委会 <input type="checkbox"/>"#),
            "座谈会 ☑ 党委会 ☐"
        );
    }

    #[test]
    fn formatting_tags_go_other_markup_stays() {
        assert_eq!(clean_cell("<p>一、职责</p><p>二、机构</p>"), "一、职责 二、机构");
        assert_eq!(clean_cell("<script>alert(1)</script>"), "<script>alert(1)</script>");
        assert_eq!(clean_cell("<img src=x onerror=alert(1)>"), "<img src=x onerror=alert(1)>");
    }

    #[test]
    fn latex_becomes_symbols() {
        assert_eq!(clean_cell(r"$\geq 95\%$"), "≥95%");
        assert_eq!(clean_cell(r"费用 $\leq 2000$ 元"), "费用 ≤2000 元");
        assert_eq!(clean_cell("单价$5"), "单价$5");
    }

    #[test]
    fn whitespace_collapses_and_bookmarks_go() {
        assert_eq!(clean_cell("[bookmark: _GoBack]填报人：\u{3000}鄢亮   电话"), "填报人： 鄢亮 电话");
    }

    #[test]
    fn ocr_letters_in_numbers_are_digits() {
        assert_eq!(clean_cell("1OO%"), "100%");
        assert_eq!(clean_cell("≤2O万兀"), "≤20万元");
        assert_eq!(clean_cell("项目资金（万兀）"), "项目资金（万元）");
        assert_eq!(clean_cell("12O0人"), "1200人");
        assert_eq!(clean_cell("≤3O分钟"), "≤30分钟");
        // Letters of words stay.
        assert_eq!(clean_cell("COVID-19 Online 2O21年"), "COVID-19 Online 2021年");
        assert_eq!(clean_cell("V1.0 lol 3lb"), "V1.0 lol 3lb");
    }

    #[test]
    fn compact_removes_wrap_spaces_only() {
        assert_eq!(compact("工资发放准 确率"), "工资发放准确率");
        assert_eq!(compact("每月 15 日 前按时发放"), "每月15日前按时发放");
        assert_eq!(compact("DRG / DIP 付费"), "DRG / DIP付费");
        assert_eq!(compact("≥ 12 次"), "≥ 12次");
    }
}
