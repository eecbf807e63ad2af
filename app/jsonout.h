/*
 * jsonout.h - a compact JSON writer for the web layer's answers
 * (app/jsonout.c says why it is not json_dumps).
 */

#ifndef GUREUM_JSONOUT_H
#define GUREUM_JSONOUT_H

#include <stddef.h>

#include <jansson.h>

/*
 * Returns v (an object or an array, without cycles) as the bytes
 * json_dumps(v, JSON_COMPACT) would give, malloc'd and NUL-terminated,
 * with its length in *len if len is not NULL; NULL if v is not an object
 * or array or memory ran out. The caller frees it with free().
 */
char	*jsonout_dumps(const json_t *, size_t *);

#endif
