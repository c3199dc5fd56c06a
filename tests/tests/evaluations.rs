//! Targets and results in the app: the self-evaluation fixtures
//! (`tests/fixtures/evaluations/`, written from data/'s target tables) are
//! indexed next to data/; at both widths, an evaluation's page shows each
//! target beside what was achieved and whether it was met, the money spent
//! and the target table it evaluates, and that target's page links back.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use jixiao_e2e::{copy_dir, encode, root, Browser, Site, SCREENS};

/// The built app with an index of data/ and the evaluation fixtures (as
/// `tests/fixtures/evaluations/sources.toml` registers them), built once
/// for both tests. A static is never dropped, so it lives in cargo's
/// scratch folder for tests, not in a [`jixiao_e2e::TempDir`]: each run
/// replaces it.
fn site_with_evaluations() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("evaluations-site");
        let _ = std::fs::remove_dir_all(&dir);
        let data = dir.join("data");
        copy_dir(&root().join("data"), &data, &|_| false);
        let fixtures = root().join("tests/fixtures/evaluations");
        for entry in jixiao_indexer::sources::read_registry(&fixtures).unwrap() {
            std::fs::copy(fixtures.join(&entry.file), data.join(&entry.file)).unwrap();
        }
        let registry = std::fs::read_to_string(data.join("sources.toml")).unwrap() + "\n" + &std::fs::read_to_string(fixtures.join("sources.toml")).unwrap();
        std::fs::write(data.join("sources.toml"), registry).unwrap();
        let site = dir.join("site");
        copy_dir(&jixiao_e2e::dist(), &site, &|p| p.file_name().is_some_and(|n| n == "idx"));
        jixiao_indexer::build::run(&data, &site.join("idx"), false).expect("the index builds with the fixtures");
        site
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn an_evaluation_shows_each_target_beside_its_result() {
    let site = Site::serve(site_with_evaluations());
    for (width, height) in SCREENS {
        let browser = Browser::at(width, height).await;
        browser.open(&format!("{}?q={}", site.url(), encode("宣传印刷费"))).await;
        // The result list says which card is a self-evaluation.
        browser.wait_for(".card .card-title a").await;
        let kinds = browser.texts(".card .kind").await;
        assert!(kinds.iter().any(|k| k == "绩效自评"), "a card is marked as a self-evaluation: {kinds:?}");
        browser.click_text(".card .card-title a", "宣传印刷费项目").await;
        browser.wait_for("#results").await;
        let results = browser.texts("#results ~ dl dd, .evaluation-link").await.join(" | ");
        assert!(results.contains("1.85 万元") || results.contains("18,500"), "money executed: {results}");
        assert!(results.contains("优") && results.contains("95"), "score and grade: {results}");
        assert!(results.contains("项目编码相同"), "the link says why: {results}");
        // Each target beside its result and state, in the indicator table.
        let rows = browser
            .eval(
                "[...document.querySelectorAll('table.indicators')].flatMap(t => {
                   const heads = [...t.tHead.rows[0].cells].map(c => c.textContent.trim());
                   return [...t.tBodies[0].rows].map(r => Object.fromEntries([...r.cells].map((c, k) => [heads[k], c.textContent.trim()])));
                 })",
            )
            .await;
        let coverage = rows.as_array().unwrap().iter().find(|r| r["三级指标"] == "宣传覆盖率").expect("宣传覆盖率 is listed").clone();
        assert_eq!((coverage["指标值"].as_str(), coverage["实际完成值"].as_str(), coverage["完成情况"].as_str()), (Some("≥95%"), Some("93%"), Some("未完成")), "{coverage}");
        browser.screenshot(&format!("evaluation-{width}")).await;
        // To the target table it evaluates, and back.
        browser.click(".evaluation-link a").await;
        browser.wait_until("document.querySelector('h1') && document.querySelector('h1').textContent.includes('2024 年宣传印刷费')", "the target's page").await;
        browser.wait_for("#results").await;
        let back = browser.texts("#results ~ p a, #results + p a").await;
        assert!(back.iter().any(|t| t.contains("自评")), "the target links its self-evaluation: {back:?}");
        browser.screenshot(&format!("evaluation-target-{width}")).await;
        browser.close().await;
    }
}

