//! The tantivy index as an oracle: the same queries run on tantivy (built
//! with the shared tokenizer) and on the compact index the browser uses;
//! they must match the same documents and rank them alike.

mod common;

use jixiao_core::index::docs::{search_fields, FIELD_WEIGHTS};
use jixiao_core::search::{parse, Filters, Sort};
use jixiao_indexer::index::{tantivy_index, TantivyIndex};
use jixiao_indexer::query::LocalIndex;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, DisjunctionMaxQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

use common::repo;

/// The engine's query as a tantivy query: every clause must match (a
/// clause: its best-scoring spelling; a spelling: every token, in any field, boosted by
/// the field's weight); excluded clauses must not.
fn tantivy_query(t: &TantivyIndex, text: &str, synonyms: &[Vec<String>]) -> Box<dyn Query> {
    let query = parse(text, synonyms);
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for clause in &query.clauses {
        let spellings: Vec<Box<dyn Query>> = clause
            .alternatives
            .iter()
            .map(|tokens| {
                let all_tokens: Vec<(Occur, Box<dyn Query>)> = tokens
                    .iter()
                    .map(|token| {
                        let fields: Vec<(Occur, Box<dyn Query>)> = t
                            .fields
                            .iter()
                            .zip(FIELD_WEIGHTS)
                            .map(|(&field, weight)| {
                                let term = TermQuery::new(Term::from_field_text(field, &token.text), IndexRecordOption::WithFreqs);
                                (Occur::Should, Box::new(BoostQuery::new(Box::new(term), weight)) as Box<dyn Query>)
                            })
                            .collect();
                        (Occur::Must, Box::new(BooleanQuery::new(fields)) as Box<dyn Query>)
                    })
                    .collect();
                Box::new(BooleanQuery::new(all_tokens)) as Box<dyn Query>
            })
            .collect();
        let occur = if clause.excluded { Occur::MustNot } else { Occur::Must };
        // A clause scores as its best spelling (synonyms do not add up).
        clauses.push((occur, Box::new(DisjunctionMaxQuery::new(spellings))));
    }
    Box::new(BooleanQuery::new(clauses))
}

#[test]
fn compact_index_agrees_with_tantivy() {
    let extraction = jixiao_indexer::extract_data(&repo().join("data")).unwrap();
    let synonyms = jixiao_indexer::build::read_synonyms(&repo().join("data")).unwrap();
    let out = std::env::temp_dir().join(format!("jixiao-oracle-{}", std::process::id()));
    jixiao_indexer::build::write_site(&extraction, &synonyms, &repo().join("data"), &out).unwrap();
    let mut compact = LocalIndex::open(&out).unwrap();
    compact.searcher.phrase_bonus = false;

    let oracle = tantivy_index(extraction.records.iter().map(search_fields), None).unwrap();
    let searcher = oracle.index.reader().unwrap().searcher();
    // The two number documents differently (the site in region order):
    // compare record ids.
    let id_of = |address: tantivy::DocAddress| -> String {
        let ords = searcher.segment_reader(address.segment_ord).fast_fields().u64("ord").unwrap();
        extraction.records[ords.first(address.doc_id).unwrap() as usize].id.clone()
    };

    let public: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo().join("tests/fixtures/queries/public.json")).unwrap()).unwrap();
    let mut queries: Vec<String> =
        public["queries"].as_array().unwrap().iter().map(|q| q["q"].as_str().unwrap().to_string()).collect();
    queries.extend(["医保", "兴隆县 专项检查", "成本控制", "医疗 -救助", "满意度", "13082224P00079910001M", "神木市 驻村", "卡"].map(String::from));

    let mut disagreements = Vec::new();
    for q in &queries {
        let (_, ours) = compact.search(q, &Filters::default(), Sort::Relevance).unwrap();
        let ours: Vec<String> = ours.hits.iter().map(|h| compact.summary(h.doc).unwrap().id.clone()).collect();
        let top = searcher.search(&*tantivy_query(&oracle, q, &synonyms), &TopDocs::with_limit(1000)).unwrap();
        let theirs: Vec<String> = top.iter().map(|(_, address)| id_of(*address)).collect();
        let mut a = ours.clone();
        let mut b = theirs.clone();
        a.sort_unstable();
        b.sort_unstable();
        if a != b {
            disagreements.push(format!("{q}: matched {} documents, tantivy {}", a.len(), b.len()));
            continue;
        }
        // Ranking: tantivy stores field lengths in one byte (approximately),
        // so near-ties may swap; each engine's top 5 must be in the other's top 7.
        for (x, y, who) in [(&ours, &theirs, "ours"), (&theirs, &ours, "tantivy's")] {
            for doc in x.iter().take(5) {
                if !y.iter().take(7).any(|d| d == doc) {
                    disagreements.push(format!("{q}: document {doc} in {who} top 5 is not in the other top 7"));
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(&out);
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}
