// corridor web map: queries the corridor-server API of the same origin and shows the compared
// corridors on an offline Natural Earth basemap, with the legs, reliability, trade-offs and
// downloads of the result. Plain ES module, no build step; Leaflet is the global `L`.

import { Combobox } from './combobox.js';
import { legsCsv, download, fmt, modeOf, legTags, isMove } from './format.js';

const $ = (id) => document.getElementById(id);
const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
};
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
const svgEl = (tag, attrs = {}) => {
  const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
};

/** An error answer of the API (or a network failure), with the API's error body. */
class ApiError extends Error {
  constructor(status, body) {
    super(body?.message || `HTTP ${status}`);
    this.status = status;
    this.body = body || { code: 'NetworkError', message: `HTTP ${status}` };
  }
}

/** GET an API path with query parameters; resolves to the JSON body or throws ApiError. */
async function api(path, params = {}, signal) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') qs.set(k, v);
  const url = qs.toString() ? `${path}?${qs}` : path;
  let resp;
  try {
    resp = await fetch(url, { headers: { accept: 'application/json' }, signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, { code: 'NetworkError', message: `The server did not answer (${e.message}). Is corridor serve running?` });
  }
  let body = null;
  try { body = await resp.json(); } catch { /* non-JSON error body */ }
  if (!resp.ok) throw new ApiError(resp.status, body || { code: `HTTP${resp.status}`, message: resp.statusText });
  return body;
}

// ---------------------------------------------------------------------------------------------
// Map

const BEST_COLOR = '#222b36';
let map;
let routeLayer;      // every corridor's route
let bestLayer;       // the selected route when it is the unrestricted best
let paretoLayer;     // the selected route when it is one of the trade-off (Pareto) set
let markerLayer;
let flowLayer;      // link flows of /v1/assign
const corridorInfo = new Map(); // corridor id -> { id, name, color } from /v1/network

function initMap() {
  map = L.map('map', { zoomSnap: 0.25, zoomDelta: 0.5, minZoom: 2, maxZoom: 10, worldCopyJump: false, keyboard: true });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution('Basemap: Natural Earth · Network: © OpenStreetMap contributors, searoute');
  map.fitBounds([[8, -10], [66, 135]]);
  const land = L.geoJSON(null, {
    interactive: false,
    style: { color: '#c8ccd2', weight: 0.6, fillColor: '#fbfaf6', fillOpacity: 1 },
  }).addTo(map);
  fetch('countries.geojson').then((r) => r.json()).then((g) => land.addData(g)).catch(() => {});
  const network = L.geoJSON(null, {
    interactive: false,
    style: (f) => ({ color: f.properties.mode === 'sea' || f.properties.mode === 'ferry' ? '#a9bfd3' : '#b3b7be', weight: 1, opacity: 0.8, dashArray: f.properties.mode === 'sea' || f.properties.mode === 'ferry' ? '2 4' : null }),
  }).addTo(map);
  api('/v1/network').then((g) => {
    network.addData(g);
    for (const c of g.corridors || []) corridorInfo.set(c.id, c);
    if (flows.data) drawFlows();
  }).catch(() => {});
  // Flows sit below the compared routes.
  map.createPane('flows').style.zIndex = 390;
  flowLayer = L.featureGroup();
  routeLayer = L.featureGroup().addTo(map);
  bestLayer = L.featureGroup().addTo(map);
  paretoLayer = L.featureGroup().addTo(map);
  markerLayer = L.featureGroup().addTo(map);
  L.control.layers(null, { 'Network': network, 'Corridor routes': routeLayer, 'Selected best route': bestLayer }, { position: 'topright' }).addTo(map);
  L.control.scale({ imperial: false }).addTo(map);
  const legend = L.control({ position: 'bottomleft' });
  legend.onAdd = () => {
    const div = L.DomUtil.create('div', 'map-legend');
    div.id = 'map-legend';
    div.hidden = true;
    return div;
  };
  legend.addTo(map);
  const flowLegend = L.control({ position: 'bottomright' });
  flowLegend.onAdd = () => {
    const div = L.DomUtil.create('div', 'map-legend flow-legend');
    div.id = 'flow-legend';
    div.hidden = true;
    return div;
  };
  flowLegend.addTo(map);
}

function lineFeatures(fc) {
  return { ...fc, features: (fc?.features || []).filter((f) => f.geometry && f.geometry.type !== 'Point') };
}

// ---------------------------------------------------------------------------------------------
// State

