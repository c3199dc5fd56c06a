//! Word `.docx` → lines of text in the tab-separated row layout, so the
//! extraction pipeline reads a Word table exactly as it reads a text export
//! of one (see `extract::grid`, layout `WordTables`).
//!
//! ```text
//! word/document.xml          line of the text
//! <w:p> outside a table      one line: the paragraph's text (w:tab → tab)
//! <w:tr> of a table          one line: its cells' texts joined by tabs;
//!                            a cell spanning n grid columns (w:gridSpan) is
//!                            followed by n-1 empty cells, w:gridBefore puts
//!                            empty cells first, a cell continuing a vertical
//!                            merge (w:vMerge) is empty, as in text exports
//! paragraphs in a cell       joined by a space (tabs and breaks too)
//! a table in a cell          its text joined into the outer cell
//! ```
//!
//! So "line N" of a `.docx` is its N-th paragraph-or-table-row, counted in
//! document order: what the quality report shows as `file.docx:N`.
//! Only `w:t` text is read: deleted revisions (`w:delText`), field codes
//! (`w:instrText`) and the fallback copies of drawings (`mc:Fallback`) are
//! not text of the document.
//!
//! Crates: `zip` (the zip-rs project; only its deflate method, through
//! flate2 which the indexer uses already) opens the package (once, in
//! [`super::office`], which checks its sizes and finds the part), and
//! `quick-xml` streams the XML without building a tree. Both are small,
//! dependency-light and actively released; a whole-document crate such as
//! `docx-rs` is mainly a writer and would bring much more than one part's
//! text and table cells.

use std::io::Read;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::office::Package;
use super::{Content, DecodeError, Decoded, Reading};
use crate::grid::Layout;

/// `word/document.xml` larger than this (inflated) is refused: no real
/// budget document comes near it, a zip bomb does.
const MAX_XML_BYTES: u64 = 256 * 1024 * 1024;

/// The part holding a Word document's body: `word/document.xml`, else the
/// first `word/document*.xml` of the package; `None` for any other package.
pub fn document_part(archive: &Package) -> Option<String> {
    let parts = archive.file_names().filter_map(Result::ok).filter(|n| n.starts_with("word/document") && n.ends_with(".xml"));
    parts.min_by_key(|n| *n != "word/document.xml").map(String::from)
}

/// Reads the Word document in `part` (see [`document_part`]) of a package
/// [`super::office`] opened and checked.
pub fn read(archive: &mut Package, part: &str) -> Result<Decoded, DecodeError> {
    let mut file = archive.by_name(part).map_err(|e| DecodeError::refused(format!("Word 文档无法解压：{e}")))?;
    // zip stops at the size an entry declares: a larger body is refused
    // before it is inflated.
    if file.size() > MAX_XML_BYTES {
        return Err(DecodeError::refused(format!("Word 文档正文超过 {} MB", MAX_XML_BYTES >> 20)));
    }
    let mut xml = String::new();
    file.read_to_string(&mut xml).map_err(|e| DecodeError::refused(format!("Word 文档无法解压或不是 UTF-8：{e}")))?;
    let lines = lines(&xml)?;
    let text = lines.join("\n");
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    let reading = Reading {
        format: "docx".into(),
        encoding: "UTF-8".into(),
        bom: false,
        declared_encoding: false,
        line_ends: "none".into(),
        conversions: vec!["Word 文档转为文字行：每个段落、每个表格行一行，单元格以制表符分隔，合并单元格补空单元格".into()],
    };
    Ok(Decoded { content: Content::Text { text, layout: Some(Layout::WordTables) }, reading })
}

/// The document body as lines (see the module documentation).
pub fn lines(xml: &str) -> Result<Vec<String>, DecodeError> {
    let mut reader = Reader::from_str(xml);
    let mut b = Builder::default();
    loop {
        let event = reader.read_event().map_err(|e| {
            let why = format!("Word 文档的 XML 有误（第 {} 字节）：{e}", reader.error_position());
            DecodeError::Refused { why, line: b.lines.len() as u32 + 1 }
        })?;
        match event {
            Event::Eof => break,
            _ if b.skip > 0 => match &event {
                Event::Start(e) if local(e) == "Fallback" => b.skip += 1,
                Event::End(e) if e.local_name().as_ref() == "Fallback" => b.skip -= 1,
                _ => {}
            },
            Event::Start(e) => b.start(&e),
            Event::Empty(e) => {
                b.start(&e);
                b.end(local(&e));
            }
            Event::End(e) => b.end(e.local_name().as_ref()),
            Event::Text(t) if b.in_text => b.push(&t.xml10_content()),
            Event::CData(t) if b.in_text => b.push(&t),
            Event::GeneralRef(r) if b.in_text => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => match &*r {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => None,
                    },
                };
                match resolved {
                    Some(c) => b.push(c.encode_utf8(&mut [0; 4])),
                    None => b.push(&format!("&{};", &*r)),
                }
            }
            _ => {}
        }
    }
    Ok(b.lines)
}

