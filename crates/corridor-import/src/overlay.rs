//! The curated corridor dataset as an overlay on a detailed graph: what the detailed graph
//! cannot know from geometry alone, taken from the sourced curated network.
//!
//! Every figure is derived from the curated records by a stated rule, so a detailed snapshot
//! inherits the curated sources:
//! - **speeds, prices and emission intensities** per mode and country: the median over the
//!   curated links of that mode whose two ends lie in that country (running speed = km /
//!   hours), else the median over all curated links of the mode;
//! - **border crossings**: the curated crossing of the same mode and country pair, in the
//!   same direction, nearest to the crossing (within [`BORDER_MATCH_KM`]); else the median of
//!   the curated crossings of that pair and mode; else none inside a customs union (EU, EAEU);
//!   else the median of all curated crossings of the mode, labelled as an estimate;
//! - **gauge changes**: the curated gauge-change transfer nearest to the break (within
//!   [`GAUGE_MATCH_KM`]), else the median of the curated ones;
//! - **handling** at a terminal: the median of the curated transfers at that location, else
//!   the median of the curated transfers of the kind (port handling for ships, transshipment
//!   otherwise);
//! - **waiting for a sailing**: the median mean wait of the curated deep-sea links;
//! - **links** (ferries, sailings, and rail or road links the detailed graph lacks) with their
//!   curated time, expected wait, border clearance, price and emissions.

use std::collections::BTreeMap;

use corridor_model::{CargoUnit, Dwell, EmissionBasis, Km, Link, Mode as CMode, Network, Platform, TransferKind};

/// A curated crossing matches a detailed border arc within this distance.
pub const BORDER_MATCH_KM: f64 = 75.0;
/// A curated gauge change matches a break of gauge within this distance.
pub const GAUGE_MATCH_KM: f64 = 50.0;

pub use corridor_model::regions::same_customs_union;

/// A fixed delay and price with its provenance text.
#[derive(Clone, Debug, PartialEq)]
pub struct Fixed {
    /// Mean and P90 hours.
    pub dwell: Dwell,
    /// USD per TEU.
    pub usd: f64,
    /// What it is and where it comes from.
    pub label: String,
}

/// Running figures of one mode.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Running {
    /// km/h.
    pub speed_kmh: f64,
    /// USD per cargo tonne-km.
    pub usd_tkm: f64,
    /// kg CO2e (WTW) per cargo tonne-km.
    pub kg_tkm: f64,
}

/// A curated border crossing.
#[derive(Clone, Debug, PartialEq)]
pub struct CuratedBorder {
    /// Rail or road.
    pub mode: CMode,
    /// Country left.
    pub from: String,
    /// Country entered.
    pub to: String,
    /// Where (midpoint of the crossing link).
    pub at: (f64, f64),
    /// Dwell and price.
    pub fixed: Fixed,
}

/// A curated gauge change.
#[derive(Clone, Debug, PartialEq)]
pub struct CuratedGauge {
    /// Where.
    pub at: (f64, f64),
    /// Dwell and price.
    pub fixed: Fixed,
}

/// A curated link to lay over the detailed graph.
#[derive(Clone, Debug, PartialEq)]
pub struct CuratedLink {
    /// Link id.
    pub code: String,
    /// Curated mode.
    pub mode: CMode,
    /// End location codes.
    pub ends: [String; 2],
    /// End coordinates.
    pub at: [(f64, f64); 2],
    /// km.
    pub km: f64,
    /// Running hours plus wait for a departure (mean, P90), per direction.
    pub hours: [Dwell; 2],
    /// Flat USD per TEU (0 when priced per tonne-km).
    pub usd_fixed: f64,
    /// Border clearance fees per direction, USD per TEU.
    pub border_usd: [f64; 2],
    /// USD per tonne-km (0 when flat).
    pub usd_tkm: f64,
    /// kg CO2e per tonne-km.
    pub kg_tkm: f64,
    /// One-way.
    pub oneway: bool,
    /// Label.
    pub label: String,
}

