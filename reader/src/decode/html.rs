//! HTML pages and fragments → rows: every `<table>` a block of rows with
//! `rowspan`/`colspan` expanded (a merged cell is followed by empty cells
//! for the columns it covers, the rows it covers get empty cells where it
//! stands), and the text outside tables as paragraphs, one row each.
//!
//! ```text
//! <table> <tr>              one row, Place::Html { table, row }
//! <td colspan=n>            a cell spanning n columns
//! <td rowspan=n>            the cell, then empty cells in the n-1 rows below
//! <table> inside a cell     its text joins the outer cell
//! <p>, <div>, <li>, <br> …  paragraph breaks outside tables (Place table 0)
//! <script>, <style>, <head> not text (nor the tab's <title>)
//! <input type=checkbox>     ☑ when checked, else ☐
//! ```
//!
//! Parsing is html5ever's (through `scraper`), the HTML standard's own
//! algorithm, so the broken markup government sites serve (unclosed cells,
//! tables inside paragraphs) is read as a browser reads it.

use scraper::node::Node;
use scraper::{ElementRef, Html};

use super::{Content, Decoded, Reading};
use crate::grid::clean::collapse_whitespace;
use crate::grid::{Layout, Place, SourceCell, SourceRow};

/// Pages larger than this are refused: a page holding performance tables
/// is a few megabytes at most; parsing a much larger one costs seconds and
/// gigabytes for nothing.
pub const MAX_BYTES: usize = 20 << 20;

/// Spans beyond these are a broken or hostile page, not a table: they are
/// clamped (a real table has tens of columns, hundreds of rows).
const MAX_COLSPAN: usize = 256;
const MAX_ROWSPAN: usize = 4096;

/// True for text that is an HTML page or a fragment of one (a table copied
/// out of a page), whatever the file is named.
pub fn looks_like_html(text: &str) -> bool {
    let head: String = text.trim_start_matches('\u{feff}').chars().take(4096).collect::<String>().to_ascii_lowercase();
    let head = head.trim_start();
    head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.starts_with("<?xml") && head.contains("<html")
        || ["<table", "<body", "<head", "<meta "].iter().any(|tag| head.contains(tag)) && head.contains("</")
}

/// The encoding an HTML page declares in its first kilobytes
/// (`<meta charset="gbk">`, `<meta http-equiv="Content-Type"
/// content="text/html; charset=gb2312">`), as the HTML standard's prescan
/// finds it.
pub fn declared_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut at = 0;
    while let Some(found) = find(&lower[at..], b"charset") {
        let mut i = at + found + b"charset".len();
        while i < lower.len() && matches!(lower[i], b' ' | b'=' | b'"' | b'\'') {
            i += 1;
        }
        let end = (i..lower.len()).find(|&j| !(lower[j].is_ascii_alphanumeric() || matches!(lower[j], b'-' | b'_'))).unwrap_or(lower.len());
        if let Some(encoding) = encoding_rs::Encoding::for_label(&lower[i..end]) {
            // A page that says UTF-16 in ASCII bytes is not UTF-16.
            return Some(if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE { encoding_rs::UTF_8 } else { encoding });
        }
        at = end.max(at + found + 1);
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Reads a decoded HTML document.
pub fn read(text: &str, mut reading: Reading) -> Decoded {
    let document = Html::parse_document(text);
    let mut out = Collector::default();
    out.walk(document.root_element());
    out.flush_paragraph();
    reading.format = "html".into();
    reading.conversions.push(format!(
        "网页转为表格行：{} 个表格（合并单元格已展开），表格外的文字按段落读取",
        out.tables
    ));
    Decoded { content: Content::Rows { layout: Layout::HtmlTables, rows: out.rows }, reading }
}

#[derive(Default)]
struct Collector {
    rows: Vec<SourceRow>,
    paragraph: String,
    paragraphs: u32,
    tables: u32,
}

/// Elements whose start and end break a paragraph.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div" | "br" | "li" | "ul" | "ol" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "section" | "article" | "header" | "footer"
            | "tr" | "hr" | "dd" | "dt" | "blockquote" | "pre" | "center" | "form" | "nav" | "aside" | "main" | "caption" | "title"
    )
}

