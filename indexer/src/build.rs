//! `indexer build`: data/ → every file the site serves, in one folder
//! (`public/idx/` by default, which Trunk copies into the site).
//!
//! ```text
//! manifest.bin (+ manifest.json)    format version, file list, BM25 numbers, synonyms
//! terms-<n>.<hash>.bin               term shards
//! columns.<hash>.bin                 per-document columns
//! docs-<n>.<hash>.bin                result summaries, in blocks
//! records-<n>.<hash>.bin             full records, in blocks
//! download/jixiao-records.{json,csv} the dataset; download/datapackage.json describes it
//! pages/<id>.html                    a static page per record (readable without JavaScript)
//! quality.json                       what extraction made of each document
//! ```
//!
//! The folder is written next to the old one and swapped in at the end, so
//! a failed build never leaves a half-written index.

use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use jixiao_core::index::bytes::content_hash;
use jixiao_core::index::codec;
use jixiao_core::index::columns::{fund_bit, Columns, DocRow};
use jixiao_core::index::docs::{search_fields, DocSummary, FIELDS, FIELD_WEIGHTS};
use jixiao_core::index::manifest::{Blocks, Downloads, FieldInfo, FileRef, Manifest, TermShardRef, FORMAT_VERSION};
use jixiao_core::index::terms::write_shards;
use jixiao_core::model::{Kind, Record, Region};
use serde::Deserialize;

use crate::sources::Problem;
use crate::{index, pages, similar, Extraction};

/// Target size of a term shard: small enough that a query downloads a few
/// kilobytes, large enough that the directory in the manifest stays short.
pub const SHARD_BYTES: usize = 3 * 1024;
/// Documents per summary block (small: a page of results touches only the
/// blocks of its documents) and per record block.
pub const DOC_BLOCK: u32 = 2;
pub const RECORD_BLOCK: u32 = 16;

