// Eligibility as buyers, approvers, another agency and the procurement
// office use it: describe a system, check services against the rules in
// force on the start date, record the agency's own decision where the
// rules leave it open, add a rule-set version.
//
// The services checked are made here (psql, as the owner) so that their
// certificates are exactly the ones each case needs: an IaaS listing and
// a SaaS listing running on it, of demo vendor 1, with external_ref
// 'gen:eligtest:…'. They are withdrawn at the end, so the demo catalog
// (22 published listings) is as before for the other test files.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { BASE, USERS, apiToken, signIn } from './lib.mjs';

const DB = process.env.GUREUM_DATABASE;
const RUN = Date.now().toString(36);
const tokens = {};
let iaas, saas;

function sql(q) {
  return execFileSync('psql', ['-X', '-qtA', '-v', 'ON_ERROR_STOP=1', '-d', DB, '-c', q],
    { encoding: 'utf8' }).trim();
}

async function call(who, method, path, body) {
  const h = { accept: 'application/json' };
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
  return { status: res.status, body: json, text };
}

function listing(type, name) {
  return Number(sql(`INSERT INTO listings (vendor_id, service_type, name_ko, name_en, status,
    external_ref) VALUES (1, '${type}', '${name}', '${name}', 'published',
    'gen:eligtest:${RUN}:${type}') RETURNING id`));
}

// Replaces the CSAP certificates of listing id with the one given.
function csap(id, type, grade, status, issue, expiry) {
  sql(`DELETE FROM certificate_events WHERE certificate_id IN
      (SELECT id FROM certificates WHERE listing_id = ${id});
    DELETE FROM certificates WHERE listing_id = ${id};
    INSERT INTO certificates (vendor_id, listing_id, scheme, csap_type, grade, number, issuer,
      issue_date, expiry_date, status, external_ref)
    VALUES (1, ${id}, 'csap', '${type}', ${grade ? `'${grade}'` : 'NULL'}, 'CSAP-${RUN}', 'KISA',
      '${issue}', '${expiry}', '${status}', 'gen:eligtest:${RUN}:cert:${id}:${Date.now()}')`);
}

function nocerts(id) {
  sql(`DELETE FROM certificate_events WHERE certificate_id IN
      (SELECT id FROM certificates WHERE listing_id = ${id});
    DELETE FROM certificates WHERE listing_id = ${id}`);
}

async function system(who, body) {
  const r = await call(who, 'POST', '/api/v1/systems', body);
  assert.equal(r.status, 201, r.text);
  return r.body.id;
}

async function decide(who, systemId, listingId, start) {
  return call(who, 'POST', '/api/v1/eligibility', { system: systemId, listing: listingId, start });
}

const codes = (r) => r.body.reason_texts.map((x) => x.code);

before(async () => {
  for (const who of ['buyer', 'buyer_approver', 'other_buyer', 'vendor_admin', 'auditor',
    'reviewer', 'platform_admin'])
    tokens[who] = await apiToken(USERS[who]);
  iaas = listing('iaas', `적격성 IaaS ${RUN}`);
  saas = listing('saas', `적격성 SaaS ${RUN}`);
  sql(`INSERT INTO listing_runs_on (listing_id, runs_on_id) VALUES (${saas}, ${iaas})`);
});

after(async () => {
  sql(`UPDATE listings SET status = 'withdrawn' WHERE external_ref LIKE 'gen:eligtest:${RUN}:%'`);
  // The indexer takes them out again; wait until the index agrees.
  for (let i = 0; i < 50; i++) {
    const h = await (await fetch(BASE + '/healthz')).json();
    if (h.index.documents === h.database.published_listings)
      break;
    await new Promise((r) => setTimeout(r, 100));
  }
});

test('a valid CSAP certificate of the needed grade makes a citizen-facing system eligible', async () => {
  csap(iaas, 'iaas', 'high', 'valid', '2025-01-10', '2028-01-09');
  const sys = await system('buyer', { name: `민원 포털 ${RUN}`, nature: 'citizen', data: [], csap_grade: 'mid' });
  const r = await decide('buyer', sys, iaas, '2026-12-15');
  assert.equal(r.status, 201);
  assert.equal(r.body.outcome, 'eligible');
  assert.equal(r.body.ruleset_version >= 2, true);
  assert.equal(r.body.start, '2026-12-15');
  // Stored with its facts: what the certificate was.
  assert.equal(r.body.facts.listing.certs[0].grade, 'high');
  assert.equal(r.body.facts.system.name, `민원 포털 ${RUN}`);
});

