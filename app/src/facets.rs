//! The filter panel: region as a hierarchy, department, implementing unit,
//! fund source, year, amount range, self-evaluation results; each value with the number of results
//! choosing it would give, each filter clearable.

use jixiao_core::search::engine::FxHashMap;

use jixiao_core::format::{parse_wan, wan};
use jixiao_core::model::{FundSource, Outcome};
use jixiao_core::order::sort_by;
use jixiao_core::search::engine::{by_count, region_levels, FacetCounts};
use jixiao_core::search::Filters;
use leptos::prelude::*;

use crate::context::AppContext;

/// Values shown per facet before "更多".
const SHOWN: usize = 8;

/// One change to the filters, as data (so buttons can carry it).
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    Region(Option<String>),
    Department(Option<String>),
    Unit(Option<String>),
    Fund(Option<FundSource>),
    Year(Option<u16>),
    Amount(Option<i64>, Option<i64>),
    /// Only records with a self-evaluation (`true`), and of those one outcome.
    Evaluated(bool, Option<Outcome>),
    ClearAll,
}

impl Change {
    pub fn apply_to(self, f: &mut Filters) {
        match self {
            Change::Region(v) => f.region = v,
            Change::Department(v) => f.department = v,
            Change::Unit(v) => f.unit = v,
            Change::Fund(v) => f.fund = v,
            Change::Year(v) => f.year = v,
            Change::Amount(lo, hi) => {
                f.min_yuan = lo;
                f.max_yuan = hi;
            }
            Change::Evaluated(evaluated, outcome) => {
                f.evaluated = evaluated;
                f.outcome = outcome;
            }
            Change::ClearAll => *f = Filters::default(),
        }
    }
}

/// Applies a change and records the new state in the history.
pub fn change_filters(ctx: AppContext, change: Change) {
    let mut next = ctx.url.get_untracked();
    change.apply_to(&mut next.filters);
    ctx.navigate(next);
}

/// Codes one level below `parent` (the provinces for `None`) with results.
fn children(counts: &FxHashMap<String, usize>, parent: Option<&str>) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = counts
        .iter()
        .filter(|(code, _)| {
            let levels = region_levels(code);
            match parent {
                None => levels.len() == 1,
                Some(p) => levels.len() >= 2 && levels[levels.len() - 2] == p,
            }
        })
        .map(|(c, n)| (c.clone(), *n))
        .collect();
    sort_by(&mut out, &by_count);
    out
}

/// A chosen filter value; clicking removes it (`change`).
#[component]
fn Chip(label: String, change: Change) -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let aria = format!("取消筛选“{label}”");
    view! {
        <button type="button" class="chip" aria-label=aria on:click=move |_| change_filters(ctx, change.clone())>
            {label}<span aria-hidden="true">" ×"</span>
        </button>
    }
}

#[component]
pub fn FilterPanel(facets: FacetCounts) -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let filters = ctx.url.with_untracked(|u| u.filters.clone());
    let name_of = |code: &str| facets.region_names.get(code).cloned().unwrap_or_else(|| code.to_string());

    // Region: the chosen path as chips (each clears to its parent), then the next level down.
    let path: Vec<String> = filters.region.as_deref().map(region_levels).unwrap_or_default();
    let region_chips: Vec<(String, Change)> = path
        .iter()
        .enumerate()
        .map(|(i, code)| (name_of(code), Change::Region(i.checked_sub(1).map(|p| path[p].clone()))))
        .collect();
    let region_options: Vec<(String, usize, Change)> = children(&facets.regions, filters.region.as_deref())
        .into_iter()
        .map(|(code, n)| (name_of(&code), n, Change::Region(Some(code))))
        .collect();

    let list = |items: &[(String, usize)], make: fn(String) -> Change| -> Vec<(String, usize, Change)> {
        items.iter().map(|(v, n)| (v.clone(), *n, make(v.clone()))).collect()
    };
    let departments = list(&facets.departments, |v| Change::Department(Some(v)));
    let units = list(&facets.units, |v| Change::Unit(Some(v)));
    let funds: Vec<(String, usize, Change)> =
        facets.funds.iter().map(|&(s, n)| (s.label_zh().to_string(), n, Change::Fund(Some(s)))).collect();
    let years: Vec<(String, usize, Change)> =
        facets.years.iter().map(|&(y, n)| (format!("{y} 年度"), n, Change::Year(Some(y)))).collect();

    let chosen = |label: Option<String>, clear: Change| label.map(|l| vec![(l, clear)]).unwrap_or_default();
    // 有自评 first, then what the self-evaluations say; choosing an outcome
    // keeps 有自评 as the chip that clears both.
    let evaluated: usize = facets.outcomes.iter().map(|(_, n)| n).sum();
    let mut results_chips = chosen(filters.evaluated.then(|| "有自评".to_string()), Change::Evaluated(false, None));
    results_chips.extend(chosen(filters.outcome.map(|o| o.label_zh().to_string()), Change::Evaluated(true, None)));
    let mut results: Vec<(String, usize, Change)> = Vec::new();
    if !filters.evaluated && evaluated > 0 {
        results.push(("有自评".into(), evaluated, Change::Evaluated(true, None)));
    }
    if filters.outcome.is_none() {
        results.extend(facets.outcomes.iter().map(|&(o, n)| (o.label_zh().to_string(), n, Change::Evaluated(true, Some(o)))));
    }
    let any_filter = filters != Filters::default();
    view! {
        <aside class="filters" aria-label="筛选">
            <div class="filters-head">
                <h2>"筛选"</h2>
                {any_filter.then(|| view! {
                    <button type="button" class="link-button" on:click=move |_| change_filters(ctx, Change::ClearAll)>"清除全部筛选"</button>
                })}
            </div>
            <FacetGroup id="region" title="地区" chips=region_chips options=region_options/>
            <FacetGroup id="dept" title="主管部门"
                chips=chosen(filters.department.clone(), Change::Department(None))
                options=if filters.department.is_some() { Vec::new() } else { departments }/>
            <FacetGroup id="unit" title="实施单位"
                chips=chosen(filters.unit.clone(), Change::Unit(None))
                options=if filters.unit.is_some() { Vec::new() } else { units }/>
            <FacetGroup id="fund" title="资金来源"
                chips=chosen(filters.fund.map(|s| s.label_zh().to_string()), Change::Fund(None))
                options=if filters.fund.is_some() { Vec::new() } else { funds }/>
            <FacetGroup id="year" title="年度"
                chips=chosen(filters.year.map(|y| format!("{y} 年度")), Change::Year(None))
                options=if filters.year.is_some() { Vec::new() } else { years }/>
            <AmountRange min=filters.min_yuan max=filters.max_yuan/>
            {(!results_chips.is_empty() || !results.is_empty()).then(|| view! {
                <FacetGroup id="outcome" title="目标完成情况（自评）" chips=results_chips options=results/>
            })}
        </aside>
    }
}

