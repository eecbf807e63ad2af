// Reports, transparency and the usage-record certificate (docs/reports.md),
// over HTTP against the real server.
//
// The reconciliation tests run bench/ledger.sql (a year of contracts and
// invoices on generated agencies and a generated, withdrawn catalog) as
// the database owner and remove it again in after(). INVOICE's month close
// is built in parallel, so invoices for agency A's own contract are also
// written directly as the owner, as the month close would have issued them.
// Every expected figure is computed here with its own SQL over the
// invoices table, not through report_ledger().

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { BASE, USERS, signIn } from './lib.mjs';
import { sql, call, activeContract, withdrawTestListings } from './metering-lib.mjs';

const DB = process.env.GUREUM_DATABASE;
const RUN = `r${process.pid}`;
const YEAR = 2025;
const INVOICED = "status IN ('issued', 'accepted', 'disputed', 'paid')";
const IN_YEAR = `month >= '${YEAR}-01-01' AND month < '${YEAR + 1}-01-01'`;

function ledger(drop = 0) {
  execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', DB, '-v', 'contracts=300',
    '-v', `year=${YEAR}`, '-v', 'seed=7', '-v', `drop=${drop}`, '-f',
    new URL('../../bench/ledger.sql', import.meta.url).pathname], { encoding: 'utf8' });
}

const num = (q) => Number(sql(q));

// Parses our CSV (a UTF-8 BOM, quoted cells, CRLF) into objects by header.
async function csv(res) {
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.equal(bytes.subarray(0, 3).toString('hex'), 'efbbbf', 'starts with a BOM');
  const lines = bytes.subarray(3).toString('utf8').split('\r\n').filter((l) => l !== '');
  // Text cells are quoted, numbers are not.
  const cells = (l) => [...l.matchAll(/(?:^|,)(?:"((?:[^"]|"")*)"|([^,"]*))/g)]
    .map((m) => (m[1] !== undefined ? m[1].replaceAll('""', '"') : m[2]));
  const head = cells(lines[0]);
  return lines.slice(1).map((l) => Object.fromEntries(cells(l).map((v, i) => [head[i], v])));
}

const sum = (rows, k) => rows.reduce((s, r) => s + Number(r[k] ?? 0), 0);

let contract;

before(async () => {
  ledger();
  // Agency A's own contract with two issued months and a draft, for the
  // certificate and the agency's slice (INVOICE not merged: owner rows).
  contract = await activeContract(RUN, 'rpt', { start: `${YEAR}-03-01`, end: `${YEAR + 1}-02-28` });
  for (const [m, supply, status] of [['03', 1234567, 'issued'], ['04', 2000000, 'paid'], ['05', 999, 'draft']]) {
    const vat = Math.floor(supply / 10);
    const seq = status === 'draft' ? 'NULL' : `invoice_take_seq(1, 1)`;
    sql(`INSERT INTO invoices (contract_id, org_id, vendor_id, month, status, seq, number, supply_won, vat_won,
      total_won, fiscal_year, rounding, issued_at) SELECT id, org_id, vendor_id, '${YEAR}-${m}-01', '${status}',
      ${seq}, CASE WHEN '${status}' = 'draft' THEN NULL ELSE 'T-${RUN}-${m}' END, ${supply}, ${vat},
      ${supply + vat}, ${YEAR}, 'half_up', CASE WHEN '${status}' = 'draft' THEN NULL ELSE now() END
      FROM contracts WHERE id = ${contract.id}`);
  }
});

after(() => {
  ledger(1);
  withdrawTestListings(RUN);
});

