//! Steps 2 and 4 of the pipeline, *access* and *egress*: a place outside the corridor core is
//! joined to its nearest suitable terminals by estimated truck legs, and the core search then
//! starts from (or ends at) all of them at once.
//!
//! The place becomes one extra location with a road platform, and each candidate terminal gets a
//! one-way road link from it (access) or to it (egress) whose weight is the truck leg's cost: this
//! is a multi-source (multi-target) search with initial distances, as RoutingKit's
//! `add_source(s, d)`, expressed in the graph so that every search of the core (Dijkstra,
//! label-setting, Pareto, comparison by corridor) handles it unchanged. One-way links mean a route
//! can never pass *through* the place.
//!
//! The figures come from the dataset's `[access]` section (every one with its sources):
//! road km = great-circle km × the road detour factor; time = driving at the truck speed for at
//! most the daily driving hours, then a rest until the next day; price per truck-km. The
//! speed, daily hours and price are those of the road links of the place's country where it has
//! some ([`AccessFigures::trucks`]: a first mile in Germany at the EU road rate, one in China at
//! its drivers' daily hours), else the section's own; a terminal
//! that does not serve road gets a truck↔train (or truck↔quay, priced as the terminal's own port
//! handling) lift; a road border outside a customs union costs the road border figures.
//!
//! Candidates: core locations that are cities, rail terminals, dry ports or seaports (not bare
//! border stations), in a country a truck can reach from the place's country over at most
//! [`MAX_BORDERS`] land borders open to trucks (`data/places/land_borders.csv` from Natural Earth,
//! minus the closed borders below), within `[access] max_km` great-circle km; the nearest
//! [`MAX_CANDIDATES`], and the nearest on the land network when those are all ports that no road
//! or rail link reaches (southern India). Between two outside places, a leg straight from one to
//! the other is tried as well ([`Access::direct`]). Two neighbours whose common border is closed
//! get no estimated leg at all: the truck's way round through a third country is not the
//! straight line the estimate uses.
//! For the same reason a leg stays on land ([`crate::landmass`]): the place and the terminal lie
//! on one landmass, and the straight line between them crosses no sea (no gulf, no Caspian).
//! And a leg through a third country crosses its borders outside a customs union at known road
//! posts where the curated list has posts between the two countries
//! (`data/places/border_crossings.csv`, positions measured in `extra_places.csv`): the line runs
//! by the posts that make it shortest, not over the mountains between (Gilgit to Khorugh,
//! through Afghanistan, is no 341 km leg over the Hindu Kush and the Wakhan, where no road
//! crosses; by Torkham and Sher Khan Bandar it is over 1,000 km, and Khorugh's truck comes from
//! Dushanbe).

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use corridor_model::geo::haversine_km;
use corridor_model::regions::same_customs_union;
use corridor_model::{
    AccessFigures, Border, Direction, Dwell, Graph, Hours, Km, Link, LinkSources, Location, LocationId, LocationKind,
    Mode, Network, Platform, Tariff, Transfer, TransferKind, Usd,
};
use corridor_search::{Route, RouteError, RouteRequest, Router};

use crate::landmass;
use crate::resolve::{Endpoint, OutsidePlace, core_label};

/// Most terminals tried for one place.
pub const MAX_CANDIDATES: usize = 6;

/// Land borders closed to traffic, with the reason; they are removed from the Natural Earth
/// neighbour table (the core build joins no link across them either).
pub use corridor_model::regions::{CLOSED_BORDERS, CLOSED_ROAD_BORDERS};
pub use corridor_search::truck_hours;

/// Road links between countries that Natural Earth's 1:50m polygons miss (they do not touch).
pub const EXTRA_ROAD_LINKS: [(&str, &str, &str); 2] =
    [("BH", "SA", "King Fahd Causeway (1986)"), ("MY", "SG", "Johor–Singapore Causeway and Second Link")];

/// Which end of the route a place is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum End {
    /// The origin: legs from the place to terminals.
    Origin,
    /// The destination: legs from terminals to the place.
    Destination,
}

/// One estimated leg offered to the search.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    /// The terminal.
    pub terminal: LocationId,
    /// Great-circle km between the place and the terminal.
    pub great_circle_km: f64,
    /// Km of the line the leg is estimated along: the great circle, or where that crosses a sea
    /// the great circles by the coast ([`landmass::land_line`]).
    pub line_km: f64,
    /// Where that line turns at the coast, (lat, lon) from the place towards the terminal; empty
    /// for the great circle.
    pub turns: Vec<(f64, f64)>,
    /// Estimated road km: the line's km × the road detour factor.
    pub road_km: f64,
    /// Estimated driving and rest hours.
    pub hours: f64,
    /// The countries the truck passes, origin side first (one when it stays in the country).
    pub countries: Vec<String>,
    /// The road border posts the line runs by, in order (names; empty where it crosses no border
    /// or the curated list has no post between the two countries).
    pub posts: Vec<String>,
    /// Road borders outside a customs union that the truck clears.
    pub borders: usize,
}

