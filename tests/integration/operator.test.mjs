// The procurement office's pages and the audit chain, against the real
// server and database: vendor review (approve, reject with a reason,
// suspend, 409 from the wrong state, who may do what), the audit log's
// filters, pagination and CSV export, then `gureumctl audit seal|verify`
// with tampering done as the owner (psql, triggers disabled) and restored,
// and proof that the application's role cannot change the log.
//
// Demo vendors 11 (온누리데이터) and 12 (바른보안) start 'applied'; the
// browser test makes its own applicants, so it does not depend on these.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { Client, signIn, apiToken, USERS, BASE } from './lib.mjs';

const DB = process.env.GUREUM_DATABASE;
const APP_DB = process.env.GUREUM_APP_DATABASE;
const CTL = new URL('../../build/gureumctl', import.meta.url).pathname;

function sql(q, db = DB) {
  return execFileSync('psql', [db, '-X', '-qtA', '-v', 'ON_ERROR_STOP=1', '-c', q],
    { encoding: 'utf8' }).trim();
}

// Runs gureumctl; returns { status, out } (stdout and stderr together).
function ctl(...args) {
  const r = spawnSync(CTL, args, { encoding: 'utf8', env: process.env });
  return { status: r.status, out: (r.stdout ?? '') + (r.stderr ?? '') };
}

// Runs SQL as the owner with the append-only trigger of table off.
function asOwnerUntriggered(table, q) {
  sql(`ALTER TABLE ${table} DISABLE TRIGGER ${table}_append_only; ${q};
       ALTER TABLE ${table} ENABLE TRIGGER ${table}_append_only`);
}

const json = { accept: 'application/json' };
let reviewer, auditor;

async function ensureSignedIn() {
  reviewer ??= await signIn(USERS.reviewer);
  auditor ??= await signIn(USERS.auditor);
}

function today() {
  return new Date(Date.now() + 9 * 3600e3).toISOString().slice(0, 10);	// KST
}

test('the queue lists applied vendors oldest first with company details', async () => {
  await ensureSignedIn();
  const { res, body } = await reviewer.getJSON('/api/v1/admin/vendors');
  assert.equal(res.status, 200);
  assert.equal(body.status, 'applied');
  const v = body.vendors.find((x) => x.id === 11);
  assert.ok(v, 'vendor 11 is in the queue');
  assert.equal(v.name_ko, '온누리데이터');
  assert.equal(v.biz_no, '129-86-94822');
  assert.equal(v.company_size, 'sme');
  assert.equal(typeof v.waited_seconds, 'number');
  const applied = body.vendors.map((x) => x.applied_at);
  assert.deepEqual(applied, [...applied].sort());
  assert.ok(body.vendors.every((x) => x.status === 'applied'));
  assert.equal(body.total, body.counts.applied);

  const html = await (await reviewer.get('/admin/vendors')).text();
  assert.match(html, /온누리데이터/);
  assert.match(html, /129-86-94822/);
  assert.match(html, /중소기업/);
  for (const status of ['approved', 'rejected', 'suspended'])
    assert.equal((await reviewer.getJSON(`/api/v1/admin/vendors?status=${status}`)).res.status, 200);
  const bad = await reviewer.getJSON('/api/v1/admin/vendors?status=closedx');
  assert.equal(bad.res.status, 400);
  assert.equal(bad.body.error.field, 'status');
});

test('a reviewer approves an applied vendor: status changes, event written', async () => {
  await ensureSignedIn();
  const res = await reviewer.post('/admin/vendors/11/approve', {});
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/admin/vendors/11?done=approve');
  const rid = res.headers.get('x-request-id');

  const { body } = await reviewer.getJSON('/api/v1/admin/vendors/11');
  assert.equal(body.vendor.status, 'approved');
  assert.equal(body.vendor.decision, 'vendor_approved');
  assert.equal(body.vendor.decided_by, USERS.reviewer);
  assert.equal(body.history[0].action, 'vendor_approved');
  assert.equal(sql('SELECT status FROM organisations WHERE id = 11'), 'approved');
  assert.equal(sql(`SELECT actor_id || ' ' || org_id || ' ' || object_type || ':' || object_id
    || ' ' || (summary->>'from') || '>' || (summary->>'to') FROM audit_events
    WHERE action = 'vendor_approved' AND request_id = '${rid}'`),
  '9 100 organisation:11 applied>approved');

  const page = await (await reviewer.get('/admin/vendors/11?done=approve')).text();
  assert.match(page, /notice--success/);
  assert.match(page, /등록을 승인했습니다/);
});

