// Set-up for the invoice tests (integration and browser): usage written
// directly as the database owner and the month close run as a command.
//
// Usage is written with psql rather than through POST /api/v1/usage so
// that records can be dated anywhere in a past contract period and many
// cases set up quickly; ingestion itself is tested in usage.test.mjs and
// the journey through it in metering_journey.test.mjs. The month close is
// `gureumctl close-month`, run as operations would run it.

import { execFileSync, spawnSync } from 'node:child_process';
import { sql, newListing, activeContract } from './metering-lib.mjs';
import { b2 } from './evidence-lib.mjs';

const CTL = new URL('../../build/gureumctl', import.meta.url).pathname;

// Runs `gureumctl close-month MONTH [--now NOW]`; returns {status, stdout,
// stderr}. env adds variables (GUREUM_CLOSE_CRASH_AFTER).
export function closeMonth(month, now, env = {}) {
  const args = ['close-month', month];
  if (now)
    args.push('--now', now);
  const r = spawnSync(CTL, args, { encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

let batchSeq = 0;

// Stores usage records of a contract in one batch. records: [{dimension,
// quantity (a decimal string), at (an ISO time), allocation, subject}].
// The batch is stored as a CSV upload by the vendor's admin would be
// (sql/0020_usage.sql: no vendor signature) and extends the contract's
// hash chain as ingestion does, h_n = BLAKE2b-256(h_{n-1} || body_hash),
// so the month close's invoices can be sealed (docs/evidence.md).
export function addUsage(run, contract, records, vendor = 1) {
  if (records.length === 0)
    return;
  const admin = vendor === 1 ? 5 : 7;
  const body = Buffer.from(`inv-${run}-${contract}-${++batchSeq}`);
  const bodyHash = b2(body);
  const batch = Number(sql(`INSERT INTO usage_batches (vendor_id, body_hash, source, uploaded_by, filename,
    records, accepted) VALUES (${vendor}, '\\x${bodyHash}', 'csv', ${admin}, 'invoice-test.csv',
    ${records.length}, ${records.length}) RETURNING id`));
  const prev = sql(`SELECT seq || ' ' || encode(head, 'hex') FROM usage_chain WHERE contract_id = ${contract}
    ORDER BY seq DESC LIMIT 1`);
  const [pseq, phead] = prev ? prev.split(' ') : ['0', '00'.repeat(32)];
  const head = b2(Buffer.from(phead + bodyHash, 'hex'));
  sql(`INSERT INTO usage_chain (contract_id, seq, batch_id, head) VALUES (${contract}, ${Number(pseq) + 1},
    ${batch}, '\\x${head}')`);
  const rows = records.map((r, i) => {
    const q = String(r.quantity);
    const [w, f = ''] = q.split('.');
    const micro = BigInt(w) * 1000000n + BigInt((f + '000000').slice(0, 6));
    const rid = `inv-${run}-${batch}-${i}`;
    return `(${vendor}, '${rid}', ${contract}, '${r.dimension}', ${micro}, '${r.at}'::timestamptz,
      date_trunc('month', '${r.at}'::timestamptz AT TIME ZONE 'Asia/Seoul')::date,
      '${(r.allocation ?? '').replaceAll("'", "''")}', sha256('${rid}'::bytea), ${batch},
      '${r.subject ?? ''}')`;
  });
  sql(`INSERT INTO usage_records (vendor_id, record_id, contract_id, dimension, quantity_micro, usage_at,
    month, allocation, payload_hash, batch_id, subject) VALUES ${rows.join(',')}`);
}

// The month's availability a vendor reports (micro-percent from a decimal).
export function setAvailability(contract, month, percent, user = 5) {
  const [w, f = ''] = String(percent).split('.');
  const micro = BigInt(w) * 1000000n + BigInt((f + '000000').slice(0, 6));
  sql(`INSERT INTO usage_availability (contract_id, month, availability_micro, reported_by)
    VALUES (${contract}, '${month}-01', ${micro}, ${user})
    ON CONFLICT (contract_id, month) DO UPDATE SET availability_micro = EXCLUDED.availability_micro`);
}

// A contract of agency A with vendor 2 (누리소프트), copied from one of
// vendor 1's as the owner: the contract steps over the API are vendor
// 1's in metering-lib, and only the vendor matters to these tests.
export async function vendor2Contract(run, tag, plan, opts) {
  const base = await activeContract(run, `${tag}-base`, { ...opts, plan });
  const listing = newListing(run, tag, plan, 2);
  sql(`INSERT INTO listing_versions (listing_id, version, document, rate_plan, reason)
    SELECT ${listing}, 1, '{}', rate_plan, 'test' FROM listings WHERE id = ${listing}`);
  const id = Number(sql(`INSERT INTO contracts (org_id, vendor_id, listing_id, listing_version, rate_plan,
    system_id, decision_id, title, start_date, end_date, ceiling_won, status, client_token, created_by,
    activated_at) SELECT org_id, 2, ${listing}, 1, rate_plan, system_id, decision_id, title || ' (V2)',
    start_date, end_date, ceiling_won, 'active', 'v2-' || client_token, created_by, now()
    FROM contracts WHERE id = ${base.id} RETURNING id`));
  // The copy's original stays out of the tests' months.
  sql(`UPDATE contracts SET status = 'cancelled' WHERE id = ${base.id}`);
  return { id, listing };
}

// The invoice of a contract and month with its lines, as the owner sees it.
export function invoiceOf(contract, month) {
  const j = sql(`SELECT row_to_json(x) FROM (SELECT i.id, i.status, i.number, i.seq, i.supply_won,
    i.vat_won, i.total_won, i.calc, (SELECT coalesce(json_agg(json_build_object('line_no', l.line_no,
    'kind', l.kind, 'dimension', l.dimension, 'amount_won', l.amount_won, 'adjusts_month',
    to_char(l.adjusts_month, 'YYYY-MM'), 'label_ko', l.label_ko, 'breakdown', l.breakdown)
    ORDER BY l.line_no), '[]') FROM invoice_lines l WHERE l.invoice_id = i.id) AS lines
    FROM invoices i WHERE i.contract_id = ${contract} AND i.month = '${month}-01'
    AND i.kind = 'invoice') x`);
  return j ? JSON.parse(j) : null;
}

export { sql };
