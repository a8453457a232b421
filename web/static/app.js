// corridor web map: queries the corridor-server API of the same origin and shows the compared
// corridors on an offline Natural Earth basemap (countries, city labels) with the network's own
// rail, road and sea lines, with the legs, reliability, trade-offs, downloads and a printable
// report of the result. Plain ES module, no build step; Leaflet is the global `L`.

import { Combobox } from './combobox.js';
import { legsCsv, download, fmt, modeOf, legTags, isMove, localTime, dayOf, countryName } from './format.js';
import { OPTIONS, emptyQuery, fromSearch, toSearch, apiParams, validate, isCoordinates, parseMapView } from './query.js';
import { buildReport } from './report.js';
import { $, el, plural, svgEl } from './dom.js';
import { api } from './api.js';

// ---------------------------------------------------------------------------------------------
// Map

const BEST_COLOR = '#222b36';
const HILITE = '#ff00aa';
const NET_STYLE = {
  rail: { color: '#6b6f76', weight: 1.4 },
  road: { color: '#b08d57', weight: 1.1 },
  sea: { color: '#7fa6c6', weight: 1.1 },
  ferry: { color: '#3d9a8c', weight: 1.3 },
};
const MARKERS = {
  border: { color: '#c77700', label: 'Border crossing' },
  gauge: { color: '#6a4fb0', label: 'Gauge change' },
  port: { color: '#1f6fa8', label: 'Port handling' },
  transfer: { color: '#55606e', label: 'Transfer / transshipment' },
  wait: { color: '#9aa5b1', label: 'Wait for departure' },
};
let map;
let routeLayer;      // every corridor's route
let bestLayer;       // the unrestricted best route
let paretoLayer;     // the selected trade-off route
let legLayer;        // the selected route's legs, one layer each (hover and focus targets)
let stopLayer;       // border, gauge-change, port and wait markers of the selected route
let markerLayer;     // origin and destination
let pickLayer;       // the point clicked on the map
let flowLayer;       // link flows of /v1/assign
let networkLayer;
let labelLayer;
let places = [];     // [lon, lat, name, country, zoom] from places.json
const corridorInfo = new Map(); // corridor id -> { id, name, color } from /v1/network
const netInfo = {      // foreign members of /v1/network
  factors: new Map(),  // emission factor id -> { id, mode, description, basis, wtw_g, ttw_g, sources }
  borders: new Map(),  // border id -> its records (one per direction)
  countries: [],       // ISO codes of the network's locations, sorted
};
const view = { autoFit: true, fitting: false, lastFit: null };

function initMap() {
  // minZoom 1.5: on a phone (390 px) a compare of Xi'an to Duisburg spans Rotterdam to Shanghai,
  // 118 degrees of longitude, which zoom 2 (1,024 px for the world) cannot fit with the padding.
  map = L.map('map', { zoomSnap: 0.25, zoomDelta: 0.5, minZoom: 1.5, maxZoom: 11, worldCopyJump: false, keyboard: true });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution('Basemap and places: Natural Earth · Network: © OpenStreetMap contributors, searoute');
  map.fitBounds([[8, -10], [66, 135]]);
  map.createPane('land').style.zIndex = 300;
  map.createPane('network').style.zIndex = 350;
  map.createPane('flows').style.zIndex = 390;
  map.createPane('legs').style.zIndex = 420;
  map.createPane('labels').style.zIndex = 440;
  map.getPane('labels').classList.add('no-events');
  map.createPane('stops').style.zIndex = 610;
  const land = L.geoJSON(null, {
    interactive: false,
    pane: 'land',
    style: { color: '#c8ccd2', weight: 0.6, fillColor: '#fbfaf6', fillOpacity: 1 },
  }).addTo(map);
  fetch('countries.geojson').then((r) => r.json()).then((g) => land.addData(g)).catch(() => {});
  networkLayer = L.geoJSON(null, {
    interactive: false,
    pane: 'network',
    style: (f) => networkStyle(f.properties),
  }).addTo(map);
  api('/v1/network').then((g) => {
    networkLayer.addData(g);
    for (const c of g.corridors || []) corridorInfo.set(c.id, c);
    for (const f of g.emission_factors || []) netInfo.factors.set(f.id, f);
    for (const b of g.borders || []) { if (!netInfo.borders.has(b.id)) netInfo.borders.set(b.id, []); netInfo.borders.get(b.id).push(b); }
    netInfo.countries = g.countries || [];
    netInfo.borderList = null;
    renderBorderChips();
    fillCorridorSelect();
    renderMapLegend();
    loadCountries(g);
    restyleNetwork();
    if (flows.data) drawFlows();
  }).catch((e) => showError(e, 'Network'));
  labelLayer = L.layerGroup().addTo(map);
  fetch('places.json').then((r) => r.json()).then((d) => { places = d.places || []; drawLabels(); }).catch(() => {});
  flowLayer = L.featureGroup();
  routeLayer = L.featureGroup().addTo(map);
  bestLayer = L.featureGroup().addTo(map);
  paretoLayer = L.featureGroup().addTo(map);
  legLayer = L.featureGroup().addTo(map);
  stopLayer = L.featureGroup().addTo(map);
  markerLayer = L.featureGroup().addTo(map);
  pickLayer = L.featureGroup().addTo(map);
  L.control.scale({ imperial: false }).addTo(map);
  const legend = L.control({ position: 'topright' });
  legend.onAdd = () => {
    const div = L.DomUtil.create('div', 'map-legend');
    div.id = 'map-legend';
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
    return div;
  };
  legend.addTo(map);
  renderMapLegend();
  const flowLegend = L.control({ position: 'bottomright' });
  flowLegend.onAdd = () => {
    const div = L.DomUtil.create('div', 'map-legend flow-legend');
    div.id = 'flow-legend';
    div.hidden = true;
    return div;
  };
  flowLegend.addTo(map);
  map.on('zoomend moveend', () => { drawLabels(); });
  map.on('zoomend', restyleNetwork);
  map.on('movestart', () => {
    view.userMove = !view.fitting && !view.restoring;
    if (view.userMove) view.autoFit = false;
  });
  // A view the user moved to is kept in the URL (map=lat,lon,zoom), so the link shows it too.
  map.on('moveend', () => {
    if (!view.userMove) return;
    const c = map.getCenter();
    state.view.map = `${c.lat.toFixed(2)},${L.Util.wrapNum(c.lng, [-180, 180], true).toFixed(2)},${map.getZoom()}`;
    syncUrl();
  });
  map.on('click', onMapClick);
  // Keyboard: Enter on the focused map offers its centre as origin or destination.
  map.getContainer().addEventListener('keydown', (ev) => {
    if (ev.key !== 'Enter' || ev.target !== map.getContainer()) return;
    ev.preventDefault();
    onMapClick({ latlng: map.getCenter() });
    map.getContainer().querySelector('.pick-popup button')?.focus();
  });
  // Re-fit when the map's box changes (leg table shown, window resized, report view) as long as
  // the user has not moved the map since the last fit.
  new ResizeObserver(() => {
    map.invalidateSize({ pan: false });
    if (view.autoFit && view.lastFit) fitTo(view.lastFit);
  }).observe($('map'));
}

/** Network lines by mode: light at continental zoom (roads hidden), fuller at regional zoom. */
function networkStyle(p) {
  const s = NET_STYLE[p.mode] || NET_STYLE.rail;
  const z = map?.getZoom() ?? 3;
  const regional = z >= 4.5;
  const f = netFilter();
  const hidden = (p.mode === 'road' && z < 5) || !f.modes.includes(p.mode) || (f.corridor && !(p.corridors || []).includes(f.corridor));
  return {
    pane: 'network',
    color: s.color,
    weight: s.weight * (z >= 6 ? 1.6 : regional ? 1.25 : 0.8),
    opacity: hidden ? 0 : regional ? 0.85 : 0.35,
    dashArray: p.straight ? '4 5' : null,
    className: `net net-${p.mode}${p.straight ? ' net-straight' : ''}`,
  };
}

/** The network lines shown: modes and one corridor (`net=rail,sea`, `net_corridor=middle`). */
function netFilter() {
  const modes = state.view.net ? state.view.net.split(',') : ['rail', 'road', 'sea', 'ferry'];
  return { modes, corridor: state.view.net_corridor || '' };
}

function restyleNetwork() { networkLayer?.setStyle((f) => networkStyle(f.properties)); }

/** City labels from Natural Earth, at the zoom the place's row asks for, without overlaps. */
function drawLabels() {
  if (!labelLayer) return;
  labelLayer.clearLayers();
  if (!places.length || !$('layer-labels')?.checked) return;
  const z = map.getZoom();
  const b = map.getBounds().pad(0.05);
  const taken = [];
  let n = 0;
  for (const [lon, lat, name, , minZoom] of places) {
    if (minZoom > z + 0.01 || !b.contains([lat, lon])) continue;
    const pt = map.latLngToContainerPoint([lat, lon]);
    const w = name.length * 6.6 + 10;
    const box = [pt.x - 3, pt.y - 8, pt.x + w, pt.y + 8];
    if (taken.some((t) => box[0] < t[2] && box[2] > t[0] && box[1] < t[3] && box[3] > t[1])) continue;
    taken.push(box);
    const span = document.createElement('span');
    span.className = `city${minZoom <= 4 ? ' major' : ''}`;
    span.textContent = name;
    L.marker([lat, lon], {
      pane: 'labels', interactive: false, keyboard: false,
      icon: L.divIcon({ className: 'city-label', html: span, iconSize: null, iconAnchor: [3, 8] }),
    }).addTo(labelLayer);
    if (++n >= 160) break;
  }
}