#[component]
fn FacetGroup(id: &'static str, title: &'static str, chips: Vec<(String, Change)>, options: Vec<(String, usize, Change)>) -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let expanded = RwSignal::new(false);
    let total = options.len();
    let heading = format!("facet-{id}");
    let labelled_by = heading.clone();
    view! {
        <section class=format!("facet facet-{id}") aria-labelledby=labelled_by>
            <h3 id=heading>{title}</h3>
            {(!chips.is_empty()).then(|| view! {
                <div class="chips">{chips.into_iter().map(|(label, change)| view! { <Chip label change/> }).collect_view()}</div>
            })}
            <ul class="facet-values">
                {options.into_iter().enumerate().map(|(i, (label, count, change))| {
                    let aria = format!("{label}，{count} 个结果");
                    view! {
                        <li class={move || if i >= SHOWN && !expanded.get() { "hidden" } else { "" }}>
                            <button type="button" class="facet-value" aria-label=aria
                                on:click=move |_| change_filters(ctx, change.clone())>
                                <span class="facet-label">{label}</span>
                                <span class="facet-count">{count}</span>
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {(total > SHOWN).then(|| view! {
                <button type="button" class="link-button" aria-expanded=move || expanded.get().to_string()
                    on:click=move |_| expanded.update(|e| *e = !*e)>
                    {move || if expanded.get() { "收起".to_string() } else { format!("显示全部 {total} 项") }}
                </button>
            })}
        </section>
    }
}

#[component]
fn AmountRange(min: Option<i64>, max: Option<i64>) -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    // Users think in 万元; the URL keeps yuan.
    let min_text = RwSignal::new(min.map(wan).unwrap_or_default());
    let max_text = RwSignal::new(max.map(wan).unwrap_or_default());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        change_filters(ctx, Change::Amount(parse_wan(&min_text.get_untracked()), parse_wan(&max_text.get_untracked())));
    };
    view! {
        <section class="facet facet-amount" aria-labelledby="facet-amount">
            <h3 id="facet-amount">"年度金额（万元）"</h3>
            <form class="amount-range" on:submit=submit>
                <label>"最低"
                    <input type="number" min="0" step="any" inputmode="decimal" name="min"
                        prop:value=move || min_text.get() on:input:target=move |ev| min_text.set(ev.target().value())/>
                </label>
                <label>"最高"
                    <input type="number" min="0" step="any" inputmode="decimal" name="max"
                        prop:value=move || max_text.get() on:input:target=move |ev| max_text.set(ev.target().value())/>
                </label>
                <button type="submit">"应用"</button>
                {(min.is_some() || max.is_some()).then(|| view! {
                    <button type="button" class="link-button" on:click=move |_| change_filters(ctx, Change::Amount(None, None))>"清除"</button>
                })}
            </form>
        </section>
    }
}
