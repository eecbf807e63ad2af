// The demo ledger (docs/demo.md): nine months of contracts, metered usage,
// invoices, 검수 and payments, so that `make run` opens on reports,
// dashboards and a transparency page with something in them.
//
// Everything a user would do goes through the product's own API, as that
// user: buyers shortlist, ask for quotes, draft and submit contracts,
// approvers approve and pay, vendors answer quotes, accept contracts,
// register their Ed25519 keys, send signed usage batches and their
// availability, answer disputes and issue a credit note; the month close
// is `gureumctl close-month`, as operations runs it. Two things cannot
// happen through the API in a ledger that starts in March, and are done as
// the database owner, as a migration of older contracts would: the
// contract dates and the times of the first request, drafting and
// activation are moved into the past (the API refuses a past start date).
//
// Run by conf/run.sh after the server is up (BASE_URL, GUREUM_DATABASE);
// idempotent: a database that already has the ledger is left alone.
// The client helpers are the integration tests' (one client, not two).

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { signIn } from '../tests/integration/lib.mjs';
import { call, sql } from '../tests/integration/metering-lib.mjs';
import { keyPair, post } from '../tests/integration/usage-lib.mjs';

const DB = process.env.GUREUM_DATABASE;
const CTL = new URL('../build/gureumctl', import.meta.url).pathname;
const DAY = 86400e3;

function ctl(...args) {
  const r = spawnSync(CTL, args, { encoding: 'utf8' });
  if (r.status !== 0)
    throw new Error(`gureumctl ${args.join(' ')}: ${r.status}\n${r.stderr}`);
  return r.stdout;
}

async function must(who, method, path, body, status = [200, 201]) {
  const r = await call(who, method, path, body);
  assert.ok(status.includes(r.status), `${who} ${method} ${path}: ${r.status} ${r.text}`);
  return r.body;
}

// Korea-time calendar: YYYY-MM-DD of a Date, and back.
const kday = (d) => new Date(d.getTime() + 9 * 3600e3).toISOString().slice(0, 10);
const kdate = (s) => new Date(`${s}T00:00:00+09:00`);
const addDays = (s, n) => kday(new Date(kdate(s).getTime() + n * DAY));
const TODAY = kday(new Date());
const THIS_MONTH = TODAY.slice(0, 7);

function nextMonth(m) {
  const [y, mo] = m.split('-').map(Number);
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
}

// A small deterministic generator (the same ledger on every machine).
let seed = 20260301;
function rnd() {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}
const around = (x, spread) => Math.round(x * (1 - spread + 2 * spread * rnd()));

// The days of month m inside [start, end] and not after today.
function daysOf(m, start, end) {
  const out = [];
  for (let d = `${m}-01`; d.startsWith(m); d = addDays(d, 1))
    if (d >= start && d <= end && d < TODAY)
      out.push(d);
  return out;
}

// Noon Korea time of a day, as an RFC 3339 time.
const noon = (d) => `${d}T12:00:00+09:00`;