function renderMapLegend() {
  const box = $('map-legend');
  if (!box) return;
  const open = box.dataset.open ? box.dataset.open === 'true' : map.getSize().x >= 640;
  box.dataset.open = String(open);
  const toggle = el('button', {
    type: 'button', class: 'legend-toggle', 'aria-expanded': String(open), 'aria-controls': 'map-legend-body',
    onclick: () => { box.dataset.open = String(!open); renderMapLegend(); if (view.autoFit && view.lastFit) fitTo(view.lastFit); },
  }, open ? 'Legend ▴' : 'Legend ▾');
  const body = el('div', { id: 'map-legend-body', class: 'legend-body' });
  body.hidden = !open;
  const line = (cls, color, label) => {
    const s = el('span', { class: `lswatch ${cls}` });
    s.style.borderTopColor = color;
    return el('div', { class: 'lrow' }, s, label);
  };
  if (state.compare) {
    body.append(el('div', { class: 'lhead', text: 'Corridors' }));
    for (const c of state.compare.corridors) body.append(line('solid thick', c.color, `${c.name.split(' (')[0]}${c.route ? '' : ' (no route)'}`));
    body.append(line('dashed thick', BEST_COLOR, 'Best overall'));
  }
  // Network, stops and layer switches fold away once there are routes to read.
  const moreOpen = box.dataset.more ? box.dataset.more === 'true' : !state.compare;
  const more = el('details', { class: 'lmore', open: moreOpen });
  // Only the user's own toggles are kept (a details element also fires 'toggle' when created open).
  more.append(el('summary', { text: 'Network, stops, layers', onclick: () => { box.dataset.more = String(!more.open); } }));
  more.append(el('div', { class: 'lhead', text: 'Network (roads from zoom 5)' }));
  const f = netFilter();
  const modeGrid = el('div', { class: 'lgrid' });
  for (const m of ['rail', 'road', 'sea', 'ferry']) {
    const input = el('input', { type: 'checkbox', class: 'net-mode', value: m, checked: f.modes.includes(m), 'aria-label': `Show ${m} lines` });
    input.addEventListener('change', () => {
      const on = [...document.querySelectorAll('#map-legend input.net-mode:checked')].map((i) => i.value);
      state.view.net = on.length === 4 ? '' : on.join(',') || 'none';
      restyleNetwork();
      syncUrl();
    });
    const s2 = el('span', { class: 'lswatch solid' });
    s2.style.borderTopColor = NET_STYLE[m].color;
    modeGrid.append(el('label', { class: 'lrow check small' }, input, s2, m[0].toUpperCase() + m.slice(1)));
  }
  const corrSel = el('select', { id: 'net-corridor', class: 'net-corridor' },
    el('option', { value: '', text: 'All corridors' }), ...[...corridorInfo.values()].map((c) => el('option', { value: c.id, text: c.name.split(' (')[0] })));
  corrSel.value = f.corridor;
  corrSel.addEventListener('change', () => { state.view.net_corridor = corrSel.value; restyleNetwork(); syncUrl(); });
  more.append(modeGrid, el('label', { class: 'lrow net-corr-label', for: 'net-corridor' }, 'Lines of'), corrSel,
    line('dashed', '#6b6f76', 'Schematic (no surveyed line)'));
  more.append(el('div', { class: 'lhead', text: 'Stops (selected route)' }));
  const stops = el('div', { class: 'lgrid' });
  for (const [k, m] of Object.entries(MARKERS)) {
    const d = el('span', { class: `ldot stop-${k}` });
    d.style.background = m.color;
    stops.append(el('div', { class: 'lrow' }, d, m.label.replace(' / transshipment', '').replace(' for departure', '')));
  }
  more.append(stops);
  const layerCheck = (id, label, layer, on) => {
    const input = el('input', { type: 'checkbox', id, checked: on });
    input.addEventListener('change', () => {
      if (layer === 'labels') drawLabels();
      else if (input.checked) layer.addTo(map);
      else map.removeLayer(layer);
    });
    return el('label', { class: 'check small' }, input, ` ${label}`);
  };
  const prev = (id) => { const e = $(id); return e ? e.checked : true; };
  more.append(el('div', { class: 'lhead', text: 'Show' }), el('div', { class: 'lgrid' },
    layerCheck('layer-network', 'Network', networkLayer, prev('layer-network')),
    layerCheck('layer-labels', 'City labels', 'labels', prev('layer-labels')),
    layerCheck('layer-routes', 'All routes', routeLayer, prev('layer-routes'))));
  body.append(more);
  box.replaceChildren(toggle, body);
}

/** Fits the map to bounds, keeping them clear of the legend (top right) and the map's edges. */
function fitTo(bounds, { force = false } = {}) {
  if (!bounds?.isValid()) return;
  if (force && state.view.map) { delete state.view.map; syncUrl(); }
  if (state.view.map) return; // the link's own map view wins
  view.lastFit = bounds;
  const legend = $('map-legend');
  const size = map.getSize();
  const lw = legend && legend.dataset.open === 'true' && size.x > 500 ? legend.offsetWidth + 16 : 0;
  view.fitting = true;
  map.fitBounds(bounds, { paddingTopLeft: [24, 24], paddingBottomRight: [24 + lw, 36], animate: false, maxZoom: 8 });
  view.fitting = false;
  view.autoFit = true;
}

/** A click on the map offers its point as origin or destination, with the nearest locations. */
function onMapClick(ev) {
  const lat = ev.latlng.lat.toFixed(2), lon = L.Util.wrapNum(ev.latlng.lng, [-180, 180], true).toFixed(2);
  const coords = `${lat},${lon}`;
  const setAs = (combo, which) => el('button', {
    type: 'button', class: 'small-btn', 'data-set': which,
    onclick: () => { combo.set(coords, coords); map.closePopup(); $(which === 'from' ? 'from' : 'to').focus(); },
  }, `Set as ${which === 'from' ? 'origin' : 'destination'}`);
  const near = el('div', { class: 'nearest', text: 'Nearest network locations…' });
  const content = el('div', { class: 'pick-popup' },
    el('div', { class: 'pick-coords', text: `${lat}, ${lon}` }),
    el('div', { class: 'pick-actions' }, setAs(from, 'from'), setAs(to, 'to')), near);
  L.popup({ className: 'pick', autoPanPaddingTopLeft: [10, 10] }).setLatLng(ev.latlng).setContent(content).openOn(map);
  api(`/nearest/v1/driving/${lon},${lat}`, { number: 3 }).then((r) => {
    near.replaceChildren(el('div', { class: 'nearest-h', text: 'Nearest network locations:' }));
    for (const w of r.waypoints || []) {
      const id = w.id || w.name;
      near.append(el('div', { class: 'nearest-row' }, `${w.name} · ${fmt.int((w.distance || 0) / 1000)} km `,
        el('button', { type: 'button', class: 'link-btn', onclick: () => { from.set(id, w.name); map.closePopup(); }, 'aria-label': `Set ${w.name} as origin` }, 'origin'), ' ',
        el('button', { type: 'button', class: 'link-btn', onclick: () => { to.set(id, w.name); map.closePopup(); }, 'aria-label': `Set ${w.name} as destination` }, 'destination')));
    }
    if (!r.waypoints?.length) near.textContent = '';
  }).catch(() => { near.textContent = ''; });
}

function lineFeatures(fc) {
  return { ...fc, features: (fc?.features || []).filter((f) => f.geometry && f.geometry.type !== 'Point') };
}

// ---------------------------------------------------------------------------------------------
// State

const state = {
  query: null,         // the query of the result shown
  compare: null,       // /v1/compare answer
  best: null,          // /v1/route answer without a corridor restriction
  selected: 'best',    // 'best', a corridor id or 'pareto:<i>'
  routes: new Map(),   // corridor id -> /v1/route answer (with reliability and geometry)
  pareto: null,        // /v1/pareto answer (with geometry), or { error }
  health: null,
  view: {},            // pareto_color, view (report)
  abort: null,
  lastRun: null,       // the function to retry after a server error
};

let from, to, avoidLoc, avoidBorder;
const avoidChips = new Map(); // id -> label
const borderChips = new Map(); // border id -> label (avoid_border)

/** The query of the form. */
function formQuery() {
  const q = emptyQuery();
  q.from = from.value().trim();
  q.to = to.value().trim();
  for (const o of OPTIONS) {
    if (o.kind === 'checks') q[o.key] = [...document.querySelectorAll(`input[name="${o.key}"]:checked`)].map((i) => i.value);
    else if (o.kind === 'countries') q[o.key] = [...document.querySelectorAll('#avoid-countries input:checked')].map((i) => i.value);
    else if (o.kind === 'chips') q[o.key] = [...avoidChips.keys()];
    else if (o.kind === 'borders') q[o.key] = [...borderChips.keys()];
    else if (o.kind === 'list') q[o.key] = $(o.key).value.split(',').map((s) => s.trim()).filter(Boolean);
    else if (o.kind === 'bool') q[o.key] = $(o.key).checked;
    else q[o.key] = $(o.key).value.trim();
  }
  return q;
}

/** Puts a query into the form (the place fields keep their names when they have them). */
function fillForm(q) {
  for (const o of OPTIONS) {
    const v = q[o.key];
    if (o.kind === 'checks') for (const i of document.querySelectorAll(`input[name="${o.key}"]`)) i.checked = v.includes(i.value);
    else if (o.kind === 'countries') setCountries(v);
    else if (o.kind === 'chips') { avoidChips.clear(); for (const id of v) avoidChips.set(id, id); renderChips(); resolveChipNames(); }
    else if (o.kind === 'borders') { borderChips.clear(); for (const id of v) borderChips.set(id, id); renderBorderChips(); }
    else if (o.kind === 'list') $(o.key).value = v.join(', ');
    else if (o.kind === 'bool') $(o.key).checked = !!v;
    else if (o.kind === 'select') {
      const sel = $(o.key);
      if (o.key === 'corridor' && v && ![...sel.options].some((x) => x.value === v)) sel.append(el('option', { value: v, text: v }));
      sel.value = v;
    } else $(o.key).value = v;
  }
  updateAvoidCount();
}

function setCountries(codes) {
  const box = $('avoid-countries');
  for (const cc of codes) if (!box.querySelector(`input[value="${cc}"]`)) addCountry(cc);
  for (const i of box.querySelectorAll('input')) i.checked = codes.includes(i.value);
}

function filterCountries() {
  const q = $('country-filter').value.trim().toLowerCase();
  for (const label of $('avoid-countries').children) {
    label.hidden = !!q && !`${countryName(label.title)} ${label.title}`.toLowerCase().includes(q) && !label.querySelector('input').checked;
  }
}

function addCountry(cc) {
  const box = $('avoid-countries');
  const input = el('input', { type: 'checkbox', value: cc, name: 'avoid_country' });
  input.addEventListener('change', updateAvoidCount);
  const label = el('label', { class: 'check small', title: cc }, input, ` ${countryName(cc)} `, el('span', { class: 'cc', text: cc }));
  const after = [...box.children].find((l) => countryName(l.title) > countryName(cc));
  box.insertBefore(label, after || null);
}