/// How one outside place was joined to the core.
#[derive(Clone, Debug, PartialEq)]
pub struct Access {
    /// Origin or destination.
    pub end: End,
    /// The place.
    pub place: OutsidePlace,
    /// Its location in the prepared network.
    pub location: LocationId,
    /// The terminals offered, nearest first.
    pub candidates: Vec<Candidate>,
    /// Terminals less than half as far as the nearest one offered that no estimated truck leg
    /// reaches (across the sea or a closed border), nearest first, at most three, with their
    /// great-circle km: why the truck goes so far (Bandar Lampung, on Sumatra, trucks 1,421 km to
    /// Belawan, though Tanjung Priok lies 194 km away across the Sunda Strait).
    pub unreached: Vec<(LocationId, f64)>,
    /// On the origin's access when both ends are outside places: the estimated truck leg
    /// straight to the destination place, under the same rules as the legs to terminals (two
    /// suburbs of one city were joined only through a terminal 50 km away).
    pub direct: Option<Candidate>,
}

impl Access {
    /// One sentence for people: what the place is and which terminals its legs reach.
    pub fn describe(&self, net: &Network) -> String {
        let p = &self.place;
        let what = match (&p.near, self.end) {
            (Some(near), _) => format!("{} (near {near})", p.name),
            (None, _) => format!("{} ({}, {})", p.name, p.code, p.country),
        };
        let dir = if self.end == End::Origin { "to" } else { "from" };
        let list: Vec<String> = self
            .candidates
            .iter()
            .map(|c| {
                let border = match c.borders {
                    0 => String::new(),
                    1 => ", 1 road border".to_owned(),
                    n => format!(", {n} road borders"),
                };
                let round = if !c.posts.is_empty() {
                    format!(" ({:.0} km by {})", c.line_km, c.posts.join(" and "))
                } else if !c.turns.is_empty() {
                    format!(" ({:.0} km round the coast)", c.line_km)
                } else {
                    String::new()
                };
                format!("{} {:.0} km{round}{border}", net.location(c.terminal).name, c.great_circle_km)
            })
            .collect();
        let mut s = format!(
            "{what} is not a corridor terminal: estimated truck legs {dir} the nearest terminals, tried together (great-circle km; road km = x{:.2}): {}",
            net.defaults.access.as_ref().map_or(1.0, |f| f.road_detour_factor.value),
            list.join(", ")
        );
        if !self.unreached.is_empty() {
            let near: Vec<String> =
                self.unreached.iter().map(|&(id, d)| format!("{} {d:.0} km", net.location(id).name)).collect();
            s.push_str(&format!(
                "; nearer terminals that no truck leg reaches (across the sea, with no ferry in the network, or a closed border): {}",
                near.join(", ")
            ));
        }
        if let Some(c) = &self.direct {
            s.push_str(&format!(
                "; and a truck leg straight to {} ({:.0} km)",
                net.location(c.terminal).name,
                c.great_circle_km
            ));
        }
        if let Some(r) = &p.read_as {
            s.push_str(&format!("; read as {r}"));
        }
        if !p.alternatives.is_empty() {
            s.push_str(&format!("; other places of that name: {} (add `, CC` to choose)", p.alternatives.join(", ")));
        }
        s
    }
}

/// A network ready for one query: the core, plus the access and egress legs of outside places.
#[derive(Clone, Debug)]
pub struct Prepared<'a> {
    /// The network to search (borrowed when both ends are core locations).
    pub network: Cow<'a, Network>,
    /// Origin location.
    pub from: LocationId,
    /// Destination location.
    pub to: LocationId,
    /// The outside places and their candidates (zero, one or two).
    pub access: Vec<Access>,
}

/// Why an outside place cannot be joined to the core.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum AccessError {
    /// The dataset has no `[access]` section.
    #[error("{place} is not a location of this dataset, and the dataset has no [access] figures to join it by truck")]
    NoFigures {
        /// The place.
        place: String,
    },
    /// No suitable terminal within reach.
    #[error(
        "{place} is not a corridor terminal and no terminal is reachable by an estimated truck leg (at most {max_km:.0} km, by land){}{}",
        .roadless.as_ref().map(|r| format!("; {r}")).unwrap_or_default(),
        nearest_text(.nearest)
    )]
    NoTerminal {
        /// The place.
        place: String,
        /// The longest access leg considered, great-circle km.
        max_km: f64,
        /// The nearest terminals regardless of reach, "Name (CODE, CC) 1,234 km".
        nearest: Vec<String>,
        /// Why no road leads out, where the place lies in a roadless area
        /// (`corridor_model::regions::ROADLESS`): "it lies in NAME, where no road leads out:
        /// REASON".
        roadless: Option<String>,
    },
    /// Origin and destination are the same outside place.
    #[error("origin and destination are the same place ({0})")]
    Same(String),
}

fn nearest_text(n: &[String]) -> String {
    if n.is_empty() { String::new() } else { format!("; nearest terminals: {}", n.join(", ")) }
}

