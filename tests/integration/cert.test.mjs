// Certificates and documents over HTTP: vendor submissions with their
// validation (exact status, code and field), files checked by content,
// ownership (another vendor's objects are 404), the reviewer's decisions
// and their states (409), the audit and history rows they write, the
// expiry job, certificate_badges() and the search outbox triggers.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { BASE, signIn, USERS, Client } from './lib.mjs';
import { pdf, PNG, TEXT, multipart } from './pdf.mjs';

const DB = process.env.GUREUM_DATABASE;

function sql(q) {
  return execFileSync('psql', [DB, '-X', '-qtA', '-v', 'ON_ERROR_STOP=1', '-c', q],
    { encoding: 'utf8' }).trim();
}

// Runs a psql script (meta-commands allowed) on standard input.
function script(q) {
  return execFileSync('psql', [DB, '-X', '-qtA', '-v', 'ON_ERROR_STOP=1'],
    { encoding: 'utf8', input: q }).trim();
}

function ctl(...args) {
  return execFileSync('build/gureumctl', args, { encoding: 'utf8', env: process.env });
}

// Korea's date, n days from today.
function kstDay(n = 0) {
  const d = new Date(Date.now() + 9 * 3600 * 1000 + n * 86400 * 1000);
  return d.toISOString().slice(0, 10);
}

const sha256 = (b) => crypto.createHash('sha256').update(b).digest('hex');

let vendor, staff, other, reviewer, auditor, admin, buyer;

before(async () => {
  vendor = await signIn(USERS.vendor_admin);
  staff = await signIn(USERS.vendor_staff);
  other = await signIn(USERS.other_vendor_admin);
  reviewer = await signIn(USERS.reviewer);
  auditor = await signIn(USERS.auditor);
  admin = await signIn(USERS.platform_admin);
  buyer = await signIn(USERS.buyer);
});

// POSTs a multipart body as c (session cookie, CSRF header unless
// csrf: false); returns { res, body } with the JSON parsed.
async function upload(c, path, fields, files, { csrf = true, accept = 'application/json' } = {}) {
  const headers = { accept };
  if (c.cookieHeader())
    headers.cookie = c.cookieHeader();
  if (csrf && c.csrf)
    headers['x-csrf-token'] = c.csrf;
  const res = await fetch(BASE + path, { method: 'POST', body: multipart(fields, files), headers,
    redirect: 'manual' });
  const text = await res.text();
  let body = null;
  try { body = JSON.parse(text); } catch { body = text; }
  return { res, body };
}

const GOOD = () => ({ listing_id: '3', scheme: 'csap', csap_type: 'iaas', grade: 'high',
  number: `CSAP-IaaS-T-${crypto.randomUUID().slice(0, 8)}`, issuer: '한국인터넷진흥원 (KISA)',
  issue_date: kstDay(-30), expiry_date: kstDay(365 * 3) });
const EVIDENCE = () => ({ evidence: { data: pdf('evidence'), filename: 'csap.pdf' } });

async function submit(c = vendor, fields = GOOD(), files = EVIDENCE()) {
  return upload(c, '/api/v1/vendor/certificates', fields, files);
}

async function decide(c, id, verb, reason) {
  const res = await c.request(`/api/v1/review/certificates/${id}/${verb}`, { method: 'POST',
    json: reason === undefined ? {} : { reason },
    headers: { accept: 'application/json', 'x-csrf-token': c.csrf } });
  return { res, body: await res.json() };
}

test('a vendor submits a CSAP certificate with its evidence PDF: pending, history, audit', async () => {
  const fields = GOOD();
  const file = pdf('CSAP evidence');
  const { res, body } = await submit(staff, fields, { evidence: { data: file, filename: '../../증빙 "CSAP".pdf' } });
  assert.equal(res.status, 201, JSON.stringify(body));
  assert.equal(body.status, 'pending');
  const row = sql(`SELECT c.status || '|' || c.vendor_id || '|' || c.listing_id || '|' || c.grade || '|' ||
    d.filename || '|' || d.sha256 || '|' || d.size_bytes || '|' || c.submitted_by
    FROM certificates c JOIN documents d ON d.id = c.evidence_document_id WHERE c.id = ${body.id}`);
  assert.equal(row, `pending|1|3|high|증빙 _22CSAP_22.pdf|${sha256(file)}|${file.length}|6`);
  assert.equal(sql(`SELECT count(*) || ':' || max(actor_id) || ':' || max(to_status) FROM certificate_events
    WHERE certificate_id = ${body.id}`), '1:6:pending');
  assert.equal(sql(`SELECT summary->>'evidence_sha256' FROM audit_events WHERE action = 'certificate_submitted'
    AND object_id = '${body.id}'`), sha256(file));

  const list = await vendor.getJSON('/api/v1/vendor/certificates');
  const mine = list.body.certificates.find((x) => x.id === body.id);
  assert.equal(mine.effective, 'pending');
  assert.equal(mine.number, fields.number);
  // The other vendor sees neither the certificate nor its evidence.
  assert.ok(!(await other.getJSON('/api/v1/vendor/certificates')).body.certificates.some((x) => x.id === body.id));
  assert.equal((await other.getJSON(`/api/v1/vendor/certificates/${body.id}`)).res.status, 404);
  const doc = sql(`SELECT evidence_document_id FROM certificates WHERE id = ${body.id}`);
  assert.equal((await other.get(`/documents/${doc}`)).status, 404);
  assert.equal((await fetch(`${BASE}/documents/${doc}`)).status, 404);
  assert.equal((await buyer.get(`/documents/${doc}`)).status, 404);
  for (const c of [vendor, reviewer, auditor]) {
    const r = await c.get(`/documents/${doc}`);
    assert.equal(r.status, 200);
    assert.deepEqual(Buffer.from(await r.arrayBuffer()), file);
  }
});