// Usage per listing: (month index from the start, the month's days) ->
// [dimension, quantity, day, subject?]. Quantities are whole numbers, as
// the vendors' meters would report them here.
const USAGE = {
  // 한빛 클라우드 서버: a 64-vCPU estate growing a little each month.
  1: (i, days) => days.flatMap((d) => [['vcpu_hour', around(24 * (60 + 2 * i), 0.08), d],
    ['memory_gb_hour', around(24 * (240 + 8 * i), 0.08), d], ['block_storage_gb', 800 + 40 * i, d],
    ['public_ip', 2, d]]),
  // 다온 관리형 데이터베이스.
  5: (i, days) => days.flatMap((d) => [['db_vcpu_hour', around(192, 0.05), d],
    ['db_storage_gb', 480 + 12 * i, d], ['backup_gb', 1100 + 25 * i, d]]),
  // 미리내 전자기록 SaaS: distinct users a month, the archive weekly.
  11: (i, days) => [
    ...Array.from({ length: 240 + 9 * i }, (_, k) => ['active_user', 1, days[k % days.length], `u-${k}`]),
    ...days.filter((_, k) => k % 7 === 0).map((d) => ['archive_gb', 360 + 6 * i, d])],
  // 새벽IT 운영 대행: the monthly base and the servers under management.
  18: (i, days) => [['operation_base', 1, days[0]],
    ...days.filter((_, k) => k % 7 === 0).map((d) => ['managed_server', 32 + (i > 3 ? 3 : 0), d])],
  // 누리소프트 협업 SaaS.
  8: (i, days) => [
    ...Array.from({ length: 110 + 6 * i }, (_, k) => ['active_user', 1, days[k % days.length], `m-${k}`]),
    ['extra_storage', 180 + 20 * i, days[days.length - 1]]],
  // 다온 지도 API.
  21: (i, days) => days.flatMap((d) => [['map_call', around(70000 + 3000 * i, 0.15), d],
    ['geocode_call', around(10000, 0.2), d]]),
  // 한빛 백업·DR.
  22: (i, days) => days.filter((_, k) => k % 7 === 0).flatMap((d) => [['protected_gb', 2800 + 60 * i, d],
    ['dr_replica_gb', 2800 + 60 * i, d], ['agent', 10, d]]),
  // 새벽IT 클라우드 전환 컨설팅: consultant days and the monthly PMO fee.
  17: (i, days) => [['pmo_fee', 1, days[0]],
    ...days.filter((_, k) => k % 6 === 2).map((d) => ['consultant_day', 1, d])],
};

// The contracts: agencies of every type, vendors large, midsize and SME,
// direct and via a quote, one ended, one near its ceiling, one at it.
const CONTRACTS = [
  { key: 'mois-iaas', buyer: 'buyer@mois.go.kr', approver: 'approver@mois.go.kr',
    vendor: 'admin@hanbit.example', listing: 1, grade: 'mid', quote: 31,
    system: '주민등록 민원 포털', title: '[데모] 주민등록 민원 포털 클라우드 인프라',
    start: '2026-03-01', end: '2027-02-28', ceiling: 40000000 },
  { key: 'seoul-db', buyer: 'buyer@seoul.go.kr', approver: 'approver@seoul.go.kr',
    vendor: 'admin@daon.example', listing: 5, grade: 'mid', shortlist: 19,
    system: '서울시 교통정보 플랫폼', title: '[데모] 교통정보 플랫폼 관리형 DB',
    start: '2026-04-01', end: '2027-03-31', ceiling: 8000000 },
  { key: 'gangnam-records', buyer: 'buyer@gangnam.go.kr', approver: 'approver@gangnam.go.kr',
    vendor: 'admin@mirinae.example', listing: 11, grade: 'mid', quote: 24,
    system: '강남구 전자기록 관리', title: '[데모] 강남구 전자기록 관리 SaaS',
    start: '2026-05-01', end: '2027-04-30', ceiling: 30000000 },
  { key: 'nia-ops', buyer: 'buyer@nia.or.kr', approver: 'approver@nia.or.kr',
    vendor: 'admin@saebyeok.example', listing: 18, grade: 'mid', shortlist: 12,
    system: 'NIA 공공 클라우드 운영', title: '[데모] 공공 클라우드 운영 대행',
    start: '2026-03-01', end: '2026-12-31', ceiling: 60000000 },
  { key: 'msit-collab', buyer: 'buyer@msit.go.kr', approver: 'approver@msit.go.kr',
    vendor: 'admin@nurisoft.example', listing: 8, grade: 'low', shortlist: 9,
    system: '과기정통부 내부 협업', title: '[데모] 협업 도구 구독',
    start: '2026-06-01', end: '2027-05-31', ceiling: 16000000 },
  { key: 'mois-map', buyer: 'buyer@mois.go.kr', approver: 'approver@mois.go.kr',
    vendor: 'admin@daon.example', listing: 21, grade: 'mid', shortlist: 15,
    system: '재난 안전 지도 서비스', title: '[데모] 재난 안전 지도 API',
    start: '2026-07-01', end: '2027-06-30', ceiling: 9000000 },
  { key: 'seoul-backup', buyer: 'buyer@seoul.go.kr', approver: 'approver@seoul.go.kr',
    vendor: 'admin@hanbit.example', listing: 22, grade: 'mid', shortlist: 26,
    system: '서울시 행정 데이터 백업', title: '[데모] 행정 데이터 백업·재해복구',
    start: '2026-09-01', end: '2027-08-31', ceiling: 6000000 },
  { key: 'gangnam-consult', buyer: 'buyer@gangnam.go.kr', approver: 'approver@gangnam.go.kr',
    vendor: 'admin@saebyeok.example', listing: 17, grade: 'mid', shortlist: 10,
    system: '강남구 클라우드 전환', title: '[데모] 클라우드 전환 컨설팅',
    start: '2026-03-01', end: '2026-07-31', ceiling: 30000000 },
];

