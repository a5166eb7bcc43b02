//! Charts drawn as SVG by the app (no JavaScript library): a horizontal bar chart and the
//! inherent × residual risk heat map. Each is an image with a one-sentence summary for
//! screen readers, plus a visually hidden table holding the numbers.

use assay_core::api::HeatCell;
use assay_core::risk::RiskTier;
use leptos::prelude::*;

/// Width of the SVG coordinate space; the chart scales to its container.
const WIDTH: f64 = 640.0;
const LABEL_WIDTH: f64 = 200.0;
const VALUE_WIDTH: f64 = 64.0;
const ROW_HEIGHT: f64 = 30.0;
const BAR_HEIGHT: f64 = 18.0;

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
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
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
    let track = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
    let height = ROW_HEIGHT * bars.len().max(1) as f64;
    let rows = bars
        .iter()
        .enumerate()
        .map(|(i, (name, value, class))| {
            let y = ROW_HEIGHT * i as f64;
            let length = bar_length(*value, max, track);
            let class = format!("bar {}", class.clone().unwrap_or_default());
            view! {
                <g>
                    <text class="chart-label" x=LABEL_WIDTH - 8.0 y=y + ROW_HEIGHT / 2.0
                        text-anchor="end" dominant-baseline="middle">{name.clone()}</text>
                    <rect class="bar-track" x=LABEL_WIDTH y=y + (ROW_HEIGHT - BAR_HEIGHT) / 2.0
                        width=track height=BAR_HEIGHT rx="3"></rect>
                    <rect class=class x=LABEL_WIDTH y=y + (ROW_HEIGHT - BAR_HEIGHT) / 2.0
                        width=length height=BAR_HEIGHT rx="3"></rect>
                    <text class="chart-value" x=LABEL_WIDTH + track + 8.0 y=y + ROW_HEIGHT / 2.0
                        dominant-baseline="middle">{format_value(*value)}</text>
                </g>
            }
        })
        .collect_view();
    let table_rows = bars
        .into_iter()
        .map(|(name, value, _)| view! { <tr><th scope="row">{name}</th><td>{format_value(value)}</td></tr> })
        .collect_view();
    view! {
        <figure class="chart" data-testid=testid>
            <svg class="bar-chart" role="img" aria-label=label
                viewBox=format!("0 0 {WIDTH} {height}") preserveAspectRatio="xMinYMin meet">
                {rows}
            </svg>
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

/// How dark a cell is, 0 (empty) to 4 (the largest count), so the scale always has contrast.
pub fn heat_level(count: u64, max: u64) -> u8 {
    if count == 0 || max == 0 {
        return 0;
    }
    // 1..=4 in proportion to the largest count; any vendor at all shows as at least 1.
    let level = (count.min(max) * 4).div_ceil(max);
    level.clamp(1, 4) as u8
}

const CELL_W: f64 = 110.0;
const CELL_H: f64 = 56.0;
const AXIS: f64 = 96.0;
const HEAD: f64 = 28.0;

/// Inherent tier (rows) × residual tier (columns); each cell shaded by and showing its count.
#[component]
pub fn HeatMap(
    #[prop(into)] title: String,
    cells: Vec<HeatCell>,
    #[prop(optional, into)] testid: Option<String>,
) -> impl IntoView {
    let grid = heat_grid(&cells);
    let max = grid.iter().flatten().copied().max().unwrap_or(0);
    let total: u64 = grid.iter().flatten().sum();
    let label = format!(
        "{title}: {total} vendor(s) by inherent tier (rows, Critical at the top) and residual tier (columns)."
    );
    let width = AXIS + CELL_W * 4.0;
    let height = HEAD * 2.0 + CELL_H * 4.0;
    let column_heads = RiskTier::ALL
        .iter()
        .enumerate()
        .map(|(c, tier)| {
            view! {
                <text class="chart-label" x=AXIS + CELL_W * (c as f64 + 0.5) y=HEAD * 1.5
                    text-anchor="middle" dominant-baseline="middle">{tier.label()}</text>
            }
        })
        .collect_view();
    let rows = heat_rows()
        .iter()
        .enumerate()
        .map(|(r, tier)| {
            let y = HEAD * 2.0 + CELL_H * r as f64;
            let row = grid[r];
            let cells = row
                .iter()
                .enumerate()
                .map(|(c, count)| {
                    let x = AXIS + CELL_W * c as f64;
                    let level = heat_level(*count, max);
                    view! {
                        <rect class=format!("heat-cell heat-{level}") x=x + 2.0 y=y + 2.0
                            width=CELL_W - 4.0 height=CELL_H - 4.0 rx="4"></rect>
                        <text class=format!("heat-count heat-text-{level}") x=x + CELL_W / 2.0
                            y=y + CELL_H / 2.0 text-anchor="middle" dominant-baseline="middle">
                            {count.to_string()}
                        </text>
                    }
                })
                .collect_view();
            view! {
                <g>
                    <text class="chart-label" x=AXIS - 8.0 y=y + CELL_H / 2.0
                        text-anchor="end" dominant-baseline="middle">{tier.label()}</text>
                    {cells}
                </g>
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
            <svg role="img" aria-label=label viewBox=format!("0 0 {width} {height}")
                preserveAspectRatio="xMinYMin meet">
                <text class="chart-axis" x=AXIS + CELL_W * 2.0 y=HEAD / 2.0
                    text-anchor="middle" dominant-baseline="middle">"Residual tier →"</text>
                <text class="chart-axis" x="0" y=HEAD * 1.5 dominant-baseline="middle">"Inherent ↓"</text>
                {column_heads}
                {rows}
            </svg>
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
    format!("bar-tier-{}", tier.label().to_lowercase())
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
    fn heat_levels_scale_to_the_largest_count() {
        assert_eq!(heat_level(0, 10), 0, "empty cells are blank");
        assert_eq!(heat_level(1, 10), 1, "any vendor at all is visible");
        assert_eq!(heat_level(5, 10), 2);
        assert_eq!(heat_level(10, 10), 4, "the largest count is darkest");
        assert_eq!(heat_level(3, 0), 0, "no maximum means nothing to shade");
    }

    #[test]
    fn tier_classes_match_the_stylesheet() {
        assert_eq!(tier_bar_class(RiskTier::Critical), "bar-tier-critical");
    }
}
