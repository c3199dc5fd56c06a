//! The index as the app holds it: the manifest at start, every other file
//! fetched when a query, a page or a chart first needs it, and kept for
//! the session (file names carry the build id, so the browser may cache
//! them forever too). What is kept and the fetch loop are the core's
//! ([`jixiao_core::index::reader`]); the store fetches over HTTP.

use std::cell::RefCell;
use std::rc::Rc;

use jixiao_core::index::docs::DocSummary;
use jixiao_core::index::codec;
use jixiao_core::index::manifest::Manifest;
use jixiao_core::index::overview::{Overview, YearTotals};
use jixiao_core::index::reader::{self, IndexReader, ReadError};
use jixiao_core::index::FileId;
use jixiao_core::model::Record;
use jixiao_core::search::{parse, Filters, Query, SearchError, SearchResults, Sort};

use crate::fetch::{fetch_bytes, fetch_files, FetchError, INDEX_DIR};

/// Shared handle to the loaded index.
#[derive(Clone)]
pub struct Store(Rc<RefCell<IndexReader>>);

impl Store {
    /// Loads the manifest.
    pub async fn load() -> Result<Store, FetchError> {
        let bytes = fetch_bytes(&format!("{INDEX_DIR}manifest.bin")).await?;
        let reader = IndexReader::open(&bytes).map_err(|e| FetchError::Corrupt("manifest.bin".into(), e.message_zh()))?;
        Ok(Store(Rc::new(RefCell::new(reader))))
    }

    /// The same index with nothing fetched but the manifest (a cold start,
    /// for measurements).
    #[cfg(feature = "bench")]
    pub fn cold_copy(&self) -> Store {
        Store(Rc::new(RefCell::new(IndexReader::with_nothing_fetched(self.with_manifest(Manifest::clone)))))
    }

    pub fn with_manifest<T>(&self, f: impl FnOnce(&Manifest) -> T) -> T {
        f(self.0.borrow().manifest())
    }

    /// Runs `step` until it no longer lacks files, fetching what it names.
    async fn resolve<T>(&self, step: impl FnMut(&mut IndexReader) -> Result<T, SearchError>) -> Result<T, FetchError> {
        let mut answer = None;
        self.resolve_once(&mut reader::keeping(&mut answer, step)).await?;
        Ok(answer.expect("resolve returns once the step answered"))
    }

    /// The fetch loop, compiled once whatever the step answers.
    async fn resolve_once(&self, step: &mut dyn FnMut(&mut IndexReader) -> Result<(), SearchError>) -> Result<(), FetchError> {
        let build = self.with_manifest(|m| m.build.clone());
        let fetch = |files: Vec<FileId>| {
            let build = build.clone();
            async move { fetch_files(&build, &files).await }
        };
        reader::resolve(&self.0, step, fetch).await.map_err(|e| match e {
            ReadError::Fetch(e) => e,
            ReadError::Decode(file, e) => FetchError::undecodable(file.name(&build), e),
            ReadError::Mismatch(file) => FetchError::Mismatch(file.name(&build)),
        })
    }

    /// A query as typed, with the index's synonyms.
    pub fn parse(&self, text: &str) -> Query {
        self.with_manifest(|m| parse(text, &m.synonyms))
    }

    /// Runs a query, fetching the files it needs.
    pub async fn search(&self, text: &str, filters: &Filters, sort: Sort) -> Result<(Query, SearchResults), FetchError> {
        let query = self.parse(text);
        let results = self.resolve(|r| r.searcher.search(&query, filters, sort)).await?;
        Ok((query, results))
    }

    /// The document of a record id, `None` when the id is not in the index.
    pub async fn doc_of(&self, id: &str) -> Result<Option<u32>, FetchError> {
        self.resolve(|r| r.searcher.doc_of(id)).await
    }

    /// Totals over every record.
    pub async fn overview(&self) -> Result<Overview, FetchError> {
        self.resolve(|r| r.searcher.overview().cloned()).await
    }

    /// A place's projects per year (its page); empty for a code without records.
    pub async fn place(&self, code: &str) -> Result<Vec<YearTotals>, FetchError> {
        let build = self.with_manifest(|m| m.build.clone());
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
        self.resolve(|r| r.summaries(docs)).await
    }

    /// The full record of a document.
    pub async fn record(&self, doc: u32) -> Result<Record, FetchError> {
        self.resolve(|r| r.record(doc)).await
    }

    /// The full record of an id, `None` for an id the index does not know.
    pub async fn record_of(&self, id: &str) -> Result<Option<Record>, FetchError> {
        self.resolve(|r| r.record_of(id)).await
    }
}