test('rejecting needs a reason of 1 to 1000 characters', async () => {
  await ensureSignedIn();
  for (const [form, code] of [[{}, 'invalid_parameter'], [{ reason: '   ' }, 'invalid_parameter'],
    [{ reason: '가'.repeat(1001) }, 'too_long']]) {
    const r = await reviewer.postJSON('/admin/vendors/12/reject', form);
    assert.equal(r.res.status, 400, JSON.stringify(form).slice(0, 40));
    assert.equal(r.body.error.code, code);
    assert.equal(r.body.error.field, 'reason');
  }
  // A browser gets the page again with the message, the input kept.
  const html = await reviewer.post('/admin/vendors/12/reject', { reason: ' ' });
  assert.equal(html.status, 400);
  const text = await html.text();
  assert.match(text, /error-summary/);
  assert.match(text, /aria-invalid="true"/);
  assert.equal(sql('SELECT status FROM organisations WHERE id = 12'), 'applied');

  // Through the API with a bearer token (no CSRF token needed).
  const token = await apiToken(USERS.reviewer);
  const reason = '사업자등록증 사본이 없습니다. <script>x</script>';
  const res = await fetch(BASE + '/api/v1/admin/vendors/12/reject', { method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ reason: '가'.repeat(1000) }) });
  assert.equal(res.status, 200);
  const ok = await res.json();
  assert.equal(ok.status, 'rejected');
  assert.equal(ok.was, 'applied');
  assert.equal(sql(`SELECT length(summary->>'reason') FROM audit_events WHERE id = ${ok.event_id}`), '1000');
  assert.equal(sql('SELECT status FROM organisations WHERE id = 12'), 'rejected');
  // The reason is shown escaped on the vendor page.
  sql(`INSERT INTO audit_events (actor_id, org_id, action, object_type, object_id, summary)
       VALUES (9, 100, 'vendor_rejected', 'organisation', '12',
       jsonb_build_object('reason', '${reason}'))`);
  const page = await (await reviewer.get('/admin/vendors/12')).text();
  assert.ok(!page.includes('<script>x</script>'));
  assert.match(page, /&lt;script&gt;/);
});

test('a decision from the wrong state is 409 and changes nothing', async () => {
  await ensureSignedIn();
  const before = sql('SELECT count(*) FROM audit_events');
  for (const [path, form] of [['/admin/vendors/11/approve', {}],
    ['/admin/vendors/11/reject', { reason: '중복' }], ['/admin/vendors/12/approve', {}],
    ['/admin/vendors/12/suspend', { reason: '정지 사유' }]]) {
    const r = await reviewer.postJSON(path, form);
    assert.equal(r.res.status, 409, path);
    assert.equal(r.body.error.code, 'conflict');
    assert.ok(r.body.error.message.length > 10);
  }
  const html = await reviewer.post('/admin/vendors/11/approve', {});
  assert.equal(html.status, 409);
  assert.match(await html.text(), /이미 처리되었습니다/);
  assert.equal(sql('SELECT count(*) FROM audit_events'), before);
  assert.equal((await reviewer.postJSON('/admin/vendors/999999/approve', {})).res.status, 404);
  assert.equal((await reviewer.postJSON('/admin/vendors/101/approve', {})).res.status, 404, 'an agency');

  // An approved vendor can be suspended, with a reason.
  const noReason = await reviewer.postJSON('/admin/vendors/11/suspend', {});
  assert.equal(noReason.res.status, 400);
  const s = await reviewer.postJSON('/admin/vendors/11/suspend', { reason: '보안 사고 조사 중' });
  assert.equal(s.res.status, 200);
  assert.equal(s.body.status, 'suspended');
  assert.equal(sql(`SELECT summary->>'reason' FROM audit_events WHERE id = ${s.body.event_id}`),
    '보안 사고 조사 중');
  assert.equal((await reviewer.postJSON('/admin/vendors/11/suspend', { reason: '다시' })).res.status, 409);
});

