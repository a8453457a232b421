//! A compact text format for small test networks, in the spirit of OSRM's cucumber tables:
//! one section per entity, one line per row. Used by the tests of every crate above this one.
//!
//! ```text
//! locations:
//!   A CN rail1435|road          # code, country, platforms[, name]
//!   B CN rail1435|rail1520 Bee
//! links:
//!   A-B rail1435 km=100 h=10 usd=100 [back=80] [p10=0.8 p90=1.3] [drive=60 [daily=9]] [co2=20] [corridors=x|y] [every=168] [oneway]
//!   A-B rail1435 km=400 h=20 transit=AT|CH     # countries crossed between the ends
//!   A-B sea km=900 h=40 every=168 [late=0.4/120/280] [liner] [sail=150] [land=600]   # late = hold p/mean h/P90 h; sail = USD per TEU per sailing; land = USD per TEU landed (forward tariff)
//!   A-B ferry:rail1520 km=400 h=20 every=24 [backlog=0.2/400/500/forward]   # a port's backlog one way (forward|reverse)
//!   A-B road km=120 h=2 usd=300            # mode follows the platform; `ferry:` prefix for ferries
//! transfers:
//!   B rail1435>rail1520 h=5 p90=9 usd=50 [gauge_change] [oneway]
//! borders:
//!   B-C h=30 p90=60 usd=100 [reverse|forward] [id=...] [regular=90]   # regular = the regular trains' mean h (P90 1.9 x)
//! corridors:
//!   x y z>x|y w!>x                          # corridor codes; z continues on x and y, w on x and
//!                                           # is known by its crossings (`!`)
//! services:
//!   A-B mon|thu 08:00|20:00 [forward|reverse]   # weekly, local time = UTC in fixtures
//! ```
//!
//! Figures not given are zero; `back` is the price `B → A` where it differs, `p10`/`p90` the
//! price range as factors of the median; every link uses one emission factor per mode whose intensity is
//! `co2` g per tonne-km (default 0); `drive` times a truck link by the drivers' rule (moving km/h,
//! `daily` driving hours a day, default 9; give `h` as its 24 h average). Malformed fixtures
//! panic: this is a test helper.

use crate::ids::*;
use crate::network::*;
use crate::units::*;

