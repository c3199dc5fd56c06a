//! The overview: totals and counts of projects by region, department, fund
//! source and year, as bar charts drawn in SVG; a bar opens the search
//! filtered to it.

use std::collections::HashMap;

use jixiao_core::format::yuan_zh;
use jixiao_core::index::columns::Columns;
use jixiao_core::model::{FundSource, Kind};
use jixiao_core::order::sort_by;
use jixiao_core::search::Filters;
use leptos::prelude::*;

use crate::app::AppContext;
use crate::facets::region_names;
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

fn search_with(filters: Filters) -> UrlState {
    UrlState { filters, ..Default::default() }
}

/// Project totals grouped by a key of each document.
fn group(columns: &Columns, key: impl Fn(u32) -> Vec<(String, Filters)>) -> Vec<Bar> {
    let mut bars: HashMap<String, Bar> = HashMap::new();
    for (doc, row) in columns.rows.iter().enumerate() {
        if row.kind != Kind::Project {
            continue;
        }
        for (label, filters) in key(doc as u32) {
            let bar = bars.entry(label.clone()).or_insert_with(|| Bar { label, total: 0, count: 0, target: search_with(filters) });
            bar.total += row.total_yuan.unwrap_or(0);
            bar.count += 1;
        }
    }
    bars.into_values().collect()
}

pub fn overview_bars(columns: &Columns) -> [(&'static str, Vec<Bar>); 4] {
    let names = region_names(columns);
    let mut regions = group(columns, |doc| {
        columns
            .region(doc)
            .and_then(|r| r.code.clone())
            .map(|code| {
                let name = names.get(&code).cloned().unwrap_or_else(|| code.clone());
                vec![(name, Filters { region: Some(code), ..Default::default() })]
            })
            .unwrap_or_default()
    });
    let mut departments = group(columns, |doc| {
        columns
            .department(doc)
            .map(|d| vec![(d.to_string(), Filters { department: Some(d.to_string()), ..Default::default() })])
            .unwrap_or_default()
    });
    let mut funds = group(columns, |doc| {
        let row = &columns.rows[doc as usize];
        FundSource::ALL
            .into_iter()
            .filter(|&s| row.has_fund(s))
            .map(|s| (s.label_zh().to_string(), Filters { fund: Some(s), ..Default::default() }))
            .collect()
    });
    let mut years = group(columns, |doc| {
        columns.rows[doc as usize]
            .year
            .map(|y| vec![(format!("{y} 年度"), Filters { year: Some(y), ..Default::default() })])
            .unwrap_or_default()
    });
    for list in [&mut regions, &mut departments, &mut funds] {
        sort_by(list, &|a, b| b.total.cmp(&a.total).then(a.label.cmp(&b.label)));
    }
    sort_by(&mut years, &|a, b| b.label.cmp(&a.label));
    [("按地区", regions), ("按主管部门", departments), ("按资金来源", funds), ("按年度", years)]
}

#[component]
pub fn OverviewPage() -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let metric = RwSignal::new(Metric::Amount);
    let Some(store) = ctx.store() else { return ().into_any() };
    let (charts, projects, total) = store.with_columns(|c| {
        let projects: Vec<_> = c.rows.iter().filter(|r| r.kind == Kind::Project).collect();
        let total: i64 = projects.iter().filter_map(|r| r.total_yuan).sum();
        (overview_bars(c), projects.len(), total)
    });
    view! {
        <article class="overview">
            <h1>"总览"</h1>
            <p class="summary">{format!("共 {projects} 个项目，年度资金合计 {}。", yuan_zh(total))}
                "（部门整体绩效目标不计入，以免与项目重复计算；一个项目有多个资金来源时计入每个来源。）"</p>
            <fieldset class="metric">
                <legend>"显示"</legend>
                <label><input type="radio" name="metric" checked=true on:change=move |_| metric.set(Metric::Amount)/>"年度资金"</label>
                <label><input type="radio" name="metric" on:change=move |_| metric.set(Metric::Count)/>"项目数"</label>
            </fieldset>
            <div class="charts">
                {charts.into_iter().map(|(title, bars)| view! { <Chart title bars metric/> }).collect_view()}
            </div>
        </article>
    }
    .into_any()
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