// Each case: fields changed from GOOD (null removes), files, status, code, field.
const CASES = [
  ['scheme missing', { scheme: null }, null, 400, 'invalid_parameter', 'scheme'],
  ['scheme unknown', { scheme: 'soc2' }, null, 400, 'invalid_parameter', 'scheme'],
  ['FedRAMP is imported only', { scheme: 'fedramp', csap_type: null, grade: null }, null, 400, 'invalid_parameter', 'scheme'],
  ['CSAP without a listing', { listing_id: '' }, null, 400, 'invalid_parameter', 'listing_id'],
  ['listing id not a number', { listing_id: '3 OR 1=1' }, null, 400, 'invalid_parameter', 'listing_id'],
  ['CSAP type missing', { csap_type: null }, null, 400, 'invalid_parameter', 'csap_type'],
  ['CSAP type unknown', { csap_type: 'paas' }, null, 400, 'invalid_parameter', 'csap_type'],
  ['CSAP type on another scheme', { scheme: 'quality', grade: null }, null, 400, 'invalid_parameter', 'csap_type'],
  ['grade missing for CSAP', { grade: null }, null, 400, 'invalid_parameter', 'grade'],
  ['grade 상/중/하 only', { grade: 'top' }, null, 400, 'invalid_parameter', 'grade'],
  ['grade only for CSAP', { scheme: 'gs', csap_type: null }, null, 400, 'invalid_parameter', 'grade'],
  ['number missing', { number: '   ' }, null, 400, 'invalid_parameter', 'number'],
  ['number too long', { number: 'N'.repeat(101) }, null, 400, 'invalid_parameter', 'number'],
  ['issuer missing', { issuer: null }, null, 400, 'invalid_parameter', 'issuer'],
  ['issuer with a control character', { issuer: 'KISA\u0001' }, null, 400, 'invalid_parameter', 'issuer'],
  ['issue date not a date', { issue_date: '2026-02-30' }, null, 400, 'invalid_parameter', 'issue_date'],
  ['issue date in another format', { issue_date: '05/01/2026' }, null, 400, 'invalid_parameter', 'issue_date'],
  ['issue date in the future', { issue_date: kstDay(2) }, null, 400, 'invalid_parameter', 'issue_date'],
  ['expiry date missing', { expiry_date: null }, null, 400, 'invalid_parameter', 'expiry_date'],
  ['expiry before issue', { issue_date: kstDay(-10), expiry_date: kstDay(-20) }, null, 400, 'invalid_parameter', 'expiry_date'],
  ['already expired', { issue_date: kstDay(-400), expiry_date: kstDay(-1) }, null, 400, 'invalid_parameter', 'expiry_date'],
  ['no evidence file', {}, {}, 400, 'invalid_parameter', 'evidence'],
  ['empty evidence file', {}, { evidence: { data: Buffer.alloc(0), filename: 'empty.pdf' } }, 400, 'invalid_parameter', 'evidence'],
  ['a PNG renamed .pdf', {}, { evidence: { data: PNG, filename: 'scan.pdf' } }, 415, 'unsupported_media_type', 'evidence'],
  ['a text file sent as application/pdf', {}, { evidence: { data: TEXT, filename: 'a.pdf' } }, 415, 'unsupported_media_type', 'evidence'],
  ['a truncated PDF', {}, { evidence: { data: pdf().subarray(0, 120), filename: 'cut.pdf' } }, 415, 'unsupported_media_type', 'evidence'],
  ['over 3 MiB', {}, { evidence: { data: pdf('big', 3 * 1024 * 1024), filename: 'big.pdf' } }, 413, 'payload_too_large', 'evidence'],
  ['a listing of another vendor', { listing_id: '8', csap_type: 'saas_standard' }, null, 422, 'invalid_reference', 'listing_id'],
  ['a listing that does not exist', { listing_id: '999999' }, null, 422, 'invalid_reference', 'listing_id'],
  ['a CSAP type that does not fit the listing', { csap_type: 'saas_standard' }, null, 400, 'invalid_parameter', 'csap_type'],
  ['an unknown field', { surprise: 'x' }, null, 400, 'unknown_parameter', 'surprise'],
];