function updateAvoidCount() {
  const q = formQuery();
  const n = q.avoid_mode.length + q.avoid_country.length + q.avoid_location.length + q.avoid_border.length
    + (q.avoid_gauge_changes ? 1 : 0) + (q.max_transshipments !== '' ? 1 : 0);
  $('avoid-count').textContent = n ? `(${n} set)` : '';
}

function renderChips() {
  const ul = $('avoid-loc-chips');
  ul.replaceChildren();
  for (const [id, label] of avoidChips) {
    ul.append(el('li', { class: 'chip' }, el('span', { text: label }),
      el('button', { type: 'button', class: 'chip-x', 'aria-label': `Stop avoiding ${label}`, onclick: () => { avoidChips.delete(id); renderChips(); updateAvoidCount(); $('avoid-loc').focus(); } }, '×')));
  }
  ul.hidden = avoidChips.size === 0;
  updateAvoidCount();
}

function resolveChipNames() {
  for (const id of [...avoidChips.keys()]) {
    api('/v1/locations', { q: id, limit: 1 }).then((r) => {
      const loc = r.locations?.[0];
      if (loc && avoidChips.has(id) && (loc.id.toLowerCase() === id.toLowerCase() || loc.name.toLowerCase() === id.toLowerCase())) {
        avoidChips.set(id, `${loc.name} (${loc.id})`);
        renderChips();
      }
    }).catch(() => {});
  }
}

/** The border crossings of /v1/network, one entry per id (both directions merged), by name. */
function borderList() {
  if (netInfo.borderList) return netInfo.borderList;
  const span = (vals, f) => { const lo = Math.min(...vals), hi = Math.max(...vals); return lo === hi ? f(lo) : `${f(lo)}–${f(hi)}`; };
  netInfo.borderList = [...netInfo.borders.entries()].map(([id, recs]) => {
    const pairs = new Set(recs.map((b) => `${b.from_country}|${b.to_country}`));
    const [a, b] = [recs[0].from_country, recs[0].to_country];
    const countries = pairs.size > 1 || pairs.has(`${b}|${a}`) ? `${a} ↔ ${b}` : `${a} → ${b}`;
    const hours = `mean ${span(recs.map((r) => r.hours_mean), fmt.int)} h, P90 ${span(recs.map((r) => r.hours_p90), fmt.int)} h`;
    const words = `${recs[0].name} ${id} ${a} ${b} ${countryName(a)} ${countryName(b)} ${recs[0].mode}`.toLowerCase();
    return { id, name: recs[0].name, countries, hours, mode: recs[0].mode, words };
  }).sort((x, y) => x.name.localeCompare(y.name));
  return netInfo.borderList;
}

/** Border crossings matching every word typed (name, id, country code or name), for the pick
 * list; a crossing already avoided is not offered again. */
function searchBorders(q) {
  const words = q.toLowerCase().split(/\s+/).filter(Boolean);
  const first = words[0] || '';
  return borderList().filter((b) => !borderChips.has(b.id) && words.every((w) => b.words.includes(w)))
    .sort((x, y) => Number(!x.name.toLowerCase().startsWith(first)) - Number(!y.name.toLowerCase().startsWith(first)))
    .slice(0, 12)
    .map((b) => ({ id: b.id, name: b.name, country: `${b.countries} · ${b.mode} · ${b.hours}` }));
}

/** A border crossing's label: "Alashankou–Dostyk (CN ↔ KZ)", or its id when not listed. */
function borderLabel(id) {
  const b = borderList().find((x) => x.id === id);
  return b ? `${b.name} (${b.countries})` : netInfo.borders.size ? `${id} (not a listed crossing)` : id;
}

function addBorder(id) {
  borderChips.set(id, borderLabel(id));
  renderBorderChips();
}

function renderBorderChips() {
  const ul = $('avoid-border-chips');
  ul.replaceChildren();
  for (const id of borderChips.keys()) {
    const label = borderLabel(id);
    borderChips.set(id, label);
    ul.append(el('li', { class: 'chip', title: id }, el('span', { text: label }),
      el('button', { type: 'button', class: 'chip-x', 'aria-label': `Stop avoiding ${label}`, onclick: () => { borderChips.delete(id); renderBorderChips(); $('avoid_border').focus(); } }, '×')));
  }
  ul.hidden = borderChips.size === 0;
  updateAvoidCount();
}

/** Shows the name of a place given by id (a shared link): `Xi'an (CNXIA)`, the value kept. */
async function showPlaceName(combo, value) {
  if (!value || isCoordinates(value)) return;
  try {
    const r = await api('/v1/locations', { q: value, limit: 1 });
    const loc = r.locations?.[0];
    if (loc && combo.value() === value && loc.id.toLowerCase() === value.toLowerCase()) combo.set(value, `${loc.name} (${loc.id})`);
  } catch { /* the name stays as given */ }
}

function fillCorridorSelect() {
  const sel = $('corridor');
  const current = sel.value;
  sel.replaceChildren(el('option', { value: '', text: 'Best overall' }));
  for (const c of corridorInfo.values()) sel.append(el('option', { value: c.id, text: c.name }));
  if (current && !corridorInfo.has(current)) sel.append(el('option', { value: current, text: `${current} (unknown)` }));
  sel.value = current;
}

const FIELD_OF = { from: 'from', to: 'to', avoid_location: 'avoid-loc', sources: 'table-sources', targets: 'table-targets' };

/** Marks the controls of problems (`{ key, message }`) invalid and lists them. */
function showProblems(problems, title, { warn = false } = {}) {
  for (const e of document.querySelectorAll('[aria-invalid="true"]')) e.removeAttribute('aria-invalid');
  const box = $('error');
  box.replaceChildren();
  box.classList.toggle('warn', warn);
  if (!problems.length) { box.hidden = true; return; }
  box.append(el('div', { class: 'etitle', text: title }));
  const ul = el('ul', { class: 'problems' });
  for (const p of problems) {
    const id = FIELD_OF[p.key] || p.key;
    const ctl = $(id) || document.querySelector(`[name="${p.key}"]`);
    if (ctl && !warn) ctl.setAttribute('aria-invalid', 'true');
    ul.append(el('li', {}, p.message, ctl ? el('button', { type: 'button', class: 'link-btn', onclick: () => focusControl(ctl), text: 'Change' }) : null));
  }
  box.append(ul);
  box.hidden = false;
}

function focusControl(ctl) {
  const details = ctl.closest('details');
  if (details) details.open = true;
  ctl.focus();
}

const TITLES = {
  UnknownLocation: 'Place not found',
  AmbiguousLocation: 'Which place?',
  OutsideNetwork: 'Not a location of the network',
  NoAccess: 'No terminal in reach',
  SameLocation: 'Origin and destination are the same place',
  EndpointExcluded: 'The origin or destination is avoided',
  NoRoute: 'No route',
  InvalidQuery: 'The query is not valid',
  InvalidValue: 'A value is not allowed',
  TooBig: 'The query is too big',
  Unauthorized: 'The server needs an API key',
  Overloaded: 'The server is busy',
  Timeout: 'The server ran out of time',
  ClientTimeout: 'No answer in time',
  TooComplex: 'The search is too complex for the server',
  NetworkError: 'The server cannot be reached',
  Internal: 'The server failed',
};
const NO_ROUTE_HINTS = {
  constraints: 'The avoided countries, modes, places or borders leave no way through: remove some of them.',
  outside_corridor: 'The chosen corridor does not join the two places: choose "Best overall".',
  break_of_gauge: 'Every way needs a change of rail gauge: allow gauge changes.',
  disconnected: 'The two places are not joined by the network at all.',
  too_late: 'No route arrives before the deadline: move the deadline or the departure.',
  no_departure: 'No scheduled departure fits: try another departure time.',
  resources: 'The limit on lifts is too tight: raise or clear it.',
};
const PARAM_LABEL = Object.fromEntries([['from', 'Origin'], ['to', 'Destination'], ['sources', 'Table origins'], ['targets', 'Table destinations'], ...OPTIONS.map((o) => [o.key, o.label])]);

/** Shows an API error in words, with what the user can do: suggestions, the reason, a retry. */
function showError(err, context) {
  for (const e of document.querySelectorAll('[aria-invalid="true"]')) e.removeAttribute('aria-invalid');
  const box = $('error');
  box.replaceChildren();
  box.classList.remove('warn');
  if (!err) { box.hidden = true; return; }
  const b = err.body || { code: 'Error', message: String(err.message || err) };
  const code = String(b.code || 'Error');
  const status = err.status ?? 0;
  const serverSide = status === 0 || status >= 500 || ['Overloaded', 'Timeout', 'TooComplex', 'ClientTimeout', 'NetworkError', 'Internal'].includes(code);
  const which = b.parameter === 'from' ? 'origin' : b.parameter === 'to' ? 'destination' : null;
  let title = TITLES[code] || (serverSide ? 'The server could not answer' : 'Something went wrong');
  if (code === 'UnknownLocation' && which) title = `The ${which} "${b.value ?? ''}" was not found`;
  if (code === 'AmbiguousLocation' && which) title = `Which ${which} do you mean by "${b.value ?? ''}"?`;
  box.append(el('div', { class: 'etitle', text: `${context ? `${context}: ` : ''}${title}` }));
  // The suggestions become buttons below: the message need not list them too.
  const message = readable(b.suggestions?.length ? String(b.message).replace(/;\s*did you mean[\s\S]*$/i, '.') : b.message);
  box.append(el('div', { class: 'emsg' }, message, el('span', { class: 'code', text: ` (${code}${status ? `, HTTP ${status}` : ''})` })));
  if (b.reason) box.append(el('div', { class: 'reason', text: `Why: ${readable(b.reason)}` }));
  if (code === 'NoRoute' && NO_ROUTE_HINTS[b.reason_kind]) box.append(el('div', { class: 'reason', text: NO_ROUTE_HINTS[b.reason_kind] }));
  if (code === 'NoRoute' && b.reason_kind === 'constraints') {
    box.append(el('div', { class: 'eactions' }, el('button', {
      type: 'button', id: 'clear-avoid', text: 'Clear the avoid options and compare again',
      onclick: () => {
        const q = formQuery();
        fillForm({ ...q, avoid_mode: [], avoid_country: [], avoid_location: [], avoid_border: [], avoid_gauge_changes: false, max_transshipments: '' });
        runCompare();
      },
    })));
  }
  if (b.parameter && !['from', 'to'].includes(b.parameter) && PARAM_LABEL[b.parameter]) {
    const ctl = $(FIELD_OF[b.parameter] || b.parameter) || document.querySelector(`[name="${b.parameter}"]`);
    if (ctl) {
      ctl.setAttribute('aria-invalid', 'true');
      box.append(el('div', { class: 'reason' }, `Check "${PARAM_LABEL[b.parameter]}". `, el('button', { type: 'button', class: 'link-btn', text: 'Change it', onclick: () => focusControl(ctl) })));
    }
  } else if (which) {
    $(which === 'origin' ? 'from' : 'to').setAttribute('aria-invalid', 'true');
  }
  if (['UnknownLocation', 'AmbiguousLocation'].includes(code) && !b.suggestions?.length && which) {
    box.append(el('div', { class: 'reason', text: `Type part of the name in the ${which} field for suggestions, enter coordinates as lat,lon, or click the map.` }));
  }
  if (b.suggestions?.length) {
    const field = b.parameter === 'to' ? to : b.parameter === 'from' ? from : null;
    const nearest = ['OutsideNetwork', 'NoAccess'].includes(code);
    const row = el('div', { class: 'suggestions' }, el('span', { text: nearest ? 'Nearest:' : 'Did you mean' }));
    for (const s of b.suggestions) {
      const id = /\(([^(),]+)(?:,[^()]*)?\)/.exec(s)?.[1] || s;
      row.append(el('button', {
        type: 'button', text: s,
        onclick: () => {
          if (['sources', 'targets'].includes(b.parameter)) {
            const input = $(FIELD_OF[b.parameter]);
            const list = splitNames(input.value);
            if (b.index != null && b.index < list.length) list[b.index] = id; else list.push(id);
            input.value = list.join(', ');
            runTable();
            return;
          }
          if (field) field.set(id, s.replace(/\s+\d+ km$/, ''));
          else if (b.parameter === 'avoid_location') { avoidChips.delete(b.value); avoidChips.set(id, s); renderChips(); }
          runCompare();
        },
        'aria-label': `Use ${s}${which ? ` as ${which}` : ''}`,
      }));
    }
    box.append(row);
  }
  if (serverSide && state.lastRun) {
    const retry = state.lastRun;
    box.append(el('div', { class: 'eactions' }, el('button', { type: 'button', id: 'retry', class: 'primary', onclick: () => retry(), text: 'Retry' }),
      code === 'TooComplex' ? el('span', { class: 'hint', text: ' or remove a constraint, the departure time or the deadline' }) : null));
  }
  box.hidden = false;
}

