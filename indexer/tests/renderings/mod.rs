//! Every table of `data/` rendered into the forms publishers use, for the
//! round-trip tests: an HTML page, an Excel workbook, a Word document (and,
//! printed from the HTML by headless Chromium, a PDF). A document's rows
//! are the grid the reader makes of its text; rows of one cell are
//! paragraphs, runs of rows of several cells are tables, a cell followed
//! by empty cells is merged across them (as Word and Excel templates
//! print a label spanning its columns).

#![allow(dead_code)]

use std::io::Write;

use jixiao_reader::grid::{Grid, Row};

/// A document's blocks: paragraphs and tables, in order. A blank line in
/// the text (a page break of the printing it was exported from) ends a
/// table: the next rows are a table of their own, as on the next page.
pub enum Block<'a> {
    Paragraph(&'a str),
    Table(Vec<&'a Row>),
}

pub fn blocks(grid: &Grid) -> Vec<Block<'_>> {
    let mut blocks = Vec::new();
    let mut table: Vec<&Row> = Vec::new();
    for row in &grid.rows {
        if row.gap_before > 0 && !table.is_empty() {
            blocks.push(Block::Table(std::mem::take(&mut table)));
        }
        if row.cells.len() == 1 {
            if !table.is_empty() {
                blocks.push(Block::Table(std::mem::take(&mut table)));
            }
            blocks.push(Block::Paragraph(&row.cells[0].text));
        } else {
            table.push(row);
        }
    }
    if !table.is_empty() {
        blocks.push(Block::Table(table));
    }
    blocks
}

/// The cells of a row with how many columns each spans: a cell takes the
/// empty cells after it, except at the row's end.
pub fn spans(row: &Row) -> Vec<(&str, usize)> {
    let mut out: Vec<(&str, usize)> = Vec::new();
    for cell in &row.cells {
        match out.last_mut() {
            Some((_, span)) if cell.text.is_empty() => *span += 1,
            _ => out.push((&cell.text, 1)),
        }
    }
    out
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// An HTML page, as a government site publishes a table.
pub fn html(grid: &Grid, title: &str) -> String {
    let mut page = format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{}</title>\n<style>\
         body{{font-family:\"Noto Sans CJK SC\",sans-serif;font-size:10pt}} table{{border-collapse:collapse;margin:8px 0}}\
         td{{border:1px solid #000;padding:4px 6px;vertical-align:middle}}</style></head><body>\n",
        escape(title)
    );
    for block in blocks(grid) {
        match block {
            Block::Paragraph(text) => page.push_str(&format!("<p>{}</p>\n", escape(text))),
            Block::Table(rows) => {
                page.push_str("<table>\n");
                for row in rows {
                    page.push_str("<tr>");
                    for (text, span) in spans(row) {
                        match span {
                            1 => page.push_str(&format!("<td>{}</td>", escape(text))),
                            n => page.push_str(&format!("<td colspan=\"{n}\">{}</td>", escape(text))),
                        }
                    }
                    page.push_str("</tr>\n");
                }
                page.push_str("</table>\n");
            }
        }
    }
    page.push_str("</body></html>\n");
    page
}

/// A plain decimal (`29.55`, `200000`): Excel stores it as a number.
fn as_number(text: &str) -> Option<f64> {
    let plain = !text.is_empty() && text.chars().all(|c| c.is_ascii_digit() || c == '.') && !text.starts_with('.') && !text.starts_with("0") | (text == "0");
    plain.then(|| text.parse().ok()).flatten()
}

/// An Excel workbook: the document on one sheet, numbers as numbers,
/// merged cells merged.
pub fn xlsx(grid: &Grid) -> Vec<u8> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("绩效目标表").unwrap();
    let plain = Format::new();
    let mut r = 0u32;
    for row in &grid.rows {
        // A blank line in the text is an empty row in the sheet.
        r += row.gap_before.min(1);
        let mut col = 0u16;
        for (text, span) in spans(row) {
            if span > 1 && !text.is_empty() {
                sheet.merge_range(r, col, r, col + span as u16 - 1, text, &plain).unwrap();
            } else {
                match as_number(text) {
                    Some(n) => sheet.write_number(r, col, n).unwrap(),
                    None => sheet.write_string(r, col, text).unwrap(),
                };
            }
            col += span as u16;
        }
        r += 1;
    }
    workbook.save_to_buffer().unwrap()
}

/// A Word document: paragraphs and tables, cells spanning columns with
/// `w:gridSpan`.
pub fn docx(grid: &Grid) -> Vec<u8> {
    let run = |text: &str| format!("<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>", escape(text));
    let mut body = String::new();
    for block in blocks(grid) {
        match block {
            Block::Paragraph(text) => body.push_str(&run(text)),
            Block::Table(rows) => {
                // Word keeps a paragraph between two tables (else they are one).
                if body.ends_with("</w:tbl>") {
                    body.push_str("<w:p/>");
                }
                body.push_str("<w:tbl>");
                for row in rows {
                    body.push_str("<w:tr>");
                    for (text, span) in spans(row) {
                        let properties = if span > 1 { format!("<w:tcPr><w:gridSpan w:val=\"{span}\"/></w:tcPr>") } else { String::new() };
                        body.push_str(&format!("<w:tc>{properties}{}</w:tc>", run(text)));
                    }
                    body.push_str("</w:tr>");
                }
                body.push_str("</w:tbl>");
            }
        }
    }
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    let mut buffer = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buffer);
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        let parts = [
            (
                "[Content_Types].xml",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
                 <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
                 <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
                 <Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>"
                    .to_string(),
            ),
            (
                "_rels/.rels",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
                 <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>"
                    .to_string(),
            ),
            ("word/document.xml", document),
        ];
        for (name, content) in parts {
            zip.start_file(name, options).unwrap();
            zip.write_all(content.as_bytes()).unwrap();
        }
        zip.finish().unwrap();
    }
    buffer.into_inner()
}

