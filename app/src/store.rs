//! The index as the app holds it: the manifest at start, every other file
//! fetched when a query, a page or a chart first needs it, and kept for
//! the session (file names carry the build id, so the browser may cache
//! them forever too).
//!
//! The engine says which files it lacks ([`SearchError::Missing`]); the
//! store fetches them all at once and asks again, so a query takes a few
//! round trips (dictionary pages, then postings, then column blocks), not
//! one per file.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;

use jixiao_core::index::codec;
use jixiao_core::index::docs::DocSummary;
use jixiao_core::index::manifest::{Manifest, FORMAT_VERSION};
use jixiao_core::index::overview::{Overview, YearTotals};
use jixiao_core::index::FileId;
use jixiao_core::model::Record;
use jixiao_core::search::engine::FxHashMap;
use jixiao_core::search::{parse, Filters, Query, SearchError, SearchResults, Searcher, Sort};

use crate::fetch::{fetch_bytes, fetch_files, FetchError, INDEX_DIR};

struct Inner {
    searcher: Searcher,
    summaries: FxHashMap<u32, Rc<Vec<DocSummary>>>,
    records: FxHashMap<u32, Rc<Vec<Record>>>,
}

/// Shared handle to the loaded index.
#[derive(Clone)]
pub struct Store(Rc<RefCell<Inner>>);

impl Store {
    /// Loads the manifest.
    pub async fn load() -> Result<Store, FetchError> {
        let bytes = fetch_bytes(&format!("{INDEX_DIR}manifest.bin")).await?;
        let manifest: Manifest =
            codec::decode(codec::MANIFEST_MAGIC, &bytes).map_err(|e| FetchError::Corrupt("manifest.bin".into(), e.message_zh()))?;
        if manifest.format_version != FORMAT_VERSION {
            return Err(FetchError::Corrupt(
                "manifest.bin".into(),
                format!("索引格式版本 {} 与本页面（{FORMAT_VERSION}）不符", manifest.format_version),
            ));
        }
        Ok(Store::with_nothing_fetched(manifest))
    }

    fn with_nothing_fetched(manifest: Manifest) -> Store {
        Store(Rc::new(RefCell::new(Inner { searcher: Searcher::new(manifest), summaries: FxHashMap::default(), records: FxHashMap::default() })))
    }

    /// The same index with nothing fetched but the manifest (a cold start,
    /// for measurements).
    #[cfg(feature = "bench")]
    pub fn cold_copy(&self) -> Store {
        Store::with_nothing_fetched(self.with_manifest(Manifest::clone))
    }

    pub fn with_manifest<T>(&self, f: impl FnOnce(&Manifest) -> T) -> T {
        f(&self.0.borrow().searcher.manifest)
    }

    fn build(&self) -> String {
        self.with_manifest(|m| m.build.clone())
    }

    /// Runs `step` on the engine until it no longer lacks files, fetching
    /// what it names in between.
    async fn resolve<T>(&self, mut step: impl FnMut(&mut Searcher) -> Result<T, SearchError>) -> Result<T, FetchError> {
        let build = self.build();
        loop {
            let outcome = step(&mut self.0.borrow_mut().searcher);
            match outcome {
                Ok(value) => return Ok(value),
                Err(SearchError::Decode(file, e)) => return Err(FetchError::undecodable(file.name(&build), e)),
                Err(SearchError::Missing(files)) => {
                    if files.iter().any(|&f| self.0.borrow().searcher.has_file(f)) {
                        // Loaded yet still missing: the files disagree with each other.
                        return Err(FetchError::Mismatch(files[0].name(&build)));
                    }
                    let fetched = fetch_files(&build, &files).await?;
                    let mut inner = self.0.borrow_mut();
                    for (file, bytes) in files.into_iter().zip(fetched) {
                        inner.searcher.add_file(file, &bytes).map_err(|e| FetchError::undecodable(file.name(&build), e))?;
                    }
                }
            }
        }
    }

    /// A query as typed, with the index's synonyms.
    pub fn parse(&self, text: &str) -> Query {
        self.with_manifest(|m| parse(text, &m.synonyms))
    }

    /// Runs a query, fetching the files it needs.
    pub async fn search(&self, text: &str, filters: &Filters, sort: Sort) -> Result<(Query, SearchResults), FetchError> {
        let query = self.parse(text);
        let results = self.resolve(|s| s.search(&query, filters, sort)).await?;
        Ok((query, results))
    }

    /// The document of a record id, `None` when the id is not in the index.
    pub async fn doc_of(&self, id: &str) -> Result<Option<u32>, FetchError> {
        self.resolve(|s| s.doc_of(id)).await
    }

    /// Totals over every record.
    pub async fn overview(&self) -> Result<Overview, FetchError> {
        self.resolve(|s| s.overview().cloned()).await
    }

    /// A place's projects per year (its page); empty for a code without records.
    pub async fn place(&self, code: &str) -> Result<Vec<YearTotals>, FetchError> {
        let build = self.build();
        let Ok(n) = code.parse::<u32>() else { return Ok(Vec::new()) };
        let file = FileId::Place(n);
        match fetch_files(&build, &[file]).await {
            Ok(mut fetched) => codec::decode_data(codec::PLACE_MAGIC, &build, &fetched.remove(0)).map_err(|e| FetchError::undecodable(file.name(&build), e)),
            Err(FetchError::Status(_, 404)) => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }

    /// Summaries of the given documents, in the same order.
    pub async fn summaries(&self, docs: &[u32]) -> Result<Vec<DocSummary>, FetchError> {
        let (build, size) = self.with_manifest(|m| (m.build.clone(), m.docs.size.max(1)));
        let needed: BTreeSet<u32> = docs.iter().map(|&d| d / size).filter(|b| !self.0.borrow().summaries.contains_key(b)).collect();
        let files: Vec<FileId> = needed.into_iter().map(FileId::Docs).collect();
        let fetched = fetch_files(&build, &files).await?;
        for (file, bytes) in files.into_iter().zip(fetched) {
            let FileId::Docs(block) = file else { continue };
            let list: Vec<DocSummary> =
                codec::decode_data(codec::DOCS_MAGIC, &build, &bytes).map_err(|e| FetchError::undecodable(file.name(&build), e))?;
            self.0.borrow_mut().summaries.insert(block, Rc::new(list));
        }
        let inner = self.0.borrow();
        docs.iter()
            .map(|&d| {
                let block = d / size;
                inner.summaries[&block]
                    .get((d % size) as usize)
                    .cloned()
                    .ok_or_else(|| FetchError::Mismatch(FileId::Docs(block).name(&build)))
            })
            .collect()
    }

    /// The full record of a document.
    pub async fn record(&self, doc: u32) -> Result<Record, FetchError> {
        let (build, size) = self.with_manifest(|m| (m.build.clone(), m.records.size.max(1)));
        let block = doc / size;
        let file = FileId::Records(block);
        if !self.0.borrow().records.contains_key(&block) {
            let bytes = fetch_files(&build, &[file]).await?.remove(0);
            let list: Vec<Record> =
                codec::decode_data(codec::RECORDS_MAGIC, &build, &bytes).map_err(|e| FetchError::undecodable(file.name(&build), e))?;
            self.0.borrow_mut().records.insert(block, Rc::new(list));
        }
        let inner = self.0.borrow();
        inner.records[&block].get((doc % size) as usize).cloned().ok_or_else(|| FetchError::Mismatch(file.name(&build)))
    }
}
