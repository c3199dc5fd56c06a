//! Query text → clauses.
//!
//! - words separated by spaces are clauses that must all match (AND);
//! - `"quoted text"` must match as a phrase (consecutive positions);
//! - `-word` or `-"phrase"` excludes documents that match it;
//! - each clause may be written several ways (synonyms: 医保 ↔ 医疗保障),
//!   and matches if any of its spellings does;
//! - a year (`2024年`) or an amount (`28000元`, `3万元`) inside the text is
//!   its own clause, matched by the record's year or annual amount as well
//!   as by the number in its text.
//!
//! Nothing a user types is an error: unpaired quotes, a lone minus,
//! punctuation or emoji are dropped with a note, and the remaining text is
//! searched.

use crate::text::fold_char;
use crate::tokenize::{query_tokens, Token};

/// Longest query processed; the rest is ignored (with a note).
pub const MAX_QUERY_CHARS: usize = 200;
/// Most clauses processed.
pub const MAX_CLAUSES: usize = 12;

#[derive(Clone, Debug, PartialEq)]
pub struct Clause {
    /// The clause as typed (without quotes or minus).
    pub text: String,
    pub excluded: bool,
    pub phrase: bool,
    /// Token sequences of each spelling (the typed one first).
    pub alternatives: Vec<Vec<Token>>,
    /// The spellings themselves, folded, for highlighting.
    pub spellings: Vec<String>,
    /// A year or an amount the clause stands for.
    pub value: Option<Value>,
}

/// What a number in a query means, by the unit typed after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value {
    /// `2024年`, `2024年度`, or a lone `2024`.
    Year(u16),
    /// `28000元`, `3万元`, `2.8万`, `1亿元`, in yuan.
    Yuan(i64),
}

impl Value {
    /// The number as the tokenizer sees it in a record's text.
    fn word(self) -> String {
        match self {
            Value::Year(y) => y.to_string(),
            Value::Yuan(y) => y.to_string(),
        }
    }
}

/// Years a lone four-digit number is taken for.
const YEARS: std::ops::RangeInclusive<u16> = 1990..=2099;

/// The units a number may be typed with, and how many yuan one is (0: a year).
const UNITS: [(&str, i64); 7] = [("年度", 0), ("年", 0), ("万元", 10_000), ("万", 10_000), ("亿元", 100_000_000), ("亿", 100_000_000), ("元", 1)];

/// Splits the years and amounts out of folded text: the text without them
/// (each replaced by a space), and each one as typed with its value.
fn take_values(folded: &str) -> (String, Vec<(String, Value)>) {
    let bytes = folded.as_bytes();
    let mut rest = String::new();
    let mut values = Vec::new();
    let mut i = 0;
    while let Some(c) = folded[i..].chars().next() {
        let in_word = i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'.');
        if !c.is_ascii_digit() || in_word {
            rest.push(c);
            i += c.len_utf8();
            continue;
        }
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b',' || bytes[i] == b'.') {
            i += 1;
        }
        let number = &folded[start..i];
        let unit = UNITS.iter().find(|(u, _)| folded[i..].starts_with(u));
        let alone = start == 0 && i == bytes.len();
        let value = match unit {
            Some(&(_, 0)) => year(number),
            None if alone => year(number),
            Some(&(_, per)) => yuan(number, per).map(Value::Yuan),
            None => None,
        };
        let end = i + if value.is_some() { unit.map_or(0, |(u, _)| u.len()) } else { 0 };
        match value {
            Some(value) => {
                values.push((folded[start..end].to_string(), value));
                rest.push(' ');
            }
            None => rest.push_str(&folded[start..end]),
        }
        i = end;
    }
    (rest, values)
}

/// Four digits of a year in [`YEARS`].
fn year(number: &str) -> Option<Value> {
    let y = u16::try_from(digits(number).filter(|_| number.len() == 4)?).ok()?;
    YEARS.contains(&y).then_some(Value::Year(y))
}

