//! Memoised per-request work for a server answering many requests on one network.
//!
//! Two things a route request computes depend only on a few of its fields and are expensive
//! next to the search itself (profiled under load: together about two thirds of a
//! `/v1/route`'s CPU):
//!
//! - the [`Metric`]: every arc measured for the request's unit and payload and weighted by its
//!   objective and constraints, a pass over all arcs with a tariff quote and an emission factor
//!   each;
//! - the [`ArcMeasures`] the metric is weighed from and a label search (`pareto`) reads, per
//!   unit and payload;
//! - the [`Reliability`] of a route: a seeded Monte Carlo of thousands of draws;
//! - the route of a static request (no departure time, no resource constraint: one Dijkstra
//!   search, whose settle order and ties are deterministic), keyed by the whole request.
//!
//! Both are pure functions of their key (the same key always gives bit-identical values), so a
//! cache changes no answer, only how often it is computed. The cache is bounded (first in,
//! first out, a fixed number of entries each) and belongs to one network and its graph: a server
//! keeps one per loaded dataset, so a reload starts a new one. A [`crate::Router`] given a cache
//! checks that the graph has the cache's number of arcs; requests on a network prepared for one
//! query (places outside the network joined by access legs) use no cache.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use corridor_model::{ArcId, CargoUnit, CorridorId, LocationId, Mode, Traffic};

use crate::measure::ArcMeasures;
use crate::metric::Metric;
use crate::reliability::Reliability;
use crate::request::RouteRequest;
use crate::route::Route;

/// Metrics kept: each is one `f64` per arc (tens of KB on the corridor core), and a server
/// sees a few objectives x units x payloads x constraint sets.
pub const METRIC_ENTRIES: usize = 256;
/// Measure tables kept: each is one measure per arc (hundreds of KB on the corridor core), and
/// a server sees a few units x payloads.
pub const MEASURE_ENTRIES: usize = 8;
/// Reliability results kept: each is a few dozen bytes plus its key's arc list.
pub const RELIABILITY_ENTRIES: usize = 16_384;
/// Routes kept: each a few KB (its legs), so at most some tens of MB.
pub const ROUTE_ENTRIES: usize = 8_192;

/// What a [`Metric`] depends on (see [`Metric::new`]): the objective, the unit, payload and traffic,
/// the constraints and the corridor, and the two ends when ends are spared from avoided modes.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct MetricKey {
    objective: [u64; 3],
    unit: CargoUnit,
    payload: u64,
    traffic: Traffic,
    countries: Vec<String>,
    modes: Vec<Mode>,
    locations: Vec<LocationId>,
    borders: Vec<String>,
    trade_banned: Vec<String>,
    spare_ends: Option<(LocationId, LocationId)>,
    corridor: Option<CorridorId>,
}

impl MetricKey {
    fn new(req: &RouteRequest) -> MetricKey {
        let o = req.objective();
        let a = &req.avoid;
        MetricKey {
            objective: [o.usd.to_bits(), o.hours.to_bits(), o.co2_t.to_bits()],
            unit: req.unit,
            payload: req.payload.0.to_bits(),
            traffic: req.traffic,
            countries: a.countries.clone(),
            modes: a.modes.clone(),
            locations: a.locations.clone(),
            borders: a.borders.clone(),
            trade_banned: a.trade_banned.clone(),
            spare_ends: a.modes_spare_ends.then_some((req.from, req.to)),
            corridor: req.corridor,
        }
    }
}

/// What a [`Reliability`] depends on (see [`crate::simulate`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct ReliabilityKey {
    arcs: Vec<ArcId>,
    depart: Option<jiff::Timestamp>,
    unit: CargoUnit,
    payload: u64,
    traffic: Traffic,
    rest_credit: u64,
    samples: usize,
    seed: u64,
}

/// A map of at most `cap` entries that forgets the oldest first.
#[derive(Debug)]
struct Bounded<K, V> {
    cap: usize,
    map: HashMap<K, V>,
    order: VecDeque<K>,
}

impl<K: Clone + Eq + Hash, V: Clone> Bounded<K, V> {
    fn new(cap: usize) -> Self {
        Bounded { cap: cap.max(1), map: HashMap::new(), order: VecDeque::new() }
    }

    fn get(&self, k: &K) -> Option<V> {
        self.map.get(k).cloned()
    }

    fn insert(&mut self, k: K, v: V) {
        if self.map.contains_key(&k) {
            return;
        }
        while self.map.len() >= self.cap {
            match self.order.pop_front() {
                Some(old) => {
                    self.map.remove(&old);
                }
                None => break,
            }
        }
        self.order.push_back(k.clone());
        self.map.insert(k, v);
    }
}

/// Counters of a [`SearchCache`], for monitoring.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Metrics answered from the cache.
    pub metric_hits: u64,
    /// Metrics computed.
    pub metric_misses: u64,
    /// Reliability results answered from the cache.
    pub reliability_hits: u64,
    /// Reliability results computed.
    pub reliability_misses: u64,
    /// Routes answered from the cache.
    pub route_hits: u64,
    /// Routes searched.
    pub route_misses: u64,
    /// Measure tables answered from the cache.
    pub measure_hits: u64,
    /// Measure tables computed.
    pub measure_misses: u64,
}

