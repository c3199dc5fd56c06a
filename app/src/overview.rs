//! The overview: totals and counts of projects by region, department, fund
//! source and year (computed at build time, one small file), as bar charts
//! drawn in SVG; a bar opens the search filtered to it.

use jixiao_core::format::yuan_zh;
use jixiao_core::index::overview::{Overview, Tally};
use jixiao_core::model::FundSource;
use jixiao_core::search::Filters;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::AppContext;
use crate::url_state::UrlState;
use crate::widgets::scroll_to_top;

/// One bar: label, total in yuan, number of projects, where a click goes.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub total: i64,
    pub count: usize,
    pub target: UrlState,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Metric {
    Amount,
    Count,
}

/// Bars of a tally, each opening the search with the filter its key names.
fn bars(tallies: &[Tally], filter: impl Fn(&str) -> Option<Filters>) -> Vec<Bar> {
    tallies
        .iter()
        .filter_map(|t| {
            let filters = filter(&t.key)?;
            Some(Bar { label: t.label.clone(), total: t.total_yuan, count: t.count as usize, target: UrlState { filters, ..Default::default() } })
        })
        .collect()
}

pub fn overview_bars(o: &Overview) -> [(&'static str, Vec<Bar>); 4] {
    let regions = bars(&o.chart_regions, |code| Some(Filters { region: Some(code.to_string()), ..Default::default() }));
    let departments = bars(&o.chart_departments, |d| Some(Filters { department: Some(d.to_string()), ..Default::default() }));
    let funds = bars(&o.chart_funds, |key| FundSource::from_key(key).map(|s| Filters { fund: Some(s), ..Default::default() }));
    let years = bars(&o.chart_years, |y| y.parse().ok().map(|y| Filters { year: Some(y), ..Default::default() }));
    [("按地区", regions), ("按主管部门", departments), ("按资金来源", funds), ("按年度", years)]
}

#[component]
pub fn OverviewPage() -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let metric = RwSignal::new(Metric::Amount);
    let loaded: RwSignal<Option<Overview>> = RwSignal::new(None);
    if let Some(store) = ctx.store() {
        spawn_local(async move {
            match store.overview().await {
                Ok(o) => loaded.set(Some(o)),
                Err(e) => ctx.fail(e),
            }
        });
    }
    move || {
        let Some(o) = loaded.get() else {
            return view! { <p class="status" role="status">"正在加载总览…"</p> }.into_any();
        };
        let charts = overview_bars(&o);
        view! {
            <article class="overview">
                <h1>"总览"</h1>
                <p class="summary">{format!("共 {} 个项目，年度资金合计 {}。", o.projects, yuan_zh(o.project_total_yuan))}
                    "（部门整体绩效目标不计入，以免与项目重复计算；一个项目有多个资金来源时计入每个来源。"
                    {format!("每张图最多列出 {} 项。）", jixiao_core::index::overview::LIMIT)}</p>
                <fieldset class="metric">
                    <legend>"显示"</legend>
                    <label><input type="radio" name="metric" checked=move || metric.get() == Metric::Amount on:change=move |_| metric.set(Metric::Amount)/>"年度资金"</label>
                    <label><input type="radio" name="metric" checked=move || metric.get() == Metric::Count on:change=move |_| metric.set(Metric::Count)/>"项目数"</label>
                </fieldset>
                <div class="charts">
                    {charts.into_iter().map(|(title, bars)| view! { <Chart title bars metric/> }).collect_view()}
                </div>
            </article>
        }
        .into_any()
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
                                ctx.navigate(target.get_value());
                                scroll_to_top();
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
