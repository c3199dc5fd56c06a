//! Every constant that decides a result's place, in one module: the BM25
//! parameters and field weights the indexer bakes into each posting's
//! impact, and the query-time rules (phrase bonus, partial matches, the
//! order of hits). The ones that shape index files also go into the build
//! id, through [`crate::index::fingerprint`].

use std::cmp::Ordering;

use super::engine::Hit;
use crate::order::sort_by_u32;

/// Field weights for ranking (fields as in [`crate::index::docs::FIELDS`]):
/// name > department/region > indicators > body.
pub const FIELD_WEIGHTS: [f32; 4] = [4.0, 2.0, 1.5, 1.0];
/// BM25 term-frequency saturation, as tantivy and Lucene default.
pub const K1: f32 = 1.2;
/// BM25 length normalisation, as tantivy and Lucene default.
pub const B: f32 = 0.75;

/// Extra weight, at most, when a clause's tokens stand in the name as in
/// the query (scaled by the share of them that do).
pub const PHRASE_BONUS: f32 = 0.5;
/// A clause of more tokens matches and ranks by its rarest ones: a long
/// run is pinned down by a few rare bigrams, and common ones (医疗, 资金)
/// would cost large downloads for nothing.
pub const MAX_CLAUSE_TOKENS: usize = 6;
/// The share of a clause a document must cover with the clause's bigrams
/// it holds to match it partially, both in characters ("minimum should
/// match" grows with the run's length: 2 of 3 characters, 4 of 7, 4 of 8 …)
/// and in weight (characters weighted by the rarity of the bigrams covering
/// them, so that a common bigram such as 医疗 alone is not a meaningful part).
pub const MIN_SHOULD_MATCH: f32 = 0.5;
/// Partial matches are looked for while fewer documents than a first page
/// match in full: they complement full matches and always rank below them.
pub const PARTIAL_FILL: usize = 10;

/// Characters a partial match must cover out of a clause's `chars`.
pub fn min_should_match(chars: usize) -> usize {
    ((chars as f32 * MIN_SHOULD_MATCH).ceil() as usize).max(1)
}

/// How much a term tells: rarer terms weigh more in a clause's coverage.
/// An idf in whole bits (log2 of documents per match, plus one), integer
/// arithmetic only: a float logarithm would bring libm's into the wasm.
pub fn rarity(df: u32, doc_count: u32) -> f32 {
    (doc_count.max(1).ilog2() + 1).saturating_sub(df.max(1).ilog2()).max(1) as f32
}

/// The phrase bonus factor when `aligned` of a clause's `read` tokens
/// stand in the name as they do in the query.
pub fn phrase_factor(aligned: usize, read: usize) -> f32 {
    if read < 2 || aligned < 2 {
        1.0
    } else {
        1.0 + PHRASE_BONUS * aligned as f32 / read as f32
    }
}

/// The order of hits by relevance: full matches first; then more clauses
/// matched; then higher score (BM25 weighted by coverage); then document
/// order, so equal scores list stably.
pub fn by_relevance(a: &Hit, b: &Hit) -> Ordering {
    b.full
        .cmp(&a.full)
        .then(b.matched_clauses.cmp(&a.matched_clauses))
        .then(b.score.partial_cmp(&a.score).unwrap_or(Ordering::Equal))
        .then(a.doc.cmp(&b.doc))
}

/// Hits given in document order (as the engine collects them) in
/// [`by_relevance`] order, sorted in linear time: a broad query over 100k
/// projects has tens of thousands, and comparing them took a fifth of its
/// time. Stable passes from the last key to the first.
pub fn sort_by_relevance(mut hits: Vec<Hit>) -> Vec<Hit> {
    debug_assert!(hits.windows(2).all(|w| w[0].doc < w[1].doc), "hits in document order");
    sort_by_u32(&mut hits, &|h| !ordered_bits(h.score));
    sort_by_u32(&mut hits, &|h| !(u32::from(h.full) << 31 | h.matched_clauses.min(u32::MAX as usize >> 1) as u32));
    hits
}

/// A float's bits as an integer in the float's order (-0 is 0).
fn ordered_bits(x: f32) -> u32 {
    let bits = if x == 0.0 { 0 } else { x.to_bits() };
    if bits >> 31 == 1 {
        !bits
    } else {
        bits | 1 << 31
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::order::sort_by;

    #[test]
    fn the_linear_sort_keeps_the_order_of_relevance() {
        // Ties on every key but the document, equal scores, negative and zero scores.
        let mut hits = Vec::new();
        for doc in 0..300u32 {
            let score = [0.0, 1.5, -2.0, 1.5, 7.25, 0.001][doc as usize % 6] * (doc % 5) as f32;
            hits.push(Hit { doc, score, matched_clauses: (doc % 3) as usize, full: doc % 7 != 0 });
        }
        let mut expected = hits.clone();
        sort_by(&mut expected, &by_relevance);
        assert_eq!(sort_by_relevance(hits), expected);
    }

    #[test]
    fn minimum_should_match_grows_with_the_run() {
        // 医疗, 医疗费, 伤残军人, 离休干部医疗费, 医保经办人员培训.
        assert_eq!([2, 3, 4, 7, 8].map(min_should_match), [1, 2, 2, 4, 4]);
    }

    #[test]
    fn full_matches_rank_first_whatever_their_score() {
        let full = Hit { doc: 9, score: 0.1, matched_clauses: 1, full: true };
        let partial = Hit { doc: 1, score: 100.0, matched_clauses: 1, full: false };
        assert_eq!(by_relevance(&full, &partial), Ordering::Less);
        let more = Hit { doc: 2, score: 0.1, matched_clauses: 2, full: false };
        assert_eq!(by_relevance(&more, &partial), Ordering::Less);
        assert!(rarity(1, 1000) > rarity(500, 1000));
        assert_eq!((rarity(1, 1024), rarity(1024, 1024), rarity(5000, 1024)), (11.0, 1.0, 1.0));
        assert_eq!(phrase_factor(1, 5), 1.0);
        assert!(phrase_factor(5, 5) > phrase_factor(3, 5));
    }
}