test('spend: every breakdown sums to the total, and the total is the invoice ledger to the won', async () => {
  const r = await call('auditor', 'GET', `/api/v1/reports/spend?fy=${YEAR}`);
  assert.equal(r.status, 200, r.text);
  const want = {
    supply: num(`SELECT coalesce(sum(supply_won), 0) FROM invoices WHERE ${INVOICED} AND ${IN_YEAR}`),
    vat: num(`SELECT coalesce(sum(vat_won), 0) FROM invoices WHERE ${INVOICED} AND ${IN_YEAR}`),
    total: num(`SELECT coalesce(sum(total_won), 0) FROM invoices WHERE ${INVOICED} AND ${IN_YEAR}`),
  };
  assert.ok(want.total > 1e9, 'the generated ledger is there');
  // Drafts exist and are not counted.
  assert.ok(num(`SELECT count(*) FROM invoices WHERE status = 'draft' AND ${IN_YEAR}`) > 0);
  assert.ok(num(`SELECT count(*) FROM invoices WHERE kind = 'credit_note' AND ${IN_YEAR}`) > 0);
  assert.equal(r.body.total.supply, want.supply);
  assert.equal(r.body.total.vat, want.vat);
  assert.equal(r.body.total.total, want.total);
  assert.equal(r.body.total.invoices, num(`SELECT count(*) FROM invoices WHERE ${INVOICED} AND ${IN_YEAR}
    AND kind = 'invoice'`));
  for (const [name, t] of Object.entries(r.body.tables)) {
    for (const k of ['supply', 'vat', 'total'])
      assert.equal(sum(t.rows, k), want[k], `${name}.${k}`);
    assert.equal(sum(t.rows, 'invoices'), r.body.total.invoices, `${name}.invoices`);
  }
  assert.equal(r.body.tables.by_month.rows.length, 12);
  assert.equal(r.body.tables.by_quarter.rows.map((x) => x.key).join(), `${YEAR}-Q1,${YEAR}-Q2,${YEAR}-Q3,${YEAR}-Q4`);
  // Per agency type, against SQL of its own.
  for (const row of r.body.tables.by_agency_type.rows) {
    assert.equal(row.total, num(`SELECT sum(i.total_won) FROM invoices i JOIN organisations a ON a.id = i.org_id
      WHERE i.${INVOICED} AND i.${IN_YEAR} AND a.agency_type = '${row.key}'`), row.key);
  }
});

test('spend filtered by agency type and service type equals the ledger for that slice', async () => {
  const r = await call('reviewer', 'GET', `/api/v1/reports/spend?fy=${YEAR}&agency_type=central&type=saas`);
  assert.equal(r.status, 200, r.text);
  const want = num(`SELECT coalesce(sum(i.total_won), 0) FROM invoices i JOIN organisations a ON a.id = i.org_id
    JOIN contracts c ON c.id = i.contract_id JOIN listings l ON l.id = c.listing_id
    WHERE i.${INVOICED} AND i.${IN_YEAR} AND a.agency_type = 'central' AND l.service_type = 'saas'`);
  assert.ok(want > 0);
  assert.equal(r.body.total.total, want);
  assert.deepEqual(r.body.tables.by_agency_type.rows.map((x) => x.key), ['central']);
  assert.equal(sum(r.body.tables.by_vendor.rows, 'total'), want);
  // A period of months: March to May.
  const q = await call('reviewer', 'GET', `/api/v1/reports/spend?from=${YEAR}-03&to=${YEAR}-05`);
  assert.equal(q.body.total.total, num(`SELECT sum(total_won) FROM invoices WHERE ${INVOICED}
    AND month >= '${YEAR}-03-01' AND month < '${YEAR}-06-01'`));
  assert.equal(q.body.tables.by_month.rows.length, 3);
});

test('spend CSV exports add up to the same ledger; the FOCUS export has one row per invoice', async () => {
  const c = await signIn(USERS.auditor);
  let res = await c.get(`/reports/spend.csv?table=by_agency_type&fy=${YEAR}`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/csv/);
  assert.match(res.headers.get('content-disposition'), /gureum-spend-by_agency_type\.csv/);
  const rows = await csv(res);
  const total = num(`SELECT sum(total_won) FROM invoices WHERE ${INVOICED} AND ${IN_YEAR}`);
  assert.equal(sum(rows, 'x_BilledCostInclVat'), total);
  assert.equal(sum(rows, 'BilledCost'), num(`SELECT sum(supply_won) FROM invoices WHERE ${INVOICED} AND ${IN_YEAR}`));
  assert.ok(rows.every((r) => ['central', 'metropolitan', 'basic', 'institution'].includes(r.x_AgencyType)));
  res = await c.get(`/reports/spend.csv?table=focus&fy=${YEAR}`);
  const focus = await csv(res);
  assert.equal(focus.length, num(`SELECT count(*) FROM invoices WHERE ${INVOICED} AND ${IN_YEAR}`));
  assert.equal(sum(focus, 'x_BilledCostInclVat'), total);
  assert.equal(sum(focus, 'EffectiveCost'), sum(focus, 'BilledCost'));
  assert.ok(focus.every((r) => r.BillingCurrency === 'KRW' && /^\d{4}-\d{2}-01$/.test(r.BillingPeriodStart)));
  assert.ok(focus.some((r) => r.ChargeCategory === 'Credit' && Number(r.BilledCost) < 0));
  res = await c.get(`/reports/spend.csv?table=nope&fy=${YEAR}`, { accept: 'application/json' });
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error.field, 'table');
});

