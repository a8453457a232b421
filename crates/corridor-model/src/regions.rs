//! Country groups that change what a border costs or whether a truck can drive between two
//! countries: customs unions and the countries without a usable road link to the mainland.

/// EU customs union members (no customs clearance between them).
pub const EU: [&str; 27] = [
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT",
    "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
];

/// Eurasian Economic Union members (one customs territory since 2015).
pub const EAEU: [&str; 5] = ["RU", "BY", "KZ", "KG", "AM"];

/// Western and central Europe beyond the corridors' EU entry points: the EU and the EFTA states
/// and the UK around it. The corridors' published definitions end at their EU gateways
/// (Małaszewicze, Constanța, Kapıkule); from there a container is distributed over this network
/// like any European shipment, so its internal borders belong to no corridor.
pub fn european_distribution(a: &str, b: &str) -> bool {
    const AROUND_EU: [&str; 5] = ["GB", "CH", "NO", "LI", "IS"];
    let inside = |c: &str| EU.contains(&c) || AROUND_EU.contains(&c);
    inside(a) && inside(b)
}

/// Central Asia as the China–Central Asia container trains serve it (中亚班列): Kazakhstan,
/// Kyrgyzstan, Tajikistan, Turkmenistan, Uzbekistan, and Afghanistan beyond Termez/Hairatan.
pub const CENTRAL_ASIA: [&str; 6] = ["KZ", "KG", "TJ", "TM", "UZ", "AF"];

/// The train kind a shipment between countries `a` and `b` rides when the user does not say:
/// a regular train when one end lies in Central Asia (the regional container trains CPMM 2022
/// reports side-tracked at Horgos for the expresses: a box for Almaty rides one whether it
/// started in China or came by sea from Korea to a Chinese port), else the container express
/// (China–Europe, and trains that only pass through Central Asia).
pub fn default_traffic(a: &str, b: &str) -> crate::Traffic {
    let asia = |c: &str| CENTRAL_ASIA.contains(&c);
    if asia(a) || asia(b) { crate::Traffic::Regular } else { crate::Traffic::Express }
}

/// Whether crossing from `a` to `b` stays inside one customs union.
pub fn same_customs_union(a: &str, b: &str) -> bool {
    (EU.contains(&a) && EU.contains(&b)) || (EAEU.contains(&a) && EAEU.contains(&b))
}

/// Countries of the region that a truck cannot leave or enter by road: islands with no land
/// border (Japan, Taiwan, Sri Lanka, the Philippines, Cyprus, Malta, Iceland; Bahrain is joined
/// by the King Fahd Causeway and so is not here) and South Korea, whose only land border (with
/// North Korea) is closed to traffic. Great Britain is not here: trucks cross by the Channel
/// Tunnel. Estimated truck legs (`corridor_routing::access::road_path`) do not leave or enter
/// them. Indonesia and Ireland, whose land borders lie on one island each, are in
/// [`ISLAND_BORDERS`] instead.
pub const ROAD_ISLANDS: [&str; 8] = ["JP", "TW", "LK", "PH", "CY", "MT", "IS", "KR"];

/// Land borders of island countries that lie on one island of several, with a point on that
/// island (lat, lon) and its name: a truck crosses such a border only between two points of
/// that island (`corridor_routing::access`, by the landmass of the point). Indonesia meets
/// Malaysia on Borneo (Pontianak trucks to Kuching by the Entikong–Tebedu road; Padang, on
/// Sumatra, and Batam, across the Singapore Strait, do not reach Malaysia by road), East Timor
/// on Timor and Papua New Guinea on New Guinea; Ireland meets the United Kingdom on Ireland
/// (Cork trucks to Belfast; Dublin does not reach Liverpool).
pub const ISLAND_BORDERS: [(&str, &str, f64, f64, &str); 4] = [
    ("ID", "MY", 1.0, 110.4, "Borneo"),
    ("ID", "TL", -9.3, 124.9, "Timor"),
    ("ID", "PG", -4.0, 141.0, "New Guinea"),
    ("GB", "IE", 54.4, -7.0, "Ireland"),
];

