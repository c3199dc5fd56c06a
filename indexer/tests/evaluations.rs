//! Self-evaluations linked to their targets (`tests/fixtures/evaluations/`,
//! fixtures written from the target tables of `data/`, see the README
//! there): built beside `data/` by the real `indexer build`, each
//! evaluation is read as a record of kind `evaluation`, linked to the right
//! target with its reason and confidence (or left alone), and each
//! indicator's target is set against what was achieved.

mod common;

use serde_json::Value;

use common::{indexer_build, repo, scratch};

fn built() -> Vec<Value> {
    built_at().1.clone()
}

/// The index folder and the records of data/ with the fixtures, built once
/// for every test of this file.
fn built_at() -> &'static (std::path::PathBuf, Vec<Value>) {
    static BUILT: std::sync::OnceLock<(std::path::PathBuf, Vec<Value>)> = std::sync::OnceLock::new();
    BUILT.get_or_init(build)
}

fn build() -> (std::path::PathBuf, Vec<Value>) {
    let root = scratch("evaluations");
    let data = root.join("data");
    std::fs::create_dir_all(&data).unwrap();
    let mut registry = std::fs::read_to_string(repo().join("data/sources.toml")).unwrap();
    for entry in std::fs::read_dir(repo().join("data")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), data.join(entry.file_name())).unwrap();
    }
    let fixtures = repo().join("tests/fixtures/evaluations");
    for (file, publisher, region) in [
        ("e1_xinglong_publicity.txt", "兴隆县医疗保障局", "河北省承德市兴隆县"),
        ("e2_xinzhou_village.txt", "忻州市医疗保障局", "山西省忻州市"),
        ("e3_xinzhou_unknown.txt", "忻州市医疗保障局", "山西省忻州市"),
    ] {
        std::fs::copy(fixtures.join(file), data.join(file)).unwrap();
        registry.push_str(&format!("\n[[document]]\nfile = \"{file}\"\npublisher = \"{publisher}\"\nregion = \"{region}\"\nyear = 2024\ncontains = \"test fixture: a self-evaluation\"\n"));
    }
    std::fs::write(data.join("sources.toml"), registry).unwrap();
    let out = root.join("idx");
    let build = indexer_build(&data, &out, false);
    assert!(build.status.success(), "{}", String::from_utf8_lossy(&build.stderr));
    let records = serde_json::from_slice::<Value>(&std::fs::read(out.join("download/jixiao-records.json")).unwrap()).unwrap().as_array().unwrap().clone();
    (out, records)
}

fn printed_in<'a>(records: &'a [Value], file: &str) -> &'a Value {
    let mut found = records.iter().filter(|r| r["sources"].as_array().unwrap().iter().any(|s| s["document"] == file));
    let record = found.next().unwrap_or_else(|| panic!("no record from {file}"));
    assert!(found.next().is_none(), "one record from {file}");
    record
}

fn by_id<'a>(records: &'a [Value], id: &str) -> &'a Value {
    records.iter().find(|r| r["id"] == id).unwrap_or_else(|| panic!("no record {id}"))
}

fn achievements(record: &Value) -> Vec<(String, Value)> {
    record["indicators"].as_array().unwrap().iter().map(|i| (i["name"].as_str().unwrap().to_string(), i["achievement"].clone())).collect()
}