/// A decimal number of `unit` yuan, in whole yuan (`2.8` 万 → 28000,
/// `28,000` 元 → 28000).
fn yuan(number: &str, unit: i64) -> Option<i64> {
    let point = number.bytes().position(|b| b == b'.').unwrap_or(number.len());
    let (whole, fraction) = (&number[..point], number.get(point + 1..).unwrap_or(""));
    if whole.is_empty() || fraction.bytes().any(|b| b == b'.') || fraction.len() > 8 {
        return None;
    }
    let scale = 10i64.checked_pow(fraction.len() as u32)?;
    let value = digits(whole)?.checked_mul(scale)?.checked_add(digits(fraction).unwrap_or(0))?.checked_mul(unit)?;
    (value % scale == 0).then(|| value / scale)
}

/// The value of a run of ASCII digits with thousands separators (`None`
/// when empty, malformed or too large). By hand: `str::parse` would bring
/// its own code per integer type into the wasm.
fn digits(text: &str) -> Option<i64> {
    if text.is_empty() {
        return None;
    }
    text.bytes().filter(|&b| b != b',').try_fold(0i64, |n, b| if b.is_ascii_digit() { n.checked_mul(10)?.checked_add(i64::from(b - b'0')) } else { None })
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Query {
    pub clauses: Vec<Clause>,
    /// Notes for the user about what was ignored.
    pub notes: Vec<String>,
}

impl Query {
    pub fn is_empty(&self) -> bool {
        self.clauses.iter().all(|c| c.excluded)
    }

    pub fn required(&self) -> impl Iterator<Item = &Clause> {
        self.clauses.iter().filter(|c| !c.excluded)
    }

    /// Every term the query may look up.
    pub fn terms(&self) -> Vec<String> {
        let terms: std::collections::BTreeSet<String> =
            self.clauses.iter().flat_map(|c| c.alternatives.iter().flatten().map(|t| t.text.clone())).collect();
        terms.into_iter().collect()
    }
}

/// Splits typed text into raw clauses: (text, excluded, phrase).
fn split(text: &str, notes: &mut Vec<String>) -> Vec<(String, bool, bool)> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let excluded = matches!(c, '-' | '－') && chars.get(i + 1).is_some_and(|n| !n.is_whitespace());
        if excluded {
            i += 1;
        }
        if matches!(chars.get(i), Some('"' | '“' | '”' | '「' | '『')) {
            let start = i + 1;
            let end = chars[start..].iter().position(|c| matches!(c, '"' | '“' | '”' | '」' | '』')).map(|p| start + p);
            match end {
                Some(end) => {
                    out.push((chars[start..end].iter().collect(), excluded, true));
                    i = end + 1;
                }
                None => {
                    notes.push("引号未配对，已按普通词语检索".into());
                    let rest: String = chars[start..].iter().collect();
                    for word in rest.split_whitespace() {
                        out.push((word.to_string(), excluded, false));
                    }
                    i = chars.len();
                }
            }
            continue;
        }
        let start = i;
        while i < chars.len() && !chars[i].is_whitespace() && !matches!(chars[i], '"' | '“' | '”') {
            i += 1;
        }
        out.push((chars[start..i].iter().collect(), excluded, false));
    }
    out
}

/// Parses typed text; `synonyms` are groups of interchangeable spellings.
pub fn parse(text: &str, synonyms: &[Vec<String>]) -> Query {
    let mut notes = Vec::new();
    let text: String = if text.chars().count() > MAX_QUERY_CHARS {
        notes.push(format!("检索词过长，只使用前 {MAX_QUERY_CHARS} 个字"));
        text.chars().take(MAX_QUERY_CHARS).collect()
    } else {
        text.to_string()
    };
    let mut clauses = Vec::new();
    let mut dropped = false;
    for (raw, excluded, phrase) in split(&text, &mut notes) {
        let folded: String = raw.chars().map(fold_char).collect();
        // A quoted phrase or an exclusion is taken as typed.
        let (rest, values) = if phrase || excluded { (folded.clone(), Vec::new()) } else { take_values(&folded) };
        let clause = |text: String, spellings: Vec<String>, value: Option<Value>| Clause {
            alternatives: spellings.iter().map(|s| query_tokens(s)).filter(|t| !t.is_empty()).collect(),
            text,
            excluded,
            phrase,
            spellings,
            value,
        };
        // A year or an amount is found in text by its number.
        let mut pieces: Vec<Clause> = values.into_iter().map(|(typed, value)| clause(typed, vec![value.word()], Some(value))).collect();
        let rest = rest.trim();
        if query_tokens(rest).is_empty() {
            dropped |= !rest.is_empty();
        } else {
            let text = if rest == folded { raw.clone() } else { rest.to_string() };
            let mut spellings = vec![rest.to_string()];
            for variant in expand(rest, synonyms) {
                if !spellings.contains(&variant) {
                    spellings.push(variant);
                }
            }
            pieces.insert(0, clause(text, spellings, None));
        }
        if clauses.len() + pieces.len() > MAX_CLAUSES {
            notes.push(format!("检索词过多，只使用前 {MAX_CLAUSES} 个"));
            break;
        }
        clauses.extend(pieces);
    }
    if dropped {
        notes.push("已忽略无法检索的符号".into());
    }
    Query { clauses, notes }
}

