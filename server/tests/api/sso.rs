//! Single sign-on against a real OpenID provider: panva's certified `oidc-provider`, run by
//! `server/tests/oidc/provider.mjs` on 127.0.0.1 (installed by `npm ci` in that folder;
//! `scripts/test` does it). Each test drives the provider's own login and consent pages
//! with a cookie-keeping client that follows every redirect by hand.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use assay_core::access::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, TestUser, get_with, new_client, post_with, spawn_app};
use crate::incidents::assert_error;

const SECRET: &str = "provider-client-secret-7f3a9c";

/// The provider process; killed when the test ends.
struct Provider {
    child: Child,
    issuer: String,
    http: reqwest::Client,
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Provider {
    async fn start(config: Value) -> Provider {
        let dir = crate::helpers::in_crate("tests/oidc");
        assert!(
            dir.join("node_modules/oidc-provider").is_dir(),
            "the test provider is not installed: run `npm ci` in {}",
            dir.display()
        );
        let mut child = Command::new("node")
            .arg(dir.join("provider.mjs"))
            .arg(config.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("node should start the test provider");
        let stdout = child.stdout.take().expect("the provider's output");
        // The first line names the issuer; the rest is drained until the provider ends, so
        // that it never writes into a closed pipe.
        let (first, line) = tokio::sync::oneshot::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            let _ = first.send(lines.next().and_then(Result::ok).unwrap_or_default());
            for _ in lines {}
        });
        let line = tokio::time::timeout(std::time::Duration::from_secs(30), line)
            .await
            .expect("the provider should start within 30 s")
            .expect("the provider prints its issuer");
        let issuer = serde_json::from_str::<Value>(&line)
            .unwrap_or_else(|e| panic!("the provider printed {line:?}: {e}"))["issuer"]
            .as_str()
            .expect("an issuer")
            .to_owned();
        Provider {
            child,
            issuer,
            http: reqwest::Client::new(),
        }
    }

    async fn admin(&self, path: &str, body: Value) {
        let response = self
            .http
            .post(format!("{}{path}", self.issuer))
            .json(&body)
            .send()
            .await
            .expect("the provider answers");
        assert_eq!(response.status(), 204, "provider {path}");
    }

    /// The account's custom claims from the next sign-in on.
    async fn set_claims(&self, login: &str, claims: Value) {
        self.admin(
            "/__admin/claims",
            json!({ "login": login, "claims": claims }),
        )
        .await;
    }

    async fn stats(&self) -> Value {
        self.http
            .get(format!("{}/__admin/stats", self.issuer))
            .send()
            .await
            .expect("the provider answers")
            .json()
            .await
            .expect("stats")
    }
}

/// An organisation with an Admin, single sign-on set up against a fresh provider.
struct World {
    app: TestApp,
    provider: Provider,
    admin: TestUser,
    admin_client: reqwest::Client,
}

fn accounts() -> Value {
    json!([
        { "login": "ada", "email": "ada@acme.example", "name": "Ada Lovelace", "claims": { "assay_role": ["staff", "risk"] } },
        { "login": "bob", "email": "bob@acme.example" },
        { "login": "eve", "email": "eve@evil.example" },
        { "login": "carol", "email": "carol@acme.example" },
        { "login": "pat", "email": "pat@acme.example" },
        { "login": "root", "email": "admin@acme.example" },
    ])
}

fn settings(issuer: &str) -> Value {
    json!({
        "enabled": true,
        "issuer_url": issuer,
        "client_id": "assay",
        "client_secret": SECRET,
        "allowed_domains": ["acme.example"],
        "role_claim": "assay_role",
        "role_mapping": [{ "claim_value": "risk", "role": "risk_manager" }],
        "default_role": "procurement",
    })
}

async fn put_settings(app: &TestApp, client: &reqwest::Client, body: &Value) -> reqwest::Response {
    client
        .put(app.url("/api/settings/sso"))
        .json(body)
        .send()
        .await
        .expect("request should reach the test server")
}

