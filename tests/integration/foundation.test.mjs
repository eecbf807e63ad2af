// Integration tests of the foundation: the real kore (sandbox on, workers
// terminate on any violation) against the real PostgreSQL, over HTTP.
// tests/run.sh starts the server and sets BASE_URL.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';

const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:8899';

async function get(path, headers = {}) {
  return fetch(BASE + path, { headers, redirect: 'manual' });
}

async function api(path, headers = {}) {
  const res = await get(path, { accept: 'application/json', ...headers });
  const body = await res.json();
  return { res, body };
}

// Sends raw bytes, for what fetch refuses to send (invalid UTF-8 in a URL).
function raw(request) {
  return new Promise((resolve, reject) => {
    const u = new URL(BASE);
    const s = net.connect(Number(u.port), u.hostname);
    let data = '';
    s.setTimeout(5000, () => { s.destroy(); reject(new Error('timeout')); });
    s.on('data', (d) => { data += d.toString('latin1'); });
    s.on('end', () => resolve(data));
    s.on('error', reject);
    s.write(typeof request === 'string' ? Buffer.from(request, 'latin1') : request);
  });
}

function status(rawResponse) {
  return Number(rawResponse.split(' ')[1]);
}

test('healthz reports database and index ok', async () => {
  const { res, body } = await api('/healthz');
  assert.equal(res.status, 200);
  assert.equal(body.status, 'ok');
  assert.equal(body.database.status, 'ok');
  assert.equal(body.database.published_listings, 22);
  assert.equal(body.index.status, 'ok');
  assert.equal(body.index.documents, 22);
});

test('every answer carries the security headers and a request id', async () => {
  for (const path of ['/', '/search?q=x', '/api/v1/search', '/nope', '/healthz',
    '/static/gureum.css']) {
    const res = await get(path);
    assert.match(res.headers.get('content-security-policy'), /default-src 'self'/, path);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
    assert.equal(res.headers.get('x-frame-options'), 'DENY', path);
    assert.equal(res.headers.get('referrer-policy'), 'same-origin', path);
    assert.match(res.headers.get('x-request-id'), /^[0-9a-f]{16}$/, path);
  }
});

test('request ids differ, and a sane incoming one is kept', async () => {
  const a = (await get('/healthz')).headers.get('x-request-id');
  const b = (await get('/healthz')).headers.get('x-request-id');
  assert.notEqual(a, b);
  const c = await get('/healthz', { 'x-request-id': 'proxy-123' });
  assert.equal(c.headers.get('x-request-id'), 'proxy-123');
  const d = await get('/healthz', { 'x-request-id': 'bad id<script>' });
  assert.match(d.headers.get('x-request-id'), /^[0-9a-f]{16}$/);
});

test('the home page is Korean HTML with the demo catalog', async () => {
  const res = await get('/');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/html/);
  const html = await res.text();
  assert.match(html, /<html lang="ko"/);
  // The first page of the whole catalog: 20 of the 22 demo services.
  assert.equal((html.match(/class="card__title"/g) ?? []).length, 20);
  assert.match(html, /한빛/);
});

test('a Korean search finds demo listings in HTML and JSON', async () => {
  const page = await (await get('/search?q=' + encodeURIComponent('클라우드'))).text();
  assert.match(page, /클라우드/);
  const { res, body } = await api('/api/v1/search?q=' + encodeURIComponent('클라우드'));
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^application\/json/);
  assert.ok(body.total >= 5, `total ${body.total}`);
  assert.equal(body.results.length, Math.min(body.total, 20));
  for (const r of body.results) {
    assert.ok(Number.isInteger(r.id));
    assert.ok(r.name && r.vendor && r.service_type);
  }
});

test('the same page answers JSON when asked with Accept', async () => {
  const { res, body } = await api('/search?q=' + encodeURIComponent('그룹웨어'));
  assert.equal(res.status, 200);
  assert.equal(body.results[0].name, '누리 그룹웨어');
});

test('Korean partial words, English stems and mixed queries match', async () => {
  const cases = [
    ['클라우', 'Hanbit Cloud Server', 'en'],
    ['servers', 'Hanbit Cloud Server', 'en'],
    ['micro', null, 'en'],
    ['오피스 365', '새벽 오피스 365 전환 지원', 'ko'],
    ['Office 365', 'Saebyeok Office 365 Migration', 'en'],
    ['망분리', '가람 망분리 가상 데스크톱', 'ko'],
    ['"보안 화상회의"', '누리 화상회의', 'ko'],
  ];
  for (const [q, want, lang] of cases) {
    const { res, body } = await api('/api/v1/search?per_page=100&q=' + encodeURIComponent(q),
      { 'accept-language': lang });
    assert.equal(res.status, 200, q);
    if (want === null)
      continue;
    assert.ok(body.results.some((r) => r.name === want),
      `${q}: ${body.results.map((r) => r.name).join(', ')}`);
  }
});

