// Issue 7 end to end, through the real paths only: the vendor's admin
// registers a signing key in the browser; the vendor's system sends a
// signed batch over POST /api/v1/usage (its receipt checked), reports the
// month's availability, and the admin uploads one more day as CSV; the
// month closes with gureumctl close-month, which issues and seals the
// invoice; the buyer opens it, fetches its PDF, accepts one line and
// disputes the other; the vendor issues a credit note; the evidence of the
// invoice and of the credit note verifies offline with gureumctl
// verify-invoice, and a copy with one number changed does not.
//
// June 2022 is used because no other test has a contract in force then.
// Expected amounts (SAMPLE_PLAN of metering-lib.mjs, docs/billing.md):
//   vcpu_hour 12 + 9 + 4 = 25, graduated: 102 + 53 + 28 = 183
//   storage_gb_month max(80, 30) = 80 × 100.5 = 8,040
//   availability 99.2% < 99.5% → 10% credit of 8,223 = −822 (반올림)
//   공급가액 7,401, 부가세 740, 합계 8,141.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch, newPage, BASE, ARTIFACTS } from './helpers.mjs';
import { activeContract, withdrawTestListings, sql } from '../integration/metering-lib.mjs';
import { keyPair, post, rec, verifyReceipt } from '../integration/usage-lib.mjs';
import { invoiceOf } from '../integration/invoice-lib.mjs';
import { CTL, waitSealed } from '../integration/evidence-lib.mjs';

const DEMO = 'Gureum-demo-2026!';
const RUN = `mj${Date.now().toString(36)}`;
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), `${RUN}-`));
let browser;
let contract;
let key;

before(async () => {
  browser = await launch();
  contract = await activeContract(RUN, 'j', { start: '2022-06-01', end: '2022-12-31',
    tags: '민원과, 정보과', ceiling_won: 10000000 });
});

after(async () => {
  await browser?.close();
  withdrawTestListings(RUN);
  fs.rmSync(TMP, { recursive: true, force: true });
});

async function as(email, opts = {}) {
  const page = await newPage(browser, { acceptDownloads: true, ...opts });
  await page.goto(BASE + '/login');
  await page.fill('#email', email);
  await page.fill('#password', DEMO);
  await page.click('form[action="/login"] button[type="submit"]');
  await page.waitForURL(/\/home$/);
  return page;
}

const shot = (page, name) => page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });

// The key an evidence file names, trusted only if the marketplace
// publishes it (GET /api/v1/marketplace-keys) as a current key.
async function trustedKey(file) {
  const named = JSON.parse(fs.readFileSync(file, 'utf8')).bundle.marketplace_key;
  const r = await (await fetch(BASE + '/api/v1/marketplace-keys')).json();
  assert.ok(r.keys.some((k) => k.public_key === named && k.current), 'a published, current key signed it');
  return named;
}

function verify(files, pub) {
  return spawnSync(CTL, ['verify-invoice', ...files, '--key', pub], { encoding: 'utf8' });
}

test('a vendor registers a key, sends signed usage and a CSV; the month closes into a sealed invoice', async () => {
  const page = await as('admin@hanbit.example');
  await page.goto(BASE + '/home');
  await page.click('a[data-action="home.action.usage"]');
  await page.waitForURL(/\/vendor\/usage$/);
  await page.click('a[data-action="usage-keys"]');
  const kp = keyPair();
  await page.fill('#name', `${RUN} 과금 서버`);
  await page.fill('#public_key', kp.pub);
  await page.click('button[data-action="register-usage-key"]');
  await page.waitForURL(/done=registered/);
  const row = await page.locator('tr', { hasText: `${RUN} 과금 서버` }).innerText();
  key = { ...kp, keyId: row.match(/usk_[0-9a-f]{16}/)[0] };

  // The vendor's system: one signed batch over the API.
  const c = contract.id;
  const r = await post(key, { records: [
    rec(`${RUN}-1`, c, 'vcpu_hour', '12', '2022-06-03T01:00:00Z', { allocation: '민원과' }),
    rec(`${RUN}-2`, c, 'vcpu_hour', '9', '2022-06-20T01:00:00Z', { allocation: '정보과' }),
    rec(`${RUN}-3`, c, 'storage_gb_month', '80', '2022-06-10T01:00:00Z'),
  ] });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.results.map((x) => x.status), ['accepted', 'accepted', 'accepted']);
  await verifyReceipt(r.body.receipt);
  const a = await post(key, { contract_id: c, month: '2022-06', availability: '99.2' },
    { path: '/api/v1/usage/availability' });
  assert.ok(a.status === 200 || a.status === 201, a.text);

  // One more day from a spreadsheet, with a line the rules refuse.
  const file = path.join(TMP, 'june.csv');
  fs.writeFileSync(file, 'record_id,contract_id,dimension,quantity,time,allocation,subject\n' +
    `${RUN}-4,${c},vcpu_hour,4,2022-06-25T01:00:00Z,민원과,\n` +
    `${RUN}-5,${c},storage_gb_month,30,2022-06-26T01:00:00Z,,\n` +
    `${RUN}-6,${c},vcpu_hour,-1,2022-06-26T01:00:00Z,,\n`);
  await page.goto(BASE + '/vendor/usage/upload');
  await page.setInputFiles('#file', file);
  await page.click('button[data-action="upload-usage"]');
  await page.waitForSelector('table.usage-report');
  assert.equal(await page.textContent('[data-count="accepted"]'), '2');
  assert.equal(await page.textContent('[data-count="rejected"]'), '1');
  await shot(page, 'journey-usage-csv');
  await page.context().close();

  // The month is long over: the close issues and seals at once.
  const close = spawnSync(CTL, ['close-month', '2022-06'], { encoding: 'utf8' });
  assert.equal(close.status, 0, close.stderr);
  const inv = invoiceOf(c, '2022-06');
  assert.equal(inv.status, 'issued');
  assert.deepEqual(inv.lines.map((l) => [l.kind, l.amount_won]),
    [['usage', 183], ['usage', 8040], ['sla_credit', -822]]);
  assert.deepEqual([inv.supply_won, inv.vat_won, inv.total_won], [7401, 740, 8141]);
  await waitSealed([inv.id]);
  // Closing again changes nothing.
  const again = spawnSync(CTL, ['close-month', '2022-06'], { encoding: 'utf8' });
  assert.equal(again.status, 0, again.stderr);
  assert.deepEqual(invoiceOf(c, '2022-06'), inv);
});

