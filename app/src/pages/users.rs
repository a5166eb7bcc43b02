//! The organisation's users (Admin): invite, change role, deactivate or reactivate, and
//! send someone a link to set a new password.

use assay_core::access::Role;
use assay_core::api::{
    InviteUserRequest, OutboxEmailView, UpdateOrganizationRequest, UpdateUserRequest, UserStatus,
    UserView,
};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::{self, ApiError};
use crate::auth::use_auth;
use crate::components::format::short_time;
use crate::components::pager::{PagedList, Pager};
use crate::components::status::{ErrorNotice, Loading, Outcome};
use crate::components::table::ScrollRegion;

mod sso;

fn role_from(value: &str) -> Role {
    value.parse().unwrap_or(Role::Auditor)
}

/// What an Admin does to the organisation's users.
#[derive(Clone)]
enum Change {
    Invite(InviteUserRequest),
    Update(uuid::Uuid, UpdateUserRequest),
    SendPasswordLink(UserView),
}

impl Change {
    /// Sends the change; says what was done, and whether it was an invitation.
    async fn apply(self) -> Result<(String, bool), ApiError> {
        match self {
            Change::Invite(request) => api::invite_user(request).await.map(|user| {
                (format!("Invitation for {} recorded in the outbox.", user.email), true)
            }),
            Change::Update(id, request) => api::update_user(id, request)
                .await
                .map(|user| (format!("{} updated.", user.email), false)),
            Change::SendPasswordLink(user) => api::send_password_reset(user.id).await.map(|()| {
                (
                    format!(
                        "A link to set a new password is on its way to {}; it works once and expires in 72 hours.",
                        user.email
                    ),
                    false,
                )
            }),
        }
    }
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let users = LocalResource::new(move || {
        version.track();
        api::users()
    });
    let outcome: RwSignal<Option<Result<String, ApiError>>> = RwSignal::new(None);

    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let role = RwSignal::new("procurement".to_owned());
    // One action for every change (invite, update, password link): one at a time, and one
    // copy of the action's code in this page's download instead of three.
    let change = Action::new_local(|change: &Change| {
        let change = change.clone();
        async move { change.apply().await }
    });
    Effect::new(move |_| match change.value().get() {
        Some(Ok((message, invited))) => {
            outcome.set(Some(Ok(message)));
            if invited {
                email.set(String::new());
                name.set(String::new());
            }
            version.update(|v| *v += 1);
        }
        Some(Err(error)) => outcome.set(Some(Err(error))),
        None => {}
    });
    let busy = move || change.pending().get();
    let on_invite = move |ev: SubmitEvent| {
        ev.prevent_default();
        change.dispatch(Change::Invite(InviteUserRequest {
            email: email.get_untracked(),
            display_name: name.get_untracked(),
            role: role_from(&role.get_untracked()),
        }));
    };
    let update = move |id: uuid::Uuid, request: UpdateUserRequest| {
        change.dispatch(Change::Update(id, request));
    };