test('each reason is stored and shown in Korean and English, with the date that matters', async () => {
  const sys = await system('buyer', { name: `등급 상 시스템 ${RUN}`, nature: 'citizen', csap_grade: 'high' });
  csap(iaas, 'iaas', 'low', 'valid', '2025-01-10', '2028-01-09');
  let r = await decide('buyer', sys, iaas, '2026-12-15');
  assert.equal(r.body.outcome, 'not_eligible');
  assert.deepEqual(codes(r), ['csap_grade_too_low']);

  csap(iaas, 'iaas', 'high', 'valid', '2023-03-02', '2026-03-01');
  r = await decide('buyer', sys, iaas, '2026-12-15');
  assert.deepEqual(codes(r), ['csap_expired']);
  assert.match(r.body.reason_texts[0].message, /만료되어\(2026-03-01\)/);
  assert.match(r.body.reason_texts[0].message_alt, /expired on 2026-03-01/);
  const expired = r.body.id;

  // The certificate is revoked: a new check says so; the old decision
  // keeps the facts it was made on.
  csap(iaas, 'iaas', 'high', 'valid', '2025-01-10', '2028-01-09');
  const cert = sql(`SELECT id FROM certificates WHERE listing_id = ${iaas}`);
  sql(`SELECT certificate_set_status(${cert}, 'revoked', NULL, 'test')`);
  r = await decide('buyer', sys, iaas, '2026-12-15');
  assert.deepEqual(codes(r), ['csap_revoked']);
  const old = await call('buyer', 'GET', `/api/v1/eligibility/${expired}`);
  assert.deepEqual(codes(old), ['csap_expired']);

  // The page in English shows the English text first.
  const c = await signIn(USERS.buyer);
  const html = await (await c.request(`/eligibility/${r.body.id}`, { headers: { 'accept-language': 'en',
    cookie: `${c.cookieHeader()}; lang=en` } })).text();
  assert.match(html, /revoked/);
});

test('the negative list and internal systems of central ministries block, every reason at once', async () => {
  csap(iaas, 'iaas', 'high', 'valid', '2025-01-10', '2028-01-09');
  const sys = await system('buyer', { name: `내부 시스템 ${RUN}`, nature: 'internal',
    data: ['pia', 'sensitive'], csap_grade: 'none' });
  const r = await decide('buyer', sys, iaas, '2026-12-15');
  assert.equal(r.body.outcome, 'not_eligible');
  assert.deepEqual(codes(r), ['data_excluded_sensitive', 'data_excluded_pia', 'internal_gcloud_only',
    'grade_assumed']);
});

test('a SaaS needs its IaaS certified; SaaS 간편 is left to the agency under the 2019 rules', async () => {
  const sys = await system('buyer', { name: `협업 도구 ${RUN}`, nature: 'citizen', csap_grade: 'low' });
  csap(saas, 'saas_simple', 'low', 'valid', '2021-01-01', '2027-12-31');
  nocerts(iaas);
  let r = await decide('buyer', sys, saas, '2026-12-15');
  assert.ok(codes(r).includes('iaas_csap_missing') || codes(r).includes('iaas_csap_revoked'), codes(r).join());
  assert.equal(r.body.outcome, 'not_eligible');

  csap(iaas, 'iaas', 'high', 'valid', '2020-01-10', '2028-01-09');
  r = await decide('buyer', sys, saas, '2026-12-15');
  assert.equal(r.body.outcome, 'eligible', codes(r).join());

  // Under the 2019 rules (a start date before 2023-01-31).
  r = await decide('buyer', sys, saas, '2022-06-01');
  assert.equal(r.body.ruleset_version, 1);
  assert.equal(r.body.outcome, 'agency_decision');
  assert.ok(codes(r).includes('csap_type_agency'));
  const id = r.body.id;

  // Only the agency's approver records the agency's decision, once.
  assert.equal((await call('buyer', 'POST', `/eligibility/${id}/justify`,
    { choice: 'proceed', justification: 'x' })).status, 403);
  assert.equal((await call('buyer_approver', 'POST', `/eligibility/${id}/justify`,
    { choice: 'maybe', justification: 'x' })).status, 400);
  assert.equal((await call('buyer_approver', 'POST', `/eligibility/${id}/justify`,
    { choice: 'proceed', justification: '  ' })).status, 400);
  const ok = await call('buyer_approver', 'POST', `/eligibility/${id}/justify`,
    { choice: 'proceed', justification: '내부 보안성 검토 결과 간편 등급으로 충분함' });
  assert.equal(ok.status, 200, ok.text);
  const again = await call('buyer_approver', 'POST', `/eligibility/${id}/justify`,
    { choice: 'decline', justification: '번복' });
  assert.equal(again.status, 409);
  const got = await call('buyer', 'GET', `/api/v1/eligibility/${id}`);
  assert.equal(got.body.agency_choice, 'proceed');
  assert.equal(got.body.can_justify, false);

  // An eligible decision cannot be "justified".
  const el = await decide('buyer', sys, saas, '2026-12-15');
  assert.equal((await call('buyer_approver', 'POST', `/eligibility/${el.body.id}/justify`,
    { choice: 'proceed', justification: 'x' })).status, 409);
});

