//! `indexer build`: data/ → every file the site serves, in one folder
//! (`public/idx/` by default, which Trunk copies into the site).
//!
//! ```text
//! manifest.bin (+ manifest.json)     format version, build id, directories, synonyms
//! dict-<n>.<build>.bin               dictionary pages (small postings inline)
//! postings-<n>.<build>.bin           chunks of large postings lists
//! columns-<n>.<build>.bin            per-document facet values, in blocks
//! amounts-<n>.<build>.bin            per-document annual amounts, in the same blocks
//! ids-<n>.<build>.bin                record id → document, in pages
//! overview.<build>.bin               totals over every record
//! docs-<n>.<build>.bin               result summaries, in blocks
//! records-<n>.<build>.bin            full records, in blocks
//!   (every .bin file gzip-compressed, see `transport`)
//! download/jixiao-records.{json,csv} the dataset; jixiao-indicators.csv, jixiao.sqlite; datapackage.json describes them
//! place-<code>.<build>.bin           totals of one place, per year (its page)
//! pages/<id>.html, pages/index.html  a static page per record (readable without JavaScript)
//! sources/<file>[.html]              each document as published, and a text document rendered (see `originals`)
//! quality.json                       what extraction made of each document
//! coverage.html                      the places covered, for the static page of index.html
//! ```
//!
//! Documents are numbered in region, department, unit and year order, so
//! the records of one region sit together in column blocks. The build id is a
//! hash of everything the index is made from. The folder is written next to
//! the old one and swapped in at the end, so a failed build never leaves a
//! half-written index. Memory stays bounded: records are held without their
//! raw table text, tantivy works on disk for large corpora, the dictionary
//! is streamed out term by term and records are written one by one.

use std::collections::HashMap;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use jixiao_core::index::bytes::fnv1a64;
use jixiao_core::index::codec::{self, Codec};
use jixiao_core::index::columns::{fund_bit, AmountBlock, ColumnBlock, DocRow};
use jixiao_core::index::docs::{search_fields, FIELDS};
use jixiao_core::index::ids::IdsPage;
use jixiao_core::index::manifest::{Blocks, Downloads, FieldInfo, Manifest, FORMAT_VERSION};
use jixiao_core::index::overview::{Overview, Place, Tally, YearTotals, LIMIT, PLACES_LIMIT, UNSTATED_FUND};
use jixiao_core::index::postings::EXACT_POSTINGS;
use jixiao_core::index::{ContentParameters, FileId};
use jixiao_core::model::{FundSource, Kind, Record, Region};
use jixiao_core::search::ranking::FIELD_WEIGHTS;
use jixiao_core::search::Facet;
use serde::Deserialize;

use crate::sources::{location, Problem};
use crate::record_files::{self, DOC_BLOCK, RECORD_BLOCK};
use crate::originals::Originals;
use crate::{index, pages, similar, Extraction};

/// Target size of a dictionary page (before gzip): a query reads one to
/// three, so this sets most of a small query's bytes; the manifest lists
/// each page's first term. 2 KB rather than 3 KB cut the public queries'
/// median from 10.2 to 8.9 kB for 140 bytes more manifest.
pub const DICT_PAGE_BYTES: usize = 2 * 1024;
/// Postings lists longer than this live in chunks, not inline in the page.
pub const INLINE_POSTINGS: usize = 1024;
pub const CHUNK_BYTES: usize = 16 * 1024;
/// Documents per column block.
pub const COLUMN_BLOCK: u32 = 4096;
/// Ids per ids page.
pub const IDS_PAGE: usize = 1024;
/// Pages of place names: about 1.4 KB each as stored, so the check of a
/// word that matched nothing costs about what a dictionary page does.
pub const PLACE_PAGES: u32 = 16;
/// Above this many documents tantivy indexes on disk, not in memory.
const ON_DISK_ABOVE: usize = 5_000;

