// Search queries and filters as a buyer uses them, on the demo catalog:
// query syntax, ranking (names and summaries over descriptions, a fair and
// stable tie-break), snippets, filters with chips kept across pages, sorts
// and saved searches, the "most contracted" order kept fresh by a trigger,
// and bad input of every kind (a clear 4xx or a notice, never a 500).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { BASE, USERS, signIn } from './lib.mjs';
import { activeContract, withdrawTestListings } from './metering-lib.mjs';

const DB = process.env.GUREUM_DATABASE;
const RUN = `sq${process.pid}`;

function sql(q) {
  return execFileSync('psql', [DB, '-X', '-qtA', '-v', 'ON_ERROR_STOP=1', '-c', q],
    { encoding: 'utf8' }).trim();
}

async function api(qs, headers = {}) {
  const res = await fetch(`${BASE}/api/v1/search?${qs}`, { headers });
  const text = await res.text();
  return { res, body: text ? JSON.parse(text) : null };
}
const q = (s, more = '') => api(`per_page=100&q=${encodeURIComponent(s)}${more}`);
const ids = (body) => body.results.map((r) => r.id);
// HTML attribute text as the browser reads it (the templates escape = too).
const unescape = (html) => html.replaceAll('&#61;', '=').replaceAll('&#39;', "'").replaceAll('&amp;', '&');

