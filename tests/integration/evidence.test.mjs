// Evidence bundles of issued invoices (docs/evidence.md): sealing with
// `gureumctl seal-invoices`, the download at /invoices/:id/evidence.json
// and who may have it, the offline `gureumctl verify-invoice` on that
// download and on tampered copies, an independent re-check of the hash
// and signature in JavaScript, an invoice the rating engine cannot
// reproduce (never signed), the immutability of issued invoices, and the
// Korean PDF (text, embedded font, ink where the labels are).
//
// Usage records, batches, chains and issued invoices are written directly
// as the database owner (evidence-lib.mjs says why); amounts are worked
// out by hand from docs/billing.md in the comments there.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { activeContract, sql, call, withdrawTestListings, BASE } from './metering-lib.mjs';
import { signIn, USERS, Client } from './lib.mjs';
import { CTL, b2, marketplaceKey, seal as sealWith, chain as chainOf, issue as issueFor,
  sampleInvoices, waitSealed } from './evidence-lib.mjs';

const RUN = `ev${Date.now().toString(36)}`;
const STATE = process.env.STATE_DIR ?? path.resolve('var/test');
const TMP = path.join(STATE, `evidence-${RUN}`);
const ART = path.resolve('tests/artifacts');

let KEY;
let KEYFILE;
let PUB64;
let pubDer;

const seal = () => sealWith(KEYFILE);
const chain = (contract) => chainOf(RUN, contract);
const issue = (opts) => issueFor(RUN, opts);

function ctl(args, env = {}) {
  return spawnSync(CTL, args, { encoding: 'utf8', env: { ...process.env, GUREUM_SIGNING_KEY: KEYFILE, ...env } });
}

// The canonical form, written again from its definition in docs/evidence.md:
// keys sorted, no whitespace, every number a string (JSON.stringify escapes
// strings exactly as the definition says).
function canonical(v) {
  if (Array.isArray(v))
    return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object')
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  assert.ok(typeof v !== 'number', 'a JSON number in a bundle');
  return JSON.stringify(v);
}

let inv = {};
let A;
let B;

before(async () => {
  KEY = marketplaceKey(TMP);
  KEYFILE = KEY.file;
  PUB64 = KEY.pub64;
  pubDer = KEY.der;
  const s = await sampleInvoices(RUN, 'a');
  A = s.contract;
  inv = s.inv;
});

// Rewrites an issued invoice's lines [line_no, quantity, amount] and
// totals as the owner with the triggers off; numbers stay gapless.
function repair(id, lines, supply, vat, total) {
  sql(`SET session_replication_role = replica;
    ${lines.map(([no, q, a]) => `UPDATE invoice_lines SET quantity_micro = ${q * 1e6}, amount_won = ${a}
      WHERE invoice_id = ${id} AND line_no = ${no};`).join('\n')}
    UPDATE invoices SET supply_won = ${supply}, vat_won = ${vat}, total_won = ${total} WHERE id = ${id};
    SET session_replication_role = origin; SELECT report_cfy_rebuild()`);
}

after(() => {
  // The invoice left unsealable is repaired and sealed, so later sealing
  // runs (and the month close) find nothing of this file pending.
  if (B?.wrong) {
    repair(B.wrong, [[1, 21, 163]], 1419, 141, 1560);
    seal();
  }
  withdrawTestListings(RUN);
  fs.rmSync(TMP, { recursive: true, force: true });
});

