//! "Similar projects": for each record, the records whose text is most
//! alike (cosine of tf-idf vectors over the index's terms in the name,
//! indicator and body fields), computed once at build time from the
//! compiled postings.

use std::collections::{BTreeMap, HashMap};

use jixiao_core::index::docs::{FIELD_BODY, FIELD_INDICATORS, FIELD_NAME};
use jixiao_core::index::terms::TermPostings;
use jixiao_core::model::Record;

/// How many similar records each record lists.
pub const SIMILAR: usize = 5;
/// Terms in more documents than this say little about similarity and cost
/// quadratic time; they are skipped.
const MAX_DF: usize = 200;
/// Below this cosine two records are not called similar.
const MIN_COSINE: f64 = 0.08;

pub fn similar_projects(records: &[Record], terms: &BTreeMap<String, TermPostings>) -> Vec<Vec<usize>> {
    let n = records.len();
    let fields = [FIELD_NAME, FIELD_INDICATORS, FIELD_BODY];
    let mut norms = vec![0f64; n];
    let mut dots: HashMap<(u32, u32), f64> = HashMap::new();
    for (term, postings) in terms {
        // Unigrams match too broadly to mean anything here.
        if term.chars().count() < 2 {
            continue;
        }
        let mut weights: BTreeMap<u32, f64> = BTreeMap::new();
        for fp in postings.iter().filter(|fp| fields.contains(&fp.field)) {
            for (i, &doc) in fp.docs.iter().enumerate() {
                *weights.entry(doc).or_default() += fp.tf(i) as f64;
            }
        }
        let df = weights.len();
        if df < 2 || df > MAX_DF {
            for (&doc, &tf) in &weights {
                let idf = ((n as f64 + 1.0) / (df as f64 + 1.0)).ln();
                norms[doc as usize] += (tf.sqrt() * idf).powi(2);
            }
            continue;
        }
        let idf = ((n as f64 + 1.0) / (df as f64 + 1.0)).ln();
        let weighted: Vec<(u32, f64)> = weights.into_iter().map(|(d, tf)| (d, tf.sqrt() * idf)).collect();
        for (i, &(a, wa)) in weighted.iter().enumerate() {
            norms[a as usize] += wa * wa;
            for &(b, wb) in &weighted[i + 1..] {
                *dots.entry((a, b)).or_default() += wa * wb;
            }
        }
    }
    let mut best: Vec<Vec<(f64, usize)>> = vec![Vec::new(); n];
    for (&(a, b), &dot) in &dots {
        let (a, b) = (a as usize, b as usize);
        if records[a].kind != records[b].kind {
            continue;
        }
        let cosine = dot / (norms[a].sqrt() * norms[b].sqrt()).max(f64::MIN_POSITIVE);
        if cosine >= MIN_COSINE {
            best[a].push((cosine, b));
            best[b].push((cosine, a));
        }
    }
    best.into_iter()
        .map(|mut list| {
            list.sort_by(|x, y| y.0.partial_cmp(&x.0).unwrap_or(std::cmp::Ordering::Equal).then(x.1.cmp(&y.1)));
            list.into_iter().take(SIMILAR).map(|(_, d)| d).collect()
        })
        .collect()
}
