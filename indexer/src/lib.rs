//! The indexer as a library, so integration tests drive the same code as
//! the `indexer` binary.

pub mod bench;
pub mod build;
pub mod decode;
pub mod export;
pub mod extract;
pub mod index;
pub mod pages;
pub mod query;
pub mod similar;
pub mod sources;
pub mod synth;

use std::path::Path;

use extract::DocumentReport;
use jixiao_core::model::Record;
use sources::Problem;

/// Everything extraction produced from a data folder.
pub struct Extraction {
    pub records: Vec<Record>,
    pub reports: Vec<DocumentReport>,
    pub problems: Vec<Problem>,
    pub entries: Vec<sources::SourceEntry>,
}

/// Reads and extracts every registered document of `data_dir`.
pub fn extract_data(data_dir: &Path) -> Result<Extraction, Problem> {
    let (inputs, entries, problems) = sources::load_documents(data_dir)?;
    let (records, reports) = extract::extract_all(&inputs);
    Ok(Extraction { records, reports, problems, entries })
}
