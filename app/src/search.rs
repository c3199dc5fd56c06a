//! The search screen: a search box that searches as you type, and the list
//! of matching projects.

use std::time::Duration;

use jixiao_core::format::yuan_zh;
use jixiao_core::index::docs::DocSummary;
use jixiao_core::search::snippet::{snippet, Segment};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::AppContext;

/// Results shown per page.
pub const PAGE: usize = 20;
/// Pause after the last keystroke before searching.
const DEBOUNCE: Duration = Duration::from_millis(150);

/// One result card, ready to render.
#[derive(Clone, Debug, PartialEq)]
pub struct Card {
    pub summary: DocSummary,
    pub snippet: Vec<Segment>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Results {
    Searching,
    Done { cards: Vec<Card>, total: usize, partial: bool, notes: Vec<String> },
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
        if text.get_untracked() != state.q {
            text.set(state.q.clone());
        }
        let Some(store) = ctx.store() else { return };
        let ticket = generation.get_value() + 1;
        generation.set_value(ticket);
        spawn_local(async move {
            let outcome = async {
                let (query, found) = store.search(&state.q, &state.filters, state.sort).await?;
                let docs: Vec<u32> = found.hits.iter().take(PAGE).map(|h| h.doc).collect();
                let summaries = store.summaries(&docs).await?;
                let cards = summaries
                    .into_iter()
                    .map(|summary| {
                        let texts: Vec<&str> = [2, 3, 1].iter().filter_map(|&f| summary.fields.get(f).map(String::as_str)).collect();
                        let snippet = snippet(&texts, &query).unwrap_or_default();
                        Card { summary, snippet }
                    })
                    .collect();
                Ok::<_, crate::fetch::FetchError>(Results::Done {
                    cards,
                    total: found.hits.len(),
                    partial: found.partial,
                    notes: found.notes,
                })
            }
            .await;
            if generation.get_value() != ticket {
                return;
            }
            match outcome {
                Ok(r) => results.set(r),
                Err(e) => ctx.fail(e),
            }
        });
    });

    view! {
        <section class="search" aria-label="检索">
            <form class="search-box" role="search" on:submit=move |ev| ev.prevent_default()>
                <label for="q" class="visually-hidden">"检索项目"</label>
                <input
                    id="q"
                    type="search"
                    autocomplete="off"
                    placeholder="输入关键词，如：驻村、医疗救助、DIP、兴隆县 专项检查"
                    prop:value=move || text.get()
                    on:input:target=move |ev| on_input(ev.target().value())
                />
            </form>
            {move || match results.get() {
                Results::Searching => view! { <p class="status" role="status">"正在检索…"</p> }.into_any(),
                Results::Done { cards, total, partial, notes } => view! {
                    <div class="results">
                        {notes.into_iter().map(|n| view! { <p class="note">{n}</p> }).collect_view()}
                        <p class="count" role="status">
                            {if total == 0 { String::new() } else if partial { format!("{total} 个部分匹配的结果") } else { format!("共 {total} 个结果") }}
                        </p>
                        {(total == 0).then(|| view! {
                            <p class="no-results">"没有找到相关项目。请换个关键词，或减少筛选条件。"</p>
                        })}
                        <ol class="cards">
                            {cards.into_iter().map(|card| view! { <ResultCard card/> }).collect_view()}
                        </ol>
                    </div>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn ResultCard(card: Card) -> impl IntoView {
    let s = card.summary;
    let amount = s.total_yuan.map(yuan_zh).unwrap_or_else(|| "金额未列明".into());
    let year = s.year.map(|y| format!("{y} 年度")).unwrap_or_default();
    let href = format!("?project={}", crate::url_state::encode(&s.id));
    view! {
        <li class="card" data-id=s.id.clone()>
            <h3 class="card-title"><a href=href>{s.name.clone()}</a></h3>
            <p class="card-meta">
                <span class="region">{s.region.short_name().to_string()}</span>
                " · "<span class="department">{s.department.clone().unwrap_or_default()}</span>
                " · "<span class="year">{year}</span>
                " · "<span class="amount">{amount}</span>
            </p>
            <p class="snippet">
                {card.snippet.into_iter().map(|seg| if seg.hit {
                    view! { <mark>{seg.text}</mark> }.into_any()
                } else {
                    view! { <span>{seg.text}</span> }.into_any()
                }).collect_view()}
            </p>
        </li>
    }
}
