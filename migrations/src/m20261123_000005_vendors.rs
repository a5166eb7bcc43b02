//! The vendor register: vendors of a client organisation, their contacts and the contract
//! terms that feed scoring.

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
                    .table(Vendors::Table)
                    .col(pk_uuid(Vendors::Id))
                    .col(uuid(Vendors::OrganizationId))
                    .col(string(Vendors::LegalName))
                    .col(string_null(Vendors::Website))
                    .col(text(Vendors::Services))
                    .col(text(Vendors::DataTypes))
                    .col(string(Vendors::SystemAccess))
                    .col(string(Vendors::Criticality))
                    .col(string(Vendors::InherentTier))
                    .col(text(Vendors::Countries))
                    .col(text(Vendors::Tags))
                    .col(uuid_null(Vendors::OwnerId))
                    .col(string(Vendors::Status))
                    .col(timestamp_with_time_zone(Vendors::CreatedAt))
                    .col(timestamp_with_time_zone(Vendors::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Vendors::Table, Vendors::OrganizationId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_vendors_organization_name")
                    .table(Vendors::Table)
                    .col(Vendors::OrganizationId)
                    .col(Vendors::LegalName)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(VendorContacts::Table)
                    .col(pk_uuid(VendorContacts::Id))
                    .col(uuid(VendorContacts::VendorId))
                    .col(string(VendorContacts::Name))
                    .col(string(VendorContacts::Email))
                    .col(string_null(VendorContacts::Role))
                    .foreign_key(
                        ForeignKey::create()
                            .from(VendorContacts::Table, VendorContacts::VendorId)
                            .to(Vendors::Table, Vendors::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(VendorContracts::Table)
                    .col(uuid(VendorContracts::VendorId).primary_key())
                    .col(big_integer_null(VendorContracts::ContractValue))
                    .col(string_null(VendorContracts::Currency))
                    .col(date_null(VendorContracts::RenewalDate))
                    .col(integer_null(VendorContracts::BreachNotificationHours))
                    .col(boolean_null(VendorContracts::RightToAudit))
                    .col(big_integer_null(VendorContracts::MinimumInsurance))
                    .col(big_integer_null(VendorContracts::LiabilityCap))
                    .col(boolean_null(VendorContracts::DpaInPlace))
                    .col(timestamp_with_time_zone(VendorContracts::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(VendorContracts::Table, VendorContracts::VendorId)
                            .to(Vendors::Table, Vendors::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            VendorContracts::Table.into_iden(),
            VendorContacts::Table.into_iden(),
            Vendors::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Vendors {
    Table,
    Id,
    OrganizationId,
    LegalName,
    Website,
    Services,
    /// JSON array of data types.
    DataTypes,
    SystemAccess,
    Criticality,
    /// Derived from the three above when they change; stored for filtering and sorting.
    InherentTier,
    /// JSON array of ISO 3166-1 alpha-2 codes.
    Countries,
    /// JSON array of strings.
    Tags,
    OwnerId,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum VendorContacts {
    Table,
    Id,
    VendorId,
    Name,
    Email,
    Role,
}

#[derive(DeriveIden)]
enum VendorContracts {
    Table,
    VendorId,
    /// Whole units of `currency`.
    ContractValue,
    Currency,
    RenewalDate,
    BreachNotificationHours,
    RightToAudit,
    MinimumInsurance,
    LiabilityCap,
    DpaInPlace,
    UpdatedAt,
}
