//! The job runner inside every server instance. Each round it runs the periodic jobs
//! (reminders, evidence expiry alerts, reassessments), each under a lease in `job_leases`
//! so that one instance at a time does the work, and then delivers the outbox (each email
//! under its own lease). Correctness does not rest on the job lease: the sweeps record
//! every notice under a unique key, so even two instances sweeping at once queue each
//! notice once. A job whose instance dies keeps its lease only until the lease runs out.
//! Bulk sends are a job too; starting one wakes the runner at once (see [`Waker`]) rather
//! than waiting for the next round, and a round that leaves items over wakes it again.

use std::time::Duration as StdDuration;

use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, Set};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::clock::Clock;
use crate::config::Settings;
use crate::db::entities::job_lease;
use crate::error::Result;
use crate::services::delivery::{self, Smtp};
use crate::services::mailer::Mailer;
use crate::services::{bulk_sends, schedules};
use crate::state::Ctx;

/// How long an instance holds a job before another may take it over.
const JOB_LEASE: Duration = Duration::minutes(10);

/// The periodic jobs; the stored name is the lease's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    Reminders,
    EvidenceExpiry,
    Reassessments,
    /// Scorecards that change by themselves today (evidence expiring, acceptances lapsing).
    Scorecards,
    /// Contracts whose last day to give notice is coming.
    Renewals,
    /// The pending vendors of bulk sends.
    BulkSends,
}

assay_core::named!(Job {
    Reminders => "reminders", "Reminders";
    EvidenceExpiry => "evidence_expiry", "Evidence expiry alerts";
    Reassessments => "reassessments", "Reassessments";
    Scorecards => "scorecards", "Dated scorecard changes";
    Renewals => "renewals", "Renewal reminders";
    BulkSends => "bulk_sends", "Bulk sends";
});

/// Vendors of bulk sends given their result in one round, at most: a large send goes out
/// over several rounds (each waking the next at once), so other jobs are not held up.
pub const BULK_ROUND: usize = 500;

/// Wakes an instance's runner to work on bulk sends now (after one is started), instead
/// of at its next round. Cheap to clone; waking a runner that is not running (tests run
/// rounds by hand) does nothing.
#[derive(Clone, Default)]
pub struct Waker(std::sync::Arc<tokio::sync::Notify>);

impl Waker {
    pub fn wake(&self) {
        self.0.notify_one();
    }
}

/// What one round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    /// Assessments whose contacts were reminded.
    pub reminders: usize,
    pub expiry_alerts: usize,
    pub reassessments: usize,
    /// Scorecards recorded because they changed by themselves.
    pub scorecards: usize,
    /// Vendors whose owners were reminded of a contract's notice date.
    pub renewals: usize,
    /// Vendors of bulk sends given their result.
    pub bulk_items: usize,
    /// Jobs skipped because another instance held them.
    pub skipped: usize,
    /// `None` when no SMTP server is configured (emails wait in the outbox).
    pub delivery: Option<delivery::Round>,
}

#[derive(Clone)]
pub struct Scheduler {
    ctx: Ctx,
    mailer: Mailer,
    smtp: Option<Smtp>,
    /// This instance, as lease owner.
    owner: String,
    waker: Waker,
}

impl Scheduler {
    pub fn new(
        db: DatabaseConnection,
        clock: Clock,
        mailer: Mailer,
        settings: &Settings,
    ) -> anyhow::Result<Self> {
        Ok(Scheduler {
            ctx: Ctx::new(db, clock, std::sync::Arc::new(settings.clone())),
            mailer,
            smtp: Smtp::from_settings(settings)?,
            owner: format!("instance-{}", Uuid::new_v4().simple()),
            waker: Waker::default(),
        })
    }

    /// What wakes this runner for bulk sends.
    pub fn waker(&self) -> Waker {
        self.waker.clone()
    }

    /// Runs every job that is not held elsewhere, then delivers what is due.
    pub async fn run_once(&self) -> Result<Report> {
        self.run_jobs(&Job::ALL).await
    }