test('buyers and vendors get 403; the auditor reads but cannot decide', async () => {
  await ensureSignedIn();
  for (const role of ['buyer', 'buyer_approver', 'vendor_admin', 'vendor_staff']) {
    const c = await signIn(USERS[role]);
    for (const path of ['/admin/vendors', '/admin/vendors/11', '/audit', '/audit.csv',
      '/api/v1/audit', '/api/v1/admin/vendors'])
      assert.equal((await c.get(path, json)).status, 403, `${role} GET ${path}`);
    for (const d of ['approve', 'reject', 'suspend'])
      assert.equal((await c.postJSON(`/admin/vendors/11/${d}`, { reason: 'x' })).res.status, 403,
        `${role} POST ${d}`);
  }
  for (const path of ['/admin/vendors', '/admin/vendors/11', '/audit', '/audit.csv',
    '/api/v1/audit', '/api/v1/admin/vendors'])
    assert.equal((await auditor.get(path, json)).status, 200, `auditor GET ${path}`);
  for (const d of ['approve', 'reject', 'suspend'])
    assert.equal((await auditor.postJSON(`/admin/vendors/12/${d}`, { reason: 'x' })).res.status, 403);
  const page = await (await auditor.get('/admin/vendors/11')).text();
  assert.ok(!page.includes('/suspend"'), 'no decision forms for the auditor');

  const anon = new Client();
  assert.equal((await anon.get('/api/v1/audit', json)).status, 401);
  const browser = await anon.get('/audit');
  assert.equal(browser.status, 303);
  assert.equal(browser.headers.get('location'), '/login?next=%2Faudit');
  // A decision without the CSRF token is refused.
  const forged = await reviewer.request('/admin/vendors/11/suspend', { method: 'POST',
    form: { reason: 'x', csrf: 'forged' }, headers: json });
  assert.equal(forged.status, 403);
});

