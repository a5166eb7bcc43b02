//! Contracts in full, with their history, and the organisation's own policy (#17).
//!
//! - `contract_versions`: every version of a vendor's contract terms, numbered from 1 per
//!   vendor; the highest is the contract in force. The terms are the JSON of
//!   `assay_core::contract::Contract` (breach notice, audit, DPA, liability, insurance, SLA,
//!   RPO/RTO, data return, confidentiality, subprocessor notice, governing law, dates), so a
//!   new term needs no new column. Who saved a version and when is kept beside it, and its
//!   notice date (the last day to give notice not to renew) in a column of its own, indexed,
//!   so the daily renewal reminders find the contracts coming up without reading them all.
//! - The terms kept so far in `vendor_contracts` (one row per vendor, eight columns) become
//!   version 1 of each vendor's contract, written by SQL that both databases run, and the
//!   old table goes: one place holds a vendor's terms.
//! - `organization_policies`: one row per organisation that changed a default: the
//!   contract policy (terms every vendor in scope must have), its edits to the regulatory
//!   presets, its edits to the adequacy lists, its own profile (country, sectors, margin)
//!   and the renewal reminder offsets; each JSON, null for "the shipped default".

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Version 1 of every contract, from the eight columns kept until now. Amounts were whole
/// units of the contract's one currency; they become money with that currency.
const COPY_CONTRACTS: &str = r#"
INSERT INTO contract_versions (vendor_id, version, organization_id, terms, changed_by, changed_at)
SELECT c.vendor_id, 1, v.organization_id,
    '{"value":' || COALESCE('"' || CAST(c.contract_value AS TEXT) || ' ' || c.currency || '"', 'null')
    || ',"breach_notification_hours":' || COALESCE(CAST(c.breach_notification_hours AS TEXT), 'null')
    || ',"right_to_audit":' || CASE WHEN c.right_to_audit IS NULL THEN 'null' WHEN c.right_to_audit THEN 'true' ELSE 'false' END
    || ',"minimum_insurance":' || COALESCE('"' || CAST(c.minimum_insurance AS TEXT) || ' ' || c.currency || '"', 'null')
    || ',"liability_cap":' || COALESCE('"' || CAST(c.liability_cap AS TEXT) || ' ' || c.currency || '"', 'null')
    || ',"dpa_in_place":' || CASE WHEN c.dpa_in_place IS NULL THEN 'null' WHEN c.dpa_in_place THEN 'true' ELSE 'false' END
    || ',"renewal_date":' || COALESCE('"' || CAST(c.renewal_date AS TEXT) || '"', 'null')
    || '}',
    NULL, c.updated_at
FROM vendor_contracts c JOIN vendors v ON v.id = c.vendor_id
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ContractVersions::Table)
                    .col(uuid(ContractVersions::VendorId))
                    .col(integer(ContractVersions::Version))
                    .col(uuid(ContractVersions::OrganizationId))
                    .col(text(ContractVersions::Terms))
                    .col(date_null(ContractVersions::NoticeDate))
                    .col(uuid_null(ContractVersions::ChangedBy))
                    .col(timestamp_with_time_zone(ContractVersions::ChangedAt))
                    .primary_key(
                        Index::create()
                            .col(ContractVersions::VendorId)
                            .col(ContractVersions::Version),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContractVersions::Table, ContractVersions::VendorId)
                            .to(Vendors::Table, Vendors::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContractVersions::Table, ContractVersions::OrganizationId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_contract_versions_notice_date")
                    .table(ContractVersions::Table)
                    .col(ContractVersions::NoticeDate)
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(COPY_CONTRACTS)
            .await?;
        manager
            .drop_table(Table::drop().table(VendorContracts::Table).to_owned())
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OrganizationPolicies::Table)
                    .col(uuid(OrganizationPolicies::OrganizationId).primary_key())
                    .col(text_null(OrganizationPolicies::ContractPolicy))
                    .col(text_null(OrganizationPolicies::RegimeOverrides))
                    .col(text_null(OrganizationPolicies::Adequacy))
                    .col(text_null(OrganizationPolicies::ClientProfile))
                    .col(text_null(OrganizationPolicies::RenewalReminders))
                    .col(uuid_null(OrganizationPolicies::UpdatedBy))
                    .col(timestamp_with_time_zone(OrganizationPolicies::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                OrganizationPolicies::Table,
                                OrganizationPolicies::OrganizationId,
                            )
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(OrganizationPolicies::Table).to_owned())
            .await?;
        // The eight columns come back empty: terms beyond them have nowhere to go.
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
            .await?;
        manager
            .drop_table(Table::drop().table(ContractVersions::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum ContractVersions {
    Table,
    VendorId,
    /// 1, 2, 3… per vendor; the highest is in force.
    Version,
    OrganizationId,
    /// `assay_core::contract::Contract` as JSON.
    Terms,
    /// The terms' last day to give notice not to renew, for the renewal reminders' daily
    /// query (the terms kept so far had none).
    NoticeDate,
    /// The user who saved it; null for terms carried over from before versions.
    ChangedBy,
    ChangedAt,
}

#[derive(DeriveIden)]
enum VendorContracts {
    Table,
    VendorId,
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

#[derive(DeriveIden)]
enum OrganizationPolicies {
    Table,
    OrganizationId,
    /// `assay_core::contract::ContractPolicy`.
    ContractPolicy,
    /// `assay_core::regime::RegimeOverrides`.
    RegimeOverrides,
    /// The organisation's adequacy lists (`assay_core::transfer::AdequacyLists`).
    Adequacy,
    /// `assay_core::regime::ClientProfile`.
    ClientProfile,
    /// `assay_core::contract::ReminderOffsets`.
    RenewalReminders,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Vendors {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}