test('SME share, contracts and ceilings reconcile with their own totals and with SQL', async () => {
  const s = await call('auditor', 'GET', `/api/v1/reports/sme?fy=${YEAR}`);
  assert.equal(s.status, 200, s.text);
  const amount = s.body.tables.sme.rows.find((x) => x.key === 'amount');
  assert.equal(amount.total, num(`SELECT sum(total_won) FROM invoices WHERE ${INVOICED} AND ${IN_YEAR}`));
  assert.equal(amount.sme, num(`SELECT sum(i.total_won) FROM invoices i JOIN organisations v ON v.id = i.vendor_id
    WHERE i.${INVOICED} AND i.${IN_YEAR} AND v.company_size = 'sme'`));
  assert.equal(amount.pm, Math.round(amount.sme * 1000 / amount.total));
  assert.equal(sum(s.body.tables.by_size.rows, 'total'), amount.total);
  for (const k of ['vendors', 'listings', 'contracts'])
    assert.equal(sum(s.body.tables.by_size.rows, k), s.body.tables.sme.rows.find((x) => x.key === k).total, k);

  const k = await call('auditor', 'GET', `/api/v1/reports/contracts?fy=${YEAR}`);
  assert.equal(k.status, 200, k.text);
  const activated = num(`SELECT count(*) FROM contracts WHERE (activated_at AT TIME ZONE 'Asia/Seoul')::date
    BETWEEN '${YEAR}-01-01' AND '${YEAR}-12-31'`);
  assert.equal(sum(k.body.tables.by_route.rows, 'new'), activated);
  assert.equal(sum(k.body.tables.by_month.rows, 'new'), activated);
  const all = k.body.tables.lead.rows.find((x) => x.key === 'all');
  assert.equal(all.n, activated);
  assert.ok(all.min <= all.p25 && all.p25 <= all.median && all.median <= all.p75 && all.p75 <= all.max);
  assert.equal(k.body.total.baseline_min_days, 40);

  const c = await call('auditor', 'GET', `/api/v1/reports/ceilings?fy=${YEAR}`);
  assert.equal(c.status, 200, c.text);
  assert.equal(sum(c.body.tables.by_band.rows, 'n'), c.body.total.contracts);
  assert.equal(sum(c.body.tables.by_band.rows, 'used'), c.body.total.used);
  assert.equal(sum(c.body.tables.by_agency.rows, 'used'), c.body.total.used);
  assert.equal(c.body.total.used, num(`SELECT coalesce(sum(i.total_won), 0) FROM invoices i JOIN contracts k
    ON k.id = i.contract_id WHERE i.${INVOICED} AND i.month < '${YEAR + 1}-01-01' AND k.activated_at IS NOT NULL
    AND k.status IN ('active', 'suspended', 'ended') AND k.start_date < '${YEAR + 1}-01-01'
    AND k.end_date >= '${YEAR}-01-01' AND (k.activated_at AT TIME ZONE 'Asia/Seoul')::date < '${YEAR + 1}-01-01'`));
  for (const row of c.body.tables.by_contract.rows.slice(0, 20)) {
    assert.equal(row.pm, Math.trunc(row.used * 1000 / row.ceiling));
    assert.equal(row.band, row.pm >= 1000 ? 'at' : row.pm >= 800 ? 'near' : row.pm >= 500 ? 'half' : 'under');
  }
});