async fn world_with(provider_options: Value) -> World {
    let app = spawn_app().await;
    let admin = app
        .create_user("Acme", "admin@acme.example", Role::Admin)
        .await;
    let admin_client = app.signed_in(&admin.email).await;
    let view: Value = get_with(&admin_client, &app.url("/api/settings/sso"))
        .await
        .json()
        .await
        .expect("settings");
    let redirect_uri = view["redirect_uri"].as_str().expect("a redirect URI");
    let mut config = json!({
        "port": 0,
        "clients": [{ "client_id": "assay", "client_secret": SECRET, "redirect_uris": [redirect_uri] }],
        "accounts": accounts(),
    });
    if let (Some(config), Some(options)) = (config.as_object_mut(), provider_options.as_object()) {
        config.extend(options.clone());
    }
    let provider = Provider::start(config).await;
    let response = put_settings(&app, &admin_client, &settings(&provider.issuer)).await;
    assert_eq!(response.status(), 200, "SSO settings saved");
    World {
        app,
        provider,
        admin,
        admin_client,
    }
}

async fn world() -> World {
    world_with(json!({})).await
}

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(reqwest::header::LOCATION)
        .unwrap_or_else(|| panic!("a redirect, got {}", response.status()))
        .to_str()
        .expect("a readable Location")
        .to_owned()
}

/// Asks Assay to start a sign-in; answers the provider URL it redirects to.
async fn start(world: &World, client: &reqwest::Client) -> String {
    let response = get_with(
        client,
        &world.app.url("/api/auth/oidc/start?organization=acme"),
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "start redirects");
    let to = location(&response);
    assert!(
        to.starts_with(&world.provider.issuer),
        "start sends the browser to the provider: {to}"
    );
    to
}

fn form_of(html: &str) -> (String, Vec<(String, String)>) {
    let action = html
        .split("action=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("a form in the provider's page:\n{html}"))
        .replace("&amp;", "&");
    let hidden = html
        .split("<input type=\"hidden\"")
        .skip(1)
        .filter_map(|input| {
            let attr = |name: &str| {
                input
                    .split(&format!("{name}=\""))
                    .nth(1)
                    .and_then(|rest| rest.split('"').next())
                    .map(str::to_owned)
            };
            Some((attr("name")?, attr("value")?))
        })
        .collect();
    (action, hidden)
}

/// Walks the provider's pages from `url` (login as `login`, then consent) until it sends the
/// browser back to Assay; answers the callback's query.
async fn through_provider(
    world: &World,
    client: &reqwest::Client,
    url: &str,
    login: &str,
) -> String {
    let mut url = url.to_owned();
    for _ in 0..20 {
        let response = get_with(client, &url).await;
        let status = response.status();
        if status.is_redirection() {
            let to = location(&response);
            if let Some((_, query)) = to.split_once("/api/auth/oidc/callback?") {
                return query.to_owned();
            }
            url = if to.starts_with("http") {
                to
            } else {
                format!("{}{to}", world.provider.issuer)
            };
            continue;
        }
        assert_eq!(status, 200, "a provider page at {url}");
        let html = response.text().await.expect("the provider's page");
        let (action, mut fields) = form_of(&html);
        if html.contains("name=\"login\"") {
            fields.push(("login".to_owned(), login.to_owned()));
            fields.push(("password".to_owned(), "any password".to_owned()));
        }
        let action = if action.starts_with("http") {
            action
        } else {
            format!("{}{action}", world.provider.issuer)
        };
        let submitted = client
            .post(&action)
            .form(&fields)
            .send()
            .await
            .expect("the provider answers the form");
        assert!(
            submitted.status().is_redirection(),
            "the provider accepts the form: {}",
            submitted.status()
        );
        let to = location(&submitted);
        url = if to.starts_with("http") {
            to
        } else {
            format!("{}{to}", world.provider.issuer)
        };
    }
    panic!("the provider never sent the browser back to Assay");
}

/// Delivers the provider's answer to Assay's callback; answers where Assay redirects.
async fn callback(world: &World, client: &reqwest::Client, query: &str) -> String {
    let response = get_with(
        client,
        &world.app.url(&format!("/api/auth/oidc/callback?{query}")),
    )
    .await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "the callback redirects"
    );
    location(&response)
}

/// A whole sign-in as `login` in a new browser; answers the browser and where it landed.
async fn sign_in(world: &World, login: &str) -> (reqwest::Client, String) {
    let client = new_client();
    let url = start(world, &client).await;
    let query = through_provider(world, &client, &url, login).await;
    let landed = callback(world, &client, &query).await;
    (client, landed)
}

async fn me(world: &World, client: &reqwest::Client) -> reqwest::Response {
    get_with(client, &world.app.url("/api/auth/me")).await
}

