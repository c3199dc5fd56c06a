//! `indexer bench`: the native figures of `cargo xtask bench`, as JSON:
//! build time, index size on disk and gzipped, and query latency of the
//! query engine run natively on the built files.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use jixiao_core::search::{Filters, Sort};
use serde::Serialize;

use crate::query::LocalIndex;
use crate::sources::Problem;

#[derive(Serialize)]
pub struct Figures {
    pub documents: usize,
    pub records: usize,
    pub build_seconds: Vec<f64>,
    pub index_files: usize,
    pub index_bytes: u64,
    pub index_bytes_gzip: u64,
    pub by_kind: Vec<(String, u64, u64)>,
    pub queries: usize,
    pub native_cold_ms: Stats,
    /// Bytes a query reads after the manifest, cold (its files and the
    /// summaries of its first 20 results).
    pub cold_query_bytes: Stats,
    pub native_warm_ms: Stats,
}

#[derive(Serialize, Default)]
pub struct Stats {
    pub median: f64,
    pub p95: f64,
    pub max: f64,
    pub samples: usize,
}

pub fn stats(mut samples: Vec<f64>) -> Stats {
    if samples.is_empty() {
        return Stats::default();
    }
    samples.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    Stats { median: at(0.5), p95: at(0.95), max: *samples.last().unwrap(), samples: samples.len() }
}

pub fn gzip_len(bytes: &[u8]) -> u64 {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).expect("gzip in memory");
    encoder.finish().expect("gzip in memory").len() as u64
}

pub fn run(data: &Path, out: &Path, queries: &[String], repeats: usize) -> Result<ExitCode, Problem> {
    let mut build_seconds = Vec::new();
    let mut extraction = None;
    for _ in 0..3 {
        let started = Instant::now();
        let e = crate::extract_data(data)?;
        let synonyms = crate::build::read_synonyms(data)?;
        crate::build::write_site(&e, &synonyms, data, out)?;
        build_seconds.push(started.elapsed().as_secs_f64());
        extraction = Some(e);
    }
    let extraction = extraction.expect("built at least once");

    // The index proper: the manifest and the build's files (not pages/ or download/).
    let mut by_kind: Vec<(String, u64, u64)> = Vec::new();
    let (mut files, mut bytes, mut gz) = (0, 0, 0);
    for entry in std::fs::read_dir(out).map_err(|e| Problem { file: out.display().to_string(), line: None, message: e.to_string() })? {
        let path = entry.map_err(|e| Problem { file: out.display().to_string(), line: None, message: e.to_string() })?.path();
        let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
        if !path.is_file() || name == "quality.json" {
            continue;
        }
        let content = std::fs::read(&path).map_err(|e| Problem { file: name.clone(), line: None, message: e.to_string() })?;
        let kind = name.split(['-', '.']).next().unwrap_or("").to_string();
        let (b, g) = (content.len() as u64, gzip_len(&content));
        files += 1;
        bytes += b;
        gz += g;
        match by_kind.iter_mut().find(|k| k.0 == kind) {
            Some(k) => {
                k.1 += b;
                k.2 += g;
            }
            None => by_kind.push((kind, b, g)),
        }
    }

    let mut cold = Vec::new();
    let mut cold_bytes = Vec::new();
    let mut warm = Vec::new();
    for q in queries {
        let mut index = LocalIndex::open(out)?;
        let manifest_bytes = index.bytes_read;
        let started = Instant::now();
        let (_, results) = index.search(q, &Filters::default(), Sort::Relevance)?;
        for hit in results.hits.iter().take(20) {
            index.summary(hit.doc)?;
        }
        cold.push(started.elapsed().as_secs_f64() * 1000.0);
        cold_bytes.push((index.bytes_read - manifest_bytes) as f64);
        for _ in 0..repeats {
            let started = Instant::now();
            let (_, results) = index.search(q, &Filters::default(), Sort::Relevance)?;
            for hit in results.hits.iter().take(20) {
                index.summary(hit.doc)?;
            }
            warm.push(started.elapsed().as_secs_f64() * 1000.0);
        }
    }
    let figures = Figures {
        documents: extraction.reports.len(),
        records: extraction.records.len(),
        build_seconds,
        index_files: files,
        index_bytes: bytes,
        index_bytes_gzip: gz,
        by_kind,
        queries: queries.len(),
        native_cold_ms: stats(cold),
        cold_query_bytes: stats(cold_bytes),
        native_warm_ms: stats(warm),
    };
    println!("{}", serde_json::to_string_pretty(&figures).expect("figures serialise"));
    Ok(ExitCode::SUCCESS)
}