pub fn run(data: &Path, out: &Path, strict: bool) -> Result<ExitCode, Problem> {
    let started = Instant::now();
    let extraction = crate::extract_data(data)?;
    let extracted = started.elapsed().as_secs_f64();
    let synonyms = read_synonyms(data)?;
    let stats = write_site(&extraction, &synonyms, data, out)?;
    report(&extraction, &stats, extracted, started.elapsed().as_secs_f64());
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
    /// Seconds since the start of writing at the end of each phase.
    pub phases: Vec<(&'static str, f64)>,
}

fn io_problem(path: &Path, e: impl std::fmt::Display) -> Problem {
    Problem { file: path.display().to_string(), line: None, message: e.to_string() }
}

/// Writes index files into a folder, counting them.
struct Output<'a> {
    dir: &'a Path,
    build: String,
    files: usize,
    bytes: u64,
}

impl Output<'_> {
    fn write(&mut self, name: &str, bytes: &[u8]) -> Result<(), Problem> {
        let path = self.dir.join(name);
        std::fs::write(&path, bytes).map_err(|e| io_problem(&path, e))?;
        self.files += 1;
        self.bytes += bytes.len() as u64;
        Ok(())
    }

    /// An index file, compressed for transport.
    fn file(&mut self, id: FileId, bytes: &[u8]) -> Result<(), Problem> {
        let name = id.name(&self.build);
        self.write(&name, &crate::transport::compress(bytes))
    }
}

/// Everything but the records that decides the index files' bytes: the
/// core's content parameters (format, ranking constants, tokenizer,
/// summary lengths), the gazetteer (the place-name pages list every place
/// of it, whatever the records) and the layout parameters here.
fn parameters() -> String {
    let content = ContentParameters::current().fingerprint();
    let gazetteer = fnv1a64(jixiao_reader::extract::region::GAZETTEER_TSV.as_bytes());
    format!("{content}|{gazetteer:x}|{DICT_PAGE_BYTES}|{INLINE_POSTINGS}|{CHUNK_BYTES}|{EXACT_POSTINGS}|{COLUMN_BLOCK}|{IDS_PAGE}|{DOC_BLOCK}|{RECORD_BLOCK}|{PLACE_PAGES}")
}

/// The build id: a hash of the [`parameters`], the synonyms, the registry
/// and the extracted records, raw table texts included (hashed in
/// parallel, combined in order).
fn build_id(records: &[&Record], synonyms: &[Vec<String>], registry: &[crate::sources::SourceEntry], parameters: &str) -> String {
    use rayon::prelude::*;
    let parameters = format!("{parameters}|{synonyms:?}");
    let record_hashes: Vec<u64> = records
        .par_iter()
        .map(|r| {
            let mut w = jixiao_core::index::bytes::Writer::default();
            r.put(&mut w);
            fnv1a64(&w.into_inner())
        })
        .collect();
    // The registry: publishers, titles and addresses are part of every record page.
    let mut hash = fnv1a64(parameters.as_bytes()) ^ fnv1a64(format!("{registry:?}").as_bytes());
    for h in record_hashes {
        hash = (hash ^ h).wrapping_mul(0x100000001b3).rotate_left(17);
    }
    format!("{hash:016x}")
}

