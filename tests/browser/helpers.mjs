// Shared set-up for browser tests: Debian's chromium driven by
// playwright-core, headless, no sandbox (we run as root), and no background
// networking (this machine's network is closed; Chromium would otherwise
// keep trying to reach Google).

import { chromium } from 'playwright-core';

export const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:8899';
export const ARTIFACTS = new URL('../artifacts/', import.meta.url).pathname;

export async function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// A page that records console errors and CSP violations, so a test can
// assert there were none.
export async function newPage(browser, opts = {}) {
  const context = await browser.newContext({ locale: 'ko-KR', ...opts });
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (m) => { if (m.type() === 'error') page.problems.push(m.text()); });
  page.on('pageerror', (e) => page.problems.push(String(e)));
  return page;
}
