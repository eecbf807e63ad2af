/*
 * fuzz_tmpl.c - libFuzzer entry point for the template renderer.
 *
 * The input is split at its first NUL byte: the bytes before are compiled
 * as template "t", the bytes after are parsed as the JSON context (no NUL
 * byte: no context).  A fixed partial "p" and a translation callback full
 * of markup are available to the template.  Beyond "no crash, no leak"
 * the harness checks the escaping promise: when the template holds none
 * of < > " ' & and no {{{ (so no raw tag and no markup in its text), the
 * output holds no < > " ' and each & opens one of the escaper's own
 * references.  The template bytes are also fed to i18n_negotiate(), which
 * must answer "ko" or "en" for any input.
 *
 * libFuzzer build (clang 14 with libFuzzer is installed on Debian 12):
 *	clang -g -O1 -std=c99 -D_GNU_SOURCE -Iapp -fsanitize=fuzzer,address,undefined
 *	    -o /tmp/fuzz_tmpl tests/fuzz/fuzz_tmpl.c app/tmpl.c app/i18n.c -ljansson
 *	/tmp/fuzz_tmpl -max_total_time=60 -max_len=4096
 * Without libFuzzer, -DFUZZ_STANDALONE adds a main() that runs each file
 * named on the command line (or stdin) once:
 *	cc -std=c99 -D_GNU_SOURCE -DFUZZ_STANDALONE -Iapp -o /tmp/fuzz_tmpl_sa
 *	    tests/fuzz/fuzz_tmpl.c app/tmpl.c app/i18n.c -ljansson
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "i18n.h"
#include "tmpl.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *
hostile_strfn(const char *key, void *arg)
{
	(void)arg;
	return (key[0] == 'a' ? "<b title=\"x\">&'`</b>" : NULL);
}

static int
markup_free(const char *out, size_t len)
{
	static const char *const ents[] = {
		"&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "&#96;", "&#61;",
	};
	size_t	 i, k;

	for (i = 0; i < len; i++) {
		if (out[i] == '<' || out[i] == '>' || out[i] == '"' ||
		    out[i] == '\'')
			return (0);
		if (out[i] != '&')
			continue;
		for (k = 0; k < sizeof(ents) / sizeof(ents[0]); k++) {
			if (strncmp(out + i, ents[k], strlen(ents[k])) == 0)
				break;
		}
		if (k == sizeof(ents) / sizeof(ents[0]))
			return (0);
	}
	return (1);
}

/* 1 if the template can only produce escaped output. */
static int
template_safe(const char *src, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++) {
		if (memchr("<>\"'&", src[i], 5) != NULL)
			return (0);
		if (i + 2 < len && memcmp(src + i, "{{{", 3) == 0)
			return (0);
	}
	return (1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tmpl_lib	*lib;
	json_t		*ctx;
	const char	*src, *sep, *lang;
	char		 err[256], *out, *hdr;
	size_t		 srclen, outlen;

	src = (const char *)data;
	sep = memchr(src, '\0', size);
	srclen = sep ? (size_t)(sep - src) : size;
	ctx = NULL;
	if (sep != NULL)
		ctx = json_loadb(sep + 1, size - srclen - 1,
		    JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);

	if ((hdr = malloc(srclen + 1)) != NULL) {
		memcpy(hdr, src, srclen);
		hdr[srclen] = '\0';
		lang = i18n_negotiate(hdr, hdr);
		if (strcmp(lang, "ko") != 0 && strcmp(lang, "en") != 0)
			abort();
		free(hdr);
	}

	if ((lib = tmpl_lib_new()) == NULL)
		goto out;
	if (tmpl_lib_add(lib, "p", "[{{.}}|{{@index}}]", 18, err,
	    sizeof(err)) != 0)
		abort();
	if (tmpl_lib_add(lib, "t", src, srclen, err, sizeof(err)) == 0 &&
	    tmpl_render(lib, "t", ctx, hostile_strfn, NULL, &out, &outlen, err,
	    sizeof(err)) == 0) {
		if (template_safe(src, srclen) && !markup_free(out, outlen))
			abort();
		free(out);
	}
	tmpl_lib_free(lib);
out:
	json_decref(ctx);
	return (0);
}

#ifdef FUZZ_STANDALONE
static int
run_file(FILE *fp)
{
	char	*buf, *nbuf;
	size_t	 len, cap, n;

	len = 0;
	cap = 4096;
	if ((buf = malloc(cap)) == NULL)
		return (-1);
	while ((n = fread(buf + len, 1, cap - len, fp)) > 0) {
		len += n;
		if (len == cap) {
			if ((nbuf = realloc(buf, cap * 2)) == NULL) {
				free(buf);
				return (-1);
			}
			buf = nbuf;
			cap *= 2;
		}
	}
	LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
	free(buf);
	return (0);
}

int
main(int argc, char **argv)
{
	FILE	*fp;
	int	 i;

	if (argc < 2)
		return (run_file(stdin) == 0 ? 0 : 1);
	for (i = 1; i < argc; i++) {
		if ((fp = fopen(argv[i], "rb")) == NULL) {
			perror(argv[i]);
			return (1);
		}
		if (run_file(fp) == -1) {
			fclose(fp);
			return (1);
		}
		fclose(fp);
	}
	return (0);
}
#endif /* FUZZ_STANDALONE */