/// Most land borders an estimated truck leg may cross: a truck leg across more countries than
/// this is a long-haul road route the network should carry itself, and a great-circle estimate
/// of it is too crude (Jebel Ali to Bandar Abbas is 271 km across the Strait of Hormuz and three
/// borders by road).
pub const MAX_BORDERS: usize = 2;

/// Whether a truck can drive from country `a` to country `b` crossing at most [`MAX_BORDERS`]
/// land borders open to trucks.
pub fn road_reachable(a: &str, b: &str) -> bool {
    road_path(a, b).is_some()
}

/// The countries a truck passes from `a` to `b` (both included) over the fewest land borders open
/// to trucks, at most [`MAX_BORDERS`]; ties go to the alphabetically first path. Neighbours whose
/// common border is closed get none: the way round is not the straight line an estimate uses.
pub fn road_path(a: &str, b: &str) -> Option<Vec<String>> {
    if a == b {
        return Some(vec![a.to_owned()]);
    }
    // An island country with no land border open to trucks (Japan, South Korea): no leg leaves
    // it. Indonesia's and Ireland's borders lie on one island each
    // (`regions::ISLAND_BORDERS`): the leg's ends must be on it, which `leg` checks.
    if !corridor_model::regions::road_connected(a, b) {
        return None;
    }
    let open = |x: &str, y: &str| {
        let key = if x < y { (x, y) } else { (y, x) };
        corridor_model::regions::closed_border(x, y, true).is_none()
            && (EXTRA_ROAD_LINKS.iter().any(|&(p, q, _)| (p, q) == key)
                || land_borders().contains(&(key.0.to_owned(), key.1.to_owned())))
    };
    let neighbours = |x: &str| -> Vec<String> {
        let mut n: Vec<String> = land_borders()
            .iter()
            .filter_map(|(p, q)| {
                if p == x {
                    Some(q.clone())
                } else if q == x {
                    Some(p.clone())
                } else {
                    None
                }
            })
            .chain(EXTRA_ROAD_LINKS.iter().filter_map(|&(p, q, _)| {
                if p == x {
                    Some(q.to_owned())
                } else if q == x {
                    Some(p.to_owned())
                } else {
                    None
                }
            }))
            .filter(|y| open(x, y))
            .collect();
        n.sort();
        n.dedup();
        n
    };
    if open(a, b) {
        return Some(vec![a.to_owned(), b.to_owned()]);
    }
    // Neighbours whose common border is closed: the truck's way round through a third country
    // is no great-circle distance (Kharkiv to Belgorod by Poland measured 82 km, Casablanca to
    // Algiers by Western Sahara 1,241 km), so no estimate is offered.
    if land_borders().contains(&(a.min(b).to_owned(), a.max(b).to_owned())) {
        return None;
    }
    if MAX_BORDERS >= 2 {
        for m in neighbours(a) {
            if open(&m, b) {
                return Some(vec![a.to_owned(), m, b.to_owned()]);
            }
        }
    }
    None
}

/// The land-border pairs of `data/places/land_borders.csv` (`a,b`, a < b).
fn land_borders() -> &'static BTreeSet<(String, String)> {
    static SET: OnceLock<BTreeSet<(String, String)>> = OnceLock::new();
    SET.get_or_init(|| {
        include_str!("../../../data/places/land_borders.csv")
            .lines()
            .skip(1)
            .filter_map(|l| l.split_once(','))
            .map(|(a, b)| (a.trim().to_owned(), b.trim().to_owned()))
            .collect()
    })
}

/// A curated road border post: its name, its country, the neighbour it faces, its position.
#[derive(Clone, Debug, PartialEq)]
struct Post {
    name: String,
    country: String,
    other: String,
    lat: f64,
    lon: f64,
}

/// The road posts of `data/places/border_crossings.csv` (`name,aliases,country,other_country,
/// mode,...`) at their positions in `extra_places.csv` (`code,name,aliases,country,lat,lon,...`),
/// joined by name and country. The leading fields of both files hold no comma (a test checks
/// that every post is found).
fn road_posts() -> &'static [Post] {
    static POSTS: OnceLock<Vec<Post>> = OnceLock::new();
    POSTS.get_or_init(|| {
        let positions: BTreeMap<(&str, &str), (f64, f64)> = include_str!("../../../data/places/extra_places.csv")
            .lines()
            .skip(1)
            .filter_map(|l| {
                let f: Vec<&str> = l.splitn(7, ',').collect();
                Some(((f.get(1).copied()?, f.get(3).copied()?), (f.get(4)?.parse().ok()?, f.get(5)?.parse().ok()?)))
            })
            .collect();
        include_str!("../../../data/places/border_crossings.csv")
            .lines()
            .skip(1)
            .filter_map(|l| {
                let f: Vec<&str> = l.splitn(6, ',').collect();
                let (name, country, other, mode) = (f.first()?, f.get(2)?, f.get(3)?, f.get(4)?);
                let &(lat, lon) = positions.get(&(*name, *country))?;
                (*mode == "road").then(|| Post {
                    name: (*name).to_owned(),
                    country: (*country).to_owned(),
                    other: (*other).to_owned(),
                    lat,
                    lon,
                })
            })
            .collect()
    })
}