fn local<'a>(e: &'a BytesStart) -> &'a str {
    let name = e.name().0;
    name.rsplit(':').next().unwrap_or(name)
}

fn number_attribute(e: &BytesStart) -> usize {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == "val")
        .and_then(|a| a.value.trim().parse().ok())
        .unwrap_or(1)
}

/// Collects lines while the XML streams by.
#[derive(Default)]
struct Builder {
    lines: Vec<String>,
    /// Nesting of `w:tbl`; rows and cells of the outermost table are cells.
    tables: usize,
    /// Nesting of `w:p` (a text box's paragraphs sit inside a paragraph).
    paragraphs: usize,
    /// Inside `w:r`: `w:tab` there is a tab character, not a tab stop.
    runs: usize,
    in_text: bool,
    /// Inside `mc:Fallback` (a second copy of a drawing's text).
    skip: usize,
    paragraph: String,
    row: Option<Vec<String>>,
    cell: Option<String>,
    span: usize,
}

impl Builder {
    fn start(&mut self, e: &BytesStart) {
        match local(e) {
            "Fallback" => self.skip += 1,
            "tbl" => {
                if self.tables == 0 && self.paragraphs > 0 {
                    self.end_paragraph();
                }
                self.tables += 1;
            }
            "tr" if self.tables == 1 => self.row = Some(Vec::new()),
            "tc" if self.tables == 1 => {
                self.cell = Some(String::new());
                self.span = 1;
            }
            "tc" => self.push(" "),
            "gridSpan" if self.tables == 1 && self.cell.is_some() => self.span = number_attribute(e).clamp(1, 64),
            "gridBefore" if self.tables == 1 && self.cell.is_none() => {
                if let Some(row) = &mut self.row {
                    row.extend(std::iter::repeat_n(String::new(), number_attribute(e).min(64)));
                }
            }
            "p" => {
                self.paragraphs += 1;
                if self.tables == 0 && self.paragraphs == 1 {
                    self.paragraph.clear();
                }
            }
            "r" => self.runs += 1,
            "t" => self.in_text = true,
            "tab" if self.runs > 0 => self.push(if self.tables == 0 { "\t" } else { " " }),
            "br" | "cr" if self.runs > 0 => self.push(" "),
            "noBreakHyphen" if self.runs > 0 => self.push("-"),
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        match name {
            "tbl" => self.tables = self.tables.saturating_sub(1),
            "tr" if self.tables == 1 => {
                if let Some(cells) = self.row.take() {
                    self.lines.push(cells.join("\t"));
                }
            }
            "tc" if self.tables == 1 => {
                if let (Some(cell), Some(row)) = (self.cell.take(), &mut self.row) {
                    let text: String = cell.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
                    row.push(text.trim().to_string());
                    row.extend(std::iter::repeat_n(String::new(), self.span - 1));
                }
            }
            "p" => {
                self.paragraphs = self.paragraphs.saturating_sub(1);
                if self.tables > 0 {
                    self.push(" ");
                } else if self.paragraphs == 0 {
                    self.end_paragraph();
                } else {
                    self.push(" ");
                }
            }
            "r" => self.runs = self.runs.saturating_sub(1),
            "t" => self.in_text = false,
            _ => {}
        }
    }

    fn end_paragraph(&mut self) {
        let text: String = self.paragraph.chars().map(|c| if c.is_control() && c != '\t' { ' ' } else { c }).collect();
        self.lines.push(text.trim_end().to_string());
        self.paragraph.clear();
    }

    fn push(&mut self, text: &str) {
        if self.tables > 0 {
            if let Some(cell) = &mut self.cell {
                cell.push_str(text);
            }
        } else {
            self.paragraph.push_str(text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(inner: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{inner}</w:body></w:document>"#
        )
    }

    #[test]
    fn paragraphs_and_rows_are_lines() {
        let xml = body(concat!(
            r#"<w:p><w:r><w:t>项目支出绩效目标表</w:t></w:r></w:p><w:p/>"#,
            r#"<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>项目名称</w:t></w:r></w:p></w:tc>"#,
            r#"<w:tc><w:p><w:r><w:t xml:space="preserve">驻村 </w:t></w:r><w:r><w:t>&amp;经费</w:t></w:r></w:p><w:p><w:r><w:t>第二段</w:t></w:r></w:p></w:tc></w:tr>"#,
            r#"<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr><w:tc><w:p><w:r><w:t>甲</w:t><w:tab/><w:t>乙</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#,
            r#"<w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:delText>删去</w:delText></w:r></w:p>"#,
        ));
        assert_eq!(lines(&xml).unwrap(), ["项目支出绩效目标表", "", "项目名称\t\t驻村 &经费 第二段", "\t甲 乙", "a\tb"]);
    }

    #[test]
    fn broken_xml_names_the_paragraph() {
        let xml = body(r#"<w:p><w:r><w:t>一</w:t></w:r></w:p><w:p><w:r><w:t>二</w:r></w:p>"#);
        let err = super::super::decode(&package(xml.as_bytes(), |_| {})).unwrap_err();
        assert!(matches!(err, DecodeError::Refused { line: 2, .. }), "{err:?}");
        assert!(err.to_string().starts_with("无法读取：Word 文档的 XML 有误"), "{err}");
    }

    /// A package of one `word/document.xml`, stored; `patch` may change
    /// the bytes of its central directory entry.
    fn package(xml: &[u8], patch: impl Fn(&mut [u8])) -> Vec<u8> {
        use std::io::Write;
        let mut buffer = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut buffer);
        let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        zip.start_file("word/document.xml", stored).unwrap();
        zip.write_all(xml).unwrap();
        zip.finish().unwrap();
        let mut bytes = buffer.into_inner();
        let entry = bytes.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
        patch(&mut bytes[entry..]);
        bytes
    }

    fn refusal(bytes: &[u8]) -> String {
        super::super::decode(bytes).unwrap_err().to_string()
    }

    #[test]
    fn every_refusal_of_a_word_document_says_why() {
        let paragraph = body(r#"<w:p><w:r><w:t>项目名称</w:t></w:r></w:p>"#);
        assert!(super::super::decode(&package(paragraph.as_bytes(), |_| {})).is_ok());
        // Encrypted (flag bit 0 of the central directory entry).
        let encrypted = package(paragraph.as_bytes(), |entry| entry[8] |= 1);
        assert!(refusal(&encrypted).starts_with("无法读取：Word 文档无法解压"), "{}", refusal(&encrypted));
        // A body that says it inflates to 300 MB (stored in 1.7 MB, a ratio
        // a real document can have) is refused before it is inflated.
        let padded = format!("{paragraph}{}", " ".repeat(1_700_000));
        let large = package(padded.as_bytes(), |entry| entry[24..28].copy_from_slice(&(300u32 << 20).to_le_bytes()));
        assert_eq!(refusal(&large), "无法读取：Word 文档正文超过 256 MB");
        let latin1 = package(b"<?xml version=\"1.0\"?><w:document>\xe9</w:document>", |_| {});
        assert!(refusal(&latin1).contains("不是 UTF-8"), "{}", refusal(&latin1));
        let blank = package(body(r#"<w:p><w:r><w:t> </w:t></w:r></w:p>"#).as_bytes(), |_| {});
        assert_eq!(super::super::decode(&blank), Err(DecodeError::Empty));
    }

    #[test]
    fn a_zip_with_a_broken_workbook_is_refused_as_one() {
        let mut buffer = std::io::Cursor::new(Vec::new());
        {
            use std::io::Write;
            let mut zip = zip::ZipWriter::new(&mut buffer);
            zip.start_file("xl/workbook.xml", zip::write::SimpleFileOptions::default()).unwrap();
            zip.write_all(b"<workbook/>").unwrap();
            zip.finish().unwrap();
        }
        let err = super::super::decode(buffer.get_ref()).unwrap_err();
        assert!(err.to_string().contains("工作簿无法打开"), "{err}");
    }
}
