//! Bytes of a document → text, whatever it was saved as.
//!
//! - Text in UTF-8 (with or without BOM), UTF-16 (LE/BE, with BOM or
//!   detected from the zero bytes of ASCII) or GB18030/GBK; CRLF and CR line
//!   ends become LF.
//! - Word `.docx` (recognised by its content, a zip holding
//!   `word/document.xml`): its paragraphs and table rows become lines, see
//!   [`docx`].
//! - PDF with a text layer (`%PDF`): words placed on the pages, rebuilt into
//!   rows and columns, see [`pdf`]; a scan without text is refused.
//!
//! Nothing is converted silently: the [`Reading`] says which encoding was
//! found, how (BOM or inferred from the bytes), which line ends, and what was
//! converted; the quality report prints it. A file that is none of these (an
//! image, a legacy `.doc`, random bytes) is refused with the reason and the
//! line of the first byte that gave it away.

pub mod docx;
pub mod html;
pub mod office;
pub mod pdf;
pub mod sheet;

use std::borrow::Cow;

use encoding_rs::{DecoderResult, Encoding, GB18030, UTF_16BE, UTF_16LE, UTF_8};
use serde::Serialize;

use crate::grid::{Grid, Layout, SourceRow};

/// A document read from its bytes: its content and how it was read.
#[derive(Debug, PartialEq, Eq)]
pub struct Decoded {
    pub content: Content,
    pub reading: Reading,
}

/// What a document holds, before it is laid out in rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Content {
    /// Text, in a layout the text decides (or the format fixes).
    Text { text: String, layout: Option<Layout> },
    /// Rows of cells a structured format gave (Excel, HTML, PDF).
    Rows { layout: Layout, rows: Vec<SourceRow> },
}

impl Decoded {
    /// The document as one grid of rows.
    pub fn grid(&self) -> Grid {
        match &self.content {
            Content::Text { text, layout } => Grid::from_text(text, *layout),
            Content::Rows { layout, rows } => Grid::from_rows(*layout, rows.clone()),
        }
    }

    /// The document's text (a structured document's rows as tab-separated
    /// lines, laid out for it: ask once).
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        match &self.content {
            Content::Text { text, .. } => std::borrow::Cow::Borrowed(text),
            Content::Rows { .. } => std::borrow::Cow::Owned(self.grid().lines.join("\n")),
        }
    }
}

/// How a document's bytes were read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Reading {
    /// `text`, `docx` or `pdf`.
    pub format: String,
    /// `UTF-8`, `UTF-16LE`, `UTF-16BE` or `GB18030` (which reads GBK and
    /// GB2312 too). A `.docx` is XML in UTF-8.
    pub encoding: String,
    /// The encoding was stated by a byte-order mark; without one it was
    /// inferred from the bytes (certain for UTF-8, a guess otherwise).
    pub bom: bool,
    /// An HTML page stated its encoding (`<meta charset>`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub declared_encoding: bool,
    /// Line ends found: `LF`, `CRLF`, `CR`, `mixed`, or `none` (a single
    /// line, or a `.docx`).
    pub line_ends: String,
    /// What was done to read the file, in words; empty when it was read as is.
    pub conversions: Vec<String>,
}

impl Reading {
    /// The encoding was guessed from the bytes, not known: a person should
    /// check that the text reads right.
    pub fn encoding_guessed(&self) -> bool {
        matches!(self.format.as_str(), "text" | "html") && !self.bom && !self.declared_encoding && self.encoding != "UTF-8"
    }

    /// One line for the quality report, e.g. `GB18030（推断）, CRLF→LF`.
    pub fn summary(&self) -> String {
        match self.format.as_str() {
            "docx" => return "Word .docx（行号 = 第几个段落或表格行）".into(),
            "spreadsheet" => return "工作簿（行号 = 所有工作表的第几行，位置见工作表和单元格）".into(),
            "pdf" => return "PDF（行号 = 第几个文字行，位置见页码）".into(),
            _ => {}
        }
        let how = if self.bom {
            "，有 BOM"
        } else if self.declared_encoding {
            "，网页声明"
        } else if self.encoding_guessed() {
            "（推断）"
        } else {
            ""
        };
        let page = if self.format == "html" { "网页，" } else { "" };
        let ends = match self.line_ends.as_str() {
            "CRLF" | "CR" | "mixed" => format!("{}→LF", self.line_ends),
            other => other.to_string(),
        };
        format!("{page}{}{how}，{ends}", self.encoding)
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// No text at all (nothing, or only spaces and line breaks).
    Empty,
    /// Not a document this indexer reads; `line` is where the first byte
    /// that shows it is (1 for a file recognised by its header).
    Binary { why: String, line: u32 },
    /// A format recognised that cannot be read as it is (a legacy `.doc`,
    /// a password, a broken workbook); `why` says what to do.
    Refused { why: String, line: u32 },
}

impl DecodeError {
    /// A file recognised by its header that cannot be read as it is.
    pub(crate) fn refused(why: impl Into<String>) -> DecodeError {
        DecodeError::Refused { why: why.into(), line: 1 }
    }

