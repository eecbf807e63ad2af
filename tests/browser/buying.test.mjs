// A buyer's path in a real browser, from search to an active contract:
// search in Korean, open a service, put it and another on a shortlist,
// decide and lock it, download the evidence; describe the system, check
// eligibility, request a quote that the vendor answers and the buyer
// accepts; draft the contract, submit it, the agency's approver approves
// and the vendor accepts. Each person signs in in their own browser
// context. Screenshots go to tests/artifacts/.

import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { launch, newPage, BASE, ARTIFACTS } from './helpers.mjs';

const DEMO = 'Gureum-demo-2026!';
const RUN = Date.now().toString(36);
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function as(email) {
  const page = await newPage(browser, { acceptDownloads: true });
  await page.goto(BASE + '/login');
  await page.fill('#email', email);
  await page.fill('#password', DEMO);
  await page.click('form[action="/login"] button[type="submit"]');
  await page.waitForURL(/\/home$/);
  return page;
}

const shot = (page, name) => page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });

let decisionUrl;

test('search, shortlist two services, decide each with a reason, lock and export', async () => {
  const page = await as('buyer@mois.go.kr');
  await page.goto(BASE + '/search');
  await page.fill('input[name="q"]', '한빛 클라우드 서버');
  await page.press('input[name="q"]', 'Enter');
  await page.waitForURL(/\/search\?/);
  // Sorted by price, low to high: the order the cards show.
  await page.selectOption('#sort', 'price_asc');
  await page.click('button[data-action="sort"]');
  await page.waitForURL(/sort=price_asc/);
  const shown = await page.locator('.card [data-signal="price"] strong').allInnerTexts();
  const won = shown.map((t) => Number(t.replace(/[^0-9]/g, '')));
  for (let i = 1; i < won.length; i++)
    assert.ok(won[i - 1] <= won[i], `sorted: ${won.join(' ')}`);
  await shot(page, 'search-sorted-by-price');
  await page.click('a.card__link[href="/services/1"]');
  await page.waitForURL(/\/services\/1$/);
  await page.click('a[data-action="shortlist-add"]');
  await page.waitForURL(/\/shortlists\/add\?listing=1/);
  // No open list yet for this project: create one.
  await page.click('a[href="/shortlists"]');
  await page.fill('#project_name', `민원 포털 전환 ${RUN}`);
  await page.fill('#note', '2027년 민원 포털 클라우드 전환\n요구: 국내 데이터센터, CSAP 중 이상');
  await page.click('form[action="/shortlists"] button[type="submit"]');
  await page.waitForURL(/\/shortlists\/\d+\?done=created/);
  const listUrl = page.url().replace(/\?.*/, '');

  for (const id of [1, 2]) {
    await page.goto(`${BASE}/services/${id}`);
    await page.click('a[data-action="shortlist-add"]');
    await page.click(`button[data-action="add-to"]:has-text("민원 포털 전환 ${RUN}")`);
    await page.waitForURL(/\?done=added/);
  }
  assert.equal(await page.locator('li.card[data-item]').count(), 2);

  // Locking before deciding is refused with the reason.
  await page.click('button[data-action="lock"]');
  assert.match(await page.locator('main').innerText(), /판단하지 않은 서비스가 있습니다/);

  await page.goto(listUrl);
  const items = page.locator('li.card[data-item]');
  // A decision without a reason keeps the choice and says what is missing.
  await items.nth(0).locator('input[value="kept"]').check();
  await items.nth(0).locator('button[type="submit"]').first().click();
  assert.match(await page.locator('.error-summary').innerText(), /사유를 입력하세요/);
  await page.goto(listUrl);
  await items.nth(0).locator('input[value="kept"]').check();
  await items.nth(0).locator('textarea[name="note"]').fill('국내(서울) 데이터센터, CSAP 인증, 참고 가격 적정');
  await items.nth(0).locator('button[type="submit"]').first().click();
  await page.waitForURL(/done=decided/);
  await items.nth(1).locator('input[value="dropped"]').check();
  await items.nth(1).locator('textarea[name="note"]').fill('백업 전용 스토리지로 요구 범위와 다름');
  await items.nth(1).locator('button[type="submit"]').first().click();
  await page.waitForURL(/done=decided/);
  await page.click('button[data-action="lock"]');
  await page.waitForURL(/done=locked/);
  assert.match(await page.locator('main').innerText(), /이 목록은 잠겼습니다/);
  await shot(page, 'shortlist-locked');

  const [download] = await Promise.all([page.waitForEvent('download'),
    page.click('a[data-action="export"]')]);
  const csv = fs.readFileSync(await download.path(), 'utf8');
  assert.match(csv, /^\uFEFF"사업명"/);
  assert.match(csv, /국내\(서울\) 데이터센터/);
  assert.match(csv, /"제외"/);
  await page.context().close();
});