/// The posts a truck from `a` (lat, lon) to `b` through a third country crosses the borders of
/// `path` (its countries) by: for each border outside a customs union that the curated list has
/// road posts for (of either side), the one of the choice that makes the line a → posts → b
/// shortest; none for a border it has no post for (a customs union's internal border has many
/// crossings, and a pair the list does not cover keeps the straight line). Through a third
/// country, where the straight line is least like a road (it enters and leaves the middle
/// country anywhere, over the Wakhan between Pakistan and Tajikistan), and between two
/// neighbours only where the list holds every crossing open to trucks
/// ([`corridor_model::regions::ROAD_POSTS_ONLY`]: Sochi to Samtredia runs by Verkhny Lars, not
/// through Abkhazia): elsewhere the list's posts may be a few of many (Tajikistan–Uzbekistan
/// lists the Khujand road's only, not Termez–Dushanbe's), and a leg forced by them would be the
/// worse estimate. At most
/// [`MAX_BORDERS`] borders, each with a handful of posts: every choice is tried.
fn via_posts(a: (f64, f64), path: &[String], b: (f64, f64)) -> Vec<&'static Post> {
    let listed = |w: &[String]| corridor_model::regions::road_posts_only(&w[0], &w[1]);
    if path.len() < 2 || (path.len() == 2 && !listed(path)) {
        return Vec::new();
    }
    let options: Vec<Vec<&'static Post>> = path
        .windows(2)
        .filter(|w| !same_customs_union(&w[0], &w[1]))
        .map(|w| {
            road_posts()
                .iter()
                .filter(|p| (p.country == w[0] && p.other == w[1]) || (p.country == w[1] && p.other == w[0]))
                .collect::<Vec<_>>()
        })
        .filter(|o| !o.is_empty())
        .collect();
    let mut best: (f64, Vec<&'static Post>) = (f64::INFINITY, Vec::new());
    let combos: usize = options.iter().map(Vec::len).product();
    for k in 0..combos {
        let mut rest = k;
        let chosen: Vec<&'static Post> = options
            .iter()
            .map(|o| {
                let p = o[rest % o.len()];
                rest /= o.len();
                p
            })
            .collect();
        let stops = std::iter::once(a).chain(chosen.iter().map(|p| (p.lat, p.lon))).chain([b]);
        let km: f64 = stops.clone().zip(stops.skip(1)).map(|(x, y)| haversine_km(x, y)).sum();
        if km < best.0 {
            best = (km, chosen);
        }
    }
    best.1
}

/// Whether a core location can take or hand over a container from a truck.
fn is_terminal(l: &Location) -> bool {
    l.kinds.iter().any(|k| {
        matches!(k, LocationKind::City | LocationKind::RailTerminal | LocationKind::DryPort | LocationKind::Seaport)
    })
}

/// Builds the network for a query between two endpoints.
pub fn prepare<'a>(net: &'a Network, from: &Endpoint, to: &Endpoint) -> Result<Prepared<'a>, AccessError> {
    if let (Endpoint::Outside(a), Endpoint::Outside(b)) = (from, to)
        && a.code == b.code
    {
        return Err(AccessError::Same(a.name.clone()));
    }
    let mut network: Cow<'a, Network> = Cow::Borrowed(net);
    let mut access = Vec::new();
    let mut ids = [LocationId::from_index(0); 2];
    for (k, (endpoint, end)) in [(from, End::Origin), (to, End::Destination)].into_iter().enumerate() {
        ids[k] = match endpoint {
            Endpoint::Core(id) => {
                if let Some((others, f)) = landless_legs(net, *id) {
                    add_legs(network.to_mut(), *id, end, &others, f);
                }
                *id
            }
            Endpoint::Outside(place) => {
                let figures =
                    net.defaults.access.as_ref().ok_or_else(|| AccessError::NoFigures { place: place.name.clone() })?;
                let (candidates, unreached) = candidates(net, place, figures)?;
                let location = join(network.to_mut(), place, end, &candidates, figures);
                access.push(Access { end, place: place.clone(), location, candidates, unreached, direct: None });
                location
            }
        };
    }
    // Two outside places: a truck may also drive straight from one to the other.
    if let (Endpoint::Outside(a), Endpoint::Outside(_), Some(f)) = (from, to, net.defaults.access.as_ref()) {
        let d = {
            let b = network.location(ids[1]);
            haversine_km((a.lat, a.lon), (b.lat, b.lon))
        };
        let here = landmass::land(a.lat, a.lon);
        if d <= f.max_km.value
            && let Some(c) = leg(&network, &a.country, (a.lat, a.lon), here, (d, ids[1]), f)
        {
            add_legs(network.to_mut(), ids[0], End::Origin, std::slice::from_ref(&c), f);
            access[0].direct = Some(c);
        }
    }
    if let Cow::Owned(n) = &mut network {
        n.refresh_waits();
        debug_assert!(n.check().is_empty(), "prepared network: {:?}", n.check());
    }
    Ok(Prepared { network, from: ids[0], to: ids[1], access })
}

