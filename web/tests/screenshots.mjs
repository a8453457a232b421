// Writes the web map's screenshots in docs/screenshots/ (desktop 1440x900 and phone 390x844 of
// the main views), from a `corridor serve` started on a free port as e2e.mjs does.
//
//   node web/tests/screenshots.mjs
//
// Environment: see harness.mjs (CORRIDOR_BIN, CHROMIUM).

import fs from 'node:fs';
import path from 'node:path';
import { start, ROOT } from './harness.mjs';

const OUT = path.join(ROOT, 'docs/screenshots');
const QUERY = '?from=CNXIA&to=DEDUI&optimize=time&depart=2026-12-01T08:00';

async function settle(page) {
  await page.evaluate(() => document.activeElement?.blur());
  await page.waitForTimeout(500);
}

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  const { base, browser, close } = await start();
  const shots = [];
  const save = async (page, name, opts = {}) => {
    const file = path.join(OUT, `${name}.png`);
    await page.screenshot({ path: file, ...opts });
    shots.push(path.relative(ROOT, file));
  };
  try {
    const desk = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await desk.goto(`${base}/${QUERY}`);
    await desk.waitForSelector('#leg-table tbody tr');
    await settle(desk);
    await save(desk, 'desktop-compare');
    // A leg highlighted from the table.
    await desk.hover('#leg-table tbody tr:nth-child(6)');
    await desk.waitForTimeout(200);
    await save(desk, 'desktop-leg-highlight');
    // The selected route's totals, time and price bands, and the trade-off scatter.
    await desk.evaluate(() => document.getElementById('selected-h').scrollIntoView());
    await desk.hover('#pareto svg circle.pt');
    await desk.waitForTimeout(200);
    await save(desk, 'desktop-tradeoffs');
    await desk.click('#pareto-wide');
    await desk.hover('#pareto svg circle.pt');
    await desk.waitForTimeout(200);
    await save(desk, 'desktop-tradeoffs-large');
    await desk.click('#pareto-wide');
    await desk.evaluate(() => { document.querySelector('.panel').scrollTop = 0; });
    // The options: avoid and advanced sections open.
    await desk.evaluate(() => { for (const d of document.querySelectorAll('details')) d.open = true; document.querySelector('.panel').scrollTop = 0; });
    // A border crossing picked from the pick list (a chip), as a planner would.
    await desk.focus('#avoid_border');
    await desk.keyboard.type('dostyk', { delay: 20 });
    await desk.waitForSelector('#avoid-border-list li[role="option"]');
    await desk.keyboard.press('Enter');
    await desk.waitForSelector('#avoid-border-chips .chip');
    await desk.evaluate(() => { document.querySelector('.panel').scrollTop = 0; });
    await settle(desk);
    await save(desk, 'desktop-options');
    await desk.evaluate(() => { for (const d of document.querySelectorAll('details')) d.open = false; });
    // Regional zoom: city labels and the network's lines.
    await desk.goto(`${base}/?map=42.5,45.5,5.5`);
    await desk.waitForFunction(() => document.querySelectorAll('.leaflet-network-pane path.net').length > 50);
    await desk.waitForFunction(() => document.querySelectorAll('.city-label').length > 10);
    await settle(desk);
    await save(desk, 'desktop-regional');
    // The report, as printed (full page).
    await desk.goto(`${base}/${QUERY}&view=report`);
    await desk.waitForSelector('#report:not([hidden]) .report-table');
    await settle(desk);
    await save(desk, 'desktop-report', { fullPage: true });
    // An unknown place.
    await desk.goto(`${base}/?from=Duisbrg&to=Xian`);
    await desk.waitForSelector('#error:not([hidden]) .suggestions button');
    await settle(desk);
    await save(desk, 'desktop-error');
    await desk.close();

    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
    const mp = await phone.newPage();
    await mp.goto(`${base}/${QUERY}`);
    await mp.waitForSelector('#leg-table tbody tr');
    await settle(mp);
    await save(mp, 'phone-first-screen');
    await mp.evaluate(() => document.getElementById('legs').scrollIntoView());
    await settle(mp);
    await save(mp, 'phone-legs');
    await mp.evaluate(() => document.getElementById('results').scrollIntoView());
    await settle(mp);
    await save(mp, 'phone-results');
    await phone.close();
  } finally {
    await close();
  }
  for (const s of shots) console.log(`wrote ${s}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
