//! The query engine: clauses → ranked, filtered documents with facet counts.
//!
//! Ranking is field-weighted BM25 (k1 and b as tantivy computes it, with
//! per-field document frequencies and average lengths), computed at build
//! time into each posting's impact, plus a bonus when a clause's tokens
//! stand in the name as in the query (constants in [`super::ranking`]).
//!
//! A document matches a clause in full when it holds every token of one of
//! its spellings. While fewer documents than a first page match every
//! clause in full, documents that hold a meaningful part of every clause
//! (its bigrams they hold cover a "minimum should match" share of its
//! characters and of its weight, see [`ranking::MIN_SHOULD_MATCH`]) are
//! added as partial matches (failing that, documents that match some
//! clauses): they rank below every full match, by how much of the clauses
//! they cover (characters weighted by the rarity of their bigrams) times
//! BM25, and are marked as partial. A year or an amount clause also matches
//! by the record's year or annual amount.
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
use crate::index::columns::{fund_bit, AmountBlock, ColumnBlock, DocRow};
use crate::index::dict::{DictEntry, DictPage, PostingsRef};
use crate::index::ids::IdsPage;
use crate::index::manifest::Manifest;
use crate::index::overview::Overview;
use crate::index::places::{self, PlaceNames};
use crate::index::postings::{chunk_blob, decode_list, Posting, NAME_BIT, OTHER_FIELDS};
use crate::index::FileId;
use crate::model::{FundSource, Kind, Outcome, Region};
use crate::order::{sort_by, sort_by_u32};
use crate::tokenize::{Token, TokenKind};

use super::facet::{Facet, FacetValue};
use super::query::{Clause, Query, Value};
use super::ranking::{self, MAX_CLAUSE_TOKENS, PARTIAL_FILL};

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
    /// Only records with a published self-evaluation (an evaluation, or a
    /// target that has one), and of those only this outcome, if given.
    pub evaluated: bool,
    pub outcome: Option<Outcome>,
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
        self.accepts_beyond_facets(row, amount) && Facet::ALL.into_iter().all(|facet| skip == Some(facet) || self.facet_accepts(facet, block, row, doc))
    }

    /// Does the document pass the filters that are no facet (kind, amount)?
    fn accepts_beyond_facets(&self, row: &DocRow, amount: Option<i64>) -> bool {
        let kind_ok = self.kind.is_none_or(|k| row.kind == k);
        let amount_ok = !self.filters_amount()
            || amount.is_some_and(|t| self.min_yuan.is_none_or(|m| t >= m) && self.max_yuan.is_none_or(|m| t <= m));
        kind_ok && amount_ok
    }

    /// Does the document have the value chosen for `facet` (if any)?
    fn facet_accepts(&self, facet: Facet, block: &ColumnBlock, row: &DocRow, doc: u32) -> bool {
        match facet {
            Facet::Region => self.region.as_deref().is_none_or(|selected| {
                block.region(doc).and_then(|r| r.code.as_deref()).is_some_and(|code| region_within(code, selected))
            }),
            Facet::Department => self.department.as_deref().is_none_or(|d| block.department(doc) == Some(d)),
            Facet::Unit => self.unit.as_deref().is_none_or(|u| block.unit(doc) == Some(u)),
            Facet::Fund => self.fund.is_none_or(|f| row.has_fund(f)),
            Facet::Year => self.year.is_none_or(|y| row.year == Some(y)),
            Facet::Outcome => (!self.evaluated || row.outcome.is_some()) && self.outcome.is_none_or(|o| row.outcome == Some(o)),
        }
    }
}

