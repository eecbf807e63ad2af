// Usage ingestion over HTTP (docs/metering.md): signing keys, every
// whole-batch refusal and per-record code exactly, nothing stored from a
// refused batch, receipts and the chain checked from outside (node:crypto
// Ed25519, b2sum BLAKE2b-256), duplicates with their original receipt,
// concurrent batches on one chain, replay in another order, availability,
// the CSV upload and the pages. Invoices are not merged yet: the
// month_invoiced case writes an issued invoice row as the database owner.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BASE, USERS, signIn } from './lib.mjs';
import { activeContract, call, sql, withdrawTestListings, SAMPLE_PLAN } from './metering-lib.mjs';
import { signingKey, usageApiKey, post, sign, b2, chainNext, verifyReceipt, rec, keyPair } from './usage-lib.mjs';

const RUN = `u${Date.now().toString(36)}`;
const PLAN = {
  dimensions: [...SAMPLE_PLAN.dimensions,
    { code: 'seats', unit_ko: '좌석', unit_en: 'seat', aggregation: 'latest', model: 'per_unit',
      unit_price: '1000', reference_quantity: '10' },
    { code: 'active_users', unit_ko: '사용자', unit_en: 'user', aggregation: 'unique_count', model: 'per_unit',
      unit_price: '500', reference_quantity: '10' }],
  credits: SAMPLE_PLAN.credits,
};
const START = '2026-10-01';
let A;		// active contract of vendor A, tags ops,dev
let other;	// a contract of the other vendor
let draft;	// a contract that takes no usage
let key;	// vendor A's signing key
const now = () => new Date();
const hoursAgo = (h) => new Date(Date.now() - h * 3600e3);

function counts() {
  return sql(`SELECT (SELECT count(*) FROM usage_batches WHERE vendor_id = 1) || ',' ||
    (SELECT count(*) FROM usage_records WHERE vendor_id = 1) || ',' || (SELECT count(*) FROM usage_chain)`);
}

before(async () => {
  A = await activeContract(RUN, 'a', { plan: PLAN, start: START, tags: 'ops,dev' });
  other = await activeContract(RUN, 'o', { plan: PLAN, start: START });
  const nuri = sql("SELECT id FROM organisations WHERE kind = 'vendor' AND id <> 1 ORDER BY id LIMIT 1");
  sql(`UPDATE contracts SET vendor_id = ${nuri} WHERE id = ${other.id}`);
  draft = await activeContract(RUN, 'd', { plan: PLAN, start: START });
  sql(`UPDATE contracts SET status = 'cancelled' WHERE id = ${draft.id}`);
  key = await signingKey(`${RUN} main`);
});

after(() => withdrawTestListings(RUN));

test('the marketplace publishes its public key', async () => {
  const res = await fetch(BASE + '/api/v1/marketplace-keys');
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.algorithm, 'ed25519');
  const cur = body.keys.filter((k) => k.signing);
  assert.equal(cur.length, 1);
  assert.equal(Buffer.from(cur[0].public_key, 'base64').length, 32);
  assert.equal(sql(`SELECT count(*) FROM marketplace_keys WHERE encode(public_key, 'base64') = '${cur[0].public_key}'`), '1');
});

