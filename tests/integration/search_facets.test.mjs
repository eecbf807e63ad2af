// Facet counts agree with PostgreSQL. For several filter combinations, the
// count of every value of every facet (each with the other filters applied
// and its own selection removed) and the total are computed here in SQL,
// from the base tables and by the rules of docs/search.md, independently of
// search_listing_facets() and the indexer, and compared with
// /api/v1/search.
//
// On (a) the imported FedRAMP marketplace and (b) the same plus 3,000
// generated listings, in a database of their own (the demo database must
// keep its 22 published listings): the index of that database is swapped in
// under the test server's index path (the server reads only the index to
// search), and the demo index is rebuilt and swapped back at the end. The
// indexer is stopped meanwhile so that it cannot write demo changes into
// the borrowed index, and started again after.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BASE } from './lib.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CTL = path.join(ROOT, 'build/gureumctl');
const SHARED = [process.env.GUREUM_SHARED_DATA, path.resolve(ROOT, '../shared/data'),
  '/work/shared/data'].find((d) => d && fs.existsSync(path.join(d, 'fedramp')));
const FILE = path.join(SHARED ?? '/work/shared/data', 'fedramp/marketplace-2026-04-28.json');
const INDEX = process.env.GUREUM_INDEX;
const STATE = process.env.STATE_DIR;
const MAIN = process.env.GUREUM_DATABASE;
const DBNAME = `gureum_facets_${process.pid}`;

function withDb(conninfo, name) {
  if (/^postgres(ql)?:\/\//.test(conninfo)) {
    const u = new URL(conninfo);
    u.pathname = '/' + name;
    return u.toString();
  }
  return /(^|\s)dbname=\S+/.test(conninfo) ?
    conninfo.replace(/(^|\s)dbname=\S+/, `$1dbname=${name}`) : `${conninfo} dbname=${name}`;
}
const ADMIN = withDb(MAIN, 'postgres');
const DB = withDb(MAIN, DBNAME);

function psql(conn, q) {
  return execFileSync('psql', ['-X', '-qtA', '-v', 'ON_ERROR_STOP=1', '-d', conn, '-c', q],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 }).trim();
}

