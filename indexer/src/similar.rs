//! "Similar projects": for each record, the records of the same kind whose
//! name and indicator names are most alike (cosine of tf-idf vectors over
//! their bigrams and words), computed once at build time.
//!
//! Candidates come from the postings of each record's rarest terms only, so
//! the work grows with the corpus, not with its square.

use std::collections::HashMap;

use jixiao_core::model::Record;
use jixiao_core::tokenize::{tokenize, TokenKind};

/// How many similar records each record lists.
pub const SIMILAR: usize = 5;
/// Terms per record that propose candidates (its rarest).
const PROPOSERS: usize = 6;
/// Terms in more records than this propose nothing (too common to mean much).
const MAX_DF: usize = 400;
/// Below this cosine two records are not called similar.
const MIN_COSINE: f64 = 0.15;

/// The terms (bigrams and words) of a record's name and indicator names.
fn terms(r: &Record) -> HashMap<String, f64> {
    let mut text = r.name.clone();
    for i in &r.indicators {
        text.push('\n');
        text.push_str(&i.name);
    }
    let mut tf: HashMap<String, f64> = HashMap::new();
    for t in tokenize(&text).into_iter().filter(|t| t.kind != TokenKind::Unigram) {
        *tf.entry(t.text).or_default() += 1.0;
    }
    tf
}

pub fn similar_projects(records: &[Record]) -> Vec<Vec<usize>> {
    let n = records.len();
    let vectors: Vec<HashMap<String, f64>> = records.iter().map(terms).collect();
    let mut postings: HashMap<&str, Vec<u32>> = HashMap::new();
    for (doc, v) in vectors.iter().enumerate() {
        for term in v.keys() {
            postings.entry(term.as_str()).or_default().push(doc as u32);
        }
    }
    let idf = |term: &str| ((n as f64 + 1.0) / (postings.get(term).map_or(0, Vec::len) as f64 + 1.0)).ln();
    // Weighted vectors and their norms.
    let weighted: Vec<HashMap<&str, f64>> =
        vectors.iter().map(|v| v.iter().map(|(t, tf)| (t.as_str(), tf.sqrt() * idf(t))).collect()).collect();
    let norms: Vec<f64> = weighted.iter().map(|v| v.values().map(|w| w * w).sum::<f64>().sqrt()).collect();
    (0..n)
        .map(|doc| {
            let mut proposers: Vec<(&str, usize)> = weighted[doc]
                .keys()
                .map(|&t| (t, postings[t].len()))
                .filter(|&(_, df)| (2..=MAX_DF).contains(&df))
                .collect();
            proposers.sort_by_key(|&(t, df)| (df, t));
            proposers.truncate(PROPOSERS);
            let mut candidates: Vec<u32> = proposers.iter().flat_map(|(t, _)| postings[t].iter().copied()).collect();
            candidates.sort_unstable();
            candidates.dedup();
            let mut scored: Vec<(f64, usize)> = candidates
                .into_iter()
                .map(|c| c as usize)
                .filter(|&c| c != doc && records[c].kind == records[doc].kind)
                .map(|c| {
                    let dot: f64 = weighted[doc].iter().filter_map(|(t, w)| weighted[c].get(t).map(|x| w * x)).sum();
                    (dot / (norms[doc] * norms[c]).max(f64::MIN_POSITIVE), c)
                })
                .filter(|&(cosine, _)| cosine >= MIN_COSINE)
                .collect();
            scored.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal).then(a.1.cmp(&b.1)));
            scored.into_iter().take(SIMILAR).map(|(_, c)| c).collect()
        })
        .collect()
}