async function makeContract(c) {
  // Weeks before the start: the shortlist, and for some the quote.
  const lead = c.quote ?? c.shortlist;
  const sl = await must(c.buyer, 'POST', '/api/v1/shortlists', { project_name: c.system });
  await must(c.buyer, 'POST', `/api/v1/shortlists/${sl.id}/items`, { listing: c.listing });
  sql(`UPDATE shortlist_items SET added_at = '${addDays(c.start, -lead)}T10:00:00+09:00'
    WHERE shortlist_id = ${sl.id}`);
  let quote;
  if (c.quote) {
    const plan = JSON.parse(sql(`SELECT rate_plan FROM listings WHERE id = ${c.listing}`));
    const quantities = Object.fromEntries(plan.dimensions.map((d) => [d.code, d.reference_quantity ?? '1']));
    const q = await must(c.buyer, 'POST', '/api/v1/quotes', { listing: c.listing, shortlist: sl.id,
      deadline: addDays(TODAY, 7), quantities, vat_included: false, message: `${c.system} 월 예상 사용량 기준 견적 요청` });
    quote = q.request_id;
    await must(c.vendor, 'POST', `/api/v1/quotes/${quote}/step`, { step: 'answer',
      price_won: Math.round(c.ceiling / 12 / 1.1), vat_included: false, text: '월 예상 사용량 기준, 종량제' });
    await must(c.buyer, 'POST', `/api/v1/quotes/${quote}/step`, { step: 'accept' });
    sql(`UPDATE quote_requests SET created_at = '${addDays(c.start, -c.quote + 1)}T14:00:00+09:00'
      WHERE id = ${quote}`);
  }
  const s = await must(c.buyer, 'POST', '/api/v1/systems', { name: c.system, nature: 'citizen', csap_grade: c.grade });
  const d = await must(c.buyer, 'POST', '/api/v1/eligibility', { system: s.id, listing: c.listing, start: TODAY });
  assert.equal(d.outcome, 'eligible', `${c.key}: ${JSON.stringify(d)}`);
  const body = { decision: d.id, title: c.title, start: TODAY, end: c.end > TODAY ? c.end : addDays(TODAY, 30),
    ceiling_won: c.ceiling, token: `demo-ledger-${c.key}` };
  if (quote)
    body.quote = quote;
  const k = await must(c.buyer, 'POST', '/api/v1/contracts', body);
  const id = k.contract_id;
  await must(c.buyer, 'POST', `/api/v1/contracts/${id}/step`, { step: 'submit' });
  await must(c.approver, 'POST', `/api/v1/contracts/${id}/step`, { step: 'approve' });
  await must(c.vendor, 'POST', `/api/v1/contracts/${id}/step`, { step: 'accept' });
  // As the owner: the period and the times of drafting and activation.
  sql(`UPDATE contracts SET start_date = '${c.start}', end_date = '${c.end}',
    created_at = '${addDays(c.start, -Math.ceil(lead / 2))}T09:30:00+09:00',
    activated_at = '${addDays(c.start, -3)}T16:00:00+09:00' WHERE id = ${id}`);
  return id;
}

