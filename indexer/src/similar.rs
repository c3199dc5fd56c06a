//! "Similar projects": for each record, the records of the same kind whose
//! name and indicator names are most alike (cosine of tf-idf vectors over
//! their bigrams and words), computed once at build time.
//!
//! Candidates come from the postings of each record's rarest terms only,
//! ranked first by the weight of those shared terms; the full cosine is
//! computed for the best few. The work grows with the corpus, not with its
//! square, and records are compared in parallel.

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

/// Candidates per record whose full cosine is computed.
const SHORTLIST: usize = 30;

/// A tf-idf vector: (term number, weight), sorted by term number.
type Vector = Vec<(u32, f32)>;

fn dot(a: &Vector, b: &Vector) -> f32 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

/// Records whose terms are counted at once (in parallel): bounds the
/// memory of the terms' strings to one batch.
const BATCH: usize = 8192;

pub fn similar_projects(records: &[&Record]) -> Vec<Vec<usize>> {
    use rayon::prelude::*;
    let n = records.len();
    // Each record's terms as (term number, count). Numbered in first-seen
    // order, each record's terms sorted, so that ties break the same way in
    // every build (the build id hashes the output).
    let mut numbers: HashMap<String, u32> = HashMap::new();
    let mut postings: Vec<Vec<u32>> = Vec::new();
    let mut counts: Vec<Vec<(u32, f32)>> = Vec::with_capacity(n);
    for (b, batch) in records.chunks(BATCH).enumerate() {
        let batch_terms: Vec<HashMap<String, f64>> = batch.par_iter().map(|r| terms(r)).collect();
        for (i, v) in batch_terms.into_iter().enumerate() {
            let doc = (b * BATCH + i) as u32;
            let mut v: Vec<(String, f64)> = v.into_iter().collect();
            v.sort_unstable_by(|x, y| x.0.cmp(&y.0));
            let mut numbered = Vec::with_capacity(v.len());
            for (term, tf) in v {
                let next = numbers.len() as u32;
                let t = *numbers.entry(term).or_insert(next);
                if t as usize == postings.len() {
                    postings.push(Vec::new());
                }
                postings[t as usize].push(doc);
                numbered.push((t, tf as f32));
            }
            counts.push(numbered);
        }
    }
    drop(numbers);
    let idf = |t: u32| ((n as f64 + 1.0) / (postings[t as usize].len() as f64 + 1.0)).ln() as f32;
    let vectors: Vec<Vector> = counts
        .into_iter()
        .map(|v| {
            let mut vector: Vector = v.into_iter().map(|(t, tf)| (t, tf.sqrt() * idf(t))).collect();
            vector.sort_unstable_by_key(|&(t, _)| t);
            let norm = vector.iter().map(|(_, w)| w * w).sum::<f32>().sqrt().max(f32::MIN_POSITIVE);
            vector.iter_mut().for_each(|(_, w)| *w /= norm);
            vector
        })
        .collect();
    (0..n)
        .into_par_iter()
        .map(|doc| {
            let mut proposers: Vec<(usize, u32, f32)> = vectors[doc]
                .iter()
                .map(|&(t, w)| (postings[t as usize].len(), t, w))
                .filter(|&(df, _, _)| (2..=MAX_DF).contains(&df))
                .collect();
            proposers.sort_unstable_by_key(|&(df, t, _)| (df, t));
            proposers.truncate(PROPOSERS);
            // Partial scores from the proposing terms alone.
            let mut partial: HashMap<u32, f32> = HashMap::new();
            for &(_, t, w) in &proposers {
                let weight_in = |c: u32| vectors[c as usize].binary_search_by_key(&t, |&(x, _)| x).map_or(0.0, |i| vectors[c as usize][i].1);
                for &c in &postings[t as usize] {
                    if c as usize != doc && records[c as usize].kind == records[doc].kind {
                        *partial.entry(c).or_default() += w * weight_in(c);
                    }
                }
            }
            let mut shortlist: Vec<(f32, u32)> = partial.into_iter().map(|(c, s)| (s, c)).collect();
            shortlist.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            shortlist.truncate(SHORTLIST);
            let mut scored: Vec<(f32, usize)> = shortlist
                .into_iter()
                .map(|(_, c)| (dot(&vectors[doc], &vectors[c as usize]), c as usize))
                .filter(|&(cosine, _)| cosine as f64 >= MIN_COSINE)
                .collect();
            scored.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            scored.into_iter().take(SIMILAR).map(|(_, c)| c).collect()
        })
        .collect()
}
