//! Who may do what. Roles and permissions are enums and one exhaustive `match` decides, so a
//! new role or permission cannot be added without deciding every case.

use serde::{Deserialize, Serialize};

use crate::named;

/// A user's role inside their client organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages users, settings and API tokens; sees everything in the organisation.
    Admin,
    /// Manages vendors and sends questionnaires.
    Procurement,
    /// Reviews answers, scores, decides and exports.
    RiskManager,
    /// Reads everything, changes nothing.
    Auditor,
}

named!(Role {
    Admin => "admin", "Admin";
    Procurement => "procurement", "Procurement";
    RiskManager => "risk_manager", "Risk manager";
    Auditor => "auditor", "Auditor";
});

impl Role {
    /// Whether this role grants `permission`.
    pub fn can(self, permission: Permission) -> bool {
        use Permission::*;
        match (self, permission) {
            (Role::Admin, _) => true,
            (_, ManageUsers | ManageOrganisation | ManageApiTokens) => false,
            (
                Role::Auditor,
                ReadAuditLog | ReadVendors | ReadAssessments | ReadIncidents | Export,
            ) => true,
            (Role::Auditor, _) => false,
            (
                Role::Procurement,
                ReadVendors | ManageVendors | ReadAssessments | SendAssessments,
            ) => true,
            (Role::Procurement, ManageTemplates | ReadIncidents | ManageIncidents) => true,
            (Role::Procurement, ReadAuditLog | ReviewAssessments | DecideAssessments | Export) => {
                false
            }
            (
                Role::RiskManager,
                ReadVendors | ReadAssessments | ReviewAssessments | DecideAssessments | Export,
            ) => true,
            (Role::RiskManager, ManageTemplates | ReadIncidents | ManageIncidents) => true,
            (Role::RiskManager, ReadAuditLog | ManageVendors | SendAssessments) => false,
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The role name was not one of [`Role::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role “{0}”: expected admin, procurement, risk_manager or auditor")]
pub struct UnknownRole(pub String);

impl std::str::FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

/// Something a principal may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    ManageUsers,
    ManageOrganisation,
    ManageApiTokens,
    ReadAuditLog,
    ReadVendors,
    ManageVendors,
    ManageTemplates,
    ReadAssessments,
    SendAssessments,
    ReviewAssessments,
    DecideAssessments,
    Export,
    /// Read incident reports and their timelines.
    ReadIncidents,
    /// Record incidents reported by other means and post timeline updates.
    ManageIncidents,
}

impl Permission {
    pub const ALL: [Permission; 14] = [
        Permission::ManageUsers,
        Permission::ManageOrganisation,
        Permission::ManageApiTokens,
        Permission::ReadAuditLog,
        Permission::ReadVendors,
        Permission::ManageVendors,
        Permission::ManageTemplates,
        Permission::ReadAssessments,
        Permission::SendAssessments,
        Permission::ReviewAssessments,
        Permission::DecideAssessments,
        Permission::Export,
        Permission::ReadIncidents,
        Permission::ManageIncidents,
    ];
}

/// What an API token may do, on top of its creator's role: a token never manages users,
/// the organisation or other tokens, and a read-only token only reads and exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TokenScope {
    ReadOnly,
    ReadWrite,
}

named!(TokenScope {
    ReadOnly => "read_only", "Read only";
    ReadWrite => "read_write", "Read and write";
});

impl TokenScope {
    /// Whether a token of this scope may use `permission` (its creator's role decides too).
    pub fn allows(self, permission: Permission) -> bool {
        use Permission::*;
        match (self, permission) {
            (_, ManageUsers | ManageOrganisation | ManageApiTokens) => false,
            (
                TokenScope::ReadOnly,
                ReadAuditLog | ReadVendors | ReadAssessments | ReadIncidents | Export,
            ) => true,
            (TokenScope::ReadOnly, _) => false,
            (TokenScope::ReadWrite, _) => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_can_do_everything() {
        assert!(Permission::ALL.iter().all(|p| Role::Admin.can(*p)));
    }

    #[test]
    fn auditor_only_reads() {
        let allowed: Vec<_> = Permission::ALL
            .into_iter()
            .filter(|p| Role::Auditor.can(*p))
            .collect();
        assert_eq!(
            allowed,
            vec![
                Permission::ReadAuditLog,
                Permission::ReadVendors,
                Permission::ReadAssessments,
                Permission::Export,
                Permission::ReadIncidents,
            ]
        );
    }

    #[test]
    fn everyone_reads_incidents_and_all_but_auditors_record_them() {
        for role in Role::ALL {
            assert!(role.can(Permission::ReadIncidents), "{role}");
            assert_eq!(
                role.can(Permission::ManageIncidents),
                role != Role::Auditor,
                "{role}"
            );
        }
        assert!(TokenScope::ReadOnly.allows(Permission::ReadIncidents));
        assert!(!TokenScope::ReadOnly.allows(Permission::ManageIncidents));
    }

    #[test]
    fn tokens_never_manage_accounts_and_read_only_tokens_only_read() {
        for scope in TokenScope::ALL {
            assert!(!scope.allows(Permission::ManageApiTokens));
            assert!(!scope.allows(Permission::ManageUsers));
            assert!(scope.allows(Permission::ReadAssessments));
        }
        assert!(!TokenScope::ReadOnly.allows(Permission::DecideAssessments));
        assert!(TokenScope::ReadWrite.allows(Permission::DecideAssessments));
    }

    #[test]
    fn only_admins_manage_users() {
        for role in Role::ALL {
            assert_eq!(
                role.can(Permission::ManageUsers),
                role == Role::Admin,
                "{role}"
            );
        }
    }

    #[test]
    fn procurement_sends_but_does_not_decide_and_risk_managers_the_reverse() {
        assert!(Role::Procurement.can(Permission::SendAssessments));
        assert!(!Role::Procurement.can(Permission::DecideAssessments));
        assert!(Role::RiskManager.can(Permission::DecideAssessments));
        assert!(!Role::RiskManager.can(Permission::SendAssessments));
    }

    #[test]
    fn role_names_round_trip() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
            assert_eq!(
                serde_json::to_string(&role).expect("serialises"),
                format!("\"{}\"", role.as_str())
            );
        }
        assert!("root".parse::<Role>().is_err());
    }
}
