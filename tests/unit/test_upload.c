/*
 * Unit tests of app/upload.c: multipart bodies (well-formed, hostile and
 * broken), the PDF check by content, and safe file names.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "upload.h"

static const char PDF[] = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"
    "trailer << /Root 1 0 R >>\n%%EOF\n";

static enum mp_err
parse(const char *body, struct mp_form *f)
{
	return (mp_parse("XyZ", (const unsigned char *)body, strlen(body), f));
}

static void
test_boundary(void **state)
{
	char	b[80];

	(void)state;
	assert_int_equal(mp_boundary("multipart/form-data; boundary=abc", b,
	    sizeof(b)), 0);
	assert_string_equal(b, "abc");
	assert_int_equal(mp_boundary("Multipart/Form-Data; charset=utf-8; "
	    "boundary=\"a b;c\"", b, sizeof(b)), 0);
	assert_string_equal(b, "a b;c");
	assert_int_equal(mp_boundary("multipart/form-data", b, sizeof(b)), -1);
	assert_int_equal(mp_boundary("multipart/form-data; boundary=", b,
	    sizeof(b)), -1);
	assert_int_equal(mp_boundary("text/plain; boundary=abc", b,
	    sizeof(b)), -1);
	assert_int_equal(mp_boundary("multipart/form-data; boundary="
	    "12345678901234567890123456789012345678901234567890123456789012345678901",
	    b, sizeof(b)), -1);
}

static void
test_fields_and_file(void **state)
{
	struct mp_form		 f;
	const struct mp_part	*p;
	const char *body =
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"csrf\"\r\n\r\n"
	    "tok\r\n"
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"number\"\r\n\r\n"
	    "CSAP-1\r\n--XyY-ish\r\n"
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"file\"; filename=\"a;b.pdf\"\r\n"
	    "Content-Type: image/png\r\n\r\n"
	    "\r\n--X\x00yz\r\n"
	    "--XyZ--\r\n";

	(void)state;
	assert_int_equal(mp_parse("XyZ", (const unsigned char *)body,
	    strlen(body) + 0, &f), MP_ESYNTAX);	/* cut at the NUL */
	assert_int_equal(mp_parse("XyZ", (const unsigned char *)body,
	    sizeof("--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"csrf\"\r\n\r\n"
	    "tok\r\n"
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"number\"\r\n\r\n"
	    "CSAP-1\r\n--XyY-ish\r\n"
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"file\"; filename=\"a;b.pdf\"\r\n"
	    "Content-Type: image/png\r\n\r\n"
	    "\r\n--X\x00yz\r\n"
	    "--XyZ--\r\n") - 1, &f), MP_OK);
	assert_int_equal(f.n, 3);
	assert_string_equal(mp_get(&f, "csrf")->name, "csrf");
	assert_int_equal(mp_get(&f, "csrf")->len, 3);
	p = mp_get(&f, "number");
	assert_int_equal(p->len, strlen("CSAP-1\r\n--XyY-ish"));
	assert_false(p->is_file);
	p = mp_get(&f, "file");
	assert_true(p->is_file);
	assert_string_equal(p->filename, "a;b.pdf");
	assert_int_equal(p->len, 8);
	assert_memory_equal(p->data, "\r\n--X\x00yz", 8);
	assert_null(mp_get(&f, "nope"));
}

static void
test_empty_file(void **state)
{
	struct mp_form	f;

	(void)state;
	assert_int_equal(parse("--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"file\"; filename=\"\"\r\n\r\n\r\n--XyZ--", &f), MP_OK);
	assert_int_equal(f.n, 1);
	assert_true(f.parts[0].is_file);
	assert_int_equal(f.parts[0].len, 0);
}

static void
test_long_filename(void **state)
{
	struct mp_form	f;
	char		body[4096], name[1500], out[200];
	size_t		i;

	(void)state;
	for (i = 0; i + 3 < 1400; i += 3)
		memcpy(name + i, "한", 3);
	name[i] = '\0';
	(void)snprintf(body, sizeof(body), "--XyZ\r\nContent-Disposition: "
	    "form-data; name=\"file\"; filename=\"%s.pdf\"\r\n\r\n%%PDF-\r\n"
	    "--XyZ--", name);
	assert_int_equal(parse(body, &f), MP_OK);
	assert_true(f.parts[0].is_file);
	assert_true(strlen(f.parts[0].filename) < MP_FNAME_MAX);
	assert_int_equal(strlen(f.parts[0].filename) % 3, 0);
	filename_safe(f.parts[0].filename, out, sizeof(out));
	assert_string_equal(out + strlen(out) - 4, ".pdf");
}