test('signing keys: malformed, duplicate, staff read only, revoke once, other vendors 404', async () => {
  let r = await call('vendor_admin', 'POST', '/api/v1/usage/keys', { name: 'x', public_key: 'not base64' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.code, 'invalid_public_key');
  assert.equal(r.body.error.field, 'public_key');
  r = await call('vendor_admin', 'POST', '/api/v1/usage/keys', { name: 'x',
    public_key: Buffer.alloc(31, 7).toString('base64') });
  assert.equal(r.body.error.code, 'invalid_public_key');
  r = await call('vendor_admin', 'POST', '/api/v1/usage/keys', { name: '', public_key: keyPair().pub });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.code, 'invalid_key_name');
  r = await call('vendor_admin', 'POST', '/api/v1/usage/keys', { name: 'x'.repeat(101), public_key: keyPair().pub });
  assert.equal(r.body.error.code, 'invalid_key_name');
  r = await call('vendor_admin', 'POST', '/api/v1/usage/keys', { name: 'a\nb', public_key: keyPair().pub });
  assert.equal(r.body.error.code, 'invalid_key_name');
  r = await call('vendor_admin', 'POST', '/api/v1/usage/keys', { name: 'again', public_key: key.pub });
  assert.equal(r.status, 409);
  assert.equal(r.body.error.code, 'duplicate_key');
  // The other vendor cannot register the same public key either.
  r = await call('other_vendor_admin', 'POST', '/api/v1/usage/keys', { name: 'mine', public_key: key.pub });
  assert.equal(r.status, 409);
  r = await call('vendor_staff', 'POST', '/api/v1/usage/keys', { name: 'staff', public_key: keyPair().pub });
  assert.equal(r.status, 403);
  r = await call('vendor_staff', 'GET', '/api/v1/usage/keys');
  assert.equal(r.status, 200);
  assert.ok(r.body.keys.some((k) => k.key_id === key.keyId && !k.revoked));
  assert.equal(r.body.can_manage, false);
  r = await call('other_vendor_admin', 'GET', '/api/v1/usage/keys');
  assert.ok(!r.body.keys.some((k) => k.key_id === key.keyId));

  const k2 = await signingKey(`${RUN} rotate`);
  r = await call('other_vendor_admin', 'POST', `/api/v1/usage/keys/${k2.id}/revoke`, {});
  assert.equal(r.status, 404);
  r = await call('vendor_admin', 'POST', `/api/v1/usage/keys/${k2.id}/revoke`, {});
  assert.equal(r.status, 200);
  assert.equal(r.body.outcome, 'revoked');
  r = await call('vendor_admin', 'POST', `/api/v1/usage/keys/${k2.id}/revoke`, {});
  assert.equal(r.status, 409);
  assert.equal(r.body.error.code, 'already_revoked');
  const audit = sql(`SELECT string_agg(action, ',' ORDER BY id) FROM audit_events
    WHERE object_type = 'usage_signing_key' AND object_id = '${k2.id}'`);
  assert.equal(audit, 'usage_key_registered,usage_key_revoked');
});

test('whole-batch refusals have exact codes and store nothing', async () => {
  const good = { records: [rec(`${RUN}-w1`, A.id, 'vcpu_hour', '1', hoursAgo(1))] };
  const before = counts();
  const revoked = await signingKey(`${RUN} revoked`);
  await call('vendor_admin', 'POST', `/api/v1/usage/keys/${revoked.id}/revoke`, {});
  const cases = [
    ['unsigned', 401, await post(key, good, { unsigned: true })],
    ['unsigned', 401, await post(key, good, { headers: { 'gureum-signature': sign(key, JSON.stringify(good)) },
      unsigned: true })],
    ['bad_signature', 401, await post(key, good, { signOver: JSON.stringify(good) + ' ' })],
    ['bad_signature', 401, await post(key, good, { signature: 'AAAA' })],
    ['bad_signature', 401, await post(key, JSON.stringify(good) + '\n', { signOver: JSON.stringify(good) })],
    ['unknown_key', 401, await post(key, good, { keyId: 'usk_0000000000000000' })],
    ['unknown_key', 401, await post(key, good, { keyId: "x' OR '1'='1" })],
    ['revoked_key', 401, await post(revoked, good)],
    ['malformed_json', 400, await post(key, '{"records": [')],
    ['malformed_json', 400, await post(key, '[1,2]')],
    ['malformed_json', 400, await post(key, '{"records": {}}')],
    ['malformed_json', 400, await post(key, '{"records": [], "extra": 1}')],
    ['malformed_json', 400, await post(key, '{"records": [1], "records": [2]}')],
    ['empty', 400, await post(key, { records: [] })],
    ['too_many_records', 400, await post(key, { records: Array.from({ length: 1001 },
      (_, i) => rec(`${RUN}-m${i}`, A.id, 'vcpu_hour', '1', hoursAgo(1))) })],
    ['payload_too_large', 413, await post(key, JSON.stringify({ records: [], pad: 'x'.repeat(1100000) }))],
  ];
  for (const [code, status, r] of cases) {
    assert.equal(r.status, status, `${code}: ${r.text.slice(0, 200)}`);
    assert.equal(r.body.error.code, code, r.text.slice(0, 200));
    assert.ok(r.body.error.message.length > 0);
  }
  // Another vendor's key id is unknown to this vendor.
  const nuriKey = await signingKey(`${RUN} nuri`, 'other_vendor_admin');
  let r = await post(nuriKey, good);
  assert.equal(r.body.error.code, 'unknown_key');
  // A gigantic body: Kore's own limit (4 MiB) answers 413 before us.
  // (curl, as fetch gives up when the server answers before the upload ends).
  const big = path.join(os.tmpdir(), `${RUN}-big.json`);
  fs.writeFileSync(big, 'x'.repeat(5 * 1024 * 1024));
  const st = execFileSync('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-X', 'POST',
    '-H', 'content-type: application/json', '-H', `authorization: Bearer ${await usageApiKey()}`,
    '-H', `gureum-key-id: ${key.keyId}`, '-H', 'gureum-signature: AAAA', '--data-binary', `@${big}`,
    `${BASE}/api/v1/usage`]).toString();
  fs.unlinkSync(big);
  assert.equal(st, '413');
  // Wrong content type, a session, a read-only key.
  r = await post(key, good, { headers: { 'content-type': 'text/plain' } });
  assert.equal(r.status, 415);
  const c = await signIn(USERS.vendor_admin);
  const res = await c.request('/api/v1/usage', { method: 'POST', json: good,
    headers: { accept: 'application/json', 'x-csrf-token': c.csrf } });
  assert.equal(res.status, 403);
  const ro = (await c.postJSON('/org/keys', { name: `${RUN} ro`, scope: 'read' })).body.key;
  r = await post(key, good, { apiKey: ro });
  assert.equal(r.status, 403);
  assert.equal(counts(), before, 'nothing stored from refused batches');
});