/// Memoised metrics, reliability results and static routes for one network and its graph
/// (module docs).
/// `Sync`: shared by all threads of a server, each lookup a short critical section.
#[derive(Debug)]
pub struct SearchCache {
    num_arcs: usize,
    metrics: Mutex<Bounded<MetricKey, Arc<Metric>>>,
    reliability: Mutex<Bounded<ReliabilityKey, Reliability>>,
    routes: Mutex<Bounded<String, Option<Route>>>,
    /// Keyed by unit, payload bits and traffic.
    measures: Mutex<Bounded<(CargoUnit, u64, Traffic), Arc<ArcMeasures>>>,
    hits: [AtomicU64; 4],
    misses: [AtomicU64; 4],
}

impl SearchCache {
    /// An empty cache for a graph of `num_arcs` arcs, with the default bounds.
    pub fn new(num_arcs: usize) -> SearchCache {
        SearchCache::with_capacity(num_arcs, METRIC_ENTRIES, RELIABILITY_ENTRIES, ROUTE_ENTRIES)
    }

    /// An empty cache keeping at most `metrics` metrics, `reliability` results and `routes`
    /// routes (each at least 1).
    pub fn with_capacity(num_arcs: usize, metrics: usize, reliability: usize, routes: usize) -> SearchCache {
        SearchCache {
            num_arcs,
            metrics: Mutex::new(Bounded::new(metrics)),
            reliability: Mutex::new(Bounded::new(reliability)),
            routes: Mutex::new(Bounded::new(routes)),
            measures: Mutex::new(Bounded::new(MEASURE_ENTRIES)),
            hits: Default::default(),
            misses: Default::default(),
        }
    }

    /// Number of arcs of the graph this cache belongs to.
    pub fn num_arcs(&self) -> usize {
        self.num_arcs
    }

    /// Hit and miss counts so far.
    pub fn stats(&self) -> CacheStats {
        let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
        CacheStats {
            metric_hits: load(&self.hits[0]),
            metric_misses: load(&self.misses[0]),
            reliability_hits: load(&self.hits[1]),
            reliability_misses: load(&self.misses[1]),
            route_hits: load(&self.hits[2]),
            route_misses: load(&self.misses[2]),
            measure_hits: load(&self.hits[3]),
            measure_misses: load(&self.misses[3]),
        }
    }

    /// The value under `key` in `map`, or `compute`'s, remembered; `slot` picks the counters.
    /// The lock is not held while computing: two threads missing the same key both compute it
    /// (the same value), rather than one waiting on the other. An error (an interrupted
    /// search) is passed on and not remembered.
    fn memo<K: Clone + Eq + Hash, V: Clone, E>(
        &self,
        slot: usize,
        map: &Mutex<Bounded<K, V>>,
        key: K,
        compute: impl FnOnce() -> Result<V, E>,
    ) -> Result<V, E> {
        if let Some(v) = lock(map).get(&key) {
            self.hits[slot].fetch_add(1, Ordering::Relaxed);
            return Ok(v);
        }
        self.misses[slot].fetch_add(1, Ordering::Relaxed);
        let v = compute()?;
        lock(map).insert(key, v.clone());
        Ok(v)
    }

    /// The metric of `req`, from the cache or computed by `compute` and remembered.
    pub(crate) fn metric(&self, req: &RouteRequest, compute: impl FnOnce() -> Metric) -> Arc<Metric> {
        let got: Result<_, std::convert::Infallible> =
            self.memo(0, &self.metrics, MetricKey::new(req), || Ok(Arc::new(compute())));
        got.unwrap_or_else(|never| match never {})
    }

    /// The arc measures for `req`'s unit and payload, from the cache or computed by `compute`
    /// and remembered.
    pub(crate) fn measures(&self, req: &RouteRequest, compute: impl FnOnce() -> ArcMeasures) -> Arc<ArcMeasures> {
        let key = (req.unit, req.payload.0.to_bits(), req.traffic);
        let got: Result<_, std::convert::Infallible> = self.memo(3, &self.measures, key, || Ok(Arc::new(compute())));
        got.unwrap_or_else(|never| match never {})
    }

    /// The reliability of `route` with `samples` and `seed`, from the cache or computed.
    pub(crate) fn reliability(
        &self,
        route: &Route,
        samples: usize,
        seed: u64,
        compute: impl FnOnce() -> Reliability,
    ) -> Reliability {
        let key = ReliabilityKey {
            arcs: route.arcs.clone(),
            depart: route.depart,
            unit: route.unit,
            payload: route.payload.0.to_bits(),
            traffic: route.traffic,
            rest_credit: route.rest_credit.0.to_bits(),
            samples,
            seed,
        };
        let got: Result<_, std::convert::Infallible> = self.memo(1, &self.reliability, key, || Ok(compute()));
        got.unwrap_or_else(|never| match never {})
    }

    /// The outcome of the static search for `req` (`None`: no route), from the cache or
    /// searched. The key is the request's `Debug` text: every field, floats in their shortest
    /// round-trip form, so no field the route depends on can be left out of the key.
    pub(crate) fn route<E>(
        &self,
        req: &RouteRequest,
        compute: impl FnOnce() -> Result<Option<Route>, E>,
    ) -> Result<Option<Route>, E> {
        self.memo(2, &self.routes, format!("{req:?}"), compute)
    }
}

/// Locks `m`; a thread that panicked while holding it left the map itself consistent (inserts
/// are single calls), so the poison is ignored rather than spread to every later request.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_forgets_the_oldest_first() {
        let mut b = Bounded::new(2);
        b.insert(1, 'a');
        b.insert(2, 'b');
        b.insert(1, 'z'); // already there: kept as it was
        b.insert(3, 'c');
        assert_eq!((b.get(&1), b.get(&2), b.get(&3)), (None, Some('b'), Some('c')));
        assert_eq!(b.map.len(), 2);
    }
}
