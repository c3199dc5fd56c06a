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
    for entry in jixiao_indexer::sources::read_registry(&fixtures).unwrap() {
        std::fs::copy(fixtures.join(&entry.file), data.join(&entry.file)).unwrap();
    }
    registry.push('\n');
    registry.push_str(&std::fs::read_to_string(fixtures.join("sources.toml")).unwrap());
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

    // The Ministry of Finance's template: the unit in the money block's
    // header row (项目资金（万元）), the total score after the points available.
    let e4 = printed_in(&records, "e4_shigu_insurance_subsidy.txt");
    let link = &e4["evaluation"]["target"];
    assert_eq!(by_id(&records, link["id"].as_str().expect("linked"))["name"], "城乡居民医疗保险区级财政补助资金");
    assert_eq!((e4["money"]["unit_in_doc"].as_str(), e4["money"]["total_yuan"].as_i64()), (Some("万元"), Some(5_658_100)));
    let evaluation = &e4["evaluation"];
    assert_eq!((evaluation["executed_yuan"].as_i64(), evaluation["score"].as_str()), (Some(5_523_000), Some("93.8")));
    assert_eq!(
        achievements(e4),
        [
            // A bare number: fewer people may or may not fall short.
            ("完成辖区内城乡居民医保参保缴费任务人数", "unclear"),
            ("基本医疗保险的参保率达应参保人数的比例", "achieved"),
            ("当年该项财政补助资金在规定时间下达率", "achieved"),
            ("区级财政实际补助标准", "achieved"),
            ("对切实减轻城乡居民患者医疗费用负担的作用", "achieved"),
            ("受益群众满意度", "achieved"),
        ]
        .iter()
        .map(|(n, a)| (n.to_string(), Value::from(*a)))
        .collect::<Vec<_>>()
    );

    // A transfer payment's 区域绩效自评表: its own labels (转移支付（项目）名称,
    // 地方主管部门, 资金使用单位), formula columns (全年预算数（A）, 执行率（B/A）),
    // linked to the one of two alike targets whose name is the same.
    let e5 = printed_in(&records, "e5_xinzhou_transfer_region.txt");
    let link = &e5["evaluation"]["target"];
    let target = by_id(&records, link["id"].as_str().expect("linked"));
    assert_eq!(target["name"], "2024年中央财政医疗服务与保障能力提升补助资金");
    assert_eq!((e5["department"].as_str(), e5["implementing_unit"].as_str()), (Some("忻州市医疗保障局"), Some("忻州市医疗保险服务中心")));
    assert_eq!((e5["money"]["total_yuan"].as_i64(), e5["money"]["central"].as_i64()), (Some(300_000), Some(300_000)));
    let evaluation = &e5["evaluation"];
    assert_eq!((evaluation["executed_yuan"].as_i64(), evaluation["execution_rate"].as_str()), (Some(285_000), Some("95%")));
    let missed = e5["indicators"].as_array().unwrap().iter().find(|i| i["achievement"] == "missed").expect("one target missed");
    assert_eq!(missed["name"], "提升公立医疗机构平台采购药品耗材比例");
    assert!(missed["deviation"].as_str().is_some_and(|d| d.contains("线下采购")), "{missed}");

    // A department's self-evaluation (部门整体支出绩效自评表) evaluates the
    // department-wide targets.
    let e6 = printed_in(&records, "e6_xinzhou_department.txt");
    let target = by_id(&records, e6["evaluation"]["target"]["id"].as_str().expect("linked"));
    assert_eq!((target["kind"].as_str(), target["name"].as_str()), (Some("department"), Some("忻州市医疗保障局")));
    assert_eq!((e6["money"]["total_yuan"].as_i64(), e6["evaluation"]["executed_yuan"].as_i64()), (Some(14_433_800), Some(13_982_000)));
    assert_eq!(e6["evaluation"]["score"], "93.7");
    let coverage = e6["indicators"].as_array().unwrap().iter().find(|i| i["name"] == "确保基本医保、大病保险、医疗救助覆盖率").unwrap();
    assert_eq!((coverage["value"].as_str(), coverage["actual"].as_str(), coverage["achievement"].as_str()), (Some("100%"), Some("99.2%"), Some("missed")), "short of 100 %");
}