test('the buyer reviews the invoice and its PDF; the vendor credits the disputed line; the evidence verifies', async () => {
  const inv = invoiceOf(contract.id, '2022-06');
  const buyer = await as('buyer@mois.go.kr');
  await buyer.goto(BASE + '/home');
  await buyer.click('a[data-action="home.action.invoices"]');
  await buyer.waitForURL(/\/invoices$/);
  await buyer.click(`tr[data-invoice="${inv.id}"] a[href="/invoices/${inv.id}"]`);
  await buyer.waitForURL(new RegExp(`/invoices/${inv.id}$`));
  assert.equal(await buyer.textContent('[data-total="supply"]'), '7,401');
  assert.equal(await buyer.textContent('[data-total="vat"]'), '740');
  assert.equal(await buyer.textContent('[data-total="total"]'), '8,141');
  const pdfHref = await buyer.getAttribute('a[data-action="invoice-pdf"]', 'href');
  const pdf = await buyer.request.get(BASE + pdfHref);
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-');
  await shot(buyer, 'journey-invoice-buyer');

  await Promise.all([buyer.waitForNavigation(), buyer.click('button[data-accept="1"]')]);
  await buyer.waitForSelector('tr[data-line="1"][data-review="accepted"]');
  await buyer.fill('#reason-2', '6월 26일 저장 용량 보고가 중복입니다');
  await Promise.all([buyer.waitForNavigation(), buyer.click('button[data-dispute="2"]')]);
  await buyer.waitForSelector('tr[data-line="2"][data-review="disputed"]');

  const vendor = await as('admin@hanbit.example');
  await vendor.goto(`${BASE}/invoices/${inv.id}`);
  await vendor.fill('#credit-amount-2', '1,005');
  await vendor.fill('#credit-reason-2', '10GB 중복 보고분 감액');
  await Promise.all([vendor.waitForNavigation(), vendor.click('button[data-credit="2"]')]);
  await vendor.waitForSelector('.credit-notes li');
  await shot(vendor, 'journey-credit-note');
  const cn = Number(sql(`SELECT id FROM invoices WHERE corrects_id = ${inv.id}`));
  await waitSealed([cn]);

  await buyer.reload();
  await buyer.waitForSelector('tr[data-line="2"][data-review="credited"]');
  // 1,005 + VAT 100 = 1,105 off 8,141.
  assert.equal(await buyer.getAttribute('[data-outstanding]', 'data-outstanding'), String(8141 - 1105));

  // The evidence of both, downloaded by the buyer, verifies offline.
  const files = [];
  for (const id of [inv.id, cn]) {
    const res = await buyer.request.get(`${BASE}/invoices/${id}/evidence.json`);
    assert.equal(res.status(), 200);
    const f = path.join(TMP, `${id}.json`);
    fs.writeFileSync(f, await res.body());
    files.push(f);
  }
  const pub = await trustedKey(files[0]);
  assert.equal(await trustedKey(files[1]), pub);
  let v = verify(files, pub);
  assert.equal(v.status, 0, v.stderr);
  assert.match(v.stdout, /OK/);
  // One number changed: the usage total behind line 2.
  const doc = JSON.parse(fs.readFileSync(files[0], 'utf8'));
  const text = JSON.stringify(doc).replace('"8040"', '"8041"');
  assert.notEqual(text, JSON.stringify(doc));
  fs.writeFileSync(files[0] + '.tampered', text);
  v = verify([files[0] + '.tampered'], pub);
  assert.notEqual(v.status, 0);
  assert.match(v.stderr, /8040|8041/);
  assert.deepEqual(buyer.problems, []);
  assert.deepEqual(vendor.problems, []);
});