/// Writes every file of the site's index folder.
pub fn write_site(extraction: &Extraction, synonyms: &[Vec<String>], data_dir: &Path, out: &Path) -> Result<SiteStats, Problem> {
    // Documents in the order of their columns.
    let mut ordered: Vec<&Record> = extraction.records.iter().collect();
    ordered.sort_by(|a, b| document_order(a).cmp(&document_order(b)));
    let records = ordered;
    let clock = Instant::now();
    let mut phases: Vec<(&'static str, f64)> = Vec::new();
    let phase = |name: &'static str, phases: &mut Vec<(&'static str, f64)>| {
        phases.push((name, clock.elapsed().as_secs_f64()));
        if std::env::var_os("JIXIAO_DEBUG_MEMORY").is_some() {
            let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
            let rss = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap_or("");
            eprintln!("debug: after {name}: {rss}");
        }
    };
    let build = build_id(&records, synonyms, &extraction.entries, &parameters());
    phase("build id", &mut phases);
    let staging = out.with_extension("staging");
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(staging.join("pages")).map_err(|e| io_problem(&staging, e))?;
    std::fs::create_dir_all(staging.join("download")).map_err(|e| io_problem(&staging, e))?;
    let mut output = Output { dir: &staging, build: build.clone(), files: 0, bytes: 0 };

    // Search index: tantivy, then compiled page by page.
    let tantivy_dir = out.with_extension("tantivy");
    let _ = std::fs::remove_dir_all(&tantivy_dir);
    let on_disk = (records.len() > ON_DISK_ABOVE).then_some(tantivy_dir.as_path());
    let tantivy = index::tantivy_index(records.iter().map(|r| search_fields(r)), on_disk)
        .map_err(|e| io_problem(out, format!("tantivy: {e}")))?;
    phase("tantivy", &mut phases);
    let mut written: Result<(), Problem> = Ok(());
    let compiled = index::compile(&tantivy, &build, DICT_PAGE_BYTES, CHUNK_BYTES, INLINE_POSTINGS, |id, bytes| {
        if written.is_ok() {
            written = output.file(id, &bytes);
        }
    })
    .map_err(|e| io_problem(out, format!("tantivy: {e}")))?;
    written?;
    phase("compile", &mut phases);
    drop(tantivy);
    let _ = std::fs::remove_dir_all(&tantivy_dir);
    let fields = FIELDS
        .iter()
        .zip(FIELD_WEIGHTS)
        .zip(compiled.average_lengths)
        .map(|((name, weight), average_length)| FieldInfo { name: name.to_string(), weight, average_length })
        .collect();

    // Columns, ids, overview.
    let column_blocks = records.len().div_ceil(COLUMN_BLOCK as usize);
    for (n, chunk) in records.chunks(COLUMN_BLOCK as usize).enumerate() {
        let first_doc = n as u32 * COLUMN_BLOCK;
        output.file(FileId::Columns(n as u32), &column_block(first_doc, chunk).encode(&build))?;
        let amounts = AmountBlock { first_doc, amounts: chunk.iter().map(|r| r.money.total_yuan).collect() };
        output.file(FileId::Amounts(n as u32), &amounts.encode(&build))?;
    }
    let mut ids: Vec<(String, u32)> = Vec::new();
    for (doc, r) in records.iter().enumerate() {
        ids.push((r.id.clone(), doc as u32));
        ids.extend(r.alias_ids.iter().map(|a| (a.clone(), doc as u32)));
    }
    ids.sort();
    ids.dedup_by(|a, b| a.0 == b.0);
    let mut ids_directory = Vec::new();
    for (n, page) in ids.chunks(IDS_PAGE).enumerate() {
        ids_directory.push(page[0].0.clone());
        output.file(FileId::Ids(n as u32), &IdsPage { entries: page.to_vec() }.encode(&build))?;
    }
    let overview = overview(&records);
    output.file(FileId::Overview, &codec::encode_data(codec::OVERVIEW_MAGIC, &build, &overview))?;
    for (n, page) in place_names(&records).into_iter().enumerate() {
        output.file(FileId::Places(n as u32), &codec::encode_data(codec::PLACES_MAGIC, &build, &page))?;
    }
    output.write("coverage.html", pages::render_coverage(&overview, records.len()).as_bytes())?;
    for (code, in_place) in records_by_place(&records) {
        let Ok(n) = code.parse::<u32>() else { continue };
        output.file(FileId::Place(n), &codec::encode_data(codec::PLACE_MAGIC, &build, &year_totals(&in_place)))?;
    }

    phase("columns, ids, overview", &mut phases);
    // Summaries, records, pages and downloads (see record_files).
    let similar = similar::similar_projects(&records);
    phase("similar", &mut phases);
    let downloads = Downloads {
        json: "download/jixiao-records.json".into(),
        csv: "download/jixiao-records.csv".into(),
        datapackage: "download/datapackage.json".into(),
    };
    let create = |name: &str| -> Result<BufWriter<std::fs::File>, Problem> {
        let path = staging.join(name);
        std::fs::File::create(&path).map(BufWriter::new).map_err(|e| io_problem(&path, e))
    };
    let mut json = create(&downloads.json)?;
    let mut csv = create(&downloads.csv)?;
    let to_io = |e: std::io::Error| io_problem(&staging, e);
    json.write_all(b"[\n").map_err(to_io)?;
    csv.write_all(jixiao_core::csv::BOM.as_bytes()).map_err(to_io)?;
    csv.write_all(jixiao_core::csv::line(jixiao_core::csv::RECORD_COLUMNS).as_bytes()).map_err(to_io)?;
    let originals = Originals::new(extraction.entries.clone());
    let written = record_files::write(&staging, &build, &records, &similar, &originals, &mut json, &mut csv)?;
    let (files, bytes) = originals.write(data_dir, &staging, &records)?;
    output.files += files;
    output.bytes += bytes;
    output.files += written.files;
    output.bytes += written.bytes;
    json.write_all(b"\n]\n").map_err(to_io)?;
    json.flush().map_err(to_io)?;
    csv.flush().map_err(to_io)?;
    output.write(&downloads.datapackage, crate::export::datapackage(records.len()).as_bytes())?;
    let mut indicators = String::from(jixiao_core::csv::BOM);
    indicators.push_str(&jixiao_core::csv::line(&jixiao_core::table::INDICATOR_HEADERS));
    for r in &records {
        let link = format!("?project={}", r.id);
        for i in &r.indicators {
            indicators.push_str(&jixiao_core::csv::line(&jixiao_core::table::indicator_row(r, i, &link)));
        }
    }
    output.write("download/jixiao-indicators.csv", indicators.as_bytes())?;
    crate::export::write_sqlite(&staging.join("download/jixiao.sqlite"), &records, &extraction.entries)?;
    output.files += 1;
    output.write("pages/index.html", pages::render_index(&records).as_bytes())?;
    phase("records, pages, downloads", &mut phases);
    output.write("quality.json", serde_json::to_string_pretty(&quality(extraction)).expect("report serialises").as_bytes())?;

    let manifest = Manifest {
        format_version: FORMAT_VERSION,
        build: build.clone(),
        doc_count: records.len() as u32,
        fields,
        dictionary: compiled.dictionary,
        postings_chunks: compiled.chunks,
        columns: Blocks { size: COLUMN_BLOCK, count: column_blocks as u32 },
        ids: ids_directory,
        docs: Blocks { size: DOC_BLOCK, count: records.len().div_ceil(DOC_BLOCK as usize) as u32 },
        records: Blocks { size: RECORD_BLOCK, count: records.len().div_ceil(RECORD_BLOCK as usize) as u32 },
        synonyms: synonyms.to_vec(),
        downloads,
        pages_dir: "pages".into(),
        place_pages: PLACE_PAGES,
    };
    // The app reads the binary manifest; the JSON one is the same for people.
    output.write("manifest.bin", &crate::transport::compress(&codec::encode(codec::MANIFEST_MAGIC, &manifest)))?;
    output.write("manifest.json", serde_json::to_string_pretty(&manifest).expect("manifest serialises").as_bytes())?;

    // Swap the new folder in.
    if out.exists() {
        std::fs::remove_dir_all(out).map_err(|e| io_problem(out, e))?;
    }
    if let Some(parent) = out.parent() {
        std::fs::create_dir_all(parent).map_err(|e| io_problem(parent, e))?;
    }
    std::fs::rename(&staging, out).map_err(|e| io_problem(out, e))?;
    phase("swap", &mut phases);
    Ok(SiteStats { files: output.files, bytes: output.bytes, terms: compiled.terms, phases })
}