fn is_hidden(name: &str) -> bool {
    matches!(name, "script" | "style" | "noscript" | "template" | "head" | "iframe" | "object" | "svg")
}

impl Collector {
    fn walk(&mut self, element: ElementRef) {
        for child in element.children() {
            match child.value() {
                Node::Text(text) => self.paragraph.push_str(text),
                Node::Element(e) => {
                    let name = e.name();
                    let Some(child) = ElementRef::wrap(child) else { continue };
                    // The <head>'s <title> is the browser tab's, not the page's
                    // text (the page prints its own heading).
                    if is_hidden(name) {
                        continue;
                    }
                    if name == "table" {
                        self.flush_paragraph();
                        self.table(child);
                        continue;
                    }
                    if name == "input" {
                        self.paragraph.push_str(checkbox(e).unwrap_or(""));
                        continue;
                    }
                    let block = is_block(name);
                    if block {
                        self.flush_paragraph();
                    }
                    self.walk(child);
                    if block {
                        self.flush_paragraph();
                    }
                }
                _ => {}
            }
        }
    }

    fn flush_paragraph(&mut self) {
        let text = collapse_whitespace(&self.paragraph);
        self.paragraph.clear();
        if text.is_empty() {
            return;
        }
        self.paragraphs += 1;
        self.rows.push(SourceRow {
            cells: vec![SourceCell::new(text)],
            place: Place::Html { table: 0, row: self.paragraphs },
            starts_block: false,
        });
    }

    fn table(&mut self, table: ElementRef) {
        self.tables += 1;
        let number = self.tables;
        // Rows of this table, not of tables nested in its cells.
        let rows: Vec<ElementRef> = table_rows(table);
        // (column, rows still covered, columns covered) of cells spanning down.
        let mut pending: Vec<(usize, usize, usize)> = Vec::new();
        for (r, tr) in rows.iter().enumerate() {
            let mut cells: Vec<SourceCell> = Vec::new();
            let mut col = 0;
            for cell in tr.children().filter_map(ElementRef::wrap).filter(|e| matches!(e.value().name(), "td" | "th")) {
                col = skip_covered(col, &pending, &mut cells);
                let span = |attribute: &str, max: usize| {
                    cell.value().attr(attribute).and_then(|v| v.trim().parse::<usize>().ok()).filter(|&n| n >= 1).unwrap_or(1).min(max)
                };
                let (colspan, rowspan) = (span("colspan", MAX_COLSPAN), span("rowspan", MAX_ROWSPAN));
                cells.push(SourceCell { text: collapse_whitespace(&text_of(cell)), col_span: colspan as u32 });
                if rowspan > 1 {
                    pending.push((col, rowspan, colspan));
                }
                col += colspan;
            }
            // Spans from above to the right of the last cell.
            let widest = pending.iter().map(|(c, _, w)| c + w).max().unwrap_or(0);
            while col < widest {
                let next = skip_covered(col, &pending, &mut cells);
                if next == col {
                    cells.push(SourceCell::new(""));
                    col += 1;
                } else {
                    col = next;
                }
            }
            // Rows below this one are one fewer row under each span; spans
            // that started in this row count this row already.
            for entry in pending.iter_mut() {
                entry.1 -= 1;
            }
            pending.retain(|&(_, left, _)| left > 0);
            self.rows.push(SourceRow { cells, place: Place::Html { table: number, row: r as u32 + 1 }, starts_block: r == 0 });
        }
    }
}

/// The next free column from `col`: positions still taken by cells from the
/// rows above (`pending`: column, rows left, width) are empty cells here.
fn skip_covered(mut col: usize, pending: &[(usize, usize, usize)], cells: &mut Vec<SourceCell>) -> usize {
    while let Some(&(_, _, width)) = pending.iter().find(|(c, left, _)| *c == col && *left > 0) {
        cells.extend((0..width).map(|_| SourceCell::new("")));
        col += width;
    }
    col
}