test('every record gets its own exact result; accepted ones are stored and chained', async () => {
  const t = hoursAgo(2);
  const records = [
    rec(`${RUN}-ok1`, A.id, 'vcpu_hour', '1.5', t, { allocation: 'ops' }),
    rec(`${RUN}-ok2`, A.id, 'storage_gb_month', 7, t),
    rec(`${RUN}-ok3`, A.id, 'active_users', '1', t, { subject: 'user-1' }),
    rec(`${RUN}-c1`, 99999999, 'vcpu_hour', '1', t),
    rec(`${RUN}-c2`, other.id, 'vcpu_hour', '1', t),
    rec(`${RUN}-c3`, draft.id, 'vcpu_hour', '1', t),
    rec(`${RUN}-c4`, A.id, 'gpu_hour', '1', t),
    rec(`${RUN}-c5`, A.id, 'vcpu_hour', '1', '2026-09-30T14:59:59Z'),
    rec(`${RUN}-c6`, A.id, 'vcpu_hour', '1', new Date(Date.now() + 10 * 60e3)),
    rec(`${RUN}-c7`, A.id, 'vcpu_hour', '-1', t),
    rec(`${RUN}-c8`, A.id, 'vcpu_hour', 'abc', t),
    rec(`${RUN}-c9`, A.id, 'vcpu_hour', '1.1234567', t),
    { record_id: `${RUN}-c10`, contract_id: A.id, dimension: 'vcpu_hour', quantity: 1.5, time: t.toISOString() },
    rec(`${RUN}-c11`, A.id, 'vcpu_hour', '1', 'yesterday'),
    rec(`${RUN}-c12`, A.id, 'active_users', '1', t),
    rec('bad id!', A.id, 'vcpu_hour', '1', t),
    rec(`${RUN}-c14`, A.id, 'vcpu_hour', '1', t, { allocation: '<script>alert(1)</script>' }),
    rec(`${RUN}-c15`, 'abc', 'vcpu_hour', '1', t),
    { ...rec(`${RUN}-c16`, A.id, 'vcpu_hour', '1', t), price: '1' },
    'not an object',
    rec(`${RUN}-c18`, A.id, 'vcpu_hour', '1', t, { allocation: 'a\nb' }),
    rec(`${RUN}-ok4`, A.id, 'vcpu_hour', '0', '2026-09-30T15:00:00Z'),
    rec(`${RUN}-ok5`, A.id, 'seats', '3', new Date(Date.now() + 4 * 60e3)),
    rec(`${RUN}-ok1`, A.id, 'vcpu_hour', '1.50', t, { allocation: 'ops' }),
    rec(`${RUN}-ok2`, A.id, 'storage_gb_month', '8', t),
    rec("x';DROP TABLE usage_records;--", A.id, 'vcpu_hour', '1', t),
  ];
  const want = ['accepted', 'accepted', 'accepted', 'unknown_contract', 'not_your_contract',
    'contract_not_billable', 'unknown_dimension', 'outside_contract_period', 'in_future', 'invalid_quantity',
    'invalid_quantity', 'invalid_quantity', 'invalid_quantity', 'invalid_time', 'subject_required',
    'invalid_record_id', 'unknown_allocation', 'invalid_contract_id', 'invalid_record', 'invalid_record',
    'invalid_allocation', 'accepted', 'accepted', 'duplicate', 'conflict', 'invalid_record_id'];
  const body = JSON.stringify({ records });
  const r = await post(key, body);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.results.map((x) => x.status === 'rejected' ? x.code : x.status), want);
  assert.equal(r.body.accepted, 5);
  assert.equal(r.body.duplicates, 1);
  assert.equal(r.body.rejected, records.length - 6);
  assert.equal(r.body.results[23].original_batch, r.body.batch_id);
  for (const x of r.body.results.filter((y) => y.status === 'rejected'))
    assert.ok(x.message.length > 0);
  // The receipt: signed by the marketplace, the exact body's hash, one
  // new head for contract A, computed from the previous head.
  const rc = r.body.receipt;
  await verifyReceipt(rc);
  assert.equal(rc.body_hash, b2(body));
  assert.equal(rc.accepted, 5);
  assert.equal(rc.heads.length, 1);
  assert.equal(rc.heads[0].contract_id, A.id);
  const prev = rc.heads[0].seq > 1 ? sql(`SELECT encode(head, 'hex') FROM usage_chain
    WHERE contract_id = ${A.id} AND seq = ${rc.heads[0].seq - 1}`) : null;
  assert.equal(rc.heads[0].head, chainNext(prev, rc.body_hash));
  assert.equal(sql(`SELECT encode(head, 'hex') FROM usage_chain WHERE contract_id = ${A.id} ORDER BY seq DESC LIMIT 1`),
    rc.heads[0].head);
  // Stored as sent, canonically: 1.5 vCPU hours in micro-units, Korea-time month.
  assert.equal(sql(`SELECT quantity_micro || ' ' || to_char(month, 'YYYY-MM') || ' ' || allocation
    FROM usage_records WHERE vendor_id = 1 AND record_id = '${RUN}-ok1'`),
    `1500000 ${new Date(t.getTime() + 9 * 3600e3).toISOString().slice(0, 7)} ops`);
  assert.equal(sql(`SELECT to_char(month, 'YYYY-MM') FROM usage_records WHERE vendor_id = 1 AND record_id = '${RUN}-ok4'`),
    '2026-10');
  assert.equal(sql(`SELECT count(*) FROM usage_records WHERE vendor_id = 1 AND record_id LIKE '${RUN}-c%'`), '0');
  assert.equal(sql("SELECT count(*) FROM pg_tables WHERE tablename = 'usage_records'"), '1');
  assert.equal(sql(`SELECT action FROM audit_events WHERE object_type = 'usage_batch' AND object_id = '${r.body.batch_id}'`),
    'usage_batch');

  // Sent again: every accepted record is a duplicate with its original
  // receipt, the rest fail the same way, nothing new is stored.
  const n = sql(`SELECT count(*) FROM usage_records WHERE vendor_id = 1`);
  const again = await post(key, body);
  assert.equal(again.status, 200);
  assert.equal(again.body.accepted, 0);
  assert.deepEqual(again.body.results.map((x) => x.status === 'rejected' ? x.code : x.status),
    want.map((w, i) => (w === 'accepted' || i === 23 ? 'duplicate' : w === 'conflict' ? 'conflict' : w)));
  assert.equal(again.body.results[0].original_batch, r.body.batch_id);
  assert.deepEqual(again.body.original_receipts[String(r.body.batch_id)], rc);
  assert.equal(again.body.receipt.heads.length, 0, 'a batch with nothing new extends no chain');
  assert.equal(sql(`SELECT count(*) FROM usage_records WHERE vendor_id = 1`), n);
  // The same id with another payload later: conflict.
  const cf = await post(key, { records: [rec(`${RUN}-ok3`, A.id, 'active_users', '1', t, { subject: 'user-2' })] });
  assert.equal(cf.body.results[0].code, 'conflict');
});