async fn assert_refused(world: &World, client: &reqwest::Client, landed: &str, code: &str) {
    assert_eq!(
        landed,
        format!("/sign-in?sso_error={code}"),
        "the sign-in is refused with {code}"
    );
    assert_eq!(
        me(world, client).await.status(),
        401,
        "a refused sign-in starts no session"
    );
}

/// The reason of the newest failed single sign-on in the audit log.
async fn last_failure_reason(world: &World) -> String {
    let entries = world.app.audit_log(&world.admin_client).await;
    let entry = entries
        .iter()
        .find(|e| e.action == "auth.sign_in_failed")
        .expect("the failure is audited");
    let detail = serde_json::to_value(&entry.detail).expect("detail");
    assert_eq!(detail["method"], "sso", "{detail}");
    detail["reason"].as_str().expect("a reason").to_owned()
}

async fn users(world: &World) -> Vec<Value> {
    get_with(&world.admin_client, &world.app.url("/api/users"))
        .await
        .json()
        .await
        .expect("users")
}

async fn assert_not_provisioned(world: &World, email: &str) {
    assert!(
        users(world).await.iter().all(|u| u["email"] != email),
        "{email} was not provisioned"
    );
}

#[tokio::test]
async fn first_sso_sign_in_creates_the_user_with_the_mapped_role_and_the_next_reuses_them() {
    let world = world().await;

    let (client, landed) = sign_in(&world, "ada").await;

    assert_eq!(landed, "/", "signed in, to the home page");
    let me: Value = me(&world, &client).await.json().await.expect("me");
    assert_eq!(me["user"]["email"], "ada@acme.example");
    assert_eq!(
        me["user"]["role"], "risk_manager",
        "'risk' maps to Risk manager"
    );
    assert_eq!(me["user"]["display_name"], "Ada Lovelace");
    assert_eq!(me["organization"]["slug"], "acme");

    let (second, landed) = sign_in(&world, "ada").await;
    assert_eq!(landed, "/");
    let again: Value = self::me(&world, &second).await.json().await.expect("me");
    assert_eq!(again["user"]["id"], me["user"]["id"], "the same user");
    let adas = users(&world)
        .await
        .into_iter()
        .filter(|u| u["email"] == "ada@acme.example")
        .count();
    assert_eq!(adas, 1, "provisioned once");

    // Signing out ends the Assay session.
    let out = post_with(&client, &world.app.url("/api/auth/logout"), &json!({})).await;
    assert_eq!(out.status(), 204);
    assert_eq!(self::me(&world, &client).await.status(), 401);
    assert_eq!(
        self::me(&world, &second).await.status(),
        200,
        "the other browser stays"
    );
}

/// The row of the users list (as an Admin sees it) for `email`.
async fn user_row(world: &World, email: &str) -> Value {
    users(world)
        .await
        .into_iter()
        .find(|u| u["email"] == email)
        .unwrap_or_else(|| panic!("{email} is in the users list"))
}

#[tokio::test]
async fn a_user_provisioned_by_sso_shows_as_active_in_the_users_list_not_invited() {
    let world = world().await;

    let (_, landed) = sign_in(&world, "ada").await;

    assert_eq!(landed, "/", "signed in");
    let ada = user_row(&world, "ada@acme.example").await;
    assert_eq!(
        ada["status"], "active",
        "someone who signed in through SSO is an active user, not an invitation: {ada}"
    );
    assert_eq!(ada["active"], true, "{ada}");
    assert_eq!(
        ada["has_password"], false,
        "SSO users have no password of their own: {ada}"
    );
    let invited = world
        .admin_client
        .post(world.app.url("/api/users"))
        .json(&json!({ "email": "tom@acme.example", "display_name": "Tom", "role": "auditor" }))
        .send()
        .await
        .expect("reaches the server");
    assert_eq!(invited.status(), 201, "Tom invited");
    let tom = user_row(&world, "tom@acme.example").await;
    assert_eq!(
        tom["status"], "invited",
        "someone invited who has not come yet is still invited: {tom}"
    );
}