// One Ed25519 key and one usage:write API key per vendor.
const vendorKeys = {};

async function vendorKey(email) {
  if (!vendorKeys[email]) {
    const kp = keyPair();
    const r = await must(email, 'POST', '/api/v1/usage/keys', { name: '데모 계량기', public_key: kp.pub });
    const web = await signIn(email);
    const made = await web.postJSON('/org/keys', { name: '데모 사용량 전송', scope: 'usage:write' });
    assert.equal(made.res.status, 201, JSON.stringify(made.body));
    vendorKeys[email] = { ...kp, keyId: r.key_id, apiKey: made.body.key };
  }
  return vendorKeys[email];
}

// Sends records [dimension, quantity, day, subject] of a contract in
// signed batches of at most 1,000; every record must be accepted.
async function sendUsage(c, id, records, tag) {
  const key = await vendorKey(c.vendor);
  for (let i = 0; i < records.length; i += 1000) {
    const batch = records.slice(i, i + 1000).map(([dim, q, day, subject], j) => {
      const r = { record_id: `demo-${id}-${tag}-${i + j}`, contract_id: id, dimension: dim,
        quantity: String(q), time: noon(day) };
      if (subject)
        r.subject = subject;
      return r;
    });
    const r = await post(key, { records: batch }, { apiKey: key.apiKey });
    assert.equal(r.status, 200, r.text);
    const bad = r.body.results.filter((x) => x.status !== 'accepted');
    assert.equal(bad.length, 0, JSON.stringify(bad.slice(0, 3)));
  }
}

async function availability(c, id, month, percent) {
  const key = await vendorKey(c.vendor);
  const text = JSON.stringify({ contract_id: id, month, availability: percent });
  const r = await post(key, text, { apiKey: key.apiKey, path: '/api/v1/usage/availability' });
  assert.ok([200, 201].includes(r.status), r.text);
}

function months(from, to) {
  const out = [];
  for (let m = from; m <= to; m = nextMonth(m))
    out.push(m);
  return out;
}

async function invoicesOf(who, id) {
  const list = await must(who, 'GET', `/api/v1/invoices?contract=${id}`);
  return list.invoices;
}

// 검수 of every line, then payment in full three weeks after issue.
async function settle(c, inv, pay = true) {
  const full = await must(c.buyer, 'GET', `/api/v1/invoices/${inv.id}`);
  for (const l of full.lines)
    if (l.review !== 'accepted' && l.resolution !== 'credited')
      await must(c.buyer, 'POST', `/api/v1/invoices/${inv.id}/lines/review`, { line: l.line_no, decision: 'accept' });
  if (!pay)
    return;
  const after = await must(c.buyer, 'GET', `/api/v1/invoices/${inv.id}`);
  const due = after.outstanding_won ?? after.outstanding;
  if (due > 0) {
    const issued = (after.issued_at ?? TODAY).slice(0, 10);
    const on = addDays(issued, 21) < TODAY ? addDays(issued, 21) : TODAY;
    await must(c.approver, 'POST', `/api/v1/invoices/${inv.id}/payments`, { amount_won: due, paid_on: on,
      reference: `dBrain-${on.replaceAll('-', '')}-${inv.id}` });
  }
}

