// Contracts over HTTP as the agency's buyer and approver, the vendor's
// admin, other organisations and the procurement office: from a
// recorded eligibility decision to an active contract, the wrong roles
// and states, races, bad input, and what the loss of a certificate or a
// vendor does.
//
// The services contracted are made here (psql, as the owner), with
// external_ref 'gen:ctest:…', and withdrawn at the end so the demo
// catalog is as before for the other test files.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { BASE, USERS, apiToken, signIn } from './lib.mjs';

const DB = process.env.GUREUM_DATABASE;
const RUN = Date.now().toString(36);
const tokens = {};
let listing, system, decision;

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

function newListing(vendor, tag) {
  const plan = JSON.stringify({ dimensions: [{ code: 'vcpu_hour', unit_ko: 'vCPU시간', unit_en: 'vCPU hour',
    aggregation: 'sum', model: 'per_unit', unit_price: '30', reference_quantity: '720' }], credits: [] });
  const id = Number(sql(`INSERT INTO listings (vendor_id, service_type, name_ko, name_en, status,
    external_ref, rate_plan, free_trial_terms_ko, free_trial_terms_en) VALUES (${vendor}, 'iaas',
    '계약 시험 ${tag} ${RUN}', 'Contract test ${tag}', 'published', 'gen:ctest:${RUN}:${tag}',
    '${plan}', '30일 무료', '30 days free') RETURNING id`));
  sql(`INSERT INTO certificates (vendor_id, listing_id, scheme, csap_type, grade, issue_date,
    expiry_date, status, external_ref) VALUES (${vendor}, ${id}, 'csap', 'iaas', 'high',
    '2025-01-01', '2028-12-31', 'valid', 'gen:ctest:${RUN}:cert:${tag}')`);
  return id;
}

const draft = (extra = {}) => ({ decision, title: `민원 포털 ${RUN}`, start: '2026-12-15',
  end: '2027-12-14', ceiling_won: 60000000, ...extra });

async function newContract(extra = {}) {
  const r = await call('buyer', 'POST', '/api/v1/contracts', draft(extra));
  assert.equal(r.status, 201, r.text);
  return r.body.contract_id;
}

const step = (who, id, s, reason) => call(who, 'POST', `/api/v1/contracts/${id}/step`,
  reason === undefined ? { step: s } : { step: s, reason });

before(async () => {
  for (const who of ['buyer', 'buyer_approver', 'other_buyer', 'other_buyer_approver', 'vendor_admin',
    'other_vendor_admin', 'auditor', 'reviewer', 'platform_admin'])
    tokens[who] = await apiToken(USERS[who]);
  listing = newListing(1, 'a');
  const s = await call('buyer', 'POST', '/api/v1/systems', { name: `계약 시스템 ${RUN}`, nature: 'citizen',
    csap_grade: 'mid' });
  system = s.body.id;
  const d = await call('buyer', 'POST', '/api/v1/eligibility', { system, listing, start: '2026-12-15' });
  assert.equal(d.body.outcome, 'eligible', d.text);
  decision = d.body.id;
});

after(async () => {
  sql(`UPDATE listings SET status = 'withdrawn' WHERE external_ref LIKE 'gen:ctest:${RUN}:%'`);
  for (let i = 0; i < 50; i++) {
    const h = await (await fetch(BASE + '/healthz')).json();
    if (h.index.documents === h.database.published_listings)
      break;
    await new Promise((r) => setTimeout(r, 100));
  }
});

