//! The filter panel: region as a hierarchy, department, implementing unit,
//! fund source, year, amount range, self-evaluation results; each value with the number of results
//! choosing it would give, each filter clearable.

use jixiao_core::format::{parse_wan, wan};
use jixiao_core::search::engine::{region_levels, FacetCounts};
use jixiao_core::search::{Facet, FacetValue, Filters};
use leptos::prelude::*;

use crate::context::AppContext;

/// Values shown per facet before "更多".
const SHOWN: usize = 8;

/// One change to the filters, as data (so buttons can carry it).
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// Choose a facet's value by its key, or clear the facet.
    Facet(Facet, Option<String>),
    Amount(Option<i64>, Option<i64>),
    /// Only records with a self-evaluation (`true`), or every record
    /// (which clears the outcome too).
    Evaluated(bool),
    ClearAll,
}

impl Change {
    pub fn apply_to(self, f: &mut Filters) {
        match self {
            Change::Facet(facet, key) => facet.choose(f, key.as_deref()),
            Change::Amount(lo, hi) => {
                f.min_yuan = lo;
                f.max_yuan = hi;
            }
            Change::Evaluated(evaluated) => {
                f.evaluated = evaluated;
                if !evaluated {
                    f.outcome = None;
                }
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

/// Regions one level below `parent` (the provinces for `None`) with results.
fn children<'v>(regions: &'v [FacetValue], parent: Option<&str>) -> impl Iterator<Item = &'v FacetValue> {
    let parent = parent.map(String::from);
    regions.iter().filter(move |v| {
        let levels = region_levels(&v.key);
        match &parent {
            None => levels.len() == 1,
            Some(p) => levels.len() >= 2 && &levels[levels.len() - 2] == p,
        }
    })
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

/// A facet's chosen values as chips (each with the change that removes it)
/// and the values one can choose, with their counts.
struct Group {
    chips: Vec<(String, Change)>,
    options: Vec<(String, usize, Change)>,
}

/// The group of one facet, as the filters and the counts stand.
fn group(facet: Facet, filters: &Filters, counts: &FacetCounts) -> Group {
    let choose = |v: &FacetValue| (v.label.clone(), v.count, Change::Facet(facet, Some(v.key.clone())));
    let label = |key: &str| counts.label(facet, key).map_or_else(|| facet.label_of(key), String::from);
    match facet {
        // The chosen path down the hierarchy as chips (each clears to its
        // parent), then the next level down.
        Facet::Region => {
            let path: Vec<String> = filters.region.as_deref().map(region_levels).unwrap_or_default();
            let chips = path
                .iter()
                .enumerate()
                .map(|(i, code)| (label(code), Change::Facet(facet, i.checked_sub(1).map(|p| path[p].clone()))))
                .collect();
            Group { chips, options: children(counts.of(facet), filters.region.as_deref()).map(choose).collect() }
        }
        // 有自评 first, then what the self-evaluations found; choosing an
        // outcome keeps 有自评 as the chip that clears both.
        Facet::Outcome => {
            let mut chips = Vec::new();
            let mut options = Vec::new();
            if filters.evaluated {
                chips.push(("有自评".to_string(), Change::Evaluated(false)));
            } else {
                let evaluated: usize = counts.of(facet).iter().map(|v| v.count).sum();
                if evaluated > 0 {
                    options.push(("有自评".to_string(), evaluated, Change::Evaluated(true)));
                }
            }
            match facet.chosen(filters) {
                Some(key) => chips.push((label(&key), Change::Facet(facet, None))),
                None => options.extend(counts.of(facet).iter().map(choose)),
            }
            Group { chips, options }
        }
        _ => match facet.chosen(filters) {
            Some(key) => Group { chips: vec![(label(&key), Change::Facet(facet, None))], options: Vec::new() },
            None => Group { chips: Vec::new(), options: counts.of(facet).iter().map(choose).collect() },
        },
    }
}

#[component]
pub fn FilterPanel(facets: FacetCounts) -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let filters = ctx.url.with_untracked(|u| u.filters.clone());
    let any_filter = filters != Filters::default();
    let group_view = |facet: Facet| {
        let Group { chips, options } = group(facet, &filters, &facets);
        (!chips.is_empty() || !options.is_empty()).then(|| view! { <FacetGroup facet chips options/> })
    };
    // The amount range sits before the self-evaluations' results.
    let (before, after) = Facet::ALL.split_at(Facet::ALL.len() - 1);
    view! {
        <aside class="filters" aria-label="筛选">
            <div class="filters-head">
                <h2>"筛选"</h2>
                {any_filter.then(|| view! {
                    <button type="button" class="link-button" on:click=move |_| change_filters(ctx, Change::ClearAll)>"清除全部筛选"</button>
                })}
            </div>
            {before.iter().map(|&f| group_view(f)).collect_view()}
            <AmountRange min=filters.min_yuan max=filters.max_yuan/>
            {after.iter().map(|&f| group_view(f)).collect_view()}
        </aside>
    }
}

#[component]
fn FacetGroup(facet: Facet, chips: Vec<(String, Change)>, options: Vec<(String, usize, Change)>) -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let expanded = RwSignal::new(false);
    let total = options.len();
    let (id, title) = (facet.url_key(), facet.label_zh());
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
