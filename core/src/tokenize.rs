//! A dictionary-free tokenizer for Chinese text, identical at index and
//! query time.
//!
//! Runs of Han characters become overlapping bigrams plus unigrams (so a
//! one-character query still matches); runs of Latin letters and digits
//! become words (`DIP`, `28000`, `13082224P00079910001M`). Every character is
//! folded first (see [`crate::text::fold_char`]). Positions count Han
//! characters and words, so a bigram sits at the position of its first
//! character and a phrase is a run of consecutive positions.

use crate::text::{fold_char, is_han};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// One Han character.
    Unigram,
    /// Two consecutive Han characters.
    Bigram,
    /// A run of ASCII letters and digits.
    Word,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    pub position: u32,
    pub kind: TokenKind,
}

/// Longest word kept whole; longer runs are cut so one pathological input
/// cannot create a giant term.
pub const MAX_WORD_CHARS: usize = 40;

/// A maximal run of one script in folded text.
#[derive(Debug, PartialEq, Eq)]
enum Run {
    Han(Vec<char>),
    Word(String),
}

/// Splits folded text into Han runs and word runs; everything else separates.
fn runs(text: &str) -> Vec<Run> {
    let mut out = Vec::new();
    let mut han = Vec::new();
    let mut word = String::new();
    let mut word_chars = 0;
    let folded: Vec<char> = text.chars().map(fold_char).collect();
    for (i, &c) in folded.iter().enumerate() {
        // A thousands separator inside a number (`28,000`) is not a break:
        // users type `28000`.
        if c == ',' && word.ends_with(|p: char| p.is_ascii_digit()) && is_digit_group(&folded[i + 1..]) {
            continue;
        }
        if is_han(c) {
            if !word.is_empty() {
                out.push(Run::Word(std::mem::take(&mut word)));
                word_chars = 0;
            }
            han.push(c);
        } else if c.is_ascii_alphanumeric() {
            if !han.is_empty() {
                out.push(Run::Han(std::mem::take(&mut han)));
            }
            if word_chars == MAX_WORD_CHARS {
                out.push(Run::Word(std::mem::take(&mut word)));
                word_chars = 0;
            }
            word.push(c);
            word_chars += 1;
        } else {
            if !han.is_empty() {
                out.push(Run::Han(std::mem::take(&mut han)));
            }
            if !word.is_empty() {
                out.push(Run::Word(std::mem::take(&mut word)));
                word_chars = 0;
            }
        }
    }
    if !han.is_empty() {
        out.push(Run::Han(han));
    }
    if !word.is_empty() {
        out.push(Run::Word(word));
    }
    out
}

/// True when `rest` starts with exactly three digits followed by a non-digit.
fn is_digit_group(rest: &[char]) -> bool {
    rest.len() >= 3
        && rest[..3].iter().all(|c| c.is_ascii_digit())
        && !rest.get(3).is_some_and(|c| c.is_ascii_digit())
}

/// Index-time tokens: every unigram, every bigram, every word.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut position = 0u32;
    for run in runs(text) {
        match run {
            Run::Word(w) => {
                tokens.push(Token { text: w, position, kind: TokenKind::Word });
                position += 1;
            }
            Run::Han(chars) => {
                for (i, &c) in chars.iter().enumerate() {
                    let p = position + i as u32;
                    tokens.push(Token { text: c.to_string(), position: p, kind: TokenKind::Unigram });
                    if let Some(&next) = chars.get(i + 1) {
                        tokens.push(Token {
                            text: [c, next].iter().collect(),
                            position: p,
                            kind: TokenKind::Bigram,
                        });
                    }
                }
                position += chars.len() as u32;
            }
        }
    }
    tokens
}

/// Query-time tokens: a Han run of one character is a unigram, a longer run
/// is its chain of bigrams (which must then sit at consecutive positions to
/// form a phrase), a word is a word. Positions are relative to the query.
pub fn query_tokens(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut position = 0u32;
    for run in runs(text) {
        match run {
            Run::Word(w) => {
                tokens.push(Token { text: w, position, kind: TokenKind::Word });
                position += 1;
            }
            Run::Han(chars) if chars.len() == 1 => {
                tokens.push(Token { text: chars[0].to_string(), position, kind: TokenKind::Unigram });
                position += 1;
            }
            Run::Han(chars) => {
                for (i, pair) in chars.windows(2).enumerate() {
                    tokens.push(Token {
                        text: pair.iter().collect(),
                        position: position + i as u32,
                        kind: TokenKind::Bigram,
                    });
                }
                position += chars.len() as u32;
            }
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(tokens: &[Token]) -> Vec<(String, u32)> {
        tokens.iter().map(|t| (t.text.clone(), t.position)).collect()
    }

    #[test]
    fn han_runs_become_unigrams_and_bigrams() {
        let t = tokenize("驻村经费");
        assert_eq!(
            texts(&t),
            [("驻", 0), ("驻村", 0), ("村", 1), ("村经", 1), ("经", 2), ("经费", 2), ("费", 3)]
                .map(|(s, p)| (s.to_string(), p))
        );
    }

    #[test]
    fn words_and_codes_stay_whole() {
        let t = tokenize("DIP支付 13082224P00079910001M，28,000元");
        let words: Vec<_> = t.iter().filter(|t| t.kind == TokenKind::Word).map(|t| t.text.as_str()).collect();
        assert_eq!(words, ["dip", "13082224p00079910001m", "28000"]);
    }

    #[test]
    fn query_tokens_chain_bigrams() {
        let q = query_tokens("医疗救助");
        assert_eq!(texts(&q), [("医疗", 0), ("疗救", 1), ("救助", 2)].map(|(s, p)| (s.to_string(), p)));
        let one = query_tokens("卡");
        assert_eq!(one[0].kind, TokenKind::Unigram);
    }

    #[test]
    fn full_width_input_matches_half_width() {
        assert_eq!(query_tokens("ＤＩＰ")[0].text, "dip");
    }

    #[test]
    fn pathological_words_are_cut() {
        let long = "a".repeat(100);
        assert!(tokenize(&long).iter().all(|t| t.text.len() <= MAX_WORD_CHARS));
    }
}
