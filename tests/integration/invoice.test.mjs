// The month close and the invoice pages over HTTP: every pricing model
// and aggregation closed into invoices, billing.md's worked examples
// reproduced as invoices (graduated with flat fees, volume, package,
// proration, SLA credit, the ceiling cap, VAT), the grace period (draft,
// then issued), idempotence, a crash in the middle and a rerun, gapless
// numbers under two vendors, prior-period adjustments for late records,
// the ceiling alerts once each, and the buyer's 검수, disputes, the
// vendor's answer and credit note, payments, wrong roles and states.
//
// The months are in 2024 so that no other test's contract is in force
// in them. Usage is written as the database owner (invoice-lib.mjs).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { activeContract, withdrawTestListings, call, SAMPLE_PLAN } from './metering-lib.mjs';
import { addUsage, closeMonth, setAvailability, vendor2Contract, invoiceOf, sql } from './invoice-lib.mjs';
import { signIn, USERS } from './lib.mjs';

const RUN = `inv${Date.now().toString(36)}`;
const C = {};

// Volume with charge_at_zero, package rounded up, a flat fee, a
// unique_count and a latest dimension: the rest of the models.
const PLAN_B = {
  dimensions: [
    { code: 'api_call', unit_ko: 'API 호출', unit_en: 'API call', aggregation: 'sum', model: 'volume',
      charge_at_zero: true, reference_quantity: '100', tiers: [
        { up_to: '100', unit_price: '2', flat_fee: '10' }, { up_to: '200', unit_price: '1' },
        { up_to: null, unit_price: '0.5', flat_fee: '50' }] },
    { code: 'transfer_gb', unit_ko: '전송 GB', unit_en: 'transfer GB', aggregation: 'sum', model: 'package',
      package_size: '10', package_price: '100', package_rounding: 'up', reference_quantity: '10' },
    { code: 'base_fee', unit_ko: '기본료', unit_en: 'base fee', aggregation: 'sum', model: 'flat',
      fee: '100000', reference_quantity: '1' },
    { code: 'active_user', unit_ko: '활성 사용자', unit_en: 'active user', aggregation: 'unique_count',
      model: 'per_unit', unit_price: '1000', reference_quantity: '10' },
    { code: 'instances', unit_ko: '인스턴스', unit_en: 'instances', aggregation: 'latest',
      model: 'per_unit', unit_price: '10', reference_quantity: '1' },
  ],
};

// One won per unit: amounts are the quantities.
const PLAN_WON = {
  dimensions: [{ code: 'unit', unit_ko: '단위', unit_en: 'unit', aggregation: 'sum', model: 'per_unit',
    unit_price: '1', reference_quantity: '1' }],
};

const at = (day, hour = 12) => `${day}T${String(hour).padStart(2, '0')}:00:00+09:00`;