test('from a decision to an active contract: buyer drafts and submits, approver approves, vendor accepts', async () => {
  const token = `t-${RUN}-once`;
  const first = await call('buyer', 'POST', '/api/v1/contracts', draft({ token,
    fy_split: { 2026: 5000000, 2027: 55000000 }, tags: '민원정책과, 2027 포털', notice_days: 60 }));
  assert.equal(first.status, 201, first.text);
  const id = first.body.contract_id;
  // The same form twice is one contract.
  const again = await call('buyer', 'POST', '/api/v1/contracts', draft({ token }));
  assert.equal(again.status, 200);
  assert.deepEqual(again.body, { outcome: 'exists', contract_id: id });

  let c = await call('buyer', 'GET', `/api/v1/contracts/${id}`);
  assert.equal(c.body.status, 'draft');
  assert.equal(c.body.waiting_on, 'buyer');
  assert.equal(c.body.listing_version >= 1, true);
  assert.deepEqual(c.body.tags, ['민원정책과', '2027 포털']);
  assert.deepEqual(c.body.fy_split, { 2026: 5000000, 2027: 55000000 });
  // A notice period other than 30 days is a marked deviation.
  assert.deepEqual(c.body.terms.map((t) => t.deviates), [false, false, true, false, false]);

  assert.equal((await step('buyer', id, 'approve')).status, 403);
  assert.equal((await step('vendor_admin', id, 'accept')).status, 409);
  assert.equal((await step('buyer', id, 'submit')).status, 200);
  assert.equal((await step('buyer', id, 'submit')).status, 409);
  assert.equal((await step('other_buyer_approver', id, 'approve')).status, 404);
  assert.equal((await step('vendor_admin', id, 'accept')).status, 409);
  assert.equal((await step('buyer_approver', id, 'approve')).status, 200);
  assert.equal((await step('other_vendor_admin', id, 'accept')).status, 404);
  assert.equal((await step('buyer_approver', id, 'accept')).status, 403);
  const ok = await step('vendor_admin', id, 'accept');
  assert.equal(ok.status, 200);
  assert.equal(ok.body.was, 'awaiting_vendor');

  c = await call('vendor_admin', 'GET', `/api/v1/contracts/${id}`);
  assert.equal(c.body.status, 'active');
  assert.match(c.body.document_hash, /^[0-9a-f]{64}$/);
  assert.deepEqual(c.body.history.map((h) => h.action),
    ['contract_created', 'contract_submit', 'contract_approve', 'contract_accept']);
  assert.equal(typeof c.body.days_to_active, 'number');
  // The contract document as PDF: Korean text that reads back as text,
  // with the recorded hash in it.
  const pdfRes = await fetch(`${BASE}/contracts/${id}/document.pdf`,
    { headers: { authorization: `Bearer ${tokens.vendor_admin}` } });
  assert.equal(pdfRes.status, 200);
  assert.equal(pdfRes.headers.get('content-type'), 'application/pdf');
  assert.match(pdfRes.headers.get('content-disposition'), new RegExp(`gureum-contract-${id}\\.pdf`));
  const bytes = Buffer.from(await pdfRes.arrayBuffer());
  assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
  fs.mkdirSync(new URL('../artifacts/', import.meta.url), { recursive: true });
  fs.writeFileSync(new URL('../artifacts/contract.pdf', import.meta.url), bytes);
  const text = execFileSync('pdftotext', ['-q', '-', '-'], { input: bytes, encoding: 'utf8' });
  assert.match(text, new RegExp(`민원 포털 ${RUN}`));
  assert.match(text, /60,000,000원/);
  assert.ok(text.includes(c.body.document_hash));
  assert.equal((await call('other_buyer', 'GET', `/contracts/${id}/document.pdf`)).status, 404);
  // The public service page counts it.
  const pub = await (await fetch(`${BASE}/api/v1/services/${listing}`)).json();
  assert.ok(pub.contracts_signed >= 1 && pub.contracts_active >= 1 && pub.contracts_agencies === 1);
  // The other agency and the other vendor do not see it; the office does.
  assert.equal((await call('other_buyer', 'GET', `/api/v1/contracts/${id}`)).status, 404);
  assert.equal((await call('other_vendor_admin', 'GET', `/api/v1/contracts/${id}`)).status, 404);
  assert.equal((await call('auditor', 'GET', `/api/v1/contracts/${id}`)).status, 200);
  const list = await call('vendor_admin', 'GET', '/api/v1/contracts');
  assert.ok(list.body.contracts.some((x) => x.id === id));
  // Whoever acts next was told.
  const inbox = await call('buyer_approver', 'GET', '/api/v1/inbox');
  assert.ok(inbox.body.notifications.some((n) => n.kind === 'contract_to_approve' && n.link === `/contracts/${id}`));
  assert.ok(inbox.body.unread >= 1);
  const vin = await call('vendor_admin', 'GET', '/api/v1/inbox');
  assert.ok(vin.body.notifications.some((n) => n.kind === 'contract_to_accept'));
});