test('seal-invoices signs every issued invoice once, chained by prev_hash, and audits it', async () => {
  const first = seal();
  // (A background `seal-invoices --follow` may have been first.)
  await waitSealed([inv.oct, inv.nov, inv.cn]);
  for (const id of [inv.oct, inv.nov, inv.cn])
    assert.doesNotMatch(first.out, new RegExp(`invoice ${id} not sealed`));
  const rows = sql(`SELECT id, encode(bundle_hash, 'hex'), coalesce(encode(prev_hash, 'hex'), '-'),
    length(signature) FROM invoices WHERE contract_id = ${A.id} AND bundle IS NOT NULL ORDER BY seq`)
    .split('\n').map((r) => r.split('|'));
  assert.deepEqual(rows.map((r) => Number(r[0])), [inv.oct, inv.nov, inv.cn]);
  assert.equal(rows[0][2], '-');			// the contract's first
  assert.equal(rows[1][2], rows[0][1]);		// November follows October
  assert.equal(rows[2][2], rows[1][1]);		// the credit note follows November
  assert.ok(rows.every((r) => r[3] === '64'));
  assert.equal(sql(`SELECT bundle IS NULL FROM invoices WHERE id = ${inv.draft}`), 't');
  // A second run changes nothing.
  const before = sql(`SELECT string_agg(encode(bundle_hash, 'hex'), ',' ORDER BY id) FROM invoices
    WHERE contract_id = ${A.id}`);
  const second = seal();
  assert.doesNotMatch(second.out, new RegExp(`invoice (${inv.oct}|${inv.nov}|${inv.cn}) `));
  assert.equal(sql(`SELECT string_agg(encode(bundle_hash, 'hex'), ',' ORDER BY id) FROM invoices
    WHERE contract_id = ${A.id}`), before);
  assert.equal(sql(`SELECT count(*) FROM audit_events WHERE action = 'invoice_sealed'
    AND object_id IN ('${inv.oct}', '${inv.nov}', '${inv.cn}')`), '3');
  // The record counts come from the chain up to each invoice's head:
  // October's two vCPU records, not the late third one.
  const b = JSON.parse(sql(`SELECT bundle FROM invoices WHERE id = ${inv.oct}`));
  assert.deepEqual(b.usage.dimensions.map((d) => [d.code, d.quantity, d.records]),
    [['vcpu_hour', '21', '2'], ['storage_gb_month', '12.5', '2']]);
  assert.equal(b.usage.chain_seq, '2');
  assert.equal(b.sla_share, '10');
  assert.equal(b.availability, '99.4');
});

test('the usage-record certificate names each invoice and the hash of its signed evidence', async () => {
  await waitSealed([inv.oct, inv.nov, inv.cn]);
  const r = await call('buyer', 'GET', `/api/v1/contracts/${A.id}/usage-certificate`);
  assert.equal(r.status, 200, r.text);
  const docs = r.body.certificate.months.flatMap((m) => m.invoices.map((d) => ({ month: m.month, ...d })));
  const want = sql(`SELECT id, number, kind, total_won, encode(bundle_hash, 'hex') FROM invoices
    WHERE id IN (${inv.oct}, ${inv.nov}, ${inv.cn}) ORDER BY month, seq`).split('\n').map((l) => l.split('|'));
  assert.deepEqual(docs.map((d) => [d.number, d.kind, String(d.total), d.bundle_hash]),
    want.map((w) => [w[1], w[2], w[3], w[4]]));
  assert.deepEqual(docs.map((d) => d.month), ['2026-10', '2026-10', '2026-11']);
  // Each named hash is the one the invoice's evidence carries (and signs).
  for (const [id, , , , hash] of want) {
    const e = await call('buyer', 'GET', `/api/v1/invoices/${id}/evidence.json`);
    assert.equal(e.status, 200);
    assert.equal(e.body.hash, hash);
  }
  assert.ok(!docs.some((d) => d.number === null), 'the draft is not on it');
});