test('the audit log filters by actor, organisation, action, object and dates', async () => {
  await ensureSignedIn();
  const get = async (q) => (await auditor.getJSON('/api/v1/audit?' + q)).body;

  const one = await get('action=vendor_approved&object=organisation:11');
  assert.equal(one.total, 1);
  const ev = one.events[0];
  assert.equal(ev.actor_email, USERS.reviewer);
  assert.equal(ev.org_id, 100);
  assert.equal(ev.object, 'organisation:11');
  assert.equal(ev.summary.to, 'approved');
  assert.match(ev.at_kst, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  assert.match(ev.at, /\+09:00$/);
  assert.equal(typeof ev.sealed, 'boolean');
  assert.ok(ev.request_id.length > 0);
  assert.ok(ev.client_addr.length > 0);

  const byEmail = await get(`actor=${encodeURIComponent(USERS.reviewer)}&action=vendor_approved`);
  const byId = await get('actor=9&action=vendor_approved');
  assert.deepEqual(byEmail.events.map((e) => e.id), byId.events.map((e) => e.id));
  assert.ok(byId.events.every((e) => e.actor_id === 9));
  assert.ok((await get('org=100')).events.every((e) => e.org_id === 100));
  assert.ok((await get('object=organisation')).events.every((e) => e.object_type === 'organisation'));

  const d = today();
  assert.ok((await get(`from=${d}&to=${d}&action=vendor_approved`)).total >= 1);
  assert.equal((await get('from=2099-01-01&action=vendor_approved')).total, 0);
  assert.equal((await get('to=2000-01-01')).total, 0);
  const ids = (await get('')).events.map((e) => e.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'newest first');

  for (const [q, field, code = 'invalid_parameter'] of [
    ['from=2025-02-30', 'from'], ['from=20250101', 'from'], ['to=2025-13-01', 'to'],
    ['from=2025-03-02&to=2025-03-01', 'to'], ['actor=abc', 'actor'], ['actor=-1', 'actor'],
    ['org=x1', 'org'], ['org=0', 'org'], ['action=DROP%20TABLE', 'action'], ['object=:1', 'object'],
    ['object=Org', 'object'], ['page=0', 'page'], ['page=a', 'page'], ['until=1e3', 'until'],
    ['sort=id', 'sort', 'unknown_parameter']]) {
    const r = await auditor.getJSON('/api/v1/audit?' + q);
    assert.equal(r.res.status, 400, q);
    assert.equal(r.body.error.code, code, q);
    assert.equal(r.body.error.field, field, q);
  }
  const html = await auditor.get('/audit?from=2025-02-30&actor=' + encodeURIComponent(USERS.reviewer));
  assert.equal(html.status, 400);
  const text = await html.text();
  assert.match(text, /error-summary/);
  assert.match(text, /value="2025-02-30"/, 'the filter is kept');
  assert.match(text, /href="#from"/);
  const csv = await auditor.get('/audit.csv?to=nope', json);
  assert.equal(csv.status, 400);
  assert.equal((await csv.json()).error.field, 'to');
});

test('pages stay stable while events arrive', async () => {
  await ensureSignedIn();
  const tag = `test_page_${Date.now()}`;
  sql(`INSERT INTO audit_events (action, object_type, object_id)
       SELECT '${tag}', 'test', g::text FROM generate_series(1, 60) g`);
  const p1 = (await auditor.getJSON(`/api/v1/audit?action=${tag}`)).body;
  assert.equal(p1.total, 60);
  assert.equal(p1.events.length, 50);
  assert.equal(p1.events[0].object_id, '60');
  sql(`INSERT INTO audit_events (action, object_type, object_id)
       SELECT '${tag}', 'test', 'late' || g FROM generate_series(1, 5) g`);
  const p2 = (await auditor.getJSON(`/api/v1/audit?action=${tag}&page=2&until=${p1.until}`)).body;
  assert.equal(p2.total, 60);
  assert.deepEqual(p2.events.map((e) => e.object_id), Array.from({ length: 10 }, (_, i) => String(10 - i)));
  const fresh = (await auditor.getJSON(`/api/v1/audit?action=${tag}`)).body;
  assert.equal(fresh.total, 65);
  const html = (await (await auditor.get(`/audit?action=${tag}`)).text())
    .replaceAll('&#61;', '=').replaceAll('&amp;', '&');
  assert.ok(html.includes(`/audit?action=${tag}&page=2&until=${fresh.until}`), 'page links keep until');
  assert.ok(html.includes(`/audit.csv?action=${tag}"`), 'the CSV link keeps the filters');
});

test('CSV export: BOM, header, quoting, formula cells defused, itself audited', async () => {
  await ensureSignedIn();
  const tag = `test_csv_${Date.now()}`;
  sql(`INSERT INTO audit_events (action, object_type, object_id, summary, client_addr)
       VALUES ('${tag}', 'test', '=1+2', '{"note": "따옴표 \\" 쉼표, 줄바꿈"}', '@SUM(A1)'),
              ('${tag}', 'test', '+cmd', '{}', '-1')`);
  const rid = `-csv${Date.now()}`;
  const res = await auditor.get(`/audit.csv?action=${tag}`, { 'x-request-id': rid });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
  assert.match(res.headers.get('content-disposition'), /^attachment; filename="gureum-audit-\d{8}-\d{6}\.csv"$/);
  const buf = Buffer.from(await res.arrayBuffer());
  assert.deepEqual([...buf.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const text = buf.subarray(3).toString('utf8');
  const lines = text.split('\r\n');
  assert.equal(lines[0], '"번호","시각(KST)","처리자 번호","처리자","기관 번호","기관","행위","대상 종류",'
    + '"대상 번호","내용","요청 ID","접속 주소","봉인 순번"');
  assert.equal(lines.length, 4, 'header, two rows, final CRLF');
  assert.ok(text.includes(`"'=1+2"`));
  assert.ok(text.includes(`"'+cmd"`));
  assert.ok(text.includes(`"'@SUM(A1)"`));
  assert.ok(text.includes(`"'-1"`));
  assert.ok(text.includes('"{""note"":""따옴표 \\"" 쉼표, 줄바꿈""}"'), 'quotes doubled');

  // The export was recorded, with its request id and filters; exporting
  // that event shows the request id defused too.
  assert.equal(sql(`SELECT summary->>'action' FROM audit_events
    WHERE action = 'audit_exported' AND request_id = '${rid}'`), tag);
  const again = await (await auditor.get(`/audit.csv?action=audit_exported&actor=10`)).text();
  assert.ok(again.includes(`"'${rid}"`));

  const en = await auditor.get(`/audit.csv?action=${tag}`, { 'accept-language': 'en' });
  const enText = (await en.text()).replace(/^\ufeff/, '');
  assert.match(enText.split('\r\n')[0], /^"ID","Time \(KST\)","Actor ID"/);
});

test('an export larger than the limit is refused', async () => {
  await ensureSignedIn();
  const tag = `test_bulk_${Date.now()}`;
  sql(`INSERT INTO audit_events (action) SELECT '${tag}' FROM generate_series(1, 50001)`);
  const r = await auditor.get(`/audit.csv?action=${tag}`, json);
  assert.equal(r.status, 400);
  const body = await r.json();
  assert.equal(body.error.code, 'too_long');
  assert.equal(body.error.field, 'from');
});

test('gureumctl audit seal chains the events and verify finds the chain intact', async () => {
  await ensureSignedIn();
  const seal = ctl('audit', 'seal');
  assert.equal(seal.status, 0, seal.out);
  assert.match(seal.out, /^audit: sealed \d+ events?$/m);
  const v = ctl('audit', 'verify');
  assert.equal(v.status, 0, v.out);
  assert.match(v.out, /^audit: \d+ events, chain intact$/m);
  assert.match(v.out, /^audit: head seq \d+ hash [0-9a-f]{64} /m);
  assert.equal(sql(`SELECT count(*) FROM audit_events e WHERE NOT EXISTS
    (SELECT 1 FROM audit_chain c WHERE c.event_id = e.id)`), '0');
  const { body } = await auditor.getJSON('/api/v1/audit?action=vendor_approved&object=organisation:11');
  assert.equal(body.events[0].sealed, true);
  assert.equal(typeof body.events[0].chain_seq, 'number');
  // A second run has nothing to do; usage errors exit 2.
  assert.match(ctl('audit', 'seal').out, /sealed 0 events/);
  assert.equal(ctl('audit', 'frobnicate').status, 2);
});

test('verify names an altered event, and passes again once it is restored', () => {
  const id = sql(`SELECT e.id FROM audit_events e JOIN audit_chain c ON c.event_id = e.id
    WHERE e.action = 'vendor_approved' AND e.object_id = '11' ORDER BY e.id LIMIT 1`);
  assert.ok(Number(id) > 0);
  const seq = sql(`SELECT seq FROM audit_chain WHERE event_id = ${id}`);
  asOwnerUntriggered('audit_events', `UPDATE audit_events SET action = 'x' WHERE id = ${id}`);
  try {
    const v = ctl('audit', 'verify');
    assert.equal(v.status, 1, v.out);
    assert.match(v.out, new RegExp(`^audit: broken at seq ${seq} \\(event ${id}\\): hash mismatch: event altered$`, 'm'));
  } finally {
    asOwnerUntriggered('audit_events', `UPDATE audit_events SET action = 'vendor_approved' WHERE id = ${id}`);
  }
  const ok = ctl('audit', 'verify');
  assert.equal(ok.status, 0, ok.out);

  // The summary counts too (jsonb text is canonical).
  asOwnerUntriggered('audit_events',
    `UPDATE audit_events SET summary = summary || '{"to": "rejected"}' WHERE id = ${id}`);
  try {
    assert.match(ctl('audit', 'verify').out, new RegExp(`\\(event ${id}\\)`));
  } finally {
    asOwnerUntriggered('audit_events',
      `UPDATE audit_events SET summary = summary || '{"to": "approved"}' WHERE id = ${id}`);
  }
  assert.equal(ctl('audit', 'verify').status, 0);

  // An altered chain hash is told apart from an altered event.
  const hash = sql(`SELECT hash FROM audit_chain WHERE seq = ${seq}`);
  asOwnerUntriggered('audit_chain', `UPDATE audit_chain SET hash = repeat('0', 64) WHERE seq = ${seq}`);
  try {
    const v = ctl('audit', 'verify');
    assert.equal(v.status, 1);
    assert.match(v.out, new RegExp(`broken at seq ${seq} \\(event ${id}\\): hash mismatch: chain hash altered`));
  } finally {
    asOwnerUntriggered('audit_chain', `UPDATE audit_chain SET hash = '${hash}' WHERE seq = ${seq}`);
  }
  assert.equal(ctl('audit', 'verify').status, 0);
});

test('verify reports a deleted event; re-inserting it restores the chain', () => {
  const id = sql(`INSERT INTO audit_events (actor_id, org_id, action, object_type, object_id,
    summary, request_id, client_addr) VALUES (10, 100, 'test_delete', 'test', 'd1',
    '{"n": 1}', 'rid-delete', '127.0.0.1') RETURNING id`);
  assert.equal(ctl('audit', 'seal').status, 0);
  const seq = sql(`SELECT seq FROM audit_chain WHERE event_id = ${id}`);
  assert.ok(Number(seq) > 0, 'sealed');
  const saved = sql(`SELECT row_to_json(e) FROM audit_events e WHERE id = ${id}`);
  asOwnerUntriggered('audit_events', `DELETE FROM audit_events WHERE id = ${id}`);
  try {
    const v = ctl('audit', 'verify');
    assert.equal(v.status, 1, v.out);
    assert.match(v.out, new RegExp(`^audit: broken at seq ${seq} \\(event ${id}\\): event missing \\(deleted\\)$`, 'm'));
  } finally {
    sql(`INSERT INTO audit_events SELECT * FROM
         json_populate_record(NULL::audit_events, '${saved.replace(/'/g, "''")}')`);
  }
  const ok = ctl('audit', 'verify');
  assert.equal(ok.status, 0, ok.out);
});

test('the application role cannot change or delete audit events', () => {
  for (const q of ['UPDATE audit_events SET action = \'x\' WHERE id = 1',
    'DELETE FROM audit_events WHERE id = 1', 'TRUNCATE audit_events',
    'UPDATE audit_chain SET hash = repeat(\'0\', 64) WHERE seq = 1',
    'DELETE FROM audit_chain', 'INSERT INTO audit_chain (seq, event_id, hash) VALUES (999999, 1, repeat(\'0\', 64))']) {
    const r = spawnSync('psql', [APP_DB, '-X', '-qtA', '-v', 'ON_ERROR_STOP=1', '-c', q], { encoding: 'utf8' });
    assert.notEqual(r.status, 0, q);
    assert.match(r.stderr, /permission denied/, q);
  }
  // It may still append and read, which is all the server needs.
  assert.equal(sql('SELECT count(*) > 0 FROM audit_events', APP_DB), 't');
  // And the owner is stopped by the trigger unless it disables it.
  const r = spawnSync('psql', [DB, '-X', '-qtA', '-v', 'ON_ERROR_STOP=1', '-c',
    'DELETE FROM audit_events WHERE id = 1'], { encoding: 'utf8' });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /append-only/);
  assert.equal(ctl('audit', 'verify').status, 0);
});

test('the sealer started beside the server seals new events by itself', async (t) => {
  const pid = `${process.env.STATE_DIR ?? ''}/sealer.pid`;
  if (!process.env.STATE_DIR || !fs.existsSync(pid)) {
    t.skip('no sealer running (not started by tests/run.sh)');
    return;
  }
  const id = sql(`INSERT INTO audit_events (action) VALUES ('test_follow') RETURNING id`);
  let seq = '';
  for (let i = 0; i < 50 && seq === ''; i++) {
    await new Promise((r) => setTimeout(r, 100));
    seq = sql(`SELECT coalesce((SELECT seq::text FROM audit_chain WHERE event_id = ${id}), '')`);
  }
  assert.notEqual(seq, '', 'sealed within 5 seconds');
  assert.equal(ctl('audit', 'verify').status, 0);
});
