//! Small pieces every screen uses: amounts, fund-source badges, the money
//! bar, highlighted text, links that navigate inside the app.

use jixiao_core::format::yuan_zh;
use jixiao_core::model::{FundSource, FundSourceTag, Money};
use jixiao_core::search::snippet::Segment;
use leptos::prelude::*;

use crate::context::{share_url, AppContext};
use crate::url_state::UrlState;

pub fn amount_text(yuan: Option<i64>) -> String {
    yuan.map(yuan_zh).unwrap_or_else(|| "金额未列明".into())
}

/// Badges for the fund sources; inferred ones say so. Nothing at all when
/// the table names no source: an empty row would leave a gap in the card.
#[component]
pub fn FundBadges(tags: Vec<FundSourceTag>) -> impl IntoView {
    (!tags.is_empty()).then(|| {
        view! {
            <span class="badges">
                {tags.into_iter().map(|t| {
                    let class = format!("badge fund-{}{}", t.source.key(), if t.inferred { " inferred" } else { "" });
                    let title = if t.inferred { "资金来源据项目名称推断" } else { "资金来源见原表" };
                    let text = if t.inferred { format!("{}（推断）", t.source.label_zh()) } else { t.source.label_zh().to_string() };
                    view! { <span class=class title=title>{text}</span> }
                }).collect_view()}
            </span>
        }
    })
}

/// Text with the query's terms marked, when there is a query.
#[component]
pub fn Marked(text: String, query: Option<jixiao_core::search::Query>) -> impl IntoView {
    match query {
        Some(q) => view! { <Highlighted segments=jixiao_core::search::snippet::highlight(&text, &q)/> }.into_any(),
        None => text.into_any(),
    }
}

/// A button copying the address of this screen, to share it.
#[component]
pub fn CopyLink() -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let copied = RwSignal::new(false);
    let copy = move |_| {
        let url = share_url(&ctx.url.get_untracked());
        let clipboard = web_sys::window().and_then(|w| js_sys::Reflect::get(&w.navigator(), &"clipboard".into()).ok());
        let write = clipboard.as_ref().and_then(|c| js_sys::Reflect::get(c, &"writeText".into()).ok());
        if let (Some(c), Some(f)) = (clipboard, write) {
            let _ = wasm_bindgen::JsCast::unchecked_ref::<js_sys::Function>(&f).call1(&c, &url.into());
            copied.set(true);
        }
    };
    view! {
        <button type="button" class="secondary copy-link" on:click=copy>"复制链接"</button>
        <span class="copied" role="status">{move || copied.get().then_some("已复制本页链接")}</span>
    }
}

/// Text with the matched parts marked (rendered as text nodes, never HTML).
#[component]
pub fn Highlighted(segments: Vec<Segment>) -> impl IntoView {
    segments
        .into_iter()
        .map(|seg| if seg.hit { view! { <mark>{seg.text}</mark> }.into_any() } else { view! { <span>{seg.text}</span> }.into_any() })
        .collect_view()
}

/// The annual money split by source, as a stacked bar with a legend.
#[component]
pub fn MoneyBar(money: Money) -> impl IntoView {
    let parts: Vec<(FundSource, i64)> =
        FundSource::ALL.into_iter().filter_map(|s| money.by_source(s).filter(|&v| v > 0).map(|v| (s, v))).collect();
    let sum: i64 = parts.iter().map(|p| p.1).sum();
    if sum == 0 {
        return view! { <p class="muted">"原表未按来源列出金额。"</p> }.into_any();
    }
    // Per-mille widths in a 1000-wide box: integers, no float formatting.
    let mut offset = 0i64;
    let rects = parts
        .iter()
        .map(|&(source, value)| {
            let width = (value as i128 * 1000 / sum as i128) as i64;
            let x = offset;
            offset += width;
            view! { <rect class=format!("fund-{}", source.key()) x=x.to_string() y="0" width=width.to_string() height="10"/> }
        })
        .collect_view();
    view! {
        <div class="money-bar">
            <svg viewBox="0 0 1000 10" preserveAspectRatio="none" role="img" aria-label="按资金来源的金额构成">{rects}</svg>
            <ul class="legend">
                {parts.into_iter().map(|(source, value)| view! {
                    <li><span class=format!("swatch fund-{}", source.key())></span>{format!("{} {}", source.label_zh(), yuan_zh(value))}</li>
                }).collect_view()}
            </ul>
        </div>
    }
    .into_any()
}

/// A link to another state of the app: a real `href` (open in a new tab,
/// copy the link) that navigates in place on a plain click.
#[component]
pub fn AppLink(state: UrlState, children: Children, #[prop(optional, into)] class: String) -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let href = link_href(&state);
    let on_click = move |ev: leptos::ev::MouseEvent| {
        if ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.button() != 0 {
            return;
        }
        ev.prevent_default();
        ctx.navigate(state.clone());
        scroll_to_top();
    };
    view! { <a href=href class=class on:click=on_click>{children()}</a> }
}

/// The href of a state: its query string, or `./` for the start page.
pub fn link_href(state: &UrlState) -> String {
    let query = state.to_query();
    if query.is_empty() {
        "./".into()
    } else {
        query
    }
}

pub fn scroll_to_top() {
    if let Some(w) = web_sys::window() {
        w.scroll_to_with_x_and_y(0.0, 0.0);
    }
}
