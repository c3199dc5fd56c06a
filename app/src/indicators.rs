//! Indicators as data (`?view=indicators&q=…`): every indicator of the
//! matching projects whose text matches the query, with its project,
//! region, year, categories and target; kept to one category or one unit,
//! sorted by the target's number (in one unit: 万元 as 元), and exported as
//! CSV with the headers shown.

use jixiao_core::model::{Indicator, Record};
use jixiao_core::search::snippet::highlight;
use jixiao_core::search::{Query, Sort};
use jixiao_core::table::{indicator_row, INDICATOR_HEADERS};
use jixiao_core::units::Quantity;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::context::{share_url, AppContext};
use crate::download::{csv_file, download_text};
use crate::fetch::FetchError;
use crate::url_state::{IndicatorView, Screen, UrlState};
use crate::widgets::{AppLink, CopyLink};

/// Projects whose indicators are listed (the best matching first).
const PROJECTS: usize = 200;

/// One listed indicator and the record it belongs to (by position).
#[derive(Clone, Debug, PartialEq)]
struct Listed {
    record: usize,
    indicator: Indicator,
    quantity: Option<Quantity>,
}

#[derive(Clone, Debug, PartialEq)]
struct Found {
    records: Vec<Record>,
    listed: Vec<Listed>,
    /// More projects matched than were read.
    cut: bool,
}

/// Does an indicator's text match the query? (Every indicator does for
/// an empty query.)
fn matches(i: &Indicator, query: &Query) -> bool {
    if query.required().next().is_none() {
        return true;
    }
    let text = [i.level2.as_deref(), Some(i.name.as_str()), i.value.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ");
    highlight(&text, query).iter().any(|s| s.hit)
}

/// The listed indicators the view's choices keep, in its order.
fn chosen<'a>(found: &'a Found, view: &IndicatorView) -> Vec<&'a Listed> {
    let mut kept: Vec<&Listed> = found
        .listed
        .iter()
        .filter(|l| view.category.as_ref().is_none_or(|c| l.indicator.level1.as_ref() == Some(c) || l.indicator.level2.as_ref() == Some(c)))
        .filter(|l| view.unit.as_ref().is_none_or(|u| l.quantity.as_ref().is_some_and(|q| &q.unit == u)))
        .collect();
    if let Some(ascending) = view.ascending {
        let number = |l: &Listed| l.quantity.as_ref().map(|q| q.number);
        let order = jixiao_core::order::order(kept.len(), &|a, b| match (number(kept[a]), number(kept[b])) {
            (Some(x), Some(y)) if ascending => x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal),
            (Some(x), Some(y)) => y.partial_cmp(&x).unwrap_or(std::cmp::Ordering::Equal),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
        kept = order.into_iter().map(|i| kept[i]).collect();
    }
    kept
}

/// Values of one choice with their counts, most first.
fn counted(values: impl Iterator<Item = String>) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    for v in values {
        match out.iter_mut().find(|(x, _)| *x == v) {
            Some(e) => e.1 += 1,
            None => out.push((v, 1)),
        }
    }
    jixiao_core::order::sort_by(&mut out, &jixiao_core::search::engine::by_count);
    out
}