pub fn run(data: &Path, out: &Path, strict: bool) -> Result<ExitCode, Problem> {
    let started = Instant::now();
    let extraction = crate::extract_data(data)?;
    let synonyms = read_synonyms(data)?;
    let stats = write_site(&extraction, &synonyms, out)?;
    report(&extraction, &stats, started.elapsed().as_secs_f64());
    let problems = !extraction.problems.is_empty()
        || extraction.records.iter().any(|r| !r.warnings.is_empty())
        || extraction.reports.iter().any(|r| !r.unaccounted_lines.is_empty());
    Ok(if strict && problems { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

#[derive(Deserialize)]
struct SynonymFile {
    groups: Vec<Vec<String>>,
}

pub fn read_synonyms(data: &Path) -> Result<Vec<Vec<String>>, Problem> {
    let path = data.join("synonyms.toml");
    let shown = path.display().to_string();
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Problem { file: shown, line: None, message: e.to_string() }),
    };
    let file: SynonymFile = toml::from_str(&text).map_err(|e| Problem {
        file: shown,
        line: e.span().map(|s| text[..s.start].lines().count().max(1) as u32),
        message: e.message().to_string(),
    })?;
    Ok(file.groups)
}

pub struct SiteStats {
    pub files: usize,
    pub bytes: u64,
    pub terms: usize,
}

fn io_problem(path: &Path, e: impl std::fmt::Display) -> Problem {
    Problem { file: path.display().to_string(), line: None, message: e.to_string() }
}

/// Writes every file of the site's index folder.
pub fn write_site(extraction: &Extraction, synonyms: &[Vec<String>], out: &Path) -> Result<SiteStats, Problem> {
    let records = &extraction.records;
    let staging = out.with_extension("staging");
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(staging.join("pages")).map_err(|e| io_problem(&staging, e))?;
    std::fs::create_dir_all(staging.join("download")).map_err(|e| io_problem(&staging, e))?;
    let mut written: Vec<FileRef> = Vec::new();
    let mut write_hashed = |stem: &str, ext: &str, bytes: &[u8]| -> Result<FileRef, Problem> {
        let hash = content_hash(bytes);
        let file = format!("{stem}.{hash}.{ext}");
        let path = staging.join(&file);
        std::fs::write(&path, bytes).map_err(|e| io_problem(&path, e))?;
        let r = FileRef { file, bytes: bytes.len() as u64, hash };
        written.push(r.clone());
        Ok(r)
    };

    // Search index.
    let texts: Vec<Vec<String>> = records.iter().map(search_fields).collect();
    let tantivy = index::tantivy_index(&texts).map_err(|e| io_problem(out, format!("tantivy: {e}")))?;
    let compiled = index::compile(&tantivy, &texts).map_err(|e| io_problem(out, format!("tantivy: {e}")))?;
    let mut term_shards = Vec::new();
    for (n, (first, bytes)) in write_shards(compiled.terms.iter().map(|(t, p)| (t.as_str(), p)), SHARD_BYTES).into_iter().enumerate() {
        term_shards.push(TermShardRef { first, file: write_hashed(&format!("terms-{n}"), "bin", &bytes)? });
    }
    let fields = FIELDS
        .iter()
        .zip(FIELD_WEIGHTS)
        .zip(&compiled.lengths)
        .map(|((name, weight), lengths)| FieldInfo {
            name: name.to_string(),
            weight,
            average_length: lengths.iter().sum::<u32>() as f32 / lengths.len().max(1) as f32,
        })
        .collect();
    let columns = write_hashed("columns", "bin", &columns(records, compiled.lengths.clone()).encode())?;

    // Summaries and records, in blocks.
    let similar = similar::similar_projects(records, &compiled.terms);
    let mut docs = Blocks { size: DOC_BLOCK, files: Vec::new() };
    for (n, chunk) in records.chunks(DOC_BLOCK as usize).enumerate() {
        let start = n * DOC_BLOCK as usize;
        let summaries: Vec<DocSummary> = chunk
            .iter()
            .enumerate()
            .map(|(i, r)| DocSummary::of(r, similar[start + i].iter().map(|&d| records[d].id.clone()).collect()))
            .collect();
        let bytes = codec::encode(codec::DOCS_MAGIC, &summaries);
        docs.files.push(write_hashed(&format!("docs-{n}"), "bin", &bytes)?);
    }
    let mut record_blocks = Blocks { size: RECORD_BLOCK, files: Vec::new() };
    for (n, chunk) in records.chunks(RECORD_BLOCK as usize).enumerate() {
        let bytes = codec::encode(codec::RECORDS_MAGIC, &chunk.to_vec());
        record_blocks.files.push(write_hashed(&format!("records-{n}"), "bin", &bytes)?);
    }

    // Downloads, pages, quality report.
    let downloads = Downloads {
        json: "download/jixiao-records.json".into(),
        csv: "download/jixiao-records.csv".into(),
        datapackage: "download/datapackage.json".into(),
    };
    let plain = |name: &str, bytes: &[u8]| -> Result<(), Problem> {
        let path = staging.join(name);
        std::fs::write(&path, bytes).map_err(|e| io_problem(&path, e))
    };
    plain(&downloads.json, crate::export::to_json(records).as_bytes())?;
    plain(&downloads.csv, jixiao_core::csv::records_to_csv(records).as_bytes())?;
    plain(&downloads.datapackage, crate::export::datapackage(records).as_bytes())?;
    for record in records {
        let similar_records: Vec<&Record> =
            similar[records.iter().position(|r| r.id == record.id).unwrap_or(0)].iter().map(|&d| &records[d]).collect();
        plain(&format!("pages/{}.html", record.id), pages::render(record, &similar_records).as_bytes())?;
    }
    plain("pages/index.html", pages::render_index(records).as_bytes())?;
    plain("quality.json", serde_json::to_string_pretty(&quality(extraction)).expect("report serialises").as_bytes())?;

    let manifest = Manifest {
        format_version: FORMAT_VERSION,
        doc_count: records.len() as u32,
        fields,
        term_shards,
        columns,
        docs,
        records: record_blocks,
        synonyms: synonyms.to_vec(),
        downloads,
        pages_dir: "pages".into(),
    };
    // The app reads the binary manifest; the JSON one is the same for people.
    let manifest_bin = codec::encode(codec::MANIFEST_MAGIC, &manifest);
    plain("manifest.bin", &manifest_bin)?;
    plain("manifest.json", serde_json::to_string_pretty(&manifest).expect("manifest serialises").as_bytes())?;

    // Swap the new folder in.
    if out.exists() {
        std::fs::remove_dir_all(out).map_err(|e| io_problem(out, e))?;
    }
    if let Some(parent) = out.parent() {
        std::fs::create_dir_all(parent).map_err(|e| io_problem(parent, e))?;
    }
    std::fs::rename(&staging, out).map_err(|e| io_problem(out, e))?;
    Ok(SiteStats {
        files: written.len() + 1,
        bytes: written.iter().map(|f| f.bytes).sum::<u64>() + manifest_bin.len() as u64,
        terms: compiled.terms.len(),
    })
}

/// Numbers each distinct value in first-seen order.
struct Interner<T> {
    values: Vec<T>,
    index: HashMap<T, u32>,
}

impl<T: std::hash::Hash + Eq + Clone> Interner<T> {
    fn new() -> Self {
        Interner { values: Vec::new(), index: HashMap::new() }
    }

    fn intern(&mut self, value: &T) -> u32 {
        if let Some(&i) = self.index.get(value) {
            return i;
        }
        let i = self.values.len() as u32;
        self.values.push(value.clone());
        self.index.insert(value.clone(), i);
        i
    }
}

/// The per-document columns of the records.
pub fn columns(records: &[Record], lengths: Vec<Vec<u32>>) -> Columns {
    let mut regions: Interner<Region> = Interner::new();
    let mut departments: Interner<String> = Interner::new();
    let mut units: Interner<String> = Interner::new();
    let rows = records
        .iter()
        .map(|r| DocRow {
            id: r.id.clone(),
            aliases: r.alias_ids.clone(),
            kind: r.kind,
            year: r.year,
            region: r.region.code.as_ref().map(|_| regions.intern(&r.region)),
            department: r.department.as_ref().map(|d| departments.intern(d)),
            unit: r.implementing_unit.as_ref().map(|u| units.intern(u)),
            funds: r.fund_sources.iter().fold(0, |m, t| m | fund_bit(t.source)),
            inferred: r.fund_sources.iter().filter(|t| t.inferred).fold(0, |m, t| m | fund_bit(t.source)),
            total_yuan: r.money.total_yuan,
        })
        .collect();
    Columns { lengths, regions: regions.values, departments: departments.values, units: units.values, rows }
}

#[derive(serde::Serialize)]
struct Quality<'a> {
    documents: Vec<DocumentQuality<'a>>,
    problems: &'a [Problem],
    records: usize,
    projects: usize,
    departments: usize,
}