for (const [name, change, files, status, code, field] of CASES) {
  test(`submission refused: ${name} → ${status} ${code} ${field}`, async () => {
    const fields = GOOD();
    for (const [k, v] of Object.entries(change)) {
      if (v === null)
        delete fields[k];
      else
        fields[k] = v;
    }
    const before = sql('SELECT count(*) FROM certificates');
    const { res, body } = await submit(vendor, fields, files ?? EVIDENCE());
    assert.equal(res.status, status, JSON.stringify(body).slice(0, 300));
    assert.equal(body.error.code, code);
    assert.equal(body.error.field, field);
    assert.ok(body.error.message.length > 5);
    assert.equal(sql('SELECT count(*) FROM certificates'), before);
  });
}

test('ISO/IEC 27001 may be company-wide; CSAP, GS and quality need a listing', async () => {
  const f = { ...GOOD(), scheme: 'iso27001', listing_id: '' };
  delete f.csap_type;
  delete f.grade;
  const { res, body } = await submit(vendor, f);
  assert.equal(res.status, 201);
  assert.equal(sql(`SELECT listing_id IS NULL FROM certificates WHERE id = ${body.id}`), 't');
  for (const scheme of ['quality', 'gs', 'cc']) {
    const g = { ...f, scheme };
    const r = await submit(vendor, g);
    assert.equal(r.res.status, 400, scheme);
    assert.equal(r.body.error.field, 'listing_id');
  }
});

test('a double submission of the same certificate is refused (409 number)', async () => {
  const f = GOOD();
  const first = await submit(vendor, f);
  assert.equal(first.res.status, 201);
  const again = await submit(staff, f);
  assert.equal(again.res.status, 409);
  assert.deepEqual([again.body.error.code, again.body.error.field], ['conflict', 'number']);
  // Once rejected, the same number may be submitted again.
  assert.equal((await decide(reviewer, first.body.id, 'reject', '증빙 불명확')).res.status, 200);
  assert.equal((await submit(vendor, f)).res.status, 201);
});

test('a multipart form without the CSRF token is refused, with it accepted', async () => {
  const r = await upload(vendor, '/vendor/certificates', GOOD(), EVIDENCE(), { csrf: false });
  assert.equal(r.res.status, 403);
  assert.equal(r.body.error.code, 'csrf_failed');
  const ok = await upload(vendor, '/vendor/certificates', { ...GOOD(), csrf: vendor.csrf }, EVIDENCE(),
    { csrf: false, accept: 'text/html' });
  assert.equal(ok.res.status, 303);
  assert.equal(ok.res.headers.get('location'), '/vendor/certificates?done=submitted');
});

test('a broken multipart body is a 400, not a crash', async () => {
  const res = await fetch(BASE + '/api/v1/vendor/certificates', { method: 'POST',
    headers: { cookie: vendor.cookieHeader(), 'x-csrf-token': vendor.csrf,
      'content-type': 'multipart/form-data; boundary=XyZ' },
    body: '--XyZ\r\nContent-Disposition: form-data; name="scheme"\r\n\r\ncsap' });
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error.field, 'body');
  const nob = await fetch(BASE + '/api/v1/vendor/certificates', { method: 'POST',
    headers: { cookie: vendor.cookieHeader(), 'x-csrf-token': vendor.csrf,
      'content-type': 'multipart/form-data' }, body: 'x' });
  assert.equal(nob.status, 400);
});