/// One document's value of a facet, as stored: tallied before it is
/// spelled as keys and labels (see [`spelled`]). One value per document and
/// facet, so that neighbours' equal values make runs: a region stands for
/// every level it lies within, a set of fund sources for each source in it.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum DocValue<'b> {
    Region(&'b Region),
    Name(&'b str),
    /// The fund bits of a document's flags ([`DocRow::funds`]).
    Funds(u8),
    Year(u16),
    Outcome(Outcome),
}

/// A document's value of `facet`, if it has one.
fn doc_value<'b>(facet: Facet, block: &'b ColumnBlock, row: &DocRow, doc: u32) -> Option<DocValue<'b>> {
    match facet {
        Facet::Region => block.region(doc).filter(|r| r.code.is_some()).map(DocValue::Region),
        Facet::Department => block.department(doc).map(DocValue::Name),
        Facet::Unit => block.unit(doc).map(DocValue::Name),
        Facet::Fund => Some(row.funds).filter(|&funds| funds != 0).map(DocValue::Funds),
        Facet::Year => row.year.map(DocValue::Year),
        Facet::Outcome => row.outcome.map(DocValue::Outcome),
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Hit {
    pub doc: u32,
    pub score: f32,
    /// How many of the query's clauses the document matches (in full or
    /// in part).
    pub matched_clauses: usize,
    /// It matches every clause in full; otherwise it is a partial match.
    pub full: bool,
}

/// How a document matches one clause.
#[derive(Clone, Copy, Debug, PartialEq)]
struct ClauseMatch {
    score: f32,
    /// Share of the clause's characters the document's bigrams cover, each
    /// character weighted by the rarity of the bigrams covering it.
    coverage: f32,
    full: bool,
}

impl ClauseMatch {
    fn better_than(&self, other: &ClauseMatch) -> bool {
        (self.full, self.score) > (other.full, other.score)
    }
}

/// Counts per facet value among the documents the query matches (each
/// facet counted with every filter but its own, so a user sees what
/// choosing another value would give), in each facet's order
/// ([`Facet::compare`]), at most [`Facet::limit`] values each.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FacetCounts {
    /// One list per facet, in [`Facet::ALL`] order. Regions are counted at
    /// every level (province, city, county), keyed by code, labelled by name.
    values: Vec<Vec<FacetValue>>,
}

impl FacetCounts {
    /// The values of `facet` with their counts.
    pub fn of(&self, facet: Facet) -> &[FacetValue] {
        self.values.get(facet as usize).map_or(&[], Vec::as_slice)
    }

    /// How the value of `key` reads (a region's name).
    pub fn label(&self, facet: Facet, key: &str) -> Option<&str> {
        self.of(facet).iter().find(|v| v.key == key).map(|v| v.label.as_str())
    }