#[tokio::test]
async fn an_invited_user_who_signs_in_through_sso_is_no_longer_invited() {
    let world = world().await;
    let invited = world
        .admin_client
        .post(world.app.url("/api/users"))
        .json(&json!({ "email": "carol@acme.example", "display_name": "Carol", "role": "procurement" }))
        .send()
        .await
        .expect("reaches the server");
    assert_eq!(invited.status(), 201, "Carol invited");
    assert_eq!(
        user_row(&world, "carol@acme.example").await["status"],
        "invited"
    );

    let (_, landed) = sign_in(&world, "carol").await;

    assert_eq!(landed, "/");
    let carol = user_row(&world, "carol@acme.example").await;
    assert_eq!(
        carol["status"], "active",
        "an SSO sign-in takes up the invitation: {carol}"
    );
}

#[tokio::test]
async fn the_role_mapping_is_applied_at_every_sso_sign_in_and_the_change_is_audited() {
    let world = world().await;
    let (first, _) = sign_in(&world, "ada").await;
    let me: Value = me(&world, &first).await.json().await.expect("me");
    assert_eq!(
        me["user"]["role"], "risk_manager",
        "'risk' maps to Risk manager"
    );

    // At the provider, Ada leaves the risk group: no mapping row matches any more.
    world
        .provider
        .set_claims("ada", json!({ "assay_role": ["staff"] }))
        .await;
    let (second, landed) = sign_in(&world, "ada").await;

    assert_eq!(landed, "/", "signed in again");
    let again: Value = self::me(&world, &second).await.json().await.expect("me");
    assert_eq!(again["user"]["id"], me["user"]["id"], "the same user");
    assert_eq!(
        again["user"]["role"], "procurement",
        "the role follows the provider's claim at each sign-in (here the default role)"
    );
    assert_eq!(
        user_row(&world, "ada@acme.example").await["role"],
        "procurement",
        "the users list shows the new role"
    );
    assert_eq!(
        self::me(&world, &first).await.status(),
        401,
        "a session made under the old role ends, as after an Admin's change"
    );
    let audit = world.app.audit_log(&world.admin_client).await;
    let change = audit
        .iter()
        .find(|e| e.action == "user.updated")
        .expect("the role change is in the audit log");
    let detail = serde_json::to_value(&change.detail).expect("detail");
    assert_eq!(
        detail["role"],
        json!({ "from": "risk_manager", "to": "procurement" }),
        "the audit entry says what changed: {detail}"
    );
    assert_eq!(detail["method"], "sso", "{detail}");

    // Back in the risk group: back to Risk manager.
    world
        .provider
        .set_claims("ada", json!({ "assay_role": "risk" }))
        .await;
    let (third, _) = sign_in(&world, "ada").await;
    let back: Value = self::me(&world, &third).await.json().await.expect("me");
    assert_eq!(back["user"]["role"], "risk_manager");
}

#[tokio::test]
async fn sso_never_demotes_the_break_glass_admin_or_the_last_active_admin() {
    let world = world().await;

    // The only Admin, without a role claim (which maps to Procurement), keeps Admin.
    let (client, landed) = sign_in(&world, "root").await;
    assert_eq!(landed, "/");
    let me: Value = me(&world, &client).await.json().await.expect("me");
    assert_eq!(
        me["user"]["role"], "admin",
        "the organisation's last active Admin is never demoted through SSO"
    );

    // With a second Admin, the break-glass Admin is still never changed through SSO.
    world
        .app
        .create_user("Acme", "second.admin@acme.example", Role::Admin)
        .await;
    let mut body = settings(&world.provider.issuer);
    body["break_glass_user_id"] = json!(world.admin.id);
    let saved = put_settings(&world.app, &world.admin_client, &body).await;
    assert_eq!(saved.status(), 200, "break-glass Admin chosen");
    let (client, _) = sign_in(&world, "root").await;
    let me: Value = self::me(&world, &client).await.json().await.expect("me");
    assert_eq!(
        me["user"]["role"], "admin",
        "the break-glass Admin keeps Admin whatever the provider says"
    );

    // Once another Admin exists and this one is not the break-glass Admin, the mapping
    // applies to them like to anyone.
    body["break_glass_user_id"] = Value::Null;
    let saved = put_settings(&world.app, &world.admin_client, &body).await;
    assert_eq!(saved.status(), 200);
    let (client, _) = sign_in(&world, "root").await;
    let me: Value = self::me(&world, &client).await.json().await.expect("me");
    assert_eq!(me["user"]["role"], "procurement", "the mapping applies");
    let audit = world
        .app
        .audit_log(&world.app.signed_in("second.admin@acme.example").await)
        .await;
    assert!(
        audit.iter().any(|e| e.action == "user.updated"),
        "the demotion is audited"
    );
}

