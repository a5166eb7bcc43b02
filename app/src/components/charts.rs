//! Charts drawn by the app (no JavaScript library): a horizontal bar chart and the
//! inherent × residual risk heat map. Their words and numbers are HTML text at the page's
//! own type size, so they read the same in a narrow card and a wide one (an SVG scaled to
//! its card used to shrink its labels to about 7 px); only the bars are SVG. Each chart is an
//! image with a one-sentence summary for screen readers, plus a visually hidden table
//! holding the numbers.

use assay_core::api::HeatCell;
use assay_core::risk::RiskTier;
use leptos::prelude::*;

/// The length of a bar for `value` out of `max`, in a track `track` long: never negative,
/// never past the track, zero when there is nothing to compare with.
pub fn bar_length(value: f64, max: f64, track: f64) -> f64 {
    if !value.is_finite() || !max.is_finite() || max <= 0.0 || value <= 0.0 {
        return 0.0;
    }
    (value / max).min(1.0) * track
}

/// A value as printed next to its bar: whole numbers without decimals, others with one.
pub fn format_value(value: f64) -> String {
    if !value.is_finite() {
        return "–".to_owned();
    }
    let places = if value.fract() == 0.0 { 0 } else { 1 };
    assay_core::text::fixed(value, places)
}

/// "Vendors by tier: Low 3, Medium 1." — what the chart shows, in one sentence.
pub fn summary(title: &str, bars: &[(String, f64, Option<String>)]) -> String {
    if bars.is_empty() {
        return format!("{title}: no data.");
    }
    let parts: Vec<String> = bars
        .iter()
        .map(|(label, value, _)| format!("{label} {}", format_value(*value)))
        .collect();
    format!("{title}: {}.", parts.join(", "))
}

/// Horizontal bars, each with its label and value. `bars` are `(label, value, css class)`;
/// the class (such as `bar-tier-high`) colours the bar, the default is the primary colour.
/// `max` is the value of a full-length bar (100 for scores, the largest count for counts).
#[component]
pub fn BarChart(
    /// What the chart shows, used as its caption and accessible name.
    #[prop(into)]
    title: String,
    bars: Vec<(String, f64, Option<String>)>,
    max: f64,
    /// `data-testid` of the figure, for browser tests.
    #[prop(optional, into)]
    testid: Option<String>,
) -> impl IntoView {
    let label = summary(&title, &bars);
    let rows = bars
        .iter()
        .map(|(name, value, class)| {
            // A percentage of the track, so the bar needs no width in pixels (and no inline
            // style, which the content security policy refuses).
            let length = format!(
                "{}%",
                assay_core::text::fixed(bar_length(*value, max, 100.0), 2)
            );
            let class = format!("bar {}", class.clone().unwrap_or_default());
            view! {
                <span class="chart-label">{name.clone()}</span>
                <svg class="bar-svg" width="100%" height="18" aria-hidden="true" focusable="false">
                    <rect class="bar-track" x="0" y="0" width="100%" height="18" rx="3"></rect>
                    <rect class=class x="0" y="0" width=length height="18" rx="3"></rect>
                </svg>
                <span class="chart-value">{format_value(*value)}</span>
            }
        })
        .collect_view();
    let table_rows = bars
        .into_iter()
        .map(|(name, value, _)| view! { <tr><th scope="row">{name}</th><td>{format_value(value)}</td></tr> })
        .collect_view();
    view! {
        <figure class="chart" data-testid=testid>
            <div class="bar-chart" role="img" aria-label=label>{rows}</div>
            // The wrapper hides the table: a table ignores a width below its content's,
            // so hidden by itself it would still widen the page.
            <div class="visually-hidden">
                <table>
                    <caption>{title}</caption>
                    <thead><tr><th scope="col">"Label"</th><th scope="col">"Value"</th></tr></thead>
                    <tbody>{table_rows}</tbody>
                </table>
            </div>
        </figure>
    }
}

/// The heat map's rows, top to bottom: Critical first.
pub fn heat_rows() -> [RiskTier; 4] {
    let mut rows = RiskTier::ALL;
    rows.reverse();
    rows
}

