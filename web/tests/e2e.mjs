// End-to-end test of the web map: starts `corridor serve` on a free loopback port, drives the
// page in headless Chromium (Debian's /usr/bin/chromium through playwright-core) as a planner
// would, by mouse and by keyboard, at 1440x900 and on a 390x844 phone, and checks what a person
// sees: every control, the URL round trip, the map, the leg table, the trade-off chart, the
// report, the error messages, the corridor flows, and axe-core's accessibility rules. Prints
// one line per check and 'N passed, N failed'; exits non-zero on any failure.
//
//   node web/tests/e2e.mjs
//
// Environment: see harness.mjs (CORRIDOR_BIN, CHROMIUM). Screenshots of each step go to
// web/tests/artifacts/ (git-ignored); the committed ones in docs/screenshots/ are written by
// screenshots.mjs.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { start, ARTIFACTS } from './harness.mjs';

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

const results = [];
async function check(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name}: ${String(e?.message || e).split('\n').slice(0, 8).join('\n     ')}`);
  }
}
function assert(cond, msg) { if (!cond) throw new Error(msg); }

/** axe-core's serious and critical violations on the page (injected through the debugger: the
 * page's CSP forbids inline scripts, and axe is not shipped with the page). */
async function axeViolations(page, exclude = []) {
  await page.evaluate(`${AXE}\n;0`);
  const res = await page.evaluate(async (ex) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run({ exclude: ex.map((s) => [s]) }, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  }, exclude);
  return res.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Page width against the window, and the widest element sticking out. */
async function horizontalOverflow(page) {
  return page.evaluate(() => {
    const iw = window.innerWidth;
    const sw = document.documentElement.scrollWidth;
    let worst = null;
    for (const e of document.querySelectorAll('body *')) {
      if (e.closest('.leaflet-container')) continue;
      const r = e.getBoundingClientRect();
      if (r.width && r.right > iw + 1 && (!worst || r.right > worst.right)) worst = { tag: e.tagName, id: e.id, cls: String(e.className).slice(0, 40), right: Math.round(r.right) };
    }
    return { sw, iw, worst };
  });
}

/** Whether every compared route's SVG path lies inside the map and clear of the open legend. */
async function routesInView(page) {
  return page.evaluate(() => {
    const m = document.getElementById('map').getBoundingClientRect();
    const legend = document.getElementById('map-legend');
    const lg = legend && legend.dataset.open === 'true' ? legend.getBoundingClientRect() : null;
    const out = [];
    for (const p of document.querySelectorAll('.leaflet-overlay-pane path.route')) {
      const r = p.getBoundingClientRect();
      if (!r.width && !r.height) continue;
      if (r.left < m.left - 2 || r.right > m.right + 2 || r.top < m.top - 2 || r.bottom > m.bottom + 2) out.push(`outside the map: ${p.getAttribute('class')}`);
      if (lg && r.right > lg.left + 2 && r.top < lg.bottom) out.push(`under the legend: ${p.getAttribute('class')}`);
    }
    return out;
  });
}

/** The page's pure modules (query model, formats) checked in Node, before any browser. */
async function unitChecks() {
  const q = await import('../static/query.js');
  const f = await import('../static/format.js');
  await check('query.js: URL -> query -> URL round trip, bad values named, endpoint parameters', async () => {
    const search = 'from=CNXIA&to=36.07,120.38&optimize=cost&corridor=middle&via=Ulaanbaatar,Irkutsk&unit=feu&payload_t=18.5&traffic=express&depart=2026-12-01T08:00'
      + '&latest_arrival=2027-03-01T08:00&avoid_mode=road,ferry&avoid_country=IR,RU&avoid_location=BYBQT&avoid_border=b-x'
      + '&max_transshipments=4&avoid_gauge_changes=true&value_of_time=3&carbon_price=90&samples=500&seed=7&collapse=0.05&pareto_color=corridor&map=42.5,45.5,5.5';
    const { query, view, problems } = q.fromSearch(`?${search}`);
    assert(problems.length === 0, JSON.stringify(problems));
    assert(q.toSearch(query, view) === search, `round trip:\n  ${q.toSearch(query, view)}\n  ${search}`);
    const cmp = q.apiParams(query, 'compare'), par = q.apiParams(query, 'pareto'), rt = q.apiParams(query, 'route');
    assert(!('samples' in cmp) && !('corridor' in cmp) && !('collapse' in cmp) && cmp.avoid_country === 'IR,RU' && cmp.traffic === 'express' && cmp.via === 'Ulaanbaatar,Irkutsk', JSON.stringify(cmp));
    assert(!('via' in q.apiParams(query, 'pareto')) && q.apiParams(query, 'route').via === 'Ulaanbaatar,Irkutsk', 'via goes to compare and route only');
    const viaProblems = q.validate({ ...query, latest_arrival: '' }).filter((p) => p.key === 'via');
    assert(viaProblems.length === 1 && /departure time or a lift limit or no change of gauge/.test(viaProblems[0].message), JSON.stringify(viaProblems));
    assert(par.collapse === '0.05' && !('corridor' in par) && rt.corridor === 'middle' && !('collapse' in rt), JSON.stringify({ par, rt }));
    const bad = q.fromSearch('?from=a&to=b&payload_t=31&avoid_mode=rail,boat&avoid_country=R1&depart=tomorrow&avoid_gauge_changes=maybe&map=1,2&traffic=fast');
    const keys = bad.problems.map((p) => p.key).sort().join();
    assert(keys === 'avoid_country,avoid_gauge_changes,avoid_mode,depart,map,payload_t,traffic', keys);
    assert(bad.query.traffic === 'auto', `a bad traffic is dropped: ${bad.query.traffic}`);
    assert(bad.query.avoid_mode.join() === 'rail' && bad.query.payload_t === '', JSON.stringify(bad.query));
    const v = q.validate({ ...q.emptyQuery(), from: '95,10', to: 'DEDUI', latest_arrival: '2027-01-01T00:00' }).map((p) => p.key).sort().join();
    assert(v === 'from,latest_arrival', v);
  });
  await check('format.js: local times with their UTC offset, day of trip', async () => {
    const t = f.localTime('2026-12-05T00:46+05:00');
    assert(t.text === '5 Dec 00:46' && t.zone === 'UTC+5', JSON.stringify(t));
    assert(f.localTime('2026-12-05T00:46+05:30').zone === 'UTC+5:30' && f.localTime('2026-12-05T00:46Z').zone === 'UTC', 'offsets');
    assert(f.localTime('nonsense') === null && f.dayOf(36) === 'day 1.5', 'bad time, day of trip');
  });
}

async function main() {
  const t0 = Date.now();
  await unitChecks();
  const { base, browser, close } = await start();
  const watchdog = setTimeout(() => {
    console.log('FAIL e2e: overall time limit (240 s) exceeded');
    close().finally(() => process.exit(1));
  }, 240_000);
  const consoleErrors = [];
  const foreign = [];
  const apiCalls = [];
  const watch = (page) => {
    page.setDefaultTimeout(20_000);
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
    page.on('request', (r) => {
      const u = r.url();
      if (!u.startsWith(base) && !u.startsWith('blob:') && !u.startsWith('data:')) foreign.push(u);
      if (u.startsWith(`${base}/v1/`)) apiCalls.push(u.slice(base.length));
    });
    return page;
  };
  try {
    const context = await browser.newContext({ viewport: DESKTOP, acceptDownloads: true });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    const page = watch(await context.newPage());

    await check('desktop: page loads with basemap, network lines (schematic dashed) and no errors', async () => {
      const resp = await page.goto(`${base}/`);
      assert(resp.ok(), `GET / answered ${resp.status()}`);
      assert(/default-src 'self'/.test(resp.headers()['content-security-policy'] || ''), 'no CSP header');
      assert((await page.title()).includes('corridor'), `title ${await page.title()}`);
      await page.waitForFunction(() => document.querySelectorAll('.leaflet-land-pane path').length > 50);
      await page.waitForFunction(() => document.querySelectorAll('.leaflet-network-pane path.net').length > 50);
      const kinds = await page.evaluate(() => {
        const ps = [...document.querySelectorAll('.leaflet-network-pane path.net')];
        return { rail: ps.filter((p) => p.classList.contains('net-rail')).length, sea: ps.filter((p) => p.classList.contains('net-sea')).length,
          straight: ps.filter((p) => p.classList.contains('net-straight')).length,
          dashed: ps.filter((p) => p.classList.contains('net-straight') && p.getAttribute('stroke-dasharray')).length };
      });
      assert(kinds.rail > 10 && kinds.sea > 0, `network lines ${JSON.stringify(kinds)}`);
      assert(kinds.straight === kinds.dashed, `schematic links not all dashed: ${JSON.stringify(kinds)}`);
      await page.waitForFunction(() => document.getElementById('dataset').textContent.length > 0);
      const legend = await page.locator('#map-legend').textContent();
      assert(/Schematic/.test(legend), `legend: ${legend}`);
      await page.waitForFunction(() => document.querySelectorAll('#avoid-countries input').length > 10);
    });

    await check('network lines filtered by mode and corridor from the legend, in the URL', async () => {
      const visible = () => page.evaluate(() => [...document.querySelectorAll('.leaflet-network-pane path.net')].filter((p) => Number(p.getAttribute('stroke-opacity')) > 0).length);
      const all = await visible();
      await page.uncheck('#map-legend input.net-mode[value="sea"]');
      const noSea = await visible();
      assert(noSea < all && await page.evaluate(() => [...document.querySelectorAll('.leaflet-network-pane path.net-sea')].every((p) => Number(p.getAttribute('stroke-opacity')) === 0)), `sea lines still shown (${noSea} of ${all})`);
      await page.selectOption('#net-corridor', 'middle');
      const middle = await visible();
      assert(middle > 0 && middle < noSea / 2, `${middle} lines of the Middle corridor`);
      const sp = new URL(page.url()).searchParams;
      assert(sp.get('net') === 'rail,road,ferry' && sp.get('net_corridor') === 'middle', `URL ${page.url()}`);
      await page.selectOption('#net-corridor', '');
      await page.check('#map-legend input.net-mode[value="sea"]');
      assert(await visible() === all && !new URL(page.url()).searchParams.get('net'), 'filter not undone');
    });

    await check('desktop: city labels from Natural Earth appear at regional zoom, without overlaps', async () => {
      const before = await page.locator('.city-label').count();
      await page.focus('#map');
      for (let i = 0; i < 4; i++) { await page.keyboard.press('Equal'); await page.waitForTimeout(300); } // zoom 2.6 -> 4.6
      await page.waitForFunction(() => document.querySelectorAll('.city-label').length > 5);
      const boxes = await page.evaluate(() => [...document.querySelectorAll('.city-label .city')].map((e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom, e.textContent]; }));
      const overlaps = [];
      for (let i = 0; i < boxes.length; i++) {
        for (let j = 0; j < i; j++) {
          const [a, b] = [boxes[i], boxes[j]];
          if (a[0] < b[2] - 2 && a[2] > b[0] + 2 && a[1] < b[3] - 2 && a[3] > b[1] + 2) overlaps.push(`${a[4]}/${b[4]}`);
        }
      }
      assert(boxes.length > before, `${boxes.length} labels zoomed in, ${before} at the start`);
      assert(overlaps.length <= 1, `overlapping labels: ${overlaps.slice(0, 5).join(', ')}`);
      // The view the user moved to is in the URL, and a link to it opens there.
      await page.waitForFunction(() => /[?&]map=-?[\d.]+,-?[\d.]+,[\d.]+/.test(location.search));
      const scale = await page.locator('.leaflet-control-scale-line').textContent();
      const p2 = watch(await context.newPage());
      await p2.goto(page.url());
      await p2.waitForFunction(() => document.querySelectorAll('.city-label').length > 5);
      assert(await p2.locator('.leaflet-control-scale-line').textContent() === scale, 'the map view of the link differs');
      await p2.close();
    });

    await check('every visible control has an accessible name', async () => {
      await page.evaluate(() => { for (const d of document.querySelectorAll('details')) d.open = true; });
      const unnamed = await page.evaluate(() => [...document.querySelectorAll('input, select, button')]
        .filter((e) => e.offsetParent !== null)
        .filter((e) => !(e.labels?.length || e.getAttribute('aria-label') || e.textContent.trim()))
        .map((e) => e.id || e.outerHTML.slice(0, 60)));
      assert(unnamed.length === 0, `unnamed controls: ${unnamed.join(', ')}`);
      await page.evaluate(() => { for (const d of document.querySelectorAll('details')) d.open = false; });
    });

    await check('keyboard only: pick both places, submit with Enter, results and leg table', async () => {
      await page.goto(`${base}/`);
      await page.waitForFunction(() => document.getElementById('dataset').textContent.length > 0);
      let tabs = 0;
      while (tabs < 6 && await page.evaluate(() => document.activeElement?.id) !== 'from') { await page.keyboard.press('Tab'); tabs++; }
      assert(tabs <= 3, `${tabs} Tabs to reach the origin (skip link, API link, origin)`);
      await page.keyboard.type('xian', { delay: 30 });
      await page.waitForSelector('#from-list li[role="option"]');
      assert(await page.getAttribute('#from', 'aria-expanded') === 'true', 'aria-expanded is not true');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowUp');
      const active = await page.getAttribute('#from', 'aria-activedescendant');
      assert(active && await page.getAttribute(`#${active}`, 'aria-selected') === 'true', 'active option not aria-selected');
      await page.keyboard.press('Enter');
      assert(/^Xi.an \(CNXIA\)$/.test(await page.inputValue('#from')), `origin shows ${await page.inputValue('#from')}`);
      await page.keyboard.press('Tab'); // swap
      await page.keyboard.press('Tab');
      assert(await page.evaluate(() => document.activeElement?.id) === 'to', 'Tab does not reach the destination');
      await page.keyboard.type('Duisb', { delay: 30 });
      await page.waitForSelector('#to-list li[role="option"]');
      await page.keyboard.press('Enter');
      assert(/Duisburg/.test(await page.inputValue('#to')), `destination shows ${await page.inputValue('#to')}`);
      await page.keyboard.press('Enter'); // submits the form
      await page.waitForSelector('#leg-table tbody tr');
      const url = new URL(page.url());
      assert(url.searchParams.get('from') === 'CNXIA' && url.searchParams.get('to') === 'DEDUI', `URL ${page.url()}`);
      const cells = await page.locator('#leg-table tbody tr').first().locator('td').allTextContents();
      assert(cells.length === 10 && cells[2] && cells[3] && /day [\d.]+ → day [\d.]+/.test(cells[6]), `first row ${JSON.stringify(cells)}`);
      assert(/day of trip/i.test(await page.locator('#times-h').textContent()), 'times column is not labelled as days of the trip');
      const notes = await page.locator('#leg-table .tag').allTextContents();
      assert(notes.some((n) => /border|gauge/i.test(n)), `no border or gauge labels in ${JSON.stringify(notes)}`);
      const corridors = await page.locator('#legend .corr[data-corridor]:not([data-corridor="best"]):not([disabled])').count();
      assert(corridors >= 3, `${corridors} corridors with a route`);
      const drawn = await page.evaluate(() => new Set([...document.querySelectorAll('.leaflet-overlay-pane path.route')]
        .map((p) => [...p.classList].find((c) => c.startsWith('route-')))).size);
      assert(drawn >= corridors, `${drawn} corridors drawn, ${corridors} have routes`);
      assert(/Northern/i.test(await page.locator('#map-legend').textContent()), 'corridors not in the map legend');
      const stops = await page.locator('.leaflet-stops-pane path.stop-border').count();
      assert(stops >= 1, `${stops} border markers`);
    });

    await check('desktop 1440x900: routes fitted inside the map and clear of the legend, no sideways scroll, table not cut off', async () => {
      await page.waitForTimeout(150);
      const bad = await routesInView(page);
      assert(bad.length === 0, bad.slice(0, 4).join('; '));
      const o = await horizontalOverflow(page);
      assert(o.sw <= o.iw, `page is ${o.sw}px wide in a ${o.iw}px window (${JSON.stringify(o.worst)})`);
      const box = await page.locator('#map').boundingBox();
      assert(box && box.y < 100 && box.width > 900 && box.height > 350, `map is ${JSON.stringify(box)}`);
      const cut = await page.evaluate(() => { const w = document.getElementById('legs-wrap'); return { sw: w.scrollWidth, cw: w.clientWidth }; });
      assert(cut.sw <= cut.cw + 1, `leg table ${cut.sw}px in a ${cut.cw}px box`);
      const sticky = await page.evaluate(() => getComputedStyle(document.querySelector('#leg-table thead th')).position);
      assert(sticky === 'sticky', `header position ${sticky}`);
      // Legend collapsible: collapsing and opening again keeps the routes clear of it.
      await page.click('#map-legend .legend-toggle');
      assert(await page.getAttribute('#map-legend .legend-toggle', 'aria-expanded') === 'false', 'legend did not collapse');
      await page.click('#map-legend .legend-toggle');
      assert(await page.getAttribute('#map-legend .legend-toggle', 'aria-expanded') === 'true', 'legend did not open');
      await page.screenshot({ path: path.join(ARTIFACTS, 'desktop-compare.png') });
      // Smaller windows: a table that fits at 1366x768, cards at 1024x768; never sideways.
      try {
        for (const [w, h, cards] of [[1366, 768, false], [1024, 768, true]]) {
          await page.setViewportSize({ width: w, height: h });
          await page.waitForTimeout(100);
          const r = await page.evaluate(() => { const wrap = document.getElementById('legs-wrap'); return { over: wrap.scrollWidth - wrap.clientWidth, sw: document.documentElement.scrollWidth, display: getComputedStyle(document.querySelector('#leg-table tbody tr')).display }; });
          assert(r.over <= 1 && r.sw <= w && (r.display === 'grid') === cards, `${w}x${h}: ${JSON.stringify(r)}`);
        }
      } finally {
        await page.setViewportSize(DESKTOP);
      }
    });

    await check('totals, P10-P50-P90 time band, P10-P90 price band and the Pareto scatter', async () => {
      const totals = await page.locator('#totals').textContent();
      assert(/Transit/.test(totals) && /CO2e/.test(totals) && /\$/.test(totals), `totals: ${totals}`);
      const bar = await page.getAttribute('.rbar', 'aria-label');
      const pq = /P10 ([\d.]+) days, P50 ([\d.]+) days, P90 ([\d.]+) days, P95 ([\d.]+) days/.exec(bar || '');
      assert(pq && +pq[1] <= +pq[2] && +pq[2] <= +pq[3] && +pq[3] <= +pq[4] && +pq[1] < +pq[3], `reliability bar (P10-P50-P90, P95): ${bar}`);
      const geo = await page.evaluate(() => { const b = document.querySelector('.rbar .band').getBoundingClientRect(), m = document.querySelector('.rbar .mid').getBoundingClientRect(); return { l: b.left, r: b.right, m: m.left + m.width / 2 }; });
      assert(geo.r - geo.l > 2 && geo.m >= geo.l - 1 && geo.m <= geo.r + 1, `time band ${JSON.stringify(geo)}`);
      const rl = await page.locator('.reliability .rlabels').first().textContent();
      assert(/P10 [\d.]+ d.*P50 [\d.]+ d.*P90 [\d.]+ d/.test(rl) && /days/.test(await page.locator('.reliability .rtitle').first().textContent()), `time labels ${rl}`);
      const band = await page.getAttribute('.pbar', 'aria-label');
      assert(/P10 \$[\d,]+, median \$[\d,]+, P90 \$[\d,]+/.test(band || ''), `price band: ${band}`);
      const points = await page.locator('#pareto svg circle.pt').count();
      assert(points >= 2, `${points} Pareto points`);
      const labels = await page.locator('#pareto svg text.alabel').allTextContents();
      assert(labels.some((t) => /days.*P10–P90/.test(t)) && labels.some((t) => /USD per TEU/.test(t)), `axis labels ${JSON.stringify(labels)}`);
      // Time whiskers start at P10, left of the point (the median), as the API's p10_h says.
      const left = await page.evaluate(() => [...document.querySelectorAll('#pareto line.whisker')].filter((l) => l.getAttribute('y1') === l.getAttribute('y2'))
        .some((l) => [...document.querySelectorAll('#pareto circle.pt')].some((c) => Number(l.getAttribute('x1')) < Number(c.getAttribute('cx')) - 1 && Math.abs(Number(c.getAttribute('cy')) - Number(l.getAttribute('y1'))) < 0.5)));
      assert(left, 'no time whisker reaches left of its point (P10 missing)');
      const fills = await page.evaluate(() => new Set([...document.querySelectorAll('#pareto circle.pt')].map((c) => c.style.fill)).size);
      assert(fills >= 2, `${fills} point colours (CO2e scale)`);
      const whiskers = await page.locator('#pareto svg line.whisker').count();
      assert(whiskers >= 1, 'no P10-P90 / P50-P90 whiskers');
      const centres = await page.evaluate(() => [...document.querySelectorAll('#pareto circle.pt')].map((c) => [Number(c.getAttribute('cx')), Number(c.getAttribute('cy'))]));
      const stacked = centres.filter((a, i) => centres.some((b, j) => j < i && Math.hypot(a[0] - b[0], a[1] - b[1]) < 3)).length;
      assert(stacked === 0, `${stacked} points hidden under others`);
      await page.selectOption('#pareto-color', 'corridor');
      assert(/pareto_color=corridor/.test(page.url()), `URL ${page.url()}`);
      assert(await page.locator('#pareto .pkey .kdot').count() >= 2, 'no corridor key');
      const corridorFills = await page.evaluate(() => new Set([...document.querySelectorAll('#pareto circle.pt')].map((c) => c.style.fill)).size);
      assert(corridorFills >= 2, `${corridorFills} point colours by corridor`);
      // Hovering a point previews its route on the map; hovering a corridor card brings it forward.
      await page.locator('#pareto svg circle.pt').nth(1).hover();
      await page.waitForSelector('.leaflet-overlay-pane path.route-preview');
      await page.hover('#totals');
      await page.waitForSelector('.leaflet-overlay-pane path.route-preview', { state: 'detached' });
      await page.hover('#legend .corr[data-corridor="sea"]');
      assert(await page.evaluate(() => Number(document.querySelector('.leaflet-overlay-pane path.route-sea').getAttribute('stroke-width'))) === 7, 'corridor card hover');
      await page.hover('#totals');
      await page.click('#pareto-wide');
      const wide = await page.evaluate(() => ({ w: Number(document.querySelector('#pareto svg').getAttribute('viewBox').split(' ')[2]), box: document.getElementById('pareto-card').getBoundingClientRect().width }));
      assert(wide.w >= 800 && wide.box >= 800, `enlarged chart ${JSON.stringify(wide)}`);
      await page.focus('#pareto svg circle.pt');
      assert(/Route 1: [\d.]+ d/.test(await page.locator('#pareto .pinfo').textContent()), 'Pareto point details on focus');
      await page.keyboard.press('Escape');
      assert(await page.getAttribute('#pareto-wide', 'aria-pressed') === 'false', 'Escape does not close the large chart');
      assert(await page.evaluate(() => document.activeElement?.id) === 'pareto-wide', 'focus not back on the button');
    });

    await check('keyboard: corridor radio group, leg rows highlight the leg on the map, Pareto point selects a route', async () => {
      await page.focus('#legend .corr[aria-checked="true"]');
      await page.keyboard.press('ArrowDown');
      const chosen = await page.evaluate(() => document.activeElement?.dataset.corridor);
      assert(chosen && chosen !== 'best', `focus on ${chosen}`);
      const name = (await page.locator(`#legend .corr[data-corridor="${chosen}"] .cname`).textContent()).trim();
      await page.waitForFunction((n) => document.getElementById('legs-h').textContent.includes(n) && document.querySelectorAll('#leg-table tbody tr').length > 0, name);
      assert(new URL(page.url()).searchParams.get('corridor') === chosen, `URL corridor: ${page.url()}`);
      assert(await page.inputValue('#corridor') === chosen, 'the corridor select does not follow');
      // Leg rows: focus the first, ArrowDown to the second; its leg is highlighted on the map.
      await page.focus('#leg-table tbody tr[tabindex="0"]');
      await page.keyboard.press('ArrowDown');
      const seq = await page.evaluate(() => document.activeElement?.dataset.seq);
      assert(seq === '2', `focused row ${seq}`);
      const hl = await page.evaluate(() => document.querySelector('#leg-table tbody tr.hl')?.dataset.seq);
      assert(hl === '2', `highlighted row ${hl}`);
      const mapHl = await page.evaluate(() => [...document.querySelectorAll('.leaflet-legs-pane path.leg')].filter((p) => Number(p.getAttribute('stroke-opacity')) > 0.5).map((p) => p.getAttribute('class')));
      const stopHl = await page.evaluate(() => [...document.querySelectorAll('.leaflet-stops-pane path.stop')].filter((p) => /a10,10/.test(p.getAttribute('d') || '')).length);
      assert(mapHl.length === 1 || stopHl === 1, `map highlight ${JSON.stringify(mapHl)}, stop ${stopHl}`);
      // Hovering a leg on the map highlights its row.
      const legPath = page.locator('.leaflet-legs-pane path.leg').nth(1);
      const legSeq = (await legPath.getAttribute('class')).match(/leg-(\d+)/)[1];
      await legPath.hover({ force: true });
      await page.waitForFunction((s) => document.querySelector('#leg-table tbody tr.hl')?.dataset.seq === s, legSeq);
      const last = page.locator('#pareto svg circle.pt').last();
      await last.focus();
      await page.keyboard.press('Enter');
      await page.waitForSelector('.leaflet-overlay-pane path.route-pareto');
      await page.waitForFunction(() => /Trade-off route \d+/.test(document.getElementById('legs-h').textContent));
      assert(await last.getAttribute('aria-pressed') === 'true', 'point not aria-pressed');
      const n = await page.locator('#pareto svg circle.pt').count();
      assert(new URL(page.url()).searchParams.get('trade_off') === String(n), `trade_off not in the URL: ${page.url()}`);
      const p2 = watch(await context.newPage());
      await p2.goto(page.url());
      await p2.waitForFunction((k) => document.getElementById('legs-h').textContent.includes(`Trade-off route ${k}`), n);
      await p2.waitForSelector('.leaflet-overlay-pane path.route-pareto');
      await p2.close();
    });

    await check('downloads GeoJSON and CSV; copy link', async () => {
      const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#dl-csv')]);
      const lines = fs.readFileSync(await csv.path(), 'utf8').trim().split(/\r?\n/);
      assert(lines[0].startsWith('route,seq,kind,platform,from') && lines.length > 10, `CSV ${lines[0]} (${lines.length} lines)`);
      const [gj] = await Promise.all([page.waitForEvent('download'), page.click('#dl-geojson')]);
      const fc = JSON.parse(fs.readFileSync(await gj.path(), 'utf8'));
      assert(fc.type === 'FeatureCollection' && fc.features.length > 0, 'GeoJSON is not a non-empty FeatureCollection');
      await page.click('#copy-link');
      await page.waitForFunction(() => /Link copied|Copy this link/.test(document.getElementById('share-status').textContent));
    });

    await check('axe-core: no serious or critical violations (results shown, every section open)', async () => {
      await page.evaluate(() => { for (const d of document.querySelectorAll('details')) d.open = true; });
      const v = await axeViolations(page);
      await page.evaluate(() => { for (const d of document.querySelectorAll('details')) d.open = false; });
      assert(v.length === 0, v.map((x) => `${x.id} (${x.impact}): ${x.help} at ${x.nodes.join(' | ')}`).join('\n'));
    });

    await check('printable report: map, table per corridor, ISO 14083 CO2e with the factors used (from /v1/network), sources, dataset version; print CSS', async () => {
      await page.click('#report-open');
      await page.waitForSelector('#report:not([hidden]) .report-table');
      assert(new URL(page.url()).searchParams.get('view') === 'report', `URL ${page.url()}`);
      const text = await page.locator('#report').textContent();
      assert(!/(null|undefined|NaN)/.test(text), `null/undefined/NaN in the report: ${text.match(/.{0,40}(null|undefined|NaN).{0,20}/)?.[0]}`);
      const version = await page.evaluate(() => document.getElementById('dataset').textContent.split(' · ')[0]);
      assert(text.includes(version), `dataset ${version} not in the report`);
      assert(/ISO 14083/.test(text) && /g CO2e\/t-km/.test(text) && /Natural Earth/.test(text) && /OpenStreetMap/.test(text), 'report lacks the method or sources');
      // ISO 14083: the factors the legs used, joined to /v1/network's table, one table per route.
      const net = await (await fetch(`${base}/v1/network`)).json();
      const byId = new Map(net.emission_factors.map((f) => [f.id, f]));
      const rows = await page.evaluate(() => [...document.querySelectorAll('#report .report-factors tbody tr[data-factor]')].map((tr) => ({ id: tr.dataset.factor, cells: [...tr.cells].map((c) => c.textContent) })));
      const factorTables = await page.locator('#report .report-factors').count();
      const routesShown = await page.locator('#legend .corr:not([disabled])').count();
      assert(factorTables === routesShown && rows.length >= routesShown, `${factorTables} factor tables, ${rows.length} rows for ${routesShown} routes`);
      const wrongRows = rows.filter((r) => { const f = byId.get(r.id); return !f || r.cells[1] !== f.mode || Number(r.cells[4].replace(/,/g, '')) !== f.wtw_g || Number(r.cells[5].replace(/,/g, '')) !== f.ttw_g || !r.cells[6].includes(f.sources[0]) || !/^(t-km|TEU-km)$/.test(r.cells[3]); });
      assert(wrongRows.length === 0, `factor rows not as /v1/network: ${JSON.stringify(wrongRows.slice(0, 2))}`);
      assert(!/Emission intensity by mode/.test(text) && /CO2e per route/.test(text), 'the derived intensities are still shown, or the route totals are gone');
      const tables = await page.locator('#report .report-table').count();
      const corridors = await page.locator('#legend .corr:not([disabled])').count();
      assert(tables >= corridors + 2, `${tables} report tables for ${corridors} routes`);
      assert(await page.locator('#report #map path.route').count() > 0, 'no map in the report');
      assert(await page.locator('#report .report-chart svg circle.pt').count() >= 2, 'no trade-off chart in the report');
      assert(await page.locator('#report .report-chart [tabindex]').count() === 0, 'the report chart has tab stops');
      const misaligned = await page.evaluate(() => [...document.querySelectorAll('#report .report-table')].filter((t) => {
        const head = t.tHead?.rows[0]?.getBoundingClientRect().width, body = t.tBodies[0]?.rows[0]?.getBoundingClientRect().width;
        return getComputedStyle(t).display !== 'table' || Math.abs(head - body) > 1;
      }).map((t) => t.caption?.textContent).slice(0, 3));
      assert(misaligned.length === 0, `report tables not laid out as tables: ${misaligned.join('; ')}`);
      const v = await axeViolations(page);
      assert(v.length === 0, `axe in the report: ${v.map((x) => `${x.id}: ${x.nodes.join(' | ')}`).join('\n')}`);
      await page.emulateMedia({ media: 'print' });
      const printed = await page.evaluate(() => ({
        bar: getComputedStyle(document.querySelector('.report-bar')).display,
        report: getComputedStyle(document.getElementById('report')).display,
        form: getComputedStyle(document.getElementById('query')).display,
      }));
      assert(printed.bar === 'none' && printed.report !== 'none' && printed.form === 'none', `print styles ${JSON.stringify(printed)}`);
      await page.emulateMedia({ media: 'screen' });
      await page.screenshot({ path: path.join(ARTIFACTS, 'report.png'), fullPage: true });
      await page.click('#report-close');
      await page.waitForSelector('#report', { state: 'hidden' });
      assert(!new URL(page.url()).searchParams.get('view'), 'view=report still in the URL');
      assert(await page.locator('.mapcol #map').count() === 1, 'map not back in its column');
    });

    await check('every control round-trips through the URL and reaches the API', async () => {
      await page.goto(`${base}/`);
      await page.waitForFunction(() => document.querySelectorAll('#avoid-countries input').length > 10 && document.querySelectorAll('#corridor option').length > 2);
      await page.fill('#from', 'CNXIA');
      await page.fill('#to', 'Duisburg');
      await page.keyboard.press('Escape');
      await page.selectOption('#optimize', 'cost');
      await page.selectOption('#corridor', 'middle');
      await page.selectOption('#unit', 'feu');
      await page.fill('#payload_t', '18.5');
      await page.selectOption('#traffic', 'regular');
      await page.fill('#depart', '2026-12-01T08:00');
      await page.fill('#latest_arrival', '2027-03-01T08:00');
      await page.click('#avoid-box summary');
      await page.check('input[name="avoid_mode"][value="road"]');
      await page.fill('#country-filter', 'iran');
      const listed = await page.evaluate(() => [...document.querySelectorAll('#avoid-countries label')].filter((l) => !l.hidden).map((l) => l.title));
      assert(listed.length === 1 && listed[0] === 'IR', `filtered countries ${listed}`);
      await page.check('#avoid-countries input[value="IR"]');
      await page.fill('#country-filter', '');
      await page.fill('#avoid-loc', 'Brest');
      await page.waitForSelector('#avoid-loc-list li[role="option"]');
      await page.keyboard.press('Enter');
      await page.waitForSelector('#avoid-loc-chips .chip');
      await page.fill('#max_transshipments', '12');
      await page.click('#advanced-box summary');
      await page.fill('#value_of_time', '3');
      await page.fill('#carbon_price', '90');
      await page.selectOption('#samples', '500');
      await page.fill('#seed', '7');
      await page.fill('#collapse', '0.05');
      assert(/\(\d+ set\)/.test(await page.locator('#avoid-count').textContent()), 'avoid count not shown');
      apiCalls.length = 0;
      await page.click('#compare');
      await page.waitForFunction(() => document.querySelectorAll('#leg-table tbody tr').length > 0 && !document.getElementById('compare').disabled);
      const url = new URL(page.url());
      const sp = url.searchParams;
      const want = { from: 'CNXIA', to: 'Duisburg', optimize: 'cost', corridor: 'middle', unit: 'feu', payload_t: '18.5', traffic: 'regular', depart: '2026-12-01T08:00',
        latest_arrival: '2027-03-01T08:00', avoid_mode: 'road', avoid_country: 'IR', max_transshipments: '12', value_of_time: '3', carbon_price: '90', samples: '500', seed: '7', collapse: '0.05' };
      const wrong = Object.entries(want).filter(([k, v]) => sp.get(k) !== v).map(([k, v]) => `${k}=${sp.get(k)} (want ${v})`);
      assert(wrong.length === 0, `URL ${url.search}: ${wrong.join(', ')}`);
      assert(/^BY|^[A-Z]{2}/.test(sp.get('avoid_location') || ''), `avoid_location=${sp.get('avoid_location')}`);
      const cmp = apiCalls.find((u) => u.startsWith('/v1/compare'));
      const par = apiCalls.find((u) => u.startsWith('/v1/pareto'));
      assert(cmp && /avoid_country=IR/.test(cmp) && /avoid_mode=road/.test(cmp) && /payload_t=18.5/.test(cmp) && /traffic=regular/.test(cmp) && /latest_arrival=/.test(cmp) && /avoid_location=/.test(cmp) && !/samples=/.test(cmp), `compare call ${cmp}`);
      assert(par && /collapse=0.05/.test(par) && /samples=500/.test(par) && /seed=7/.test(par), `pareto call ${par}`);
      assert(/Middle/i.test(await page.locator('#legs-h').textContent()), 'the corridor from the form is not the one shown');
      assert(/local time/.test(await page.locator('#times-h').textContent()), 'times column is not local time with a departure');
      assert(/UTC[+-]\d/.test(await page.locator('#leg-table tbody td.times').first().textContent()), 'local times have no UTC offset');
      const arr = await page.locator('.reliability .rarrive').textContent();
      assert(/\d+ \w+ \d\d:\d\d UTC[+-]?[\d:]* \(P10\) to .*\(P90\)/.test(arr), `local arrival P10-P90: ${arr}`);
      const shown = `${await page.locator('#leg-table').textContent()} ${await page.locator('#results').textContent()}`;
      assert(!/(null|undefined|NaN)/.test(shown), `null/undefined/NaN shown: ${shown.match(/.{0,40}(null|undefined|NaN).{0,20}/)?.[0]}`);
      // The link in a fresh page fills every control the same way and names the places.
      const page2 = watch(await context.newPage());
      await page2.goto(page.url());
      await page2.waitForFunction(() => document.querySelectorAll('#leg-table tbody tr').length > 0);
      const form = await page2.evaluate(() => ({
        optimize: document.getElementById('optimize').value, corridor: document.getElementById('corridor').value, unit: document.getElementById('unit').value,
        payload: document.getElementById('payload_t').value, traffic: document.getElementById('traffic').value, depart: document.getElementById('depart').value, deadline: document.getElementById('latest_arrival').value,
        modes: [...document.querySelectorAll('input[name="avoid_mode"]:checked')].map((i) => i.value).join(),
        countries: [...document.querySelectorAll('#avoid-countries input:checked')].map((i) => i.value).join(),
        chips: document.querySelectorAll('#avoid-loc-chips .chip').length, lifts: document.getElementById('max_transshipments').value,
        vot: document.getElementById('value_of_time').value, carbon: document.getElementById('carbon_price').value,
        samples: document.getElementById('samples').value, seed: document.getElementById('seed').value, collapse: document.getElementById('collapse').value,
        from: document.getElementById('from').value, avoidOpen: document.getElementById('avoid-box').open,
      }));
      const expect = { optimize: 'cost', corridor: 'middle', unit: 'feu', payload: '18.5', traffic: 'regular', depart: '2026-12-01T08:00', deadline: '2027-03-01T08:00', modes: 'road', countries: 'IR', chips: 1, lifts: '12', vot: '3', carbon: '90', samples: '500', seed: '7', collapse: '0.05', avoidOpen: true };
      const diff = Object.entries(expect).filter(([k, v]) => form[k] !== v).map(([k, v]) => `${k}=${form[k]} (want ${v})`);
      assert(diff.length === 0, diff.join(', '));
      assert(/^Xi.an \(CNXIA\)$/.test(form.from), `origin from the link shows ${form.from}`);
      assert(page2.url() === page.url(), `the link changed: ${page2.url()} vs ${page.url()}`);
      await page2.close();
    });

    await check('through places: the comparison and the route pass them, no trade-off set, refused with a whole-route limit', async () => {
      apiCalls.length = 0;
      await page.goto(`${base}/?from=Zhengzhou&to=Hamburg&via=Ulaanbaatar&avoid_mode=road,sea&optimize=time`);
      await page.waitForFunction(() => document.querySelectorAll('#leg-table tbody tr').length > 0 && !document.getElementById('compare').disabled);
      assert(await page.locator('#via').inputValue() === 'Ulaanbaatar', 'the via field from the link');
      assert(apiCalls.some((u) => u.startsWith('/v1/compare') && u.includes('via=Ulaanbaatar')), `no compare call through Ulaanbaatar: ${apiCalls}`);
      assert(!apiCalls.some((u) => u.startsWith('/v1/pareto')), 'the trade-off set is not asked for');
      assert(/not computed for a route through places/.test(await page.locator('#pareto').textContent()), 'the trade-off panel says why it is empty');
      const legs = await page.locator('#leg-table').textContent();
      assert(/Ulaanbaatar|Ulan Bator|Zamyn/.test(legs), `the legs do not pass Mongolia: ${legs.slice(0, 300)}`);
      // A whole-route limit with places to pass: the form says so before sending.
      await page.evaluate(() => { document.getElementById('avoid-box').open = true; });
      await page.fill('#max_transshipments', '3');
      apiCalls.length = 0;
      await page.click('#compare');
      await page.waitForSelector('#error:not([hidden])');
      assert(/stretch by stretch/.test(await page.locator('#error').textContent()), 'no message for via with a lift limit');
      assert(await page.locator('#via').getAttribute('aria-invalid') === 'true', 'the via field is not marked');
      assert(apiCalls.length === 0, `sent anyway: ${apiCalls}`);
      await page.fill('#max_transshipments', '');
      await page.fill('#via', '');
    });

    await check('border crossings: pick list from /v1/network (keyboard, named chips), "Avoid this crossing" on a border leg, in the URL', async () => {
      await page.goto(`${base}/?from=CNXIA&to=DEDUI`);
      await page.waitForSelector('#leg-table tbody tr button.avoid-crossing');
      const btn = page.locator('#leg-table button.avoid-crossing').first();
      const crossing = await btn.getAttribute('data-border');
      apiCalls.length = 0;
      await btn.click();
      await page.waitForFunction((id) => new URL(location.href).searchParams.get('avoid_border') === id && !document.getElementById('compare').disabled
        && document.querySelectorAll('#leg-table tbody tr').length > 0, crossing);
      assert(apiCalls.some((u) => u.startsWith('/v1/compare') && u.includes(`avoid_border=${crossing}`)), `no compare call avoiding ${crossing}`);
      assert(await page.locator(`#leg-table button.avoid-crossing[data-border="${crossing}"]`).count() === 0, `${crossing} still crossed`);
      const chip1 = await page.locator('#avoid-border-chips .chip').textContent();
      assert(!chip1.includes(crossing) && /\((\w\w) [↔→] (\w\w)\)/.test(chip1), `chip ${chip1}`);
      // The pick list by keyboard: ArrowDown lists crossings, typing filters by name or country;
      // the crossing avoided above is not offered again.
      await page.focus('#avoid_border');
      await page.keyboard.press('ArrowDown');
      await page.waitForSelector('#avoid-border-list li[role="option"]');
      await page.keyboard.type(crossing, { delay: 10 });
      await page.waitForFunction(() => document.querySelector('#avoid-border-list li.empty'));
      await page.fill('#avoid_border', '');
      await page.keyboard.type('alashankou', { delay: 20 });
      await page.waitForFunction(() => [...document.querySelectorAll('#avoid-border-list li[role="option"] .sname')].every((e) => /Alashankou/i.test(e.textContent))
        && document.querySelectorAll('#avoid-border-list li[role="option"]').length > 0);
      const meta = await page.locator('#avoid-border-list li[role="option"] .smeta').first().textContent();
      assert(/CN [↔→] KZ/.test(meta) && /mean \d[\d–]* h, P90 \d[\d–]* h/.test(meta), `option ${meta}`);
      const picked = (await page.locator('#avoid-border-list li[role="option"] .smeta').first().textContent()).split(' · ')[0];
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.querySelectorAll('#avoid-border-chips .chip').length === 2);
      assert(await page.inputValue('#avoid_border') === '', 'the field keeps the text after a pick');
      await page.click('#compare');
      await page.waitForFunction((id) => (new URL(location.href).searchParams.get('avoid_border') || '').split(',').includes(id), picked);
      // The link restores both chips by name; a chip's × removes it.
      const p2 = watch(await context.newPage());
      await p2.goto(page.url());
      await p2.waitForFunction(() => document.querySelectorAll('#avoid-border-chips .chip').length === 2 && /Alashankou/.test(document.getElementById('avoid-border-chips').textContent));
      assert(!/not a listed/.test(await p2.locator('#avoid-border-chips').textContent()), 'chips of the link not named');
      await p2.locator('#avoid-border-chips .chip-x').first().click();
      assert(await p2.locator('#avoid-border-chips .chip').count() === 1, 'chip not removed');
      await p2.close();
    });

    await check('avoid countries: the list is /v1/network\'s countries (not guessed from location codes)', async () => {
      const p2 = watch(await context.newPage());
      await p2.route('**/v1/network', async (route) => {
        const r = await route.fetch();
        const g = await r.json();
        await route.fulfill({ response: r, json: { ...g, countries: ['DE', 'GE', 'KZ'] } });
      });
      await p2.goto(`${base}/`);
      await p2.waitForFunction(() => document.querySelectorAll('.leaflet-network-pane path.net').length > 50);
      const listed = await p2.evaluate(() => [...document.querySelectorAll('#avoid-countries input')].map((i) => i.value).sort().join());
      assert(listed === 'DE,GE,KZ', `countries listed: ${listed}`);
      assert(/Georgia/.test(await p2.locator('#avoid-countries').textContent()), 'countries not named');
      await p2.close();
      const net = await (await fetch(`${base}/v1/network`)).json();
      const real = await page.evaluate(() => [...document.querySelectorAll('#avoid-countries input')].map((i) => i.value).sort().join());
      assert(real === [...net.countries].sort().join(), `page lists ${real}`);
    });

    await check('gauge changes and lift limit reach the API; bad values get a clear message', async () => {
      await page.goto(`${base}/?from=CNXIA&to=DEDUI&avoid_gauge_changes=true&payload_t=99&optimize=fastest&avoid_country=R1`);
      await page.waitForSelector('#error.warn:not([hidden])');
      const text = await page.locator('#error').textContent();
      assert(/Payload: 99 is out of range/.test(text) && /Optimise for: "fastest"/.test(text) && /R1 is not a two-letter/.test(text), `notice: ${text}`);
      assert(await page.isChecked('#avoid_gauge_changes'), 'avoid_gauge_changes not set from the link');
      apiCalls.length = 0;
      await page.click('#error button.primary'); // Compare anyway
      await page.waitForFunction(() => !document.getElementById('compare').disabled && (document.querySelectorAll('#leg-table tbody tr').length > 0 || !document.getElementById('error').hidden));
      assert(apiCalls.some((u) => /avoid_gauge_changes=true/.test(u)), `calls ${apiCalls.join(' ')}`);
      // Client-side checks name the field and focus it.
      await page.fill('#payload_t', '40');
      await page.click('#compare');
      await page.waitForSelector('#error:not([hidden])');
      assert(/Payload: 40 is out of range/.test(await page.locator('#error').textContent()), 'no payload message');
      assert(await page.getAttribute('#payload_t', 'aria-invalid') === 'true', 'payload not marked invalid');
      assert(await page.evaluate(() => document.activeElement?.id) === 'payload_t', 'payload not focused');
      await page.fill('#payload_t', '');
      await page.fill('#depart', '');
      await page.fill('#latest_arrival', '2027-01-01T00:00');
      await page.click('#compare');
      assert(/deadline needs a departure/i.test(await page.locator('#error').textContent()), 'no deadline message');
    });

    await check('unknown place: "not found" with clickable suggestions; no route: the reason in words', async () => {
      await page.goto(`${base}/`);
      await page.fill('#from', 'Duisbrg');
      await page.keyboard.press('Escape');
      await page.fill('#to', 'Xian');
      await page.keyboard.press('Escape');
      await page.click('#compare');
      await page.waitForSelector('#error:not([hidden]) .suggestions button');
      const text = await page.locator('#error').textContent();
      assert(/origin "Duisbrg" was not found/i.test(text), `error box: ${text}`);
      assert(await page.getAttribute('#from', 'aria-invalid') === 'true', 'origin not marked invalid');
      await page.screenshot({ path: path.join(ARTIFACTS, 'error.png') });
      await page.locator('#error .suggestions button').first().click();
      await page.waitForSelector('#error', { state: 'hidden' });
      await page.waitForSelector('#leg-table tbody tr');
      await page.goto(`${base}/?from=CNXIA&to=DEDUI&avoid_mode=rail,road`);
      await page.waitForSelector('#error:not([hidden])');
      const nr = await page.locator('#error').textContent();
      assert(/No route/.test(nr) && /Why: .*avoided mode/.test(nr) && /remove some of them/.test(nr), `no-route box: ${nr}`);
      await page.click('#clear-avoid');
      await page.waitForSelector('#leg-table tbody tr');
      assert(!new URL(page.url()).searchParams.get('avoid_mode'), `avoid_mode still in ${page.url()}`);
      // A deadline that cannot be met: the reason in words, with a readable time.
      await page.goto(`${base}/?from=CNXIA&to=DEDUI&depart=2026-12-01T08:00&latest_arrival=2026-12-05T08:00`);
      await page.waitForSelector('#error:not([hidden])');
      const late = await page.locator('#error').textContent();
      assert(/deadline/.test(late) && /Duisburg is \d{4}-\d{2}-\d{2} \d{2}:\d{2} \(UTC[+-]\d\d:\d\d\), local time/.test(late) && !/\d{2}:\d{2}(:\d{2})?(\.\d+)?Z/.test(late), `deadline box: ${late}`);
      // An unknown border id: the field named, the server's long list of known ids cut short.
      await page.goto(`${base}/?from=CNXIA&to=DEDUI&avoid_border=nonsense`);
      await page.waitForSelector('#error:not([hidden])');
      const border = await page.locator('#error').textContent();
      assert(/Avoided border crossings/.test(border) && /and \d+ more/.test(border) && border.length < 900, `border box (${border.length} chars): ${border.slice(0, 300)}`);
      assert(await page.getAttribute('#avoid_border', 'aria-invalid') === 'true', 'border field not marked');
    });

    await check('a place outside the network (README example): estimated truck legs tagged and dotted, the note shown', async () => {
      await page.goto(`${base}/?from=Yakutsk&to=Baku`);
      await page.waitForSelector('#leg-table tbody tr');
      assert(await page.isVisible('#route-notes'), 'no route notes');
      assert(/not a corridor terminal/.test(await page.locator('#route-notes').textContent()), 'the note is not the server\'s');
      assert(await page.locator('#leg-table .tag-estimated').count() >= 1, 'no estimated tag');
      const dotted = await page.evaluate(() => [...document.querySelectorAll('.leaflet-overlay-pane path.route.estimated')].filter((p) => p.getAttribute('stroke-dasharray') === '1 7').length);
      assert(dotted >= 1, 'estimated legs not dotted on the map');
    });

    await check('server error or timeout: a message and a Retry button that recovers', async () => {
      let failures = 1;
      await page.route('**/v1/compare?*', (route) => {
        if (failures-- > 0) return route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ code: 'Overloaded', message: 'too many requests in flight; retry after 1 s' }) });
        return route.continue();
      });
      await page.goto(`${base}/?from=CNXIA&to=DEDUI`);
      await page.waitForSelector('#error:not([hidden]) #retry');
      const text = await page.locator('#error').textContent();
      assert(/busy/i.test(text), `error box: ${text}`);
      await page.click('#retry');
      await page.waitForSelector('#error', { state: 'hidden' });
      await page.waitForSelector('#leg-table tbody tr');
      await page.unroute('**/v1/compare?*');
    });

    await check('map click: set as origin or destination, with the nearest network locations', async () => {
      await page.goto(`${base}/`);
      await page.waitForFunction(() => document.querySelectorAll('.leaflet-network-pane path.net').length > 50);
      const box = await page.locator('#map').boundingBox();
      await page.mouse.click(box.x + box.width * 0.45, box.y + box.height * 0.55);
      await page.waitForSelector('.pick-popup button[data-set="from"]');
      const coords = await page.locator('.pick-coords').textContent();
      await page.click('.pick-popup button[data-set="to"]');
      const v = await page.inputValue('#to');
      assert(/^-?\d+\.\d\d,-?\d+\.\d\d$/.test(v) && v.replace(',', ', ') === coords, `destination ${v} from ${coords}`);
      // By keyboard: Enter on the focused map offers its centre; the first button has the focus.
      await page.focus('#map');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.activeElement?.dataset?.set === 'from');
      await page.keyboard.press('Enter');
      const o = await page.inputValue('#from');
      assert(/^-?\d+\.\d\d,-?\d+\.\d\d$/.test(o), `origin by keyboard ${o}`);
    });

    await check('corridor flow layer by keyboard: flow lines, legend, shares, bottlenecks, shadow prices', async () => {
      await page.focus('#flows-on');
      await page.keyboard.press('Space');
      await page.waitForSelector('#bottleneck-table tbody tr');
      await page.waitForFunction(() => document.querySelectorAll('.leaflet-flows-pane path.flow').length > 10);
      const widths = await page.evaluate(() => [...document.querySelectorAll('.leaflet-flows-pane path.flow')].map((p) => Number(p.getAttribute('stroke-width'))));
      assert(Math.max(...widths) <= 12 && Math.max(...widths) > Math.min(...widths), `flow widths ${Math.min(...widths)}..${Math.max(...widths)}`);
      const first = await page.locator('#bottleneck-table tbody tr').first().locator('td').allTextContents();
      assert(first.length === 4 && first[0] && /\d+ \/ \d/.test(first[1]) && /%$/.test(first[2]), `first bottleneck row ${JSON.stringify(first)}`);
      const shares = await page.locator('#flow-shares li').allTextContents();
      assert(shares.some((t) => /Northern/.test(t)) && shares.every((t) => /%$/.test(t)), `corridor shares ${JSON.stringify(shares)}`);
      assert(await page.isVisible('#flow-legend'), 'flow legend hidden');
      await page.selectOption('#flows-color', 'utilisation');
      assert(/utilisation/.test(await page.locator('#flow-legend').textContent()), 'utilisation legend');
      await page.focus('#flows-hard');
      await page.keyboard.press('Space');
      await page.waitForFunction(() => /Shadow/.test(document.querySelector('#bottleneck-table thead').textContent));
      const price = await page.locator('#bottleneck-table tbody tr').first().locator('td').nth(3).textContent();
      assert(/^\$[\d,]+$/.test(price), `shadow price cell ${price}`);
      const sp = new URL(page.url()).searchParams;
      assert(sp.get('flows') === 'hard' && sp.get('flows_color') === 'utilisation', `flow layer not in the URL: ${page.url()}`);
      const p2 = watch(await context.newPage());
      await p2.goto(page.url());
      await p2.waitForFunction(() => document.querySelectorAll('.leaflet-flows-pane path.flow').length > 10 && /Shadow/.test(document.querySelector('#bottleneck-table thead').textContent));
      assert(await p2.isChecked('#flows-hard') && await p2.inputValue('#flows-color') === 'utilisation', 'the link does not restore the flow layer');
      await p2.close();
      await page.focus('#flows-on');
      await page.keyboard.press('Space');
      await page.waitForFunction(() => document.querySelectorAll('.leaflet-flows-pane path.flow').length === 0);
      assert(!new URL(page.url()).searchParams.get('flows'), 'flows still in the URL when off');
      assert(await page.isHidden('#flow-legend'), 'flow legend still shown with the layer off');
    });
    await check('many-to-many table (README example): cells, metric switch, URL, unknown entry named', async () => {
      await page.selectOption('#optimize', 'time');
      await page.fill('#table-sources', 'Xian, Chongqing');
      await page.fill('#table-targets', 'Duisburg, Malaszewicze');
      apiCalls.length = 0;
      await page.click('#table-run');
      await page.waitForSelector('#matrix-table tbody tr');
      const call = apiCalls.find((u) => u.startsWith('/v1/table'));
      assert(call && /optimize=time/.test(call) && /sources=Xian/.test(call), `table call ${call}`);
      const rows = await page.locator('#matrix-table tbody tr').allTextContents();
      assert(rows.length === 2 && rows.every((r) => /\d+\.\d/.test(r)), `table rows ${JSON.stringify(rows)}`);
      await page.selectOption('#table-metric', 'usd');
      assert(/\$[\d,]+/.test(await page.locator('#matrix-table tbody td').first().textContent()), 'metric switch');
      const sp = new URL(page.url()).searchParams;
      assert(sp.get('sources') === 'Xian,Chongqing' && sp.get('targets') === 'Duisburg,Malaszewicze' && sp.get('table_metric') === 'usd', `URL ${page.url()}`);
      await page.fill('#table-sources', 'Xian, Chongqng');
      await page.click('#table-run');
      await page.waitForSelector('#error:not([hidden])');
      const text = await page.locator('#error').textContent();
      assert(/Chongqng/.test(text) && await page.getAttribute('#table-sources', 'aria-invalid') === 'true', `table error: ${text}`);
    });
    await context.close();

    const phone = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const mp = watch(await phone.newPage());
    await check('phone 390x844: map in the first screen, legs as cards, no sideways scroll, axe clean', async () => {
      await mp.goto(`${base}/?from=CNXIA&to=DEDUI&depart=2026-12-01T08:00`);
      await mp.waitForSelector('#leg-table tbody tr');
      await mp.waitForTimeout(150);
      const o = await horizontalOverflow(mp);
      assert(o.sw <= o.iw, `page is ${o.sw}px wide in a ${o.iw}px window (${JSON.stringify(o.worst)})`);
      const m = await mp.evaluate(() => { const r = document.getElementById('map').getBoundingClientRect(); return { top: r.top + window.scrollY, h: r.height }; });
      assert(m.top < 844 && m.h >= 300, `map at ${m.top}px, ${m.h}px tall`);
      const card = await mp.evaluate(() => ({ display: getComputedStyle(document.querySelector('#leg-table tbody tr')).display, head: document.querySelector('#leg-table thead').getBoundingClientRect().height }));
      assert(card.display === 'grid' && card.head <= 1, `leg rows ${JSON.stringify(card)}`);
      const tableW = await mp.evaluate(() => document.getElementById('leg-table').getBoundingClientRect().width);
      assert(tableW <= 390, `leg table ${tableW}px wide`);
      assert(/Xi.an/.test(await mp.inputValue('#from')), `origin shows ${await mp.inputValue('#from')}`);
      const legend = await mp.getAttribute('#map-legend .legend-toggle', 'aria-expanded');
      assert(legend === 'false', 'legend open on a phone (covers the map)');
      const bad = await routesInView(mp);
      assert(bad.length === 0, bad.slice(0, 4).join('; '));
      await mp.screenshot({ path: path.join(ARTIFACTS, 'phone-compare.png'), fullPage: true });
      const v = await axeViolations(mp);
      assert(v.length === 0, v.map((x) => `${x.id} (${x.impact}): ${x.help} at ${x.nodes.join(' | ')}`).join('\n'));
    });
    await check('phone 390x844 and 360px: the report has no sideways scroll', async () => {
      await mp.click('#report-open');
      await mp.waitForSelector('#report:not([hidden]) .report-table');
      const o = await horizontalOverflow(mp);
      assert(o.sw <= o.iw, `report is ${o.sw}px wide in a ${o.iw}px window (${JSON.stringify(o.worst)})`);
      await mp.click('#report-close');
      await mp.setViewportSize({ width: 360, height: 740 });
      await mp.waitForTimeout(100);
      const o2 = await horizontalOverflow(mp);
      assert(o2.sw <= o2.iw, `page is ${o2.sw}px wide at 360px (${JSON.stringify(o2.worst)})`);
    });
    await phone.close();

    await check('no console errors (but the refused test requests) and no request leaves the server', async () => {
      const other = consoleErrors.filter((m) => !/status of (400|404|422|503)/.test(m));
      assert(other.length === 0, `console errors:\n${other.join('\n')}`);
      assert(foreign.length === 0, `requests to other hosts: ${foreign.join(', ')}`);
    });
  } catch (e) {
    results.push({ name: 'setup', ok: false });
    console.log(`FAIL setup: ${e?.stack || e}`);
  } finally {
    clearTimeout(watchdog);
    await close();
  }
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  console.log(`${passed} passed, ${failed} failed (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  process.exit(failed ? 1 : 0);
}

main();
