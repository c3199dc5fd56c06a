//! Filling in each record's raw table text from its documents, when the
//! record is written: extraction keeps only line ranges, so a large corpus
//! is not held in memory twice.

use std::path::{Path, PathBuf};
use std::rc::Rc;

use jixiao_core::model::Record;

use jixiao_reader::decode::decode;
use crate::sources::Problem;

/// Documents kept decoded at once (records come in region order, so a
/// document's tables mostly follow each other).
const CACHED: usize = 8;

pub struct Hydrator {
    data_dir: PathBuf,
    cache: Vec<(String, Rc<Vec<String>>)>,
}

impl Hydrator {
    pub fn new(data_dir: &Path) -> Hydrator {
        Hydrator { data_dir: data_dir.to_path_buf(), cache: Vec::new() }
    }

    fn lines(&mut self, document: &str) -> Result<Rc<Vec<String>>, Problem> {
        if let Some(i) = self.cache.iter().position(|(d, _)| d == document) {
            let entry = self.cache.remove(i);
            let lines = Rc::clone(&entry.1);
            self.cache.push(entry);
            return Ok(lines);
        }
        let path = self.data_dir.join(document);
        let problem = |message: String| Problem { file: document.to_string(), line: None, message };
        let bytes = std::fs::read(&path).map_err(|e| problem(e.to_string()))?;
        let text = decode(&bytes).map_err(|e| problem(e.to_string()))?.text;
        let lines = Rc::new(text.lines().map(str::to_string).collect::<Vec<_>>());
        if self.cache.len() == CACHED {
            self.cache.remove(0);
        }
        self.cache.push((document.to_string(), Rc::clone(&lines)));
        Ok(lines)
    }

    /// Sets the raw text of each of the record's sources.
    pub fn fill(&mut self, record: &mut Record) -> Result<(), Problem> {
        for source in &mut record.sources {
            let lines = self.lines(&source.document)?;
            let start = (source.line_start as usize).saturating_sub(1);
            let end = (source.line_end as usize).min(lines.len());
            source.raw_text = lines.get(start..end).map(|l| l.join("\n")).unwrap_or_default();
        }
        Ok(())
    }
}