test('late usage for an ended contract within its period is accepted, after it not', async () => {
  const E = await activeContract(RUN, 'e', { plan: PLAN, start: START, end: '2026-11-30' });
  sql(`UPDATE contracts SET status = 'ended', end_reason = 'expired' WHERE id = ${E.id}`);
  const r = await post(key, { records: [
    rec(`${RUN}-e1`, E.id, 'vcpu_hour', '2', '2026-11-30T14:59:59.999999Z'),
    rec(`${RUN}-e2`, E.id, 'vcpu_hour', '2', '2026-11-30T15:00:00Z')] });
  assert.deepEqual(r.body.results.map((x) => x.code ?? x.status), ['accepted', 'outside_contract_period']);
});

test('concurrent batches on one contract all land on one unbroken chain', async () => {
  const C = await activeContract(RUN, 'cc', { plan: PLAN, start: START });
  const N = 12;
  const bodies = Array.from({ length: N }, (_, b) => JSON.stringify({ records: Array.from({ length: 50 },
    (_, i) => rec(`${RUN}-cc${b}-${i}`, C.id, 'vcpu_hour', '1', hoursAgo(1))) }));
  const rs = await Promise.all(bodies.map((b) => post(key, b)));
  for (const r of rs) {
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.accepted, 50);
  }
  const seqs = rs.map((r) => r.body.receipt.heads[0].seq).sort((a, b) => a - b);
  assert.deepEqual(seqs, Array.from({ length: N }, (_, i) => i + 1));
  // Recompute the chain from the stored batch hashes, in seq order.
  const rows = sql(`SELECT u.seq || ' ' || encode(b.body_hash, 'hex') || ' ' || encode(u.head, 'hex')
    FROM usage_chain u JOIN usage_batches b ON b.id = u.batch_id WHERE u.contract_id = ${C.id} ORDER BY u.seq`)
    .split('\n').map((l) => l.split(' '));
  let h = null;
  for (const [, bh, head] of rows) {
    h = chainNext(h, bh);
    assert.equal(head, h);
  }
  // Each receipt's head is the link of its own batch.
  for (const r of rs) {
    const hd = r.body.receipt.heads[0];
    assert.equal(rows[hd.seq - 1][2], hd.head);
    assert.equal(rows[hd.seq - 1][1], b2(bodies[rs.indexOf(r)]));
  }
  assert.equal(sql(`SELECT sum(quantity_micro) FROM usage_records WHERE contract_id = ${C.id}`), String(N * 50 * 1e6));
});