    let row = move |user: UserView| {
        let id = user.id;
        let active = user.active;
        let label = format!("Role of {}", user.email);
        // An invited user gets their invitation again; anyone else (with a password, or
        // signing in through single sign-on) a link to set a password.
        let has_password = user.status != UserStatus::Invited;
        let reset_label = if has_password {
            format!("Send password link to {}", user.email)
        } else {
            format!("Resend invitation to {}", user.email)
        };
        let reset_user = user.clone();
        view! {
            <tr data-testid="user-row">
                <td>{user.display_name.clone()}</td>
                <td>{user.email.clone()}</td>
                <td>
                    <select aria-label=label on:change=move |ev| {
                        let role = role_from(&event_target_value(&ev));
                        update(id, UpdateUserRequest { role: Some(role), ..Default::default() });
                    }>
                        {Role::ALL.into_iter().map(|r| view! {
                            <option value=r.as_str() selected=r == user.role>{r.label()}</option>
                        }).collect_view()}
                    </select>
                </td>
                <td>
                    {match user.status {
                        UserStatus::Invited => view! { <span class="badge badge-warn">"Invited"</span> }.into_any(),
                        UserStatus::Active => view! { <span class="badge badge-ok">"Active"</span> }.into_any(),
                        UserStatus::Deactivated => view! { <span class="badge badge-danger">"Deactivated"</span> }.into_any(),
                    }}
                </td>
                <td><div class="row-actions">
                    <button type="button" class="button-secondary" on:click=move |_| {
                        update(id, UpdateUserRequest { active: Some(!active), ..Default::default() });
                    }>{if active { "Deactivate" } else { "Reactivate" }}</button>
                    {active.then(|| view! {
                        <button type="button" class="button-secondary" aria-label=reset_label.clone()
                            disabled=busy
                            on:click=move |_| { change.dispatch(Change::SendPasswordLink(reset_user.clone())); }>
                            {if has_password { "Send password link" } else { "Resend invitation" }}
                        </button>
                    })}
                </div></td>
            </tr>
        }
    };

