//! The query engine: clauses → ranked, filtered documents with facet counts.
//!
//! Ranking is BM25 per field (k1 = 1.2, b = 0.75, per-field document
//! frequencies and average lengths, as tantivy computes it), weighted by
//! field (name > department/region > indicators > body), plus a bonus when
//! a clause's tokens stand next to each other (phrase/proximity). A
//! document must match every clause; when none does, the documents that
//! match most clauses are returned, marked as partial matches.

use std::collections::{HashMap, HashSet};

use crate::index::bytes::DecodeError;
use crate::index::columns::Columns;
use crate::index::manifest::Manifest;
use crate::index::terms::{TermPostings, TermShard};
use crate::model::{FundSource, Kind};
use crate::order::sort_by;
use crate::tokenize::Token;

use super::query::{Clause, Query};

const K1: f32 = 1.2;
const B: f32 = 0.75;
/// Extra weight when a clause's tokens appear consecutively in a field.
const PHRASE_BONUS: f32 = 0.5;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    #[default]
    Relevance,
    Amount,
    Year,
}

impl Sort {
    pub fn key(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Amount => "amount",
            Sort::Year => "year",
        }
    }

    pub fn from_key(key: &str) -> Option<Sort> {
        match key {
            "relevance" => Some(Sort::Relevance),
            "amount" => Some(Sort::Amount),
            "year" => Some(Sort::Year),
            _ => None,
        }
    }
}

/// Filters a user combined; empty means no filter.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filters {
    /// A GB/T 2260 code: a province (`140000`) or city (`140900`) code
    /// selects everything under it.
    pub region: Option<String>,
    pub department: Option<String>,
    pub unit: Option<String>,
    pub fund: Option<FundSource>,
    pub year: Option<u16>,
    pub kind: Option<Kind>,
    pub min_yuan: Option<i64>,
    pub max_yuan: Option<i64>,
}

/// Does a region code lie within the selected region code?
pub fn region_within(code: &str, selected: &str) -> bool {
    let prefix = selected.trim_end_matches("00");
    let prefix = if prefix.len() % 2 == 1 { &selected[..prefix.len() + 1] } else { prefix };
    code.starts_with(prefix)
}