/** A server message for people: UTC timestamps as "2026-12-15 11:45 UTC", and a long list of
 * known values (`(known: a, b, ...)`) cut to its first ten. */
function readable(text) {
  return String(text ?? '')
    .replace(/(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?Z/g, '$1 $2 UTC')
    .replace(/\(known: ([^)]*)\)/, (all, list) => {
      const items = list.split(',').map((x) => x.trim());
      return items.length <= 10 ? all : `(known: ${items.slice(0, 10).join(', ')} and ${items.length - 10} more)`;
    });
}

function status(text) { $('status').textContent = text; }

function syncUrl() {
  const q = state.query ? { ...state.query, corridor: state.selected !== 'best' && !state.selected.startsWith('pareto:') ? state.selected : '' } : emptyQuery();
  const s = toSearch(q, state.view);
  history.replaceState(null, '', s ? `?${s}` : location.pathname);
}

// ---------------------------------------------------------------------------------------------
// Running a comparison

async function runCompare() {
  const q = formQuery();
  const problems = validate(q);
  if (problems.length) {
    showProblems(problems, problems.length === 1 ? 'Please check this field' : 'Please check these fields');
    const first = problems[0];
    const ctl = $(FIELD_OF[first.key] || first.key) || document.querySelector(`[name="${first.key}"]`);
    if (ctl) focusControl(ctl);
    return;
  }
  state.abort?.abort();
  const ctl = new AbortController();
  state.abort = ctl;
  state.lastRun = runCompare;
  const button = $('compare');
  button.disabled = true;
  showError(null);
  status('Comparing corridors…');
  $('results').setAttribute('aria-busy', 'true');
  try {
    const [cmp, best, pareto] = await Promise.all([
      api('/v1/compare', { ...apiParams(q, 'compare'), geometry: 'geojson' }, ctl.signal),
      api('/v1/route', { ...apiParams({ ...q, corridor: '' }, 'route'), geometry: 'geojson' }, ctl.signal),
      // The trade-off set has no search through places.
      q.via.length ? Promise.resolve({ error: { message: 'not computed for a route through places (Through)' } })
        : api('/v1/pareto', { ...apiParams(q, 'pareto'), geometry: 'geojson' }, ctl.signal).catch((e) => {
          if (e.name === 'AbortError') throw e;
          return { error: e };
        }),
    ]);
    state.query = q;
    state.compare = cmp;
    state.best = best;
    state.routes = new Map();
    state.pareto = pareto;
    state.selected = q.corridor && cmp.corridors.some((c) => c.id === q.corridor && c.route) ? q.corridor : 'best';
    // The place fields show the names the server resolved, keeping the value sent.
    for (const [combo, given, loc] of [[from, q.from, best.from], [to, q.to, best.to]]) {
      if (!isCoordinates(given) && combo.value() === given) combo.set(given, `${loc.name} (${loc.id})`);
    }
    $('results').hidden = false;
    $('legs').hidden = false;
    renderCorridors();
    renderPareto(pareto);
    drawRoutes();
    await select(state.selected, { fit: true, initial: true });
    // A link's trade-off route (trade_off=N, 1-based) is selected once the set is there.
    const tradeOff = Number(state.view.trade_off);
    if (Number.isInteger(tradeOff) && tradeOff >= 1 && tradeOff <= (pareto.routes?.length || 0)) selectPareto(tradeOff - 1);
    else delete state.view.trade_off;
    syncUrl();
    const n = cmp.corridors.filter((c) => c.route).length;
    status(`${best.from.name} → ${best.to.name}: ${n} of ${cmp.corridors.length} corridors have a route.`);
    if (state.view.view === 'report') openReport();
  } catch (e) {
    if (e.name === 'AbortError') return;
    showError(e);
    status('');
  } finally {
    if (state.abort === ctl) { button.disabled = false; $('results').removeAttribute('aria-busy'); }
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
      onclick: () => select(c.id, { fit: true }),
      onmouseenter: () => previewCorridor(c.id),
      onmouseleave: () => previewCorridor(null),
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
    select(next.dataset.corridor, { fit: true });
  };
  renderMapLegend();
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
      style: (f) => ({ color: c?.color || '#555', weight: 4, opacity: 0.85, lineCap: 'round', dashArray: f.properties.estimated ? '1 7' : null, className: `route route-${id}${f.properties.estimated ? ' estimated' : ''}` }),
      onEachFeature: (f, l) => l.bindTooltip(`${c?.name || id}: ${f.properties.from_name || f.properties.from || ''} → ${f.properties.to_name || f.properties.to || ''}`, { sticky: true }),
    });
    layer.corridorId = id;
    layer.on('click', (ev) => { L.DomEvent.stop(ev); select(id, { fit: false }); });
    routeLayer.addLayer(layer);
  }
  bestLayer.addLayer(L.geoJSON(lineFeatures(state.best.geometry), {
    style: (f) => ({ color: BEST_COLOR, weight: 3, opacity: 0.9, dashArray: f.properties.estimated ? '1 7' : '6 6', className: `route route-best${f.properties.estimated ? ' estimated' : ''}` }),
    interactive: false,
  }));
  for (const loc of [state.best.from, state.best.to]) {
    L.circleMarker([loc.lat, loc.lon], { radius: 6, color: '#fff', weight: 2, fillColor: BEST_COLOR, fillOpacity: 1, pane: 'stops' })
      .bindTooltip(loc.name, { permanent: true, direction: 'top', className: 'place-label', offset: [0, -6] })
      .addTo(markerLayer);
  }
}

/** The bounds of the selected route (all routes when the best is selected). */
function selectedBounds() {
  const b = legLayer.getBounds();
  if (state.selected === 'best') {
    const all = routeLayer.getBounds();
    if (all.isValid()) { if (b.isValid()) all.extend(b); return all; }
  }
  return b.isValid() ? b : routeLayer.getBounds();
}

function highlight() {
  routeLayer.eachLayer((layer) => {
    const on = state.selected === layer.corridorId;
    layer.setStyle({ weight: on ? 5 : 3.5, opacity: on || state.selected === 'best' ? 0.85 : 0.35 });
  });
  bestLayer.eachLayer((l) => l.setStyle({ opacity: state.selected === 'best' ? 0.95 : 0 }));
  paretoLayer.clearLayers();
  const i = paretoIndex();
  if (i !== null && state.pareto?.geometry) {
    const features = state.pareto.geometry.features.filter((f) => f.properties.route === i && f.geometry.type !== 'Point');
    paretoLayer.addLayer(L.geoJSON({ type: 'FeatureCollection', features }, {
      style: () => ({ color: '#d1495b', weight: 4, opacity: 0.95, dashArray: '8 5', className: 'route route-pareto' }),
      interactive: false,
    }));
  }
  for (const pt of document.querySelectorAll('#pareto .pt')) {
    pt.classList.toggle('sel', Number(pt.dataset.index) === i);
    pt.setAttribute('aria-pressed', String(Number(pt.dataset.index) === i));
  }
}

/** Hovering a corridor card brings its route forward and thickens it (null: back to normal). */
function previewCorridor(id) {
  if (!state.compare) return;
  if (id === null || id === 'best') { highlight(); return; }
  routeLayer.eachLayer((layer) => {
    if (layer.corridorId === id) { layer.setStyle({ weight: 7, opacity: 0.95 }); layer.bringToFront(); }
  });
}

const previewLayer = () => { if (!state.previewLayer) state.previewLayer = L.featureGroup().addTo(map); return state.previewLayer; };

/** Hovering a trade-off point draws its route thinly on the map (null: removes it). */
function previewPareto(i) {
  const layer = previewLayer();
  layer.clearLayers();
  if (i === null || !state.pareto?.geometry || paretoIndex() === i) return;
  const features = state.pareto.geometry.features.filter((f) => f.properties.route === i && f.geometry.type !== 'Point');
  layer.addLayer(L.geoJSON({ type: 'FeatureCollection', features }, {
    interactive: false,
    style: () => ({ color: HILITE, weight: 3, opacity: 0.9, dashArray: '2 4', className: 'route-preview' }),
  }));
}

