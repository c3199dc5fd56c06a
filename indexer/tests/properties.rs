//! Whatever a user types, the query engine answers: random Unicode queries
//! (quotes, minus signs, emoji, control characters, very long text) run on
//! the real built index and never panic.

mod common;

use std::sync::{Mutex, OnceLock};

use jixiao_core::search::snippet::snippet;
use jixiao_core::search::{Filters, Sort};
use jixiao_indexer::query::LocalIndex;
use proptest::prelude::*;

use common::repo;

fn index() -> &'static Mutex<LocalIndex> {
    static INDEX: OnceLock<Mutex<LocalIndex>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let data = repo().join("data");
        let extraction = jixiao_indexer::extract_data(&data).unwrap();
        let synonyms = jixiao_indexer::build::read_synonyms(&data).unwrap();
        let out = std::env::temp_dir().join(format!("jixiao-properties-{}", std::process::id()));
        jixiao_indexer::build::write_site(&extraction, &synonyms, &data, &out).unwrap();
        Mutex::new(LocalIndex::open(&out).unwrap())
    })
}

/// Text mixing the characters that matter: Chinese, Latin, digits, query
/// syntax, punctuation, emoji and anything else.
fn query_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("驻村".to_string()),
        Just("医疗救助".to_string()),
        Just("\"".to_string()),
        Just("-".to_string()),
        Just(" ".to_string()),
        Just("DIP".to_string()),
        Just("😀".to_string()),
        "[\\u{4e00}-\\u{9fff}]{1,4}",
        "[a-zA-Z0-9]{1,6}",
        any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(piece, 0..30).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn any_query_gets_an_answer(text in query_text()) {
        let mut index = index().lock().unwrap();
        let doc_count = index.searcher.doc_count() as usize;
        let (query, results) = index.search(&text, &Filters::default(), Sort::Relevance).unwrap();
        prop_assert!(results.hits.len() <= doc_count);
        for hit in results.hits.iter().take(3) {
            let fields = index.summary(hit.doc).unwrap().fields.clone();
            let texts: Vec<&str> = fields.iter().map(String::as_str).collect();
            let _ = snippet(&texts, &query);
        }
    }

    #[test]
    fn any_unicode_string_parses(text in "\\PC{0,300}") {
        let mut index = index().lock().unwrap();
        let _ = index.search(&text, &Filters::default(), Sort::Amount).unwrap();
    }
}

#[test]
fn ten_thousand_characters() {
    let mut index = index().lock().unwrap();
    let text = "医疗保障".repeat(2_500);
    let (query, _) = index.search(&text, &Filters::default(), Sort::Relevance).unwrap();
    assert!(query.notes.iter().any(|n| n.contains("过长")), "{:?}", query.notes);
}