impl Filters {
    fn accepts(&self, columns: &Columns, doc: u32, skip: Option<Facet>) -> bool {
        let row = &columns.rows[doc as usize];
        let region_ok = skip == Some(Facet::Region)
            || self.region.as_deref().is_none_or(|selected| {
                columns.region(doc).and_then(|r| r.code.as_deref()).is_some_and(|code| region_within(code, selected))
            });
        let department_ok =
            skip == Some(Facet::Department) || self.department.as_deref().is_none_or(|d| columns.department(doc) == Some(d));
        let unit_ok = skip == Some(Facet::Unit) || self.unit.as_deref().is_none_or(|u| columns.unit(doc) == Some(u));
        let fund_ok = skip == Some(Facet::Fund) || self.fund.is_none_or(|f| row.has_fund(f));
        let year_ok = skip == Some(Facet::Year) || self.year.is_none_or(|y| row.year == Some(y));
        let kind_ok = self.kind.is_none_or(|k| row.kind == k);
        let amount_ok = (self.min_yuan.is_none() && self.max_yuan.is_none())
            || row.total_yuan.is_some_and(|t| self.min_yuan.is_none_or(|m| t >= m) && self.max_yuan.is_none_or(|m| t <= m));
        region_ok && department_ok && unit_ok && fund_ok && year_ok && kind_ok && amount_ok
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Facet {
    Region,
    Department,
    Unit,
    Fund,
    Year,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Hit {
    pub doc: u32,
    pub score: f32,
    /// How many of the query's clauses the document matches.
    pub matched_clauses: usize,
}

/// Counts per facet value among the documents the query matches (each
/// facet counted with every filter but its own, so a user sees what
/// choosing another value would give).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FacetCounts {
    /// By region code, for provinces, cities and counties alike.
    pub regions: HashMap<String, usize>,
    pub departments: Vec<(String, usize)>,
    pub units: Vec<(String, usize)>,
    pub funds: Vec<(FundSource, usize)>,
    pub years: Vec<(u16, usize)>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct SearchResults {
    pub hits: Vec<Hit>,
    /// No document matched every clause: these match some.
    pub partial: bool,
    pub facets: FacetCounts,
    pub notes: Vec<String>,
}

/// The loaded index: manifest, columns and whichever term shards arrived.
pub struct Searcher {
    pub manifest: Manifest,
    pub columns: Columns,
    /// Reward clauses whose tokens stand together (on by default; off, the
    /// ranking is plain field-weighted BM25, as tantivy computes it).
    pub phrase_bonus: bool,
    shards: HashMap<usize, TermShard>,
    postings_cache: HashMap<String, TermPostings>,
}

impl Searcher {
    pub fn new(manifest: Manifest, columns: Columns) -> Searcher {
        Searcher { manifest, columns, phrase_bonus: true, shards: HashMap::new(), postings_cache: HashMap::new() }
    }

    /// Shards the query needs that are not loaded yet.
    pub fn missing_shards(&self, query: &Query) -> Vec<usize> {
        let needed: std::collections::BTreeSet<usize> =
            query.terms().iter().filter_map(|t| self.manifest.shard_for(t)).filter(|s| !self.shards.contains_key(s)).collect();
        needed.into_iter().collect()
    }

    pub fn add_shard(&mut self, index: usize, bytes: &[u8]) -> Result<(), DecodeError> {
        let shard = TermShard::decode(bytes, self.manifest.doc_count)?;
        self.shards.insert(index, shard);
        Ok(())
    }

    pub fn loaded_shards(&self) -> usize {
        self.shards.len()
    }

    fn postings(&mut self, term: &str) -> Result<Option<&TermPostings>, DecodeError> {
        if !self.postings_cache.contains_key(term) {
            let Some(shard) = self.manifest.shard_for(term).and_then(|i| self.shards.get(&i)) else {
                return Ok(None);
            };
            match shard.postings(term)? {
                Some(p) => {
                    self.postings_cache.insert(term.to_string(), p);
                }
                None => return Ok(None),
            }
        }
        Ok(self.postings_cache.get(term))
    }

    /// Runs a query. Shards it needs must have been added (see
    /// [`Searcher::missing_shards`]); a missing shard reads as no match.
    pub fn search(&mut self, query: &Query, filters: &Filters, sort: Sort) -> Result<SearchResults, DecodeError> {
        let doc_count = self.columns.doc_count() as u32;
        let mut notes = query.notes.clone();
        // Score of every document for every required clause.
        let required: Vec<&Clause> = query.required().collect();
        let mut per_clause: Vec<HashMap<u32, f32>> = Vec::with_capacity(required.len());
        for clause in &required {
            per_clause.push(self.match_clause(clause)?);
        }
        let mut excluded: HashSet<u32> = HashSet::new();
        for clause in query.clauses.iter().filter(|c| c.excluded) {
            excluded.extend(self.match_clause(clause)?.into_keys());
        }

        let mut matched: HashMap<u32, (f32, usize)> = HashMap::new();
        if required.is_empty() {
            for doc in 0..doc_count {
                matched.insert(doc, (0.0, 0));
            }
        } else {
            for scores in &per_clause {
                for (&doc, &score) in scores {
                    let entry = matched.entry(doc).or_insert((0.0, 0));
                    entry.0 += score;
                    entry.1 += 1;
                }
            }
        }
        matched.retain(|doc, _| !excluded.contains(doc));
        let full = required.len();
        let mut partial = false;
        if full > 0 {
            let any_full = matched.values().any(|&(_, n)| n == full);
            if any_full {
                matched.retain(|_, &mut (_, n)| n == full);
            } else if !matched.is_empty() {
                partial = true;
                notes.push("没有同时包含全部检索词的项目，以下为部分匹配的结果".into());
            }
        }

        let facets = self.facet_counts(&matched, filters);
        let mut hits: Vec<Hit> = matched
            .into_iter()
            .filter(|(doc, _)| filters.accepts(&self.columns, *doc, None))
            .map(|(doc, (score, n))| Hit { doc, score, matched_clauses: n })
            .collect();
        let rows = &self.columns.rows;
        sort_by(&mut hits, &|a, b| {
            let (ra, rb) = (&rows[a.doc as usize], &rows[b.doc as usize]);
            let by_relevance = b
                .matched_clauses
                .cmp(&a.matched_clauses)
                .then(b.score.partial_cmp(&a.score).unwrap_or(std::cmp::Ordering::Equal));
            match sort {
                Sort::Relevance => by_relevance,
                Sort::Amount => rb.total_yuan.cmp(&ra.total_yuan).then(by_relevance),
                Sort::Year => rb.year.cmp(&ra.year).then(by_relevance),
            }
            .then(a.doc.cmp(&b.doc))
        });
        Ok(SearchResults { hits, partial, facets, notes })
    }

    /// Documents matching a clause (any of its spellings), with scores.
    fn match_clause(&mut self, clause: &Clause) -> Result<HashMap<u32, f32>, DecodeError> {
        let mut best: HashMap<u32, f32> = HashMap::new();
        for tokens in &clause.alternatives {
            for (doc, score) in self.match_tokens(tokens, clause.phrase)? {
                let entry = best.entry(doc).or_insert(0.0);
                *entry = entry.max(score);
            }
        }
        Ok(best)
    }

    /// Documents containing every token (consecutively if `phrase`).
    fn match_tokens(&mut self, tokens: &[Token], phrase: bool) -> Result<HashMap<u32, f32>, DecodeError> {
        let mut lists: Vec<TermPostings> = Vec::with_capacity(tokens.len());
        for token in tokens {
            match self.postings(&token.text)? {
                Some(p) => lists.push(p.clone()),
                None => return Ok(HashMap::new()),
            }
        }
        // Documents containing every token, in any field.
        let mut candidates: Option<HashSet<u32>> = None;
        for list in &lists {
            let docs: HashSet<u32> = list.iter().flat_map(|fp| fp.docs.iter().copied()).collect();
            candidates = Some(match candidates {
                None => docs,
                Some(c) => c.intersection(&docs).copied().collect(),
            });
        }
        let candidates = candidates.unwrap_or_default();
        let n = self.columns.doc_count() as f32;
        let fields = &self.manifest.fields;
        let mut out = HashMap::new();
        for doc in candidates {
            let mut score = 0.0;
            for list in &lists {
                for fp in list {
                    let Ok(i) = fp.docs.binary_search(&doc) else { continue };
                    let field = fp.field as usize;
                    let info = &fields[field.min(fields.len() - 1)];
                    let df = fp.docs.len() as f32;
                    let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
                    let tf = fp.tf(i) as f32;
                    let len = self.columns.lengths.get(field).and_then(|l| l.get(doc as usize)).copied().unwrap_or(0) as f32;
                    let norm = K1 * (1.0 - B + B * len / info.average_length.max(1.0));
                    score += info.weight * idf * tf * (K1 + 1.0) / (tf + norm);
                }
            }
            let adjacent = consecutive_fields(&lists, tokens, doc);
            if phrase && adjacent.is_empty() && tokens.len() > 1 {
                continue;
            }
            if self.phrase_bonus && tokens.len() > 1 {
                if let Some(&field) = adjacent.iter().min() {
                    score *= 1.0 + PHRASE_BONUS * fields[field as usize].weight / fields[0].weight.max(1.0);
                }
            }
            out.insert(doc, score);
        }
        Ok(out)
    }

    fn facet_counts(&self, matched: &HashMap<u32, (f32, usize)>, filters: &Filters) -> FacetCounts {
        let mut counts = FacetCounts::default();
        let mut departments: HashMap<&str, usize> = HashMap::new();
        let mut units: HashMap<&str, usize> = HashMap::new();
        let mut funds: HashMap<FundSource, usize> = HashMap::new();
        let mut years: HashMap<u16, usize> = HashMap::new();
        let columns = &self.columns;
        for &doc in matched.keys() {
            let row = &columns.rows[doc as usize];
            if filters.accepts(columns, doc, Some(Facet::Region)) {
                if let Some(code) = columns.region(doc).and_then(|r| r.code.as_deref()) {
                    for level in region_levels(code) {
                        *counts.regions.entry(level).or_default() += 1;
                    }
                }
            }
            if filters.accepts(columns, doc, Some(Facet::Department)) {
                if let Some(d) = columns.department(doc) {
                    *departments.entry(d).or_default() += 1;
                }
            }
            if filters.accepts(columns, doc, Some(Facet::Unit)) {
                if let Some(u) = columns.unit(doc) {
                    *units.entry(u).or_default() += 1;
                }
            }
            if filters.accepts(columns, doc, Some(Facet::Fund)) {
                for source in FundSource::ALL {
                    if row.has_fund(source) {
                        *funds.entry(source).or_default() += 1;
                    }
                }
            }
            if filters.accepts(columns, doc, Some(Facet::Year)) {
                if let Some(y) = row.year {
                    *years.entry(y).or_default() += 1;
                }
            }
        }
        let sorted = |m: HashMap<&str, usize>| {
            let mut v: Vec<(String, usize)> = m.into_iter().map(|(k, n)| (k.to_string(), n)).collect();
            sort_by(&mut v, &by_count);
            v
        };
        counts.departments = sorted(departments);
        counts.units = sorted(units);
        counts.funds = FundSource::ALL.iter().filter_map(|s| funds.get(s).map(|&n| (*s, n))).collect();
        let mut years: Vec<(u16, usize)> = years.into_iter().collect();
        sort_by(&mut years, &|a, b| b.0.cmp(&a.0));
        counts.years = years;
        counts
    }
}

/// Facet values by count, most first, then by name.
pub fn by_count(a: &(String, usize), b: &(String, usize)) -> std::cmp::Ordering {
    b.1.cmp(&a.1).then(a.0.cmp(&b.0))
}

/// The province, city and county codes a county code lies within.
pub fn region_levels(code: &str) -> Vec<String> {
    if code.len() != 6 {
        return vec![code.to_string()];
    }
    let mut levels = vec![format!("{}0000", &code[..2])];
    if &code[2..4] != "00" {
        levels.push(format!("{}00", &code[..4]));
    }
    if &code[4..] != "00" {
        levels.push(code.to_string());
    }
    levels
}

/// Fields in which the tokens occur at their relative query positions.
fn consecutive_fields(lists: &[TermPostings], tokens: &[Token], doc: u32) -> Vec<u8> {
    if tokens.len() < 2 {
        return Vec::new();
    }
    let mut fields = Vec::new();
    let Some(first) = lists.first() else { return fields };
    for fp in first {
        let Ok(i) = fp.docs.binary_search(&doc) else { continue };
        let starts = &fp.positions[i];
        let found = starts.iter().any(|&start| {
            tokens.iter().zip(lists).skip(1).all(|(token, list)| {
                let offset = token.position - tokens[0].position;
                list.iter().filter(|other| other.field == fp.field).any(|other| {
                    other
                        .docs
                        .binary_search(&doc)
                        .is_ok_and(|j| other.positions[j].binary_search(&(start + offset)).is_ok())
                })
            })
        });
        if found {
            fields.push(fp.field);
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_nest() {
        assert!(region_within("130822", "130000"));
        assert!(region_within("130822", "130800"));
        assert!(region_within("130822", "130822"));
        assert!(!region_within("140900", "130000"));
        assert!(region_within("140900", "140900"));
        assert_eq!(region_levels("130822"), ["130000", "130800", "130822"]);
        assert_eq!(region_levels("140900"), ["140000", "140900"]);
    }
}
