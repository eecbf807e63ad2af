/*
 * test_usagerec.c - unit tests for app/usagerec.c.
 *
 * The canonical form and its hash are pinned to a value computed outside
 * (Python's hashlib.blake2b(digest_size=32) of the documented text), so a
 * vendor reproducing docs/metering.md gets the same bytes; spellings of
 * one record (1.5 / 1.50, Z / +09:00) hash alike and any changed field
 * does not.  Then the time grammar's edges, the field checks, the receipt
 * text and the CSV reader (BOM, CRLF, quoting, header rules, limits).
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "sign.h"
#include "usagerec.h"

static void
sample(struct usagerec *r)
{
	memset(r, 0, sizeof(*r));
	strcpy(r->record_id, "r-1");
	r->contract_id = 42;
	strcpy(r->dimension, "vcpu_hour");
	r->quantity_micro = 1500000;
	assert_int_equal(usagerec_time_parse("2026-10-01T00:00:00Z",
	    &r->at_us), 0);
	strcpy(r->allocation, "team-a");
}

static void
test_canonical_pinned(void **state)
{
	struct usagerec	r;
	char		buf[USAGEREC_CANON_MAX], hex[65];
	unsigned char	h[32];
	size_t		n;

	(void)state;
	sample(&r);
	n = usagerec_canonical(&r, buf, sizeof(buf));
	assert_string_equal(buf, "gureum-usage-record-v1\nr-1\n42\nvcpu_hour\n"
	    "1.5\n2026-10-01T00:00:00.000000Z\nteam-a\n\n");
	assert_int_equal(n, strlen(buf));
	usagerec_hash(&r, h);
	sign_tohex(h, 32, hex);
	assert_string_equal(hex, "b7fab79ec7f42df7fed2b63a7e4fc55f"
	    "505543f6c18902d1c98d21a896dd9537");
	assert_int_equal(usagerec_canonical(&r, buf, 20), 0);
}

static void
test_same_record_same_hash(void **state)
{
	struct usagerec	a, b;
	unsigned char	ha[32], hb[32];

	(void)state;
	sample(&a);
	sample(&b);
	assert_int_equal(usagerec_time_parse("2026-10-01T09:00:00.000+09:00",
	    &b.at_us), 0);
	usagerec_hash(&a, ha);
	usagerec_hash(&b, hb);
	assert_memory_equal(ha, hb, 32);
	b.quantity_micro++;
	usagerec_hash(&b, hb);
	assert_memory_not_equal(ha, hb, 32);
	sample(&b);
	strcpy(b.subject, "u1");
	usagerec_hash(&b, hb);
	assert_memory_not_equal(ha, hb, 32);
	sample(&b);
	b.contract_id = 43;
	usagerec_hash(&b, hb);
	assert_memory_not_equal(ha, hb, 32);
	/* Moving text between allocation and subject changes the hash. */
	sample(&a);
	sample(&b);
	strcpy(a.allocation, "x");
	strcpy(a.subject, "");
	strcpy(b.allocation, "");
	strcpy(b.subject, "x");
	usagerec_hash(&a, ha);
	usagerec_hash(&b, hb);
	assert_memory_not_equal(ha, hb, 32);
}

static void
test_time(void **state)
{
	int64_t	us;
	char	out[USAGEREC_TIME_LEN];
	static const char *bad[] = {
		"", "2026-10-01", "2026-10-01T00:00:00", "2026-10-01 00:00:00Z",
		"2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z",
		"2026-10-01T24:00:00Z", "2026-10-01T00:60:00Z",
		"2026-10-01T00:00:60Z", "2026-10-01T00:00:00.Z",
		"2026-10-01T00:00:00.1234567Z", "2026-10-01T00:00:00+0900",
		"2026-10-01T00:00:00+24:00", "2026-10-01T00:00:00Zjunk",
		"1969-12-31T23:59:59Z", "２026-10-01T00:00:00Z",
		"2026-1O-01T00:00:00Z", "+2026-10-01T00:00:00Z", NULL
	};
	size_t	i;

	(void)state;
	assert_int_equal(usagerec_time_parse("2026-10-01T00:00:00Z", &us), 0);
	assert_int_equal(us, 1790812800LL * 1000000);
	assert_int_equal(usagerec_time_parse("2026-10-01t00:00:00.5z", &us),
	    0);
	assert_int_equal(us, 1790812800LL * 1000000 + 500000);
	assert_int_equal(usagerec_time_parse("2026-10-01T08:59:59.999999"
	    "+09:00", &us), 0);
	assert_int_equal(us, 1790812800LL * 1000000 - 1);
	assert_int_equal(usagerec_time_parse("2026-09-30T20:30:00-03:30",
	    &us), 0);
	assert_int_equal(us, 1790812800LL * 1000000);
	assert_int_equal(usagerec_time_parse("2028-02-29T12:00:00Z", &us), 0);
	usagerec_time_format(us, out);
	assert_string_equal(out, "2028-02-29T12:00:00.000000Z");
	assert_int_equal(usagerec_time_parse("1970-01-01T00:00:00Z", &us), 0);
	assert_int_equal(us, 0);
	for (i = 0; bad[i] != NULL; i++)
		assert_int_equal(usagerec_time_parse(bad[i], &us), -1);
	assert_int_equal(usagerec_time_parse(NULL, &us), -1);
}

