// The query of the web map: every option of the routing API (/v1/compare, /v1/route,
// /v1/pareto), read from and written to the form, checked before it is sent, and kept in the
// URL so that a link reproduces the view. Plain functions over plain objects; the DOM side is
// the form's controls, found by their id (the API's parameter name).

/** The route options, by API parameter name; `kind` says how the form holds it. */
export const OPTIONS = [
  { key: 'optimize', kind: 'select', def: 'balanced', label: 'Optimise for' },
  { key: 'corridor', kind: 'select', def: '', label: 'Show corridor' },
  { key: 'via', kind: 'list', label: 'Through' },
  { key: 'unit', kind: 'select', def: 'teu', label: 'Unit' },
  { key: 'payload_t', kind: 'number', min: 0, max: 30.5, label: 'Payload' },
  { key: 'traffic', kind: 'select', def: 'auto', label: 'Trains', values: ['auto', 'express', 'regular'] },
  { key: 'depart', kind: 'datetime', label: 'Departure' },
  { key: 'latest_arrival', kind: 'datetime', label: 'Deadline' },
  { key: 'avoid_mode', kind: 'checks', label: 'Avoided modes' },
  { key: 'avoid_country', kind: 'countries', label: 'Avoided countries' },
  { key: 'avoid_location', kind: 'chips', label: 'Avoided places' },
  { key: 'avoid_border', kind: 'borders', label: 'Avoided border crossings' },
  { key: 'max_transshipments', kind: 'integer', min: 0, max: 100, label: 'Max. lifts' },
  { key: 'avoid_gauge_changes', kind: 'bool', label: 'No change of rail gauge' },
  { key: 'value_of_time', kind: 'number', min: 0, max: 1e6, label: 'Value of time' },
  { key: 'carbon_price', kind: 'number', min: 0, max: 1e5, label: 'Carbon price' },
  { key: 'samples', kind: 'select', def: '1000', label: 'Simulation runs' },
  { key: 'seed', kind: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER, label: 'Seed' },
  { key: 'collapse', kind: 'number', min: 0, max: 1, label: 'Trade-off merge' },
];
/** View settings kept in the URL beside the query. */
export const VIEW_KEYS = ['pareto_color', 'trade_off', 'view', 'map', 'flows', 'growth', 'flows_color', 'sources', 'targets', 'table_metric', 'net', 'net_corridor'];
const MODES = ['rail', 'road', 'sea', 'ferry'];
const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

/** The parameters each endpoint takes besides from, to and the shared options. */
const SHARED = ['optimize', 'unit', 'payload_t', 'traffic', 'depart', 'latest_arrival', 'avoid_mode', 'avoid_country',
  'avoid_location', 'avoid_border', 'max_transshipments', 'avoid_gauge_changes', 'value_of_time', 'carbon_price'];
const ENDPOINT_KEYS = {
  compare: [...SHARED, 'via'],
  route: [...SHARED, 'via', 'corridor', 'samples', 'seed'],
  pareto: [...SHARED, 'samples', 'seed', 'collapse'],
};

const isList = (o) => ['checks', 'countries', 'chips', 'borders', 'list'].includes(o.kind);
const splitList = (v) => String(v ?? '').split(',').map((s) => s.trim()).filter(Boolean);

/** An empty query (every option at its default). */
export function emptyQuery() {
  const q = { from: '', to: '' };
  for (const o of OPTIONS) q[o.key] = isList(o) ? [] : o.kind === 'bool' ? false : (o.def ?? '');
  return q;
}

/**
 * The query of a URL's search string, and the problems found in it (each
 * `{ key, message }`): a bad value is dropped with a message, never half used.
 */
