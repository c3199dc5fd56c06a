//! Office files, told apart by what they contain, never by their name:
//! Chinese sites serve workbooks as `.xls` that are `.xlsx` (or HTML, or
//! text), and Word files under any name.
//!
//! - a ZIP package: `word/document.xml` → Word ([`super::docx`]),
//!   `xl/workbook.xml` → Excel, an OpenDocument spreadsheet → ODS (both
//!   [`super::sheet`]); its entries' sizes are checked first, so a zip bomb
//!   is refused before anything is inflated;
//! - an OLE compound file: a `Workbook`/`Book` stream → Excel 97–2003
//!   (`.xls`); a `WordDocument` stream → a legacy Word `.doc`, refused with
//!   how to convert it (no maintained, small Rust reader of `.doc` exists;
//!   converting with Word, WPS or LibreOffice is one step); an
//!   `EncryptedPackage` → a password-protected file, refused.

use std::io::Cursor;

use super::{docx, sheet, DecodeError, Decoded};

/// Inflated size allowed for one package (all entries together), and the
/// largest compression ratio of an entry. A real workbook of performance
/// tables is a few megabytes inflated, compressed 5–20 times.
const MAX_INFLATED: u64 = 512 << 20;
const MAX_RATIO: u64 = 200;

/// A ZIP package read from memory.
pub type Package<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// A ZIP package: Word, Excel or OpenDocument.
pub fn read_package(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| DecodeError::refused(format!("ZIP 文件已损坏：{e}")))?;
    let mut inflated = 0u64;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|e| DecodeError::refused(format!("ZIP 文件已损坏：{e}")))?;
        inflated = inflated.saturating_add(entry.size());
        if entry.size() > 1 << 20 && entry.size() / entry.compressed_size().max(1) > MAX_RATIO {
            return Err(DecodeError::refused(format!(
                "压缩包中的“{}”解压后达 {} MB，压缩比异常（可能是“压缩炸弹”），未读取",
                entry.name().unwrap_or_default(),
                entry.size() >> 20
            )));
        }
    }
    if inflated > MAX_INFLATED {
        return Err(DecodeError::refused(format!("压缩包解压后共 {} MB，超过 {} MB 的上限，未读取", inflated >> 20, MAX_INFLATED >> 20)));
    }
    if let Some(part) = docx::document_part(&archive) {
        return docx::read(&mut archive, &part);
    }
    let has = |name: &str| archive.index_for_name(name).is_some();
    if has("xl/workbook.xml") || has("xl/workbook.bin") {
        return sheet::read(bytes, "Excel 工作簿");
    }
    if has("content.xml") && mimetype(&mut archive).is_some_and(|m| m.contains("spreadsheet")) {
        return sheet::read(bytes, "OpenDocument 工作簿");
    }
    Err(DecodeError::refused("ZIP 压缩包，但不是 Word 文档或 Excel 工作簿（没有 word/document.xml 或 xl/workbook.xml）"))
}

fn mimetype(archive: &mut Package) -> Option<String> {
    use std::io::Read;
    let mut text = String::new();
    archive.by_name("mimetype").ok()?.take(200).read_to_string(&mut text).ok()?;
    Some(text)
}

/// A name as an OLE compound file's directory stores it (UTF-16LE).
fn stream_named(bytes: &[u8], name: &str) -> bool {
    let wide: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.windows(wide.len()).any(|w| w == wide)
}

/// An OLE compound file: Excel 97–2003, or a file this reader refuses.
pub fn read_compound(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if stream_named(bytes, "EncryptedPackage") {
        return Err(DecodeError::refused("文件受密码保护（加密的 Office 文件）：请在 Word、Excel 或 WPS 中取消密码后另存"));
    }
    let word = stream_named(bytes, "WordDocument");
    if stream_named(bytes, "Workbook") || stream_named(bytes, "Book") {
        // A workbook may embed a Word object, whose streams keep their
        // names: the workbook decides; a .doc embedding a sheet is no workbook.
        match sheet::read(bytes, "Excel 97–2003 工作簿（.xls）") {
            Err(_) if word => {}
            read => return read,
        }
    }
    if word {
        return Err(DecodeError::refused(
            "旧版 Word 文件（.doc）：请用 Word 或 WPS“另存为”.docx，或运行 soffice --headless --convert-to docx 文件名.doc，再放入 data/",
        ));
    }
    Err(DecodeError::refused("旧版 Office 文件，但既不是 Word 也不是 Excel：请另存为 .docx 或 .xlsx"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(entries: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
        let mut buffer = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut buffer);
        for (name, content) in entries {
            zip.start_file(*name, zip::write::SimpleFileOptions::default().compression_method(method)).unwrap();
            zip.write_all(content).unwrap();
        }
        zip.finish().unwrap();
        buffer.into_inner()
    }

    #[test]
    fn a_zip_bomb_is_refused_before_inflating() {
        let zeros = vec![0u8; 64 << 20];
        let bomb = zip_of(&[("xl/workbook.xml", b"<workbook/>"), ("xl/worksheets/sheet1.xml", &zeros)], zip::CompressionMethod::Deflated);
        assert!(bomb.len() < 1 << 20, "the bomb is small: {} bytes", bomb.len());
        let err = read_package(&bomb).unwrap_err();
        assert!(err.to_string().contains("压缩炸弹"), "{err}");
    }

    #[test]
    fn a_zip_of_something_else_is_named() {
        let other = zip_of(&[("readme.txt", b"hello")], zip::CompressionMethod::Stored);
        assert!(read_package(&other).unwrap_err().to_string().contains("不是 Word 文档或 Excel 工作簿"));
        assert!(read_package(b"PK\x03\x04 not a zip").unwrap_err().to_string().starts_with("无法读取：ZIP 文件已损坏"));
    }

    #[test]
    fn legacy_word_and_encrypted_files_say_what_to_do() {
        let mut doc = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        doc.extend("WordDocument".encode_utf16().flat_map(u16::to_le_bytes));
        assert!(read_compound(&doc).unwrap_err().to_string().contains("另存为”.docx"));
        let mut encrypted = vec![0xD0, 0xCF, 0x11, 0xE0];
        encrypted.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        assert!(read_compound(&encrypted).unwrap_err().to_string().contains("密码"));
    }

    #[test]
    fn a_workbook_naming_a_word_stream_is_read_as_a_workbook() {
        // As an .xls with an embedded Word object holds a WordDocument stream.
        let xls = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../indexer/tests/formats/005_yudu_2024.xls")).unwrap();
        let mut with_word = xls.clone();
        with_word.extend("WordDocument".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(read_compound(&with_word).unwrap().grid().lines, read_compound(&xls).unwrap().grid().lines);
    }
}
