//! The per-record files of a build: result summaries (`docs-<n>`), full
//! records (`records-<n>`), a static page per record, and the rows of the
//! JSON and CSV downloads. Records are processed in parallel, a group of
//! [`RECORD_BLOCK`] at a time (each group writes its own files), in
//! batches, so memory stays bounded and the downloads keep document order.

use std::io::Write;
use std::path::Path;

use jixiao_core::index::codec;
use jixiao_core::index::docs::DocSummary;
use jixiao_core::index::FileId;
use jixiao_core::model::Record;
use rayon::prelude::*;

use crate::hydrate::Hydrator;
use crate::sources::Problem;
use crate::transport::compress;

/// Documents per summary block (small: a page of results touches only the
/// blocks of its documents) and per record block.
pub const DOC_BLOCK: u32 = 2;
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

/// One group's output for the downloads.
struct Group {
    written: Written,
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
    data_dir: &Path,
    records: &[&Record],
    similar: &[Vec<usize>],
    json: &mut impl Write,
    csv: &mut impl Write,
) -> Result<Written, Problem> {
    let mut total = Written::default();
    let mut first = true;
    let groups: Vec<&[&Record]> = records.chunks(RECORD_BLOCK as usize).collect();
    for (b, batch) in groups.chunks(GROUPS_PER_BATCH).enumerate() {
        let outputs: Vec<Result<Group, Problem>> = batch
            .par_iter()
            .enumerate()
            .map_init(
                || Hydrator::new(data_dir),
                |hydrator, (i, group)| {
                    let first_doc = (b * GROUPS_PER_BATCH + i) as u32 * RECORD_BLOCK;
                    write_group(dir, build, hydrator, first_doc, group, records, similar)
                },
            )
            .collect();
        for output in outputs {
            let group = output?;
            if !first {
                json.write_all(b",\n").map_err(|e| io_problem(dir, e))?;
            }
            first = false;
            json.write_all(&group.json).map_err(|e| io_problem(dir, e))?;
            csv.write_all(group.csv.as_bytes()).map_err(|e| io_problem(dir, e))?;
            total.files += group.written.files;
            total.bytes += group.written.bytes;
        }
    }
    Ok(total)
}

fn write_group(
    dir: &Path,
    build: &str,
    hydrator: &mut Hydrator,
    first_doc: u32,
    group: &[&Record],
    records: &[&Record],
    similar: &[Vec<usize>],
) -> Result<Group, Problem> {
    let mut written = Written::default();
    let mut put = |name: String, bytes: &[u8]| -> Result<(), Problem> {
        let path = dir.join(name);
        std::fs::write(&path, bytes).map_err(|e| io_problem(&path, e))?;
        written.files += 1;
        written.bytes += bytes.len() as u64;
        Ok(())
    };
    let similar_of = |doc: usize| -> Vec<&Record> { similar[doc].iter().map(|&d| records[d]).collect() };

    for (k, block) in group.chunks(DOC_BLOCK as usize).enumerate() {
        let summaries: Vec<DocSummary> = block
            .iter()
            .enumerate()
            .map(|(j, r)| {
                let doc = first_doc as usize + k * DOC_BLOCK as usize + j;
                DocSummary::of(r, similar_of(doc).iter().map(|s| s.id.clone()).collect())
            })
            .collect();
        let n = first_doc / DOC_BLOCK + k as u32;
        put(FileId::Docs(n).name(build), &compress(&codec::encode_data(codec::DOCS_MAGIC, build, &summaries)))?;
    }

    let mut json = Vec::new();
    let mut csv = String::new();
    let mut full = Vec::with_capacity(group.len());
    for (j, r) in group.iter().enumerate() {
        let mut record = (*r).clone();
        hydrator.fill(&mut record)?;
        put(format!("pages/{}.html", record.id), crate::pages::render(&record, &similar_of(first_doc as usize + j)).as_bytes())?;
        if j > 0 {
            json.extend_from_slice(b",\n");
        }
        serde_json::to_writer(&mut json, &record).map_err(|e| io_problem(dir, e))?;
        csv.push_str(&jixiao_core::csv::line(&jixiao_core::csv::record_row(&record)));
        full.push(record);
    }
    let n = first_doc / RECORD_BLOCK;
    put(FileId::Records(n).name(build), &compress(&codec::encode_data(codec::RECORDS_MAGIC, build, &full)))?;
    Ok(Group { written, json, csv })
}
