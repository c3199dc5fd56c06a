//! The search screen: a search box that searches as you type, sorting, the
//! filter panel, result cards, more results on demand, CSV export.

use std::time::Duration;

use jixiao_core::index::docs::DocSummary;
use jixiao_core::search::engine::FacetCounts;
use jixiao_core::search::snippet::{snippet, Segment};
use jixiao_core::search::{Query, Sort};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::AppContext;
use crate::download::{download_text, results_csv};
use crate::facets::FilterPanel;
use crate::fetch::FetchError;
use crate::url_state::{Screen, UrlState};
use crate::widgets::{amount_text, AppLink, FundBadges, Highlighted};

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
    /// How many of `docs`, from the first, match the query in full (the
    /// rest match in part).
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

/// Cards of the results from the `first`-th on; the first `full` results
/// match in full.
fn make_cards(summaries: Vec<DocSummary>, query: &Query, first: usize, full: usize) -> Vec<Card> {
    summaries
        .into_iter()
        .enumerate()
        .map(|(i, summary)| {
            // Snippets from indicators, then body text.
            let texts: Vec<&str> = [2, 3].iter().filter_map(|&f| summary.fields.get(f).map(String::as_str)).collect();
            let snippet = snippet(&texts, query).unwrap_or_default();
            Card { summary, snippet, partial: first + i >= full }
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
        let Some(store) = ctx.store() else { return };
        let ticket = generation.get_value() + 1;
        generation.set_value(ticket);
        spawn_local(async move {
            let outcome = async {
                let (query, found) = store.search(&state.q, &state.filters, state.sort).await?;
                let docs: Vec<u32> = found.hits.iter().map(|h| h.doc).collect();
                let full = found.hits.iter().take_while(|h| h.full).count();
                let summaries = store.summaries(&docs[..docs.len().min(PAGE)]).await?;
                Ok::<_, FetchError>(Found {
                    cards: make_cards(summaries, &query, 0, full),
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
                Ok(found) => results.set(Results::Done(Box::new(found))),
                Err(e) => ctx.fail(e),
            }
        });
    });

    // "显示更多": fetch the next page's summaries.
    let more = move |_| {
        let Results::Done(found) = results.get_untracked() else { return };
        let Some(store) = ctx.store() else { return };
        let ticket = generation.get_value();
        spawn_local(async move {
            let start = found.cards.len();
            let end = (start + PAGE).min(found.docs.len());
            match store.summaries(&found.docs[start..end]).await {
                Ok(summaries) if generation.get_value() == ticket => {
                    let mut next = found.clone();
                    next.cards.extend(make_cards(summaries, &found.query, start, found.full));
                    results.set(Results::Done(next));
                }
                Ok(_) => {}
                Err(e) => ctx.fail(e),
            }
        });
    };

    // CSV of every result (not only the cards shown).
    let export = move |_| {
        let Results::Done(found) = results.get_untracked() else { return };
        let Some(store) = ctx.store() else { return };
        spawn_local(async move {
            let docs = &found.docs[..found.docs.len().min(EXPORT_LIMIT)];
            match store.summaries(docs).await {
                Ok(summaries) => download_text("jixiao-search-results.csv", "text/csv;charset=utf-8", &results_csv(&summaries)),
                Err(e) => ctx.fail(e),
            }
        });
    };

    let set_sort = move |value: String| {
        let mut state = ctx.url.get_untracked();
        state.sort = Sort::from_key(&value).unwrap_or_default();
        ctx.navigate(state);
    };

    view! {
        <div class="search-page">
            <form class="search-box" role="search" on:submit=move |ev| ev.prevent_default()>
                <label for="q" class="visually-hidden">"检索项目"</label>
                <input
                    id="q"
                    type="search"
                    autocomplete="off"
                    enterkeyhint="search"
                    placeholder="输入关键词，如：驻村、医疗救助、DIP、兴隆县 专项检查"
                    prop:value=move || text.get()
                    on:input:target=move |ev| on_input(ev.target().value())
                />
            </form>
            <p class="hint">"多个词用空格分隔（须同时包含）；用引号检索整个词组，如 \"医疗救助\"；在词前加减号排除，如 -培训。"</p>
            {move || match results.get() {
                Results::Searching => view! { <p class="status" role="status">"正在检索…"</p> }.into_any(),
                Results::Done(found) => {
                    let total = found.docs.len();
                    let shown = found.cards.len();
                    let sort = ctx.url.with_untracked(|u| u.sort);
                    view! {
                        <div class="search-layout">
                            <FilterPanel facets=found.facets.clone()/>
                            <section class="results" aria-label="检索结果">
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
                                    })}
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
    let project = UrlState { screen: Screen::Project(s.id.clone()), ..Default::default() };
    let id_value = StoredValue::new(id.clone());
    let in_basket = move || ctx.basket.with(|b| id_value.with_value(|id| b.contains(id)));
    let toggle = {
        let id = id.clone();
        move |_| ctx.toggle_basket(&id)
    };
    view! {
        <li class="card" data-id=id>
            <h3 class="card-title"><AppLink state=project>{s.name.clone()}</AppLink></h3>
            <p class="card-meta">
                <span class="region">{s.region.short_name().to_string()}</span>
                " · "<span class="department">{s.department.clone().unwrap_or_default()}</span>
                " · "<span class="year">{year}</span>
                " · "<span class="amount">{amount_text(s.total_yuan)}</span>
                {(s.kind == jixiao_core::model::Kind::Department).then(|| view! { " · " <span class="kind">"部门整体"</span> })}
                {card.partial.then(|| view! { " · " <span class="partial-match" title="只包含部分检索词">"部分匹配"</span> })}
            </p>
            <FundBadges tags=s.fund_sources.clone()/>
            <p class="snippet"><Highlighted segments=card.snippet/></p>
            <button type="button" class="link-button compare-toggle" aria-pressed=move || in_basket().to_string() on:click=toggle>
                {move || if in_basket() { "✓ 已加入对比" } else { "＋ 加入对比" }}
            </button>
        </li>
    }
}