test('the form page keeps the input after an error and escapes scripts', async () => {
  const f = { ...GOOD(), number: '<script>alert(1)</script>', expiry_date: kstDay(-5), csrf: vendor.csrf };
  const { res, body } = await upload(vendor, '/vendor/certificates', f, EVIDENCE(), { csrf: false, accept: 'text/html' });
  assert.equal(res.status, 400);
  assert.match(body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.ok(!body.includes('<script>alert(1)'));
  assert.match(body, /id="expiry_date-error"/);
  assert.match(body, /만료일이 이미 지났습니다/);
  // Stored as typed, shown escaped in the list. (Browsers send a quote in a
  // file name as %22; the stored name keeps neither.)
  const ok = await submit(vendor, { ...GOOD(), number: `<img src=x onerror=alert(1)> ${Date.now()}`, issuer: "'; DROP TABLE certificates; --" });
  assert.equal(ok.res.status, 201);
  const html = await (await vendor.get('/vendor/certificates')).text();
  assert.match(html, /&lt;img src&#61;x onerror&#61;alert\(1\)&gt;/);
  assert.equal(sql(`SELECT issuer FROM certificates WHERE id = ${ok.body.id}`), "'; DROP TABLE certificates; --");
});

test('English: the vendor pages and errors speak English with lang=en', async () => {
  const c = await signIn(USERS.vendor_admin);
  c.jar.lang = 'en';
  const html = await (await c.get('/vendor/certificates/new')).text();
  assert.match(html, /Submit a certificate/);
  const { body } = await upload(c, '/api/v1/vendor/certificates', GOOD(), { evidence: { data: PNG, filename: 'x.pdf' } });
  assert.match(body.error.message, /Only PDF files can be uploaded/);
});

test('reviewer decisions: each from its state only (409 otherwise), reasons required, vendor sees them', async () => {
  const { body: s } = await submit();
  const id = s.id;
  // Reasons are mandatory except for verify.
  let r = await decide(reviewer, id, 'reject');
  assert.equal(r.res.status, 400);
  assert.deepEqual([r.body.error.code, r.body.error.field], ['invalid_parameter', 'reason']);
  r = await decide(reviewer, id, 'reject', '   ');
  assert.equal(r.res.status, 400);
  r = await decide(reviewer, id, 'reject', 'x'.repeat(1001));
  assert.equal(r.res.status, 400);
  assert.equal(r.body.error.code, 'too_long');
  // Wrong states.
  for (const v of ['suspend', 'reinstate', 'revoke']) {
    r = await decide(reviewer, id, v, 'not yet valid');
    assert.equal(r.res.status, 409, v);
    assert.equal(r.body.error.code, 'conflict');
  }
  // Auditors read, never decide.
  assert.equal((await decide(auditor, id, 'verify')).res.status, 403);
  assert.equal((await auditor.getJSON(`/api/v1/review/certificates/${id}`)).res.status, 200);
  r = await decide(reviewer, id, 'verify');
  assert.equal(r.res.status, 200);
  assert.deepEqual([r.body.was, r.body.status], ['pending', 'valid']);
  assert.equal((await decide(reviewer, id, 'verify')).res.status, 409);
  assert.equal((await decide(reviewer, id, 'reject', 'late')).res.status, 409);
  r = await decide(admin, id, 'suspend', '사후점검 자료 미제출');
  assert.equal(r.res.status, 200);
  assert.equal((await decide(reviewer, id, 'suspend', 'again')).res.status, 409);
  r = await decide(reviewer, id, 'reinstate', '자료 제출 확인');
  assert.deepEqual([r.res.status, r.body.status], [200, 'valid']);
  r = await decide(reviewer, id, 'revoke', '인증기관이 인증을 취소함 <b>bold</b>');
  assert.deepEqual([r.res.status, r.body.status], [200, 'revoked']);
  assert.equal((await decide(reviewer, id, 'revoke', 'twice')).res.status, 409);
  assert.equal((await decide(reviewer, id, 'reinstate', 'no')).res.status, 409);

  // History and audit, one each per decision, with actor and reason.
  assert.equal(sql(`SELECT string_agg(coalesce(from_status, '-') || '>' || to_status || '@' ||
    coalesce(actor_id::text, '-'), ',' ORDER BY id) FROM certificate_events WHERE certificate_id = ${id}`),
    '->pending@5,pending>valid@9,valid>suspended@11,suspended>valid@9,valid>revoked@9');
  assert.equal(sql(`SELECT string_agg(action, ',' ORDER BY id) FROM audit_events WHERE object_type = 'certificate'
    AND object_id = '${id}'`), 'certificate_submitted,certificate_verified,certificate_suspended,' +
    'certificate_reinstated,certificate_revoked');
  assert.equal(sql(`SELECT summary->>'reason' FROM audit_events WHERE action = 'certificate_revoked'
    AND object_id = '${id}'`), '인증기관이 인증을 취소함 <b>bold</b>');

  // The vendor sees the reasons, not the reviewer's e-mail; HTML escaped.
  const v = await vendor.getJSON(`/api/v1/vendor/certificates/${id}`);
  assert.equal(v.body.certificate.effective, 'revoked');
  assert.equal(v.body.history[0].reason, '인증기관이 인증을 취소함 <b>bold</b>');
  assert.equal(v.body.history[0].actor, '조달청 심사');
  assert.ok(!JSON.stringify(v.body).includes('reviewer@pps.go.kr'));
  const html = await (await vendor.get(`/vendor/certificates/${id}`)).text();
  assert.match(html, /인증기관이 인증을 취소함 &lt;b&gt;bold&lt;\/b&gt;/);
  // The reviewer sees who.
  const rv = await reviewer.getJSON(`/api/v1/review/certificates/${id}`);
  assert.equal(rv.body.history[0].actor, 'reviewer@pps.go.kr');
});

test('a rejected submission never becomes valid; the reason reaches the vendor', async () => {
  const { body: s } = await submit();
  const r = await decide(reviewer, s.id, 'reject', '증빙의 인증 번호가 KISA 공고와 다릅니다.');
  assert.deepEqual([r.res.status, r.body.status], [200, 'revoked']);
  const list = await vendor.getJSON('/api/v1/vendor/certificates');
  const c = list.body.certificates.find((x) => x.id === s.id);
  assert.equal(c.last_reason, '증빙의 인증 번호가 KISA 공고와 다릅니다.');
  assert.equal((await decide(reviewer, s.id, 'verify')).res.status, 409);
});

test('imported certificates and certificates past their date cannot be decided (409)', async () => {
  const imported = sql(`INSERT INTO certificates (vendor_id, listing_id, scheme, fedramp_impact, number,
    status, external_ref) VALUES (1, 1, 'fedramp', 'moderate', 'FR-T', 'valid',
    'fedramp:cert:test-${Date.now()}') RETURNING id`).split('\n')[0];
  let r = await decide(reviewer, imported, 'revoke', 'try');
  assert.equal(r.res.status, 409);
  assert.match(r.body.error.message, /FedRAMP/);
  const late = sql(`INSERT INTO certificates (vendor_id, listing_id, scheme, csap_type, grade, number,
    issue_date, expiry_date, status) VALUES (1, 2, 'csap', 'iaas', 'low', 'LATE', '${kstDay(-800)}',
    '${kstDay(-1)}', 'pending') RETURNING id`).split('\n')[0];
  r = await decide(reviewer, late, 'verify');
  assert.equal(r.res.status, 409);
  assert.equal(sql(`SELECT status FROM certificates WHERE id = ${late}`), 'pending');
  r = await decide(reviewer, late, 'reject', '만료됨');
  assert.equal(r.res.status, 200);
  assert.equal((await decide(reviewer, 999999, 'verify')).res.status, 404);
});

test('the review pages list pending submissions oldest first and show the evidence link', async () => {
  const { body } = await reviewer.getJSON('/api/v1/review/certificates');
  assert.ok(body.certificates.length >= 1);
  assert.ok(body.certificates.every((c) => c.effective === 'pending'));
  const times = body.certificates.map((c) => c.submitted_at);
  assert.deepEqual([...times].sort(), times);
  assert.ok(body.certificates.some((c) => c.id === 14), 'the demo pending certificate');
  assert.equal((await reviewer.getJSON('/api/v1/review/certificates?status=bogus')).res.status, 400);
  const html = await (await reviewer.get('/review/certificates/14')).text();
  assert.match(html, /data-decision="verify"/);
  assert.match(html, /href="\/documents\/14"/);
  const ro = await (await auditor.get('/review/certificates/14')).text();
  assert.ok(!ro.includes('data-decision='));
  assert.match(ro, /감사자는 열람만/);
});

test('expire-certificates: valid through the expiry date (KST), expired the day after; idempotent', () => {
  const d = kstDay(3);
  const id = sql(`INSERT INTO certificates (vendor_id, listing_id, scheme, number, issue_date, expiry_date,
    status) VALUES (3, 5, 'quality', 'EXP-T', '${kstDay(-100)}', '${d}', 'valid') RETURNING id`).split('\n')[0];
  const futureValid = sql(`SELECT count(*) FROM certificates WHERE status = 'valid' AND expiry_date > '${kstDay(4)}'`);
  let out = ctl('expire-certificates', '--as-of', d);
  assert.ok(!out.includes(`expired certificate ${id} `), out);
  assert.equal(sql(`SELECT status FROM certificates WHERE id = ${id}`), 'valid');
  out = ctl('expire-certificates', '--as-of', kstDay(4));
  assert.match(out, new RegExp(`expired certificate ${id} \\(quality EXP-T\\) of listing 5, expiry date ${d}`));
  assert.match(out, /expire-certificates: \d+ expired as of \d{4}-\d\d-\d\d \(KST\)/);
  assert.equal(sql(`SELECT status FROM certificates WHERE id = ${id}`), 'expired');
  out = ctl('expire-certificates', '--as-of', kstDay(4));
  assert.match(out, /^expire-certificates: 0 expired as of/m);
  assert.equal(sql(`SELECT count(*) FROM certificate_events WHERE certificate_id = ${id}
    AND to_status = 'expired'`), '1');
  assert.equal(sql(`SELECT count(*) FROM audit_events WHERE action = 'certificate_expired'
    AND object_id = '${id}'`), '1');
  assert.equal(sql(`SELECT count(*) FROM certificates WHERE status = 'valid' AND expiry_date > '${kstDay(4)}'`),
    futureValid);
  // Today's run (the job's) finds nothing more to do either.
  assert.match(ctl('expire-certificates'), /0 expired as of/);
});

test('a certificate expiring within 90 days says so on the vendor list', async () => {
  const id = sql(`INSERT INTO certificates (vendor_id, listing_id, scheme, number, issue_date, expiry_date,
    status) VALUES (1, 22, 'quality', 'SOON-${Date.now()}', '${kstDay(-300)}', '${kstDay(10)}', 'valid')
    RETURNING id`).split('\n')[0];
  const { body } = await vendor.getJSON('/api/v1/vendor/certificates');
  const c = body.certificates.find((x) => x.id === Number(id));
  assert.equal(c.days_left, 10);
  assert.equal(c.expiring_soon, '만료 10일 전');
  assert.equal(body.certificates.find((x) => x.id === 1).expiring_soon, undefined);
  const html = await (await vendor.get('/vendor/certificates')).text();
  assert.match(html, /data-expiring>만료 10일 전</);
});

test('certificate_badges never says valid for expired, suspended, revoked or pending ones', () => {
  const stale = `STALE-${Date.now()}`;
  // Still marked valid, but its date passed yesterday (before any job run).
  sql(`INSERT INTO certificates (vendor_id, listing_id, scheme, csap_type, grade, number,
    issue_date, expiry_date, status) VALUES (1, 22, 'csap', 'iaas', 'high', '${stale}', '${kstDay(-900)}',
    '${kstDay(-1)}', 'valid')`);
  const bad = sql(`SELECT count(*) FROM listings l, jsonb_array_elements(certificate_badges(l.id)) b
    WHERE ((b->>'valid')::boolean OR b->>'effective' = 'valid')
    AND (b->>'status' <> 'valid' OR (b->>'expiry_date')::date < kst_today())`);
  assert.equal(bad, '0');
  const b = JSON.parse(sql(`SELECT b FROM jsonb_array_elements(certificate_badges(22)) b
    WHERE b->>'number' = '${stale}'`));
  assert.equal(b.effective, 'expired');
  assert.equal(b.valid, false);
  // The demo's expired and revoked CSAP certificates.
  const l3 = JSON.parse(sql('SELECT certificate_badges(3)'));
  assert.ok(l3.some((b) => b.number === 'CSAP-IaaS-2021-0107' && b.effective === 'expired' && !b.valid));
  const l12 = JSON.parse(sql('SELECT certificate_badges(12)'));
  assert.deepEqual(l12.map((b) => [b.number, b.effective, b.valid]), [['CSAP-SaaS-S-2024-0412', 'revoked', false]]);
  // Company-wide ISO 27001 of Hanbit shows on each of its listings.
  const l1 = JSON.parse(sql('SELECT certificate_badges(1)'));
  assert.ok(l1.some((b) => b.scheme === 'iso27001' && b.company_wide && b.valid));
  assert.equal(l1[0].scheme, 'csap');
});

test('certificate changes enqueue the listings they show on in the search outbox', () => {
  // Inside one transaction, so the indexer cannot take the rows first.
  const one = script(`BEGIN; SELECT coalesce(max(id), 0) AS m FROM search_outbox \\gset
    UPDATE certificates SET status = 'suspended' WHERE id = 1;
    SELECT string_agg(DISTINCT listing_id::text, ',') FROM search_outbox WHERE id > :m;
    ROLLBACK;`);
  assert.equal(one, '1');
  const wide = script(`BEGIN; SELECT coalesce(max(id), 0) AS m FROM search_outbox \\gset
    UPDATE certificates SET status = 'suspended' WHERE id = 15;
    SELECT count(DISTINCT listing_id) FROM search_outbox WHERE id > :m;
    ROLLBACK;`);
  assert.equal(wide, sql('SELECT count(*) FROM listings WHERE vendor_id = 1'));
});

test('a revoked certificate stops showing as valid on the service JSON within 2 s', async (t) => {
  // The service page's badges come from the catalog pages (another part of
  // the issue); this checks them once they are there.
  const has = (b) => JSON.stringify(b).includes('CSAP-IaaS-2025-0019');
  const first = await (await fetch(`${BASE}/api/v1/services/22`)).json();
  if (!has(first)) {
    t.skip('the service JSON shows no certificates in this branch');
    return;
  }
  const r = await decide(reviewer, 5, 'revoke', 'freshness test');
  assert.equal(r.res.status, 200);
  const start = Date.now();
  for (;;) {
    const body = await (await fetch(`${BASE}/api/v1/services/22`)).json();
    const cert = (body.certificates ?? []).find((c) => c.number === 'CSAP-IaaS-2025-0019');
    const badge = (body.badges ?? []).find((c) => c.number === 'CSAP-IaaS-2025-0019');
    if (cert && cert.valid === false && !badge)
      break;
    assert.ok(Date.now() - start < 2000, 'still valid after 2 s');
    await new Promise((res) => setTimeout(res, 100));
  }
  // The search card agrees: no CSAP grade in force any more.
  for (;;) {
    const res = await (await fetch(`${BASE}/api/v1/search?q=${encodeURIComponent('한빛')}&per_page=100`)).json();
    const c = res.results.find((x) => x.id === 22);
    if (c && c.csap_valid === false)
      break;
    assert.ok(Date.now() - start < 2000, 'the search card still says valid after 2 s');
    await new Promise((res2) => setTimeout(res2, 100));
  }
});

test('listing documents: upload, replace in place, public download with safe headers, delete', async () => {
  const a = pdf('price sheet A');
  const had = sql(`SELECT count(*) FROM documents WHERE listing_id = 2 AND kind = 'price_sheet'`) === '1';
  let r = await upload(vendor, '/api/v1/vendor/listings/2/documents', { kind: 'price_sheet' },
    { file: { data: a, filename: 'C:\\Users\\me\\..\\가격표 "2026";.pdf' } });
  assert.equal(r.res.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.replaced, had);
  const id = r.body.id;
  assert.equal(r.body.sha256, sha256(a));
  const b = pdf('price sheet B');
  r = await upload(staff, '/api/v1/vendor/listings/2/documents', { kind: 'price_sheet' },
    { file: { data: b, filename: 'v2.pdf' } });
  assert.deepEqual([r.res.status, r.body.id, r.body.replaced], [201, id, true]);
  assert.equal(sql(`SELECT summary->'replaced'->>'sha256' FROM audit_events WHERE action = 'document_replaced'
    AND object_id = '${id}' ORDER BY id DESC LIMIT 1`), sha256(a));

  const d = await fetch(`${BASE}/documents/${id}`);
  assert.equal(d.status, 200);
  assert.equal(d.headers.get('content-type'), 'application/pdf');
  assert.equal(d.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(d.headers.get('content-disposition'), "attachment; filename=\"v2.pdf\"; filename*=UTF-8''v2.pdf");
  assert.deepEqual(Buffer.from(await d.arrayBuffer()), b);
  const first = sql(`SELECT filename FROM documents WHERE id = ${id}`);
  assert.equal(first, 'v2.pdf');

  const list = await vendor.getJSON('/api/v1/vendor/listings/2/documents');
  assert.deepEqual(list.body.documents.map((x) => x.kind), ['price_sheet']);
  assert.equal((await other.getJSON('/api/v1/vendor/listings/2/documents')).res.status, 404);
  // Another vendor can neither upload to nor delete from this listing.
  r = await upload(other, '/api/v1/vendor/listings/2/documents', { kind: 'sla' }, { file: { data: a, filename: 'x.pdf' } });
  assert.equal(r.res.status, 404);
  let del = await other.request(`/api/v1/vendor/documents/${id}/delete`, { method: 'POST', json: {}, headers: { 'x-csrf-token': other.csrf } });
  assert.equal(del.status, 404);
  // Evidence files cannot be deleted through this route.
  del = await vendor.request('/api/v1/vendor/documents/1/delete', { method: 'POST', json: {}, headers: { 'x-csrf-token': vendor.csrf } });
  assert.equal(del.status, 404);
  del = await vendor.request(`/api/v1/vendor/documents/${id}/delete`, { method: 'POST', json: {}, headers: { 'x-csrf-token': vendor.csrf } });
  assert.equal(del.status, 200);
  assert.equal((await fetch(`${BASE}/documents/${id}`)).status, 404);
  assert.equal(sql(`SELECT count(*) FROM audit_events WHERE action = 'document_deleted' AND object_id = '${id}'`), '1');
});

test('listing documents: a non-PDF, an empty file, an oversized file and a bad kind are refused', async () => {
  const cases = [
    [{ kind: 'sla' }, { file: { data: PNG, filename: 'sla.pdf' } }, 415, 'file'],
    [{ kind: 'sla' }, { file: { data: TEXT, filename: 'sla.pdf', type: 'application/pdf' } }, 415, 'file'],
    [{ kind: 'sla' }, { file: { data: Buffer.alloc(0), filename: 'sla.pdf' } }, 400, 'file'],
    [{ kind: 'sla' }, { file: { data: pdf('x', 3 * 1024 * 1024), filename: 'big.pdf' } }, 413, 'file'],
    [{ kind: 'sla' }, {}, 400, 'file'],
    [{ kind: 'evidence' }, { file: { data: pdf(), filename: 'e.pdf' } }, 400, 'kind'],
    [{}, { file: { data: pdf(), filename: 'e.pdf' } }, 400, 'kind'],
  ];
  for (const [f, files, status, field] of cases) {
    const r = await upload(vendor, '/api/v1/vendor/listings/1/documents', f, files);
    assert.equal(r.res.status, status, JSON.stringify(f));
    assert.equal(r.body.error.field, field);
  }
  // Exactly 3 MiB is accepted.
  const max = pdf('max', 0);
  const exact = pdf('max', 3 * 1024 * 1024 - max.length);
  assert.equal(exact.length, 3 * 1024 * 1024);
  const r = await upload(vendor, '/api/v1/vendor/listings/1/documents', { kind: 'manual' }, { file: { data: exact, filename: 'm.pdf' } });
  assert.equal(r.res.status, 201);
  const d = await fetch(`${BASE}/documents/${r.body.id}`);
  assert.equal(Number(d.headers.get('content-length') ?? (await d.clone().arrayBuffer()).byteLength), exact.length);
  await d.arrayBuffer();
  // The browser form shows the error on the page, status kept.
  const page = await upload(vendor, '/vendor/listings/1/documents', { kind: 'sla', csrf: vendor.csrf },
    { file: { data: PNG, filename: 'sla.pdf' } }, { csrf: false, accept: 'text/html' });
  assert.equal(page.res.status, 415);
  assert.match(page.body, /PDF 파일만 올릴 수 있습니다/);
});

test('documents of a listing not published are only for its vendor and the procurement office', async () => {
  const r = await upload(other, '/api/v1/vendor/listings/23/documents', { kind: 'manual' },
    { file: { data: pdf('draft manual'), filename: 'draft.pdf' } });
  assert.equal(r.res.status, 201);
  const path = `/documents/${r.body.id}`;
  assert.equal((await fetch(BASE + path)).status, 404);
  assert.equal((await buyer.get(path)).status, 404);
  assert.equal((await vendor.get(path)).status, 404);
  assert.equal((await other.get(path)).status, 200);
  assert.equal((await reviewer.get(path)).status, 200);
});

test('a file over the whole-body limit (4 MiB) gets Kore\'s 413 without reading it', async () => {
  const r = await upload(vendor, '/api/v1/vendor/listings/1/documents', { kind: 'sla' },
    { file: { data: pdf('huge', 5 * 1024 * 1024), filename: 'huge.pdf' } }).catch((e) => ({ error: e }));
  // Kore may close the connection while the client still sends.
  assert.ok(r.error || r.res.status === 413, JSON.stringify(r.res?.status));
});

test('a vendor API key with read reads certificates and documents, never submits or decides', async () => {
  const made = await vendor.postJSON('/org/keys', { name: `cert-reader-${Date.now()}`, scope: 'read' });
  assert.equal(made.res.status, 201, JSON.stringify(made.body));
  const auth = { authorization: `Bearer ${made.body.key}`, accept: 'application/json' };
  let res = await fetch(BASE + '/api/v1/vendor/certificates', { headers: auth });
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.ok(body.certificates.length > 0);
  assert.ok(body.certificates.every((c) => c.vendor_id === 1));
  res = await fetch(BASE + '/api/v1/vendor/certificates/1', { headers: auth });
  assert.equal(res.status, 200);
  res = await fetch(BASE + '/api/v1/vendor/certificates/6', { headers: auth });
  assert.equal(res.status, 404, "another vendor's certificate");
  res = await fetch(BASE + '/api/v1/vendor/listings/1/documents', { headers: auth });
  assert.equal(res.status, 200);
  res = await fetch(BASE + '/api/v1/vendor/certificates', { method: 'POST', headers: auth,
    body: multipart(GOOD(), EVIDENCE()) });
  assert.equal(res.status, 403);
  res = await fetch(BASE + '/api/v1/review/certificates/14/verify', { method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' }, body: '{}' });
  assert.equal(res.status, 403);
  // The evidence of its own certificate downloads with the key too.
  res = await fetch(BASE + '/documents/1', { headers: auth });
  assert.equal(res.status, 200);
});

test('HEAD of a document answers the headers only', async () => {
  const res = await fetch(BASE + '/documents/101', { method: 'HEAD' });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/pdf');
});