/// Every spelling obtained by replacing one synonym with another.
fn expand(folded: &str, synonyms: &[Vec<String>]) -> Vec<String> {
    let mut out = Vec::new();
    for group in synonyms {
        for member in group {
            let member_folded: String = member.chars().map(fold_char).collect();
            if member_folded.is_empty() || !folded.contains(&member_folded) {
                continue;
            }
            for other in group.iter().filter(|o| *o != member) {
                let other_folded: String = other.chars().map(fold_char).collect();
                out.push(folded.replace(&member_folded, &other_folded));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clauses(q: &Query) -> Vec<(&str, bool, bool)> {
        q.clauses.iter().map(|c| (c.text.as_str(), c.excluded, c.phrase)).collect()
    }

    #[test]
    fn parses_words_phrases_and_exclusions() {
        let q = parse("兴隆县 \"专项检查\" -培训", &[]);
        assert_eq!(clauses(&q), [("兴隆县", false, false), ("专项检查", false, true), ("培训", true, false)]);
    }

    #[test]
    fn survives_bad_input() {
        assert!(parse("", &[]).is_empty());
        assert!(parse("-", &[]).is_empty());
        assert!(parse("！？。…… 😀", &[]).clauses.is_empty());
        assert!(!parse("！？。…… 😀", &[]).notes.is_empty());
        let q = parse("\"驻村 经费", &[]);
        assert_eq!(clauses(&q), [("驻村", false, false), ("经费", false, false)]);
        assert!(!q.notes.is_empty());
        let long = "医".repeat(10_000);
        let q = parse(&long, &[]);
        assert_eq!(q.clauses.len(), 1);
        assert!(!q.notes.is_empty());
    }

    #[test]
    fn years_and_amounts_are_clauses_of_their_own() {
        let q = parse("2022年驻村经费 28,000元 3万元 2.8万 2024年度 2024", &[]);
        let values: Vec<_> = q.clauses.iter().map(|c| (c.text.as_str(), c.value)).collect();
        assert_eq!(
            values,
            [
                ("驻村经费", None),
                ("2022年", Some(Value::Year(2022))),
                ("28,000元", Some(Value::Yuan(28_000))),
                ("3万元", Some(Value::Yuan(30_000))),
                ("2.8万", Some(Value::Yuan(28_000))),
                ("2024年度", Some(Value::Year(2024))),
                ("2024", Some(Value::Year(2024))),
            ]
        );
        // Each is found in text by its number too.
        assert_eq!(q.clauses[3].alternatives[0][0].text, "30000");
        // Numbers that are neither stay text: codes, other units, a phrase.
        for text in ["13082224P00079910001M", "3年", "\"2024年\"", "12345年"] {
            assert!(parse(text, &[]).clauses.iter().all(|c| c.value.is_none()), "{text}");
        }
    }

    #[test]
    fn expands_synonyms() {
        let groups = vec![vec!["医保".to_string(), "医疗保障".to_string()]];
        let q = parse("医保局", &groups);
        assert_eq!(q.clauses[0].spellings, ["医保局", "医疗保障局"]);
        assert_eq!(q.clauses[0].alternatives.len(), 2);
    }
}