/// The order documents are numbered in: records of a region, department
/// and unit sit together, so column blocks store these values as runs and a
/// region filter reads few blocks.
fn document_order(r: &Record) -> (&Option<String>, &Option<String>, &Option<String>, Option<u16>, &str) {
    (&r.region.code, &r.department, &r.implementing_unit, r.year, &r.id)
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

/// The column block of consecutive records.
fn column_block(first_doc: u32, records: &[&Record]) -> ColumnBlock {
    let mut regions: Interner<Region> = Interner::new();
    let mut departments: Interner<String> = Interner::new();
    let mut units: Interner<String> = Interner::new();
    let rows = records
        .iter()
        .map(|r| DocRow {
            kind: r.kind,
            year: r.year,
            region: r.region.code.as_ref().map(|_| regions.intern(&r.region)),
            department: r.department.as_ref().map(|d| departments.intern(d)),
            unit: r.implementing_unit.as_ref().map(|u| units.intern(u)),
            funds: r.fund_sources.iter().fold(0, |m, t| m | fund_bit(t.source)),
            outcome: r.outcome,
        })
        .collect();
    ColumnBlock { first_doc, regions: regions.values, departments: departments.values, units: units.values, rows }
}

/// Tallies by key, each key with the money it stands for in that record.
fn tally_all<'r>(records: impl Iterator<Item = &'r &'r Record>, keys: impl Fn(&Record) -> Vec<(String, String, i64)>) -> Vec<Tally> {
    let mut tallies: HashMap<String, Tally> = HashMap::new();
    for r in records {
        for (key, label, yuan) in keys(r) {
            let t = tallies.entry(key.clone()).or_insert_with(|| Tally { key, label, ..Default::default() });
            t.count += 1;
            t.total_yuan += yuan;
        }
    }
    let mut list: Vec<Tally> = tallies.into_values().collect();
    list.sort_by(|a, b| b.count.cmp(&a.count).then(b.total_yuan.cmp(&a.total_yuan)).then(a.key.cmp(&b.key)));
    list
}

