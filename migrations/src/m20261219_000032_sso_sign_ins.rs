//! Whether a user has signed in through single sign-on: such a user has no password of
//! their own, yet is no longer someone invited who has not come yet, and the users list
//! must tell the two apart (`UserView::status`).
//!
//! Users provisioned or signed in through single sign-on before this migration are found
//! in the audit log (a successful sign-in whose detail names the method `sso`); the audit
//! detail is compact JSON written by the server, so the text match is exact.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(boolean(Users::SignedInWithSso).default(false))
                    .to_owned(),
            )
            .await?;
        let signed_in = Query::select()
            .column(AuditLog::ActorId)
            .from(AuditLog::Table)
            .and_where(Expr::col(AuditLog::Action).eq("auth.sign_in_succeeded"))
            .and_where(Expr::col(AuditLog::Detail).like(r#"%"method":"sso"%"#))
            .and_where(Expr::col(AuditLog::ActorId).is_not_null())
            .to_owned();
        manager
            .exec_stmt(
                Query::update()
                    .table(Users::Table)
                    .value(Users::SignedInWithSso, true)
                    .and_where(Expr::col(Users::Id).in_subquery(signed_in))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(Users::SignedInWithSso)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    /// True once the user has signed in through single sign-on.
    SignedInWithSso,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    ActorId,
    Action,
    Detail,
}
