//! The home page. Signed in, it is where the day starts: what waits on me, by the tasks my
//! role acts on, each a link to where it is done. Signed out, what Assay is and the way in.

use assay_core::access::Role;
use assay_core::api::{WorkItem, WorkKind, WorkList, WorkTarget};
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api;
use crate::auth::use_auth;
use crate::components::format::{day, short_time};
use crate::components::status::{ErrorNotice, Loading};
use crate::routes::{AppRoute, assessment_href, incident_href};

#[component]
pub fn HomePage() -> impl IntoView {
    let health = LocalResource::new(api::health);
    let auth = use_auth();
    view! {
        <Title text="Overview" />
        {move || match auth.me.get() {
            Some(me) => view! {
                <section class="hero">
                    <h1>"What waits for you"</h1>
                    <p data-testid="welcome">"Welcome, " {me.user.display_name} ". You are signed in to "
                        {me.organization.name} " as " {me.user.role.label()} "."</p>
                </section>
                <Tasks role=me.user.role />
            }.into_any(),
            None => view! {
                <section class="hero">
                    <h1>"Vendor due diligence"</h1>
                    <p class="lead">
                        "Send security questionnaires to your vendors, collect their evidence, score the answers against your criteria and contracts, and decide with a record an auditor can follow."
                    </p>
                    <p><a class="button" href=AppRoute::SignIn.href()>"Sign in"</a></p>
                </section>
            }.into_any(),
        }}
        <section class="card" aria-labelledby="server-heading">
            <h2 id="server-heading">"Server"</h2>
            <Suspense fallback=|| view! { <Loading label="Checking the server…" /> }>
                {move || Suspend::new(async move {
                    match health.await {
                        Ok(health) => {
                            let database = match health.database {
                                assay_core::api::DatabaseKind::Sqlite => "SQLite (embedded)",
                                assay_core::api::DatabaseKind::Postgres => "PostgreSQL",
                            };
                            view! {
                                <dl class="facts" data-testid="server-facts">
                                    <div>
                                        <dt>"Status"</dt>
                                        <dd><span class="badge badge-ok">"Online"</span></dd>
                                    </div>
                                    <div>
                                        <dt>"Version"</dt>
                                        <dd data-testid="server-version">{health.version}</dd>
                                    </div>
                                    <div>
                                        <dt>"Database"</dt>
                                        <dd data-testid="server-database">{database}</dd>
                                    </div>
                                </dl>
                            }
                                .into_any()
                        }
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The signed-in user's task lists, most urgent first in each.
#[component]
fn Tasks(role: Role) -> impl IntoView {
    let work = LocalResource::new(api::work);
    view! {
        <Suspense fallback=|| view! { <Loading label="Finding what waits for you…" /> }>
            {move || Suspend::new(async move {
                match work.await {
                    Ok(work) if work.lists.is_empty() => view! { <NothingForRole role /> }.into_any(),
                    Ok(work) => view! {
                        {work.first_steps.then(|| view! { <FirstSteps role /> })}
                        <div class="task-lists">
                            {work.lists.into_iter().map(|list| view! { <TaskList list /> }).collect_view()}
                        </div>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A new organisation (no vendor yet): the way to the first questionnaire sent.
#[component]
fn FirstSteps(role: Role) -> impl IntoView {
    view! {
        <section class="card first-steps" aria-labelledby="first-steps-heading" data-testid="first-steps">
            <h2 id="first-steps-heading">"Get started"</h2>
            <ol>
                <li>
                    <a href=AppRoute::Vendors.href()>"Register your first vendor"</a>
                    ": who they are, what data they hold, and who answers for them."
                </li>
                <li>
                    <a href=AppRoute::Templates.href()>"Choose a questionnaire"</a>
                    ": the built-in Assay Baseline, a copy of it, or your own (VSAQ, OSCAL, CSV)."
                </li>
                <li>"Send it from the vendor's page. Their answers, evidence and score appear here as they come in."</li>
                {(role == Role::Admin).then(|| view! {
                    <li><a href=AppRoute::Users.href()>"Invite your colleagues"</a>": procurement, risk managers and auditors."</li>
                })}
            </ol>
        </section>
    }
}

/// A role with no tasks of its own (an Auditor reads): where to start instead.
#[component]
fn NothingForRole(role: Role) -> impl IntoView {
    view! {
        <section class="card" data-testid="no-tasks">
            <p>{format!("Nothing waits on you: as {} you read what others record.", article(role))}</p>
            <p>
                <a href=AppRoute::Dashboard.href()>"Open the dashboard"</a>
                " · "
                <a href=AppRoute::Assessments.href()>"Browse assessments"</a>
                " · "
                <a href=AppRoute::Audit.href()>"Read the audit log"</a>
            </p>
        </section>
    }
}

/// "an Auditor", "a Risk manager".
fn article(role: Role) -> String {
    let label = role.label();
    let vowel = label.starts_with(['A', 'E', 'I', 'O', 'U']);
    format!("{} {label}", if vowel { "an" } else { "a" })
}

/// Where the whole of a list is, when the home page shows only its first items.
fn all_of(kind: WorkKind) -> (&'static str, &'static str) {
    match kind {
        WorkKind::AwaitingReview | WorkKind::OverdueAnswers => {
            (AppRoute::Assessments.href(), "All assessments")
        }
        WorkKind::ExpiringEvidence | WorkKind::RemediationPastDue => {
            (AppRoute::Dashboard.href(), "All on the dashboard")
        }
        WorkKind::IncidentClocks => (AppRoute::Incidents.href(), "All incidents"),
    }
}

/// The phrase after a task: when it came in, fell due or runs out.
fn when(kind: WorkKind, item: &WorkItem) -> String {
    match kind {
        WorkKind::AwaitingReview => format!("submitted {}", day(&item.when)),
        WorkKind::OverdueAnswers | WorkKind::RemediationPastDue => {
            format!("was due {}", day(&item.when))
        }
        WorkKind::ExpiringEvidence => format!("expires {}", day(&item.when)),
        WorkKind::IncidentClocks => format!("notify by {}", short_time(&item.when)),
    }
}

#[component]
fn TaskList(list: WorkList) -> impl IntoView {
    let WorkList { kind, total, items } = list;
    let heading = format!("task-{}", kind.as_str());
    let (labelled_by, test_id) = (heading.clone(), heading.clone());
    let shown = items.len();
    let (all_href, all_label) = all_of(kind);
    // Worked out here: a `>` inside `view!` ends the tag.
    let count_class = if total == 0 {
        "badge"
    } else {
        "badge badge-warn"
    };
    let more = u64::try_from(shown).unwrap_or(u64::MAX) < total;
    view! {
        <section class="card task-list" aria-labelledby=labelled_by data-testid=test_id>
            <h2 id=heading>
                {kind.label()} " "
                <span class=count_class aria-label=format!("{total} waiting")>{total}</span>
            </h2>
            {if items.is_empty() {
                view! { <p class="muted">"Nothing waiting."</p> }.into_any()
            } else {
                view! {
                    <ul class="plain-list">
                        {items.into_iter().map(|item| {
                            let href = match item.target {
                                WorkTarget::Assessment(id) => assessment_href(id),
                                WorkTarget::Incident(id) => incident_href(id),
                            };
                            let when = when(kind, &item);
                            let late = item.late && kind == WorkKind::IncidentClocks;
                            view! {
                                <li>
                                    <a href=href>{item.vendor_name} " — " {item.subject}</a>
                                    <span class="muted small">" · " {when}</span>
                                    {late.then(|| view! { " " <span class="badge badge-danger">"Deadline passed"</span> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {more.then(|| view! {
                <p class="small">
                    {format!("Showing the {shown} most urgent of {total}. ")}
                    <a href=all_href>{all_label}</a>
                </p>
            })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_read_with_their_article() {
        assert_eq!(article(Role::Auditor), "an Auditor");
        assert_eq!(article(Role::RiskManager), "a Risk manager");
    }

    #[test]
    fn each_task_says_which_date_makes_it_one() {
        let item = WorkItem {
            target: WorkTarget::Assessment(uuid::Uuid::nil()),
            vendor_id: uuid::Uuid::nil(),
            vendor_name: "Northwind".to_owned(),
            subject: "Annual review".to_owned(),
            when: "2026-12-01".to_owned(),
            late: true,
        };
        assert_eq!(when(WorkKind::OverdueAnswers, &item), "was due 1 Dec 2026");
        assert_eq!(
            when(WorkKind::AwaitingReview, &item),
            "submitted 1 Dec 2026"
        );
        assert_eq!(
            when(WorkKind::ExpiringEvidence, &item),
            "expires 1 Dec 2026"
        );
    }
}