/// Like [`tally`], the largest totals first.
fn tally_by_total<'r>(records: impl Iterator<Item = &'r &'r Record>, keys: impl Fn(&Record) -> Vec<(String, String, i64)>) -> Vec<Tally> {
    let mut list = tally_all(records, keys);
    list.sort_by(|a, b| b.total_yuan.cmp(&a.total_yuan).then(b.count.cmp(&a.count)).then(a.key.cmp(&b.key)));
    list.truncate(LIMIT);
    list
}

/// The money of a project by fund source as its table prints it, and the
/// part of its total that no source names ([`UNSTATED_FUND`]): nothing is
/// counted twice, nothing is guessed.
fn money_by_source(r: &Record) -> Vec<(String, String, i64)> {
    let mut out: Vec<(String, String, i64)> = FundSource::ALL
        .into_iter()
        .filter_map(|s| r.money.by_source(s).filter(|&v| v > 0).map(|v| (s.key().to_string(), s.label_zh().to_string(), v)))
        .collect();
    let named: i64 = out.iter().map(|t| t.2).sum();
    let rest = r.money.total_yuan.unwrap_or(0) - named;
    if rest > 0 {
        out.push((UNSTATED_FUND.to_string(), "未列明来源".to_string(), rest));
    }
    out
}

/// Projects per budget year, newest first (a table without a year is year 0, last).
fn year_totals(records: &[&Record]) -> Vec<YearTotals> {
    let projects: Vec<&Record> = records.iter().copied().filter(|r| r.kind == Kind::Project).collect();
    let mut years: Vec<u16> = projects.iter().map(|r| r.year.unwrap_or(0)).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    let with_money = |keys: fn(&Record) -> Vec<(String, String)>| move |r: &Record| -> Vec<(String, String, i64)> {
        keys(r).into_iter().map(|(k, l)| (k, l, r.money.total_yuan.unwrap_or(0))).collect()
    };
    years
        .into_iter()
        .map(|year| {
            let of_year: Vec<&Record> = projects.iter().copied().filter(|r| r.year.unwrap_or(0) == year).collect();
            YearTotals {
                year,
                projects: of_year.len() as u32,
                total_yuan: of_year.iter().filter_map(|r| r.money.total_yuan).sum(),
                without_amount: of_year.iter().filter(|r| r.money.total_yuan.is_none()).count() as u32,
                regions: tally_by_total(of_year.iter(), with_money(|r| r.region.code.clone().map(|c| vec![(c, r.region.short_name().to_string())]).unwrap_or_default())),
                departments: tally_by_total(of_year.iter(), with_money(|r| r.department.clone().map(|d| vec![(d.clone(), d)]).unwrap_or_default())),
                funds: tally_by_total(of_year.iter(), money_by_source),
            }
        })
        .collect()
}