/// A curated location, to become a terminal.
#[derive(Clone, Debug, PartialEq)]
pub struct CuratedPlace {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Country.
    pub country: String,
    /// Coordinates.
    pub at: (f64, f64),
    /// Serves rail, road, sea.
    pub serves: [bool; 3],
    /// Median handling of its transfers, if it has any.
    pub handling: Option<Fixed>,
}

/// Everything the detailed build takes from the curated dataset.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Overlay {
    /// Per (mode index 0 rail / 1 road / 2 sea, country): running figures.
    pub running_by_country: BTreeMap<(u8, String), Running>,
    /// Per mode: running figures over all countries.
    pub running: [Option<Running>; 3],
    /// Curated crossings.
    pub borders: Vec<CuratedBorder>,
    /// Curated gauge changes.
    pub gauges: Vec<CuratedGauge>,
    /// Default gauge change (median).
    pub gauge_default: Option<Fixed>,
    /// Default handling per kind: 0 transshipment, 1 port handling.
    pub handling_default: [Option<Fixed>; 2],
    /// Wait for a deep-sea sailing.
    pub sailing_wait: Option<Fixed>,
    /// Links to lay over (all sea and ferry links; rail and road links are added only where
    /// the detailed graph cannot connect their ends).
    pub links: Vec<CuratedLink>,
    /// Locations.
    pub places: Vec<CuratedPlace>,
    /// Payload used to turn per-TEU figures into per-tonne ones, t.
    pub payload_t: f64,
    /// Track gauge per country from the curated rail platforms (majority of its locations).
    pub gauge_by_country: BTreeMap<String, u16>,
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    v.retain(|x| x.is_finite());
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let k = v.len();
    Some(if k % 2 == 1 { v[k / 2] } else { (v[k / 2 - 1] + v[k / 2]) / 2.0 })
}

/// The median mean, P90 and price of `items`, labelled as an estimate of `what`.
pub(crate) fn median_fixed(items: &[&Fixed], what: &str) -> Option<Fixed> {
    let mean = median(items.iter().map(|f| f.dwell.mean.0).collect())?;
    let p90 = median(items.iter().map(|f| f.dwell.p90.0).collect())?.max(mean);
    let usd = median(items.iter().map(|f| f.usd).collect()).unwrap_or(0.0);
    Some(Fixed {
        dwell: Dwell::new(corridor_model::Hours(mean), corridor_model::Hours(p90)),
        usd,
        label: format!("{what} (estimate: median of {} curated records)", items.len()),
    })
}

fn mode_index(m: CMode) -> Option<u8> {
    match m {
        CMode::Rail => Some(0),
        CMode::Road => Some(1),
        CMode::Sea => Some(2),
        _ => None,
    }
}