/** The index of the selected trade-off route, or null when a corridor or the best is selected. */
function paretoIndex() {
  return state.selected.startsWith('pareto:') ? Number(state.selected.slice(7)) : null;
}

async function select(id, { fit = false, initial = false } = {}) {
  if (!state.compare) return;
  state.selected = id;
  if (!initial) delete state.view.trade_off;
  for (const b of document.querySelectorAll('#legend .corr')) {
    const on = b.dataset.corridor === id;
    b.setAttribute('aria-checked', String(on));
    b.tabIndex = on ? 0 : -1;
  }
  if (!id.startsWith('pareto:')) $('corridor').value = id === 'best' ? '' : id;
  highlight();
  syncUrl();
  if (id !== 'best' && !id.startsWith('pareto:') && !state.routes.has(id)) {
    renderSelected(true);
    try {
      state.routes.set(id, await api('/v1/route', { ...apiParams({ ...state.query, corridor: id }, 'route'), geometry: 'geojson' }));
    } catch (e) {
      state.lastRun = () => select(id, { fit });
      showError(e, corridorOf(id)?.name);
      return;
    }
    if (state.selected !== id) return;
  }
  renderSelected();
  drawLegs();
  if (fit) fitTo(selectedBounds(), { force: !initial });
}

function selectedRoute() {
  const i = paretoIndex();
  if (i !== null) return state.pareto.routes[i];
  return state.selected === 'best' ? state.best : state.routes.get(state.selected);
}

/** The GeoJSON features of the selected route's legs (lines and points, with `seq`). */
function selectedFeatures() {
  const i = paretoIndex();
  if (i !== null) return (state.pareto.geometry?.features || []).filter((f) => f.properties.route === i);
  const r = state.selected === 'best' ? state.best : state.routes.get(state.selected);
  return r?.geometry?.features || [];
}

function selectedName() {
  const i = paretoIndex();
  if (i !== null) return `Trade-off route ${i + 1}`;
  return state.selected === 'best' ? 'Best overall' : corridorOf(state.selected)?.name;
}

/** What kind of stop a point leg is, for its marker. */
function stopKind(leg) {
  const d = String(leg.description || '');
  if (leg.kind === 'border') return 'border';
  if (leg.kind === 'wait') return 'wait';
  if (/gauge/i.test(d)) return 'gauge';
  if (/port/i.test(d) || /sea/.test(leg.platform || '')) return 'port';
  return 'transfer';
}

/** A move leg's description without its mode (the badge shows it): "via Aktogay, ...". */
const viaText = (leg) => String(leg.description || '').replace(/^(rail|road|sea|ferry)( \d+ mm)?\s*/i, '');

function dwell(leg) {
  const h = leg.hours || 0;
  const p90 = leg.hours_p90 && leg.hours_p90 > h + 0.05 ? `, P90 ${h >= 48 ? `${fmt.days(leg.hours_p90 / 24)} d` : `${fmt.int(leg.hours_p90)} h`}` : '';
  return `${h >= 48 ? `${fmt.days(h / 24)} days` : `${fmt.days(h)} h`}${p90}`;
}

/** Draws the selected route's legs (hover targets) and its stops with their dwell. */
function drawLegs() {
  legLayer.clearLayers();
  stopLayer.clearLayers();
  const r = selectedRoute();
  if (!r) return;
  const color = state.selected === 'best' ? BEST_COLOR : paretoIndex() !== null ? '#d1495b' : corridorOf(state.selected)?.color || '#333';
  for (const f of selectedFeatures()) {
    const seq = f.properties.seq;
    const leg = r.legs[seq - 1];
    if (!leg || !f.geometry) continue;
    if (f.geometry.type === 'Point') {
      const kind = stopKind(leg);
      const [lon, lat] = f.geometry.coordinates;
      const m = L.circleMarker([lat, lon], {
        pane: 'stops', radius: kind === 'wait' ? 4 : 6, color: '#fff', weight: 1.5, fillColor: MARKERS[kind].color, fillOpacity: 1,
        className: `stop stop-${kind}`,
      });
      m.bindTooltip(`${MARKERS[kind].label}: ${leg.kind === 'border' ? leg.description.replace(/^border crossing /, '') : `${leg.to_name} — ${leg.description}`} · dwell ${dwell(leg)}`, { direction: 'top' });
      m.seq = seq;
      m.on('mouseover', () => hoverLeg(seq, true));
      m.on('mouseout', () => hoverLeg(seq, false));
      m.on('click', (ev) => { L.DomEvent.stop(ev); focusRow(seq); });
      stopLayer.addLayer(m);
    } else {
      const layer = L.geoJSON(f, {
        pane: 'legs',
        style: () => ({ color, weight: 7, opacity: 0.001, lineCap: 'round', className: `leg leg-${seq}` }),
      });
      layer.seq = seq;
      layer.baseColor = color;
      layer.bindTooltip(`Leg ${seq}: ${modeOf(leg).label} ${leg.from_name} → ${leg.to_name}, ${fmt.int(leg.km)} km, ${fmt.days(leg.hours / 24)} d`, { sticky: true });
      layer.on('mouseover', () => hoverLeg(seq, true));
      layer.on('mouseout', () => hoverLeg(seq, false));
      layer.on('click', (ev) => { L.DomEvent.stop(ev); focusRow(seq); });
      legLayer.addLayer(layer);
    }
  }
}

/** Highlights leg `seq` on the map and in the table (or clears it). */
function hoverLeg(seq, on) {
  legLayer.eachLayer((l) => {
    const hit = on && l.seq === seq;
    l.setStyle({ opacity: hit ? 0.95 : 0.001, color: hit ? HILITE : l.baseColor, weight: hit ? 8 : 7 });
    if (hit) l.bringToFront();
  });
  stopLayer.eachLayer((m) => m.setStyle({ radius: on && m.seq === seq ? 10 : (m.options.className.includes('stop-wait') ? 4 : 6) }));
  for (const tr of document.querySelectorAll('#leg-table tbody tr')) tr.classList.toggle('hl', on && Number(tr.dataset.seq) === seq);
  if (on) document.querySelector(`#leg-table tbody tr[data-seq="${seq}"]`)?.scrollIntoView({ block: 'nearest' });
}

function focusRow(seq) {
  const tr = document.querySelector(`#leg-table tbody tr[data-seq="${seq}"]`);
  if (!tr) return;
  for (const r of document.querySelectorAll('#leg-table tbody tr')) r.tabIndex = -1;
  tr.tabIndex = 0;
  tr.focus();
}

function zoomToLeg(seq) {
  let b = null;
  legLayer.eachLayer((l) => { if (l.seq === seq) b = l.getBounds(); });
  stopLayer.eachLayer((m) => { if (m.seq === seq) b = L.latLngBounds([m.getLatLng(), m.getLatLng()]); });
  if (b?.isValid()) { view.fitting = true; map.fitBounds(b.pad(0.3), { maxZoom: 8, animate: false }); view.fitting = false; view.autoFit = false; }
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
  if (!r) { status('Loading the route…'); $('route-notes').hidden = true; return; }
  const t = r.totals;
  const cell = (label, value, small) => el('div', {}, el('dt', { text: label }), el('dd', {}, value, small ? el('small', { text: ` ${small}` }) : null));
  totals.append(
    cell('Transit', fmt.days(t.days), 'days'),
    cell('Price', fmt.usd(t.usd), `per ${r.unit.toUpperCase()}`),
    cell('CO2e (WTW)', fmt.int(t.co2e_wtw_kg), 'kg'),
    cell('Distance', fmt.int(t.km), 'km'),
    cell('Borders', String(t.borders), `${t.gauge_changes} gauge ch.`),
    cell('Lifts', String(t.transshipments ?? '–'), 'transshipments'),
  );
  const notes = $('route-notes');
  notes.replaceChildren(...(r.notes || []).map((n) => el('li', { text: n })));
  if (r.legs.some((l) => l.estimated)) notes.append(el('li', { text: 'Legs marked "estimated" are truck legs from great-circle distance × a detour factor, not a measured road; they are dotted on the map.' }));
  notes.hidden = !notes.children.length;
  renderReliability(r);
  const timed = !!r.depart;
  $('times-h').textContent = timed ? 'Depart → arrive (local time)' : 'Start → end (day of trip)';
  let prevArrive = r.depart;
  r.legs.forEach((leg, i) => {
    const seq = i + 1;
    const mode = modeOf(leg);
    const tags = legTags(leg).map((tg) => el('span', { class: `tag tag-${tg.kind}`, text: tg.label }));
    const move = isMove(leg);
    const times = el('td', { class: 'times', 'data-label': timed ? 'Depart → arrive' : 'Day of trip' });
    if (timed) {
      const a = localTime(prevArrive), b = localTime(leg.arrive_local);
      times.append(...[a ? el('time', { datetime: a.iso, text: a.text }) : '–', a && b && a.zone !== b.zone ? el('span', { class: 'tz', text: ` ${a.zone}` }) : null, ' → ',
        b ? el('time', { datetime: b.iso, text: b.text }) : '–', b ? el('span', { class: 'tz', text: ` ${b.zone}` }) : null].filter((x) => x !== null));
      prevArrive = leg.arrive_local || prevArrive;
    } else {
      times.append(`${dayOf(leg.start_h)} → ${dayOf(leg.start_h + leg.hours)}`);
    }
    const tr = el('tr', { class: move ? 'move' : 'aux', title: leg.description || '', 'data-seq': String(seq), tabindex: i === 0 ? '0' : '-1' },
      el('td', { text: String(seq), 'data-label': '#' }),
      el('td', { 'data-label': 'Mode' }, el('span', { class: `mode mode-${mode.css}`, text: mode.label })),
      el('td', { text: leg.from_name, title: leg.from, 'data-label': 'From' }),
      el('td', { text: leg.to_name, title: leg.to, 'data-label': 'To' }),
      el('td', { class: 'num', text: leg.km ? fmt.int(leg.km) : '', 'data-label': 'km' }),
      el('td', { class: 'num', text: fmt.days(leg.hours / 24), 'data-label': 'Days' }),
      times,
      el('td', { class: 'num', text: fmt.int(leg.usd), 'data-label': 'USD' }),
      el('td', { class: 'num', text: fmt.int(leg.co2e_wtw_kg), 'data-label': 'kg CO2e' }),
      el('td', { class: `notes${move && !tags.length && !viaText(leg) ? ' empty' : ''}`, 'data-label': 'Notes' }, ...tags, move ? el('span', { class: 'via', text: viaText(leg) }) : el('span', { class: 'via', text: `dwell ${dwell(leg)}` }), avoidCrossingButton(leg)),
    );
    tr.addEventListener('mouseenter', () => hoverLeg(seq, true));
    tr.addEventListener('mouseleave', () => hoverLeg(seq, false));
    tr.addEventListener('focus', () => hoverLeg(seq, true));
    tr.addEventListener('blur', () => hoverLeg(seq, false));
    tr.addEventListener('click', () => { focusRow(seq); zoomToLeg(seq); });
    body.append(tr);
  });
  body.onkeydown = (ev) => {
    const rows = [...body.rows];
    const i = rows.indexOf(document.activeElement);
    if (i < 0) return;
    let j = null;
    if (ev.key === 'ArrowDown') j = Math.min(rows.length - 1, i + 1);
    else if (ev.key === 'ArrowUp') j = Math.max(0, i - 1);
    else if (ev.key === 'Home') j = 0;
    else if (ev.key === 'End') j = rows.length - 1;
    else if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); zoomToLeg(Number(rows[i].dataset.seq)); return; }
    if (j === null) return;
    ev.preventDefault();
    focusRow(Number(rows[j].dataset.seq));
  };
  const endTimes = timed ? `${localTime(r.depart)?.text ?? ''} → ${localTime(r.arrive)?.text ?? ''}` : `day 0 → ${dayOf(t.hours)}`;
  foot.append(el('tr', {},
    el('td', { class: 'fhide' }), el('td', { text: 'Total', 'data-label': '' }), el('td', { text: r.from.name, 'data-label': 'From' }), el('td', { text: r.to.name, 'data-label': 'To' }),
    el('td', { class: 'num', text: fmt.int(t.km), 'data-label': 'km' }), el('td', { class: 'num', text: fmt.days(t.days), 'data-label': 'Days' }),
    el('td', { text: endTimes, 'data-label': timed ? 'Depart → arrive' : 'Day of trip' }),
    el('td', { class: 'num', text: fmt.int(t.usd), 'data-label': 'USD' }), el('td', { class: 'num', text: fmt.int(t.co2e_wtw_kg), 'data-label': 'kg CO2e' }),
    el('td', { text: `${plural(t.borders, 'border')}, ${plural(t.gauge_changes, 'gauge change')}, ${plural(t.transshipments ?? 0, 'lift')}`, 'data-label': 'Notes' })));
  status('');
}

