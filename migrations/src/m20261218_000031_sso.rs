//! Single sign-on (OpenID Connect): each organisation's provider settings, and the sign-ins
//! under way (between the redirect to the provider and its callback). Pending sign-ins live
//! in the database, not in one server's memory, so the callback may reach any instance.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SsoSettings::Table)
                    .col(uuid(SsoSettings::OrganizationId).primary_key())
                    .col(boolean(SsoSettings::Enabled))
                    .col(string_len(SsoSettings::IssuerUrl, 2048))
                    .col(string_len(SsoSettings::ClientId, 512))
                    .col(text_null(SsoSettings::SealedClientSecret))
                    .col(text(SsoSettings::AllowedDomains))
                    .col(string_len_null(SsoSettings::RoleClaim, 256))
                    .col(text(SsoSettings::RoleMapping))
                    .col(string_len(SsoSettings::DefaultRole, 32))
                    .col(boolean(SsoSettings::SsoRequired))
                    .col(uuid_null(SsoSettings::BreakGlassUserId))
                    .col(uuid_null(SsoSettings::UpdatedBy))
                    .col(timestamp_with_time_zone(SsoSettings::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SsoSettings::Table, SsoSettings::OrganizationId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(SsoSettings::Table, SsoSettings::BreakGlassUserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SsoSignIns::Table)
                    .col(string_len(SsoSignIns::StateHash, 64).primary_key())
                    .col(uuid(SsoSignIns::OrganizationId))
                    .col(string_len(SsoSignIns::Nonce, 256))
                    .col(string_len(SsoSignIns::PkceVerifier, 256))
                    .col(timestamp_with_time_zone(SsoSignIns::CreatedAt))
                    .col(timestamp_with_time_zone_null(SsoSignIns::UsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SsoSignIns::Table, SsoSignIns::OrganizationId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_sso_sign_ins_created_at")
                    .table(SsoSignIns::Table)
                    .col(SsoSignIns::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SsoSignIns::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(SsoSettings::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum SsoSettings {
    Table,
    /// One row per organisation.
    OrganizationId,
    /// Whether "Sign in with single sign-on" works for the organisation.
    Enabled,
    IssuerUrl,
    ClientId,
    /// Sealed with the master key (`v1:` + base64), bound to the organisation's id.
    SealedClientSecret,
    /// JSON array of lowercase domains; empty: every domain.
    AllowedDomains,
    /// The ID-token claim whose value picks the role; `NULL`: every new user gets the default.
    RoleClaim,
    /// JSON array of `{ "claim_value", "role" }`, first match wins.
    RoleMapping,
    DefaultRole,
    /// Password sign-in refused for the organisation's users, except the break-glass Admin.
    SsoRequired,
    BreakGlassUserId,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SsoSignIns {
    Table,
    /// SHA-256 (hex) of the `state` sent to the provider; the state itself is not stored.
    StateHash,
    OrganizationId,
    Nonce,
    PkceVerifier,
    CreatedAt,
    /// Set by the one callback that may use it.
    UsedAt,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}
