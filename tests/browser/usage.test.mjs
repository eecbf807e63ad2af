// A vendor's usage journey in a real browser: the vendor admin registers
// an Ed25519 signing key (made with node:crypto, as a vendor's system
// would), then uploads a CSV with good and bad lines and reads the
// per-line report, in Korean and then in English; the buyer opens the
// contract's usage and sees the daily totals and the chain head.
// Screenshots go to tests/artifacts/.

import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch, newPage, BASE, ARTIFACTS } from './helpers.mjs';
import { activeContract, withdrawTestListings } from '../integration/metering-lib.mjs';
import { keyPair } from '../integration/usage-lib.mjs';

const DEMO = 'Gureum-demo-2026!';
const RUN = `bu${Date.now().toString(36)}`;
let browser;
let contract;
before(async () => {
  browser = await launch();
  contract = await activeContract(RUN, 'b', { start: '2026-10-01', tags: 'ops,dev' });
});
after(async () => {
  await browser?.close();
  withdrawTestListings(RUN);
});

async function as(email, locale = 'ko-KR') {
  const page = await newPage(browser, { locale });
  await page.goto(BASE + '/login');
  await page.fill('#email', email);
  await page.fill('#password', DEMO);
  await page.click('form[action="/login"] button[type="submit"]');
  await page.waitForURL(/\/home$/);
  return page;
}

const shot = (page, name) => page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });

test('a vendor registers a signing key, uploads a CSV and reads the per-line report', async () => {
  const page = await as('admin@hanbit.example');
  await page.goto(BASE + '/vendor/usage');
  await page.click('a[data-action="usage-keys"]');
  await page.waitForURL(/\/vendor\/usage-keys$/);

  // A malformed key first: the form says which field and keeps the name.
  await page.fill('#name', `${RUN} 계량 서버`);
  await page.fill('#public_key', 'not-a-key');
  await page.click('button[data-action="register-usage-key"]');
  await page.waitForSelector('.error-summary');
  assert.equal(await page.inputValue('#name'), `${RUN} 계량 서버`);
  assert.equal(await page.getAttribute('#public_key', 'aria-invalid'), 'true');

  const kp = keyPair();
  await page.fill('#public_key', kp.pub);
  await page.click('button[data-action="register-usage-key"]');
  await page.waitForURL(/done=registered/);
  const row = page.locator('tr', { hasText: `${RUN} 계량 서버` });
  assert.match(await row.innerText(), /usk_[0-9a-f]{16}/);
  assert.match(await row.innerText(), /사용 중/);
  await shot(page, 'usage-keys');

  const t = new Date(Date.now() - 3600e3).toISOString();
  const csv = '\ufeffrecord_id,contract_id,dimension,quantity,time,allocation,subject\r\n' +
    `${RUN}-1,${contract.id},vcpu_hour,3.5,${t},ops,\r\n` +
    `${RUN}-2,${contract.id},storage_gb_month,20,${t},,\r\n` +
    `${RUN}-3,${contract.id},vcpu_hour,abc,${t},,\r\n` +
    `${RUN}-4,${contract.id},gpu_hour,1,${t},,\r\n` +
    `${RUN}-5,${contract.id},vcpu_hour,1,${t},finance,\r\n`;
  const file = path.join(os.tmpdir(), `${RUN}.csv`);
  fs.writeFileSync(file, csv);
  await page.goto(BASE + '/vendor/usage');
  await page.click('a[data-action="usage-upload"]');
  await page.setInputFiles('#file', file);
  await page.click('button[data-action="upload-usage"]');
  await page.waitForSelector('table.usage-report');
  assert.equal(await page.textContent('[data-count="accepted"]'), '2');
  assert.equal(await page.textContent('[data-count="rejected"]'), '3');
  const lines = await page.locator('table.usage-report tbody tr').evaluateAll((rs) =>
    rs.map((r) => [r.dataset.line, r.dataset.status, r.querySelector('td:nth-child(4) code')?.textContent ?? '']));
  assert.deepEqual(lines, [['2', 'accepted', ''], ['3', 'accepted', ''], ['4', 'rejected', 'invalid_quantity'],
    ['5', 'rejected', 'unknown_dimension'], ['6', 'rejected', 'unknown_allocation']]);
  assert.match(await page.locator('tr[data-line="4"]').innerText(), /수량은 0 이상/);
  await shot(page, 'usage-upload-report-ko');

  // The same file again, read in English: duplicates and the same refusals.
  const en = await as('admin@hanbit.example', 'en-US');
  await en.goto(BASE + '/lang?set=en&next=/vendor/usage/upload');
  await en.setInputFiles('#file', file);
  await en.click('button[data-action="upload-usage"]');
  await en.waitForSelector('table.usage-report');
  assert.equal(await en.textContent('[data-count="duplicates"]'), '2');
  assert.match(await en.locator('tr[data-line="5"]').innerText(), /not in the contract's rate plan/);
  await shot(en, 'usage-upload-report-en');
  fs.unlinkSync(file);

  // The batches list shows the uploads.
  await page.goto(BASE + '/vendor/usage');
  assert.ok(await page.locator('table.usage-batches tbody tr').count() >= 2);
  assert.match(await page.locator('table.usage-totals').innerText(), /vcpu_hour/);
  await shot(page, 'usage-vendor');
  // The only console line is the 400 of the malformed key, on purpose.
  assert.deepEqual(page.problems.filter((p) => !/status of 400/.test(p)), []);
});

test('the buyer sees the contract usage by day and tag, with the chain head', async () => {
  const page = await as('buyer@mois.go.kr');
  await page.goto(`${BASE}/contracts/${contract.id}/usage`);
  const day = page.locator('table.usage-days tr[data-dimension="vcpu_hour"][data-allocation="ops"]');
  assert.match(await day.innerText(), /3\.5/);
  assert.match(await page.locator('[data-chain-head]').innerText(), /^[0-9a-f]{64}$/);
  assert.equal(await page.locator('[data-chain-seq]').innerText(), '1');
  await shot(page, 'usage-contract');
  assert.deepEqual(page.problems, []);
});