/// The places the records cover (their most specific region), by code.
fn places(records: &[&Record]) -> Vec<Place> {
    let mut by_code: std::collections::BTreeMap<&str, (Place, std::collections::BTreeSet<&str>)> = Default::default();
    for r in records {
        let Some(code) = r.region.code.as_deref() else { continue };
        let (place, documents) = by_code.entry(code).or_insert_with(|| {
            (Place { code: code.to_string(), name: r.region.full_name(), ..Default::default() }, Default::default())
        });
        place.records += 1;
        if let Some(y) = r.year {
            if !place.years.contains(&y) {
                place.years.push(y);
            }
        }
        documents.extend(r.sources.iter().map(|s| s.document.as_str()));
    }
    by_code
        .into_values()
        .map(|(mut place, documents)| {
            place.documents = documents.len() as u32;
            place.years.sort_unstable_by(|a, b| b.cmp(a));
            place
        })
        .collect()
}

fn overview(records: &[&Record]) -> Overview {
    let facets = Facet::ALL
        .into_iter()
        .map(|facet| {
            let mut tallies = tally_all(records.iter(), |r| {
                facet.of_record(r).into_iter().map(|(key, label)| (key, label, r.money.total_yuan.unwrap_or(0))).collect()
            });
            tallies.sort_by(|a, b| facet.compare((&a.key, a.count as usize), (&b.key, b.count as usize)));
            tallies.truncate(LIMIT);
            tallies
        })
        .collect();
    let mut places = places(records);
    let place_count = places.len() as u32;
    places.truncate(PLACES_LIMIT);
    let mut documents: Vec<&str> = records.iter().flat_map(|r| r.sources.iter().map(|s| s.document.as_str())).collect();
    documents.sort_unstable();
    documents.dedup();
    Overview {
        facets,
        documents: documents.len() as u32,
        places,
        place_count,
        years: year_totals(records),
        results: place_results(records),
    }
}

/// Suffixes a place is named without (广州 for 广州市), longest first.
const PLACE_SUFFIXES: [&str; 12] = ["特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "省", "市", "县", "区", "盟"];

/// Every place name of the gazetteer and its short form, each marked with
/// whether a record lies in a place of that name, in [`PLACE_PAGES`] pages
/// (see [`jixiao_core::index::places`]).
fn place_names(records: &[&Record]) -> Vec<jixiao_core::index::places::PlaceNames> {
    use jixiao_core::index::places::{page_of, PlaceName, PlaceNames};
    // Distinct codes: places × records would be 300 million checks at 100k projects.
    let codes: std::collections::BTreeSet<&str> = records.iter().filter_map(|r| r.region.code.as_deref()).collect();
    let mut names: std::collections::BTreeMap<String, bool> = Default::default();
    for place in &jixiao_reader::extract::region::gazetteer().places {
        if place.name.chars().count() < 2 || matches!(place.name.as_str(), "市辖区" | "省直辖县级行政区划" | "自治区直辖县级行政区划") {
            continue;
        }
        let covered = codes.iter().any(|code| jixiao_core::search::engine::region_within(code, &place.code));
        let mut forms = vec![place.name.clone()];
        if let Some(stem) = PLACE_SUFFIXES.iter().find_map(|s| place.name.strip_suffix(s)).filter(|stem| stem.chars().count() >= 2) {
            forms.push(stem.to_string());
        }
        for form in forms {
            *names.entry(form).or_default() |= covered;
        }
    }
    let mut pages = vec![PlaceNames::default(); PLACE_PAGES as usize];
    for (name, covered) in names {
        pages[page_of(&name, PLACE_PAGES) as usize].0.push(PlaceName { name, covered });
    }
    pages
}

/// The self-evaluations' indicators per place and year, met or not.
fn place_results(records: &[&Record]) -> Vec<jixiao_core::index::overview::PlaceResults> {
    use jixiao_core::model::Achievement;
    let mut by: std::collections::BTreeMap<(String, u16), jixiao_core::index::overview::PlaceResults> = Default::default();
    for r in records.iter().filter(|r| r.kind == Kind::Evaluation) {
        let (Some(code), Some(year)) = (&r.region.code, r.year) else { continue };
        let entry = by.entry((code.clone(), year)).or_insert_with(|| jixiao_core::index::overview::PlaceResults {
            code: code.clone(),
            name: r.region.full_name(),
            year,
            ..Default::default()
        });
        entry.evaluations += 1;
        for a in r.indicators.iter().filter_map(|i| i.achievement) {
            match a {
                Achievement::Achieved => entry.achieved += 1,
                Achievement::Missed => entry.missed += 1,
                Achievement::Unclear => entry.unclear += 1,
            }
        }
    }
    // Newest year first, then by place.
    let mut out: Vec<_> = by.into_values().collect();
    out.sort_by(|a, b| b.year.cmp(&a.year).then(a.code.cmp(&b.code)));
    out
}

/// Every region code (province, city, county) with records, and its
/// records: a place page's totals.
fn records_by_place<'r>(records: &[&'r Record]) -> std::collections::BTreeMap<String, Vec<&'r Record>> {
    let mut out: std::collections::BTreeMap<String, Vec<&Record>> = Default::default();
    for r in records {
        if let Some(code) = &r.region.code {
            for level in jixiao_core::search::engine::region_levels(code) {
                out.entry(level).or_default().push(r);
            }
        }
    }
    out
}

