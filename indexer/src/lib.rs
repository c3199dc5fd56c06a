//! The indexer as a library, so integration tests drive the same code as
//! the `indexer` binary.

pub mod bench;
pub mod build;
pub mod corrections;
pub mod export;
#[doc(hidden)]
pub mod fuzz_harness;
pub mod index;
pub mod inspect;
pub mod matrix;
pub mod originals;
pub mod pages;
pub mod query;
pub mod record_files;
pub mod score;
pub mod similar;
pub mod sources;
pub mod synth;
pub mod transport;

use std::path::Path;

use jixiao_reader::extract::{self, DocumentReport};
use jixiao_core::model::Record;
use sources::Problem;

/// Everything extraction produced from a data folder.
pub struct Extraction {
    pub records: Vec<Record>,
    pub reports: Vec<DocumentReport>,
    pub problems: Vec<Problem>,
    pub entries: Vec<sources::SourceEntry>,
}

/// Reads and extracts every registered document of `data_dir` in parallel,
/// each dropped once extracted; every record carries its printing's raw
/// text, cut from the document as it was read.
pub fn extract_data(data_dir: &Path) -> Result<Extraction, Problem> {
    use rayon::prelude::*;
    let entries = sources::read_registry(data_dir)?;
    let corrections = corrections::read(data_dir)?;
    let per_document: Vec<(Vec<Record>, Option<DocumentReport>, Vec<Problem>)> = entries
        .par_iter()
        .map(|entry| match sources::load_document(data_dir, entry) {
            (Some(loaded), mut problems) => {
                let (mut records, report) = extract::extract_grid(&loaded.input, &loaded.grid);
                problems.extend(corrections::apply(&corrections, &entry.file, &loaded.sha256, &mut records));
                if records.is_empty() {
                    problems.push(Problem {
                        file: entry.file.clone(),
                        line: None,
                        message: "没有找到绩效目标表（没有“项目名称”行，也没有部门整体绩效目标标题）".into(),
                    });
                }
                (records, Some(report), problems)
            }
            (None, problems) => (Vec::new(), None, problems),
        })
        .collect();
    let mut all = Vec::new();
    let mut reports = Vec::new();
    let mut problems = Vec::new();
    for (records, report, doc_problems) in per_document {
        all.extend(records);
        reports.extend(report);
        problems.extend(doc_problems);
    }
    problems.extend(sources::unregistered_files(data_dir, &entries));
    // A correction of a document that is not registered corrects nothing.
    for e in corrections.iter().filter(|e| !entries.iter().any(|d| d.file == e.document)) {
        problems.push(Problem { file: corrections::FILE.into(), line: Some(e.at), message: format!("{}：不是 sources.toml 登记的文件，未采用此校正", e.document) });
    }
    Ok(Extraction { records: extract::finish(all), reports, problems, entries })
}
