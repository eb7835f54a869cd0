//! A load run in the response pane: a status line (what is loaded and how, where the run
//! is, the last second's rate and p99, failures), a progress bar, two charts over time
//! (requests a second; p50 and p99 latency), then the latency distribution as bars beside
//! the percentiles, the statuses and the errors by kind.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, LineGauge, Paragraph, Wrap};

use super::Theme;
use crate::app::load_view::{LoadRun, LoadState};
use crate::app::{App, Focus};
use crate::body::human::human_count;
use crate::load::{Ended, Snapshot, Stop};

/// The response pane with `run` in it.
pub fn draw_pane(app: &App, run: &LoadRun, theme: &Theme, frame: &mut Frame, area: Rect) {
    let block = super::pane("Response", theme, super::focused(app, Focus::Response));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    draw(run, theme, frame, inner);
}

fn draw(run: &LoadRun, theme: &Theme, frame: &mut Frame, area: Rect) {
    let [status, gauge, charts, details] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Percentage(50),
        Constraint::Min(4),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(status_line(run, theme)), status);
    if let LoadState::Failed(message) = &run.state {
        let text = Paragraph::new(Line::styled(format!("✗ {message}"), theme.error))
            .wrap(Wrap { trim: false });
        frame.render_widget(text, charts);
        return;
    }
    frame.render_widget(
        LineGauge::default()
            .filled_style(theme.key)
            .unfilled_style(theme.dim)
            .ratio(progress(run))
            .label(progress_label(run)),
        gauge,
    );
    let [rate, latency] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(charts);
    draw_rate_chart(run, theme, frame, rate);
    draw_latency_chart(run, theme, frame, latency);
    let Some(snapshot) = &run.latest else {
        return;
    };
    let [bars, numbers] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(details);
    frame.render_widget(
        Paragraph::new(histogram_lines(snapshot, theme, bars.width)),
        bars,
    );
    frame.render_widget(Paragraph::new(number_lines(run, snapshot, theme)), numbers);
}

fn status_line<'a>(run: &LoadRun, theme: &Theme) -> Line<'a> {
    let (mark, state, style) = match &run.state {
        LoadState::Preparing => ("◌", "preparing…".to_owned(), theme.dim),
        LoadState::Running => ("●", "running (Ctrl-X stops)".to_owned(), theme.key),
        LoadState::Ended(Ended::Count) => ("✓", "done".to_owned(), theme.key),
        LoadState::Ended(Ended::Duration) => ("✓", "time up".to_owned(), theme.key),
        LoadState::Ended(Ended::Stopped) => ("■", "stopped".to_owned(), theme.dim),
        LoadState::Failed(_) => ("✗", "could not run".to_owned(), theme.error),
    };
    let mut spans = vec![
        Span::styled(format!("{mark} Load {} ", run.spec.text), style),
        Span::styled(state, style),
    ];
    if let Some(snapshot) = &run.latest {
        // While it runs, the last second; at the end, the whole run.
        let (rate, p99) = match (&run.state, &snapshot.latest) {
            (LoadState::Running, Some(point)) => (point.requests_per_second, point.p99_ms),
            _ => (snapshot.requests_per_second, snapshot.latency_ms.p99),
        };
        spans.push(Span::raw(format!(
            "  {} req/s  p99 {p99:.2} ms  {} requests  ",
            human_count(rate as u64),
            human_count(snapshot.requests)
        )));
        let failed_style = if snapshot.failed > 0 {
            theme.error
        } else {
            theme.dim
        };
        spans.push(Span::styled(
            format!("{} failed", human_count(snapshot.failed)),
            failed_style,
        ));
    }
    Line::from(spans)
}

/// How far the run is: by time, or by count.
fn progress(run: &LoadRun) -> f64 {
    if matches!(run.state, LoadState::Ended(_)) {
        return 1.0;
    }
    let Some(snapshot) = &run.latest else {
        return 0.0;
    };
    let ratio = match run.spec.stop {
        Stop::After(duration) => snapshot.elapsed_seconds / duration.as_secs_f64().max(1e-9),
        Stop::Count(count) => snapshot.requests as f64 / count.max(1) as f64,
    };
    ratio.clamp(0.0, 1.0)
}

fn progress_label(run: &LoadRun) -> String {
    let elapsed = run.latest.as_ref().map_or(0.0, |s| s.elapsed_seconds);
    match run.spec.stop {
        Stop::After(duration) => format!("{elapsed:.0}s / {}s", duration.as_secs()),
        Stop::Count(count) => format!(
            "{} / {}",
            human_count(run.latest.as_ref().map_or(0, |s| s.requests)),
            human_count(count)
        ),
    }
}

fn x_bounds(run: &LoadRun) -> [f64; 2] {
    let last = run.series.last().map_or(1.0, |p| p.at_seconds);
    let planned = match (run.spec.stop, &run.state) {
        (Stop::After(duration), LoadState::Preparing | LoadState::Running) => {
            duration.as_secs_f64()
        }
        _ => last,
    };
    [0.0, planned.max(last).max(1.0)]
}