before(async () => {
  C.a = await activeContract(RUN, 'a', { start: '2024-01-01', end: '2024-12-31', tags: '민원과,정보화사업' });
  C.b = await activeContract(RUN, 'b', { plan: PLAN_B, start: '2024-03-22', end: '2024-12-31' });
  C.c = await activeContract(RUN, 'c', { plan: PLAN_WON, start: '2024-02-01', end: '2024-12-31',
    ceiling_won: 1100000 });
  C.d = await activeContract(RUN, 'd', { plan: PLAN_WON, start: '2024-03-01', end: '2024-12-31',
    ceiling_won: 100000000, rounding: 'down' });
  C.e = await vendor2Contract(RUN, 'e', PLAN_WON, { start: '2024-03-01', end: '2024-12-31' });

  // A: graduated 21 units (163 won), storage max 100 GB (10,050 won),
  // availability 99.2% (below 99.5%: 10% credit).
  addUsage(RUN, C.a.id, [
    { dimension: 'vcpu_hour', quantity: '10', at: at('2024-03-01', 0), allocation: '민원과' },
    { dimension: 'vcpu_hour', quantity: '5.5', at: at('2024-03-15'), allocation: '정보화사업' },
    { dimension: 'vcpu_hour', quantity: '5.5', at: at('2024-03-31', 23), allocation: '민원과' },
    { dimension: 'storage_gb_month', quantity: '40', at: at('2024-03-02') },
    { dimension: 'storage_gb_month', quantity: '100', at: at('2024-03-20') },
    { dimension: 'storage_gb_month', quantity: '70', at: at('2024-03-30') },
  ]);
  setAvailability(C.a.id, '2024-03', '99.2');
  // B: volume 210 → 155; package 121 → 13 × 100; flat 100,000 for 10 of
  // 31 days → 32,258; 3 distinct users → 3,000; latest 4 → 40.
  addUsage(RUN, C.b.id, [
    { dimension: 'api_call', quantity: '200', at: at('2024-03-22', 1) },
    { dimension: 'api_call', quantity: '10', at: at('2024-03-23') },
    { dimension: 'transfer_gb', quantity: '121', at: at('2024-03-25') },
    { dimension: 'active_user', quantity: '1', at: at('2024-03-23'), subject: 'u1' },
    { dimension: 'active_user', quantity: '1', at: at('2024-03-24'), subject: 'u2' },
    { dimension: 'active_user', quantity: '1', at: at('2024-03-25'), subject: 'u1' },
    { dimension: 'active_user', quantity: '1', at: at('2024-03-26'), subject: 'u3' },
    { dimension: 'instances', quantity: '5', at: at('2024-03-23') },
    { dimension: 'instances', quantity: '7', at: at('2024-03-30') },
    { dimension: 'instances', quantity: '4', at: at('2024-03-31', 20) },
  ]);
  // C: 700,000 in February (770,000 with VAT), 500,000 in March.
  addUsage(RUN, C.c.id, [{ dimension: 'unit', quantity: '700000', at: at('2024-02-10') }]);
  addUsage(RUN, C.c.id, [{ dimension: 'unit', quantity: '500000', at: at('2024-03-10') }]);
  // D: 1,234,567 won of supply: VAT 123,456.
  addUsage(RUN, C.d.id, [{ dimension: 'unit', quantity: '1234567', at: at('2024-03-05') }]);
  addUsage(RUN, C.e.id, [{ dimension: 'unit', quantity: '1000', at: at('2024-03-05') }], 2);
});

after(() => withdrawTestListings(RUN));

test('February closes and is issued after its grace period: the ceiling passes 50% once', () => {
  const r = closeMonth('2024-02', '2024-03-10T00:00:00+09:00');
  assert.equal(r.status, 0, r.stderr);
  const c = invoiceOf(C.c.id, '2024-02');
  assert.equal(c.status, 'issued');
  assert.equal(c.supply_won, 700000);
  assert.equal(c.total_won, 770000);
  assert.match(c.number, /^2148652606-2024-\d{6}$/);
  assert.equal(sql(`SELECT string_agg(threshold::text, ',' ORDER BY threshold) FROM ceiling_alerts
    WHERE contract_id = ${C.c.id}`), '50');
  // A (in force since January) has its zero-usage invoice: the first
  // tier's flat fee only (charge_at_zero), the per-unit line 0.
  const a = invoiceOf(C.a.id, '2024-02');
  assert.deepEqual(a.lines.map((l) => [l.kind, l.amount_won]), [['usage', 2], ['usage', 0]]);
});