/// Peak resident memory of this process in KiB (Linux; `None` elsewhere).
pub fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[derive(serde::Serialize)]
struct Quality<'a> {
    documents: Vec<DocumentQuality<'a>>,
    problems: &'a [Problem],
    /// Records whose reading is not sure, the least sure first.
    records_to_check: Vec<ToCheck<'a>>,
    records: usize,
    projects: usize,
    departments: usize,
}

#[derive(serde::Serialize)]
struct ToCheck<'a> {
    id: &'a str,
    name: &'a str,
    /// Where it was printed (`file:line`).
    printed: String,
    confidence: u8,
    doubts: &'a [jixiao_core::model::Doubt],
}

/// Records with doubts, the least sure first (then in build order).
fn records_to_check(records: &[jixiao_core::model::Record]) -> Vec<ToCheck<'_>> {
    let mut out: Vec<ToCheck> = records
        .iter()
        .filter(|r| !r.confidence.doubts.is_empty())
        .map(|r| ToCheck {
            id: &r.id,
            name: &r.name,
            printed: r.sources.first().map_or_else(String::new, |s| location(&s.document, s.line)),
            confidence: r.confidence.score,
            doubts: &r.confidence.doubts,
        })
        .collect();
    out.sort_by_key(|c| c.confidence);
    out
}

#[derive(serde::Serialize)]
struct DocumentQuality<'a> {
    #[serde(flatten)]
    report: &'a jixiao_reader::extract::DocumentReport,
    warnings_detail: Vec<&'a jixiao_core::model::Warning>,
}

fn quality(extraction: &Extraction) -> Quality<'_> {
    let mut by_document: HashMap<&str, Vec<&jixiao_core::model::Warning>> = HashMap::new();
    for w in extraction.records.iter().flat_map(|r| &r.warnings) {
        by_document.entry(w.document.as_str()).or_default().push(w);
    }
    let documents = extraction
        .reports
        .iter()
        .map(|report| DocumentQuality { report, warnings_detail: by_document.remove(report.file.as_str()).unwrap_or_default() })
        .collect();
    Quality {
        documents,
        problems: &extraction.problems,
        records_to_check: records_to_check(&extraction.records),
        records: extraction.records.len(),
        projects: extraction.records.iter().filter(|r| r.kind == Kind::Project).count(),
        departments: extraction.records.iter().filter(|r| r.kind == Kind::Department).count(),
    }
}

