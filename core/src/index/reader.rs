//! The index as a reader holds it: the checked manifest, the engine with
//! the files it has, and the summaries and records fetched so far. Written
//! once for both readers: the app's store (files over HTTP) and the
//! indexer's `LocalIndex` (files on disk). Neither does more than hand
//! [`resolve`] a way to get files.
//!
//! Every answer that needs files it lacks is [`SearchError::Missing`]; the
//! loop in [`resolve`] gets them all at once, adds them and asks again, so
//! a query takes a few round trips (dictionary pages, then postings, then
//! column blocks, then summaries), not one per file.

use std::cell::RefCell;
use std::future::Future;

use super::bytes::DecodeError;
use super::codec;
use super::docs::DocSummary;
use super::manifest::{Manifest, FORMAT_VERSION};
use super::FileId;
use crate::model::Record;
use crate::search::engine::FxHashMap;
use crate::search::{SearchError, Searcher};

pub struct IndexReader {
    pub searcher: Searcher,
    summaries: FxHashMap<u32, Vec<DocSummary>>,
    records: FxHashMap<u32, Vec<Record>>,
}

/// Why a manifest cannot be used.
#[derive(Clone, Debug, PartialEq)]
pub enum ManifestError {
    Decode(DecodeError),
    /// Written for another format version than this reader's.
    Version(u32),
}

impl ManifestError {
    pub fn message_zh(&self) -> String {
        match self {
            ManifestError::Decode(e) => e.message_zh(),
            ManifestError::Version(v) => format!("索引格式版本 {v} 与本程序（{FORMAT_VERSION}）不符"),
        }
    }
}

/// Why [`resolve`] gave up.
#[derive(Clone, Debug, PartialEq)]
pub enum ReadError<E> {
    /// Getting files failed.
    Fetch(E),
    /// A file could not be decoded (damaged, or of another build).
    Decode(FileId, DecodeError),
    /// A file was asked for again after it was added: the files disagree
    /// with each other.
    Mismatch(FileId),
}

impl IndexReader {
    /// Checks an (inflated) `manifest.bin`: its encoding and format version.
    pub fn open(manifest: &[u8]) -> Result<IndexReader, ManifestError> {
        let manifest: Manifest = codec::decode(codec::MANIFEST_MAGIC, manifest).map_err(ManifestError::Decode)?;
        if manifest.format_version != FORMAT_VERSION {
            return Err(ManifestError::Version(manifest.format_version));
        }
        Ok(IndexReader::with_nothing_fetched(manifest))
    }

    /// A reader of the manifest's build that has fetched nothing else.
    pub fn with_nothing_fetched(manifest: Manifest) -> IndexReader {
        IndexReader { searcher: Searcher::new(manifest), summaries: FxHashMap::default(), records: FxHashMap::default() }
    }

    pub fn manifest(&self) -> &Manifest {
        &self.searcher.manifest
    }

    /// Decodes and keeps a fetched file (inflated).
    pub fn add_file(&mut self, file: FileId, bytes: &[u8]) -> Result<(), DecodeError> {
        let build = &self.searcher.manifest.build;
        match file {
            FileId::Docs(block) => {
                self.summaries.insert(block, codec::decode_data(codec::DOCS_MAGIC, build, bytes)?);
            }
            FileId::Records(block) => {
                self.records.insert(block, codec::decode_data(codec::RECORDS_MAGIC, build, bytes)?);
            }
            _ => self.searcher.add_file(file, bytes)?,
        }
        Ok(())
    }

    pub fn has_file(&self, file: FileId) -> bool {
        match file {
            FileId::Docs(block) => self.summaries.contains_key(&block),
            FileId::Records(block) => self.records.contains_key(&block),
            _ => self.searcher.has_file(file),
        }
    }

    /// Summaries of the given documents, in the same order.
    pub fn summaries(&self, docs: &[u32]) -> Result<Vec<DocSummary>, SearchError> {
        let size = self.manifest().docs.size.max(1);
        // Inserted into a set one by one: no slice sort in the app (see
        // `core::order`; collecting into a set would sort).
        let mut missing = std::collections::BTreeSet::new();
        for block in docs.iter().map(|d| d / size).filter(|b| !self.summaries.contains_key(b)) {
            missing.insert(FileId::Docs(block));
        }
        if !missing.is_empty() {
            return Err(SearchError::Missing(missing.into_iter().collect()));
        }
        docs.iter().map(|&d| in_block(&self.summaries, FileId::Docs(d / size), d % size).cloned()).collect()
    }

    /// The full record of a document.
    pub fn record(&self, doc: u32) -> Result<Record, SearchError> {
        let size = self.manifest().records.size.max(1);
        let file = FileId::Records(doc / size);
        if !self.has_file(file) {
            return Err(SearchError::Missing(vec![file]));
        }
        in_block(&self.records, file, doc % size).cloned()
    }

    /// The full record of an id (or of an alias), `None` for an id the
    /// index does not know.
    pub fn record_of(&self, id: &str) -> Result<Option<Record>, SearchError> {
        let Some(doc) = self.searcher.doc_of(id)? else { return Ok(None) };
        self.record(doc).map(Some)
    }
}

/// The `offset`-th item of a loaded block.
fn in_block<T>(blocks: &FxHashMap<u32, Vec<T>>, file: FileId, offset: u32) -> Result<&T, SearchError> {
    let (FileId::Docs(block) | FileId::Records(block)) = file else { unreachable!("blocks are docs or records") };
    blocks
        .get(&block)
        .and_then(|items| items.get(offset as usize))
        .ok_or(SearchError::Decode(file, DecodeError::Malformed("document missing from its block")))
}

/// Runs `step` until it no longer lacks files, getting the files it names
/// with `fetch` (all of a step at once, inflated, in the order asked) in
/// between. The reader is borrowed only while `step` runs or files are
/// added, never while `fetch` waits. (`step` keeps its own answer, so this
/// loop is compiled once for every kind of answer.)
pub async fn resolve<E, Fetched>(
    reader: &RefCell<IndexReader>,
    step: &mut dyn FnMut(&mut IndexReader) -> Result<(), SearchError>,
    mut fetch: impl FnMut(Vec<FileId>) -> Fetched,
) -> Result<(), ReadError<E>>
where
    Fetched: Future<Output = Result<Vec<Vec<u8>>, E>>,
{
    loop {
        let outcome = step(&mut reader.borrow_mut());
        match outcome {
            Ok(()) => return Ok(()),
            Err(SearchError::Decode(file, e)) => return Err(ReadError::Decode(file, e)),
            Err(SearchError::Missing(files)) => {
                if let Some(&loaded) = files.iter().find(|&&f| reader.borrow().has_file(f)) {
                    return Err(ReadError::Mismatch(loaded));
                }
                let fetched = fetch(files.clone()).await.map_err(ReadError::Fetch)?;
                let mut reader = reader.borrow_mut();
                for (file, bytes) in files.into_iter().zip(fetched) {
                    reader.add_file(file, &bytes).map_err(|e| ReadError::Decode(file, e))?;
                }
            }
        }
    }
}

/// Adapts a step that answers `T` to [`resolve`]: the answer lands in `out`.
pub fn keeping<'a, T>(
    out: &'a mut Option<T>,
    mut step: impl FnMut(&mut IndexReader) -> Result<T, SearchError> + 'a,
) -> impl FnMut(&mut IndexReader) -> Result<(), SearchError> + 'a {
    move |reader| {
        *out = Some(step(reader)?);
        Ok(())
    }
}
