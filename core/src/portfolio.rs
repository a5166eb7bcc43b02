//! How the dashboard counts a portfolio's vendors by tier: only vendors with a scorecard
//! have a residual tier, so the tier chart and the heat map count the same vendors, and the
//! rest are counted apart as not assessed (never as Low).

use std::collections::BTreeMap;

use crate::api::{Count, HeatCell};
use crate::risk::RiskTier;

/// Vendors by residual tier and by inherent × residual tier, plus those not assessed yet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TierTally {
    /// Assessed vendors by (inherent, residual) tier; the tier chart sums its columns.
    heat: BTreeMap<(RiskTier, RiskTier), u64>,
    not_assessed: u64,
}

impl TierTally {
    /// Counts one vendor: its inherent tier and, when its latest assessment has a
    /// scorecard, the residual tier that scorecard gives.
    pub fn add(&mut self, inherent: RiskTier, residual: Option<RiskTier>) {
        match residual {
            Some(residual) => *self.heat.entry((inherent, residual)).or_default() += 1,
            None => self.not_assessed += 1,
        }
    }

    /// Vendors with a scorecard: what both the tier chart and the heat map add up to.
    pub fn assessed(&self) -> u64 {
        self.heat.values().sum()
    }

    /// Vendors without a scorecard yet.
    pub fn not_assessed(&self) -> u64 {
        self.not_assessed
    }

    /// Every tier, most critical first, with its count of assessed vendors.
    pub fn by_residual_tier(&self) -> Vec<Count<RiskTier>> {
        RiskTier::ALL
            .iter()
            .rev()
            .map(|t| Count {
                key: *t,
                count: self
                    .heat
                    .iter()
                    .filter(|((_, residual), _)| residual == t)
                    .map(|(_, n)| n)
                    .sum(),
            })
            .collect()
    }

    /// All sixteen cells, inherent tier then residual tier, Low first.
    pub fn heat_map(&self) -> Vec<HeatCell> {
        RiskTier::ALL
            .iter()
            .flat_map(|i| RiskTier::ALL.iter().map(move |r| (*i, *r)))
            .map(|(inherent, residual)| HeatCell {
                inherent,
                residual,
                count: self
                    .heat
                    .get(&(inherent, residual))
                    .copied()
                    .unwrap_or_default(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vendors_without_a_scorecard_are_not_counted_as_low() {
        let mut tally = TierTally::default();
        tally.add(RiskTier::Low, Some(RiskTier::High));
        tally.add(RiskTier::Critical, Some(RiskTier::Medium));
        tally.add(RiskTier::Low, None);
        tally.add(RiskTier::Medium, None);

        let low: u64 = tally
            .by_residual_tier()
            .iter()
            .filter(|c| c.key == RiskTier::Low)
            .map(|c| c.count)
            .sum();
        assert_eq!(low, 0, "unassessed vendors must not appear as Low");
        assert_eq!(
            tally.not_assessed(),
            2,
            "both unassessed vendors are counted apart"
        );
        assert_eq!(
            tally.assessed(),
            2,
            "only scored vendors have a residual tier"
        );
    }

    #[test]
    fn the_tier_chart_and_the_heat_map_add_up_to_the_same_vendors() {
        let mut tally = TierTally::default();
        for (inherent, residual) in [
            (RiskTier::Low, Some(RiskTier::High)),
            (RiskTier::High, Some(RiskTier::High)),
            (RiskTier::Critical, Some(RiskTier::Low)),
            (RiskTier::Medium, None),
        ] {
            tally.add(inherent, residual);
        }
        let bars: u64 = tally.by_residual_tier().iter().map(|c| c.count).sum();
        let cells: u64 = tally.heat_map().iter().map(|c| c.count).sum();
        assert_eq!(bars, cells, "tier chart {bars} vs heat map {cells}");
        assert_eq!(bars, 3);
        assert_eq!(
            tally.heat_map().len(),
            16,
            "every cell is listed, empty or not"
        );
        let critical_low = tally
            .heat_map()
            .into_iter()
            .find(|c| c.inherent == RiskTier::Critical && c.residual == RiskTier::Low)
            .map(|c| c.count);
        assert_eq!(critical_low, Some(1), "critical inherent, low residual");
    }

    #[test]
    fn tiers_are_listed_most_critical_first_even_when_empty() {
        let keys: Vec<RiskTier> = TierTally::default()
            .by_residual_tier()
            .iter()
            .map(|c| c.key)
            .collect();
        assert_eq!(
            keys,
            vec![
                RiskTier::Critical,
                RiskTier::High,
                RiskTier::Medium,
                RiskTier::Low
            ]
        );
    }
}
