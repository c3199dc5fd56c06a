//! A self-evaluation's money row with its cells run together: under a
//! header of budget stages (全年预算数 | 全年执行数 | 分值 | 执行率 | 得分), a
//! value such as `40004000100%` or `202010100.00%10`. Digits alone do not
//! say where one column ends; the columns' own arithmetic does: the rate is
//! what was executed over the budget, a score is out of its points. A run
//! is cut only where exactly one cut makes every part what its column
//! holds and the arithmetic hold; otherwise nothing is taken.

use crate::labels::Field;

/// A column of a header of budget stages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StageColumn {
    /// 年初预算数, 全年预算数, 到位数, 全年执行数.
    Money(Field),
    /// 执行率.
    Rate,
    /// 分值: the points the row is worth.
    Points,
    /// 得分.
    Score,
}

/// A number as a column prints it: no leading zero but of `0` / `0.x`, at
/// most four decimals.
fn well_formed(part: &str) -> bool {
    let (whole, decimals) = part.split_once('.').unwrap_or((part, ""));
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && decimals.bytes().all(|b| b.is_ascii_digit())
        && decimals.len() <= 4
        && !(part.contains('.') && decimals.is_empty())
        && (!whole.starts_with('0') || whole == "0")
}

/// The cuts of `run` (digits and points, no `%`) into one part per column
/// of `columns`, each well formed (points and scores at most 100).
fn cuts(run: &str, columns: &[StageColumn], parts: &mut Vec<String>, found: &mut Vec<Vec<String>>) {
    let [column, rest @ ..] = columns else {
        if run.is_empty() {
            found.push(parts.clone());
        }
        return;
    };
    let lengths = if rest.is_empty() { run.len()..=run.len() } else { 1..=run.len().saturating_sub(rest.len()) };
    for len in lengths.filter(|&len| len > 0 && run.is_char_boundary(len)) {
        let part = &run[..len];
        let points = matches!(column, StageColumn::Points | StageColumn::Score);
        if well_formed(part) && (!points || part.parse::<f64>().is_ok_and(|p| p <= 100.0)) {
            parts.push(part.to_string());
            cuts(&run[len..], rest, parts, found);
            parts.pop();
        }
    }
}

/// The run cut into its columns' values (money columns and the rate), or
/// `None` when no single cut holds. The columns are the header's, in
/// order; columns the run leaves empty may be missing at its start (an
/// empty 年初预算数).
pub fn cut(run: &str, columns: &[StageColumn]) -> Option<Vec<(StageColumn, String)>> {
    let run: String = run.chars().filter(|c| !c.is_whitespace()).collect();
    let (before, after) = run.split_once('%')?;
    let rate_at = columns.iter().position(|c| *c == StageColumn::Rate)?;
    let mut found: Vec<Vec<(StageColumn, String)>> = Vec::new();
    // Leading money columns the run may leave empty.
    let leading_money = columns[..rate_at].iter().take_while(|c| matches!(c, StageColumn::Money(_))).count();
    for skip in 0..=leading_money.saturating_sub(2) {
        let head = &columns[skip..=rate_at];
        let tail = &columns[rate_at + 1..];
        let mut heads = Vec::new();
        cuts(before, head, &mut Vec::new(), &mut heads);
        let mut tails = Vec::new();
        if after.is_empty() {
            tails.push(Vec::new());
        }
        for n in 1..=tail.len() {
            cuts(after, &tail[..n], &mut Vec::new(), &mut tails);
        }
        for h in &heads {
            for t in &tails {
                let cells: Vec<(StageColumn, String)> = head.iter().copied().zip(h.iter().cloned()).chain(tail.iter().copied().zip(t.iter().cloned())).collect();
                if holds(&cells) && !found.contains(&cells) {
                    found.push(cells);
                }
            }
        }
    }
    (found.len() == 1).then(|| found.remove(0)).map(|cells| cells.into_iter().filter(|(c, _)| matches!(c, StageColumn::Money(_) | StageColumn::Rate)).collect())
}

/// The arithmetic of a row: the rate is the executed over the budget (to
/// the rounding printed), a score is at most its points. A row that
/// executed nothing cannot be told apart so.
fn holds(cells: &[(StageColumn, String)]) -> bool {
    let value = |want: &dyn Fn(StageColumn) -> bool| cells.iter().find(|(c, _)| want(*c)).and_then(|(_, v)| v.parse::<f64>().ok());
    let executed = value(&|c| c == StageColumn::Money(Field::Executed));
    let budget = value(&|c| c == StageColumn::Money(Field::AdjustedBudget)).or(value(&|c| c == StageColumn::Money(Field::InitialBudget)));
    let rate = value(&|c| c == StageColumn::Rate);
    // Nothing executed at 0 % holds for any budget: no evidence of a cut.
    let rate_holds = match (executed, budget, rate) {
        (Some(e), Some(b), Some(r)) if b > 0.0 && e > 0.0 && r > 0.0 => (e / b * 100.0 - r).abs() <= 0.6,
        _ => false,
    };
    let score_holds = match (value(&|c| c == StageColumn::Points), value(&|c| c == StageColumn::Score)) {
        (Some(p), Some(s)) => s <= p,
        _ => true,
    };
    rate_holds && score_holds
}

#[cfg(test)]
mod tests {
    use super::*;
    use StageColumn::*;

    const ADJUSTED: StageColumn = Money(Field::AdjustedBudget);
    const EXECUTED: StageColumn = Money(Field::Executed);
    const INITIAL: StageColumn = Money(Field::InitialBudget);

    fn texts(cells: Option<Vec<(StageColumn, String)>>) -> Option<Vec<String>> {
        cells.map(|c| c.into_iter().map(|(_, v)| v).collect())
    }

    #[test]
    fn a_run_is_cut_where_its_arithmetic_holds() {
        assert_eq!(texts(cut("40004000100%", &[ADJUSTED, EXECUTED, Rate])), Some(vec!["4000".into(), "4000".into(), "100".into()]));
        assert_eq!(texts(cut("202010100.00%10", &[ADJUSTED, EXECUTED, Points, Rate, Score])), Some(vec!["20".into(), "20".into(), "100.00".into()]));
        // 年初预算数 left empty, the points and score after the rate.
        assert_eq!(texts(cut("65.6665.0799%10 9", &[INITIAL, ADJUSTED, EXECUTED, Rate, Points, Score])), Some(vec!["65.66".into(), "65.07".into(), "99".into()]));
    }

    #[test]
    fn a_run_no_single_cut_explains_is_left_alone() {
        // No cut of 12 | 34 | 56 … makes the rate what was executed over the budget.
        assert_eq!(cut("123456%", &[ADJUSTED, EXECUTED, Rate]), None);
        assert_eq!(cut("4000", &[ADJUSTED, EXECUTED, Rate]), None, "no rate, no cut");
        assert_eq!(cut("50%", &[ADJUSTED, EXECUTED]), None, "no rate column");
    }
}
