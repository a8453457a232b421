// The printable report of a comparison: the query, every corridor side by side, each
// corridor's legs, the CO2e per ISO 14083 with the emission factors the legs used, the
// sources and the dataset version. Built from the answers the page already holds; printed by
// the browser (print CSS in app.css), so "Save as PDF" gives the PDF.

import { el } from './dom.js';

const OPTION_WORDS = {
  optimize: { balanced: 'balanced (generalised cost)', time: 'time', cost: 'price', co2: 'CO2e', p90: 'reliable time (P90)' },
};

/**
 * The report's DOM. `ctx` holds the page's answers (query, compare, best, routes, health,
 * corridorInfo, url) and its helpers (fmt, modeOf, localTime, countryName).
 */
export function buildReport(ctx) {
  const { query: q, compare, best, routes, health, url, fmt, modeOf, localTime, countryName } = ctx;
  const out = el('div', { class: 'report-content' });
  const unit = best.unit.toUpperCase();
  const generated = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  const stamp = `${generated.getUTCFullYear()}-${pad(generated.getUTCMonth() + 1)}-${pad(generated.getUTCDate())} ${pad(generated.getUTCHours())}:${pad(generated.getUTCMinutes())} UTC`;
  const ds = health?.dataset;
  out.append(el('p', { class: 'report-lead' },
    el('strong', { text: `${best.from.name} (${best.from.id}, ${countryName(best.from.country)}) → ${best.to.name} (${best.to.id}, ${countryName(best.to.country)})` }),
    el('br'), `One ${unit} with ${fmt.days(best.payload_t)} t of cargo. Generated ${stamp} by corridor${health ? ` ${health.version}` : ''}`,
    ds ? `, dataset ${ds.name} ${ds.version} (${ds.locations} locations, ${ds.links} links).` : '.'));

  // The query, every option that is set.
  const opts = [
    ['Optimised for', OPTION_WORDS.optimize[q.optimize] || q.optimize],
    ['Unit and payload', `${unit}, ${q.payload_t ? `${q.payload_t} t` : `${fmt.days(best.payload_t)} t (dataset default)`}`],
    ['Departure', best.depart ? `${localTime(best.depart)?.text} ${localTime(best.depart)?.year} (${localTime(best.depart)?.zone})` : 'none (times in days from the start)'],
  ];
  if (best.traffic) opts.push(['Trains', `${best.traffic}${q.traffic && q.traffic !== 'auto' ? '' : ' (by route: regular to or from Central Asia)'}`]);
  if (q.via?.length) opts.push(['Through', q.via.join(' → ')]);
  if (q.latest_arrival) opts.push(['Deadline', `${q.latest_arrival.replace('T', ' ')} local time at the destination`]);
  if (q.avoid_mode.length) opts.push(['Avoided modes', q.avoid_mode.join(', ')]);
  if (q.avoid_country.length) opts.push(['Avoided countries', q.avoid_country.map((c) => `${countryName(c)} (${c})`).join(', ')]);
  if (q.avoid_location.length) opts.push(['Avoided places', q.avoid_location.join(', ')]);
  if (q.avoid_border.length) opts.push(['Avoided border crossings', q.avoid_border.map((id) => (ctx.borderLabel ? `${ctx.borderLabel(id)}, ${id}` : id)).join('; ')]);
  if (q.avoid_gauge_changes) opts.push(['Rail gauge', 'no change of gauge']);
  if (q.max_transshipments !== '') opts.push(['Lifts', `at most ${q.max_transshipments}`]);
  if (q.value_of_time) opts.push(['Value of time', `${q.value_of_time} USD per TEU-hour`]);
  if (q.carbon_price) opts.push(['Carbon price', `${q.carbon_price} USD per t CO2e`]);
  const dl = el('dl', { class: 'report-opts' });
  for (const [k, v] of opts) dl.append(el('dt', { text: k }), el('dd', { text: v }));
  out.append(el('h2', { text: 'Query' }), dl);

  // Side by side.
  const routeRows = [['Best overall', best, null], ...compare.corridors.map((c) => [c.name, c.route, c])];
  const th = (t, num) => el('th', { scope: 'col', class: num ? 'num' : null, text: t });
  const table = el('table', { class: 'report-table' },
    el('caption', { text: `Corridors compared (per ${unit}; CO2e well-to-wheel)` }),
    el('thead', {}, el('tr', {}, th('Route'), th('Days', true), th('P10–P90 days', true), th('Price USD', true), th('P10–P90 USD', true),
      th('kg CO2e', true), th('g CO2e/t-km', true), th('km', true), th('Borders', true), th('Gauge ch.', true), th('Lifts', true))));
  const tbody = el('tbody');
  for (const [name, r, c] of routeRows) {
    if (!r) { tbody.append(el('tr', {}, el('th', { scope: 'row', text: name }), el('td', { colspan: '10', text: `no route: ${c?.error?.message || 'not connected'}` }))); continue; }
    const t = r.totals;
    const full = c ? routes.get(c.id) : r;
    const rel = full?.reliability;
    const p90 = rel ? `${fmt.days((rel.p10_h ?? rel.p50_h) / 24)}–${fmt.days(rel.p90_h / 24)}` : '–';
    tbody.append(el('tr', {}, el('th', { scope: 'row', text: name }),
      el('td', { class: 'num', text: fmt.days(t.days) }), el('td', { class: 'num', text: p90 }),
      el('td', { class: 'num', text: fmt.int(t.usd) }), el('td', { class: 'num', text: t.usd_p10 != null ? `${fmt.int(t.usd_p10)}–${fmt.int(t.usd_p90)}` : '–' }),
      el('td', { class: 'num', text: fmt.int(t.co2e_wtw_kg) }), el('td', { class: 'num', text: intensity(t.co2e_wtw_kg, r.payload_t, t.km, fmt) }),
      el('td', { class: 'num', text: fmt.int(t.km) }), el('td', { class: 'num', text: String(t.borders) }),
      el('td', { class: 'num', text: String(t.gauge_changes) }), el('td', { class: 'num', text: String(t.transshipments ?? '–') })));
  }
  table.append(tbody);
  const w = compare.winners || {};
  const nameOf = (id) => compare.corridors.find((c) => c.id === id)?.name || id;
  out.append(el('h2', { text: 'Comparison' }), table,
    el('p', { class: 'hint', text: `Fastest: ${nameOf(w.time) || '–'} · cheapest: ${nameOf(w.cost) || '–'} · lowest CO2e: ${nameOf(w.co2) || '–'} · fewest borders: ${nameOf(w.borders) || '–'}. P10–P90 days from ${fmt.int(best.reliability?.samples ?? 0)} simulated runs (where simulated)${arrivals(best.reliability, localTime)}.` }));

  // The trade-off chart as it is on the page.
  if (ctx.chart) {
    const fig = el('figure', { class: 'report-chart' }, ctx.chart, ctx.chartKey || null,
      el('figcaption', { text: 'Trade-offs: every route not beaten on time, price and CO2e at once (time against price; whiskers P10–P90 time and P10–P90 price).' }));
    for (const c of fig.querySelectorAll('[tabindex]')) c.removeAttribute('tabindex');
    for (const c of fig.querySelectorAll('[role="button"]')) { c.removeAttribute('role'); c.removeAttribute('aria-pressed'); }
    out.append(el('h2', { text: 'Trade-offs' }), fig);
  }

  // Each route's legs.
  out.append(el('h2', { text: 'Legs per corridor' }));
  for (const [name, r] of routeRows) {
    if (!r) continue;
    const legs = el('table', { class: 'report-table report-legs' },
      el('caption', { text: `${name}: ${r.from.name} → ${r.to.name}` }),
      el('thead', {}, el('tr', {}, th('#'), th('Mode'), th('From'), th('To'), th('km', true), th('Days', true), th(r.depart ? 'Arrive (local)' : 'Ends day', false),
        th('USD', true), th('kg CO2e WTW', true), th('kg CO2e TTW', true), th('g/t-km WTW', true))));
    const body = el('tbody');
    r.legs.forEach((leg, i) => {
      const a = localTime(leg.arrive_local);
      body.append(el('tr', {}, el('td', { text: String(i + 1) }), el('td', { text: modeOf(leg).label }),
        el('td', { text: leg.from_name }), el('td', { text: leg.to_name }),
        el('td', { class: 'num', text: leg.km ? fmt.int(leg.km) : '' }), el('td', { class: 'num', text: fmt.days(leg.hours / 24) }),
        el('td', { text: a ? `${a.text} ${a.zone}` : fmt.days((leg.start_h + leg.hours) / 24) }),
        el('td', { class: 'num', text: fmt.int(leg.usd) }), el('td', { class: 'num', text: fmt.int(leg.co2e_wtw_kg) }),
        el('td', { class: 'num', text: leg.co2e_ttw_kg != null ? fmt.int(leg.co2e_ttw_kg) : '–' }),
        el('td', { class: 'num', text: leg.km ? intensity(leg.co2e_wtw_kg, r.payload_t, leg.km, fmt) : '' })));
    });
    legs.append(body);
    out.append(legs);
  }

  // Emissions: ISO 14083, with the emission factors each route's legs used (from /v1/network).
  const factors = ctx.factors || new Map();
  const totals = el('table', { class: 'report-table' },
    el('caption', { text: `CO2e per route (per ${unit}, every leg including transshipment and border handling)` }),
    el('thead', {}, el('tr', {}, th('Route'), th('t-km', true), th('kg CO2e WTW', true), th('kg CO2e TTW', true), th('g CO2e/t-km WTW', true))));
  const totalsBody = el('tbody');
  for (const [name, r] of routeRows) {
    if (!r) continue;
    const t = r.totals;
    totalsBody.append(el('tr', {}, el('th', { scope: 'row', text: name }), el('td', { class: 'num', text: fmt.int(r.payload_t * t.km) }),
      el('td', { class: 'num', text: fmt.int(t.co2e_wtw_kg) }), el('td', { class: 'num', text: t.co2e_ttw_kg != null ? fmt.int(t.co2e_ttw_kg) : '–' }),
      el('td', { class: 'num', text: intensity(t.co2e_wtw_kg, r.payload_t, t.km, fmt) })));
  }
  totals.append(totalsBody);
  const BASIS = { tkm: 't-km', teukm: 'TEU-km' };
  const factorTables = [];
  for (const [name, r] of routeRows) {
    if (!r) continue;
    const ids = [...new Set(r.legs.flatMap((leg) => leg.emission_factors || []))];
    const table = el('table', { class: 'report-table report-factors' },
      el('caption', { text: `${name}: emission factors used (${ids.length})` }),
      el('thead', {}, el('tr', {}, th('Factor'), th('Mode'), th('Description'), th('Per'), th('g CO2e WTW', true), th('g CO2e TTW', true), th('Sources'))));
    const body = el('tbody');
    for (const id of ids) {
      const f = factors.get(id);
      body.append(el('tr', { 'data-factor': id }, el('td', { class: 'fid', text: id }), el('td', { text: f?.mode ?? '–' }),
        el('td', { class: 'fdesc', text: f?.description ?? 'not listed by /v1/network' }), el('td', { class: 'fbasis', text: f ? (BASIS[f.basis] || f.basis) : '–' }),
        el('td', { class: 'num', text: f ? exact(f.wtw_g) : '–' }), el('td', { class: 'num', text: f ? exact(f.ttw_g) : '–' }),
        el('td', { class: 'fsrc', text: f?.sources?.join(', ') || '–' })));
    }
    if (!ids.length) body.append(el('tr', {}, el('td', { colspan: '7', text: 'no move legs with a listed factor' })));
    table.append(body);
    factorTables.push(table);
  }
  out.append(el('h2', { text: 'Emissions (ISO 14083)' }),
    el('p', { text: 'Greenhouse-gas emissions are reported in kg CO2e per container as ISO 14083:2023 and the GLEC Framework ask: well-to-wheel (WTW, fuel production and use) and tank-to-wheel (TTW, use only) separately, for every leg including transshipment and border handling. Each move leg uses the emission factor its link carries in the dataset (emission_factors.csv); the tables below list, for each route, the factors its legs used, with their intensities in g CO2e per cargo tonne-km (t-km) or per TEU-km and their sources.' }),
    totals, ...factorTables);

  // Sources.
  const basis = routeRows.map(([, r]) => r?.totals.price_basis).filter(Boolean).sort()[0];
  const notes = [...new Set([...(compare.notes || []), ...(best.notes || [])])];
  out.append(el('h2', { text: 'Sources and method' }),
    el('ul', { class: 'report-sources' },
      el('li', { text: `Network, times, prices, borders and emission factors: corridor dataset ${ds ? `${ds.name} ${ds.version}` : ''}; every figure carries a source id or is a marked estimate with its method (data/eurasia/SOURCES.md in the corridor repository).` }),
      el('li', { text: `Prices are medians of the observed market range${basis ? `; the oldest rate used was observed in ${basis}` : ''}. P10–P90 add the legs' price percentiles.` }),
      el('li', { text: 'Transit-time percentiles come from a seeded Monte Carlo simulation of dwell, border and departure variability.' }),
      el('li', { text: 'Link geometry: OpenStreetMap contributors (ODbL) and searoute; basemap and place labels: Natural Earth (public domain). Dashed map lines are schematic (no surveyed geometry).' }),
      ...notes.map((n) => el('li', { text: `Note: ${n}` })),
      el('li', {}, 'This view: ', el('span', { class: 'report-url', text: url }))));
  return out;
}

/** The P10–P90 local arrival of a simulated route with a departure (or ''). */
function arrivals(rel, localTime) {
  const a = localTime(rel?.arrive_p10), b = localTime(rel?.arrive_p90);
  return a && b ? `; best overall arrives ${a.text} ${a.zone} (P10) to ${b.text} ${b.zone} (P90), local time` : '';
}

/** A factor as the dataset gives it (up to 3 decimals). */
function exact(v) {
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 }).format(v);
}

/** g CO2e per cargo tonne-km, one decimal (or '–'). */
function intensity(kg, payloadT, km, fmt) {
  return payloadT > 0 && km > 0 ? fmt.days((kg * 1000) / (payloadT * km)) : '–';
}