/// How fast documents are read (decoded, laid out, extracted), per format.
#[derive(Serialize)]
pub struct ReadingFigures {
    pub documents: usize,
    pub bytes: u64,
    /// Median over the repeats, all documents one after another on one thread.
    pub seconds: f64,
    pub documents_per_second: f64,
    /// (format, documents, median seconds for them)
    pub by_format: Vec<(String, usize, f64)>,
    /// Pages of the PDFs among them, and pages read per second.
    pub pdf_pages: u32,
    pub pdf_pages_per_second: Option<f64>,
}

/// `indexer bench-reading [DIR…]`: reads every file of the folders (any
/// format; files that cannot be read count too, as a user's folder has
/// them) `repeats` times as the build reads a registered document, its
/// checks of how it was read included, and prints the figures as JSON.
pub fn reading(dirs: &[std::path::PathBuf], repeats: usize) -> Result<ExitCode, Problem> {
    use jixiao_reader::extract::extract_grid;
    let mut files: Vec<std::path::PathBuf> = Vec::new();
    for dir in dirs {
        let entries = std::fs::read_dir(dir).map_err(|e| Problem { file: dir.display().to_string(), line: None, message: e.to_string() })?;
        let mut found: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.is_file()).collect();
        found.retain(|p| !matches!(p.extension().and_then(|e| e.to_str()), Some("toml" | "json" | "md" | "py")));
        found.sort();
        files.extend(found);
    }
    let documents: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|p| std::fs::read(p).map(|b| (p.file_name().unwrap_or_default().to_string_lossy().into_owned(), b)))
        .collect::<Result<_, _>>()
        .map_err(|e| Problem { file: "bench-reading".into(), line: None, message: e.to_string() })?;
    let mut per_format: std::collections::BTreeMap<String, (usize, Vec<f64>)> = Default::default();
    let mut totals = Vec::new();
    let mut pdf_pages = 0;
    for repeat in 0..repeats.max(1) {
        let started = Instant::now();
        let mut times: std::collections::BTreeMap<String, (usize, f64)> = Default::default();
        for (name, bytes) in &documents {
            let one = Instant::now();
            let format = match crate::sources::read_document(name, bytes) {
                Ok((input, grid, problems)) => {
                    std::hint::black_box(problems);
                    let (records, report) = extract_grid(&input, &grid);
                    if repeat == 0 {
                        pdf_pages += report.places.iter().filter_map(|p| p.page()).max().unwrap_or(0);
                    }
                    std::hint::black_box(records);
                    input.reading.format
                }
                Err(_) => "refused".to_string(),
            };
            let entry = times.entry(format).or_default();
            entry.0 += 1;
            entry.1 += one.elapsed().as_secs_f64();
        }
        totals.push(started.elapsed().as_secs_f64());
        for (format, (count, seconds)) in times {
            let entry = per_format.entry(format).or_default();
            entry.0 = count;
            entry.1.push(seconds);
        }
    }
    let seconds = stats(totals).median;
    let pdf_seconds = per_format.get("pdf").map(|(_, s)| stats(s.clone()).median);
    let figures = ReadingFigures {
        documents: documents.len(),
        bytes: documents.iter().map(|(_, b)| b.len() as u64).sum(),
        seconds,
        documents_per_second: documents.len() as f64 / seconds.max(1e-9),
        by_format: per_format.into_iter().map(|(f, (n, s))| (f, n, stats(s).median)).collect(),
        pdf_pages,
        pdf_pages_per_second: pdf_seconds.filter(|&s| s > 0.0).map(|s| f64::from(pdf_pages) / s),
    };
    println!("{}", serde_json::to_string_pretty(&figures).unwrap_or_default());
    Ok(ExitCode::SUCCESS)
}
