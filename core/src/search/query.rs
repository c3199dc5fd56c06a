//! Query text → clauses.
//!
//! - words separated by spaces are clauses that must all match (AND);
//! - `"quoted text"` must match as a phrase (consecutive positions);
//! - `-word` or `-"phrase"` excludes documents that match it;
//! - each clause may be written several ways (synonyms: 医保 ↔ 医疗保障),
//!   and matches if any of its spellings does.
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
        let tokens = query_tokens(&raw);
        if tokens.is_empty() {
            dropped |= !raw.is_empty();
            continue;
        }
        if clauses.len() == MAX_CLAUSES {
            notes.push(format!("检索词过多，只使用前 {MAX_CLAUSES} 个"));
            break;
        }
        let folded: String = raw.chars().map(fold_char).collect();
        let mut spellings = vec![folded.clone()];
        for variant in expand(&folded, synonyms) {
            if !spellings.contains(&variant) {
                spellings.push(variant);
            }
        }
        let alternatives = spellings.iter().map(|s| query_tokens(s)).filter(|t| !t.is_empty()).collect();
        clauses.push(Clause { text: raw, excluded, phrase, alternatives, spellings });
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
    fn expands_synonyms() {
        let groups = vec![vec!["医保".to_string(), "医疗保障".to_string()]];
        let q = parse("医保局", &groups);
        assert_eq!(q.clauses[0].spellings, ["医保局", "医疗保障局"]);
        assert_eq!(q.clauses[0].alternatives.len(), 2);
    }
}
