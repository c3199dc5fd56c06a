//! Character-level normalisation shared by extraction, indexing and queries.

/// Traditional → simplified table from OpenCC, delta-encoded (see `cargo
/// xtask t2s`): per entry, varint(traditional − previous traditional),
/// varint(zigzag(simplified − traditional)).
static T2S: &[u8] = include_bytes!("../data/t2s.bin");

/// The table decoded into sorted (traditional, simplified) pairs, once.
fn t2s_pairs() -> &'static [(u32, u32)] {
    static PAIRS: std::sync::OnceLock<Vec<(u32, u32)>> = std::sync::OnceLock::new();
    PAIRS.get_or_init(|| {
        let mut pairs = Vec::with_capacity(3000);
        let mut reader = crate::index::bytes::Reader::over(T2S);
        let mut previous = 0u64;
        while !reader.at_end() {
            let (Ok(delta), Ok(z)) = (reader.varint(), reader.varint()) else { break };
            let t = previous + delta;
            let d = ((z >> 1) as i64) ^ -((z & 1) as i64);
            pairs.push((t as u32, (t as i64 + d) as u32));
            previous = t;
        }
        pairs
    })
}

/// The simplified form of a traditional character (醫 → 医), or `c`.
pub fn simplify(c: char) -> char {
    let code = c as u32;
    if !(0x3400..=0xFFFF).contains(&code) {
        return c;
    }
    let pairs = t2s_pairs();
    match pairs.binary_search_by_key(&code, |p| p.0) {
        Ok(i) => char::from_u32(pairs[i].1).unwrap_or(c),
        Err(_) => c,
    }
}

/// Folds one character for matching: full-width ASCII to half-width, the
/// ideographic space to a space, Latin letters to lower case, traditional
/// characters to simplified.
///
/// Everything that compares text (the tokenizer, label matching in the
/// extractor, highlighting) goes through this one function, so a document
/// that prints `ＤＩＰ` is found by a user who types `dip`, and `醫療` by
/// `医疗`. One character always folds to one character, so positions in
/// folded text are positions in the original.
pub fn fold_char(c: char) -> char {
    let c = match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    if c.is_ascii_uppercase() {
        c.to_ascii_lowercase()
    } else if c.is_ascii() {
        c
    } else {
        simplify(c)
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
    fn folds_traditional_to_simplified() {
        let folded: String = "醫療 離休幹部 後".chars().map(fold_char).collect();
        assert_eq!(folded, "医疗 离休干部 后");
        // Simplified and other characters stay.
        assert_eq!(fold_char('医'), '医');
        assert_eq!(fold_char('😀'), '😀');
        // The table decodes whole, sorted, and every entry is found.
        let pairs = t2s_pairs();
        assert!(pairs.len() > 2900, "{} pairs", pairs.len());
        assert!(pairs.windows(2).all(|w| w[0].0 < w[1].0));
        for &(t, s) in pairs {
            assert_eq!(simplify(char::from_u32(t).unwrap()), char::from_u32(s).unwrap());
        }
    }

    #[test]
    fn recognises_han() {
        assert!(is_han('医'));
        assert!(!is_han('a'));
        assert!(!is_han('，'));
    }
}
