//! The overview page: what Assay is, and the live state of the server behind it.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api;
use crate::auth::use_auth;
use crate::components::status::{ErrorNotice, Loading};
use crate::routes::AppRoute;

#[component]
pub fn HomePage() -> impl IntoView {
    let health = LocalResource::new(api::health);
    let auth = use_auth();
    view! {
        <Title text="Overview" />
        <section class="hero">
            <h1>"Vendor due diligence"</h1>
            <p class="lead">
                "Send security questionnaires to your vendors, collect their evidence, score the answers against your criteria and contracts, and decide with a record an auditor can follow."
            </p>
            {move || match auth.me.get() {
                Some(me) => view! {
                    <p data-testid="welcome">"Welcome, " {me.user.display_name} ". You are signed in to "
                        {me.organization.name} " as " {me.user.role.label()} "."</p>
                }.into_any(),
                None => view! {
                    <p><a class="button" href=AppRoute::SignIn.href()>"Sign in"</a></p>
                }.into_any(),
            }}
        </section>
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