test('March in its grace period: drafts, recomputed, and a second run changes nothing', () => {
  const r = closeMonth('2024-03', '2024-04-02T12:00:00+09:00');
  assert.equal(r.status, 0, r.stderr);
  const a = invoiceOf(C.a.id, '2024-03');
  assert.equal(a.status, 'draft');
  assert.equal(a.number, null);
  const snap = sql(`SELECT json_agg(row_to_json(i) ORDER BY id) FROM invoices i WHERE month = '2024-03-01'`);
  const lines = sql(`SELECT json_agg(row_to_json(l) ORDER BY invoice_id, line_no) FROM invoice_lines l
    JOIN invoices i ON i.id = l.invoice_id WHERE i.month = '2024-03-01'`);
  const audits = sql(`SELECT count(*) FROM audit_events WHERE action LIKE 'invoice%'`);
  const again = closeMonth('2024-03', '2024-04-03T23:59:59+09:00');
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /0 drafts written, 5 unchanged, 0 issued/);
  assert.equal(sql(`SELECT json_agg(row_to_json(i) ORDER BY id) FROM invoices i WHERE month = '2024-03-01'`), snap);
  assert.equal(sql(`SELECT json_agg(row_to_json(l) ORDER BY invoice_id, line_no) FROM invoice_lines l
    JOIN invoices i ON i.id = l.invoice_id WHERE i.month = '2024-03-01'`), lines);
  assert.equal(sql(`SELECT count(*) FROM audit_events WHERE action LIKE 'invoice%'`), audits);

  // Late usage in the grace period changes the draft.
  addUsage(RUN, C.d.id, [{ dimension: 'unit', quantity: '0.999999', at: at('2024-03-31', 23) }]);
  const third = closeMonth('2024-03', '2024-04-03T00:00:00+09:00');
  assert.match(third.stdout, /1 drafts written, 4 unchanged/);
  const d = invoiceOf(C.d.id, '2024-03');
  // 1,234,567.999999 rounded down (the contract's 절사): 1,234,567.
  assert.equal(d.supply_won, 1234567);
  assert.equal(d.vat_won, 123456);
  assert.equal(d.total_won, 1358023);
});

test('after the grace period March is issued: the worked examples as invoices', () => {
  const r = closeMonth('2024-03', '2024-04-04T00:00:00+09:00');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /5 issued/);

  const a = invoiceOf(C.a.id, '2024-03');
  assert.equal(a.status, 'issued');
  assert.deepEqual(a.lines.map((l) => [l.kind, l.dimension, l.amount_won]), [
    ['usage', 'vcpu_hour', 163], ['usage', 'storage_gb_month', 10050], ['sla_credit', null, -1021]]);
  // The tier breakdown of 21 units: 10 × 10 + 2, 10 × 5 + 3, 1 × 5 + 3.
  assert.deepEqual(a.lines[0].breakdown.map((p) => [p.tier, p.quantity, p.amount]),
    [[1, '10', '102'], [2, '10', '53'], [3, '1', '8']]);
  assert.equal(a.supply_won, 9192);
  assert.equal(a.vat_won, 919);
  assert.equal(a.total_won, 10111);

  const b = invoiceOf(C.b.id, '2024-03');
  assert.deepEqual(b.lines.map((l) => [l.dimension, l.amount_won]), [
    ['api_call', 155], ['transfer_gb', 1300], ['base_fee', 32258], ['active_user', 3000],
    ['instances', 40]]);
  assert.equal(b.calc.days_active, 10);
  assert.equal(b.supply_won, 36753);
  assert.equal(b.vat_won, 3675);

  // The ceiling cap of the rules: 1,100,000, 770,000 invoiced, 500,000.
  const c = invoiceOf(C.c.id, '2024-03');
  assert.deepEqual(c.lines.map((l) => [l.kind, l.amount_won]), [['usage', 500000], ['ceiling_cap', -200000]]);
  assert.equal(c.supply_won, 300000);
  assert.equal(c.vat_won, 30000);
  assert.equal(c.total_won, 330000);
  assert.equal(c.lines[1].label_ko, '계약금액 한도 초과분 차감');
  // 770,000 + 330,000 = the ceiling: 80, 90 and 100% fire, 50% not again.
  assert.equal(sql(`SELECT string_agg(threshold::text, ',' ORDER BY threshold) FROM ceiling_alerts
    WHERE contract_id = ${C.c.id}`), '50,80,90,100');
  assert.equal(sql(`SELECT count(*) FROM notifications n JOIN users u ON u.id = n.user_id
    WHERE n.kind = 'ceiling_alert' AND u.email = '${USERS.buyer}' AND n.subject_ko LIKE '%#${C.c.id} %'`), '4');
  assert.ok(Number(sql(`SELECT count(*) FROM mail_outbox WHERE subject LIKE '%100%#${C.c.id} %'`)) >= 1);

  // Issued once: a rerun keeps everything, alerts included.
  const again = closeMonth('2024-03', '2024-04-05T00:00:00+09:00');
  assert.match(again.stdout, /0 issued, 5 already issued/);
  assert.equal(sql(`SELECT count(*) FROM ceiling_alerts WHERE contract_id = ${C.c.id}`), '4');

  // The agency and each vendor were told once for the batch: vendor 2's
  // single invoice by its link, the agency's five by the month's list.
  assert.equal(sql(`SELECT string_agg(n.subject_ko, '|') FROM notifications n JOIN users u ON u.id = n.user_id
    WHERE n.kind = 'invoice_issued' AND u.email = '${USERS.buyer}' AND n.link = '/invoices?month=2024-03'`),
    '2024-03 청구서 5건 발행 (합계 1,739,662원)');
  const e = invoiceOf(C.e.id, '2024-03');
  assert.equal(sql(`SELECT count(*) FROM notifications n JOIN users u ON u.id = n.user_id
    WHERE n.kind = 'invoice_issued' AND u.email = '${USERS.other_vendor_admin}'
    AND n.link = '/invoices/${e.id}'`), '1');
});

