// The catalog's data commands: `gureumctl import fedramp` and `gureumctl
// generate`, run as a user would run them (build/gureumctl, a child
// process) against a database of their own.
//
// The demo database the server uses must keep exactly its 22 published
// listings (foundation.test.mjs counts them), so everything here happens in
// a separate database created in the same test cluster, migrated with
// `gureumctl migrate`, and dropped at the end. The server is only asked
// whether it is still healthy; the search check builds an index of the
// separate database in a temporary directory and queries it with Xapian's
// own `quest` when that is installed.
//
// Expected numbers are computed here from the JSON file, by the rules of
// docs/catalog-data.md, independently of the C code.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:8899';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CTL = path.join(ROOT, 'build/gureumctl');
// The project's shared real data lives beside the checkout (../shared/data);
// a clone elsewhere names it with GUREUM_SHARED_DATA, and on the project's
// machines it is also at /work/shared/data.
const SHARED = [process.env.GUREUM_SHARED_DATA, path.resolve(ROOT, '../shared/data'),
  '/work/shared/data'].find((d) => d && fs.existsSync(path.join(d, 'fedramp')));
const FILE = path.join(SHARED ?? path.resolve(ROOT, '../shared/data'),
  'fedramp/marketplace-2026-04-28.json');
const DBNAME = `gureum_import_${process.pid}`;

// A conninfo ("host=... dbname=x") or URL with another database name.
function withDb(conninfo, name) {
  if (/^postgres(ql)?:\/\//.test(conninfo)) {
    const u = new URL(conninfo);
    u.pathname = '/' + name;
    return u.toString();
  }
  return /(^|\s)dbname=\S+/.test(conninfo) ?
    conninfo.replace(/(^|\s)dbname=\S+/, `$1dbname=${name}`) : `${conninfo} dbname=${name}`;
}

const MAIN = process.env.GUREUM_DATABASE;
const ADMIN = withDb(MAIN, 'postgres');
const DB = withDb(MAIN, DBNAME);
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'gureum-import-'));

