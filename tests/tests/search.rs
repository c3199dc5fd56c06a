//! Searching in the browser: typing Chinese text lists the matching projects.

use jixiao_e2e::{encode, Browser, Site};

/// Names of the result cards on the page.
async fn result_names(browser: &Browser) -> Vec<String> {
    browser.texts(".card .card-title").await
}

#[tokio::test(flavor = "multi_thread")]
async fn typing_zhucun_lists_the_three_village_cadre_projects() {
    let site = Site::start();
    let browser = Browser::start().await;
    browser.open(&site.url()).await;
    browser.type_into("#q", "驻村").await;
    browser.wait_until("new URLSearchParams(location.search).get('q') === '驻村'", "the query to reach the URL").await;
    browser
        .wait_until(
            "['驻村干部补助经费', '驻村帮扶干部补助经费', '驻村第一书记、干部和工作队经费'].every(n => [...document.querySelectorAll('.card .card-title')].some(e => e.textContent === n))",
            "the three village-cadre projects",
        )
        .await;
    // Names and regions read in one go, from the same rendering.
    let cards = browser.eval("[...document.querySelectorAll('.card')].map(c => [c.querySelector('.card-title').textContent, c.querySelector('.region').textContent])").await;
    let (names, regions): (Vec<String>, Vec<String>) =
        serde_json::from_value::<Vec<(String, String)>>(cards).unwrap().into_iter().unzip();
    for (name, region) in [("驻村干部补助经费", "忻州市"), ("驻村帮扶干部补助经费", "忻州市"), ("驻村第一书记、干部和工作队经费", "神木市")] {
        let i = names.iter().position(|n| n == name).unwrap_or_else(|| panic!("{name} not listed in {names:?}"));
        assert_eq!(regions[i], region, "{name}");
        assert!(i < 5, "{name} ranks {i}");
    }
    // Typing on after the results arrived: the box keeps focus and text.
    browser.client.find(fantoccini::Locator::Css("#q")).await.unwrap().send_keys(" 经费").await.unwrap();
    browser.wait_until("new URLSearchParams(location.search).get('q') === '驻村 经费'", "the longer query in the URL").await;
    assert_eq!(browser.eval("document.activeElement && document.activeElement.id").await, "q");
    assert_eq!(browser.eval("document.querySelector('#q').value").await, "驻村 经费");
    // The matched text is highlighted.
    assert!(browser.texts(".card mark").await.iter().any(|m| m.contains("驻村")));
    browser.screenshot("search-zhucun").await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_query_without_match_says_so() {
    let site = Site::start();
    let browser = Browser::start().await;
    browser.open(&site.url()).await;
    browser.type_into("#q", "航天飞机发射").await;
    browser.wait_for(".no-results").await;
    let message = browser.texts(".no-results").await.join("");
    assert!(message.contains("没有找到"), "{message}");
    assert!(result_names(&browser).await.is_empty());
    browser.screenshot("search-no-results").await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_place_the_site_does_not_cover_says_so() {
    let site = Site::start();
    for (width, height) in jixiao_e2e::SCREENS {
        let browser = Browser::at(width, height).await;
        browser.open(&format!("{}?q={}", site.url(), jixiao_e2e::encode("广州 医疗救助"))).await;
        browser.wait_for(".card").await;
        let notes = browser.texts(".note").await.join(" ");
        assert!(notes.contains("本站尚未收录“广州”的绩效目标表"), "{notes}");
        // Other places' projects follow, said to be such: none is called local.
        let names = result_names(&browser).await;
        assert!(names.iter().any(|n| n.contains("医疗救助")), "{names:?}");
        browser.screenshot(&format!("search-place-not-covered-{width}")).await;
        browser.close().await;
    }
}

/// Titles of the cards shown, each with whether it is marked as a partial match.
async fn cards_marked_partial(browser: &Browser) -> Vec<(String, bool)> {
    let cards = browser.eval("[...document.querySelectorAll('.card')].map(c => [c.querySelector('.card-title').textContent, !!c.querySelector('.partial-match')])").await;
    serde_json::from_value(cards).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_query_matched_in_part_lists_its_projects_marked_as_partial() {
    let site = Site::start();
    let browser = Browser::start().await;
    // No project holds 意外伤害调研; one holds 意外伤害 (认定调查): a part of it.
    // (意外伤害调查 is a full match of that name: it holds both words.)
    browser.open(&format!("{}?q={}", site.url(), encode("意外伤害调研"))).await;
    browser.wait_for(".card").await;
    let count = browser.texts(".count").await.join("");
    assert!(count.contains("部分匹配"), "{count}");
    let cards = cards_marked_partial(&browser).await;
    assert_eq!(cards.first(), Some(&("2024 年居民医保意外伤害认定调查外包服务费".to_string(), true)), "{cards:?}");
    browser.open(&format!("{}?q={}", site.url(), encode("意外伤害调查"))).await;
    browser.wait_for(".card").await;
    let cards = cards_marked_partial(&browser).await;
    assert_eq!(cards.first(), Some(&("2024 年居民医保意外伤害认定调查外包服务费".to_string(), false)), "{cards:?}");
    // Few full matches: partial ones follow them, marked, never before them.
    browser.open(&format!("{}?q={}", site.url(), encode("成本控制"))).await;
    browser.wait_for(".card").await;
    let count = browser.texts(".count").await.join("");
    assert!(count.contains("其中") && count.contains("部分匹配"), "{count}");
    let marks: Vec<bool> = cards_marked_partial(&browser).await.into_iter().map(|(_, partial)| partial).collect();
    let first_partial = marks.iter().position(|&p| p).expect("a partial match on the first page");
    assert!(first_partial > 0 && marks[first_partial..].iter().all(|&p| p), "{marks:?}");
    browser.screenshot("search-partial").await;
    // Sorted by amount, full and partial matches mix: each card keeps its own mark.
    let every = |sort: &str| format!("{}?q={}&sort={sort}&n=100", site.url(), encode("成本控制"));
    browser.open(&every("relevance")).await;
    browser.wait_for(".card").await;
    let mut by_relevance = cards_marked_partial(&browser).await;
    browser.open(&every("amount")).await;
    browser.wait_for(".card").await;
    let by_amount = cards_marked_partial(&browser).await;
    let marks: Vec<bool> = by_amount.iter().map(|(_, partial)| *partial).collect();
    assert!(marks.windows(2).any(|w| w[0] && !w[1]), "a full match after a partial one, sorted by amount: {by_amount:?}");
    let mut by_amount = by_amount;
    by_relevance.sort();
    by_amount.sort();
    assert_eq!(by_amount, by_relevance, "the same cards, marked the same, in another order");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn cards_show_the_fund_sources_the_table_names_and_no_empty_badge_row() {
    let site = Site::start();
    let browser = Browser::start().await;
    browser.open(&format!("{}?q={}", site.url(), encode("医疗救助"))).await;
    browser.wait_for(".card").await;
    let cards = browser
        .eval("[...document.querySelectorAll('.card')].map(c => [c.querySelector('.card-title').textContent, [...c.querySelectorAll('.badges')].map(b => b.textContent)])")
        .await;
    let cards: Vec<(String, Vec<String>)> = serde_json::from_value(cards).unwrap();
    let badges_of = |name: &str| cards.iter().find(|(n, _)| n == name).map(|(_, b)| b.clone()).unwrap_or_else(|| panic!("{name} not listed in {cards:?}"));
    // 兴隆县 prints 财政资金 without a level; 石鼓区 prints only the total.
    assert_eq!(badges_of("2024年城乡医疗救助贫困人口参保资助"), ["财政未分级"]);
    assert_eq!(badges_of("城乡医疗救助资金"), Vec::<String>::new(), "a table naming no source gets no badge row");
    browser.close().await;
}
