// The reports in a real browser: a reviewer opens the reports, filters the
// spend report by agency type and year, looks at the charts, downloads the
// CSV and checks its figures against the invoice ledger (SQL here); then,
// signed out, someone opens the public transparency page in English and
// downloads its open data. The ledger is bench/ledger.sql's (run here as
// the database owner, removed again afterwards). Screenshots go to
// tests/artifacts/.

import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { launch, newPage, BASE, ARTIFACTS } from './helpers.mjs';

const PASSWORD = 'Gureum-demo-2026!';
const DB = process.env.GUREUM_DATABASE;
const YEAR = 2025;
const INVOICED = "i.status IN ('issued', 'accepted', 'disputed', 'paid')";

function sql(q) {
  return execFileSync('psql', [DB, '-X', '-qtA', '-v', 'ON_ERROR_STOP=1', '-c', q],
    { encoding: 'utf8' }).trim();
}

function ledger(drop) {
  execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', DB, '-v', 'contracts=240',
    '-v', `year=${YEAR}`, '-v', 'seed=11', '-v', `drop=${drop}`, '-f',
    new URL('../../bench/ledger.sql', import.meta.url).pathname], { encoding: 'utf8' });
}

// Reads a downloaded CSV (BOM, quoted text, bare numbers) into objects.
function readCsv(path) {
  const bytes = fs.readFileSync(path);
  assert.equal(bytes.subarray(0, 3).toString('hex'), 'efbbbf');
  const lines = bytes.subarray(3).toString('utf8').split('\r\n').filter((l) => l !== '');
  const cells = (l) => [...l.matchAll(/(?:^|,)(?:"((?:[^"]|"")*)"|([^,"]*))/g)]
    .map((m) => (m[1] !== undefined ? m[1].replaceAll('""', '"') : m[2]));
  const head = cells(lines[0]);
  return lines.slice(1).map((l) => Object.fromEntries(cells(l).map((v, i) => [head[i], v])));
}

let browser;
before(async () => {
  ledger(0);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  ledger(1);
});

async function signIn(page, email) {
  await page.goto(BASE + '/login');
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
  await page.click('form[action="/login"] button[type="submit"]');
  await page.waitForURL(/\/home$/);
}

// Console errors less Chromium's own /favicon.ico probe after a form GET
// (head.html declares no icon file; see listing.test.mjs).
function watch(page) {
  page.favicon = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && m.location().url.endsWith('/favicon.ico'))
      page.favicon.push(page.problems.length - 1);
  });
  return page;
}
const problems = (page) => page.problems.filter((p, i) => !page.favicon.includes(i));

// The number in a cell, "1,234,567" → 1234567.
const won = (s) => Number(s.replace(/[^0-9-]/g, ''));