#[tokio::test]
async fn concurrent_first_sso_sign_ins_of_one_new_person_all_succeed_with_one_user() {
    let world = world().await;
    // Each browser goes through the provider first; then all callbacks arrive at once.
    let mut answers = Vec::new();
    for _ in 0..12 {
        let client = new_client();
        let url = start(&world, &client).await;
        let query = through_provider(&world, &client, &url, "carol").await;
        answers.push((client, query));
    }

    let callbacks = answers.iter().map(|(client, query)| {
        let url = world.app.url(&format!("/api/auth/oidc/callback?{query}"));
        async move {
            let response = get_with(client, &url).await;
            let status = response.status();
            let to = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|l| l.to_str().ok())
                .map(str::to_owned);
            (status, to)
        }
    });
    let outcomes = futures_util::future::join_all(callbacks).await;

    assert!(
        outcomes.iter().all(|(s, _)| s.as_u16() < 500),
        "no sign-in fails with a server error: {outcomes:?}"
    );
    assert!(
        outcomes
            .iter()
            .all(|(s, to)| *s == StatusCode::SEE_OTHER && to.as_deref() == Some("/")),
        "every concurrent first sign-in succeeds: {outcomes:?}"
    );
    for (client, _) in &answers {
        assert_eq!(
            me(&world, client).await.status(),
            200,
            "each browser is signed in"
        );
    }
    let carols = users(&world)
        .await
        .into_iter()
        .filter(|u| u["email"] == "carol@acme.example")
        .count();
    assert_eq!(carols, 1, "exactly one user was provisioned");
}

#[tokio::test]
async fn a_new_user_without_the_role_claim_gets_the_default_role() {
    let world = world().await;

    let (client, landed) = sign_in(&world, "bob").await;

    assert_eq!(landed, "/");
    let me: Value = me(&world, &client).await.json().await.expect("me");
    assert_eq!(me["user"]["role"], "procurement", "the default role");
}

#[tokio::test]
async fn an_id_token_for_another_audience_is_refused() {
    let world = world().await;
    world
        .provider
        .admin("/__admin/tamper", json!({ "audience": "someone-else" }))
        .await;

    let (client, landed) = sign_in(&world, "ada").await;

    assert_refused(&world, &client, &landed, "token_invalid").await;
    let reason = last_failure_reason(&world).await;
    assert!(
        reason.contains("audience"),
        "refused for its audience: {reason}"
    );
    assert_not_provisioned(&world, "ada@acme.example").await;
}

#[tokio::test]
async fn an_id_token_with_another_nonce_is_refused() {
    let world = world().await;
    world
        .provider
        .admin(
            "/__admin/tamper",
            json!({ "nonce": "a-nonce-assay-never-sent" }),
        )
        .await;

    let (client, landed) = sign_in(&world, "ada").await;

    assert_refused(&world, &client, &landed, "token_invalid").await;
    let reason = last_failure_reason(&world).await;
    assert!(reason.contains("nonce"), "refused for its nonce: {reason}");
}

#[tokio::test]
async fn one_sign_ins_code_delivered_with_anothers_state_is_refused() {
    let world = world().await;
    let client = new_client();
    let first = start(&world, &client).await;
    let first_answer = through_provider(&world, &client, &first, "ada").await;
    let code = first_answer
        .split('&')
        .find_map(|p| p.strip_prefix("code="))
        .expect("a code");
    let second = start(&world, &client).await;
    let second_state = second
        .split(['?', '&'])
        .find_map(|p| p.strip_prefix("state="))
        .expect("a state");

    let landed = callback(
        &world,
        &client,
        &format!("code={code}&state={second_state}"),
    )
    .await;

    // The second attempt's PKCE verifier (and nonce) do not fit the first code: the
    // provider refuses the exchange before any token exists.
    assert_refused(&world, &client, &landed, "provider_refused").await;
    let reason = last_failure_reason(&world).await;
    assert!(reason.contains("code exchange failed"), "{reason}");
}

