//! Shared server state: the dataset currently served (swapped atomically on reload), the
//! configuration, the concurrency limiter and the metrics.
//!
//! Each request takes a snapshot (`Arc<LoadedDataset>`) of the current dataset at its start
//! and works on it to the end, so a reload never changes data under a running search: requests
//! in flight finish on the old dataset, which is freed when the last of them drops it.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use arc_swap::ArcSwap;
use corridor_io::{DatasetFiles, Diagnostic, Severity};
use corridor_model::{Graph, LocationIndex, Network};
use corridor_routing::Resolver;
use corridor_search::SearchCache;
use tokio::sync::{Mutex, Semaphore};

use crate::Error;
use crate::config::ServerConfig;
use crate::metrics::Metrics;

self_cell::self_cell!(
    /// The network and the place resolver built over it (which borrows it).
    struct Core {
        owner: Network,
        #[covariant]
        dependent: Resolver,
    }
);

/// A dataset ready to serve: the network, its compiled graph, its location index and its place
/// resolver, built once per load and shared read-only by all requests.
pub struct LoadedDataset {
    core: Core,
    /// The compiled state-expanded graph of the network.
    pub graph: Graph,
    /// Name lookup over the network's locations (`/v1/locations`).
    pub index: LocationIndex,
    /// Where it came from (a directory, or `<embedded eurasia>`).
    pub origin: String,
    /// Load time, seconds since the Unix epoch.
    pub loaded_at: u64,
    /// Warnings the loader reported.
    pub warnings: Vec<Diagnostic>,
    /// Metrics and reliability results memoised for routes on this network (a reload starts
    /// an empty one with the new dataset).
    pub cache: SearchCache,
    /// The scenario applied to the network (`corridor serve --scenario`): its name and file
    /// name, `"Rasht–Astara railway" (rasht_astara.toml)`.
    pub scenario: Option<String>,
}

impl std::fmt::Debug for LoadedDataset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoadedDataset")
            .field("name", &self.network().info.name)
            .field("version", &self.network().info.version)
            .field("locations", &self.network().locations.len())
            .field("links", &self.network().links.len())
            .field("origin", &self.origin)
            .field("loaded_at", &self.loaded_at)
            .field("warnings", &self.warnings.len())
            .finish_non_exhaustive()
    }
}

/// Why a dataset could not be loaded: every problem found.
#[derive(Debug, Clone)]
pub struct LoadFailure {
    /// Where the dataset was read from.
    pub origin: String,
    /// The problems, errors first. A directory that cannot be read gives one diagnostic.
    pub diagnostics: Vec<Diagnostic>,
}

impl LoadFailure {
    /// Number of errors (as opposed to warnings).
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Error).count()
    }
}

impl LoadedDataset {
    /// Reads, validates and compiles a dataset: the directory `dir`, or the embedded dataset.
    pub fn load(dir: Option<&PathBuf>) -> Result<LoadedDataset, LoadFailure> {
        Self::load_with(dir, None)
    }

    /// [`LoadedDataset::load`] with a scenario TOML applied to the network
    /// ([`corridor_analytics::apply_for_routing`]), named in [`LoadedDataset::scenario`].
    pub fn load_with(dir: Option<&PathBuf>, scenario: Option<&PathBuf>) -> Result<LoadedDataset, LoadFailure> {
        let files = match dir {
            Some(d) => DatasetFiles::from_dir(d).map_err(|e| LoadFailure {
                origin: d.display().to_string(),
                diagnostics: vec![Diagnostic::error("(dataset directory)", None, None, e.to_string())],
            })?,
            None => DatasetFiles::embedded(),
        };
        let Some(path) = scenario else { return Self::from_files(&files) };
        let loaded = corridor_io::load(&files)
            .map_err(|diagnostics| LoadFailure { origin: files.origin.clone(), diagnostics })?;
        let failure = |message: String| LoadFailure {
            origin: files.origin.clone(),
            diagnostics: vec![Diagnostic::error(&path.display().to_string(), None, None, message)],
        };
        let text = corridor_io::files::read_text(path, corridor_io::files::MAX_TEXT_BYTES)
            .map_err(|e| failure(format!("scenario: {e}")))?;
        let sc = corridor_analytics::Scenario::parse(&text).map_err(|e| failure(e.to_string()))?;
        let network =
            corridor_analytics::apply_for_routing(&loaded.network, &sc).map_err(|e| failure(e.to_string()))?;
        let mut out = Self::from_network(network, files.origin.clone(), loaded.warnings);
        // The file's name, not its path: /health needs no key (as the dataset's origin).
        let file = path.file_name().map_or_else(|| "scenario".into(), |n| n.to_string_lossy().into_owned());
        out.scenario = Some(format!("\"{}\" ({file})", sc.display_name()));
        Ok(out)
    }

    /// Validates and compiles a dataset from its files.
    pub fn from_files(files: &DatasetFiles) -> Result<LoadedDataset, LoadFailure> {
        let loaded = corridor_io::load(files)
            .map_err(|diagnostics| LoadFailure { origin: files.origin.clone(), diagnostics })?;
        Ok(Self::from_network(loaded.network, files.origin.clone(), loaded.warnings))
    }