static void
test_broken(void **state)
{
	struct mp_form	f;
	char		body[8192];
	size_t		i, o;

	(void)state;
	assert_int_equal(parse("", &f), MP_ESYNTAX);
	assert_int_equal(parse("--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"a\"\r\n\r\nunterminated", &f), MP_ESYNTAX);
	assert_int_equal(parse("--XyZ\r\nContent-Disposition: form-data\r\n\r\n"
	    "x\r\n--XyZ--", &f), MP_ENAME);
	assert_int_equal(parse("--XyZ\r\nContent-Type: text/plain\r\n\r\n"
	    "x\r\n--XyZ--", &f), MP_ENAME);
	assert_int_equal(parse("--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"a\"\r\n\r\nx\r\n--XyZgarbage", &f), MP_ESYNTAX);
	assert_int_equal(parse("--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\""
	    "\r\n\r\nx\r\n--XyZ--", &f), MP_ENAME);
	assert_int_equal(parse("--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"a\r\n\r\nx\r\n--XyZ--", &f), MP_ENAME);
	for (i = o = 0; i < MP_MAXPARTS + 1; i++)
		o += (size_t)snprintf(body + o, sizeof(body) - o, "--XyZ\r\n"
		    "Content-Disposition: form-data; name=\"f%zu\"\r\n\r\nv\r\n",
		    i);
	(void)snprintf(body + o, sizeof(body) - o, "--XyZ--");
	assert_int_equal(parse(body, &f), MP_ETOOMANY);
}

static void
test_pdf(void **state)
{
	static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n',
	    0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R' };
	char	buf[256];

	(void)state;
	assert_int_equal(pdf_check((const unsigned char *)PDF, strlen(PDF)),
	    PDF_OK);
	assert_int_equal(pdf_check((const unsigned char *)"", 0), PDF_EEMPTY);
	assert_int_equal(pdf_check(png, sizeof(png)), PDF_ENOTPDF);
	assert_int_equal(pdf_check((const unsigned char *)"hello, world\n",
	    13), PDF_ENOTPDF);
	assert_int_equal(pdf_check((const unsigned char *)" %PDF-1.4", 9),
	    PDF_ENOTPDF);
	assert_int_equal(pdf_check((const unsigned char *)"%PDF-", 5),
	    PDF_ENOTPDF);
	/* Truncated: no %%EOF. */
	assert_int_equal(pdf_check((const unsigned char *)PDF, strlen(PDF) - 7),
	    PDF_EBROKEN);
	/* A header and an end, nothing between. */
	(void)snprintf(buf, sizeof(buf), "%%PDF-1.7\n%%%%EOF\n");
	assert_int_equal(pdf_check((const unsigned char *)buf, strlen(buf)),
	    PDF_EBROKEN);
	(void)snprintf(buf, sizeof(buf), "%%PDF-1.7\n1 0 obj<<>>endobj\n%%%%EOF\n");
	assert_int_equal(pdf_check((const unsigned char *)buf, strlen(buf)),
	    PDF_EBROKEN);
}

static void
test_filename(void **state)
{
	char	out[200], cd[800];

	(void)state;
	filename_safe("가격표 2026.pdf", out, sizeof(out));
	assert_string_equal(out, "가격표 2026.pdf");
	filename_safe("C:\\Users\\x\\..\\evil\".PDF", out, sizeof(out));
	assert_string_equal(out, "evil_.pdf");
	filename_safe("../../etc/passwd", out, sizeof(out));
	assert_string_equal(out, "passwd.pdf");
	filename_safe("...", out, sizeof(out));
	assert_string_equal(out, "document.pdf");
	filename_safe("", out, sizeof(out));
	assert_string_equal(out, "document.pdf");
	filename_safe("a\r\nb\x01<script>.pdf", out, sizeof(out));
	assert_string_equal(out, "a__b__script_.pdf");
	filename_safe("bad\xff\xfe utf8.pdf", out, sizeof(out));
	assert_string_equal(out, "bad__ utf8.pdf");
	filename_safe("한한한한한한한한한한한한한한한한한한한한한한한한한한한한한한한한한한한한한한한한한한한한한한한한한.pdf",
	    out, sizeof(out));
	assert_true(strlen(out) <= 120);
	assert_string_equal(out + strlen(out) - 4, ".pdf");
	assert_int_equal((strlen(out) - 4) % 3, 0);

	assert_int_equal(content_disposition("가격표 a.pdf", cd, sizeof(cd)), 0);
	assert_string_equal(cd, "attachment; filename=\"_________ a.pdf\"; "
	    "filename*=UTF-8''%EA%B0%80%EA%B2%A9%ED%91%9C%20a.pdf");
	assert_int_equal(content_disposition("a.pdf", cd, 10), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boundary),
		cmocka_unit_test(test_fields_and_file),
		cmocka_unit_test(test_empty_file),
		cmocka_unit_test(test_long_filename),
		cmocka_unit_test(test_broken),
		cmocka_unit_test(test_pdf),
		cmocka_unit_test(test_filename),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