/// Parses a fixture into a network.
///
/// # Panics
/// On any malformed line, with the line in the message.
pub fn parse(text: &str) -> Network {
    let mut section = "";
    let mut net = Network {
        info: DatasetInfo::default(),
        defaults: Defaults {
            payload_t_teu: Sourced { value: Tonnes(10.0), sources: vec![] },
            payload_t_feu: Sourced { value: Tonnes(20.0), sources: vec![] },
            value_of_time_usd_per_teu_hour: Sourced { value: 1.0, sources: vec![] },
            carbon_price_usd_per_t: Sourced { value: 0.0, sources: vec![] },
            access: None,
        },
        locations: vec![],
        links: vec![],
        transfers: vec![],
        borders: vec![],
        emission_factors: vec![],
        corridors: vec![],
        sources: vec![],
        services: vec![],
        prices: vec![],
        landings: vec![],
    };
    for raw in text.lines() {
        let line = raw.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        if let Some(s) = line.strip_suffix(':') {
            section = match s {
                "locations" | "links" | "transfers" | "borders" | "corridors" | "services" => s,
                _ => panic!("unknown fixture section {s:?}"),
            };
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        let kv = |key: &str| -> Option<f64> {
            words
                .iter()
                .find_map(|w| w.strip_prefix(key).and_then(|r| r.strip_prefix('=')))
                .map(|v| v.parse::<f64>().unwrap_or_else(|_| panic!("bad number in {raw:?}")))
        };
        let has = |flag: &str| words.contains(&flag);
        match section {
            "locations" => {
                let platforms: Vec<Platform> = {
                    let mut p: Vec<Platform> =
                        words[2].split('|').map(|p| p.parse().unwrap_or_else(|e| panic!("{e} in {raw:?}"))).collect();
                    p.sort();
                    p.dedup();
                    p
                };
                net.locations.push(Location {
                    code: words[0].to_string(),
                    name: words.get(3).unwrap_or(&words[0]).to_string(),
                    aliases: vec![],
                    country: words[1].to_string(),
                    lat: 0.0,
                    lon: net.locations.len() as f64,
                    tz: "UTC".into(),
                    kinds: vec![LocationKind::RailTerminal],
                    platforms,
                });
            }
            "corridors" => {
                for c in &words {
                    // `a>b|c`: corridor a continues on b and c, declared before it; a trailing
                    // `!` (`a!>b`) marks a corridor known by its crossings.
                    let (code, on) = c.split_once('>').unwrap_or((c, ""));
                    let (code, known_by_crossings) = code.strip_suffix('!').map_or((code, false), |code| (code, true));
                    let continues_on = on
                        .split('|')
                        .filter(|x| !x.is_empty())
                        .map(|x| {
                            let i = net.corridors.iter().position(|k| k.code == x);
                            CorridorId::from_index(i.unwrap_or_else(|| panic!("undeclared corridor {x:?}: {raw}")))
                        })
                        .collect();
                    net.corridors.push(Corridor {
                        code: code.to_string(),
                        name: code.to_string(),
                        color: String::new(),
                        description: String::new(),
                        continues_on,
                        known_by_crossings,
                    });
                }
            }
            "links" => {
                let (from, to) = ends(&net, words[0], raw);
                let (mode, platform) = match words[1].strip_prefix("ferry:") {
                    Some(p) => (Mode::Ferry, p.parse().unwrap_or_else(|e| panic!("{e} in {raw:?}"))),
                    None => {
                        let p: Platform = words[1].parse().unwrap_or_else(|e| panic!("{e} in {raw:?}"));
                        (p.mode(), p)
                    }
                };
                let co2 = kv("co2").unwrap_or(0.0);
                let factor = EmissionFactorId::from_index(net.emission_factors.len());
                net.emission_factors.push(EmissionFactor {
                    code: format!("ef{}", net.emission_factors.len()),
                    mode,
                    description: String::new(),
                    basis: EmissionBasis::TonneKm,
                    wtw_g: co2,
                    ttw_g: co2 / 2.0,
                    sources: vec![],
                });
                // A congestion regime `p/mean/p90` (`late=`, `backlog=`).
                let regime = |v: &str| {
                    let f: Vec<f64> =
                        v.split('/').map(|x| x.parse().unwrap_or_else(|e| panic!("{e} in {raw:?}"))).collect();
                    assert!(f.len() == 3, "p/mean/p90 in {raw:?}");
                    Hold { p: f[0], mean: Hours(f[1]), p90: Hours(f[2]) }
                };
                let corridors = words
                    .iter()
                    .find_map(|w| w.strip_prefix("corridors="))
                    .map(|list| {
                        list.split('|')
                            .map(|c| {
                                net.corridor_by_code(c).unwrap_or_else(|| panic!("unknown corridor {c} in {raw:?}"))
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                net.links.push(Link {
                    code: words[0].to_string(),
                    from,
                    to,
                    mode,
                    platform,
                    km: Km(kv("km").unwrap_or(0.0)),
                    hours: Hours(kv("h").unwrap_or(0.0)),
                    driving: kv("drive").map(|v| Driving {
                        hours: Hours(kv("km").unwrap_or(0.0) / v),
                        daily: Hours(kv("daily").unwrap_or(9.0)),
                    }),
                    tariff: Tariff {
                        usd_teu: Some(Usd(kv("usd").unwrap_or(0.0))),
                        usd_teu_sailing: kv("sail").map(Usd),
                        usd_teu_landing: kv("land").map(Usd),
                        range: PriceRange { p10: kv("p10").unwrap_or(1.0), p90: kv("p90").unwrap_or(1.0) },
                        ..Tariff::default()
                    },
                    tariff_back: kv("back").map(|b| Tariff {
                        usd_teu: Some(Usd(b)),
                        usd_teu_sailing: kv("sail").map(Usd),
                        range: PriceRange { p10: kv("p10").unwrap_or(1.0), p90: kv("p90").unwrap_or(1.0) },
                        ..Tariff::default()
                    }),
                    capacity_teu_week: None,
                    headway: kv("every").map(Hours),
                    hold: words.iter().find_map(|w| w.strip_prefix("late=")).map(regime),
                    backlog: {
                        let mut b = [None, None];
                        if let Some(v) = words.iter().find_map(|w| w.strip_prefix("backlog=")) {
                            let (figures, dir) =
                                v.rsplit_once('/').unwrap_or_else(|| panic!("backlog=p/mean/p90/dir in {raw:?}"));
                            let slot = match dir {
                                "forward" => 0,
                                "reverse" => 1,
                                other => panic!("backlog direction {other:?} in {raw:?}"),
                            };
                            b[slot] = Some(regime(figures));
                        }
                        b
                    },
                    corridors,
                    emission_factor: factor,
                    oneway: has("oneway"),
                    liner: has("liner"),
                    wait: [None, None],
                    geometry: Default::default(),
                    sources: Default::default(),
                    estimated: has("estimated"),
                    transit: words
                        .iter()
                        .find_map(|w| w.strip_prefix("transit="))
                        .map(|v| v.split('|').map(str::to_owned).collect())
                        .unwrap_or_default(),
                });
            }
            "transfers" => {
                let location = net.location_by_code(words[0]).unwrap_or_else(|| panic!("unknown location in {raw:?}"));
                let (a, b) = words[1].split_once('>').unwrap_or_else(|| panic!("expected from>to in {raw:?}"));
                let mean = kv("h").unwrap_or(0.0);
                net.transfers.push(Transfer {
                    location,
                    from: a.parse().unwrap_or_else(|e| panic!("{e} in {raw:?}")),
                    to: b.parse().unwrap_or_else(|e| panic!("{e} in {raw:?}")),
                    kind: if has("gauge_change") { TransferKind::GaugeChange } else { TransferKind::Transshipment },
                    dwell: Dwell::new(Hours(mean), Hours(kv("p90").unwrap_or(mean))),
                    tariff: Tariff { usd_teu: Some(Usd(kv("usd").unwrap_or(0.0))), ..Tariff::default() },
                    oneway: has("oneway"),
                    sources: vec![],
                });
            }
            "borders" => {
                let link = net
                    .links
                    .iter()
                    .position(|l| l.code == words[0])
                    .map(LinkId::from_index)
                    .unwrap_or_else(|| panic!("border on unknown link in {raw:?}"));
                let dirs: &[Direction] = if has("forward") {
                    &[Direction::Forward]
                } else if has("reverse") {
                    &[Direction::Reverse]
                } else {
                    &[Direction::Forward, Direction::Reverse]
                };
                let code = words.iter().find_map(|w| w.strip_prefix("id=")).unwrap_or(words[0]).to_string();
                let mean = kv("h").unwrap_or(0.0);
                let tariff = Tariff { usd_teu: Some(Usd(kv("usd").unwrap_or(0.0))), ..Tariff::default() };
                for &direction in dirs {
                    net.borders.push(Border {
                        code: code.clone(),
                        name: code.clone(),
                        link,
                        direction,
                        dwell: Dwell::new(Hours(mean), Hours(kv("p90").unwrap_or(mean))),
                        tariff,
                        sources: vec![],
                        regular: kv("regular").map(|h| crate::TrafficFigures {
                            dwell: Dwell::new(Hours(h), Hours(1.9 * h)),
                            tariff,
                            sources: vec![],
                        }),
                    });
                }
            }
            "services" => {
                use jiff::civil::Time;
                let link = net
                    .links
                    .iter()
                    .position(|l| l.code == words[0])
                    .map(LinkId::from_index)
                    .unwrap_or_else(|| panic!("service on unknown link in {raw:?}"));
                let days = words[1]
                    .split('|')
                    .map(|d| crate::schedule::parse_weekday(d).unwrap_or_else(|| panic!("bad weekday {d} in {raw:?}")))
                    .collect::<Vec<_>>();
                let times = words[2]
                    .split('|')
                    .map(|t| t.parse::<Time>().unwrap_or_else(|_| panic!("bad time {t} in {raw:?}")))
                    .collect::<Vec<_>>();
                let dirs: Vec<Direction> = if has("forward") {
                    vec![Direction::Forward]
                } else if has("reverse") {
                    vec![Direction::Reverse]
                } else {
                    vec![Direction::Forward, Direction::Reverse]
                };
                for d in dirs {
                    net.services.push(crate::schedule::Service {
                        link,
                        direction: Some(d),
                        schedule: crate::schedule::Schedule::Weekly {
                            days: days.clone(),
                            times: times.clone(),
                            tz: jiff::tz::TimeZone::UTC,
                        },
                        capacity_teu: None,
                        sources: vec![],
                    });
                }
            }
            _ => panic!("fixture line outside a section: {raw:?}"),
        }
    }
    net.refresh_waits();
    net.refresh_landings();
    net.refresh_access_trucks();
    let problems = net.check();
    assert!(problems.is_empty(), "fixture violates network invariants: {problems:?}");
    net
}

/// `[access]` figures for fixtures, without sources: 60 km/h for at most 9 h a day, USD 1 per
/// truck-km, a 12 h lift (P90 22.8 h) at USD 50, the CAREC road border (9.9 h, P90 18.8 h, USD
/// 208), 1,450 km at most, the first emission factor; no per-country trucks (set them with
/// [`Network::refresh_access_trucks`]).
pub fn access_figures() -> AccessFigures {
    let s = |value: f64| Sourced { value, sources: vec![] };
    AccessFigures {
        road_detour_factor: s(1.13),
        truck_driving_kmh: s(60.0),
        truck_daily_driving_h: s(9.0),
        truck_price: Sourced { value: Tariff { usd_teu_km: Some(1.0), ..Tariff::default() }, sources: vec![] },
        lift_hours_mean: s(12.0),
        lift_hours_p90: s(22.8),
        lift_usd: s(50.0),
        road_border_hours_mean: s(9.9),
        road_border_hours_p90: s(18.8),
        road_border_usd: s(208.0),
        max_km: s(1450.0),
        emission_factor: EmissionFactorId::from_index(0),
        declared: Default::default(),
        by_country: Default::default(),
    }
}

fn ends(net: &Network, spec: &str, raw: &str) -> (LocationId, LocationId) {
    let (a, b) = spec.split_once('-').unwrap_or_else(|| panic!("expected A-B in {raw:?}"));
    let find = |c: &str| net.location_by_code(c).unwrap_or_else(|| panic!("unknown location {c} in {raw:?}"));
    (find(a), find(b))
}
