//! Loading and validating a dataset.
//!
//! [`load`] parses every file, resolves ids, checks every figure (range, NaN, source) and the
//! network as a whole (gauges at both ends of a link, border crossings on every cross-border
//! land link, connectivity), and returns either a [`Network`] or every problem found, each with
//! file, line and field. It never panics on bad input.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use corridor_model::*;
use serde::Deserialize;

use crate::dataset::DatasetFiles;
use crate::diag::{Diagnostic, Severity};
use crate::polyline;
use crate::table::{Row, Table};

/// A successfully loaded dataset.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The network.
    pub network: Network,
    /// Warnings (problems that do not prevent use).
    pub warnings: Vec<Diagnostic>,
}

/// Loads and validates a dataset. On failure returns all diagnostics (errors and warnings),
/// errors first in file order.
pub fn load(files: &DatasetFiles) -> Result<Loaded, Vec<Diagnostic>> {
    let mut l = Loader::default();
    let net = l.run(files);
    let mut diags = l.diags;
    diags.sort_by_key(|d| d.severity);
    match net {
        Some(network) if !diags.iter().any(|d| d.severity == Severity::Error) => {
            Ok(Loaded { network, warnings: diags })
        }
        _ => Err(diags),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DatasetToml {
    dataset: DatasetSection,
    defaults: DefaultsSection,
    #[serde(default)]
    access: Option<AccessSection>,
    #[serde(default)]
    corridor: Vec<CorridorSection>,
}

/// `[access]`: figures of estimated first/last-mile truck legs.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AccessSection {
    road_detour_factor: SourcedValue,
    truck_driving_kmh: SourcedValue,
    truck_daily_driving_h: SourcedValue,
    /// A price class of `prices.csv`.
    truck_price: String,
    lift_hours_mean: SourcedValue,
    lift_hours_p90: SourcedValue,
    lift_usd: SourcedValue,
    road_border_hours_mean: SourcedValue,
    road_border_hours_p90: SourcedValue,
    road_border_usd: SourcedValue,
    max_km: SourcedValue,
    emission_factor: String,
    /// `[access.countries.XX]`: the trucks of a country without road links of its own.
    #[serde(default)]
    countries: BTreeMap<String, CountryTrucksSection>,
}

/// `[access.countries.XX]`: how the estimated legs of one country are driven and priced.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CountryTrucksSection {
    /// Each figure left out is the dataset-wide one of `[access]`.
    truck_driving_kmh: Option<SourcedValue>,
    truck_daily_driving_h: Option<SourcedValue>,
    /// A price class of `prices.csv`.
    truck_price: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DatasetSection {
    name: String,
    version: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    attribution: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourcedValue {
    value: f64,
    src: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DefaultsSection {
    payload_t_teu: SourcedValue,
    payload_t_feu: SourcedValue,
    value_of_time_usd_per_teu_hour: SourcedValue,
    carbon_price_usd_per_t: SourcedValue,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CorridorSection {
    id: String,
    name: String,
    #[serde(default)]
    color: String,
    #[serde(default)]
    description: String,
    /// Corridors a route of this one may continue on.
    #[serde(default)]
    continues_on: Vec<String>,
    /// Whether a route of this corridor that crosses borders must cross one on its own links.
    #[serde(default)]
    known_by_crossings: bool,
}

#[derive(Default)]
struct Loader {
    diags: Vec<Diagnostic>,
    sources: BTreeMap<String, SourceId>,
    source_list: Vec<Source>,
    factors: BTreeMap<String, EmissionFactorId>,
    /// The emission factor named by `[access]`, resolved once emission_factors.csv is read.
    access_factor: Option<String>,
    /// The price class named by `[access]`, resolved once prices.csv is read.
    access_price: Option<String>,
    /// Per country of `[access.countries]`, the price class it names (none: the dataset-wide
    /// one) and the line of its table.
    access_country_prices: Vec<(String, Option<String>, Option<usize>)>,
    prices: BTreeMap<String, usize>,
    price_list: Vec<PriceClass>,
    /// `[access] truck_daily_driving_h`: the drivers' daily limit that `driving_kmh` links use.
    truck_daily_h: Option<f64>,
    /// Price classes with an invalid row (already reported).
    broken_prices: BTreeSet<String>,
    /// Per price class (index into `price_list`), its `west_end` and `east_end` location codes
    /// and their line, resolved once locations.csv is read.
    price_trade_ends: BTreeMap<usize, ([String; 2], usize)>,
    /// Per link, the price class it takes its rates from.
    link_class: Vec<Option<usize>>,
    factor_list: Vec<EmissionFactor>,
    corridors: BTreeMap<String, CorridorId>,
    locations: BTreeMap<String, LocationId>,
    location_list: Vec<Location>,
    links: BTreeMap<String, LinkId>,
    link_list: Vec<Link>,
    /// False when dataset.toml failed to parse: corridor tags cannot be checked then.
    corridors_known: bool,
    link_lines: Vec<usize>,
}

const DATASET: &str = "dataset.toml";

fn line_of(text: &str, key: &str) -> Option<usize> {
    text.lines().position(|l| l.trim_start().starts_with(key)).map(|i| i + 1)
}

impl Loader {
    fn run(&mut self, files: &DatasetFiles) -> Option<Network> {
        self.corridors_known = true;
        for required in ["dataset.toml", "sources.csv", "locations.csv", "links.csv"] {
            if files.get(required).is_none() {
                self.diags.push(Diagnostic::error(
                    required,
                    None,
                    None,
                    format!("required file missing in {}", files.origin),
                ));
            }
        }
        self.sources(files.get("sources.csv").unwrap_or(""));
        let toml_text = files.get(DATASET).unwrap_or("");
        let meta = self.dataset_toml(toml_text);
        self.emission_factors(files.get("emission_factors.csv"));
        self.prices(files.get("prices.csv"));
        self.locations(files.get("locations.csv").unwrap_or(""));
        self.links(files.get("links.csv").unwrap_or(""));
        self.orient_prices();
        let transfers = self.transfers(files.get("transfers.csv"));
        let borders = self.borders(files.get("borders.csv"));
        self.geometry(files.get("geometry.csv"));
        let (info, mut defaults, corridors) = meta?;
        if let (Some(access), Some(ef)) = (defaults.access.as_mut(), self.access_factor.take()) {
            match self.factors.get(&ef) {
                Some(&id) => access.emission_factor = id,
                None => self.diags.push(Diagnostic::error(
                    DATASET,
                    line_of(toml_text, "emission_factor"),
                    Some("access.emission_factor"),
                    format!("unknown emission factor {ef:?} (not in emission_factors.csv)"),
                )),
            }
        }
        if let (Some(access), Some(code)) = (defaults.access.as_mut(), self.access_price.take()) {
            let line = line_of(toml_text, "truck_price");
            if let Some(price) = self.truck_rate(&code, line, "access.truck_price") {
                access.truck_price = price;
            }
        }
        if let Some(access) = defaults.access.as_mut() {
            for (cc, code, line) in std::mem::take(&mut self.access_country_prices) {
                // No class of its own: the dataset-wide one.
                let price = match code {
                    Some(code) => self.truck_rate(&code, line, &format!("access.countries.{cc}.truck_price")),
                    None => Some(access.truck_price.clone()),
                };
                if let (Some(price), Some(trucks)) = (price, access.declared.get_mut(&cc)) {
                    trucks.price = price.value;
                    trucks.cost_sources = price.sources;
                }
            }
        }
        let mut net = Network {
            info,
            defaults,
            locations: std::mem::take(&mut self.location_list),
            links: std::mem::take(&mut self.link_list),
            transfers,
            borders,
            emission_factors: std::mem::take(&mut self.factor_list),
            corridors,
            sources: std::mem::take(&mut self.source_list),
            services: Vec::new(),
            prices: std::mem::take(&mut self.price_list),
            landings: Vec::new(),
        };
        net.services = self.services(files.get("services.csv"), &net);
        net.refresh_waits();
        net.refresh_landings();
        net.refresh_access_trucks();
        // Declared trucks of a country with road links would never be used: refused, not ignored.
        if let Some(a) = &net.defaults.access {
            for (cc, declared) in &a.declared {
                if a.by_country.get(cc) != Some(declared) {
                    self.diags.push(Diagnostic::error(
                        DATASET,
                        line_of(toml_text, &format!("[access.countries.{cc}]")),
                        Some("access.countries"),
                        format!("{cc} has road links of its own: its estimated legs take their figures; drop [access.countries.{cc}]"),
                    ));
                }
            }
        }
        if self.diags.iter().any(|d| d.severity == Severity::Error) {
            return None;
        }
        self.check_network(&net);
        Some(net)
    }

    /// The rate of price class `code` for trucks (one rate both ways, per truck-km), with its
    /// sources; `None` after reporting, at `line` of dataset.toml under `key`, a class that is
    /// unknown or has a rate per direction.
    fn truck_rate(&mut self, code: &str, line: Option<usize>, key: &str) -> Option<Sourced<Tariff>> {
        let message = match self.prices.get(code).map(|&i| &self.price_list[i]) {
            Some(PriceClass { rates: PriceRates::Any(t), sources, .. }) => {
                return Some(Sourced { value: *t, sources: sources.clone() });
            }
            Some(_) => format!("price class {code:?} has a rate per direction; an access leg needs one rate both ways"),
            None => format!("unknown price class {code:?} (not in prices.csv)"),
        };
        self.diags.push(Diagnostic::error(DATASET, line, Some(key), message));
        None
    }

    fn table(&mut self, file: &str, text: &str, required: &[&str], optional: &[&str]) -> Option<Table> {
        Table::parse(file, text, required, optional, &mut self.diags)
    }

    /// Resolves the `|`-separated source ids in `field`; `needed` when the figure it backs is
    /// present (a figure without a source is an error).
    fn source_refs(&mut self, row: &Row, field: &str, needed: bool) -> Vec<SourceId> {
        let ids = row.list(field);
        if ids.is_empty() && needed {
            self.diags.push(row.error(
                field,
                "figure without a source: give a source id from sources.csv (an `estimate` source states its method)",
            ));
        }
        let mut out = Vec::new();
        for id in ids {
            match self.sources.get(id) {
                Some(&s) => out.push(s),
                None => self.diags.push(row.error(field, format!("unknown source id {id:?} (not in sources.csv)"))),
            }
        }
        out
    }

    fn sources(&mut self, text: &str) {
        let Some(t) = self.table("sources.csv", text, &["id", "status", "title"], &["url", "note"]) else { return };
        for row in t.rows() {
            let Some(id) = row.required("id", &mut self.diags) else { continue };
            let status = match row.get("status") {
                "S" => SourceStatus::Stated,
                "S-press" => SourceStatus::Press,
                "C" => SourceStatus::Computed,
                "estimate" => SourceStatus::Estimate,
                other => {
                    self.diags.push(
                        row.error("status", format!("unknown status {other:?} (expected S, S-press, C or estimate)")),
                    );
                    continue;
                }
            };
            let note = row.get("note");
            if matches!(status, SourceStatus::Estimate | SourceStatus::Computed) && note.is_empty() {
                self.diags.push(row.error("note", "an estimate or computed figure must state its method in `note`"));
            }
            let title = row.get("title");
            if title.is_empty() {
                self.diags.push(row.error("title", "missing value"));
            }
            if self.sources.contains_key(id) {
                self.diags.push(row.error("id", format!("duplicate source id {id:?}")));
                continue;
            }
            self.sources.insert(id.to_string(), SourceId::from_index(self.source_list.len()));
            self.source_list.push(Source {
                code: id.to_string(),
                status,
                title: title.to_string(),
                url: row.get("url").to_string(),
                note: note.to_string(),
            });
        }
    }

    fn dataset_toml(&mut self, text: &str) -> Option<(DatasetInfo, Defaults, Vec<Corridor>)> {
        let parsed: DatasetToml = match toml::from_str(text) {
            Ok(p) => p,
            Err(e) => {
                self.corridors_known = false;
                let line = e.span().map(|s| text[..s.start.min(text.len())].lines().count().max(1));
                self.diags.push(Diagnostic::error(DATASET, line, None, e.message().to_string()));
                return None;
            }
        };
        // A figure of the line that `key` starts, or of `at` (a country's table).
        let mut sourced_at = |at: Option<usize>, key: &str, v: &SourcedValue, min: f64, max: f64| -> Sourced<f64> {
            let line = at.or_else(|| line_of(text, key));
            if !(v.value >= min && v.value <= max) {
                self.diags.push(Diagnostic::error(
                    DATASET,
                    line,
                    Some(key),
                    format!("{} is out of range [{min}, {max}]", v.value),
                ));
            }
            let mut sources = Vec::new();
            let ids: Vec<&str> = v.src.split('|').map(str::trim).filter(|s| !s.is_empty()).collect();
            if ids.is_empty() {
                self.diags.push(Diagnostic::error(DATASET, line, Some(key), "figure without a source"));
            }
            for id in ids {
                match self.sources.get(id) {
                    Some(&s) => sources.push(s),
                    None => self.diags.push(Diagnostic::error(
                        DATASET,
                        line,
                        Some(key),
                        format!("unknown source id {id:?}"),
                    )),
                }
            }
            Sourced { value: v.value, sources }
        };
        let d = &parsed.defaults;
        let ton = |s: Sourced<f64>| Sourced { value: Tonnes(s.value), sources: s.sources };
        let defaults = Defaults {
            payload_t_teu: ton(sourced_at(None, "payload_t_teu", &d.payload_t_teu, 0.0, 30.0)),
            payload_t_feu: ton(sourced_at(None, "payload_t_feu", &d.payload_t_feu, 0.0, 30.0)),
            value_of_time_usd_per_teu_hour: sourced_at(
                None,
                "value_of_time_usd_per_teu_hour",
                &d.value_of_time_usd_per_teu_hour,
                0.0,
                1e4,
            ),
            carbon_price_usd_per_t: sourced_at(None, "carbon_price_usd_per_t", &d.carbon_price_usd_per_t, 0.0, 1e4),
            access: None,
        };
        let access = parsed.access.as_ref().map(|a| {
            let speed = sourced_at(None, "truck_driving_kmh", &a.truck_driving_kmh, 5.0, 130.0);
            let daily = sourced_at(None, "truck_daily_driving_h", &a.truck_daily_driving_h, 1.0, 24.0);
            // Per country: its own figures, each one it leaves out the dataset-wide one.
            let declared = a
                .countries
                .iter()
                .map(|(cc, c)| {
                    let at = line_of(text, &format!("[access.countries.{cc}]"));
                    let key = |k: &str| format!("access.countries.{cc}.{k}");
                    let own_speed = match &c.truck_driving_kmh {
                        Some(v) => sourced_at(at, &key("truck_driving_kmh"), v, 5.0, 130.0),
                        None => speed.clone(),
                    };
                    let own_daily = match &c.truck_daily_driving_h {
                        Some(v) => sourced_at(at, &key("truck_daily_driving_h"), v, 1.0, 24.0),
                        None => daily.clone(),
                    };
                    let mut time_sources: Vec<SourceId> =
                        own_speed.sources.into_iter().chain(own_daily.sources).collect();
                    time_sources.sort();
                    time_sources.dedup();
                    let trucks = Trucks {
                        driving_kmh: own_speed.value,
                        daily_driving_h: own_daily.value,
                        // Resolved once prices.csv is read.
                        price: Tariff::default(),
                        time_sources,
                        cost_sources: Vec::new(),
                    };
                    (cc.clone(), trucks)
                })
                .collect();
            let access = AccessFigures {
                road_detour_factor: sourced_at(None, "road_detour_factor", &a.road_detour_factor, 1.0, 3.0),
                truck_driving_kmh: speed,
                truck_daily_driving_h: daily,
                // Resolved once prices.csv is read.
                truck_price: Sourced { value: Tariff::default(), sources: Vec::new() },
                lift_hours_mean: sourced_at(None, "lift_hours_mean", &a.lift_hours_mean, 0.0, 240.0),
                lift_hours_p90: sourced_at(None, "lift_hours_p90", &a.lift_hours_p90, 0.0, 480.0),
                lift_usd: sourced_at(None, "lift_usd", &a.lift_usd, 0.0, 1e4),
                road_border_hours_mean: sourced_at(
                    None,
                    "road_border_hours_mean",
                    &a.road_border_hours_mean,
                    0.0,
                    24.0 * 60.0,
                ),
                road_border_hours_p90: sourced_at(
                    None,
                    "road_border_hours_p90",
                    &a.road_border_hours_p90,
                    0.0,
                    24.0 * 120.0,
                ),
                road_border_usd: sourced_at(None, "road_border_usd", &a.road_border_usd, 0.0, 1e5),
                max_km: sourced_at(None, "max_km", &a.max_km, 1.0, 5000.0),
                emission_factor: EmissionFactorId::from_index(0),
                declared,
                // Filled from the road links once they are read (`refresh_access_trucks`).
                by_country: Default::default(),
            };
            (access, a.emission_factor.clone(), a.truck_price.clone())
        });
        let defaults = match access {
            Some((a, ef, a_price)) => {
                for (cc, c) in parsed.access.iter().flat_map(|a| &a.countries) {
                    let line = line_of(text, &format!("[access.countries.{cc}]"));
                    if cc.len() != 2 || !cc.bytes().all(|b| b.is_ascii_uppercase()) {
                        self.diags.push(Diagnostic::error(
                            DATASET,
                            line,
                            Some("access.countries"),
                            format!("{cc:?} is not a country code (ISO 3166 alpha-2, two capital letters)"),
                        ));
                    }
                    if c.truck_driving_kmh.is_none() && c.truck_daily_driving_h.is_none() && c.truck_price.is_none() {
                        self.diags.push(Diagnostic::error(
                            DATASET,
                            line,
                            Some("access.countries"),
                            format!(
                                "[access.countries.{cc}] gives no figure (truck_driving_kmh, truck_daily_driving_h or truck_price)"
                            ),
                        ));
                    }
                    self.access_country_prices.push((cc.clone(), c.truck_price.clone(), line));
                }
                for (key, mean, p90) in [
                    ("lift_hours_p90", &a.lift_hours_mean, &a.lift_hours_p90),
                    ("road_border_hours_p90", &a.road_border_hours_mean, &a.road_border_hours_p90),
                ] {
                    if p90.value < mean.value {
                        self.diags.push(Diagnostic::error(
                            DATASET,
                            line_of(text, key),
                            Some(key),
                            format!("P90 {} is below the mean {}", p90.value, mean.value),
                        ));
                    }
                }
                self.access_factor = Some(ef);
                self.truck_daily_h = Some(a.truck_daily_driving_h.value);
                self.access_price = Some(a_price);
                Defaults { access: Some(a), ..defaults }
            }
            None => defaults,
        };
        let mut corridors = Vec::new();
        let mut continues = Vec::new();
        for c in parsed.corridor {
            let line = text.lines().position(|l| l.contains(&format!("\"{}\"", c.id))).map(|i| i + 1);
            if c.id.is_empty() || !c.id.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-') {
                self.diags.push(Diagnostic::error(
                    DATASET,
                    line,
                    Some("corridor.id"),
                    format!("corridor id {:?} must be lowercase letters, digits and '-'", c.id),
                ));
            }
            if self.corridors.contains_key(&c.id) {
                self.diags.push(Diagnostic::error(
                    DATASET,
                    line,
                    Some("corridor.id"),
                    format!("duplicate corridor {:?}", c.id),
                ));
                continue;
            }
            self.corridors.insert(c.id.clone(), CorridorId::from_index(corridors.len()));
            continues.push((line, c.continues_on));
            corridors.push(Corridor {
                code: c.id,
                name: c.name,
                color: c.color,
                description: c.description,
                continues_on: Vec::new(),
                known_by_crossings: c.known_by_crossings,
            });
        }
        // Continuations name corridors declared anywhere in the file, so they resolve afterwards.
        for (i, (line, names)) in continues.into_iter().enumerate() {
            for name in names {
                match self.corridors.get(&name) {
                    Some(&id) if id.index() != i => corridors[i].continues_on.push(id),
                    Some(_) => self.diags.push(Diagnostic::error(
                        DATASET,
                        line,
                        Some("corridor.continues_on"),
                        format!("corridor {:?} continues on itself", corridors[i].code),
                    )),
                    None => self.diags.push(Diagnostic::error(
                        DATASET,
                        line,
                        Some("corridor.continues_on"),
                        format!("unknown corridor {name:?} (declare it with [[corridor]])"),
                    )),
                }
            }
        }
        let info = DatasetInfo {
            name: parsed.dataset.name,
            version: parsed.dataset.version,
            description: parsed.dataset.description,
            attribution: parsed.dataset.attribution,
        };
        Some((info, defaults, corridors))
    }

    fn emission_factors(&mut self, text: Option<&str>) {
        let Some(text) = text else { return };
        let Some(t) = self.table(
            "emission_factors.csv",
            text,
            &["id", "mode", "basis", "wtw_g", "ttw_g", "src"],
            &["description"],
        ) else {
            return;
        };
        for row in t.rows() {
            let Some(id) = row.required("id", &mut self.diags) else { continue };
            let mode = row.get("mode").parse::<Mode>().map_err(|e| self.diags.push(row.error("mode", e))).ok();
            let basis = match row.get("basis") {
                "tkm" => Some(EmissionBasis::TonneKm),
                "teukm" => Some(EmissionBasis::TeuKm),
                other => {
                    self.diags.push(row.error("basis", format!("unknown basis {other:?} (expected tkm or teukm)")));
                    None
                }
            };
            let wtw = row.number("wtw_g", 0.0, 1e5, &mut self.diags);
            let ttw = row.number("ttw_g", 0.0, 1e5, &mut self.diags);
            if wtw.is_none() {
                self.diags.push(row.error("wtw_g", "missing value"));
            }
            if ttw.is_none() {
                self.diags.push(row.error("ttw_g", "missing value"));
            }
            if let (Some(w), Some(t)) = (wtw, ttw)
                && t > w
            {
                self.diags.push(row.error("ttw_g", format!("tank-to-wheel {t} exceeds well-to-wheel {w}")));
            }
            let sources = self.source_refs(&row, "src", true);
            if self.factors.contains_key(id) {
                self.diags.push(row.error("id", format!("duplicate emission factor {id:?}")));
                continue;
            }
            let (Some(mode), Some(basis), Some(wtw_g), Some(ttw_g)) = (mode, basis, wtw, ttw) else { continue };
            self.factors.insert(id.to_string(), EmissionFactorId::from_index(self.factor_list.len()));
            self.factor_list.push(EmissionFactor {
                code: id.to_string(),
                mode,
                description: row.get("description").to_string(),
                basis,
                wtw_g,
                ttw_g,
                sources,
            });
        }
    }

    fn locations(&mut self, text: &str) {
        let Some(t) = self.table(
            "locations.csv",
            text,
            &["id", "name", "country", "lat", "lon", "tz", "kind", "platforms", "coord_src"],
            &["aliases", "notes"],
        ) else {
            return;
        };
        for row in t.rows() {
            let Some(id) = row.required("id", &mut self.diags) else { continue };
            if !id.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-') {
                self.diags
                    .push(row.error("id", format!("id {id:?} must be a UN/LOCODE (CNXIA) or CC-NAME in capitals")));
            }
            let name = row.required("name", &mut self.diags).unwrap_or("");
            let country = row.get("country");
            if country.len() != 2 || !country.chars().all(|c| c.is_ascii_uppercase()) {
                self.diags.push(row.error("country", format!("{country:?} is not an ISO 3166-1 alpha-2 code")));
            }
            let lat = row.number("lat", -90.0, 90.0, &mut self.diags);
            let lon = row.number("lon", -180.0, 180.0, &mut self.diags);
            if row.get("lat").is_empty() {
                self.diags.push(row.error("lat", "missing value"));
            }
            if row.get("lon").is_empty() {
                self.diags.push(row.error("lon", "missing value"));
            }
            let tz = row.get("tz");
            if jiff::tz::TimeZone::get(tz).is_err() {
                self.diags.push(row.error("tz", format!("{tz:?} is not an IANA time zone name such as Asia/Almaty")));
            }
            let mut kinds = Vec::new();
            for k in row.list("kind") {
                match k.parse::<LocationKind>() {
                    Ok(k) => kinds.push(k),
                    Err(e) => self.diags.push(row.error("kind", e)),
                }
            }
            if row.list("kind").is_empty() {
                self.diags.push(row.error("kind", "missing value"));
            }
            let mut platforms = Vec::new();
            for p in row.list("platforms") {
                match p.parse::<Platform>() {
                    Ok(p) => platforms.push(p),
                    Err(e) => self.diags.push(row.error("platforms", e)),
                }
            }
            platforms.sort();
            platforms.dedup();
            if platforms.is_empty() {
                self.diags.push(row.error("platforms", "a location must serve at least one platform"));
            }
            self.source_refs(&row, "coord_src", true);
            if self.locations.contains_key(id) {
                self.diags.push(row.error("id", format!("duplicate location id {id:?}")));
                continue;
            }
            let (Some(lat), Some(lon)) = (lat, lon) else { continue };
            if platforms.is_empty() || kinds.is_empty() {
                continue;
            }
            self.locations.insert(id.to_string(), LocationId::from_index(self.location_list.len()));
            self.location_list.push(Location {
                code: id.to_string(),
                name: name.to_string(),
                aliases: row.list("aliases").into_iter().map(str::to_string).collect(),
                country: country.to_string(),
                lat,
                lon,
                tz: tz.to_string(),
                kinds,
                platforms,
            });
        }
    }

    fn location_ref(&mut self, row: &Row, field: &str) -> Option<LocationId> {
        let id = row.required(field, &mut self.diags)?;
        match self.locations.get(id) {
            Some(&l) => Some(l),
            None => {
                let close: Vec<&String> = self.locations.keys().filter(|k| close_id(k, id)).take(3).collect();
                let hint = if close.is_empty() { String::new() } else { format!("; did you mean {close:?}?") };
                self.diags.push(row.error(field, format!("unknown location id {id:?} (not in locations.csv){hint}")));
                None
            }
        }
    }

    fn tariff(&mut self, row: &Row, allow_tkm: bool) -> Tariff {
        Tariff {
            usd_teu: row.number("usd_teu", 0.0, 1e6, &mut self.diags).map(Usd),
            usd_feu: row.number("usd_feu", 0.0, 1e6, &mut self.diags).map(Usd),
            usd_tkm: if allow_tkm { row.number("usd_tkm", 0.0, 100.0, &mut self.diags) } else { None },
            ..Tariff::default()
        }
    }

    /// `prices.csv`: rates per container-km shared by links, one row per class and direction
    /// (`any`, or both `westbound` and `eastbound`).
    fn prices(&mut self, text: Option<&str>) {
        let Some(text) = text else { return };
        let Some(t) = self.table(
            "prices.csv",
            text,
            &["id", "direction", "usd_teu_km", "usd_feu_km", "p10", "p90", "basis", "src"],
            &[
                "west_end",
                "east_end",
                "usd_teu_sailing",
                "usd_feu_sailing",
                "usd_teu_landing",
                "usd_feu_landing",
                "notes",
            ],
        ) else {
            return;
        };
        // Per class: its first line, its rates by direction, its sources.
        type Rows = BTreeMap<String, (usize, Vec<(PriceDirection, Tariff)>, Vec<SourceId>)>;
        let mut rows: Rows = BTreeMap::new();
        // Per class: its trade ends (codes, line), from the first row that names them.
        let mut trade_ends: BTreeMap<String, ([String; 2], usize)> = BTreeMap::new();
        for row in t.rows() {
            let Some(id) = row.required("id", &mut self.diags) else { continue };
            if !id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
                self.diags
                    .push(row.error("id", format!("price class id {id:?} must be lowercase letters, digits and '-'")));
            }
            let direction = match row.get("direction") {
                "any" => Some(PriceDirection::Any),
                "westbound" => Some(PriceDirection::Westbound),
                "eastbound" => Some(PriceDirection::Eastbound),
                other => {
                    self.diags.push(row.error(
                        "direction",
                        format!("unknown direction {other:?} (expected any, westbound or eastbound)"),
                    ));
                    None
                }
            };
            let teu = row.number("usd_teu_km", 0.0, 1e3, &mut self.diags);
            let feu = row.number("usd_feu_km", 0.0, 1e3, &mut self.diags);
            if teu.is_none() && feu.is_none() && row.get("usd_teu_km").is_empty() && row.get("usd_feu_km").is_empty() {
                self.diags.push(row.error("usd_teu_km", "missing rate: give usd_teu_km, usd_feu_km or both"));
            }
            let p10 = row.number("p10", 0.0, 1.0, &mut self.diags);
            let p90 = row.number("p90", 1.0, 100.0, &mut self.diags);
            for (key, v) in [("p10", p10), ("p90", p90)] {
                if v.is_none() && row.get(key).is_empty() {
                    self.diags.push(row.error(key, "missing value (a factor of the median; 1 for a fixed price)"));
                }
            }
            if p10 == Some(0.0) {
                self.diags.push(row.error("p10", "the P10 factor must be positive"));
            }
            let basis = PriceBasis::parse(row.get("basis"));
            if basis.is_none() {
                self.diags.push(row.error(
                    "basis",
                    format!("price basis {:?} is not a month YYYY-MM (when the rates were observed)", row.get("basis")),
                ));
            }
            let sources = self.source_refs(&row, "src", true);
            let (Some(direction), Some(p10), Some(p90)) = (direction, p10, p90) else {
                // Reported above; the class is left out without further errors about it.
                self.broken_prices.insert(id.to_owned());
                continue;
            };
            let tariff = Tariff {
                usd_teu_km: teu,
                usd_feu_km: feu,
                usd_teu_sailing: row.number("usd_teu_sailing", 0.0, 1e5, &mut self.diags).map(Usd),
                usd_feu_sailing: row.number("usd_feu_sailing", 0.0, 1e5, &mut self.diags).map(Usd),
                usd_teu_landing: row.number("usd_teu_landing", 0.0, 1e5, &mut self.diags).map(Usd),
                usd_feu_landing: row.number("usd_feu_landing", 0.0, 1e5, &mut self.diags).map(Usd),
                range: PriceRange { p10, p90 },
                basis,
                ..Tariff::default()
            };
            let entry = rows.entry(id.to_owned()).or_insert((row.line, Vec::new(), Vec::new()));
            if entry.1.iter().any(|&(d, _)| d == direction) {
                self.diags.push(
                    row.error("direction", format!("duplicate {} rate of price class {id:?}", direction.as_str())),
                );
                continue;
            }
            entry.1.push((direction, tariff));
            entry.2.extend(sources);
            let ends = [row.get("west_end"), row.get("east_end")];
            match ends {
                ["", ""] => {}
                [w, e] if w.is_empty() || e.is_empty() => {
                    let missing = if w.is_empty() { "west_end" } else { "east_end" };
                    self.diags.push(row.error(missing, "give both trade ends, west_end and east_end, or neither"));
                }
                [w, e] if w == e => self.diags.push(row.error("east_end", "the trade ends must differ")),
                [w, e] => match trade_ends.get(id) {
                    Some((old, _)) if old[0] != w || old[1] != e => self.diags.push(row.error(
                        "west_end",
                        format!("price class {id:?} names two pairs of trade ends, {old:?} and {ends:?}"),
                    )),
                    Some(_) => {}
                    None => {
                        trade_ends.insert(id.to_owned(), ([w.to_owned(), e.to_owned()], row.line));
                    }
                },
            }
        }
        let mut classes: Vec<(usize, PriceClass)> = Vec::new();
        for (id, (line, dirs, mut sources)) in rows {
            if self.broken_prices.contains(&id) {
                continue;
            }
            let find = |d: PriceDirection| dirs.iter().find(|x| x.0 == d).map(|x| x.1);
            let rates =
                match (find(PriceDirection::Any), find(PriceDirection::Westbound), find(PriceDirection::Eastbound)) {
                    (Some(t), None, None) => PriceRates::Any(t),
                    (None, Some(w), Some(e)) => PriceRates::ByDirection { westbound: w, eastbound: e },
                    _ => {
                        self.diags.push(Diagnostic::error(
                            "prices.csv",
                            Some(line),
                            Some("direction"),
                            format!(
                                "price class {id:?} needs one `any` row, or one `westbound` and one `eastbound` row"
                            ),
                        ));
                        continue;
                    }
                };
            sources.sort();
            sources.dedup();
            if let (PriceRates::Any(_), Some((_, wline))) = (rates, trade_ends.get(&id)) {
                self.diags.push(Diagnostic::error(
                    "prices.csv",
                    Some(*wline),
                    Some("west_end"),
                    format!("price class {id:?} has one rate both ways: trade ends orient a rate per direction"),
                ));
                continue;
            }
            classes.push((line, PriceClass { code: id, rates, sources, trade_ends: None, axis: Vec::new() }));
        }
        // File order, so `Network::prices` reads like the file.
        classes.sort_by_key(|c| c.0);
        for (_, c) in classes {
            if let Some(w) = trade_ends.remove(&c.code) {
                self.price_trade_ends.insert(self.price_list.len(), w);
            }
            self.prices.insert(c.code.clone(), self.price_list.len());
            self.price_list.push(c);
        }
    }

    /// Resolves each price class's trade ends (locations.csv is read by now) and orients the
    /// rates of its links by their progress along the trade, measured along the links of every
    /// class with the same trade ends (see [`PriceClass::trade_ends`]).
    fn orient_prices(&mut self) {
        let all = std::mem::take(&mut self.price_trade_ends);
        // The classes that name the same trade ends are one trade, sailed by one network: its
        // axis is measured along all their links (the Mediterranean lanes carry Asia–Europe
        // voyages to Rotterdam, though they are priced by their own index).
        let trade_of = |codes: &[String; 2]| -> Vec<usize> {
            all.iter().filter(|(_, (c, _))| c == codes).map(|(&k, _)| k).collect()
        };
        'class: for (&class, (codes, line)) in &all {
            let (trade, line) = (trade_of(codes), *line);
            let members: Vec<usize> =
                (0..self.link_list.len()).filter(|&i| self.link_class[i].is_some_and(|c| trade.contains(&c))).collect();
            let own: Vec<usize> = members.iter().copied().filter(|&i| self.link_class[i] == Some(class)).collect();
            let mut ends = [LocationId::from_index(0); 2];
            for (k, (code, field)) in codes.iter().zip(["west_end", "east_end"]).enumerate() {
                let Some(&end) = self.locations.get(code) else {
                    self.diags.push(Diagnostic::error(
                        "prices.csv",
                        Some(line),
                        Some(field),
                        format!("unknown location id {code:?} (not in locations.csv)"),
                    ));
                    continue 'class;
                };
                if !members.iter().any(|&i| self.link_list[i].from == end || self.link_list[i].to == end) {
                    self.diags.push(Diagnostic::error(
                        "prices.csv",
                        Some(line),
                        Some(field),
                        format!(
                            "trade end {code:?} of price class {:?} is on none of its trade's links",
                            self.price_list[class].code
                        ),
                    ));
                    continue 'class;
                }
                ends[k] = end;
            }
            let [to_west, to_east] = ends.map(|end| self.class_distances(&members, end));
            let axis: Vec<f64> = to_west.iter().zip(&to_east).map(|(w, e)| w - e).collect();
            self.price_list[class].trade_ends = Some(ends);
            self.price_list[class].axis = axis;
            for &i in &own {
                let (f, t, km) = (self.link_list[i].from, self.link_list[i].to, self.link_list[i].km.0);
                let (tariff, back) = self.price_list[class].tariffs_between(
                    (f, self.location_list[f.index()].lon),
                    (t, self.location_list[t.index()].lon),
                    km,
                );
                self.link_list[i].tariff = tariff;
                self.link_list[i].tariff_back = back;
            }
        }
    }

    /// Distances (km) from `end` to every location along `members` (link indices), both ways
    /// (a one-way lane still says where its ends lie); NaN where they do not reach.
    fn class_distances(&self, members: &[usize], end: LocationId) -> Vec<f64> {
        let n = self.location_list.len();
        let mut adj: Vec<Vec<(u32, u32, f64)>> = vec![Vec::new(); n];
        for (arc, &i) in members.iter().enumerate() {
            let l = &self.link_list[i];
            let (a, b) = (l.from.index(), l.to.index());
            adj[a].push((arc as u32, b as u32, l.km.0));
            adj[b].push((arc as u32, a as u32, l.km.0));
        }
        let mut search = corridor_dijkstra::Dijkstra::<f64>::new(n);
        search.run(&[end.index() as u32], |_| corridor_dijkstra::Visit::Expand, |u| adj[u as usize].iter().copied());
        (0..n as u32).map(|v| search.distance(v).unwrap_or(f64::NAN)).collect()
    }

    fn links(&mut self, text: &str) {
        let Some(t) = self.table(
            "links.csv",
            text,
            &["id", "from", "to", "mode", "platform", "km", "km_src", "time_src", "emission_factor"],
            &[
                "hours",
                "speed_kmh",
                "driving_kmh",
                "driving_h_day",
                "price",
                "cost_src",
                "usd_teu",
                "usd_feu",
                "usd_tkm",
                "capacity_teu_week",
                "capacity_src",
                "headway_h",
                "headway_src",
                "hold_p",
                "hold_mean_h",
                "hold_p90_h",
                "hold_src",
                "backlog_direction",
                "backlog_p",
                "backlog_mean_h",
                "backlog_p90_h",
                "backlog_src",
                "corridors",
                "oneway",
                "liner",
                "transit",
                "notes",
            ],
        ) else {
            return;
        };
        for row in t.rows() {
            let Some(id) = row.required("id", &mut self.diags) else { continue };
            let from = self.location_ref(&row, "from");
            let to = self.location_ref(&row, "to");
            if from.is_some() && from == to {
                self.diags.push(row.error("to", "a link must join two different locations"));
            }
            let mode = row.get("mode").parse::<Mode>().map_err(|e| self.diags.push(row.error("mode", e))).ok();
            let platform =
                row.get("platform").parse::<Platform>().map_err(|e| self.diags.push(row.error("platform", e))).ok();
            if let (Some(m), Some(p)) = (mode, platform)
                && !m.accepts(p)
            {
                self.diags.push(row.error("platform", format!("a {m} link cannot run on platform {p}")));
            }
            if let (Some(f), Some(t), Some(p)) = (from, to, platform) {
                let (lf, lt) = (&self.location_list[f.index()], &self.location_list[t.index()]);
                let missing: Vec<&Location> = [lf, lt].into_iter().filter(|l| !l.serves(p)).collect();
                if !missing.is_empty() {
                    let show = |l: &Location| {
                        let ps: Vec<String> = l.platforms.iter().map(Platform::to_string).collect();
                        format!("{} ({})", l.code, ps.join("|"))
                    };
                    let what = if matches!(p, Platform::Rail { .. }) {
                        "rail link joins different gauges"
                    } else {
                        "link platform not served"
                    };
                    let names: Vec<&str> = missing.iter().map(|l| l.code.as_str()).collect();
                    self.diags.push(row.error(
                        "platform",
                        format!("{what}: {} - {}; {p} is not served at {}", show(lf), show(lt), names.join(" and ")),
                    ));
                }
            }
            let km = row.number("km", 0.0, 40_000.0, &mut self.diags);
            if row.get("km").is_empty() {
                self.diags.push(row.error("km", "missing value"));
            }
            let km_src = self.source_refs(&row, "km_src", true);
            let hours = row.number("hours", 0.0, 24.0 * 120.0, &mut self.diags);
            let mut speed = row.number("speed_kmh", 0.0, 1000.0, &mut self.diags);
            if speed == Some(0.0) {
                self.diags.push(row.error("speed_kmh", "speed must be positive"));
            }
            // A truck link timed by the drivers' rule: its moving speed, and the 24 h average
            // under its drivers' daily driving hours (the link's own, else the dataset's).
            let drive = row.number("driving_kmh", 0.0, 130.0, &mut self.diags);
            let day = row.number("driving_h_day", 0.0, 24.0, &mut self.diags);
            if day == Some(0.0) {
                self.diags.push(row.error("driving_h_day", "daily driving hours must be positive"));
            }
            if day.is_some() && drive.is_none() {
                self.diags.push(row.error("driving_h_day", "only a link timed by driving_kmh has drivers' hours"));
            }
            let mut driving = None;
            if let Some(v) = drive {
                if v == 0.0 {
                    self.diags.push(row.error("driving_kmh", "speed must be positive"));
                } else if mode != Some(Mode::Road) {
                    self.diags.push(row.error("driving_kmh", "only road links are timed by the drivers' rule"));
                } else if hours.is_some() || speed.is_some() {
                    self.diags.push(row.error("driving_kmh", "give one of hours, speed_kmh or driving_kmh"));
                } else if let Some(daily) = day.filter(|&d| d > 0.0).or(self.truck_daily_h) {
                    speed = Some(v * daily / 24.0);
                    driving = km.map(|km| Driving { hours: Hours(km / v), daily: Hours(daily) });
                } else {
                    self.diags.push(row.error(
                        "driving_kmh",
                        "needs the drivers' daily limit: [access] truck_daily_driving_h in dataset.toml",
                    ));
                }
            }
            let hours = match (hours, speed, km) {
                (Some(h), None, _) => Some(Hours(h)),
                (None, Some(s), Some(km)) if s > 0.0 => Some(Hours(km / s)),
                (Some(_), Some(_), _) => {
                    self.diags.push(row.error("hours", "give either hours or speed_kmh, not both"));
                    None
                }
                (None, None, _)
                    if row.get("hours").is_empty()
                        && row.get("speed_kmh").is_empty()
                        && row.get("driving_kmh").is_empty() =>
                {
                    self.diags.push(row.error("hours", "missing running time: give hours, speed_kmh or driving_kmh"));
                    None
                }
                _ => None,
            };
            let time_src = self.source_refs(&row, "time_src", true);
            let own = self.tariff(&row, true);
            let own_given = ["usd_teu", "usd_feu", "usd_tkm"].iter().any(|k| !row.get(k).is_empty());
            let class = match row.get("price") {
                "" => None,
                code => match self.prices.get(code) {
                    Some(&i) => Some(i),
                    None if self.broken_prices.contains(code) => None,
                    None => {
                        let known: Vec<&String> = self.prices.keys().collect();
                        self.diags.push(
                            row.error("price", format!("unknown price class {code:?} (prices.csv defines {known:?})")),
                        );
                        None
                    }
                },
            };
            if !row.get("price").is_empty() && own_given {
                self.diags
                    .push(row.error("price", "give a price class or the link's own usd_teu/usd_feu/usd_tkm, not both"));
            }
            if row.get("price").is_empty() && !own_given {
                self.diags
                    .push(row.error("usd_teu", "missing tariff: give a price class, usd_teu, usd_feu or usd_tkm"));
            }
            let (tariff, tariff_back) = match (class, from, to) {
                (Some(i), Some(f), Some(t)) => {
                    self.price_list[i].tariffs(self.location_list[f.index()].lon, self.location_list[t.index()].lon)
                }
                _ => (own, None),
            };
            let mut cost_src = self.source_refs(&row, "cost_src", row.get("price").is_empty());
            if let Some(i) = class {
                cost_src.extend(self.price_list[i].sources.iter().copied());
                cost_src.sort();
                cost_src.dedup();
            }
            let capacity = row.number("capacity_teu_week", 0.0, 1e7, &mut self.diags);
            let capacity_src = self.source_refs(&row, "capacity_src", capacity.is_some());
            let headway = row.number("headway_h", 0.0, 24.0 * 60.0, &mut self.diags);
            if headway == Some(0.0) {
                self.diags
                    .push(row.error("headway_h", "a headway must be positive (leave empty for a continuous link)"));
            }
            let headway_src = self.source_refs(&row, "headway_src", headway.is_some());
            let hold = self.hold(&row);
            if hold.is_some() && headway.is_none() {
                self.diags.push(row.error("hold_p", "a hold delays departures: it needs a headway_h"));
            }
            let backlog = self.backlog(&row);
            if backlog.iter().any(Option::is_some) && headway.is_none() {
                self.diags.push(row.error("backlog_p", "a backlog delays departures: it needs a headway_h"));
            }
            let mut corridors = Vec::new();
            for c in row.list("corridors") {
                match self.corridors.get(c) {
                    Some(&id) => corridors.push(id),
                    None if !self.corridors_known => {}
                    None => {
                        let known: Vec<&String> = self.corridors.keys().collect();
                        self.diags.push(
                            row.error("corridors", format!("unknown corridor {c:?} (dataset.toml defines {known:?})")),
                        );
                    }
                }
            }
            corridors.sort();
            corridors.dedup();
            let ef = row.get("emission_factor");
            let factor = match self.factors.get(ef) {
                Some(&f) => Some(f),
                None => {
                    self.diags.push(row.error(
                        "emission_factor",
                        format!("unknown emission factor {ef:?} (not in emission_factors.csv)"),
                    ));
                    None
                }
            };
            if let (Some(f), Some(m)) = (factor, mode) {
                let fm = self.factor_list[f.index()].mode;
                if fm != m {
                    self.diags.push(
                        row.warning("emission_factor", format!("emission factor {ef:?} is for {fm}, the link is {m}")),
                    );
                }
            }
            let oneway = row.flag("oneway", &mut self.diags);
            if oneway && backlog[1].is_some() {
                self.diags.push(row.error("backlog_direction", "a one-way link has no reverse departures to hold"));
            }
            let liner = row.flag("liner", &mut self.diags);
            let mut transit: Vec<String> = Vec::new();
            for c in row.get("transit").split('|').filter(|c| !c.is_empty()) {
                if c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()) {
                    transit.push(c.to_owned());
                } else {
                    self.diags.push(row.error(
                        "transit",
                        format!("{c:?} is not a country code (ISO 3166-1 alpha-2, upper case; several joined by '|')"),
                    ));
                }
            }
            if liner && mode.is_some_and(|m| m != Mode::Sea) {
                self.diags.push(row.error("liner", "only a sea link can be a liner service"));
            }
            if self.links.contains_key(id) {
                self.diags.push(row.error("id", format!("duplicate link id {id:?}")));
                continue;
            }
            let (Some(from), Some(to), Some(mode), Some(platform), Some(km), Some(hours), Some(emission_factor)) =
                (from, to, mode, platform, km, hours, factor)
            else {
                continue;
            };
            self.links.insert(id.to_string(), LinkId::from_index(self.link_list.len()));
            self.link_lines.push(row.line);
            self.link_class.push(class);
            self.link_list.push(Link {
                code: id.to_string(),
                from,
                to,
                mode,
                platform,
                km: Km(km),
                hours,
                driving,
                tariff,
                tariff_back,
                capacity_teu_week: capacity,
                headway: headway.filter(|&h| h > 0.0).map(Hours),
                hold,
                backlog,
                corridors,
                emission_factor,
                oneway,
                liner,
                wait: [None, None],
                geometry: Default::default(),
                sources: std::sync::Arc::new(LinkSources {
                    km: km_src,
                    time: time_src,
                    cost: cost_src,
                    capacity: capacity_src,
                    headway: headway_src,
                }),
                estimated: false,
                transit,
            });
        }
    }

    fn dwell(&mut self, row: &Row) -> Option<Dwell> {
        let mean = row.number("hours_mean", 0.0, 24.0 * 120.0, &mut self.diags);
        let p90 = row.number("hours_p90", 0.0, 24.0 * 240.0, &mut self.diags);
        if row.get("hours_mean").is_empty() {
            self.diags.push(row.error("hours_mean", "missing dwell time"));
        }
        if row.get("hours_p90").is_empty() {
            self.diags.push(row.error("hours_p90", "missing dwell time P90"));
        }
        let (mean, p90) = (mean?, p90?);
        if mean > 0.0 && p90 / mean > corridor_search::MAX_P90_RATIO {
            self.diags.push(row.warning(
                "hours_p90",
                format!(
                    "P90 {p90} h is {:.2} x the mean {mean} h; no lognormal or Weibull with that mean has such a tail (max {}), so simulations will understate it",
                    p90 / mean,
                    corridor_search::MAX_P90_RATIO
                ),
            ));
        }
        if p90 < mean {
            self.diags.push(row.error("hours_p90", format!("P90 {p90} h is below the mean {mean} h")));
            return None;
        }
        Some(Dwell { mean: Hours(mean), p90: Hours(p90), hold: self.hold(row), backlog: None })
    }

    /// The optional congestion regime of a row (`hold_p`, `hold_mean_h`, `hold_p90_h`,
    /// `hold_src`): all four or none.
    fn hold(&mut self, row: &Row) -> Option<Hold> {
        self.regime(row, ["hold_p", "hold_mean_h", "hold_p90_h", "hold_src"])
    }

    /// A link's optional port backlog (`backlog_direction`, `backlog_p`, `backlog_mean_h`,
    /// `backlog_p90_h`, `backlog_src`), in the slots of [`Link::backlog`]: all five or none.
    fn backlog(&mut self, row: &Row) -> [Option<Hold>; 2] {
        let columns = ["backlog_p", "backlog_mean_h", "backlog_p90_h", "backlog_src"];
        let direction = row.get("backlog_direction");
        if direction.is_empty() && columns.iter().all(|c| row.get(c).is_empty()) {
            return [None, None];
        }
        let slots = match direction {
            "forward" => [true, false],
            "reverse" => [false, true],
            "both" => [true, true],
            "" => {
                self.diags
                    .push(row.error("backlog_direction", "a backlog needs a direction: forward, reverse or both"));
                [false, false]
            }
            other => {
                self.diags.push(row.error(
                    "backlog_direction",
                    format!("unknown direction {other:?} (expected forward, reverse or both)"),
                ));
                [false, false]
            }
        };
        let regime = self.regime(row, columns);
        slots.map(|on| regime.filter(|_| on))
    }

    /// A congestion regime from its four columns (probability, mean, P90, sources): all four or
    /// none.
    fn regime(&mut self, row: &Row, [pc, meanc, p90c, srcc]: [&str; 4]) -> Option<Hold> {
        if [pc, meanc, p90c, srcc].iter().all(|c| row.get(c).is_empty()) {
            return None;
        }
        for c in [pc, meanc, p90c, srcc] {
            if row.get(c).is_empty() {
                self.diags.push(row.error(c, format!("a congestion regime needs {pc}, {meanc}, {p90c} and {srcc}")));
            }
        }
        // A regime met by most shipments is the normal regime, not congestion.
        let p = row.number(pc, 0.0, 0.5, &mut self.diags);
        let mean = row.number(meanc, 0.0, 24.0 * 120.0, &mut self.diags);
        let p90 = row.number(p90c, 0.0, 24.0 * 240.0, &mut self.diags);
        self.source_refs(row, srcc, true);
        let (p, mean, p90) = (p?, mean?, p90?);
        if mean <= 0.0 {
            self.diags.push(row.error(meanc, "a hold must be positive"));
            return None;
        }
        if p90 < mean {
            self.diags.push(row.error(p90c, format!("P90 {p90} h is below the mean {mean} h")));
            return None;
        }
        Some(Hold { p, mean: Hours(mean), p90: Hours(p90) })
    }

    fn transfers(&mut self, text: Option<&str>) -> Vec<Transfer> {
        let mut out = Vec::new();
        let Some(text) = text else { return out };
        let Some(t) = self.table(
            "transfers.csv",
            text,
            &["location", "from_platform", "to_platform", "kind", "hours_mean", "hours_p90", "src"],
            &["usd_teu", "usd_feu", "oneway", "notes", "hold_p", "hold_mean_h", "hold_p90_h", "hold_src"],
        ) else {
            return out;
        };
        let mut seen = BTreeSet::new();
        for row in t.rows() {
            let loc = self.location_ref(&row, "location");
            let from = row
                .get("from_platform")
                .parse::<Platform>()
                .map_err(|e| self.diags.push(row.error("from_platform", e)))
                .ok();
            let to = row
                .get("to_platform")
                .parse::<Platform>()
                .map_err(|e| self.diags.push(row.error("to_platform", e)))
                .ok();
            let kind = row.get("kind").parse::<TransferKind>().map_err(|e| self.diags.push(row.error("kind", e))).ok();
            let dwell = self.dwell(&row);
            let tariff = self.tariff(&row, false);
            if !tariff.is_priced() && row.get("usd_teu").is_empty() && row.get("usd_feu").is_empty() {
                self.diags.push(row.error("usd_teu", "missing handling cost: give usd_teu or usd_feu (0 if free)"));
            }
            let sources = self.source_refs(&row, "src", true);
            let oneway = row.flag("oneway", &mut self.diags);
            let (Some(loc), Some(from), Some(to), Some(kind), Some(dwell)) = (loc, from, to, kind, dwell) else {
                continue;
            };
            if from == to {
                self.diags.push(row.error("to_platform", "a transfer must change platform"));
                continue;
            }
            let l = &self.location_list[loc.index()];
            for (field, p) in [("from_platform", from), ("to_platform", to)] {
                if !l.serves(p) {
                    self.diags
                        .push(row.error(field, format!("{} does not serve {p} (platforms in locations.csv)", l.code)));
                }
            }
            if !l.serves(from) || !l.serves(to) {
                continue;
            }
            // Directed keys: a one-way row each way (e.g. waiting for a sailing only when
            // boarding) is fine; two rows covering the same direction are not.
            let dirs = if oneway { vec![(from, to)] } else { vec![(from, to), (to, from)] };
            if dirs.iter().any(|&(a, b)| seen.contains(&(loc, a, b))) {
                self.diags.push(row.error(
                    "location",
                    format!("duplicate transfer {from} -> {to} at {} (another row covers this direction)", l.code),
                ));
                continue;
            }
            seen.extend(dirs.into_iter().map(|(a, b)| (loc, a, b)));
            out.push(Transfer { location: loc, from, to, kind, dwell, tariff, oneway, sources });
        }
        out
    }

    fn borders(&mut self, text: Option<&str>) -> Vec<Border> {
        let mut out = Vec::new();
        if let Some(text) = text
            && let Some(t) = self.table(
                "borders.csv",
                text,
                &["id", "link", "hours_mean", "hours_p90", "src"],
                &[
                    "name",
                    "direction",
                    "usd_teu",
                    "usd_feu",
                    "notes",
                    "hold_p",
                    "hold_mean_h",
                    "hold_p90_h",
                    "hold_src",
                    "traffic",
                ],
            )
        {
            let mut seen = BTreeSet::new();
            // Rows for regular trains, kept until every crossing they refine is read.
            let mut regular: BTreeMap<(LinkId, bool), (TrafficFigures, usize)> = BTreeMap::new();
            for row in t.rows() {
                let Some(id) = row.required("id", &mut self.diags) else { continue };
                let link_code = row.get("link");
                let link = match self.links.get(link_code) {
                    Some(&l) => Some(l),
                    None => {
                        self.diags.push(row.error("link", format!("unknown link id {link_code:?} (not in links.csv)")));
                        None
                    }
                };
                let dirs: &[Direction] = match row.get("direction") {
                    "" | "both" => &[Direction::Forward, Direction::Reverse],
                    "forward" => &[Direction::Forward],
                    "reverse" => &[Direction::Reverse],
                    other => {
                        self.diags.push(row.error(
                            "direction",
                            format!("unknown direction {other:?} (expected both, forward or reverse)"),
                        ));
                        continue;
                    }
                };
                let dwell = self.dwell(&row);
                let tariff = self.tariff(&row, false);
                if !tariff.is_priced() && row.get("usd_teu").is_empty() && row.get("usd_feu").is_empty() {
                    self.diags.push(row.error("usd_teu", "missing border cost: give usd_teu or usd_feu (0 if none)"));
                }
                let sources = self.source_refs(&row, "src", true);
                let traffic = match row.get("traffic") {
                    "" => None,
                    t => match t.parse::<Traffic>() {
                        Ok(Traffic::Regular) => Some(Traffic::Regular),
                        Ok(Traffic::Express) => {
                            self.diags.push(row.error(
                                "traffic",
                                "express is the crossing's own row: leave traffic empty (it applies to all rail traffic without a regular row)",
                            ));
                            continue;
                        }
                        Err(e) => {
                            self.diags.push(row.error("traffic", e));
                            continue;
                        }
                    },
                };
                let (Some(link), Some(dwell)) = (link, dwell) else { continue };
                let l = &self.link_list[link.index()];
                if traffic.is_some() {
                    if l.mode != Mode::Rail {
                        self.diags.push(row.error(
                            "traffic",
                            format!("link {} is not a rail link: traffic types apply to rail crossings (trucks cross on road links)", l.code),
                        ));
                        continue;
                    }
                    for &dir in dirs {
                        let key = (link, dir == Direction::Forward);
                        if regular.contains_key(&key) {
                            self.diags.push(row.error(
                                "traffic",
                                format!("link {} already has a regular-train row for this direction", l.code),
                            ));
                            continue;
                        }
                        regular.insert(key, (TrafficFigures { dwell, tariff, sources: sources.clone() }, row.line));
                    }
                    continue;
                }
                if self.location_list[l.from.index()].country == self.location_list[l.to.index()].country {
                    self.diags.push(row.warning("link", format!("link {} does not cross a national border", l.code)));
                }
                for &dir in dirs {
                    if dir == Direction::Reverse && l.oneway {
                        self.diags.push(
                            row.error("direction", format!("link {} is one-way; it has no reverse direction", l.code)),
                        );
                        continue;
                    }
                    if !seen.insert((link, dir == Direction::Forward)) {
                        self.diags.push(row.error(
                            "link",
                            format!("link {} already has a border crossing for this direction", l.code),
                        ));
                        continue;
                    }
                    let name = row.get("name");
                    out.push(Border {
                        code: id.to_string(),
                        name: if name.is_empty() { id.to_string() } else { name.to_string() },
                        link,
                        direction: dir,
                        dwell,
                        tariff,
                        sources: sources.clone(),
                        regular: None,
                    });
                }
            }
            for ((link, forward), (figures, line)) in regular {
                let direction = if forward { Direction::Forward } else { Direction::Reverse };
                match out.iter_mut().find(|b| b.link == link && b.direction == direction) {
                    Some(b) => b.regular = Some(figures),
                    None => self.diags.push(Diagnostic::error(
                        "borders.csv",
                        Some(line),
                        Some("traffic"),
                        format!(
                            "a regular-train row for link {} without the crossing's own row (traffic empty) for that direction",
                            self.link_list[link.index()].code
                        ),
                    )),
                }
            }
        }
        // Every land link across a national border needs a crossing in each usable direction:
        // a border with no dwell time would make the route look seamless.
        for (i, l) in self.link_list.iter().enumerate() {
            let (cf, ct) = (&self.location_list[l.from.index()].country, &self.location_list[l.to.index()].country);
            if cf == ct || !matches!(l.mode, Mode::Rail | Mode::Road) {
                continue;
            }
            let link = LinkId::from_index(i);
            let dirs: &[(Direction, &str)] = if l.oneway {
                &[(Direction::Forward, "forward")]
            } else {
                &[(Direction::Forward, "forward"), (Direction::Reverse, "reverse")]
            };
            for &(dir, name) in dirs {
                if !out.iter().any(|b| b.link == link && b.direction == dir) {
                    self.diags.push(Diagnostic::error(
                        "links.csv",
                        Some(self.link_lines[i]),
                        Some("to"),
                        format!("link {} crosses the {cf}-{ct} border but borders.csv has no crossing (dwell time) for its {name} direction", l.code),
                    ));
                }
            }
        }
        out
    }

    /// Timetables: `link,direction,kind,days,times,dates,capacity_teu,src,notes`. Times are
    /// local at the departure end of each direction.
    fn services(&mut self, text: Option<&str>, net: &Network) -> Vec<corridor_model::schedule::Service> {
        use corridor_model::schedule::{Schedule, Service};
        use jiff::civil::{DateTime, Time};
        let mut out = Vec::new();
        let Some(text) = text else { return out };
        let Some(t) = self.table(
            "services.csv",
            text,
            &["link", "kind", "src"],
            &["direction", "days", "times", "dates", "capacity_teu", "notes"],
        ) else {
            return out;
        };
        for row in t.rows() {
            let code = row.get("link");
            let Some(&link) = self.links.get(code) else {
                self.diags.push(row.error("link", format!("unknown link id {code:?} (not in links.csv)")));
                continue;
            };
            let l = net.link(link);
            let dirs: Vec<Direction> = match row.get("direction") {
                "" | "both" if l.oneway => vec![Direction::Forward],
                "" | "both" => vec![Direction::Forward, Direction::Reverse],
                "forward" => vec![Direction::Forward],
                "reverse" if !l.oneway => vec![Direction::Reverse],
                "reverse" => {
                    self.diags
                        .push(row.error("direction", format!("link {code} is one-way; it has no reverse direction")));
                    continue;
                }
                other => {
                    self.diags.push(row.error(
                        "direction",
                        format!("unknown direction {other:?} (expected both, forward or reverse)"),
                    ));
                    continue;
                }
            };
            let capacity_teu = row.number("capacity_teu", 0.0, 1e6, &mut self.diags);
            let sources = self.source_refs(&row, "src", true);
            let mut times = Vec::new();
            for s in row.list("times") {
                match s.parse::<Time>() {
                    Ok(t) => times.push(t),
                    Err(_) => self.diags.push(row.error("times", format!("{s:?} is not a local time such as 08:00"))),
                }
            }
            for dir in dirs {
                let at = if dir == Direction::Forward { l.from } else { l.to };
                let Ok(tz) = jiff::tz::TimeZone::get(&net.location(at).tz) else { continue };
                let schedule = match row.get("kind") {
                    "weekly" => {
                        let mut days = Vec::new();
                        for d in row.list("days") {
                            let Some(day) = corridor_model::schedule::parse_weekday(d) else {
                                self.diags
                                    .push(row.error("days", format!("{d:?} is not a weekday (mon, tue, ... sun)")));
                                continue;
                            };
                            days.push(day);
                        }
                        if days.is_empty() || times.is_empty() {
                            self.diags
                                .push(row.error("days", "a weekly service needs days (mon|thu) and times (08:00)"));
                            break;
                        }
                        Schedule::Weekly { days, times: times.clone(), tz }
                    }
                    "dated" => {
                        let mut departures = Vec::new();
                        for d in row.list("dates") {
                            match d.parse::<DateTime>().ok().and_then(|dt| dt.to_zoned_datetime(tz.clone()).ok()) {
                                Some(z) => departures.push(z.timestamp()),
                                None => self.diags.push(row.error(
                                    "dates",
                                    format!("{d:?} is not a local date-time such as 2026-12-01T08:00"),
                                )),
                            }
                        }
                        if departures.is_empty() {
                            self.diags.push(row.error("dates", "a dated service needs at least one departure"));
                            break;
                        }
                        departures.sort();
                        Schedule::Dated { departures }
                    }
                    other => {
                        self.diags.push(
                            row.error("kind", format!("unknown service kind {other:?} (expected weekly or dated)")),
                        );
                        break;
                    }
                };
                out.push(Service { link, direction: Some(dir), schedule, capacity_teu, sources: sources.clone() });
            }
        }
        out
    }

    fn geometry(&mut self, text: Option<&str>) {
        let Some(text) = text else { return };
        let Some(t) = self.table("geometry.csv", text, &["link", "polyline"], &[]) else { return };
        for row in t.rows() {
            let code = row.get("link");
            let Some(&link) = self.links.get(code) else {
                self.diags.push(row.error("link", format!("unknown link id {code:?} (not in links.csv)")));
                continue;
            };
            match polyline::decode(row.get("polyline")) {
                Ok(points) if points.len() >= 2 => {
                    let l = &self.link_list[link.index()];
                    let (a, b) = (&self.location_list[l.from.index()], &self.location_list[l.to.index()]);
                    let (first, last) = (points[0], points[points.len() - 1]);
                    let gap = haversine_km(first, (a.lat, a.lon)).max(haversine_km(last, (b.lat, b.lon)));
                    if gap > 100.0 {
                        self.diags.push(row.warning(
                            "polyline",
                            format!("geometry ends {gap:.0} km from the link's end locations (is it reversed?)"),
                        ));
                    }
                    self.link_list[link.index()].geometry = points.into();
                }
                Ok(_) => self.diags.push(row.error("polyline", "a geometry needs at least two points")),
                Err(e) => self.diags.push(row.error("polyline", e)),
            }
        }
    }

    /// Whole-network checks on a network whose rows are individually valid.
    fn check_network(&mut self, net: &Network) {
        for p in net.check() {
            self.diags.push(Diagnostic::error("links.csv", None, None, p));
        }
        let graph = Graph::compile(net);
        // Platforms nobody can reach or leave: a link or transfer must touch each.
        for (i, loc) in net.locations.iter().enumerate() {
            let id = LocationId::from_index(i);
            for node in graph.location_nodes(id) {
                let out = graph.out_arcs(node).len();
                if out == 0 {
                    let p = graph.node_platform(node).expect("platform node");
                    self.diags.push(Diagnostic::warning(
                        "locations.csv",
                        None,
                        Some("platforms"),
                        format!("{} serves {p} but no link or transfer uses it there", loc.code),
                    ));
                }
            }
        }
        // Connectivity: every location must reach, and be reached from, the best-connected one.
        let Some(hub) = (0..net.locations.len())
            .max_by_key(|&i| net.links.iter().filter(|l| l.from.index() == i || l.to.index() == i).count())
        else {
            return;
        };
        let hub = LocationId::from_index(hub);
        let forward = reach(&graph, hub, false);
        let backward = reach(&graph, hub, true);
        for (i, loc) in net.locations.iter().enumerate() {
            let id = LocationId::from_index(i);
            let f = graph.location_nodes(id).any(|n| forward[n.index()]);
            let b = graph.location_nodes(id).any(|n| backward[n.index()]);
            if !f || !b {
                let what = match (f, b) {
                    (false, false) => "is not connected to",
                    (false, true) => "cannot be reached from",
                    _ => "cannot reach",
                };
                self.diags.push(Diagnostic::error(
                    "locations.csv",
                    None,
                    Some("id"),
                    format!(
                        "unreachable location: {} ({}) {what} the main network (checked against {})",
                        loc.code,
                        loc.name,
                        net.location(hub).code
                    ),
                ));
            }
        }
    }
}

