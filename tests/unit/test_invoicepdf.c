/*
 * test_invoicepdf.c - unit tests for app/invoicepdf.c: an invoice, a
 * capped invoice and a credit note render to PDFs whose Korean labels
 * and amounts read back as text (pdftotext), with the font embedded
 * (pdffonts), English label lines beside the Korean ones, the tier
 * breakdown under each usage line, the evidence hash, and many lines
 * continuing on a second page; a bundle without its parts or a missing
 * font fails with a reason.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "bundle.h"
#include "invoicepdf.h"

#include "bundle_fixtures.h"

#define FONT	"/usr/share/fonts/truetype/nanum/NanumGothic.ttf"

/* The output of cmd run on the PDF (cmd has one %s for its path). */
static char *
run_on(const unsigned char *pdf, size_t len, const char *cmd)
{
	char	 path[] = "/tmp/gureum-invoicepdf-XXXXXX";
	char	 line[256], *buf;
	FILE	*f, *p;
	size_t	 n, cap;
	int	 fd;

	fd = mkstemp(path);
	assert_true(fd != -1);
	f = fdopen(fd, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(pdf, 1, len, f), len);
	fclose(f);
	(void)snprintf(line, sizeof(line), cmd, path);
	p = popen(line, "r");
	assert_non_null(p);
	cap = 1 << 20;
	buf = calloc(1, cap);
	assert_non_null(buf);
	n = fread(buf, 1, cap - 1, p);
	buf[n] = '\0';
	pclose(p);
	unlink(path);
	return (buf);
}

/* The completed bundle of a fixture (unsigned: a preview). */
static json_t *
finished(const char *input)
{
	json_t	*b;
	char	 err[300];

	b = json_loads(input, 0, NULL);
	assert_non_null(b);
	if (bundle_finish(b, NULL, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	return (b);
}

static void
test_invoice(void **state)
{
	json_t		*b, *meta;
	unsigned char	*pdf;
	size_t		 len;
	char		 err[200], *text, *fonts;
	const char	*hash =
	    "5f1e0cbbd23b6b0fd6d5c7fbdf0f1c4fb0f9d56ec1a3c1e1d8a7e1f3b2c4d5e6";

	(void)state;
	b = finished(invoice_input);
	meta = json_pack("{s:s, s:s}", "status", "issued", "bundle_hash",
	    hash);
	assert_int_equal(invoicepdf_render(b, meta, FONT, &pdf, &len, err,
	    sizeof(err)), 0);
	assert_memory_equal(pdf, "%PDF-", 5);
	text = run_on(pdf, len, "pdftotext -q -layout %s - 2>/dev/null");
	assert_non_null(strstr(text, "청구서"));
	assert_non_null(strstr(text, "공급자"));
	assert_non_null(strstr(text, "공급받는자"));
	assert_non_null(strstr(text, "123-45-67890"));
	assert_non_null(strstr(text, "한빛클라우드"));
	assert_non_null(strstr(text, "행정안전부"));
	assert_non_null(strstr(text, "1234567890-2026-000007"));
	assert_non_null(strstr(text, "2026-10"));
	assert_non_null(strstr(text, "공급가액"));
	assert_non_null(strstr(text, "부가세"));
	assert_non_null(strstr(text, "합계금액"));
	assert_non_null(strstr(text, "62,295원"));
	assert_non_null(strstr(text, "6,229원"));
	assert_non_null(strstr(text, "68,524원"));
	assert_non_null(strstr(text, "67,742"));
	assert_non_null(strstr(text, "-6,916"));
	/* English label lines. */
	assert_non_null(strstr(text, "Supply amount"));
	assert_non_null(strstr(text, "Business no."));
	/* The tier breakdown of the vCPU line: 1 h in tier 3 = 8 won. */
	assert_non_null(strstr(text, "3구간"));
	assert_non_null(strstr(text, "1 vCPU시간 × 5원 + 3원 = 8원"));
	assert_non_null(strstr(text, hash));
	assert_non_null(strstr(text, "가용성 99.4% → 크레딧 10%"));
	free(text);
	{
		/* INVOICEPDF_DUMP=file.pdf keeps a copy to look at. */
		const char	*dump = getenv("INVOICEPDF_DUMP");
		FILE		*f;

		if (dump != NULL && (f = fopen(dump, "wb")) != NULL) {
			(void)fwrite(pdf, 1, len, f);
			fclose(f);
		}
	}
	fonts = run_on(pdf, len, "pdffonts %s 2>/dev/null");
	assert_non_null(strstr(fonts, "NanumGothic"));
	assert_non_null(strstr(fonts, "yes"));
	free(fonts);
	free(pdf);
	json_decref(meta);
	json_decref(b);
}

static void
test_draft_and_credit_note(void **state)
{
	json_t		*b, *meta;
	unsigned char	*pdf;
	size_t		 len;
	char		 err[200], *text;

	(void)state;
	b = finished(invoice_input);
	meta = json_pack("{s:s, s:n}", "status", "draft", "bundle_hash");
	assert_int_equal(invoicepdf_render(b, meta, FONT, &pdf, &len, err,
	    sizeof(err)), 0);
	text = run_on(pdf, len, "pdftotext -q -layout %s - 2>/dev/null");
	assert_non_null(strstr(text, "초안"));
	assert_non_null(strstr(text, "DRAFT"));
	assert_non_null(strstr(text, "drafts are not sealed"));
	free(text);
	free(pdf);
	json_decref(meta);
	json_decref(b);

	b = finished(credit_input);
	meta = json_pack("{s:s, s:n}", "status", "issued", "bundle_hash");
	assert_int_equal(invoicepdf_render(b, meta, FONT, &pdf, &len, err,
	    sizeof(err)), 0);
	text = run_on(pdf, len, "pdftotext -q -layout %s - 2>/dev/null");
	assert_non_null(strstr(text, "감액 청구서"));
	assert_non_null(strstr(text, "수정 대상 청구서"));
	assert_non_null(strstr(text, "1234567890-2026-000007"));
	assert_non_null(strstr(text, "-1,100원"));
	assert_non_null(strstr(text, "seal pending"));
	free(text);
	free(pdf);
	json_decref(meta);
	json_decref(b);
}

static void
test_many_lines_and_failures(void **state)
{
	json_t		*b, *lines, *meta;
	unsigned char	*pdf;
	size_t		 len, i;
	char		 err[200], *text;

	(void)state;
	b = finished(capped_input);
	lines = json_object_get(b, "lines");
	for (i = 0; i < 60; i++)
		json_array_append(lines, json_array_get(lines, 0));
	meta = json_pack("{s:s}", "status", "paid");
	assert_int_equal(invoicepdf_render(b, meta, FONT, &pdf, &len, err,
	    sizeof(err)), 0);
	text = run_on(pdf, len, "pdftotext -q -layout %s - 2>/dev/null");
	assert_non_null(strchr(text, '\f'));		/* a second page */
	assert_non_null(strstr(text, "계약금액 한도 초과분 차감"));
	free(text);
	free(pdf);

	assert_int_equal(invoicepdf_render(b, meta, "/nonexistent.ttf", &pdf,
	    &len, err, sizeof(err)), -1);
	assert_null(pdf);
	assert_true(err[0] != '\0');
	json_object_del(b, "totals");
	assert_int_equal(invoicepdf_render(b, meta, FONT, &pdf, &len, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "totals"));
	json_decref(meta);
	json_decref(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_invoice),
		cmocka_unit_test(test_draft_and_credit_note),
		cmocka_unit_test(test_many_lines_and_failures),
	};

	if (sodium_init() == -1)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