#[tokio::test]
async fn an_expired_id_token_is_refused() {
    let world = world_with(json!({ "id_token_ttl": 60 })).await;
    let client = new_client();
    let url = start(&world, &client).await;
    let query = through_provider(&world, &client, &url, "ada").await;

    // Past the token's expiry, still within the sign-in attempt's ten minutes.
    world.app.clock.advance(time::Duration::minutes(3));
    let landed = callback(&world, &client, &query).await;

    assert_refused(&world, &client, &landed, "token_expired").await;
}

#[tokio::test]
async fn a_state_used_twice_unknown_or_too_old_is_refused() {
    let world = world().await;
    let client = new_client();
    let url = start(&world, &client).await;
    let query = through_provider(&world, &client, &url, "bob").await;
    assert_eq!(
        callback(&world, &client, &query).await,
        "/",
        "first use signs in"
    );

    let replay = new_client();
    // The same browser (its cookie still names the state) replays the callback.
    let landed = callback(&world, &client, &query).await;
    assert_eq!(landed, "/sign-in?sso_error=state_invalid");
    assert_eq!(last_failure_reason(&world).await, "state already used");

    let landed = callback(&world, &replay, "code=abc&state=made-up").await;
    assert_refused(&world, &replay, &landed, "state_invalid").await;

    let late = new_client();
    let url = start(&world, &late).await;
    let query = through_provider(&world, &late, &url, "bob").await;
    world.app.clock.advance(time::Duration::minutes(11));
    let landed = callback(&world, &late, &query).await;
    assert_refused(&world, &late, &landed, "state_invalid").await;
    assert_eq!(last_failure_reason(&world).await, "sign-in attempt expired");
}

#[tokio::test]
async fn an_email_outside_the_allowed_domains_is_refused() {
    let world = world().await;

    let (client, landed) = sign_in(&world, "eve").await;

    assert_refused(&world, &client, &landed, "domain_not_allowed").await;
    assert_not_provisioned(&world, "eve@evil.example").await;
}

#[tokio::test]
async fn an_email_of_another_organisation_or_a_deactivated_user_is_refused() {
    let world = world().await;
    world
        .app
        .create_user("Other Corp", "carol@acme.example", Role::Admin)
        .await;
    let pat = world
        .app
        .create_user("Acme", "pat@acme.example", Role::Procurement)
        .await;
    let response = world
        .admin_client
        .patch(world.app.url(&format!("/api/users/{}", pat.id)))
        .json(&json!({ "active": false }))
        .send()
        .await
        .expect("reaches the server");
    assert_eq!(response.status(), 200, "pat deactivated");

    let (client, landed) = sign_in(&world, "carol").await;
    assert_refused(&world, &client, &landed, "account_elsewhere").await;

    let (client, landed) = sign_in(&world, "pat").await;
    assert_refused(&world, &client, &landed, "account_deactivated").await;
}

#[tokio::test]
async fn sso_required_refuses_password_sign_in_except_for_the_break_glass_admin() {
    let world = world().await;
    let pat = world
        .app
        .create_user("Acme", "pat@acme.example", Role::Procurement)
        .await;
    let other_admin = world
        .app
        .create_user("Acme", "second.admin@acme.example", Role::Admin)
        .await;
    let mut required = settings(&world.provider.issuer);
    required["sso_required"] = json!(true);

    let without_break_glass = put_settings(&world.app, &world.admin_client, &required).await;
    assert_invalid(without_break_glass, "break_glass_user_id").await;
    required["break_glass_user_id"] = json!(pat.id);
    let not_an_admin = put_settings(&world.app, &world.admin_client, &required).await;
    assert_invalid(not_an_admin, "break_glass_user_id").await;
    required["break_glass_user_id"] = json!(world.admin.id);
    let saved = put_settings(&world.app, &world.admin_client, &required).await;
    assert_eq!(saved.status(), 200, "SSO required");

    let login = |email: &str| {
        let app = &world.app;
        let email = email.to_owned();
        async move {
            post_with(
                &new_client(),
                &app.url("/api/auth/login"),
                &json!({ "email": email, "password": PASSWORD }),
            )
            .await
        }
    };
    for email in [&pat.email, &other_admin.email] {
        let refused = login(email).await;
        assert_eq!(refused.status(), 403, "{email} must use SSO");
        let body: Value = refused.json().await.expect("an error body");
        assert_eq!(body["error"]["code"], "sso_required");
    }
    assert_eq!(
        login(&world.admin.email).await.status(),
        200,
        "the break-glass Admin still signs in with a password"
    );
    let (_, landed) = sign_in(&world, "pat").await;
    assert_eq!(landed, "/", "SSO still works for everyone");

    // Back to optional: passwords work again.
    let saved = put_settings(
        &world.app,
        &world.admin_client,
        &settings(&world.provider.issuer),
    )
    .await;
    assert_eq!(saved.status(), 200);
    assert_eq!(login(&other_admin.email).await.status(), 200);
}

