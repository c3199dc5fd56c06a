//! The query engine: clauses → ranked, filtered documents with facet counts.
//!
//! Ranking is field-weighted BM25 (k1 = 1.2, b = 0.75, per-field document
//! frequencies and average lengths, as tantivy computes it), computed at
//! build time into each posting's impact, plus a bonus when a clause's
//! tokens stand next to each other in the name. A document must match every
//! clause; when none does, the documents that match most clauses are
//! returned, marked as partial matches.
//!
//! The engine reads only what a query needs and says what is missing: a
//! search returns [`SearchError::Missing`] with the files to fetch (the
//! dictionary pages of its terms, then the chunks of large postings lists,
//! then the column blocks of the matching documents); the caller fetches
//! them, adds them with [`Searcher::add_file`] and searches again. Natively
//! the files are read from disk, in the browser fetched in parallel.

use std::collections::BTreeSet;

// Document numbers and block numbers are keys in every hot loop of a
// query; SipHash's flood resistance buys nothing for them and cost a third
// of a 45,000-match query's time. One hasher everywhere also keeps a
// second hash map implementation out of the wasm bundle.
pub use rustc_hash::FxHashMap;
use rustc_hash::FxHashSet;

use crate::index::bytes::DecodeError;
use crate::index::codec;
use crate::index::columns::{AmountBlock, ColumnBlock};
use crate::index::dict::{DictEntry, DictPage, PostingsRef};
use crate::index::ids::IdsPage;
use crate::index::manifest::Manifest;
use crate::index::overview::{Overview, Tally};
use crate::index::postings::{chunk_blob, decode_list, Posting, NAME_BIT, OTHER_FIELDS};
use crate::index::FileId;
use crate::model::{FundSource, Kind, Region};
use crate::order::sort_by;
use crate::tokenize::Token;

use super::query::{Clause, Query};

/// Extra weight when a clause's tokens stand together in the name.
const PHRASE_BONUS: f32 = 0.5;
/// A clause of more tokens matches and ranks by its rarest ones: a long
/// phrase is pinned down by a few rare bigrams, and common ones (医疗, 资金)
/// would cost large downloads for nothing.
pub const MAX_CLAUSE_TOKENS: usize = 6;
/// Values kept per facet.
pub const FACET_LIMIT: usize = 50;

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
    code.starts_with(region_prefix(selected))
}

