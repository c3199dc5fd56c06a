//! The site as citizens and journalists use it (issue 13), at a desktop
//! width (1280 × 900) and a phone's (390 × 844): where each figure comes
//! from, filters and comparison on a phone, the overview one year at a
//! time, places, a comparison that compares, a page that is never blank,
//! the reader's place kept, indicators as data, sharing and printing. Every
//! screen is saved to `target/screenshots/<screen>-<width>.png`.

use jixiao_e2e::{copy_dir, dist, encode, Browser, Site, TempDir, SCREENS};
use serde_json::Value;


async fn shot(browser: &Browser, screen: &str, width: u32) {
    browser.screenshot(&format!("{screen}-{width}")).await;
}

async fn title(browser: &Browser) -> String {
    browser.eval("document.title").await.as_str().unwrap_or_default().to_string()
}

/// Visible controls smaller than 44 × 44 CSS pixels (phones).
async fn small_targets(browser: &Browser) -> Value {
    browser
        .eval(
            "[...document.querySelectorAll('button, select, input, .site-header nav a')]
               .filter(e => e.offsetParent !== null && e.type !== 'radio')
               .map(e => [e.getBoundingClientRect(), e.textContent.trim() || e.outerHTML.slice(0, 60)])
               .filter(([r]) => r.width < 44 || r.height < 44).map(([r, t]) => `${t} ${Math.round(r.width)}×${Math.round(r.height)}`)",
        )
        .await
}

