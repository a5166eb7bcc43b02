//! First run: while no organisation exists, `assay serve` prints a link with a one-time
//! setup token, and whoever opens it creates the first organisation and its Admin, and is
//! signed in as that Admin. The token is 256 random bits, stored only as its SHA-256,
//! valid until it is used or a later start replaces it. Once an organisation exists no
//! token is made and setup is refused, however it was created (here or `assay org create`).

use std::net::IpAddr;

use assay_core::access::Role;
use assay_core::api::SetupRequest;
use secrecy::SecretString;
use serde_json::json;

use crate::auth::password::{PasswordService, check_new_password};
use crate::auth::throttle::{self, Attempt};
use crate::db::accounts::{self as account_queries, NewUser};
use crate::db::entities::{organization, user};
use crate::db::setup as queries;
use crate::error::{Error, Result};
use crate::services::accounts::{
    Email, hash_token, new_token, parse_display_name, parse_organisation_name,
};
use crate::services::audit::{self, Action, Actor, Event};
use crate::state::Ctx;

/// Whether the installation still waits for its first organisation (`GET /api/setup`).
pub async fn needed(ctx: &Ctx) -> Result<bool> {
    Ok(!queries::any_organization(&ctx.db).await?)
}

/// At start-up: while no organisation exists, a fresh token whose hash replaces any earlier
/// one (so only the link printed last works); `None` once one exists (and a token left
/// from before, unusable by then, is forgotten).
pub async fn issue_token(ctx: &Ctx) -> Result<Option<String>> {
    let txn = crate::db::begin_write(&ctx.db).await?;
    if queries::any_organization(&txn).await? {
        queries::forget_token(&txn).await?;
        txn.commit().await?;
        return Ok(None);
    }
    let token = new_token()?;
    queries::replace_token(&txn, hash_token(&token), ctx.clock.now()).await?;
    txn.commit().await?;
    Ok(Some(token))
}

/// The line `assay serve` prints for the operator, with the link to open.
pub fn invitation_line(public_url: &str, token: &str) -> String {
    format!(
        "No organisation yet. Open {}/setup?token={token} to create the first organisation and its Admin.",
        public_url.trim_end_matches('/')
    )
}

/// What a setup request asks for, every field checked by the rules the command line and
/// user creation apply; each error names the request's own field.
struct FirstOrganisation {
    name: String,
    slug: String,
    admin_name: String,
    admin_email: Email,
    password: SecretString,
}

impl FirstOrganisation {
    fn parse(request: SetupRequest) -> Result<Self> {
        let (name, slug) = parse_organisation_name(&request.organization_name)
            .map_err(|e| e.on_field("organization_name"))?;
        let admin_name =
            parse_display_name(&request.admin_name).map_err(|e| e.on_field("admin_name"))?;
        let admin_email =
            Email::parse(&request.admin_email).map_err(|e| e.on_field("admin_email"))?;
        check_new_password(&request.password, admin_email.as_str())
            .map_err(|m| Error::validation("password", m))?;
        Ok(FirstOrganisation {
            name,
            slug,
            admin_name,
            admin_email,
            password: SecretString::from(request.password),
        })
    }
}

fn already_set_up() -> Error {
    Error::Conflict {
        code: "already_set_up",
        message: "Assay is already set up: sign in instead, or ask an Admin of your organisation to invite you.".to_owned(),
    }
}