test('buyers see each system\'s eligibility on the service page and on search cards; others do not', async () => {
  csap(iaas, 'iaas', 'high', 'valid', '2025-01-10', '2028-01-09');
  const sys = await system('buyer', { name: `미리보기 ${RUN}`, nature: 'citizen', csap_grade: 'high' });
  const page = await call('buyer', 'GET', `/api/v1/services/${iaas}`);
  assert.equal(page.status, 200);
  const mine = page.body.eligibility.find((e) => e.system_id === sys);
  assert.equal(mine.outcome, 'eligible');
  // Another agency sees only its own systems (none here); the public none.
  const other = await call('other_buyer', 'GET', `/api/v1/services/${iaas}`);
  assert.ok(!(other.body.eligibility ?? []).some((e) => e.system_id === sys));
  assert.equal((await call('vendor_admin', 'GET', `/api/v1/services/${iaas}`)).body.eligibility, undefined);
  assert.equal((await fetch(`${BASE}/api/v1/services/${iaas}`).then((r) => r.json())).eligibility, undefined);
  // The card counts the agency's systems by outcome, from today.
  const q = encodeURIComponent(`적격성 IaaS ${RUN}`);
  let found;
  for (let i = 0; i < 30 && !found; i++) {
    const r = await call('buyer', 'GET', `/api/v1/search?q=${q}`);
    found = r.body.results.find((x) => x.id === iaas);
    if (!found)
      await new Promise((res) => setTimeout(res, 100));
  }
  assert.ok(found, 'the test listing is in search');
  const n = found.my_eligibility;
  const systems = (await call('buyer', 'GET', '/api/v1/systems')).body.systems.length;
  assert.equal(n.eligible + n.agency + n.blocked, systems);
  assert.ok(n.eligible >= 1);
  const anon = await fetch(`${BASE}/api/v1/search?q=${q}`).then((r) => r.json());
  assert.equal(anon.results.find((x) => x.id === iaas)?.my_eligibility, undefined);
  // A revoked certificate turns the preview at once.
  const cert = sql(`SELECT id FROM certificates WHERE listing_id = ${iaas}`);
  sql(`SELECT certificate_set_status(${cert}, 'revoked', NULL, 'test')`);
  const after = await call('buyer', 'GET', `/api/v1/services/${iaas}`);
  assert.equal(after.body.eligibility.find((e) => e.system_id === sys).outcome, 'not_eligible');
});