#[test]
fn evaluations_are_linked_to_their_targets_and_targets_to_results() {
    let records = built();

    // By project code, though the name is printed differently.
    let e1 = printed_in(&records, "e1_xinglong_publicity.txt");
    assert_eq!(e1["kind"], "evaluation");
    let link = &e1["evaluation"]["target"];
    let target = by_id(&records, link["id"].as_str().expect("linked"));
    assert_eq!(target["name"], "2024 年宣传印刷费");
    assert_eq!(target["kind"], "project");
    assert_eq!(link["confidence"], 100);
    assert!(link["reason"].as_str().unwrap().contains("项目编码相同（13082224P00079610001L）"), "{link}");
    assert_eq!(target["evaluations"], serde_json::json!([e1["id"]]));
    // The money executed, the score and the grade.
    let evaluation = &e1["evaluation"];
    assert_eq!((evaluation["initial_budget_yuan"].as_i64(), evaluation["executed_yuan"].as_i64()), (Some(20_000), Some(18_500)));
    assert_eq!(e1["money"]["total_yuan"].as_i64(), Some(20_000));
    assert_eq!((evaluation["execution_rate"].as_str(), evaluation["score"].as_str(), evaluation["grade"].as_str()), (Some("92.5%"), Some("95"), Some("优")));
    // Target beside result, three states, never a guess.
    let expected = [
        ("宣传乡镇数", "achieved"),
        ("宣传覆盖率", "missed"),
        ("完工及时性", "achieved"),
        ("成本控制", "achieved"),
        ("提高政策知晓度", "unclear"),
        ("服务对象满意度", "achieved"),
    ];
    assert_eq!(achievements(e1), expected.iter().map(|(n, a)| (n.to_string(), Value::from(*a))).collect::<Vec<_>>());
    let missed = e1["indicators"].as_array().unwrap().iter().find(|i| i["name"] == "宣传覆盖率").unwrap();
    assert_eq!((missed["value"].as_str(), missed["actual"].as_str(), missed["score"].as_str()), (Some("≥95%"), Some("93%"), Some("18")));
    assert!(missed["deviation"].as_str().unwrap().contains("入户宣传"));

    // By name, in the same place and year.
    let e2 = printed_in(&records, "e2_xinzhou_village.txt");
    let link = &e2["evaluation"]["target"];
    let target = by_id(&records, link["id"].as_str().expect("linked"));
    assert_eq!(target["name"], "驻村干部补助经费");
    assert_eq!(link["confidence"], 90);
    assert!(link["reason"].as_str().unwrap().contains("名称相同"), "{link}");
    assert_eq!(
        achievements(e2),
        [("保障选调生人数", "achieved"), ("补助资金发放合格率", "achieved"), ("相关单据审批支付时限", "missed"), ("每名选调生平均每年补助资金", "achieved"), ("补助对象的满意度", "missed")]
            .iter()
            .map(|(n, a)| (n.to_string(), Value::from(*a)))
            .collect::<Vec<_>>()
    );

    // No target: it stands alone, and no target claims it.
    let e3 = printed_in(&records, "e3_xinzhou_unknown.txt");
    assert_eq!(e3["kind"], "evaluation");
    assert!(e3["evaluation"]["target"].is_null(), "{}", e3["evaluation"]);
    assert!(!records.iter().any(|r| r["evaluations"].as_array().is_some_and(|e| e.contains(&e3["id"]))));
    assert_eq!(e3["evaluation"]["executed_yuan"].as_i64(), Some(11_500));
    assert_eq!(e3["money"]["total_yuan"].as_i64(), Some(12_000), "the year's budget as adjusted");
}

/// The site's engine filters and counts by what self-evaluations say, and
/// the overview sets targets against results per place and year.
#[test]
fn results_are_a_facet_and_an_overview() {
    use jixiao_core::model::Outcome;
    use jixiao_core::search::{Filters, Sort};
    let (out, records) = built_at();
    let mut index = jixiao_indexer::query::LocalIndex::open(out).unwrap();
    let ids_of = |index: &mut jixiao_indexer::query::LocalIndex, filters: &Filters| -> Vec<String> {
        let (_, found) = index.search("", filters, Sort::Relevance).unwrap();
        let mut ids: Vec<String> = found.hits.iter().map(|h| index.summary(h.doc).unwrap().id).collect();
        ids.sort();
        ids
    };
    let with_outcome = |outcome: Option<&str>| -> Vec<String> {
        let mut ids: Vec<String> = records
            .iter()
            .filter(|r| match outcome {
                Some(o) => r["outcome"] == o,
                None => !r["outcome"].is_null(),
            })
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        ids
    };
    // Four records have results: the two linked targets and three evaluations, one standing alone.
    let evaluated = with_outcome(None);
    assert_eq!(evaluated.len(), 5, "{evaluated:?}");
    assert_eq!(ids_of(&mut index, &Filters { evaluated: true, ..Default::default() }), evaluated);
    let missed = ids_of(&mut index, &Filters { evaluated: true, outcome: Some(Outcome::SomeMissed), ..Default::default() });
    assert_eq!(missed, with_outcome(Some("some_missed")));
    assert_eq!(missed.len(), 4, "e1 and e2 missed a target, and so did their targets: {missed:?}");
    let (_, found) = index.search("", &Filters::default(), Sort::Relevance).unwrap();
    assert_eq!(found.facets.outcomes, [(Outcome::AllAchieved, 1), (Outcome::SomeMissed, 4)]);
    // The overview: per place and year, targets met and missed.
    let overview = index.resolve(|r| r.searcher.overview().cloned()).unwrap();
    let xinglong = overview.results.iter().find(|p| p.code == "130822" && p.year == 2024).expect("兴隆县 2024");
    assert_eq!((xinglong.evaluations, xinglong.achieved, xinglong.missed, xinglong.unclear), (1, 4, 1, 1));
    let xinzhou = overview.results.iter().find(|p| p.code == "140900" && p.year == 2024).expect("忻州市 2024");
    assert_eq!((xinzhou.evaluations, xinzhou.achieved, xinzhou.missed), (2, 5, 2));
}