test('transparency: public, the same totals, open data in CSV and JSON, no person in it', async () => {
  const res = await fetch(`${BASE}/api/v1/transparency?fy=${YEAR}`);
  assert.equal(res.status, 200);
  const body = await res.json();
  const total = num(`SELECT sum(total_won) FROM invoices WHERE ${INVOICED} AND ${IN_YEAR}`);
  assert.equal(body.tables.summary.rows[0].total, total);
  for (const t of ['by_vendor', 'by_agency_type', 'by_service_type'])
    assert.equal(sum(body.tables[t].rows, 'total'), total, t);
  const text = JSON.stringify(body);
  assert.doesNotMatch(text, /@/, 'no e-mail address');
  assert.doesNotMatch(text, /생성 담당자/, 'no user name');
  // The organisation filters do not exist publicly.
  assert.equal((await fetch(`${BASE}/api/v1/transparency?agency=1`)).status, 400);
  const j = await fetch(`${BASE}/transparency.json?fy=${YEAR}`);
  assert.match(j.headers.get('content-type'), /application\/json/);
  assert.equal((await j.json()).tables.summary.rows[0].total, total);
  const c = await fetch(`${BASE}/transparency.csv?table=by_vendor&fy=${YEAR}`);
  assert.equal(c.status, 200);
  assert.equal(sum(await csv(c), 'x_BilledCostInclVat'), total);
  const h = await fetch(`${BASE}/transparency?fy=${YEAR}`);
  const html = await h.text();
  assert.match(html, /<svg class="chart"/);
  assert.match(html, /공개 통계/);
});

test('agencies and vendors see their own slice; naming another organisation is 404', async () => {
  const buyer = await call('buyer', 'GET', `/api/v1/reports/spend?fy=${YEAR}`);
  assert.equal(buyer.status, 200);
  const org = num(`SELECT org_id FROM contracts WHERE id = ${contract.id}`);
  assert.equal(buyer.body.total.total, num(`SELECT coalesce(sum(total_won), 0) FROM invoices WHERE ${INVOICED}
    AND ${IN_YEAR} AND org_id = ${org}`));
  assert.ok(buyer.body.total.total >= 1234567 + 123456 + 2000000 + 200000);
  assert.ok(buyer.body.tables.by_agency.rows.every((r) => r.key === org));
  const other = num(`SELECT id FROM organisations WHERE external_ref LIKE 'gen:ledger:agency:%' LIMIT 1`);
  let r = await call('buyer', 'GET', `/api/v1/reports/spend?agency=${other}`);
  assert.equal(r.status, 404);
  r = await call('buyer', 'GET', `/api/v1/reports/spend?agency=${org}&fy=${YEAR}`);
  assert.equal(r.status, 200);
  const vendor = await call('vendor_admin', 'GET', `/api/v1/reports/spend?fy=${YEAR}`);
  assert.ok(vendor.body.tables.by_vendor.rows.every((x) => x.key === 1));
  assert.equal((await call('vendor_admin', 'GET', '/api/v1/reports/spend?vendor=2')).status, 404);
  assert.equal((await call('other_vendor_admin', 'GET', '/api/v1/vendor/stats?vendor=1')).status, 404);
  assert.equal((await call('buyer', 'GET', '/api/v1/reports/catalog')).status, 403);
  // The office picks any vendor.
  r = await call('auditor', 'GET', `/api/v1/reports/spend?vendor=1&fy=${YEAR}`);
  assert.equal(r.body.total.total, num(`SELECT coalesce(sum(total_won), 0) FROM invoices WHERE ${INVOICED}
    AND ${IN_YEAR} AND vendor_id = 1`));
});

