//! The per-record files of a build: result summaries (`docs-<n>`), full
//! records (`records-<n>`), a static page per record, and the rows of the
//! JSON and CSV downloads. Each record is completed on the way: its raw
//! table text and the publication of each of its sources. Records are prepared in parallel, a group of
//! [`RECORD_BLOCK`] at a time, in batches (so memory stays bounded), and
//! one writer thread writes the files while the next batch is prepared:
//! creating files in one folder from several threads only makes them wait
//! for each other.

use std::io::Write;
use std::path::Path;

use jixiao_core::index::codec;
use jixiao_core::index::docs::DocSummary;
use jixiao_core::index::FileId;
use jixiao_core::model::Record;
use rayon::prelude::*;

use crate::originals::Originals;
use crate::sources::Problem;
use crate::transport::compress;

/// Documents per summary block, and per record block. One summary per file,
/// as Pagefind keeps one fragment per page: a page of ten results fetches
/// its ten summaries and nothing else (two per file fetched 15 % more bytes
/// per query on data/, since results rarely sit side by side). Records,
/// fetched only for a project page, stay in fewer, larger files.
pub const DOC_BLOCK: u32 = 1;
pub const RECORD_BLOCK: u32 = 16;
const _: () = assert!(RECORD_BLOCK.is_multiple_of(DOC_BLOCK), "a record group holds whole summary blocks");
/// Record groups processed between two appends to the downloads.
const GROUPS_PER_BATCH: usize = 256;

/// What the record files add up to.
#[derive(Default)]
pub struct Written {
    pub files: usize,
    pub bytes: u64,
}

/// One group's files (name in the folder, bytes) and download rows.
struct Group {
    files: Vec<(String, Vec<u8>)>,
    json: Vec<u8>,
    csv: String,
}

fn io_problem(path: &Path, e: impl std::fmt::Display) -> Problem {
    Problem { file: path.display().to_string(), line: None, message: e.to_string() }
}

/// Writes the record files of `records` (in document order) into `dir`,
/// and appends each record to `json` (comma-separated objects) and `csv`.
pub fn write(
    dir: &Path,
    build: &str,
    records: &[&Record],
    similar: &[Vec<usize>],
    originals: &Originals,
    json: &mut (impl Write + Send),
    csv: &mut (impl Write + Send),
) -> Result<Written, Problem> {
    let groups: Vec<&[&Record]> = records.chunks(RECORD_BLOCK as usize).collect();
    std::thread::scope(|scope| {
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<Group>>(1);
        let writer = scope.spawn(move || -> Result<Written, Problem> {
            let mut total = Written::default();
            let mut first = true;
            for batch in receiver {
                for group in batch {
                    for (name, bytes) in &group.files {
                        let path = dir.join(name);
                        std::fs::write(&path, bytes).map_err(|e| io_problem(&path, e))?;
                        total.files += 1;
                        total.bytes += bytes.len() as u64;
                    }
                    if !first {
                        json.write_all(b",\n").map_err(|e| io_problem(dir, e))?;
                    }
                    first = false;
                    json.write_all(&group.json).map_err(|e| io_problem(dir, e))?;
                    csv.write_all(group.csv.as_bytes()).map_err(|e| io_problem(dir, e))?;
                }
            }
            Ok(total)
        });
        for (b, batch) in groups.chunks(GROUPS_PER_BATCH).enumerate() {
            let prepared = batch
                .par_iter()
                .enumerate()
                .map(|(i, group)| {
                    let first_doc = (b * GROUPS_PER_BATCH + i) as u32 * RECORD_BLOCK;
                    prepare_group(build, originals, first_doc, group, records, similar)
                })
                .collect::<Result<Vec<Group>, Problem>>();
            // A failed writer has hung up: its error is the one to report.
            match prepared {
                Ok(groups) => {
                    if sender.send(groups).is_err() {
                        break;
                    }
                }
                Err(e) => {
                    drop(sender);
                    writer.join().expect("writer thread")?;
                    return Err(e);
                }
            }
        }
        drop(sender);
        writer.join().expect("writer thread")
    })
}

fn prepare_group(
    build: &str,
    originals: &Originals,
    first_doc: u32,
    group: &[&Record],
    records: &[&Record],
    similar: &[Vec<usize>],
) -> Result<Group, Problem> {
    let mut files = Vec::with_capacity(group.len() * 2);
    let similar_of = |doc: usize| -> Vec<&Record> { similar[doc].iter().map(|&d| records[d]).collect() };

    for (k, block) in group.chunks(DOC_BLOCK as usize).enumerate() {
        let summaries: Vec<DocSummary> = block.iter().map(|r| DocSummary::of(r)).collect();
        let n = first_doc / DOC_BLOCK + k as u32;
        files.push((FileId::Docs(n).name(build), compress(&codec::encode_data(codec::DOCS_MAGIC, build, &summaries))));
    }

    let mut json = Vec::new();
    let mut csv = String::new();
    let mut full = Vec::with_capacity(group.len());
    for (j, r) in group.iter().enumerate() {
        let mut record = (*r).clone();
        originals.fill(&mut record);
        // Similar projects are the project page's: in the record, not in
        // the summaries every result list fetches.
        record.similar = similar_of(first_doc as usize + j).iter().map(|s| s.id.clone()).collect();
        files.push((format!("pages/{}.html", record.id), crate::pages::render(&record, &similar_of(first_doc as usize + j)).into_bytes()));
        if j > 0 {
            json.extend_from_slice(b",\n");
        }
        serde_json::to_writer(&mut json, &record).map_err(|e| io_problem(Path::new(&record.id), e))?;
        csv.push_str(&jixiao_core::csv::line(&jixiao_core::csv::record_row(&record)));
        full.push(record);
    }
    let n = first_doc / RECORD_BLOCK;
    files.push((FileId::Records(n).name(build), compress(&codec::encode_data(codec::RECORDS_MAGIC, build, &full))));
    Ok(Group { files, json, csv })
}