const state = {
  params: null,        // the query of the result shown
  compare: null,       // /v1/compare answer
  best: null,          // /v1/route answer without a corridor restriction
  selected: 'best',    // 'best' or a corridor id
  routes: new Map(),   // corridor id -> /v1/route answer (with reliability)
  pareto: null,        // /v1/pareto answer (with geometry), or { error }
  abort: null,
};

function formParams() {
  const p = {
    from: from.value().trim(),
    to: to.value().trim(),
    optimize: $('optimize').value,
    unit: $('unit').value,
  };
  if ($('depart').value) p.depart = $('depart').value;
  return p;
}

function showError(err, context) {
  const box = $('error');
  box.replaceChildren();
  if (!err) { box.hidden = true; return; }
  const b = err.body || { code: 'Error', message: String(err.message || err) };
  box.append(el('div', {}, el('span', { class: 'code', text: b.code }), context ? `${context}: ` : '', b.message));
  if (b.reason) box.append(el('div', { class: 'reason', text: `Why: ${b.reason}` }));
  if (b.suggestions?.length) {
    const field = b.parameter === 'to' ? to : b.parameter === 'from' ? from : null;
    const row = el('div', { class: 'suggestions' }, el('span', { text: 'Did you mean' }));
    for (const s of b.suggestions) {
      row.append(el('button', {
        type: 'button', text: s,
        onclick: () => { if (field) { field.set(/\(([^()]+)\)$/.exec(s)?.[1] || s, s); } runCompare(); },
        'aria-label': `Use ${s}${field ? ` as ${b.parameter === 'to' ? 'destination' : 'origin'}` : ''}`,
      }));
    }
    box.append(row);
  }
  box.hidden = false;
}

function status(text) { $('status').textContent = text; }

// ---------------------------------------------------------------------------------------------
// Running a comparison

async function runCompare() {
  const p = formParams();
  if (!p.from || !p.to) {
    showError({ body: { code: 'InvalidQuery', message: `Enter ${!p.from ? 'an origin' : 'a destination'}.` } });
    (!p.from ? $('from') : $('to')).focus();
    return;
  }
  state.abort?.abort();
  const ctl = new AbortController();
  state.abort = ctl;
  const button = $('compare');
  button.disabled = true;
  showError(null);
  status('Comparing corridors…');
  try {
    const [cmp, best, pareto] = await Promise.all([
      api('/v1/compare', { ...p, geometry: 'geojson' }, ctl.signal),
      api('/v1/route', { ...p, geometry: 'geojson', samples: 1000 }, ctl.signal),
      api('/v1/pareto', { ...p, samples: 500, geometry: 'geojson' }, ctl.signal).catch((e) => {
        if (e.name === 'AbortError') throw e;
        return { error: e };
      }),
    ]);
    state.params = p;
    state.compare = cmp;
    state.best = best;
    state.routes = new Map();
    state.pareto = pareto;
    state.selected = 'best';
    history.replaceState(null, '', `?${new URLSearchParams(p)}`);
    // Show the panels first: the map shrinks when the leg table appears, and the routes must be
    // fitted into the final size.
    $('results').hidden = false;
    $('legs').hidden = false;
    map.invalidateSize({ pan: false });
    renderCorridors();
    renderSelected();
    renderPareto(pareto);
    drawRoutes();
    const n = cmp.corridors.filter((c) => c.route).length;
    status(`${best.from.name} → ${best.to.name}: ${n} of ${cmp.corridors.length} corridors have a route.`);
  } catch (e) {
    if (e.name === 'AbortError') return;
    showError(e);
    status('');
  } finally {
    if (state.abort === ctl) button.disabled = false;
  }
}

function corridorOf(id) { return state.compare?.corridors.find((c) => c.id === id); }