fn draw_rate_chart(run: &LoadRun, theme: &Theme, frame: &mut Frame, area: Rect) {
    let points: Vec<(f64, f64)> = run
        .series
        .iter()
        .map(|p| (p.at_seconds, p.requests_per_second))
        .collect();
    let top = points.iter().map(|(_, y)| *y).fold(0.0, f64::max).max(1.0) * 1.1;
    let datasets = vec![
        Dataset::default()
            .name("req/s")
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(theme.key)
            .data(&points),
    ];
    frame.render_widget(
        chart(datasets, x_bounds(run), top, "requests a second", theme),
        area,
    );
}

fn draw_latency_chart(run: &LoadRun, theme: &Theme, frame: &mut Frame, area: Rect) {
    let p50: Vec<(f64, f64)> = run
        .series
        .iter()
        .map(|p| (p.at_seconds, p.p50_ms))
        .collect();
    let p99: Vec<(f64, f64)> = run
        .series
        .iter()
        .map(|p| (p.at_seconds, p.p99_ms))
        .collect();
    let top = p99.iter().map(|(_, y)| *y).fold(0.0, f64::max).max(0.1) * 1.1;
    let datasets = vec![
        Dataset::default()
            .name("p50")
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(theme.key)
            .data(&p50),
        Dataset::default()
            .name("p99")
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(theme.error)
            .data(&p99),
    ];
    frame.render_widget(
        chart(datasets, x_bounds(run), top, "latency ms", theme),
        area,
    );
}

fn chart<'a>(
    datasets: Vec<Dataset<'a>>,
    x: [f64; 2],
    top: f64,
    title: &'a str,
    theme: &Theme,
) -> Chart<'a> {
    Chart::new(datasets)
        .legend_position(Some(ratatui::widgets::LegendPosition::TopRight))
        .hidden_legend_constraints((Constraint::Ratio(1, 1), Constraint::Ratio(1, 1)))
        .block(
            ratatui::widgets::Block::bordered()
                .border_style(theme.border)
                .title(Span::styled(title, theme.dim)),
        )
        .x_axis(
            Axis::default()
                .style(theme.dim)
                .bounds(x)
                .labels([format!("{:.0}s", x[0]), format!("{:.0}s", x[1])]),
        )
        .y_axis(
            Axis::default()
                .style(theme.dim)
                .bounds([0.0, top])
                .labels(["0".to_owned(), short_number(top)]),
        )
}

fn histogram_lines<'a>(snapshot: &Snapshot, theme: &Theme, width: u16) -> Vec<Line<'a>> {
    let mut lines = vec![Line::styled("latency (ms, up to)", theme.dim)];
    let most = snapshot.tallest_bar();
    let room = usize::from(width).saturating_sub(24).max(4) as u64;
    for (upper, count) in &snapshot.histogram {
        let bar = "■".repeat((count * room).div_ceil(most) as usize);
        lines.push(Line::from(vec![
            Span::styled(format!("{upper:>9.2} "), theme.dim),
            Span::styled(bar, theme.key),
            Span::raw(format!(" {}", human_count(*count))),
        ]));
    }
    lines
}

fn number_lines<'a>(run: &LoadRun, snapshot: &Snapshot, theme: &Theme) -> Vec<Line<'a>> {
    let l = &snapshot.latency_ms;
    let mut lines = vec![
        Line::styled("percentiles (ms)", theme.dim),
        Line::raw(format!(
            "p50 {:.2}  p90 {:.2}  p99 {:.2}",
            l.p50, l.p90, l.p99
        )),
        Line::raw(format!(
            "p99.9 {:.2}  max {:.2}  mean {:.2}",
            l.p99_9, l.max, l.mean
        )),
        Line::raw(format!(
            "{} requests in {:.1}s: {}/s",
            human_count(snapshot.requests),
            snapshot.elapsed_seconds,
            human_count(snapshot.requests_per_second as u64)
        )),
    ];
    if run.cut_off > 0 {
        lines.push(Line::styled(
            format!("{} in flight at the end, not counted", run.cut_off),
            theme.dim,
        ));
    }
    lines.push(Line::styled("statuses", theme.dim));
    for (status, count) in &snapshot.statuses {
        lines.push(Line::from(vec![
            Span::styled(format!("{status}"), theme.status(*status)),
            Span::raw(format!("  {}", human_count(*count))),
        ]));
    }
    if !snapshot.errors.is_empty() {
        lines.push(Line::styled("errors", theme.dim));
        for error in &snapshot.errors {
            lines.push(Line::from(vec![
                Span::styled(error.description, theme.error),
                Span::raw(format!("  {}", human_count(error.count))),
            ]));
            lines.push(Line::styled(
                format!(
                    "  first: {}",
                    crate::body::make_visible(error.first.as_bytes()).text
                ),
                Style::default().patch(theme.dim),
            ));
        }
    }
    lines
}

fn short_number(value: f64) -> String {
    if value >= 10_000.0 {
        format!("{:.0}k", value / 1000.0)
    } else if value >= 10.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}
