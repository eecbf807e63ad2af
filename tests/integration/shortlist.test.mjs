// Shortlists (이용희망목록) and saved searches, over HTTP as buyers,
// another agency, a vendor and the procurement office would use them.
// Bearer tokens for the API side, a browser-like client (cookies, CSRF)
// for the HTML forms.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, USERS, apiToken, signIn } from './lib.mjs';

const RUN = Date.now().toString(36);
const tokens = {};

async function call(who, method, path, body, headers = {}) {
  const h = { accept: 'application/json', ...headers };
  if (tokens[who])
    h.authorization = `Bearer ${tokens[who]}`;
  let payload;
  if (body !== undefined) {
    h['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await fetch(BASE + path, { method, headers: h, body: payload, redirect: 'manual' });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = text; }
  return { status: res.status, body: json, text, headers: res.headers };
}

async function newList(name = `사업 ${RUN} ${Math.random().toString(36).slice(2, 7)}`) {
  const r = await call('buyer', 'POST', '/api/v1/shortlists', { project_name: name });
  assert.equal(r.status, 201, r.text);
  return r.body.id;
}

before(async () => {
  for (const who of ['buyer', 'buyer_approver', 'other_buyer', 'vendor_admin', 'auditor', 'reviewer'])
    tokens[who] = await apiToken(USERS[who]);
});

test('a buyer creates a list, adds services from a search, and adding twice is harmless', async () => {
  const id = await newList();
  const a = await call('buyer', 'POST', `/api/v1/shortlists/${id}/items`,
    { listing: 1, search: '/search?q=클라우드&type=iaas&page=2' });
  assert.equal(a.status, 201);
  assert.equal(a.body.outcome, 'added');
  const again = await call('buyer_approver', 'POST', `/api/v1/shortlists/${id}/items`, { listing: 1 });
  assert.equal(again.status, 200);
  assert.deepEqual(again.body, { outcome: 'exists', item_id: a.body.item_id });
  // Two at once: one item, both answers name it.
  const [x, y] = await Promise.all([
    call('buyer', 'POST', `/api/v1/shortlists/${id}/items`, { listing: 2 }),
    call('buyer', 'POST', `/api/v1/shortlists/${id}/items`, { listing: 2 }),
  ]);
  assert.deepEqual([x.status, y.status].sort(), [200, 201]);
  assert.equal(x.body.item_id, y.body.item_id);

  const got = await call('buyer', 'GET', `/api/v1/shortlists/${id}`);
  assert.equal(got.status, 200);
  assert.equal(got.body.items.length, 2);
  const first = got.body.items.find((i) => i.listing_id === 1);
  // The search is kept normalised, page numbers dropped.
  assert.equal(first.search_query, 'q=%ED%81%B4%EB%9D%BC%EC%9A%B0%EB%93%9C&type=iaas');
  assert.equal(first.search_url, '/search?q=%ED%81%B4%EB%9D%BC%EC%9A%B0%EB%93%9C&type=iaas');
  assert.equal(first.decision, 'undecided');
  assert.equal(got.body.groups.length, 1);
  assert.equal(got.body.groups[0].service_type, 'iaas');
  assert.equal(got.body.groups[0].compare_url, '/compare?ids=1,2');
});

test('only published services go on a list; bad ids and searches are 400s naming the field', async () => {
  const id = await newList();
  const draft = await call('buyer', 'POST', `/api/v1/shortlists/${id}/items`, { listing: 23 });
  assert.equal(draft.status, 422);
  assert.equal(draft.body.error.code, 'invalid_reference');
  const none = await call('buyer', 'POST', `/api/v1/shortlists/${id}/items`, { listing: 999999 });
  assert.equal(none.status, 422);
  for (const listing of [0, -1, 'abc', '1; DROP TABLE listings', null, 1.5]) {
    const r = await call('buyer', 'POST', `/api/v1/shortlists/${id}/items`, { listing });
    assert.equal(r.status, 400, String(listing));
    assert.equal(r.body.error.field, 'listing');
  }
  for (const search of ['evil=1', 'q=%ZZ', 'q=' + 'x'.repeat(2100)]) {
    const r = await call('buyer', 'POST', `/api/v1/shortlists/${id}/items`, { listing: 1, search });
    assert.equal(r.status, 400, search.slice(0, 20));
    assert.equal(r.body.error.field, 'search');
  }
});

test('project names: required, at most 200 characters, unique per agency (409)', async () => {
  for (const project_name of ['', '   ', 'x'.repeat(201), undefined]) {
    const r = await call('buyer', 'POST', '/api/v1/shortlists', { project_name });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.field, 'project_name');
  }
  const long = await call('buyer', 'POST', '/api/v1/shortlists', { project_name: `n ${RUN}`, note: 'x'.repeat(2001) });
  assert.equal(long.status, 400);
  assert.equal(long.body.error.field, 'note');
  const name = `중복 사업 ${RUN}`;
  await newList(name);
  const dup = await call('buyer_approver', 'POST', '/api/v1/shortlists', { project_name: name.toUpperCase() });
  assert.equal(dup.status, 409);
  assert.equal(dup.body.error.field, 'project_name');
  // Another agency may use the same name.
  const other = await call('other_buyer', 'POST', '/api/v1/shortlists', { project_name: name });
  assert.equal(other.status, 201);
});

test('decisions need kept or dropped and a reason; locking needs every service decided and one kept', async () => {
  const id = await newList();
  const i1 = (await call('buyer', 'POST', `/api/v1/shortlists/${id}/items`, { listing: 1 })).body.item_id;
  const i2 = (await call('buyer', 'POST', `/api/v1/shortlists/${id}/items`, { listing: 2 })).body.item_id;

  const lockEmpty = await call('buyer', 'POST', `/shortlists/${await newList()}/lock`, {});
  assert.equal(lockEmpty.status, 409);
  assert.match(lockEmpty.body.error.message, /담은 서비스가 없어/);

  for (const [body, field, code] of [
    [{ decision: 'maybe', note: 'x' }, 'decision', 'invalid_parameter'],
    [{ note: 'x' }, 'decision', 'invalid_parameter'],
    [{ decision: 'kept' }, 'note', 'invalid_parameter'],
    [{ decision: 'kept', note: ' \n ' }, 'note', 'invalid_parameter'],
    [{ decision: 'kept', note: '가'.repeat(1001) }, 'note', 'too_long'],
  ]) {
    const r = await call('buyer', 'POST', `/shortlist-items/${i1}`, body);
    assert.equal(r.status, 400, JSON.stringify(body).slice(0, 40));
    assert.equal(r.body.error.field, field);
    assert.equal(r.body.error.code, code);
  }
  assert.equal((await call('buyer', 'POST', `/shortlist-items/${i1}`,
    { decision: 'dropped', note: '가격이 높음' })).status, 200);

  let lock = await call('buyer', 'POST', `/shortlists/${id}/lock`, {});
  assert.equal(lock.status, 409);
  assert.match(lock.body.error.message, /판단하지 않은/);
  await call('buyer', 'POST', `/shortlist-items/${i2}`, { decision: 'dropped', note: '지원 시간 부족' });
  lock = await call('buyer', 'POST', `/shortlists/${id}/lock`, {});
  assert.equal(lock.status, 409);
  assert.match(lock.body.error.message, /유지한 서비스가 하나도/);
  await call('buyer', 'POST', `/shortlist-items/${i1}`, { decision: 'kept', note: '국내 데이터센터, 가격 적정' });
  lock = await call('buyer_approver', 'POST', `/shortlists/${id}/lock`, {});
  assert.equal(lock.status, 200);

  // Locked: nothing changes any more.
  for (const [path, body] of [
    [`/shortlists/${id}/lock`, {}],
    [`/shortlist-items/${i1}`, { decision: 'dropped', note: 'late' }],
    [`/shortlist-items/${i2}/remove`, {}],
    [`/api/v1/shortlists/${id}/items`, { listing: 3 }],
  ]) {
    const r = await call('buyer', 'POST', path, body);
    assert.equal(r.status, 409, path);
    assert.equal(r.body.error.code, 'conflict');
  }
  const got = await call('buyer', 'GET', `/api/v1/shortlists/${id}`);
  assert.equal(got.body.locked, true);
  assert.equal(got.body.editable, false);
  assert.deepEqual(got.body.items.map((i) => i.decision).sort(), ['dropped', 'kept']);

  // The audit log has every step.
  const audit = await call('auditor', 'GET', `/api/v1/audit?object=shortlist:${id}`);
  const actions = audit.body.events.map((e) => e.action).sort();
  assert.deepEqual(actions, ['shortlist_created', 'shortlist_item_added', 'shortlist_item_added',
    'shortlist_item_decided', 'shortlist_item_decided', 'shortlist_item_decided', 'shortlist_locked']);
});

test('the CSV export is evidence: versions, decisions, reasons, searches; formulas defused', async () => {
  const id = await newList(`근거 ${RUN}`);
  const it = (await call('buyer', 'POST', `/api/v1/shortlists/${id}/items`,
    { listing: 1, search: 'q=클라우드' })).body.item_id;
  await call('buyer', 'POST', `/shortlist-items/${it}`, { decision: 'kept', note: '=HYPERLINK("http://x") "최저가"' });
  await call('buyer', 'POST', `/shortlists/${id}/lock`, {});
  const r = await call('buyer', 'GET', `/shortlists/${id}/export.csv`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/csv; charset=utf-8/);
  assert.match(r.headers.get('content-disposition'), new RegExp(`gureum-shortlist-${id}\\.csv`));
  const buf = Buffer.from(await (await fetch(BASE + `/shortlists/${id}/export.csv`,
    { headers: { authorization: `Bearer ${tokens.buyer}` } })).arrayBuffer());
  assert.deepEqual([...buf.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const lines = r.text.replace(/^\uFEFF/, '').split('\r\n');
  assert.match(lines[0], /^"사업명","기관","서비스 번호","서비스명"/);
  assert.equal(lines.length, 3); // header, one row, final CRLF
  const row = lines[1];
  assert.match(row, new RegExp(`^"근거 ${RUN}","행정안전부","1","한빛 클라우드 서버"`));
  assert.ok(row.includes(`"'=HYPERLINK(""http://x"") ""최저가"""`), row);
  assert.ok(row.includes('"q=클라우드"'), row);
  assert.ok(row.includes('"유지"'), row);
  const en = await call('buyer', 'GET', `/shortlists/${id}/export.csv`, undefined, { 'accept-language': 'en' });
  assert.match(en.text, /"Project","Agency","Service id","Service"/);
  // The procurement office may export it too; another agency may not see it.
  assert.equal((await call('auditor', 'GET', `/shortlists/${id}/export.csv`)).status, 200);
  assert.equal((await call('other_buyer', 'GET', `/shortlists/${id}/export.csv`)).status, 404);
});

test("another agency's list is 404 everywhere; vendors 403; the office reads but cannot change", async () => {
  const id = await newList();
  const it = (await call('buyer', 'POST', `/api/v1/shortlists/${id}/items`, { listing: 1 })).body.item_id;
  for (const [method, path, body] of [
    ['GET', `/api/v1/shortlists/${id}`],
    ['GET', `/shortlists/${id}`],
    ['POST', `/api/v1/shortlists/${id}/items`, { listing: 2 }],
    ['POST', `/shortlists/${id}/lock`, {}],
    ['POST', `/shortlist-items/${it}`, { decision: 'kept', note: 'x' }],
    ['POST', `/shortlist-items/${it}/remove`, {}],
  ]) {
    const r = await call('other_buyer', method, path, body);
    assert.equal(r.status, 404, `${method} ${path}`);
  }
  const mine = await call('other_buyer', 'GET', '/api/v1/shortlists');
  assert.ok(!mine.body.shortlists.some((s) => s.id === id));
  assert.equal((await call('vendor_admin', 'GET', '/api/v1/shortlists')).status, 403);
  const office = await call('auditor', 'GET', `/api/v1/shortlists/${id}`);
  assert.equal(office.status, 200);
  assert.equal(office.body.editable, false);
  assert.equal((await call('reviewer', 'POST', `/shortlist-items/${it}`, { decision: 'kept', note: 'x' })).status, 403);
  const all = await call('reviewer', 'GET', '/api/v1/shortlists');
  assert.ok(all.body.shortlists.some((s) => s.id === id));
  // Nothing changed.
  const got = await call('buyer', 'GET', `/api/v1/shortlists/${id}`);
  assert.equal(got.body.items.length, 1);
  assert.equal(got.body.items[0].decision, 'undecided');
});

test('HTML forms keep the input on error, and names are rendered escaped', async () => {
  const c = await signIn(USERS.buyer);
  let res = await c.post('/shortlists', { project_name: '', note: '메모는 남아야 한다' });
  assert.equal(res.status, 400);
  let html = await res.text();
  assert.match(html, /메모는 남아야 한다/);
  assert.match(html, /class="error-summary/);

  const evil = `<script>alert("x${RUN}")</script>`;
  res = await c.post('/shortlists', { project_name: evil });
  assert.equal(res.status, 303);
  const url = res.headers.get('location');
  assert.match(url, /^\/shortlists\/\d+\?done=created$/);
  html = await (await c.get(url)).text();
  assert.ok(!html.includes(evil));
  assert.ok(html.includes('&lt;script&gt;'));

  const id = url.match(/\d+/)[0];
  res = await c.post(`/shortlists/${id}/items`, { listing: '1', search: 'q=서버' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), `/shortlists/${id}?done=added`);
  const item = (await c.getJSON(`/shortlists/${id}`)).body.items[0].id;
  res = await c.post(`/shortlist-items/${item}`, { decision: 'kept', note: '' });
  assert.equal(res.status, 400);
  html = await res.text();
  assert.match(html, /사유를 입력하세요/);
  assert.match(html, /id="kept-\d+" name="decision" value="kept"/);

  // Without the CSRF token nothing happens.
  res = await c.post(`/shortlist-items/${item}`, { decision: 'kept', note: 'x', csrf: 'wrong' });
  assert.equal(res.status, 403);
});

test('the add page lists the open lists, marks where the service already is', async () => {
  const id = await newList(`담기 ${RUN}`);
  await call('buyer', 'POST', `/api/v1/shortlists/${id}/items`, { listing: 4 });
  const r = await call('buyer', 'GET', '/shortlists/add?listing=4&search=' + encodeURIComponent('q=그룹웨어'));
  assert.equal(r.status, 200);
  const mine = r.body.lists.find((l) => l.id === id);
  assert.equal(mine.has_it, true);
  assert.equal(r.body.back, '/search?q=%EA%B7%B8%EB%A3%B9%EC%9B%A8%EC%96%B4');
  assert.equal((await call('buyer', 'GET', '/shortlists/add?listing=23')).status, 404);
  assert.equal((await call('buyer', 'GET', '/shortlists/add?listing=x')).status, 400);
});

test('saved searches: save, list, run, delete; private to their user', async () => {
  const c = await signIn(USERS.buyer);
  let res = await c.post('/searches', { name: `SaaS 그룹웨어 ${RUN}`, query: '?q=그룹웨어&type=saas&page=4' });
  assert.equal(res.status, 303);
  const list = (await call('buyer', 'GET', '/api/v1/searches')).body.searches;
  const s = list.find((x) => x.name === `SaaS 그룹웨어 ${RUN}`);
  assert.equal(s.query, 'q=%EA%B7%B8%EB%A3%B9%EC%9B%A8%EC%96%B4&type=saas');
  assert.equal(s.url, '/search?' + s.query);
  const run = await fetch(BASE + s.url, { headers: { accept: 'application/json' } });
  assert.equal(run.status, 200);

  res = await c.post('/searches', { name: '', query: 'q=x' });
  assert.equal(res.status, 400);
  res = await c.post('/searches', { name: '나쁜 검색', query: 'q=x&admin=1' });
  assert.equal(res.status, 400);
  assert.match(await res.text(), /value="나쁜 검색"/);

  const other = await call('buyer_approver', 'GET', '/api/v1/searches');
  assert.ok(!other.body.searches.some((x) => x.id === s.id));
  assert.equal((await call('buyer_approver', 'POST', `/searches/${s.id}/delete`, {})).status, 404);
  assert.equal((await call('buyer', 'POST', `/searches/${s.id}/delete`, {})).status, 200);
  assert.equal((await call('buyer', 'POST', `/searches/${s.id}/delete`, {})).status, 404);
});