function renderCorridors() {
  const box = $('legend');
  box.replaceChildren();
  const w = state.compare.winners || {};
  const entries = [{ id: 'best', name: 'Best overall', color: BEST_COLOR, route: state.best }, ...state.compare.corridors];
  for (const c of entries) {
    const badges = el('span', { class: 'badges' });
    if (c.id !== 'best') {
      for (const [k, label] of [['time', 'fastest'], ['cost', 'cheapest'], ['co2', 'lowest CO2e']]) {
        if (w[k] === c.id) badges.append(el('span', { class: 'badge', text: label }));
      }
    }
    const swatch = el('span', { class: 'swatch' });
    swatch.style.background = c.color;
    const t = c.route?.totals;
    const btn = el('button', {
      type: 'button', class: 'corr', role: 'radio', 'aria-checked': String(state.selected === c.id),
      'data-corridor': c.id, disabled: !c.route, tabindex: state.selected === c.id ? '0' : '-1',
      onclick: () => select(c.id),
    },
    swatch, el('span', { class: 'cname', text: c.name }), badges,
    t ? el('span', { class: 'cfig', text: `${fmt.days(t.days)} d · ${fmt.usd(t.usd)} · ${fmt.int(t.co2e_wtw_kg)} kg CO2e · ${plural(t.borders, 'border')}${c.id === 'best' && c.route.corridors?.length ? ` · ${c.route.corridors.join(', ')}` : ''}` })
      : el('span', { class: 'cerr', text: `No route: ${c.error?.message || 'not connected'}` }));
    box.append(btn);
  }
  // Arrow keys move within the radio group, as for native radio buttons.
  box.onkeydown = (ev) => {
    if (!['ArrowDown', 'ArrowUp', 'ArrowLeft', 'ArrowRight'].includes(ev.key)) return;
    const opts = [...box.querySelectorAll('.corr:not([disabled])')];
    const i = opts.indexOf(document.activeElement);
    if (i < 0) return;
    ev.preventDefault();
    const next = opts[(i + (ev.key === 'ArrowDown' || ev.key === 'ArrowRight' ? 1 : opts.length - 1)) % opts.length];
    next.focus();
    select(next.dataset.corridor);
  };
  const ml = $('map-legend');
  ml.replaceChildren(el('strong', { text: 'Corridors' }));
  for (const c of state.compare.corridors) {
    const s = el('span', { class: 'swatch' });
    s.style.background = c.color;
    ml.append(el('div', { title: c.name }, s, c.name.split(' (')[0], c.route ? '' : ' (no route)'));
  }
  ml.hidden = false;
}

function drawRoutes() {
  routeLayer.clearLayers();
  bestLayer.clearLayers();
  markerLayer.clearLayers();
  const byCorridor = new Map();
  for (const f of lineFeatures(state.compare.geometry).features) {
    const id = f.properties.corridor;
    if (!byCorridor.has(id)) byCorridor.set(id, []);
    byCorridor.get(id).push(f);
  }
  for (const [id, features] of byCorridor) {
    const c = corridorOf(id);
    const layer = L.geoJSON({ type: 'FeatureCollection', features }, {
      style: () => ({ color: c?.color || '#555', weight: 4, opacity: 0.85, lineCap: 'round', className: `route route-${id}` }),
      onEachFeature: (f, l) => l.bindTooltip(`${c?.name || id}: ${f.properties.from_name || f.properties.from || ''} → ${f.properties.to_name || f.properties.to || ''}`, { sticky: true }),
    });
    layer.corridorId = id;
    layer.on('click', () => select(id));
    routeLayer.addLayer(layer);
  }
  const best = L.geoJSON(lineFeatures(state.best.geometry), {
    style: () => ({ color: BEST_COLOR, weight: 3, opacity: 0.9, dashArray: '6 6', className: 'route route-best' }),
  });
  bestLayer.addLayer(best);
  for (const loc of [state.best.from, state.best.to]) {
    L.circleMarker([loc.lat, loc.lon], { radius: 6, color: '#fff', weight: 2, fillColor: BEST_COLOR, fillOpacity: 1 })
      .bindTooltip(loc.name, { permanent: true, direction: 'top', className: 'place-label', offset: [0, -6] })
      .addTo(markerLayer);
  }
  const bounds = routeLayer.getBounds();
  if (bestLayer.getBounds().isValid()) bounds.extend(bestLayer.getBounds());
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [30, 30] });
  highlight();
}

function highlight() {
  routeLayer.eachLayer((layer) => {
    const on = state.selected === layer.corridorId;
    layer.setStyle({ weight: on ? 6 : 3.5, opacity: on || state.selected === 'best' ? 0.9 : 0.45 });
    if (on) layer.bringToFront();
  });
  bestLayer.eachLayer((l) => l.setStyle({ opacity: state.selected === 'best' ? 0.95 : 0 }));
  paretoLayer.clearLayers();
  const i = paretoIndex();
  if (i !== null && state.pareto?.geometry) {
    const features = state.pareto.geometry.features.filter((f) => f.properties.route === i && f.geometry.type !== 'Point');
    paretoLayer.addLayer(L.geoJSON({ type: 'FeatureCollection', features }, {
      style: () => ({ color: '#d1495b', weight: 4, opacity: 0.95, dashArray: '8 5', className: 'route route-pareto' }),
    }));
  }
  for (const pt of document.querySelectorAll('#pareto .pt')) {
    pt.classList.toggle('sel', Number(pt.dataset.index) === i);
    pt.setAttribute('aria-pressed', String(Number(pt.dataset.index) === i));
  }
}

/** The index of the selected trade-off route, or null when a corridor or the best is selected. */
function paretoIndex() {
  return state.selected.startsWith('pareto:') ? Number(state.selected.slice(7)) : null;
}

