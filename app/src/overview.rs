//! The overview: the projects of one budget year at a time (money is never
//! added across years), by region, department and fund source (the money
//! each source is printed with, and what no source names, 未列明), as bar
//! charts drawn in SVG; a bar opens the search filtered to it; where
//! self-evaluations are published, the share of targets met per place.
//! Also what the site covers (the start page) and a place's page
//! (`?region=<code>`).

use jixiao_core::format::yuan_zh;
use jixiao_core::index::overview::{Overview, PlaceResults, Tally, YearTotals};
use jixiao_core::model::FundSource;
use jixiao_core::search::Filters;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::context::AppContext;
use crate::url_state::{Screen, UrlState};
use crate::widgets::{scroll_to_top, AppLink};

/// One bar: label, total in yuan, number of projects, where a click goes.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub total: i64,
    pub count: usize,
    pub target: Option<UrlState>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Metric {
    Amount,
    Count,
}

/// Bars of a tally, each opening the search with the year and the filter its key names.
fn bars(tallies: &[Tally], year: u16, filter: impl Fn(&str) -> Option<Filters>) -> Vec<Bar> {
    tallies
        .iter()
        .map(|t| Bar {
            label: t.label.clone(),
            total: t.total_yuan,
            count: t.count as usize,
            target: filter(&t.key).map(|f| UrlState { filters: Filters { year: (year > 0).then_some(year), ..f }, ..Default::default() }),
        })
        .collect()
}

pub fn year_bars(y: &YearTotals) -> [(&'static str, Vec<Bar>); 3] {
    let regions = bars(&y.regions, y.year, |code| Some(Filters { region: Some(code.to_string()), ..Default::default() }));
    let departments = bars(&y.departments, y.year, |d| Some(Filters { department: Some(d.to_string()), ..Default::default() }));
    let funds = bars(&y.funds, y.year, |key| FundSource::from_key(key).map(|s| Filters { fund: Some(s), ..Default::default() }));
    [("按地区", regions), ("按主管部门", departments), ("按资金来源（原表所列金额）", funds)]
}

fn year_label(year: u16) -> String {
    if year == 0 { "年度未列明".into() } else { format!("{year} 年度") }
}

/// Loads the overview once, then renders `body` with it.
fn with_overview<V: IntoView + 'static>(body: impl Fn(Overview) -> V + Send + Sync + 'static) -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let loaded: RwSignal<Option<Overview>> = RwSignal::new(None);
    if let Some(store) = ctx.store() {
        spawn_local(async move {
            match store.overview().await {
                Ok(o) => loaded.set(Some(o)),
                Err(e) => ctx.fail(e),
            }
        });
    }
    move || loaded.get().map(&body)
}

#[component]
pub fn OverviewPage() -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let metric = RwSignal::new(Metric::Amount);
    with_overview(move |o: Overview| {
        let chosen = ctx.url.with(|u| u.filters.year);
        // The latest year unless the URL names another.
        let Some(y) = o.years.iter().find(|y| Some(y.year) == chosen).or(o.years.first()).cloned() else {
            return view! { <p class="note">"没有项目。"</p> }.into_any();
        };
        ctx.ready(&format!("总览 · {}", year_label(y.year)));
        let choose = move |value: String| {
            let year = value.parse().ok();
            ctx.navigate(UrlState { screen: Screen::Overview, filters: Filters { year, ..Default::default() }, ..Default::default() });
        };
        let charts = year_bars(&y);
        let results: Vec<PlaceResults> = o.results.iter().filter(|r| r.year == y.year).cloned().collect();
        view! {
            <article class="overview">
                <h1>{format!("总览：{}", year_label(y.year))}</h1>
                <label class="year-select">"年度"
                    <select on:change:target=move |ev| choose(ev.target().value())>
                        {o.years.iter().map(|t| view! { <option value=t.year.to_string() selected=t.year == y.year>{year_label(t.year)}</option> }).collect_view()}
                    </select>
                </label>
                <p class="summary">{format!("{}共 {} 个项目，年度资金合计 {}", year_label(y.year), y.projects, yuan_zh(y.total_yuan))}
                    {(y.without_amount > 0).then(|| format!("（另有 {} 个项目未列明金额）", y.without_amount))}"。"
                    "各年度分别统计，不跨年度相加；部门整体绩效目标不计入，以免与项目重复计算。"</p>
                <YearTable years=o.years.clone()/>
                <fieldset class="metric">
                    <legend>"显示"</legend>
                    <label><input type="radio" name="metric" checked=move || metric.get() == Metric::Amount on:change=move |_| metric.set(Metric::Amount)/>"年度资金"</label>
                    <label><input type="radio" name="metric" checked=move || metric.get() == Metric::Count on:change=move |_| metric.set(Metric::Count)/>"项目数"</label>
                </fieldset>
                <div class="charts">
                    {charts.into_iter().map(|(title, bars)| view! { <Chart title bars metric/> }).collect_view()}
                </div>
                <ResultsTable year=y.year results/>
            </article>
        }
        .into_any()
    })
}

