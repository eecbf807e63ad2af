// Shared set-up for the metering, invoice and report tests: an active
// contract between agency A (buyer@mois.go.kr) and vendor A (Hanbit,
// organisation 1) on a listing made here with a given rate plan, taken
// through the real contract steps over the API (draft, submit, approve,
// accept). A contract period in the past (to close a month that is over)
// cannot be drafted through the API, which refuses past start dates, so
// the dates are moved afterwards as the database owner, as a migration of
// old contracts would.
//
// Listings made here carry external_ref 'gen:mtest:<run>:…'; call
// withdrawTestListings(run) in after() so the demo catalog stays as the
// other test files expect (22 published listings).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { BASE, USERS, apiToken } from './lib.mjs';

const DB = process.env.GUREUM_DATABASE;

export function sql(q) {
  return execFileSync('psql', ['-X', '-qtA', '-v', 'ON_ERROR_STOP=1', '-d', DB, '-c', q],
    { encoding: 'utf8' }).trim();
}

const tokens = {};

// who: a demo role (a key of USERS) or an account's e-mail address.
export async function token(who) {
  if (!tokens[who])
    tokens[who] = await apiToken(USERS[who] ?? who);
  return tokens[who];
}

// A JSON API call as who (see token()) or anonymously (null).
export async function call(who, method, path, body, headers = {}) {
  const h = { accept: 'application/json', ...headers };
  if (who)
    h.authorization = `Bearer ${await token(who)}`;
  let payload;
  if (body !== undefined) {
    if (typeof body === 'string' || body instanceof Uint8Array) {
      payload = body;
    } else {
      h['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    if (!h['content-type'])
      h['content-type'] = 'application/json';
  }
  const res = await fetch(BASE + path, { method, headers: h, body: payload, redirect: 'manual' });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = text; }
  return { status: res.status, body: json, text, headers: res.headers };
}

// The plan of billing.md's examples: one graduated dimension with flat
// fees and charge_at_zero, one per-unit dimension, an SLA schedule.
export const SAMPLE_PLAN = {
  dimensions: [
    { code: 'vcpu_hour', unit_ko: 'vCPU시간', unit_en: 'vCPU hour', aggregation: 'sum',
      model: 'graduated', charge_at_zero: true, reference_quantity: '720',
      tiers: [{ up_to: '10', unit_price: '10', flat_fee: '2' },
        { up_to: '20', unit_price: '5', flat_fee: '3' },
        { up_to: null, unit_price: '5', flat_fee: '3' }] },
    { code: 'storage_gb_month', unit_ko: 'GB월', unit_en: 'GB-month', aggregation: 'max',
      model: 'per_unit', unit_price: '100.5', reference_quantity: '100' },
  ],
  credits: [{ below: '99.5', share: '10' }, { below: '99', share: '25' }, { below: '95', share: '50' }],
};

// Makes a published listing of vendor 1 with that plan and a valid CSAP
// certificate; returns its id.
export function newListing(run, tag, plan = SAMPLE_PLAN, vendor = 1) {
  const p = JSON.stringify(plan).replaceAll("'", "''");
  const id = Number(sql(`INSERT INTO listings (vendor_id, service_type, name_ko, name_en, status,
    external_ref, rate_plan) VALUES (${vendor}, 'iaas', '계량 시험 ${tag} ${run}',
    'Metering test ${tag} ${run}', 'published', 'gen:mtest:${run}:${tag}', '${p}') RETURNING id`));
  sql(`INSERT INTO certificates (vendor_id, listing_id, scheme, csap_type, grade, issue_date,
    expiry_date, status, external_ref) VALUES (${vendor}, ${id}, 'csap', 'iaas', 'high',
    '2025-01-01', '2028-12-31', 'valid', 'gen:mtest:${run}:cert:${tag}')`);
  return id;
}

// An active contract of agency A with vendor A on a new listing. Options:
// plan, ceiling_won, start/end (YYYY-MM-DD, may be in the past), tags
// (comma-separated allocation tags), rounding, fy_split.
export async function activeContract(run, tag, opts = {}) {
  const listing = newListing(run, tag, opts.plan ?? SAMPLE_PLAN);
  const s = await call('buyer', 'POST', '/api/v1/systems', { name: `계량 시스템 ${tag} ${run}`,
    nature: 'citizen', csap_grade: 'mid' });
  assert.equal(s.status, 201, s.text);
  const today = new Date(Date.now() + 9 * 3600e3).toISOString().slice(0, 10);
  const d = await call('buyer', 'POST', '/api/v1/eligibility', { system: s.body.id, listing, start: today });
  assert.equal(d.body.outcome, 'eligible', d.text);
  const body = { decision: d.body.id, title: `계량 계약 ${tag} ${run}`, start: today,
    end: opts.end && opts.end > today ? opts.end : '2027-12-31', ceiling_won: opts.ceiling_won ?? 100000000 };
  if (opts.tags)
    body.tags = opts.tags;
  if (opts.rounding)
    body.rounding = opts.rounding;
  const c = await call('buyer', 'POST', '/api/v1/contracts', body);
  assert.equal(c.status, 201, c.text);
  const id = c.body.contract_id;
  for (const [who, step] of [['buyer', 'submit'], ['buyer_approver', 'approve'], ['vendor_admin', 'accept']]) {
    const r = await call(who, 'POST', `/api/v1/contracts/${id}/step`, { step });
    assert.equal(r.status, 200, `${step}: ${r.text}`);
  }
  if (opts.start || opts.end || opts.fy_split) {
    const sets = [];
    if (opts.start)
      sets.push(`start_date = '${opts.start}'`);
    if (opts.end)
      sets.push(`end_date = '${opts.end}'`);
    if (opts.fy_split)
      sets.push(`fy_split = '${JSON.stringify(opts.fy_split)}'`);
    sql(`UPDATE contracts SET ${sets.join(', ')} WHERE id = ${id}`);
  }
  return { id, listing };
}

export function withdrawTestListings(run) {
  sql(`UPDATE listings SET status = 'withdrawn' WHERE external_ref LIKE 'gen:mtest:${run}:%'`);
}

export { BASE, USERS };
