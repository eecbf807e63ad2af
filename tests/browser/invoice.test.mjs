// The invoice journey in a real browser: a month of usage is closed and
// issued; the buyer opens the invoice from the list, accepts one line and
// disputes another with a reason; the vendor (in English) answers and
// issues a credit note for the disputed line; the buyer sees the credit
// note, the settled line and the ceiling dashboard with its chart.
// Usage is written as the database owner and the month closed with
// gureumctl (tests/integration/invoice-lib.mjs). Screenshots go to
// tests/artifacts/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, BASE, ARTIFACTS } from './helpers.mjs';
import { activeContract, withdrawTestListings } from '../integration/metering-lib.mjs';
import { addUsage, closeMonth, setAvailability, invoiceOf } from '../integration/invoice-lib.mjs';

const DEMO = 'Gureum-demo-2026!';
const RUN = `binv${Date.now().toString(36)}`;
let browser;
let contract;
let invoice;

before(async () => {
  browser = await launch();
  // A month of 2023: no other test has a contract in force then.
  contract = await activeContract(RUN, 'browser', { start: '2023-01-01', end: '2023-12-31',
    ceiling_won: 50000 });
  addUsage(RUN, contract.id, [
    { dimension: 'vcpu_hour', quantity: '12', at: '2023-05-03T10:00:00+09:00' },
    { dimension: 'vcpu_hour', quantity: '9', at: '2023-05-20T10:00:00+09:00' },
    { dimension: 'storage_gb_month', quantity: '80', at: '2023-05-10T10:00:00+09:00' },
  ]);
  setAvailability(contract.id, '2023-05', '99.8');
  const r = closeMonth('2023-05', '2023-06-10T00:00:00+09:00');
  assert.equal(r.status, 0, r.stderr);
  invoice = invoiceOf(contract.id, '2023-05');
  assert.equal(invoice.status, 'issued');
});

after(async () => {
  await browser?.close();
  withdrawTestListings(RUN);
});

async function as(email, opts = {}) {
  const page = await newPage(browser, opts);
  await page.goto(BASE + '/login');
  await page.fill('#email', email);
  await page.fill('#password', DEMO);
  await page.click('form[action="/login"] button[type="submit"]');
  await page.waitForURL(/\/home$/);
  return page;
}

const shot = (page, name) => page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });

test('the buyer opens the invoice, accepts one line and disputes another', async () => {
  const page = await as('buyer@mois.go.kr');
  await page.goto(`${BASE}/invoices?contract=${contract.id}`);
  await page.click(`tr[data-invoice="${invoice.id}"] a[href="/invoices/${invoice.id}"]`);
  await page.waitForURL(new RegExp(`/invoices/${invoice.id}$`));
  // 163 + 8,040 = 8,203; VAT 820; 9,023.
  assert.equal(await page.textContent('[data-total="supply"]'), '8,203');
  assert.equal(await page.textContent('[data-total="vat"]'), '820');
  assert.equal(await page.textContent('[data-total="total"]'), '9,023');
  assert.ok(await page.isVisible('a[data-action="invoice-pdf"]'));
  await shot(page, 'invoice-buyer-issued');

  await Promise.all([page.waitForNavigation(), page.click('button[data-accept="1"]')]);
  await page.waitForSelector('tr[data-line="1"][data-review="accepted"]');
  await page.fill('#reason-2', '저장 용량이 80GB가 아니라 60GB입니다 <b>확인</b>');
  await Promise.all([page.waitForNavigation(), page.click('button[data-dispute="2"]')]);
  await page.waitForSelector('tr[data-line="2"][data-review="disputed"]');
  assert.equal(await page.getAttribute('[data-status]', 'data-status'), 'disputed');
  // The reason is shown as text, tags and all.
  assert.ok((await page.textContent('tr[data-line="2"]')).includes('<b>확인</b>'));
  await shot(page, 'invoice-buyer-disputed');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the vendor answers in English and issues a credit note for the disputed line', async () => {
  const page = await as('admin@hanbit.example', { locale: 'en-US' });
  await page.goto(`${BASE}/invoices/${invoice.id}`);
  assert.ok((await page.textContent('h2')).length > 0);
  await page.fill('#answer-2', 'Checked: 20 GB were counted twice.');
  await Promise.all([page.waitForNavigation(), page.click('button[data-answer="2"]')]);
  assert.ok((await page.textContent('tr[data-line="2"]')).includes('Checked: 20 GB were counted twice.'));
  // 20 GB at 100.5 won: 2,010 won of supply.
  await page.fill('#credit-amount-2', '2,010');
  await page.fill('#credit-reason-2', '20 GB counted twice');
  assert.equal((await page.textContent('button[data-credit="2"]')).trim(), 'Issue a credit note');
  await Promise.all([page.waitForNavigation(), page.click('button[data-credit="2"]')]);
  await page.waitForSelector('.credit-notes li');
  assert.ok((await page.textContent('.credit-notes')).includes('-2,211'));
  await shot(page, 'invoice-vendor-credit-note');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the buyer sees the credit note and the settled line, then the dashboard', async () => {
  const page = await as('buyer@mois.go.kr');
  await page.goto(`${BASE}/invoices/${invoice.id}`);
  await page.waitForSelector('tr[data-line="2"][data-review="credited"]');
  assert.ok((await page.textContent('tr[data-line="2"]')).includes('감액 처리'));
  assert.equal(await page.getAttribute('[data-outstanding]', 'data-outstanding'), String(9023 - 2211));
  await page.click('.credit-notes a');
  await page.waitForURL(/\/invoices\/\d+$/);
  assert.equal(await page.textContent('[data-total="total"]'), '-2,211');
  assert.ok((await page.textContent('.notice')).includes('20 GB counted twice'));
  await shot(page, 'invoice-buyer-credit-note');

  await page.goto(`${BASE}/dashboard`);
  const card = page.locator(`section[data-contract="${contract.id}"]`);
  assert.equal(await card.locator('[data-invoiced]').getAttribute('data-invoiced'), String(9023 - 2211));
  assert.equal(await card.locator('svg rect.bar-invoiced').count(), 1);
  // 6,812 of 50,000: below every alert threshold.
  assert.equal(await card.locator('[data-alert]').count(), 0);
  await card.screenshot({ path: `${ARTIFACTS}invoice-dashboard.png` });
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