export function fromSearch(search) {
  const sp = new URLSearchParams(search);
  const q = emptyQuery();
  const problems = [];
  q.from = (sp.get('from') || '').trim();
  q.to = (sp.get('to') || '').trim();
  for (const o of OPTIONS) {
    const all = sp.getAll(o.key);
    if (!all.length) continue;
    const raw = all.join(',');
    if (isList(o)) {
      let items = splitList(raw);
      if (o.kind === 'checks') {
        const bad = items.filter((m) => !MODES.includes(m.toLowerCase()));
        if (bad.length) problems.push({ key: o.key, message: `${o.label}: ${bad.join(', ')} is not a mode (rail, road, sea, ferry); ignored.` });
        items = items.map((m) => m.toLowerCase()).filter((m) => MODES.includes(m));
      } else if (o.kind === 'countries') {
        const bad = items.filter((c) => !/^[A-Za-z]{2}$/.test(c));
        if (bad.length) problems.push({ key: o.key, message: `${o.label}: ${bad.join(', ')} is not a two-letter country code; ignored.` });
        items = items.filter((c) => /^[A-Za-z]{2}$/.test(c)).map((c) => c.toUpperCase());
      }
      q[o.key] = [...new Set(items)];
    } else if (o.kind === 'bool') {
      const v = raw.toLowerCase();
      if (['true', '1', ''].includes(v)) q[o.key] = true;
      else if (['false', '0'].includes(v)) q[o.key] = false;
      else problems.push({ key: o.key, message: `${o.label}: "${raw}" is not true or false; ignored.` });
    } else if (o.kind === 'datetime') {
      const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(raw.trim());
      if (!m) problems.push({ key: o.key, message: `${o.label}: "${raw}" is not a date and time (2026-12-01T08:00); ignored.` });
      else {
        q[o.key] = `${m[1]}T${m[2]}`;
        if (m[5]) problems.push({ key: o.key, message: `${o.label}: the offset ${m[5]} was dropped; the page reads ${m[1]} ${m[2]} as local time at the ${o.key === 'depart' ? 'origin' : 'destination'}.` });
      }
    } else if (o.kind === 'number' || o.kind === 'integer') {
      const msg = checkNumber(o, raw);
      if (msg) problems.push({ key: o.key, message: `${msg}; ignored.` });
      else q[o.key] = raw.trim();
    } else if (o.values && !o.values.includes(raw.trim())) {
      problems.push({ key: o.key, message: `${o.label}: "${raw}" is not ${o.values.slice(0, -1).join(', ')} or ${o.values.at(-1)}; ignored.` });
    } else {
      q[o.key] = raw.trim();
    }
  }
  const view = {};
  for (const k of VIEW_KEYS) if (sp.get(k)) view[k] = sp.get(k);
  if (view.map && !parseMapView(view.map)) {
    problems.push({ key: 'map', message: `Map view: "${view.map}" is not lat,lon,zoom (45.0,40.0,5.5); the map fits the routes instead.` });
    delete view.map;
  }
  return { query: q, view, problems };
}

/** The message for a bad number of option `o`, or null when `raw` is fine (or empty). */
export function checkNumber(o, raw) {
  const s = String(raw ?? '').trim();
  if (!s) return null;
  const n = Number(s);
  if (!Number.isFinite(n)) return `${o.label}: "${s}" is not a number`;
  if (o.kind === 'integer' && !Number.isInteger(n)) return `${o.label}: "${s}" is not a whole number`;
  if (n < o.min || n > o.max) return `${o.label}: ${s} is out of range (${o.min} to ${o.max})`;
  return null;
}

/** The URL search string of a query and view (defaults left out, lists comma-separated). */
export function toSearch(q, view = {}) {
  const sp = new URLSearchParams();
  if (q.from) sp.set('from', q.from);
  if (q.to) sp.set('to', q.to);
  for (const o of OPTIONS) {
    const v = q[o.key];
    if (isList(o)) { if (v.length) sp.set(o.key, v.join(',')); } else if (o.kind === 'bool') { if (v) sp.set(o.key, 'true'); } else if (v !== '' && v !== undefined && v !== null && v !== (o.def ?? '')) sp.set(o.key, v);
  }
  for (const k of VIEW_KEYS) if (view[k]) sp.set(k, view[k]);
  // Commas and colons are fine in a query string and keep the link readable.
  return sp.toString().replace(/%2C/gi, ',').replace(/%3A/gi, ':');
}