test('bad input is a 400 naming the field; another agency sees nothing; unpublished services are refused', async () => {
  const sys = await system('buyer', { name: `검증용 ${RUN}`, nature: 'citizen' });
  for (const [body, field] of [
    [{ listing: iaas, start: '2026-12-15' }, 'system'],
    [{ system: sys, start: '2026-12-15' }, 'listing'],
    [{ system: sys, listing: iaas }, 'start'],
    [{ system: sys, listing: iaas, start: '2026-02-30' }, 'start'],
    [{ system: sys, listing: iaas, start: '15/12/2026' }, 'start'],
    [{ system: "1' OR '1'='1", listing: iaas, start: '2026-12-15' }, 'system'],
  ]) {
    const r = await call('buyer', 'POST', '/api/v1/eligibility', body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(r.body.error.field, field);
  }
  assert.equal((await decide('buyer', sys, iaas, '2019-01-01')).status, 422);
  assert.equal((await decide('buyer', sys, 23, '2026-12-15')).status, 409);
  assert.equal((await decide('buyer', sys, 999999, '2026-12-15')).status, 404);
  // Another agency's system and decision are 404.
  assert.equal((await decide('other_buyer', sys, iaas, '2026-12-15')).status, 404);
  const mine = await decide('buyer', sys, iaas, '2026-12-15');
  assert.equal((await call('other_buyer', 'GET', `/api/v1/eligibility/${mine.body.id}`)).status, 404);
  assert.equal((await call('other_buyer', 'GET', `/api/v1/systems/${sys}`)).status, 404);
  assert.equal((await call('vendor_admin', 'GET', '/api/v1/systems')).status, 403);
  assert.equal((await call('auditor', 'GET', `/api/v1/eligibility/${mine.body.id}`)).status, 200);
  // System fields.
  for (const [body, field] of [
    [{ nature: 'citizen' }, 'name'],
    [{ name: 'x'.repeat(201), nature: 'citizen' }, 'name'],
    [{ name: 'ok', nature: 'cloud' }, 'nature'],
    [{ name: 'ok', nature: 'citizen', csap_grade: 'medium' }, 'csap_grade'],
    [{ name: 'ok', nature: 'citizen', data: 'pia' }, 'data'],
    [{ name: 'ok', nature: 'citizen', description: 'x'.repeat(2001) }, 'description'],
  ]) {
    const r = await call('buyer', 'POST', '/api/v1/systems', body);
    assert.equal(r.status, 400, JSON.stringify(body).slice(0, 60));
    assert.equal(r.body.error.field, field);
  }
  const dup = await call('buyer_approver', 'POST', '/api/v1/systems', { name: `검증용 ${RUN}`, nature: 'internal' });
  assert.equal(dup.status, 409);
});

test('the HTML system form keeps the input on error and escapes names', async () => {
  const c = await signIn(USERS.buyer);
  let res = await c.post('/systems', { name: '', nature: 'internal', data: 'pia', description: '남아야 할 설명' });
  assert.equal(res.status, 400);
  let html = await res.text();
  assert.match(html, /남아야 할 설명/);
  assert.match(html, /id="nature-internal" name="nature" value="internal" checked/);
  const evil = `<img src=x onerror=alert(1)> ${RUN}`;
  res = await c.post('/systems', { name: evil, nature: 'citizen' });
  assert.equal(res.status, 303);
  html = await (await c.get(res.headers.get('location'))).text();
  assert.ok(!html.includes('<img src=x'));
  assert.ok(html.includes('&lt;img src&#61;x'));
});

test('rule sets: the office adds a version from today on; versions never change; every change audited', async () => {
  const list = await call('auditor', 'GET', '/api/v1/admin/rules');
  assert.equal(list.status, 200);
  const newest = list.body.rulesets[0];
  const next = { ...newest.rules, version: newest.version + 1 };
  const tomorrow = new Date(Date.now() + 9 * 3600e3 + 86400e3).toISOString().slice(0, 10);
  const yesterday = new Date(Date.now() + 9 * 3600e3 - 86400e3).toISOString().slice(0, 10);
  const post = (who, rules) => call(who, 'POST', '/admin/rules', { rules: typeof rules === 'string' ? rules : JSON.stringify(rules) });

  assert.equal((await post('reviewer', { ...next, effective: tomorrow })).status, 403);
  assert.equal((await post('buyer', { ...next, effective: tomorrow })).status, 403);
  let r = await post('platform_admin', { ...next, effective: yesterday });
  assert.equal(r.status, 400);
  r = await post('platform_admin', '{"version": 3,');
  assert.equal(r.status, 400);
  r = await post('platform_admin', { ...next, effective: tomorrow, csap_fit: { ...next.csap_fit, saas: { ...next.csap_fit.saas, daas: 'perhaps' } } });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.key, 'csap_fit.saas.daas');
  r = await post('platform_admin', { ...next, effective: tomorrow, version: newest.version });
  assert.equal(r.status, 409);
  r = await post('platform_admin', { ...next, effective: tomorrow, name_ko: `시험 규칙 ${RUN}` });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.version, next.version);
  const after = await call('auditor', 'GET', '/api/v1/admin/rules');
  assert.equal(after.body.rulesets[0].version, next.version);
  assert.equal(after.body.rulesets[0].effective, tomorrow);
  // Stored versions refuse change even from the owner.
  assert.throws(() => sql(`UPDATE eligibility_rulesets SET effective = '2000-01-01' WHERE version = 1`));
  const audit = await call('auditor', 'GET', `/api/v1/audit?action=ruleset_created`);
  assert.ok(audit.body.events.some((e) => e.object_id === String(next.version)));
  const decided = await call('auditor', 'GET', '/api/v1/audit?action=eligibility_decided');
  assert.ok(decided.body.total > 0);
});