async function within(ms, check) {
  const start = Date.now();
  for (;;) {
    if (await check())
      return Date.now() - start;
    if (Date.now() - start > ms)
      assert.fail(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

after(async () => {
  withdrawTestListings(RUN);
  sql("UPDATE listings SET description_ko = regexp_replace(description_ko, ' 방화벽 연동 안내$', '') WHERE id = 9");
  // The next test file counts 22 published listings in search.
  await within(3000, async () => (await api('per_page=1')).body.total === 22);
});

test('query syntax: partial Korean, English stems, phrases, exclusion, OR, fields, mixed scripts', async () => {
  const cases = [
    ['클라우', (b) => b.total >= 10],
    ['platforms', (b) => ids(b).includes(6) && ids(b).includes(7)],
    ['Analytic', (b) => ids(b).includes(7)],
    ['"클라우드 서버"', (b) => ids(b).includes(1) && !ids(b).includes(2)],
    ['"Cloud Server"', (b) => ids(b).includes(1) && !ids(b).includes(22)],
    ['한빛 -GPU', (b) => b.total >= 4 && !ids(b).includes(3)],
    ['GPU OR 챗봇', (b) => ids(b).sort((x, y) => x - y).join() === '3,12'],
    ['name:오피스', (b) => ids(b).sort((x, y) => x - y).join() === '19,20'],
    ['vendor:"Hanbit Cloud"', (b) => b.total === 5],
    ['vendor:누리소프트 오피스', (b) => ids(b).join() === '20'],
    ['오피스 365', (b) => ids(b)[0] === 19],
    ['Office 365', (b) => ids(b)[0] === 19],
    ['365 오피스', (b) => ids(b)[0] === 19],
    ['새벽 Office', (b) => ids(b).includes(19)],
    ['NHN 클라우드', (b) => b.total === 0 && !b.query_relaxed],
    // A field prefix with nothing after it yet is no field: everything.
    ['vendor:', (b) => b.total === 22 && b.q === 'vendor:'],
    ['name: 그룹웨어', (b) => ids(b)[0] === 8],
  ];
  for (const [text, ok] of cases) {
    const { res, body } = await q(text);
    assert.equal(res.status, 200, text);
    assert.ok(ok(body), `${text}: ${ids(body).join(',')} (${body.total})`);
  }
});

test('names and summaries rank above descriptions; descriptions are searched and snippeted', async () => {
  // A word that is in listing 13's name only appears in listing 9's
  // description once it is added here.
  sql("UPDATE listings SET description_ko = description_ko || ' 방화벽 연동 안내' WHERE id = 9");
  await within(2000, async () => ids((await q('방화벽')).body).includes(9));
  const { body } = await q('방화벽');
  assert.ok(ids(body).indexOf(13) < ids(body).indexOf(9), ids(body).join());
  const hit = body.results.find((r) => r.id === 9);
  assert.match(hit.snippet, /<mark>방화벽<\/mark>/);
  sql("UPDATE listings SET description_ko = regexp_replace(description_ko, ' 방화벽 연동 안내$', '') WHERE id = 9");
  await within(2000, async () => !ids((await q('방화벽')).body).includes(9));
});

test('equal scores are ordered by a hash of the id, the same on every call and page', async () => {
  const all = ids((await api('per_page=100')).body);
  assert.equal(all.length, 22);
  // Not the id order and not grouped by vendor (ids are given by vendor).
  assert.notDeepEqual(all, [...all].sort((a, b) => a - b));
  const paged = [];
  for (let p = 1; p <= 3; p++)
    paged.push(...ids((await api(`per_page=8&page=${p}`)).body));
  assert.deepEqual(paged, all);
  // Filtering keeps the relative order.
  const saas = ids((await api('per_page=100&type=saas')).body);
  assert.deepEqual(saas, all.filter((id) => saas.includes(id)));
});

test('snippets mark matches and escape the text; queries are escaped in HTML', async () => {
  const { body } = await q('그룹웨어');
  assert.ok(body.results[0].snippet.includes('<mark>'), body.results[0].snippet);
  const evil = '<script>alert(1)</script> "onmouseover=x';
  const res = await fetch(`${BASE}/search?q=${encodeURIComponent(evil)}`);
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.ok(!html.includes('<script>alert(1)'));
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
});

test('filters narrow results; chips remove one selection each; counts are exact', async () => {
  const { res, body } = await api('per_page=100&type=saas&cert=csap&valid=1&domestic=1');
  assert.equal(res.status, 200);
  // Demo: SaaS with a CSAP certificate in force and a data centre in Korea.
  const want = sql(`SELECT string_agg(l.id::text, ',' ORDER BY l.id) FROM listings l
    WHERE l.status = 'published' AND l.service_type = 'saas' AND l.dc_location = 'domestic'
    AND EXISTS (SELECT 1 FROM certificates c WHERE c.listing_id = l.id AND c.scheme = 'csap'
    AND c.status = 'valid' AND (c.expiry_date IS NULL OR c.expiry_date >= kst_today()))`);
  assert.equal(ids(body).sort((a, b) => a - b).join(), want);
  assert.deepEqual(body.chips.map((c) => c.filter), ['type', 'cert', 'valid', 'domestic']);
  const cert = body.chips.find((c) => c.filter === 'cert');
  assert.equal(cert.remove_url, '/search?q=&type=saas&valid=1&domestic=1&per_page=100');
  assert.equal(body.clear_url, '/search?q=');
  // A category parent matches its children; CSAP at least: 상 satisfies 중.
  const saas = await api('per_page=100&category=saas');
  assert.equal(saas.body.total, 7);
  const mid = await api('per_page=100&csap=medium');
  const high = await api('per_page=100&csap=high');
  assert.ok(ids(high.body).every((id) => ids(mid.body).includes(id)));
  assert.ok(mid.body.total > high.body.total);
  assert.equal(mid.body.facets.csap.find((v) => v.value === 'high').count, high.body.total);
  // Availability at least X and a price range, each a facet with counts.
  const av = await api('per_page=100&availability=99.95');
  assert.deepEqual(ids(av.body).sort((a, b) => a - b).join(),
    sql("SELECT string_agg(id::text, ',' ORDER BY id) FROM listings WHERE status = 'published' AND availability_target >= 99.95"));
  const pr = await api('per_page=100&price_min=100000&price_max=999999');
  assert.equal(pr.body.total, pr.body.facets.price.find((v) => v.value === 'band1').count);
  // Runs on: the infrastructure a SaaS runs on.
  const on = await api('per_page=100&runs_on=1&type=saas');
  assert.equal(on.body.total, Number(sql(`SELECT count(*) FROM listings l JOIN listing_runs_on r
    ON r.listing_id = l.id WHERE r.runs_on_id = 1 AND l.status = 'published' AND l.service_type = 'saas'`)));
  assert.equal(on.body.facets.runs_on.find((v) => v.value === '1').label, '한빛 클라우드 서버');
});

test('English labels for facets and chips', async () => {
  const { body } = await api('per_page=1&deploy=community&csap=low', { 'accept-language': 'en' });
  assert.deepEqual(body.chips.map((c) => c.label), ['Low (하) or higher', 'Government community cloud']);
  assert.equal(body.facets.domestic[0].label, 'Data centre in Korea');
  const priced = await api('per_page=1&price_min=100000&price_max=999999', { 'accept-language': 'en' });
  assert.equal(priced.body.chips[0].label, '₩100,000 ~ ₩999,999');
  const won = await api('per_page=1&price_min=1000000');
  assert.equal(won.body.chips[0].label, '1,000,000원 ~');
  const html = await (await fetch(`${BASE}/search?deploy=community`, { headers: { 'accept-language': 'en' } })).text();
  assert.match(html, /Deployment model/);
  assert.match(html, /Clear all filters/);
  const ko = await (await fetch(`${BASE}/search?deploy=community`)).text();
  assert.match(ko, /조건 모두 해제/);
  assert.match(ko, /배포 모델:<\/span> 공공 전용\(커뮤니티\) 클라우드/);
});

test('selections are kept in page links, the sort form, the query form and saved searches', async () => {
  const html = unescape(await (await fetch(`${BASE}/search?q=&type=saas&type=iaas&trial=1&per_page=2&sort=price_asc`)).text());
  assert.ok(html.includes('href="/search?q=&type=saas&type=iaas&trial=1&sort=price_asc&per_page=2&page=2"'));
  assert.match(html, /<input type="hidden" name="trial" value="1">/);
  assert.match(html, /id="trial-1" name="trial" value="1" checked/);
  const buyer = await signIn(USERS.buyer);
  const page = unescape(await (await buyer.get('/search?q=%ED%81%B4%EB%9D%BC%EC%9A%B0%EB%93%9C&cert=csap&csap=medium')).text());
  const save = page.match(/href="(\/searches\?query=[^"]+)"/)[1];
  const form = unescape(await (await buyer.get(save)).text());
  assert.match(form, /value="q=[^"]*&cert=csap&csap=medium"/);
});

// Contracts made on Gureum per published listing, as the service page counts them.
function contracts() {
  return Object.fromEntries(sql(`SELECT l.id, count(k.id) FROM listings l
    LEFT JOIN contracts k ON k.listing_id = l.id AND k.status IN ('active', 'suspended', 'ended')
    WHERE l.status = 'published' GROUP BY l.id`).split('\n').map((r) => r.split('|').map(Number)));
}

function byCount(order, n) {
  for (let i = 1; i < order.length; i++)
    assert.ok(n[order[i - 1]] >= n[order[i]], `${order.join(',')} by ${JSON.stringify(n)}`);
}

test('"most contracted" follows contracts becoming active within 2 s', async () => {
  const before = ids((await api('per_page=100&sort=most_contracted')).body);
  let n = contracts();
  byCount(before, n);
  // Equal counts keep the fair order of relevance (the id hash), not the id.
  const zero = (id) => n[id] === 0;
  assert.deepEqual(before.filter(zero), ids((await api('per_page=100')).body).filter(zero));
  const { listing } = await activeContract(RUN, 'most');
  const t = await within(3000, async () => {
    const order = ids((await api('per_page=100&sort=most_contracted')).body);
    const at = order.indexOf(listing);
    return at >= 0 && order.slice(at + 1).length > 0 && order.slice(0, at).every((id) => !zero(id));
  });
  console.log(`# most contracted: ahead of the uncontracted after ${t} ms`);
  n = contracts();
  assert.equal(n[listing], 1);
  byCount(ids((await api('per_page=100&sort=most_contracted')).body), n);
  const iaas = ids((await api('per_page=100&sort=most_contracted&type=iaas')).body);
  byCount(iaas, n);
  assert.ok(iaas.includes(listing));
});

test('bad input is a clear 4xx or a notice, never a 500', async () => {
  const bad = [
    ['type=cloud', 400, 'invalid_parameter', 'type'],
    ['category=saas.nope', 400, 'invalid_parameter', 'category'],
    ['cert=iso9001', 400, 'invalid_parameter', 'cert'],
    ['csap=high&csap=low', 400, 'invalid_parameter', 'csap'],
    ['csap=%EC%83%81', 400, 'invalid_parameter', 'csap'],
    ['valid=yes', 400, 'invalid_parameter', 'valid'],
    ['domestic=2', 400, 'invalid_parameter', 'domestic'],
    ['size=huge', 400, 'invalid_parameter', 'size'],
    ['availability=101', 400, 'invalid_parameter', 'availability'],
    ['availability=99.9999999', 400, 'invalid_parameter', 'availability'],
    ['availability=-1', 400, 'invalid_parameter', 'availability'],
    ['availability=1e2', 400, 'invalid_parameter', 'availability'],
    ['price_min=-5', 400, 'invalid_parameter', 'price_min'],
    ['price_min=5&price_max=1', 400, 'invalid_parameter', 'price_max'],
    ['price_max=99999999999999999999', 400, 'invalid_parameter', 'price_max'],
    ['runs_on=0', 400, 'invalid_parameter', 'runs_on'],
    ['runs_on=1%20OR%201=1', 400, 'invalid_parameter', 'runs_on'],
    ['deploy=cloud', 400, 'invalid_parameter', 'deploy'],
    ['sort=cheapest', 400, 'invalid_parameter', 'sort'],
    ['colour=red', 400, 'unknown_parameter', 'colour'],
    ['page=-1', 400, 'invalid_parameter', 'page'],
    ['page=99999999999999999999', 400, 'invalid_parameter', 'page'],
    ['q=%FF%FE', 400, 'invalid_utf8', 'q'],
    ['type=%C0%AF', 400, 'invalid_utf8', 'type'],
    ['category=%ED%A0%80', 400, 'invalid_utf8', 'category'],
    [Array.from({ length: 21 }, (_, i) => `runs_on=${i + 1}`).join('&'), 400, 'invalid_parameter', 'runs_on'],
  ];
  for (const [qs, status, code, field] of bad) {
    const { res, body } = await api(qs);
    assert.equal(res.status, status, qs);
    assert.equal(body.error.code, code, qs);
    assert.equal(body.error.field, field, qs);
    // The HTML page says the same, as a page.
    const html = await fetch(`${BASE}/search?${qs}`);
    assert.equal(html.status, status, qs);
    assert.match(html.headers.get('content-type'), /^text\/html/);
  }
  // On the page, a refused value is named by its label, the input is kept
  // and the rest of the search still answers.
  const page = await fetch(`${BASE}/search?q=${encodeURIComponent('클라우드')}&type=iaas&price_min=abc&price_max=${encodeURIComponent('1,000,000')}`);
  assert.equal(page.status, 400);
  const html = unescape(await page.text());
  assert.match(html, /class="error-summary"/);
  assert.match(html, /<a href="#price_min">'참고 월 가격 최소\(원\)' 값이 허용된 값이 아닙니다.<\/a>/);
  assert.match(html, /id="price_min" name="price_min" value="abc"[^>]*aria-invalid="true"/);
  assert.match(html, /id="price_max" name="price_max" value="1000000"/);
  assert.match(html, /class="card__link" href="\/services\/1"/);
  // Prices as people type them: separators and the currency.
  for (const v of ['100,000', '100 000', '100000원', '₩100,000']) {
    const { res, body } = await api(`price_min=${encodeURIComponent(v)}&per_page=1`);
    assert.equal(res.status, 200, v);
    assert.equal(body.chips[0].label, '100,000원 ~', v);
  }
  // Odd but valid queries answer 200.
  for (const text of ['"클라우드', '(클라우드', '클라우드)', '"', '((', '-', 'OR', 'AND NOT', 'vendor:',
    "'; DROP TABLE listings; --", '\\', '%', '클라우드 AND', 'a'.repeat(1500), '가'.repeat(200)]) {
    const { res, body } = await q(text);
    assert.equal(res.status, 200, text);
    assert.ok(Number.isInteger(body.total), text);
  }
  // Empty query: everything, filtered.
  const { body: all } = await api('q=&type=daas&per_page=100');
  assert.equal(all.total, 2);
  // Too long for a query at all: cut, with a notice.
  const { body: long } = await q('ab '.repeat(100));
  assert.equal(long.notice_code, 'query_truncated');
  assert.equal([...long.q].length, 200);
  // Past the last page: a notice with a link to the last one.
  const { res, body } = await api('type=daas&page=50');
  assert.equal(res.status, 200);
  assert.equal(body.notice_code, 'past_last_page');
  assert.equal(body.last_page_url, '/search?q=&type=daas');
  assert.equal(body.results.length, 0);
  // The request line limit answers 414 (the search box stops at 200
  // characters, so a browser never sends one).
  const huge = await fetch(`${BASE}/api/v1/search?q=${'a'.repeat(10000)}`);
  assert.equal(huge.status, 414);
  const form = await (await fetch(`${BASE}/search`)).text();
  assert.match(form, /name="q" value="" maxlength="200"/);
  // The server is still healthy.
  assert.equal((await fetch(`${BASE}/healthz`)).status, 200);
});