test('a reviewer filters spend by agency type and year, and the CSV matches the ledger', async () => {
  const page = watch(await newPage(browser, { acceptDownloads: true }));
  await signIn(page, 'reviewer@pps.go.kr');
  await page.goto(BASE + '/reports');
  await page.screenshot({ path: ARTIFACTS + 'reports-index.png', fullPage: true });
  await page.click('a[data-report="spend"]');
  await page.waitForURL(/\/reports\/spend$/);

  await page.selectOption('#fy', String(YEAR));
  await page.selectOption('#agency_type', 'metropolitan');
  await page.click('form.report-filters button[type="submit"]');
  await page.waitForURL(/fy=2025/);
  assert.match(page.url(), /agency_type=metropolitan/);
  // The filters stay chosen.
  assert.equal(await page.inputValue('#fy'), String(YEAR));
  assert.equal(await page.inputValue('#agency_type'), 'metropolitan');

  const want = Number(sql(`SELECT sum(i.total_won) FROM invoices i JOIN organisations a ON a.id = i.org_id
    WHERE ${INVOICED} AND i.month >= '${YEAR}-01-01' AND i.month < '${YEAR + 1}-01-01'
    AND a.agency_type = 'metropolitan'`));
  assert.ok(want > 0);
  // The page's total row (VAT included) is the ledger's, to the won.
  const month = page.locator('section[data-table="by_month"]');
  const heads = await month.locator('thead th').allTextContents();
  const col = heads.findIndex((h) => /합계\(부가세 포함\)/.test(h));
  assert.ok(col > 0, heads.join('|'));
  const totalCell = await month.locator('tfoot tr th, tfoot tr td').nth(col).textContent();
  assert.equal(won(totalCell), want);
  // A row per month with invoices, and a bar each, drawn without JavaScript.
  const months = await month.locator('tbody tr').count();
  assert.ok(months >= 6 && months <= 12);
  assert.equal(await month.locator('figure svg rect').count(), months);
  const agencyTypes = await page.locator('section[data-table="by_agency_type"] tbody th').allTextContents();
  assert.deepEqual(agencyTypes, ['광역 지자체']);
  await page.screenshot({ path: ARTIFACTS + 'reports-spend-filtered.png', fullPage: true });
  await month.locator('figure').screenshot({ path: ARTIFACTS + 'reports-spend-chart.png' });

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('section[data-table="by_vendor"] a[data-csv="by_vendor"]'),
  ]);
  assert.equal(download.suggestedFilename(), 'gureum-spend-by_vendor.csv');
  const path = ARTIFACTS + 'reports-spend-by_vendor.csv';
  await download.saveAs(path);
  const rows = readCsv(path);
  assert.ok(rows.length > 0);
  assert.ok('ProviderName' in rows[0] && 'BilledCost' in rows[0] && 'x_BilledCostInclVat' in rows[0]);
  assert.equal(rows.reduce((s, r) => s + Number(r.x_BilledCostInclVat), 0), want);
  for (const r of rows.slice(0, 5)) {
    assert.equal(Number(r.x_BilledCostInclVat), Number(sql(`SELECT sum(i.total_won) FROM invoices i
      JOIN organisations a ON a.id = i.org_id WHERE ${INVOICED} AND i.month >= '${YEAR}-01-01'
      AND i.month < '${YEAR + 1}-01-01' AND a.agency_type = 'metropolitan' AND i.vendor_id = ${r.x_ProviderId}`)));
  }

  // The other reports open from the navigation.
  for (const name of ['sme', 'contracts', 'ceilings', 'certificates', 'catalog']) {
    await page.click(`nav.report-nav a[href="/reports/${name}"]`);
    await page.waitForURL(new RegExp(`/reports/${name}$`));
    assert.equal(await page.locator('h1').count(), 1);
  }
  await page.goto(`${BASE}/reports/contracts?fy=${YEAR}`);
  await page.screenshot({ path: ARTIFACTS + 'reports-contracts.png', fullPage: true });
  await page.goto(`${BASE}/reports/ceilings?fy=${YEAR}`);
  await page.screenshot({ path: ARTIFACTS + 'reports-ceilings.png', fullPage: true });
  assert.deepEqual(problems(page), []);
});

test('a bad filter is shown on the form, which keeps what was typed', async () => {
  const page = await newPage(browser);
  await signIn(page, 'auditor@pps.go.kr');
  await page.goto(`${BASE}/reports/sme?from=2025-06&to=2025-01`);
  await page.waitForSelector('.error-summary');
  assert.equal(await page.inputValue('#from'), '2025-06');
  assert.equal(await page.locator('#to[aria-invalid="true"]').count(), 1);
  await page.screenshot({ path: ARTIFACTS + 'reports-bad-filter.png', fullPage: true });
});

test('signed out, the transparency page and its open data work, in English too', async () => {
  const page = watch(await newPage(browser, { acceptDownloads: true, locale: 'en-GB' }));
  await page.goto(`${BASE}/transparency?fy=${YEAR}`);
  assert.match(await page.locator('h1').textContent(), /Transparency/);
  const total = Number(sql(`SELECT sum(i.total_won) FROM invoices i WHERE ${INVOICED}
    AND i.month >= '${YEAR}-01-01' AND i.month < '${YEAR + 1}-01-01'`));
  const summary = page.locator('section[data-table="summary"]');
  const heads = await summary.locator('thead th').allTextContents();
  const col = heads.findIndex((h) => /Total \(VAT incl\.\)/.test(h));
  const cell = await summary.locator('tbody tr').first().locator('th, td').nth(col).textContent();
  assert.equal(won(cell), total);
  assert.ok(await page.locator('section[data-table="by_agency_type"] figure svg').count() === 1);
  const body = await page.content();
  assert.doesNotMatch(body, /@gen-ledger\.invalid|생성 담당자/);
  await page.screenshot({ path: ARTIFACTS + 'transparency-en.png', fullPage: true });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('section[data-table="by_service_type"] a[data-csv="by_service_type"]'),
  ]);
  const path = ARTIFACTS + 'transparency-by_service_type.csv';
  await download.saveAs(path);
  assert.equal(readCsv(path).reduce((s, r) => s + Number(r.x_BilledCostInclVat), 0), total);
  await page.click('a[data-json]');
  const json = JSON.parse(await page.locator('body').innerText());
  assert.equal(json.tables.summary.rows[0].total, total);
  assert.deepEqual(problems(page), []);
});
