// The public catalog as buyers and API clients use it: service pages in
// both languages with exact price tables, safe descriptions, certificate
// badges and their validity, the comparison's rules, the vendor directory
// and vendor pages, and the card signals in search results.
//
// Changes made here through psql are undone at the end of each test;
// certificates cannot be deleted (their history is append-only), so the
// ones a test adds are left revoked on listing 9.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { BASE, Client } from './lib.mjs';

const DB = process.env.GUREUM_DATABASE;
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function sql(q) {
  return execFileSync('psql', [DB, '-X', '-qtA', '-v', 'ON_ERROR_STOP=1', '-c', q],
    { encoding: 'utf8' }).trim();
}

async function json(p, lang = 'ko') {
  const res = await fetch(BASE + p, { headers: { accept: 'application/json', cookie: `lang=${lang}` } });
  return { status: res.status, body: await res.json() };
}

async function html(p, lang = 'ko') {
  const res = await fetch(BASE + p, { headers: { cookie: `lang=${lang}` } });
  return { status: res.status, text: await res.text() };
}

async function within(ms, check) {
  const start = Date.now();
  for (;;) {
    if (await check())
      return;
    if (Date.now() - start > ms)
      assert.fail(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function card(id, q = '') {
  const res = await fetch(`${BASE}/api/v1/search?per_page=100&q=${encodeURIComponent(q)}`);
  return (await res.json()).results.find((r) => r.id === id);
}

// A listing change leaves an outbox row; the indexer rebuilds its document.
function touch(id) {
  sql(`UPDATE listings SET updated_at = updated_at WHERE id = ${id}`);
}

test('the price table is exact: tiers as stored, amounts from the rating engine', async () => {
  const { status, body } = await json('/api/v1/services/20');
  assert.equal(status, 200);
  assert.equal(body.reference_monthly_price_won, 775938);
  const [d] = body.price_table;
  assert.equal(d.code, 'active_user');
  assert.equal(d.model, 'graduated');
  assert.deepEqual(d.tiers, [{ up_to: '50', unit_price: '7643', flat_fee: '126282.8' },
    { up_to: null, unit_price: '5350.1', flat_fee: '0' }]);
  // 50 × 7,643 + 126,282.8 + 50 × 5,350.1 = 775,937.8 → 775,938.
  assert.equal(d.reference_amount_won, 775938);
  assert.equal(body.reference_vat_won, 77593);
  assert.equal(body.reference_total_won, 853531);

  const ko = (await html('/services/20')).text;
  assert.match(ko, /<td class="num">126,282\.8<\/td>/);
  assert.match(ko, /<td class="num">5,350\.1<\/td>/);
  assert.match(ko, /data-field="reference-price">775,938원</);
  assert.match(ko, /부가세 포함 853,531원/);
  const en = (await html('/services/20', 'en')).text;
  assert.match(en, /data-field="reference-price">KRW 775,938</);
  assert.match(en, /graduated tiers/);
});

test('every demo listing: the reference price is what the engine computes', async () => {
  const ids = sql("SELECT string_agg(id::text, ',' ORDER BY id) FROM listings WHERE status = 'published' AND id <= 23")
    .split(',').map(Number);
  assert.equal(ids.length, 22);
  const models = new Set();
  const aggs = new Set();
  for (const id of ids) {
    const { body } = await json(`/api/v1/services/${id}`);
    assert.equal(body.price_table_ok, true, `listing ${id}`);
    const sum = body.price_table.reduce((s, d) => s + d.reference_amount_won, 0);
    assert.equal(sum, body.reference_monthly_price_won, `listing ${id}`);
    for (const d of body.price_table) {
      models.add(d.model);
      aggs.add(d.aggregation);
    }
    assert.ok(body.current_version >= 1, `listing ${id} has a version`);
  }
  assert.deepEqual([...models].sort(), ['flat', 'graduated', 'package', 'per_unit', 'volume']);
  assert.deepEqual([...aggs].sort(), ['latest', 'max', 'sum', 'unique_count']);
  // The command-line check agrees (it reads every stored plan).
  const r = spawnSync(path.join(ROOT, 'build/gureumctl'), ['generate', '--check'],
    { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, / 0 invalid/);
});

test('package and volume tables show their terms', async () => {
  const { body } = await json('/api/v1/services/8');
  const users = body.price_table.find((d) => d.code === 'active_user');
  assert.equal(users.model, 'volume');
  // 300 users fall in (100, 500]: 300 × 8,000 for all of them.
  assert.equal(users.reference_amount_won, 2400000);
  const pack = body.price_table.find((d) => d.code === 'extra_storage');
  assert.equal(pack.package_size, '100');
  assert.equal(pack.package_rounding, 'up');
  assert.equal(pack.reference_amount_won, 90000); // 250 GB → 3 packs of 30,000
  const page = (await html('/services/8')).text;
  assert.match(page, /시작한 묶음도 과금/);
  assert.match(page, /2,400,000/);
});

test('the page shows everything, in Korean and in English', async () => {
  const ko = (await html('/services/8')).text;
  for (const s of ['누리 그룹웨어', '주요 기능', '전자결재', '도입 사례', '서울특별시 강남구 전 직원 그룹웨어',
    '국내 · 경기(판교)', '99.9%', '4시간 이내', '연장 운영', '원격 지원', '무료 체험', '30일 무료 체험, 최대 20명',
    '3개월', '월 단위', '누리소프트', '중소기업', 'href="/vendors/2"', '이 서비스가 운영되는 인프라',
    'href="/services/1"', '과거 이용 승인 기록', 'v1', 'CSAP', 'SaaS 표준등급', '99.5% 미만'])
    assert.ok(ko.includes(s), `Korean page lacks ${s}`);
  const en = (await html('/services/8', 'en')).text;
  assert.match(en, /<html lang="en">/);
  for (const s of ['Nuri Groupware', 'Features', 'Government PKI signatures', 'In Korea · Gyeonggi (Pangyo)',
    'Extended hours', 'Thirty days free for up to 20 users', 'SME', 'Nuri Soft', 'What this service runs on',
    'Historical authorisations', 'SaaS standard', 'Share of the month'])
    assert.ok(en.includes(s), `English page lacks ${s}`);
  // Related services are of the same type and published.
  const { body } = await json('/api/v1/services/8');
  assert.ok(body.related.length > 0);
  for (const r of body.related)
    assert.equal(r.service_type, 'saas');
  assert.ok(!body.related.some((r) => r.id === 23 || r.id === 8));
  assert.deepEqual(body.runs_on.map((r) => r.id), [1]);
  const host = await json('/api/v1/services/1');
  assert.ok(host.body.hosts.some((h) => h.id === 8));
});

test('a description is CommonMark rendered safely: scripts and raw HTML never pass', async () => {
  const hostile = "**굵게** <script>alert('x')</script> <img src=x onerror=alert(1)> [link](javascript:alert(1)) ## '; DROP TABLE listings; --";
  sql(`UPDATE listings SET description_ko = $$${hostile}$$ WHERE id = 9`);
  try {
    const { status, text } = await html('/services/9');
    assert.equal(status, 200);
    const desc = text.slice(text.indexOf('data-field="description"'), text.indexOf('id="h-pricing"'));
    assert.match(desc, /<strong>굵게<\/strong>/);
    assert.ok(!/<script/i.test(desc), 'a script tag passed');
    assert.ok(!/<img/i.test(desc), 'raw HTML passed');
    assert.ok(!/href="javascript:/i.test(desc), 'a javascript: link passed');
    assert.match(desc, /DROP TABLE listings/);
    // The JSON twin gives the source as it is.
    const { body } = await json('/api/v1/services/9');
    assert.equal(body.description_ko, hostile);
  } finally {
    sql(`UPDATE listings l SET description_ko = v.document ->> 'description_ko'
      FROM listing_versions v WHERE v.listing_id = l.id AND v.version = l.current_version AND l.id = 9`);
  }
  assert.ok(!(await html('/services/9')).text.includes('DROP TABLE'));
});

test('a website that is not an http(s) link is not made a link', async () => {
  sql("UPDATE listings SET website = 'javascript:alert(1)' WHERE id = 9");
  try {
    const { text } = await html('/services/9');
    assert.ok(!text.includes('href="javascript:'));
    assert.equal((await json('/api/v1/services/9')).body.website_url, null);
  } finally {
    sql("UPDATE listings SET website = 'https://nurisoft.example/meeting' WHERE id = 9");
  }
});

test('badges: valid only when valid and not past expiry; others shown as they are', async () => {
  // A "valid" certificate whose expiry date has passed (the expiry job
  // has not run yet): never a badge, shown as expired.
  const past = sql(`INSERT INTO certificates (vendor_id, listing_id, scheme, csap_type, grade, number,
    issuer, issue_date, expiry_date, status) VALUES (2, 9, 'csap', 'saas_standard', 'high', 'T-PAST', 'KISA',
    current_date - 400, current_date - 1, 'valid') RETURNING id`);
  const future = sql(`INSERT INTO certificates (vendor_id, listing_id, scheme, csap_type, grade, number,
    issuer, issue_date, expiry_date, status) VALUES (2, 9, 'csap', 'saas_standard', 'medium', 'T-OK', 'KISA',
    current_date - 10, current_date + 365, 'valid') RETURNING id`);
  touch(9);
  try {
    let { body } = await json('/api/v1/services/9');
    const p = body.certificates.find((c) => c.id === Number(past));
    assert.equal(p.status, 'valid');
    assert.equal(p.state, 'expired');
    assert.equal(p.valid, false);
    assert.ok(!body.badges.some((c) => c.id === Number(past)));
    assert.ok(body.badges.some((c) => c.id === Number(future)));
    let page = (await html('/services/9')).text;
    assert.match(page, new RegExp(`data-cert="${past}" data-state="expired"`));
    assert.match(page, /data-badge="csap">CSAP SaaS 표준등급 · 등급 중</);
    const head = page.slice(page.indexOf('class="service__head"'), page.indexOf('id="service-title"'));
    assert.ok(!head.includes('등급 상'), 'the expired grade shows as a badge');
    assert.match(page, new RegExp(`data-cert="${past}" data-state="expired"><th scope="row">CSAP SaaS 표준등급 · 등급 상`));
    // The search card: CSAP 중 (the one in force), not 상.
    await within(3000, async () => (await card(9))?.csap_grade === '중');
    assert.equal((await card(9)).csap_valid, true);

    // Revoked: shown revoked everywhere, the card loses its CSAP.
    sql(`SELECT certificate_set_status(${future}, 'revoked', NULL, 'test: revoked')`);
    touch(9);
    ({ body } = await json('/api/v1/services/9'));
    assert.equal(body.certificates.find((c) => c.id === Number(future)).state, 'revoked');
    assert.ok(!body.badges.some((c) => c.scheme === 'csap'));
    page = (await html('/services/9')).text;
    assert.match(page, new RegExp(`data-cert="${future}" data-state="revoked"`));
    assert.match(page, /<span class="tag tag--revoked">취소<\/span>/);
    assert.match((await html('/services/9', 'en')).text, /<span class="tag tag--revoked">Revoked<\/span>/);
    await within(3000, async () => (await card(9))?.csap_valid === false);
    const c = await card(9);
    assert.equal(c.cert_expired, true);
    assert.equal(c.csap_grade, '');
  } finally {
    sql(`SELECT certificate_set_status(${past}, 'revoked', NULL, 'test: cleanup'),
      certificate_set_status(${future}, 'revoked', NULL, 'test: cleanup')`);
    touch(9);
  }
});

test('the validity rule on the day boundary in Korea, on pages at once and on cards when re-indexed', async () => {
  assert.equal(sql(`SELECT catalog_cert_state('valid', (now() AT TIME ZONE 'Asia/Seoul')::date)`), 'valid');
  assert.equal(sql(`SELECT catalog_cert_state('valid', (now() AT TIME ZONE 'Asia/Seoul')::date - 1)`), 'expired');
  assert.equal(sql(`SELECT catalog_cert_state('valid', NULL)`), 'valid');
  assert.equal(sql(`SELECT catalog_cert_state('suspended', NULL)`), 'suspended');
  const id = sql(`INSERT INTO certificates (vendor_id, listing_id, scheme, csap_type, grade, number, issuer,
    issue_date, expiry_date, status) VALUES (2, 9, 'csap', 'saas_simple', 'high', 'T-DAY', 'KISA',
    current_date - 30, (now() AT TIME ZONE 'Asia/Seoul')::date, 'valid') RETURNING id`);
  touch(9);
  try {
    // Valid through its expiry day; the card stores that day as csap_until.
    await within(3000, async () => (await card(9))?.csap_grade === '상');
    // The day passes (here: the date is moved back). Pages compute the
    // state at once; the card changes when the listing is re-indexed (the
    // certificates' triggers and expiry job enqueue it), and until then
    // the worker compares csap_until with today.
    sql(`UPDATE certificates SET expiry_date = expiry_date - 1 WHERE id = ${id}`);
    const { body } = await json('/api/v1/services/9');
    assert.equal(body.certificates.find((x) => x.id === Number(id)).state, 'expired');
    assert.ok(!body.badges.some((x) => x.id === Number(id)));
    touch(9);
    await within(3000, async () => (await card(9))?.csap_valid === false);
    assert.equal((await card(9)).cert_expired, true);
  } finally {
    sql(`SELECT certificate_set_status(${id}, 'revoked', NULL, 'test: cleanup')`);
    touch(9);
  }
});

test('a company-wide certificate applies to every listing of its vendor, and only those', async () => {
  for (const id of [1, 2, 3, 4, 22]) {
    const { body } = await json(`/api/v1/services/${id}`);
    const iso = body.certificates.find((c) => c.scheme === 'iso27001');
    assert.ok(iso, `listing ${id}`);
    assert.equal(iso.company_wide, true);
    assert.equal(iso.valid, true);
  }
  const other = await json('/api/v1/services/8');
  assert.ok(!other.body.certificates.some((c) => c.scheme === 'iso27001'));
  assert.match((await html('/services/3')).text, /회사 전체에 적용/);
});

test('search cards carry the buyer signals, from the index', async () => {
  const c2 = await card(2);
  assert.equal(c2.csap_valid, true);
  assert.equal(c2.csap_grade, '중');
  assert.equal(c2.domestic, true);
  assert.equal(c2.dc_label, '서울');
  assert.equal(c2.free_trial, true);
  assert.equal(c2.sme, false);
  assert.equal(c2.price_display, '149,280원');
  assert.equal(c2.reference_monthly_price_won, 149280);
  const c8 = await card(8);
  assert.equal(c8.sme, true);
  assert.equal(c8.csap_grade, '하');
  assert.equal((await card(13)).cert_expired, true); // revoked CSAP
  assert.equal((await card(13)).csap_valid, false);
  assert.equal((await card(10)).cert_expired, true); // expired CSAP
  assert.equal((await card(12)).overseas, true);
  assert.equal((await card(12)).domestic, false);
  const page = (await html('/search?q=' + encodeURIComponent('그룹웨어'))).text;
  assert.match(page, /data-signal="csap"/);
  assert.match(page, /data-signal="sme"/);
  assert.match(page, /data-signal="price"/);
  const en = await fetch(BASE + '/api/v1/search?q=groupware', { headers: { cookie: 'lang=en' } });
  const r8 = (await en.json()).results.find((r) => r.id === 8);
  assert.equal(r8.csap_grade, 'low');
  assert.equal(r8.price_display, 'KRW 2,490,000');
});

test('a FedRAMP authorisation in force shows on the card, and goes with it', async () => {
  const id = sql(`INSERT INTO certificates (vendor_id, listing_id, scheme, fedramp_impact, number, issuer,
    issue_date, status) VALUES (1, 3, 'fedramp', 'moderate', 'FR-TEST', 'FedRAMP (Agency)', '2024-01-01', 'valid')
    RETURNING id`);
  touch(3);
  try {
    await within(3000, async () => (await card(3))?.fedramp === 'Moderate');
    assert.match((await html('/services/3')).text, /data-badge="fedramp">FedRAMP · Moderate</);
    sql(`SELECT certificate_set_status(${id}, 'suspended', NULL, 'test: suspended')`);
    touch(3);
    await within(3000, async () => (await card(3))?.fedramp === '');
    assert.match((await html('/services/3')).text, new RegExp(`data-cert="${id}" data-state="suspended"`));
  } finally {
    sql(`SELECT certificate_set_status(${id}, 'revoked', NULL, 'test: cleanup')`);
    touch(3);
  }
});

test('a vendor becoming an SME, and a lower price, reach the cards', async () => {
  sql("UPDATE organisations SET company_size = 'sme' WHERE id = 3");
  sql('UPDATE listings SET reference_monthly_price_won = 299039 WHERE id = 5');
  try {
    await within(3000, async () => (await card(5))?.sme === true);
    await within(3000, async () => (await card(5))?.reference_monthly_price_won === 299039);
  } finally {
    sql("UPDATE organisations SET company_size = 'midsize' WHERE id = 3");
    sql('UPDATE listings SET reference_monthly_price_won = 299040 WHERE id = 5');
  }
  await within(3000, async () => (await card(5))?.sme === false);
});

test('usage counters: historical authorisations, labelled as such', async () => {
  sql(`INSERT INTO historical_authorisations (agency_id, listing_id, kind, ato_date, source, external_ref)
    VALUES (101, 9, 'ato', '2025-01-02', 'fedramp', 'test:ha:1'), (102, 9, 'reuse', NULL, 'fedramp', 'test:ha:2'),
    (101, 9, 'reuse', NULL, 'fedramp', 'test:ha:3')`);
  try {
    const { body } = await json('/api/v1/services/9');
    const [h] = body.counters;
    assert.equal(h.kind, 'historical_authorisations');
    assert.equal(h.count_ato, 1);
    assert.equal(h.count_reuse, 2);
    assert.equal(h.agencies, 2);
    const page = (await html('/services/9')).text;
    assert.match(page, /data-field="hist-ato">1</);
    assert.match(page, /구름에서 맺은 계약이 아닙니다/);
  } finally {
    sql("DELETE FROM historical_authorisations WHERE external_ref LIKE 'test:ha:%'");
  }
});

test('drafts, suspended and withdrawn listings, and listings of suspended vendors, are 404', async () => {
  assert.equal((await json('/api/v1/services/23')).status, 404);
  assert.equal((await html('/services/23')).status, 404);
  assert.equal((await html('/services/23/print')).status, 404);
  assert.equal((await json('/api/v1/services/999999')).status, 404);
  assert.equal((await json('/api/v1/services/0')).status, 404);
  assert.equal((await json('/api/v1/services/abc')).status, 404);
  assert.equal((await json('/api/v1/services/99999999999999999999')).status, 404);
  const unknown = await json('/api/v1/services/1?foo=1');
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.error.field, 'foo');
  for (const st of ['suspended', 'withdrawn']) {
    sql(`UPDATE listings SET status = '${st}' WHERE id = 14`);
    try {
      assert.equal((await json('/api/v1/services/14')).status, 404);
      const rel = await json('/api/v1/services/18');
      assert.ok(!rel.body.related.some((r) => r.id === 14));
    } finally {
      sql("UPDATE listings SET status = 'published' WHERE id = 14");
    }
  }
  sql("UPDATE organisations SET status = 'suspended' WHERE id = 6");
  try {
    assert.equal((await json('/api/v1/services/13')).status, 404);
    assert.equal((await json('/api/v1/vendors/6')).status, 404);
    assert.ok(!(await json('/api/v1/vendors')).body.groups.some((g) => g.vendors.some((v) => v.id === 6)));
  } finally {
    sql("UPDATE organisations SET status = 'approved' WHERE id = 6");
  }
  assert.equal((await json('/api/v1/services/13')).status, 200);
});

test('the print view: the whole page without navigation', async () => {
  const { status, text } = await html('/services/8/print');
  assert.equal(status, 200);
  assert.ok(!text.includes('class="nav"'));
  assert.ok(!text.includes('class="header"'));
  assert.match(text, /class="print-page"/);
  assert.match(text, /id="h-pricing"/);
  assert.match(text, /2,400,000/);
  assert.match((await html('/services/8/print', 'en')).text, /Back to the service page/);
});

test('compare: two to four services of one type, side by side', async () => {
  let { status, body } = await json('/api/v1/compare?ids=1,2,3');
  assert.equal(status, 200);
  assert.deepEqual(body.services.map((s) => s.id), [1, 2, 3]);
  assert.equal(body.service_type, 'iaas');
  const row = (k) => body.rows.find((r) => r.key === k).cells.map((c) => c.text);
  assert.deepEqual(row('price_text'), ['147,252원', '149,280원', '795,600원']);
  // Listing 3's only CSAP certificate expired (demo data).
  assert.deepEqual(row('csap_grade_text'), ['CSAP 중', 'CSAP 중', '만료·정지·취소됨']);
  assert.deepEqual(row('dc_text'), ['국내 · 서울', '국내 · 서울', '국내 · 대전']);
  assert.deepEqual(row('sla_text'), ['99.95%', '99.9%', '99.9%']);
  assert.equal(row('vendor_text')[0], '한빛클라우드 (대기업)');
  assert.match(row('trial_text')[1], /^있음: /);
  for (const k of ['service_type_label', 'recovery_label', 'support_text', 'dimensions_text', 'min_term_text'])
    assert.ok(body.rows.some((r) => r.key === k), k);
  // Order as asked; repeated ids (a form of checkboxes) work too.
  ({ body } = await json('/api/v1/compare?ids=3&ids=1'));
  assert.deepEqual(body.services.map((s) => s.id), [3, 1]);
  ({ body } = await json('/api/v1/compare?ids=8,9,11,20', 'en'));
  assert.equal(body.services.length, 4);
  assert.equal(body.rows.find((r) => r.key === 'price_text').cells[0].text, 'KRW 2,490,000');
  const page = (await html('/compare?ids=15,16')).text;
  assert.match(page, /<th scope="row">CSAP 등급<\/th>/);
  assert.match(page, /가람 클라우드 PC/);
});

test('compare refuses what CEART refuses, naming the parameter', async () => {
  let { status, body } = await json('/api/v1/compare?ids=1,8');
  assert.equal(status, 400);
  assert.equal(body.error.code, 'mixed_types');
  assert.equal(body.error.field, 'ids');
  assert.match(body.error.message, /같은 유형/);
  assert.deepEqual(body.error.services.map((s) => [s.id, s.service_type]), [[1, 'iaas'], [8, 'saas']]);
  const page = await html('/compare?ids=1,8', 'en');
  assert.equal(page.status, 400);
  assert.match(page.text, /Services of different types cannot be compared/);
  assert.match(page.text, /Hanbit Cloud Server<\/a>: <strong>IaaS/);

  const cases = [
    ['ids=1,2,3,4,5', 400, 'invalid_parameter', /최대 4개/],
    ['ids=1,1', 400, 'invalid_parameter', /두 번/],
    ['ids=1', 400, 'invalid_parameter', /두 개 이상/],
    ['', 400, 'invalid_parameter', /ids로 골라/],
    ['ids=', 400, 'invalid_parameter', /쉼표로 구분/],
    ['ids=1,x', 400, 'invalid_parameter', /쉼표로 구분/],
    ['ids=0,1', 400, 'invalid_parameter', /쉼표로 구분/],
    ['ids=1,,2', 400, 'invalid_parameter', /쉼표로 구분/],
    ['ids=1%3B2', 400, 'invalid_parameter', /쉼표로 구분/],
    ["ids=1'%20OR%201=1", 400, 'invalid_parameter', /쉼표로 구분/],
    ['ids=-1,2', 400, 'invalid_parameter', /쉼표로 구분/],
    ['ids=1234567890123456789012,1', 400, 'invalid_parameter', /쉼표로 구분/],
    ['ids=1,999999', 404, 'not_found', /게시되어 있지 않거나/],
    ['ids=8,23', 404, 'not_found', /게시되어 있지 않거나/],
  ];
  for (const [qs, st, code, msg] of cases) {
    ({ status, body } = await json('/api/v1/compare?' + qs));
    assert.equal(status, st, qs);
    assert.equal(body.error.code, code, qs);
    assert.equal(body.error.field, 'ids', qs);
    assert.match(body.error.message, msg, qs);
  }
  ({ body } = await json('/api/v1/compare?ids=8,23'));
  assert.equal(body.error.not_found, 23);
  ({ body } = await json('/api/v1/compare?ids=2,2'));
  assert.equal(body.error.duplicate, 2);
  assert.equal((await json('/api/v1/compare?ids=1,2&x=1')).status, 400);
});

test('the vendor directory groups by 가나다 in Korean and A–Z in English', async () => {
  let { status, body } = await json('/api/v1/vendors');
  assert.equal(status, 200);
  assert.equal(body.total_vendors, 7);
  assert.equal(body.total_listings, 22);
  assert.deepEqual(body.groups.map((g) => g.group), ['ㄱ', 'ㄴ', 'ㄷ', 'ㅁ', 'ㅅ', 'ㅍ', 'ㅎ']);
  assert.deepEqual(body.groups.map((g) => g.vendors.map((v) => v.name)),
    [['가람시스템즈'], ['누리소프트'], ['다온데이터'], ['미리내웍스'], ['새벽정보기술'], ['푸른보안'], ['한빛클라우드']]);
  const hanbit = body.groups.at(-1).vendors[0];
  assert.equal(hanbit.listings, 5);
  assert.equal(hanbit.url, '/vendors/1');
  assert.equal(body.index.length, 14 + 26);
  assert.deepEqual(body.index.filter((i) => i.present).map((i) => i.group), ['ㄱ', 'ㄴ', 'ㄷ', 'ㅁ', 'ㅅ', 'ㅍ', 'ㅎ']);
  // Approved vendors without published listings and applicants are absent.
  const all = body.groups.flatMap((g) => g.vendors.map((v) => v.id));
  for (const id of [8, 9, 10, 11, 12])
    assert.ok(!all.includes(id), `vendor ${id}`);

  ({ body } = await json('/api/v1/vendors', 'en'));
  assert.deepEqual(body.groups.map((g) => g.group), ['D', 'G', 'H', 'M', 'N', 'P', 'S']);
  assert.equal(body.index.length, 26);
  assert.equal(body.groups[0].vendors[0].name, 'Daon Data');

  // A Latin name sorts under its letter, after the Korean groups, for
  // Korean readers too; a tense consonant (ㄲ) goes with ㄱ.
  sql("UPDATE organisations SET name_ko = 'Zeta 클라우드' WHERE id = 5");
  sql("UPDATE organisations SET name_ko = '까치소프트' WHERE id = 4");
  try {
    ({ body } = await json('/api/v1/vendors'));
    assert.deepEqual(body.groups.map((g) => g.group), ['ㄱ', 'ㄴ', 'ㄷ', 'ㅁ', 'ㅍ', 'ㅎ', 'Z']);
    assert.deepEqual(body.groups[0].vendors.map((v) => v.name), ['까치소프트']);
  } finally {
    sql("UPDATE organisations SET name_ko = '가람시스템즈' WHERE id = 5");
    sql("UPDATE organisations SET name_ko = '새벽정보기술' WHERE id = 4");
  }
  const page = (await html('/vendors')).text;
  assert.match(page, /<a class="az-index__link" href="#g0"><span class="az-index__letter">ㄱ<\/span>/);
  assert.match(page, /<span class="az-index__empty" aria-hidden="true">ㄹ<\/span>/);
  assert.match((await html('/vendors', 'en')).text, /Vendor directory/);
});

test('vendor pages: company, size, website, published services with badges', async () => {
  let { status, body } = await json('/api/v1/vendors/1');
  assert.equal(status, 200);
  assert.equal(body.name_ko, '한빛클라우드');
  assert.equal(body.company_size, 'large');
  assert.equal(body.website_url, 'https://hanbit.example');
  assert.deepEqual(body.services.map((s) => s.id).sort((a, b) => a - b), [1, 2, 3, 4, 22]);
  assert.equal(body.services.find((s) => s.id === 4).csap_grade, '상');
  assert.equal(body.certificates.length, 1);
  assert.equal(body.certificates[0].scheme, 'iso27001');
  ({ body } = await json('/api/v1/vendors/7'));
  // Listing 12's only CSAP certificate is revoked in the demo data.
  assert.ok(body.services.find((s) => s.id === 12).cert_expired);
  const page = (await html('/vendors/2')).text;
  assert.match(page, /누리소프트/);
  assert.match(page, /data-field="company-size">중소기업/);
  assert.match(page, /href="\/services\/8"/);
  assert.ok(!page.includes('누리 설문조사'), 'a draft shows on the vendor page');
  assert.match((await html('/vendors/2', 'en')).text, /Nuri Soft/);
  for (const id of [11, 12, 101, 100, 999999])
    assert.equal((await json(`/api/v1/vendors/${id}`)).status, 404, `vendor ${id}`);
  assert.equal((await html('/vendors/11')).status, 404);
});

test('the service page JSON answers to Accept as well as /api/v1', async () => {
  const c = new Client();
  const res = await c.get('/services/1', { accept: 'application/json' });
  assert.equal(res.status, 200);
  assert.equal((await res.json()).id, 1);
  const v = await c.get('/vendors', { accept: 'application/json' });
  assert.equal((await v.json()).total_vendors, 7);
});