    /// The line the problem is on (an empty file's is line 1).
    pub fn line(&self) -> u32 {
        match self {
            DecodeError::Empty => 1,
            DecodeError::Binary { line, .. } | DecodeError::Refused { line, .. } => *line,
        }
    }
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::Empty => write!(f, "文件为空（没有任何文字）"),
            DecodeError::Binary { why, .. } => write!(f, "不是文本文件（{why}）"),
            DecodeError::Refused { why, .. } => write!(f, "无法读取：{why}"),
        }
    }
}

pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(DecodeError::Empty);
    }
    if let Some(refused) = known_binary(bytes) {
        return refused;
    }
    // A page that declares its encoding (`<meta charset="gbk">`) is read
    // in it; a byte-order mark still wins, as in a browser.
    let declared = bytes.trim_ascii_start().starts_with(b"<").then(|| html::declared_charset(bytes)).flatten();
    let (encoding, had_bom, body): (&'static Encoding, bool, &[u8]) = match Encoding::for_bom(bytes) {
        Some((encoding, bom_len)) => (encoding, true, &bytes[bom_len..]),
        None => (declared.unwrap_or_else(|| sniff(bytes)), false, bytes),
    };
    let text = match decode_strictly(encoding, body) {
        Ok(text) => text,
        Err(offset) => {
            let line = line_at(encoding, body, offset);
            return Err(DecodeError::Binary { why: format!("按 {} 解码时第 {} 字节无效", name(encoding), offset + 1), line });
        }
    };
    let is_control = |c: char| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}');
    let controls = text.chars().filter(|&c| is_control(c)).count();
    if controls * 100 > text.chars().count().max(1) {
        let first = text.find(is_control).unwrap_or(0);
        let line = text[..first].matches('\n').count() as u32 + 1;
        return Err(DecodeError::Binary { why: "含有大量控制字符".into(), line });
    }
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    let line_ends = line_ends(&text);
    let mut conversions = Vec::new();
    if had_bom {
        conversions.push("去掉了字节顺序标记（BOM）".to_string());
    }
    if encoding != UTF_8 {
        conversions.push(match had_bom {
            true => format!("按 BOM 以 {} 解码，转换为 UTF-8", name(encoding)),
            false => format!("按字节推断为 {}，解码并转换为 UTF-8", name(encoding)),
        });
    }
    if matches!(line_ends, "CRLF" | "CR" | "mixed") {
        conversions.push(format!("换行符 {line_ends} 统一为 LF"));
    }
    let text = if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n") } else { text.into_owned() };
    let declared_encoding = declared.is_some() && !had_bom;
    if declared_encoding {
        conversions.insert(0, format!("按网页声明的编码 {} 解码", name(encoding)));
    }
    let reading = Reading {
        format: "text".into(),
        encoding: name(encoding).into(),
        bom: had_bom,
        declared_encoding,
        line_ends: line_ends.into(),
        conversions,
    };
    if html::looks_like_html(&text) {
        if text.len() > html::MAX_BYTES {
            return Err(DecodeError::refused(format!("网页有 {} MB，超过 {} MB 的上限：请只保存含表格的部分", text.len() >> 20, html::MAX_BYTES >> 20)));
        }
        return Ok(html::read(&text, reading));
    }
    Ok(Decoded { content: Content::Text { text, layout: None }, reading })
}

/// Files recognised by their first bytes: a Word document is read, the
/// others are refused with what they are.
fn known_binary(bytes: &[u8]) -> Option<Result<Decoded, DecodeError>> {
    let refuse = |why: &str| Some(Err(DecodeError::Binary { why: why.to_string(), line: 1 }));
    if bytes.starts_with(b"PK\x03\x04") {
        return Some(office::read_package(bytes));
    }
    if bytes.starts_with(b"%PDF") {
        return Some(pdf::read(bytes));
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Some(office::read_compound(bytes));
    }
    for (magic, what) in [(&b"\x89PNG"[..], "PNG 图片"), (&[0xFF, 0xD8, 0xFF][..], "JPEG 图片"), (&b"GIF8"[..], "GIF 图片")] {
        if bytes.starts_with(magic) {
            return refuse(&format!("{what}：扫描件需先识别成文字"));
        }
    }
    None
}