async function select(id) {
  if (!state.compare) return;
  state.selected = id;
  for (const b of document.querySelectorAll('#legend .corr')) {
    const on = b.dataset.corridor === id;
    b.setAttribute('aria-checked', String(on));
    b.tabIndex = on ? 0 : -1;
  }
  highlight();
  if (id !== 'best' && !state.routes.has(id)) {
    renderSelected(true);
    try {
      state.routes.set(id, await api('/v1/route', { ...state.params, corridor: id, samples: 1000 }));
    } catch (e) {
      showError(e, corridorOf(id)?.name);
      return;
    }
    if (state.selected !== id) return;
  }
  renderSelected();
}

function selectedRoute() {
  const i = paretoIndex();
  if (i !== null) return state.pareto.routes[i];
  return state.selected === 'best' ? state.best : state.routes.get(state.selected);
}

function selectedName() {
  const i = paretoIndex();
  if (i !== null) return `Trade-off route ${i + 1}`;
  return state.selected === 'best' ? 'Best overall' : corridorOf(state.selected)?.name;
}

function renderSelected(loading = false) {
  const r = loading ? null : selectedRoute();
  const name = selectedName();
  $('selected-h').textContent = `Selected: ${name}`;
  $('legs-h').textContent = `Legs — ${name}${r ? `: ${r.from.name} → ${r.to.name}` : ''}`;
  const totals = $('totals');
  const body = $('leg-table').tBodies[0];
  const foot = $('leg-table').tFoot;
  totals.replaceChildren();
  body.replaceChildren();
  foot.replaceChildren();
  $('reliability').replaceChildren();
  if (!r) { status('Loading the route…'); return; }
  const t = r.totals;
  const cell = (label, value, small) => el('div', {}, el('dt', { text: label }), el('dd', {}, value, small ? el('small', { text: ` ${small}` }) : null));
  totals.append(
    cell('Transit', fmt.days(t.days), 'days'),
    cell('Cost', fmt.usd(t.usd), `per ${r.unit.toUpperCase()}`),
    cell('CO2e (WTW)', fmt.int(t.co2e_wtw_kg), 'kg'),
    cell('Distance', fmt.int(t.km), 'km'),
    cell('Borders', String(t.borders), `${t.gauge_changes} gauge ch.`),
    cell('Lifts', String(t.transshipments), 'transshipments'),
  );
  renderReliability(r);
  r.legs.forEach((leg, i) => {
    const mode = modeOf(leg);
    const tags = legTags(leg).map((tg) => el('span', { class: `tag tag-${tg.kind}`, text: tg.label }));
    const move = isMove(leg);
    body.append(el('tr', { class: move ? '' : 'aux', title: leg.description || '' },
      el('td', { text: String(i + 1) }),
      el('td', {}, el('span', { class: `mode mode-${mode.css}`, text: mode.label })),
      el('td', { text: leg.from_name, title: leg.from }),
      el('td', { text: leg.to_name, title: leg.to }),
      el('td', { class: 'num', text: leg.km ? fmt.int(leg.km) : '' }),
      el('td', { class: 'num', text: fmt.days(leg.hours / 24) }),
      el('td', { class: 'num', text: fmt.int(leg.usd) }),
      el('td', { class: 'num', text: fmt.int(leg.co2e_wtw_kg) }),
      el('td', { class: 'notes' }, ...tags, move ? el('span', { class: 'via', text: leg.description.replace(/^(rail|road|sea|ferry)( \d+ mm)?\s*/i, '') }) : ''),
    ));
  });
  foot.append(el('tr', {},
    el('td'), el('td', { text: 'Total' }), el('td', { text: r.from.name }), el('td', { text: r.to.name }),
    el('td', { class: 'num', text: fmt.int(t.km) }), el('td', { class: 'num', text: fmt.days(t.days) }),
    el('td', { class: 'num', text: fmt.int(t.usd) }), el('td', { class: 'num', text: fmt.int(t.co2e_wtw_kg) }),
    el('td', { text: `${plural(t.borders, 'border')}, ${plural(t.gauge_changes, 'gauge change')}, ${plural(t.transshipments, 'lift')}` })));
  status('');
}

