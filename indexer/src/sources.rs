//! `data/sources.toml`: the registry of documents, in build order.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::decode::decode;
use crate::extract::DocumentInput;

#[derive(Clone, Debug, Deserialize)]
pub struct SourceEntry {
    pub file: String,
    pub publisher: Option<String>,
    pub region: Option<String>,
    pub year: Option<u16>,
    pub title: Option<String>,
    pub contains: Option<String>,
    pub url: Option<String>,
    pub layout: Option<String>,
    /// Synthetic documents (benchmark corpora) say so.
    #[serde(default)]
    pub synthetic: bool,
}

#[derive(Debug, Deserialize)]
struct Registry {
    #[serde(default)]
    document: Vec<SourceEntry>,
}

/// A problem with one document: which file, which line, what.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Problem {
    pub file: String,
    pub line: Option<u32>,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file, line, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// Files in `data/` that are configuration, not documents.
const DATA_FILES: &[&str] = &["sources.toml", "synonyms.toml", "README.md"];

/// Reads the registry; a malformed registry is an error naming the line.
pub fn read_registry(data_dir: &Path) -> Result<Vec<SourceEntry>, Problem> {
    let path = data_dir.join("sources.toml");
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(&path)
        .map_err(|e| Problem { file: shown.clone(), line: None, message: format!("cannot read: {e}") })?;
    let registry: Registry = toml::from_str(&text).map_err(|e| {
        let line = e.span().map(|s| text[..s.start].lines().count().max(1) as u32);
        Problem { file: shown.clone(), line, message: e.message().to_string() }
    })?;
    Ok(registry.document)
}

/// Reads and decodes one registered document. A document that cannot be
/// read is a problem, not an error: the others are still built.
pub fn load_document(data_dir: &Path, entry: &SourceEntry) -> (Option<DocumentInput>, Vec<Problem>) {
    let path: PathBuf = data_dir.join(&entry.file);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) => return (None, vec![Problem { file: entry.file.clone(), line: None, message: format!("无法读取：{e}") }]),
    };
    match decode(&bytes) {
        Ok(decoded) => {
            let mut problems = Vec::new();
            if decoded.encoding != "UTF-8" {
                problems.push(Problem {
                    file: entry.file.clone(),
                    line: None,
                    message: format!("文件编码为 {}，已转换为 UTF-8 读取", decoded.encoding),
                });
            }
            let input = DocumentInput {
                file: entry.file.clone(),
                text: decoded.text,
                declared_region: entry.region.clone(),
                declared_publisher: entry.publisher.clone(),
                declared_year: entry.year,
            };
            (Some(input), problems)
        }
        Err(e) => (None, vec![Problem { file: entry.file.clone(), line: None, message: format!("{e}，已跳过") }]),
    }
}

/// Files in `data/` that are not registered (they would silently be
/// missing from the site).
pub fn unregistered_files(data_dir: &Path, entries: &[SourceEntry]) -> Vec<Problem> {
    let registered: std::collections::HashSet<&str> = entries.iter().map(|e| e.file.as_str()).collect();
    let Ok(dir) = std::fs::read_dir(data_dir) else { return Vec::new() };
    let mut unregistered: Vec<String> = dir
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| !DATA_FILES.contains(&name.as_str()) && !name.starts_with('.') && !registered.contains(name.as_str()))
        .collect();
    unregistered.sort();
    unregistered
        .into_iter()
        .map(|name| Problem { file: name, line: None, message: "不在 data/sources.toml 中，未收录（请登记后重新构建）".into() })
        .collect()
}
