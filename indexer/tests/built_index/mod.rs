//! A real index built from `data/` once per test binary, with every file
//! as stored (gzip) and inflated, and its kind; plus postings chunks (the
//! small real corpus inlines every list, so chunks are compiled apart with
//! nothing inlined). Test crates that use it declare `mod common;` too.

use std::sync::OnceLock;

use jixiao_core::index::codec;
use jixiao_core::index::docs::search_fields;
use jixiao_core::index::manifest::Manifest;
use jixiao_core::index::FileId;
use jixiao_indexer::index::{compile, tantivy_index};
use jixiao_indexer::transport::{compress, decompress};

// Every test crate that includes this module includes `common` too.
use crate::common::repo;

pub struct IndexFile {
    pub name: String,
    /// `None` for the manifest.
    pub id: Option<FileId>,
    pub stored: Vec<u8>,
    pub inflated: Vec<u8>,
}

pub struct BuiltIndex {
    pub manifest: Manifest,
    pub files: Vec<IndexFile>,
}

pub fn built() -> &'static BuiltIndex {
    static BUILT: OnceLock<BuiltIndex> = OnceLock::new();
    BUILT.get_or_init(|| {
        let data = repo().join("data");
        let out = std::env::temp_dir().join(format!("jixiao-fuzz-idx-{}", std::process::id()));
        jixiao_indexer::build::run(&data, &out, false).expect("index builds");
        let mut files = Vec::new();
        for entry in std::fs::read_dir(&out).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if !name.ends_with(".bin") {
                continue;
            }
            let stored = std::fs::read(&path).unwrap();
            let inflated = decompress(&stored).unwrap();
            files.push(IndexFile { id: file_id(&name), name, stored, inflated });
        }
        let _ = std::fs::remove_dir_all(&out);
        let manifest_file = files.iter().find(|f| f.id.is_none()).expect("manifest.bin");
        let manifest: Manifest = codec::decode(codec::MANIFEST_MAGIC, &manifest_file.inflated).unwrap();

        let extraction = jixiao_indexer::extract_data(&data).unwrap();
        let tantivy = tantivy_index(extraction.records.iter().map(search_fields), None).unwrap();
        let mut chunks = Vec::new();
        compile(&tantivy, &manifest.build, 3 * 1024, 4 * 1024, 0, |id, bytes| {
            if let FileId::Postings(n) = id {
                chunks.push(IndexFile { name: id.name("chunked"), id: Some(FileId::Postings(n)), stored: compress(&bytes), inflated: bytes });
            }
        })
        .unwrap();
        assert!(!chunks.is_empty(), "no postings chunk compiled");
        files.extend(chunks.into_iter().take(3));
        files.sort_by(|a, b| a.name.cmp(&b.name));
        BuiltIndex { manifest, files }
    })
}

/// The file a name stands for (`None`: the manifest).
fn file_id(name: &str) -> Option<FileId> {
    if name == "manifest.bin" {
        return None;
    }
    if name.starts_with("overview.") {
        return Some(FileId::Overview);
    }
    let (kind, rest) = name.split_once('-')?;
    let n: u32 = rest.split('.').next()?.parse().ok()?;
    Some(match kind {
        "dict" => FileId::Dict(n),
        "postings" => FileId::Postings(n),
        "columns" => FileId::Columns(n),
        "amounts" => FileId::Amounts(n),
        "ids" => FileId::Ids(n),
        "docs" => FileId::Docs(n),
        "records" => FileId::Records(n),
        "place" => FileId::Place(n),
        "places" => FileId::Places(n),
        _ => panic!("unknown index file {name}"),
    })
}
