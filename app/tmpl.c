/*
 * tmpl.c - compile and render the mustache subset described in tmpl.h.
 *
 * A template is parsed once into a flat array of nodes.  Text nodes point
 * into a private copy of the source; tag names are NUL-terminated in place
 * in that copy (the byte after a trimmed name is whitespace or the first
 * brace of the closing delimiter, which no text node covers).  A section
 * node records the index just past its body, so the renderer walks ranges
 * of the array instead of a tree.  Rendering keeps the context stack as a
 * chain of frames on the C stack, one per open section, and appends to a
 * tmpl_buf.  Every value from the context goes through tmpl_buf_escape()
 * unless the tag is raw.  Work is bounded: partial depth, output size and
 * the number of nodes visited all have limits, so no template/context pair
 * can make a worker loop or grow without end.
 */

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl.h"

enum node_type {
	NODE_TEXT,		/* literal bytes */
	NODE_VAR,		/* {{x}} */
	NODE_RAW,		/* {{{x}}} or {{&x}} */
	NODE_SECTION,		/* {{#x}} */
	NODE_INVERTED,		/* {{^x}} */
	NODE_PARTIAL,		/* {{>x}} */
	NODE_STRING,		/* {{_x}} */
};

struct node {
	enum node_type	 type;
	const char	*s;	/* text bytes, or NUL-terminated tag name */
	size_t		 len;	/* bytes in s */
	size_t		 end;	/* sections: index just past the body */
	int		 line;
};

struct tmpl {
	char		*name;
	char		*src;	/* private copy; nodes point into it */
	struct node	*nodes;
	size_t		 nnodes;
	size_t		 cap;
};

struct tmpl_lib {
	struct tmpl	**v;
	size_t		 n;
};

/* One level of the context stack; lives on the C stack of the renderer. */
struct frame {
	json_t			*val;
	const struct frame	*up;
	json_t			*index;	/* @index in an array loop, or NULL */
	int			 first;
	int			 last;
};

struct render {
	const struct tmpl_lib	*lib;
	tmpl_strfn		 strfn;
	void			*strarg;
	struct tmpl_buf		 out;
	int			 depth;
	unsigned long		 steps;
	char			*err;
	size_t			 errlen;
};