static void
test_fields(void **state)
{
	char	long_id[70], long_text[300];
	size_t	i;

	(void)state;
	assert_true(usagerec_id_ok("r-1"));
	assert_true(usagerec_id_ok("0190f7a2-6c3b-7d6e-9a1b-2c3d4e5f6a7b"));
	assert_true(usagerec_id_ok("host.a:123_x"));
	assert_false(usagerec_id_ok(""));
	assert_false(usagerec_id_ok("a b"));
	assert_false(usagerec_id_ok("a'b"));
	assert_false(usagerec_id_ok("<script>"));
	assert_false(usagerec_id_ok("기록"));
	memset(long_id, 'a', 64);
	long_id[64] = '\0';
	assert_true(usagerec_id_ok(long_id));
	long_id[64] = 'a';
	long_id[65] = '\0';
	assert_false(usagerec_id_ok(long_id));
	assert_false(usagerec_id_ok(NULL));

	assert_true(usagerec_dim_ok("vcpu_hour"));
	assert_true(usagerec_dim_ok("storage_gb_month"));
	assert_false(usagerec_dim_ok("VCPU"));
	assert_false(usagerec_dim_ok("_x"));
	assert_false(usagerec_dim_ok(""));
	assert_false(usagerec_dim_ok("a;drop"));

	assert_true(usagerec_text_ok(""));
	assert_true(usagerec_text_ok("부서-총무과"));
	assert_false(usagerec_text_ok("a\nb"));
	assert_false(usagerec_text_ok("a\tb"));
	assert_false(usagerec_text_ok("a\xc2\x85" "b"));
	assert_false(usagerec_text_ok("\xff"));
	for (i = 0; i < 64; i++)
		memcpy(long_text + i * 3, "가", 3);
	long_text[192] = '\0';
	assert_true(usagerec_text_ok(long_text));
	memcpy(long_text + 192, "가", 4);
	assert_false(usagerec_text_ok(long_text));
}

static void
test_receipt_text(void **state)
{
	struct usagerec_head	 h[2];
	struct usagerec_receipt	 r;
	char			*t;

	(void)state;
	memset(&r, 0, sizeof(r));
	memset(h, 0, sizeof(h));
	h[0].contract_id = 7;
	h[0].seq = 3;
	memset(h[0].head, 'a', 64);
	h[1].contract_id = 9;
	h[1].seq = 1;
	memset(h[1].head, 'b', 64);
	r.batch_id = 12;
	r.vendor_id = 1;
	r.source = "api";
	memset(r.body_hash, 'c', 64);
	r.server_us = 1790812800LL * 1000000 + 1;
	r.records = 3;
	r.accepted = 2;
	r.heads = h;
	r.nheads = 2;
	r.marketplace_key = "AAAA";
	t = usagerec_receipt_text(&r);
	assert_non_null(t);
	assert_string_equal(t, "gureum-receipt-v1\nbatch 12\nvendor 1\n"
	    "source api\nbody_hash cccccccccccccccccccccccccccccccc"
	    "cccccccccccccccccccccccccccccccc\n"
	    "server_time 2026-10-01T00:00:00.000001Z\nrecords 3\naccepted 2\n"
	    "head 7 3 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
	    "head 9 1 bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\n"
	    "marketplace_key AAAA\n");
	free(t);
}

