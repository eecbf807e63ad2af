// The thin slice as a person uses it: open the home page, type a Korean
// query, see results, switch to English. Screenshots go to tests/artifacts/.

import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, BASE, ARTIFACTS } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('search in Korean from the home page', async () => {
  const page = await newPage(browser);
  await page.goto(BASE + '/');
  assert.equal(await page.getAttribute('html', 'lang'), 'ko');
  const box = page.locator('input[name="q"][type="search"]');
  await box.fill('클라우드');
  await box.press('Enter');
  await page.waitForURL(/\/search\?q=/);
  const cards = page.locator('main article, main .card, main li.result, main [data-result]');
  assert.ok(await cards.count() >= 5, `cards: ${await cards.count()}`);
  const text = await page.locator('main').innerText();
  assert.match(text, /한빛 클라우드 서버/);
  assert.match(text, /검색 결과|건/);
  await page.screenshot({ path: ARTIFACTS + 'search-ko.png', fullPage: true });
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('switch to English and search again', async () => {
  const page = await newPage(browser);
  await page.goto(BASE + '/search?q=' + encodeURIComponent('그룹웨어'));
  await page.locator(`a[href^="/lang?set=en"]`).first().click();
  await page.waitForLoadState();
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.match(await page.locator('main').innerText(), /Nuri Groupware/);
  await page.screenshot({ path: ARTIFACTS + 'search-en.png', fullPage: true });
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('no results and a phone-sized screen', async () => {
  const page = await newPage(browser, { viewport: { width: 390, height: 844 } });
  await page.goto(BASE + '/search?q=' + encodeURIComponent('존재하지않는서비스명'));
  assert.ok(await page.locator('.no-results').isVisible());
  await page.goto(BASE + '/search?q=' + encodeURIComponent('보안'));
  await page.screenshot({ path: ARTIFACTS + 'search-mobile.png', fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  assert.equal(overflow, false, 'page scrolls sideways on a phone');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a 404 page is a page, in the user language', async () => {
  const page = await newPage(browser);
  const res = await page.goto(BASE + '/no/such/page');
  assert.equal(res.status(), 404);
  assert.match(await page.locator('main').innerText(), /404/);
  await page.context().close();
});
