//! Emissions of a leg per ISO 14083 / the GLEC Framework: transport activity (tonne-km or
//! TEU-km) times the emission intensity of the vehicle, well-to-wheel and tank-to-wheel kept
//! apart. ISO 14083 publishes no default intensities; the dataset's emission-factor table
//! carries them with their sources.

use crate::network::{CargoUnit, EmissionBasis, EmissionFactor};
use crate::units::{KgCo2e, Km, Tonnes};

/// Well-to-wheel and tank-to-wheel emissions of one leg.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Emissions {
    /// Well-to-wheel (includes energy production and distribution).
    pub wtw: KgCo2e,
    /// Tank-to-wheel (vehicle operation only).
    pub ttw: KgCo2e,
}

impl std::ops::AddAssign for Emissions {
    fn add_assign(&mut self, rhs: Self) {
        self.wtw += rhs.wtw;
        self.ttw += rhs.ttw;
    }
}

/// Emissions of carrying one `unit` with `payload` tonnes of cargo over `km` with `factor`.
///
/// A tonne-km factor is applied to the cargo mass (GLEC allocates by cargo mass); a TEU-km
/// factor, used for container ships, to the TEU count of the unit.
pub fn leg_emissions(factor: &EmissionFactor, km: Km, unit: CargoUnit, payload: Tonnes) -> Emissions {
    let activity = match factor.basis {
        EmissionBasis::TonneKm => payload.0 * km.0,
        EmissionBasis::TeuKm => unit.teu() * km.0,
    };
    Emissions { wtw: KgCo2e(factor.wtw_g * activity / 1000.0), ttw: KgCo2e(factor.ttw_g * activity / 1000.0) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::Mode;

    fn factor(basis: EmissionBasis, wtw_g: f64, ttw_g: f64) -> EmissionFactor {
        EmissionFactor {
            code: "x".into(),
            mode: Mode::Rail,
            description: String::new(),
            basis,
            wtw_g,
            ttw_g,
            sources: vec![],
        }
    }

    #[test]
    fn tonne_km_uses_payload_and_teu_km_uses_unit() {
        let f = factor(EmissionBasis::TonneKm, 20.0, 5.0);
        let e = leg_emissions(&f, Km(1000.0), CargoUnit::Feu, Tonnes(10.0));
        assert_eq!(e.wtw, KgCo2e(200.0));
        assert_eq!(e.ttw, KgCo2e(50.0));
        let f = factor(EmissionBasis::TeuKm, 60.0, 50.0);
        let e = leg_emissions(&f, Km(1000.0), CargoUnit::Feu, Tonnes(10.0));
        assert_eq!(e.wtw, KgCo2e(120.0));
        assert_eq!(e.ttw, KgCo2e(100.0));
    }
}