fn region_prefix(selected: &str) -> &str {
    let trimmed = selected.trim_end_matches("00");
    if trimmed.len() % 2 == 1 {
        &selected[..trimmed.len() + 1]
    } else {
        trimmed
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

impl Filters {
    fn is_empty(&self) -> bool {
        *self == Filters::default()
    }

    fn filters_amount(&self) -> bool {
        self.min_yuan.is_some() || self.max_yuan.is_some()
    }

    /// Does the document pass every filter (but `skip`)? `amount` is its
    /// annual amount, when the filters need it.
    fn accepts(&self, block: &ColumnBlock, amount: Option<i64>, doc: u32, skip: Option<Facet>) -> bool {
        let Some(row) = block.row(doc) else { return false };
        let region_ok = skip == Some(Facet::Region)
            || self.region.as_deref().is_none_or(|selected| {
                block.region(doc).and_then(|r| r.code.as_deref()).is_some_and(|code| region_within(code, selected))
            });
        let department_ok =
            skip == Some(Facet::Department) || self.department.as_deref().is_none_or(|d| block.department(doc) == Some(d));
        let unit_ok = skip == Some(Facet::Unit) || self.unit.as_deref().is_none_or(|u| block.unit(doc) == Some(u));
        let fund_ok = skip == Some(Facet::Fund) || self.fund.is_none_or(|f| row.has_fund(f));
        let year_ok = skip == Some(Facet::Year) || self.year.is_none_or(|y| row.year == Some(y));
        let kind_ok = self.kind.is_none_or(|k| row.kind == k);
        let amount_ok = !self.filters_amount()
            || amount.is_some_and(|t| self.min_yuan.is_none_or(|m| t >= m) && self.max_yuan.is_none_or(|m| t <= m));
        region_ok && department_ok && unit_ok && fund_ok && year_ok && kind_ok && amount_ok
    }
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
/// choosing another value would give), most first, at most
/// [`FACET_LIMIT`] values each.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FacetCounts {
    /// By region code, for provinces, cities and counties alike.
    pub regions: FxHashMap<String, usize>,
    /// Names of the region codes counted.
    pub region_names: FxHashMap<String, String>,
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

#[derive(Clone, Debug, PartialEq)]
pub enum SearchError {
    /// Fetch these files, add them, and ask again.
    Missing(Vec<FileId>),
    /// A file could not be decoded.
    Decode(FileId, DecodeError),
}

/// The loaded parts of an index.
pub struct Searcher {
    pub manifest: Manifest,
    /// Reward clauses whose tokens stand together in the name (on by
    /// default; off, the ranking is plain field-weighted BM25).
    pub phrase_bonus: bool,
    dict: FxHashMap<u32, DictPage>,
    chunks: FxHashMap<u32, Vec<u8>>,
    columns: FxHashMap<u32, ColumnBlock>,
    amounts: FxHashMap<u32, AmountBlock>,
    ids: FxHashMap<u32, IdsPage>,
    overview: Option<Overview>,
    postings_cache: FxHashMap<String, Vec<Posting>>,
}

/// Fails with the files still missing, if any.
fn require(missing: BTreeSet<FileId>) -> Result<(), SearchError> {
    if missing.is_empty() {
        Ok(())
    } else {
        Err(SearchError::Missing(missing.into_iter().collect()))
    }
}

impl Searcher {
    pub fn new(manifest: Manifest) -> Searcher {
        Searcher {
            manifest,
            phrase_bonus: true,
            dict: FxHashMap::default(),
            chunks: FxHashMap::default(),
            columns: FxHashMap::default(),
            amounts: FxHashMap::default(),
            ids: FxHashMap::default(),
            overview: None,
            postings_cache: FxHashMap::default(),
        }
    }

    pub fn doc_count(&self) -> u32 {
        self.manifest.doc_count
    }

    /// Decodes and keeps a fetched file (summaries and records are the
    /// caller's to keep).
    pub fn add_file(&mut self, id: FileId, bytes: &[u8]) -> Result<(), DecodeError> {
        let build = self.manifest.build.clone();
        match id {
            FileId::Dict(n) => {
                self.dict.insert(n, DictPage::decode(bytes, &build)?);
            }
            FileId::Postings(n) => {
                self.chunks.insert(n, chunk_blob(bytes, &build)?);
            }
            FileId::Columns(n) => {
                let block = ColumnBlock::decode(bytes, &build)?;
                if block.first_doc != n * self.manifest.columns.size {
                    return Err(DecodeError::Malformed("columns block number"));
                }
                self.columns.insert(n, block);
            }
            FileId::Amounts(n) => {
                let block = AmountBlock::decode(bytes, &build)?;
                if block.first_doc != n * self.manifest.columns.size {
                    return Err(DecodeError::Malformed("amounts block number"));
                }
                self.amounts.insert(n, block);
            }
            FileId::Ids(n) => {
                self.ids.insert(n, IdsPage::decode(bytes, &build, self.manifest.doc_count)?);
            }
            FileId::Overview => {
                self.overview = Some(codec::decode_data(codec::OVERVIEW_MAGIC, &build, bytes)?);
            }
            FileId::Docs(_) | FileId::Records(_) | FileId::Place(_) => {}
        }
        Ok(())
    }

    pub fn has_file(&self, id: FileId) -> bool {
        match id {
            FileId::Dict(n) => self.dict.contains_key(&n),
            FileId::Postings(n) => self.chunks.contains_key(&n),
            FileId::Columns(n) => self.columns.contains_key(&n),
            FileId::Amounts(n) => self.amounts.contains_key(&n),
            FileId::Ids(n) => self.ids.contains_key(&n),
            FileId::Overview => self.overview.is_some(),
            FileId::Docs(_) | FileId::Records(_) | FileId::Place(_) => false,
        }
    }

    /// The document of a record id (or of an alias of a merged printing).
    pub fn doc_of(&self, id: &str) -> Result<Option<u32>, SearchError> {
        let Some(page) = self.manifest.ids_page(id) else { return Ok(None) };
        match self.ids.get(&page) {
            Some(p) => Ok(p.doc_of(id)),
            None => Err(SearchError::Missing(vec![FileId::Ids(page)])),
        }
    }

    /// Totals over every record (start page, overview charts).
    pub fn overview(&self) -> Result<&Overview, SearchError> {
        self.overview.as_ref().ok_or(SearchError::Missing(vec![FileId::Overview]))
    }

    /// The column block of a document, if loaded.
    pub fn block_of(&self, doc: u32) -> Option<&ColumnBlock> {
        self.columns.get(&self.manifest.columns_block(doc))
    }

    /// The annual amount of a document, if its block is loaded.
    pub fn amount_of(&self, doc: u32) -> Option<i64> {
        self.amounts.get(&self.manifest.columns_block(doc))?.amount(doc)
    }

    fn accepts(&self, filters: &Filters, doc: u32, skip: Option<Facet>) -> bool {
        self.block_of(doc).is_some_and(|b| filters.accepts(b, self.amount_of(doc), doc, skip))
    }

    fn entry(&self, term: &str) -> Result<Option<&DictEntry>, FileId> {
        let Some(page) = self.manifest.dict_page(term) else { return Ok(None) };
        match self.dict.get(&page) {
            Some(p) => Ok(p.entries.get(term)),
            None => Err(FileId::Dict(page)),
        }
    }

    /// The tokens of a spelling that matching uses (the rarest when there
    /// are many), or `None` when a token is not in the index at all.
    fn chosen<'t>(&self, tokens: &'t [Token]) -> Result<Option<Vec<&'t Token>>, FileId> {
        let mut with_df = Vec::with_capacity(tokens.len());
        for t in tokens {
            match self.entry(&t.text)? {
                Some(e) => with_df.push((e.df, t)),
                None => return Ok(None),
            }
        }
        if with_df.len() > MAX_CLAUSE_TOKENS {
            sort_by(&mut with_df, &|a, b| a.0.cmp(&b.0));
            with_df.truncate(MAX_CLAUSE_TOKENS);
            sort_by(&mut with_df, &|a, b| a.1.position.cmp(&b.1.position));
        }
        Ok(Some(with_df.into_iter().map(|(_, t)| t).collect()))
    }

    fn postings(&mut self, term: &str) -> Result<Option<&[Posting]>, SearchError> {
        if !self.postings_cache.contains_key(term) {
            let entry = match self.entry(term) {
                Ok(Some(e)) => e.clone(),
                Ok(None) => return Ok(None),
                Err(file) => return Err(SearchError::Missing(vec![file])),
            };
            let (bytes, file) = match &entry.postings {
                PostingsRef::Inline(bytes) => (bytes.clone(), FileId::Dict(self.manifest.dict_page(term).unwrap_or(0))),
                PostingsRef::Chunk { chunk, offset, len } => {
                    let blob = self.chunks.get(chunk).ok_or(SearchError::Missing(vec![FileId::Postings(*chunk)]))?;
                    let range = *offset as usize..(*offset as usize).saturating_add(*len as usize);
                    let bytes = blob.get(range).ok_or(SearchError::Decode(FileId::Postings(*chunk), DecodeError::Truncated))?;
                    (bytes.to_vec(), FileId::Postings(*chunk))
                }
            };
            let list = decode_list(&bytes, self.manifest.doc_count).map_err(|e| SearchError::Decode(file, e))?;
            if list.len() != entry.df as usize {
                return Err(SearchError::Decode(file, DecodeError::Malformed("document frequency")));
            }
            self.postings_cache.insert(term.to_string(), list);
        }
        Ok(self.postings_cache.get(term).map(Vec::as_slice))
    }

    /// Every file the query's terms need that is not loaded: dictionary
    /// pages first (they decide which postings are needed), then chunks.
    fn require_terms(&self, query: &Query) -> Result<(), SearchError> {
        let mut missing = BTreeSet::new();
        for token in query.clauses.iter().flat_map(|c| c.alternatives.iter().flatten()) {
            if let Err(file) = self.entry(&token.text) {
                missing.insert(file);
            }
        }
        require(std::mem::take(&mut missing))?;
        for clause in &query.clauses {
            for tokens in &clause.alternatives {
                let Ok(Some(chosen)) = self.chosen(tokens) else { continue };
                for t in chosen {
                    if let Ok(Some(DictEntry { postings: PostingsRef::Chunk { chunk, .. }, .. })) = self.entry(&t.text) {
                        if !self.chunks.contains_key(chunk) {
                            missing.insert(FileId::Postings(*chunk));
                        }
                    }
                }
            }
        }
        require(missing)
    }

    /// Runs a query; [`SearchError::Missing`] names the files to add first.
    pub fn search(&mut self, query: &Query, filters: &Filters, sort: Sort) -> Result<SearchResults, SearchError> {
        let mut notes = query.notes.clone();
        let required: Vec<&Clause> = query.required().collect();

        // Before any query or filter: every record, counted at build time.
        if required.is_empty() && filters.is_empty() && sort == Sort::Relevance && query.clauses.is_empty() {
            let facets = facets_of_overview(self.overview()?);
            let hits = (0..self.doc_count()).map(|doc| Hit { doc, score: 0.0, matched_clauses: 0 }).collect();
            return Ok(SearchResults { hits, partial: false, facets, notes });
        }

        self.require_terms(query)?;
        let mut per_clause: Vec<FxHashMap<u32, f32>> = Vec::with_capacity(required.len());
        for clause in &required {
            per_clause.push(self.match_clause(clause)?);
        }
        let mut excluded: FxHashSet<u32> = FxHashSet::default();
        for clause in query.clauses.iter().filter(|c| c.excluded) {
            excluded.extend(self.match_clause(clause)?.into_keys());
        }

        let mut matched: FxHashMap<u32, (f32, usize)> = FxHashMap::default();
        if required.is_empty() {
            for doc in 0..self.doc_count() {
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
            if matched.values().any(|&(_, n)| n == full) {
                matched.retain(|_, &mut (_, n)| n == full);
            } else if !matched.is_empty() {
                partial = true;
                notes.push("没有同时包含全部检索词的项目，以下为部分匹配的结果".into());
            }
        }

        // In document order, which is (region, department, unit, year)
        // order: facet values come in runs.
        let mut matched: Vec<Hit> = matched.into_iter().map(|(doc, (score, n))| Hit { doc, score, matched_clauses: n }).collect();
        matched.sort_unstable_by_key(|h| h.doc);

        // The column blocks of every matched document (and their amounts,
        // to sort or filter by amount).
        let with_amounts = sort == Sort::Amount || filters.filters_amount();
        let mut missing = BTreeSet::new();
        for hit in &matched {
            let block = self.manifest.columns_block(hit.doc);
            if !self.columns.contains_key(&block) {
                missing.insert(FileId::Columns(block));
            }
            if with_amounts && !self.amounts.contains_key(&block) {
                missing.insert(FileId::Amounts(block));
            }
        }
        require(missing)?;

        let facets = self.facet_counts(&matched, filters);
        let hits: Vec<Hit> = if filters.is_empty() {
            matched
        } else {
            matched.into_iter().filter(|h| self.accepts(filters, h.doc, None)).collect()
        };
        // Each hit's secondary key once, not per comparison.
        let secondary = |doc: u32| -> i64 {
            match sort {
                Sort::Relevance => 0,
                Sort::Amount => self.amount_of(doc).unwrap_or(i64::MIN),
                Sort::Year => self.block_of(doc).and_then(|b| b.row(doc)).and_then(|r| r.year).map_or(-1, i64::from),
            }
        };
        let mut keyed: Vec<(i64, Hit)> = hits.into_iter().map(|h| (secondary(h.doc), h)).collect();
        sort_by(&mut keyed, &|(ka, a), (kb, b)| {
            kb.cmp(ka)
                .then(b.matched_clauses.cmp(&a.matched_clauses))
                .then(b.score.partial_cmp(&a.score).unwrap_or(std::cmp::Ordering::Equal))
                .then(a.doc.cmp(&b.doc))
        });
        let hits = keyed.into_iter().map(|(_, hit)| hit).collect();
        Ok(SearchResults { hits, partial, facets, notes })
    }

    /// Documents matching a clause (its best-scoring spelling), with scores.
    fn match_clause(&mut self, clause: &Clause) -> Result<FxHashMap<u32, f32>, SearchError> {
        let mut best: FxHashMap<u32, f32> = FxHashMap::default();
        for tokens in &clause.alternatives {
            let chosen = match self.chosen(tokens) {
                Ok(Some(c)) => c.into_iter().cloned().collect::<Vec<Token>>(),
                Ok(None) => continue,
                Err(file) => return Err(SearchError::Missing(vec![file])),
            };
            for (doc, score) in self.match_tokens(&chosen, clause.phrase)? {
                let entry = best.entry(doc).or_insert(0.0);
                *entry = entry.max(score);
            }
        }
        Ok(best)
    }

    /// Documents containing every token, scored by their impacts; with
    /// `phrase`, the tokens must stand together in the name, or all occur
    /// in one other field.
    fn match_tokens(&mut self, tokens: &[Token], phrase: bool) -> Result<FxHashMap<u32, f32>, SearchError> {
        let mut scales: Vec<f32> = Vec::with_capacity(tokens.len());
        for token in tokens {
            match self.entry(&token.text) {
                Ok(Some(e)) => scales.push(e.scale),
                Ok(None) => return Ok(FxHashMap::default()),
                Err(file) => return Err(SearchError::Missing(vec![file])),
            }
            // Decoded into the cache here; borrowed below, not copied.
            if self.postings(&token.text)?.is_none() {
                return Ok(FxHashMap::default());
            }
        }
        let lists: Vec<(f32, &[Posting])> = tokens
            .iter()
            .zip(scales)
            .filter_map(|(token, scale)| self.postings_cache.get(&token.text).map(|list| (scale, list.as_slice())))
            .collect();
        // Walk the shortest list; find each document in the others.
        let Some(shortest) = (0..lists.len()).min_by_key(|&i| lists[i].1.len()) else { return Ok(FxHashMap::default()) };
        let mut out = FxHashMap::default();
        'docs: for p in lists[shortest].1.iter() {
            let mut found: Vec<&Posting> = Vec::with_capacity(lists.len());
            for (_, list) in lists.iter() {
                match list.binary_search_by_key(&p.doc, |q| q.doc) {
                    Ok(i) => found.push(&list[i]),
                    Err(_) => continue 'docs,
                }
            }
            let mut score: f32 = lists.iter().zip(&found).map(|((scale, _), q)| scale * q.impact as f32 / 255.0).sum();
            if tokens.len() > 1 {
                let in_name = adjacent_in_name(tokens, &found);
                if phrase && !in_name {
                    // A posting from the set part of a long list may be in any field but the name.
                    let fields = |q: &Posting| if q.fields & OTHER_FIELDS != 0 { !NAME_BIT } else { q.fields };
                    let common = found.iter().fold(0xffu8, |m, q| m & fields(q)) & !NAME_BIT;
                    if common == 0 {
                        continue;
                    }
                }
                if in_name && self.phrase_bonus {
                    score *= 1.0 + PHRASE_BONUS;
                }
            }
            out.insert(p.doc, score);
        }
        Ok(out)
    }

    /// Facet counts over the matched documents, in document order: region,
    /// department and unit come in runs, so they are tallied per run, not
    /// per document.
    fn facet_counts(&self, matched: &[Hit], filters: &Filters) -> FacetCounts {
        let mut counts = FacetCounts::default();
        let mut regions: RunTally<&Region> = RunTally::default();
        let mut departments: RunTally<&str> = RunTally::default();
        let mut units: RunTally<&str> = RunTally::default();
        let mut funds = [0usize; FundSource::ALL.len()];
        let mut years: FxHashMap<u16, usize> = FxHashMap::default();
        let unfiltered = filters.is_empty();
        for hit in matched {
            let doc = hit.doc;
            let Some(block) = self.block_of(doc) else { continue };
            let Some(row) = block.row(doc) else { continue };
            let amount = if unfiltered { None } else { self.amount_of(doc) };
            let passes = |facet| unfiltered || filters.accepts(block, amount, doc, Some(facet));
            if passes(Facet::Region) {
                if let Some(region) = block.region(doc).filter(|r| r.code.is_some()) {
                    regions.add(region);
                }
            }
            if passes(Facet::Department) {
                if let Some(d) = block.department(doc) {
                    departments.add(d);
                }
            }
            if passes(Facet::Unit) {
                if let Some(u) = block.unit(doc) {
                    units.add(u);
                }
            }
            if passes(Facet::Fund) {
                for (i, source) in FundSource::ALL.iter().enumerate() {
                    if row.has_fund(*source) {
                        funds[i] += 1;
                    }
                }
            }
            if passes(Facet::Year) {
                if let Some(y) = row.year {
                    *years.entry(y).or_default() += 1;
                }
            }
        }
        for (region, n) in regions.finish() {
            let Some(code) = region.code.as_deref() else { continue };
            let names = [region.province.as_deref(), region.city.as_deref(), region.county.as_deref()];
            for (level, code) in region_levels(code).into_iter().enumerate() {
                *counts.regions.entry(code.clone()).or_default() += n;
                if let Some(name) = names.get(level).copied().flatten() {
                    counts.region_names.entry(code).or_insert_with(|| name.to_string());
                }
            }
        }
        let departments = departments.finish();
        let units = units.finish();
        let sorted = |m: FxHashMap<&str, usize>| {
            let mut v: Vec<(String, usize)> = m.into_iter().map(|(k, n)| (k.to_string(), n)).collect();
            sort_by(&mut v, &by_count);
            v.truncate(FACET_LIMIT);
            v
        };
        counts.departments = sorted(departments);
        counts.units = sorted(units);
        counts.funds = FundSource::ALL.iter().zip(funds).filter(|&(_, n)| n > 0).map(|(s, n)| (*s, n)).collect();
        let mut years: Vec<(u16, usize)> = years.into_iter().collect();
        sort_by(&mut years, &|a, b| b.0.cmp(&a.0));
        counts.years = years;
        counts
    }
}

/// Counts values that mostly come in runs: equal neighbours only bump a
/// counter; the map is touched once per run.
struct RunTally<T> {
    current: Option<(T, usize)>,
    totals: FxHashMap<T, usize>,
}

impl<T> Default for RunTally<T> {
    fn default() -> Self {
        RunTally { current: None, totals: FxHashMap::default() }
    }
}

impl<T: std::hash::Hash + Eq + Copy> RunTally<T> {
    fn add(&mut self, value: T) {
        match &mut self.current {
            Some((v, n)) if *v == value => *n += 1,
            _ => {
                self.flush();
                self.current = Some((value, 1));
            }
        }
    }

    fn flush(&mut self) {
        if let Some((v, n)) = self.current.take() {
            *self.totals.entry(v).or_default() += n;
        }
    }

    fn finish(mut self) -> FxHashMap<T, usize> {
        self.flush();
        self.totals
    }
}

/// Do the tokens stand at their relative query positions in the name?
/// (Common terms keep no positions for most documents: there, all tokens
/// in the name count as together.)
fn adjacent_in_name(tokens: &[Token], found: &[&Posting]) -> bool {
    if found.iter().any(|p| p.fields & NAME_BIT == 0) {
        return false;
    }
    if !found.iter().all(|p| p.has_positions()) {
        return true;
    }
    let first = found[0];
    first.name_positions.iter().any(|&start| {
        tokens.iter().zip(found).skip(1).all(|(t, p)| {
            let offset = t.position - tokens[0].position;
            p.name_positions.binary_search(&(start + offset)).is_ok()
        })
    })
}

/// The start page's facet counts, from the build's totals.
fn facets_of_overview(o: &Overview) -> FacetCounts {
    let pairs = |v: &[Tally]| v.iter().map(|t| (t.key.clone(), t.count as usize)).collect::<Vec<_>>();
    FacetCounts {
        regions: o.all_provinces.iter().map(|t| (t.key.clone(), t.count as usize)).collect(),
        region_names: o.all_provinces.iter().map(|t| (t.key.clone(), t.label.clone())).collect(),
        departments: pairs(&o.all_departments),
        units: pairs(&o.all_units),
        funds: o.all_funds.iter().filter_map(|t| FundSource::from_key(&t.key).map(|s| (s, t.count as usize))).collect(),
        years: o.all_years.iter().filter_map(|t| t.key.parse().ok().map(|y| (y, t.count as usize))).collect(),
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