function renderReliability(r) {
  const box = $('reliability');
  const rel = r.reliability;
  if (!rel) return;
  const max = Math.max(rel.p95_h, r.totals.hours) * 1.05;
  const pct = (h) => `${Math.min(100, (h / max) * 100).toFixed(1)}%`;
  const bar = el('div', { class: 'rbar', role: 'img', 'aria-label': `Transit time: P50 ${fmt.days(rel.p50_h / 24)} days, P90 ${fmt.days(rel.p90_h / 24)} days` });
  const p50 = el('div', { class: 'p50' });
  p50.style.width = pct(rel.p50_h);
  const p90 = el('div', { class: 'p90' });
  p90.style.left = pct(rel.p50_h);
  p90.style.width = `calc(${pct(rel.p90_h)} - ${pct(rel.p50_h)})`;
  bar.append(p50, p90);
  box.append(
    el('div', { class: 'rtitle', text: `Transit time distribution (${rel.samples} simulated runs)` }),
    bar,
    el('div', { class: 'rlabels' },
      el('span', { text: `P50 ${fmt.days(rel.p50_h / 24)} d` }),
      el('span', { text: `P90 ${fmt.days(rel.p90_h / 24)} d` }),
      el('span', { text: `P95 ${fmt.days(rel.p95_h / 24)} d` })),
    el('div', { class: 'rnote', text: `Buffer index ${(rel.buffer_index * 100).toFixed(0)}%${rel.missed_departure_share ? ` · missed departure in ${(rel.missed_departure_share * 100).toFixed(0)}% of runs` : ''}${rel.arrive_p90 ? ` · arrive by ${rel.arrive_p90} (P90)` : ''}` }),
  );
}

function renderPareto(res) {
  const box = $('pareto');
  box.replaceChildren();
  if (res?.error) {
    box.append(el('p', { class: 'hint', text: `No trade-off set: ${res.error.body?.message || res.error.message}` }));
    return;
  }
  const routes = res.routes || [];
  if (!routes.length) { box.append(el('p', { class: 'hint', text: 'No routes.' })); return; }
  const W = 360, H = 190, L0 = 52, R0 = 10, T0 = 10, B0 = 30;
  const xs = routes.map((r) => r.totals.days), ys = routes.map((r) => r.totals.usd);
  const pad = (lo, hi) => { const d = (hi - lo) || Math.max(1, hi * 0.1); return [lo - d * 0.08, hi + d * 0.08]; };
  const [x0, x1] = pad(Math.min(...xs), Math.max(...xs));
  const [y0, y1] = pad(Math.min(...ys), Math.max(...ys));
  const sx = (v) => L0 + ((v - x0) / (x1 - x0)) * (W - L0 - R0);
  const sy = (v) => H - B0 - ((v - y0) / (y1 - y0)) * (H - T0 - B0);
  const svg = svgEl('svg', { viewBox: `0 0 ${W} ${H}`, role: 'group', 'aria-label': `Time–cost trade-off of ${routes.length} Pareto-optimal routes` });
  for (let i = 0; i <= 4; i++) {
    const gy = y0 + ((y1 - y0) * i) / 4, gx = x0 + ((x1 - x0) * i) / 4;
    svg.append(svgEl('line', { class: 'grid', x1: L0, x2: W - R0, y1: sy(gy), y2: sy(gy) }));
    const ty = svgEl('text', { x: L0 - 4, y: sy(gy) + 3, 'text-anchor': 'end' });
    ty.textContent = fmt.usdShort(gy);
    const tx = svgEl('text', { x: sx(gx), y: H - B0 + 13, 'text-anchor': 'middle' });
    tx.textContent = fmt.days(gx);
    svg.append(ty, tx);
  }
  svg.append(svgEl('line', { class: 'axis', x1: L0, x2: W - R0, y1: H - B0, y2: H - B0 }));
  svg.append(svgEl('line', { class: 'axis', x1: L0, x2: L0, y1: T0, y2: H - B0 }));
  const xl = svgEl('text', { x: (L0 + W - R0) / 2, y: H - 3, 'text-anchor': 'middle' });
  xl.textContent = 'transit, days';
  const yl = svgEl('text', { x: 10, y: (T0 + H - B0) / 2, 'text-anchor': 'middle', transform: `rotate(-90 10 ${(T0 + H - B0) / 2})` });
  yl.textContent = `USD per ${routes[0].unit.toUpperCase()}`;
  svg.append(xl, yl);
  // The time-cost frontier (a step line through the routes not beaten on both).
  const order = routes.map((r, i) => i).sort((a, b) => xs[a] - xs[b]);
  let minY = Infinity; const front = [];
  for (const i of order) if (ys[i] < minY) { minY = ys[i]; front.push(i); }
  if (front.length > 1) {
    let d = `M${sx(xs[front[0]])},${sy(ys[front[0]])}`;
    for (const i of front.slice(1)) d += ` H${sx(xs[i])} V${sy(ys[i])}`;
    svg.append(svgEl('path', { class: 'frontier', d }));
  }
  const info = el('div', { class: 'pinfo', 'aria-live': 'polite' });
  const describe = (r) => `${fmt.days(r.totals.days)} d · ${fmt.usd(r.totals.usd)} · ${fmt.int(r.totals.co2e_wtw_kg)} kg CO2e · ${plural(r.totals.borders, 'border')}${r.corridors?.length ? ` · ${r.corridors.join(', ')}` : ''}${r.reliability ? ` · P90 ${fmt.days(r.reliability.p90_h / 24)} d` : ''}`;
  routes.forEach((r, i) => {
    const c = svgEl('circle', {
      class: 'pt', cx: sx(xs[i]), cy: sy(ys[i]), r: 5, tabindex: 0, role: 'button', 'aria-pressed': 'false',
      'data-index': i, 'aria-label': `Route ${i + 1}: ${describe(r)}. Press Enter to show it on the map.`,
    });
    const title = svgEl('title');
    title.textContent = describe(r);
    c.append(title);
    const show = () => { info.textContent = `Route ${i + 1}: ${describe(r)}`; };
    c.addEventListener('mouseenter', show);
    c.addEventListener('focus', show);
    c.addEventListener('click', () => { show(); selectPareto(i); });
    c.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); show(); selectPareto(i); }
    });
    svg.append(c);
  });
  box.append(svg, info);
  info.textContent = `${routes.length} routes; hover or tab to a point for details, click or Enter to show it.`;
}

