// End-to-end test of the web map: starts `corridor serve` on a free loopback port, drives the
// page in headless Chromium (Debian's /usr/bin/chromium through playwright-core), and checks
// that a user can type two places, pick them from the autocomplete, compare the corridors and
// read the result, and turn on the corridor flow layer (/v1/assign). Prints one line per check
// and 'N passed, N failed'; exits non-zero on any failure.
//
//   node web/tests/e2e.mjs
//
// Environment: CORRIDOR_BIN (default target/debug/corridor, or $CARGO_TARGET_DIR/debug/corridor),
// CHROMIUM (default /usr/bin/chromium), UPDATE_SCREENSHOT=1 to refresh docs/screenshot.png
// (it is also written when missing). Screenshots go to web/tests/artifacts/ (git-ignored).

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ARTIFACTS = path.join(ROOT, 'web/tests/artifacts');
const BIN = path.resolve(ROOT, process.env.CORRIDOR_BIN
  || (process.env.CARGO_TARGET_DIR ? path.join(process.env.CARGO_TARGET_DIR, 'debug/corridor') : 'target/debug/corridor'));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

const results = [];
async function check(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name}: ${String(e?.message || e).split('\n').slice(0, 6).join('\n     ')}`);
  }
}
function assert(cond, msg) { if (!cond) throw new Error(msg); }

async function freePort() {
  const srv = net.createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address();
  srv.close();
  await once(srv, 'close');
  return port;
}

async function waitHealthy(base, server, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (server.exitCode !== null) throw new Error(`corridor serve exited with ${server.exitCode}`);
    try {
      const r = await fetch(`${base}/health`);
      if (r.ok) return r.json();
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${base}/health did not answer within ${ms} ms`);
}

