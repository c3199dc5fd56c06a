//! The search screen: a search box that searches as you type, sorting, the
//! filter panel (behind a 筛选 button on phones), result cards, more
//! results on demand (their number in the URL), CSV export. With no query:
//! what the site covers, or the page of the place the URL names.

use std::time::Duration;

use jixiao_core::index::docs::DocSummary;
use jixiao_core::search::engine::FacetCounts;
use jixiao_core::search::Facet;
use jixiao_core::search::snippet::{snippet, Segment};
use jixiao_core::search::{Hit, Query, Sort};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::context::{AppContext, LoadState};
use crate::download::{download_text, results_csv};
use crate::facets::FilterPanel;
use crate::fetch::FetchError;
use crate::overview::{Coverage, PlaceSummary};
use crate::url_state::{Screen, UrlState};
use crate::widgets::{amount_text, AppLink, CopyLink, FundBadges, Highlighted};

/// Results shown at first, and added by "显示更多".
pub const PAGE: usize = 10;
/// Pause after the last keystroke before searching.
const DEBOUNCE: Duration = Duration::from_millis(150);
/// Most rows a CSV export holds.
const EXPORT_LIMIT: usize = 10_000;

/// One result card, ready to render.
#[derive(Clone, Debug, PartialEq)]
pub struct Card {
    pub summary: DocSummary,
    pub snippet: Vec<Segment>,
    /// The project matches the query only in part.
    pub partial: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Found {
    pub query: Query,
    /// Every matching document, in order.
    pub docs: Vec<u32>,
    pub cards: Vec<Card>,
    /// How many of `docs` match the query in full (the rest match in part).
    pub full: usize,
    pub partial: bool,
    pub notes: Vec<String>,
    pub facets: FacetCounts,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Results {
    Searching,
    Done(Box<Found>),
}

/// Cards of the first results, each marked partial as its hit is (under
/// any sort: sorted by amount or year, partial and full matches mix).
fn make_cards(summaries: Vec<DocSummary>, hits: &[Hit], query: &Query) -> Vec<Card> {
    summaries
        .into_iter()
        .zip(hits)
        .map(|(summary, hit)| {
            // Snippets from indicators, then body text.
            let texts: Vec<&str> = [2, 3].iter().filter_map(|&f| summary.fields.get(f).map(String::as_str)).collect();
            let snippet = snippet(&texts, query).unwrap_or_default();
            Card { summary, snippet, partial: !hit.full }
        })
        .collect()
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let text = RwSignal::new(ctx.url.get_untracked().q);
    let results = RwSignal::new(Results::Searching);
    // Each search gets a number; a slower, older search never overwrites a newer one.
    let generation = StoredValue::new(0u64);

    // Typing: update the URL (without a history entry) after a short pause.
    let pending = StoredValue::new(0u64);
    let on_input = move |value: String| {
        text.set(value);
        let ticket = pending.get_value() + 1;
        pending.set_value(ticket);
        set_timeout(
            move || {
                if pending.get_value() == ticket {
                    let mut state = ctx.url.get_untracked();
                    state.q = text.get_untracked();
                    ctx.replace(state);
                }
            },
            DEBOUNCE,
        );
    };

    // Search whenever the URL's query, filters or sort change.
    Effect::new(move |_| {
        let state = ctx.url.get();
        if state.screen != Screen::Search {
            return;
        }
        if text.get_untracked() != state.q {
            text.set(state.q.clone());
        }
        if ctx.load.get() != LoadState::Ready {
            return;
        }
        let Some(store) = ctx.store() else { return };
        let ticket = generation.get_value() + 1;
        generation.set_value(ticket);
        spawn_local(async move {
            let outcome = async {
                let (query, found) = store.search(&state.q, &state.filters, state.sort).await?;
                let docs: Vec<u32> = found.hits.iter().map(|h| h.doc).collect();
                let full = found.hits.iter().filter(|h| h.full).count();
                let summaries = store.summaries(&docs[..docs.len().min(state.shown.max(PAGE))]).await?;
                Ok::<_, FetchError>(Found {
                    cards: make_cards(summaries, &found.hits, &query),
                    full,
                    query,
                    docs,
                    partial: found.partial,
                    notes: found.notes,
                    facets: found.facets,
                })
            }
            .await;
            if generation.get_value() != ticket {
                return;
            }
            match outcome {
                Ok(found) => {
                    let place = state.filters.region.as_ref().and_then(|code| found.facets.label(Facet::Region, code));
                    let title = match place {
                        _ if !state.q.is_empty() => format!("“{}”的检索结果", state.q),
                        Some(name) => name.to_string(),
                        None => String::new(),
                    };
                    results.set(Results::Done(Box::new(found)));
                    ctx.ready(&title);
                }
                Err(e) => ctx.fail(e),
            }
        });
    });

    // "显示更多": one more page, its number kept in the URL (Back returns to it).
    let more = move |_| {
        let mut state = ctx.url.get_untracked();
        state.shown = state.shown.max(PAGE) + PAGE;
        ctx.replace(state);
    };
    let filters_open = RwSignal::new(false);

    // CSV of every result (not only the cards shown).
    let export = move |_| {
        let Results::Done(found) = results.get_untracked() else { return };
        let Some(store) = ctx.store() else { return };
        spawn_local(async move {
            let docs = &found.docs[..found.docs.len().min(EXPORT_LIMIT)];
            match store.summaries(docs).await {
                Ok(summaries) => download_text("检索结果.csv", "text/csv;charset=utf-8", &results_csv(&summaries)),
                Err(e) => ctx.fail(e),
            }
        });
    };

    let set_sort = move |value: String| {
        let mut state = ctx.url.get_untracked();
        state.sort = Sort::from_key(&value).unwrap_or_default();
        ctx.navigate(state);
    };

    let indicators_link = move || UrlState { screen: Screen::Indicators, shown: 0, ..ctx.url.get() };
    view! {
        <div class="search-page">
            <h1 class="visually-hidden">"检索绩效目标"</h1>
            <form class="search-box" role="search" on:submit=move |ev| ev.prevent_default()>
                <label for="q" class="visually-hidden">"检索项目"</label>
                <input
                    id="q"
                    name="q"
                    type="search"
                    autocomplete="off"
                    enterkeyhint="search"
                    placeholder="输入关键词，如：驻村、医疗救助、DIP、兴隆县 专项检查"
                    prop:value=move || text.get()
                    on:input:target=move |ev| on_input(ev.target().value())
                />
            </form>
            <a class="skip-link" href="#results">"跳到检索结果"</a>
            <p class="hint">"多个词用空格分隔（须同时包含）；用引号检索整个词组，如 \"医疗救助\"；在词前加减号排除，如 -培训。"</p>
            {move || {
                let state = ctx.url.get();
                let start = state.q.is_empty() && state.filters == Default::default();
                let place = state.filters.region.clone().filter(|_| state.q.is_empty());
                match (start, place) {
                    (true, _) => Some(view! { <Coverage/> }.into_any()),
                    (false, Some(code)) => Some(view! { <PlaceSummary code/> }.into_any()),
                    _ => None,
                }
            }}
            {move || match results.get() {
                Results::Searching => view! { <p class="status" role="status">{move || if ctx.load.get() == LoadState::Ready { "正在检索…" } else { "正在加载检索数据…" }}</p> }.into_any(),
                Results::Done(found) => {
                    let total = found.docs.len();
                    let shown = found.cards.len();
                    let sort = ctx.url.with_untracked(|u| u.sort);
                    view! {
                        <button type="button" class="filter-toggle secondary" aria-controls="filters"
                            aria-expanded=move || filters_open.get().to_string()
                            on:click=move |_| filters_open.update(|o| *o = !*o)>
                            {move || if filters_open.get() { "收起筛选" } else { "筛选" }}
                        </button>
                        <div class="search-layout">
                            <div id="filters" class="filters-wrap" class:open=move || filters_open.get()>
                                <FilterPanel facets=found.facets.clone()/>
                            </div>
                            <section id="results" class="results" aria-label="检索结果" tabindex="-1">
                                <div class="results-bar">
                                    <p class="count" role="status" aria-live="polite">
                                        {match total - found.full {
                                            _ if total == 0 => "没有结果".to_string(),
                                            _ if found.partial => format!("{total} 个部分匹配的结果"),
                                            0 => format!("共 {total} 个结果"),
                                            partial => format!("共 {total} 个结果，其中 {partial} 个部分匹配"),
                                        }}
                                    </p>
                                    <label class="sort">"排序"
                                        <select on:change:target=move |ev| set_sort(ev.target().value())>
                                            <option value="relevance" selected=sort == Sort::Relevance>"相关度"</option>
                                            <option value="amount" selected=sort == Sort::Amount>"金额（从高到低）"</option>
                                            <option value="year" selected=sort == Sort::Year>"年度（从新到旧）"</option>
                                        </select>
                                    </label>
                                    {(total > 0).then(|| view! {
                                        <button type="button" class="secondary export" on:click=export>"导出结果（CSV）"</button>
                                        <AppLink class="button-link secondary indicators-link" state=indicators_link()>"列出匹配的绩效指标"</AppLink>
                                    })}
                                    <CopyLink/>
                                </div>
                                {found.notes.iter().map(|n| view! { <p class="note">{n.clone()}</p> }).collect_view()}
                                {(total == 0).then(|| view! {
                                    <p class="no-results">"没有找到相关项目。请换个关键词，或减少筛选条件。"</p>
                                })}
                                <ol class="cards">
                                    {found.cards.iter().cloned().map(|card| view! { <ResultCard card/> }).collect_view()}
                                </ol>
                                {(shown < total).then(|| view! {
                                    <button type="button" class="secondary more" on:click=more>
                                        {format!("显示更多（已显示 {shown} / {total}）")}
                                    </button>
                                })}
                            </section>
                        </div>
                    }.into_any()
                }
            }}
        </div>
    }
}

#[component]
fn ResultCard(card: Card) -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let s = card.summary;
    let id = s.id.clone();
    let year = s.year.map(|y| format!("{y} 年度")).unwrap_or_default();
    let project = UrlState { screen: Screen::Project(s.id.clone()), q: ctx.url.with_untracked(|u| u.q.clone()), ..Default::default() };
    let chosen = StoredValue::new((id.clone(), s.name.clone()));
    let in_basket = move || chosen.with_value(|(id, _)| ctx.in_basket(id));
    let toggle = move |_| chosen.with_value(|(id, name)| ctx.toggle_basket(id, name));
    view! {
        <li class="card" data-id=id>
            <h3 class="card-title"><AppLink state=project>{s.name.clone()}</AppLink></h3>
            <p class="card-meta">
                <span class="region">{s.region.short_name().to_string()}</span>
                " · "<span class="department">{s.department.clone().unwrap_or_default()}</span>
                " · "<span class="year">{year}</span>
                " · "<span class="amount">{amount_text(s.total_yuan)}</span>
                {(s.kind != jixiao_core::model::Kind::Project).then(|| view! { " · " <span class="kind">{s.kind.label_zh()}</span> })}
                {card.partial.then(|| view! { " · " <span class="partial-match" title="只包含部分检索词">"部分匹配"</span> })}
                {s.unsure.then(|| view! { " · " <span class="to-check" title="读取可信度低，请对照原表">"需核对"</span> })}
            </p>
            {s.outcome.map(|o| view! { <p class=format!("outcome outcome-{}", o.key())>{format!("自评：{}", o.label_zh())}</p> })}
            <FundBadges tags=s.fund_sources.clone()/>
            <p class="snippet"><Highlighted segments=card.snippet/></p>
            <button type="button" class="link-button compare-toggle" aria-pressed=move || in_basket().to_string() on:click=toggle>
                {move || if in_basket() { "✓ 已加入对比" } else { "＋ 加入对比" }}
            </button>
        </li>
    }
}
