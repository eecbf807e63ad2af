/*
 * tmpl.h - auto-escaping HTML templates over jansson values.
 *
 * Gureum renders every HTML page from templates kept in assets/.  This is
 * a small mustache subset: a template is compiled once into a flat node
 * list (parse errors carry a line number) and rendered many times against
 * a jansson context.  Every placeholder is HTML-escaped unless the author
 * writes {{{x}}} or {{&x}}, which is meant only for HTML the project made
 * itself.  The module uses only libc and jansson so the unit tests and
 * the fuzzer can link it without Kore or libpq.
 *
 * Syntax:
 *	{{path}}		escaped value (string, integer, real, true)
 *	{{{path}}} {{&path}}	raw value
 *	{{#path}}..{{/path}}	section: once per array element, once for an
 *				object or other truthy value (pushed on the
 *				context stack), skipped when falsy
 *	{{^path}}..{{/path}}	inverted section: rendered when falsy
 *	{{>name}}		partial from the same library
 *	{{_key}}		translated string through a tmpl_strfn, escaped
 *	{{!comment}}		nothing
 *	{{.}}			the current context element
 *	{{@index}} {{@first}} {{@last}}	position in the innermost array loop
 * Falsy: missing, null, false, "", 0, 0.0, [].  Everything else, the empty
 * object included, is truthy.
 */

#ifndef TMPL_H
#define TMPL_H

#include <stddef.h>

#include <jansson.h>

/*
 * Limits that keep any template/context pair finite: open sections per
 * template, partials within partials, output bytes per render, and nodes
 * visited plus loop iterations per render.
 */
#define TMPL_MAX_NESTING	64
#define TMPL_MAX_PARTIAL_DEPTH	32
#define TMPL_MAX_OUTPUT		(16 * 1024 * 1024)
#define TMPL_MAX_STEPS		(1 << 24)

/*
 * A growable byte buffer, reused by other pure modules.  Initialise with
 * tmpl_buf_init(); it owns data until tmpl_buf_release() or
 * tmpl_buf_free().  After an allocation failure the buffer is marked
 * failed and every later append is a no-op returning -1, so callers may
 * append a run of pieces and check once.
 */
struct tmpl_buf {
	char		*data;
	size_t		 len;
	size_t		 cap;
	int		 failed;
};

/* Sets b to empty; allocates nothing. */
void		 tmpl_buf_init(struct tmpl_buf *b);

/* Frees what b holds and leaves it empty; b itself stays the caller's. */
void		 tmpl_buf_free(struct tmpl_buf *b);

/* Appends len bytes of p.  Returns 0, or -1 if the buffer has failed. */
int		 tmpl_buf_append(struct tmpl_buf *b, const void *p, size_t len);

/* Appends a NUL-terminated string.  Returns 0 or -1 as tmpl_buf_append. */
int		 tmpl_buf_appendstr(struct tmpl_buf *b, const char *s);

/* Appends printf-formatted text.  Returns 0 or -1 as tmpl_buf_append. */
int		 tmpl_buf_printf(struct tmpl_buf *b, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));

/*
 * Appends len bytes of s HTML-escaped: & < > " ' ` = become character
 * references and NUL bytes are dropped, so the result is safe in element
 * text and in quoted attribute values.  Returns 0 or -1.
 */
int		 tmpl_buf_escape(struct tmpl_buf *b, const char *s, size_t len);

/*
 * Hands over the contents: returns a malloc'd NUL-terminated string the
 * caller frees, and its length (without the NUL) in *len if len is not
 * NULL.  Returns NULL if the buffer failed.  b is left empty either way.
 */
char		*tmpl_buf_release(struct tmpl_buf *b, size_t *len);

/* A set of named compiled templates; partials resolve within one set. */
struct tmpl_lib;

/*
 * Looks up a translated string for {{_key}}.  Returns a string that stays
 * valid during the render, or NULL to print the key itself.
 */
typedef const char	*(*tmpl_strfn)(const char *key, void *arg);

/*
 * Returns an empty library the caller frees with tmpl_lib_free(), or NULL
 * if out of memory.
 */
struct tmpl_lib	*tmpl_lib_new(void);

/* Frees the library and every template in it.  NULL is allowed. */
void		 tmpl_lib_free(struct tmpl_lib *lib);

/*
 * Compiles len bytes of src (need not be NUL-terminated; src is copied)
 * and stores it under name, replacing a template of that name.  Returns 0,
 * or -1 with a message such as "line 12: unclosed section 'items'" in err
 * (errlen bytes, may be 0); on error the library is unchanged.  Partials
 * are resolved at render time, so templates may be added in any order.
 */
int		 tmpl_lib_add(struct tmpl_lib *lib, const char *name,
		    const char *src, size_t len, char *err, size_t errlen);

/* Returns 1 if the library holds a template called name, else 0. */
int		 tmpl_lib_has(const struct tmpl_lib *lib, const char *name);

/*
 * Renders template name against ctx (borrowed; NULL acts as an empty
 * context).  strfn/strarg serve {{_key}}; strfn may be NULL, then keys
 * print as themselves.  Returns 0 with *out a malloc'd NUL-terminated
 * string the caller frees and *outlen its length (outlen may be NULL).
 * Returns -1 with *out NULL and a message in err for an unknown template
 * or partial, partials nested deeper than TMPL_MAX_PARTIAL_DEPTH, output
 * beyond TMPL_MAX_OUTPUT, more than TMPL_MAX_STEPS nodes visited, or out
 * of memory.
 */
int		 tmpl_render(const struct tmpl_lib *lib, const char *name,
		    json_t *ctx, tmpl_strfn strfn, void *strarg, char **out,
		    size_t *outlen, char *err, size_t errlen);

#endif /* TMPL_H */