/// Terminals no truck leg reaches, with their great-circle km ([`Access::unreached`]).
type Unreached = Vec<(LocationId, f64)>;

/// The terminals offered to a place, nearest first, and the nearer ones it cannot reach
/// ([`Access::unreached`]).
fn candidates(
    net: &Network,
    place: &OutsidePlace,
    f: &AccessFigures,
) -> Result<(Vec<Candidate>, Unreached), AccessError> {
    let (out, all) = offered(net, &place.country, place.lat, place.lon, f);
    let Some(first) = out.first() else {
        return Err(AccessError::NoTerminal {
            place: format!("{} ({}, {})", place.name, place.code, place.country),
            max_km: f.max_km.value,
            nearest: all.iter().take(3).map(|&(d, id)| format!("{} {d:.0} km", core_label(net, id))).collect(),
            roadless: corridor_model::regions::roadless(place.lat, place.lon)
                .map(|(_, name, why)| format!("it lies in {name}, where no road leads out: {why}")),
        });
    };
    // Half: a terminal a little nearer across a bay or a border is no surprise, one at less
    // than half the distance is the question a user asks. Every terminal nearer than the first
    // one offered is one that no leg reaches.
    let unreached =
        all.iter().take_while(|&&(d, _)| d < first.great_circle_km / 2.0).take(3).map(|&(d, id)| (id, d)).collect();
    Ok((out, unreached))
}

/// The terminals an estimated truck leg from a place of `country` at (`lat`, `lon`) may reach
/// (at most [`MAX_CANDIDATES`], nearest first, and one more on the land network when they are all
/// ports off it): what a route to or from the place is offered,
/// and what `locations` lists for it. A terminal across a closed border or the sea is not one
/// (Padang, on Sumatra, listed Klang in Malaysia). An empty list where the dataset has no
/// `[access]` figures.
pub fn reachable_terminals(net: &Network, country: &str, lat: f64, lon: f64) -> Vec<Candidate> {
    net.defaults.access.as_ref().map(|f| offered(net, country, lat, lon, f).0).unwrap_or_default()
}

/// The candidates, and every terminal by great-circle km (for the error that none is offered).
fn offered(
    net: &Network,
    country: &str,
    lat: f64,
    lon: f64,
    f: &AccessFigures,
) -> (Vec<Candidate>, Vec<(f64, LocationId)>) {
    let mut all: Vec<(f64, LocationId)> = net
        .locations
        .iter()
        .enumerate()
        .filter(|(_, l)| is_terminal(l))
        .map(|(i, l)| (haversine_km((lat, lon), (l.lat, l.lon)), LocationId::from_index(i)))
        .collect();
    all.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let here = landmass::land(lat, lon);
    let candidate = |&(d, id): &(f64, LocationId)| leg(net, country, (lat, lon), here, (d, id), f);
    let within = all.iter().filter(|&&(d, _)| d <= f.max_km.value);
    let mut out: Vec<Candidate> = within.clone().filter_map(candidate).take(MAX_CANDIDATES).collect();
    // The nearest terminals may all be ports that no road or rail link of the network reaches
    // (southern India, where the OSM graphs stop at 20° N): a place there would only sail, even
    // to a city of its own country up the coast. The nearest terminal on the land network is
    // offered as well, when a leg reaches it.
    let on_land = on_land_network(net);
    if !out.is_empty() && !out.iter().any(|c| on_land[c.terminal.index()]) {
        out.extend(within.filter(|&&(_, id)| on_land[id.index()]).find_map(candidate));
    }
    (out, all)
}

