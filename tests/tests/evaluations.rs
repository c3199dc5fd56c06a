//! Targets and results in the app: the self-evaluation fixtures
//! (`tests/fixtures/evaluations/`, written from data/'s target tables) are
//! indexed next to data/; at both widths, an evaluation's page shows each
//! target beside what was achieved and whether it was met, the money spent
//! and the target table it evaluates, and that target's page links back.

use jixiao_e2e::{copy_dir, encode, root, Browser, Site, TempDir};

const SCREENS: [(u32, u32); 2] = [(1280, 900), (390, 844)];
const FIXTURES: [(&str, &str, &str); 2] = [
    ("e1_xinglong_publicity.txt", "兴隆县医疗保障局", "河北省承德市兴隆县"),
    ("e2_xinzhou_village.txt", "忻州市医疗保障局", "山西省忻州市"),
];

/// The built app with an index of data/ and the evaluation fixtures.
fn site_with_evaluations() -> TempDir {
    let dir = TempDir::new("evaluations-site");
    let data = dir.0.join("data");
    copy_dir(&root().join("data"), &data, &|_| false);
    let mut sources = std::fs::read_to_string(data.join("sources.toml")).unwrap();
    for (file, publisher, region) in FIXTURES {
        std::fs::copy(root().join("tests/fixtures/evaluations").join(file), data.join(file)).unwrap();
        sources.push_str(&format!("\n[[document]]\nfile = \"{file}\"\npublisher = \"{publisher}\"\nregion = \"{region}\"\nyear = 2024\ncontains = \"test fixture: a self-evaluation\"\n"));
    }
    std::fs::write(data.join("sources.toml"), sources).unwrap();
    let site = dir.0.join("site");
    copy_dir(&jixiao_e2e::dist(), &site, &|p| p.file_name().is_some_and(|n| n == "idx"));
    jixiao_indexer::build::run(&data, &site.join("idx"), false).expect("the index builds with the fixtures");
    dir
}

#[tokio::test(flavor = "multi_thread")]
async fn an_evaluation_shows_each_target_beside_its_result() {
    let dir = site_with_evaluations();
    let site = Site::serve(&dir.0.join("site"));
    for (width, height) in SCREENS {
        let browser = if width < 600 { Browser::phone(width, height).await } else { Browser::start().await };
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