/// At both widths: results are a filter (有自评, then by outcome) with the
/// counts the records give, each card says what its self-evaluation
/// found, the comparison sets each target beside its actual, and the
/// overview gives the share of targets met per place.
#[tokio::test(flavor = "multi_thread")]
async fn results_filter_mark_compare_and_add_up() {
    let records: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(site_with_evaluations().join("idx/download/jixiao-records.json")).unwrap()).unwrap();
    let with_outcome = |key: &str| records.iter().filter(|r| r["outcome"] == key).count();
    let evaluated = records.iter().filter(|r| !r["outcome"].is_null()).count();
    assert!(with_outcome("some_missed") > 0, "a fixture misses a target");
    let e1 = records.iter().find(|r| r["sources"][0]["document"] == "e1_xinglong_publicity.txt").expect("e1 read");
    let target = records.iter().find(|r| r["id"] == e1["evaluation"]["target"]["id"]).expect("e1 linked");
    let other = records.iter().find(|r| r["kind"] == "project" && r["id"] != target["id"]).unwrap();
    let states = |s: &str| e1["indicators"].as_array().unwrap().iter().filter(|i| i["achievement"] == s).count();
    let (achieved, missed, unclear) = (states("achieved"), states("missed"), states("unclear"));
    let site = Site::serve(site_with_evaluations());
    for (width, height) in SCREENS {
        let phone = width < 600;
        let browser = Browser::at(width, height).await;

        // The facet, with the counts the records give.
        browser.open(&site.url()).await;
        browser.wait_for(".card").await;
        if phone {
            browser.click(".filter-toggle").await;
            browser.wait_until("document.querySelector('.filters').offsetParent !== null", "the filters open").await;
        }
        browser.wait_for(".facet-outcome .facet-value").await;
        let offered = browser.facet_values("outcome").await;
        let mut expected = vec![("有自评".to_string(), evaluated)];
        for (key, label) in [("all_achieved", "目标全部完成"), ("some_missed", "有目标未完成"), ("unclear", "完成情况无法判断")] {
            if with_outcome(key) > 0 {
                expected.push((label.to_string(), with_outcome(key)));
            }
        }
        assert_eq!(offered, expected);
        browser.click_text(".facet-outcome .facet-value", "有目标未完成").await;
        browser.wait_until("new URLSearchParams(location.search).get('outcome') === 'some_missed'", "the outcome in the URL").await;
        browser.wait_until(&format!("document.querySelectorAll('.card').length === {}", with_outcome("some_missed")), "only those cards").await;
        // Each card says so, the target table as well as its self-evaluation.
        let badges = browser.eval("[...document.querySelectorAll('.card')].map(c => c.querySelector('.outcome') ? c.querySelector('.outcome').textContent : '')").await;
        assert!(badges.as_array().unwrap().iter().all(|b| b == "自评：有目标未完成"), "{badges}");
        let names = browser.texts(".card .card-title").await;
        assert!(names.iter().any(|n| n == target["name"].as_str().unwrap()), "the target is marked too: {names:?}");
        if phone {
            browser.click(".filter-toggle").await;
        }
        browser.screenshot(&format!("results-facet-{width}")).await;

        // The comparison: the target's actuals and money spent beside the other project's targets.
        browser.open(&format!("{}?compare={},{}", site.url(), target["id"].as_str().unwrap(), other["id"].as_str().unwrap())).await;
        browser.wait_for(".indicator-actual").await;
        let cells = browser.texts(".compare-table td").await;
        let coverage = cells.iter().find(|c| c.contains("宣传覆盖率")).expect("宣传覆盖率 compared");
        assert!(coverage.contains("≥95%") && coverage.contains("实际：93%") && coverage.contains("未完成"), "{coverage}");
        let facts = browser.eval("Object.fromEntries([...document.querySelectorAll('.compare-table tbody tr')].filter(r => r.cells.length > 1).map(r => [r.cells[0].textContent, r.cells[1].textContent]))").await;
        assert_eq!(facts["全年执行数"], "1.85 万元", "{facts}");
        assert_eq!(facts["自评结果"], "有目标未完成", "{facts}");
        browser.screenshot(&format!("results-compare-{width}")).await;

        // The overview: the share of targets met, per place.
        browser.open(&format!("{}?view=overview&year=2024", site.url())).await;
        browser.wait_for(".results-table tbody tr").await;
        let rows = browser.eval("[...document.querySelectorAll('.results-table tbody tr')].map(r => [...r.cells].map(c => c.textContent.trim()))").await;
        let xinglong = rows.as_array().unwrap().iter().find(|r| r[0] == "河北省 承德市 兴隆县").unwrap_or_else(|| panic!("兴隆县 listed: {rows}"));
        let share = achieved * 100 / (achieved + missed);
        assert_eq!(
            xinglong,
            &serde_json::json!(["河北省 承德市 兴隆县", "1", achieved.to_string(), missed.to_string(), unclear.to_string(), format!("{share}%（{achieved}/{}）", achieved + missed)])
        );
        browser.click_text(".results-table a", "兴隆县").await;
        browser.wait_until("new URLSearchParams(location.search).get('eval') === '1'", "the place's evaluated projects").await;
        browser.wait_for(".card .outcome").await;
        browser.close().await;
    }
}
