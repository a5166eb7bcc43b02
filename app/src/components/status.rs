//! Loading and error states, shown the same way on every page.

use leptos::prelude::*;

use assay_core::risk::RiskTier;

use crate::api::ApiError;

/// A polite, screen-reader-announced loading line.
#[component]
pub fn Loading(#[prop(into)] label: String) -> impl IntoView {
    view! {
        <p class="loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            {label}
        </p>
    }
}

/// An upload under way: a bar, how much of the file has gone, and once it all has, that
/// the server is reading it. `progress` is `None` until the browser reports a first step.
#[component]
pub fn UploadProgress(
    #[prop(into)] name: String,
    #[prop(into)] progress: Signal<Option<crate::api::Progress>>,
) -> impl IntoView {
    use crate::components::format::format_bytes;
    let words = move || match progress.get() {
        Some(p) if p.sent_all() => format!("{name}: sent. Checking it…"),
        Some(p) => format!(
            "Uploading {name}: {} of {} ({} %)",
            format_bytes(p.sent),
            format_bytes(p.total),
            p.percent()
        ),
        None => format!("Uploading {name}…"),
    };
    view! {
        <div class="progress" data-testid="upload-progress">
            <progress aria-label="Upload progress" max="100"
                value=move || progress.get().map(|p| p.percent().to_string())></progress>
            <span class="muted small">{words}</span>
        </div>
    }
}

/// An error the user can read, with the request id to quote when there is one.
#[component]
pub fn ErrorNotice(error: ApiError) -> impl IntoView {
    let request_id = error.request_id().map(str::to_owned);
    view! {
        <div class="alert alert-error" role="alert">
            <p>{error.to_string()}</p>
            {request_id
                .map(|id| view! { <p class="muted small">"Request id: " <code>{id}</code></p> })}
        </div>
    }
}

/// Renders errors caught by an `ErrorBoundary`.
pub fn render_errors(errors: ArcRwSignal<Errors>) -> impl IntoView {
    view! {
        <div class="alert alert-error" role="alert">
            <ul>
                {move || {
                    errors
                        .get()
                        .into_iter()
                        .map(|(_, e)| view! { <li>{e.to_string()}</li> })
                        .collect_view()
                }}
            </ul>
        </div>
    }
}

/// What came of an action: a status line, or the error (nothing before the first one).
#[component]
pub fn Outcome(outcome: RwSignal<Option<Result<String, ApiError>>>) -> impl IntoView {
    move || {
        outcome.get().map(|o| match o {
            Ok(message) => view! {
                <div class="alert alert-info" role="status" data-testid="outcome"><p>{message}</p></div>
            }
            .into_any(),
            Err(error) => view! { <ErrorNotice error /> }.into_any(),
        })
    }
}

/// A decision's outcome as a badge: approved green, with conditions amber, rejected red.
pub fn outcome_badge(outcome: assay_core::review::DecisionOutcome) -> impl IntoView {
    use assay_core::review::DecisionOutcome;
    let class = match outcome {
        DecisionOutcome::Approved => "badge badge-ok",
        DecisionOutcome::ApprovedWithConditions => "badge badge-warn",
        DecisionOutcome::Rejected => "badge badge-danger",
    };
    view! { <span class=class>{outcome.label()}</span> }
}

/// A risk tier as a coloured badge (green, amber, orange, red), labelled with its name.
pub fn tier_badge(tier: RiskTier) -> impl IntoView {
    view! { <span class=format!("badge badge-tier-{}", tier.as_str())>{tier.label()}</span> }
}

/// What a contract or a subprocessor register raises, one item each, with its severity.
pub fn contract_findings(findings: Vec<assay_core::contract::ContractFinding>) -> impl IntoView {
    findings
        .into_iter()
        .map(|f| {
            view! {
                <li>
                    <span class=format!("badge severity-{}", f.severity.as_str())>{f.severity.label()}</span>
                    " " {f.message}
                </li>
            }
        })
        .collect_view()
}
