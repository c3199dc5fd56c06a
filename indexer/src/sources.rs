//! `data/sources.toml`: the registry of documents, in build order.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use jixiao_reader::decode::decode;
use jixiao_reader::extract::DocumentInput;
use jixiao_reader::grid::Grid;

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
            Some(line) => write!(f, "{}: {}", location(&self.file, line), self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// `file:line`, as every problem and warning names its place. A `.docx`
/// has no lines: its "line" is the ordinal of a paragraph or table row
/// (see `decode::docx`), and the location says so.
pub fn location(file: &str, line: u32) -> String {
    if file.to_ascii_lowercase().ends_with(".docx") {
        format!("{file}:{line}（第 {line} 个段落或表格行）")
    } else {
        format!("{file}:{line}")
    }
}

/// Files in `data/` that are configuration, not documents.
const DATA_FILES: &[&str] = &["sources.toml", "synonyms.toml", crate::corrections::FILE, "README.md"];

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

/// Lines longer than this many characters are reported: no row of a real
/// table comes near it (the longest line in data/ has 2,259), a document
/// saved without line breaks does. They are still read.
pub const LONG_LINE: usize = 20_000;

/// Reads, decodes and lays out one registered document: the input to
/// extract and its grid. A document that cannot be read is a problem, not
/// an error: the others are still built. What the decoding found is in the
/// input's `reading`; an encoding that was only guessed, and overlong
/// lines, are problems with their line.
/// A registered document read: its input and grid for extraction, and the
/// SHA-256 of its bytes (what corrections are keyed by).
pub struct Loaded {
    pub input: DocumentInput,
    pub grid: Grid,
    pub sha256: String,
}

pub fn load_document(data_dir: &Path, entry: &SourceEntry) -> (Option<Loaded>, Vec<Problem>) {
    let path: PathBuf = data_dir.join(&entry.file);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) => return (None, vec![Problem { file: entry.file.clone(), line: None, message: format!("无法读取：{e}") }]),
    };
    match read_document(&entry.file, &bytes) {
        Ok((input, grid, problems)) => {
            let input = DocumentInput {
                declared_region: entry.region.clone(),
                declared_publisher: entry.publisher.clone(),
                declared_year: entry.year,
                ..input
            };
            (Some(Loaded { input, grid, sha256: crate::corrections::sha256(&bytes) }), problems)
        }
        Err(refused) => (None, vec![refused]),
    }
}

/// A document's bytes decoded, with nothing declared about it yet, laid
/// out once (extraction reads the grid the checks read), and the problems
/// of how it was read; a file that cannot be read is the problem.
pub fn read_document(file: &str, bytes: &[u8]) -> Result<(DocumentInput, Grid, Vec<Problem>), Problem> {
    let problem = |line: Option<u32>, message: String| Problem { file: file.to_string(), line, message };
    let decoded = decode(bytes).map_err(|e| problem(Some(e.line()), format!("{e}，已跳过")))?;
    let grid = decoded.grid();
    let mut problems = Vec::new();
    if decoded.reading.encoding_guessed() {
        let (line, sample) = grid
            .lines
            .iter()
            .enumerate()
            .find(|(_, l)| !l.is_ascii())
            .map(|(i, l)| (i as u32 + 1, l.split('\t').find(|c| !c.is_ascii()).unwrap_or(l).trim().chars().take(30).collect::<String>()))
            .unwrap_or((1, String::new()));
        problems.push(problem(
            Some(line),
            format!(
                "文件没有标明编码（无 BOM），按字节推断为 {} 并转换为 UTF-8；本行读作“{sample}”，若是乱码请另存为 UTF-8",
                decoded.reading.encoding
            ),
        ));
    }
    for (i, line) in grid.lines.iter().enumerate() {
        if line.len() > LONG_LINE {
            let chars = line.chars().count();
            if chars > LONG_LINE {
                problems.push(problem(Some(i as u32 + 1), format!("本行长达 {chars} 字符，不像表格中的一行（文件可能缺少换行）；仍按原样读取")));
            }
        }
    }
    Ok((DocumentInput::from_decoded(file.to_string(), decoded), grid, problems))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_overlong_row_of_a_structured_document_is_named_by_its_line() {
        // One line of HTML: the title paragraph is line 1 of the grid, the
        // table's row line 2, as records and the report number them.
        let long = "很".repeat(LONG_LINE + 1);
        let page = format!("<html><body><p>医疗保障局项目支出绩效目标表</p><table><tr><td>项目名称</td><td>{long}</td></tr></table></body></html>");
        let (_, grid, problems) = read_document("long.html", page.as_bytes()).unwrap();
        assert_eq!(grid.lines[1], format!("项目名称\t{long}"));
        let shown: Vec<String> = problems.iter().map(Problem::to_string).collect();
        assert_eq!(shown, [format!("long.html:2: 本行长达 {} 字符，不像表格中的一行（文件可能缺少换行）；仍按原样读取", LONG_LINE + 6)]);
    }

    #[test]
    fn locations_say_what_a_docx_line_is() {
        assert_eq!(location("005.txt", 12), "005.txt:12");
        assert_eq!(location("005.docx", 12), "005.docx:12（第 12 个段落或表格行）");
        let problem = Problem { file: "a.DOCX".into(), line: Some(3), message: "…".into() };
        assert_eq!(problem.to_string(), "a.DOCX:3（第 3 个段落或表格行）: …");
    }
}