test('numbers have no gaps per vendor, across two vendors', () => {
  for (const v of [1, 2]) {
    const [n, lo, hi, last] = sql(`SELECT count(*), min(seq), max(seq),
      (SELECT last_seq FROM invoice_sequences WHERE vendor_id = ${v}) FROM invoices
      WHERE vendor_id = ${v} AND seq IS NOT NULL`).split('|').map(Number);
    assert.equal(lo, 1);
    assert.equal(hi, n, `vendor ${v}: ${n} numbers up to ${hi}`);
    assert.equal(last, hi);
  }
  const e = invoiceOf(C.e.id, '2024-03');
  assert.match(e.number, /^1208118157-2024-\d{6}$/);
});

test('an issued invoice is never edited: the trigger refuses it', () => {
  const a = invoiceOf(C.a.id, '2024-03');
  assert.throws(() => sql(`UPDATE invoices SET total_won = total_won + 1, supply_won = supply_won + 1
    WHERE id = ${a.id}`), /corrections are credit notes|is issued: only its status may change/);
  assert.throws(() => sql(`UPDATE invoice_lines SET amount_won = 1 WHERE invoice_id = ${a.id}
    AND line_no = 1`), /cannot change|are not edited/);
  assert.throws(() => sql(`DELETE FROM invoice_lines WHERE invoice_id = ${a.id}`), /cannot change|are not edited/);
});

test('late records of an issued month are billed as adjustments on the next invoice, once', () => {
  // One more vCPU hour in March: 22 → 168 won (+5); the credit on 10,218
  // is −1,022 (−1 more).
  addUsage(RUN, C.a.id, [{ dimension: 'vcpu_hour', quantity: '1', at: at('2024-03-31', 22) }]);
  let r = closeMonth('2024-04', '2024-05-04T00:00:00+09:00');
  assert.equal(r.status, 0, r.stderr);
  const a4 = invoiceOf(C.a.id, '2024-04');
  const adj = a4.lines.filter((l) => l.kind === 'adjustment');
  assert.deepEqual(adj.map((l) => [l.dimension, l.adjusts_month, l.amount_won]),
    [['vcpu_hour', '2024-03', 5], [null, '2024-03', -1]]);
  assert.equal(adj[0].label_ko, '2024-03 사용량 정산: vCPU시간');
  // March itself is as issued.
  assert.equal(invoiceOf(C.a.id, '2024-03').total_won, 10111);
  // May: nothing left to adjust.
  r = closeMonth('2024-05', '2024-06-04T00:00:00+09:00');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(invoiceOf(C.a.id, '2024-05').lines.filter((l) => l.kind === 'adjustment').length, 0);
  // C is at its ceiling: April's usage is capped to 0.
  addUsage(RUN, C.c.id, [{ dimension: 'unit', quantity: '10', at: at('2024-06-10') }]);
});

