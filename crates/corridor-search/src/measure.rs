//! What traversing one arc means in physical and money terms, for a given cargo unit and
//! payload. Both the search weights and the reported legs come from here, so the route a
//! search picks and the totals it reports can never disagree.

use corridor_model::emissions::{Emissions, leg_emissions};
use corridor_model::{ArcKind, CargoUnit, Hours, Km, Network, Price, PriceBasis, Tonnes, Traffic, Usd};

/// Distance, time, money and emissions of one arc.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ArcMeasure {
    /// Distance travelled (zero for transfers and borders).
    pub km: Km,
    /// Expected (mean) time.
    pub hours: Hours,
    /// 90th-percentile time (equal to `hours` for running times, which carry no spread yet).
    pub hours_p90: Hours,
    /// Median price for the unit.
    pub usd: Usd,
    /// Price range for the unit (P10, median, P90).
    pub price: Price,
    /// When the price was observed, if the data says.
    pub price_basis: Option<PriceBasis>,
    /// Emissions for the unit and payload.
    pub emissions: Emissions,
}

/// Measures an arc of kind `kind` for one `unit` carrying `payload` tonnes on a `traffic` train
/// (which only border crossings tell apart).
pub fn measure_arc(net: &Network, kind: ArcKind, unit: CargoUnit, payload: Tonnes, traffic: Traffic) -> ArcMeasure {
    match kind {
        ArcKind::Link { link, forward } => {
            let l = net.link(link);
            let factor = &net.emission_factors[l.emission_factor.index()];
            let tariff = l.tariff_in(forward);
            let price = tariff.quote(unit, payload, l.km);
            ArcMeasure {
                km: l.km,
                hours: l.hours,
                hours_p90: l.hours,
                usd: price.p50,
                price,
                price_basis: tariff.basis,
                emissions: leg_emissions(factor, l.km, unit, payload),
            }
        }
        ArcKind::Transfer(t) => {
            let t = &net.transfers[t.index()];
            let price = t.tariff.quote(unit, payload, Km::ZERO);
            ArcMeasure {
                km: Km::ZERO,
                hours: t.dwell.expected(),
                hours_p90: p90(t.dwell),
                usd: price.p50,
                price,
                price_basis: t.tariff.basis,
                emissions: Emissions::default(),
            }
        }
        ArcKind::Wait { link, forward } => {
            // Without a departure time, the wait is that of a random arrival against the
            // timetable or headway (see `Network::refresh_waits`).
            let l = net.link(link);
            let w = l.wait[usize::from(!forward)].unwrap_or_default();
            // Boarding is where a sailing's fixed price falls due: once per voyage, however
            // many calls the ship makes on the way (`Tariff::usd_teu_sailing`).
            let tariff = l.tariff_in(forward);
            let price = tariff.quote_sailing(unit);
            ArcMeasure {
                km: Km::ZERO,
                hours: w.expected(),
                hours_p90: p90(w),
                usd: price.p50,
                price,
                price_basis: if price.p50 > Usd::ZERO { tariff.basis } else { None },
                emissions: Emissions::default(),
            }
        }
        // Port calls are in the liners' running times; landing may carry a range premium.
        ArcKind::Call { location, lands } => match net.landing_at(location).filter(|_| lands) {
            Some(tariff) => {
                let price = tariff.quote_landing(unit);
                ArcMeasure { usd: price.p50, price, price_basis: tariff.basis, ..ArcMeasure::default() }
            }
            None => ArcMeasure::default(),
        },
        ArcKind::Border(b) => {
            let b = &net.borders[b.index()];
            let (dwell, tariff) = (b.dwell_for(traffic), b.tariff_for(traffic));
            let price = tariff.quote(unit, payload, Km::ZERO);
            ArcMeasure {
                km: Km::ZERO,
                hours: dwell.expected(),
                hours_p90: p90(dwell),
                usd: price.p50,
                price,
                price_basis: tariff.basis,
                emissions: Emissions::default(),
            }
        }
    }
}

/// The 90th percentile of a dwell, its congestion regimes included. The mixture's P90 is a
/// bisection, and every search measures every arc: it is memoised per thread by the record's
/// figures (a few dozen distinct records in a dataset).
fn p90(d: corridor_model::Dwell) -> Hours {
    use std::cell::RefCell;
    use std::collections::HashMap;
    thread_local! {
        static MEMO: RefCell<HashMap<[u64; 8], f64>> = RefCell::new(HashMap::new());
    }
    if d.hold.is_none() && d.backlog.is_none() {
        return d.p90;
    }
    let regime =
        |r: Option<corridor_model::Hold>| r.map_or([0; 3], |h| [h.p.to_bits(), h.mean.0.to_bits(), h.p90.0.to_bits()]);
    let ([a, b, c], [e, f, g]) = (regime(d.hold), regime(d.backlog));
    let key = [d.mean.0.to_bits(), d.p90.0.to_bits(), a, b, c, e, f, g];
    Hours(MEMO.with(|m| *m.borrow_mut().entry(key).or_insert_with(|| crate::dwell::DwellModel::fit(d).p90())))
}

/// Every arc of a graph measured for one cargo unit, payload and traffic: what the per-request weights
/// ([`crate::metric::Metric`]) and the label search read instead of measuring each arc again.
/// A comparison of nine corridors, or a label search expanding an arc thousands of times,
/// measures each arc once.
#[derive(Clone, Debug)]
pub struct ArcMeasures {
    unit: CargoUnit,
    payload: Tonnes,
    traffic: Traffic,
    arcs: Vec<ArcMeasure>,
}

impl ArcMeasures {
    /// Measures every arc of `graph` for `unit` carrying `payload` tonnes on a `traffic` train.
    pub fn new(
        net: &Network,
        graph: &corridor_model::Graph,
        unit: CargoUnit,
        payload: Tonnes,
        traffic: Traffic,
    ) -> ArcMeasures {
        let arcs = graph.kinds().iter().map(|&kind| measure_arc(net, kind, unit, payload, traffic)).collect();
        ArcMeasures { unit, payload, traffic, arcs }
    }

    /// Whether these are the measures for `unit`, `payload` (bit for bit) and `traffic`.
    pub fn is_for(&self, unit: CargoUnit, payload: Tonnes, traffic: Traffic) -> bool {
        self.unit == unit && self.payload.0.to_bits() == payload.0.to_bits() && self.traffic == traffic
    }

    /// The measure of arc number `arc`.
    #[inline]
    pub fn get(&self, arc: usize) -> &ArcMeasure {
        &self.arcs[arc]
    }

    /// Number of arcs measured.
    pub fn len(&self) -> usize {
        self.arcs.len()
    }

    /// Whether no arc was measured (an empty graph).
    pub fn is_empty(&self) -> bool {
        self.arcs.is_empty()
    }
}