#[tokio::test]
async fn a_signing_key_rotation_at_the_provider_is_picked_up() {
    let world = world().await;
    let (_, landed) = sign_in(&world, "ada").await;
    assert_eq!(landed, "/");
    let (_, landed) = sign_in(&world, "bob").await;
    assert_eq!(landed, "/");
    let before = world.provider.stats().await;
    assert_eq!(
        before["discovery"], 1,
        "metadata is cached between sign-ins: {before}"
    );
    assert_eq!(before["jwks"], 1, "{before}");

    world.provider.admin("/__admin/rotate", json!({})).await;
    let (client, landed) = sign_in(&world, "ada").await;

    assert_eq!(landed, "/", "the token signed with the new key is accepted");
    assert_eq!(me(&world, &client).await.status(), 200);
    let after = world.provider.stats().await;
    assert_eq!(
        after["jwks"], 2,
        "the keys were fetched again once: {after}"
    );
    assert_eq!(after["discovery"], 2, "{after}");
}

#[tokio::test]
async fn sso_settings_are_for_admins_of_their_own_organisation_and_never_show_the_secret() {
    let world = world().await;
    let buyer = world
        .app
        .create_user("Acme", "buyer@acme.example", Role::Procurement)
        .await;
    let buyer = world.app.signed_in(&buyer.email).await;
    let outsider = world
        .app
        .create_user("Other Corp", "admin@other.example", Role::Admin)
        .await;
    let outsider = world.app.signed_in(&outsider.email).await;

    assert_eq!(
        get_with(&buyer, &world.app.url("/api/settings/sso"))
            .await
            .status(),
        403
    );
    assert_eq!(
        put_settings(&world.app, &buyer, &settings(&world.provider.issuer))
            .await
            .status(),
        403
    );
    let theirs: Value = get_with(&outsider, &world.app.url("/api/settings/sso"))
        .await
        .json()
        .await
        .expect("settings");
    assert_eq!(
        theirs["enabled"], false,
        "another organisation sees only its own"
    );
    assert_eq!(theirs["issuer_url"], "");

    let response = get_with(&world.admin_client, &world.app.url("/api/settings/sso")).await;
    assert_eq!(response.status(), 200);
    let text = response.text().await.expect("body");
    assert!(!text.contains(SECRET), "the secret is never shown: {text}");
    let ours: Value = serde_json::from_str(&text).expect("json");
    assert_eq!(ours["has_secret"], true);
    assert_eq!(ours["client_id"], "assay");

    // Saving without a secret keeps the stored one: sign-in still works.
    let mut keep = settings(&world.provider.issuer);
    keep.as_object_mut()
        .expect("object")
        .remove("client_secret");
    let saved = put_settings(&world.app, &world.admin_client, &keep).await;
    assert_eq!(saved.status(), 200);
    let saved: Value = saved.json().await.expect("settings");
    assert_eq!(saved["has_secret"], true);
    let (_, landed) = sign_in(&world, "bob").await;
    assert_eq!(landed, "/");

    let audit = world.app.audit_log(&world.admin_client).await;
    assert!(
        audit.iter().any(|e| e.action == "sso_settings.updated"),
        "changes are audited"
    );
    assert!(
        !world.app.stored_text().await.contains(SECRET),
        "the secret is stored sealed, and audited nowhere"
    );
}

async fn assert_invalid(response: reqwest::Response, field: &str) {
    assert_error(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
        field,
    )
    .await;
}