/// The HTML page printed to PDF by headless Chromium, as "print to PDF"
/// makes it (a real text layer, fonts-noto-cjk embedded).
pub fn pdf(grid: &Grid, title: &str) -> Vec<u8> {
    let dir = std::env::temp_dir().join(format!("jixiao-pdf-{}-{}", std::process::id(), PRINTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed)));
    std::fs::create_dir_all(&dir).unwrap();
    let page = dir.join("table.html");
    std::fs::write(&page, html(grid, title)).unwrap();
    let out = dir.join("table.pdf");
    let status = std::process::Command::new("/usr/bin/chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg(format!("--print-to-pdf={}", out.display()))
        .arg(format!("file://{}", page.display()))
        .stderr(std::process::Stdio::null())
        .status()
        .expect("/usr/bin/chromium runs (cargo xtask setup --browser installs it)");
    assert!(status.success(), "chromium printed the page");
    let bytes = std::fs::read(&out).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    bytes
}

static PRINTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// The rows as text in pipe rows (`a | b | c`), or as a markdown table
/// (`| a | b | c |`, with a rule under its first row), as the web and
/// converters write tables; one-cell rows stay lines of text, blank lines
/// (page breaks) stay blank lines.
pub fn piped(grid: &Grid, markdown: bool) -> String {
    let mut out = String::new();
    let mut in_table = false;
    for row in &grid.rows {
        for _ in 0..row.gap_before {
            out.push('\n');
        }
        if row.gap_before > 0 {
            in_table = false;
        }
        let cells: Vec<&str> = row.cells.iter().map(|c| c.text.as_str()).collect();
        if cells.len() == 1 {
            out.push_str(cells[0]);
            in_table = false;
        } else if markdown {
            out.push_str(&format!("| {} |", cells.join(" | ")));
            if !in_table {
                out.push('\n');
                out.push_str(&format!("|{}", "---|".repeat(cells.len())));
            }
            in_table = true;
        } else {
            out.push_str(&cells.join(" | "));
        }
        out.push('\n');
    }
    out
}