#[derive(serde::Serialize)]
struct DocumentQuality<'a> {
    #[serde(flatten)]
    report: &'a crate::extract::DocumentReport,
    warnings_detail: Vec<&'a jixiao_core::model::Warning>,
}

fn quality(extraction: &Extraction) -> Quality<'_> {
    let documents = extraction
        .reports
        .iter()
        .map(|report| DocumentQuality {
            report,
            warnings_detail: extraction
                .records
                .iter()
                .flat_map(|r| &r.warnings)
                .filter(|w| w.document == report.file)
                .collect(),
        })
        .collect();
    Quality {
        documents,
        problems: &extraction.problems,
        records: extraction.records.len(),
        projects: extraction.records.iter().filter(|r| r.kind == Kind::Project).count(),
        departments: extraction.records.iter().filter(|r| r.kind == Kind::Department).count(),
    }
}

/// The quality report on standard error: one line per document, then every
/// problem with its file and line.
fn report(extraction: &Extraction, stats: &SiteStats, seconds: f64) {
    eprintln!("indexer: read {} documents", extraction.reports.len());
    for r in &extraction.reports {
        eprintln!(
            "  {}  {}: {} project tables, {} department tables, {} indicators, {} warnings",
            r.file, r.layout, r.project_tables, r.department_tables, r.indicators, r.warnings
        );
        for line in &r.unaccounted_lines {
            eprintln!("  problem: {}:{line}: mentions 项目名称 but no table was read there", r.file);
        }
    }
    let projects = extraction.records.iter().filter(|r| r.kind == Kind::Project).count();
    let printings: usize = extraction.records.iter().map(|r| r.sources.len()).sum();
    eprintln!(
        "indexer: {} records ({} projects, {} department-wide) from {} printed tables",
        extraction.records.len(),
        projects,
        extraction.records.len() - projects,
        printings
    );
    for p in &extraction.problems {
        eprintln!("  problem: {p}");
    }
    for record in &extraction.records {
        for w in &record.warnings {
            eprintln!("  warning: {}:{}: {} [{}]", w.document, w.line, w.message, record.id);
        }
    }
    eprintln!(
        "indexer: wrote {} index files, {} terms, {:.1} KB, in {:.2} s",
        stats.files,
        stats.terms,
        stats.bytes as f64 / 1024.0,
        seconds
    );
}
