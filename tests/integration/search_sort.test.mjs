// Search orders besides relevance: reference price low to high and high
// to low (services without a price last either way), newest version
// first; an unknown order is a 400 naming sort; pagination links and a
// buyer's "save this search" keep the order.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, USERS, signIn } from './lib.mjs';

const get = async (qs, headers = {}) => {
  const res = await fetch(`${BASE}/api/v1/search?${qs}`, { headers });
  return { status: res.status, body: await res.json() };
};

const prices = (body) => body.results.map((r) => r.card?.reference_monthly_price_won ??
  r.reference_monthly_price_won ?? null);

test('price low to high and high to low, unpriced services last', async () => {
  const asc = await get('q=&per_page=100&sort=price_asc');
  assert.equal(asc.status, 200);
  const a = prices(asc.body);
  const priced = a.filter((p) => p !== null);
  assert.ok(priced.length >= 10, 'the demo catalog has prices');
  for (let i = 1; i < priced.length; i++)
    assert.ok(priced[i - 1] <= priced[i], `ascending at ${i}: ${priced[i - 1]} > ${priced[i]}`);
  assert.ok(a.indexOf(null) === -1 || a.slice(a.indexOf(null)).every((p) => p === null), 'unpriced last');
  const desc = await get('q=&per_page=100&sort=price_desc');
  const d = prices(desc.body).filter((p) => p !== null);
  for (let i = 1; i < d.length; i++)
    assert.ok(d[i - 1] >= d[i], `descending at ${i}`);
  assert.equal(desc.body.total, asc.body.total);
  assert.equal(asc.body.sort, 'price_asc');
});

test('an unknown order is a 400 naming sort; relevance is the default', async () => {
  const bad = await get('q=cloud&sort=cheapest');
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, 'sort');
  assert.equal((await get('q=')).body.sort, 'relevance');
  assert.equal((await get('q=&sort=relevance')).body.sort, 'relevance');
  const newest = await get('q=&sort=newest');
  assert.equal(newest.status, 200);
  assert.equal(newest.body.results.length, 20);
});

test('pages keep the order; a buyer can save the sorted search', async () => {
  const p1 = await get('q=&per_page=5&sort=price_asc');
  assert.match(p1.body.pagination.next_url, /sort=price_asc/);
  const p2 = await get('q=&per_page=5&page=2&sort=price_asc');
  const all = await get('q=&per_page=10&sort=price_asc');
  assert.deepEqual([...p1.body.results, ...p2.body.results].map((r) => r.id),
    all.body.results.map((r) => r.id));
  const c = await signIn(USERS.buyer);
  const html = await (await c.get('/search?q=&sort=price_desc')).text();
  const m = html.match(/href="(\/searches\?query[^"]+)" data-action="save-search"/);
  assert.ok(m, 'the save link is there for buyers');
  const href = m[1].replace(/&#61;/g, '=').replace(/&amp;/g, '&');
  const form = await (await c.get(href)).text();
  assert.match(form, /name="query" value="[^"]*sort(=|&#61;)price_desc/);
  const anon = await (await fetch(`${BASE}/search?q=&sort=price_desc`)).text();
  assert.ok(!anon.includes('data-action="save-search"'));
});