function selectPareto(i) {
  state.selected = `pareto:${i}`;
  for (const b of document.querySelectorAll('#legend .corr')) {
    b.setAttribute('aria-checked', 'false');
    b.tabIndex = b.dataset.corridor === 'best' ? 0 : -1;
  }
  highlight();
  renderSelected();
}

// ---------------------------------------------------------------------------------------------
// Corridor flows: /v1/assign (2024 demand on the network with the default capacities)

const FLOW_MAX_WEIGHT = 12;      // px; the API's `width` property, capped
const FEEDER_COLOR = '#7d8793';
const NO_UTIL_COLOR = '#b3b7be';
const UTIL_BINS = [            // upper bound (exclusive), colour, label
  [0.25, '#1a9850', 'under 25%'],
  [0.5, '#91cf60', '25–50%'],
  [0.75, '#fee08b', '50–75%'],
  [0.9, '#fc8d59', '75–90%'],
  [Infinity, '#d73027', '90% and over'],
];
const flows = { data: null, hard: null, cache: new Map(), abort: null };

const utilColor = (u) => (u === undefined ? NO_UTIL_COLOR : UTIL_BINS.find(([hi]) => u < hi)[1]);
const corridorColor = (id) => (id ? corridorInfo.get(id)?.color || '#555' : FEEDER_COLOR);
const corridorName = (id) => (id === 'feeder' || !id ? 'Feeder (no corridor)' : (corridorInfo.get(id)?.name || id));
const pct = (v) => `${(v * 100).toFixed(v > 0 && v < 0.1 ? 1 : 0)}%`;

/** Highest utilisation of each link among the bottleneck rows (`link:<id> (direction)`). */
function linkUtilisation(rows) {
  const m = new Map();
  for (const r of rows) {
    const hit = /^link:(\S+)/.exec(r.element);
    if (hit) m.set(hit[1], Math.max(m.get(hit[1]) ?? 0, r.utilisation));
  }
  return m;
}

async function fetchAssign(hard) {
  const key = hard ? 'hard' : 'eq';
  if (flows.cache.has(key)) return flows.cache.get(key);
  const params = { hard_capacity: hard ? 'true' : undefined, top: 100 };
  let res;
  try {
    res = await api('/v1/assign', params, flows.abort?.signal);
  } catch (e) {
    // A server with a smaller max_results refuses top=100: ask for its default instead.
    if (e.body?.parameter !== 'top') throw e;
    res = await api('/v1/assign', { ...params, top: undefined }, flows.abort?.signal);
  }
  flows.cache.set(key, res);
  return res;
}