test('replay: every batch twice and in another order gives identical records and totals', async () => {
  const X = await activeContract(RUN, 'rx', { plan: PLAN, start: START, tags: 'ops,dev' });
  const Y = await activeContract(RUN, 'ry', { plan: PLAN, start: START, tags: 'ops,dev' });
  const base = Date.now() - 3 * 3600e3;
  const batches = (c, p) => Array.from({ length: 4 }, (_, b) => ({ records: Array.from({ length: 25 }, (_, i) => {
    const k = b * 25 + i;
    const t = new Date(base + (k % 7) * 60e3);
    return [rec(`${p}-${k}`, c, 'vcpu_hour', `${(k % 5) + 0.25}`, t, { allocation: k % 2 ? 'ops' : 'dev' }),
      rec(`${p}-${k}`, c, 'storage_gb_month', `${k % 13}`, t),
      rec(`${p}-${k}`, c, 'seats', `${k % 4}`, t),
      rec(`${p}-${k}`, c, 'active_users', '1', t, { subject: `u${k % 9}` })][k % 4];
  }) }));
  for (const b of batches(X.id, `${RUN}-x`))
    assert.equal((await post(key, b)).body.accepted, 25);
  const yb = batches(Y.id, `${RUN}-y`);
  const order = [3, 1, 0, 2, 2, 0, 3, 1];
  for (const i of order)
    assert.equal((await post(key, yb[i])).status, 200);
  for (const b of batches(X.id, `${RUN}-x`).reverse())
    assert.equal((await post(key, b)).body.accepted, 0);
  const snap = (c, p) => sql(`SELECT string_agg(replace(record_id, '${p}', '') || ':' || dimension || ':' ||
    quantity_micro || ':' || usage_at || ':' || allocation || ':' || subject, ',' ORDER BY record_id)
    FROM usage_records WHERE contract_id = ${c}`);
  assert.equal(snap(X.id, `${RUN}-x`), snap(Y.id, `${RUN}-y`));
  const totals = (c) => sql(`SELECT string_agg(q.dimension || '=' || q.quantity_micro, ',') FROM (SELECT DISTINCT month
    FROM usage_records WHERE contract_id = ${c}) m, usage_month_quantities(${c}, m.month) q`);
  assert.equal(totals(X.id), totals(Y.id));
  assert.equal(sql(`SELECT count(*) FROM usage_records WHERE contract_id = ${X.id}`), '100');
  // unique_count counts distinct subjects: 25 records over 9 subjects.
  assert.match(totals(X.id), /active_users=9000000/);
});

