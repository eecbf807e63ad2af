// Set-up shared by the evidence tests (tests/integration/evidence.test.mjs,
// tests/browser/evidence.test.mjs): a marketplace key of the test run,
// usage batches chained per contract, and issued invoices with their
// lines. Usage and invoices are written directly as the database owner,
// with the columns of sql/0019_metering.sql, the way ingestion (USAGE)
// and the month close (INVOICE) write them: those features are built on
// other branches.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { activeContract, sql } from './metering-lib.mjs';
import { USERS } from './lib.mjs';

export const CTL = path.resolve('build/gureumctl');

export function b2(buf) {
  return execFileSync('b2sum', ['-l', '256'], { input: buf }).toString().split(' ')[0];
}

export const hx = (b) => `'\\x${Buffer.isBuffer(b) ? b.toString('hex') : b}'`;

// The marketplace key the tests seal with: the configured one
// ($GUREUM_SIGNING_KEY, when conf/env.sh sets it and the file exists; a
// background `seal-invoices --follow` then uses it too), or else a new key
// file under dir in app/sign.h's format. Its public key is registered in
// marketplace_keys as gureumctl keygen (USAGE) does.
export function marketplaceKey(dir) {
  fs.mkdirSync(dir, { recursive: true });
  let file = process.env.GUREUM_SIGNING_KEY;
  let seed;
  if (file && fs.existsSync(file)) {
    seed = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
  } else {
    seed = crypto.randomBytes(32);
    file = path.join(dir, 'marketplace.key');
    fs.writeFileSync(file, `${seed.toString('hex')}\n`, { mode: 0o600 });
  }
  assert.equal(seed.length, 32);
  const priv = crypto.createPrivateKey({ key: Buffer.concat([
    Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
  const der = crypto.createPublicKey(priv).export({ format: 'der', type: 'spki' });
  const pub = der.subarray(-32);
  sql(`INSERT INTO marketplace_keys (public_key) VALUES (${hx(pub)}) ON CONFLICT DO NOTHING`);
  return { file, der, pub, pub64: pub.toString('base64') };
}

// Waits (up to 15 s) until every invoice of ids has its seal: whoever
// sealed it, this test's run or the background sealer.
export async function waitSealed(ids) {
  for (let i = 0; i < 150; i++) {
    if (sql(`SELECT count(*) FROM invoices WHERE id IN (${ids.join(',')}) AND bundle IS NOT NULL`) ===
      String(ids.length))
      return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`invoices ${ids} were not sealed`);
}

// gureumctl seal-invoices with that key: { status, out }.
export function seal(keyfile, env = {}) {
  const r = spawnSync(CTL, ['seal-invoices'], { encoding: 'utf8',
    env: { ...process.env, GUREUM_SIGNING_KEY: keyfile, ...env } });
  return { status: r.status, out: r.stdout + r.stderr };
}

let vendorDigits;
let signingKey;
let adminId;
let csv;

// Whether usage_batches has ingestion's CSV columns (sql/0020_usage.sql).
function csvBatches() {
  if (csv === undefined)
    csv = sql(`SELECT count(*) FROM information_schema.columns WHERE table_name = 'usage_batches'
      AND column_name = 'uploaded_by'`) === '1';
  return csv;
}

function vendorSetup(run) {
  if (signingKey)
    return;
  const admin = Number(sql(`SELECT id FROM users WHERE email = '${USERS.vendor_admin}'`));
  adminId = admin;
  vendorDigits = sql('SELECT replace(biz_no, \'-\', \'\') FROM organisations WHERE id = 1');
  signingKey = Number(sql(`INSERT INTO usage_signing_keys (org_id, key_id, public_key, name, created_by)
    VALUES (1, 'ev-${run}', ${hx(crypto.randomBytes(32))}, 'evidence test', ${admin}) RETURNING id`));
}

// Batches of records for a contract of vendor 1, chained as ingestion
// does: head_n = BLAKE2b-256(head_{n-1} || body_hash), head_0 = 32 zero
// bytes. batch([[dimension, quantity, time], ...]) returns the new head.
export function chain(run, contract) {
  vendorSetup(run);
  let head = Buffer.alloc(32);
  let seq = 0;
  return {
    batch(records) {
      const body = Buffer.from(JSON.stringify({ run, contract, seq, records }));
      const bodyHash = Buffer.from(b2(body), 'hex');
      // With ingestion's migration (0020) an API batch needs its API key;
      // a CSV upload by the vendor's admin needs neither key nor signature.
      const batch = Number(sql(csvBatches()
        ? `INSERT INTO usage_batches (vendor_id, body_hash, source, uploaded_by, filename, records, accepted)
          VALUES (1, ${hx(bodyHash)}, 'csv', ${adminId}, 'evidence-${run}.csv', ${records.length},
          ${records.length}) RETURNING id`
        : `INSERT INTO usage_batches (vendor_id, signing_key_id, body_hash, signature, records, accepted)
          VALUES (1, ${signingKey}, ${hx(bodyHash)}, ${hx(crypto.randomBytes(64))}, ${records.length},
          ${records.length}) RETURNING id`));
      head = Buffer.from(b2(Buffer.concat([head, bodyHash])), 'hex');
      seq++;
      sql(`INSERT INTO usage_chain (contract_id, seq, batch_id, head) VALUES (${contract}, ${seq}, ${batch},
        ${hx(head)})`);
      records.forEach(([dim, qty, at], i) => {
        sql(`INSERT INTO usage_records (vendor_id, record_id, contract_id, dimension, quantity_micro, usage_at,
          month, payload_hash, batch_id) VALUES (1, '${run}-${contract}-${seq}-${i}', ${contract}, '${dim}',
          ${Math.round(qty * 1e6)}, '${at}', date_trunc('month', timestamptz '${at}' AT TIME ZONE 'Asia/Seoul')::date,
          ${hx(crypto.randomBytes(32))}, ${batch})`);
      });
      return head.toString('hex');
    },
  };
}

// An issued invoice or credit note (or a draft) with its lines, numbered
// in vendor 1's gapless sequence, as the month close issues it.
export function issue(run, { contract, month, kind = 'invoice', corrects = null, lines, supply, vat, total,
  availability = null, head = null, status = 'issued' }) {
  vendorSetup(run);
  const seq = status === 'draft' ? null : Number(sql(`INSERT INTO invoice_sequences (vendor_id, last_seq)
    VALUES (1, 1) ON CONFLICT (vendor_id) DO UPDATE SET last_seq = invoice_sequences.last_seq + 1
    RETURNING last_seq`));
  const number = seq === null ? 'NULL' : `'${vendorDigits}-${month.slice(0, 4)}-${String(seq).padStart(6, '0')}'`;
  // The invoice and its lines as a draft, then issued, in one
  // transaction (psql -c runs both statements as one): the month close's
  // guard (0021) refuses lines added to an invoice that is not a draft,
  // and a background sealer never sees an issued invoice without lines.
  const values = lines.map((l, i) => `(${i + 1}, '${l.kind}', ${l.dimension ? `'${l.dimension}'` : 'NULL'}::text,
    ${l.quantity === undefined ? 'NULL' : Math.round(l.quantity * 1e6)}::bigint, ${l.amount}::bigint,
    ${l.adjusts ? `'${l.adjusts}-01'` : 'NULL'}::date, '${l.ko.replaceAll("'", "''")}', '${l.en}')`).join(',\n');
  // psql prints the result of each statement: the id is the last line.
  const id = Number(sql(`WITH i AS (INSERT INTO invoices (kind, contract_id, org_id, vendor_id, month,
    corrects_id, status, supply_won, vat_won, total_won, fiscal_year, rounding,
    availability_micro, usage_head) SELECT '${kind}', c.id, c.org_id, c.vendor_id, '${month}-01',
    ${corrects ?? 'NULL'}, 'draft', ${supply}, ${vat}, ${total},
    ${month.slice(0, 4)}, c.rounding, ${availability === null ? 'NULL' : Math.round(availability * 1e6)},
    ${head ? hx(head) : 'NULL'} FROM contracts c
    WHERE c.id = ${contract} RETURNING id),
    l AS (INSERT INTO invoice_lines (invoice_id, line_no, kind, dimension, quantity_micro, amount_won,
    adjusts_month, label_ko, label_en) SELECT i.id, v.* FROM i, (VALUES ${values}) AS v RETURNING 1)
    SELECT id FROM i;
    ${status === 'draft' ? "SELECT currval(pg_get_serial_sequence('invoices', 'id'))" :
    `UPDATE invoices SET status = '${status}', seq = ${seq}, number = ${number}, issued_at = now()
    WHERE id = currval(pg_get_serial_sequence('invoices', 'id')) RETURNING id`}`).split('\n').pop());
  return id;
}

// Contract tag of agency A and vendor A (metering-lib's SAMPLE_PLAN) from
// 2026-10-11 (21 of October's 31 days), with usage and four invoices:
// October, November (with prior-period adjustments), a credit note for
// October, and December as a draft. Returns { contract, inv }.
export async function sampleInvoices(run, tag) {
  const c = await activeContract(run, tag, { start: '2026-10-11', end: '2027-12-31' });
  const ch = chain(run, c.id);
  // Batch 1: vCPU 10 + 11 h, storage 8 GB; batch 2: storage 12.5 GB
  // (max 12.5); batch 3 arrives after October closed at head 2: 5 more
  // vCPU hours for October (late) and 4 for November.
  ch.batch([['vcpu_hour', 10, '2026-10-12T01:00:00Z'], ['vcpu_hour', 11, '2026-10-20T01:00:00Z'],
    ['storage_gb_month', 8, '2026-10-15T00:00:00Z']]);
  const headOct = ch.batch([['storage_gb_month', 12.5, '2026-10-31T14:00:00Z']]);
  const headNov = ch.batch([['vcpu_hour', 5, '2026-10-31T10:00:00Z'], ['vcpu_hour', 4, '2026-11-03T00:00:00Z']]);
  const inv = {};
  // October: vCPU 21 h graduated = 10x10+2 + 10x5+3 + 1x5+3 = 163;
  // storage 12.5 x 100.5 = 1,256.25 -> 1,256; availability 99.4% is
  // below 99.5% -> 10% of 1,419 = 141.9 -> -142. 공급가액 1,277,
  // 부가세 127, 합계 1,404.
  inv.oct = issue(run, { contract: c.id, month: '2026-10', availability: 99.4, head: headOct,
    supply: 1277, vat: 127, total: 1404, lines: [
      { kind: 'usage', dimension: 'vcpu_hour', quantity: 21, amount: 163, ko: 'vCPU시간', en: 'vCPU hour' },
      { kind: 'usage', dimension: 'storage_gb_month', quantity: 12.5, amount: 1256, ko: 'GB월', en: 'GB-month' },
      { kind: 'sla_credit', amount: -142, ko: 'SLA 크레딧', en: 'SLA credit' }] });
  // November: vCPU 4 h = 4x10+2 = 42; storage 0; October re-rated with
  // the late 5 h: 26 h = 188 (+25), its credit 10% of 1,444 = -144 (-2).
  // 공급가액 65, 부가세 6, 합계 71.
  inv.nov = issue(run, { contract: c.id, month: '2026-11', head: headNov, supply: 65, vat: 6, total: 71, lines: [
    { kind: 'usage', dimension: 'vcpu_hour', quantity: 4, amount: 42, ko: 'vCPU시간', en: 'vCPU hour' },
    { kind: 'usage', dimension: 'storage_gb_month', quantity: 0, amount: 0, ko: 'GB월', en: 'GB-month' },
    { kind: 'adjustment', dimension: 'vcpu_hour', quantity: 26, amount: 25, adjusts: '2026-10',
      ko: '전월 사용량 조정', en: 'prior-period adjustment' },
    { kind: 'adjustment', amount: -2, adjusts: '2026-10', ko: '전월 SLA 크레딧 조정',
      en: 'prior-period SLA credit' }] });
  // A credit note for 100 won of October's vCPU line: -100, VAT -10.
  inv.cn = issue(run, { contract: c.id, month: '2026-10', kind: 'credit_note', corrects: inv.oct,
    supply: -100, vat: -10, total: -110, lines: [
      { kind: 'credit', dimension: 'vcpu_hour', amount: -100, ko: '이의 인정 <b>감액</b>', en: 'dispute upheld' }] });
  // December, still a draft.
  inv.draft = issue(run, { contract: c.id, month: '2026-12', status: 'draft', supply: 2, vat: 0, total: 2, lines: [
    { kind: 'usage', dimension: 'vcpu_hour', quantity: 0, amount: 2, ko: 'vCPU시간', en: 'vCPU hour' },
    { kind: 'usage', dimension: 'storage_gb_month', quantity: 0, amount: 0, ko: 'GB월', en: 'GB-month' }] });
  assert.ok(inv.oct && inv.nov && inv.cn && inv.draft);
  return { contract: c, inv };
}