#[component]
pub fn IndicatorsPage() -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let found: RwSignal<Option<Found>> = RwSignal::new(None);
    let search = Memo::new(move |_| ctx.url.with(|u| (u.q.clone(), u.filters.clone())));
    Effect::new(move |_| {
        let (q, filters) = search.get();
        let Some(store) = ctx.store() else { return };
        spawn_local(async move {
            let outcome = async {
                let (query, results) = store.search(&q, &filters, Sort::Relevance).await?;
                let mut records = Vec::new();
                for hit in results.hits.iter().take(PROJECTS) {
                    records.push(store.record(hit.doc).await?);
                }
                let listed = records
                    .iter()
                    .enumerate()
                    .flat_map(|(k, r)| r.indicators.iter().filter(|i| matches(i, &query)).map(move |i| Listed { record: k, indicator: i.clone(), quantity: Quantity::of(i) }))
                    .collect();
                Ok::<_, FetchError>(Found { records, listed, cut: results.hits.len() > PROJECTS })
            }
            .await;
            match outcome {
                Ok(f) => {
                    found.set(Some(f));
                    ctx.ready(&if q.is_empty() { "绩效指标".to_string() } else { format!("“{q}”的绩效指标") });
                }
                Err(e) => ctx.fail(e),
            }
        });
    });
    let change = move |edit: &dyn Fn(&mut IndicatorView)| {
        let mut state = ctx.url.get_untracked();
        edit(&mut state.indicators);
        ctx.navigate(state);
    };
    let export = move |_| {
        let Some(f) = found.get_untracked() else { return };
        let view = ctx.url.with_untracked(|u| u.indicators.clone());
        let rows = chosen(&f, &view).into_iter().map(|l| {
            let r = &f.records[l.record];
            indicator_row(r, &l.indicator, &share_url(&UrlState { screen: Screen::Project(r.id.clone()), ..Default::default() }))
        });
        download_text("绩效指标.csv", "text/csv;charset=utf-8", &csv_file(&INDICATOR_HEADERS, rows));
    };
    move || {
        let Some(f) = found.get() else { return view! { <p class="status" role="status">"正在检索…"</p> }.into_any() };
        let state = ctx.url.get();
        let view_state = state.indicators.clone();
        let rows: Vec<Listed> = chosen(&f, &view_state).into_iter().cloned().collect();
        let categories = counted(f.listed.iter().filter_map(|l| l.indicator.level2.clone()));
        let units = counted(f.listed.iter().filter_map(|l| l.quantity.as_ref().map(|q| q.unit.clone())).filter(|u| !u.is_empty()));
        let heading = if state.q.is_empty() { "绩效指标".to_string() } else { format!("“{}”的绩效指标", state.q) };
        let back = UrlState { screen: Screen::Search, indicators: IndicatorView::default(), ..state.clone() };
        view! {
            <article class="indicators-page">
                <nav class="crumbs" aria-label="位置"><AppLink state=back>"返回检索结果"</AppLink></nav>
                <h1>{heading}</h1>
                <p class="summary">{format!("{} 个项目中的 {} 项指标，列出 {} 项。", f.records.len(), f.listed.len(), rows.len())}
                    {f.cut.then(|| format!("（只读取了最相关的 {PROJECTS} 个项目。）"))}</p>
                <div class="results-bar">
                    <label>"二级指标"
                        <select class="category" on:change:target=move |ev| { let v = ev.target().value(); change(&|s| s.category = (!v.is_empty()).then(|| v.clone())) }>
                            <option value="">"全部"</option>
                            {categories.into_iter().map(|(c, n)| view! { <option value=c.clone() selected=view_state.category.as_ref() == Some(&c)>{format!("{c}（{n}）")}</option> }).collect_view()}
                        </select>
                    </label>
                    <label>"单位"
                        <select class="unit" on:change:target=move |ev| { let v = ev.target().value(); change(&|s| s.unit = (!v.is_empty()).then(|| v.clone())) }>
                            <option value="">"全部"</option>
                            {units.into_iter().map(|(u, n)| view! { <option value=u.clone() selected=view_state.unit.as_ref() == Some(&u)>{format!("{u}（{n}）")}</option> }).collect_view()}
                        </select>
                    </label>
                    <label>"排序"
                        <select class="order" on:change:target=move |ev| { let v = ev.target().value(); change(&|s| s.ascending = match v.as_str() { "asc" => Some(true), "desc" => Some(false), _ => None }) }>
                            <option value="" selected=view_state.ascending.is_none()>"按项目"</option>
                            <option value="asc" selected=view_state.ascending == Some(true)>"数值从小到大"</option>
                            <option value="desc" selected=view_state.ascending == Some(false)>"数值从大到小"</option>
                        </select>
                    </label>
                    <button type="button" class="secondary export" on:click=export>"导出指标（CSV）"</button>
                    <CopyLink/>
                </div>
                <div class="table-scroll">
                    <table class="indicator-list">
                        <thead><tr>
                            {INDICATOR_HEADERS[..8].iter().map(|h| view! { <th scope="col">{*h}</th> }).collect_view()}
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|l| {
                                let r = f.records[l.record].clone();
                                let i = l.indicator.clone();
                                let project = UrlState { screen: Screen::Project(r.id.clone()), q: state.q.clone(), ..Default::default() };
                                view! {
                                    <tr>
                                        <td><AppLink state=project>{r.name.clone()}</AppLink></td>
                                        <td>{r.region.full_name()}</td>
                                        <td>{r.region.code.clone().unwrap_or_default()}</td>
                                        <td>{r.year.map(|y| y.to_string()).unwrap_or_default()}</td>
                                        <td>{i.level1.clone().unwrap_or_default()}</td>
                                        <td>{i.level2.clone().unwrap_or_default()}</td>
                                        <td>{i.name.clone()}</td>
                                        <td class="value">{i.value.clone().unwrap_or_default()}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </article>
        }
        .into_any()
    }
}
