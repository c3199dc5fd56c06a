//! Character-level normalisation shared by extraction, indexing and queries.

/// Folds one character for matching: full-width ASCII to half-width, the
/// ideographic space to a space, Latin letters to lower case.
///
/// Everything that compares text (the tokenizer, label matching in the
/// extractor) goes through this one function, so a document that prints
/// `ＤＩＰ` is found by a user who types `dip`.
pub fn fold_char(c: char) -> char {
    let c = match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    if c.is_ascii_uppercase() {
        c.to_ascii_lowercase()
    } else {
        c
    }
}

/// True for characters the tokenizer treats as CJK ideographs.
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF      // Extension A
        | 0x4E00..=0x9FFF    // Unified Ideographs
        | 0xF900..=0xFAFF    // Compatibility Ideographs
        | 0x20000..=0x2FA1F) // Extensions B–F and compatibility supplement
}

/// The characters of a name that matter for comparing names: folded,
/// letters and digits only (punctuation and spaces dropped).
pub fn name_key(name: &str) -> Vec<char> {
    name.chars().map(fold_char).filter(|c| c.is_alphanumeric()).collect()
}

/// How alike two names are, from 0 to 1: the Dice coefficient of their
/// character bigrams. Used to recognise the same project or indicator
/// printed slightly differently (OCR, editing).
pub fn similarity(a: &str, b: &str) -> f64 {
    let (ka, kb) = (name_key(a), name_key(b));
    let bigrams = |k: &[char]| -> Vec<(char, char)> { k.windows(2).map(|w| (w[0], w[1])).collect() };
    let (x, y) = (bigrams(&ka), bigrams(&kb));
    if x.is_empty() || y.is_empty() {
        return if ka == kb { 1.0 } else { 0.0 };
    }
    let mut pool = y.clone();
    let mut common = 0;
    for g in &x {
        if let Some(i) = pool.iter().position(|p| p == g) {
            pool.swap_remove(i);
            common += 1;
        }
    }
    2.0 * common as f64 / (x.len() + y.len()) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_full_width_and_case() {
        let folded: String = "ＤＩＰ（２０２４）\u{3000}Abc".chars().map(fold_char).collect();
        assert_eq!(folded, "dip(2024) abc");
    }

    #[test]
    fn similar_names_score_high() {
        assert!(similarity("待遇保障和医药服务工作经费", "待遇保障和医药服务经费") > 0.8);
        assert!(similarity("驻村干部补助经费", "法律顾问服务费") < 0.2);
        assert_eq!(similarity("DIP", "dip"), 1.0);
    }

    #[test]
    fn recognises_han() {
        assert!(is_han('医'));
        assert!(!is_han('a'));
        assert!(!is_han('，'));
    }
}