/// `POST /api/setup`: creates the first organisation and its Admin in one transaction that
/// also consumes the token, so however many requests race with the right token exactly one
/// succeeds; the others hear 409 `already_set_up`. A wrong, used or replaced token is 403
/// `invalid_setup_token`, and wrong tokens from one address are throttled like wrong
/// passwords (429 past the allowance). Returns the Admin and the organisation, to sign in.
pub async fn complete(
    ctx: &Ctx,
    passwords: &PasswordService,
    request: SetupRequest,
    address: IpAddr,
) -> Result<(user::Model, organization::Model)> {
    let db = &ctx.db;
    // Public knowledge (`GET /api/setup`), so it is answered before anything is counted.
    if queries::any_organization(db).await? {
        return Err(already_set_up());
    }
    let attempt = Attempt::Setup { address };
    if let Err(retry_after_secs) = throttle::reserve(db, attempt).await? {
        return Err(Error::TooManyRequests { retry_after_secs });
    }
    let token_hash = hash_token(request.token.trim());
    // Hashes are compared, not the token: how long a comparison takes says nothing about
    // the token itself.
    let stored = queries::find_token(db).await?;
    if stored.is_none_or(|stored| stored.token_hash != token_hash) {
        return Err(Error::InvalidSetupToken);
    }
    // The right token was no guess: its reservation is given back.
    throttle::succeeded(db, attempt).await?;
    let first = FirstOrganisation::parse(request)?;
    let password_hash = passwords.hash(&first.password).await?;
    let now = ctx.clock.now();
    let txn = crate::db::begin_write(db).await?;
    if !queries::consume_token(&txn, &token_hash).await? {
        // Another request used it first (or a restart replaced it) since it was read.
        return Err(if queries::any_organization(&txn).await? {
            already_set_up()
        } else {
            Error::InvalidSetupToken
        });
    }
    if queries::any_organization(&txn).await? {
        // `assay org create` ran meanwhile; dropping the transaction keeps the token.
        return Err(already_set_up());
    }
    let org = account_queries::insert_organization(&txn, &first.name, &first.slug, now).await?;
    let admin = account_queries::insert_user(
        &txn,
        NewUser {
            organization_id: org.id,
            email: first.admin_email.as_str(),
            display_name: &first.admin_name,
            role: Role::Admin.as_str(),
            password_hash: Some(password_hash),
            signed_in_with_sso: false,
        },
        now,
    )
    .await?;
    let by_admin = |action, target, detail| Event {
        organization_id: Some(org.id),
        actor: Actor::user(admin.id, &admin.email),
        action,
        target: Some(target),
        detail,
    };
    let address = address.to_string();
    for event in [
        by_admin(
            Action::OrganisationCreated,
            ("organisation", org.id.to_string()),
            json!({ "name": org.name, "slug": org.slug, "via": "setup_link" }),
        ),
        by_admin(
            Action::UserCreated,
            ("user", admin.id.to_string()),
            json!({ "email": admin.email, "role": admin.role, "via": "setup_link" }),
        ),
        by_admin(
            Action::SignInSucceeded,
            ("user", admin.id.to_string()),
            json!({ "address": address, "via": "setup_link" }),
        ),
    ] {
        audit::record(&txn, event, now).await?;
    }
    txn.commit().await?;
    // Never logged with the token; the hash is gone with the row.
    tracing::info!(organisation = %org.slug, "first organisation created with the setup link");
    Ok((admin, org))
}

#[cfg(test)]
mod tests {
    use secrecy::ExposeSecret;

    use super::*;

    #[test]
    fn the_printed_line_links_to_the_setup_page_under_the_public_url() {
        assert_eq!(
            invitation_line("https://assay.example/", "abc"),
            "No organisation yet. Open https://assay.example/setup?token=abc to create the first organisation and its Admin."
        );
    }

    fn request() -> SetupRequest {
        SetupRequest {
            token: "t".to_owned(),
            organization_name: "Acme Insurance".to_owned(),
            admin_name: "Priya Shah".to_owned(),
            admin_email: "Priya@Acme.example".to_owned(),
            password: "violet kettle harbour lantern".to_owned(),
        }
    }

    #[test]
    fn each_rejected_field_is_named_as_the_request_names_it() {
        let field = |request: SetupRequest| match FirstOrganisation::parse(request) {
            Err(Error::Validation { field, .. }) => field,
            other => panic!("expected a validation error, got {:?}", other.err()),
        };
        assert_eq!(
            field(SetupRequest {
                organization_name: "!!!".into(),
                ..request()
            }),
            "organization_name"
        );
        assert_eq!(
            field(SetupRequest {
                admin_name: "Priya\u{7}".into(),
                ..request()
            }),
            "admin_name"
        );
        assert_eq!(
            field(SetupRequest {
                admin_email: "priya".into(),
                ..request()
            }),
            "admin_email"
        );
        assert_eq!(
            field(SetupRequest {
                password: "short".into(),
                ..request()
            }),
            "password"
        );
    }

    #[test]
    fn a_valid_request_is_trimmed_and_gets_a_slug() {
        let first = FirstOrganisation::parse(request()).expect("valid");
        assert_eq!(first.slug, "acme-insurance");
        assert_eq!(first.admin_email.as_str(), "priya@acme.example");
        assert_eq!(
            first.password.expose_secret(),
            "violet kettle harbour lantern"
        );
    }
}