/** "Avoid this crossing" on a border leg: adds its border id to the avoid options and compares again. */
function avoidCrossingButton(leg) {
  if (!leg.border) return null;
  const name = borderList().find((b) => b.id === leg.border)?.name || leg.description.replace(/^border crossing /, '');
  if (borderChips.has(leg.border)) return el('span', { class: 'avoided', text: ' (avoided)' });
  return el('button', {
    type: 'button', class: 'link-btn avoid-crossing', 'data-border': leg.border, 'aria-label': `Avoid this crossing: ${name}`, title: 'Avoid this border crossing and compare again',
    onclick: (ev) => {
      ev.stopPropagation();
      addBorder(leg.border);
      $('avoid-box').open = true;
      status(`Avoiding ${name}: comparing again…`);
      runCompare();
    },
  }, 'Avoid this crossing');
}

function renderReliability(r) {
  const box = $('reliability');
  const rel = r.reliability;
  const t = r.totals;
  if (rel) {
    // P10–P50–P90 as a band with the median marked (as the price band below), P95 as a tick.
    const d = (h) => fmt.days(h / 24);
    const p10 = rel.p10_h ?? rel.p50_h;
    const max = Math.max(rel.p95_h, rel.p90_h, t.hours) * 1.05;
    const pct = (h) => `${Math.min(100, (h / max) * 100).toFixed(1)}%`;
    const bar = el('div', { class: 'rbar', role: 'img', 'aria-label': `Transit time: P10 ${d(p10)} days, P50 ${d(rel.p50_h)} days, P90 ${d(rel.p90_h)} days, P95 ${d(rel.p95_h)} days` });
    const band = el('div', { class: 'band' });
    band.style.left = pct(p10);
    band.style.width = `calc(${pct(rel.p90_h)} - ${pct(p10)})`;
    const mid = el('div', { class: 'mid' });
    mid.style.left = pct(rel.p50_h);
    const p95 = el('div', { class: 'tick', title: `P95 ${d(rel.p95_h)} days` });
    p95.style.left = pct(rel.p95_h);
    bar.append(band, mid, p95);
    const arrive = (iso) => { const a = localTime(iso); return a ? `${a.text} ${a.zone}` : null; };
    const a10 = arrive(rel.arrive_p10), a90 = arrive(rel.arrive_p90);
    box.append(
      el('div', { class: 'rtitle', text: `Transit time, days (P10–P90, median marked; ${fmt.int(rel.samples)} simulated runs)` }),
      bar,
      el('div', { class: 'rlabels' },
        el('span', { class: 'rp10', text: `P10 ${d(p10)} d` }),
        el('span', { class: 'rp50', text: `P50 ${d(rel.p50_h)} d` }),
        el('span', { class: 'rp90', text: `P90 ${d(rel.p90_h)} d` }),
        el('span', { class: 'rp95', text: `P95 ${d(rel.p95_h)} d` })),
      el('div', { class: 'rnote' }, `Buffer index ${(rel.buffer_index * 100).toFixed(0)}%${rel.missed_departure_share ? ` · missed departure in ${(rel.missed_departure_share * 100).toFixed(0)}% of runs` : ''}`,
        a10 && a90 ? el('span', { class: 'rarrive', text: ` · arrives ${a10} (P10) to ${a90} (P90), local time` })
          : a90 ? el('span', { class: 'rarrive', text: ` · arrive by ${a90} (P90)` }) : null),
    );
  }
  if (t.usd_p10 != null && t.usd_p90 != null) {
    const max = t.usd_p90 * 1.05;
    const pct = (v) => `${Math.min(100, (v / max) * 100).toFixed(1)}%`;
    const bar = el('div', { class: 'pbar', role: 'img', 'aria-label': `Price: P10 ${fmt.usd(t.usd_p10)}, median ${fmt.usd(t.usd)}, P90 ${fmt.usd(t.usd_p90)}` });
    const band = el('div', { class: 'band' });
    band.style.left = pct(t.usd_p10);
    band.style.width = `calc(${pct(t.usd_p90)} - ${pct(t.usd_p10)})`;
    const mid = el('div', { class: 'mid' });
    mid.style.left = pct(t.usd);
    bar.append(band, mid);
    box.append(el('div', { class: 'rtitle', text: `Price range per ${r.unit.toUpperCase()} (market P10–P90${t.price_basis ? `, rates observed ${t.price_basis} or later` : ''})` }), bar,
      el('div', { class: 'rlabels' },
        el('span', { text: `P10 ${fmt.usd(t.usd_p10)}` }), el('span', { text: `median ${fmt.usd(t.usd)}` }), el('span', { text: `P90 ${fmt.usd(t.usd_p90)}` })));
  }
}

const CO2_SCALE = ['#1a9850', '#91cf60', '#d9ef8b', '#fee08b', '#fc8d59', '#d73027'];

