//! `indexer query`: the app's query engine, run natively on the built files.
//! It reads exactly the files the browser would fetch for the query.

use std::cell::RefCell;
use std::path::Path;
use std::process::ExitCode;

use jixiao_core::index::docs::DocSummary;
use jixiao_core::index::reader::{self, IndexReader, ReadError};
use jixiao_core::index::FileId;
use jixiao_core::model::Record;
use jixiao_core::search::snippet::{snippet, Segment};
use jixiao_core::search::{parse, Filters, Query, SearchError, SearchResults, Searcher, Sort};
use serde::Serialize;

use crate::sources::Problem;
use crate::transport::decompress;

/// A built index folder, read file by file as queries need them — the same
/// files, in the same order, that the browser fetches, through the same
/// reader ([`jixiao_core::index::reader`]).
pub struct LocalIndex {
    dir: std::path::PathBuf,
    reader: RefCell<IndexReader>,
    /// Bytes read so far (what the browser would have downloaded).
    pub bytes_read: u64,
    /// Files read so far, in order.
    pub files_read: Vec<FileId>,
}

fn problem(path: &Path, message: impl std::fmt::Display) -> Problem {
    Problem { file: path.display().to_string(), line: None, message: message.to_string() }
}

/// The value of a future that never waits (reading files from disk).
fn ready<T>(future: impl std::future::Future<Output = T>) -> T {
    let mut future = std::pin::pin!(future);
    match future.as_mut().poll(&mut std::task::Context::from_waker(std::task::Waker::noop())) {
        std::task::Poll::Ready(value) => value,
        std::task::Poll::Pending => unreachable!("reading local files never waits"),
    }
}

impl LocalIndex {
    pub fn open(dir: &Path) -> Result<LocalIndex, Problem> {
        let manifest_path = dir.join("manifest.bin");
        let bytes = std::fs::read(&manifest_path).map_err(|e| problem(&manifest_path, format!("{e} (run `indexer build` first)")))?;
        let inflated = decompress(&bytes).map_err(|e| problem(&manifest_path, e))?;
        let reader = IndexReader::open(&inflated).map_err(|e| problem(&manifest_path, e.message_zh()))?;
        Ok(LocalIndex { dir: dir.to_path_buf(), reader: RefCell::new(reader), bytes_read: bytes.len() as u64, files_read: Vec::new() })
    }

    /// The engine, to adjust it (tests turn the phrase bonus off).
    pub fn searcher(&mut self) -> &mut Searcher {
        &mut self.reader.get_mut().searcher
    }

    pub fn build(&self) -> String {
        self.reader.borrow().manifest().build.clone()
    }

    /// Runs `step` until it no longer asks for files, reading them (and
    /// counting their stored bytes) in between.
    pub fn resolve<T>(&mut self, step: impl FnMut(&mut IndexReader) -> Result<T, SearchError>) -> Result<T, Problem> {
        let build = self.build();
        let LocalIndex { dir, reader, bytes_read, files_read } = self;
        let path = |file: FileId| dir.join(file.name(&build));
        let read = |files: Vec<FileId>| {
            let read_all = || -> Result<Vec<Vec<u8>>, Problem> {
                let mut inflated = Vec::with_capacity(files.len());
                for file in files {
                    let bytes = std::fs::read(path(file)).map_err(|e| problem(&path(file), e))?;
                    *bytes_read += bytes.len() as u64;
                    files_read.push(file);
                    inflated.push(decompress(&bytes).map_err(|e| problem(&path(file), e))?);
                }
                Ok(inflated)
            };
            std::future::ready(read_all())
        };
        let mut answer = None;
        ready(reader::resolve(reader, &mut reader::keeping(&mut answer, step), read)).map_err(|e| match e {
            ReadError::Fetch(problem) => problem,
            ReadError::Decode(file, e) => problem(&path(file), e),
            ReadError::Mismatch(file) => problem(&path(file), "asked for again after it was loaded"),
        })?;
        Ok(answer.expect("resolve returns once the step answered"))
    }

    /// Runs a query, reading the files it needs first.
    pub fn search(&mut self, text: &str, filters: &Filters, sort: Sort) -> Result<(Query, SearchResults), Problem> {
        let query = parse(text, &self.reader.borrow().manifest().synonyms);
        let results = self.resolve(|r| r.searcher.search(&query, filters, sort))?;
        Ok((query, results))
    }

    /// The summary of a document, reading its block if needed.
    pub fn summary(&mut self, doc: u32) -> Result<DocSummary, Problem> {
        Ok(self.resolve(|r| r.summaries(&[doc]))?.remove(0))
    }

    /// The full record of an id (or of an alias), as the project page loads it.
    pub fn record(&mut self, id: &str) -> Result<Option<Record>, Problem> {
        self.resolve(|r| r.record_of(id))
    }
}

#[derive(Serialize)]
pub struct HitOutput {
    pub id: String,
    pub name: String,
    pub region: String,
    pub region_code: Option<String>,
    pub year: Option<u16>,
    pub department: Option<String>,
    pub total_yuan: Option<i64>,
    pub score: f32,
    pub snippet: String,
}

pub fn render_snippet(segments: &[Segment]) -> String {
    segments.iter().map(|s| if s.hit { format!("【{}】", s.text) } else { s.text.clone() }).collect()
}

pub fn run(index: &Path, text: &str, json: bool, limit: usize, files: bool) -> Result<ExitCode, Problem> {
    let mut local = LocalIndex::open(index)?;
    let manifest_bytes = local.bytes_read;
    let (query, results) = local.search(text, &Filters::default(), Sort::Relevance)?;
    let mut out = Vec::new();
    for hit in results.hits.iter().take(limit) {
        let s = local.summary(hit.doc)?;
        let texts: Vec<&str> = [2, 3].iter().filter_map(|&f| s.fields.get(f).map(String::as_str)).collect();
        out.push(HitOutput {
            id: s.id.clone(),
            name: s.name.clone(),
            region: s.region.short_name().to_string(),
            region_code: s.region.code.clone(),
            year: s.year,
            department: s.department.clone(),
            total_yuan: s.total_yuan,
            score: hit.score,
            snippet: snippet(&texts, &query).map(|s| render_snippet(&s)).unwrap_or_default(),
        });
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&out).expect("hits serialise"));
    } else {
        for note in &results.notes {
            println!("（{note}）");
        }
        let partial = results.hits.iter().filter(|h| !h.full).count();
        let label = match partial {
            0 => String::new(),
            _ if results.partial => "（部分匹配）".into(),
            n => format!("（其中 {n} 个部分匹配）"),
        };
        println!("{} 个结果{label}", results.hits.len());
        for (i, h) in out.iter().enumerate() {
            println!("{:>2}. {} · {} · {} [{}]\n    {}", i + 1, h.name, h.region, h.year.map_or("-".into(), |y| y.to_string()), h.id, h.snippet);
        }
    }
    if files {
        let build = local.build();
        let names: Vec<String> = local.files_read.iter().map(|f| f.name(&build)).collect();
        eprintln!(
            "read {} files, {} bytes after the manifest ({} bytes): {}",
            names.len(),
            local.bytes_read - manifest_bytes,
            manifest_bytes,
            names.join(" ")
        );
    }
    Ok(ExitCode::SUCCESS)
}
