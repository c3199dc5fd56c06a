//! PDFs as publishers make them, read through the real pipeline (poppler,
//! the layout, the extraction): the tables of `data/` printed to PDF by
//! headless Chromium (`tests/pdf/make_pdfs.py`, which says what each
//! fixture holds) give the same records as their text printing, field by
//! field; where each row was printed (page, height) is kept.

use std::path::{Path, PathBuf};

use jixiao_core::model::Record;
use jixiao_reader::decode::{decode, Content, DecodeError};
use jixiao_reader::extract::{extract_document, DocumentInput, DocumentReport};
use jixiao_reader::grid::{Layout, Place};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn fixture(name: &str) -> Vec<u8> {
    let path = repo().join("reader/tests/pdf").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A document read as the indexer reads it, with what `data/sources.toml`
/// declares for `registered` (the text file the fixture was made from).
fn extract(file: &str, bytes: &[u8], registered: &str) -> (Vec<Record>, DocumentReport) {
    let registry: toml::Value = toml::from_str(&std::fs::read_to_string(repo().join("data/sources.toml")).unwrap()).unwrap();
    let entry = registry["document"].as_array().unwrap().iter().find(|d| d["file"].as_str() == Some(registered)).unwrap();
    let decoded = decode(bytes).unwrap_or_else(|e| panic!("{file}: {e}"));
    let input = DocumentInput {
        declared_region: entry.get("region").and_then(|v| v.as_str()).map(String::from),
        declared_publisher: entry.get("publisher").and_then(|v| v.as_str()).map(String::from),
        declared_year: entry.get("year").and_then(|v| v.as_integer()).map(|y| y as u16),
        ..DocumentInput::from_decoded(file.into(), decoded)
    };
    extract_document(&input)
}

fn text_record(file: &str, name: &str) -> Record {
    let bytes = std::fs::read(repo().join("data").join(file)).unwrap();
    let (records, _) = extract(file, &bytes, file);
    records.into_iter().find(|r| r.name == name).unwrap_or_else(|| panic!("{file} has no {name}"))
}

/// A record without where it was printed, every text without a space
/// between two Chinese characters. The text printings of `data/` were
/// exported from PDFs and keep a space where a cell wrapped there
/// (`指标值确定 依据`); Chromium may wrap the same cell at that space, and
/// a wrap between two Chinese characters hides nothing, so from a PDF such
/// a space cannot be told from a wrap.
fn content(record: &Record) -> serde_json::Value {
    fn unwrap(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::String(text) => {
                let chars: Vec<char> = text.chars().collect();
                let wide = |c: Option<&char>| c.is_some_and(|&c| (c as u32) >= 0x2E80);
                *text = (0..chars.len()).filter(|&i| !(chars[i] == ' ' && wide(chars.get(i.wrapping_sub(1))) && wide(chars.get(i + 1)))).map(|i| chars[i]).collect();
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(unwrap),
            serde_json::Value::Object(fields) => fields.values_mut().for_each(unwrap),
            _ => {}
        }
    }
    let mut value = serde_json::to_value(Record { sources: Vec::new(), ..record.clone() }).unwrap();
    unwrap(&mut value);
    value
}

#[test]
fn bordered_table_over_two_pages_reads_as_its_text_printing() {
    let pdf = fixture("000_first_table.pdf");
    let (records, report) = extract("000_first_table.pdf", &pdf, "000_2ed6aacce9ed946a.txt");
    assert_eq!((report.layout.as_str(), report.reading.format.as_str()), ("PDF pages", "pdf"));
    assert_eq!(records.len(), 1, "one table, though its first row is printed again on page 2");
    let text = text_record("000_2ed6aacce9ed946a.txt", "待遇保障和医药服务工作经费");
    let pdf_record = &records[0];
    assert_eq!(pdf_record.indicators.len(), 7);
    assert!(pdf_record.warnings.is_empty(), "{:?}", pdf_record.warnings);
    assert_eq!(content(pdf_record), content(&text));
    // Provenance: the table starts on page 1 and ends on page 2.
    assert_eq!(pdf_record.sources[0].page, Some(1));
    assert_eq!(pdf_record.sources[0].place.as_deref(), Some("第 1–2 页"));
}

#[test]
fn merged_label_cut_by_page_breaks_reads_as_its_text_printing() {
    let pdf = fixture("000_third_table.pdf");
    let (records, _) = extract("000_third_table.pdf", &pdf, "000_2ed6aacce9ed946a.txt");
    let text = text_record("000_2ed6aacce9ed946a.txt", "下达2024年中央财政医疗服务与保障能力提升补助资金(忻财社【2024】7号)");
    assert_eq!(records.len(), 1);
    assert!(records[0].indicators.len() >= 20, "{}", records[0].indicators.len());
    assert_eq!(content(&records[0]), content(&text));
    // The merged 绩效指标 cell runs over three pages: its label is in its
    // first row only, the rows after the breaks keep its column, empty.
    let decoded = decode(&pdf).unwrap();
    let Content::Rows { rows, .. } = &decoded.content else { panic!("rows expected") };
    let first = rows.iter().position(|r| r.cells[0].text == "绩效指标").unwrap();
    let pages: Vec<u32> = rows[first..].iter().take(17).filter_map(|r| r.place.page()).collect();
    assert!(pages.first() < pages.last(), "{pages:?}");
    for row in &rows[first + 1..first + 17] {
        assert_eq!(row.cells[0].text, "", "{row:?}");
        assert!(!row.starts_block, "{row:?}");
    }
    assert!(rows.iter().all(|r| r.cells.iter().all(|c| !c.text.contains('/') || c.text.contains("DRG"))), "page numbers 1/4 dropped");
}

#[test]
fn narrow_bordered_table_with_title_lines_reads_as_its_text_printing() {
    let pdf = fixture("002_first_table.pdf");
    let (records, _) = extract("002_first_table.pdf", &pdf, "002_617d5cc0387f4f3f.txt");
    let text = text_record("002_617d5cc0387f4f3f.txt", "2024 年劳务派遣人员经费");
    assert_eq!(records.len(), 1);
    assert_eq!(content(&records[0]), content(&text));
}

#[test]
fn borderless_table_reads_as_its_text_printing() {
    let pdf = fixture("002_borderless.pdf");
    let (records, report) = extract("002_borderless.pdf", &pdf, "002_617d5cc0387f4f3f.txt");
    assert!(report.reading.conversions[0].contains("有边框的表格 0 个"), "{:?}", report.reading.conversions);
    let text = text_record("002_617d5cc0387f4f3f.txt", "2024 年劳务派遣人员经费");
    assert_eq!(records.len(), 1);
    assert_eq!(content(&records[0]), content(&text));
}

#[test]
fn rows_keep_their_cells_columns_and_places() {
    let decoded = decode(&fixture("000_first_table.pdf")).unwrap();
    let Content::Rows { layout, rows } = &decoded.content else { panic!("rows expected") };
    assert_eq!(*layout, Layout::PdfPages);
    let texts = |i: usize| rows[i].cells.iter().map(|c| c.text.as_str()).collect::<Vec<_>>();
    let find = |first: &str| rows.iter().position(|r| r.cells.first().is_some_and(|c| c.text == first)).unwrap();
    // Title and year, then the table; the running header and the page
    // numbers are gone.
    assert_eq!(texts(0), ["忻州市市级预算部门(单位)项目支出绩效目标表"]);
    assert_eq!(texts(1), ["(2024年度)"]);
    assert!(rows.iter().all(|r| r.cells.iter().all(|c| !c.text.contains("部门预算公开") && !c.text.contains("页"))));
    // A label spanning two grid columns, then its value spanning five.
    let name = find("项目名称");
    assert_eq!(rows[name].cells.iter().map(|c| c.col_span).collect::<Vec<_>>(), [2, 5]);
    assert!(rows[name].starts_block);
    assert_eq!(rows.iter().filter(|r| r.cells[0].text == "项目名称").count(), 1, "the header printed again on page 2 is dropped");
    // The merged 绩效指标 / 产出指标 labels, printed in the middle of their
    // rows, are in the first row; the rows under them leave those columns empty.
    let performance = find("绩效指标");
    assert_eq!(texts(performance)[..3], ["绩效指标", "产出指标", "数量指标"]);
    assert_eq!(texts(performance + 1)[..3], ["", "", "质量指标"]);
    // A cell wrapped over three lines is one cell.
    assert_eq!(texts(performance)[3], "确保基本医保、大病保险、医疗救助覆盖率");
    // Provenance: page and height; the table goes on over the page break
    // without starting a new block.
    assert!(matches!(rows[0].place, Place::Pdf { page: 1, .. }));
    let Place::Pdf { page, top } = rows[performance].place else { panic!() };
    assert_eq!(page, 2);
    assert!(top > 40 && top < 200, "{top}");
    assert!(!rows[performance].starts_block);
    assert!(decoded.reading.conversions.iter().any(|c| c.contains("去掉了页眉、页脚和页码 4 行")), "{:?}", decoded.reading.conversions);
}

#[test]
fn broken_files_are_refused_with_a_reason() {
    let pdf = fixture("002_first_table.pdf");
    for broken in [&pdf[..pdf.len() / 3], b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ngarbage".as_slice()] {
        match decode(broken) {
            Err(DecodeError::Refused { why, line: 1 }) => assert!(why.contains("PDF 文件已损坏或不完整"), "{why}"),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }
}

/// Resources of a made PDF: Helvetica as `/F1`, and these XObjects (forms,
/// images) by name.
fn resources(doc: &mut lopdf::Document, xobjects: Vec<(&str, lopdf::Stream)>) -> lopdf::Dictionary {
    use lopdf::dictionary;
    let mut named = lopdf::Dictionary::new();
    for (name, stream) in xobjects {
        named.set(name, doc.add_object(stream));
    }
    let font = doc.add_object(dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" });
    dictionary! { "Font" => dictionary! { "F1" => font }, "XObject" => named }
}

/// A PDF of `pages` A4 pages drawn by `content` with these XObjects, made
/// with lopdf (as a scanner or a PDF library writes one).
fn made_pdf(pages: usize, content: &[u8], xobjects: Vec<(&str, lopdf::Stream)>) -> Vec<u8> {
    made_pdf_with(pages, content, xobjects, lopdf::Dictionary::new())
}

/// The same with more entries in the page tree, which its pages inherit
/// (`/Rotate`, `/CropBox`).
fn made_pdf_with(pages: usize, content: &[u8], xobjects: Vec<(&str, lopdf::Stream)>, inherited: lopdf::Dictionary) -> Vec<u8> {
    use lopdf::{dictionary, Document, Object, Stream};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let content_id = doc.add_object(Stream::new(dictionary! {}, content.to_vec()));
    let resources = resources(&mut doc, xobjects);
    let resources_id = doc.add_object(resources);
    let kids: Vec<Object> = (0..pages)
        .map(|_| doc.add_object(dictionary! { "Type" => "Page", "Parent" => pages_id, "Contents" => content_id }).into())
        .collect();
    let mut tree = dictionary! {
        "Type" => "Pages", "Kids" => kids, "Count" => pages as i64, "Resources" => resources_id,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
    };
    tree.extend(&inherited);
    doc.objects.insert(pages_id, Object::Dictionary(tree));
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    bytes
}

/// The rows of a PDF's cells, as text.
fn cell_texts(pdf: &[u8]) -> (Vec<Vec<String>>, Vec<String>) {
    let decoded = decode(pdf).unwrap();
    let Content::Rows { rows, .. } = &decoded.content else { panic!("rows expected") };
    (rows.iter().map(|r| r.cells.iter().map(|c| c.text.clone()).collect()).collect(), decoded.reading.conversions)
}

#[test]
fn a_scan_is_a_located_problem() {
    use lopdf::{dictionary, Stream};
    // Each page one image (a gray 8 × 8 "photograph"), no text.
    let image = Stream::new(
        dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => 8, "Height" => 8, "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8 },
        (0..64u8).map(|i| i * 4).collect(),
    );
    let scan = made_pdf(3, b"q 595 0 0 842 0 0 cm /Im1 Do Q", vec![("Im1", image)]);
    let err = decode(&scan).unwrap_err();
    assert_eq!(err.line(), 1);
    assert!(err.to_string().contains("扫描件，没有文字层，需先 OCR"), "{err}");
}

#[test]
fn a_turned_page_lines_up_its_borders_with_its_words() {
    use lopdf::dictionary;
    // A landscape table on a portrait page shown turned a quarter clockwise
    // (/Rotate 90): drawn in user space turned back, so that it reads
    // upright. Shown, column edges are at x 100, 250, 400 and row edges at
    // y 100, 130, 160; user space has x = shown y and y = shown x.
    let (xs, ys) = ([100, 250, 400], [100, 130, 160]);
    let mut content = String::from("0.5 w ");
    for x in xs {
        content += &format!("{} {x} m {} {x} l S ", ys[0], ys[2]);
    }
    for y in ys {
        content += &format!("{y} {} m {y} {} l S ", xs[0], xs[2]);
    }
    for (row, y) in [(1, 122), (2, 152)] {
        for (col, x) in [("A", 110), ("B", 260)] {
            content += &format!("BT /F1 10 Tf 0 1 -1 0 {y} {x} Tm ({col}{row}) Tj ET ");
        }
    }
    let pdf = made_pdf_with(1, content.as_bytes(), vec![], dictionary! { "Rotate" => 90 });
    let (cells, conversions) = cell_texts(&pdf);
    assert!(conversions[0].contains("有边框的表格 1 个"), "{conversions:?}");
    assert_eq!(cells, [["A1", "B1"], ["A2", "B2"]]);
    let Content::Rows { rows, .. } = decode(&pdf).unwrap().content else { panic!("rows expected") };
    assert_eq!(rows[1].place, Place::Pdf { page: 1, top: 130 });
}

#[test]
fn borders_drawn_in_a_form_on_a_cropped_page_line_up_with_the_words() {
    use lopdf::{dictionary, Stream};
    // The page shows only its crop box, from (50, 50); the table's lines
    // are a form XObject drawn 100 pt to the right of where it was made.
    let mut grid = String::new();
    for x in [0, 150, 300] {
        grid += &format!("{x} 600 m {x} 660 l S ");
    }
    for y in [600, 630, 660] {
        grid += &format!("0 {y} m 300 {y} l S ");
    }
    let form = Stream::new(
        dictionary! { "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 400.into(), 800.into()], "Matrix" => vec![1.into(), 0.into(), 0.into(), 1.into(), 100.into(), 0.into()] },
        grid.into_bytes(),
    );
    let mut content = String::from("q /Grid Do Q ");
    for (row, y) in [(1, 642), (2, 612)] {
        for (col, x) in [("A", 110), ("B", 260)] {
            content += &format!("BT /F1 10 Tf {x} {y} Td ({col}{row}) Tj ET ");
        }
    }
    let crop = dictionary! { "CropBox" => vec![50.into(), 50.into(), 545.into(), 792.into()] };
    let (cells, conversions) = cell_texts(&made_pdf_with(1, content.as_bytes(), vec![("Grid", form)], crop));
    assert!(conversions[0].contains("有边框的表格 1 个"), "{conversions:?}");
    assert_eq!(cells, [["A1", "B1"], ["A2", "B2"]]);
}

#[test]
fn too_many_pages_is_a_located_problem() {
    let page = b"BT /F1 12 Tf 72 720 Td (Performance targets) Tj ET";
    let err = decode(&made_pdf(2000, page, vec![])).unwrap_err();
    assert_eq!(err.line(), 1);
    assert!(err.to_string().contains("PDF 共 2000 页，超过可读的 1000 页"), "{err}");
    // The same pages, fewer of them, are read.
    let (cells, _) = cell_texts(&made_pdf(3, page, vec![]));
    assert_eq!(cells, [["Performance targets"], ["Performance targets"], ["Performance targets"]]);
}

/// The 002 fixture encrypted with these passwords (as lopdf writes it).
fn locked(user_password: &str) -> Vec<u8> {
    use lopdf::encryption::{EncryptionState, EncryptionVersion, Permissions};
    let mut doc = lopdf::Document::load_mem(&fixture("002_first_table.pdf")).unwrap();
    let id = lopdf::Object::String(b"jixiao-fixture-id".to_vec(), lopdf::StringFormat::Literal);
    doc.trailer.set("ID", vec![id.clone(), id]);
    let version = EncryptionVersion::V2 {
        document: &doc,
        owner_password: "owner",
        user_password,
        key_length: 128,
        permissions: Permissions::PRINTABLE,
    };
    let state = EncryptionState::try_from(version).unwrap();
    doc.encrypt(&state).unwrap();
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    bytes
}

#[test]
fn a_password_is_a_clear_problem() {
    let err = decode(&locked("secret")).unwrap_err();
    assert!(err.to_string().contains("PDF 设有打开密码"), "{err}");
}

#[test]
fn a_pdf_locked_only_against_copying_reads_as_usual() {
    // Encrypted with an owner password and an empty user password, as many
    // published PDFs are: anyone can open it, borders included.
    let decoded = decode(&locked("")).unwrap();
    assert!(decoded.reading.conversions[0].contains("有边框的表格 1 个"), "{:?}", decoded.reading.conversions);
    let plain = decode(&fixture("002_first_table.pdf")).unwrap();
    assert_eq!(decoded.content, plain.content);
}