impl Overlay {
    /// Derives the overlay from a loaded curated network.
    pub fn from_network(net: &Network) -> Overlay {
        let payload = net.defaults.payload_t_teu.value;
        let loc = |id: corridor_model::LocationId| net.location(id);
        let kg_tkm = |l: &Link| {
            let f = &net.emission_factors[l.emission_factor.index()];
            match f.basis {
                EmissionBasis::TonneKm => f.wtw_g / 1000.0,
                EmissionBasis::TeuKm => f.wtw_g / 1000.0 / payload.0,
            }
        };
        let usd_tkm = |l: &Link| {
            let p = l.tariff.price(CargoUnit::Teu, payload, l.km);
            if l.km.0 > 0.0 { p.0 / l.km.0 / payload.0 } else { f64::NAN }
        };
        // Running figures per mode and country.
        let mut samples: BTreeMap<(u8, String), Vec<&Link>> = BTreeMap::new();
        let mut all: [Vec<&Link>; 3] = Default::default();
        for l in &net.links {
            let Some(m) = mode_index(l.mode) else { continue };
            if l.km.0 <= 0.0 || l.hours.0 <= 0.0 {
                continue;
            }
            all[m as usize].push(l);
            let (a, b) = (loc(l.from), loc(l.to));
            if a.country == b.country {
                samples.entry((m, a.country.clone())).or_default().push(l);
            }
        }
        let running_of = |ls: &[&Link]| -> Option<Running> {
            Some(Running {
                speed_kmh: median(ls.iter().map(|l| l.km.0 / l.hours.0).collect())?,
                usd_tkm: median(ls.iter().map(|l| usd_tkm(l)).collect()).unwrap_or(0.0),
                kg_tkm: median(ls.iter().map(|l| kg_tkm(l)).collect()).unwrap_or(0.0),
            })
        };
        let running_by_country = samples.iter().filter_map(|(k, ls)| running_of(ls).map(|r| (k.clone(), r))).collect();
        let running = [running_of(&all[0]), running_of(&all[1]), running_of(&all[2])];
        // Borders.
        let borders = net
            .borders
            .iter()
            .filter_map(|b| {
                let l = net.link(b.link);
                let mode = match l.mode {
                    CMode::Rail | CMode::Road => l.mode,
                    _ => return None,
                };
                let (a, z) = match b.direction {
                    corridor_model::Direction::Forward => (loc(l.from), loc(l.to)),
                    corridor_model::Direction::Reverse => (loc(l.to), loc(l.from)),
                };
                Some(CuratedBorder {
                    mode,
                    from: a.country.clone(),
                    to: z.country.clone(),
                    at: ((a.lat + z.lat) / 2.0, (a.lon + z.lon) / 2.0),
                    fixed: Fixed {
                        dwell: b.dwell,
                        usd: b.tariff.price(CargoUnit::Teu, payload, Km(0.0)).0,
                        label: format!("border {} (curated {})", b.name, b.code),
                    },
                })
            })
            .collect();
        // Transfers: gauge changes and handling.
        let mut gauges = Vec::new();
        let mut by_place: BTreeMap<usize, Vec<Fixed>> = BTreeMap::new();
        let mut by_kind: [Vec<Fixed>; 2] = Default::default();
        for t in &net.transfers {
            let l = loc(t.location);
            let fixed = Fixed {
                dwell: t.dwell,
                usd: t.tariff.price(CargoUnit::Teu, payload, Km(0.0)).0,
                label: format!("{} at {} {} (curated)", t.kind.as_str().replace('_', " "), l.code, l.name),
            };
            let gauge_break =
                matches!((t.from, t.to), (Platform::Rail { gauge_mm: a }, Platform::Rail { gauge_mm: b }) if a != b);
            if gauge_break {
                gauges.push(CuratedGauge { at: (l.lat, l.lon), fixed: fixed.clone() });
            } else {
                let k = usize::from(t.kind == TransferKind::PortHandling);
                by_kind[k].push(fixed.clone());
                by_place.entry(t.location.index()).or_default().push(fixed);
            }
        }
        let gauge_refs: Vec<&Fixed> = gauges.iter().map(|g| &g.fixed).collect();
        let gauge_default = median_fixed(&gauge_refs, "gauge change");
        let handling_default = [
            median_fixed(&by_kind[0].iter().collect::<Vec<_>>(), "transshipment"),
            median_fixed(&by_kind[1].iter().collect::<Vec<_>>(), "port handling"),
        ];
        // Waiting for a deep-sea sailing: median of the sea links' waits.
        let waits: Vec<Fixed> = net
            .links
            .iter()
            .filter(|l| l.mode == CMode::Sea)
            .filter_map(|l| l.wait[0])
            .map(|w| Fixed { dwell: w, usd: 0.0, label: String::new() })
            .collect();
        let sailing_wait = median_fixed(&waits.iter().collect::<Vec<_>>(), "wait for a sailing");
        let links = net
            .links
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let (a, b) = (loc(l.from), loc(l.to));
                let flat = l.tariff.usd_teu.is_some() || l.tariff.usd_feu.is_some();
                // Border clearance on the link, per direction (0 forward, 1 reverse).
                let border = |dir: corridor_model::Direction| -> (f64, f64, f64) {
                    net.borders.iter().filter(|b| b.link.index() == i && b.direction == dir).fold(
                        (0.0, 0.0, 0.0),
                        |acc, b| {
                            (
                                acc.0 + b.dwell.mean.0,
                                acc.1 + b.dwell.p90.0.max(b.dwell.mean.0),
                                acc.2 + b.tariff.price(CargoUnit::Teu, payload, Km(0.0)).0,
                            )
                        },
                    )
                };
                let borders = [border(corridor_model::Direction::Forward), border(corridor_model::Direction::Reverse)];
                let hours = |w: Option<Dwell>, b: (f64, f64, f64)| {
                    let w = w.unwrap_or_default();
                    Dwell::new(
                        corridor_model::Hours(l.hours.0 + w.mean.0 + b.0),
                        corridor_model::Hours(l.hours.0 + w.p90.0.max(w.mean.0) + b.1),
                    )
                };
                CuratedLink {
                    code: l.code.clone(),
                    mode: l.mode,
                    ends: [a.code.clone(), b.code.clone()],
                    at: [(a.lat, a.lon), (b.lat, b.lon)],
                    km: l.km.0,
                    hours: [hours(l.wait[0], borders[0]), hours(l.wait[1], borders[1])],
                    usd_fixed: if flat { l.tariff.price(CargoUnit::Teu, payload, l.km).0 } else { 0.0 },
                    border_usd: [borders[0].2, borders[1].2],
                    usd_tkm: if flat { 0.0 } else { l.tariff.usd_tkm.unwrap_or(0.0) },
                    kg_tkm: kg_tkm(l),
                    oneway: l.oneway,
                    label: format!("{} {}–{} (curated {})", l.mode.as_str(), a.name, b.name, l.code),
                }
            })
            .collect();
        let places = net
            .locations
            .iter()
            .enumerate()
            .map(|(i, l)| CuratedPlace {
                code: l.code.clone(),
                name: l.name.clone(),
                country: l.country.clone(),
                at: (l.lat, l.lon),
                serves: [l.platforms.iter().any(|p| matches!(p, Platform::Rail { .. })), true, l.serves(Platform::Sea)],
                handling: by_place.get(&i).and_then(|f| {
                    let mut m = median_fixed(&f.iter().collect::<Vec<_>>(), "handling")?;
                    m.label =
                        format!("handling at {} {} (curated: median of its {} transfers)", l.code, l.name, f.len());
                    Some(m)
                }),
            })
            .collect();
        let mut votes: BTreeMap<String, BTreeMap<u16, usize>> = BTreeMap::new();
        for l in &net.locations {
            for p in &l.platforms {
                if let Platform::Rail { gauge_mm } = p {
                    *votes.entry(l.country.clone()).or_default().entry(*gauge_mm).or_default() += 1;
                }
            }
        }
        let gauge_by_country = votes
            .into_iter()
            .filter_map(|(c, v)| v.into_iter().max_by_key(|&(g, n)| (n, std::cmp::Reverse(g))).map(|(g, _)| (c, g)))
            .collect();
        Overlay {
            running_by_country,
            running,
            borders,
            gauges,
            gauge_default,
            handling_default,
            sailing_wait,
            links,
            places,
            payload_t: payload.0,
            gauge_by_country,
        }
    }

    /// Running figures of mode `m` (0 rail, 1 road, 2 sea) in `country`.
    pub fn running(&self, m: u8, country: Option<&str>) -> Option<Running> {
        country.and_then(|c| self.running_by_country.get(&(m, c.to_string())).copied()).or(self.running[m as usize])
    }
}