test('availability: stored, replaced, refused with exact codes, frozen once invoiced', async () => {
  const path = '/api/v1/usage/availability';
  const m = '2026-11';
  let r = await post(key, { contract_id: A.id, month: m, availability: '99.95' }, { path });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.outcome, 'stored');
  r = await post(key, { contract_id: A.id, month: m, availability: '99.4' }, { path });
  assert.equal(r.body.outcome, 'replaced');
  assert.equal(sql(`SELECT availability_micro FROM usage_availability WHERE contract_id = ${A.id} AND month = '2026-11-01'`),
    '99400000');
  const cases = [
    [400, 'invalid_availability', { contract_id: A.id, month: m, availability: '100.1' }],
    [400, 'invalid_availability', { contract_id: A.id, month: m, availability: 99.5 }],
    [400, 'invalid_month', { contract_id: A.id, month: '2026-13', availability: '99' }],
    [400, 'invalid_contract_id', { contract_id: 'x', month: m, availability: '99' }],
    [400, 'malformed_json', { contract_id: A.id, month: m, availability: '99', extra: 1 }],
    [404, 'unknown_contract', { contract_id: 99999999, month: m, availability: '99' }],
    [403, 'not_your_contract', { contract_id: other.id, month: m, availability: '99' }],
    [409, 'contract_not_billable', { contract_id: draft.id, month: m, availability: '99' }],
    [409, 'outside_contract_period', { contract_id: A.id, month: '2026-09', availability: '99' }],
    [409, 'in_future', { contract_id: A.id, month: '2027-05', availability: '99' }],
  ];
  for (const [status, code, b] of cases) {
    r = await post(key, b, { path });
    assert.equal(r.status, status, `${code}: ${r.text}`);
    assert.equal(r.body.error.code, code);
  }
  r = await post(key, { contract_id: A.id, month: m, availability: '99' }, { path, unsigned: true });
  assert.equal(r.body.error.code, 'unsigned');
  // An issued invoice of that month, written as the owner.
  sql(`INSERT INTO invoices (contract_id, org_id, vendor_id, month, status, seq, number, supply_won, vat_won,
    total_won, fiscal_year, rounding, issued_at) SELECT id, org_id, vendor_id, '2026-10-01', 'issued', 900000 + id,
    'T-' || id, 0, 0, 0, 2026, 'half_up', now() FROM contracts WHERE id = ${A.id}`);
  r = await post(key, { contract_id: A.id, month: '2026-10', availability: '98' }, { path });
  assert.equal(r.status, 409);
  assert.equal(r.body.error.code, 'month_invoiced');
  // Issued invoices refuse DELETE (sql/0021, 0022); the owner lifts the
  // guards inside this one transaction only, to leave no test invoice.
  sql(`BEGIN; ALTER TABLE invoices DISABLE TRIGGER USER;
    DELETE FROM invoices WHERE contract_id = ${A.id};
    ALTER TABLE invoices ENABLE TRIGGER USER; SELECT report_cfy_rebuild(); COMMIT;`);

  // The vendor's form: the page again with the error, the field marked,
  // the input kept; a good report redirects back with a notice.
  const c = await signIn(USERS.vendor_staff);
  let res = await c.post('/vendor/usage/availability', { contract: String(A.id), month: '2026-1', availability: '99.9' });
  assert.equal(res.status, 400);
  let html = await res.text();
  assert.match(html, /id="month"[^>]*value="2026-1"[^>]*aria-invalid="true"/);
  assert.match(html, /id="availability"[^>]*value="99.9"/);
  assert.match(html, new RegExp(`<option value="${A.id}" selected>`));
  res = await c.post('/vendor/usage/availability', { contract: String(other.id), month: m, availability: '99' });
  assert.equal(res.status, 403);
  assert.match(await res.text(), /다른 공급기업의 계약/);
  res = await c.post('/vendor/usage/availability', { contract: String(A.id), month: m, availability: '99.99' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/vendor/usage?done=availability');
  assert.equal(sql(`SELECT availability_micro || ' ' || (reported_by IS NOT NULL) FROM usage_availability
    WHERE contract_id = ${A.id} AND month = '2026-11-01'`), '99990000 true');
});

test('CSV upload: BOM, CRLF, a per-line report in Korean and English, stored as a csv batch', async () => {
  const c = await signIn(USERS.vendor_staff);
  const t = hoursAgo(1).toISOString();
  const csv = '\ufeffrecord_id,contract_id,dimension,quantity,time,allocation,subject\r\n' +
    `${RUN}-csv1,${A.id},vcpu_hour,2,${t},dev,\r\n` +
    `${RUN}-csv2,${A.id},vcpu_hour,-2,${t},,\r\n` +
    `${RUN}-csv3,${A.id},gpu,1,${t},,\r\n` +
    `${RUN}-csv4,${A.id},vcpu_hour,1\r\n` +
    `${RUN}-csv1,${A.id},vcpu_hour,2,${t},dev,\r\n`;
  const up = async (text, lang = 'ko', accept = 'application/json', client = c) => {
    const fd = new FormData();
    fd.append('csrf', client.csrf);
    fd.append('file', new Blob([text], { type: 'text/csv' }), 'usage.csv');
    const res = await fetch(BASE + '/vendor/usage/upload', { method: 'POST', body: fd,
      headers: { cookie: client.cookieHeader(), accept, 'accept-language': lang } });
    const body = await res.text();
    return { status: res.status, body: accept === 'application/json' ? JSON.parse(body) : body };
  };
  let r = await up(csv);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body.results.map((x) => [x.line, x.code ?? x.status]), [[2, 'accepted'],
    [3, 'invalid_quantity'], [4, 'unknown_dimension'], [5, 'invalid_line'], [6, 'duplicate']]);
  assert.match(r.body.results[1].message_ko, /수량/);
  assert.match(r.body.results[1].message_en, /quantity/);
  assert.equal(r.body.receipt.source, 'csv');
  assert.equal(r.body.receipt.body_hash, b2(Buffer.from(csv)));
  await verifyReceipt(r.body.receipt);
  const staff = sql("SELECT id FROM users WHERE email = 'staff@hanbit.example'");
  assert.equal(sql(`SELECT source || ' ' || uploaded_by || ' ' || (signature IS NULL) || ' ' || filename
    FROM usage_batches WHERE id = ${r.body.batch_id}`), `csv ${staff} true usage.csv`);
  // Whole-file refusals: nothing stored.
  const before = counts();
  for (const [text, code] of [['', 'empty'], ['record_id,contract_id\nx,1\n', 'csv_header'],
    ['record_id,contract_id,dimension,quantity,time\n"x,1,d,1,t\n', 'malformed_csv'],
    ['record_id,contract_id,dimension,quantity,time\n', 'empty'],
    ['record_id,contract_id,dimension,quantity,time\n' + Array.from({ length: 1001 }, (_, i) =>
      `${RUN}-big${i},${A.id},vcpu_hour,1,${t}`).join('\n'), 'too_many_records']]) {
    r = await up(text);
    assert.equal(r.status, 400, code);
    assert.equal(r.body.error.code, code);
  }
  assert.equal(counts(), before);
  // The HTML report, in English and Korean, escapes what the file held.
  const evil = 'record_id,contract_id,dimension,quantity,time\n' +
    `<script>alert(1)</script>,${A.id},vcpu_hour,1,${t}\n${RUN}-html1,${A.id},vcpu_hour,1,${t}\n`;
  r = await up(evil, 'en', 'text/html');
  assert.equal(r.status, 200);
  assert.ok(!r.body.includes('<script>alert(1)'));
  assert.match(r.body, /&lt;script&gt;/);
  assert.match(r.body, /record_id must be 1 to 64/);
  assert.match(r.body, /data-count="accepted">1</);
  r = await up(`record_id,contract_id,dimension,quantity,time\n${RUN}-html1,${A.id},vcpu_hour,1,${t}\n`, 'ko', 'text/html');
  assert.match(r.body, /중복/);
  // Missing CSRF is refused.
  const fd = new FormData();
  fd.append('file', new Blob([csv]), 'x.csv');
  const res = await fetch(BASE + '/vendor/usage/upload', { method: 'POST', body: fd,
    headers: { cookie: c.cookieHeader(), accept: 'application/json' } });
  assert.equal(res.status, 403);
});