/// The quality report on standard error: one line per document (at most 50;
/// all are in quality.json), then every problem with its file and line.
fn report(extraction: &Extraction, stats: &SiteStats, extracted: f64, seconds: f64) {
    eprintln!("indexer: read {} documents", extraction.reports.len());
    for r in extraction.reports.iter().take(50) {
        eprintln!(
            "  {}  {}: {} project tables, {} department tables, {} indicators, {} warnings [{}]",
            r.file,
            r.layout,
            r.project_tables,
            r.department_tables,
            r.indicators,
            r.warnings,
            r.reading.summary()
        );
    }
    if extraction.reports.len() > 50 {
        eprintln!("  … and {} more documents (see quality.json)", extraction.reports.len() - 50);
    }
    for r in &extraction.reports {
        for line in &r.unaccounted_lines {
            eprintln!("  problem: {}: 看起来是表格（有“项目名称”或指标表头），但此处没有读出表格", r.locate(*line));
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
    let reports: HashMap<&str, &jixiao_reader::extract::DocumentReport> = extraction.reports.iter().map(|r| (r.file.as_str(), r)).collect();
    for record in extraction.records.iter().take(2_000) {
        for w in &record.warnings {
            // A structured document's line is placed (page, sheet, table).
            let at = reports.get(w.document.as_str()).map_or_else(|| location(&w.document, w.line), |r| r.locate(w.line));
            eprintln!("  warning: {at}: {} [{}]", w.message, record.id);
        }
    }
    let to_check = records_to_check(&extraction.records);
    let unsure = to_check.iter().filter(|c| c.confidence < jixiao_core::model::Confidence::SURE).count();
    if unsure > 0 {
        eprintln!("indexer: {unsure} records to check (需核对), the least sure first (all are in quality.json):");
        for c in to_check.iter().take_while(|c| c.confidence < jixiao_core::model::Confidence::SURE).take(20) {
            let reasons: Vec<&str> = c.doubts.iter().map(|d| d.message.as_str()).collect();
            eprintln!("  check: {}: {} (可信度 {}): {} [{}]", c.printed, c.name, c.confidence, reasons.join("；"), c.id);
        }
    }
    let mut previous = 0.0;
    let phases: Vec<String> = stats
        .phases
        .iter()
        .map(|(name, at)| {
            let shown = format!("{name} {:.1} s", at - previous);
            previous = *at;
            shown
        })
        .collect();
    eprintln!(
        "indexer: wrote {} files, {} terms, {:.1} MB, in {:.2} s (extraction {:.2} s; {}){}",
        stats.files,
        stats.terms,
        stats.bytes as f64 / 1e6,
        seconds,
        extracted,
        phases.join(", "),
        peak_memory().map(|kb| format!("; peak memory {:.0} MB", kb as f64 / 1024.0)).unwrap_or_default()
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_build_id_changes_with_every_parameter_of_the_content() {
        let id = |parameters: &str, synonyms: &[Vec<String>]| build_id(&[], synonyms, &[], parameters);
        let today = parameters();
        assert_eq!(id(&today, &[]), id(&today, &[]));
        // A re-ranked or re-tokenized build (another content fingerprint),
        // another layout, other synonyms: another id.
        let mut reranked = ContentParameters::current();
        reranked.k1 += 0.1;
        let changed = today.replacen(&ContentParameters::current().fingerprint(), &reranked.fingerprint(), 1);
        assert_ne!(changed, today);
        assert_ne!(id(&changed, &[]), id(&today, &[]));
        // The inputs of files no record decides: the gazetteer, the layout.
        let gazetteer = format!("{:x}", fnv1a64(jixiao_reader::extract::region::GAZETTEER_TSV.as_bytes()));
        let layout = [DICT_PAGE_BYTES, INLINE_POSTINGS, CHUNK_BYTES, EXACT_POSTINGS, COLUMN_BLOCK as usize, IDS_PAGE, DOC_BLOCK as usize, RECORD_BLOCK as usize, PLACE_PAGES as usize];
        let expected = std::iter::once(gazetteer).chain(layout.iter().map(|n| n.to_string())).collect::<Vec<_>>().join("|");
        assert!(today.ends_with(&format!("|{expected}")), "{today} ends with {expected}");
        assert_ne!(id(&today, &[vec!["医保".into(), "医疗保障".into()]]), id(&today, &[]));
    }
}
