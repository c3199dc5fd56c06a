//! `indexer query`: the app's query engine, run natively on the built files.
//! It reads exactly the files the browser would fetch for the query.

use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;

use jixiao_core::index::codec;
use jixiao_core::index::columns::Columns;
use jixiao_core::index::docs::DocSummary;
use jixiao_core::index::manifest::{FileRef, Manifest};
use jixiao_core::search::snippet::{snippet, Segment};
use jixiao_core::search::{parse, Filters, SearchResults, Searcher, Sort};
use serde::Serialize;

use crate::sources::Problem;

/// A loaded index folder, reading term shards and summary blocks on demand.
pub struct LocalIndex {
    dir: std::path::PathBuf,
    pub searcher: Searcher,
    blocks: HashMap<usize, Vec<DocSummary>>,
    /// Bytes read so far (what the browser would have downloaded).
    pub bytes_read: u64,
}

fn problem(path: &Path, message: impl std::fmt::Display) -> Problem {
    Problem { file: path.display().to_string(), line: None, message: message.to_string() }
}

impl LocalIndex {
    pub fn open(dir: &Path) -> Result<LocalIndex, Problem> {
        let manifest_path = dir.join("manifest.bin");
        let bytes = std::fs::read(&manifest_path).map_err(|e| problem(&manifest_path, format!("{e} (run `indexer build` first)")))?;
        let manifest: Manifest = codec::decode(codec::MANIFEST_MAGIC, &bytes).map_err(|e| problem(&manifest_path, e))?;
        if manifest.format_version != jixiao_core::index::manifest::FORMAT_VERSION {
            return Err(problem(&manifest_path, format!("index format {} is not supported", manifest.format_version)));
        }
        let mut bytes_read = bytes.len() as u64;
        let columns_bytes = read_checked(dir, &manifest.columns)?;
        bytes_read += columns_bytes.len() as u64;
        let columns = Columns::decode(&columns_bytes).map_err(|e| problem(&dir.join(&manifest.columns.file), e))?;
        Ok(LocalIndex { dir: dir.to_path_buf(), searcher: Searcher::new(manifest, columns), blocks: HashMap::new(), bytes_read })
    }

    /// Runs a query, loading the shards it needs first.
    pub fn search(&mut self, text: &str, filters: &Filters, sort: Sort) -> Result<(jixiao_core::search::Query, SearchResults), Problem> {
        let query = parse(text, &self.searcher.manifest.synonyms);
        for shard in self.searcher.missing_shards(&query) {
            let file = self.searcher.manifest.term_shards[shard].file.clone();
            let bytes = read_checked(&self.dir, &file)?;
            self.bytes_read += bytes.len() as u64;
            self.searcher.add_shard(shard, &bytes).map_err(|e| problem(&self.dir.join(&file.file), e))?;
        }
        let results = self.searcher.search(&query, filters, sort).map_err(|e| problem(&self.dir, e))?;
        Ok((query, results))
    }

    /// The summary of a document, loading its block if needed.
    pub fn summary(&mut self, doc: u32) -> Result<&DocSummary, Problem> {
        let block = self.searcher.manifest.doc_block(doc);
        if !self.blocks.contains_key(&block) {
            let file = self.searcher.manifest.docs.files[block].clone();
            let bytes = read_checked(&self.dir, &file)?;
            self.bytes_read += bytes.len() as u64;
            let summaries: Vec<DocSummary> =
                codec::decode(codec::DOCS_MAGIC, &bytes).map_err(|e| problem(&self.dir.join(&file.file), e))?;
            self.blocks.insert(block, summaries);
        }
        let offset = doc as usize - block * self.searcher.manifest.docs.size as usize;
        self.blocks[&block].get(offset).ok_or_else(|| problem(&self.dir, format!("document {doc} missing from its block")))
    }
}

/// Reads an index file and checks it against the manifest.
pub fn read_checked(dir: &Path, file: &FileRef) -> Result<Vec<u8>, Problem> {
    let path = dir.join(&file.file);
    let bytes = std::fs::read(&path).map_err(|e| problem(&path, e))?;
    if bytes.len() as u64 != file.bytes || jixiao_core::index::bytes::content_hash(&bytes) != file.hash {
        return Err(problem(&path, "does not match the manifest (size or content hash)"));
    }
    Ok(bytes)
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

pub fn run(index: &Path, text: &str, json: bool, limit: usize) -> Result<ExitCode, Problem> {
    let mut local = LocalIndex::open(index)?;
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
    Ok(ExitCode::SUCCESS)
}