/// A point (lat, lon) on the island a border between `a` and `b` lies on ([`ISLAND_BORDERS`]).
pub fn island_border(a: &str, b: &str) -> Option<(f64, f64)> {
    ISLAND_BORDERS
        .iter()
        .find(|&&(x, y, ..)| (x, y) == (a, b) || (y, x) == (a, b))
        .map(|&(_, _, lat, lon, _)| (lat, lon))
}

/// Whether a truck can drive from country `a` to country `b` (the same country always can;
/// crossing to or from one of [`ROAD_ISLANDS`] cannot).
pub fn road_connected(a: &str, b: &str) -> bool {
    a == b || !(ROAD_ISLANDS.contains(&a) || ROAD_ISLANDS.contains(&b))
}

/// Pairs of countries with no direct shipping between their ports, with the reason (dated
/// facts, as [`CLOSED_BORDERS`]): the core build joins no sea link between them. Cargo may
/// still be transshipped in a third country's port.
pub const CLOSED_SEA: [(&str, &str, &str); 4] = [
    ("RU", "UA", "no shipping between Russian and Ukrainian ports since February 2022 (war)"),
    ("IL", "LB", "no shipping between the two states, officially at war (Lebanon's Boycott Law of 1955)"),
    ("IN", "PK", "ships of each country barred from the other's ports since May 2025"),
    ("KP", "KR", "no direct shipping (inter-Korean trade suspended since 2016)"),
];

/// Pairs of countries that ban trade with each other, transit included, with the reason (dated
/// facts, as [`CLOSED_BORDERS`]). A route between them is refused, and a route from or to one
/// of them avoids the other: the goods may not cross it, nor be transshipped in it
/// (`corridor_routing::trade`). A route between two third countries may not pass through both
/// ([`crossed_ban`]; Kabul to Rangpur through Karachi and Kolkata): the search keeps to one side
/// or the other (`corridor_search::Router::route`).
pub const TRADE_BANS: [(&str, &str, &str); 7] = [
    (
        "IN",
        "PK",
        "India prohibits the direct or indirect import or transit of all goods originating in or exported from Pakistan (DGFT notification, 2 May 2025), and Pakistan suspended all trade with India, including to and from third countries through Pakistan (National Security Committee, 24 April 2025)",
    ),
    (
        "RU",
        "UA",
        "Ukraine stopped all import and export operations with Russia when the war began (Interfax-Ukraine, 8 April 2022) and banned every import from Russia on 9 April 2022",
    ),
    (
        "KP",
        "KR",
        "South Korea suspended the Kaesong Industrial Complex, the last inter-Korean economic link, on 10 February 2016 (Reuters)",
    ),
    (
        "IL",
        "TR",
        "Turkey suspended export and import transactions with Israel for all products on 2 May 2024, until uninterrupted humanitarian aid reaches Gaza (Turkish Ministry of Trade, via Xinhua and AP)",
    ),
    (
        "IL",
        "IR",
        "Iran bans all commercial dealings with Israel and its firms (Law countering the hostile actions of the Zionist regime, 20 May 2020, on top of the bans since 1979)",
    ),
    (
        "IL",
        "IQ",
        "Iraq criminalises any economic interaction with Israel (Law criminalising normalisation with the Zionist entity, passed 26 May 2022)",
    ),
    (
        "IL",
        "LB",
        "Lebanon's Boycott Law of 23 June 1955 forbids any agreement, direct or through an intermediary, with persons in Israel; Israeli goods may not enter (Prensa Latina, 22 Aug 2023)",
    ),
];

