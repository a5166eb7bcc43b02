//! Risk tiers and the inherent risk of a vendor: what could go wrong before looking at its
//! controls, from the data it handles, its access to systems and how critical it is.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::named;

/// Low to Critical; ordered, so `max` gives the worse tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum RiskTier {
    Low,
    Medium,
    High,
    Critical,
}

impl RiskTier {
    fn index(self) -> usize {
        self as usize
    }

    /// The tier `levels` steps lower, never below Low.
    pub fn lowered(self, levels: usize) -> RiskTier {
        RiskTier::ALL[self.index().saturating_sub(levels)]
    }
}

/// Kinds of data a vendor handles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DataType {
    Personal,
    Health,
    Payment,
    ConfidentialBusiness,
}

/// How far into the client's systems the vendor reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SystemAccess {
    None,
    ReadOnly,
    ReadWrite,
    Administrative,
}

/// How much the client depends on the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Criticality {
    Low,
    Medium,
    High,
    Critical,
}

/// The intake answers that set a vendor's inherent risk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InherentRiskProfile {
    pub data_types: BTreeSet<DataType>,
    pub system_access: SystemAccess,
    pub criticality: Criticality,
}

impl InherentRiskProfile {
    /// Points 0 to 9: the most sensitive data type (payment, health 3; personal 2;
    /// confidential business 1; none 0), system access (0 to 3) and criticality (0 to 3).
    pub fn points(&self) -> u8 {
        let data = self
            .data_types
            .iter()
            .map(|d| match d {
                DataType::Payment | DataType::Health => 3,
                DataType::Personal => 2,
                DataType::ConfidentialBusiness => 1,
            })
            .max()
            .unwrap_or(0);
        let access = match self.system_access {
            SystemAccess::None => 0,
            SystemAccess::ReadOnly => 1,
            SystemAccess::ReadWrite => 2,
            SystemAccess::Administrative => 3,
        };
        let criticality = match self.criticality {
            Criticality::Low => 0,
            Criticality::Medium => 1,
            Criticality::High => 2,
            Criticality::Critical => 3,
        };
        data + access + criticality
    }

    /// 0–2 Low, 3–4 Medium, 5–6 High, 7–9 Critical.
    pub fn inherent_tier(&self) -> RiskTier {
        match self.points() {
            0..=2 => RiskTier::Low,
            3..=4 => RiskTier::Medium,
            5..=6 => RiskTier::High,
            _ => RiskTier::Critical,
        }
    }
}

named!(RiskTier {
    Low => "low", "Low";
    Medium => "medium", "Medium";
    High => "high", "High";
    Critical => "critical", "Critical";
});

named!(DataType {
    Personal => "personal", "Personal data";
    Health => "health", "Health data";
    Payment => "payment", "Payment data";
    ConfidentialBusiness => "confidential_business", "Confidential business data";
});

named!(SystemAccess {
    None => "none", "No access to our systems";
    ReadOnly => "read_only", "Read-only access";
    ReadWrite => "read_write", "Read and write access";
    Administrative => "administrative", "Administrative access";
});

named!(Criticality {
    Low => "low", "Low";
    Medium => "medium", "Medium";
    High => "high", "High";
    Critical => "critical", "Critical";
});

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(
        data: &[DataType],
        access: SystemAccess,
        criticality: Criticality,
    ) -> InherentRiskProfile {
        InherentRiskProfile {
            data_types: data.iter().copied().collect(),
            system_access: access,
            criticality,
        }
    }

    #[test]
    fn inherent_tiers_follow_the_documented_points() {
        assert_eq!(
            profile(&[], SystemAccess::None, Criticality::Low).inherent_tier(),
            RiskTier::Low
        );
        assert_eq!(
            profile(
                &[DataType::Personal],
                SystemAccess::ReadOnly,
                Criticality::Low
            )
            .inherent_tier(),
            RiskTier::Medium
        );
        assert_eq!(
            profile(
                &[DataType::Health],
                SystemAccess::ReadWrite,
                Criticality::Medium
            )
            .inherent_tier(),
            RiskTier::High
        );
        assert_eq!(
            profile(
                &[DataType::Payment, DataType::Personal],
                SystemAccess::Administrative,
                Criticality::Critical
            )
            .inherent_tier(),
            RiskTier::Critical
        );
    }

    #[test]
    fn tiers_lower_but_never_below_low() {
        assert_eq!(RiskTier::Critical.lowered(2), RiskTier::Medium);
        assert_eq!(RiskTier::Medium.lowered(5), RiskTier::Low);
        assert!(RiskTier::High > RiskTier::Medium);
    }
}