#[tokio::test(flavor = "multi_thread")]
async fn every_screen_at_both_widths() {
    let site = Site::start();
    for (width, height) in SCREENS {
        let phone = width < 1000;
        let browser = Browser::at(width, height).await;
        let mut titles = Vec::new();

        // The start page says what the site covers; a place opens its page.
        browser.open(&site.url()).await;
        browser.wait_for(".coverage li a").await;
        let places = browser.texts(".coverage li").await;
        assert_eq!(places.len(), 4, "{places:?}");
        assert!(places.iter().any(|p| p.contains("兴隆县") && p.contains("2024")), "{places:?}");
        shot(&browser, "start", width).await;
        browser.click_text(".coverage li a", "兴隆县").await;
        browser.wait_for(".place .year-table tbody tr").await;
        assert_eq!(browser.search_params().await.get("region").map(String::as_str), Some("130822"));
        let place = browser.texts(".place").await.join("");
        assert!(place.contains("2024 年度") && place.contains("兴隆县医疗保障局"), "{place}");
        browser.wait_until("document.title.includes('兴隆县')", "the place's title").await;
        titles.push(title(&browser).await);
        shot(&browser, "place", width).await;

        // Search: 显示更多 goes into the URL; a skip link leads to the results.
        browser.open(&format!("{}?q={}", site.url(), encode("医疗"))).await;
        browser.wait_for(".card").await;
        assert!(browser.eval("!!document.querySelector('a.skip-link[href=\"#results\"]')").await == true);
        if phone {
            // The filters open from a button above the first result.
            let above = browser.eval("document.querySelector('.filter-toggle').getBoundingClientRect().bottom <= document.querySelector('.card').getBoundingClientRect().top").await;
            assert_eq!(above, true, "the 筛选 button stands above the results");
            assert_eq!(browser.eval("document.querySelector('.filters').offsetParent === null").await, true, "filters closed at first");
            browser.click(".filter-toggle").await;
            browser.wait_until("document.querySelector('.filters').offsetParent !== null", "the filters open").await;
            shot(&browser, "filters", width).await;
            assert_eq!(small_targets(&browser).await, serde_json::json!([]), "tap targets on the search page");
            browser.click(".filter-toggle").await;
        } else {
            assert_eq!(browser.eval("document.querySelector('.filter-toggle').offsetParent === null").await, true, "no 筛选 button beside the filters");
        }
        browser.click(".more").await;
        browser.wait_until("new URLSearchParams(location.search).get('n') === '20'", "n=20 in the URL").await;
        browser.wait_until("document.querySelectorAll('.card').length === 20", "20 results").await;
        titles.push(title(&browser).await);
        shot(&browser, "search", width).await;

        // A project: focus on its heading, the query marked and kept in the breadcrumb.
        browser.eval("document.querySelectorAll('.card')[14].scrollIntoView(), 0").await;
        let scrolled = browser.eval("window.scrollY").await.as_f64().unwrap();
        assert!(scrolled > 100.0, "scrolled down to the 15th result");
        browser.eval("document.querySelectorAll('.card .card-title a')[14].click(), 0").await;
        browser.wait_for("article.project h1").await;
        browser.wait_until("document.activeElement && document.activeElement.tagName === 'H1'", "focus on the project's heading").await;
        assert!(browser.search_params().await.get("q").is_some_and(|q| q == "医疗"), "the query stays with the project");
        let crumbs = browser.texts(".crumbs").await.join("");
        assert!(crumbs.contains("“医疗”的检索结果"), "{crumbs}");
        assert!(!browser.texts("article.project mark").await.is_empty(), "the query's terms are marked");
        let name = browser.texts("article.project h1").await.join("");
        assert!(title(&browser).await.starts_with(&name), "{name}");
        titles.push(title(&browser).await);
        // Where the figures come from.
        let publication = browser.texts(".source .publication").await.join("");
        assert!(publication.contains("医疗保障局") || publication.contains("财政局"), "{publication}");
        assert!(publication.contains('《') && publication.contains("年"), "{publication}");
        shot(&browser, "project", width).await;
        // Back: 20 results, where the reader was.
        browser.client.back().await.unwrap();
        browser.wait_until("document.querySelectorAll('.card').length === 20", "20 results after Back").await;
        browser.wait_until(&format!("Math.abs(window.scrollY - {scrolled}) < 60"), "the scroll position restored").await;

        // The overview: one year at a time, the latest first.
        browser.open(&format!("{}?view=overview", site.url())).await;
        browser.wait_for(".chart .bar").await;
        assert!(browser.texts(".overview h1").await.join("").contains("2024 年度"));
        let years: Vec<String> = serde_json::from_value(browser.eval("[...document.querySelectorAll('.year-select option')].map(o => o.value)").await).unwrap();
        assert_eq!(years, ["2024", "2023", "2022"]);
        titles.push(title(&browser).await);
        shot(&browser, "overview", width).await;
        browser.eval("(s => { s.value = '2023'; s.dispatchEvent(new Event('change')); })(document.querySelector('.year-select select')), 0").await;
        browser.wait_until("new URLSearchParams(location.search).get('year') === '2023'", "2023 in the URL").await;
        browser.wait_until("document.querySelector('.overview h1').textContent.includes('2023')", "the 2023 overview").await;
        // 石鼓区's tables print only totals: their money is 未列明来源, not guessed.
        let funds = browser.eval("[...document.querySelectorAll('.chart .bar-link')].map(a => a.getAttribute('aria-label')).join(' ')").await;
        assert!(funds.as_str().unwrap().contains("未列明来源"), "{funds}");

        // Indicators as data: every matching target, kept to one unit, sorted by number.
        browser.open(&format!("{}?view=indicators&q={}&measure={}&order=desc", site.url(), encode("满意度"), encode("%"))).await;
        browser.wait_for(".indicator-list tbody tr").await;
        let rows: Vec<Vec<String>> = serde_json::from_value(
            browser.eval("[...document.querySelectorAll('.indicator-list tbody tr')].map(r => [...r.cells].map(c => c.textContent))").await,
        )
        .unwrap();
        assert!(rows.len() >= 20, "{} satisfaction targets", rows.len());
        assert!(rows.iter().all(|r| r[6].contains("满意") && r[7].contains(['%', '﹪'])), "{rows:?}");
        let numbers: Vec<f64> = rows.iter().map(|r| r[7].chars().filter(|c| c.is_ascii_digit() || *c == '.').collect::<String>().parse().unwrap()).collect();
        assert!(numbers.windows(2).all(|w| w[0] >= w[1]), "sorted by number, largest first: {numbers:?}");
        titles.push(title(&browser).await);
        shot(&browser, "indicators", width).await;

        // Comparison of four projects.
        browser.open(&format!("{}?q={}", site.url(), encode("医疗救助"))).await;
        browser.wait_for(".card").await;
        let ids: Vec<String> = serde_json::from_value(browser.eval("[...document.querySelectorAll('.card')].slice(0, 4).map(c => c.dataset.id)").await).unwrap();
        browser.open(&format!("{}?compare={}", site.url(), ids.join(","))).await;
        browser.wait_for(".compare-table .indicator-row").await;
        // A row is marked only where the values shown differ.
        let wrong = browser
            .eval(
                "[...document.querySelectorAll('.compare-table tbody tr')].filter(r => r.querySelectorAll('td').length > 0).filter(r => {
                   const v = [...r.querySelectorAll('td')].map(c => (c.querySelector('.indicator-value') || c).textContent.trim()).filter(t => t && t !== '—');
                   return r.classList.contains('differs') && new Set(v).size < 2;
                 }).map(r => r.textContent)",
            )
            .await;
        assert_eq!(wrong, serde_json::json!([]), "rows marked different whose values are the same");
        let empty_money = browser.eval("[...document.querySelectorAll('.compare-table tbody tr')].filter(r => r.querySelectorAll('td').length && [...r.querySelectorAll('td')].every(c => !c.textContent.trim())).map(r => r.textContent)").await;
        assert_eq!(empty_money, serde_json::json!([]), "rows with nothing in them");
        if phone {
            let sticky = browser.eval("getComputedStyle(document.querySelector('.compare-table tbody th[scope=row]')).position").await;
            assert_eq!(sticky, "sticky", "labels stay in view");
            assert_eq!(browser.eval("document.documentElement.scrollWidth <= window.innerWidth + 1").await, true, "the page itself does not scroll sideways");
            assert_eq!(small_targets(&browser).await, serde_json::json!([]), "tap targets on the comparison");
        }
        titles.push(title(&browser).await);
        shot(&browser, "compare", width).await;

        let mut distinct = titles.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), titles.len(), "a title per screen: {titles:?}");
        browser.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_original_document_is_one_click_away() {
    let site = Site::start();
    for (width, height) in SCREENS {
        let browser = Browser::at(width, height).await;
        browser.open(&format!("{}?q={}", site.url(), encode("\"2024 年宣传印刷费\""))).await;
        browser.click_text(".card .card-title a", "宣传印刷费").await;
        browser.wait_for(".source a.view").await;
        let publication = browser.texts(".source .publication").await.join("");
        assert!(publication.contains("兴隆县医疗保障局《兴隆县医疗保障局2024年部门预算绩效文本(草案)》（2024 年）"), "{publication}");
        // The indicator table shows no column that is empty for every indicator.
        let empty_columns = browser
            .eval(
                "[...document.querySelectorAll('table.indicators')].flatMap(t => [...t.tHead.rows[0].cells].map((h, k) =>
                   [...t.tBodies[0].rows].every(r => !r.cells[k].textContent.trim()) ? h.textContent : null)).filter(x => x)",
            )
            .await;
        assert_eq!(empty_columns, serde_json::json!([]), "empty columns are hidden");
        // Each target's explanation as printed: 绩效指标描述 and 指标值确定依据.
        let headers = browser.texts("table.indicators thead th").await;
        assert!(headers.iter().any(|h| h == "绩效指标描述") && headers.iter().any(|h| h == "指标值确定依据"), "{headers:?}");
        let rows = browser.texts("table.indicators tbody tr").await;
        assert!(rows.iter().any(|r| r.contains("宣传乡镇数") && r.contains("宣传乡镇数量") && r.contains("行业依据")), "{rows:?}");
        // The file as published is served.
        let copy = browser.eval("document.querySelector('.source a.copy').href").await.as_str().unwrap().to_string();
        assert!(copy.ends_with("sources/002_617d5cc0387f4f3f.txt"), "{copy}");
        let status = browser.eval(&format!("fetch('{copy}').then(r => r.status)")).await;
        assert_eq!(status, 200);
        // The text view highlights this table's rows.
        browser.click(".source a.view").await;
        browser.wait_for("tbody:target").await;
        let table = browser.eval("document.querySelector('tbody:target').title").await;
        assert!(table.as_str().unwrap().contains("宣传印刷费"), "{table}");
        let highlighted = browser.eval("getComputedStyle(document.querySelector('tbody:target td')).backgroundColor").await;
        assert_eq!(highlighted, "rgb(255, 243, 176)", "the table's rows are highlighted");
        assert!(browser.texts("tbody:target").await.join("").contains("宣传乡镇数"));
        shot(&browser, "source", width).await;
        // A form's boxes as printed: 神木市 ticked neither 新增项目 nor 延续项目.
        browser.open(&format!("{}?q={}", site.url(), encode("\"国有破产倒闭企业\""))).await;
        browser.click_text(".card .card-title a", "国有破产倒闭企业").await;
        browser.wait_for(".section-text").await;
        let sections = browser.texts(".section-text").await.join("\n");
        assert!(sections.contains("新增项目 ☐ 延续项目 ☐"), "{sections}");
        browser.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_fifth_project_asks_and_the_choice_survives_a_reload() {
    let site = Site::start();
    for (width, height) in SCREENS {
        let browser = Browser::at(width, height).await;
        browser.open(&format!("{}?q={}", site.url(), encode("医疗"))).await;
        browser.wait_for(".card").await;
        for k in 0..4 {
            browser.eval(&format!("document.querySelectorAll('.card .compare-toggle')[{k}].click(), 0")).await;
        }
        browser.wait_until("document.querySelector('.site-header nav').textContent.includes('对比（4）')", "four chosen").await;
        browser.eval("document.querySelectorAll('.card .compare-toggle')[4].click(), 0").await;
        browser.wait_for(".asking").await;
        assert_eq!(browser.texts(".asking li button").await.len(), 4, "it asks which of the four to replace");
        shot(&browser, "asking", width).await;
        let fifth = browser.eval("document.querySelectorAll('.card')[4].dataset.id").await;
        browser.click(".asking li button").await;
        browser.wait_until("!document.querySelector('.asking')", "the question answered").await;
        // Reloaded, the basket is still there, with the fifth project in it.
        browser.open(&site.url()).await;
        browser.wait_until("document.querySelector('.site-header nav').textContent.includes('对比（4）')", "the basket after a reload").await;
        let link = browser.eval("[...document.querySelectorAll('.site-header nav a')].find(a => a.textContent.includes('对比')).href").await;
        assert!(link.as_str().unwrap().contains(fifth.as_str().unwrap()), "{link} has {fifth}");
        browser.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_page_is_never_blank() {
    // Without the app's wasm: the static page stays, with a working form,
    // what the site covers, links, and after a while a message.
    let copy = TempDir::new("no-wasm");
    copy_dir(&dist(), &copy.0, &|p| p.extension().is_some_and(|e| e == "wasm"));
    let broken = Site::serve(&copy.0);
    for (width, height) in SCREENS {
        let browser = Browser::at(width, height).await;
        browser.open(&broken.url()).await;
        browser.wait_for("#shell form input[name=q]").await;
        assert_eq!(browser.eval("document.querySelector('#shell form').method").await, "get");
        assert_eq!(browser.texts("#shell .coverage li").await.len(), 4);
        assert!(browser.eval("!!document.querySelector('#shell a[href=\"idx/pages/index.html\"]')").await == true);
        browser.wait_until("getComputedStyle(document.querySelector('.shell-late')).visibility === 'visible'", "the message that the app did not load").await;
        assert_eq!(
            browser.eval("getComputedStyle(document.querySelector('.shell-loading')).visibility").await,
            "hidden",
            "no 正在载入 beside the failure"
        );
        shot(&browser, "shell", width).await;
        browser.type_into("#shell-q", "驻村").await;
        browser.eval("document.querySelector('#shell form').submit(), 0").await;
        browser.wait_until("new URLSearchParams(location.search).get('q') === '驻村'", "the form works without the app").await;
        browser.close().await;
    }
    // With the app: the static page is replaced; what was typed is kept.
    let site = Site::start();
    let browser = Browser::start().await;
    browser.open(&site.url()).await;
    browser.wait_for(".card").await;
    assert_eq!(browser.eval("document.getElementById('shell')").await, Value::Null);
    browser.close().await;
    // Without the index: a message for citizens and the static pages.
    let copy = TempDir::new("no-index");
    copy_dir(&dist(), &copy.0, &|p| p.file_name().is_some_and(|n| n == "manifest.bin"));
    let broken = Site::serve(&copy.0);
    for (width, height) in SCREENS {
        let browser = Browser::at(width, height).await;
        browser.open(&broken.url()).await;
        browser.wait_for(".error[role=alert]").await;
        let message = browser.texts(".error").await.join("");
        assert!(message.contains("重试") && message.contains("静态页面") && !message.contains("manifest"), "{message}");
        shot(&browser, "failed", width).await;
        browser.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn sharing_printing_and_the_downloads() {
    let site = Site::start();
    for (width, height) in SCREENS {
        let browser = Browser::at(width, height).await;
        browser.open(&format!("{}?q={}", site.url(), encode("驻村"))).await;
        browser.click_text(".card .card-title a", "驻村干部补助经费").await;
        browser.wait_for(".copy-link").await;
        browser.click(".copy-link").await;
        browser.wait_until("document.querySelector('.copied').textContent.includes('已复制')", "the link copied").await;
        // Print styles leave out the controls of the project and compare screens.
        let print = browser
            .eval("[...document.styleSheets].flatMap(s => [...s.cssRules]).filter(r => r.media && r.media.mediaText === 'print').map(r => r.cssText).join(' ')")
            .await;
        let print = print.as_str().unwrap();
        for hidden in [".actions", ".site-footer", ".add-project", ".compare-table .remove"] {
            assert!(print.contains(hidden), "{width} px: print hides {hidden}: {print}");
        }
        browser.close().await;
    }

    // Static pages carry Open Graph tags and link to the document.
    let browser = Browser::without_javascript().await;
    browser.open(&format!("{}idx/pages/index.html", site.url())).await;
    browser.click_text("li a", "驻村干部补助经费").await;
    browser.wait_for("h1").await;
    let og = browser.eval("document.querySelector('meta[property=\"og:title\"]').content").await;
    assert!(og.as_str().unwrap().contains("驻村干部补助经费"), "{og}");
    let view = browser.eval("document.querySelector('.source a').getAttribute('href')").await;
    assert!(view.as_str().unwrap().starts_with("../sources/") && view.as_str().unwrap().contains(".html#L"), "{view}");
    browser.close().await;

    // Downloads: the indicators with the site's headers, the database.
    let download = dist().join("idx/download");
    let indicators = std::fs::read_to_string(download.join("jixiao-indicators.csv")).unwrap();
    let header = indicators.trim_start_matches('\u{feff}').lines().next().unwrap();
    assert!(header.starts_with("项目名称,地区,行政区划代码,年度,一级指标,二级指标,三级指标,指标值"), "{header}");
    assert!(indicators.lines().count() > 300);
    let database = std::fs::read(download.join("jixiao.sqlite")).unwrap();
    assert!(database.starts_with(b"SQLite format 3\0"));
    let package: Value = serde_json::from_str(&std::fs::read_to_string(download.join("datapackage.json")).unwrap()).unwrap();
    let tables: Vec<&str> = package["resources"].as_array().unwrap().iter().filter_map(|r| r["tables"].as_array()).flatten().filter_map(|t| t["name"].as_str()).collect();
    assert_eq!(tables, ["records", "corrections", "doubts", "indicators", "evaluations", "documents", "printings"]);
}