/// The `<tr>`s of a table (directly, or in its thead/tbody/tfoot).
fn table_rows(table: ElementRef) -> Vec<ElementRef> {
    let mut rows = Vec::new();
    for child in table.children().filter_map(ElementRef::wrap) {
        match child.value().name() {
            "tr" => rows.push(child),
            "thead" | "tbody" | "tfoot" => rows.extend(child.children().filter_map(ElementRef::wrap).filter(|e| e.value().name() == "tr")),
            _ => {}
        }
    }
    rows
}

fn checkbox(e: &scraper::node::Element) -> Option<&'static str> {
    (e.attr("type").is_some_and(|t| t.eq_ignore_ascii_case("checkbox") || t.eq_ignore_ascii_case("radio")))
        .then(|| if e.attr("checked").is_some() { "☑" } else { "☐" })
}

/// The text of an element as a reader sees it: blocks and line breaks
/// separate words, hidden elements are not text, checkboxes are ☑/☐.
fn text_of(element: ElementRef) -> String {
    let mut out = String::new();
    collect_text(element, &mut out);
    out
}

fn collect_text(element: ElementRef, out: &mut String) {
    for child in element.children() {
        match child.value() {
            Node::Text(text) => out.push_str(text),
            Node::Element(e) => {
                let name = e.name();
                if is_hidden(name) {
                    continue;
                }
                if name == "input" {
                    out.push_str(checkbox(e).unwrap_or(""));
                    continue;
                }
                let Some(child) = ElementRef::wrap(child) else { continue };
                let block = is_block(name) || matches!(name, "td" | "th" | "table");
                if block {
                    out.push(' ');
                }
                collect_text(child, out);
                if block {
                    out.push(' ');
                }
            }
            _ => {}
        }
    }
}

/// Whitespace (and non-breaking spaces) collapsed to single spaces.
#[cfg(test)]
mod tests {
    use super::*;

    fn rows(html: &str) -> Vec<Vec<String>> {
        match read(html, Reading::default()).content {
            Content::Rows { rows, .. } => rows
                .iter()
                .map(|r| {
                    r.cells.iter().flat_map(|c| std::iter::once(c.text.clone()).chain((1..c.col_span).map(|_| String::new()))).collect()
                })
                .collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn spans_are_expanded_and_text_outside_tables_is_paragraphs() {
        let html = r#"<html><head><title>绩效目标表</title><script>var x = "<td>";</script></head><body>
            <p>某县医疗保障局<br>2024年</p>
            <table><tbody>
              <tr><td rowspan="2">项目资金</td><td colspan="2">年度资金总额</td><td>20</td></tr>
              <tr><td>其中：</td><td>财政拨款</td><td>20</td></tr>
              <tr><td>项目属性</td><td><input type="checkbox" checked> 延续 <input type="checkbox"> 新增</td></tr>
            </tbody></table></body></html>"#;
        assert_eq!(
            rows(html),
            vec![
                vec!["某县医疗保障局"],
                vec!["2024年"],
                vec!["项目资金", "年度资金总额", "", "20"],
                vec!["", "其中：", "财政拨款", "20"],
                vec!["项目属性", "☑ 延续 ☐ 新增"],
            ]
        );
    }

    #[test]
    fn a_cell_spanning_rows_and_columns_leaves_its_whole_block_empty() {
        let html = "<table><tr><td rowspan=3 colspan=2>一级指标</td><td>a</td></tr><tr><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>";
        assert_eq!(rows(html), vec![vec!["一级指标", "", "a"], vec!["", "", "b"], vec!["", "", "c", "d"]]);
    }

    #[test]
    fn charset_is_read_from_meta() {
        let page = br#"<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head>"#;
        assert_eq!(declared_charset(page), Some(encoding_rs::GBK));
        assert_eq!(declared_charset(b"<meta charset='utf-8'>"), Some(encoding_rs::UTF_8));
        assert_eq!(declared_charset(b"<p>no charset</p>"), None);
        assert!(looks_like_html("\n<table><tr><td>项目名称</td></tr></table>"));
        assert!(!looks_like_html("项目名称 | 甲 |"));
    }
}