function ctl(db, ...args) {
  const r = spawnSync(CTL, args, { cwd: ROOT, encoding: 'utf8',
    env: { ...process.env, GUREUM_DATABASE: db } });
  assert.equal(r.status, 0, `gureumctl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

// Every published listing of an approved vendor with what the filters look
// at, straight from the tables. Certificates a listing shows are its own and
// its vendor's company-wide ones; "granted" means in force, expired or
// suspended (not pending, not revoked); "in force today" is status valid and
// an expiry date not before today in Korea.
const ATTRS = `
WITH RECURSIVE anc(listing_id, cat_id) AS (
  SELECT id, category_id FROM listings WHERE category_id IS NOT NULL
  UNION
  SELECT anc.listing_id, c.parent_id FROM anc JOIN categories c ON c.id = anc.cat_id
  WHERE c.parent_id IS NOT NULL
), shown AS (
  SELECT l.id AS listing_id, c.scheme, c.grade, c.status,
    c.status = 'valid' AND (c.expiry_date IS NULL OR
      c.expiry_date >= (now() AT TIME ZONE 'Asia/Seoul')::date) AS in_force
  FROM listings l JOIN certificates c ON c.vendor_id = l.vendor_id
    AND (c.listing_id = l.id OR c.listing_id IS NULL)
  WHERE c.status IN ('valid', 'expired', 'suspended')
), a AS (
  SELECT l.id, l.service_type AS type,
    ARRAY(SELECT c.code FROM anc JOIN categories c ON c.id = anc.cat_id
      WHERE anc.listing_id = l.id) AS category,
    ARRAY(SELECT DISTINCT scheme FROM shown WHERE listing_id = l.id) AS cert,
    ARRAY(SELECT DISTINCT scheme FROM shown WHERE listing_id = l.id AND in_force) AS cert_v,
    coalesce((SELECT max(array_position(ARRAY['low', 'medium', 'high'], grade)) FROM shown
      WHERE listing_id = l.id AND scheme = 'csap'), 0) AS csap,
    coalesce((SELECT max(array_position(ARRAY['low', 'medium', 'high'], grade)) FROM shown
      WHERE listing_id = l.id AND scheme = 'csap' AND in_force), 0) AS csap_v,
    EXISTS (SELECT 1 FROM shown WHERE listing_id = l.id AND in_force) AS valid,
    coalesce(l.dc_location = 'domestic', false) AS domestic,
    l.free_trial_url <> '' AS trial,
    v.company_size AS size, l.deployment_model AS deploy,
    l.availability_target AS avail, l.reference_monthly_price_won AS price,
    ARRAY(SELECT r.runs_on_id::text FROM listing_runs_on r WHERE r.listing_id = l.id) AS runs_on
  FROM listings l JOIN organisations v ON v.id = l.vendor_id
  WHERE l.status = 'published' AND v.status = 'approved'
)`;

const lit = (vs) => `ARRAY[${vs.map((v) => `'${String(v).replace(/'/g, "''")}'`).join(',')}]::text[]`;
const RANK = { low: 1, medium: 2, high: 3 };
const AVAIL = ['99', '99.5', '99.9', '99.95', '99.99'];
const BANDS = [[0, 99999], [100000, 999999], [1000000, 9999999], [10000000, null]];

// The WHERE clause of combination f without filter `skip`; valid reads the
// certificate filters over certificates in force.
function where(f, skip, valid = !!f.valid) {
  const c = [f.only ? `id = ANY('{${f.only.join(',')}}'::bigint[])` : 'true'];
  const cert = valid ? 'cert_v' : 'cert';
  const csap = valid ? 'csap_v' : 'csap';
  if (f.type && skip !== 'type') c.push(`type = ANY(${lit(f.type)})`);
  if (f.category && skip !== 'category') c.push(`category && ${lit(f.category)}`);
  if (f.cert && skip !== 'cert') c.push(`${cert} && ${lit(f.cert)}`);
  if (f.csap && skip !== 'csap') c.push(`${csap} >= ${RANK[f.csap]}`);
  if (f.valid && skip !== 'valid') c.push('valid');
  if (f.domestic && skip !== 'domestic') c.push('domestic');
  if (f.trial && skip !== 'trial') c.push('trial');
  if (f.size && skip !== 'size') c.push(`size = ANY(${lit(f.size)})`);
  if (f.deploy && skip !== 'deploy') c.push(`deploy = ANY(${lit(f.deploy)})`);
  if (f.availability && skip !== 'availability') c.push(`avail >= ${f.availability}`);
  if (f.price && skip !== 'price')
    c.push(`price >= ${f.price[0]}` + (f.price[1] != null ? ` AND price <= ${f.price[1]}` : ''));
  if (f.runs_on && skip !== 'runs_on') c.push(`runs_on && ${lit(f.runs_on)}`);
  return c.join(' AND ');
}

// {facet: {value: count}} and the total, in one SQL statement.
function sqlCounts(db, f) {
  const parts = [
    `SELECT 'total', '', count(*) FROM a WHERE ${where(f)}`,
    `SELECT 'type', type, count(*) FROM a WHERE ${where(f, 'type')} GROUP BY 2`,
    `SELECT 'category', v, count(*) FROM a, unnest(category) v WHERE ${where(f, 'category')} GROUP BY 2`,
    `SELECT 'cert', v, count(*) FROM a, unnest(${f.valid ? 'cert_v' : 'cert'}) v WHERE ${where(f, 'cert')} GROUP BY 2`,
    `SELECT 'csap', g, count(*) FROM a, unnest(ARRAY['low', 'medium', 'high']) WITH ORDINALITY AS s(g, r)
       WHERE ${f.valid ? 'csap_v' : 'csap'} >= r AND ${where(f, 'csap')} GROUP BY 2`,
    // Clicking "valid" would also read the certificate filters over
    // certificates in force.
    `SELECT 'valid', '1', count(*) FROM a WHERE valid AND ${where(f, 'valid', true)}`,
    `SELECT 'domestic', '1', count(*) FROM a WHERE domestic AND ${where(f, 'domestic')}`,
    `SELECT 'trial', '1', count(*) FROM a WHERE trial AND ${where(f, 'trial')}`,
    `SELECT 'size', size, count(*) FROM a WHERE size IS NOT NULL AND ${where(f, 'size')} GROUP BY 2`,
    `SELECT 'deploy', deploy, count(*) FROM a WHERE deploy IS NOT NULL AND ${where(f, 'deploy')} GROUP BY 2`,
    ...AVAIL.map((x) => `SELECT 'availability', '${x}', count(*) FROM a WHERE avail >= ${x} AND ${where(f, 'availability')}`),
    ...BANDS.map(([lo, hi], i) => `SELECT 'price', 'band${i}', count(*) FROM a WHERE price >= ${lo}` +
      (hi != null ? ` AND price <= ${hi}` : '') + ` AND ${where(f, 'price')}`),
    `SELECT 'runs_on', v, count(*) FROM a, unnest(runs_on) v WHERE ${where(f, 'runs_on')} GROUP BY 2`,
  ];
  const out = psql(db, `${ATTRS} ${parts.map((p) => `(${p})`).join(' UNION ALL ')}`);
  const r = { total: 0 };
  for (const line of out.split('\n').filter(Boolean)) {
    const [facet, value, count] = line.split('|');
    if (facet === 'total') {
      r.total = Number(count);
      continue;
    }
    if (Number(count) > 0)
      (r[facet] ??= {})[value] = Number(count);
  }
  return r;
}

function params(f) {
  const p = new URLSearchParams({ per_page: '1' });
  for (const [k, v] of Object.entries(f)) {
    if (k === 'only')
      continue;
    if (k === 'q') {
      p.append('q', v);
      continue;
    }
    if (k === 'price') {
      p.append('price_min', String(v[0]));
      if (v[1] != null)
        p.append('price_max', String(v[1]));
    } else if (Array.isArray(v)) {
      v.forEach((x) => p.append(k, String(x)));
    } else {
      p.append(k, v === true ? '1' : String(v));
    }
  }
  return p;
}

// Kore closes an idle keep-alive connection with a 408 after its header
// timeout; a request sent on it meanwhile (after a long rebuild here) reads
// that 408. Sent again on a fresh connection, it is answered.
async function get(url) {
  for (let i = 0; ; i++) {
    const res = await fetch(url);
    if (res.status !== 408 || i === 2)
      return res;
    await res.arrayBuffer();
  }
}

async function apiCounts(f) {
  const url = `${BASE}/api/v1/search?${params(f)}`;
  const res = await get(url);
  const text = await res.text();
  assert.equal(res.status, 200, `${url}: ${text}`);
  const body = JSON.parse(text);
  const r = { total: body.total };
  for (const [facet, values] of Object.entries(body.facets)) {
    for (const v of values) {
      if (v.count > 0)
        (r[facet] ??= {})[v.value] = v.count;
      if (v.count < 0)
        assert.fail(`negative count ${facet}=${v.value}`);
    }
  }
  return r;
}

async function compare(db, f) {
  const want = sqlCounts(db, f);
  const got = await apiCounts(f);
  assert.deepEqual(got, want, `filters ${JSON.stringify(f)}`);
  return want;
}

// The ids the text q matches, from the API (Xapian's text matching is not
// what is compared here; the facets over that set are).
async function matching(q) {
  const out = [];
  for (let page = 1; ; page++) {
    const body = await (await get(`${BASE}/api/v1/search?per_page=100&page=${page}&q=${encodeURIComponent(q)}`)).json();
    out.push(...body.results.map((r) => r.id));
    if (page >= body.pages)
      return out;
  }
}

// Waits until the server answers from an index with n documents.
async function serving(n) {
  const start = Date.now();
  for (;;) {
    const res = await get(`${BASE}/api/v1/search?per_page=1`);
    const body = res.status === 200 ? await res.json() : {};
    if (body.total === n)
      return;
    if (Date.now() - start > 5000)
      assert.fail(`the server still answers ${body.total} results, not ${n}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function stopIndexer() {
  const pidFile = `${STATE}/indexer.pid`;
  if (fs.existsSync(pidFile)) {
    try { process.kill(Number(fs.readFileSync(pidFile, 'utf8')), 'SIGTERM'); } catch { /* gone */ }
  }
}

function startIndexer() {
  const job = spawn(CTL, ['indexer', INDEX], { cwd: ROOT, detached: true, stdio: 'ignore' });
  job.unref();
  fs.writeFileSync(`${STATE}/indexer.pid`, String(job.pid));
}

// Filter combinations; values picked from the data where they depend on it.
function combos(db, extra = []) {
  const host = psql(db, `SELECT runs_on_id FROM listing_runs_on r JOIN listings l ON l.id = r.listing_id
    WHERE l.status = 'published' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 2`).split('\n');
  return [
    {},
    { type: ['saas'] },
    { type: ['saas', 'paas'], cert: ['fedramp'] },
    { cert: ['fedramp', 'iso27001'], valid: true },
    { valid: true },
    { csap: 'medium', domestic: true },
    { category: ['saas'], size: ['sme', 'large'], trial: true },
    { availability: '99.9', price: [100000, 9999999] },
    { price: [0, 99999] },
    { runs_on: host, deploy: ['public', 'community'] },
    { type: ['iaas'], runs_on: [host[0]], size: ['large'], cert: ['csap'], csap: 'low' },
    ...extra,
  ];
}

before(() => {
  psql(ADMIN, `DROP DATABASE IF EXISTS ${DBNAME}`);
  psql(ADMIN, `CREATE DATABASE ${DBNAME}`);
  ctl(DB, 'migrate', path.join(ROOT, 'sql'));
  stopIndexer();
});

after(async () => {
  // The demo index back under the server, the indexer running again.
  ctl(MAIN, 'reindex', INDEX);
  startIndexer();
  await serving(22);
  psql(ADMIN, `DROP DATABASE IF EXISTS ${DBNAME}`);
});

test('facet counts agree with SQL on the imported FedRAMP marketplace', { skip: !SHARED && 'no shared data' }, async () => {
  ctl(DB, 'import', 'fedramp', FILE);
  ctl(DB, 'reindex', INDEX);
  const n = Number(psql(DB, "SELECT count(*) FROM listings WHERE status = 'published'"));
  assert.ok(n > 600, `${n} imported listings`);
  await serving(n);
  let nonzero = 0;
  for (const f of combos(DB)) {
    const want = await compare(DB, f);
    nonzero += want.total > 0 ? 1 : 0;
  }
  // The combinations are not all empty: the comparison means something.
  assert.ok(nonzero >= 6, `${nonzero} combinations with results`);
  // With query text: the facets over what the text matches.
  const only = await matching('security');
  assert.ok(only.length > 50 && only.length < n, `${only.length} match "security"`);
  for (const f of [{}, { type: ['saas'] }, { cert: ['fedramp'], valid: true }, { runs_on: combos(DB)[9].runs_on }])
    await compare(DB, { ...f, q: 'security', only });
});

test('facet counts agree with SQL on 3,000 generated listings besides', async () => {
  ctl(DB, 'generate', '--listings', '3000', '--vendors', '400', '--seed', '11');
  // A certificate whose expiry date has passed but which the expiry job
  // has not marked yet, and a revoked one: neither is in force.
  psql(DB, `UPDATE certificates SET expiry_date = (now() AT TIME ZONE 'Asia/Seoul')::date - 1
    WHERE id IN (SELECT id FROM certificates WHERE status = 'valid' AND scheme = 'csap'
      AND coalesce(issue_date, '2000-01-01') < (now() AT TIME ZONE 'Asia/Seoul')::date - 1 ORDER BY id LIMIT 40)`);
  psql(DB, `UPDATE certificates SET status = 'revoked'
    WHERE id IN (SELECT id FROM certificates WHERE status = 'valid' AND scheme = 'iso27001' ORDER BY id LIMIT 40)`);
  ctl(DB, 'reindex', INDEX);
  const n = Number(psql(DB, "SELECT count(*) FROM listings l JOIN organisations v ON v.id = l.vendor_id WHERE l.status = 'published' AND v.status = 'approved'"));
  assert.ok(n > 3000, `${n} listings`);
  await serving(n);
  const cat = psql(DB, `SELECT c.code FROM listings l JOIN categories c ON c.id = l.category_id
    WHERE l.status = 'published' AND c.parent_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 2`).split('\n');
  let nonzero = 0;
  for (const f of combos(DB, [
    { category: cat, cert: ['csap'], valid: true },
    { category: [cat[0], 'iaas'], csap: 'high', availability: '99.95' },
    { cert: ['csap'], csap: 'medium' },
    { cert: ['csap'], csap: 'medium', valid: true },
    { size: ['sme'], deploy: ['private', 'hybrid'], domestic: true, trial: true, price: [1000000, null] },
  ])) {
    const want = await compare(DB, f);
    nonzero += want.total > 0 ? 1 : 0;
  }
  assert.ok(nonzero >= 12, `${nonzero} combinations with results`);
});