test('a crash in the middle and a rerun give the same invoices and numbers', () => {
  // June in its grace period, computed whole, then thrown away.
  addUsage(RUN, C.d.id, [{ dimension: 'unit', quantity: '42', at: at('2024-06-03') }]);
  let r = closeMonth('2024-06', '2024-07-01T00:00:00+09:00');
  assert.equal(r.status, 0, r.stderr);
  const whole = sql(`SELECT json_agg(json_build_object('c', contract_id, 's', supply_won, 'v', vat_won,
    'calc', calc) ORDER BY contract_id) FROM invoices WHERE month = '2024-06-01'`);
  sql(`DELETE FROM invoice_lines USING invoices i WHERE i.id = invoice_id AND i.month = '2024-06-01'`);
  sql(`DELETE FROM invoices WHERE month = '2024-06-01'`);

  // Issue run killed after 2 contracts: 2 issued, the rest absent.
  r = closeMonth('2024-06', '2024-07-04T00:00:00+09:00', { GUREUM_CLOSE_CRASH_AFTER: '2' });
  assert.equal(r.status, 70, r.stderr);
  assert.equal(sql(`SELECT count(*) FROM invoices WHERE month = '2024-06-01'`), '2');
  r = closeMonth('2024-06', '2024-07-04T00:00:00+09:00');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(sql(`SELECT json_agg(json_build_object('c', contract_id, 's', supply_won, 'v', vat_won,
    'calc', calc) ORDER BY contract_id) FROM invoices WHERE month = '2024-06-01'`), whole);
  assert.equal(sql(`SELECT count(*) FROM invoices WHERE month = '2024-06-01' AND status = 'issued'`), '5');
  const [n, hi] = sql(`SELECT count(*), max(seq) FROM invoices WHERE vendor_id = 1 AND seq IS NOT NULL`)
    .split('|').map(Number);
  assert.equal(n, hi);
});

test('bad arguments of close-month are usage errors', () => {
  assert.equal(closeMonth('2024-13').status, 2);
  assert.equal(closeMonth('June').status, 2);
  assert.equal(closeMonth('2099-01').status, 2);
  assert.equal(closeMonth('2024-06', 'yesterday').status, 2);
});