static void
test_csv_good(void **state)
{
	struct usagerec_csv	c;
	const char		*in = "\xef\xbb\xbfrecord_id,contract_id,"
	    "dimension,quantity,time,allocation,subject\r\n"
	    "r1,5,vcpu_hour,1.5,2026-10-01T00:00:00Z,,\r\n"
	    "\r\n"
	    "\"r,2\",5,vcpu_hour,\"2\",2026-10-01T00:00:00Z,\"팀 \"\"A\"\"\",u\r\n"
	    "r3,5,vcpu_hour,3,2026-10-01T00:00:00Z\r\n";

	(void)state;
	assert_int_equal(usagerec_csv_read(in, strlen(in), 1000, &c), UCSV_OK);
	assert_int_equal(c.nrows, 3);
	assert_int_equal(c.rows[0].line, 2);
	assert_string_equal(c.rows[0].field[UC_RECORD_ID], "r1");
	assert_string_equal(c.rows[0].field[UC_ALLOCATION], "");
	assert_int_equal(c.rows[1].line, 4);
	assert_string_equal(c.rows[1].field[UC_RECORD_ID], "r,2");
	assert_string_equal(c.rows[1].field[UC_QUANTITY], "2");
	assert_string_equal(c.rows[1].field[UC_ALLOCATION], "팀 \"A\"");
	assert_string_equal(c.rows[1].field[UC_SUBJECT], "u");
	assert_int_equal(c.rows[2].nfields, 5);
	assert_int_equal(c.rows[2].line, 5);
	usagerec_csv_free(&c);

	/* Columns in another order, upper case, no optional ones, no final
	 * newline. */
	in = "TIME,Quantity,dimension,contract_id,record_id\n"
	    "2026-10-01T00:00:00Z,1,d,5,r9";
	assert_int_equal(usagerec_csv_read(in, strlen(in), 1000, &c), UCSV_OK);
	assert_int_equal(c.nrows, 1);
	assert_string_equal(c.rows[0].field[UC_RECORD_ID], "r9");
	assert_string_equal(c.rows[0].field[UC_TIME], "2026-10-01T00:00:00Z");
	assert_null(c.rows[0].field[UC_SUBJECT]);
	usagerec_csv_free(&c);
}

static void
test_csv_bad(void **state)
{
	struct usagerec_csv	c;
	const char		*in;
	char			 big[8192];
	size_t			 i, n;

	(void)state;
	assert_int_equal(usagerec_csv_read("", 0, 1000, &c), UCSV_EMPTY);
	usagerec_csv_free(&c);
	in = "record_id,contract_id,dimension,quantity\nr,1,d,1\n";
	assert_int_equal(usagerec_csv_read(in, strlen(in), 1000, &c),
	    UCSV_HEADER);
	usagerec_csv_free(&c);
	in = "record_id,contract_id,dimension,quantity,time,price\n";
	assert_int_equal(usagerec_csv_read(in, strlen(in), 1000, &c),
	    UCSV_HEADER);
	usagerec_csv_free(&c);
	in = "record_id,record_id,contract_id,dimension,quantity,time\n";
	assert_int_equal(usagerec_csv_read(in, strlen(in), 1000, &c),
	    UCSV_HEADER);
	usagerec_csv_free(&c);
	in = "record_id,contract_id,dimension,quantity,time\n\"r1,1,d,1,t\n";
	assert_int_equal(usagerec_csv_read(in, strlen(in), 1000, &c),
	    UCSV_MALFORMED);
	usagerec_csv_free(&c);
	in = "record_id,contract_id,dimension,quantity,time\nr\xff,1,d,1,t\n";
	assert_int_equal(usagerec_csv_read(in, strlen(in), 1000, &c),
	    UCSV_MALFORMED);
	usagerec_csv_free(&c);
	n = (size_t)snprintf(big, sizeof(big),
	    "record_id,contract_id,dimension,quantity,time\n");
	for (i = 0; i < 4; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n,
		    "r%zu,1,d,1,t\n", i);
	assert_int_equal(usagerec_csv_read(big, n, 3, &c), UCSV_TOO_MANY);
	usagerec_csv_free(&c);
	assert_int_equal(usagerec_csv_read(big, n, 4, &c), UCSV_OK);
	assert_int_equal(c.nrows, 4);
	usagerec_csv_free(&c);
	/* A line with too many fields is kept for the per-line report. */
	in = "record_id,contract_id,dimension,quantity,time\nr,1,d,1,t,x\n";
	assert_int_equal(usagerec_csv_read(in, strlen(in), 10, &c), UCSV_OK);
	assert_int_equal(c.rows[0].nfields, 6);
	usagerec_csv_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_canonical_pinned),
		cmocka_unit_test(test_same_record_same_hash),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_receipt_text),
		cmocka_unit_test(test_csv_good),
		cmocka_unit_test(test_csv_bad),
	};

	if (sodium_init() == -1)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
