//! The app's flows in headless Chromium, on the built site served from a
//! subdirectory: filters and their counts, deep links and history, project
//! pages, comparison, overview, CSV export, the JavaScript-off pages, the
//! corrupt-index message and the crash message. Screenshots go to
//! `test-artifacts/`.

use std::io::{Read, Write};

use jixiao_e2e::{encode, Browser, Site, TempDir};

/// The number in the result count ("共 15 个结果").
async fn result_count(browser: &Browser) -> usize {
    browser.wait_for(".results .count").await;
    let text = browser.texts(".results .count").await.join("");
    text.chars().filter(|c| c.is_ascii_digit()).collect::<String>().parse().unwrap_or(0)
}

/// Waits until the result count differs from `before`.
async fn count_changes(browser: &Browser, before: usize) -> usize {
    browser
        .wait_until(
            &format!("(document.querySelector('.results .count')||{{}}).textContent && !document.querySelector('.results .count').textContent.includes(' {before} ')"),
            "the result count to change",
        )
        .await;
    result_count(browser).await
}

#[tokio::test(flavor = "multi_thread")]
async fn filters_narrow_results_to_the_counts_they_show() {
    let site = Site::start();
    let browser = Browser::start().await;
    browser.open(&site.url()).await;
    let all = result_count(&browser).await;
    assert_eq!(all, 43, "every record is listed before any search");

    // Province, then city: each value's count is what clicking it gives.
    let provinces = browser.facet_values("region").await;
    let (_, hebei) = provinces.iter().find(|(l, _)| l == "河北省").cloned().expect("河北省 offered");
    browser.click_text(".facet-region .facet-value", "河北省").await;
    assert_eq!(count_changes(&browser, all).await, hebei);
    assert_eq!(browser.search_params().await.get("region").map(String::as_str), Some("130000"));
    let cities = browser.facet_values("region").await;
    assert_eq!(cities, [("承德市".to_string(), hebei)], "the next level down: cities of 河北省");

    // Fund source within the region.
    let funds = browser.facet_values("fund").await;
    let (label, n) = funds.first().cloned().expect("a fund source offered");
    browser.click_text(".facet-fund .facet-value", &label).await;
    browser.wait_until("new URLSearchParams(location.search).has('fund')", "fund in the URL").await;
    assert_eq!(result_count(&browser).await, n);
    browser.screenshot("filters").await;

    // Each chip clears its filter; "清除全部筛选" clears everything.
    browser.click(".facet-fund .chip").await;
    browser.wait_until("!new URLSearchParams(location.search).has('fund')", "fund cleared").await;
    assert_eq!(result_count(&browser).await, hebei);
    browser.click_text(".filters-head .link-button", "清除全部筛选").await;
    browser.wait_until("location.search === ''", "all filters cleared").await;
    assert_eq!(result_count(&browser).await, all);

    // Amount range in 万元.
    browser.type_into(".amount-range input[name=min]", "100").await;
    browser.click(".amount-range button[type=submit]").await;
    browser.wait_until("new URLSearchParams(location.search).get('min') === '1000000'", "min in yuan").await;
    count_changes(&browser, all).await;
    let amounts = browser.texts(".card .amount").await;
    assert!(!amounts.is_empty());
    assert!(amounts.iter().all(|a| a.contains("万元") && a.trim_end_matches(" 万元").replace(',', "").parse::<f64>().unwrap() >= 100.0), "{amounts:?}");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn deep_links_round_trip_with_back_and_forward() {
    let site = Site::start();
    let browser = Browser::start().await;
    browser.open(&format!("{}?q={}&region=130822&sort=amount", site.url(), encode("医疗"))).await;
    browser.wait_for(".card").await;
    assert_eq!(browser.eval("document.querySelector('#q').value").await, "医疗");
    assert!(browser.texts(".facet-region .chip").await.iter().any(|c| c.contains("兴隆县")));
    assert_eq!(browser.eval("document.querySelector('.sort select').value").await, "amount");
    let regions = browser.texts(".card .region").await;
    assert!(regions.iter().all(|r| r == "兴隆县"), "{regions:?}");
    let before = result_count(&browser).await;
    let first_before = browser.texts(".card .card-title").await[0].clone();

    // Change a filter: a new history entry.
    let years = browser.facet_values("year").await;
    assert!(!years.is_empty());
    browser.click_text(".facet-year .facet-value", "2024").await;
    browser.wait_until("new URLSearchParams(location.search).get('year') === '2024'", "year in the URL").await;

    // Back: the previous state, results included; forward again.
    browser.client.back().await.unwrap();
    browser.wait_until("!new URLSearchParams(location.search).has('year')", "back to the previous URL").await;
    browser.wait_until("!document.querySelector('.facet-year .chip')", "the year chip gone").await;
    assert_eq!(result_count(&browser).await, before);
    assert_eq!(browser.texts(".card .card-title").await[0], first_before);
    browser.client.forward().await.unwrap();
    browser.wait_until("new URLSearchParams(location.search).get('year') === '2024'", "forward again").await;
    browser.wait_for(".facet-year .chip").await;

    // A project link and back to the search.
    browser.click(".card .card-title a").await;
    browser.wait_for("article.project h1").await;
    assert!(browser.search_params().await.contains_key("project"));
    browser.client.back().await.unwrap();
    browser.wait_for(".card").await;
    assert_eq!(browser.eval("document.querySelector('#q').value").await, "医疗");
    browser.close().await;
}

/// One known project per document: what its page must show.
const PROJECTS: &[(&str, &str, &str, &str, &str)] = &[
    // (name, amount, an indicator, its value, source document)
    ("法律顾问服务费", "2 万元", "聘用律师服务成本", "≤2万元", "000_2ed6aacce9ed946a.txt"),
    ("市直离休干部医药费", "600 万元", "项目保障人数", "≤130人", "001_f70456660833eacc.txt"),
    ("2024 年宣传印刷费", "2 万元", "宣传乡镇数", "≥20个", "002_617d5cc0387f4f3f.txt"),
    ("制卡费", "8 万元", "合疗卡工本费", "3元/张", "003_e6ad122fc269515c.txt"),
    ("城乡医疗救助资金", "189.97 万元", "医疗救助对象满意度", "≥97%", "004_509232d1be82661b.txt"),
];

#[tokio::test(flavor = "multi_thread")]
async fn project_pages_show_every_part_of_a_record() {
    let site = Site::start();
    let browser = Browser::start().await;
    for (i, &(name, amount, indicator, value, document)) in PROJECTS.iter().enumerate() {
        browser.open(&format!("{}?q={}", site.url(), encode(&format!("\"{name}\"")))).await;
        browser.wait_for(".card").await;
        browser.click_text(".card .card-title a", name).await;
        browser.wait_for("article.project h1").await;
        if i == 0 {
            browser.screenshot("project").await;
        }
        assert_eq!(browser.texts("article.project h1").await, [name]);
        assert!(browser.texts(".project .meta .amount").await.join("").contains(amount), "{name}: amount");
        let rows = browser.texts(".indicators tbody tr").await;
        assert!(rows.iter().any(|r| r.contains(indicator) && r.contains(value)), "{name}: {indicator} {value} in {rows:?}");
        let sources = browser.texts(".source p").await.join("\n");
        assert!(sources.contains(document), "{name}: source {document} in {sources}");
        // The raw table text is one click away.
        assert_eq!(browser.eval("document.querySelector('.source details').open").await, false);
        browser.click(".source details summary").await;
        let raw = browser.texts(".source .raw").await.join("");
        assert!(raw.contains(indicator.chars().take(4).collect::<String>().as_str()), "{name}: raw text");
        // Money by source (or the note that the table gives no split) and the sections.
        let money = browser.texts("section[aria-labelledby=money]").await.join("");
        assert!(money.contains("资金来源") && (money.contains("万元") || money.contains("未按来源")), "{name}: {money}");
        assert!(!browser.texts(".section-text").await.is_empty(), "{name}: sections");
    }
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn comparison_of_the_two_village_cadre_projects() {
    let site = Site::start();
    let browser = Browser::start().await;
    browser.open(&format!("{}?q={}", site.url(), encode("驻村"))).await;
    browser.wait_for(".card").await;
    for name in ["驻村干部补助经费", "驻村第一书记、干部和工作队经费"] {
        let index = browser.texts(".card .card-title").await.iter().position(|n| n == name).expect(name);
        browser.client.execute(&format!("document.querySelectorAll('.card .compare-toggle')[{index}].click()"), vec![]).await.unwrap();
    }
    browser.wait_until("document.querySelector('.site-header nav').textContent.includes('对比（2）')", "two projects chosen").await;
    browser.click_text(".site-header nav a", "对比").await;
    browser.wait_for(".compare-table").await;
    let heads = browser.texts(".compare-table thead th.project-head a").await.join(" ");
    assert!(heads.contains("驻村干部补助经费") && heads.contains("驻村第一书记、干部和工作队经费"), "{heads}");
    let amounts = browser.texts(".compare-table tbody tr").await;
    let total = amounts.iter().find(|r| r.starts_with("年度资金总额")).expect("total row");
    assert!(total.contains("2.8 万元") && total.contains("6.3 万元"), "{total}");
    // Their 成本指标, aligned under 产出指标 › 成本指标.
    let block = browser.texts(".indicator-block").await.join("\n");
    assert!(block.contains("成本指标"), "{block}");
    assert!(block.contains("每名选调生平均每年补助资金") && block.contains("≤28000元"), "{block}");
    assert!(block.contains("驻村工作队员工作经费标准") && block.contains("≤21000元/年/人"), "{block}");
    // Rows whose values differ are highlighted.
    assert!(browser.eval("document.querySelectorAll('.compare-table tr.differs').length").await.as_u64().unwrap() > 0);
    browser.screenshot("compare").await;

    // Removing one leaves one, and the page says two are needed.
    browser.click(".compare-table .remove").await;
    browser.wait_until("new URLSearchParams(location.search).get('compare').split(',').length === 1", "one left").await;
    browser.wait_for(".compare .note").await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn overview_bars_open_the_filtered_search() {
    let site = Site::start();
    let browser = Browser::start().await;
    browser.open(&format!("{}?view=overview", site.url())).await;
    browser.wait_for(".chart svg .bar").await;
    // The bars are drawn (SVG elements, laid out with a size).
    let drawn = browser.eval("[...document.querySelectorAll('.chart .bar')].every(b => b instanceof SVGRectElement && b.getBBox().width > 0)").await;
    assert_eq!(drawn, true, "every bar is an SVG rect with a width");
    let titles = browser.texts(".chart h2").await;
    assert_eq!(titles, ["按地区", "按主管部门", "按资金来源（原表所列金额）"]);
    browser.screenshot("overview").await;
    // The 兴隆县 bar: 14 projects.
    let label = browser.eval("[...document.querySelectorAll('.chart .bar-link')].map(a => a.getAttribute('aria-label')).find(l => l.startsWith('兴隆县'))").await;
    assert!(label.as_str().unwrap().contains("14 个项目"), "{label}");
    let bar = browser
        .client
        .find(fantoccini::Locator::XPath("//*[local-name()='g'][starts-with(@aria-label,'兴隆县')]/*[local-name()='rect']"))
        .await
        .expect("the 兴隆县 bar");
    bar.click().await.expect("the bar is clickable");
    browser.wait_until("new URLSearchParams(location.search).get('region') === '130822'", "search filtered to 兴隆县").await;
    assert_eq!(browser.search_params().await.get("year").map(String::as_str), Some("2024"), "the bar is of the year shown");
    // 14 projects and the department-wide entry.
    assert_eq!(result_count(&browser).await, 15);
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn csv_export_holds_the_result_list() {
    let site = Site::start();
    let downloads = TempDir::new("downloads");
    let browser = Browser::with_downloads(&downloads.0).await;
    browser.open(&format!("{}?q={}", site.url(), encode("驻村"))).await;
    browser.wait_for(".card").await;
    let names = browser.texts(".card .card-title").await;
    browser.click(".export").await;
    let csv = browser.downloaded(&downloads.0, "检索结果.csv").await;
    let mut lines = csv.trim_start_matches('\u{feff}').lines();
    // The headers a reader saw, money in 元 and 万元, and a link to each project.
    assert_eq!(lines.next().unwrap(), jixiao_core::csv::line(&jixiao_core::table::RESULT_HEADERS).trim_end());
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), names.len(), "one row per result");
    for name in &names {
        assert!(rows.iter().any(|r| r.contains(name.as_str())), "{name}");
    }
    let row = rows.iter().find(|r| r.starts_with("驻村干部补助经费,")).unwrap_or_else(|| panic!("{rows:?}"));
    assert!(row.contains(",28000,2.8,") && row.contains("?project=140900-2024-"), "{row}");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn indicator_export_holds_the_indicators_listed() {
    let site = Site::start();
    let downloads = TempDir::new("indicator-downloads");
    let browser = Browser::with_downloads(&downloads.0).await;
    browser.open(&format!("{}?view=indicators&q={}&measure={}&order=desc", site.url(), encode("满意度"), encode("%"))).await;
    browser.wait_for(".indicator-list tbody tr").await;
    let shown: Vec<Vec<String>> =
        serde_json::from_value(browser.eval("[...document.querySelectorAll('.indicator-list tbody tr')].map(r => [...r.cells].map(c => c.textContent))").await).unwrap();
    browser.click(".export").await;
    let csv = browser.downloaded(&downloads.0, "绩效指标.csv").await;
    let mut lines = csv.trim_start_matches('\u{feff}').lines();
    assert_eq!(lines.next().unwrap(), jixiao_core::csv::line(&jixiao_core::table::INDICATOR_HEADERS).trim_end());
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), shown.len(), "one row per indicator listed, in the filter and unit chosen");
    // In the order shown (largest first), each row naming its indicator and target.
    for (row, cells) in rows.iter().zip(&shown) {
        let (indicator, target) = (&cells[6], &cells[7]);
        assert!(row.contains(indicator.as_str()) && row.contains(target.as_str()), "{row} ≠ {cells:?}");
        assert!(row.contains("?project="), "a link to the project: {row}");
    }
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn static_project_pages_work_without_javascript() {
    let site = Site::start();
    let browser = Browser::without_javascript().await;
    browser.open(&format!("{}idx/pages/index.html", site.url())).await;
    browser.wait_for("h1").await;
    assert!(browser.texts("h1").await[0].contains("全部项目"));
    browser.click_text("li a", "驻村干部补助经费").await;
    browser.wait_for("h1").await;
    assert_eq!(browser.texts("h1").await, ["驻村干部补助经费"]);
    let table = browser.texts("table").await.join("\n");
    assert!(table.contains("2.8 万元"), "{table}");
    assert!(table.contains("每名选调生平均每年补助资金") && table.contains("≤28000元"), "{table}");
    let app_link = browser.eval("document.querySelector('a.app').href").await;
    assert!(app_link.as_str().unwrap().contains("?project=140900-2024-"), "{app_link}");
    browser.screenshot("static-page").await;
    // No JavaScript ran: the app's page shows its noscript text instead.
    browser.open(&site.url()).await;
    browser.screenshot("app-without-javascript").await;
    let body = browser.eval("document.body.innerText").await;
    assert!(body.as_str().unwrap_or("").contains("需要 JavaScript"), "{body}");
    browser.close().await;
}

/// The manifest of the built site, as people read it.
fn manifest() -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(jixiao_e2e::dist().join("idx/manifest.json")).unwrap()).unwrap()
}

