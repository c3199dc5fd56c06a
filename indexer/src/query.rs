//! `indexer query`: the app's query engine, run natively on the built files.
//! It reads exactly the files the browser would fetch for the query.

use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;

use jixiao_core::index::codec;
use jixiao_core::index::docs::DocSummary;
use jixiao_core::index::manifest::{Manifest, FORMAT_VERSION};
use jixiao_core::index::FileId;
use jixiao_core::model::Record;
use jixiao_core::search::snippet::{snippet, Segment};
use jixiao_core::search::{parse, Filters, Query, SearchError, SearchResults, Searcher, Sort};
use serde::Serialize;

use crate::sources::Problem;
use crate::transport::decompress;

/// A built index folder, read file by file as queries need them — the same
/// files, in the same order, that the browser fetches.
pub struct LocalIndex {
    dir: std::path::PathBuf,
    pub searcher: Searcher,
    summaries: HashMap<u32, Vec<DocSummary>>,
    /// Bytes read so far (what the browser would have downloaded).
    pub bytes_read: u64,
    /// Files read so far, in order.
    pub files_read: Vec<FileId>,
}

fn problem(path: &Path, message: impl std::fmt::Display) -> Problem {
    Problem { file: path.display().to_string(), line: None, message: message.to_string() }
}

impl LocalIndex {
    pub fn open(dir: &Path) -> Result<LocalIndex, Problem> {
        let manifest_path = dir.join("manifest.bin");
        let bytes = std::fs::read(&manifest_path).map_err(|e| problem(&manifest_path, format!("{e} (run `indexer build` first)")))?;
        let inflated = decompress(&bytes).map_err(|e| problem(&manifest_path, e))?;
        let manifest: Manifest = codec::decode(codec::MANIFEST_MAGIC, &inflated).map_err(|e| problem(&manifest_path, e))?;
        if manifest.format_version != FORMAT_VERSION {
            return Err(problem(&manifest_path, format!("index format {} is not supported", manifest.format_version)));
        }
        Ok(LocalIndex {
            dir: dir.to_path_buf(),
            searcher: Searcher::new(manifest),
            summaries: HashMap::new(),
            bytes_read: bytes.len() as u64,
            files_read: Vec::new(),
        })
    }

    fn path(&self, file: FileId) -> std::path::PathBuf {
        self.dir.join(file.name(&self.searcher.manifest.build))
    }

    /// Reads one file of the build (inflated), counting its stored bytes.
    pub fn read(&mut self, file: FileId) -> Result<Vec<u8>, Problem> {
        let path = self.path(file);
        let bytes = std::fs::read(&path).map_err(|e| problem(&path, e))?;
        self.bytes_read += bytes.len() as u64;
        self.files_read.push(file);
        decompress(&bytes).map_err(|e| problem(&path, e))
    }

    /// Runs `step` until it no longer asks for files, reading them in between.
    pub fn resolve<T>(&mut self, mut step: impl FnMut(&mut Searcher) -> Result<T, SearchError>) -> Result<T, Problem> {
        loop {
            match step(&mut self.searcher) {
                Ok(value) => return Ok(value),
                Err(SearchError::Missing(files)) => {
                    for file in files {
                        if self.searcher.has_file(file) {
                            return Err(problem(&self.path(file), "asked for again after it was loaded"));
                        }
                        let bytes = self.read(file)?;
                        self.searcher.add_file(file, &bytes).map_err(|e| problem(&self.path(file), e))?;
                    }
                }
                Err(SearchError::Decode(file, e)) => return Err(problem(&self.path(file), e)),
            }
        }
    }

    /// Runs a query, reading the files it needs first.
    pub fn search(&mut self, text: &str, filters: &Filters, sort: Sort) -> Result<(Query, SearchResults), Problem> {
        let query = parse(text, &self.searcher.manifest.synonyms);
        let results = self.resolve(|s| s.search(&query, filters, sort))?;
        Ok((query, results))
    }

    /// The summary of a document, reading its block if needed.
    pub fn summary(&mut self, doc: u32) -> Result<&DocSummary, Problem> {
        let block = self.searcher.manifest.doc_block(doc);
        if !self.summaries.contains_key(&block) {
            let file = FileId::Docs(block);
            let bytes = self.read(file)?;
            let summaries: Vec<DocSummary> = codec::decode_data(codec::DOCS_MAGIC, &self.searcher.manifest.build, &bytes)
                .map_err(|e| problem(&self.path(file), e))?;
            self.summaries.insert(block, summaries);
        }
        let offset = (doc - block * self.searcher.manifest.docs.size) as usize;
        self.summaries[&block].get(offset).ok_or_else(|| problem(&self.path(FileId::Docs(block)), format!("document {doc} missing from its block")))
    }

    /// The full record of an id (or of an alias), as the project page loads it.
    pub fn record(&mut self, id: &str) -> Result<Option<Record>, Problem> {
        let Some(doc) = self.resolve(|s| s.doc_of(id))? else { return Ok(None) };
        let block = self.searcher.manifest.record_block(doc);
        let file = FileId::Records(block);
        let bytes = self.read(file)?;
        let records: Vec<Record> = codec::decode_data(codec::RECORDS_MAGIC, &self.searcher.manifest.build, &bytes)
            .map_err(|e| problem(&self.path(file), e))?;
        let offset = (doc - block * self.searcher.manifest.records.size) as usize;
        records.into_iter().nth(offset).map(Some).ok_or_else(|| problem(&self.path(file), format!("document {doc} missing from its block")))
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
        println!("{} 个结果{}", results.hits.len(), if results.partial { "（部分匹配）" } else { "" });
        for (i, h) in out.iter().enumerate() {
            println!("{:>2}. {} · {} · {} [{}]\n    {}", i + 1, h.name, h.region, h.year.map_or("-".into(), |y| y.to_string()), h.id, h.snippet);
        }
    }
    if files {
        let build = local.searcher.manifest.build.clone();
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