async function updateFlows() {
  const on = $('flows-on').checked;
  const hard = $('flows-hard').checked;
  if (!on) {
    flows.abort?.abort();
    map.removeLayer(flowLayer);
    $('flow-legend').hidden = true;
    $('flows-status').textContent = flows.data ? 'Flow layer hidden.' : '';
    return;
  }
  flows.abort?.abort();
  const ctl = new AbortController();
  flows.abort = ctl;
  const card = $('flows');
  card.setAttribute('aria-busy', 'true');
  $('flows-status').textContent = `Assigning the 2024 demand (${hard ? 'hard capacities' : 'equilibrium'})…`;
  try {
    const data = await fetchAssign(hard);
    if (flows.abort !== ctl) return;
    flows.data = data;
    flows.hard = hard;
    showError(null);
    drawFlows();
    renderFlowPanel();
    const wasOn = map.hasLayer(flowLayer);
    flowLayer.addTo(map);
    if (!wasOn && flowLayer.getBounds().isValid()) map.fitBounds(flowLayer.getBounds(), { padding: [20, 20] });
    const t = data.totals;
    $('flows-status').textContent = `${data.geometry.features.length} links carry flow; ${fmt.int(t.served_teu)} of ${fmt.int(t.demand_teu)} TEU served${t.unserved_teu > 0.5 ? `, ${fmt.int(t.unserved_teu)} TEU unserved` : ''}.`;
  } catch (e) {
    if (e.name === 'AbortError') return;
    showError(e, 'Corridor flows');
    $('flows-status').textContent = '';
  } finally {
    if (flows.abort === ctl) card.removeAttribute('aria-busy');
  }
}

function drawFlows() {
  const data = flows.data;
  if (!data) return;
  flowLayer.clearLayers();
  const by = $('flows-color').value;
  const util = linkUtilisation(data.bottlenecks);
  // Widest first, so that thin flows stay visible on top.
  const features = [...lineFeatures(data.geometry).features].sort((a, b) => (b.properties.width || 0) - (a.properties.width || 0));
  flowLayer.addLayer(L.geoJSON({ type: 'FeatureCollection', features }, {
    pane: 'flows',
    style: (f) => {
      const p = f.properties;
      const corridor = p.corridors?.[0];
      return {
        pane: 'flows',
        color: by === 'utilisation' ? utilColor(util.get(p.link)) : corridorColor(corridor),
        weight: Math.max(1, Math.min(FLOW_MAX_WEIGHT, Number(p.width) || 1)),
        opacity: 0.8,
        lineCap: 'round',
        className: `flow flow-${corridor || 'feeder'}`,
      };
    },
    onEachFeature: (f, l) => {
      const p = f.properties;
      const u = util.get(p.link);
      l.bindTooltip(`${p.from} – ${p.to} (${p.mode}): ${fmt.int(p.flow_teu_year)} TEU/year`
        + `${u !== undefined ? ` · utilisation ${pct(u)}` : ''}`
        + ` · ${p.corridors?.length ? p.corridors.map(corridorName).join(', ') : 'feeder'}`, { sticky: true });
    },
  }));
  renderFlowLegend(by);
}

function renderFlowLegend(by) {
  const box = $('flow-legend');
  box.replaceChildren(el('strong', { text: `Flows, 2024 (${flows.hard ? 'hard capacities' : 'equilibrium'})` }));
  const row = (color, label) => {
    const s = el('span', { class: 'swatch' });
    s.style.background = color;
    return el('div', {}, s, label);
  };
  if (by === 'utilisation') {
    for (const [, color, label] of UTIL_BINS) box.append(row(color, `utilisation ${label}`));
    box.append(row(NO_UTIL_COLOR, 'no capacity limit (or not listed)'));
  } else {
    for (const c of corridorInfo.values()) box.append(row(c.color, c.name.split(' (')[0]));
    box.append(row(FEEDER_COLOR, 'Feeder (no corridor)'));
  }
  const maxFlow = Math.max(0, ...flows.data.geometry.features.map((f) => f.properties.flow_teu_year || 0));
  box.append(el('div', { class: 'flow-width-note', text: `Width ∝ TEU/year (max ${fmt.int(maxFlow)}, capped at ${FLOW_MAX_WEIGHT} px)` }));
  box.hidden = !$('flows-on').checked;
}