#[tokio::test]
async fn bad_sso_settings_are_refused_naming_the_field() {
    let world = world().await;
    let issuer = world.provider.issuer.clone();
    // Each case: the field the refusal must name, and the values that replace the good ones.
    let cases = [
        (
            "issuer_url",
            json!({ "issuer_url": "http://login.acme.example" }),
        ),
        ("issuer_url", json!({ "issuer_url": "not a url" })),
        ("client_id", json!({ "client_id": "  " })),
        (
            "role_mapping[1].role",
            json!({ "role_mapping": [
                { "claim_value": "risk", "role": "risk_manager" },
                { "claim_value": "boss", "role": "overlord" }
            ] }),
        ),
        ("default_role", json!({ "default_role": "superuser" })),
        (
            "allowed_domains[0]",
            json!({ "allowed_domains": ["not a domain"] }),
        ),
        (
            "sso_required",
            json!({ "enabled": false, "sso_required": true }),
        ),
    ];
    for (field, changes) in cases {
        let mut body = settings(&issuer);
        for (name, value) in changes.as_object().expect("an object") {
            body[name] = value.clone();
        }
        assert_invalid(
            put_settings(&world.app, &world.admin_client, &body).await,
            field,
        )
        .await;
    }
    let kept: Value = get_with(&world.admin_client, &world.app.url("/api/settings/sso"))
        .await
        .json()
        .await
        .expect("settings");
    assert_eq!(
        kept["issuer_url"],
        issuer.as_str(),
        "nothing refused was saved"
    );
}

#[tokio::test]
async fn concurrent_sso_settings_changes_never_fail_with_a_server_error() {
    let world = world().await;
    let puts = (0..8).map(|i| {
        let mut body = settings(&world.provider.issuer);
        body["client_id"] = json!(format!("assay-{i}"));
        let client = world.admin_client.clone();
        let url = world.app.url("/api/settings/sso");
        async move {
            client
                .put(url)
                .json(&body)
                .send()
                .await
                .expect("reaches the server")
                .status()
        }
    });

    let statuses = futures_util::future::join_all(puts).await;

    assert!(
        statuses.iter().all(|s| !s.is_server_error()),
        "no 5xx: {statuses:?}"
    );
    assert!(statuses.iter().any(|s| s.is_success()), "{statuses:?}");
    let view: Value = get_with(&world.admin_client, &world.app.url("/api/settings/sso"))
        .await
        .json()
        .await
        .expect("settings");
    assert!(
        view["client_id"]
            .as_str()
            .is_some_and(|c| c.starts_with("assay-")),
        "one of the writes won whole: {view}"
    );
}

#[tokio::test]
async fn a_hostile_callback_gets_a_clear_4xx_and_the_server_keeps_answering() {
    let app = spawn_app().await;
    let client = new_client();
    let huge = "A".repeat(50_000);
    let cases = [
        format!("code={huge}&state=x"),
        format!("code=x&state={}", "B".repeat(5000)),
        "code=x&state=%00%01".to_owned(),
        "code=x&state=a&state=b".to_owned(),
    ];
    for query in &cases {
        let response = get_with(
            &client,
            &app.url(&format!("/api/auth/oidc/callback?{query}")),
        )
        .await;
        assert!(
            response.status().is_client_error(),
            "{} for a query of {} bytes",
            response.status(),
            query.len()
        );
    }
    let garbage = get_with(
        &client,
        &app.url("/api/auth/oidc/callback?code=x&state=%00%01"),
    )
    .await;
    let body: Value = garbage.json().await.expect("the API's error format");
    assert_eq!(body["error"]["code"], "invalid_callback");
    let garbage = get_with(
        &client,
        &app.url("/api/auth/oidc/callback?code=%FF%FE&state=%E2%28"),
    )
    .await;
    assert_eq!(
        location(&garbage),
        "/sign-in?sso_error=state_invalid",
        "a well-formed but unknown state goes back to the sign-in page"
    );
    assert_eq!(
        app.get("/api/health").await.status(),
        200,
        "still answering"
    );
}

#[tokio::test]
async fn starting_sso_for_an_unknown_or_unconfigured_organisation_goes_back_to_the_sign_in_page() {
    let app = spawn_app().await;
    app.create_user("Plain Corp", "admin@plain.example", Role::Admin)
        .await;
    let client = new_client();

    let unknown = get_with(
        &client,
        &app.url("/api/auth/oidc/start?organization=nobody"),
    )
    .await;
    assert_eq!(
        location(&unknown),
        "/sign-in?sso_error=unknown_organization"
    );
    let plain = get_with(
        &client,
        &app.url("/api/auth/oidc/start?organization=plain-corp"),
    )
    .await;
    assert_eq!(location(&plain), "/sign-in?sso_error=not_configured");
}
