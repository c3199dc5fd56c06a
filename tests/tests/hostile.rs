//! Document text is data, never markup. A table whose cells hold
//! `<script>alert(1)</script>` and `<img src=x onerror=alert(1)>`
//! (`indexer/tests/hostile/script_cell.txt`) is indexed next to the real
//! documents; the app's search results, project page and the static
//! project page show those strings literally: no dialog opens, no script or
//! image element is added, and the page's Content-Security-Policy is there
//! as a second wall.

use std::path::Path;

use jixiao_e2e::{copy_dir, encode, root, Browser, Site, TempDir};
use serde_json::Value;

const HOSTILE: &str = "script_cell.txt";

/// A site: the built app, with an index of `data/` plus the hostile document.
fn site_with_hostile_document() -> TempDir {
    let dir = TempDir::new("hostile-site");
    let data = dir.0.join("data");
    copy_dir(&root().join("data"), &data, &|_| false);
    std::fs::copy(root().join("indexer/tests/hostile").join(HOSTILE), data.join(HOSTILE)).expect("the hostile fixture");
    let mut sources = std::fs::read_to_string(data.join("sources.toml")).unwrap();
    sources.push_str(&format!("\n[[document]]\nfile = \"{HOSTILE}\"\nyear = 2024\ncontains = \"markup in cells (browser test)\"\n"));
    std::fs::write(data.join("sources.toml"), sources).unwrap();

    let site = dir.0.join("site");
    copy_dir(&jixiao_e2e::dist(), &site, &|p| p.file_name().is_some_and(|n| n == "idx"));
    jixiao_indexer::build::run(&data, &site.join("idx"), false).expect("the index builds with a hostile document in data/");
    dir
}

/// The hostile record, as the site's own download lists it.
fn hostile_record(site: &Path) -> Value {
    let records: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(site.join("idx/download/jixiao-records.json")).unwrap()).unwrap();
    records
        .into_iter()
        .find(|r| r["sources"].to_string().contains(HOSTILE) && r["name"].as_str().is_some_and(|n| n.contains("<script>")))
        .expect("the table with markup in its name was extracted, its name kept literally")
}

/// Nothing of the document's text became markup or ran.
async fn assert_nothing_ran(browser: &Browser, where_: &str) {
    assert!(browser.client.get_alert_text().await.is_err(), "{where_}: an alert dialog is open: a script from the data ran");
    let injected = browser
        .eval(
            "[...document.scripts].filter(s => s.textContent.includes('alert(1)')).length
             + document.querySelectorAll('img[onerror], img[src=\"x\"], [onerror]').length",
        )
        .await;
    assert_eq!(injected, 0, "{where_}: an element from the data's markup is in the page");
    let text = browser.eval("document.body.innerText").await;
    let text = text.as_str().unwrap_or_default();
    assert!(text.contains("<script>alert(1)</script>"), "{where_}: the script text is not shown literally:\n{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn markup_in_a_document_is_shown_as_text_and_never_runs() {
    let dir = site_with_hostile_document();
    let site_dir = dir.0.join("site");
    let record = hostile_record(&site_dir);
    let id = record["id"].as_str().unwrap();
    let site = Site::serve(&site_dir);
    let browser = Browser::start().await;

    // The page carries a policy that allows no inline code but its loader.
    browser.open(&site.url()).await;
    browser.wait_for(".card").await;
    let policy = browser.eval("document.querySelector('meta[http-equiv=Content-Security-Policy]')?.content ?? ''").await;
    let policy = policy.as_str().unwrap_or_default();
    assert!(policy.contains("default-src 'none'") && policy.contains("script-src 'self' 'sha256-"), "{policy}");
    assert!(!policy.contains("unsafe-inline"), "{policy}");

    // Search results: the name is a card title, the indicator a snippet.
    browser.open(&format!("{}?q={}", site.url(), encode("alert"))).await;
    browser.wait_for(".card").await;
    let titles = browser.texts(".card").await.join("\n");
    assert!(titles.contains("<script>alert(1)</script>"), "the hostile project is found and its name shown literally:\n{titles}");
    assert_nothing_ran(&browser, "search results").await;

    // The project page shows every field, indicators included.
    browser.open(&format!("{}?project={}", site.url(), encode(id))).await;
    browser.wait_for("h1, h2").await;
    browser.wait_until("document.body.innerText.includes('onerror=alert(1)')", "the indicator with an <img> in it, as text").await;
    assert_nothing_ran(&browser, "project page").await;

    // The static page of the project, for readers without JavaScript.
    let page = std::fs::read_to_string(site_dir.join(format!("idx/pages/{id}.html"))).expect("the project's static page");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !page.contains("<script>alert"), "the static page escapes the name");
    let relative = format!("idx/pages/{id}.html");
    browser.open(&format!("{}{relative}", site.url())).await;
    browser.wait_for("h1").await;
    assert_nothing_ran(&browser, "static project page").await;
    browser.screenshot("hostile-document").await;
    browser.close().await;
}