/// Nodes reachable from (or, `reverse`, reaching) any platform of `from`.
fn reach(graph: &Graph, from: LocationId, reverse: bool) -> Vec<bool> {
    let n = graph.num_nodes();
    let mut adj: Vec<Vec<NodeId>> = vec![Vec::new(); n];
    for a in 0..graph.num_arcs() {
        let a = ArcId::from_index(a);
        let (u, v) = (graph.tail(a), graph.head(a));
        if reverse { adj[v.index()].push(u) } else { adj[u.index()].push(v) }
    }
    let mut seen = vec![false; n];
    let mut queue: VecDeque<NodeId> = graph.location_nodes(from).collect();
    for s in &queue {
        seen[s.index()] = true;
    }
    while let Some(u) = queue.pop_front() {
        for &v in &adj[u.index()] {
            if !seen[v.index()] {
                seen[v.index()] = true;
                queue.push_back(v);
            }
        }
    }
    seen
}

fn close_id(a: &str, b: &str) -> bool {
    let (a, b) = (a.to_ascii_uppercase(), b.to_ascii_uppercase());
    a.contains(&b)
        || b.contains(&a)
        || (a.len() == b.len() && a.chars().zip(b.chars()).filter(|(x, y)| x != y).count() <= 1)
}

pub use corridor_model::geo::haversine_km;
