/*
 * Unit tests of app/pdfdoc.c: a Korean document renders to a PDF whose
 * text can be read back as text (pdftotext, from poppler-utils, which
 * `make test` installs), long text breaks into lines and pages without
 * losing a character, and bad descriptions or a missing font fail with
 * a reason instead of a broken file.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "pdfdoc.h"

#define FONT	"/usr/share/fonts/truetype/nanum/NanumGothic.ttf"

/* The text of a PDF as pdftotext reads it; malloc'd. */
static char *
text_of(const unsigned char *pdf, size_t len)
{
	char	 path[] = "/tmp/gureum-pdfdoc-XXXXXX";
	char	 cmd[128], *buf;
	FILE	*f, *p;
	size_t	 n, cap;
	int	 fd;

	fd = mkstemp(path);
	assert_true(fd != -1);
	f = fdopen(fd, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(pdf, 1, len, f), len);
	fclose(f);
	(void)snprintf(cmd, sizeof(cmd), "pdftotext -q -layout %s -", path);
	p = popen(cmd, "r");
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

static void
test_korean_text_is_text(void **state)
{
	json_t		*doc;
	unsigned char	*pdf;
	size_t		 len;
	char		 err[128], *text;

	(void)state;
	doc = json_pack("{s:s, s:s, s:s, s:[{s:s, s:[[s,s],[s,s]], s:s}]}",
	    "title", "디지털서비스 계약서", "subtitle", "계약 #7 · 버전 2",
	    "footer", "구름 Gureum",
	    "sections", "heading", "계약 당사자",
	    "rows", "이용기관", "행정안전부", "계약금액", "60,000,000원",
	    "text", "서비스 중단 시 공급기업은 데이터를 인계합니다.");
	assert_int_equal(pdfdoc_render(doc, FONT, &pdf, &len, err,
	    sizeof(err)), 0);
	assert_true(len > 1000);
	assert_memory_equal(pdf, "%PDF-", 5);
	text = text_of(pdf, len);
	assert_non_null(strstr(text, "디지털서비스 계약서"));
	assert_non_null(strstr(text, "행정안전부"));
	assert_non_null(strstr(text, "60,000,000원"));
	assert_non_null(strstr(text, "데이터를 인계합니다"));
	free(text);
	free(pdf);
	json_decref(doc);
}

static void
test_long_text_breaks_into_pages(void **state)
{
	json_t		*doc;
	unsigned char	*pdf;
	size_t		 len, i;
	char		 err[128], *text, *para;
	const char	*word = "가나다라마바사아자차카타파하";

	(void)state;
	para = calloc(1, 200 * strlen(word) + 200);
	assert_non_null(para);
	for (i = 0; i < 200; i++) {
		strcat(para, word);
		if (i % 7 == 6)
			strcat(para, "\n");
	}
	doc = json_pack("{s:s, s:[{s:s}]}", "title", "긴 문서",
	    "sections", "text", para);
	assert_int_equal(pdfdoc_render(doc, FONT, &pdf, &len, err,
	    sizeof(err)), 0);
	text = text_of(pdf, len);
	/* More than one page (pdftotext separates pages with a form feed). */
	assert_non_null(strchr(text, '\f'));
	/* Every syllable arrives: count them. */
	{
		size_t	 count = 0;
		char	*p = text;

		while ((p = strstr(p, "가")) != NULL) {
			count++;
			p++;
		}
		assert_int_equal(count, 200);
	}
	free(text);
	free(pdf);
	free(para);
	json_decref(doc);
}

static void
test_failures(void **state)
{
	json_t		*doc;
	unsigned char	*pdf;
	size_t		 len;
	char		 err[128];

	(void)state;
	doc = json_array();
	assert_int_equal(pdfdoc_render(doc, FONT, &pdf, &len, err,
	    sizeof(err)), -1);
	assert_null(pdf);
	assert_non_null(strstr(err, "document"));
	json_decref(doc);
	doc = json_pack("{s:s}", "title", "x");
	assert_int_equal(pdfdoc_render(doc, "/nonexistent/font.ttf", &pdf,
	    &len, err, sizeof(err)), -1);
	assert_null(pdf);
	assert_true(err[0] != '\0');
	json_decref(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_korean_text_is_text),
		cmocka_unit_test(test_long_text_breaks_into_pages),
		cmocka_unit_test(test_failures),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