test('describe the system, check eligibility, request a quote the vendor answers', async () => {
  const page = await as('buyer@mois.go.kr');
  await page.goto(BASE + '/systems');
  await page.fill('#name', `민원 포털 ${RUN}`);
  await page.check('#nature-citizen');
  await page.selectOption('#csap_grade', 'mid');
  await page.click('form[action="/systems"] button[type="submit"]');
  await page.waitForURL(/\/systems\/\d+\?done=created/);

  // The service page now says, per system, whether it may contract it.
  await page.goto(BASE + '/services/1');
  const preview = page.locator(`.eligibility-preview li:has-text("민원 포털 ${RUN}")`);
  assert.equal(await preview.getAttribute('data-outcome'), 'eligible');
  await shot(page, 'service-eligibility-preview');
  await page.click('a[data-action="eligibility"]');
  await page.selectOption('#system', { label: `민원 포털 ${RUN}` });
  await page.fill('#start', '2026-12-15');
  await page.click('button[data-action="check"]');
  await page.waitForURL(/\/eligibility\/\d+$/);
  decisionUrl = page.url();
  assert.equal(await page.locator('[data-outcome]').getAttribute('data-outcome'), 'eligible');
  await shot(page, 'eligibility-eligible');

  await page.goto(BASE + '/services/1');
  await page.click('a[data-action="quote"]');
  const qty = page.locator('input[name="quantity"]').first();
  await qty.fill('1440');
  await page.fill('#desired_price_won', '30,000,000');
  await page.fill('#message', '월 사용량 기준 연간 견적 부탁드립니다.\n부가세 포함 금액으로 부탁드립니다.');
  await page.click('button[data-action="request-quote"]');
  await page.waitForURL(/\/quotes\/\d+$/);
  const quoteUrl = page.url();

  const vendor = await as('admin@hanbit.example');
  await vendor.goto(quoteUrl);
  await vendor.fill('#price_won', '28,500,000');
  await vendor.fill('#text', '연간 약정 할인 5% 반영');
  await vendor.click('button[data-step="answer"]');
  await vendor.waitForURL(quoteUrl);
  assert.match(await vendor.locator('[data-status]').innerText(), /답변 받음/);
  await vendor.context().close();

  await page.goto(quoteUrl);
  await page.click('button[data-step="accept"]');
  await page.waitForURL(quoteUrl);
  assert.match(await page.locator('[data-status]').innerText(), /채택/);
  await shot(page, 'quote-accepted');
  await page.context().close();
});

test('draft the contract, the approver approves, the vendor accepts: active', async () => {
  const page = await as('buyer@mois.go.kr');
  await page.goto(decisionUrl);
  await page.click('a[data-action="draft-contract"]');
  await page.waitForURL(/\/contracts\/new\?decision=/);
  // A ceiling of zero is refused and the form keeps the rest.
  await page.fill('#title', `민원 포털 IaaS ${RUN}`);
  await page.fill('#ceiling_won', '0');
  await page.fill('#tags', '민원정책과, 2027 포털');
  await page.click('button[data-action="create-contract"]');
  assert.match(await page.locator('.error-summary').innerText(), /계약금액/);
  assert.equal(await page.inputValue('#tags'), '민원정책과, 2027 포털');
  await page.fill('#ceiling_won', '28,500,000');
  await page.click('button[data-action="create-contract"]');
  await page.waitForURL(/\/contracts\/\d+$/);
  const url = page.url();
  await page.click('button[data-step="submit"]');
  await page.waitForURL(url);
  assert.equal(await page.locator('[data-status]').getAttribute('data-status'), 'awaiting_approval');
  await page.context().close();

  const approver = await as('approver@mois.go.kr');
  await approver.goto(BASE + '/inbox');
  assert.match(await approver.locator('main').innerText(), /계약 결재 요청/);
  await approver.goto(url);
  await approver.click('button[data-step="approve"]');
  await approver.waitForURL(url);
  await approver.context().close();

  const vendor = await as('admin@hanbit.example');
  await vendor.goto(BASE + '/contracts');
  await vendor.click(`a[href="${new URL(url).pathname}"]`);
  await vendor.click('button[data-step="accept"]');
  await vendor.waitForURL(url);
  assert.equal(await vendor.locator('[data-status]').getAttribute('data-status'), 'active');
  assert.match(await vendor.locator('main').innerText(), /[0-9a-f]{64}/);
  await shot(vendor, 'contract-active');
  const [download] = await Promise.all([vendor.waitForEvent('download'), vendor.click('a[data-action="pdf"]')]);
  const pdf = fs.readFileSync(await download.path());
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  await vendor.context().close();
});