    view! {
        <Title text="Users" />
        <h1>"Users"</h1>
        <Outcome outcome=outcome />
        <section class="card">
            <Suspense fallback=|| view! { <Loading label="Loading users…" /> }>
                {move || Suspend::new(async move {
                    match users.await {
                        Ok(list) => view! {
                            <ScrollRegion label="Users"><table>
                                <thead><tr><th>"Name"</th><th>"Email"</th><th>"Role"</th><th>"Status"</th><th><span class="visually-hidden">"Actions"</span></th></tr></thead>
                                <tbody>{list.into_iter().map(row).collect_view()}</tbody>
                            </table></ScrollRegion>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
        <OrganisationSecurity />
        <sso::SingleSignOn />
        <Outbox version />
        <section class="card narrow" aria-labelledby="invite-heading">
            <h2 id="invite-heading">"Invite a user"</h2>
            <p class="muted">"They receive a link to set their own password; it works once and expires in 72 hours."</p>
            <form on:submit=on_invite>
                <div class="field">
                    <label for="invite-email">"Email address"</label>
                    <input id="invite-email" type="email" required bind:value=email />
                </div>
                <div class="field">
                    <label for="invite-name">"Name"</label>
                    <input id="invite-name" type="text" required bind:value=name />
                </div>
                <div class="field">
                    <label for="invite-role">"Role"</label>
                    <select id="invite-role" bind:value=role>
                        {Role::ALL.into_iter().map(|r| view! { <option value=r.as_str()>{r.label()}</option> }).collect_view()}
                    </select>
                </div>
                <button type="submit" disabled=busy>"Send invitation"</button>
            </form>
        </section>
    }
}

/// The organisation's settings: the MFA requirement and the time zone every time is shown in.
#[component]
fn OrganisationSecurity() -> impl IntoView {
    let auth = use_auth();
    let required = move || {
        auth.me
            .with(|me| me.as_ref().is_some_and(|m| m.organization.require_mfa))
    };
    let zone = move || {
        auth.me.with(|me| {
            me.as_ref()
                .map_or_else(|| "UTC".to_owned(), |m| m.organization.time_zone.clone())
        })
    };
    let save = Action::new_local(|request: &UpdateOrganizationRequest| {
        let request = request.clone();
        async move { api::update_organization(request).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(org)) = save.value().get() {
            let mut me = auth.me.get_untracked();
            if let Some(me) = &mut me {
                me.organization = org;
            }
            auth.set_me(me);
        }
    });
    let zones = crate::components::format::known_time_zones();
    view! {
        <section class="card narrow" aria-labelledby="security-heading">
            <h2 id="security-heading">"Organisation settings"</h2>
            {move || save.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
            <label class="checkbox">
                <input type="checkbox" prop:checked=required
                    on:change=move |ev| { save.dispatch(UpdateOrganizationRequest { require_mfa: Some(event_target_checked(&ev)), time_zone: None }); } />
                " Require two-factor authentication for every user"
            </label>
            <p class="muted small">"Users without it must set it up on their account page before they can do anything else."</p>
            <div class="field">
                <label for="org-time-zone">"Time zone"</label>
                <select id="org-time-zone" name="time_zone" prop:value=zone
                    on:change=move |ev| { save.dispatch(UpdateOrganizationRequest { require_mfa: None, time_zone: Some(event_target_value(&ev)) }); }>
                    {zones.into_iter().map(|z| {
                        let label = z.replace('_', " ");
                        view! { <option value=z.clone() selected=move || zone() == z>{label}</option> }
                    }).collect_view()}
                </select>
                <p class="muted small">"Every time Assay shows your organisation's people, on pages and in exports, is written in this zone."</p>
            </div>
        </section>
    }
}

/// Every email Assay sent or is sending, newest first, with its delivery status: an Admin
/// sees what reached whom, and what is waiting or failed (and why).
fn delivery_badge(status: &str) -> impl IntoView + use<> {
    let (class, label) = match status {
        "sent" => ("badge badge-ok", "Sent"),
        "failed" => ("badge badge-danger", "Failed"),
        "retrying" => ("badge badge-warn", "Retrying"),
        "sending" => ("badge", "Sending"),
        _ => ("badge", "Queued"),
    };
    view! { <span class=class data-testid="delivery-status">{label}</span> }
}

/// Attempts, the next try and the last error, in a sentence.
fn delivery_line(mail: &OutboxEmailView) -> String {
    let mut parts = vec![format!(
        "{} · {} attempt{}",
        mail.kind.replace('_', " "),
        mail.attempts,
        if mail.attempts == 1 { "" } else { "s" }
    )];
    if let Some(sent) = &mail.sent_at {
        parts.push(format!("sent {}", short_time(sent)));
    }
    if let Some(next) = &mail.next_attempt_at {
        parts.push(format!("next try {}", short_time(next)));
    }
    if let Some(error) = &mail.last_error {
        parts.push(format!("last error: {error}"));
    }
    parts.join(" · ")
}

/// Emails per page of the outbox card.
const OUTBOX_PAGE: u64 = 50;

#[component]
fn Outbox(version: RwSignal<u32>) -> impl IntoView {
    let list = PagedList::new(OUTBOX_PAGE, move |paging| {
        version.track();
        async move { api::outbox(&paging).await }
    });
    let (page, pages, emails) = (list.page, list.pages, list.loaded);
    view! {
        <section class="card" aria-labelledby="outbox-heading">
            <h2 id="outbox-heading">"Email outbox"</h2>
            <p class="muted small">"Emails wait here as Queued until an SMTP server is configured (see docs/OPERATIONS.md); failed attempts are retried with backoff. Their text is not shown: invitations carry personal links, which only their recipient should see. Without SMTP, the operator reads a waiting email on the server with " <code>"assay outbox read --to ADDRESS"</code> "."</p>
            <Transition fallback=|| view! { <Loading label="Loading emails…" /> }>
                {move || Suspend::new(async move {
                    match emails.await {
                        Ok(page) if page.items.is_empty() => view! { <p class="muted">"No emails yet."</p> }.into_any(),
                        Ok(page) => view! {
                            <p class="muted small">{format!("{} email{}, newest first.", page.total, if page.total == 1 { "" } else { "s" })}</p>
                            <ul class="outbox" data-testid="outbox">
                                {page.items.into_iter().map(|mail| {
                                    let badge = delivery_badge(&mail.status);
                                    let line = delivery_line(&mail);
                                    view! {
                                    <li>
                                        <p class="mail-summary">
                                            {badge} " "
                                            <strong>{mail.subject}</strong>
                                            " · " {mail.recipient} " · " <time>{short_time(&mail.created_at)}</time>
                                        </p>
                                        <p class="small muted" data-testid="delivery">
                                            {line}
                                        </p>
                                    </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Transition>
            <Pager page pages label="Outbox pages" />
        </section>
    }
}
