//! Breach and incident reports: the incident (tenant-scoped, per vendor, with the
//! notification hours that applied when it was reported) and its timeline of updates from
//! the vendor and the client.

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
                    .table(Incidents::Table)
                    .col(pk_uuid(Incidents::Id))
                    .col(uuid(Incidents::OrganizationId))
                    .col(uuid(Incidents::VendorId))
                    .col(uuid_null(Incidents::AssessmentId))
                    .col(string(Incidents::Title))
                    .col(text(Incidents::Description))
                    .col(timestamp_with_time_zone(Incidents::DiscoveredAt))
                    .col(timestamp_with_time_zone(Incidents::ReportedAt))
                    .col(integer(Incidents::NotificationHours))
                    .col(text(Incidents::DataTypes))
                    .col(big_integer_null(Incidents::RecordsAffected))
                    .col(text(Incidents::Containment))
                    .col(string(Incidents::Contact))
                    .col(string(Incidents::Status))
                    .col(string(Incidents::ReportedBy))
                    .col(string(Incidents::ReportedByName))
                    .col(uuid_null(Incidents::ReportedByUser))
                    .col(text_null(Incidents::ClosingReport))
                    .col(timestamp_with_time_zone_null(Incidents::ResolvedAt))
                    .col(timestamp_with_time_zone(Incidents::CreatedAt))
                    .col(timestamp_with_time_zone(Incidents::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Incidents::Table, Incidents::VendorId)
                            .to(Vendors::Table, Vendors::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        // The vendor page and the portal list one vendor's incidents; the dashboard and
        // the list filter by status.
        manager
            .create_index(
                Index::create()
                    .name("idx_incidents_org_vendor")
                    .table(Incidents::Table)
                    .col(Incidents::OrganizationId)
                    .col(Incidents::VendorId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_incidents_org_status")
                    .table(Incidents::Table)
                    .col(Incidents::OrganizationId)
                    .col(Incidents::Status)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(IncidentUpdates::Table)
                    .col(pk_uuid(IncidentUpdates::Id))
                    .col(uuid(IncidentUpdates::IncidentId))
                    .col(string(IncidentUpdates::AuthorKind))
                    .col(string(IncidentUpdates::Author))
                    .col(uuid_null(IncidentUpdates::AuthorUserId))
                    .col(text(IncidentUpdates::Message))
                    .col(string_null(IncidentUpdates::Status))
                    .col(timestamp_with_time_zone(IncidentUpdates::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(IncidentUpdates::Table, IncidentUpdates::IncidentId)
                            .to(Incidents::Table, Incidents::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_incident_updates_incident")
                    .table(IncidentUpdates::Table)
                    .col(IncidentUpdates::IncidentId)
                    .col(IncidentUpdates::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(IncidentUpdates::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Incidents::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Vendors {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Incidents {
    Table,
    Id,
    OrganizationId,
    VendorId,
    /// The assessment whose portal session filed it; none when recorded by the client.
    AssessmentId,
    Title,
    Description,
    /// The notification clock starts here.
    DiscoveredAt,
    /// When the client organisation learnt of it.
    ReportedAt,
    /// The contract's breach-notification hours when it was reported (72 without one).
    NotificationHours,
    /// JSON list of data types.
    DataTypes,
    RecordsAffected,
    Containment,
    Contact,
    /// open | contained | resolved
    Status,
    /// vendor | client
    ReportedBy,
    ReportedByName,
    ReportedByUser,
    /// Required to resolve.
    ClosingReport,
    ResolvedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum IncidentUpdates {
    Table,
    Id,
    IncidentId,
    /// vendor | client
    AuthorKind,
    Author,
    AuthorUserId,
    Message,
    /// The status the update moved the incident to, when it changed it.
    Status,
    CreatedAt,
}