function renderPareto(res) {
  const box = $('pareto');
  box.replaceChildren();
  if (res?.error) {
    box.append(el('p', { class: 'hint', text: `No trade-off set: ${res.error.body?.message || res.error.message}` }));
    return;
  }
  const routes = res?.routes || [];
  if (!routes.length) { box.append(el('p', { class: 'hint', text: 'No routes.' })); return; }
  const by = $('pareto-color').value;
  const wide = $('pareto-card').classList.contains('wide');
  const W = Math.max(380, Math.round(box.clientWidth || 380)), H = wide ? Math.max(250, Math.min(560, Math.round(window.innerHeight - 260))) : 250;
  const L0 = 58, R0 = 12, T0 = 12, B0 = 40;
  const xs = routes.map((r) => r.totals.days), ys = routes.map((r) => r.totals.usd);
  const xLo = routes.map((r) => (r.reliability ? (r.reliability.p10_h ?? r.reliability.p50_h) / 24 : r.totals.days));
  const xHi = routes.map((r) => (r.reliability ? r.reliability.p90_h / 24 : r.totals.days));
  const yLo = routes.map((r) => r.totals.usd_p10 ?? r.totals.usd), yHi = routes.map((r) => r.totals.usd_p90 ?? r.totals.usd);
  const pad = (lo, hi) => { const d = (hi - lo) || Math.max(1, hi * 0.1); return [Math.max(0, lo - d * 0.06), hi + d * 0.06]; };
  const [x0, x1] = pad(Math.min(...xs, ...xLo), Math.max(...xs, ...xHi));
  const [y0, y1] = pad(Math.min(...ys, ...yLo), Math.max(...ys, ...yHi));
  const sx = (v) => L0 + ((v - x0) / (x1 - x0)) * (W - L0 - R0);
  const sy = (v) => H - B0 - ((v - y0) / (y1 - y0)) * (H - T0 - B0);
  const unit = routes[0].unit.toUpperCase();
  const svg = svgEl('svg', { viewBox: `0 0 ${W} ${H}`, role: 'group', 'aria-label': `Scatter of ${routes.length} trade-off routes: transit time in days against price in USD per ${unit}` });
  for (let i = 0; i <= 4; i++) {
    const gy = y0 + ((y1 - y0) * i) / 4, gx = x0 + ((x1 - x0) * i) / 4;
    svg.append(svgEl('line', { class: 'grid', x1: L0, x2: W - R0, y1: sy(gy), y2: sy(gy) }));
    svg.append(svgEl('line', { class: 'grid', x1: sx(gx), x2: sx(gx), y1: T0, y2: H - B0 }));
    const ty = svgEl('text', { x: L0 - 4, y: sy(gy) + 3, 'text-anchor': 'end' });
    ty.textContent = fmt.usdShort(gy);
    const tx = svgEl('text', { x: sx(gx), y: H - B0 + 13, 'text-anchor': 'middle' });
    tx.textContent = fmt.days(gx);
    svg.append(ty, tx);
  }
  svg.append(svgEl('line', { class: 'axis', x1: L0, x2: W - R0, y1: H - B0, y2: H - B0 }));
  svg.append(svgEl('line', { class: 'axis', x1: L0, x2: L0, y1: T0, y2: H - B0 }));
  const xl = svgEl('text', { class: 'alabel', x: (L0 + W - R0) / 2, y: H - 8, 'text-anchor': 'middle' });
  xl.textContent = 'Transit time, days (whisker: P10–P90)';
  const yl = svgEl('text', { class: 'alabel', x: 12, y: (T0 + H - B0) / 2, 'text-anchor': 'middle', transform: `rotate(-90 12 ${(T0 + H - B0) / 2})` });
  yl.textContent = `Price, USD per ${unit} (whisker: P10–P90)`;
  svg.append(xl, yl);
  // The time-price frontier (a step line through the routes not beaten on both).
  const order = routes.map((r, i) => i).sort((a, b) => xs[a] - xs[b]);
  let minY = Infinity; const front = [];
  for (const i of order) if (ys[i] < minY) { minY = ys[i]; front.push(i); }
  if (front.length > 1) {
    let d = `M${sx(xs[front[0]])},${sy(ys[front[0]])}`;
    for (const i of front.slice(1)) d += ` H${sx(xs[i])} V${sy(ys[i])}`;
    svg.append(svgEl('path', { class: 'frontier', d }));
  }
  // Colours: CO2e on a green-to-red scale, or the route's (first) corridor.
  const co2 = routes.map((r) => r.totals.co2e_wtw_kg);
  const [c0, c1] = [Math.min(...co2), Math.max(...co2)];
  const colorOf = (r) => {
    if (by === 'corridor') { const m = mainCorridor(r); return m ? (corridorInfo.get(m)?.color || '#555') : '#9aa5b1'; }
    const k = c1 > c0 ? Math.min(CO2_SCALE.length - 1, Math.floor(((r.totals.co2e_wtw_kg - c0) / (c1 - c0)) * CO2_SCALE.length)) : 0;
    return CO2_SCALE[k];
  };
  // Points at (nearly) the same spot are spread on rings around it so that each stays visible:
  // a point takes its own spot if no point placed before it is within 6 px, else the first free
  // place on rings of 7, 14, ... px (six, twelve, ... places each), checked against the points
  // already placed, moved or not.
  const pos = [];
  const free = (p) => pos.every((q) => Math.hypot(p[0] - q[0], p[1] - q[1]) >= 6);
  routes.forEach((r, i) => {
    const home = [sx(xs[i]), sy(ys[i])];
    let at = home;
    for (let ring = 1; !free(at) && ring <= 6; ring++) {
      const n = 6 * ring;
      for (let k = 0; k < n; k++) {
        const a = (2 * Math.PI * k) / n;
        const p = [home[0] + 7 * ring * Math.cos(a), home[1] + 7 * ring * Math.sin(a)];
        if (free(p)) { at = p; break; }
      }
    }
    pos.push(at);
  });
  const info = el('div', { class: 'pinfo', 'aria-live': 'polite' });
  const describe = (r) => `${fmt.days(r.totals.days)} d · ${fmt.usd(r.totals.usd)}${r.totals.usd_p10 != null ? ` (P10–P90 ${fmt.usd(r.totals.usd_p10)}–${fmt.usd(r.totals.usd_p90)})` : ''} · ${fmt.int(r.totals.co2e_wtw_kg)} kg CO2e · ${plural(r.totals.borders, 'border')}${r.corridors?.length ? ` · ${r.corridors.map((c) => corridorInfo.get(c)?.name.split(' (')[0] || c).join(', ')}` : ''}${r.reliability ? ` · P10–P90 ${fmt.days((r.reliability.p10_h ?? r.reliability.p50_h) / 24)}–${fmt.days(r.reliability.p90_h / 24)} d` : ''}`;
  routes.forEach((r, i) => {
    if (xHi[i] > xLo[i]) svg.append(svgEl('line', { class: 'whisker', x1: sx(xLo[i]), x2: sx(xHi[i]), y1: pos[i][1], y2: pos[i][1] }));
    if (yHi[i] > yLo[i]) svg.append(svgEl('line', { class: 'whisker', x1: pos[i][0], x2: pos[i][0], y1: sy(yLo[i]), y2: sy(yHi[i]) }));
  });
  routes.forEach((r, i) => {
    const c = svgEl('circle', {
      class: 'pt', cx: pos[i][0], cy: pos[i][1], r: 6, tabindex: 0, role: 'button', 'aria-pressed': 'false',
      'data-index': i, 'aria-label': `Route ${i + 1}: ${describe(r)}. Press Enter to show it on the map.`,
    });
    c.style.fill = colorOf(r);
    const title = svgEl('title');
    title.textContent = `Route ${i + 1}: ${describe(r)}`;
    c.append(title);
    const show = () => { info.textContent = `Route ${i + 1}: ${describe(r)}`; };
    c.addEventListener('mouseenter', () => { show(); previewPareto(i); });
    c.addEventListener('mouseleave', () => previewPareto(null));
    c.addEventListener('focus', show);
    c.addEventListener('click', () => { show(); selectPareto(i); });
    c.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); show(); selectPareto(i); }
    });
    svg.append(c);
  });
  const key = el('div', { class: 'pkey' });
  if (by === 'corridor') {
    key.append(el('span', { class: 'kitem', text: 'Main corridor (most km):' }));
    const ids = new Set(routes.map(mainCorridor).filter(Boolean));
    for (const id of ids) {
      const s = el('span', { class: 'kdot' });
      s.style.background = corridorInfo.get(id)?.color || '#555';
      key.append(el('span', { class: 'kitem' }, s, corridorInfo.get(id)?.name.split(' (')[0] || id));
    }
    if (routes.some((r) => !mainCorridor(r))) {
      const s = el('span', { class: 'kdot' });
      s.style.background = '#9aa5b1';
      key.append(el('span', { class: 'kitem' }, s, 'none'));
    }
  } else {
    key.append(el('span', { class: 'kitem', text: `CO2e ${fmt.int(c0)} kg` }));
    for (const c of CO2_SCALE) { const s = el('span', { class: 'kramp' }); s.style.background = c; key.append(s); }
    key.append(el('span', { class: 'kitem', text: `${fmt.int(c1)} kg` }));
  }
  box.append(svg, key, info);
  info.textContent = `${routes.length} routes; hover or Tab to a point for details, click or Enter to show it on the map.`;
  highlight();
}

/** The corridor a route runs on for the most km (from its legs' corridor tags), or null. */
function mainCorridor(r) {
  const km = new Map();
  for (const leg of r.legs || []) for (const c of leg.corridors || []) km.set(c, (km.get(c) || 0) + (leg.km || 0));
  let best = null;
  for (const [c, v] of km) if (!best || v > km.get(best)) best = c;
  return best || (r.corridors?.length === 1 ? r.corridors[0] : null);
}