async function main() {
  assert(fs.existsSync(BIN), `${BIN} not found: run 'cargo build -p corridor-cli' or set CORRIDOR_BIN`);
  assert(fs.existsSync(CHROMIUM), `${CHROMIUM} not found: apt-get install chromium, or set CHROMIUM`);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const serverLog = fs.createWriteStream(path.join(ARTIFACTS, 'server.log'));
  const server = spawn(BIN, ['serve', '--bind', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RUST_LOG: 'info' } });
  server.stdout.pipe(serverLog);
  server.stderr.pipe(serverLog);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-e2e-'));
  let context;
  const watchdog = setTimeout(() => {
    console.log('FAIL e2e: overall time limit (180 s) exceeded');
    server.kill('SIGKILL');
    process.exit(1);
  }, 180_000);
  try {
    const health = await waitHealthy(base, server, 30_000);
    console.log(`server ${BIN} on ${base}: ${health.dataset.name} ${health.dataset.version}`);
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      viewport: { width: 1366, height: 768 },
      acceptDownloads: true,
    });
    const page = context.pages()[0] || await context.newPage();
    page.setDefaultTimeout(20_000);
    const consoleErrors = [];
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
    const foreign = [];
    page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) foreign.push(r.url()); });

    await check('page loads with the offline basemap', async () => {
      const resp = await page.goto(`${base}/`);
      assert(resp.ok(), `GET / answered ${resp.status()}`);
      assert((await page.title()).includes('corridor'), `title ${await page.title()}`);
      await page.waitForFunction(() => document.querySelectorAll('.leaflet-overlay-pane path').length > 50);
      await page.waitForFunction(() => document.getElementById('dataset').textContent.length > 0);
    });

    await check('every form control has an accessible name', async () => {
      const unnamed = await page.evaluate(() => [...document.querySelectorAll('input, select, button')]
        .filter((e) => e.offsetParent !== null)
        .filter((e) => !(e.labels?.length || e.getAttribute('aria-label') || e.textContent.trim()))
        .map((e) => e.id || e.outerHTML.slice(0, 60)));
      assert(unnamed.length === 0, `unnamed controls: ${unnamed.join(', ')}`);
    });

    await check('origin autocomplete by keyboard (type, ArrowDown/Up, Enter)', async () => {
      await page.focus('#from');
      await page.keyboard.type('xian', { delay: 40 });
      await page.waitForSelector('#from-list li[role="option"]');
      assert(await page.getAttribute('#from', 'aria-expanded') === 'true', 'aria-expanded is not true');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowUp');
      const active = await page.getAttribute('#from', 'aria-activedescendant');
      assert(active, 'no aria-activedescendant while moving through the list');
      assert(await page.getAttribute(`#${active}`, 'aria-selected') === 'true', 'active option not aria-selected');
      await page.keyboard.press('Enter');
      const v = await page.inputValue('#from');
      assert(/CNXIA/.test(v), `origin is ${JSON.stringify(v)}, expected Xi'an (CNXIA)`);
      assert(await page.isHidden('#from-list'), 'list still open after Enter');
    });

    await check('destination autocomplete by mouse', async () => {
      await page.click('#to');
      await page.keyboard.type('Duisb', { delay: 40 });
      const opt = page.locator('#to-list li[role="option"]', { hasText: 'Duisburg' }).first();
      await opt.waitFor();
      await opt.click();
      const v = await page.inputValue('#to');
      assert(/DEDUI/.test(v), `destination is ${JSON.stringify(v)}, expected Duisburg (DEDUI)`);
    });

    await check('compare draws every corridor route and fills the leg table', async () => {
      await page.selectOption('#optimize', 'time');
      await page.click('#compare');
      await page.waitForSelector('#leg-table tbody tr');
      const routes = await page.locator('.leaflet-overlay-pane path.route').count();
      const corridors = await page.locator('#legend .corr[data-corridor]:not([data-corridor="best"]):not([disabled])').count();
      assert(corridors >= 3, `${corridors} corridors with a route, expected at least 3`);
      const drawn = await page.evaluate(() => new Set([...document.querySelectorAll('.leaflet-overlay-pane path.route')]
        .map((p) => [...p.classList].find((c) => c.startsWith('route-')))).size);
      assert(drawn >= corridors, `${drawn} corridors drawn (${routes} paths), ${corridors} have routes`);
      const rows = await page.locator('#leg-table tbody tr').count();
      assert(rows >= 3, `${rows} leg rows`);
      const cells = await page.locator('#leg-table tbody tr').first().locator('td').allTextContents();
      assert(cells.length === 9 && cells[2] && cells[3], `first row ${JSON.stringify(cells)}`);
      const notes = await page.locator('#leg-table .tag').allTextContents();
      assert(notes.some((n) => /border|gauge/i.test(n)), `no border or gauge labels in ${JSON.stringify(notes)}`);
      const legend = await page.locator('#map-legend').textContent();
      assert(/Northern/i.test(legend), `map legend: ${legend}`);
    });

    await check('totals, P50/P90 bar and Pareto chart are shown', async () => {
      const totals = await page.locator('#totals').textContent();
      assert(/Transit/.test(totals) && /CO2e/.test(totals) && /\$/.test(totals), `totals: ${totals}`);
      const bar = await page.getAttribute('.rbar', 'aria-label');
      assert(/P50 [\d.]+ days, P90 [\d.]+ days/.test(bar || ''), `reliability bar: ${bar}`);
      const points = await page.locator('#pareto svg circle.pt').count();
      assert(points >= 1, `${points} Pareto points`);
      await page.focus('#pareto svg circle.pt');
      assert(/Route 1: [\d.]+ d/.test(await page.locator('#pareto .pinfo').textContent()), 'Pareto point details on focus');
    });

    await check('layout fits 1366x768 without horizontal scrolling', async () => {
      const { sw, iw } = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, iw: window.innerWidth }));
      assert(sw <= iw, `page is ${sw}px wide in a ${iw}px window`);
      const box = await page.locator('#map').boundingBox();
      assert(box && box.width > 700 && box.height > 250, `map is ${JSON.stringify(box)}`);
    });

    await check('screenshot', async () => {
      await page.evaluate(() => { document.querySelector('.panel').scrollTop = 0; document.activeElement?.blur(); });
      await page.waitForTimeout(400); // let the fit-bounds animation settle
      const shot = path.join(ARTIFACTS, 'compare.png');
      await page.screenshot({ path: shot });
      const docs = path.join(ROOT, 'docs/screenshot.png');
      if (process.env.UPDATE_SCREENSHOT === '1' || !fs.existsSync(docs)) {
        fs.copyFileSync(shot, docs);
        console.log(`     wrote ${path.relative(ROOT, docs)}`);
      }
      console.log(`     saved ${path.relative(ROOT, shot)}`);
    });

    await check('selecting a corridor by keyboard shows its legs', async () => {
      await page.focus('#legend .corr[aria-checked="true"]');
      await page.keyboard.press('ArrowDown');
      const chosen = await page.evaluate(() => document.activeElement?.dataset.corridor);
      assert(chosen && chosen !== 'best', `focus on ${chosen}`);
      const name = (await page.locator(`#legend .corr[data-corridor="${chosen}"] .cname`).textContent()).trim();
      await page.waitForFunction((n) => document.getElementById('legs-h').textContent.includes(n) && document.querySelectorAll('#leg-table tbody tr').length > 0, name);
      assert(await page.getAttribute(`#legend .corr[data-corridor="${chosen}"]`, 'aria-checked') === 'true', 'not aria-checked');
    });

    await check('a trade-off point chosen by keyboard is drawn and its legs shown', async () => {
      const last = page.locator('#pareto svg circle.pt').last();
      await last.focus();
      await page.keyboard.press('Enter');
      await page.waitForSelector('.leaflet-overlay-pane path.route-pareto');
      await page.waitForFunction(() => /Trade-off route \d+/.test(document.getElementById('legs-h').textContent));
      assert(await last.getAttribute('aria-pressed') === 'true', 'point not aria-pressed');
      assert(await page.locator('#leg-table tbody tr').count() > 0, 'no legs for the trade-off route');
      await page.screenshot({ path: path.join(ARTIFACTS, 'pareto.png') });
    });

    await check('downloads GeoJSON and CSV', async () => {
      const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#dl-csv')]);
      const text = fs.readFileSync(await csv.path(), 'utf8');
      const lines = text.trim().split(/\r?\n/);
      assert(lines[0].startsWith('route,seq,kind,platform,from'), `CSV header ${lines[0]}`);
      assert(lines.length > 10, `${lines.length} CSV lines`);
      const [gj] = await Promise.all([page.waitForEvent('download'), page.click('#dl-geojson')]);
      const fc = JSON.parse(fs.readFileSync(await gj.path(), 'utf8'));
      assert(fc.type === 'FeatureCollection' && fc.features.length > 0, 'GeoJSON is not a non-empty FeatureCollection');
      assert(/\.geojson$/.test(gj.suggestedFilename()) && /\.csv$/.test(csv.suggestedFilename()), 'file names');
    });

    await check('corridor flow layer by keyboard: flow lines, legend, shares, bottlenecks, shadow prices', async () => {
      await page.focus('#flows-on');
      await page.keyboard.press('Space');
      await page.waitForSelector('#bottleneck-table tbody tr');
      await page.waitForFunction(() => document.querySelectorAll('.leaflet-flows-pane path.flow').length > 10);
      const widths = await page.evaluate(() => [...document.querySelectorAll('.leaflet-flows-pane path.flow')]
        .map((p) => Number(p.getAttribute('stroke-width'))));
      assert(Math.max(...widths) <= 12 && Math.max(...widths) > Math.min(...widths), `flow widths ${Math.min(...widths)}..${Math.max(...widths)}`);
      const rows = await page.locator('#bottleneck-table tbody tr').count();
      assert(rows >= 3, `${rows} bottleneck rows`);
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
      await page.screenshot({ path: path.join(ARTIFACTS, 'flows.png') });
      await page.focus('#flows-on');
      await page.keyboard.press('Space');
      await page.waitForFunction(() => document.querySelectorAll('.leaflet-flows-pane path.flow').length === 0);
      assert(await page.isHidden('#flow-legend'), 'flow legend still shown with the layer off');
    });

    await check('no console errors and no requests off this server', async () => {
      assert(consoleErrors.length === 0, `console errors:\n${consoleErrors.join('\n')}`);
      assert(foreign.length === 0, `requests to other hosts: ${foreign.join(', ')}`);
    });

    await check('an unknown place shows the API error with suggestions', async () => {
      await page.fill('#from', 'Duisbrg');
      await page.keyboard.press('Escape');
      await page.fill('#to', 'Xian');
      await page.keyboard.press('Escape');
      consoleErrors.length = 0;
      await page.click('#compare');
      await page.waitForSelector('#error:not([hidden])');
      const text = await page.locator('#error').textContent();
      assert(/UnknownLocation|AmbiguousLocation/.test(text), `error box: ${text}`);
      const suggestion = page.locator('#error .suggestions button').first();
      assert(await suggestion.count() === 1, `no suggestion buttons in: ${text}`);
      await page.screenshot({ path: path.join(ARTIFACTS, 'error.png') });
      await suggestion.click();
      await page.waitForSelector('#error', { state: 'hidden' });
      await page.waitForSelector('#leg-table tbody tr');
      // The browser logs the 400 answer itself; nothing else may be logged.
      const other = consoleErrors.filter((m) => !/status of 400/.test(m));
      assert(other.length === 0, `console errors: ${other.join('\n')}`);
    });
  } catch (e) {
    results.push({ name: 'setup', ok: false });
    console.log(`FAIL setup: ${e?.stack || e}`);
  } finally {
    clearTimeout(watchdog);
    await context?.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
    server.kill('SIGTERM');
    await Promise.race([once(server, 'exit'), new Promise((r) => setTimeout(r, 5000))]);
  }
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main();