/// The estimated truck leg from a place of `country` at `at`, whose [`landmass::Land`] is
/// `here`, to location `id`, `d` great-circle km away, if a truck can drive it: on one
/// landmass, over open borders (an island country's only on its island), round a sea by the
/// coast and through a third country by the curated posts.
fn leg(
    net: &Network,
    country: &str,
    at: (f64, f64),
    here: landmass::Land,
    (d, id): (f64, LocationId),
    f: &AccessFigures,
) -> Option<Candidate> {
    let (lat, lon) = at;
    // A truck stays on land: no leg across a sea within one country (Cagliari to
    // Civitavecchia, Heraklion to Athens), which a country-level rule cannot see.
    let t = net.location(id);
    let there = landmass::land(t.lat, t.lon);
    if !landmass::joined((lat, lon), here, (t.lat, t.lon), there) {
        return None;
    }
    // Nor out of, or into, a town no road joins to the rest of its country (Norilsk).
    let area = |la: f64, lo: f64| corridor_model::regions::roadless(la, lo).map(|(i, ..)| i);
    if area(lat, lon) != area(t.lat, t.lon) {
        return None;
    }
    let path = road_path(country, &t.country)?;
    // A border that lies on one island of an island country (Indonesia meets Malaysia on
    // Borneo) is crossed only between two points of that island: Batam, across the
    // Singapore Strait, has no leg to Malaysia, Pontianak has one to Kuching.
    let on_island = |w: &[String]| match corridor_model::regions::island_border(&w[0], &w[1]) {
        None => true,
        Some(p) => match landmass::land(p.0, p.1) {
            m @ landmass::Land::On(_) => here == m && there == m,
            _ => false,
        },
    };
    if !path.windows(2).all(on_island) {
        return None;
    }
    // Nor along a straight line over the sea within one landmass: the line turns at the
    // coast (El Jadida to Tanger Med past the Atlantic off Rabat), or, across a gulf that
    // no short way round closes (Weihai to Nampo across the Yellow Sea), is no leg. Two
    // points on an island too small for the rings are left to `joined`: their line is
    // all unmapped.
    // Each stretch between the place, the posts (through a third country) and the
    // terminal is such a line.
    let via = via_posts((lat, lon), &path, (t.lat, t.lon));
    let straight = here == landmass::Land::Unmapped || there == landmass::Land::Unmapped;
    let (mut turns, mut line_km) = (Vec::new(), 0.0);
    let (mut from, mut from_land) = ((lat, lon), here);
    for to in via.iter().map(|p| (p.lat, p.lon)).chain([(t.lat, t.lon)]) {
        let (bends, stretch) =
            if straight { (Vec::new(), haversine_km(from, to)) } else { landmass::land_line(from, from_land, to)? };
        turns.extend(bends);
        line_km += stretch;
        if to != (t.lat, t.lon) {
            turns.push(to);
        }
        (from, from_land) = (to, if to == (t.lat, t.lon) { there } else { landmass::land(to.0, to.1) });
    }
    let road_km = line_km * f.road_detour_factor.value;
    let borders = path.windows(2).filter(|w| !same_customs_union(&w[0], &w[1])).count();
    Some(Candidate {
        terminal: id,
        great_circle_km: d,
        line_km,
        turns,
        road_km,
        hours: {
            // Driven as the trucks of the place's country (`AccessFigures::trucks`).
            let t = f.trucks(country);
            truck_hours(road_km, t.driving_kmh, t.daily_driving_h)
        },
        countries: path,
        posts: via.iter().map(|p| p.name.clone()).collect(),
        borders,
    })
}

/// Per location, whether a road or rail link of the network reaches it (the opposite of
/// [`landless`], for all locations at once).
fn on_land_network(net: &Network) -> Vec<bool> {
    let mut on = vec![false; net.locations.len()];
    for l in net.links.iter().filter(|l| matches!(l.mode, Mode::Road | Mode::Rail)) {
        on[l.from.index()] = true;
        on[l.to.index()] = true;
    }
    on
}

/// Adds the place, its links, and what the terminals need to take trucks; returns the place's id.
fn join(net: &mut Network, place: &OutsidePlace, end: End, candidates: &[Candidate], f: &AccessFigures) -> LocationId {
    let id = LocationId::from_index(net.locations.len());
    add_place(net, place);
    add_legs(net, id, end, candidates, f);
    id
}

/// A core location that no road or rail link of the network reaches (a port whose country's
/// roads are not in the network: Yangon, Laem Chabang, Singapore): a route from or to it gets
/// estimated truck legs to the nearest other terminals too, as a place outside the network
/// does, so that a truck to the neighbouring country is not lost.
fn landless(net: &Network, id: LocationId) -> bool {
    !net.links.iter().any(|l| (l.from == id || l.to == id) && matches!(l.mode, Mode::Road | Mode::Rail))
}

/// The terminals that a core end without roads ([`landless`]) gets estimated truck legs to, and
/// the figures: `None` for an end with a road or rail link, or without figures or terminals.
fn landless_legs(net: &Network, id: LocationId) -> Option<(Vec<Candidate>, &AccessFigures)> {
    let f = net.defaults.access.as_ref()?;
    if !landless(net, id) {
        return None;
    }
    let l = net.location(id);
    let others: Vec<Candidate> =
        offered(net, &l.country, l.lat, l.lon, f).0.into_iter().filter(|c| c.terminal != id).collect();
    (!others.is_empty()).then_some((others, f))
}

