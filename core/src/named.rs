//! Enums kept as text: in the database, on the wire and in exports each variant has one
//! stable name, and people read a label. Every such enum declares both with [`named!`],
//! the one place a variant's name is written; the database layer stores and restores
//! through [`Named`] alone, and a test checks that each name is also the serde name.

/// An enum with a stable name and a label per variant.
pub trait Named: Copy + Eq + 'static {
    /// Every variant, in the order people are offered them.
    const ALL: &'static [Self];

    /// The stable name (stored, and sent on the wire).
    fn name(self) -> &'static str;

    /// As people read it.
    fn label(self) -> &'static str;

    /// The variant a stored name names.
    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.name() == name)
    }
}

/// Declares the stable name and the label of every variant of an enum, in the order
/// people are offered them: `named!(Tier { Low => "low", "Low"; High => "high", "High"; })`.
/// Implements [`Named`] and the same as inherent `ALL`, `as_str`, `label` and `parse`.
#[macro_export]
macro_rules! named {
    ($ty:ident { $($variant:ident => $name:literal, $label:literal;)+ }) => {
        impl $ty {
            /// Every variant, in the order people are offered them.
            pub const ALL: [$ty; [$(stringify!($variant)),+].len()] = [$($ty::$variant),+];

            /// The stable name (stored, and sent on the wire).
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $name),+ }
            }

            /// As people read it.
            pub fn label(self) -> &'static str {
                match self { $($ty::$variant => $label),+ }
            }

            /// The variant a stored name names.
            pub fn parse(name: &str) -> Option<$ty> {
                <$ty as $crate::named::Named>::from_name(name)
            }
        }

        impl $crate::named::Named for $ty {
            const ALL: &'static [$ty] = &$ty::ALL;

            fn name(self) -> &'static str {
                self.as_str()
            }

            fn label(self) -> &'static str {
                $ty::label(self)
            }
        }
    };
}

/// Checks that every variant's stable name is its serde name and parses back.
#[cfg(test)]
pub(crate) fn assert_names_are_the_wire<T: Named + serde::Serialize + std::fmt::Debug>() {
    for &value in T::ALL {
        assert_eq!(
            serde_json::to_value(value).expect("serialises"),
            serde_json::Value::String(value.name().to_owned()),
            "{value:?}: the stored name differs from the serde name"
        );
        assert_eq!(
            T::from_name(value.name()),
            Some(value),
            "{value:?} does not parse back"
        );
        assert!(!value.label().is_empty(), "{value:?} has no label");
    }
}

#[cfg(test)]
mod tests {
    use super::assert_names_are_the_wire as check;
    use crate::{
        access, api, assessment, delivery, incident, review, risk, scoring, scoring_rules, template,
    };

    #[test]
    fn every_stored_name_is_the_serde_name() {
        check::<access::Role>();
        check::<access::TokenScope>();
        check::<api::VendorStatus>();
        check::<assessment::AssessmentStatus>();
        check::<delivery::RecipientStatus>();
        check::<incident::IncidentStatus>();
        check::<incident::IncidentParty>();
        check::<review::ReviewStatus>();
        check::<review::AuthorKind>();
        check::<review::DecisionOutcome>();
        check::<review::RemediationStatus>();
        check::<risk::RiskTier>();
        check::<risk::DataType>();
        check::<risk::SystemAccess>();
        check::<risk::Criticality>();
        check::<scoring::FindingKind>();
        check::<scoring_rules::Category>();
        check::<scoring_rules::EvidenceKind>();
        check::<template::Severity>();
    }
}
