//! The command line: `assay serve`, `assay migrate`, and the operator tools.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use migrations::{Migrator, MigratorTrait};

use assay_core::access::Role;
use assay_core::evaluate::Answers;
use assay_core::import::{self, TemplateFormat};
use assay_core::template::Template;
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;

use crate::auth::password::PasswordService;
use crate::clock::Clock;
use crate::config::Settings;
use crate::crypto::MasterKey;
use crate::routes::views;
use crate::services::{accounts, audit, mailer, setup};
use crate::startup::Application;
use crate::state::Ctx;
use crate::{db, public_url, telemetry};

/// Assay: vendor due diligence. Settings come from `--config FILE` (TOML) and `ASSAY_*`
/// environment variables; see README.md.
#[derive(Debug, Parser)]
#[command(name = "assay", version, about)]
pub struct Cli {
    /// A TOML file with settings (environment variables override it).
    #[arg(long, global = true, env = "ASSAY_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the web server (migrates the database first).
    Serve {
        /// Address to listen on [default: 127.0.0.1:8080, or ASSAY_BIND].
        #[arg(long)]
        bind: Option<SocketAddr>,
        /// On an empty database, create a demo organisation with one user per role and
        /// print their generated passwords once.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage client organisations (tenants).
    #[command(subcommand)]
    Org(OrgCommand),
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// Check the audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Read emails waiting in the outbox (with the master key, on the server).
    #[command(subcommand)]
    Outbox(OutboxCommand),
    /// Read questionnaire templates (VSAQ or Assay JSON) without touching the database.
    #[command(subcommand)]
    Template(TemplateCommand),
    /// Benchmark tools.
    #[command(subcommand)]
    Bench(BenchCommand),
    /// Check evidence packs without touching the database.
    #[command(subcommand)]
    Pack(PackCommand),
}

#[derive(Debug, Subcommand)]
enum PackCommand {
    /// Check an evidence pack: the signature over manifest.json and every file's size and
    /// SHA-256; prints a line per file and a verdict, and exits 0 only when all of it holds.
    Verify {
        /// The pack (a .zip from "Download evidence pack").
        file: PathBuf,
        /// The organisation's published public key (64 hex digits from
        /// GET /api/organizations/SLUG/signing-key, a PEM, or a file holding one). Without
        /// it the key inside the pack is used, which proves nothing about who signed.
        #[arg(long)]
        key: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum BenchCommand {
    /// Fill an empty database with a portfolio for benchmarks, through the same services
    /// the API uses; prints the tenants and their users (whose password is read from
    /// standard input, like `assay user create`). Refused on a database that already has
    /// organisations unless `--force`.
    Seed {
        /// Organisations to create.
        #[arg(long, default_value_t = 1)]
        tenants: u32,
        /// Vendors per organisation.
        #[arg(long, default_value_t = 100)]
        vendors: u32,
        /// Assessments per organisation (the baseline template, spread over its vendors).
        #[arg(long, default_value_t = 1000)]
        assessments: u32,
        /// Of every hundred assessments, how many the vendor answers in full.
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(0..=100))]
        answered_percent: u32,
        /// Seed even though the database already holds organisations.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Subcommand)]
enum TemplateCommand {
    /// Print a JSON summary: format, title, sections, questions, choices, conditional
    /// items, warnings and their severities.
    Inspect {
        file: PathBuf,
        /// vsaq or json; detected from the contents when left out.
        #[arg(long)]
        format: Option<TemplateFormat>,
    },
    /// Print the visible questions (document order) and fired warnings for a VSAQ-style
    /// answers file (`{id: value}`, choices as "checked").
    Evaluate {
        file: PathBuf,
        #[arg(long)]
        answers: PathBuf,
        #[arg(long)]
        format: Option<TemplateFormat>,
    },
}

#[derive(Debug, Subcommand)]
enum OrgCommand {
    /// Create an organisation; prints its id and slug as JSON.
    Create {
        #[arg(long)]
        name: String,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Create a user with a password read from standard input; prints the user as JSON.
    Create {
        /// The organisation's slug.
        #[arg(long)]
        org: String,
        #[arg(long)]
        email: String,
        /// admin, procurement, risk_manager or auditor.
        #[arg(long)]
        role: Role,
        /// Shown in the app; defaults to the email address.
        #[arg(long)]
        name: Option<String>,
    },
    /// Set a new password (read from standard input) and end the user's sessions.
    ResetPassword {
        #[arg(long)]
        email: String,
    },
}

#[derive(Debug, Subcommand)]
enum OutboxCommand {
    /// Print the newest email to ADDRESS that has not been delivered (subject and text,
    /// personal link included), for handing it over without SMTP. Exits non-zero when
    /// there is none.
    Read {
        #[arg(long, value_name = "ADDRESS")]
        to: String,
    },
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Recompute every hash chain; exits non-zero and names the first broken entry if any.
    Verify,
}

impl Cli {
    pub async fn run(self) -> anyhow::Result<()> {
        // Template tools are pure: they need neither settings nor a database.
        if let Command::Template(command) = self.command {
            return run_template(command);
        }
        if let Command::Pack(PackCommand::Verify { file, key }) = self.command {
            return verify_pack(&file, key.as_deref());
        }
        let mut settings = Settings::load(self.config.as_deref())?;
        match self.command {
            Command::Serve { bind, demo } => {
                if let Some(bind) = bind {
                    settings.bind = bind;
                }
                telemetry::init(settings.log_format);
                let app = Application::build(settings.clone()).await?;
                let bound = SocketAddr::new(settings.bind.ip(), app.port());
                if let Some(warning) = public_url::mismatch(bound, &settings.public_url) {
                    tracing::warn!("{warning}");
                }
                let ctx = operator_ctx(&settings, app.db().clone());
                if demo {
                    let passwords = PasswordService::new(settings.password_hash_cost)?;
                    seed_demo(&ctx, &passwords).await?;
                }
                // To the operator's terminal, like the demo passwords; never to the log.
                if let Some(token) = setup::issue_token(&ctx).await? {
                    println!("{}", setup::invitation_line(&settings.public_url, &token));
                }
                tracing::info!(port = app.port(), "Assay is listening");
                app.run_until_stopped().await.context("server failed")
            }
            Command::Org(OrgCommand::Create { name }) => {
                let db = db::connect_and_migrate(&settings).await?;
                let org =
                    accounts::create_organization(&operator_ctx(&settings, db), &name).await?;
                print_json(&json!({ "id": org.id, "slug": org.slug, "name": org.name }))
            }
            Command::User(UserCommand::Create {
                org,
                email,
                role,
                name,
            }) => {
                let password = read_password()?;
                let db = db::connect_and_migrate(&settings).await?;
                let passwords = PasswordService::new(settings.password_hash_cost)?;
                let user = accounts::create_user_with_password(
                    &operator_ctx(&settings, db),
                    &passwords,
                    &org,
                    &email,
                    name.as_deref(),
                    role,
                    &password,
                )
                .await?;
                print_json(&views::user(&user))
            }
            Command::User(UserCommand::ResetPassword { email }) => {
                let password = read_password()?;
                let db = db::connect_and_migrate(&settings).await?;
                let passwords = PasswordService::new(settings.password_hash_cost)?;
                let user = accounts::reset_password(
                    &operator_ctx(&settings, db),
                    &passwords,
                    &email,
                    &password,
                )
                .await?;
                print_json(&views::user(&user))
            }
            Command::Audit(AuditCommand::Verify) => {
                let db = db::connect_and_migrate(&settings).await?;
                let mut reports = Vec::new();
                for chain in audit::chains(&db).await? {
                    reports.push(audit::verify_chain(&db, chain).await?);
                }
                let intact = reports.iter().all(|r| r.intact);
                print_json(&json!({ "intact": intact, "chains": reports }))?;
                if intact {
                    Ok(())
                } else {
                    anyhow::bail!("the audit log has been altered (see first_broken above)")
                }
            }
            Command::Outbox(OutboxCommand::Read { to }) => {
                let to = accounts::Email::parse(&to)
                    .map_err(|_| anyhow::anyhow!("--to: “{to}” is not an email address"))?;
                // Never a new key: it could only fail to open what the server sealed.
                let key = MasterKey::load(settings.master_key.as_ref(), &settings.data_dir)?;
                let db = db::connect_and_migrate(&settings).await?;
                let Some(email) = mailer::newest_undelivered(&db, &key, to.as_str()).await? else {
                    anyhow::bail!("no undelivered email to {}", to.as_str());
                };
                print!("{}", undelivered_text(&email));
                Ok(())
            }
            Command::Template(_) | Command::Pack(_) => Ok(()),
            Command::Bench(BenchCommand::Seed {
                tenants,
                vendors,
                assessments,
                answered_percent,
                force,
            }) => {
                let password = read_password()?;
                telemetry::init(settings.log_format);
                let db = db::connect_and_migrate(&settings).await?;
                let ctx = operator_ctx(&settings, db);
                crate::services::templates::ensure_builtin(&ctx).await?;
                let passwords = PasswordService::new(settings.password_hash_cost)?;
                let key =
                    MasterKey::load_or_create(settings.master_key.as_ref(), &settings.data_dir)?;
                let mailer = mailer::Mailer::new(&settings.public_url, key);
                let plan = crate::bench::SeedPlan {
                    tenants,
                    vendors,
                    assessments,
                    answered_percent,
                    password,
                    force,
                };
                print_json(&crate::bench::seed(&ctx, &mailer, &passwords, &plan).await?)
            }
            Command::Migrate => {
                let db = db::connect(&settings).await?;
                Migrator::up(&db, None).await.context("migration failed")?;
                let applied = Migrator::get_applied_migrations(&db).await?.len();
                println!("{}", serde_json::json!({ "applied_migrations": applied }));
                Ok(())
            }
        }
    }
}

/// An email as `assay outbox read` prints it: a few headers, a blank line, the text.
fn undelivered_text(email: &mailer::Undelivered) -> String {
    let queued = email
        .created_at
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    format!(
        "To: {}\nSubject: {}\nQueued: {queued} ({}, {} delivery attempts)\n\n{}",
        email.recipient, email.subject, email.status, email.attempts, email.body.text
    )
}

fn print_json(value: &impl serde::Serialize) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// The first line of standard input, so passwords never appear in the process list or the
/// shell history.
fn read_password() -> anyhow::Result<SecretString> {
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .context("could not read the password from standard input")?;
    let password = line.trim_end_matches(['\n', '\r']).to_owned();
    if password.is_empty() {
        anyhow::bail!(
            "no password on standard input (e.g. “printf '%s' \"$PW\" | assay user create …”)"
        );
    }
    Ok(SecretString::from(password))
}

/// Seeds the demo organisation when the database has no organisation yet.
/// What services need, for an operator's command: the settings, the database and the
/// system clock.
fn operator_ctx(settings: &Settings, db: sea_orm::DatabaseConnection) -> Ctx {
    Ctx::new(db, Clock::system(), std::sync::Arc::new(settings.clone()))
}

async fn seed_demo(ctx: &Ctx, passwords: &PasswordService) -> anyhow::Result<()> {
    let db = &ctx.db;
    use sea_orm::{EntityTrait, PaginatorTrait};
    let existing = crate::db::entities::organization::Entity::find()
        .count(db)
        .await?;
    if existing > 0 {
        eprintln!("assay: --demo ignored: the database already has organisations");
        return Ok(());
    }
    let org = accounts::create_organization(ctx, "Demo Company").await?;
    let mut users = Vec::new();
    for role in Role::ALL {
        let email = format!("{}@demo.assay.test", role.as_str().replace('_', "-"));
        let password = SecretString::from(accounts::new_token()?);
        accounts::create_user_with_password(
            ctx,
            passwords,
            &org.slug,
            &email,
            Some(role.label()),
            role,
            &password,
        )
        .await?;
        users.push(json!({ "email": email, "role": role, "password": password.expose_secret() }));
    }
    // Printed once, to the operator's terminal only; never logged.
    println!(
        "{}",
        serde_json::to_string_pretty(&json!({ "organisation": org.slug, "users": users }))?
    );
    Ok(())
}

fn read_template(
    file: &std::path::Path,
    format: Option<TemplateFormat>,
) -> anyhow::Result<(Template, TemplateFormat)> {
    let bytes =
        std::fs::read(file).with_context(|| format!("could not read {}", file.display()))?;
    // An .xlsx file is a zip archive: it starts with "PK".
    if format == Some(TemplateFormat::Xlsx) || (format.is_none() && bytes.starts_with(b"PK")) {
        let template = crate::exports::template_workbook::read_template(
            &bytes,
            "Imported Excel questionnaire",
        )
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
        return Ok((template, TemplateFormat::Xlsx));
    }
    let text = String::from_utf8(bytes)
        .with_context(|| format!("{} is not a text file", file.display()))?;
    let format = match format {
        Some(format) => format,
        None => import::detect_format(&text).with_context(|| {
            format!(
                "{}: not a recognised template; pass --format vsaq|json",
                file.display()
            )
        })?,
    };
    let template =
        import::import(&text, format).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    Ok((template, format))
}

/// `assay pack verify`: the report on standard output; an error (exit 1) unless valid.
fn verify_pack(file: &std::path::Path, key: Option<&str>) -> anyhow::Result<()> {
    use crate::exports::pack_archive;
    let key = key.map(pack_archive::parse_key).transpose()?;
    let mut archive = pack_archive::open(file)?;
    let report = assay_core::pack::verify(&mut archive, key.as_ref().map(|k| &k[..]));
    print!("{}", pack_archive::report_text(&report));
    if report.valid {
        Ok(())
    } else {
        anyhow::bail!("{} is not a valid evidence pack", file.display())
    }
}

fn run_template(command: TemplateCommand) -> anyhow::Result<()> {
    match command {
        TemplateCommand::Inspect { file, format } => {
            let (template, format) = read_template(&file, format)?;
            print_json(&template.summary(format))
        }
        TemplateCommand::Evaluate {
            file,
            answers,
            format,
        } => {
            let (template, _) = read_template(&file, format)?;
            let text = std::fs::read_to_string(&answers)
                .with_context(|| format!("could not read {}", answers.display()))?;
            let answers = Answers::from_vsaq_json(&text)
                .map_err(|e| anyhow::anyhow!("{}: {e}", answers.display()))?;
            print_json(&template.evaluate(&answers))
        }
    }
}