    /// Runs `jobs` (those not held elsewhere), then delivers what is due.
    async fn run_jobs(&self, jobs: &[Job]) -> Result<Report> {
        let mut report = Report::default();
        for &job in jobs {
            let now = self.ctx.clock.now();
            if !self.take(job, now).await? {
                report.skipped += 1;
                continue;
            }
            let outcome = match job {
                Job::Reminders => schedules::send_reminders(&self.ctx, &self.mailer, now)
                    .await
                    .map(|n| report.reminders = n),
                Job::EvidenceExpiry => schedules::send_expiry_alerts(&self.ctx, &self.mailer, now)
                    .await
                    .map(|n| report.expiry_alerts = n),
                Job::Reassessments => {
                    schedules::prepare_reassessments(&self.ctx, &self.mailer, now)
                        .await
                        .map(|n| report.reassessments = n)
                }
                Job::Scorecards => crate::services::review::record_dated_changes(&self.ctx, now)
                    .await
                    .map(|n| report.scorecards = n),
                Job::Renewals => schedules::send_renewal_reminders(&self.ctx, &self.mailer, now)
                    .await
                    .map(|n| report.renewals = n),
                Job::BulkSends => bulk_sends::run(&self.ctx, &self.mailer, BULK_ROUND)
                    .await
                    .map(|round| {
                        report.bulk_items = round.items;
                        if round.more {
                            self.waker.wake();
                        }
                    }),
            };
            self.release(job, outcome.as_ref().err().map(|e| e.to_string()))
                .await?;
            outcome?;
        }
        if let Some(smtp) = &self.smtp {
            report.delivery = Some(
                delivery::deliver_due(
                    &self.ctx,
                    smtp,
                    self.mailer.key(),
                    &self.owner,
                    self.ctx.clock.now(),
                )
                .await?,
            );
        }
        Ok(report)
    }

    /// Runs a round every `every` until the task is dropped, and the bulk-send job
    /// whenever it is woken; a failed round is logged and the next one tries again.
    pub async fn run_forever(self, every: StdDuration) {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let wake = self.waker.0.clone();
        loop {
            let jobs: &[Job] = tokio::select! {
                _ = tick.tick() => &Job::ALL,
                () = wake.notified() => &[Job::BulkSends],
            };
            match self.run_jobs(jobs).await {
                Ok(report) if report != Report::default() => {
                    tracing::info!(?report, "scheduler round");
                }
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "scheduler round failed"),
            }
        }
    }

    /// Takes `job`'s lease unless another instance holds one that has not run out: a
    /// compare-and-set on the lease's row, which the job's first round creates.
    async fn take(&self, job: Job, now: OffsetDateTime) -> Result<bool> {
        let taken = job_lease::Entity::update_many()
            .col_expr(job_lease::Column::Owner, Expr::value(self.owner.as_str()))
            .col_expr(job_lease::Column::LeaseUntil, Expr::value(now + JOB_LEASE))
            .filter(job_lease::Column::Name.eq(job.as_str()))
            .filter(
                Condition::any()
                    .add(job_lease::Column::LeaseUntil.is_null())
                    .add(job_lease::Column::LeaseUntil.lt(now)),
            )
            .exec(&self.ctx.db)
            .await?;
        if taken.rows_affected == 1 {
            return Ok(true);
        }
        // No row yet (or another instance holds it): whoever inserts the row holds it.
        let inserted = job_lease::Entity::insert(job_lease::ActiveModel {
            name: Set(job.as_str().to_owned()),
            owner: Set(Some(self.owner.clone())),
            lease_until: Set(Some(now + JOB_LEASE)),
            last_run_at: Set(None),
            last_error: Set(None),
        })
        .on_conflict(
            OnConflict::column(job_lease::Column::Name)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&self.ctx.db)
        .await?;
        Ok(inserted == 1)
    }

    async fn release(&self, job: Job, error: Option<String>) -> Result<()> {
        job_lease::Entity::update_many()
            .col_expr(
                job_lease::Column::LeaseUntil,
                Expr::value(Option::<OffsetDateTime>::None),
            )
            .col_expr(
                job_lease::Column::LastRunAt,
                Expr::value(self.ctx.clock.now()),
            )
            .col_expr(job_lease::Column::LastError, Expr::value(error))
            .filter(job_lease::Column::Name.eq(job.as_str()))
            .filter(job_lease::Column::Owner.eq(self.owner.as_str()))
            .exec(&self.ctx.db)
            .await?;
        Ok(())
    }
}