test('a sealer without its key, or with a key that is not registered, seals nothing', () => {
  let r = ctl(['seal-invoices'], { GUREUM_SIGNING_KEY: '' });
  assert.equal(r.status, 1);
  assert.match(r.stderr + r.stdout, /GUREUM_SIGNING_KEY is not set/);
  const other = path.join(TMP, 'unregistered.key');
  fs.writeFileSync(other, `${crypto.randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  r = ctl(['seal-invoices'], { GUREUM_SIGNING_KEY: other });
  assert.equal(r.status, 1);
  assert.match(r.stdout + r.stderr, /not a current marketplace key/);
  fs.writeFileSync(other, 'not a key\n');
  r = ctl(['seal-invoices'], { GUREUM_SIGNING_KEY: other });
  assert.equal(r.status, 1);
});

test('the evidence goes to both parties and the office; others get 404, drafts 409', async () => {
  for (const who of ['buyer', 'buyer_approver', 'vendor_admin', 'vendor_staff', 'reviewer', 'auditor',
    'platform_admin']) {
    const r = await call(who, 'GET', `/api/v1/invoices/${inv.oct}/evidence.json`);
    assert.equal(r.status, 200, `${who}: ${r.text}`);
    assert.equal(r.body.bundle.invoice.id, String(inv.oct));
  }
  for (const who of ['other_buyer', 'other_buyer_approver', 'other_vendor_admin']) {
    const r = await call(who, 'GET', `/api/v1/invoices/${inv.oct}/evidence.json`);
    assert.equal(r.status, 404, who);
    assert.equal(r.body.error.code, 'not_found');
    assert.equal((await call(who, 'GET', `/api/v1/invoices/${inv.oct}/invoice.pdf`)).status, 404, who);
  }
  assert.equal((await call(null, 'GET', `/api/v1/invoices/${inv.oct}/evidence.json`)).status, 401);
  const d = await call('buyer', 'GET', `/api/v1/invoices/${inv.draft}/evidence.json`);
  assert.equal(d.status, 409);
  assert.equal(d.body.error.code, 'conflict');
  assert.match(d.body.error.message, /초안/);
  const en = await call('buyer', 'GET', `/api/v1/invoices/${inv.draft}/evidence.json`,
    undefined, { cookie: 'lang=en', 'accept-language': 'en' });
  assert.match(en.body.error.message, /draft invoice has no evidence yet/);
  assert.equal((await call('buyer', 'GET', '/api/v1/invoices/99999999/evidence.json')).status, 404);
  // Hostile paths and parameters.
  assert.equal((await call('buyer', 'GET', `/api/v1/invoices/${inv.oct}/evidence.json?x=1`)).status, 400);
  assert.equal((await call('buyer', 'GET', "/api/v1/invoices/1'%20OR%201=1/evidence.json")).status, 404);
  for (const id of ['0', '-1', '99999999999999999999999', '1e3', `${inv.oct}.0`])
    assert.equal((await call('buyer', 'GET', `/api/v1/invoices/${id}/evidence.json`)).status, 404, id);
  assert.equal((await call('buyer', 'POST', `/api/v1/invoices/${inv.oct}/evidence.json`, {})).status, 405);
  // The browser route: a file to save, the same bytes.
  const c = await signIn(USERS.buyer);
  const res = await c.get(`/invoices/${inv.oct}/evidence.json`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^application\/json/);
  assert.match(res.headers.get('content-disposition'), /^attachment; filename="gureum-invoice-\d+-2026-\d{6}-evidence\.json"$/);
  const api = await call('buyer', 'GET', `/api/v1/invoices/${inv.oct}/evidence.json`);
  assert.equal(await res.text(), api.text);
  const anon = await new Client().get(`/invoices/${inv.oct}/evidence.json`);
  assert.equal(anon.status, 303);
});

test('API keys read the evidence with invoices:read (agencies) or read (vendors)', async () => {
  const approver = await signIn(USERS.buyer_approver);
  const made = await approver.postJSON('/org/keys', { name: `증빙 ${RUN}`, scope: 'invoices:read' });
  assert.equal(made.res.status, 201);
  let r = await fetch(`${BASE}/api/v1/invoices/${inv.oct}/evidence.json`,
    { headers: { authorization: `Bearer ${made.body.key}` } });
  assert.equal(r.status, 200);
  const vadmin = await signIn(USERS.vendor_admin);
  const vk = await vadmin.postJSON('/org/keys', { name: `증빙 ${RUN}`, scope: 'usage:write' });
  r = await fetch(`${BASE}/api/v1/invoices/${inv.oct}/evidence.json`,
    { headers: { authorization: `Bearer ${vk.body.key}` } });
  assert.equal(r.status, 403);
  const other = await signIn(USERS.other_buyer_approver);
  const ok = await other.postJSON('/org/keys', { name: `증빙 ${RUN}`, scope: 'invoices:read' });
  r = await fetch(`${BASE}/api/v1/invoices/${inv.oct}/evidence.json`,
    { headers: { authorization: `Bearer ${ok.body.key}` } });
  assert.equal(r.status, 404);
});

async function download(id) {
  const r = await call('auditor', 'GET', `/api/v1/invoices/${id}/evidence.json`);
  assert.equal(r.status, 200, r.text);
  const file = path.join(TMP, `evidence-${id}.json`);
  fs.writeFileSync(file, r.text);
  return { file, text: r.text, doc: JSON.parse(r.text) };
}

function verify(file, key = PUB64) {
  const r = spawnSync(CTL, key ? ['verify-invoice', file, '--key', key] : ['verify-invoice', file],
    { encoding: 'utf8', env: { PATH: process.env.PATH } });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

test('verify-invoice accepts each downloaded bundle offline and re-rates it', async () => {
  for (const id of [inv.oct, inv.nov, inv.cn]) {
    const { file } = await download(id);
    const v = verify(file);
    assert.equal(v.status, 0, v.err);
    assert.match(v.out, new RegExp(`^OK: .*valid: .* \\(id ${id}\\) of contract ${A.id}.*\\(the pinned key\\)\\n$`));
  }
  const { file, doc } = await download(inv.oct);
  assert.match(verify(file).out, /supply 1277, VAT 127, total 1404 won/);
  assert.match(verify(file, null).out, /key not pinned/);
  assert.deepEqual(doc.bundle.lines.map((l) => [l.kind, l.amount_won]),
    [['usage', '163'], ['usage', '1256'], ['sla_credit', '-142']]);
  assert.deepEqual(doc.bundle.lines[0].breakdown.map((p) => [p.tier, p.quantity, p.amount]),
    [['1', '10', '102'], ['2', '10', '53'], ['3', '1', '8']]);
  fs.copyFileSync(file, path.join(ART, 'evidence-invoice.json'));
  const nov = (await download(inv.nov)).doc.bundle;
  assert.equal(nov.prev_hash, doc.hash);
  assert.deepEqual(nov.adjustments, [{ month: '2026-10', dimension: 'vcpu_hour', amount_won: '25' },
    { month: '2026-10', dimension: null, amount_won: '-2' }]);
  const cn = (await download(inv.cn)).doc.bundle;
  assert.equal(cn.corrects.bundle_hash, doc.hash);
  assert.equal(cn.corrects.total_won, '1404');

  // The three files together: linked in order, the credit note naming
  // its invoice. Without November, the chain has a hole.
  const f = (id) => path.join(TMP, `evidence-${id}.json`);
  let r = spawnSync(CTL, ['verify-invoice', f(inv.oct), f(inv.nov), f(inv.cn), '--key', PUB64], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /OK: 3 files: every contract's files are linked in order by prev_hash/);
  r = spawnSync(CTL, ['verify-invoice', f(inv.cn), f(inv.oct), '--key', PUB64], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, new RegExp(`evidence-${inv.cn}\\.json: prev_hash: not the hash of .*evidence-${inv.oct}\\.json`));
  assert.equal(spawnSync(CTL, ['verify-invoice', '--bogus', f(inv.oct)]).status, 2);
  // Two validly signed but different bundles for one invoice: refused.
  const twin = JSON.parse(fs.readFileSync(f(inv.oct), 'utf8'));
  twin.bundle.lines[0].label_ko = 'vCPU 시간';
  const bytes = Buffer.from(canonical(twin.bundle));
  twin.hash = b2(bytes);
  twin.signature = crypto.sign(null, bytes, crypto.createPrivateKey({ key: Buffer.concat([
    Buffer.from('302e020100300506032b657004220420', 'hex'),
    Buffer.from(fs.readFileSync(KEYFILE, 'utf8').trim(), 'hex')]), format: 'der', type: 'pkcs8' })).toString('base64');
  fs.writeFileSync(path.join(TMP, 'twin.json'), JSON.stringify(twin));
  r = spawnSync(CTL, ['verify-invoice', path.join(TMP, 'twin.json'), '--key', PUB64], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  r = spawnSync(CTL, ['verify-invoice', f(inv.oct), path.join(TMP, 'twin.json'), '--key', PUB64], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /has another signed bundle in .*: two versions of one invoice/);
});

test('verify-invoice rejects tampered copies with the reason', async () => {
  const { file, doc } = await download(inv.oct);
  const tamper = (name, change) => {
    const d = structuredClone(doc);
    change(d);
    const f = path.join(TMP, `tampered-${name}.json`);
    fs.writeFileSync(f, JSON.stringify(d));
    return verify(f);
  };
  let v = tamper('amount', (d) => { d.bundle.lines[0].amount_won = '164'; });
  assert.equal(v.status, 1);
  assert.match(v.err, /^INVALID: .*lines\[0\]\.amount_won: re-rating gives another amount \(expected 163, found 164\)/);
  // 22 h re-rate to 168: the first difference is the line's amount.
  v = tamper('quantity', (d) => { d.bundle.usage.dimensions[0].quantity = '22'; });
  assert.equal(v.status, 1);
  assert.match(v.err, /lines\[0\]\.amount_won: re-rating gives another amount \(expected 168, found 163\)/);
  v = tamper('line-quantity', (d) => { d.bundle.lines[1].quantity = '12'; });
  assert.match(v.err, /lines\[1\]\.quantity: not the usage total of its dimension \(expected 12\.5, found 12\)/);
  v = tamper('vat', (d) => { d.bundle.totals.vat_won = '128'; d.bundle.totals.total_won = '1405'; });
  assert.match(v.err, /totals\.vat_won: .*expected 127, found 128/);
  v = tamper('availability', (d) => { d.bundle.availability = '99.6'; });
  assert.match(v.err, /sla_share: .*expected 0, found 10/);
  v = tamper('tier', (d) => { d.bundle.lines[0].breakdown[2].amount = '9'; });
  assert.match(v.err, /lines\[0\]\.breakdown\[2\]\.amount: .*expected 8, found 9/);
  v = tamper('plan', (d) => { d.bundle.rate_plan.dimensions[1].unit_price = '100'; });
  assert.match(v.err, /rate_plan_hash: the rate plan hashes otherwise/);
  v = tamper('ceiling', (d) => { d.bundle.contract.ceiling_won = '1000'; });
  assert.match(v.err, /contract_hash/);
  v = tamper('label', (d) => { d.bundle.lines[0].label_ko = '무료'; });
  assert.match(v.err, /hash: BLAKE2b-256 of the canonical bundle differs/);
  v = tamper('signature', (d) => { d.signature = Buffer.alloc(64, 1).toString('base64'); });
  assert.match(v.err, /signature: not the marketplace key's Ed25519 signature/);
  v = tamper('number', (d) => { d.bundle.totals.supply_won = 1277; });
  assert.match(v.err, /totals\.supply_won: not a string/);
  v = tamper('extra', (d) => { d.bundle.lines[0].discount = '0'; });
  assert.match(v.err, /lines\[0\]\.discount: not a field of this format/);
  // Someone else's key: refused when the marketplace key is pinned.
  const otherKey = crypto.generateKeyPairSync('ed25519');
  const otherPub = otherKey.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('base64');
  v = verify(file, otherPub);
  assert.equal(v.status, 1);
  assert.match(v.err, /marketplace_key: signed by another key than the marketplace's/);
  // Not JSON at all, a missing file, a bad --key: clear answers.
  fs.writeFileSync(path.join(TMP, 'garbage.json'), '{"bundle": [1, 2');
  v = verify(path.join(TMP, 'garbage.json'));
  assert.equal(v.status, 1);
  assert.match(v.err, /not JSON/);
  assert.equal(verify(path.join(TMP, 'missing.json')).status, 1);
  assert.equal(verify(file, 'abc').status, 2);
});

test('the hash and signature can be checked by hand, without gureumctl', async () => {
  const { text, doc } = await download(inv.oct);
  // The file is itself in canonical form; the bundle's bytes are what was signed.
  assert.equal(text, canonical(doc));
  const bytes = Buffer.from(canonical(doc.bundle));
  assert.equal(b2(bytes), doc.hash);
  assert.equal(sql(`SELECT encode(bundle_hash, 'hex') FROM invoices WHERE id = ${inv.oct}`), doc.hash);
  const pub = crypto.createPublicKey({ key: pubDer, format: 'der', type: 'spki' });
  assert.ok(crypto.verify(null, bytes, pub, Buffer.from(doc.signature, 'base64')));
  assert.equal(doc.bundle.marketplace_key, PUB64);
  assert.ok(!crypto.verify(null, Buffer.from(canonical({ ...doc.bundle, sla_share: '0' })), pub,
    Buffer.from(doc.signature, 'base64')));
  // The sub-hashes too.
  assert.equal(b2(Buffer.from(canonical(doc.bundle.contract))), doc.bundle.contract_hash);
  assert.equal(b2(Buffer.from(canonical(doc.bundle.rate_plan))), doc.bundle.rate_plan_hash);

  // The recipe of docs/evidence.md §6, run as written there.
  const md = fs.readFileSync(new URL('../../docs/evidence.md', import.meta.url), 'utf8');
  const recipe = md.slice(md.indexOf('## 6.')).match(/```sh\n([\s\S]*?)```/)[1];
  const dir = path.join(TMP, 'by-hand');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'evidence.json'), text);
  const out = execFileSync('sh', ['-e', '-c', recipe], { cwd: dir, encoding: 'utf8' });
  assert.ok(out.includes(`${doc.hash}  bundle.bin`), out);
  assert.match(out, /Signature Verified Successfully/);
});

test('seal-invoices --follow seals a credit note as soon as it is issued, and stops on SIGTERM', async () => {
  const p = spawn(CTL, ['seal-invoices', '--follow'], { env: { ...process.env, GUREUM_SIGNING_KEY: KEYFILE } });
  let out = '';
  p.stdout.on('data', (d) => { out += d; });
  p.stderr.on('data', (d) => { out += d; });
  const closed = new Promise((resolve) => p.on('close', resolve));
  for (let i = 0; i < 100 && !out.includes('following'); i++)
    await new Promise((r) => setTimeout(r, 50));
  let cn;
  try {
    const t0 = Date.now();
    cn = issue({ contract: A.id, month: '2026-11', kind: 'credit_note', corrects: inv.nov,
      supply: -10, vat: -1, total: -11, lines: [
        { kind: 'credit', dimension: 'vcpu_hour', amount: -10, ko: '감액', en: 'credit' }] });
    await waitSealed([cn]);
    // Woken by the NOTIFY, not by its one-minute poll.
    assert.ok(Date.now() - t0 < 10000, `${Date.now() - t0} ms: ${out}`);
  } finally {
    p.kill('SIGTERM');
  }
  assert.equal(await closed, 0);
  assert.match(out, /seal: stopped/);
  const { doc } = await download(cn);
  assert.equal(doc.bundle.corrects.bundle_hash, sql(`SELECT encode(bundle_hash, 'hex') FROM invoices
    WHERE id = ${inv.nov}`));
  inv.cn2 = cn;
});

test('two sealers at once seal each invoice once', async () => {
  const c = await activeContract(RUN, 'c', { start: '2026-11-01', end: '2027-10-31' });
  const ids = [];
  // Twelve months, 2026-11 to 2027-10, each of 0 vCPU hours: the first
  // tier's flat fee of 2 won (charge_at_zero), storage 0.
  for (let i = 0; i < 12; i++) {
    const m = 2026 * 12 + 10 + i;
    ids.push(issue({ contract: c.id, month: `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`,
      supply: 2, vat: 0, total: 2, lines: [
        { kind: 'usage', dimension: 'vcpu_hour', quantity: 0, amount: 2, ko: 'vCPU시간', en: 'vCPU hour' },
        { kind: 'usage', dimension: 'storage_gb_month', quantity: 0, amount: 0, ko: 'GB월', en: 'GB-month' }] }));
  }
  const run = () => new Promise((resolve) => {
    const p = spawn(CTL, ['seal-invoices'], { env: { ...process.env, GUREUM_SIGNING_KEY: KEYFILE } });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { out += d; });
    p.on('close', (code) => resolve({ code, out }));
  });
  const [one, two] = await Promise.all([run(), run()]);
  const all = one.out + two.out;
  await waitSealed(ids);
  for (const id of ids)
    assert.ok(all.split('\n').filter((l) => l.startsWith(`seal: invoice ${id} `) && l.includes(' sealed, hash ')).length
      <= 1, `${id}: ${all}`);
  assert.equal(sql(`SELECT count(*) FROM audit_events WHERE action = 'invoice_sealed'
    AND object_id IN (${ids.map((i) => `'${i}'`).join(',')})`), String(ids.length));
  // A chain in seq order, each link the previous hash, as the verifier checks.
  const rows = sql(`SELECT encode(bundle_hash, 'hex'), coalesce(encode(prev_hash, 'hex'), '-') FROM invoices
    WHERE contract_id = ${c.id} ORDER BY seq`).split('\n').map((r) => r.split('|'));
  assert.equal(rows.length, ids.length);
  assert.equal(rows[0][1], '-');
  for (let i = 1; i < rows.length; i++)
    assert.equal(rows[i][1], rows[i - 1][0]);
  const files = [];
  for (const id of ids)
    files.push((await download(id)).file);
  const v = spawnSync(CTL, ['verify-invoice', ...files, '--key', PUB64], { encoding: 'utf8' });
  assert.equal(v.status, 0, v.stderr);
  assert.match(v.stdout, /OK: 12 files: every contract's files are linked/);
});

test('an invoice the rating cannot reproduce is not signed, nor its contract\'s later ones', async () => {
  B = await activeContract(RUN, 'b', { start: '2026-10-01', end: '2027-09-30' });
  const cb = chain(B.id);
  const head = cb.batch([['vcpu_hour', 21, '2026-10-05T00:00:00Z']]);
  // The usage line says 22 h where the chain up to its head holds 21.
  const bad = issue({ contract: B.id, month: '2026-10', head, supply: 1424, vat: 142, total: 1566, lines: [
    { kind: 'usage', dimension: 'vcpu_hour', quantity: 22, amount: 168, ko: 'vCPU시간', en: 'vCPU hour' },
    { kind: 'usage', dimension: 'storage_gb_month', quantity: 12.5, amount: 1256, ko: 'GB월', en: 'GB-month' }] });
  // The totals agree, but 163 + 1,256 is not what the invoice says.
  const wrong = issue({ contract: B.id, month: '2026-11', supply: 1420, vat: 142, total: 1562, lines: [
    { kind: 'usage', dimension: 'vcpu_hour', quantity: 21, amount: 164, ko: 'vCPU시간', en: 'vCPU hour' },
    { kind: 'usage', dimension: 'storage_gb_month', quantity: 12.5, amount: 1256, ko: 'GB월', en: 'GB-month' }] });
  let r = seal();
  assert.equal(r.status, 1);
  assert.match(r.out, new RegExp(`invoice ${bad} not sealed: usage totals disagree: vcpu_hour: invoiced 22, the chain up to its head gives 21`));
  assert.match(r.out, new RegExp(`invoice ${wrong} held back: an earlier invoice of contract ${B.id} is not sealed`));
  assert.equal(sql(`SELECT count(*) FROM invoices WHERE contract_id = ${B.id} AND bundle IS NOT NULL`), '0');
  const c = await call('buyer', 'GET', `/api/v1/invoices/${wrong}/evidence.json`);
  assert.equal(c.status, 409);
  assert.match(c.body.error.message, /봉인 대기/);
  // Repaired out of band (as the owner, triggers off: what a DBA would do
  // after a bug), the first is sealed and the second is judged on its
  // own: its line is wrong.
  repair(bad, [[1, 21, 163], [2, 0, 0]], 163, 16, 179);
  r = seal();
  assert.equal(r.status, 1);
  await waitSealed([bad]);
  assert.match(r.out, new RegExp(`invoice ${wrong} not sealed: it does not follow from its inputs: lines\\[0\\]\\.amount_won: re-rating gives another amount \\(expected 163, found 164\\)`));
  B.wrong = wrong;
});

test('an issued invoice is never edited: only its status and the reviews change', () => {
  const refused = (q) => assert.throws(() => sql(q), /is issued|is sealed|cannot be deleted|not edited/, q);
  refused(`UPDATE invoices SET total_won = total_won + 1, supply_won = supply_won + 1 WHERE id = ${inv.oct}`);
  refused(`UPDATE invoices SET status = 'draft', seq = NULL, number = NULL WHERE id = ${inv.oct}`);
  refused(`UPDATE invoices SET bundle = '{}' WHERE id = ${inv.oct}`);
  refused(`UPDATE invoices SET prev_hash = NULL WHERE id = ${inv.nov}`);
  refused(`DELETE FROM invoices WHERE id = ${inv.cn}`);
  refused(`UPDATE invoice_lines SET amount_won = 1 WHERE invoice_id = ${inv.oct} AND line_no = 1`);
  refused(`DELETE FROM invoice_lines WHERE invoice_id = ${inv.oct}`);
  // The buyer's 검수 and a payment are what may change.
  sql(`UPDATE invoice_lines SET review = 'disputed', dispute_reason = '사용량 과다' WHERE invoice_id = ${inv.oct}
    AND line_no = 1`);
  sql(`UPDATE invoices SET status = 'disputed', updated_at = now() WHERE id = ${inv.oct}`);
  // A draft is still recomputed freely.
  sql(`UPDATE invoice_lines SET amount_won = 3 WHERE invoice_id = ${inv.draft} AND line_no = 1`);
  sql(`UPDATE invoices SET supply_won = 3, vat_won = 0, total_won = 3 WHERE id = ${inv.draft}`);
  // And the sealed evidence still verifies against the stored bundle.
  assert.equal(sql(`SELECT bundle->'totals'->>'total_won' FROM invoices WHERE id = ${inv.oct}`), '1404');
});

// The gray levels of page 1 at dpi, and the word boxes pdftotext sees.
function pageImage(pdfFile, dpi = 100) {
  const base = pdfFile.replace(/\.pdf$/, '');
  execFileSync('pdftoppm', ['-r', String(dpi), '-gray', '-f', '1', '-l', '1', pdfFile, base]);
  const pgm = fs.readdirSync(path.dirname(base)).find((f) => f.startsWith(path.basename(base)) && f.endsWith('.pgm'));
  const buf = fs.readFileSync(path.join(path.dirname(base), pgm));
  const m = buf.toString('latin1', 0, 40).match(/^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/);
  assert.ok(m, 'a binary PGM');
  return { w: Number(m[1]), h: Number(m[2]), px: buf.subarray(m[0].length), scale: dpi / 72 };
}

function words(pdfFile) {
  const html = execFileSync('pdftotext', ['-q', '-bbox', '-f', '1', '-l', '1', pdfFile, '-'], { encoding: 'utf8' });
  return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)]
    .map((m) => ({ x0: +m[1], y0: +m[2], x1: +m[3], y1: +m[4], text: m[5] }));
}

// Dark pixels (of all) inside a box given in PDF points from the top left.
function ink(img, b) {
  let dark = 0;
  let all = 0;
  for (let y = Math.floor(b.y0 * img.scale); y < Math.ceil(b.y1 * img.scale); y++) {
    for (let x = Math.floor(b.x0 * img.scale); x < Math.ceil(b.x1 * img.scale); x++) {
      all++;
      if (img.px[y * img.w + x] < 128)
        dark++;
    }
  }
  return dark / all;
}

test('the PDF invoice is Korean text in the embedded font, with ink where the labels are', async () => {
  const c = await signIn(USERS.buyer);
  const res = await c.get(`/invoices/${inv.oct}/invoice.pdf`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/pdf');
  assert.match(res.headers.get('content-disposition'), /^inline; filename="gureum-invoice-\d+-2026-\d{6}\.pdf"$/);
  const pdf = Buffer.from(await res.arrayBuffer());
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  const file = path.join(TMP, 'invoice.pdf');
  fs.writeFileSync(file, pdf);
  fs.copyFileSync(file, path.join(ART, 'evidence-invoice.pdf'));
  const text = execFileSync('pdftotext', ['-q', '-layout', file, '-'], { encoding: 'utf8' });
  const hash = sql(`SELECT encode(bundle_hash, 'hex') FROM invoices WHERE id = ${inv.oct}`);
  const number = sql(`SELECT number FROM invoices WHERE id = ${inv.oct}`);
  for (const s of ['청구서', '공급자', '공급받는자', '등록번호', '공급가액', '세액 (부가세)', '합계금액',
    '한빛클라우드', '행정안전부', number, '2026-10', '1,277원', '127원', '1,404원', 'SLA 크레딧', '-142',
    '1구간 tier 1', '3구간 tier 3', hash])
    assert.ok(text.includes(s), `${s} is text in the PDF`);
  // English label lines beside the Korean ones.
  for (const s of ['Supplier', 'Buyer', 'Supply amount', 'VAT', 'Total', 'Evidence hash'])
    assert.ok(text.includes(s), `${s} is text in the PDF`);
  const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const row = fonts.split('\n').find((l) => l.includes('NanumGothic'));
  assert.ok(row, fonts);
  assert.match(row, /\byes\b/, 'embedded');
  // Rendered, the Korean labels are ink (glyphs, not empty boxes), and the
  // margin beside them is blank paper.
  const img = pageImage(file);
  const w = words(file);
  for (const label of ['공급가액', '합계금액', '공급받는자', '청구서']) {
    const box = w.find((x) => x.text === label);
    assert.ok(box, `${label} has a box`);
    const share = ink(img, box);
    assert.ok(share > 0.04 && share < 0.8, `${label}: ${share} of its box is ink`);
  }
  assert.equal(ink(img, { x0: 5, y0: 300, x1: 30, y1: 500 }), 0);
});

test('the PDF of a draft says so, and a credit note names the invoice it corrects', async () => {
  const vendor = await signIn(USERS.vendor_staff);
  let res = await vendor.get(`/invoices/${inv.draft}/invoice.pdf`);
  assert.equal(res.status, 200);
  let file = path.join(TMP, 'draft.pdf');
  fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  let text = execFileSync('pdftotext', ['-q', '-layout', file, '-'], { encoding: 'utf8' });
  assert.ok(text.includes('초안 · DRAFT'));
  assert.ok(text.includes('drafts are not sealed'));
  const r = await call('auditor', 'GET', `/api/v1/invoices/${inv.cn}/invoice.pdf`);
  assert.equal(r.status, 200);
  res = await (await signIn(USERS.auditor)).get(`/invoices/${inv.cn}/invoice.pdf`);
  file = path.join(TMP, 'credit.pdf');
  fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  fs.copyFileSync(file, path.join(ART, 'evidence-credit-note.pdf'));
  text = execFileSync('pdftotext', ['-q', '-layout', file, '-'], { encoding: 'utf8' });
  const number = sql(`SELECT number FROM invoices WHERE id = ${inv.oct}`);
  assert.ok(text.includes('감액 청구서'));
  assert.ok(text.includes('수정 대상 청구서'));
  assert.ok(text.includes(number));
  assert.ok(text.includes('-110원'));
  // Text from the database is text in the PDF, not markup.
  assert.ok(text.includes('이의 인정 <b>감액</b>'));
});