async function main() {
  const first = CONTRACTS[0].title.replaceAll("'", "''");
  if (sql(`SELECT count(*) FROM contracts WHERE title = '${first}'`) !== '0') {
    console.log('demo ledger: already loaded');
    return;
  }
  const t0 = Date.now();
  execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', DB, '-f',
    new URL('demo/ledger-accounts.sql', import.meta.url).pathname]);

  const ids = {};
  for (const c of CONTRACTS)
    ids[c.key] = await makeContract(c);

  // Usage from each contract's start to yesterday; September's last week
  // of the IaaS contract arrives late (after September is invoiced) and
  // becomes a prior-period adjustment on October's invoice.
  const late = [];
  for (const c of CONTRACTS) {
    const id = ids[c.key];
    const ms = months(c.start.slice(0, 7), c.end < TODAY ? c.end.slice(0, 7) : THIS_MONTH);
    const records = [];
    ms.forEach((m, i) => {
      const days = daysOf(m, c.start, c.end);
      if (days.length > 0)
        records.push(...USAGE[c.listing](i, days));
    });
    if (c.key === 'mois-iaas') {
      const isLate = (r) => r[2] >= '2026-09-24' && r[2] <= '2026-09-30';
      late.push(...records.filter(isLate));
      await sendUsage(c, id, records.filter((r) => !isLate(r)), 'u');
    } else {
      await sendUsage(c, id, records, 'u');
    }
    for (const m of ms)
      if (m < THIS_MONTH)
        await availability(c, id, m, c.key === 'mois-iaas' && m === '2026-07' ? '99.91' : '99.98');
  }

  // The month close, March to October as it would have run on the 4th of
  // the next month; November stays a draft until its grace period ends.
  for (const m of months('2026-03', '2026-10')) {
    if (m === '2026-10')
      await sendUsage(CONTRACTS[0], ids['mois-iaas'], late, 'late');
    ctl('close-month', m, '--now', `${nextMonth(m)}-04T00:00:00+09:00`);
  }
  ctl('close-month', THIS_MONTH === '2026-12' ? '2026-11' : THIS_MONTH);
  ctl('expire-certificates');
  ctl('seal-invoices');

  // 검수 and payment: every invoice up to September settled; October's
  // partly: one disputed line answered and credited, one accepted and
  // not yet paid, the rest waiting for 검수.
  for (const c of CONTRACTS) {
    const id = ids[c.key];
    for (const inv of await invoicesOf(c.buyer, id)) {
      if (inv.kind === 'credit_note' || inv.status === 'draft')
        continue;
      const m = inv.month.slice(0, 7);
      if (m < '2026-10') {
        await settle(c, inv);
      } else if (c.key === 'mois-iaas') {
        const P = `/api/v1/invoices/${inv.id}`;
        const full = await must(c.buyer, 'GET', P);
        const line = full.lines.find((l) => l.dimension === 'block_storage_gb');
        await must(c.buyer, 'POST', `${P}/lines/review`, { line: line.line_no, decision: 'dispute',
          reason: '10월 블록 스토리지 최대 사용량이 운영 기록(960GB)보다 많습니다.' });
        await must(c.vendor, 'POST', `${P}/lines/answer`, { line: line.line_no,
          answer: '스냅숏 이관 중 일시 중복 집계가 확인되어 40GB분을 정정합니다.' });
        await must(c.vendor, 'POST', `${P}/credit-notes`, { line: line.line_no, amount_won: 40 * 85,
          reason: '스냅숏 이관 중 중복 집계 정정' });
        await settle(c, inv);
      } else if (c.key === 'seoul-db' || c.key === 'nia-ops') {
        await settle(c, inv, false);
      }
    }
  }
  console.log(`demo ledger: ${CONTRACTS.length} contracts, ` +
    `${sql(`SELECT count(*) FROM usage_records WHERE record_id LIKE 'demo-%'`)} usage records, ` +
    `${sql(`SELECT count(*) FROM invoices i JOIN contracts c ON c.id = i.contract_id WHERE c.client_token LIKE 'demo-ledger-%'`)} invoices ` +
    `in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

await main();
