//! Readings to be checked (需核对) and corrections by hand (人工校正) in the
//! app, at both widths: data/ with the fixture of `tests/fixtures/checks/`
//! (a table typed from a scan whose sources do not add up, with a blank
//! target, and a correction of its satisfaction target) is indexed; its
//! card in the results says 需核对, its page says why, links to the
//! original text, and shows the correction with who made it and why.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use jixiao_e2e::{copy_dir, encode, root, Browser, Site, SCREENS};

/// The built app with an index of data/ and the fixture, built once for
/// the test (in cargo's scratch folder, replaced each run).
fn site_with_checks() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("checks-site");
        let _ = std::fs::remove_dir_all(&dir);
        let data = dir.join("data");
        copy_dir(&root().join("data"), &data, &|_| false);
        let fixtures = root().join("tests/fixtures/checks");
        for entry in jixiao_indexer::sources::read_registry(&fixtures).unwrap() {
            std::fs::copy(fixtures.join(&entry.file), data.join(&entry.file)).unwrap();
        }
        let registry = std::fs::read_to_string(data.join("sources.toml")).unwrap() + "\n" + &std::fs::read_to_string(fixtures.join("sources.toml")).unwrap();
        std::fs::write(data.join("sources.toml"), registry).unwrap();
        std::fs::copy(fixtures.join("corrections.toml"), data.join("corrections.toml")).unwrap();
        let site = dir.join("site");
        copy_dir(&jixiao_e2e::dist(), &site, &|p| p.file_name().is_some_and(|n| n == "idx"));
        jixiao_indexer::build::run(&data, &site.join("idx"), false).expect("the index builds with the fixture");
        site
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn a_doubtful_reading_is_marked_and_a_correction_shown() {
    let site = Site::serve(site_with_checks());
    for (width, height) in SCREENS {
        let browser = Browser::at(width, height).await;
        browser.open(&format!("{}?q={}", site.url(), encode("经办服务经费"))).await;
        browser.wait_for(".card .card-title a").await;
        let card = browser
            .eval("[...document.querySelectorAll('.card')].find(c => c.textContent.includes('城乡居民医保经办服务经费')).querySelector('.to-check').textContent")
            .await;
        assert_eq!(card.as_str(), Some("需核对"), "the card says the reading is to be checked");
        let others = browser.eval("[...document.querySelectorAll('.card')].filter(c => !c.textContent.includes('城乡居民医保经办服务经费') && c.querySelector('.to-check')).length").await;
        assert_eq!(others.as_u64(), Some(0), "a sure reading is not marked");
        browser.click_text(".card .card-title a", "城乡居民医保经办服务经费").await;
        browser.wait_for("#doubts").await;
        let doubts = browser.texts("#doubts ~ p, #doubts ~ ul li").await.join(" | ");
        assert!(doubts.contains("需核对") && doubts.contains("可信度"), "the page says 需核对: {doubts}");
        assert!(doubts.contains("500000 元") && doubts.contains("600000 元"), "and why (sources that do not add up): {doubts}");
        assert!(doubts.contains("1 项指标未读到指标值"), "a blank target: {doubts}");
        assert!(doubts.contains("人工校正") && doubts.contains("290%") && doubts.contains("≥90%") && doubts.contains("李明（于都县医保局）"), "the correction, with who and why: {doubts}");
        // The corrected target is the one shown; the link goes to the original text.
        let target = browser.eval("[...document.querySelectorAll('table.indicators tr')].find(r => r.textContent.includes('参保群众满意度')).cells[1].textContent").await;
        assert_eq!(target.as_str(), Some("≥90%"));
        let original = browser.eval("document.querySelector('#doubts ~ p.to-check a').getAttribute('href')").await;
        assert_eq!(original.as_str(), Some("#provenance"));
        let raw = browser.eval("document.querySelector('#provenance ~ .source .raw').textContent").await;
        assert!(raw.as_str().is_some_and(|t| t.contains("290%") && t.contains("城乡居民医保经办服务经费")), "the original text, as printed, is on the page: {raw}");
        let header = browser.texts(".meta .to-check").await;
        assert_eq!(header, ["需核对"], "the mark is in the page's header too");
        browser.screenshot(&format!("checks-{width}")).await;
        browser.close().await;
    }
}