// An agency's finance system or a vendor's billing system reads the
// reports with an API key (read or invoices:read): the same own slice as
// the organisation's users, forced whatever it asks for.
test('API keys read their organisation\'s reports; usage:write keys and office reports are refused', async () => {
  const key = async (who, scope) => {
    const c = await signIn(USERS[who]);
    const made = await c.postJSON('/org/keys', { name: `보고서 ${RUN} ${scope}`, scope });
    assert.equal(made.res.status, 201, JSON.stringify(made.body));
    return made.body.key;
  };
  const get = async (k, path) => {
    const res = await fetch(BASE + path, { headers: { authorization: `Bearer ${k}`, accept: 'application/json' } });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const org = num(`SELECT org_id FROM contracts WHERE id = ${contract.id}`);
  const agencyKey = await key('buyer_approver', 'invoices:read');
  let r = await get(agencyKey, `/api/v1/reports/spend?fy=${YEAR}`);
  assert.equal(r.status, 200);
  const bySession = await call('buyer', 'GET', `/api/v1/reports/spend?fy=${YEAR}`);
  assert.deepEqual(r.body.total, bySession.body.total, 'the key sees what its agency\'s users see');
  assert.ok(r.body.tables.by_agency.rows.every((x) => x.key === org));
  const other = num(`SELECT id FROM organisations WHERE external_ref LIKE 'gen:ledger:agency:%' LIMIT 1`);
  assert.equal((await get(agencyKey, `/api/v1/reports/spend?agency=${other}`)).status, 404);
  for (const name of ['sme', 'contracts', 'ceilings', 'certificates'])
    assert.equal((await get(agencyKey, `/api/v1/reports/${name}?fy=${YEAR}`)).status, 200, name);
  r = await get(agencyKey, '/api/v1/reports');
  assert.equal(r.status, 200);
  assert.equal((await get(agencyKey, '/api/v1/reports/catalog')).status, 403);
  assert.equal((await get(agencyKey, '/api/v1/vendor/stats')).status, 403);
  r = await get(agencyKey, `/api/v1/contracts/${contract.id}/usage-certificate`);
  assert.equal(r.status, 200);
  assert.equal(r.body.certificate.contract, contract.id);

  const vendorKey = await key('vendor_admin', 'read');
  r = await get(vendorKey, `/api/v1/reports/spend?fy=${YEAR}`);
  assert.equal(r.status, 200);
  assert.ok(r.body.tables.by_vendor.rows.every((x) => x.key === 1));
  assert.equal(r.body.total.total, num(`SELECT coalesce(sum(total_won), 0) FROM invoices WHERE ${INVOICED}
    AND ${IN_YEAR} AND vendor_id = 1`));
  assert.equal((await get(vendorKey, '/api/v1/reports/spend?vendor=2')).status, 404);
  assert.equal((await get(vendorKey, `/api/v1/vendor/stats?fy=${YEAR}`)).status, 200);
  assert.equal((await get(vendorKey, '/api/v1/vendor/stats?vendor=2')).status, 404);
  const otherKey = await key('other_buyer_approver', 'read');
  assert.equal((await get(otherKey, `/api/v1/contracts/${contract.id}/usage-certificate`)).status, 404);
  // A usage-writing key reads nothing; the browser pages take no key.
  const writer = await key('vendor_admin', 'usage:write');
  assert.equal((await get(writer, `/api/v1/reports/spend?fy=${YEAR}`)).status, 403);
  assert.equal((await get(vendorKey, `/reports/spend.csv?fy=${YEAR}`)).status, 403);
});

test('bad filters are 400 naming the filter; hostile text comes back escaped', async () => {
  const cases = [
    ['fy=20x5', 'fy'], ['fy=1999', 'fy'], [`fy=${YEAR}&from=${YEAR}-01`, 'fy'], ['from=2025-13', 'from'],
    ['from=2025-1', 'from'], ['to=2025-02-01', 'to'], ['from=2025-06&to=2025-05', 'to'],
    ["type=saas'%20OR%201=1--", 'type'], ['agency_type=ministry', 'agency_type'], ['agency=0', 'agency'],
    ['agency=-1', 'agency'], ['vendor=1e3', 'vendor'], [`vendor=${'9'.repeat(40)}`, 'vendor'],
  ];
  for (const [q, field] of cases) {
    const r = await call('auditor', 'GET', `/api/v1/reports/spend?${q}`);
    assert.equal(r.status, 400, q);
    assert.equal(r.body.error.code, 'invalid_parameter', q);
    assert.equal(r.body.error.field, field, q);
  }
  const u = await call('auditor', 'GET', '/api/v1/reports/spend?year=2025');
  assert.equal(u.status, 400);
  assert.equal(u.body.error.code, 'unknown_parameter');
  const c = await signIn(USERS.reviewer);
  const res = await c.get('/reports/contracts?from=%3Cscript%3Ealert(1)%3C%2Fscript%3E&type=paas');
  assert.equal(res.status, 400);
  const html = await res.text();
  assert.doesNotMatch(html, /<script>alert/);
  assert.match(html, /value="&lt;script&gt;alert\(1\)&lt;\/script&gt;"/);
  assert.match(html, /<option value="paas" selected>/);
  assert.match(html, /href="#from"/);
  assert.equal((await fetch(`${BASE}/api/v1/reports/spend`)).status, 401);
});

test('every report page renders in Korean and English with its charts', async () => {
  const c = await signIn(USERS.platform_admin);
  for (const p of ['/reports', '/reports/spend', '/reports/sme', '/reports/contracts', '/reports/ceilings',
    '/reports/certificates', '/reports/catalog', '/vendor/stats']) {
    const res = await c.get(`${p}${p === '/reports' ? '' : `?fy=${YEAR}`}`);
    assert.equal(res.status, 200, p);
  }
  let html = await (await c.get(`/reports/spend?fy=${YEAR}`)).text();
  assert.match(html, /월별 지출/);
  assert.match(html, /<svg class="chart"[^>]*aria-label="월별 지출"/);
  assert.match(html, /<tfoot><tr class="report-total"><th scope="row">합계<\/th>/);
  c.jar.lang = 'en';
  html = await (await c.get(`/reports/spend?fy=${YEAR}&agency_type=basic`)).text();
  assert.match(html, /Spend by month/);
  assert.match(html, /Basic local government/);
  html = await (await c.get(`/reports/catalog?from=${YEAR}-01&to=${YEAR}-12`)).text();
  assert.match(html, /Catalog per year \(G-Cloud table shape\)/);
});

test('the certificates report counts expiring and revoked certificates and their contracts', async () => {
  const r = await call('reviewer', 'GET', '/api/v1/reports/certificates');
  assert.equal(r.status, 200, r.text);
  const revoked = r.body.tables.by_bucket.rows.find((x) => x.key === 'revoked');
  assert.equal(revoked.n, num(`SELECT count(*) FROM certificates WHERE status = 'revoked'`));
  const soon = r.body.tables.by_bucket.rows.find((x) => x.key === 'expiring_30');
  assert.equal(soon.n, num(`SELECT count(*) FROM certificates WHERE status = 'valid' AND expiry_date
    BETWEEN (now() AT TIME ZONE 'Asia/Seoul')::date AND (now() AT TIME ZONE 'Asia/Seoul')::date + 30`));
  assert.equal(sum(r.body.tables.by_cause.rows, 'n'), num(`SELECT count(*) FROM transition_cases WHERE status = 'open'`));
});

test('views counted by the service page show in the vendor statistics', async () => {
  const before = await call('vendor_admin', 'GET', '/api/v1/vendor/stats');
  assert.equal(before.status, 200, before.text);
  const views = (b) => sum(b.tables.by_month.rows, 'views');
  const n = views(before.body);
  for (let i = 0; i < 3; i++)
    assert.equal((await fetch(`${BASE}/services/1`)).status, 200);
  const after = await call('vendor_admin', 'GET', '/api/v1/vendor/stats');
  assert.equal(views(after.body), n + 3);
  assert.equal(sum(after.body.tables.by_listing.rows, 'views'), n + 3);
  // Another vendor's statistics do not move.
  const other = await call('other_vendor_admin', 'GET', '/api/v1/vendor/stats');
  assert.ok(other.body.tables.by_listing.rows.every((x) => x.key !== 1));
});

test('the usage-record certificate: parties, months and total, a hash; for the parties only', async () => {
  const r = await call('buyer', 'GET', `/api/v1/contracts/${contract.id}/usage-certificate`);
  assert.equal(r.status, 200, r.text);
  const cert = r.body.certificate;
  assert.match(r.body.hash, /^[0-9a-f]{64}$/);
  assert.deepEqual(cert.months.map((m) => m.month), [`${YEAR}-03`, `${YEAR}-04`]);
  assert.deepEqual(cert.total, { supply: 3234567, vat: 323456, total: 3558023 });
  assert.equal(cert.contract, contract.id);
  assert.equal(cert.period.start, `${YEAR}-03-01`);
  // Each month names its invoices; these were never sealed (no evidence yet).
  assert.deepEqual(cert.months.map((m) => m.invoices.map((d) => [d.number, d.bundle_hash])),
    [[[`T-${RUN}-03`, null]], [[`T-${RUN}-04`, null]]]);
  const v = await call('vendor_admin', 'GET', `/api/v1/contracts/${contract.id}/usage-certificate`);
  assert.equal(v.body.hash, r.body.hash, 'the same content, the same hash');
  assert.equal((await call('other_buyer', 'GET', `/api/v1/contracts/${contract.id}/usage-certificate`)).status, 404);
  assert.equal((await call('other_vendor_admin', 'GET', `/api/v1/contracts/${contract.id}/usage-certificate`)).status,
    404);
  const c = await signIn(USERS.buyer);
  const pdf = await c.get(`/contracts/${contract.id}/usage-certificate.pdf`);
  assert.equal(pdf.status, 200);
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  const bytes = Buffer.from(await pdf.arrayBuffer());
  assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
  assert.ok(bytes.length > 2000);
  // A new issued month changes the content and so the hash.
  sql(`INSERT INTO invoices (contract_id, org_id, vendor_id, month, status, seq, number, supply_won, vat_won,
    total_won, fiscal_year, rounding, issued_at) SELECT id, org_id, vendor_id, '${YEAR}-06-01', 'issued',
    invoice_take_seq(1, 1), 'T-${RUN}-06', 10, 1, 11, ${YEAR}, 'half_up', now()
    FROM contracts WHERE id = ${contract.id}`);
  const r2 = await call('buyer', 'GET', `/api/v1/contracts/${contract.id}/usage-certificate`);
  assert.notEqual(r2.body.hash, r.body.hash);
  assert.equal(r2.body.certificate.total.total, 3558034);
  // A contract that was never signed has no certificate.
  const draft = num(`SELECT id FROM contracts WHERE status = 'cancelled' AND client_token LIKE 'gen-ledger-%' LIMIT 1`);
  assert.equal((await call('auditor', 'GET', `/api/v1/contracts/${draft}/usage-certificate`)).status, 404);
});

test('a cached report changes as soon as the ledger does; drafts still do not count', async () => {
  const path = `/api/v1/reports/spend?fy=${YEAR}&agency=${num(`SELECT org_id FROM contracts WHERE id = ${contract.id}`)}`;
  const a = await call('auditor', 'GET', path);
  const again = await call('auditor', 'GET', path);
  assert.deepEqual(again.body.total, a.body.total, 'the cached answer is the same');
  sql(`INSERT INTO invoices (contract_id, org_id, vendor_id, month, status, supply_won, vat_won, total_won,
    fiscal_year, rounding) SELECT id, org_id, vendor_id, '${YEAR}-08-01', 'draft', 5000, 500, 5500, ${YEAR},
    'half_up' FROM contracts WHERE id = ${contract.id}`);
  assert.equal((await call('auditor', 'GET', path)).body.total.total, a.body.total.total);
  sql(`UPDATE invoices SET status = 'issued', seq = invoice_take_seq(1, 1),
    number = 'T-${RUN}-08', issued_at = now() WHERE contract_id = ${contract.id} AND month = '${YEAR}-08-01'`);
  const b = await call('auditor', 'GET', path);
  assert.equal(b.body.total.total, a.body.total.total + 5500);
  assert.equal(b.body.total.invoices, a.body.total.invoices + 1);
  assert.equal(b.body.tables.by_month.rows.find((r) => r.key === `${YEAR}-08-01`).total,
    (a.body.tables.by_month.rows.find((r) => r.key === `${YEAR}-08-01`)?.total ?? 0) + 5500);
});

// What the report_cfy triggers keep (sql/0025), recomputed from the
// invoices: rows in one and not the other, both ways.
const CFY_DIFF = `SELECT count(*) FROM ((SELECT contract_id, fy, org_id, vendor_id, supply, vat, total,
  invoices, credit_notes FROM report_cfy EXCEPT SELECT * FROM cfy_want)
  UNION ALL (SELECT * FROM cfy_want EXCEPT SELECT contract_id, fy, org_id, vendor_id, supply, vat, total,
  invoices, credit_notes FROM report_cfy)) d`;
const CFY_WANT = `CREATE TEMP VIEW cfy_want AS SELECT contract_id, extract(year FROM month)::integer AS fy,
  min(org_id) AS org_id, min(vendor_id) AS vendor_id, sum(supply_won)::bigint AS supply,
  sum(vat_won)::bigint AS vat, sum(total_won)::bigint AS total,
  count(*) FILTER (WHERE kind = 'invoice') AS invoices,
  count(*) FILTER (WHERE kind = 'credit_note') AS credit_notes
  FROM invoices WHERE ${INVOICED} GROUP BY 1, 2`;

test('per-contract-year sums follow every invoice statement; whole years and months give the same report', async () => {
  assert.ok(num('SELECT count(*) FROM report_cfy') > 250, 'the generated ledger is in it');
  assert.equal(num(`${CFY_WANT}; ${CFY_DIFF}`), 0);
  // Inside one transaction, rolled back: two drafts (not counted), one
  // issued (counted), accepted (unchanged), a credit note (negative).
  const before = num(`SELECT total FROM report_cfy WHERE contract_id = ${contract.id} AND fy = ${YEAR}`);
  const out = sql(`BEGIN; ${CFY_WANT};
    INSERT INTO invoices (contract_id, org_id, vendor_id, month, status, supply_won, vat_won, total_won,
      fiscal_year, rounding) SELECT id, org_id, vendor_id, m, 'draft', 7000, 700, 7700, ${YEAR}, 'half_up'
      FROM contracts, (VALUES ('${YEAR}-10-01'::date), ('${YEAR}-11-01')) v (m) WHERE id = ${contract.id};
    ${CFY_DIFF};
    UPDATE invoices SET status = 'issued', seq = invoice_take_seq(1, 1), number = 'T-${RUN}-10',
      issued_at = now() WHERE contract_id = ${contract.id} AND month = '${YEAR}-10-01';
    ${CFY_DIFF};
    UPDATE invoices SET status = 'accepted', accepted_at = now() WHERE contract_id = ${contract.id}
      AND month = '${YEAR}-10-01';
    ${CFY_DIFF};
    INSERT INTO invoices (kind, contract_id, org_id, vendor_id, month, corrects_id, status, seq, number,
      supply_won, vat_won, total_won, fiscal_year, rounding, issued_at) SELECT 'credit_note', contract_id,
      org_id, vendor_id, month, id, 'issued', invoice_take_seq(1, 1), 'T-${RUN}-CN', -1000, -100, -1100,
      fiscal_year, rounding, now() FROM invoices WHERE contract_id = ${contract.id} AND month = '${YEAR}-10-01'
      AND kind = 'invoice';
    ${CFY_DIFF};
    SELECT total FROM report_cfy WHERE contract_id = ${contract.id} AND fy = ${YEAR};
    ROLLBACK;`).split('\n');
  assert.deepEqual(out.slice(-5, -1), ['0', '0', '0', '0']);
  assert.ok(before >= 1234567 + 123456 + 2000000 + 200000, 'the issued and paid months');
  assert.equal(Number(out.at(-1)), before + 7700 - 1100);
  assert.equal(num(`${CFY_WANT}; ${CFY_DIFF}`), 0, 'rolled back with the invoices');

  // A period of whole years reads report_cfy; the same invoices as a
  // period of months (December before, which has none) read the invoices.
  assert.equal(num(`SELECT count(*) FROM invoices WHERE month >= '${YEAR - 1}-12-01' AND month < '${YEAR}-01-01'`), 0);
  for (const page of ['reports/spend', 'reports/sme', 'reports/ceilings', 'transparency']) {
    const y = await call('auditor', 'GET', `/api/v1/${page}?fy=${YEAR}&type=saas`);
    const m = await call('auditor', 'GET', `/api/v1/${page}?from=${YEAR - 1}-12&to=${YEAR}-12&type=saas`);
    assert.equal(y.status, 200, y.text);
    assert.equal(m.status, 200, m.text);
    for (const t of ['by_vendor', 'by_agency', 'by_scheme', 'by_size', 'by_agency_type', 'by_band'])
      if (y.body.tables[t])
        assert.deepEqual(m.body.tables[t].rows.map((r) => [r.key, r.total ?? r.used]),
          y.body.tables[t].rows.map((r) => [r.key, r.total ?? r.used]), `${page} ${t}`);
  }
});