test('the invoice over the API: lines, breakdown, usage by day and allocation tag', async () => {
  const a = invoiceOf(C.a.id, '2024-03');
  const r = await call('buyer', 'GET', `/api/v1/invoices/${a.id}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.total_won, 10111);
  assert.equal(r.body.lines.length, 3);
  const vcpu = r.body.usage.find((u) => u.dimension === 'vcpu_hour');
  // The late record of the adjustment test carries no tag.
  assert.deepEqual(vcpu.allocations.map((x) => [x.key, x.sum]),
    [['', '1'], ['민원과', '15.5'], ['정보화사업', '5.5']]);
  // 23:00 KST on March 31 is still March, and its day in Korea time.
  assert.ok(vcpu.days.some((x) => x.key === '2024-03-31'));
  for (const who of ['other_buyer', 'other_vendor_admin'])
    assert.equal((await call(who, 'GET', `/api/v1/invoices/${a.id}`)).status, 404);
  assert.equal((await call('auditor', 'GET', `/api/v1/invoices/${a.id}`)).status, 200);
  const list = await call('vendor_staff', 'GET', `/api/v1/invoices?month=2024-03&contract=${C.a.id}`);
  assert.equal(list.status, 200);
  assert.deepEqual(list.body.invoices.map((i) => i.id), [a.id]);
  for (const [q, field] of [['month=2024-13', 'month'], ['month=x', 'month'], ['status=open', 'status'],
    ['contract=abc', 'contract'], ['contract=-1', 'contract']]) {
    const bad = await call('buyer', 'GET', `/api/v1/invoices?${q}`);
    assert.equal(bad.status, 400, q);
    assert.equal(bad.body.error.field, field);
  }
});

test('검수, dispute, answer, credit note, payments: roles, states and the status that follows', async () => {
  const a = invoiceOf(C.a.id, '2024-03');
  const P = `/api/v1/invoices/${a.id}`;
  // Wrong roles and organisations.
  assert.equal((await call('vendor_admin', 'POST', `${P}/lines/review`, { line: 1, decision: 'accept' })).status, 403);
  assert.equal((await call('other_buyer', 'POST', `${P}/lines/review`, { line: 1, decision: 'accept' })).status, 404);
  assert.equal((await call('buyer', 'POST', `${P}/payments`, { amount_won: 1, paid_on: '2024-04-10' })).status, 403);
  assert.equal((await call('vendor_staff', 'POST', `${P}/credit-notes`, { line: 1, amount_won: 1, reason: 'x' })).status, 403);
  // Bad input.
  let r = await call('buyer', 'POST', `${P}/lines/review`, { line: 9, decision: 'accept' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'line');
  r = await call('buyer', 'POST', `${P}/lines/review`, { line: 2, decision: 'dispute' });
  assert.equal(r.body.error.field, 'reason');
  r = await call('buyer', 'POST', `${P}/lines/review`, { line: 2, decision: 'dispute', reason: 'x'.repeat(2001) });
  assert.equal(r.status, 400);
  r = await call('buyer', 'POST', `${P}/lines/review`, { line: 2, decision: 'maybe' });
  assert.equal(r.body.error.field, 'decision');

  r = await call('buyer', 'POST', `${P}/lines/review`, { line: 1, decision: 'accept' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.status, 'issued');
  assert.equal((await call('buyer', 'POST', `${P}/lines/review`, { line: 1, decision: 'accept' })).status, 409);
  const reason = `<script>alert(1)</script> 저장 용량 '; DROP TABLE invoices; --`;
  r = await call('buyer_approver', 'POST', `${P}/lines/review`, { line: 2, decision: 'dispute', reason });
  assert.equal(r.body.status, 'disputed');
  assert.equal((await call('buyer', 'POST', `${P}/lines/review`, { line: 2, decision: 'dispute', reason: 'again' })).status, 409);
  // The vendor answers the open dispute, not an accepted line.
  assert.equal((await call('vendor_staff', 'POST', `${P}/lines/answer`, { line: 1, answer: '?' })).status, 409);
  assert.equal((await call('vendor_staff', 'POST', `${P}/lines/answer`, { line: 2, answer: '확인 중입니다' })).status, 200);

  // Credit note: more than the line is refused; 5,000 of line 2 is issued.
  r = await call('vendor_admin', 'POST', `${P}/credit-notes`, { line: 2, amount_won: 10051, reason: '과다 청구' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'amount_won');
  r = await call('vendor_admin', 'POST', `${P}/credit-notes`, { lines: [{ line: 2, amount_won: 5000 }],
    reason: '저장 용량 중복 집계' });
  assert.equal(r.status, 201, r.text);
  assert.match(r.body.number, /^2148652606-2024-\d{6}$/);
  const cn = await call('buyer', 'GET', `/api/v1/invoices/${r.body.credit_note_id}`);
  assert.equal(cn.body.kind, 'credit_note');
  assert.equal(cn.body.corrects_id, a.id);
  assert.equal(cn.body.supply_won, -5000);
  assert.equal(cn.body.vat_won, -500);
  assert.equal(cn.body.total_won, -5500);
  assert.equal(cn.body.lines[0].amount_won, -5000);
  // The dispute is settled; the SLA line is still to be reviewed.
  let inv = (await call('buyer', 'GET', P)).body;
  assert.equal(inv.status, 'issued');
  assert.equal(inv.lines[1].resolution, 'credited');
  assert.equal(inv.outstanding_won, 10111 - 5500);
  r = await call('buyer', 'POST', `${P}/lines/review`, { line: 3, decision: 'accept' });
  assert.equal(r.body.status, 'accepted');
  // A credit note cannot be reviewed or credited itself.
  assert.equal((await call('buyer', 'POST', `/api/v1/invoices/${cn.body.id}/lines/review`,
    { line: 1, decision: 'accept' })).status, 409);
  assert.equal((await call('vendor_admin', 'POST', `/api/v1/invoices/${cn.body.id}/credit-notes`,
    { line: 1, amount_won: 1, reason: 'x' })).status, 409);

  // Payments: too much, a future date, then in two parts to paid.
  r = await call('buyer_approver', 'POST', `${P}/payments`, { amount_won: 4612, paid_on: '2024-04-20' });
  assert.equal(r.body.error.field, 'amount_won');
  r = await call('buyer_approver', 'POST', `${P}/payments`, { amount_won: 100, paid_on: '2099-01-01' });
  assert.equal(r.body.error.field, 'paid_on');
  r = await call('buyer_approver', 'POST', `${P}/payments`, { amount_won: 100, paid_on: '2024-02-30' });
  assert.equal(r.body.error.field, 'paid_on');
  r = await call('buyer_approver', 'POST', `${P}/payments`, { amount_won: 4000, paid_on: '2024-04-20',
    reference: 'dBrain-2024-0420' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.status, 'accepted');
  assert.equal(r.body.outstanding, 611);
  r = await call('buyer_approver', 'POST', `${P}/payments`, { amount_won: 611, paid_on: '2024-04-21' });
  assert.equal(r.body.status, 'paid');
  assert.equal((await call('buyer_approver', 'POST', `${P}/payments`, { amount_won: 1, paid_on: '2024-04-21' })).status, 409);
  assert.equal((await call('buyer', 'POST', `${P}/lines/review`, { line: 1, decision: 'dispute', reason: 'late' })).status, 409);

  // Every step audited; gapless numbers still.
  const actions = sql(`SELECT string_agg(action, ',' ORDER BY id) FROM audit_events WHERE object_type = 'invoice'
    AND object_id = '${a.id}' AND actor_id IS NOT NULL`);
  assert.equal(actions, 'invoice_line_accepted,invoice_line_disputed,invoice_dispute_answered,' +
    'credit_note_issued,invoice_line_accepted,invoice_payment_recorded,invoice_payment_recorded');
  const [n, hi] = sql(`SELECT count(*), max(seq) FROM invoices WHERE vendor_id = 1 AND seq IS NOT NULL`)
    .split('|').map(Number);
  assert.equal(n, hi);
});

test('withdrawing a dispute; a draft cannot be reviewed', async () => {
  const b = invoiceOf(C.b.id, '2024-03');
  const P = `/api/v1/invoices/${b.id}`;
  assert.equal((await call('buyer', 'POST', `${P}/lines/review`, { line: 1, decision: 'withdraw' })).status, 409);
  let r = await call('buyer', 'POST', `${P}/lines/review`, { line: 1, decision: 'dispute', reason: '호출 수 확인 필요' });
  assert.equal(r.body.status, 'disputed');
  r = await call('buyer', 'POST', `${P}/lines/review`, { line: 1, decision: 'withdraw' });
  assert.equal(r.body.status, 'issued');
  const inv = (await call('buyer', 'GET', P)).body;
  assert.equal(inv.lines[0].review, null);
  // A draft (July, in its grace period).
  assert.equal(closeMonth('2024-07', '2024-08-01T00:00:00+09:00').status, 0);
  const d = invoiceOf(C.d.id, '2024-07');
  assert.equal(d.status, 'draft');
  assert.equal((await call('buyer', 'POST', `/api/v1/invoices/${d.id}/lines/review`,
    { line: 1, decision: 'accept' })).status, 409);
  assert.equal((await call('vendor_admin', 'POST', `/api/v1/invoices/${d.id}/credit-notes`,
    { line: 1, amount_won: 1, reason: 'x' })).status, 409);
});

test('browser forms: CSRF, escaped text, Korean and English pages', async () => {
  const a = invoiceOf(C.a.id, '2024-03');
  const buyer = await signIn(USERS.buyer);
  let res = await buyer.post(`/invoices/${a.id}/lines/review`, { line: '1', decision: 'accept', csrf: 'nope' });
  assert.equal(res.status, 403);
  res = await buyer.get(`/invoices/${a.id}`);
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.ok(!html.includes('<script>alert(1)'));
  for (const word of ['공급가액', '부가세', '합계', 'SLA 미달 크레딧', '수정(감액) 청구서'])
    assert.ok(html.includes(word), word);
  assert.ok(html.includes(`/invoices/${a.id}/invoice.pdf`));
  assert.ok(html.includes(`/invoices/${a.id}/evidence.json`));
  buyer.jar.lang = 'en';
  res = await buyer.get(`/invoices/${a.id}`);
  const en = await res.text();
  for (const word of ['Supply amount', 'VAT', 'Total', 'Credit notes'])
    assert.ok(en.includes(word), word);
  // A failed form comes back as the invoice page with the message on
  // top, linked to its input, and what was typed still in it.
  const b = invoiceOf(C.b.id, '2024-03');
  res = await buyer.post(`/invoices/${b.id}/lines/review`, { line: '2', decision: 'dispute', reason: '  ' });
  assert.equal(res.status, 400);
  let page = await res.text();
  assert.ok(page.includes('error-summary') && page.includes('href="#reason-2"'));
  const long = '<i>긴 사유</i>'.repeat(300);
  res = await buyer.post(`/invoices/${b.id}/lines/review`, { line: '2', decision: 'dispute', reason: long });
  assert.equal(res.status, 400);
  page = await res.text();
  assert.ok(page.includes('&lt;i&gt;긴 사유&lt;/i&gt;&lt;i&gt;'));
  const approver = await signIn(USERS.buyer_approver);
  res = await approver.post(`/invoices/${b.id}/payments`, { amount_won: '999999999', paid_on: '2024-04-10',
    reference: 'REF-1' });
  assert.equal(res.status, 400);
  page = await res.text();
  assert.ok(page.includes('value="999999999"') && page.includes('value="REF-1"') && page.includes('href="#pay-amount"'));
  // The state outcome (a paid invoice) is a 409 page, in Korean.
  res = await approver.post(`/invoices/${a.id}/payments`, { amount_won: '1', paid_on: '2024-04-10' });
  assert.equal(res.status, 409);
  assert.ok((await res.text()).includes('지금 상태에서는 할 수 없습니다.'));

  // The dashboard: C at 100%, with its alerts and a chart.
  buyer.jar.lang = 'ko';
  res = await buyer.get('/dashboard');
  const dash = await res.text();
  assert.equal(res.status, 200);
  assert.ok(dash.includes(`data-contract="${C.c.id}"`));
  assert.ok(dash.includes('<svg'));
  assert.ok(dash.includes('data-alert="100"'));
  const api = await call('buyer', 'GET', '/api/v1/dashboard');
  const c = api.body.contracts.find((x) => x.id === C.c.id);
  assert.equal(c.invoiced_won, 1100000);
  assert.equal(c.remaining_won, 0);
  assert.deepEqual(c.alerts.map((x) => x.threshold), [50, 80, 90, 100]);
  assert.equal((await call('vendor_admin', 'GET', '/api/v1/dashboard')).status, 403);
});
