// A buyer's search in a real browser with JavaScript off (every filter is
// a plain GET form): search in Korean, narrow with two facets from the
// sidebar, sort by price (the filters stay), open a service and put it on
// a new shortlist, add a second result from the results page (the search
// that found it is kept), remove a filter with its chip, and export the
// shortlist as CSV and check what it says. Screenshots in tests/artifacts/.

import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { launch, newPage, BASE, ARTIFACTS } from './helpers.mjs';

const DEMO = 'Gureum-demo-2026!';
const RUN = Date.now().toString(36);
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const shot = (page, name) => page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });

async function api(qs) {
  return (await fetch(`${BASE}/api/v1/search?${qs}`)).json();
}

test('search in Korean, narrow with two facets, sort by price, shortlist, export', async () => {
  const page = await newPage(browser, { acceptDownloads: true, javaScriptEnabled: false,
    viewport: { width: 1280, height: 900 } });
  await page.goto(BASE + '/login');
  await page.fill('#email', 'buyer@mois.go.kr');
  await page.fill('#password', DEMO);
  await page.click('form[action="/login"] button[type="submit"]');
  await page.waitForURL(/\/home$/);

  await page.goto(BASE + '/search');
  await page.fill('input[name="q"]', '클라우드');
  await page.press('input[name="q"]', 'Enter');
  await page.waitForURL(/\/search\?q=/);
  const all = await api('q=' + encodeURIComponent('클라우드'));
  assert.equal(Number(await page.locator('.results__count').innerText()), all.total);

  // Two facets: the counts beside them say what the click will give.
  const saasLabel = await page.locator('label[for="type-saas"] .checkbox__count').innerText();
  await page.check('#type-saas');
  await page.check('#domestic-1');
  await page.click('button[data-action="apply-filters"]');
  await page.waitForURL(/type=saas/);
  assert.match(page.url(), /domestic=1/);
  const narrowed = await api('q=' + encodeURIComponent('클라우드') + '&type=saas&domestic=1');
  assert.ok(narrowed.total > 1 && narrowed.total < all.total, `${narrowed.total} of ${all.total}`);
  assert.ok(narrowed.total <= Number(saasLabel.replace(/[()]/g, '')));
  assert.equal(Number(await page.locator('.results__count').innerText()), narrowed.total);
  assert.equal(await page.locator('.chip').count(), 2);
  assert.ok(await page.isChecked('#type-saas'));
  await shot(page, 'search-journey-facets');

  // Sort by price: the filters stay, cards go low to high.
  await page.selectOption('#sort', 'price_asc');
  await page.click('button[data-action="sort"]');
  await page.waitForURL(/sort=price_asc/);
  assert.match(page.url(), /type=saas/);
  assert.match(page.url(), /domestic=1/);
  assert.equal(await page.locator('.chip').count(), 2);
  const prices = (await page.locator('.card [data-signal="price"] strong').allInnerTexts())
    .map((t) => Number(t.replace(/[^0-9]/g, '')));
  assert.ok(prices.length >= 2);
  for (let i = 1; i < prices.length; i++)
    assert.ok(prices[i - 1] <= prices[i], `sorted: ${prices.join(' ')}`);
  const sortedUrl = page.url();
  await shot(page, 'search-journey-sorted');

  // Open the cheapest and put it on a new shortlist.
  const cards = page.locator('.card .card__link');
  const firstName = await cards.nth(0).innerText();
  const secondName = await cards.nth(1).innerText();
  await cards.nth(0).click();
  await page.waitForURL(/\/services\/\d+$/);
  assert.equal(await page.locator('h1').first().innerText(), firstName);
  await page.click('a[data-action="shortlist-add"]');
  await page.waitForURL(/\/shortlists\/add\?listing=/);
  await page.click('a[href="/shortlists"]');
  await page.fill('#project_name', `검색 여정 ${RUN}`);
  await page.click('form[action="/shortlists"] button[type="submit"]');
  await page.waitForURL(/\/shortlists\/\d+\?done=created/);
  const listUrl = page.url().replace(/\?.*/, '');
  await page.goto(sortedUrl);
  await page.locator('.card').nth(0).locator('a.card__link').click();
  await page.click('a[data-action="shortlist-add"]');
  await page.click(`button[data-action="add-to"]:has-text("검색 여정 ${RUN}")`);
  await page.waitForURL(/\?done=added/);

  // The second result straight from the results, with its search.
  await page.goto(sortedUrl);
  await page.locator('.card').nth(1).locator('a[data-action="shortlist-add-result"]').click();
  await page.waitForURL(/\/shortlists\/add\?listing=\d+&search=/);
  await page.click(`button[data-action="add-to"]:has-text("검색 여정 ${RUN}")`);
  await page.waitForURL(/\?done=added/);
  await page.goto(listUrl);
  assert.equal(await page.locator('li.card[data-item]').count(), 2);
  await shot(page, 'search-journey-shortlist');

  // A chip removes its filter and keeps the other and the order.
  await page.goto(sortedUrl);
  await page.click('.chip:has-text("국내 데이터센터") a[data-action="remove-filter"]');
  await page.waitForURL((u) => !/domestic=/.test(u.search));
  assert.match(page.url(), /type=saas/);
  assert.match(page.url(), /sort=price_asc/);
  assert.equal(await page.locator('.chip').count(), 1);

  // The export: both services, their versions and the search.
  await page.goto(listUrl);
  const [download] = await Promise.all([page.waitForEvent('download'),
    page.click('a[data-action="export"]')]);
  const csv = fs.readFileSync(await download.path(), 'utf8');
  fs.writeFileSync(`${ARTIFACTS}search-journey-shortlist.csv`, csv);
  assert.match(csv, /^\uFEFF"사업명"/);
  const lines = csv.trim().split(/\r?\n/);
  assert.equal(lines.length, 3, csv);
  assert.ok(csv.includes(`"검색 여정 ${RUN}"`));
  assert.ok(csv.includes(firstName), csv);
  assert.ok(csv.includes(secondName), csv);
  assert.ok(/q=클라우드&type=saas&domestic=1&sort=price_asc/.test(csv), csv);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the facet sidebar in English', async () => {
  const page = await newPage(browser, { locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  await page.goto(BASE + '/search?q=cloud&cert=csap&csap=medium');
  assert.match(await page.locator('.filters').innerText(), /Certification/);
  assert.match(await page.locator('.chips').innerText(), /CSAP grade:\s+Medium \(중\) or higher/);
  assert.ok(await page.isChecked('#csap-medium'));
  await shot(page, 'search-journey-english');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