/** The parameters of one endpoint (`compare`, `route`, `pareto`) for a query. */
export function apiParams(q, endpoint) {
  const p = { from: q.from, to: q.to };
  for (const k of ENDPOINT_KEYS[endpoint]) {
    const o = OPTIONS.find((x) => x.key === k);
    const v = q[k];
    if (isList(o)) { if (v.length) p[k] = v.join(','); } else if (o.kind === 'bool') { if (v) p[k] = 'true'; } else if (v !== '' && v !== undefined && v !== null) p[k] = v;
  }
  return p;
}

/** Problems of a query before it is sent (each `{ key, message }`), empty when it can run. */
export function validate(q) {
  const problems = [];
  if (!q.from) problems.push({ key: 'from', message: 'Enter an origin: a place name, UN/LOCODE or lat,lon (or click the map).' });
  if (!q.to) problems.push({ key: 'to', message: 'Enter a destination: a place name, UN/LOCODE or lat,lon (or click the map).' });
  for (const k of ['from', 'to']) {
    const m = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(q[k]);
    if (m && (Math.abs(Number(m[1])) > 90 || Math.abs(Number(m[2])) > 180)) {
      problems.push({ key: k, message: `${k === 'from' ? 'Origin' : 'Destination'}: ${q[k]} is not a latitude,longitude (latitude −90 to 90, longitude −180 to 180).` });
    }
  }
  for (const o of OPTIONS) {
    if (o.kind !== 'number' && o.kind !== 'integer') continue;
    const msg = checkNumber(o, q[o.key]);
    if (msg) problems.push({ key: o.key, message: `${msg}.` });
  }
  for (const k of ['depart', 'latest_arrival']) {
    if (q[k] && !LOCAL_TIME.test(q[k])) problems.push({ key: k, message: `${k === 'depart' ? 'Departure' : 'Deadline'}: enter a date and a time.` });
  }
  if (q.via.length > 8) problems.push({ key: 'via', message: `Through: at most 8 places (${q.via.length} given).` });
  const whole = [['depart', 'a departure time'], ['latest_arrival', 'a deadline'], ['max_transshipments', 'a lift limit'], ['avoid_gauge_changes', 'no change of gauge']]
    .filter(([k]) => (k === 'avoid_gauge_changes' ? q[k] : q[k] !== '' && q[k] !== undefined));
  if (q.via.length && whole.length) {
    problems.push({ key: 'via', message: `Through: a route through places is searched stretch by stretch, so it cannot keep ${whole.map(([, w]) => w).join(' or ')}; clear one of them.` });
  }
  if (q.latest_arrival && !q.depart) problems.push({ key: 'latest_arrival', message: 'A deadline needs a departure time: enter one, or clear the deadline.' });
  else if (q.latest_arrival && q.depart && q.latest_arrival <= q.depart) problems.push({ key: 'latest_arrival', message: 'The deadline is before the departure.' });
  return problems;
}

/** Whether text is a coordinate pair `lat,lon`. */
export const isCoordinates = (s) => /^\s*-?\d+(\.\d+)?\s*,\s*-?\d+(\.\d+)?\s*$/.test(s || '');

/** The map view of the URL (`lat,lon,zoom`) as numbers, or null when it is not one. */
export function parseMapView(s) {
  const m = /^(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?),(\d+(?:\.\d+)?)$/.exec(String(s || '').trim());
  if (!m) return null;
  const [lat, lon, zoom] = m.slice(1).map(Number);
  return Math.abs(lat) <= 85 && Math.abs(lon) <= 180 && zoom >= 2 && zoom <= 11 ? { lat, lon, zoom } : null;
}
