/*
 * i18n.h - the Korean/English string table and language negotiation.
 *
 * Every user-visible string of Gureum exists in Korean and English; the
 * table is one JSON file mapping a key to both texts, and a key without
 * either text is refused at load time so a gap is found at startup rather
 * than by a user.  Korean is the default whenever the client says nothing
 * usable.  The interface uses plain C strings only; jansson stays inside
 * i18n.c.
 */

#ifndef I18N_H
#define I18N_H

#include <stddef.h>

struct i18n;

/* What i18n_strfn() needs: the table and the language ("ko" or "en"). */
struct i18n_ctx {
	struct i18n	*t;
	const char	*lang;
};

/*
 * Parses len bytes of JSON of the form
 *	{"search.title": {"ko": "서비스 검색", "en": "Search services"}, ...}
 * Every key needs non-empty "ko" and "en" strings and nothing else.
 * Returns a table the caller frees with i18n_free(), or NULL with a
 * message naming the first bad key in err (errlen bytes, may be 0).
 */
struct i18n	*i18n_load(const char *json, size_t len, char *err,
		    size_t errlen);

/* Frees the table and the strings i18n_get() lent out.  NULL is allowed. */
void		 i18n_free(struct i18n *t);

/* Returns the number of keys in the table. */
size_t		 i18n_count(const struct i18n *t);

/*
 * Returns the text of key in lang ("en"; anything else means "ko"),
 * borrowed from the table, or NULL if t or key is NULL or the key is unknown.
 */
const char	*i18n_get(const struct i18n *t, const char *key,
		    const char *lang);

/*
 * A tmpl_strfn: arg is a struct i18n_ctx (borrowed).  Returns the text or,
 * when the key is unknown, the key itself, so a gap shows on the page
 * instead of vanishing.
 */
const char	*i18n_strfn(const char *key, void *arg);

/*
 * Picks the response language: "ko" or "en" (static strings).  A cookie
 * value of exactly "ko" or "en" wins; otherwise the Accept-Language
 * header decides by q-value (ties go to the earlier entry, q=0 means not
 * acceptable, "*" stands for any language not named); otherwise "ko".
 * Either argument may be NULL and may hold any bytes.
 */
const char	*i18n_negotiate(const char *accept_language,
		    const char *cookie_lang);

#endif /* I18N_H */