/// The reason of the row of `table` for countries `a` and `b`, in either order.
fn pair_reason(table: &[(&str, &str, &'static str)], a: &str, b: &str) -> Option<&'static str> {
    table.iter().find(|&&(x, y, _)| (x, y) == (a, b) || (y, x) == (a, b)).map(|&(_, _, why)| why)
}

/// The trade ban between countries `a` and `b`, if any (see [`TRADE_BANS`]): its reason.
pub fn trade_ban(a: &str, b: &str) -> Option<&'static str> {
    pair_reason(&TRADE_BANS, a, b)
}

/// The first trade ban, in [`TRADE_BANS`] order, both of whose countries are among `countries`
/// (a route's countries passed), as that row's pair: goods that pass through both sides of a ban
/// trade between them, transit included, whatever the route's ends.
pub fn crossed_ban<S: AsRef<str>>(countries: &[S]) -> Option<(&'static str, &'static str)> {
    let has = |c: &str| countries.iter().any(|x| x.as_ref() == c);
    TRADE_BANS.iter().find(|&&(a, b, _)| has(a) && has(b)).map(|&(a, b, _)| (a, b))
}

/// Why the land border between countries `a` and `b` is closed, if it is: to all traffic
/// ([`CLOSED_BORDERS`]), or for a road (`road`) also to trucks ([`CLOSED_ROAD_BORDERS`]).
pub fn closed_border(a: &str, b: &str, road: bool) -> Option<&'static str> {
    pair_reason(&CLOSED_BORDERS, a, b).or_else(|| if road { pair_reason(&CLOSED_ROAD_BORDERS, a, b) } else { None })
}

/// The countries whose trade with `country` is banned ([`TRADE_BANS`]).
pub fn trade_banned_with(country: &str) -> impl Iterator<Item = &'static str> + '_ {
    TRADE_BANS.iter().filter_map(move |&(x, y, _)| {
        if x == country {
            Some(y)
        } else if y == country {
            Some(x)
        } else {
            None
        }
    })
}

/// Which side of the sea embargo on Russian ports a country is on: no container liner runs
/// between the ports of [`SeaEmbargo::Embargoed`] and those of [`SeaEmbargo::Embargoing`] (dated
/// facts, as [`CLOSED_BORDERS`]). Since 1 March 2022 the five largest container lines (MSC,
/// Maersk, CMA CGM, Hapag-Lloyd, ONE) take no bookings to or from any Russian port, and since 16
/// April 2022 the EU (Regulation 833/2014, Art. 3ea) and the UK close their ports to
/// Russian-flagged ships, which leaves no liner between the two. Ships still pass through EU
/// waters (the Baltic, the Danish straits), and cargo can be transshipped in a third country's
/// port: [`crate::Graph::compile`] models a voyage from a Russian port as one that may stop at any
/// port but an EU or UK one, and the reverse. Ukraine is on the same side since February 2022
/// (no shipping between Russian and Ukrainian ports, [`CLOSED_SEA`]): before, a ship loaded at
/// Odesa sailed on through Constanța to Rostov-on-Don, the one voyage that [`CLOSED_SEA`] (no
/// direct link) did not stop.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SeaEmbargo {
    /// Russia: its ports are cut off from the embargoing side's.
    Embargoed,
    /// The EU member states, the UK and Ukraine.
    Embargoing,
}

/// The side of the sea embargo a country is on, if any.
pub fn sea_embargo(country: &str) -> Option<SeaEmbargo> {
    if country == "RU" {
        Some(SeaEmbargo::Embargoed)
    } else if EU.contains(&country) || country == "GB" || country == "UA" {
        Some(SeaEmbargo::Embargoing)
    } else {
        None
    }
}

/// Territories no freight crosses in transit, with the reason (dated facts, as
/// [`CLOSED_BORDERS`]): the core build joins no land link whose path passes through one, however
/// short the pass (the coast road from Ashdod to Port Said runs 40 km through Gaza).
pub const NO_TRANSIT: [(&str, &str); 1] = [(
    "PS",
    "Gaza's crossings carry no transit freight: Kerem Shalom, the main entry point for commercial goods, and Rafah, its one crossing with Egypt, serve aid only and were shut in May 2024 (Jerusalem Post, 7 May 2024); the West Bank's crossings with Israel and Jordan serve Palestinian trade, not transit",
)];

/// Why freight may not cross `country` in transit, if it may not ([`NO_TRANSIT`]).
pub fn no_transit(country: &str) -> Option<&'static str> {
    NO_TRANSIT.iter().find(|&&(c, _)| c == country).map(|&(_, why)| why)
}

/// Neighbours whose every road crossing open to trucks is a post of
/// `data/places/border_crossings.csv`, with the reason (dated facts, as [`CLOSED_BORDERS`]): an
/// estimated truck leg between them runs by the best of those posts
/// (`corridor_routing::access`), not along the straight line, which crosses where no truck may.
/// Between other neighbours the list's posts may be a few of many, and the straight line is the
/// better estimate.
pub const ROAD_POSTS_ONLY: [(&str, &str, &str); 1] = [(
    "GE",
    "RU",
    "Verkhny Lars–Kazbegi is the only functioning land crossing between Georgia and Russia (DFWATCH-2025-UPPER-LARS): the coast road by the Psou leads into Abkhazia only, cut off from Georgia proper since the war of 1992–93 (WIKI-ABKHAZIAN-RAILWAY, for the railway beside it)",
)];