/// Display name of an encoding (`gb18030` reads as `GB18030`).
fn name(encoding: &'static Encoding) -> &'static str {
    if encoding == GB18030 {
        "GB18030"
    } else {
        encoding.name()
    }
}

/// The body decoded in one pass, or the byte offset of the first sequence
/// that is not valid in `encoding`.
fn decode_strictly<'a>(encoding: &'static Encoding, body: &'a [u8]) -> Result<Cow<'a, str>, usize> {
    if encoding == UTF_8 {
        return std::str::from_utf8(body).map(Cow::Borrowed).map_err(|e| e.valid_up_to());
    }
    let mut decoder = encoding.new_decoder_without_bom_handling();
    // Only a body near usize::MAX bytes has no bound; it cannot be in memory.
    let capacity = decoder.max_utf8_buffer_length_without_replacement(body.len()).ok_or(0usize)?;
    let mut out = String::with_capacity(capacity);
    match decoder.decode_to_string_without_replacement(body, &mut out, true) {
        (DecoderResult::InputEmpty, _) => Ok(Cow::Owned(out)),
        (DecoderResult::Malformed(bad, after), read) => Err(read - after as usize - bad as usize),
        // Not with a buffer of the maximum length; say where it stopped.
        (DecoderResult::OutputFull, read) => Err(read),
    }
}

/// The 1-based line of a byte offset.
fn line_at(encoding: &'static Encoding, body: &[u8], offset: usize) -> u32 {
    let (before, _) = encoding.decode_without_bom_handling(&body[..offset.min(body.len())]);
    before.replace("\r\n", "\n").chars().filter(|&c| c == '\n' || c == '\r').count() as u32 + 1
}

fn line_ends(text: &str) -> &'static str {
    let crlf = text.matches("\r\n").count();
    let cr = text.matches('\r').count() - crlf;
    let lf = text.matches('\n').count() - crlf;
    match (crlf > 0, cr > 0, lf > 0) {
        (false, false, false) => "none",
        (false, false, true) => "LF",
        (true, false, false) => "CRLF",
        (false, true, false) => "CR",
        _ => "mixed",
    }
}

/// Guesses the encoding of a file without a BOM.
fn sniff(bytes: &[u8]) -> &'static Encoding {
    if std::str::from_utf8(bytes).is_ok() {
        return UTF_8;
    }
    // UTF-16 text of mostly ASCII has a zero in every other byte.
    let sample = &bytes[..bytes.len().min(4096)];
    let zeros_even = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let zeros_odd = sample.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    let half = sample.len() / 2;
    if half > 0 && zeros_odd * 4 > half && zeros_even * 20 < half {
        return UTF_16LE;
    }
    if half > 0 && zeros_even * 4 > half && zeros_odd * 20 < half {
        return UTF_16BE;
    }
    if bytes.contains(&0) {
        // Zero bytes in neither UTF-8 nor UTF-16: binary. UTF-8 will fail.
        return UTF_8;
    }
    GB18030
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_with_and_without_bom() {
        let d = decode("项目名称\r\n".as_bytes()).unwrap();
        assert_eq!((&*d.text(), d.reading.encoding.as_str(), d.reading.bom), ("项目名称\n", "UTF-8", false));
        assert_eq!(d.reading.line_ends, "CRLF");
        assert_eq!(d.reading.conversions, ["换行符 CRLF 统一为 LF"]);
        let mut with_bom = vec![0xEF, 0xBB, 0xBF];
        with_bom.extend("项目".as_bytes());
        let d = decode(&with_bom).unwrap();
        assert_eq!((&*d.text(), d.reading.bom, d.reading.line_ends.as_str()), ("项目", true, "none"));
        assert_eq!(d.reading.conversions, ["去掉了字节顺序标记（BOM）"]);
    }

    #[test]
    fn decodes_gbk_and_utf16() {
        let (gbk, _, _) = GB18030.encode("项目名称\t驻村干部补助经费");
        let d = decode(&gbk).unwrap();
        assert_eq!((&*d.text(), d.reading.encoding.as_str()), ("项目名称\t驻村干部补助经费", "GB18030"));
        assert!(d.reading.encoding_guessed());
        let utf16: Vec<u8> = "项目 ab\n".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let mut with_bom = vec![0xFF, 0xFE];
        with_bom.extend(&utf16);
        let d = decode(&with_bom).unwrap();
        assert_eq!((&*d.text(), d.reading.encoding.as_str(), d.reading.bom), ("项目 ab\n", "UTF-16LE", true));
        assert!(!d.reading.encoding_guessed());
    }

    #[test]
    fn a_page_declaring_its_encoding_is_read_in_it_after_leading_blank_lines() {
        let (body, _, _) = encoding_rs::GBK.encode("<td>项目名称</td>");
        for start in [&b""[..], b"\r\n", b"  \n"] {
            let page = [start, b"<html><head><meta charset=\"gbk\"></head>", &body[..]].concat();
            let d = decode(&page).unwrap();
            assert!(!d.reading.encoding_guessed(), "{start:?}: {}", d.reading.encoding);
        }
    }

    #[test]
    fn line_ends_are_named() {
        assert_eq!(line_ends("a\nb"), "LF");
        assert_eq!(line_ends("a\rb\r"), "CR");
        assert_eq!(line_ends("a\r\nb\nc"), "mixed");
        assert_eq!(decode(b"a\rb\r\nc").unwrap().text(), "a\nb\nc");
    }

    #[test]
    fn refuses_empty_and_binary_naming_the_line() {
        assert_eq!(decode(b"  \n"), Err(DecodeError::Empty));
        assert_eq!(decode(b""), Err(DecodeError::Empty));
        let err = decode(b"line one\nline two\n\x00\xFF\x00\x81\x03").unwrap_err();
        assert!(matches!(err, DecodeError::Binary { line: 3, .. }), "{err:?}");
        let err = decode(b"%PDF-1.4\n").unwrap_err();
        assert!(err.to_string().contains("PDF"), "{err}");
    }
}