    /// Lists `values` of `facet` in its order, at most its limit.
    fn listed(facet: Facet, mut values: Vec<FacetValue>) -> Vec<FacetValue> {
        let limit = facet.limit();
        // A broad query over 100k projects counts thousands of departments
        // and lists 50: only those counted as often as the 50th can be
        // listed, and only they are sorted by comparison (ties are kept,
        // the order decides among them).
        if facet.by_count() && values.len() > limit {
            let mut counts: Vec<u32> = values.iter().map(|v| v.count as u32).collect();
            sort_by_u32(&mut counts, &|&n| u32::MAX - n);
            let least = counts[limit - 1] as usize;
            values.retain(|v| v.count >= least);
        }
        sort_by(&mut values, &|a, b| facet.compare((&a.key, a.count), (&b.key, b.count)));
        values.truncate(limit);
        values
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct SearchResults {
    /// Full matches first, then partial ones (see [`Hit::full`]).
    pub hits: Vec<Hit>,
    /// No document matched every clause in full: these match in part.
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
    places: FxHashMap<u32, PlaceNames>,
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
            places: FxHashMap::default(),
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
            FileId::Places(n) => {
                self.places.insert(n, codec::decode_data(codec::PLACES_MAGIC, &build, bytes)?);
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
            FileId::Places(n) => self.places.contains_key(&n),
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

    /// The query without the places it names that the site does not cover
    /// (a word that matched nothing and is, or starts with, a place name:
    /// `广州`, `广州医疗救助`), and the note saying so; `None` when no such
    /// word is a place. Needs the page of place names of each such word.
    fn without_uncovered_places(
        &self,
        query: &Query,
        required: &[&Clause],
        per_clause: &[FxHashMap<u32, ClauseMatch>],
    ) -> Result<Option<(Query, String)>, SearchError> {
        // Each clause's word if it matched nothing, and its page of names.
        // Place names are simplified, half-width: so is the word looked up.
        let mut unmatched: Vec<Option<(String, u32)>> = Vec::new();
        let mut missing = BTreeSet::new();
        for clause in &query.clauses {
            let word = required.iter().position(|c| std::ptr::eq(*c, clause)).filter(|&i| per_clause[i].is_empty() && clause.value.is_none()).map(|_| {
                let folded: String = clause.text.chars().map(crate::text::fold_char).collect();
                let page = places::page_of(&folded, self.manifest.place_pages);
                if !self.places.contains_key(&page) {
                    missing.insert(FileId::Places(page));
                }
                (folded, page)
            });
            unmatched.push(word);
        }
        require(missing)?;
        let mut named = Vec::new();
        let mut rest: Vec<String> = Vec::new();
        for (clause, unmatched) in query.clauses.iter().zip(&unmatched) {
            let place = unmatched.as_ref().and_then(|(word, page)| Some((word, self.places.get(page)?.leading(word)?)));
            let typed = match place.filter(|(_, p)| !p.covered) {
                Some((word, place)) => {
                    named.push(place.name.clone());
                    word[place.name.len()..].to_string()
                }
                None => clause.text.clone(),
            };
            if typed.is_empty() {
                continue;
            }
            rest.push(match (clause.excluded, clause.phrase) {
                (true, _) => format!("-{typed}"),
                (false, true) => format!("\"{typed}\""),
                (false, false) => typed,
            });
        }
        if named.is_empty() {
            return Ok(None);
        }
        let rewritten = super::query::parse(&rest.join(" "), &self.manifest.synonyms);
        let note = match rest.is_empty() {
            true => format!("本站尚未收录“{}”的绩效目标表", named.join("”“")),
            false => format!("本站尚未收录“{}”的绩效目标表；以下是其他地区与“{}”相关的项目", named.join("”“"), rest.join(" ")),
        };
        Ok(Some((rewritten, note)))
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

    /// The tokens of a spelling that are in the index, each with its
    /// dictionary entry; matching reads the rarest of them when there are
    /// many (see [`MAX_CLAUSE_TOKENS`]).
    fn present<'t>(&self, tokens: &'t [Token]) -> Result<Vec<(&'t Token, &DictEntry)>, FileId> {
        let mut present = Vec::with_capacity(tokens.len());
        for t in tokens {
            if let Some(e) = self.entry(&t.text)? {
                present.push((t, e));
            }
        }
        Ok(present)
    }

    fn postings(&mut self, term: &str) -> Result<Option<&[Posting]>, SearchError> {
        if !self.postings_cache.contains_key(term) {
            let entry = match self.entry(term) {
                Ok(Some(e)) => e,
                Ok(None) => return Ok(None),
                Err(file) => return Err(SearchError::Missing(vec![file])),
            };
            let (bytes, file) = match &entry.postings {
                PostingsRef::Inline(bytes) => (bytes.as_slice(), FileId::Dict(self.manifest.dict_page(term).unwrap_or(0))),
                PostingsRef::Chunk { chunk, offset, len } => {
                    let blob = self.chunks.get(chunk).ok_or(SearchError::Missing(vec![FileId::Postings(*chunk)]))?;
                    let range = *offset as usize..(*offset as usize).saturating_add(*len as usize);
                    let bytes = blob.get(range).ok_or(SearchError::Decode(FileId::Postings(*chunk), DecodeError::Truncated))?;
                    (bytes, FileId::Postings(*chunk))
                }
            };
            let list = decode_list(bytes, self.manifest.doc_count).map_err(|e| SearchError::Decode(file, e))?;
            if list.len() != entry.df as usize {
                return Err(SearchError::Decode(file, DecodeError::Malformed("document frequency")));
            }
            self.postings_cache.insert(term.to_string(), list);
        }
        Ok(self.postings_cache.get(term).map(Vec::as_slice))
    }

    /// Every file the query's terms need that is not loaded: dictionary
    /// pages first (they decide which postings are needed), then the chunks
    /// of the tokens matching reads (for full matches, only of spellings
    /// whose every token is in the index).
    fn require_terms(&self, clauses: &[&Clause], partial: bool) -> Result<(), SearchError> {
        let mut missing = BTreeSet::new();
        for token in clauses.iter().flat_map(|c| c.alternatives.iter().flatten()) {
            if let Err(file) = self.entry(&token.text) {
                missing.insert(file);
            }
        }
        require(std::mem::take(&mut missing))?;
        for clause in clauses {
            for tokens in &clause.alternatives {
                let Ok(present) = self.present(tokens) else { continue };
                if !partial && present.len() < tokens.len() {
                    continue;
                }
                for (_, entry) in chosen(present) {
                    if let PostingsRef::Chunk { chunk, .. } = entry.postings {
                        if !self.chunks.contains_key(&chunk) {
                            missing.insert(FileId::Postings(chunk));
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
            let hits = (0..self.doc_count()).map(|doc| Hit { doc, score: 0.0, matched_clauses: 0, full: true }).collect();
            return Ok(SearchResults { hits, partial: false, facets, notes });
        }

        let all: Vec<&Clause> = query.clauses.iter().collect();
        self.require_terms(&all, false)?;
        // Text clauses find the candidates; years and amounts sort them.
        let text: Vec<usize> = (0..required.len()).filter(|&i| required[i].value.is_none()).collect();
        let mut per_clause: Vec<FxHashMap<u32, ClauseMatch>> = Vec::with_capacity(required.len());
        for clause in &required {
            per_clause.push(self.match_clause(clause, false)?);
        }
        let in_every_text_clause = |per_clause: &[FxHashMap<u32, ClauseMatch>]| -> Vec<u32> {
            let Some(shortest) = text.iter().min_by_key(|&&i| per_clause[i].len()) else { return Vec::new() };
            per_clause[*shortest].keys().copied().filter(|doc| text.iter().all(|&i| per_clause[i].contains_key(doc))).collect()
        };
        // A word naming a place the site does not cover matches nothing:
        // say so, and read the query without it.
        if text.iter().any(|&i| per_clause[i].is_empty()) {
            if let Some((rewritten, note)) = self.without_uncovered_places(query, &required, &per_clause)? {
                let mut results = match rewritten.clauses.is_empty() {
                    true => SearchResults::default(),
                    false => self.search(&rewritten, filters, sort)?,
                };
                results.notes.insert(0, note);
                return Ok(results);
            }
        }
        let mut candidates: Vec<u32> = if text.is_empty() { (0..self.doc_count()).collect() } else { in_every_text_clause(&per_clause) };
        if !text.is_empty() && candidates.len() < PARTIAL_FILL {
            self.require_terms(&text.iter().map(|&i| required[i]).collect::<Vec<_>>(), true)?;
            // A quoted phrase means exactly what was typed: its full matches stand.
            for &i in text.iter().filter(|&&i| !required[i].phrase) {
                per_clause[i] = self.match_clause(required[i], true)?;
            }
            // Documents matching every clause, at least in part; failing
            // that, those matching some (the more the better, see ranking).
            candidates = in_every_text_clause(&per_clause);
            if candidates.is_empty() {
                let union: FxHashSet<u32> = text.iter().flat_map(|&i| per_clause[i].keys().copied()).collect();
                candidates = union.into_iter().collect();
            }
        }
        let mut excluded: FxHashSet<u32> = FxHashSet::default();
        for clause in query.clauses.iter().filter(|c| c.excluded) {
            excluded.extend(self.match_clause(clause, false)?.into_keys());
        }
        candidates.retain(|doc| !excluded.contains(doc));
        // In document order, which is (region, department, unit, year)
        // order: facet values come in runs.
        crate::order::sort_by_u32(&mut candidates, &|&doc| doc);

        // The column blocks of every candidate (and their amounts, to sort
        // or filter by amount or to match an amount clause).
        let with_amounts =
            sort == Sort::Amount || filters.filters_amount() || required.iter().any(|c| matches!(c.value, Some(Value::Yuan(_))));
        let mut missing = BTreeSet::new();
        for &doc in &candidates {
            let block = self.manifest.columns_block(doc);
            if !self.columns.contains_key(&block) {
                missing.insert(FileId::Columns(block));
            }
            if with_amounts && !self.amounts.contains_key(&block) {
                missing.insert(FileId::Amounts(block));
            }
        }
        require(missing)?;

        let mut matched: Vec<Hit> = Vec::with_capacity(candidates.len());
        for doc in candidates {
            let (mut score, mut coverage, mut count, mut full) = (0.0, 0.0, 0, true);
            for (clause, matches) in required.iter().zip(&per_clause) {
                let by_value = clause.value.is_some_and(|v| self.has_value(doc, v));
                match matches.get(&doc) {
                    Some(m) if m.full || !by_value => {
                        score += m.score;
                        coverage += m.coverage;
                        count += 1;
                        full &= m.full;
                    }
                    _ if by_value => {
                        coverage += 1.0;
                        count += 1;
                    }
                    _ => full = false,
                }
            }
            // With no required clause (only exclusions), every candidate is a full match.
            if count == 0 && !required.is_empty() {
                continue;
            }
            if !full {
                score *= coverage / required.len() as f32;
            }
            matched.push(Hit { doc, score, matched_clauses: count, full });
        }
        let full_count = matched.iter().filter(|h| h.full).count();
        if full_count >= PARTIAL_FILL || (full_count > 0 && text.is_empty()) {
            matched.retain(|h| h.full);
        }
        let partial = full_count == 0 && !matched.is_empty() && !required.is_empty();
        if partial {
            notes.push("没有完全符合检索词的项目，以下为部分匹配的结果".into());
        }

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
        let hits = if sort == Sort::Relevance {
            ranking::sort_by_relevance(hits)
        } else {
            let mut keyed: Vec<(i64, Hit)> = hits.into_iter().map(|h| (secondary(h.doc), h)).collect();
            sort_by(&mut keyed, &|(ka, a), (kb, b)| kb.cmp(ka).then_with(|| ranking::by_relevance(a, b)));
            keyed.into_iter().map(|(_, hit)| hit).collect()
        };
        Ok(SearchResults { hits, partial, facets, notes })
    }

    /// Does the document's year or annual amount say `value`? (Its column
    /// block, and amounts block for an amount, are loaded.)
    fn has_value(&self, doc: u32, value: Value) -> bool {
        match value {
            Value::Year(y) => self.block_of(doc).and_then(|b| b.row(doc)).is_some_and(|r| r.year == Some(y)),
            Value::Yuan(v) => self.amount_of(doc) == Some(v),
        }
    }

    /// Documents matching a clause (by its best spelling), in full or, with
    /// `partial`, in part.
    fn match_clause(&mut self, clause: &Clause, partial: bool) -> Result<FxHashMap<u32, ClauseMatch>, SearchError> {
        let mut best: FxHashMap<u32, ClauseMatch> = FxHashMap::default();
        // A quoted phrase or an exclusion means exactly what was typed.
        let partial = partial && !clause.phrase && !clause.excluded;
        for tokens in &clause.alternatives {
            let found = self.match_tokens(tokens, clause.phrase, partial)?;
            // Most clauses have one spelling: its matches are the clause's.
            if best.is_empty() {
                best = found;
                continue;
            }
            for (doc, m) in found {
                let entry = best.entry(doc).or_insert(m);
                if m.better_than(entry) {
                    *entry = m;
                }
            }
        }
        Ok(best)
    }

    /// Documents containing every token of a spelling (or, with `partial`,
    /// tokens that cover enough of its characters), scored by their impacts;
    /// with `phrase`, the tokens must stand together in the name, or all
    /// occur in one other field.
    fn match_tokens(&mut self, tokens: &[Token], phrase: bool, partial: bool) -> Result<FxHashMap<u32, ClauseMatch>, SearchError> {
        let present = self.present(tokens).map_err(|file| SearchError::Missing(vec![file]))?;
        let complete = present.len() == tokens.len();
        if present.is_empty() || (!complete && !partial) {
            return Ok(FxHashMap::default());
        }
        // The characters of the spelling and what each weighs: the rarity
        // of the rarest token in the index covering it. (A token in no
        // document, such as the bigram across two words of a run, 药品|耗材,
        // tells nothing.) A document is credited, per character, with the
        // rarest of its tokens covering it: a common bigram (医疗) covers
        // characters but weighs little.
        let doc_count = self.doc_count();
        let chars = tokens.iter().map(|t| span(t).end).max().unwrap_or(0) as usize;
        let mut char_weights = vec![0f32; chars];
        for (t, entry) in &present {
            for c in span(t) {
                char_weights[c as usize] = char_weights[c as usize].max(ranking::rarity(entry.df, doc_count));
            }
        }
        let total_weight: f32 = char_weights.iter().sum::<f32>().max(f32::MIN_POSITIVE);
        let present_count = present.len();
        // (token, scale, rarity) of each token read, copied out of the
        // borrowed dictionary entries: decoding their lists below changes
        // the searcher.
        let chosen: Vec<(&Token, f32, f32)> =
            chosen(present).into_iter().map(|(token, entry)| (token, entry.scale, ranking::rarity(entry.df, doc_count))).collect();
        // Characters only unread tokens cover cannot be checked: ask the
        // share of the ones that can.
        let readable = if present_count > chosen.len() {
            (0..chars as u32).filter(|&c| chosen.iter().any(|(t, ..)| span(t).contains(&c))).count()
        } else {
            chars
        };
        let needed = ranking::min_should_match(readable);

        for (token, ..) in &chosen {
            // Decoded into the cache here; borrowed below, not copied.
            self.postings(&token.text)?;
        }
        // (token, scale, rarity, list) of each token read.
        let lists: Vec<(&Token, f32, f32, &[Posting])> = chosen
            .iter()
            .filter_map(|&(token, scale, rarity)| Some((token, scale, rarity, self.postings_cache.get(&token.text)?.as_slice())))
            .collect();
        // The lists walked document by document, and those only looked up
        // for the documents walked.
        let (walks, probes): (Vec<usize>, Vec<usize>) = if partial {
            // A document reaches the share of the weight a partial match
            // needs only with one of the rarer tokens: walk their lists and
            // look the commonest ones up (those whose weight, all together,
            // stays under the share), instead of walking every document
            // that holds a common bigram.
            let mut by_weight: Vec<usize> = (0..lists.len()).collect();
            sort_by(&mut by_weight, &|&a, &b| lists[a].2.total_cmp(&lists[b].2));
            let most = |i: usize| lists[i].2 * span(lists[i].0).len() as f32;
            let mut looked_up = 0;
            let mut below = 0.0;
            while looked_up < lists.len() && below + most(by_weight[looked_up]) < ranking::MIN_SHOULD_MATCH * total_weight {
                below += most(by_weight[looked_up]);
                looked_up += 1;
            }
            let walks = by_weight.split_off(looked_up);
            (walks, by_weight)
        } else {
            // Every token: walk the shortest list, look the others up.
            let Some(shortest) = (0..lists.len()).min_by_key(|&i| lists[i].3.len()) else { return Ok(FxHashMap::default()) };
            (vec![shortest], (0..lists.len()).filter(|&i| i != shortest).collect())
        };
        // The characters the tokens read cover: those a name can be checked
        // for (the commonest bigrams of a long run go unread).
        let checkable: Vec<u32> = (0..chars as u32).filter(|c| lists.iter().any(|l| span(l.0).contains(c))).collect();
        // A posting's fields; one from the set part of a long list may be in any field but the name.
        let fields = |q: &Posting| if q.fields & OTHER_FIELDS != 0 { !NAME_BIT } else { q.fields };
        let mut out = FxHashMap::default();
        let mut credit = vec![0f32; chars];
        let list_tokens: Vec<&Token> = lists.iter().map(|l| l.0).collect();
        // A document's postings, by list (one buffer for all documents).
        let mut postings: Vec<(usize, &Posting)> = Vec::with_capacity(lists.len());
        // The walked lists merged in document order (they are sorted).
        let mut at = vec![0usize; walks.len()];
        loop {
            let Some(doc) = walks.iter().zip(&at).filter_map(|(&i, &k)| lists[i].3.get(k)).map(|p| p.doc).min() else { break };
            postings.clear();
            for (&i, k) in walks.iter().zip(at.iter_mut()) {
                if let Some(p) = lists[i].3.get(*k).filter(|p| p.doc == doc) {
                    postings.push((i, p));
                    *k += 1;
                }
            }
            for &i in &probes {
                if let Ok(found) = lists[i].3.binary_search_by_key(&doc, |q| q.doc) {
                    postings.push((i, &lists[i].3[found]));
                }
            }
            if !partial && postings.len() < lists.len() {
                continue;
            }
            let mut full = complete && postings.len() == lists.len();
            // `药品耗材集中采购` and the name 药品及耗材集中采购工资经费: every
            // character stands in the name, only the bigram across two
            // words (品耗) does not. The name says all the query says: a
            // full match, as 药品 耗材 集中采购 typed apart would be.
            if !full && partial {
                full = checkable.iter().all(|c| postings.iter().any(|&(i, p)| fields(p) & NAME_BIT != 0 && span(lists[i].0).contains(c)));
            }
            let coverage = if full {
                1.0
            } else {
                credit.iter_mut().for_each(|c| *c = 0.0);
                for &(i, _) in &postings {
                    for c in span(lists[i].0) {
                        credit[c as usize] = credit[c as usize].max(lists[i].2);
                    }
                }
                let coverage = credit.iter().sum::<f32>() / total_weight;
                if credit.iter().filter(|&&c| c > 0.0).count() < needed || coverage < ranking::MIN_SHOULD_MATCH {
                    continue;
                }
                coverage
            };
            // One token stands where it stands: alignment needs two.
            let aligned = if postings.len() > 1 { aligned_in_name(&postings, &list_tokens) } else { postings.len() };
            if phrase && lists.len() > 1 && aligned < lists.len() {
                let common = postings.iter().fold(0xffu8, |m, (_, q)| m & fields(q)) & !NAME_BIT;
                if common == 0 {
                    continue;
                }
            }
            let mut score: f32 = postings.iter().map(|&(i, p)| lists[i].1 * p.impact as f32 / 255.0).sum();
            if self.phrase_bonus {
                score *= ranking::phrase_factor(aligned, lists.len());
            }
            out.insert(doc, ClauseMatch { score, coverage, full });
        }
        Ok(out)
    }

    /// Facet counts over the matched documents, in document order: a
    /// document's values mostly repeat its neighbour's (the columns are in
    /// region, department, unit and year order), so they are tallied per
    /// run, not per document.
    fn facet_counts(&self, matched: &[Hit], filters: &Filters) -> FacetCounts {
        let mut tallies: Vec<RunTally<DocValue>> = Facet::ALL.iter().map(|_| RunTally::default()).collect();
        let unfiltered = filters.is_empty();
        for hit in matched {
            let doc = hit.doc;
            let Some(block) = self.block_of(doc) else { continue };
            let Some(row) = block.row(doc) else { continue };
            // A facet counts the document if every other filter passes it:
            // each filter is checked once, not once per facet.
            let failing = if unfiltered {
                [false; Facet::ALL.len()]
            } else {
                let amount = if filters.filters_amount() { self.amount_of(doc) } else { None };
                if !filters.accepts_beyond_facets(row, amount) {
                    continue;
                }
                Facet::ALL.map(|facet| !filters.facet_accepts(facet, block, row, doc))
            };
            let failed = failing.iter().filter(|&&f| f).count();
            for ((facet, tally), failed_here) in Facet::ALL.into_iter().zip(&mut tallies).zip(failing) {
                if failed == 0 || failed == 1 && failed_here {
                    if let Some(value) = doc_value(facet, block, row, doc) {
                        tally.add(value);
                    }
                }
            }
        }
        let values = Facet::ALL
            .into_iter()
            .zip(tallies)
            .map(|(facet, tally)| {
                let mut values: FxHashMap<String, FacetValue> = FxHashMap::default();
                for (value, n) in tally.finish() {
                    spelled(value, &mut |key, label| values.entry(key.clone()).or_insert_with(|| FacetValue { key, label, count: 0 }).count += n);
                }
                FacetCounts::listed(facet, values.into_values().collect())
            })
            .collect();
        FacetCounts { values }
    }
}

/// Calls `add` with each (key, label) a stored value is counted under: a
/// region under every level it lies within, fund sources under each source.
fn spelled(value: DocValue, add: &mut dyn FnMut(String, String)) {
    match value {
        DocValue::Region(region) => {
            let names = [region.province.as_deref(), region.city.as_deref(), region.county.as_deref()];
            for (level, code) in region_levels(region.code.as_deref().unwrap_or_default()).into_iter().enumerate() {
                let name = names.get(level).copied().flatten().map_or_else(|| code.clone(), String::from);
                add(code, name);
            }
        }
        DocValue::Name(name) => add(name.to_string(), name.to_string()),
        DocValue::Funds(funds) => {
            for s in FundSource::ALL.into_iter().filter(|&s| funds & fund_bit(s) != 0) {
                add(s.key().to_string(), s.label_zh().to_string());
            }
        }
        DocValue::Year(y) => add(y.to_string(), Facet::Year.label_of(&y.to_string())),
        DocValue::Outcome(o) => add(o.key().to_string(), o.label_zh().to_string()),
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

/// The present tokens matching reads: the rarest, at most
/// [`MAX_CLAUSE_TOKENS`], in query order.
fn chosen<'t, 'd>(mut present: Vec<(&'t Token, &'d DictEntry)>) -> Vec<(&'t Token, &'d DictEntry)> {
    if present.len() > MAX_CLAUSE_TOKENS {
        sort_by(&mut present, &|a, b| a.1.df.cmp(&b.1.df));
        present.truncate(MAX_CLAUSE_TOKENS);
        sort_by(&mut present, &|a, b| a.0.position.cmp(&b.0.position));
    }
    present
}

/// The characters of a query spelling a token covers: a bigram two, a
/// unigram or a word one (positions count Han characters and words).
fn span(t: &Token) -> std::ops::Range<u32> {
    t.position..t.position + if t.kind == TokenKind::Bigram { 2 } else { 1 }
}

/// How many of the matched tokens (postings by list, `tokens[list]` the
/// list's token) stand in the name as they do in the query (at the same
/// distances from each other), the most for any one placement. Common terms
/// keep no positions for most documents: there, a token in the name counts
/// as in place.
fn aligned_in_name(matched: &[(usize, &Posting)], tokens: &[&Token]) -> usize {
    let in_name = || matched.iter().filter(|(_, p)| p.fields & NAME_BIT != 0);
    let loose = in_name().filter(|(_, p)| !p.has_positions()).count();
    let mut best = 0;
    for (anchor, posting) in in_name().filter(|(_, p)| p.has_positions()) {
        for &start in &posting.name_positions {
            let shift = i64::from(start) - i64::from(tokens[*anchor].position);
            let together = in_name()
                .filter(|(i, p)| {
                    p.has_positions()
                        && u32::try_from(i64::from(tokens[*i].position) + shift).is_ok_and(|at| p.name_positions.binary_search(&at).is_ok())
                })
                .count();
            best = best.max(together);
        }
    }
    best + loose
}

/// The start page's facet counts, from the build's totals.
fn facets_of_overview(o: &Overview) -> FacetCounts {
    let values = Facet::ALL
        .into_iter()
        .map(|facet| {
            let tallies = o.facets.get(facet as usize).map_or(&[][..], Vec::as_slice);
            tallies.iter().map(|t| FacetValue { key: t.key.clone(), label: t.label.clone(), count: t.count as usize }).collect()
        })
        .collect();
    FacetCounts { values }
}

/// Facet values by count, most first, then by name (as [`Facet::compare`] lists names).
pub fn by_count(a: &(String, usize), b: &(String, usize)) -> std::cmp::Ordering {
    Facet::Department.compare((&a.0, a.1), (&b.0, b.1))
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