static void	seterr(char *, size_t, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static int	node_add(struct tmpl *, enum node_type, const char *, size_t,
		    int);
static int	name_ok(const char *, size_t);
static int	is_space(char);
static size_t	count_nl(const char *, size_t);
static const char	*find(const char *, size_t, const char *);
static int	compile(struct tmpl *, const char *, size_t, char *, size_t);
static void	tmpl_free(struct tmpl *);
static struct tmpl	*lib_find(const struct tmpl_lib *, const char *);
static json_t	*lookup(const struct frame *, const char *);
static int	truthy(json_t *);
static int	put_value(struct tmpl_buf *, json_t *, int);
static int	render_fail(struct render *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static int	render_nodes(struct render *, const struct tmpl *, size_t,
		    size_t, const struct frame *);
static int	render_section(struct render *, const struct tmpl *, size_t,
		    const struct frame *);
static int	render_partial(struct render *, const struct tmpl *,
		    const struct node *, const struct frame *);

void
tmpl_buf_init(struct tmpl_buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->failed = 0;
}

void
tmpl_buf_free(struct tmpl_buf *b)
{
	free(b->data);
	tmpl_buf_init(b);
}

int
tmpl_buf_append(struct tmpl_buf *b, const void *p, size_t len)
{
	size_t	 need, cap;
	char	*data;

	if (b->failed)
		return (-1);
	if (len == 0)
		return (0);
	if (len > SIZE_MAX - b->len - 1) {
		b->failed = 1;
		return (-1);
	}
	need = b->len + len + 1;
	if (need > b->cap) {
		cap = b->cap ? b->cap : 256;
		while (cap < need)
			cap = (cap > SIZE_MAX / 2) ? need : cap * 2;
		if ((data = realloc(b->data, cap)) == NULL) {
			b->failed = 1;
			return (-1);
		}
		b->data = data;
		b->cap = cap;
	}
	memcpy(b->data + b->len, p, len);
	b->len += len;
	b->data[b->len] = '\0';
	return (0);
}

int
tmpl_buf_appendstr(struct tmpl_buf *b, const char *s)
{
	return (tmpl_buf_append(b, s, strlen(s)));
}

int
tmpl_buf_printf(struct tmpl_buf *b, const char *fmt, ...)
{
	va_list	 ap;
	char	 small[256], *big;
	int	 n, rc;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = 1;
		return (-1);
	}
	if ((size_t)n < sizeof(small))
		return (tmpl_buf_append(b, small, n));

	if ((big = malloc((size_t)n + 1)) == NULL) {
		b->failed = 1;
		return (-1);
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	rc = tmpl_buf_append(b, big, n);
	free(big);
	return (rc);
}

int
tmpl_buf_escape(struct tmpl_buf *b, const char *s, size_t len)
{
	const char	*ent;
	size_t		 i, start;

	for (i = start = 0; i < len; i++) {
		switch (s[i]) {
		case '&':
			ent = "&amp;";
			break;
		case '<':
			ent = "&lt;";
			break;
		case '>':
			ent = "&gt;";
			break;
		case '"':
			ent = "&quot;";
			break;
		case '\'':
			ent = "&#39;";
			break;
		case '`':
			ent = "&#96;";
			break;
		case '=':
			ent = "&#61;";
			break;
		case '\0':
			ent = "";
			break;
		default:
			continue;
		}
		tmpl_buf_append(b, s + start, i - start);
		tmpl_buf_appendstr(b, ent);
		start = i + 1;
	}
	tmpl_buf_append(b, s + start, len - start);
	return (b->failed ? -1 : 0);
}

char *
tmpl_buf_release(struct tmpl_buf *b, size_t *len)
{
	char	*data;

	if (b->failed) {
		tmpl_buf_free(b);
		return (NULL);
	}
	if ((data = b->data) == NULL && (data = calloc(1, 1)) == NULL)
		return (NULL);
	if (len != NULL)
		*len = b->len;
	tmpl_buf_init(b);
	return (data);
}

static void
seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list	 ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

struct tmpl_lib *
tmpl_lib_new(void)
{
	return (calloc(1, sizeof(struct tmpl_lib)));
}

void
tmpl_lib_free(struct tmpl_lib *lib)
{
	size_t	 i;

	if (lib == NULL)
		return;
	for (i = 0; i < lib->n; i++)
		tmpl_free(lib->v[i]);
	free(lib->v);
	free(lib);
}

static void
tmpl_free(struct tmpl *t)
{
	if (t == NULL)
		return;
	free(t->name);
	free(t->src);
	free(t->nodes);
	free(t);
}

static struct tmpl *
lib_find(const struct tmpl_lib *lib, const char *name)
{
	size_t	 i;

	for (i = 0; i < lib->n; i++) {
		if (strcmp(lib->v[i]->name, name) == 0)
			return (lib->v[i]);
	}
	return (NULL);
}

int
tmpl_lib_has(const struct tmpl_lib *lib, const char *name)
{
	return (lib != NULL && name != NULL && lib_find(lib, name) != NULL);
}

int
tmpl_lib_add(struct tmpl_lib *lib, const char *name, const char *src,
    size_t len, char *err, size_t errlen)
{
	struct tmpl	 *t, **v;
	size_t		  i, namelen;

	if (lib == NULL || name == NULL || (src == NULL && len > 0)) {
		seterr(err, errlen, "invalid arguments");
		return (-1);
	}
	namelen = strlen(name);
	if ((t = calloc(1, sizeof(*t))) == NULL ||
	    (t->name = malloc(namelen + 1)) == NULL) {
		free(t);
		seterr(err, errlen, "out of memory");
		return (-1);
	}
	memcpy(t->name, name, namelen + 1);
	if (compile(t, src, len, err, errlen) == -1) {
		tmpl_free(t);
		return (-1);
	}

	for (i = 0; i < lib->n; i++) {
		if (strcmp(lib->v[i]->name, name) == 0) {
			tmpl_free(lib->v[i]);
			lib->v[i] = t;
			return (0);
		}
	}
	if ((v = realloc(lib->v, (lib->n + 1) * sizeof(*v))) == NULL) {
		tmpl_free(t);
		seterr(err, errlen, "out of memory");
		return (-1);
	}
	lib->v = v;
	lib->v[lib->n++] = t;
	return (0);
}

/* Appends a node; returns its index or -1 when out of memory. */
static int
node_add(struct tmpl *t, enum node_type type, const char *s, size_t len,
    int line)
{
	struct node	*nodes;
	size_t		 cap;

	if (t->nnodes == t->cap) {
		cap = t->cap ? t->cap * 2 : 16;
		if ((nodes = realloc(t->nodes, cap * sizeof(*nodes))) == NULL)
			return (-1);
		t->nodes = nodes;
		t->cap = cap;
	}
	t->nodes[t->nnodes].type = type;
	t->nodes[t->nnodes].s = s;
	t->nodes[t->nnodes].len = len;
	t->nodes[t->nnodes].end = 0;
	t->nodes[t->nnodes].line = line;
	t->nnodes++;
	return (0);
}

/*
 * A value path is "." or dot-separated non-empty segments; "@" names are
 * the loop variables only.  Rejecting the rest at compile time turns typos
 * into errors instead of silently empty output.
 */
static int
name_ok(const char *s, size_t len)
{
	if (strcmp(s, ".") == 0)
		return (1);
	if (s[0] == '@')
		return (strcmp(s, "@index") == 0 || strcmp(s, "@first") == 0 ||
		    strcmp(s, "@last") == 0);
	if (s[0] == '.' || s[len - 1] == '.' || strstr(s, "..") != NULL)
		return (0);
	return (1);
}

static int
is_space(char c)
{
	return (c == ' ' || c == '\t' || c == '\r' || c == '\n');
}

/* Returns the first occurrence of pat in the len bytes at s, or NULL. */
static const char *
find(const char *s, size_t len, const char *pat)
{
	size_t		 plen;
	const char	*p, *end;

	plen = strlen(pat);
	end = s + len;
	while (len >= plen && (p = memchr(s, pat[0], len - plen + 1)) != NULL) {
		if (memcmp(p, pat, plen) == 0)
			return (p);
		s = p + 1;
		len = end - s;
	}
	return (NULL);
}

static size_t
count_nl(const char *s, size_t len)
{
	size_t	 n, i;

	for (n = i = 0; i < len; i++)
		n += (s[i] == '\n');
	return (n);
}

static int
compile(struct tmpl *t, const char *src, size_t len, char *err, size_t errlen)
{
	size_t		 open[TMPL_MAX_NESTING];
	size_t		 nopen, pos, a, b, next, clen;
	const char	*p, *closer;
	struct node	*top;
	char		*s, *name, sigil;
	int		 line, tagline;
	enum node_type	 type;

	if ((t->src = malloc(len + 1)) == NULL)
		goto oom;
	if (len > 0)
		memcpy(t->src, src, len);
	t->src[len] = '\0';
	s = t->src;
	nopen = pos = 0;
	line = 1;

	while (pos < len) {
		p = find(s + pos, len - pos, "{{");
		b = (p == NULL) ? len : (size_t)(p - s);
		if (b > pos) {
			if (node_add(t, NODE_TEXT, s + pos, b - pos,
			    line) == -1)
				goto oom;
			line += count_nl(s + pos, b - pos);
		}
		if (p == NULL)
			break;

		tagline = line;
		a = b + 2;
		sigil = '\0';
		closer = "}}";
		if (a < len && s[a] == '{') {
			sigil = '{';
			closer = "}}}";
			a++;
		}
		clen = strlen(closer);
		if ((p = find(s + a, len - a, closer)) == NULL) {
			seterr(err, errlen, "line %d: unclosed tag", tagline);
			return (-1);
		}
		b = p - s;
		next = b + clen;
		line += count_nl(s + a, b - a);

		if (sigil == '\0') {
			while (a < b && is_space(s[a]))
				a++;
			if (a < b && s[a] != '\0' &&
			    strchr("#^/>&!_=", s[a]) != NULL)
				sigil = s[a++];
		}
		if (sigil == '!') {
			pos = next;
			continue;
		}
		if (sigil == '=') {
			seterr(err, errlen, "line %d: set-delimiter tags are "
			    "not supported", tagline);
			return (-1);
		}
		while (a < b && is_space(s[a]))
			a++;
		while (b > a && is_space(s[b - 1]))
			b--;
		if (a == b) {
			seterr(err, errlen, "line %d: empty tag", tagline);
			return (-1);
		}
		s[b] = '\0';
		name = s + a;

		switch (sigil) {
		case '#':
		case '^':
			type = (sigil == '#') ? NODE_SECTION : NODE_INVERTED;
			break;
		case '/':
			if (nopen == 0) {
				seterr(err, errlen, "line %d: unexpected close "
				    "'%.64s'", tagline, name);
				return (-1);
			}
			top = &t->nodes[open[nopen - 1]];
			if (strcmp(top->s, name) != 0) {
				seterr(err, errlen, "line %d: close '%.64s' "
				    "does not match section '%.64s' opened on "
				    "line %d", tagline, name, top->s, top->line);
				return (-1);
			}
			top->end = t->nnodes;
			nopen--;
			pos = next;
			continue;
		case '>':
			type = NODE_PARTIAL;
			break;
		case '_':
			type = NODE_STRING;
			break;
		case '{':
		case '&':
			type = NODE_RAW;
			break;
		default:
			type = NODE_VAR;
			break;
		}
		if (type != NODE_PARTIAL && type != NODE_STRING &&
		    !name_ok(name, b - a)) {
			seterr(err, errlen, "line %d: bad name '%.64s'",
			    tagline, name);
			return (-1);
		}
		if (type == NODE_SECTION || type == NODE_INVERTED) {
			if (nopen == TMPL_MAX_NESTING) {
				seterr(err, errlen, "line %d: sections "
				    "nested deeper than %d", tagline,
				    TMPL_MAX_NESTING);
				return (-1);
			}
			open[nopen++] = t->nnodes;
		}
		if (node_add(t, type, name, b - a, tagline) == -1)
			goto oom;
		pos = next;
	}

	if (nopen > 0) {
		top = &t->nodes[open[nopen - 1]];
		seterr(err, errlen, "line %d: unclosed section '%.64s'",
		    top->line, top->s);
		return (-1);
	}
	return (0);

oom:
	seterr(err, errlen, "out of memory");
	return (-1);
}

/*
 * Mustache lookup: the first segment is searched from the innermost frame
 * outwards; later segments walk into objects (or arrays, by decimal index)
 * from there and never fall back to outer frames.  Returns a borrowed
 * value, or NULL when missing.
 */
static json_t *
lookup(const struct frame *f, const char *name)
{
	json_t		*v;
	size_t		 seg, i;
	unsigned long	 idx;

	if (strcmp(name, ".") == 0)
		return (f->val);
	if (name[0] == '@') {
		for (; f != NULL; f = f->up) {
			if (f->index == NULL)
				continue;
			if (strcmp(name, "@index") == 0)
				return (f->index);
			if (strcmp(name, "@first") == 0)
				return (f->first ? json_true() : json_false());
			return (f->last ? json_true() : json_false());
		}
		return (NULL);
	}

	seg = strcspn(name, ".");
	for (v = NULL; f != NULL && v == NULL; f = f->up)
		v = json_object_getn(f->val, name, seg);

	while (v != NULL && name[seg] == '.') {
		name += seg + 1;
		seg = strcspn(name, ".");
		if (json_is_array(v)) {
			for (i = 0; i < seg; i++) {
				if (name[i] < '0' || name[i] > '9')
					return (NULL);
			}
			idx = strtoul(name, NULL, 10);
			v = json_array_get(v, idx);
		} else
			v = json_object_getn(v, name, seg);
	}
	return (v);
}

static int
truthy(json_t *v)
{
	if (v == NULL)
		return (0);
	switch (json_typeof(v)) {
	case JSON_OBJECT:
	case JSON_TRUE:
		return (1);
	case JSON_ARRAY:
		return (json_array_size(v) > 0);
	case JSON_STRING:
		return (json_string_length(v) > 0);
	case JSON_INTEGER:
		return (json_integer_value(v) != 0);
	case JSON_REAL:
		return (json_real_value(v) != 0.0);
	default:
		return (0);
	}
}

static int
put_value(struct tmpl_buf *b, json_t *v, int raw)
{
	char		 num[64];
	const char	*s;
	size_t		 len;
	int		 n;

	if (v == NULL)
		return (0);
	switch (json_typeof(v)) {
	case JSON_STRING:
		s = json_string_value(v);
		len = json_string_length(v);
		break;
	case JSON_INTEGER:
		n = snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		s = num;
		len = (size_t)n;
		break;
	case JSON_REAL:
		n = snprintf(num, sizeof(num), "%.15g", json_real_value(v));
		s = num;
		len = (size_t)n;
		break;
	case JSON_TRUE:
		s = "true";
		len = 4;
		break;
	default:
		return (0);
	}
	if (raw)
		return (tmpl_buf_append(b, s, len));
	return (tmpl_buf_escape(b, s, len));
}

static int
render_fail(struct render *r, const char *fmt, ...)
{
	va_list	 ap;

	if (r->err != NULL && r->errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(r->err, r->errlen, fmt, ap);
		va_end(ap);
	}
	return (-1);
}

static int
render_nodes(struct render *r, const struct tmpl *t, size_t from, size_t to,
    const struct frame *f)
{
	const struct node	*n;
	const char		*s;
	size_t			 i, next;

	for (i = from; i < to; i = next) {
		n = &t->nodes[i];
		next = i + 1;
		if (++r->steps > TMPL_MAX_STEPS)
			return (render_fail(r, "template '%.64s': more than %d "
			    "steps", t->name, TMPL_MAX_STEPS));

		switch (n->type) {
		case NODE_TEXT:
			tmpl_buf_append(&r->out, n->s, n->len);
			break;
		case NODE_VAR:
		case NODE_RAW:
			put_value(&r->out, lookup(f, n->s),
			    n->type == NODE_RAW);
			break;
		case NODE_STRING:
			s = NULL;
			if (r->strfn != NULL)
				s = r->strfn(n->s, r->strarg);
			if (s == NULL)
				s = n->s;
			tmpl_buf_escape(&r->out, s, strlen(s));
			break;
		case NODE_PARTIAL:
			if (render_partial(r, t, n, f) == -1)
				return (-1);
			break;
		case NODE_SECTION:
			if (render_section(r, t, i, f) == -1)
				return (-1);
			next = n->end;
			break;
		case NODE_INVERTED:
			if (!truthy(lookup(f, n->s)) &&
			    render_nodes(r, t, i + 1, n->end, f) == -1)
				return (-1);
			next = n->end;
			break;
		}

		if (r->out.failed)
			return (render_fail(r, "out of memory"));
		if (r->out.len > TMPL_MAX_OUTPUT)
			return (render_fail(r, "template '%.64s': output "
			    "larger than %d bytes", t->name, TMPL_MAX_OUTPUT));
	}
	return (0);
}

/*
 * Arrays render the body once per element with the element pushed; any
 * other truthy value renders it once with the value pushed, which changes
 * only what {{.}} means, since names are looked up in objects alone.
 */
static int
render_section(struct render *r, const struct tmpl *t, size_t i,
    const struct frame *f)
{
	const struct node	*n;
	struct frame		 child;
	json_t			*v;
	size_t			 k, size;
	int			 rc;

	n = &t->nodes[i];
	v = lookup(f, n->s);
	if (!truthy(v))
		return (0);

	child.up = f;
	child.index = NULL;
	child.first = child.last = 0;
	if (!json_is_array(v)) {
		child.val = v;
		return (render_nodes(r, t, i + 1, n->end, &child));
	}

	if ((child.index = json_integer(0)) == NULL)
		return (render_fail(r, "out of memory"));
	size = json_array_size(v);
	rc = 0;
	for (k = 0; k < size && rc == 0; k++) {
		if (++r->steps > TMPL_MAX_STEPS) {
			rc = render_fail(r, "template '%.64s': more than %d "
			    "steps", t->name, TMPL_MAX_STEPS);
			break;
		}
		child.val = json_array_get(v, k);
		json_integer_set(child.index, (json_int_t)k);
		child.first = (k == 0);
		child.last = (k + 1 == size);
		rc = render_nodes(r, t, i + 1, n->end, &child);
	}
	json_decref(child.index);
	return (rc);
}

static int
render_partial(struct render *r, const struct tmpl *t, const struct node *n,
    const struct frame *f)
{
	const struct tmpl	*p;
	int			 rc;

	if ((p = lib_find(r->lib, n->s)) == NULL)
		return (render_fail(r, "template '%.64s' line %d: unknown "
		    "partial '%.64s'", t->name, n->line, n->s));
	if (r->depth >= TMPL_MAX_PARTIAL_DEPTH)
		return (render_fail(r, "template '%.64s' line %d: partials "
		    "nested deeper than %d at '%.64s'", t->name, n->line,
		    TMPL_MAX_PARTIAL_DEPTH, n->s));
	r->depth++;
	rc = render_nodes(r, p, 0, p->nnodes, f);
	r->depth--;
	return (rc);
}

int
tmpl_render(const struct tmpl_lib *lib, const char *name, json_t *ctx,
    tmpl_strfn strfn, void *strarg, char **out, size_t *outlen, char *err,
    size_t errlen)
{
	struct render		 r;
	struct frame		 root;
	const struct tmpl	*t;

	*out = NULL;
	if (outlen != NULL)
		*outlen = 0;
	if (lib == NULL || name == NULL || (t = lib_find(lib, name)) == NULL) {
		seterr(err, errlen, "unknown template '%.64s'",
		    name ? name : "(null)");
		return (-1);
	}

	r.lib = lib;
	r.strfn = strfn;
	r.strarg = strarg;
	r.depth = 0;
	r.steps = 0;
	r.err = err;
	r.errlen = errlen;
	tmpl_buf_init(&r.out);

	root.val = ctx;
	root.up = NULL;
	root.index = NULL;
	root.first = root.last = 0;

	if (render_nodes(&r, t, 0, t->nnodes, &root) == -1) {
		tmpl_buf_free(&r.out);
		return (-1);
	}
	if ((*out = tmpl_buf_release(&r.out, outlen)) == NULL) {
		seterr(err, errlen, "out of memory");
		return (-1);
	}
	return (0);
}