    /// Compiles and indexes an already validated network, and builds its place resolver (the
    /// embedded place index is opened on the first load and shared by all datasets).
    pub fn from_network(network: Network, origin: String, warnings: Vec<Diagnostic>) -> LoadedDataset {
        let graph = Graph::compile(&network);
        let index = LocationIndex::new(&network.locations);
        let loaded_at = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let core = Core::new(network, |net| Resolver::new(net));
        let cache = SearchCache::new(graph.num_arcs());
        LoadedDataset { core, graph, index, origin, loaded_at, warnings, cache, scenario: None }
    }

    /// The validated network (the corridor core).
    pub fn network(&self) -> &Network {
        self.core.borrow_owner()
    }

    /// Resolves what a person typed (code, name in any script, `Name, CC`, `lat,lon`) to a
    /// location of [`network`](Self::network) or a place outside it.
    pub fn resolver(&self) -> &Resolver<'_> {
        self.core.borrow_dependent()
    }
}

/// The state every handler sees. Cheap to clone (all fields are shared).
#[derive(Clone)]
pub struct AppState {
    data: Arc<ArcSwap<LoadedDataset>>,
    /// The configuration the server was started with.
    pub config: Arc<ServerConfig>,
    /// Request and reload counters.
    pub metrics: Arc<Metrics>,
    limiter: Arc<Semaphore>,
    reload_lock: Arc<Mutex<()>>,
}

/// What a reload did.
#[derive(Debug, Clone)]
pub enum ReloadOutcome {
    /// The new dataset is being served; warnings from loading it.
    Reloaded {
        /// Warnings of the new dataset.
        warnings: Vec<Diagnostic>,
    },
    /// The new dataset was rejected; the previous one keeps serving.
    Rejected(LoadFailure),
}

impl AppState {
    /// Loads the configured dataset and builds the state.
    pub fn new(config: ServerConfig) -> Result<AppState, Error> {
        config.limits.check().map_err(Error::Config)?;
        let data =
            LoadedDataset::load_with(config.data_dir.as_ref(), config.scenario.as_ref()).map_err(Error::Dataset)?;
        Ok(Self::with_dataset(config, data))
    }

    /// Builds the state around an already loaded dataset (used by tests and embedders).
    pub fn with_dataset(config: ServerConfig, data: LoadedDataset) -> AppState {
        let permits = config.limits.max_concurrent;
        AppState {
            data: Arc::new(ArcSwap::from_pointee(data)),
            config: Arc::new(config),
            metrics: Arc::new(Metrics::default()),
            limiter: Arc::new(Semaphore::new(permits)),
            reload_lock: Arc::new(Mutex::new(())),
        }
    }

    /// A snapshot of the dataset being served now. Hold it for the whole request.
    pub fn dataset(&self) -> Arc<LoadedDataset> {
        self.data.load_full()
    }

    /// The semaphore bounding concurrent work; one permit per request being worked on.
    /// Exposed so that tests and embedders can see (or occupy) the slots.
    pub fn limiter(&self) -> &Arc<Semaphore> {
        &self.limiter
    }

    /// Reloads the configured dataset (directory or embedded) next to the current one and
    /// swaps it in if it is valid; otherwise logs the problems and keeps the current one.
    /// Concurrent reloads run one after the other.
    pub async fn reload(&self) -> ReloadOutcome {
        let _guard = self.reload_lock.lock().await;
        let (dir, scenario) = (self.config.data_dir.clone(), self.config.scenario.clone());
        let timeout = self.config.limits.reload_timeout;
        let loading = tokio::task::spawn_blocking(move || LoadedDataset::load_with(dir.as_ref(), scenario.as_ref()));
        let Ok(loaded) = tokio::time::timeout(timeout, loading).await else {
            tracing::error!(?timeout, "dataset reload timed out; abandoned, still serving the previous dataset");
            let outcome = ReloadOutcome::Rejected(LoadFailure {
                origin: self.dataset().origin.clone(),
                diagnostics: vec![Diagnostic::error(
                    "(reload)",
                    None,
                    None,
                    format!("the dataset did not load within {timeout:?}; the reload was abandoned"),
                )],
            });
            self.metrics.record_reload(false);
            return outcome;
        };
        let outcome = match loaded {
            Ok(Ok(new)) => {
                let warnings = new.warnings.clone();
                tracing::info!(
                    origin = %new.origin,
                    name = %new.network().info.name,
                    version = %new.network().info.version,
                    locations = new.network().locations.len(),
                    links = new.network().links.len(),
                    warnings = warnings.len(),
                    "dataset reloaded"
                );
                self.data.store(Arc::new(new));
                ReloadOutcome::Reloaded { warnings }
            }
            Ok(Err(failure)) => {
                let first = failure.diagnostics.first().map(ToString::to_string).unwrap_or_default();
                tracing::error!(
                    origin = %failure.origin,
                    errors = failure.errors(),
                    first = %first,
                    "dataset reload rejected; still serving the previous dataset"
                );
                ReloadOutcome::Rejected(failure)
            }
            Err(join) => {
                tracing::error!(error = %join, "dataset reload panicked; still serving the previous dataset");
                ReloadOutcome::Rejected(LoadFailure {
                    origin: self.dataset().origin.clone(),
                    diagnostics: vec![Diagnostic::error("(reload)", None, None, format!("loader panicked: {join}"))],
                })
            }
        };
        self.metrics.record_reload(matches!(outcome, ReloadOutcome::Reloaded { .. }));
        outcome
    }
}