/// Whether every road crossing open to trucks between neighbours `a` and `b` is a curated post
/// ([`ROAD_POSTS_ONLY`]).
pub fn road_posts_only(a: &str, b: &str) -> bool {
    pair_reason(&ROAD_POSTS_ONLY, a, b).is_some()
}

/// Towns no road joins to the rest of their country, as (name, lat, lon, radius km, reason;
/// dated facts, as [`CLOSED_BORDERS`]): an estimated truck leg neither leaves nor enters the
/// circle (`corridor_routing::access`), which the great-circle line would cross as if the
/// tundra were a road. Norilsk trucked 1,272 km "to Surgut", Vorkuta 933 km.
pub const ROADLESS: [(&str, f64, f64, f64, &str); 2] = [
    (
        "the Norilsk industrial district",
        69.40,
        87.30,
        80.0,
        "no all-weather road joins Norilsk, Talnakh, Kayerkan and Dudinka to the rest of Russia: they are reached by air, and by the Yenisei and the Northern Sea Route through Dudinka (WIKIVOYAGE-2016-NORILSK)",
    ),
    (
        "Vorkuta",
        67.50,
        64.05,
        40.0,
        "no road reaches Vorkuta: cars ride the railway from Sosnogorsk (Ukhta), 680 km away, and the winter road of the Yamal pipeline is for off-road vehicles only (HOWTO-VORKUTA)",
    ),
];

/// The roadless area ([`ROADLESS`]) a point lies in, as its index, name and reason.
pub fn roadless(lat: f64, lon: f64) -> Option<(usize, &'static str, &'static str)> {
    ROADLESS.iter().enumerate().find_map(|(i, &(name, la, lo, r, why))| {
        (crate::geo::haversine_km((lat, lon), (la, lo)) <= r).then_some((i, name, why))
    })
}

/// Land borders closed to trucks though open to trains, with the reason (dated facts, as
/// [`CLOSED_BORDERS`]): estimated truck legs do not cross them and the core build joins no road
/// across them.
pub const CLOSED_ROAD_BORDERS: [(&str, &str, &str); 1] = [(
    "FI",
    "RU",
    "closed to road traffic since 30 Nov 2023: Finland closed every crossing with Russia except the Vainikkala railway, left open for rail cargo (RAILFREIGHT-2023-FIRU)",
)];

/// Land borders closed to traffic, with the reason (dated facts: review them with the data).
/// Estimated access legs do not cross them and the core build joins no link across them.
pub const CLOSED_BORDERS: [(&str, &str, &str); 11] = [
    ("AM", "AZ", "closed since the Karabakh conflict (no crossing open to traffic)"),
    (
        "DZ",
        "MA",
        "closed to all traffic by Algeria since August 1994 (Al Jazeera, 31 Oct 2014; still closed in 2021, AFP)",
    ),
    ("AM", "TR", "closed by Turkey since 1993"),
    ("IN", "PK", "Attari–Wagah closed to trade by both governments (2019, again 2025)"),
    (
        "IL",
        "LB",
        "no crossing open to traffic: the two states are officially at war (TRT World, 5 Apr 2018), and the Blue Line is the UN's line of withdrawal of 2000, not a border",
    ),
    (
        "IL",
        "SY",
        "no crossing open to goods: Quneitra, the only one, reopened on 15 Oct 2018 for UN observers only, \"not open for the passage of goods and people\" (TV7 Israel News, 15 Oct 2018)",
    ),
    ("CN", "IN", "no crossing open to container trucks (seasonal border trade only)"),
    ("KP", "KR", "closed demilitarised zone"),
    ("AF", "CN", "no road crossing (Wakhjir pass has none)"),
    (
        "RU",
        "UA",
        "closed since February 2022: Ukrzaliznytsia cut every rail crossing with Russia, and no crossing is open to freight",
    ),
    (
        "BY",
        "UA",
        "closed since February 2022: no rail communication between Ukraine and Belarus, and no crossing is open to freight",
    ),
];
