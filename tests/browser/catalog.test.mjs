// The public catalog as a buyer uses it in a browser: find a service in
// search, read its badges and price table, compare it with another of the
// same type, be refused a comparison across types, open the vendor and the
// directory, switch to English, print. Screenshots go to tests/artifacts/.

import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, BASE, ARTIFACTS } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const noSideScroll = (page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

test('open a service from search: badges, price table, terms', async () => {
  const page = await newPage(browser);
  await page.goto(BASE + '/search?q=' + encodeURIComponent('그룹웨어'));
  const card = page.locator('li.card', { hasText: '누리 그룹웨어' });
  assert.ok(await card.locator('[data-signal="csap"]').isVisible());
  assert.match(await card.locator('[data-signal="price"]').innerText(), /2,490,000원/);
  assert.ok(await card.locator('[data-signal="sme"]').isVisible());
  await page.screenshot({ path: ARTIFACTS + 'catalog-search-cards.png', fullPage: true });
  await card.locator('a.card__link').click();
  await page.waitForURL(/\/services\/8$/);
  assert.equal(await page.locator('h1').innerText(), '누리 그룹웨어');
  assert.match(await page.locator('[data-badge="csap"]').innerText(), /CSAP SaaS 표준등급 · 등급 하/);
  const users = page.locator('[data-dimension="active_user"] table');
  assert.equal(await users.locator('tbody tr').count(), 3);
  assert.match(await users.locator('tbody tr').nth(1).innerText(), /100 초과 ~ 500 이하\s+8,000/);
  assert.match(await users.locator('tfoot').innerText(), /참고 사용량 300 사용자\s+2,400,000/);
  assert.equal(await page.locator('[data-field="reference-price"]').innerText(), '2,490,000원');
  assert.equal(await page.locator('table.price-table th[scope="col"]').first().innerText(), '구간');
  const text = await page.locator('main').innerText();
  for (const s of ['주요 기능', '서비스 수준 미달 시 요금 감면', '국내 · 경기(판교)', '연장 운영', '한빛 클라우드 서버',
    '과거 이용 승인 기록'])
    assert.ok(text.includes(s), s);
  await page.screenshot({ path: ARTIFACTS + 'catalog-service-ko.png', fullPage: true });
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('compare with another service of the same type', async () => {
  const page = await newPage(browser);
  await page.goto(BASE + '/services/1');
  const box = page.locator('form.compare-pick input[type="checkbox"]').first();
  const other = await box.getAttribute('value');
  await box.check();
  await page.locator('form.compare-pick button[type="submit"]').click();
  await page.waitForURL(/\/compare\?/);
  const heads = page.locator('table.compare-table thead th');
  assert.equal(await heads.count(), 2);
  assert.match(await heads.first().innerText(), /한빛 클라우드 서버/);
  assert.ok(await page.locator(`table.compare-table thead a[href="/services/${other}"]`).isVisible());
  const price = page.locator('tr[data-row="price_text"] td');
  assert.equal(await price.first().innerText(), '147,252원');
  assert.match(await page.locator('tr[data-row="csap_grade_text"]').innerText(), /CSAP 중/);
  await page.screenshot({ path: ARTIFACTS + 'catalog-compare.png', fullPage: true });
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a comparison across types is refused with the rule', async () => {
  const page = await newPage(browser);
  const res = await page.goto(BASE + '/compare?ids=1,8');
  assert.equal(res.status(), 400);
  const summary = page.locator('.error-summary');
  assert.match(await summary.innerText(), /서로 다른 유형의 서비스는 비교할 수 없습니다/);
  assert.match(await summary.innerText(), /한빛 클라우드 서버: IaaS/);
  assert.match(await summary.innerText(), /누리 그룹웨어: SaaS/);
  // The summary takes focus so a screen reader reads it first.
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('error-summary')), true);
  await page.screenshot({ path: ARTIFACTS + 'catalog-compare-refused.png', fullPage: true });
  await page.context().close();
});

test('open the vendor page and the directory', async () => {
  const page = await newPage(browser);
  await page.goto(BASE + '/services/8');
  await page.locator('a[data-field="vendor-link"]').click();
  await page.waitForURL(/\/vendors\/2$/);
  assert.equal(await page.locator('h1').innerText(), '누리소프트');
  assert.equal(await page.locator('[data-field="company-size"]').innerText(), '중소기업');
  assert.equal(await page.locator('li.card').count(), 3);
  await page.screenshot({ path: ARTIFACTS + 'catalog-vendor.png', fullPage: true });
  await page.locator('.breadcrumbs a[href="/vendors"]').click();
  await page.waitForURL(/\/vendors$/);
  await page.locator('.az-index a', { hasText: 'ㅎ' }).click();
  assert.match(page.url(), /#g\d+$/);
  assert.ok(await page.locator('section.az-group[data-group="ㅎ"] a', { hasText: '한빛클라우드' }).isVisible());
  await page.screenshot({ path: ARTIFACTS + 'catalog-vendors-ko.png', fullPage: true });
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('switch to English', async () => {
  const page = await newPage(browser);
  await page.goto(BASE + '/services/8');
  await page.locator('a[href^="/lang?set=en"]').first().click();
  await page.waitForLoadState();
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await page.locator('h1').innerText(), 'Nuri Groupware');
  const text = await page.locator('main').innerText();
  for (const s of ['Features', 'Electronic approval', 'Reference monthly price', 'KRW 2,490,000', 'volume tiers',
    'In Korea · Gyeonggi (Pangyo)'])
    assert.ok(text.includes(s), s);
  await page.screenshot({ path: ARTIFACTS + 'catalog-service-en.png', fullPage: true });
  await page.goto(BASE + '/vendors');
  assert.deepEqual(await page.locator('section.az-group').evaluateAll((s) => s.map((e) => e.dataset.group)),
    ['D', 'G', 'H', 'M', 'N', 'P', 'S']);
  await page.screenshot({ path: ARTIFACTS + 'catalog-vendors-en.png', fullPage: true });
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the print view, and printing the page itself', async () => {
  const page = await newPage(browser);
  await page.goto(BASE + '/services/8');
  await page.locator('a[data-action="print"]').click();
  await page.waitForURL(/\/services\/8\/print$/);
  assert.equal(await page.locator('nav.nav').count(), 0);
  assert.equal(await page.locator('header.header').count(), 0);
  assert.ok(await page.locator('#h-pricing').isVisible());
  assert.ok(await page.locator('#h-certs').isVisible());
  await page.emulateMedia({ media: 'print' });
  await page.screenshot({ path: ARTIFACTS + 'catalog-print.png', fullPage: true });
  // The normal page under print media hides navigation and the contents list.
  await page.goto(BASE + '/services/8');
  assert.equal(await page.locator('nav.nav').isVisible(), false);
  assert.equal(await page.locator('.service-layout__side').isVisible(), false);
  assert.ok(await page.locator('#h-pricing').isVisible());
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a phone-sized screen: nothing scrolls sideways but wide tables', async () => {
  const page = await newPage(browser, { viewport: { width: 390, height: 844 } });
  await page.goto(BASE + '/services/4');
  assert.equal(await noSideScroll(page), true, 'service page scrolls sideways');
  await page.screenshot({ path: ARTIFACTS + 'catalog-service-mobile.png', fullPage: true });
  await page.goto(BASE + '/compare?ids=1,2,3,22');
  assert.equal(await noSideScroll(page), true, 'compare page scrolls sideways');
  await page.screenshot({ path: ARTIFACTS + 'catalog-compare-mobile.png', fullPage: true });
  await page.goto(BASE + '/vendors');
  assert.equal(await noSideScroll(page), true, 'directory scrolls sideways');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
