// Shared by e2e.mjs and screenshots.mjs: starts `corridor serve` on a free loopback port and
// Debian's Chromium through playwright-core, and stops both.
//
// Environment: CORRIDOR_BIN (default target/debug/corridor, or $CARGO_TARGET_DIR/debug/corridor),
// CHROMIUM (default /usr/bin/chromium).

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ARTIFACTS = path.join(ROOT, 'web/tests/artifacts');
const BIN = path.resolve(ROOT, process.env.CORRIDOR_BIN
  || (process.env.CARGO_TARGET_DIR ? path.join(process.env.CARGO_TARGET_DIR, 'debug/corridor') : 'target/debug/corridor'));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--font-render-hinting=none'];

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

/** Starts the server and the browser; `close()` stops both. */
export async function start() {
  if (!fs.existsSync(BIN)) throw new Error(`${BIN} not found: run 'cargo build -p corridor-cli' or set CORRIDOR_BIN`);
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install chromium, or set CHROMIUM`);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const serverLog = fs.createWriteStream(path.join(ARTIFACTS, 'server.log'));
  // A generous time budget: CI runs the debug build, 10–20 times slower than release, on a
  // shared machine, where a constrained compare (--avoid-gauge-changes, 0.9 s in release) can
  // pass the default 10 s and answer 504. The budget itself is tested in corridor-server.
  const server = spawn(BIN, ['serve', '--bind', `127.0.0.1:${port}`, '--time-budget', '120'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RUST_LOG: 'info' } });
  server.stdout.pipe(serverLog);
  server.stderr.pipe(serverLog);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-e2e-'));
  let browser;
  const close = async () => {
    await browser?.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
    server.kill('SIGTERM');
    await Promise.race([once(server, 'exit'), new Promise((r) => setTimeout(r, 5000))]);
  };
  try {
    const health = await waitHealthy(base, server, 30_000);
    console.log(`server ${path.relative(ROOT, BIN)} on ${base}: ${health.dataset.name} ${health.dataset.version}`);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  } catch (e) {
    await close();
    throw e;
  }
  return { base, browser, server, close };
}