/// [`Router::table`] with the estimated truck legs a route gives a core end without roads
/// ([`prepare`]: Yangon, Laem Chabang, Singapore), so that a table's cell and the route of its
/// pair agree: the cells from such a source are searched again on the network with its legs
/// (one tree against the targets with roads), the cells to such a target likewise (one search
/// per source with roads), and a cell between two of them on the network with both ends' legs.
/// A leg is never open to another cell's route, as it is never open to another route. The cells'
/// routes from a network with legs name links past the core's (its legs): use their totals.
pub fn table(
    router: &Router<'_>,
    req: &RouteRequest,
    sources: &[LocationId],
    targets: &[LocationId],
) -> Result<Vec<Option<Route>>, RouteError> {
    let mut cells = router.table(req, sources, targets)?;
    let net = router.network();
    // Each end's terminals once (a landmass line per terminal is the slow part).
    let ends: BTreeSet<LocationId> = sources.iter().chain(targets).copied().collect();
    let legs: BTreeMap<LocationId, (Vec<Candidate>, &AccessFigures)> =
        ends.into_iter().filter_map(|id| landless_legs(net, id).map(|l| (id, l))).collect();
    if legs.is_empty() {
        return Ok(cells);
    }
    let from_legs: Vec<bool> = sources.iter().map(|s| legs.contains_key(s)).collect();
    let to_legs: Vec<bool> = targets.iter().map(|t| legs.contains_key(t)).collect();
    // The table of `from` x `to` on the core with the legs of `origin` and `destination`.
    let search =
        |origin: Option<LocationId>, destination: Option<LocationId>, from: &[LocationId], to: &[LocationId]| {
            if from.is_empty() || to.is_empty() {
                return Ok(Vec::new());
            }
            let mut with_legs = net.clone();
            for (end, id) in [(End::Origin, origin), (End::Destination, destination)] {
                if let Some(id) = id
                    && let Some((others, f)) = legs.get(&id)
                {
                    add_legs(&mut with_legs, id, end, others, f);
                }
            }
            with_legs.refresh_waits();
            let graph = Graph::compile(&with_legs);
            Router::new(&with_legs, &graph).with_budget(router.budget()).table(req, from, to)
        };
    let n = targets.len();
    for (i, &s) in sources.iter().enumerate().filter(|&(i, _)| from_legs[i]) {
        let cols: Vec<usize> = (0..n).filter(|&j| !to_legs[j]).collect();
        let to: Vec<LocationId> = cols.iter().map(|&j| targets[j]).collect();
        for (j, cell) in cols.into_iter().zip(search(Some(s), None, &[s], &to)?) {
            cells[i * n + j] = cell;
        }
    }
    for (j, &t) in targets.iter().enumerate().filter(|&(j, _)| to_legs[j]) {
        let rows: Vec<usize> = (0..sources.len()).filter(|&i| !from_legs[i]).collect();
        let from: Vec<LocationId> = rows.iter().map(|&i| sources[i]).collect();
        for (i, cell) in rows.into_iter().zip(search(None, Some(t), &from, &[t])?) {
            cells[i * n + j] = cell;
        }
        for (i, &s) in sources.iter().enumerate().filter(|&(i, &s)| from_legs[i] && s != t) {
            cells[i * n + j] = search(Some(s), Some(t), &[s], &[t])?.pop().flatten();
        }
    }
    Ok(cells)
}

/// The place's own location (a road platform), appended to `net`.
fn add_place(net: &mut Network, place: &OutsidePlace) {
    let kinds = if place.functions.contains(corridor_places::Functions::PORT) {
        vec![LocationKind::Seaport]
    } else if place.functions.intersects(corridor_places::Functions::RAIL.union(corridor_places::Functions::MULTIMODAL))
    {
        vec![LocationKind::RailTerminal]
    } else {
        vec![LocationKind::City]
    };
    net.locations.push(Location {
        code: place.code.clone(),
        name: place.name.clone(),
        aliases: Vec::new(),
        country: place.country.clone(),
        lat: place.lat,
        lon: place.lon,
        tz: place.tz.clone(),
        kinds,
        platforms: vec![Platform::Road],
    });
}