test('exclusion, OR and field prefixes work', async () => {
  let { body } = await api('/api/v1/search?per_page=100&q=' + encodeURIComponent('vendor:누리소프트'));
  assert.equal(body.total, 3);
  ({ body } = await api('/api/v1/search?per_page=100&q=' + encodeURIComponent('한빛 -GPU')));
  assert.ok(body.total >= 4);
  assert.ok(!body.results.some((r) => r.id === 3));
  ({ body } = await api('/api/v1/search?per_page=100&q=' + encodeURIComponent('챗봇 OR 방화벽')));
  assert.deepEqual(body.results.map((r) => r.id).sort(), [12, 13]);
});

test('drafts never appear', async () => {
  const { body } = await api('/api/v1/search?per_page=100&q=' + encodeURIComponent('설문조사'));
  assert.equal(body.total, 0);
  const all = await api('/api/v1/search?per_page=100');
  assert.ok(!all.body.results.some((r) => r.id === 23));
});

test('an empty query lists everything, with exact type facets', async () => {
  const { body } = await api('/api/v1/search?per_page=100');
  assert.equal(body.total, 22);
  assert.equal(body.results.length, 22);
  const counts = Object.fromEntries(body.facets.type.map((f) => [f.value, f.count]));
  assert.deepEqual(counts, { iaas: 5, paas: 4, saas: 7, daas: 2, support: 4 });
});

test('type filters narrow results; an unknown type is a 400 naming it', async () => {
  let { res, body } = await api('/api/v1/search?per_page=100&type=saas&type=daas');
  assert.equal(res.status, 200);
  assert.equal(body.total, 9);
  assert.ok(body.results.every((r) => ['saas', 'daas'].includes(r.service_type)));
  // Facet counts leave the type selection out: they say what a click gives.
  const counts = Object.fromEntries(body.facets.type.map((f) => [f.value, [f.count, f.selected]]));
  assert.deepEqual(counts, { iaas: [5, false], paas: [4, false], saas: [7, true],
    daas: [2, true], support: [4, false] });
  ({ res, body } = await api('/api/v1/search?type=cloud'));
  assert.equal(res.status, 400);
  assert.equal(body.error.code, 'invalid_parameter');
  assert.equal(body.error.field, 'type');
});

test('the tie-break keeps pages stable and disjoint', async () => {
  const a = await api('/api/v1/search?per_page=5&page=1');
  const a2 = await api('/api/v1/search?per_page=5&page=1');
  assert.deepEqual(a.body.results.map((r) => r.id), a2.body.results.map((r) => r.id));
  const seen = new Set();
  for (let p = 1; p <= 5; p++) {
    const { body } = await api(`/api/v1/search?per_page=5&page=${p}`);
    for (const r of body.results) {
      assert.ok(!seen.has(r.id), `id ${r.id} twice`);
      seen.add(r.id);
    }
  }
  assert.equal(seen.size, 22);
});

test('English answers follow Accept-Language and the lang cookie', async () => {
  let { body } = await api('/api/v1/search?q=' + encodeURIComponent('그룹웨어'),
    { 'accept-language': 'en-US,en;q=0.9' });
  assert.equal(body.results[0].name, 'Nuri Groupware');
  ({ body } = await api('/api/v1/search?q=' + encodeURIComponent('그룹웨어'),
    { 'accept-language': 'en', cookie: 'lang=ko' }));
  assert.equal(body.results[0].name, '누리 그룹웨어');
  const html = await (await get('/', { 'accept-language': 'en' })).text();
  assert.match(html, /<html lang="en"/);
});

test('the language switch sets a cookie and only goes back to local paths', async () => {
  let res = await get('/lang?set=en&next=' + encodeURIComponent('/search?q=a'));
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/search?q=a');
  assert.match(res.headers.get('set-cookie'), /lang=en;.*HttpOnly/);
  res = await get('/lang?set=en&next=' + encodeURIComponent('//evil.example/'));
  assert.equal(res.headers.get('location'), '/');
  res = await get('/lang?set=en&next=' + encodeURIComponent('https://evil.example/'));
  assert.equal(res.headers.get('location'), '/');
  res = await get('/lang?set=fr');
  assert.equal(res.status, 400);
});

test('unknown routes are 404 in JSON and in HTML', async () => {
  let { res, body } = await api('/api/v1/nothing-here');
  assert.equal(res.status, 404);
  assert.equal(body.error.code, 'not_found');
  assert.ok(body.error.message.length > 0);
  res = await get('/no/such/page');
  assert.equal(res.status, 404);
  assert.match(res.headers.get('content-type'), /^text\/html/);
  assert.match(await res.text(), /404/);
});

test('a wrong method is 405 with Allow', async () => {
  const res = await fetch(BASE + '/search', { method: 'POST', body: 'x=1',
    headers: { accept: 'application/json' } });
  assert.equal(res.status, 405);
  assert.equal(res.headers.get('allow'), 'GET, HEAD');
  assert.equal((await res.json()).error.code, 'method_not_allowed');
});