function selectPareto(i) {
  state.selected = `pareto:${i}`;
  state.view.trade_off = String(i + 1);
  for (const b of document.querySelectorAll('#legend .corr')) {
    b.setAttribute('aria-checked', 'false');
    b.tabIndex = b.dataset.corridor === 'best' ? 0 : -1;
  }
  highlight();
  renderSelected();
  drawLegs();
  fitTo(selectedBounds(), { force: true });
  syncUrl();
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
  const growth = $('flows-growth').value;
  const key = `${hard ? 'hard' : 'eq'}:${growth}`;
  if (flows.cache.has(key)) return flows.cache.get(key);
  const params = { hard_capacity: hard ? 'true' : undefined, growth: growth || undefined, top: 100 };
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
  state.view.flows = on ? (hard ? 'hard' : 'equilibrium') : '';
  state.view.growth = on ? $('flows-growth').value : '';
  state.view.flows_color = on && $('flows-color').value !== 'corridor' ? $('flows-color').value : '';
  syncUrl();
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
    if (flows.errorShown) { showError(null); flows.errorShown = false; }
    drawFlows();
    renderFlowPanel();
    const wasOn = map.hasLayer(flowLayer);
    flowLayer.addTo(map);
    if (!wasOn && flowLayer.getBounds().isValid()) fitTo(flowLayer.getBounds());
    const t = data.totals;
    $('flows-status').textContent = `${data.geometry.features.length} links carry flow; ${fmt.int(t.served_teu)} of ${fmt.int(t.demand_teu)} TEU served${t.unserved_teu > 0.5 ? `, ${fmt.int(t.unserved_teu)} TEU unserved` : ''}.`;
  } catch (e) {
    if (e.name === 'AbortError') return;
    state.lastRun = updateFlows;
    flows.errorShown = true;
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
  box.replaceChildren(el('strong', { text: `Flows, 2024${flows.data.growth ? ` + ${flows.data.growth}` : ''} (${flows.hard ? 'hard capacities' : 'equilibrium'})` }));
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
// ---------------------------------------------------------------------------------------------
// Many-to-many table: /v1/table with the form's route options

const TABLE_KEYS = ['optimize', 'unit', 'payload_t', 'avoid_country', 'avoid_mode', 'avoid_location', 'avoid_border', 'value_of_time', 'carbon_price'];
const splitNames = (s) => String(s || '').split(',').map((x) => x.trim()).filter(Boolean);
const matrix = { data: null };

async function runTable() {
  const sources = splitNames($('table-sources').value), targets = splitNames($('table-targets').value);
  if (!sources.length) {
    showProblems([{ key: 'sources', message: 'Table: enter at least one origin (comma-separated names or UN/LOCODEs).' }], 'Please check this field');
    $('table-sources').focus();
    return;
  }
  const q = formQuery();
  const all = apiParams(q, 'compare');
  const params = { sources: sources.join(','), targets: targets.length ? targets.join(',') : undefined };
  for (const k of TABLE_KEYS) if (all[k] !== undefined) params[k] = all[k];
  state.view.sources = params.sources;
  state.view.targets = params.targets || '';
  syncUrl();
  $('table-status').textContent = 'Computing the table…';
  $('table-run').disabled = true;
  try {
    matrix.data = await api('/v1/table', params);
    state.lastRun = runTable;
    showError(null);
    renderTable();
    const n = matrix.data.sources.length * matrix.data.targets.length;
    const found = matrix.data.days.flat().filter((v) => v !== null).length;
    $('table-status').textContent = `${found} of ${n} cells have a route.`;
  } catch (e) {
    state.lastRun = runTable;
    showError(e, 'Table');
    $('table-status').textContent = '';
  } finally {
    $('table-run').disabled = false;
  }
}

function renderTable() {
  const d = matrix.data;
  if (!d) return;
  const metric = $('table-metric').value;
  const f = metric === 'days' ? fmt.days : metric === 'usd' ? fmt.usd : fmt.int;
  const t = $('matrix-table');
  t.tHead.replaceChildren(el('tr', {}, el('th', { scope: 'col', text: 'From \\ to' }),
    ...d.targets.map((l) => el('th', { scope: 'col', class: 'num', text: l.name, title: `${l.id}, ${countryName(l.country)}` }))));
  t.tBodies[0].replaceChildren(...d.sources.map((s, i) => el('tr', {}, el('th', { scope: 'row', text: s.name, title: `${s.id}, ${countryName(s.country)}` }),
    ...d.targets.map((tg, j) => {
      const v = d[metric][i][j];
      return el('td', { class: 'num', text: v === null ? '–' : f(v), title: v === null ? 'no route (or the same place)' : null });
    }))));
  $('matrix-wrap').hidden = false;
}

// ---------------------------------------------------------------------------------------------
// Downloads, link, report

function fileStem() {
  const q = state.query;
  return `corridor_${(state.best?.from.id || q.from)}_${(state.best?.to.id || q.to)}`.replace(/[^A-Za-z0-9_-]+/g, '_');
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

async function copyLink() {
  const msg = $('share-status');
  try {
    await navigator.clipboard.writeText(location.href);
    msg.textContent = 'Link copied: it opens this comparison with every option.';
  } catch {
    msg.textContent = `Copy this link: ${location.href}`;
  }
}

/** The printable report: the map on top, then the comparison built by report.js. */
async function openReport() {
  if (!state.compare) return;
  // Every corridor's simulated route, for the P90 column (the comparison has no simulation).
  const missing = state.compare.corridors.filter((c) => c.route && !state.routes.has(c.id));
  if (missing.length) {
    status('Preparing the report…');
    await Promise.all(missing.map((c) => api('/v1/route', { ...apiParams({ ...state.query, corridor: c.id }, 'route'), geometry: 'geojson' })
      .then((r) => state.routes.set(c.id, r)).catch(() => {})));
    status('');
  }
  state.view.view = 'report';
  syncUrl();
  $('report-body').replaceChildren(buildReport({
    query: state.query, compare: state.compare, best: state.best, routes: state.routes, health: state.health,
    corridorInfo, factors: netInfo.factors, borderLabel, url: location.href, fmt, modeOf, localTime, countryName,
    chart: document.querySelector('#pareto svg')?.cloneNode(true), chartKey: document.querySelector('#pareto .pkey')?.cloneNode(true),
  }));
  document.body.classList.add('report-mode');
  $('report').hidden = false;
  $('report').append($('report-map-slot') || el('div', { id: 'report-map-slot' }));
  // The map moves into the report (one map, printed as it is on screen).
  $('report-map-slot').append($('map'));
  $('report').insertBefore($('report-map-slot'), $('report-body'));
  map.invalidateSize({ pan: false });
  select('best', { fit: true });
  $('report-h').focus();
}

function closeReport() {
  state.view.view = '';
  document.body.classList.remove('report-mode');
  $('report').hidden = true;
  $('legs').before($('map'));
  map.invalidateSize({ pan: false });
  syncUrl();
  if (view.lastFit) fitTo(view.lastFit);
  $('report-open').focus();
}

// ---------------------------------------------------------------------------------------------
// Start

/** The network's countries (the avoidable ones), as /v1/network lists them, named in English. */
function loadCountries(network) {
  const have = new Set([...document.querySelectorAll('#avoid-countries input')].map((i) => i.value));
  for (const cc of network.countries || []) if (!have.has(cc)) addCountry(cc);
}

function init() {
  initMap();
  const search = (q, signal) => api('/v1/locations', { q, limit: 8 }, signal).then((r) => r.locations);
  from = new Combobox($('from'), $('from-list'), search);
  to = new Combobox($('to'), $('to-list'), search);
  avoidLoc = new Combobox($('avoid-loc'), $('avoid-loc-list'), search, {
    onPick: (loc) => { avoidChips.set(loc.id, `${loc.name} (${loc.id})`); renderChips(); },
  });
  avoidBorder = new Combobox($('avoid_border'), $('avoid-border-list'), async (q) => searchBorders(q), {
    onPick: (b) => addBorder(b.id), allowEmpty: true, emptyText: 'No matching border crossing',
  });
  $('query').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    delete state.view.map;
    delete state.view.trade_off;
    await runCompare();
    // On a phone the map is below the form: bring it into view with the result.
    if (state.compare && matchMedia('(max-width: 760px)').matches && $('error').hidden) $('map').scrollIntoView({ block: 'start' });
  });
  $('query').addEventListener('change', updateAvoidCount);
  $('swap').addEventListener('click', () => {
    const a = from.state(), b = to.state();
    from.set(b.id, b.text);
    to.set(a.id, a.text);
  });
  $('dl-geojson').addEventListener('click', downloadGeojson);
  $('dl-csv').addEventListener('click', downloadCsv);
  $('copy-link').addEventListener('click', copyLink);
  $('report-open').addEventListener('click', openReport);
  $('report-close').addEventListener('click', closeReport);
  $('report-print').addEventListener('click', () => window.print());
  $('pareto-color').addEventListener('change', () => {
    state.view.pareto_color = $('pareto-color').value === 'co2' ? '' : $('pareto-color').value;
    if (state.pareto) renderPareto(state.pareto);
    syncUrl();
  });
  const setWide = (on) => {
    $('pareto-card').classList.toggle('wide', on);
    $('pareto-wide').setAttribute('aria-pressed', String(on));
    $('pareto-wide').textContent = on ? 'Close large chart' : 'Enlarge chart';
    if (state.pareto) renderPareto(state.pareto);
  };
  $('pareto-wide').addEventListener('click', () => setWide(!$('pareto-card').classList.contains('wide')));
  $('pareto-card').addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape' && $('pareto-card').classList.contains('wide')) { setWide(false); $('pareto-wide').focus(); }
  });
  $('country-filter').addEventListener('input', filterCountries);
  $('country-filter').addEventListener('keydown', (ev) => { if (ev.key === 'Enter') ev.preventDefault(); });
  $('table-run').addEventListener('click', runTable);
  for (const id of ['table-sources', 'table-targets']) $(id).addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); runTable(); } });
  $('table-metric').addEventListener('change', () => {
    renderTable();
    state.view.table_metric = $('table-metric').value === 'days' ? '' : $('table-metric').value;
    syncUrl();
  });
  $('flows-on').addEventListener('change', updateFlows);
  $('flows-hard').addEventListener('change', () => { if ($('flows-on').checked) updateFlows(); });
  $('flows-growth').addEventListener('change', () => { if ($('flows-on').checked) updateFlows(); });
  $('flows-color').addEventListener('change', () => {
    if (flows.data) drawFlows();
    state.view.flows_color = $('flows-on').checked && $('flows-color').value !== 'corridor' ? $('flows-color').value : '';
    syncUrl();
  });
  api('/health').then((h) => {
    state.health = h;
    // A server started with --scenario answers a what-if network: say so where the dataset is named.
    const scenario = h.dataset.scenario ? ` · scenario ${h.dataset.scenario}` : '';
    $('dataset').textContent = `${h.dataset.name} ${h.dataset.version} · ${h.dataset.locations} locations · ${h.dataset.links} links${scenario}`;
  }).catch((e) => showError(e, 'Server'));
  // A shared link (?from=..&to=..&...) fills the form and runs its comparison.
  const { query, view: v, problems } = fromSearch(location.search);
  state.view = v;
  const mv = parseMapView(v.map);
  if (mv) {
    view.restoring = true;
    map.setView([mv.lat, mv.lon], mv.zoom, { animate: false });
    view.restoring = false;
    view.autoFit = false;
  }
  if (v.pareto_color && [...$('pareto-color').options].some((o) => o.value === v.pareto_color)) $('pareto-color').value = v.pareto_color;
  fillForm(query);
  for (const o of OPTIONS) {
    if (o.kind === 'select' && query[o.key] && $(o.key).value !== query[o.key] && o.key !== 'corridor') {
      problems.push({ key: o.key, message: `${o.label}: "${query[o.key]}" is not one of the choices; the default is used.` });
      $(o.key).value = o.def;
    }
  }
  if (query.avoid_mode.length || query.avoid_country.length || query.avoid_location.length || query.avoid_border.length || query.avoid_gauge_changes || query.max_transshipments) $('avoid-box').open = true;
  if (query.value_of_time || query.carbon_price || query.seed || query.collapse || query.samples !== '1000') $('advanced-box').open = true;
  if (query.from) from.set(query.from, query.from);
  if (query.to) to.set(query.to, query.to);
  showPlaceName(from, query.from);
  showPlaceName(to, query.to);
  // The flow layer of a link (flows=equilibrium|hard, growth=..., flows_color=utilisation).
  if (['equilibrium', 'hard'].includes(v.flows)) {
    $('flows-on').checked = true;
    $('flows-hard').checked = v.flows === 'hard';
    for (const [key, id] of [['growth', 'flows-growth'], ['flows_color', 'flows-color']]) {
      if (!v[key]) continue;
      if ([...$(id).options].some((o) => o.value === v[key])) $(id).value = v[key];
      else problems.push({ key: id, message: `${key === 'growth' ? 'Demand' : 'Colour flows by'}: "${v[key]}" is not one of the choices; the default is used.` });
    }
    updateFlows();
  } else if (v.flows) problems.push({ key: 'flows-on', message: `Flow layer: "${v.flows}" is not equilibrium or hard; the layer stays off.` });
  // The many-to-many table of a link (sources=..&targets=..&table_metric=..).
  if (v.sources) {
    $('table-sources').value = splitNames(v.sources).join(', ');
    $('table-targets').value = splitNames(v.targets).join(', ');
    if (v.table_metric && [...$('table-metric').options].some((o) => o.value === v.table_metric)) $('table-metric').value = v.table_metric;
    if (!problems.length) runTable();
  }
  if (problems.length) showProblems(problems, 'Some options of this link were not used', { warn: true });
  if (query.from && query.to) {
    if (problems.length) {
      // Run after the notice has been read: the comparison runs without the dropped values.
      const box = $('error');
      box.append(el('div', { class: 'eactions' }, el('button', { type: 'button', class: 'primary', text: 'Compare anyway', onclick: () => runCompare() })));
    } else runCompare();
  }
}

init();