/// The site's engine filters and counts by what self-evaluations say, and
/// the overview sets targets against results per place and year.
#[test]
fn results_are_a_facet_and_an_overview() {
    use jixiao_core::model::Outcome;
    use jixiao_core::search::{Facet, FacetCounts, Filters, Sort};
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
    // Eleven records have results: the five linked targets and six evaluations, one standing alone.
    let evaluated = with_outcome(None);
    assert_eq!(evaluated.len(), 11, "{evaluated:?}");
    assert_eq!(ids_of(&mut index, &Filters { evaluated: true, ..Default::default() }), evaluated);
    let missed = ids_of(&mut index, &Filters { evaluated: true, outcome: Some(Outcome::SomeMissed), ..Default::default() });
    assert_eq!(missed, with_outcome(Some("some_missed")));
    assert_eq!(missed.len(), 8, "e1, e2, e5 and e6 missed a target, and so did their targets: {missed:?}");
    let outcomes = |facets: &FacetCounts| -> Vec<(String, String, usize)> {
        facets.of(Facet::Outcome).iter().map(|v| (v.key.clone(), v.label.clone(), v.count)).collect()
    };
    let expected = [(Outcome::AllAchieved, 3), (Outcome::SomeMissed, 8)].map(|(o, n)| (o.key().to_string(), o.label_zh().to_string(), n));
    // The start page's counts (the build's tallies) and a query's (the engine's) agree.
    let (_, found) = index.search("", &Filters::default(), Sort::Relevance).unwrap();
    assert_eq!(outcomes(&found.facets), expected);
    let (_, found) = index.search("医疗保障局", &Filters::default(), Sort::Relevance).unwrap();
    assert_eq!(outcomes(&found.facets), expected, "every record of a 医疗保障局 is counted");
    // The overview: per place and year, targets met and missed.
    let overview = index.resolve(|r| r.searcher.overview().cloned()).unwrap();
    let xinglong = overview.results.iter().find(|p| p.code == "130822" && p.year == 2024).expect("兴隆县 2024");
    assert_eq!((xinglong.evaluations, xinglong.achieved, xinglong.missed, xinglong.unclear), (1, 4, 1, 1));
    let xinzhou = overview.results.iter().find(|p| p.code == "140900" && p.year == 2024).expect("忻州市 2024");
    assert_eq!((xinzhou.evaluations, xinzhou.achieved, xinzhou.missed), (4, 14, 4));
    let shigu = overview.results.iter().find(|p| p.code == "430407" && p.year == 2023).expect("石鼓区 2023");
    assert_eq!((shigu.evaluations, shigu.achieved, shigu.missed, shigu.unclear), (1, 5, 0, 1));
}

/// A target table compared with others shows what its self-evaluation
/// reports beside each target of the same name, and nothing where the
/// names differ.
#[test]
fn a_target_takes_the_results_of_its_evaluation() {
    use jixiao_core::model::{Achievement, Record};
    let records = built();
    let evaluation: Record = serde_json::from_value(printed_in(&records, "e1_xinglong_publicity.txt").clone()).unwrap();
    let target_id = evaluation.evaluation.as_ref().and_then(|e| e.target.as_ref()).expect("linked").id.clone();
    let mut target: Record = serde_json::from_value(by_id(&records, &target_id).clone()).unwrap();
    assert!(target.indicators.iter().all(|i| i.actual.is_none()), "a target table prints no actuals");
    target.take_results_from(&evaluation);
    let coverage = target.indicators.iter().find(|i| i.name == "宣传覆盖率").expect("the target lists 宣传覆盖率");
    assert_eq!((coverage.actual.as_deref(), coverage.score.as_deref(), coverage.achievement), (Some("93%"), Some("18"), Some(Achievement::Missed)));
    // Every result taken comes from the evaluated indicator of that very name.
    for i in target.indicators.iter().filter(|i| i.actual.is_some()) {
        let source = evaluation.indicators.iter().find(|e| jixiao_core::text::name_key(&e.name) == jixiao_core::text::name_key(&i.name)).expect("same name");
        assert_eq!(i.actual, source.actual, "{}", i.name);
    }
    let unpaired: Vec<&str> = target
        .indicators
        .iter()
        .filter(|i| !evaluation.indicators.iter().any(|e| jixiao_core::text::name_key(&e.name) == jixiao_core::text::name_key(&i.name)))
        .map(|i| i.name.as_str())
        .collect();
    assert!(target.indicators.iter().filter(|i| unpaired.contains(&i.name.as_str())).all(|i| i.actual.is_none()), "{unpaired:?}");
}

/// The SQLite download holds what the JSON download holds: every record
/// with its money, every indicator with its result, every evaluation with
/// its link, and nothing that refers to a missing row.
#[test]
fn the_database_holds_every_record_indicator_and_link() {
    let (out, records) = built_at();
    let db = rusqlite::Connection::open_with_flags(out.join("download/jixiao.sqlite"), rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let mut ids: Vec<String> = db.prepare("SELECT id FROM records ORDER BY id").unwrap().query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    let mut expected: Vec<String> = records.iter().map(|r| r["id"].as_str().unwrap().to_string()).collect();
    expected.sort();
    ids.sort();
    assert_eq!(ids, expected);
    for r in records {
        let (total, indicators): (Option<i64>, i64) = db
            .query_row("SELECT total_yuan, (SELECT count(*) FROM indicators WHERE record_id = id) FROM records WHERE id = ?1", [r["id"].as_str().unwrap()], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap();
        assert_eq!((total, indicators as usize), (r["money"]["total_yuan"].as_i64(), r["indicators"].as_array().unwrap().len()), "{}", r["id"]);
    }
    let e1 = printed_in(records, "e1_xinglong_publicity.txt");
    let (executed, target, reason): (i64, String, String) = db
        .query_row("SELECT executed_yuan, target_id, link_reason FROM evaluations WHERE record_id = ?1", [e1["id"].as_str().unwrap()], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .unwrap();
    assert_eq!((executed, target.as_str()), (18_500, e1["evaluation"]["target"]["id"].as_str().unwrap()));
    assert!(reason.contains("项目编码相同"), "{reason}");
    let (actual, achievement): (String, String) = db
        .query_row("SELECT actual, achievement FROM indicators WHERE record_id = ?1 AND name = '宣传覆盖率'", [e1["id"].as_str().unwrap()], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap();
    assert_eq!((actual.as_str(), achievement.as_str()), ("93%", "未完成"), "the state as the site names it");
    let evaluations: i64 = db.query_row("SELECT count(*) FROM evaluations", [], |row| row.get(0)).unwrap();
    assert_eq!(evaluations as usize, records.iter().filter(|r| r["kind"] == "evaluation").count());
    let dangling: i64 = db.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |row| row.get(0)).unwrap();
    assert_eq!(dangling, 0, "every reference names a row");
}