function psql(conn, sql) {
  return execFileSync('psql', ['-X', '-qtA', '-v', 'ON_ERROR_STOP=1', '-d', conn, '-c', sql],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}
const sql = (q) => psql(DB, q);
const num = (q) => Number(sql(q));

function ctl(...args) {
  const r = spawnSync(CTL, args, { cwd: ROOT, encoding: 'utf8',
    env: { ...process.env, GUREUM_DATABASE: DB } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// What the importer must make of the file, from the rules alone. Blanks as
// C's isspace() sees them, case folded in ASCII only, as documented.
const BLANK = /[ \t\n\v\f\r]+/g;
const clean = (s) => (typeof s === 'string' ? s.replace(BLANK, ' ').trim() : '');
const lower = (s) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
const MODELS = ['IaaS', 'PaaS', 'SaaS'];
const IMPACTS = ['Low', 'LI-SaaS', 'Moderate', 'High', '20x Low', '20x Moderate'];

function expected(file) {
  const data = JSON.parse(fs.readFileSync(file, 'utf8')).data;
  const products = new Map();
  for (const p of data.Products) {
    if (typeof p !== 'object' || p === null || Array.isArray(p))
      continue;
    const id = clean(p.id);
    const name = clean(p.cso) || clean(p.service_offering);
    const models = Array.isArray(p.service_model) ? p.service_model : [];
    const known = MODELS.filter((m) => models.some((x) =>
      typeof x === 'string' && lower(x.trim()) === lower(m)));
    if (!id || products.has(id) || !clean(p.csp) || !name || known.length === 0)
      continue;
    products.set(id, { p, type: lower(known[0]), others: known.slice(1).map(lower) });
  }
  const vendors = new Map();
  for (const { p } of products.values()) {
    const key = lower(clean(p.csp));
    vendors.set(key, (vendors.get(key) ?? true) && p.small_business === 'Yes');
  }
  const agencies = new Set();
  for (const a of data.Agencies)
    if (clean(a?.id))
      agencies.add(clean(a.id));
  let certs = 0, valid = 0;
  for (const { p } of products.values()) {
    if (IMPACTS.some((i) => lower(i) === lower(clean(p.impact_level)))) {
      certs++;
      if (lower(clean(p.status)) === 'fedramp authorized')
        valid++;
    }
  }
  const links = new Set();
  let entries = 0;
  for (const [host, { p }] of products) {
    for (const e of Array.isArray(p.leveraged_systems) ? p.leveraged_systems : []) {
      const id = clean(e?.id);
      entries++;
      if (id !== host && products.has(id))
        links.add(`${id}>${host}`);
    }
  }
  const auths = { ato: new Set(), reuse: new Set() };
  for (const [kind, rows] of [['ato', data.AtoMapping], ['reuse', data.ReuseMapping]]) {
    for (const r of rows) {
      const pid = clean(r.id);
      const aid = clean(r.sub_id) || clean(r.agency_id);
      if (products.has(pid) && agencies.has(aid))
        auths[kind].add([kind, pid, aid, clean(r.ato_date), clean(r.auth_date),
          clean(r.exp_date)].join(':'));
    }
  }
  return {
    products: products.size, productMap: products,
    vendors: vendors.size, sme: [...vendors.values()].filter(Boolean).length,
    agencies: agencies.size, certs, valid, links: links.size,
    skippedLinks: entries - links.size,
    ato: auths.ato.size, reuse: auths.reuse.size,
    skippedAuths: data.AtoMapping.length + data.ReuseMapping.length -
      auths.ato.size - auths.reuse.size,
  };
}

// Rows of generated data, without surrogate ids and bookkeeping times,
// joined through external refs: equal sums mean equal rows.
const CHECKSUM = `
  SELECT concat_ws(' ',
  (SELECT md5(string_agg(x, E'\\n' ORDER BY x)) FROM (SELECT (to_jsonb(o) - 'id')::text x
    FROM organisations o WHERE external_ref LIKE 'gen:%') s),
  (SELECT md5(string_agg(x, E'\\n' ORDER BY x)) FROM (SELECT v.external_ref ||
    (to_jsonb(l) - ARRAY['id', 'vendor_id'])::text x FROM listings l
    JOIN organisations v ON v.id = l.vendor_id WHERE l.external_ref LIKE 'gen:%') s),
  (SELECT md5(string_agg(x, E'\\n' ORDER BY x)) FROM (SELECT concat_ws('|', l.external_ref,
    v.external_ref, (to_jsonb(c) - ARRAY['id', 'vendor_id', 'listing_id'])::text) x
    FROM certificates c JOIN organisations v ON v.id = c.vendor_id
    LEFT JOIN listings l ON l.id = c.listing_id WHERE c.external_ref LIKE 'gen:%') s),
  (SELECT md5(string_agg(x, E'\\n' ORDER BY x)) FROM (SELECT a.external_ref || '>' ||
    b.external_ref || r.created_at x FROM listing_runs_on r JOIN listings a ON a.id = r.listing_id
    JOIN listings b ON b.id = r.runs_on_id WHERE a.external_ref LIKE 'gen:%') s),
  (SELECT md5(string_agg(x, E'\\n' ORDER BY x)) FROM (SELECT concat_ws('|', l.external_ref,
    lv.version, lv.created_at, lv.reason, lv.rate_plan::text,
    (lv.document - ARRAY['vendor_id', 'runs_on'])::text,
    (SELECT string_agg(h.external_ref, ',' ORDER BY h.external_ref) FROM listings h
      WHERE h.id IN (SELECT jsonb_array_elements_text(lv.document -> 'runs_on')::bigint))) x
    FROM listing_versions lv JOIN listings l ON l.id = lv.listing_id
    WHERE l.external_ref LIKE 'gen:%') s),
  (SELECT md5(string_agg(x, E'\\n' ORDER BY x)) FROM (SELECT concat_ws('|', c.external_ref,
    e.from_status, e.to_status, e.reason) x FROM certificate_events e
    JOIN certificates c ON c.id = e.certificate_id WHERE c.external_ref LIKE 'gen:%') s))`;

const want = expected(FILE);
let first;

before(() => {
  psql(ADMIN, `DROP DATABASE IF EXISTS ${DBNAME} WITH (FORCE)`);
  psql(ADMIN, `CREATE DATABASE ${DBNAME}`);
  const r = ctl('migrate', path.join(ROOT, 'sql'));
  assert.equal(r.status, 0, r.stderr);
});

after(() => {
  psql(ADMIN, `DROP DATABASE IF EXISTS ${DBNAME} WITH (FORCE)`);
  fs.rmSync(TMP, { recursive: true, force: true });
});

test('the expected numbers from the file are the ones the issue names', () => {
  assert.equal(want.products, 642);
  assert.equal(want.agencies, 241);
  assert.ok(want.vendors > 500 && want.vendors < 642, `${want.vendors} vendors`);
});

test('import fedramp loads every product, vendor, agency, certificate and record', () => {
  first = ctl('import', 'fedramp', FILE);
  assert.equal(first.status, 0, first.stderr);
  const lines = first.stdout.trim().split('\n');
  assert.equal(lines.length, 1, first.stdout);
  assert.match(lines[0], /^import: products 642 \(created 642, updated 0, skipped 0\), /);
  assert.match(lines[0], new RegExp(`vendors ${want.vendors} \\(created ${want.vendors}, updated 0\\)`));
  assert.match(lines[0], /agencies 241 \(created 241, updated 0, skipped 0\)/);
  assert.match(lines[0], new RegExp(`certificates ${want.certs} \\(created ${want.certs}, `));
  assert.match(lines[0], new RegExp(`authorisations ${want.ato + want.reuse} \\(created ` +
    `${want.ato + want.reuse}, updated 0, skipped ${want.skippedAuths}\\)`));
  assert.match(lines[0], new RegExp(`runs-on links ${want.links} \\(created ${want.links}, removed 0, `));
  assert.match(lines[0], /versions 642$/);

  assert.equal(num(`SELECT count(*) FROM listings WHERE external_ref LIKE 'fedramp:product:%'
    AND status = 'published'`), 642);
  assert.equal(num(`SELECT count(*) FROM listings`), 642);
  assert.equal(num(`SELECT count(*) FROM organisations WHERE kind = 'agency'
    AND agency_type = 'central' AND external_ref LIKE 'fedramp:agency:%'`), 241);
  assert.equal(num(`SELECT count(*) FROM organisations WHERE kind = 'vendor'
    AND external_ref LIKE 'fedramp:csp:%' AND status = 'approved'`), want.vendors);
  assert.equal(num(`SELECT count(*) FROM organisations WHERE kind = 'vendor'
    AND company_size = 'sme'`), want.sme);
  assert.equal(num(`SELECT count(*) FROM certificates WHERE scheme = 'fedramp'`), want.certs);
  assert.equal(num(`SELECT count(*) FROM certificates WHERE status = 'valid'`), want.valid);
  assert.equal(num(`SELECT count(*) FROM certificates WHERE status = 'pending'`),
    want.certs - want.valid);
  assert.equal(num(`SELECT count(*) FROM certificate_events`), want.certs);
  assert.equal(num(`SELECT count(*) FROM historical_authorisations WHERE kind = 'ato'`), want.ato);
  assert.equal(num(`SELECT count(*) FROM historical_authorisations WHERE kind = 'reuse'`), want.reuse);
  assert.equal(num(`SELECT count(*) FROM listing_runs_on WHERE source = 'import'`), want.links);
  assert.equal(num(`SELECT count(*) FROM listing_versions WHERE version = 1`), 642);
  assert.equal(num(`SELECT count(*) FROM listings WHERE current_version = 1`), 642);
  assert.equal(num(`SELECT count(*) FROM audit_events WHERE action = 'catalog_imported'`), 1);
  assert.equal(num(`SELECT summary -> 'counts' -> 'products' ->> 'created' FROM audit_events
    WHERE action = 'catalog_imported'`), 642);
});

test('the skipped records are named with the reason', () => {
  assert.match(first.stderr, /skipped reuse mapping #\d+ \(F1606097904\): product "F1606097904" is not an imported product/);
  assert.match(first.stderr, /skipped ato mapping #\d+ \(\S+\): agency "22-000" is not an imported agency/);
  assert.match(first.stderr, /skipped reuse mapping #\d+ \(\S+\): repeats an earlier row exactly/);
  assert.match(first.stderr, /skipped leveraged system #\d+ \(\S+\): listed under itself/);
  assert.match(first.stderr, /exp_date "2\/29\/2023" is not a date, stored as NULL/);
  const skipped = first.stderr.split('\n').filter((l) => l.includes(': skipped ')).length;
  assert.equal(skipped, want.skippedAuths + want.skippedLinks);
});

test('products map to listings, vendors and certificates as documented', () => {
  // AWS GovCloud: IaaS first, the other models kept.
  assert.equal(sql(`SELECT service_type || ' ' || other_service_types::text || ' ' ||
    deployment_model || ' ' || dc_location || ' ' || dc_region FROM listings
    WHERE external_ref = 'fedramp:product:F1603047866'`), 'iaas {paas,saas} community overseas United States');
  // cloud.gov: authorised by the JAB on 2017-02-02 (20:00Z is still that day in the US).
  assert.equal(sql(`SELECT concat_ws(' ', c.status, c.fedramp_impact, c.number, c.issuer,
    c.issue_date, coalesce(c.expiry_date::text, 'none'), c.details ->> 'independent_assessor')
    FROM certificates c JOIN listings l ON l.id = c.listing_id
    WHERE l.external_ref = 'fedramp:product:F1607067912'`),
  'valid moderate F1607067912 FedRAMP (JAB) 2017-02-02 none Lunarline, Inc.');
  // A FedRAMP Ready product is pending, without an issue date.
  assert.equal(sql(`SELECT DISTINCT c.status || ' ' || (c.issue_date IS NULL)::text
    FROM certificates c WHERE c.details ->> 'status' = 'FedRAMP Ready'`), 'pending true');
  // Korean columns hold the English text; the summary is cut from the description.
  assert.equal(num(`SELECT count(*) FROM listings WHERE name_ko <> name_en
    OR description_ko <> description_en OR summary_ko <> summary_en`), 0);
  assert.equal(num(`SELECT count(*) FROM listings WHERE summary_en = '' OR length(summary_en) > 300`), 0);
  // The vendor of two differently cased spellings is one.
  assert.equal(num(`SELECT count(*) FROM organisations WHERE lower(name_en) = 'stackarmor'`), 1);
  // Sub-agencies hang under their parents where the parent is in the file.
  assert.equal(sql(`SELECT p.external_ref FROM organisations o JOIN organisations p
    ON p.id = o.parent_id WHERE o.external_ref = 'fedramp:agency:22-008-02'`), 'fedramp:agency:22-008');
  // A SaaS that leverages AWS GovCloud runs on it.
  assert.ok(num(`SELECT count(*) FROM listing_runs_on r JOIN listings h ON h.id = r.runs_on_id
    WHERE h.external_ref = 'fedramp:product:F1603047866'`) > 100);
  // An odd date is NULL, the source row keeps what it said.
  assert.equal(sql(`SELECT (expiry_date IS NULL)::text || ' ' || (source_row ->> 'exp_date')
    FROM historical_authorisations WHERE source_row ->> 'exp_date' = '2/29/2023'`), 'true 2/29/2023');
  // Every version is a snapshot with the runs-on links.
  assert.equal(num(`SELECT count(*) FROM listing_versions v JOIN listings l ON l.id = v.listing_id
    WHERE v.document ->> 'name_en' <> l.name_en
    OR jsonb_array_length(v.document -> 'runs_on') <>
      (SELECT count(*) FROM listing_runs_on r WHERE r.listing_id = l.id)`), 0);
});

test('a second import creates and updates nothing', () => {
  const before = sql(`SELECT concat_ws(' ', (SELECT count(*) FROM listings),
    (SELECT count(*) FROM organisations), (SELECT count(*) FROM certificates),
    (SELECT count(*) FROM certificate_events), (SELECT count(*) FROM historical_authorisations),
    (SELECT count(*) FROM listing_runs_on), (SELECT count(*) FROM listing_versions),
    (SELECT max(updated_at) FROM listings))`);
  const r = ctl('import', 'fedramp', FILE);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^import: products 642 \(created 0, updated 0, skipped 0\)/);
  for (const m of r.stdout.matchAll(/\((created \d+), (updated|removed) (\d+)/g)) {
    assert.equal(m[1], 'created 0', r.stdout);
    assert.equal(m[3], '0', r.stdout);
  }
  assert.match(r.stdout, /versions 0$/m);
  assert.equal(sql(`SELECT concat_ws(' ', (SELECT count(*) FROM listings),
    (SELECT count(*) FROM organisations), (SELECT count(*) FROM certificates),
    (SELECT count(*) FROM certificate_events), (SELECT count(*) FROM historical_authorisations),
    (SELECT count(*) FROM listing_runs_on), (SELECT count(*) FROM listing_versions),
    (SELECT max(updated_at) FROM listings))`), before);
  assert.equal(num(`SELECT count(*) FROM audit_events WHERE action = 'catalog_imported'`), 2);
});

test('a changed file updates what changed, with new versions; Korean text is kept', () => {
  const data = JSON.parse(fs.readFileSync(FILE, 'utf8'));
  const gov = data.data.Products.find((p) => p.id === 'F1603047866');
  const at = gov.leveraged_systems.findIndex((e) => e.id !== 'F1607067912');
  const dropped = gov.leveraged_systems.splice(at, 1)[0].id;
  const cg = data.data.Products.find((p) => p.id === 'F1607067912');
  cg.service_desc = 'Cloud.gov, described anew.';
  cg.status = 'FedRAMP In Process';
  const changed = path.join(TMP, 'changed.json');
  fs.writeFileSync(changed, JSON.stringify(data));
  sql(`UPDATE listings SET name_ko = '클라우드닷거브' WHERE external_ref = 'fedramp:product:F1607067912'`);

  const r = ctl('import', 'fedramp', changed);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /products 642 \(created 0, updated 2, skipped 0\)/);
  assert.match(r.stdout, /certificates \d+ \(created 0, updated 1, /);
  assert.match(r.stdout, /runs-on links \d+ \(created 0, removed 1, /);
  assert.match(r.stdout, /versions 2$/m);
  assert.equal(sql(`SELECT concat_ws(' | ', name_ko, name_en, summary_en, current_version)
    FROM listings WHERE external_ref = 'fedramp:product:F1607067912'`),
  '클라우드닷거브 | CG-TTS - Cloud.Gov | Cloud.gov, described anew. | 2');
  assert.equal(sql(`SELECT string_agg(v.version || ':' || (v.document ->> 'description_en'), ' / '
    ORDER BY v.version) FROM listing_versions v JOIN listings l ON l.id = v.listing_id
    WHERE l.external_ref = 'fedramp:product:F1607067912'`).split(' / ')[1],
  '2:Cloud.gov, described anew.');
  assert.equal(num(`SELECT count(*) FROM listing_runs_on r JOIN listings u ON u.id = r.listing_id
    JOIN listings h ON h.id = r.runs_on_id WHERE u.external_ref = 'fedramp:product:${dropped}'
    AND h.external_ref = 'fedramp:product:F1603047866'`), 0);
  // The certificate's history says what happened.
  assert.equal(sql(`SELECT string_agg(coalesce(e.from_status, '-') || '>' || e.to_status || ' '
    || e.reason, ', ' ORDER BY e.id) FROM certificate_events e JOIN certificates c
    ON c.id = e.certificate_id WHERE c.number = 'F1607067912'`),
  '->valid FedRAMP import, valid>pending FedRAMP import');

  // And back: the original file restores the import's values.
  const back = ctl('import', 'fedramp', FILE);
  assert.equal(back.status, 0, back.stderr);
  assert.match(back.stdout, /products 642 \(created 0, updated 2, skipped 0\)/);
  assert.match(back.stdout, /runs-on links \d+ \(created 1, removed 0, /);
  assert.equal(num(`SELECT count(*) FROM listing_runs_on`), want.links);
  assert.equal(sql(`SELECT name_ko FROM listings WHERE external_ref = 'fedramp:product:F1607067912'`),
    '클라우드닷거브');
});

test('listing versions and certificate history cannot be changed or deleted', () => {
  for (const q of ['UPDATE listing_versions SET reason = \'x\'', 'DELETE FROM listing_versions',
    'UPDATE certificate_events SET reason = \'x\'', 'DELETE FROM certificate_events']) {
    assert.throws(() => sql(q), /append-only/, q);
  }
  assert.throws(() => sql('SET ROLE gureum_app; DELETE FROM listing_versions'),
    /permission denied/);
});

test('the demo server is untouched and healthy', async () => {
  const res = await fetch(BASE + '/healthz', { headers: { accept: 'application/json' } });
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.status, 'ok');
  assert.equal(body.database.published_listings, 22);
});

test('reindex indexes the imported listings and search finds them by name', (t) => {
  const index = path.join(TMP, 'index');
  const r = ctl('reindex', index);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^reindex: 642 listings indexed/);
  const quest = spawnSync('quest', ['-d', index, '-m', '20', 'salesforce'], { encoding: 'utf8' });
  if (quest.error) {
    t.skip('quest (xapian-tools) is not installed');
    return;
  }
  assert.equal(quest.status, 0, quest.stderr);
  assert.match(quest.stdout, /"name_en":"Salesforce Government Cloud Plus"/);
  assert.match(quest.stdout, /"vendor_en":"Salesforce"/);
});

test('import refuses what is not a FedRAMP file, and changes nothing', () => {
  const count = num('SELECT count(*) FROM listings');
  const missing = ctl('import', 'fedramp', path.join(TMP, 'nope.json'));
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /nope\.json/);
  const broken = path.join(TMP, 'broken.json');
  fs.writeFileSync(broken, '{"data": {"Products": [');
  assert.equal(ctl('import', 'fedramp', broken).status, 1);
  const other = path.join(TMP, 'other.json');
  fs.writeFileSync(other, '{"data": {"Products": {}}}');
  const r = ctl('import', 'fedramp', other);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /not a FedRAMP Marketplace file/);
  assert.equal(ctl('import').status, 2);
  assert.equal(ctl('import', 'csv', FILE).status, 2);
  assert.equal(num('SELECT count(*) FROM listings'), count);
});

test('generate makes the same catalog twice from one seed, and replaces it', () => {
  const a = ctl('generate', '--listings', '500', '--vendors', '60', '--seed', '7');
  assert.equal(a.status, 0, a.stderr);
  assert.match(a.stdout.trim(), /^generate: seed 7: 60 vendors, 500 listings \(iaas \d+, paas \d+, saas \d+, daas \d+, support \d+\), \d+ certificates, \d+ runs-on links, 500 versions; replaced 0 listings and 0 vendors; [\d.]+ s$/);
  const sumA = sql(CHECKSUM);
  const b = ctl('generate', '--listings', '500', '--vendors', '60', '--seed', '7');
  assert.equal(b.status, 0, b.stderr);
  assert.match(b.stdout, /replaced 500 listings and 60 vendors/);
  assert.equal(sql(CHECKSUM), sumA);
  assert.equal(num(`SELECT count(*) FROM listings WHERE external_ref LIKE 'gen:listing:%'`), 500);
  assert.equal(num(`SELECT count(*) FROM organisations WHERE external_ref LIKE 'gen:vendor:%'
    AND kind = 'vendor'`), 60);
  // The import is left alone.
  assert.equal(num(`SELECT count(*) FROM listings WHERE external_ref LIKE 'fedramp:%'`), 642);
  // Another seed, another catalog.
  const c = ctl('generate', '--listings', '500', '--vendors', '60', '--seed', '8');
  assert.equal(c.status, 0, c.stderr);
  assert.notEqual(sql(CHECKSUM), sumA);
  assert.equal(ctl('generate', '--listings', '500', '--vendors', '60', '--seed', '7').status, 0);
  assert.equal(sql(CHECKSUM), sumA);
});

test('generated data has the documented mix', () => {
  const n = (q) => num(q.replace(/GEN/g, `external_ref LIKE 'gen:%'`));
  // Every vendor lists something; about 90% are SMEs.
  assert.equal(n(`SELECT count(*) FROM organisations o WHERE GEN AND NOT EXISTS
    (SELECT 1 FROM listings l WHERE l.vendor_id = o.id)`), 0);
  const sme = n(`SELECT count(*) FROM organisations WHERE GEN AND company_size = 'sme'`);
  assert.ok(sme >= 45 && sme <= 59, `${sme} of 60 vendors are SMEs`);
  // All five types; most listings SaaS.
  assert.equal(n(`SELECT count(DISTINCT service_type) FROM listings WHERE GEN`), 5);
  assert.ok(n(`SELECT count(*) FROM listings WHERE GEN AND service_type = 'saas'`) > 200);
  // Categories fit the type (the foreign key says so); all listings have one.
  assert.equal(n(`SELECT count(*) FROM listings WHERE GEN AND category_id IS NULL`), 0);
  // CSAP certificates with grades, and some not valid.
  assert.ok(n(`SELECT count(*) FROM certificates WHERE GEN AND scheme = 'csap' AND status = 'valid'
    AND grade IS NOT NULL`) > 0);
  assert.ok(n(`SELECT count(*) FROM certificates WHERE GEN AND status IN ('expired', 'revoked')`) > 0);
  assert.equal(n(`SELECT count(*) FROM certificates WHERE GEN AND status = 'valid'
    AND expiry_date < '2026-04-28'`), 0);
  // Each certificate has its first history row.
  assert.equal(n(`SELECT count(*) FROM certificates c WHERE GEN AND (SELECT count(*)
    FROM certificate_events e WHERE e.certificate_id = c.id) <> 1`), 0);
  // Free trials, domestic data centres, SLA targets, reference prices.
  assert.ok(n(`SELECT count(*) FROM listings WHERE GEN AND free_trial_url <> ''`) > 50);
  assert.ok(n(`SELECT count(*) FROM listings WHERE GEN AND dc_location = 'domestic'`) > 450);
  assert.equal(n(`SELECT count(*) FROM listings WHERE GEN AND (rate_plan IS NULL
    OR reference_monthly_price_won IS NULL OR current_version <> 1)`), 0);
  assert.ok(n(`SELECT count(DISTINCT availability_target) FROM listings WHERE GEN`) >= 3);
  // SaaS run on generated IaaS.
  assert.ok(n(`SELECT count(*) FROM listing_runs_on r JOIN listings h ON h.id = r.runs_on_id
    WHERE h.service_type = 'iaas' AND h.GEN`) > 100);
  // Every pricing model appears.
  assert.equal(n(`SELECT count(DISTINCT d ->> 'model') FROM listings l,
    jsonb_array_elements(l.rate_plan -> 'dimensions') d WHERE l.GEN`), 5);
});

test('generate --check validates every stored rate plan and finds a broken one', () => {
  const ok = ctl('generate', '--check');
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(ok.stdout.trim(), 'generate: checked 500 rate plans, 0 invalid');
  // Tiers out of order in one plan, and a reference price that does not match in another.
  sql(`UPDATE listings SET rate_plan = jsonb_set(rate_plan, '{dimensions,0,tiers,0,up_to}', '"99999"')
    WHERE id = (SELECT min(id) FROM listings WHERE external_ref LIKE 'gen:%'
      AND rate_plan #>> '{dimensions,0,model}' IN ('graduated', 'volume'))`);
  sql(`UPDATE listings SET reference_monthly_price_won = reference_monthly_price_won + 1
    WHERE id = (SELECT max(id) FROM listings WHERE external_ref LIKE 'gen:%')`);
  const bad = ctl('generate', '--check');
  assert.equal(bad.status, 1);
  assert.equal(bad.stdout.trim(), 'generate: checked 500 rate plans, 2 invalid');
  assert.match(bad.stderr, /gen:listing:\d+: tier 2: up_to must be greater than tier 1's \(99999\)/);
  assert.match(bad.stderr, /gen:listing:\d+: reference price \d+ won stored, \d+ computed/);
  // A new run replaces the damage.
  assert.equal(ctl('generate', '--listings', '500', '--vendors', '60', '--seed', '7').status, 0);
  assert.equal(ctl('generate', '--check').status, 0);
});

test('generate refuses bad arguments', () => {
  for (const args of [['--listings', '0'], ['--listings', 'x'], ['--vendors', '10', '--listings', '5'],
    ['--seed'], ['--check', '--seed', '1'], ['--listings', '-5'], ['--frobnicate', '1']])
    assert.equal(ctl('generate', ...args).status, 2, args.join(' '));
});

test('odd records in a file are skipped or kept as data, never a crash', () => {
  const odd = {
    meta: {},
    data: {
      Products: [
        'not an object',
        { id: '', csp: 'Nobody', cso: 'Nothing', service_model: ['SaaS'] },
        { id: 'ODD-1', csp: '', cso: 'No provider', service_model: ['SaaS'] },
        { id: 'ODD-2', csp: 'Odd Co', cso: 'Unknown model', service_model: ['XaaS'] },
        { id: 'ODD-3', csp: 'Odd Co', cso: 'Model not a list', service_model: 'SaaS' },
        { id: ' ODD-4 ', csp: '  Odd   Co ', cso: 'Odd Service', service_model: [7, 'SaaS'],
          status: 'Retired', impact_level: 'Extreme', auth_date: 'Not Active',
          small_business: 'Yes', deployment_model: 'Moon Cloud', service_desc: null,
          leveraged_systems: [null, { id: 42 }, { id: 'ODD-4' }] },
        { id: 'ODD-4', csp: 'Odd Co', cso: 'Again', service_model: ['SaaS'] },
      ],
      Agencies: [{ id: '' }, { id: '99-001', csp: 'Odd Agency' }, { id: '99-001', csp: 'Twice' },
        { id: '99-001-01', csp: '', parent: 'Odd Agency', sub: 'Odd Office' },
        { id: '99-002-01', csp: 'Orphan Office' }],
      AtoMapping: [null, { id: 'ODD-4', agency_id: '99-001', ato_date: '13/45/2020',
        auth_date: '2020-02-30T20:00:00.000Z', exp_date: 'soon' }],
      ReuseMapping: 'not a list',
    },
  };
  const file = path.join(TMP, 'odd.json');
  fs.writeFileSync(file, JSON.stringify(odd));
  const r = ctl('import', 'fedramp', file);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /products 1 \(created 1, updated 0, skipped 6\)/);
  assert.match(r.stdout, /agencies 3 \(created 3, updated 0, skipped 2\)/);
  assert.match(r.stdout, /certificates 0 \(created 0, updated 0, skipped 1\)/);
  assert.match(r.stdout, /authorisations 1 \(created 1, updated 0, skipped 1\)/);
  assert.match(r.stdout, /runs-on links 0 \(created 0, removed 0, skipped 3\)/);
  assert.match(r.stderr, /note: .*ato_date "13\/45\/2020" is not a date/);
  assert.match(r.stderr, /note: .*auth_date "2020-02-30T20:00:00.000Z" is not a date/);
  assert.match(r.stderr, /note: agency 99-002-01: parent 99-002 is not in the file/);
  assert.equal(sql(`SELECT concat_ws(' | ', l.name_en, v.name_en, v.company_size,
    coalesce(l.deployment_model, '-'), l.description_en) FROM listings l JOIN organisations v
    ON v.id = l.vendor_id WHERE l.external_ref = 'fedramp:product:ODD-4'`),
  'Odd Service | Odd Co | sme | - |');
  assert.equal(sql(`SELECT o.name_en || ' < ' || p.name_en FROM organisations o
    JOIN organisations p ON p.id = o.parent_id WHERE o.external_ref = 'fedramp:agency:99-001-01'`),
  'Odd Office < Odd Agency');
  assert.equal(sql(`SELECT concat_ws(' ', coalesce(ato_date::text, '-'), coalesce(auth_date::text, '-'),
    coalesce(expiry_date::text, '-')) FROM historical_authorisations h JOIN listings l
    ON l.id = h.listing_id WHERE l.external_ref = 'fedramp:product:ODD-4'`), '- - -');
  // And a second time: nothing new.
  const again = ctl('import', 'fedramp', file);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /products 1 \(created 0, updated 0, skipped 6\)/);
});
