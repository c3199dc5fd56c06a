//! The index as the app holds it: manifest and columns loaded at start,
//! term shards, summary blocks and record blocks fetched when first needed
//! and kept for the session.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use jixiao_core::index::codec;
use jixiao_core::index::columns::Columns;
use jixiao_core::index::docs::DocSummary;
use jixiao_core::index::manifest::{Manifest, FORMAT_VERSION};
use jixiao_core::model::Record;
use jixiao_core::search::{parse, Filters, Query, SearchResults, Searcher, Sort};

use crate::fetch::{fetch_bytes, fetch_checked, FetchError, INDEX_DIR};

struct Inner {
    searcher: Searcher,
    summaries: HashMap<usize, Rc<Vec<DocSummary>>>,
    records: HashMap<usize, Rc<Vec<Record>>>,
}

/// Shared handle to the loaded index.
#[derive(Clone)]
pub struct Store(Rc<RefCell<Inner>>);

impl Store {
    /// Loads the manifest and the columns.
    pub async fn load() -> Result<Store, FetchError> {
        let bytes = fetch_bytes(&format!("{INDEX_DIR}manifest.bin")).await?;
        let manifest: Manifest =
            codec::decode(codec::MANIFEST_MAGIC, &bytes).map_err(|e| FetchError::Corrupt("manifest.bin".into(), e.to_string()))?;
        if manifest.format_version != FORMAT_VERSION {
            return Err(FetchError::Corrupt(
                "manifest.bin".into(),
                format!("索引格式版本 {} 与本页面（{FORMAT_VERSION}）不符", manifest.format_version),
            ));
        }
        let columns_bytes = fetch_checked(std::slice::from_ref(&manifest.columns)).await?.remove(0);
        let columns =
            Columns::decode(&columns_bytes).map_err(|e| FetchError::Corrupt(manifest.columns.file.clone(), e.to_string()))?;
        if columns.doc_count() != manifest.doc_count as usize {
            return Err(FetchError::Mismatch(manifest.columns.file.clone()));
        }
        Ok(Store(Rc::new(RefCell::new(Inner {
            searcher: Searcher::new(manifest, columns),
            summaries: HashMap::new(),
            records: HashMap::new(),
        }))))
    }

    pub fn with_manifest<T>(&self, f: impl FnOnce(&Manifest) -> T) -> T {
        f(&self.0.borrow().searcher.manifest)
    }

    pub fn with_columns<T>(&self, f: impl FnOnce(&Columns) -> T) -> T {
        f(&self.0.borrow().searcher.columns)
    }

    /// Runs a query, fetching the term shards it needs first.
    pub async fn search(&self, text: &str, filters: &Filters, sort: Sort) -> Result<(Query, SearchResults), FetchError> {
        let query = self.with_manifest(|m| parse(text, &m.synonyms));
        // Every missing shard at once: the query waits for the slowest, not the sum.
        let missing = self.0.borrow().searcher.missing_shards(&query);
        let files: Vec<_> = self.with_manifest(|m| missing.iter().map(|&s| m.term_shards[s].file.clone()).collect());
        let fetched = fetch_checked(&files).await?;
        for ((shard, file), bytes) in missing.into_iter().zip(&files).zip(fetched) {
            self.0
                .borrow_mut()
                .searcher
                .add_shard(shard, &bytes)
                .map_err(|e| FetchError::Corrupt(file.file.clone(), e.to_string()))?;
        }
        let results = self
            .0
            .borrow_mut()
            .searcher
            .search(&query, filters, sort)
            .map_err(|e| FetchError::Corrupt("terms".into(), e.to_string()))?;
        Ok((query, results))
    }

    /// Summaries of the given documents, in the same order.
    pub async fn summaries(&self, docs: &[u32]) -> Result<Vec<DocSummary>, FetchError> {
        let (size, blocks) = self.with_manifest(|m| (m.docs.size.max(1), m.docs.files.clone()));
        let needed: std::collections::BTreeSet<usize> = docs.iter().map(|&d| (d / size) as usize).collect();
        let mut files = Vec::new();
        for block in needed.into_iter().filter(|b| !self.0.borrow().summaries.contains_key(b)) {
            files.push((block, blocks.get(block).ok_or_else(|| FetchError::Mismatch(format!("docs block {block}")))?.clone()));
        }
        let refs: Vec<_> = files.iter().map(|(_, f)| f.clone()).collect();
        let fetched = fetch_checked(&refs).await?;
        for ((block, file), bytes) in files.into_iter().zip(fetched) {
            let list: Vec<DocSummary> =
                codec::decode(codec::DOCS_MAGIC, &bytes).map_err(|e| FetchError::Corrupt(file.file.clone(), e.to_string()))?;
            self.0.borrow_mut().summaries.insert(block, Rc::new(list));
        }
        let inner = self.0.borrow();
        docs.iter()
            .map(|&d| {
                let block = (d / size) as usize;
                inner.summaries[&block]
                    .get((d % size) as usize)
                    .cloned()
                    .ok_or_else(|| FetchError::Mismatch(format!("docs block {block}")))
            })
            .collect()
    }

    /// The full record of a document.
    pub async fn record(&self, doc: u32) -> Result<Record, FetchError> {
        let (size, blocks) = self.with_manifest(|m| (m.records.size.max(1), m.records.files.clone()));
        let block = (doc / size) as usize;
        if !self.0.borrow().records.contains_key(&block) {
            let file = blocks.get(block).ok_or_else(|| FetchError::Mismatch(format!("records block {block}")))?;
            let bytes = fetch_checked(std::slice::from_ref(file)).await?.remove(0);
            let list: Vec<Record> =
                codec::decode(codec::RECORDS_MAGIC, &bytes).map_err(|e| FetchError::Corrupt(file.file.clone(), e.to_string()))?;
            self.0.borrow_mut().records.insert(block, Rc::new(list));
        }
        let inner = self.0.borrow();
        inner.records[&block].get((doc % size) as usize).cloned().ok_or_else(|| FetchError::Mismatch(format!("records block {block}")))
    }
}