function renderFlowPanel() {
  const d = flows.data;
  const t = d.totals;
  const cell = (label, value, small) => el('div', {}, el('dt', { text: label }), el('dd', {}, value, small ? el('small', { text: ` ${small}` }) : null));
  $('flows-totals').replaceChildren(
    cell('Demand', fmt.int(t.demand_teu), 'TEU/yr'),
    cell('Served', fmt.int(t.served_teu), t.unserved_teu > 0.5 ? `${fmt.int(t.unserved_teu)} unserved` : 'TEU/yr'),
    cell('Mean transit', fmt.days(t.mean_days), 'days'),
    cell('Queueing', fmt.int(t.delay_teu_days), 'TEU-days'),
    cell('Cost', `$${(t.usd / 1e9).toFixed(2)}bn`, 'per year'),
    cell('CO2e', fmt.int(t.co2e_t), 't/yr'),
  );
  const shares = $('flow-shares');
  shares.replaceChildren();
  for (const c of d.corridors) {
    const bar = el('span', { class: 'sharebar', 'aria-hidden': 'true' });
    bar.style.width = `${Math.max(0.5, c.share * 100).toFixed(1)}%`;
    bar.style.background = c.corridor === 'feeder' ? FEEDER_COLOR : corridorColor(c.corridor);
    shares.append(el('li', {},
      el('span', { class: 'sharename', text: corridorName(c.corridor).split(' (')[0] }),
      el('span', { class: 'sharetrack' }, bar),
      el('span', { class: 'shareval', text: pct(c.share), title: `${fmt.int(c.teu_km_year)} TEU-km/year` })));
  }
  const hard = d.method === 'hard_capacity';
  const th = (text, num, title) => el('th', { scope: 'col', class: num ? 'num' : null, text, title });
  $('bottleneck-table').tHead.replaceChildren(el('tr', {},
    th('Element'), th('Load / cap.', true, 'TEU per week'), th('Util.', true, 'load / capacity'),
    hard ? th('Shadow $', true, 'USD per TEU of weekly capacity') : th('Delay h', true, 'mean queueing delay per TEU, hours')));
  const body = $('bottleneck-table').tBodies[0];
  body.replaceChildren();
  const rows = d.bottlenecks.slice(0, 15);
  for (const r of rows) {
    body.append(el('tr', { title: r.element },
      el('td', { class: 'bname', text: r.name }),
      el('td', { class: 'num', text: `${fmt.int(r.load_teu_week)} / ${fmt.int(r.capacity_teu_week)}` }),
      el('td', { class: 'num' }, el('span', { class: 'udot', 'aria-hidden': 'true' }), pct(r.utilisation)),
      el('td', { class: 'num', text: hard ? fmt.usd(r.shadow_price_usd ?? 0) : fmt.days(r.delay_h) }),
    ));
    body.lastChild.querySelector('.udot').style.background = utilColor(r.utilisation);
  }
  $('bottlenecks-h').textContent = `Top ${rows.length} bottlenecks (${hard ? `hard capacities, ${plural(d.rounds ?? 0, 'round')}` : `equilibrium, ${plural(d.iterations ?? 0, 'iteration')}`})`;
  $('flows-body').hidden = false;
}

// ---------------------------------------------------------------------------------------------
// Downloads

function fileStem() {
  const p = state.params;
  return `corridor_${(state.best?.from.id || p.from)}_${(state.best?.to.id || p.to)}`.replace(/[^A-Za-z0-9_-]+/g, '_');
}

function downloadGeojson() {
  if (!state.compare) return;
  const fc = state.compare.geometry || { type: 'FeatureCollection', features: [] };
  download(`${fileStem()}.geojson`, 'application/geo+json', JSON.stringify(fc, null, 1));
}

function downloadCsv() {
  if (!state.compare) return;
  const rows = [];
  for (const c of state.compare.corridors) if (c.route) rows.push([c.id, c.route]);
  rows.push(['best', state.best]);
  download(`${fileStem()}.csv`, 'text/csv', legsCsv(rows));
}

// ---------------------------------------------------------------------------------------------
// Start

let from, to;

function init() {
  initMap();
  const search = (q, signal) => api('/v1/locations', { q, limit: 8 }, signal).then((r) => r.locations);
  from = new Combobox($('from'), $('from-list'), search);
  to = new Combobox($('to'), $('to-list'), search);
  $('query').addEventListener('submit', (ev) => { ev.preventDefault(); runCompare(); });
  $('swap').addEventListener('click', () => {
    const a = from.state(), b = to.state();
    from.set(b.id, b.text);
    to.set(a.id, a.text);
  });
  $('dl-geojson').addEventListener('click', downloadGeojson);
  $('dl-csv').addEventListener('click', downloadCsv);
  $('flows-on').addEventListener('change', updateFlows);
  $('flows-hard').addEventListener('change', () => { if ($('flows-on').checked) updateFlows(); });
  $('flows-color').addEventListener('change', () => { if (flows.data) drawFlows(); });
  api('/health').then((h) => {
    $('dataset').textContent = `${h.dataset.name} ${h.dataset.version} · ${h.dataset.locations} locations · ${h.dataset.links} links`;
  }).catch((e) => showError(e, 'Server'));
  // A shared link (?from=..&to=..) runs its comparison.
  const q = new URLSearchParams(location.search);
  if (q.get('from') && q.get('to')) {
    from.set(q.get('from'), q.get('from'));
    to.set(q.get('to'), q.get('to'));
    for (const k of ['optimize', 'unit', 'depart']) if (q.get(k)) $(k).value = q.get(k);
    runCompare();
  }
}

init();