/// The counts as a grid: `grid[row][column]`, rows inherent tier (Critical at the top),
/// columns residual tier (Low at the left). Cells the server left out count 0.
pub fn heat_grid(cells: &[HeatCell]) -> [[u64; 4]; 4] {
    let mut grid = [[0u64; 4]; 4];
    let rows = heat_rows();
    for cell in cells {
        let row = rows.iter().position(|t| *t == cell.inherent);
        let column = RiskTier::ALL.iter().position(|t| *t == cell.residual);
        if let (Some(row), Some(column)) = (row, column) {
            grid[row][column] += cell.count;
        }
    }
    grid
}

/// The risk a heat map cell stands for: the higher of its inherent and residual tiers, so a
/// critical vendor reads as critical however well it answered, and a low-risk vendor with a
/// poor assessment reads as its residual tier.
pub fn cell_tier(inherent: RiskTier, residual: RiskTier) -> RiskTier {
    inherent.max(residual)
}

/// The classes of a heat map cell: its tier's colour (`heat-tier-high`), and `heat-empty`
/// (a paler tint, muted count) when no vendor is in it.
pub fn heat_cell_class(inherent: RiskTier, residual: RiskTier, count: u64) -> String {
    let tier = cell_tier(inherent, residual).as_str();
    if count == 0 {
        format!("heat-cell heat-tier-{tier} heat-empty")
    } else {
        format!("heat-cell heat-tier-{tier}")
    }
}