/// The estimated truck legs between location `id` and each candidate terminal (from `id` at the
/// origin, to it at the destination), with their road borders.
fn add_legs(net: &mut Network, id: LocationId, end: End, candidates: &[Candidate], f: &AccessFigures) {
    let sources = |s: &[&corridor_model::Sourced<f64>]| -> Vec<corridor_model::SourceId> {
        let mut v: Vec<_> = s.iter().flat_map(|x| x.sources.iter().copied()).collect();
        v.sort();
        v.dedup();
        v
    };
    // A core end whose platforms lack a road (a port on the sea alone, in a dataset of the
    // user's) takes the trucks the legs bring: without a road platform the leg had no node.
    open_to_trucks(net, id, f);
    // The trucks of the place's country: a local haulier's first or last mile.
    let trucks = f.trucks(&net.location(id).country);
    for c in candidates {
        let t = c.terminal;
        open_to_trucks(net, t, f);
        let (from, to) = match end {
            End::Origin => (id, t),
            End::Destination => (t, id),
        };
        let link = corridor_model::LinkId::from_index(net.links.len());
        let prefix = if end == End::Origin { "access" } else { "egress" };
        let (a, b) = (net.location(from).code.clone(), net.location(to).code.clone());
        // A line round the sea is drawn as it runs, from the place (access) or to it (egress).
        let geometry: Vec<(f64, f64)> = if c.turns.is_empty() {
            Vec::new()
        } else {
            let ends = |l: LocationId| (net.location(l).lat, net.location(l).lon);
            let mut g: Vec<(f64, f64)> =
                std::iter::once(ends(id)).chain(c.turns.iter().copied()).chain([ends(t)]).collect();
            if end == End::Destination {
                g.reverse();
            }
            g
        };
        net.links.push(Link {
            code: format!("{prefix}:{a}-{b}"),
            from,
            to,
            mode: Mode::Road,
            platform: Platform::Road,
            km: Km(c.road_km),
            hours: Hours(c.hours),
            // Timed by the rule already (`truck_hours`), and never merged into a core truck run.
            driving: None,
            tariff: trucks.price,
            tariff_back: None,
            capacity_teu_week: None,
            headway: None,
            hold: None,
            backlog: [None, None],
            corridors: Vec::new(),
            emission_factor: f.emission_factor,
            oneway: true,
            liner: false,
            wait: [None, None],
            geometry: geometry.into(),
            sources: std::sync::Arc::new(LinkSources {
                km: sources(&[&f.road_detour_factor]),
                time: trucks.time_sources.clone(),
                cost: trucks.cost_sources.clone(),
                capacity: Vec::new(),
                headway: Vec::new(),
            }),
            estimated: true,
            transit: Vec::new(),
        });
        if c.borders > 0 {
            // Several borders are cleared one after the other: their means and prices add up,
            // and so (conservatively, as if fully correlated) do their P90s.
            let n = c.borders as f64;
            let mut countries = c.countries.clone();
            if end == End::Destination {
                countries.reverse();
            }
            net.borders.push(Border {
                code: format!("{prefix}-border:{a}-{b}"),
                name: format!("road border {} (estimated)", countries.join("–")),
                link,
                direction: Direction::Forward,
                dwell: Dwell::new(Hours(n * f.road_border_hours_mean.value), Hours(n * f.road_border_hours_p90.value)),
                tariff: Tariff {
                    usd_teu: Some(Usd(n * f.road_border_usd.value)),
                    usd_feu: Some(Usd(n * f.road_border_usd.value)),
                    ..Tariff::default()
                },
                sources: sources(&[&f.road_border_hours_mean, &f.road_border_hours_p90, &f.road_border_usd]),
                regular: None,
            });
        }
    }
}

/// Makes a terminal take trucks: a road platform, and a lift between road and each of its other
/// platforms where none exists (truck↔train at the lift figures; truck↔quay at the terminal's own
/// port-handling figures, the way a train's container is handled there).
fn open_to_trucks(net: &mut Network, t: LocationId, f: &AccessFigures) {
    let loc = net.location(t);
    let platforms: Vec<Platform> = loc.platforms.clone();
    if !platforms.contains(&Platform::Road) {
        let l = &mut net.locations[t.index()];
        l.platforms.push(Platform::Road);
        l.platforms.sort();
    }
    let mut sources: Vec<_> =
        [&f.lift_hours_mean, &f.lift_hours_p90, &f.lift_usd].iter().flat_map(|x| x.sources.clone()).collect();
    sources.sort();
    sources.dedup();
    for p in platforms.into_iter().filter(|&p| p != Platform::Road) {
        let exists = net.transfers.iter().any(|x| {
            x.location == t && ((x.from == Platform::Road && x.to == p) || (x.from == p && x.to == Platform::Road))
        });
        if exists {
            continue;
        }
        let transfer = if p == Platform::Sea {
            // The terminal's own handling between a land platform and the quay, if it has one.
            let Some(h) = net.transfers.iter().find(|x| {
                x.location == t
                    && x.kind == TransferKind::PortHandling
                    && (x.to == Platform::Sea || x.from == Platform::Sea)
            }) else {
                continue;
            };
            Transfer { location: t, from: Platform::Road, to: p, oneway: false, ..h.clone() }
        } else {
            Transfer {
                location: t,
                from: Platform::Road,
                to: p,
                kind: TransferKind::Transshipment,
                dwell: Dwell::new(Hours(f.lift_hours_mean.value), Hours(f.lift_hours_p90.value)),
                tariff: Tariff {
                    usd_teu: Some(Usd(f.lift_usd.value)),
                    usd_feu: Some(Usd(f.lift_usd.value)),
                    ..Tariff::default()
                },
                oneway: false,
                sources: sources.clone(),
            }
        };
        net.transfers.push(transfer);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every road post of the curated list has its measured position (the two files are joined by
    /// name and country, on fields split at commas): none is silently dropped.
    #[test]
    fn every_curated_road_post_has_a_position() {
        let rows = include_str!("../../../data/places/border_crossings.csv")
            .lines()
            .skip(1)
            .filter(|l| l.split(',').nth(4) == Some("road"))
            .count();
        assert_eq!(road_posts().len(), rows);
        assert!(rows > 90, "{rows}");
        let torkham = road_posts().iter().find(|p| p.name == "Torkham").expect("Torkham");
        assert_eq!((torkham.country.as_str(), torkham.other.as_str()), ("PK", "AF"));
    }
}