test('quotes: request, late and wrong-party answers refused, a second round, accept, contract from it', async () => {
  const deadline = new Date(Date.now() + 9 * 3600e3 + 7 * 86400e3).toISOString().slice(0, 10);
  const q = (who, m, p, b) => call(who, m, p, b);
  for (const [body, field] of [
    [{ listing, deadline, quantities: { ram_gb: '1' } }, 'dimension'],
    [{ listing, deadline, quantities: { vcpu_hour: '-1' } }, 'quantity'],
    [{ listing, deadline, quantities: { vcpu_hour: '1.1234567' } }, 'quantity'],
    [{ listing, deadline, quantities: { vcpu_hour: 5 } }, 'quantity'],
    [{ listing, deadline: '2020-01-01' }, 'deadline'],
    [{ listing, deadline: 'next week' }, 'deadline'],
    [{ listing, deadline, desired_price_won: -1 }, 'desired_price_won'],
    [{ listing, deadline, kind: 'gift' }, 'kind'],
    [{ deadline }, 'listing'],
  ]) {
    const r = await q('buyer', 'POST', '/api/v1/quotes', body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(r.body.error.field, field, JSON.stringify(body));
  }
  assert.equal((await q('buyer', 'POST', '/api/v1/quotes', { listing: 23, deadline })).status, 422);
  const made = await q('buyer', 'POST', '/api/v1/quotes', { listing, deadline,
    quantities: { vcpu_hour: '1440.50' }, desired_price_won: 40000, vat_included: false,
    message: '월 1,440 vCPU시간 기준' });
  assert.equal(made.status, 201, made.text);
  const id = made.body.request_id;
  // The same form twice (its token) is one request.
  const tok = `qt-${RUN}-once`;
  const once = await q('buyer', 'POST', '/api/v1/quotes', { listing, deadline, token: tok });
  const twice = await q('buyer', 'POST', '/api/v1/quotes', { listing, deadline, token: tok });
  assert.deepEqual([once.status, twice.status], [201, 200]);
  assert.equal(twice.body.request_id, once.body.request_id);
  assert.equal((await q('buyer', 'POST', '/api/v1/quotes', { listing, deadline, token: 'x' })).status, 400);
  const got = await q('vendor_admin', 'GET', `/api/v1/quotes/${id}`);
  assert.deepEqual(got.body.quantities, { vcpu_hour: '1440.5' });
  assert.equal(got.body.status, 'open');
  const vin = await q('vendor_admin', 'GET', '/api/v1/inbox');
  assert.ok(vin.body.notifications.some((n) => n.link === `/quotes/${id}`));

  assert.equal((await q('other_vendor_admin', 'POST', `/api/v1/quotes/${id}/step`,
    { step: 'answer', price_won: 1 })).status, 404);
  assert.equal((await q('other_buyer', 'GET', `/api/v1/quotes/${id}`)).status, 404);
  assert.equal((await q('buyer', 'POST', `/api/v1/quotes/${id}/step`,
    { step: 'answer', price_won: 1 })).status, 403);
  assert.equal((await q('buyer', 'POST', `/api/v1/quotes/${id}/step`, { step: 'accept' })).status, 409);
  assert.equal((await q('vendor_admin', 'POST', `/api/v1/quotes/${id}/step`,
    { step: 'answer' })).status, 400);
  assert.equal((await q('vendor_admin', 'POST', `/api/v1/quotes/${id}/step`,
    { step: 'answer', price_won: 43200, vat_included: false, text: '정가' })).status, 200);
  assert.equal((await q('buyer', 'POST', `/api/v1/quotes/${id}/step`,
    { step: 'reask', deadline: '2020-01-01' })).status, 400);
  assert.equal((await q('buyer', 'POST', `/api/v1/quotes/${id}/step`,
    { step: 'reask', deadline, text: '10% 할인 가능할까요' })).status, 200);
  // Past the deadline the vendor's answer is refused.
  sql(`UPDATE quote_requests SET deadline = now() - interval '1 second' WHERE id = ${id}`);
  const late = await q('vendor_admin', 'POST', `/api/v1/quotes/${id}/step`, { step: 'answer', price_won: 1 });
  assert.equal(late.status, 409);
  assert.match(late.body.error.message, /기한/);
  assert.equal((await q('buyer', 'GET', `/api/v1/quotes/${id}`)).body.status, 'expired');
  await q('buyer', 'POST', `/api/v1/quotes/${id}/step`, { step: 'reask', deadline });
  assert.equal((await q('vendor_admin', 'POST', `/api/v1/quotes/${id}/step`,
    { step: 'answer', price_won: 38880, vat_included: false })).status, 200);
  const list = await q('buyer', 'GET', '/api/v1/quotes');
  const row = list.body.quotes.find((x) => x.id === id);
  assert.equal(row.latest.price_won, 38880);
  assert.equal(row.round, 3);
  assert.equal((await q('buyer', 'POST', `/api/v1/quotes/${id}/step`, { step: 'accept' })).status, 200);
  const final = await q('buyer', 'GET', `/api/v1/quotes/${id}`);
  assert.deepEqual(final.body.answers.map((a) => a.price_won), [43200, 38880]);
  assert.equal(final.body.can.contract, true);

  // A contract may name the accepted quote; another one is refused.
  const c = await call('buyer', 'POST', '/api/v1/contracts', draft({ quote: id, token: `q-${RUN}` }));
  assert.equal(c.status, 201, c.text);
  const other = await q('buyer', 'POST', '/api/v1/quotes', { listing, deadline });
  const bad = await call('buyer', 'POST', '/api/v1/contracts', draft({ quote: other.body.request_id,
    token: `q2-${RUN}` }));
  assert.equal(bad.status, 409);
  // A shortlist's requests side by side: only that list's, latest answers.
  const sl = await call('buyer', 'POST', '/api/v1/shortlists', { project_name: `견적 비교 ${RUN}` });
  const a1 = await q('buyer', 'POST', '/api/v1/quotes', { listing, deadline, shortlist: sl.body.id });
  await q('vendor_admin', 'POST', `/api/v1/quotes/${a1.body.request_id}/step`, { step: 'answer', price_won: 1000 });
  const side = await q('buyer', 'GET', `/api/v1/quotes?shortlist=${sl.body.id}`);
  assert.deepEqual(side.body.quotes.map((x) => x.id), [a1.body.request_id]);
  assert.equal(side.body.quotes[0].latest.price_won, 1000);
  assert.equal(side.body.compare, true);
  assert.equal((await q('other_buyer', 'POST', '/api/v1/quotes', { listing, deadline, shortlist: sl.body.id })).status, 404);
  // A trial request carries the listing's trial terms.
  const t = await q('buyer', 'POST', '/api/v1/quotes', { listing, deadline, kind: 'trial' });
  assert.equal(t.status, 201);
  const tr = await q('vendor_admin', 'GET', `/api/v1/quotes/${t.body.request_id}`);
  assert.equal(tr.body.trial_terms, '30일 무료');
  assert.equal((await q('vendor_admin', 'POST', `/api/v1/quotes/${t.body.request_id}/step`,
    { step: 'decline', text: '체험 인원 마감' })).status, 200);
});

test('amendments: one side proposes new terms, the other accepts: the next version with its own hash', async () => {
  const id = await newContract({ token: `am-${RUN}` });
  await step('buyer', id, 'submit');
  await step('buyer_approver', id, 'approve');
  await step('vendor_admin', id, 'accept');
  const before = await call('buyer', 'GET', `/api/v1/contracts/${id}`);
  assert.equal(before.body.version, 1);
  const amend = (who, body) => call(who, 'POST', `/api/v1/contracts/${id}/amendments`, body);
  assert.equal((await amend('buyer', { ceiling_won: 70000000, end: '2027-12-14', reason: 'x' })).status, 403);
  for (const [body, field] of [
    [{ ceiling_won: 0, end: '2027-12-14', reason: '증액' }, 'ceiling_won'],
    [{ ceiling_won: 70000000, end: '2026-01-01', reason: '증액' }, 'end'],
    [{ ceiling_won: 70000000, end: '2027-12-14' }, 'reason'],
    [{ ceiling_won: 60000000, end: '2027-12-14', reason: '같음' }, 'ceiling_won'],
  ]) {
    const r = await amend('buyer_approver', body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(r.body.error.field, field, JSON.stringify(body));
  }
  const p = await amend('buyer_approver', { ceiling_won: 75000000, end: '2028-06-30', reason: '사용자 증가로 증액·연장' });
  assert.equal(p.status, 201, p.text);
  assert.equal((await amend('vendor_admin', { ceiling_won: 80000000, end: '2028-06-30', reason: '또' })).status, 409);
  const a = p.body.amendment_id;
  // The proposer cannot accept its own proposal; another vendor cannot see it.
  assert.equal((await call('buyer_approver', 'POST', `/contract-amendments/${a}`, { decision: 'accept' })).status, 403);
  assert.equal((await call('other_vendor_admin', 'POST', `/contract-amendments/${a}`, { decision: 'accept' })).status, 404);
  assert.equal((await call('vendor_admin', 'POST', `/contract-amendments/${a}`, { decision: 'maybe' })).status, 400);
  const ok = await call('vendor_admin', 'POST', `/contract-amendments/${a}`, { decision: 'accept', note: '합의' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal((await call('vendor_admin', 'POST', `/contract-amendments/${a}`, { decision: 'accept' })).status, 409);
  const after = await call('buyer', 'GET', `/api/v1/contracts/${id}`);
  assert.equal(after.body.version, 2);
  assert.equal(after.body.ceiling_won, 75000000);
  assert.equal(after.body.end, '2028-06-30');
  const am = after.body.amendments[0];
  assert.equal(am.status, 'accepted');
  assert.equal(am.version, 2);
  assert.match(am.document_hash, /^[0-9a-f]{64}$/);
  assert.notEqual(am.document_hash, after.body.document_hash);
  assert.ok(after.body.history.some((h) => h.action === 'contract_amendment_accepted'));
  // A rejected one changes nothing; a withdrawn one neither.
  const q = await amend('vendor_admin', { ceiling_won: 90000000, end: '2028-06-30', reason: '단가 인상' });
  assert.equal((await call('buyer_approver', 'POST', `/contract-amendments/${q.body.amendment_id}`,
    { decision: 'reject', note: '예산 없음' })).status, 200);
  const w = await amend('vendor_admin', { ceiling_won: 85000000, end: '2028-06-30', reason: '재제안' });
  assert.equal((await call('vendor_admin', 'POST', `/contract-amendments/${w.body.amendment_id}`,
    { decision: 'withdraw' })).status, 200);
  const last = await call('buyer', 'GET', `/api/v1/contracts/${id}`);
  assert.equal(last.body.ceiling_won, 75000000);
  assert.deepEqual(last.body.amendments.map((x) => x.status), ['accepted', 'rejected', 'withdrawn']);
});

test('a contract past its end date ends by itself (the expiry job), once', async () => {
  const id = await newContract({ token: `exp-${RUN}`, end: '2026-12-20' });
  await step('buyer', id, 'submit');
  await step('buyer_approver', id, 'approve');
  await step('vendor_admin', id, 'accept');
  const run = (day) => execFileSync(new URL('../../build/gureumctl', import.meta.url).pathname,
    ['expire-certificates', '--as-of', day], { encoding: 'utf8', env: { ...process.env, GUREUM_DATABASE: DB } });
  let out = run('2026-12-20');
  assert.ok(!out.includes(`ended contract ${id} `), 'valid through its end date');
  out = run('2026-12-21');
  assert.match(out, new RegExp(`ended contract ${id} \\(`));
  const c = await call('buyer', 'GET', `/api/v1/contracts/${id}`);
  assert.equal(c.body.status, 'ended');
  assert.equal(c.body.end_reason, 'expired');
  assert.ok(!run('2026-12-21').includes(`ended contract ${id} `), 'a second run changes nothing');
  const audit = await call('auditor', 'GET', `/api/v1/audit?action=contract_expired&object=contract:${id}`);
  assert.equal(audit.body.total, 1);
});

test('a withdrawn listing stays readable to its contracts as the version they bought', async () => {
  const l = newListing(1, 'w');
  const d = await call('buyer', 'POST', '/api/v1/eligibility', { system, listing: l, start: '2026-12-15' });
  const r = await call('buyer', 'POST', '/api/v1/contracts', draft({ decision: d.body.id, token: `w-${RUN}` }));
  const id = r.body.contract_id;
  sql(`UPDATE listings SET status = 'withdrawn', name_ko = '바뀐 이름' WHERE id = ${l}`);
  assert.equal((await fetch(`${BASE}/api/v1/services/${l}`)).status, 404);
  const p = await call('buyer', 'GET', `/api/v1/contracts/${id}/listing`);
  assert.equal(p.status, 200);
  assert.equal(p.body.listing_status, 'withdrawn');
  assert.equal(p.body.document.name_ko, `계약 시험 w ${RUN}`);
  assert.equal(p.body.rate_plan.dimensions[0].code, 'vcpu_hour');
  assert.equal((await call('vendor_admin', 'GET', `/api/v1/contracts/${id}/listing`)).status, 200);
  assert.equal((await call('other_buyer', 'GET', `/api/v1/contracts/${id}/listing`)).status, 404);
  const c = await signIn(USERS.buyer);
  const html = await (await c.get(`/contracts/${id}/listing`)).text();
  assert.match(html, new RegExp(`계약 시험 w ${RUN}`));
  assert.match(html, /게시되어 있지 않지만/);
});

test('two approvers at once: one wins, the other is told the state it found', async () => {
  const id = await newContract();
  await step('buyer', id, 'submit');
  const [a, b] = await Promise.all([step('buyer_approver', id, 'approve'),
    step('buyer_approver', id, 'approve')]);
  assert.deepEqual([a.status, b.status].sort(), [200, 409]);
  const c = await call('buyer', 'GET', `/api/v1/contracts/${id}`);
  assert.equal(c.body.status, 'awaiting_vendor');
  const events = c.body.history.filter((h) => h.action === 'contract_approve');
  assert.equal(events.length, 1);
});

test('returning needs a reason; a cancelled contract takes no further step', async () => {
  const id = await newContract();
  await step('buyer', id, 'submit');
  assert.equal((await step('buyer_approver', id, 'return')).status, 400);
  assert.equal((await step('buyer_approver', id, 'return', '  ')).status, 400);
  assert.equal((await step('buyer_approver', id, 'return', '예산 과목 확인 필요')).status, 200);
  let c = await call('buyer', 'GET', `/api/v1/contracts/${id}`);
  assert.equal(c.body.status, 'draft');
  assert.ok(c.body.history.some((h) => h.reason === '예산 과목 확인 필요'));
  assert.equal((await step('buyer', id, 'cancel')).status, 200);
  assert.equal((await step('buyer', id, 'submit')).status, 409);
  assert.equal((await step('buyer', id, 'fly')).status, 400);
  assert.equal((await step('buyer', id, 'submit', 'x'.repeat(1001))).status, 400);
});

test('bad drafts are 400s naming the field; decisions must allow it and be the agency\'s own', async () => {
  for (const [extra, field] of [
    [{ ceiling_won: 0 }, 'ceiling_won'],
    [{ ceiling_won: -5 }, 'ceiling_won'],
    [{ ceiling_won: 1e15 }, 'ceiling_won'],
    [{ ceiling_won: '1e9' }, 'ceiling_won'],
    [{ ceiling_won: '육천만' }, 'ceiling_won'],
    [{ end: '2026-12-01' }, 'end'],
    [{ end: '2040-01-01' }, 'end'],
    [{ start: 'tomorrow' }, 'start'],
    [{ title: '' }, 'title'],
    [{ fy_split: { 2026: 1 } }, 'fy_split'],
    [{ fy_split: { 2031: 60000000 } }, 'fy_split'],
    [{ fy_split: [1, 2] }, 'fy_split'],
    [{ notice_days: 10 }, 'notice_days'],
    [{ tags: 'a"b' }, 'tags'],
    [{ rounding: 'up' }, 'rounding'],
    [{ data_end: 'sell' }, 'data_end'],
    [{ decision: 'x' }, 'decision'],
  ]) {
    const r = await call('buyer', 'POST', '/api/v1/contracts', draft(extra));
    assert.equal(r.status, 400, JSON.stringify(extra));
    assert.equal(r.body.error.field, field, JSON.stringify(extra));
  }
  // A form's ceiling may carry thousands separators.
  const c = await signIn(USERS.buyer);
  const res = await c.post('/contracts', { decision: String(decision), title: `HTML ${RUN}`,
    start: '2026-12-15', end: '2027-12-14', ceiling_won: '12,345,678', fy_split: '2026=345678\n2027=12000000',
    token: `form-${RUN}` });
  assert.equal(res.status, 303);
  const got = await call('buyer', 'GET', res.headers.get('location').replace('/contracts', '/api/v1/contracts'));
  assert.equal(got.body.ceiling_won, 12345678);
  // Another start date than the decision's; another agency's decision.
  assert.equal((await call('buyer', 'POST', '/api/v1/contracts', draft({ start: '2026-12-20' }))).status, 409);
  assert.equal((await call('other_buyer', 'POST', '/api/v1/contracts', draft())).status, 404);
  // A decision that does not allow it.
  const inner = await call('buyer', 'POST', '/api/v1/systems', { name: `내부 ${RUN}`, nature: 'internal' });
  const no = await call('buyer', 'POST', '/api/v1/eligibility', { system: inner.body.id, listing,
    start: '2026-12-15' });
  assert.equal(no.body.outcome, 'not_eligible');
  const r = await call('buyer', 'POST', '/api/v1/contracts', draft({ decision: no.body.id }));
  assert.equal(r.status, 409);
  assert.equal(r.body.error.code, 'conflict');
});

test('a revoked certificate flags contracts, opens transition cases, notifies everyone and blocks new ones', async () => {
  const active = await newContract();
  await step('buyer', active, 'submit');
  await step('buyer_approver', active, 'approve');
  await step('vendor_admin', active, 'accept');
  const pending = await newContract();
  await step('buyer', pending, 'submit');
  await step('buyer_approver', pending, 'approve');
  const mails = Number(sql('SELECT count(*) FROM mail_outbox'));

  const cert = sql(`SELECT id FROM certificates WHERE external_ref = 'gen:ctest:${RUN}:cert:a'`);
  sql(`SELECT certificate_set_status(${cert}, 'revoked', NULL, 'KISA 취소 통보')`);

  let c = await call('buyer', 'GET', `/api/v1/contracts/${active}`);
  assert.equal(c.body.flag_reason, 'certificate_revoked');
  assert.equal(c.body.cases.length, 1);
  assert.equal(c.body.cases[0].status, 'open');
  const deadline = new Date(Date.now() + 9 * 3600e3 + 30 * 86400e3).toISOString().slice(0, 10);
  assert.equal(c.body.cases[0].deadline, deadline);
  for (const who of ['buyer', 'buyer_approver', 'vendor_admin']) {
    const n = await call(who, 'GET', '/api/v1/inbox');
    assert.ok(n.body.notifications.some((x) => x.kind === 'contract_at_risk' && x.link === `/contracts/${active}`), who);
  }
  const rv = await call('reviewer', 'GET', '/api/v1/inbox');
  assert.ok(rv.body.notifications.some((x) => x.kind === 'transition_case'));
  assert.ok(Number(sql('SELECT count(*) FROM mail_outbox')) > mails);

  // Blocked at once: the vendor cannot accept, nobody can draft anew.
  const acc = await step('vendor_admin', pending, 'accept');
  assert.equal(acc.status, 409);
  assert.match(acc.body.error.message, /CSAP/);
  const fresh = await call('buyer', 'POST', '/api/v1/contracts', draft());
  assert.equal(fresh.status, 409);
  c = await call('buyer', 'GET', `/api/v1/contracts/${pending}`);
  assert.equal(c.body.flag_reason, 'certificate_revoked');

  // The same loss again opens no second case.
  sql(`SELECT contract_loss(${listing}, 1, 'certificate_revoked', ${cert})`);
  c = await call('buyer', 'GET', `/api/v1/contracts/${active}`);
  assert.equal(c.body.cases.length, 1);

  // The office tracks the case to its end.
  const cases = await call('auditor', 'GET', '/admin/transitions');
  const mine = cases.body.cases.find((x) => x.contract_id === active);
  assert.ok(mine);
  assert.equal((await call('auditor', 'POST', `/admin/transitions/${mine.id}/close`,
    { status: 'handed_over', note: 'x' })).status, 403);
  assert.equal((await call('reviewer', 'POST', `/admin/transitions/${mine.id}/close`,
    { status: 'lost', note: 'x' })).status, 400);
  assert.equal((await call('reviewer', 'POST', `/admin/transitions/${mine.id}/close`,
    { status: 'handed_over', note: '' })).status, 400);
  assert.equal((await call('reviewer', 'POST', `/admin/transitions/${mine.id}/close`,
    { status: 'handed_over', note: '다른 CSAP 인증 사업자로 인계 완료' })).status, 200);
  assert.equal((await call('reviewer', 'POST', `/admin/transitions/${mine.id}/close`,
    { status: 'handed_over', note: '다시' })).status, 409);
  assert.equal((await call('reviewer', 'POST', '/admin/transitions/999999/close',
    { status: 'handed_over', note: 'x' })).status, 404);
});

test('a suspended vendor opens cases for its active contracts', async () => {
  const vendor = Number(sql(`INSERT INTO organisations (kind, name_ko, name_en, status, external_ref)
    VALUES ('vendor', '정지 시험 ${RUN}', 'Suspension test', 'approved', 'gen:ctest:${RUN}:vendor')
    RETURNING id`));
  const l = newListing(vendor, 'v');
  const d = await call('buyer', 'POST', '/api/v1/eligibility', { system, listing: l, start: '2026-12-15' });
  assert.equal(d.body.outcome, 'eligible', d.text);
  const r = await call('buyer', 'POST', '/api/v1/contracts', draft({ decision: d.body.id }));
  const id = r.body.contract_id;
  // Its vendor has no users here: the fixture puts it in force directly.
  sql(`UPDATE contracts SET status = 'active', activated_at = now() WHERE id = ${id}`);
  sql(`UPDATE organisations SET status = 'suspended' WHERE id = ${vendor}`);
  const c = await call('buyer', 'GET', `/api/v1/contracts/${id}`);
  assert.equal(c.body.flag_reason, 'vendor_suspended');
  assert.equal(c.body.cases[0].cause, 'vendor_suspended');
  const again = await call('buyer', 'POST', '/api/v1/contracts', draft({ decision: d.body.id,
    token: `v-${RUN}-2` }));
  assert.equal(again.status, 409);
  assert.match(again.body.error.message, /공급기업/);
});

test('the inbox marks read one or all', async () => {
  const before = await call('buyer_approver', 'GET', '/api/v1/inbox');
  const unread = before.body.notifications.filter((n) => !n.read);
  assert.ok(unread.length >= 1);
  let r = await call('buyer_approver', 'POST', '/inbox/read', { id: unread[0].id });
  assert.equal(r.body.read, 1);
  r = await call('buyer_approver', 'POST', '/inbox/read', { id: unread[0].id });
  assert.equal(r.body.read, 0);
  r = await call('buyer_approver', 'POST', '/inbox/read', { id: 'x' });
  assert.equal(r.status, 400);
  // The navigation shows the unread count on every page.
  const web = await signIn(USERS.buyer_approver);
  const count = (await call('buyer_approver', 'GET', '/api/v1/inbox')).body.unread;
  let html = await (await web.get('/home')).text();
  assert.match(html, new RegExp(`href="/inbox" data-unread="${count}"`));
  r = await call('buyer_approver', 'POST', '/inbox/read', {});
  const after = await call('buyer_approver', 'GET', '/api/v1/inbox');
  assert.equal(after.body.unread, 0);
  html = await (await web.get('/home')).text();
  assert.match(html, /href="\/inbox" data-unread="0">알림<\/a>/);
  // Another user's notification is not theirs to mark.
  const mine = (await call('buyer', 'GET', '/api/v1/inbox')).body.notifications.find((n) => !n.read);
  if (mine) {
    r = await call('buyer_approver', 'POST', '/inbox/read', { id: mine.id });
    assert.equal(r.body.read, 0);
  }
});