/// Projects and money per year, one row each (never summed across years).
#[component]
fn YearTable(years: Vec<YearTotals>) -> impl IntoView {
    view! {
        <table class="year-table">
            <thead><tr><th scope="col">"年度"</th><th scope="col">"项目数"</th><th scope="col">"年度资金合计"</th><th scope="col">"未列明金额的项目"</th></tr></thead>
            <tbody>
                {years.into_iter().map(|y| view! {
                    <tr><th scope="row">{year_label(y.year)}</th><td>{y.projects}</td><td>{yuan_zh(y.total_yuan)}</td><td>{y.without_amount}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// Targets met per place in one year's self-evaluations: counted per
/// indicator, as each self-evaluation's own table sets target beside
/// actual; what cannot be told is shown, not counted as met or missed.
#[component]
fn ResultsTable(year: u16, results: Vec<PlaceResults>) -> impl IntoView {
    let body = if results.is_empty() {
        view! { <p class="note">"本年度尚未收录绩效自评表。"</p> }.into_any()
    } else {
        view! {
            <table class="results-table">
                <thead><tr>
                    <th scope="col">"地区"</th><th scope="col">"自评表"</th><th scope="col">"已完成"</th>
                    <th scope="col">"未完成"</th><th scope="col">"无法判断"</th><th scope="col">"完成比例"</th>
                </tr></thead>
                <tbody>
                    {results.into_iter().map(|r| {
                        let told = r.achieved + r.missed;
                        let share = (told > 0).then(|| r.achieved * 100 / told);
                        let state = UrlState {
                            filters: Filters { region: Some(r.code.clone()), year: (year > 0).then_some(year), evaluated: true, ..Default::default() },
                            ..Default::default()
                        };
                        view! {
                            <tr>
                                <th scope="row"><AppLink state>{r.name}</AppLink></th>
                                <td>{r.evaluations}</td><td>{r.achieved}</td><td>{r.missed}</td><td>{r.unclear}</td>
                                <td class="share">{match share {
                                    Some(p) => view! {
                                        // A meter, not a styled bar: the page's CSP allows no inline styles.
                                        <meter min="0" max="100" value=p.to_string() aria-hidden="true"></meter>
                                        {format!("{p}%（{}/{told}）", r.achieved)}
                                    }.into_any(),
                                    None => "—".into_any(),
                                }}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <section class="results" aria-labelledby="results-overview">
            <h2 id="results-overview">"目标完成情况（据绩效自评表）"</h2>
            <p class="hint">"按三级指标计：自评表所列实际完成值达到目标值为已完成；无法从原表判断的不计入完成比例。"</p>
            {body}
        </section>
    }
}

/// What the site covers: places, years and documents (the start page).
#[component]
pub fn Coverage() -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    with_overview(move |o: Overview| {
        let records = ctx.store().map(|s| s.with_manifest(|m| m.doc_count)).unwrap_or(0);
        let more = o.place_count as usize - o.places.len();
        view! {
            <section class="coverage" aria-labelledby="coverage">
                <h2 id="coverage">"本站收录"</h2>
                <p>{format!("{} 个地区公开的 {} 份绩效目标文件，共 {records} 条记录。只能检索这些地区和年度：", o.place_count, o.documents)}</p>
                <ul class="places">
                    {o.places.into_iter().map(|p| {
                        let years: Vec<String> = p.years.iter().map(|y| y.to_string()).collect();
                        let state = UrlState { filters: Filters { region: Some(p.code.clone()), ..Default::default() }, ..Default::default() };
                        view! { <li><AppLink state>{p.name}</AppLink>{format!("：{} 年度，{} 份文件，{} 条记录", years.join("、"), p.documents, p.records)}</li> }
                    }).collect_view()}
                </ul>
                {(more > 0).then(|| view! { <p>{format!("另有 {more} 个地区，见")}<a href="idx/pages/index.html">"全部项目"</a>"。"</p> })}
            </section>
        }
    })
}

/// A place's page: its projects per year and departments (the projects
/// themselves are the results below).
#[component]
pub fn PlaceSummary(code: String) -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let years: RwSignal<Option<Vec<YearTotals>>> = RwSignal::new(None);
    if let Some(store) = ctx.store() {
        spawn_local(async move {
            match store.place(&code).await {
                Ok(y) => years.set(Some(y)),
                Err(e) => ctx.fail(e),
            }
        });
    }
    move || {
        years.get().filter(|y| !y.is_empty()).map(|list| {
            view! {
                <section class="place" aria-labelledby="place">
                    <h2 id="place">"本地区概况"</h2>
                    <YearTable years=list.clone()/>
                    {list.into_iter().map(|y| view! {
                        <h3>{format!("{} 主管部门", year_label(y.year))}</h3>
                        <ul class="departments">
                            {y.departments.into_iter().map(|d| view! { <li>{format!("{}：{} 个项目，{}", d.label, d.count, yuan_zh(d.total_yuan))}</li> }).collect_view()}
                        </ul>
                    }).collect_view()}
                </section>
            }
        })
    }
}

// Geometry in whole SVG units: integer arithmetic keeps float formatting
// out of the bundle.
const ROW: i64 = 26;
const LABEL_WIDTH: i64 = 170;
const WIDTH: i64 = 560;
const BAR_SPACE: i64 = WIDTH - LABEL_WIDTH - 110;

#[component]
fn Chart(title: &'static str, bars: Vec<Bar>, metric: RwSignal<Metric>) -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let height = (bars.len() as i64 * ROW + 4).max(ROW);
    let bars = StoredValue::new(bars);
    let heading = format!("chart-{title}");
    let labelled_by = heading.clone();
    view! {
        <section class="chart" aria-labelledby=labelled_by>
            <h2 id=heading>{title}</h2>
            <svg class="bars" viewBox=format!("0 0 {WIDTH} {height}")>
                {move || {
                    let m = metric.get();
                    bars.with_value(|bars| {
                        let value = |b: &Bar| if m == Metric::Amount { b.total } else { b.count as i64 };
                        let max = bars.iter().map(value).max().unwrap_or(1).max(1);
                        bars.iter().enumerate().map(|(i, b)| {
                            let y = i as i64 * ROW + 2;
                            let w = ((value(b) as i128 * BAR_SPACE as i128) / max as i128).max(1) as i64;
                            let shown = if m == Metric::Amount { yuan_zh(b.total) } else { format!("{} 个", b.count) };
                            let label = b.label.clone();
                            let aria = format!("{}：{}，{} 个项目。打开该筛选的检索结果", b.label, yuan_zh(b.total), b.count);
                            let target = StoredValue::new(b.target.clone());
                            let go = move || {
                                if let Some(t) = target.get_value() {
                                    ctx.navigate(t);
                                    scroll_to_top();
                                }
                            };
                            view! {
                                // SVG has no HTML links: a focusable group with the link role.
                                <g class="bar-link" role="link" tabindex="0" aria-label=aria
                                    on:click=move |_| go()
                                    on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                                        if ev.key() == "Enter" || ev.key() == " " {
                                            ev.prevent_default();
                                            go();
                                        }
                                    }>
                                    <text x=(LABEL_WIDTH - 6).to_string() y=(y + ROW * 5 / 8).to_string() text-anchor="end" class="bar-label">{truncate(&label, 11)}</text>
                                    <rect x=LABEL_WIDTH.to_string() y=(y + 3).to_string() width=w.to_string() height=(ROW - 8).to_string() class="bar"/>
                                    <text x=(LABEL_WIDTH + w + 6).to_string() y=(y + ROW * 5 / 8).to_string() class="bar-value">{shown}</text>
                                </g>
                            }
                        }).collect_view()
                    })
                }}
            </svg>
        </section>
    }
}

fn truncate(s: &str, chars: usize) -> String {
    if s.chars().count() <= chars {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(chars - 1).collect::<String>())
    }
}
