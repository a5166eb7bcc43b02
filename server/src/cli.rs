//! The command line: `assay serve`, `assay migrate`, and the operator tools.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use migrations::{Migrator, MigratorTrait};

use crate::config::Settings;
use crate::startup::Application;
use crate::{db, telemetry};

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
    },
    /// Apply pending database migrations and exit.
    Migrate,
}

impl Cli {
    pub async fn run(self) -> anyhow::Result<()> {
        let mut settings = Settings::load(self.config.as_deref())?;
        match self.command {
            Command::Serve { bind } => {
                if let Some(bind) = bind {
                    settings.bind = bind;
                }
                telemetry::init(settings.log_format);
                let app = Application::build(settings).await?;
                tracing::info!(port = app.port(), "Assay is listening");
                app.run_until_stopped().await.context("server failed")
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