test('pages: the vendor sees batches and totals, the parties the contract usage, others 404', async () => {
  const v = await call('vendor_staff', 'GET', '/api/v1/usage');
  assert.equal(v.status, 200);
  assert.ok(v.body.batches.length > 0);
  assert.ok(v.body.batches[0].receipt.signature);
  assert.ok(v.body.totals.some((t) => t.contract_id === A.id && t.dimension === 'vcpu_hour'));
  assert.ok(v.body.active_keys >= 1);
  const ov = await call('other_vendor_admin', 'GET', '/api/v1/usage');
  assert.ok(!ov.body.batches.some((b) => v.body.batches.some((x) => x.id === b.id)));
  const bid = v.body.batches[0].id;
  assert.equal((await call('vendor_admin', 'GET', `/api/v1/usage/batches/${bid}`)).status, 200);
  assert.equal((await call('other_vendor_admin', 'GET', `/api/v1/usage/batches/${bid}`)).status, 404);

  for (const who of ['buyer', 'buyer_approver', 'vendor_admin', 'auditor']) {
    const r = await call(who, 'GET', `/api/v1/usage/contracts/${A.id}?month=2026-10`);
    assert.equal(r.status, 200, who);
    assert.equal(r.body.month, '2026-10');
    assert.ok(r.body.chain.seq >= 1);
    assert.equal(r.body.chain.head, sql(`SELECT encode(head, 'hex') FROM usage_chain WHERE contract_id = ${A.id}
      ORDER BY seq DESC LIMIT 1`));
  }
  for (const who of ['other_buyer', 'other_vendor_admin'])
    assert.equal((await call(who, 'GET', `/api/v1/usage/contracts/${A.id}`)).status, 404);
  const bad = await call('buyer', 'GET', `/api/v1/usage/contracts/${A.id}?month=2026-1x`);
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, 'month');
  // Daily totals per dimension and allocation tag.
  const day = await call('buyer', 'GET', `/api/v1/usage/contracts/${A.id}`);
  assert.ok(day.body.days.some((d) => d.dimension === 'vcpu_hour' && d.allocation === 'ops'));
  const b = await signIn(USERS.buyer);
  for (const [lang, word] of [['ko', '일별 사용량'], ['en', 'Daily usage']]) {
    const html = await (await b.get(`/contracts/${A.id}/usage`, { 'accept-language': lang })).text();
    assert.match(html, new RegExp(word));
  }
  const vs = await signIn(USERS.vendor_admin);
  for (const p of ['/vendor/usage', '/vendor/usage-keys', '/vendor/usage/upload', `/vendor/usage/batches/${bid}`]) {
    const res = await vs.get(p);
    assert.equal(res.status, 200, p);
    const html = await res.text();
    assert.ok(!html.includes('{{'), p);
  }
});

test('the key form keeps input and marks the field; names are escaped', async () => {
  const c = await signIn(USERS.vendor_admin);
  let res = await c.post('/vendor/usage-keys', { name: '<b>x</b>', public_key: 'zzz' });
  assert.equal(res.status, 400);
  let html = await res.text();
  assert.match(html, /value="zzz"/);
  assert.match(html, /aria-invalid="true"/);
  assert.match(html, /&lt;b&gt;x&lt;\/b&gt;/);
  const kp = keyPair();
  res = await c.post('/vendor/usage-keys', { name: `<i>${RUN}</i>`, public_key: kp.pub });
  assert.equal(res.status, 303);
  html = await (await c.get('/vendor/usage-keys')).text();
  assert.match(html, new RegExp(`&lt;i&gt;${RUN}&lt;/i&gt;`));
  res = await c.post('/vendor/usage-keys', { name: 'dup', public_key: kp.pub });
  assert.equal(res.status, 409);
  res = await c.request('/vendor/usage-keys', { method: 'POST', form: { name: 'x', public_key: kp.pub, csrf: 'bad' } });
  assert.equal(res.status, 403);
});