/// The dictionary page holding `term`, from the manifest's directory.
fn dict_page_of(term: &str) -> String {
    let manifest = manifest();
    let firsts = manifest["dictionary"].as_array().unwrap();
    let page = firsts.iter().rposition(|first| first.as_str().unwrap() <= term).unwrap();
    format!("dict-{page}.{}.bin", manifest["build"].as_str().unwrap())
}

/// A copy of the built site, with `damage` done to `idx/<name>`.
fn damaged_site(name: &str, damage: impl FnOnce(&mut Vec<u8>)) -> TempDir {
    let copy = TempDir::new("damaged-site");
    jixiao_e2e::copy_dir(&jixiao_e2e::dist(), &copy.0, &|_| false);
    let victim = copy.0.join("idx").join(name);
    let mut bytes = std::fs::read(&victim).expect("the file to damage");
    damage(&mut bytes);
    std::fs::write(&victim, bytes).unwrap();
    copy
}

/// One byte flipped (size kept).
fn flip_middle_byte(bytes: &mut [u8]) {
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
}

/// The file as another build would have written it (a half-updated site or
/// a stale CDN copy): a different build id inside, with a valid checksum.
fn from_another_build(stored: &mut Vec<u8>) {
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(&stored[..]).read_to_end(&mut bytes).unwrap();
    let build_at = 5; // magic (4 bytes), then the id's length (1 byte)
    bytes[build_at..build_at + 16].copy_from_slice(b"0123456789abcdef");
    let body = bytes.len() - 4;
    let sum = jixiao_core::index::bytes::fnv1a32(&bytes[..body]);
    bytes[body..].copy_from_slice(&sum.to_le_bytes());
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(&bytes).unwrap();
    *stored = encoder.finish().unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_corrupt_index_file_shows_a_message_and_a_retry() {
    let build = manifest()["build"].as_str().unwrap().to_string();
    // The overview (start page counts) is read at start.
    let copy = damaged_site(&format!("overview.{build}.bin"), |b| flip_middle_byte(b));
    let site = Site::serve(&copy.0);
    let browser = Browser::start().await;
    browser.open(&site.url()).await;
    browser.wait_for(".error[role=alert]").await;
    let message = browser.texts(".error").await.join("");
    assert!(message.contains("已损坏") && message.contains("重试"), "{message}");
    // Worded for citizens: no file names; the static pages as a way on.
    assert!(!message.contains(".bin") && !message.contains("idx/"), "{message}");
    assert!(browser.eval("!!document.querySelector('.error a[href$=\"pages/index.html\"]')").await == true, "{message}");
    assert!(browser.texts(".card").await.is_empty(), "no results next to the error");
    browser.screenshot("corrupt-index").await;
    browser.close().await;

    // The dictionary page of 驻村 is read by that query; a copy from another
    // build fails the search loudly, not half-way.
    let copy = damaged_site(&dict_page_of("驻村"), from_another_build);
    let site = Site::serve(&copy.0);
    let browser = Browser::start().await;
    browser.open(&site.url()).await;
    browser.wait_for(".card").await;
    browser.type_into("#q", "驻村").await;
    browser.wait_for(".error[role=alert]").await;
    let message = browser.texts(".error").await.join("");
    assert!(message.contains("已过时") && !message.contains(".bin"), "{message}");
    assert!(browser.texts(".card").await.is_empty(), "no stale results next to the error");
    // Retry reloads the index.
    browser.click_text(".error button", "重试").await;
    browser.close().await;
}

/// A panic in the app is a wasm trap (the wasm is built with
/// panic=immediate-abort): the browser reports a `WebAssembly.RuntimeError`,
/// as an error or an unhandled rejection, and the page shows a message and
/// a reload button. Other errors are not crashes of the app. (The events are
/// dispatched as the browser would: errors thrown by WebDriver's scripts
/// reach the page muted.)
#[tokio::test(flavor = "multi_thread")]
async fn a_crash_of_the_app_shows_a_message_and_a_reload() {
    let site = Site::start();
    let browser = Browser::start().await;
    browser.open(&format!("{}?q={}", site.url(), encode("医疗救助"))).await;
    browser.wait_for(".card").await;
    let error = |e: &str| format!("dispatchEvent(new ErrorEvent('error', {{ error: {e} }}))");
    let rejection = |e: &str| format!("dispatchEvent(new PromiseRejectionEvent('unhandledrejection', {{ promise: Promise.resolve(), reason: {e} }}))");
    browser.eval(&format!("{}, {}", error("new TypeError('not the app')"), rejection("new Error('nor this')"))).await;
    assert!(browser.eval("document.getElementById('crash') === null").await == true, "an error that is no wasm trap shows no crash");

    for (raise, trap) in [(rejection as fn(&str) -> String, "unreachable"), (error, "again")] {
        browser.eval(&raise(&format!("new WebAssembly.RuntimeError('{trap}')"))).await;
        browser.wait_for("#crash[role=alert]").await;
        let message = browser.texts("#crash").await.join("");
        assert!(message.contains("页面出现内部错误") && message.contains("RuntimeError: unreachable"), "{message}");
        assert_eq!(browser.eval("document.querySelectorAll('#crash').length").await, 1, "one message, however many traps");
    }

    // The page's policy allows no inline handler: the button works all the same.
    browser.eval("window.beforeReload = true").await;
    browser.click_text("#crash button", "刷新页面").await;
    browser.wait_until("window.beforeReload === undefined && !!document.querySelector('.card')", "the page to reload").await;
    assert!(browser.eval("document.getElementById('crash') === null").await == true);
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_site_works_on_a_360px_screen_and_controls_are_labelled() {
    let site = Site::start();
    let browser = Browser::phone(360, 800).await;
    browser.open(&format!("{}?q={}", site.url(), encode("医疗救助"))).await;
    browser.wait_for(".card").await;
    // Nothing wider than the screen.
    let overflow = browser.eval("document.documentElement.scrollWidth <= window.innerWidth + 1").await;
    assert_eq!(overflow, true, "the page scrolls sideways at 360 px");
    browser.screenshot("search-360px").await;
    // Every control has an accessible name.
    let unlabelled = browser
        .eval(
            "[...document.querySelectorAll('input, select, button')].filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.textContent.trim()).map(e => e.outerHTML)",
        )
        .await;
    assert_eq!(unlabelled, serde_json::json!([]), "controls without a name");
    assert_eq!(browser.eval("document.documentElement.lang").await, "zh-CN");
    browser.open(&format!("{}?view=overview", site.url())).await;
    browser.wait_for(".chart").await;
    browser.screenshot("overview-360px").await;
    browser.close().await;
}