test('unknown parameters are refused by name', async () => {
  const { res, body } = await api('/api/v1/search?q=a&colour=red');
  assert.equal(res.status, 400);
  assert.equal(body.error.code, 'unknown_parameter');
  assert.equal(body.error.field, 'colour');
});

test('bad page numbers are 400s naming the parameter; past the end is a notice', async () => {
  for (const p of ['0', '-1', 'abc', '1.5', '99999999999999999999999', '10001']) {
    const { res, body } = await api('/api/v1/search?page=' + p);
    assert.equal(res.status, 400, p);
    assert.equal(body.error.field, 'page', p);
  }
  const { res, body } = await api('/api/v1/search?page=999');
  assert.equal(res.status, 200);
  assert.equal(body.results.length, 0);
  assert.equal(body.notice_code, 'past_last_page');
  assert.match(body.last_page_url, /page=2|^\/search\?q=$/);
  const html = await (await get('/search?page=999')).text();
  assert.match(html, /notice|알림|마지막/);
});

test('invalid UTF-8 and broken escapes are 400s naming the parameter', async () => {
  let r = await raw('GET /api/v1/search?q=%FF%FE HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.equal(status(r), 400);
  assert.match(r, /"code":"invalid_utf8"/);
  assert.match(r, /"field":"q"/);
  r = await raw('GET /api/v1/search?q=%G1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.equal(status(r), 400);
  assert.match(r, /"field":"q"/);
  r = await raw('GET /api/v1/search?q=\xff\xfe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.ok([400].includes(status(r)), r.slice(0, 80));
  r = await raw('GET /search?q=%00 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.equal(status(r), 400);
});

test('very long and odd queries get a clear answer', async () => {
  // Over 200 characters: searched on the first 200, with a notice.
  for (const long of ['cloud '.repeat(60), '클라우드 '.repeat(45)]) {
    const { res, body } = await api('/api/v1/search?q=' + encodeURIComponent(long));
    assert.equal(res.status, 200);
    assert.equal(body.query_truncated, true);
    assert.equal(body.notice_code, 'query_truncated');
  }
  // Kore refuses URIs of 2,000 bytes or more itself: 414, not a dropped line.
  const huge = await get('/api/v1/search?q=' + encodeURIComponent('cloud '.repeat(1667)));
  assert.equal(huge.status, 414);
  let res, body;
  for (const q of ['"unbalanced', '((', ')', '-', 'OR OR', 'AND', 'NOT', '"', 'vendor:',
    '*', '🙂', '<script>alert(1)</script>', "' OR 1=1 --", '\\', 'a'.repeat(300)]) {
    ({ res, body } = await api('/api/v1/search?q=' + encodeURIComponent(q)));
    assert.equal(res.status, 200, q);
    assert.ok(Number.isInteger(body.total), q);
  }
});

test('query text is escaped in HTML', async () => {
  const html = await (await get('/search?q=' + encodeURIComponent('<script>alert(1)</script>'))).text();
  assert.ok(!html.includes('<script>alert(1)'));
  assert.match(html, /&lt;script&gt;/);
});

test('an oversized body is 413', async () => {
  // The server answers as soon as it reads the length, before the body.
  const r = await raw('POST /search HTTP/1.1\r\nHost: x\r\nContent-Length: 5242880\r\n' +
    'Connection: close\r\n\r\n' + 'a'.repeat(1000));
  assert.equal(status(r), 413);
});

test('static files are served with an ETag and revalidate', async () => {
  const res = await get('/static/gureum.css');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/css/);
  const etag = res.headers.get('etag');
  assert.ok(etag);
  const again = await get('/static/gureum.css', { 'if-none-match': etag });
  assert.equal(again.status, 304);
});

test('the server survives a burst of hostile requests', async () => {
  const paths = ['/search?q=%FF', '/api/v1/search?page=-5', '/x'.repeat(500),
    '/api/v1/search?q=' + '('.repeat(500), '/search?type=x&type=y', '/healthz?x=1',
    '/api/v1/search?q=' + encodeURIComponent('"'.repeat(100))];
  await Promise.all(Array.from({ length: 200 }, (_, i) => get(paths[i % paths.length])
    .then((r) => r.arrayBuffer())));
  const { res } = await api('/healthz');
  assert.equal(res.status, 200);
});

test('a service page answers from PostgreSQL in HTML and JSON; drafts are 404', async () => {
  let res = await get('/services/8');
  assert.equal(res.status, 200);
  assert.match(await res.text(), /누리 그룹웨어/);
  const { res: r2, body } = await api('/api/v1/services/8');
  assert.equal(r2.status, 200);
  assert.equal(body.name_en, 'Nuri Groupware');
  assert.equal(body.vendor_ko, '누리소프트');
  for (const p of ['/api/v1/services/23', '/api/v1/services/999999',
    '/api/v1/services/0', '/api/v1/services/abc', '/api/v1/services/99999999999999999999999']) {
    res = await get(p);
    assert.equal(res.status, 404, p);
  }
});