/// Inherent tier (rows) × residual tier (columns); each cell coloured by its risk (the
/// higher of the two tiers, see [`cell_tier`]) and showing its count, with a legend in words.
#[component]
pub fn HeatMap(
    #[prop(into)] title: String,
    cells: Vec<HeatCell>,
    #[prop(optional, into)] testid: Option<String>,
) -> impl IntoView {
    let grid = heat_grid(&cells);
    let total: u64 = grid.iter().flatten().sum();
    let label = format!(
        "{title}: {total} assessed vendor(s) by inherent tier (rows, Critical at the top) and residual tier (columns); each cell is coloured by the higher of the two tiers."
    );
    let column_heads = RiskTier::ALL
        .iter()
        .map(|tier| view! { <span class="chart-label heat-col-head">{tier.label()}</span> })
        .collect_view();
    let rows = heat_rows()
        .iter()
        .enumerate()
        .map(|(r, inherent)| {
            let inherent = *inherent;
            let cells = grid[r]
                .iter()
                .zip(RiskTier::ALL)
                .map(|(count, residual)| {
                    let tier = cell_tier(inherent, residual).as_str();
                    view! {
                        <span class=heat_cell_class(inherent, residual, *count) data-tier=tier>
                            {count.to_string()}
                        </span>
                    }
                })
                .collect_view();
            view! {
                <span class="chart-label heat-row-head">{inherent.label()}</span>
                {cells}
            }
        })
        .collect_view();
    let legend = RiskTier::ALL
        .iter()
        .map(|tier| {
            let name = tier.as_str();
            view! {
                <li><span class=format!("heat-swatch heat-tier-{name}") aria-hidden="true"></span>{tier.label()}</li>
            }
        })
        .collect_view();
    let table_rows = heat_rows()
        .iter()
        .enumerate()
        .map(|(r, tier)| {
            let counts = grid[r]
                .iter()
                .map(|count| view! { <td>{count.to_string()}</td> })
                .collect_view();
            view! { <tr><th scope="row">{tier.label()}</th>{counts}</tr> }
        })
        .collect_view();
    view! {
        <figure class="chart heat-map" data-testid=testid>
            <div class="heat-grid" role="img" aria-label=label>
                <span></span>
                <span class="chart-axis heat-axis-columns">"Residual tier →"</span>
                <span class="chart-axis heat-axis-rows">"Inherent tier ↓"</span>
                {column_heads}
                {rows}
            </div>
            <figcaption class="heat-legend" data-testid="heat-legend">
                <span>"Colour shows the higher of the two tiers:"</span>
                <ul>{legend}</ul>
            </figcaption>
            <div class="visually-hidden">
                <table>
                    <caption>{format!("{title} (rows: inherent tier; columns: residual tier)")}</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Inherent \\ residual"</th>
                            {RiskTier::ALL.iter().map(|t| view! { <th scope="col">{t.label()}</th> }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>{table_rows}</tbody>
                </table>
            </div>
        </figure>
    }
}

/// The CSS class colouring a bar or badge in a tier's colour.
pub fn tier_bar_class(tier: RiskTier) -> String {
    format!("bar-tier-{}", tier.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_proportional_and_clamped_to_the_track() {
        assert_eq!(
            bar_length(50.0, 100.0, 300.0),
            150.0,
            "half the max is half the track"
        );
        assert_eq!(
            bar_length(150.0, 100.0, 300.0),
            300.0,
            "values past max stop at the end"
        );
        assert_eq!(
            bar_length(-5.0, 100.0, 300.0),
            0.0,
            "negative values draw nothing"
        );
        assert_eq!(bar_length(3.0, 0.0, 300.0), 0.0, "a zero max draws nothing");
        assert_eq!(bar_length(f64::NAN, 100.0, 300.0), 0.0, "NaN draws nothing");
    }

    #[test]
    fn values_print_whole_numbers_without_decimals() {
        assert_eq!(format_value(3.0), "3");
        assert_eq!(format_value(72.46), "72.5");
        assert_eq!(format_value(f64::INFINITY), "–");
    }

    #[test]
    fn the_summary_names_every_bar() {
        let bars = vec![
            ("Low".to_owned(), 3.0, None),
            ("High".to_owned(), 1.0, Some("bar-tier-high".to_owned())),
        ];
        assert_eq!(
            summary("Vendors by tier", &bars),
            "Vendors by tier: Low 3, High 1."
        );
        assert_eq!(summary("Scores", &[]), "Scores: no data.");
    }

    #[test]
    fn the_grid_puts_critical_inherent_risk_on_the_top_row() {
        let cells = vec![
            HeatCell {
                inherent: RiskTier::Critical,
                residual: RiskTier::Low,
                count: 2,
            },
            HeatCell {
                inherent: RiskTier::Low,
                residual: RiskTier::High,
                count: 5,
            },
        ];
        let grid = heat_grid(&cells);
        assert_eq!(
            grid[0][0], 2,
            "critical inherent / low residual is top left"
        );
        assert_eq!(
            grid[3][2], 5,
            "low inherent / high residual is bottom row, third column"
        );
        assert_eq!(
            grid.iter().flatten().sum::<u64>(),
            7,
            "nothing else is counted"
        );
    }

    #[test]
    fn heat_cells_are_coloured_by_the_higher_of_the_two_tiers() {
        assert_eq!(
            cell_tier(RiskTier::Critical, RiskTier::Low),
            RiskTier::Critical,
            "a critical vendor stays critical however well it answered"
        );
        assert_eq!(
            cell_tier(RiskTier::Low, RiskTier::High),
            RiskTier::High,
            "a poor assessment raises a low-risk vendor"
        );
        assert_eq!(
            heat_cell_class(RiskTier::Low, RiskTier::Medium, 3),
            "heat-cell heat-tier-medium",
            "a cell with vendors carries its tier's colour"
        );
        assert_eq!(
            heat_cell_class(RiskTier::High, RiskTier::Low, 0),
            "heat-cell heat-tier-high heat-empty",
            "an empty cell keeps its tier's (paler) colour and says it is empty"
        );
    }

    #[test]
    fn every_heat_cell_class_names_a_tier_the_stylesheet_colours() {
        // The charts are the client app's: their rules are in its own stylesheet.
        let stylesheet = include_str!("../../../frontend/app.css");
        for inherent in RiskTier::ALL {
            for residual in RiskTier::ALL {
                let class = heat_cell_class(inherent, residual, 1);
                let tier = class
                    .split(' ')
                    .find(|c| c.starts_with("heat-tier-"))
                    .expect("a tier class");
                assert!(
                    stylesheet.contains(&format!(".{tier} ")),
                    "app.css has no rule for .{tier}"
                );
            }
        }
    }

    #[test]
    fn tier_classes_match_the_stylesheet() {
        assert_eq!(tier_bar_class(RiskTier::Critical), "bar-tier-critical");
    }
}
