//! The published documents as the site serves them, so that every figure
//! can be checked against its source: a copy of each document a record was
//! read from (`sources/<file>`, as published), and for a text document a
//! page rendering it line by line (`sources/<file>.html`) in which each
//! table is an element a link can target (`#L101-123`): the page highlights
//! the table the link names (CSS `:target`, no script).
//!
//! Each record's sources get their [`Publication`]: publisher, title, year
//! and URL from `data/sources.toml`, and these two addresses.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write;
use std::path::Path;

use jixiao_core::model::{Publication, Record, SourceRef};

use crate::pages::{escape, head};
use crate::sources::{Problem, SourceEntry};

/// Folder of the copies, inside the index folder.
pub const DIR: &str = "sources";

/// Document files a rendered view is made for: text, read line by line.
fn is_text(file: &str) -> bool {
    file.to_ascii_lowercase().ends_with(".txt")
}

/// The fragment naming a table's lines in a rendered view.
fn fragment(s: &SourceRef) -> String {
    format!("L{}-{}", s.line_start, s.line_end)
}

/// What `data/sources.toml` says of each document.
pub struct Originals {
    entries: HashMap<String, SourceEntry>,
}

impl Originals {
    pub fn new(registry: Vec<SourceEntry>) -> Originals {
        Originals { entries: registry.into_iter().map(|e| (e.file.clone(), e)).collect() }
    }

    /// The publication of one printing of a record.
    pub fn publication(&self, s: &SourceRef) -> Publication {
        let entry = self.entries.get(&s.document);
        let file = format!("{DIR}/{}", s.document);
        Publication {
            publisher: entry.and_then(|e| e.publisher.clone()),
            title: entry.and_then(|e| e.title.clone()),
            year: entry.and_then(|e| e.year),
            url: entry.and_then(|e| e.url.clone()),
            copy: match s.page {
                Some(page) => format!("{file}#page={page}"),
                None => file.clone(),
            },
            view: is_text(&s.document).then(|| format!("{file}.html#{}", fragment(s))),
        }
    }

    /// Sets the publication of each of the record's sources.
    pub fn fill(&self, record: &mut Record) {
        for s in &mut record.sources {
            s.publication = Some(self.publication(s));
        }
    }

    /// Writes the copies and the views of every document the records name
    /// into `<out>/sources/`; returns the number of files and bytes.
    pub fn write(&self, data_dir: &Path, out: &Path, records: &[&Record]) -> Result<(usize, u64), Problem> {
        let dir = out.join(DIR);
        let problem = |path: &Path, e: std::io::Error| Problem { file: path.display().to_string(), line: None, message: e.to_string() };
        std::fs::create_dir_all(&dir).map_err(|e| problem(&dir, e))?;
        // Each document's tables: line ranges, with the names printed in them.
        let mut tables: BTreeMap<&str, BTreeMap<(u32, u32), BTreeSet<&str>>> = BTreeMap::new();
        for r in records {
            for s in &r.sources {
                tables.entry(&s.document).or_default().entry((s.line_start, s.line_end)).or_default().insert(&r.name);
            }
        }
        let (mut files, mut bytes) = (0, 0);
        for (document, ranges) in tables {
            let source = data_dir.join(document);
            let target = dir.join(document);
            bytes += std::fs::copy(&source, &target).map_err(|e| problem(&source, e))?;
            files += 1;
            if is_text(document) {
                let raw = std::fs::read(&source).map_err(|e| problem(&source, e))?;
                let text = jixiao_reader::decode::decode(&raw).map_err(|e| Problem { file: document.to_string(), line: None, message: e.to_string() })?.text().into_owned();
                let page = self.view(document, &text, &ranges);
                let path = dir.join(format!("{document}.html"));
                std::fs::write(&path, &page).map_err(|e| problem(&path, e))?;
                files += 1;
                bytes += page.len() as u64;
            }
        }
        Ok((files, bytes))
    }

    /// A text document as a page: every line numbered, its cells (tab
    /// separated) as table cells, and each table of a record an element
    /// with the id its links name.
    fn view(&self, document: &str, text: &str, ranges: &BTreeMap<(u32, u32), BTreeSet<&str>>) -> String {
        let entry = self.entries.get(document);
        let title = entry.and_then(|e| e.title.clone()).unwrap_or_else(|| document.to_string());
        let mut h = head(&format!("{title} · 原文"), &format!("{}发布的原文件（文字版）", entry.and_then(|e| e.publisher.as_deref()).unwrap_or("")));
        h.push_str(VIEW_STYLE);
        h.push_str("</head><body>\n");
        let _ = writeln!(h, "<h1>{}</h1>", escape(&title));
        h.push_str("<dl class=\"about\">");
        if let Some(e) = entry {
            for (label, value) in [("发布单位", e.publisher.clone()), ("年度", e.year.map(|y| y.to_string())), ("内容", e.contains.clone())] {
                if let Some(v) = value {
                    let _ = write!(h, "<dt>{label}</dt><dd>{}</dd>", escape(&v));
                }
            }
            if let Some(url) = &e.url {
                let _ = write!(h, "<dt>发布网址</dt><dd><a href=\"{0}\" rel=\"noopener\">{0}</a></dd>", escape(url));
            }
        }
        let _ = write!(h, "<dt>文件</dt><dd><a href=\"{0}\" download>{0}</a>（原样下载）</dd></dl>\n", escape(document));
        h.push_str("<p class=\"hint\">下面是文件的全部文字，每行标有行号；从项目页面打开时，该项目的表格以黄色标出。</p>\n<table>\n");
        let lines: Vec<&str> = text.lines().collect();
        // Tables in line order; a table starting inside the previous one begins after it.
        let mut next = 1usize;
        let mut line_no = 1usize;
        let emit = |h: &mut String, from: usize, to: usize| {
            for (n, line) in lines.iter().enumerate().take(to).skip(from - 1) {
                let _ = write!(h, "<tr><th>{}</th>", n + 1);
                for cell in line.split('\t') {
                    let _ = write!(h, "<td>{}</td>", escape(cell));
                }
                h.push_str("</tr>\n");
            }
        };
        for (&(first, last), names) in ranges {
            let (start, end) = ((first as usize).max(next), (last as usize).min(lines.len()));
            if start > end {
                continue;
            }
            if line_no < start {
                h.push_str("<tbody>\n");
                emit(&mut h, line_no, start - 1);
                h.push_str("</tbody>\n");
            }
            let names: Vec<String> = names.iter().map(|n| escape(n)).collect();
            let _ = writeln!(h, "<tbody id=\"L{first}-{last}\" class=\"table\" title=\"{}\">", names.join("、"));
            emit(&mut h, start, end);
            h.push_str("</tbody>\n");
            line_no = end + 1;
            next = end + 1;
        }
        if line_no <= lines.len() {
            h.push_str("<tbody>\n");
            emit(&mut h, line_no, lines.len());
            h.push_str("</tbody>\n");
        }
        h.push_str("</table>\n</body></html>\n");
        h
    }
}

const VIEW_STYLE: &str = "<style>table{width:auto}th{color:#666;font-weight:normal;text-align:right;background:none;border:none;padding-right:.6rem}\
td{border:1px solid #ddd;padding:.1rem .4rem}tbody.table{outline:1px dashed #bbb}tbody.table:target td{background:#fff3b0}\
tbody.table:target th{color:#000;font-weight:bold}dl.about{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dd{margin:0}.hint{color:#444}</style>";
