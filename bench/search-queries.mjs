// bench/search-queries.mjs: the query workloads of bench/search.sh, written
// from one list so that the Xapian side (wrk, URL paths) and the
// PostgreSQL side (pgbench, rows of bench_queries) ask exactly the same
// questions.
//
//   node bench/search-queries.mjs GCLOUD_CSV KO_TXT OUTDIR
//
// Writes into OUTDIR:
//   api-en.txt        the 999 real G-Cloud buyer queries, no filter
//   api-ko.txt        the Korean queries, no filter
//   api-filtered.txt  every English and Korean query once per filter set
//                     of FILTER_SETS (cycled, so each query meets several)
//   html.txt          the same filtered list as the HTML result page
//   healthz.txt       /healthz
//   pg-queries.tsv    api-filtered.txt as tab-separated rows for
//                     COPY bench_queries (q, <filter columns>)
//
// A filter set names URL parameters of /api/v1/search (a parameter may
// repeat: an array) and the same selection for the SQL side. Only
// parameters the route accepts may appear: it answers 400 to the others.

import fs from 'node:fs';

const [csv, ko, out] = process.argv.slice(2);
if (!csv || !ko || !out) {
	console.error('usage: node bench/search-queries.mjs CSV KO OUTDIR');
	process.exit(2);
}

const en = fs.readFileSync(csv, 'utf8').split('\n').slice(1)
	.map((s) => s.trim()).filter(Boolean);
const kq = fs.readFileSync(ko, 'utf8').split('\n')
	.map((s) => s.trim()).filter(Boolean);

// Each set: url (parameter → value or list of values) and sql (column of
// bench_queries → value; the columns are declared in bench/search-fts.sql).
// The empty set stands for "facets only": a search as typed, which is what
// most requests are; it is two of the fourteen. The values exist in the
// generated catalog (gureumctl generate --seed 1): listing 4619 is one of
// the most used hosts of "runs on".
const FILTER_SETS = [
	{ url: {}, sql: {} },
	{ url: { type: 'saas' }, sql: { types: ['saas'] } },
	{ url: { category: 'saas.collaboration' },
	  sql: { categories: ['saas.collaboration'] } },
	{ url: { csap: 'medium' }, sql: { csap: 'medium' } },
	{ url: { valid: '1', cert: 'csap' },
	  sql: { valid: true, certs: ['csap'] } },
	{ url: { domestic: '1', size: 'sme' },
	  sql: { domestic: true, sizes: ['sme'] } },
	{ url: {}, sql: {} },
	{ url: { trial: '1' }, sql: { trial: true } },
	{ url: { availability: '99.9' }, sql: { avail: '99.9' } },
	{ url: { price_min: '100000', price_max: '999999' },
	  sql: { price_min: '100000', price_max: '999999' } },
	{ url: { type: 'iaas', deploy: 'private' },
	  sql: { types: ['iaas'], deploys: ['private'] } },
	{ url: { runs_on: '4619' }, sql: { runs_on: ['4619'] } },
	{ url: { type: ['saas', 'paas'], category: 'saas', csap: 'low',
	    domestic: '1', availability: '99.5' },
	  sql: { types: ['saas', 'paas'], categories: ['saas'], csap: 'low',
	    domestic: true, avail: '99.5' } },
	{ url: { category: 'iaas' }, sql: { categories: ['iaas'] } },
];

const enc = encodeURIComponent;
function path(base, q, set) {
	let p = base + '?q=' + enc(q);
	for (const [k, v] of Object.entries(set.url)) {
		for (const x of Array.isArray(v) ? v : [v])
			p += '&' + k + '=' + enc(x);
	}
	return p;
}

// The SQL columns, in COPY order; arrays as PostgreSQL array literals,
// absent values as \N (no filter).
const SQL_COLUMNS = ['types', 'categories', 'certs', 'csap', 'valid',
	'domestic', 'trial', 'sizes', 'avail', 'price_min', 'price_max',
	'runs_on', 'deploys'];
function sqlValue(v) {
	if (v === undefined || v === null)
		return '\\N';
	if (Array.isArray(v))
		return '{' + v.map((x) => '"' + String(x) + '"').join(',') + '}';
	return String(v);
}
const clean = (q) => q.replace(/[\t\n\r\\]/g, ' ');

const all = [...en, ...kq];
const filtered = all.map((q, i) => [q, FILTER_SETS[i % FILTER_SETS.length]]);

fs.writeFileSync(out + '/api-en.txt',
	en.map((q) => path('/api/v1/search', q, { url: {} })).join('\n') + '\n');
fs.writeFileSync(out + '/api-ko.txt',
	kq.map((q) => path('/api/v1/search', q, { url: {} })).join('\n') + '\n');
fs.writeFileSync(out + '/api-filtered.txt',
	filtered.map(([q, s]) => path('/api/v1/search', q, s)).join('\n') + '\n');
fs.writeFileSync(out + '/html.txt',
	filtered.map(([q, s]) => path('/search', q, s)).join('\n') + '\n');
fs.writeFileSync(out + '/healthz.txt', '/healthz\n');
fs.writeFileSync(out + '/pg-queries.tsv', filtered.map(([q, s]) =>
	[clean(q), ...SQL_COLUMNS.map((c) => sqlValue(s.sql[c]))].join('\t'))
	.join('\n') + '\n');
console.log(`queries: ${en.length} English, ${kq.length} Korean, ` +
	`${filtered.length} filtered (${FILTER_SETS.length} filter sets)`);
