/*
 * Sign-up, invitations, an organisation's users and its API keys.
 *
 * Agency staff sign themselves up with an e-mail address in one of their
 * agency's approved domains and get an active buyer account; a vendor
 * signs up by applying (organisation status 'applied', reviewed by the
 * procurement office) with its first vendor_admin. Everyone else is
 * invited by an organisation admin: the invitation is a one-time token,
 * stored hashed, valid for seven days, written to mail_outbox (there is no
 * mail sender yet) and shown once to the admin. The admin also changes
 * roles, deactivates and unlocks the organisation's users and creates and
 * revokes its API keys, shown once as well.
 *
 * Every handler is a small state machine over ar->step: validate, one
 * database statement at a time (db_call), and for a new password an
 * Argon2id hash in a Kore task, never in the event loop. Every change is
 * one statement that also writes its audit event. Statements on an :id
 * carry "AND org_id = <caller's organisation>", so another organisation's
 * row answers 404 and its existence is not disclosed. Forms that fail keep
 * what the user typed (never a password) and mark the field in error.
 *
 * Decisions: an e-mail address is stored lowercased and an agency's domain
 * must match exactly (no subdomains). An admin may not change their own
 * role or deactivate themselves (409), so an organisation keeps an admin.
 * API-key scopes: "read" for every organisation, "usage:write" for vendors
 * (usage reports), "invoices:read" for agencies; the operator's keys only
 * read. A used or expired invitation answers 410 Gone (made here: the
 * error table has no 410), an unknown one 404. Deactivating an invited
 * user withdraws the invitation (410 as well).
 */

#include <ctype.h>
#include <sodium.h>

#include "gureum.h"
#include "bizno.h"
#include "i18n.h"
#include "secret.h"

#define INVITE_DAYS		7
#define KEY_ID_TRIES		3	/* new keys when an id collides */

/* The statements of this file, one per business operation. */
enum oa_sql {
	SQL_AGENCIES,
	SQL_SIGNUP_AGENCY,
	SQL_SIGNUP_VENDOR,
	SQL_INVITE_ORG,
	SQL_INVITE,
	SQL_INVITATION,
	SQL_INVITATION_ACCEPT,
	SQL_USERS,
	SQL_USER_ROLE,
	SQL_USER_DEACTIVATE,
	SQL_USER_UNLOCK,
	SQL_KEYS,
	SQL_KEY_CREATE,
	SQL_KEY_REVOKE,
	SQL__MAX
};

#define AUDIT_COLS	"INSERT INTO audit_events (actor_id, org_id, action," \
			" object_type, object_id, summary, request_id," \
			" client_addr) "
#define SEOUL(c)	"to_char(" c " AT TIME ZONE 'Asia/Seoul'," \
			" 'YYYY-MM-DD HH24:MI')"
#define DOMAIN_OK(d, e)	"EXISTS (SELECT 1 FROM unnest(" d ") dom" \
			" WHERE lower(dom) = lower(split_part(" e ", '@', 2)))"

static const char *const oa_sql[SQL__MAX] = {
	/* SQL_AGENCIES: agencies that take sign-ups, with their domains. */
	"SELECT o.id, o.name_ko, o.name_en, to_jsonb(o.email_domains) AS domains"
	" FROM organisations o WHERE o.kind = 'agency' AND o.status = 'approved'"
	" AND cardinality(o.email_domains) > 0 ORDER BY o.name_ko, o.id",

	/* SQL_SIGNUP_AGENCY: $1 org, $2 name, $3 email, $4 hash, $5 rid,
	 * $6 client. No row: the agency or its domain went away. */
	"WITH o AS (SELECT id FROM organisations WHERE id = $1::bigint"
	"  AND kind = 'agency' AND status = 'approved'"
	"  AND " DOMAIN_OK("email_domains", "$3") "),"
	" u AS (INSERT INTO users (org_id, email, name, role, password_hash)"
	"  SELECT o.id, $3, $2, 'buyer', $4 FROM o"
	"  RETURNING id, org_id, email, role, status),"
	" a AS (" AUDIT_COLS "SELECT u.id, u.org_id, 'signup_agency_user',"
	"  'user', u.id::text, jsonb_build_object('email', u.email,"
	"  'role', u.role), $5, $6 FROM u)"
	" SELECT id, org_id, email, role, status FROM u",

	/* SQL_SIGNUP_VENDOR: see vendor_apply() in sql/0003_orgadmin.sql. */
	"SELECT org_id, user_id FROM vendor_apply($1, $2, $3, $4, $5, $6, $7,"
	" $8, $9, $10, $11, $12, $13)",

	/* SQL_INVITE_ORG: $1 org, $2 actor. */
	"SELECT o.kind, o.name_ko, o.name_en, to_jsonb(o.email_domains)"
	" AS domains, (SELECT name FROM users WHERE id = $2::bigint)"
	" AS actor_name FROM organisations o WHERE o.id = $1::bigint",

	/* SQL_INVITE: $1 org, $2 email, $3 name, $4 role, $5 token hash,
	 * $6 actor, $7 subject, $8 body, $9 rid, $10 client. No row: an
	 * agency's domain is not (or no longer) approved. */
	"WITH o AS (SELECT id FROM organisations WHERE id = $1::bigint"
	"  AND (kind <> 'agency' OR " DOMAIN_OK("email_domains", "$2") ")),"
	" u AS (INSERT INTO users (org_id, email, name, role, status)"
	"  SELECT o.id, $2, $3, $4, 'invited' FROM o"
	"  RETURNING id, org_id, email, name, role, status),"
	" i AS (INSERT INTO invitations (token_hash, user_id, created_by,"
	"  expires_at) SELECT $5, u.id, $6::bigint,"
	"  now() + interval '7 days' FROM u RETURNING id, expires_at),"
	" m AS (INSERT INTO mail_outbox (to_address, subject, body)"
	"  SELECT u.email, $7, $8 FROM u, i RETURNING id),"
	" a AS (" AUDIT_COLS "SELECT $6::bigint, u.org_id, 'user_invited',"
	"  'user', u.id::text, jsonb_build_object('email', u.email,"
	"  'role', u.role, 'invitation', i.id, 'mail', m.id), $9, $10"
	"  FROM u, i, m)"
	" SELECT u.id, u.email, u.name, u.role, u.status, i.id AS invitation_id,"
	" " SEOUL("i.expires_at") " AS expires_at FROM u, i",

	/* SQL_INVITATION: $1 token hash. */
	"SELECT i.id, u.email, u.name, u.role, o.kind AS org_kind,"
	" o.name_ko AS org_name_ko, o.name_en AS org_name_en,"
	" CASE WHEN u.status = 'deactivated' THEN 'withdrawn'"
	" WHEN i.used_at IS NOT NULL OR u.status <> 'invited' THEN 'used'"
	" WHEN i.expires_at <= now() THEN 'expired' ELSE 'valid' END AS state,"
	" " SEOUL("i.expires_at") " AS expires_at"
	" FROM invitations i JOIN users u ON u.id = i.user_id"
	" JOIN organisations o ON o.id = u.org_id WHERE i.token_hash = $1",

	/* SQL_INVITATION_ACCEPT: $1 token hash, $2 password hash, $3 name,
	 * $4 rid, $5 client. No row: used, expired or withdrawn meanwhile. */
	"WITH i AS (SELECT i.id, i.user_id FROM invitations i"
	"  JOIN users u ON u.id = i.user_id WHERE i.token_hash = $1"
	"  AND i.used_at IS NULL AND i.expires_at > now()"
	"  AND u.status = 'invited' FOR UPDATE OF i, u),"
	" u AS (UPDATE users SET status = 'active', password_hash = $2,"
	"  name = $3, failed_logins = 0, locked_until = NULL,"
	"  updated_at = now() WHERE id = (SELECT user_id FROM i)"
	"  RETURNING id, org_id, email, name, role, status),"
	" m AS (UPDATE invitations SET used_at = now()"
	"  WHERE id = (SELECT id FROM i) RETURNING id),"
	" a AS (" AUDIT_COLS "SELECT u.id, u.org_id, 'invitation_accepted',"
	"  'user', u.id::text, jsonb_build_object('invitation', m.id,"
	"  'email', u.email), $4, $5 FROM u, m)"
	" SELECT u.id, u.email, u.name, u.role, u.status FROM u, m",

	/* SQL_USERS: $1 org. */
	"SELECT u.id, u.name, u.email, u.role, u.status,"
	" u.locked_until IS NOT NULL AND u.locked_until > now() AS locked,"
	" u.failed_logins, " SEOUL("u.last_login_at") " AS last_login_at,"
	" " SEOUL("u.created_at") " AS created_at"
	" FROM users u WHERE u.org_id = $1::bigint"
	" ORDER BY u.status = 'deactivated', u.name, u.id",

	/* SQL_USER_ROLE: $1 user, $2 org, $3 role, $4 actor, $5 rid,
	 * $6 client. */
	"WITH old AS (SELECT id, org_id, role FROM users"
	"  WHERE id = $1::bigint AND org_id = $2::bigint FOR UPDATE),"
	" u AS (UPDATE users SET role = $3, updated_at = now()"
	"  WHERE id = (SELECT id FROM old) AND role <> $3 RETURNING id, role),"
	" a AS (" AUDIT_COLS "SELECT $4::bigint, old.org_id, 'role_changed',"
	"  'user', old.id::text, jsonb_build_object('before', old.role,"
	"  'after', u.role), $5, $6 FROM old, u)"
	" SELECT old.id, old.role AS before,"
	" coalesce((SELECT role FROM u), old.role) AS role,"
	" EXISTS (SELECT 1 FROM u) AS changed FROM old",

	/* SQL_USER_DEACTIVATE: $1 user, $2 org, $3 actor, $4 rid, $5 client.
	 * Ends the user's sessions in the same statement. */
	"WITH old AS (SELECT id, org_id, status FROM users"
	"  WHERE id = $1::bigint AND org_id = $2::bigint FOR UPDATE),"
	" u AS (UPDATE users SET status = 'deactivated', updated_at = now()"
	"  WHERE id = (SELECT id FROM old) AND status <> 'deactivated'"
	"  RETURNING id),"
	" s AS (UPDATE sessions SET revoked_at = now()"
	"  WHERE user_id = (SELECT id FROM old) AND revoked_at IS NULL"
	"  RETURNING id),"
	" a AS (" AUDIT_COLS "SELECT $3::bigint, old.org_id,"
	"  'user_deactivated', 'user', old.id::text,"
	"  jsonb_build_object('before', old.status, 'after', 'deactivated',"
	"  'sessions_revoked', (SELECT count(*) FROM s)), $4, $5 FROM old, u)"
	" SELECT old.id, old.status AS before, 'deactivated' AS status,"
	" EXISTS (SELECT 1 FROM u) AS changed,"
	" (SELECT count(*) FROM s) AS sessions_revoked FROM old",

	/* SQL_USER_UNLOCK: $1 user, $2 org, $3 actor, $4 rid, $5 client. */
	"WITH old AS (SELECT id, org_id, failed_logins,"
	"  locked_until IS NOT NULL AND locked_until > now() AS locked"
	"  FROM users WHERE id = $1::bigint AND org_id = $2::bigint"
	"  FOR UPDATE),"
	" u AS (UPDATE users SET failed_logins = 0, locked_until = NULL,"
	"  updated_at = now() WHERE id = (SELECT id FROM old) RETURNING id),"
	" a AS (" AUDIT_COLS "SELECT $3::bigint, old.org_id, 'user_unlocked',"
	"  'user', old.id::text, jsonb_build_object('was_locked', old.locked,"
	"  'failed_logins', old.failed_logins), $4, $5 FROM old, u)"
	" SELECT old.id, old.locked AS was_locked, false AS locked FROM old",

	/* SQL_KEYS: $1 org. */
	"SELECT k.id, k.key_id, k.name, to_jsonb(k.scopes) AS scopes,"
	" c.name AS created_by, " SEOUL("k.created_at") " AS created_at,"
	" " SEOUL("k.last_used_at") " AS last_used_at,"
	" " SEOUL("k.revoked_at") " AS revoked_at, r.name AS revoked_by"
	" FROM api_keys k JOIN users c ON c.id = k.created_by"
	" LEFT JOIN users r ON r.id = k.revoked_by WHERE k.org_id = $1::bigint"
	" ORDER BY k.revoked_at IS NOT NULL, k.created_at DESC, k.id DESC",

	/* SQL_KEY_CREATE: $1 org, $2 key id, $3 key hash, $4 name,
	 * $5 scopes (space separated), $6 actor, $7 rid, $8 client. */
	"WITH k AS (INSERT INTO api_keys (org_id, key_id, key_hash, name,"
	"  scopes, created_by) VALUES ($1::bigint, $2, $3, $4,"
	"  string_to_array($5, ' '), $6::bigint)"
	"  RETURNING id, org_id, key_id, name, scopes, created_at),"
	" a AS (" AUDIT_COLS "SELECT $6::bigint, k.org_id, 'api_key_created',"
	"  'api_key', k.id::text, jsonb_build_object('key_id', k.key_id,"
	"  'name', k.name, 'scopes', to_jsonb(k.scopes)), $7, $8 FROM k)"
	" SELECT k.id, k.key_id, k.name, to_jsonb(k.scopes) AS scopes,"
	" " SEOUL("k.created_at") " AS created_at FROM k",

	/* SQL_KEY_REVOKE: $1 key, $2 org, $3 actor, $4 rid, $5 client. */
	"WITH old AS (SELECT id, org_id, key_id, name FROM api_keys"
	"  WHERE id = $1::bigint AND org_id = $2::bigint FOR UPDATE),"
	" k AS (UPDATE api_keys SET revoked_at = now(), revoked_by = $3::bigint"
	"  WHERE id = (SELECT id FROM old) AND revoked_at IS NULL"
	"  RETURNING id),"
	" a AS (" AUDIT_COLS "SELECT $3::bigint, old.org_id, 'api_key_revoked',"
	"  'api_key', old.id::text, jsonb_build_object('key_id', old.key_id,"
	"  'name', old.name), $4, $5 FROM old, k)"
	" SELECT old.id, old.key_id, true AS revoked,"
	" EXISTS (SELECT 1 FROM k) AS changed FROM old",
};

/* Which roles each kind of organisation has (users_role_fits agrees). */
static const struct {
	const char	*kind;
	const char	*role;
} oa_roles[] = {
	{ "agency", "buyer" },
	{ "agency", "buyer_approver" },
	{ "vendor", "vendor_admin" },
	{ "vendor", "vendor_staff" },
	{ "operator", "reviewer" },
	{ "operator", "auditor" },
	{ "operator", "platform_admin" },
};

/*
 * API-key scopes and who may hold them: everyone reads; usage is reported
 * by vendors, invoices are pulled by agencies (docs/security.md).
 */
static const struct {
	const char	*scope;
	const char	*kinds;		/* space separated */
	const char	*id;		/* of its checkbox */
	const char	*label;		/* string key */
	const char	*hint;
} oa_scopes[] = {
	{ "read", "agency vendor operator", "scope-read", "key.scope_read",
	    "key.scope_read_hint" },
	{ "usage:write", "vendor", "scope-usage", "key.scope_usage_write",
	    "key.scope_usage_write_hint" },
	{ "invoices:read", "agency", "scope-invoices",
	    "key.scope_invoices_read", "key.scope_invoices_read_hint" },
};

static const char *const oa_sizes[] = { "sme", "midsize", "large" };

/* The notices a list shows after a redirect (?done=). */
static const struct {
	const char	*code;
	const char	*key;
} oa_notices[] = {
	{ "role_changed", "org.notice_role_changed" },
	{ "role_unchanged", "org.notice_role_unchanged" },
	{ "deactivated", "org.notice_deactivated" },
	{ "unlocked", "org.notice_unlocked" },
	{ "revoked", "key.notice_revoked" },
};

/* Form fields: how each is checked (oa_check). */
enum oa_type {
	F_TEXT,		/* one line of text */
	F_EMAIL,
	F_PASSWORD,	/* secret_password_check against the e-mail */
	F_BIZNO,
	F_SIZE,
	F_PHONE,
	F_URL
};

struct oa_field {
	const char	*name;
	enum oa_type	 type;
	size_t		 max;		/* code points */
	int		 required;
	const char	*missing;	/* message key when empty */
};

/* The first failure oa_check() found. */
struct oa_verdict {
	enum app_err	 err;
	const char	*field;
	const char	*key;
};

static const struct oa_field agency_fields[] = {
	{ "name", F_TEXT, 100, 1, "signup.error_name" },
	{ "email", F_EMAIL, 254, 1, "signup.error_email" },
	{ "password", F_PASSWORD, 0, 1, "signup.error_password_missing" },
};

static const struct oa_field vendor_fields[] = {
	{ "name_ko", F_TEXT, 200, 1, "signup.error_name_ko" },
	{ "name_en", F_TEXT, 200, 0, NULL },
	{ "biz_no", F_BIZNO, 12, 1, "signup.error_bizno_missing" },
	{ "company_size", F_SIZE, 0, 1, "signup.error_size" },
	{ "address", F_TEXT, 300, 1, "signup.error_address" },
	{ "contact_name", F_TEXT, 100, 1, "signup.error_contact_name" },
	{ "contact_phone", F_PHONE, 40, 1, "signup.error_phone" },
	{ "website", F_URL, 300, 0, NULL },
	{ "admin_name", F_TEXT, 100, 1, "signup.error_admin_name" },
	{ "email", F_EMAIL, 254, 1, "signup.error_email" },
	{ "password", F_PASSWORD, 0, 1, "signup.error_password_missing" },
};

static const struct oa_field invite_fields[] = {
	{ "email", F_EMAIL, 254, 1, "invite.error_email" },
	{ "name", F_TEXT, 100, 1, "invite.error_name" },
};

static const struct oa_field accept_fields[] = {
	{ "name", F_TEXT, 100, 1, "signup.error_name" },
	{ "password", F_PASSWORD, 0, 1, "signup.error_password_missing" },
};

static const struct oa_field key_fields[] = {
	{ "name", F_TEXT, 100, 1, "key.error_name" },
};

/* What secret_password_check() says, as an error and a message. */
static const struct {
	enum app_err	 err;
	const char	*key;
} oa_pw_errors[SECRET_ERR__MAX] = {
	/* SECRET_OK */
	{ APP_OK, NULL },
	/* SECRET_EINVAL */
	{ APP_EINVAL, "signup.error_password_chars" },
	/* SECRET_ETOOSHORT */
	{ APP_EINVAL, "signup.error_password_short" },
	/* SECRET_ETOOLONG */
	{ APP_ETOOLONG, "signup.error_password_long" },
	/* SECRET_ECOMMON */
	{ APP_EINVAL, "signup.error_password_common" },
	/* SECRET_ESAMEASLOGIN */
	{ APP_EINVAL, "signup.error_password_email" },
	/* SECRET_ENOMEM */
	{ APP_EINTERNAL, "error.internal" },
};

static int64_t		 oa_in_id(struct http_request *, const char *);
static void		 oa_keep(struct http_request *, json_t *,
			    const struct oa_field *, size_t);
static int		 oa_check(struct http_request *,
			    const struct oa_field *, size_t, const char *,
			    struct oa_verdict *);
static int		 oa_text(const char *, size_t, int);
static int		 oa_email_ok(const char *);
static void		 oa_lower(const char *, char *, size_t);
static int		 oa_role_fits(const char *, const char *);
static const char	*oa_org_name(struct http_request *, json_t *,
			    const char *, const char *);
static json_t		*oa_private(json_t *);
static int		 oa_render(struct http_request *, int, const char *);
static int		 oa_form_error(struct http_request *, int,
			    const char *, enum app_err, const char *,
			    const char *);
static int		 oa_gone(struct http_request *, const char *);
static void		 oa_ids(struct http_request *, char *, char *, char *,
			    size_t);
static void		 oa_hash_start(struct http_request *, struct app_req *,
			    const char *);
static int		 oa_hash_task(struct kore_task *);
static int		 oa_hash_done(struct http_request *, struct app_req *);
static void		 oa_subst(struct kore_buf *, const char *,
			    const char *[][2], size_t);
static int		 oa_token_ok(const char *);
static json_t		*oa_role_options(struct http_request *, const char *,
			    const char *);
static void		 oa_notice(struct http_request *, json_t *);
static int		 oa_agency_form(struct http_request *, int,
			    enum app_err, const char *, const char *);
static int		 oa_vendor_form(struct http_request *, json_t *);
static int		 oa_invite_vm(struct http_request *, json_t *, json_t *);
static int		 oa_key_vm(struct http_request *, json_t *);
static int		 oa_user_action(struct http_request *, enum oa_sql,
			    const char *);

/* An id field (decimal text or a JSON integer); 0 when absent or bad. */
static int64_t
oa_in_id(struct http_request *req, const char *name)
{
	int64_t	n;

	return (web_input_id(req, name, &n) == 1 ? n : 0);
}

/* Copies the fields the user typed into vm (passwords never). */
static void
oa_keep(struct http_request *req, json_t *vm, const struct oa_field *f,
    size_t n)
{
	const char	*s;
	size_t		 i;

	for (i = 0; i < n; i++) {
		if (f[i].type == F_PASSWORD)
			continue;
		s = web_input(req, f[i].name);
		json_object_set_new(vm, f[i].name, json_string(s != NULL &&
		    utf8_valid(s, strlen(s)) ? s : ""));
	}
}

#define TEXT_OK		0
#define TEXT_MISSING	1
#define TEXT_CONTROL	2
#define TEXT_LONG	3

/*
 * Checks one line of text: present (not only spaces) when required, no
 * control character (C0, DEL, C1; tab and newline included), at most max
 * code points. Returns TEXT_OK or why not.
 */
static int
oa_text(const char *s, size_t max, int required)
{
	const unsigned char	*p;
	size_t			 len;
	int			 blank;

	if (s == NULL || *s == '\0')
		return (required ? TEXT_MISSING : TEXT_OK);
	len = strlen(s);
	if (!utf8_valid(s, len))
		return (TEXT_CONTROL);
	blank = 1;
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f ||
		    (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
			return (TEXT_CONTROL);
		if (*p != ' ')
			blank = 0;
	}
	if (blank && required)
		return (TEXT_MISSING);
	if (utf8_len(s, len) > max)
		return (TEXT_LONG);
	return (TEXT_OK);
}

/*
 * A plain e-mail address: one '@', a local part of at most 64 characters
 * from the RFC 5322 atom set with dots between atoms, and a domain of
 * letters, digits and hyphens with at least one dot. Quoted local parts
 * and internationalised domains are refused.
 */
static int
oa_email_ok(const char *s)
{
	const char	*at, *p;

	if ((at = strchr(s, '@')) == NULL || strchr(at + 1, '@') != NULL)
		return (0);
	if (at == s || at - s > 64 || s[0] == '.' || at[-1] == '.')
		return (0);
	for (p = s; p < at; p++) {
		if (!isalnum((unsigned char)*p) &&
		    strchr("!#$%&'*+/=?^_`{|}~.-", *p) == NULL)
			return (0);
		if (p[0] == '.' && p[1] == '.')
			return (0);
	}
	p = at + 1;
	if (*p == '\0' || *p == '.' || *p == '-' || strchr(p, '.') == NULL)
		return (0);
	for (; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-')
			return (0);
		if ((p[0] == '.' || p[0] == '-') &&
		    (p[1] == '.' || p[1] == '\0'))
			return (0);
	}
	return (1);
}

/* Copies s lowercased (ASCII) into out, len bytes, always terminated. */
static void
oa_lower(const char *s, char *out, size_t len)
{
	size_t	i;

	for (i = 0; s != NULL && s[i] != '\0' && i + 1 < len; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[i] = '\0';
}

/*
 * Checks the fields f[0..n) of the request in order. login is the e-mail
 * a new password must not equal (NULL: take the "email" field). Returns 1
 * when all are fine, 0 with the first failure in *v.
 */
static int
oa_check(struct http_request *req, const struct oa_field *f, size_t n,
    const char *login, struct oa_verdict *v)
{
	const char	*s;
	char		 low[256];
	size_t		 i, j, digits;
	enum secret_err	 se;
	enum bizno_err	 be;
	int		 r;

	for (i = 0; i < n; i++) {
		s = web_input(req, f[i].name);
		v->field = f[i].name;
		v->err = APP_EINVAL;
		v->key = f[i].missing;
		if (f[i].type == F_PASSWORD) {
			if (s == NULL || *s == '\0')
				return (0);
			if (login == NULL)
				login = web_input(req, "email");
			oa_lower(login, low, sizeof(low));
			se = secret_password_check(s, low);
			if (se == SECRET_OK)
				continue;
			if (se < 0 || se >= SECRET_ERR__MAX)
				se = SECRET_ENOMEM;
			v->err = oa_pw_errors[se].err;
			v->key = oa_pw_errors[se].key;
			return (0);
		}
		if (f[i].type == F_BIZNO) {
			if (s == NULL || *s == '\0')
				return (0);
			if ((be = bizno_parse(s, NULL)) == BIZNO_OK)
				continue;
			v->key = be == BIZNO_ECHECK ? "signup.error_bizno_check" :
			    "signup.error_bizno_format";
			return (0);
		}
		if (f[i].type == F_SIZE) {
			for (j = 0; s != NULL && j < sizeof(oa_sizes) /
			    sizeof(oa_sizes[0]); j++) {
				if (strcmp(s, oa_sizes[j]) == 0)
					break;
			}
			if (s == NULL || j == sizeof(oa_sizes) /
			    sizeof(oa_sizes[0]))
				return (0);
			continue;
		}

		r = oa_text(s, f[i].max, f[i].required);
		if (r == TEXT_MISSING)
			return (0);
		if (r == TEXT_CONTROL) {
			v->key = "signup.error_control";
			return (0);
		}
		if (r == TEXT_LONG) {
			v->err = APP_ETOOLONG;
			v->key = "signup.error_too_long";
			return (0);
		}
		if (s == NULL || *s == '\0')
			continue;
		switch (f[i].type) {
		case F_EMAIL:
			if (strlen(s) < 3 || !oa_email_ok(s)) {
				v->key = f[i].missing;
				return (0);
			}
			break;
		case F_PHONE:
			digits = 0;
			for (j = 0; s[j] != '\0'; j++) {
				if (s[j] >= '0' && s[j] <= '9')
					digits++;
				else if (strchr("+-() ", s[j]) == NULL)
					break;
			}
			if (s[j] != '\0' || digits < 7) {
				v->key = "signup.error_phone";
				return (0);
			}
			break;
		case F_URL:
			if ((strncmp(s, "https://", 8) != 0 &&
			    strncmp(s, "http://", 7) != 0) ||
			    strlen(s) < 10 || strchr(s, ' ') != NULL) {
				v->key = "signup.error_website";
				return (0);
			}
			break;
		default:
			break;
		}
	}
	return (1);
}

/* 1 if role exists in organisations of kind. */
static int
oa_role_fits(const char *kind, const char *role)
{
	size_t	i;

	for (i = 0; kind != NULL && role != NULL &&
	    i < sizeof(oa_roles) / sizeof(oa_roles[0]); i++) {
		if (strcmp(oa_roles[i].kind, kind) == 0 &&
		    strcmp(oa_roles[i].role, role) == 0)
			return (1);
	}
	return (0);
}

/*
 * The organisation name of row in the request's language: the English
 * column when asked for English and set, else the Korean one. Borrowed
 * from row; "" when missing.
 */
static const char *
oa_org_name(struct http_request *req, json_t *row, const char *ko,
    const char *en)
{
	const char	*s;

	if (strcmp(app_req(req)->lang, "en") == 0 &&
	    (s = json_string_value(json_object_get(row, en))) != NULL &&
	    *s != '\0')
		return (s);
	s = json_string_value(json_object_get(row, ko));
	return (s != NULL ? s : "");
}

/*
 * The request's private scratch object in vm ("_"): values a later step
 * needs but the answer must not show. Created on first use; borrowed.
 */
static json_t *
oa_private(json_t *vm)
{
	json_t	*p;

	if ((p = json_object_get(vm, "_")) == NULL) {
		p = json_object();
		json_object_set_new(vm, "_", p);
	}
	return (p);
}

/* Answers ar->vm (without its private part) as page tmpl or JSON. */
static int
oa_render(struct http_request *req, int status, const char *tmpl)
{
	struct app_req	*ar;

	ar = app_req(req);
	json_object_del(ar->vm, "_");
	return (web_page(req, status, tmpl, ar->vm));
}

/*
 * Answers a form error: JSON as web_error() does; for browsers the form
 * tmpl again with ar->vm (the user's input), the summary and the field
 * marked (vm.invalid.<field> holds its message).
 */
static int
oa_form_error(struct http_request *req, int status, const char *tmpl,
    enum app_err err, const char *field, const char *key)
{
	struct app_req	*ar;
	json_t		*inv;

	ar = app_req(req);
	json_object_del(ar->vm, "_");
	if (field != NULL && (inv = json_object()) != NULL) {
		json_object_set_new(inv, field, json_string(web_str(req,
		    key != NULL ? key : "error.invalid_parameter")));
		json_object_set_new(ar->vm, "invalid", inv);
	}
	return (web_form_page(req, status, tmpl, ar->vm, err, field, key));
}

/*
 * 410 Gone with message key: the error table has no such status, so the
 * answer is made here in the same shape ({"error": {code, message}} or
 * the error page).
 */
static int
oa_gone(struct http_request *req, const char *key)
{
	struct app_req	*ar;
	json_t		*vm;

	ar = app_req(req);
	if (ar->json)
		vm = json_pack("{s:{s:s, s:s}}", "error", "code", "gone",
		    "message", web_str(req, key));
	else
		vm = json_pack("{s:i, s:s, s:s, s:s}", "status", 410,
		    "code", "gone", "message", web_str(req, key),
		    "title", web_str(req, key));
	if (vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	if (ar->json)
		(void)web_json(req, 410, vm);
	else
		(void)web_page(req, 410, "error", vm);
	json_decref(vm);
	return (KORE_RESULT_OK);
}

/* The caller's organisation and user, and the path's :id, as text. */
static void
oa_ids(struct http_request *req, char *org, char *actor, char *id, size_t len)
{
	struct app_req	*ar;

	ar = app_req(req);
	(void)snprintf(org, len, "%lld", (long long)ar->who.org_id);
	(void)snprintf(actor, len, "%lld", (long long)ar->who.user_id);
	if (id != NULL)
		(void)snprintf(id, len, "%lld", (long long)ar->id);
}

/* Starts hashing pw with Argon2id in a task thread (auth.c's pattern). */
static void
oa_hash_start(struct http_request *req, struct app_req *ar, const char *pw)
{
	kore_task_create(&ar->task, oa_hash_task);
	ar->task_inited = 1;
	kore_task_bind_request(&ar->task, req);
	kore_task_run(&ar->task);
	kore_task_channel_write(&ar->task, (void *)pw, strlen(pw));
}

/* Runs in a task thread: reads a password, writes its hash ("" on failure). */
static int
oa_hash_task(struct kore_task *t)
{
	char		pw[SECRET_PW_MAX_BYTES + 1], hash[SECRET_PWHASH_BUFSZ];
	u_int32_t	len;

	len = kore_task_channel_read(t, pw, sizeof(pw) - 1);
	pw[len < sizeof(pw) ? len : sizeof(pw) - 1] = '\0';
	if (secret_hash_password(pw, hash) != SECRET_OK)
		hash[0] = '\0';
	sodium_memzero(pw, sizeof(pw));
	kore_task_channel_write(t, hash, strlen(hash));
	return (KORE_RESULT_OK);
}

/*
 * Collects the hash once the task finished, into the private "hash" of
 * ar->vm. Returns KORE_RESULT_RETRY while it runs, KORE_RESULT_OK when
 * stored, KORE_RESULT_ERROR (answered 500) when hashing failed.
 */
static int
oa_hash_done(struct http_request *req, struct app_req *ar)
{
	char		hash[SECRET_PWHASH_BUFSZ + 1];
	u_int32_t	len;

	if (kore_task_state(&ar->task) != KORE_TASK_STATE_FINISHED)
		return (KORE_RESULT_RETRY);
	len = kore_task_channel_read(&ar->task, hash, sizeof(hash) - 1);
	if (len == 0 || len >= sizeof(hash)) {
		web_log(req, "orgadmin: password hash failed");
		(void)web_error(req, APP_EINTERNAL, NULL, NULL);
		return (KORE_RESULT_ERROR);
	}
	hash[len] = '\0';
	json_object_set_new(oa_private(ar->vm), "hash", json_string(hash));
	return (KORE_RESULT_OK);
}

/*
 * Appends tmpl to b with each "{name}" of vars (n pairs of name, value)
 * replaced once, in one pass: a value is never searched again.
 */
static void
oa_subst(struct kore_buf *b, const char *tmpl, const char *vars[][2],
    size_t n)
{
	const char	*p;
	size_t		 i, len;

	if (tmpl == NULL)
		return;
	for (p = tmpl; *p != '\0'; p++) {
		if (*p == '{') {
			for (i = 0; i < n; i++) {
				len = strlen(vars[i][0]);
				if (strncmp(p + 1, vars[i][0], len) == 0 &&
				    p[len + 1] == '}')
					break;
			}
			if (i < n) {
				kore_buf_append(b, vars[i][1],
				    strlen(vars[i][1]));
				p += strlen(vars[i][0]) + 1;
				continue;
			}
		}
		kore_buf_append(b, p, 1);
	}
}

/* 1 if s looks like a token from secret_token() (43 base64url chars). */
static int
oa_token_ok(const char *s)
{
	return (s != NULL && strlen(s) == SECRET_TOKEN_LEN &&
	    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_") == SECRET_TOKEN_LEN);
}

/* The roles of kind as [{value, label, selected}]; NULL on no memory. */
static json_t *
oa_role_options(struct http_request *req, const char *kind,
    const char *selected)
{
	json_t	*list;
	char	 key[64];
	size_t	 i;

	if ((list = json_array()) == NULL)
		return (NULL);
	for (i = 0; i < sizeof(oa_roles) / sizeof(oa_roles[0]); i++) {
		if (strcmp(oa_roles[i].kind, kind) != 0)
			continue;
		(void)snprintf(key, sizeof(key), "role.%s", oa_roles[i].role);
		json_array_append_new(list, json_pack("{s:s, s:s, s:b}",
		    "value", oa_roles[i].role, "label", web_str(req, key),
		    "selected", selected != NULL &&
		    strcmp(selected, oa_roles[i].role) == 0));
	}
	return (list);
}

/* Puts the notice that ?done= names (if any) into vm. */
static void
oa_notice(struct http_request *req, json_t *vm)
{
	const char	*done;
	size_t		 i;

	if ((done = qs_get(&app_req(req)->qs, "done")) == NULL)
		return;
	for (i = 0; i < sizeof(oa_notices) / sizeof(oa_notices[0]); i++) {
		if (strcmp(done, oa_notices[i].code) == 0) {
			json_object_set_new(vm, "notice", json_string(
			    web_str(req, oa_notices[i].key)));
			return;
		}
	}
}

/* GET /signup: the choice between agency staff and vendor. Answers 200. */
int
orgadmin_signup(struct http_request *req)
{
	struct app_req	*ar;

	ar = app_req(req);
	if ((ar->vm = json_pack("{s:s}", "title",
	    web_str(req, "signup.title"))) == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	return (oa_render(req, 200, "signup"));
}

/*
 * The agency sign-up form with the agencies of ar->db[0] (their names and
 * approved domains, the chosen one selected) and the user's input.
 * Answers status, or the error err on field.
 */
static int
oa_agency_form(struct http_request *req, int status, enum app_err err,
    const char *field, const char *key)
{
	struct app_req	*ar;
	json_t		*row, *list, *d, *names;
	const char	*s;
	int64_t		 chosen;
	size_t		 i, j;

	ar = app_req(req);
	chosen = oa_in_id(req, "agency");
	if (chosen == 0 && (s = qs_get(&ar->qs, "agency")) != NULL)
		chosen = strtoll(s, NULL, 10);
	if ((list = json_array()) == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	json_array_foreach(ar->db[0].rows, i, row) {
		names = json_array();
		json_array_foreach(json_object_get(row, "domains"), j, d)
			json_array_append(names, d);
		json_array_append_new(list, json_pack("{s:O, s:s, s:s?, s:o,"
		    " s:b}", "id", json_object_get(row, "id"),
		    "name", oa_org_name(req, row, "name_ko", "name_en"),
		    "name_ko", json_string_value(json_object_get(row,
		    "name_ko")), "domains", names,
		    "selected", json_integer_value(json_object_get(row,
		    "id")) == chosen));
	}
	json_object_set_new(ar->vm, "agencies", list);
	if (err == APP_OK) {
		json_object_del(ar->vm, "_");
		return (web_page(req, status, "signup_agency", ar->vm));
	}
	return (oa_form_error(req, status, "signup_agency", err, field, key));
}

/*
 * GET /signup/agency (?agency= preselects one): the form, with every
 * approved agency that has e-mail domains and those domains.
 */
int
orgadmin_signup_agency_page(struct http_request *req)
{
	struct app_req	*ar;
	int		 rc;

	ar = app_req(req);
	if (ar->vm == NULL) {
		if ((ar->vm = json_pack("{s:s, s:s, s:s}", "title",
		    web_str(req, "signup.agency_title"), "name", "",
		    "email", "")) == NULL)
			return (web_error(req, APP_EINTERNAL, NULL, NULL));
	}
	rc = db_call(req, &ar->db[0], oa_sql[SQL_AGENCIES], 0, NULL);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	return (oa_agency_form(req, 200, APP_OK, NULL, NULL));
}

/*
 * POST /signup/agency (agency, name, email, password): an active buyer of
 * the chosen agency, if the e-mail's domain is one of the agency's.
 * Steps: 0 list the agencies, 1 check, 2 hash, 3 insert.
 * Answers 201, 400 naming the field, 409 when the e-mail is taken.
 */
int
orgadmin_signup_agency(struct http_request *req)
{
	struct app_req		*ar;
	struct oa_verdict	 v;
	json_t			*row, *d, *agency;
	const char		*params[6], *pw, *dom;
	char			 email[256], org[24], addr[64];
	int64_t			 chosen;
	size_t			 i;
	int			 rc, ok;

	ar = app_req(req);
	switch (ar->step) {
	case 0:
		if (ar->vm == NULL) {
			if ((ar->vm = json_pack("{s:s}", "title",
			    web_str(req, "signup.agency_title"))) == NULL)
				return (web_error(req, APP_EINTERNAL, NULL,
				    NULL));
			oa_keep(req, ar->vm, agency_fields,
			    sizeof(agency_fields) / sizeof(agency_fields[0]));
		}
		rc = db_call(req, &ar->db[0], oa_sql[SQL_AGENCIES], 0, NULL);
		if (rc == DB_PENDING)
			return (KORE_RESULT_RETRY);
		if (rc == DB_ERROR)
			return (web_db_error(req, &ar->db[0]));
		ar->step = 1;
		/* FALLTHROUGH */
	case 1:
		chosen = oa_in_id(req, "agency");
		agency = NULL;
		json_array_foreach(ar->db[0].rows, i, row) {
			if (json_integer_value(json_object_get(row, "id")) ==
			    chosen)
				agency = row;
		}
		if (agency == NULL)
			return (oa_agency_form(req, 400, APP_EINVAL, "agency",
			    "signup.error_agency"));
		if (!oa_check(req, agency_fields, 2, NULL, &v))
			return (oa_agency_form(req, 400, v.err, v.field,
			    v.key));
		oa_lower(web_input(req, "email"), email, sizeof(email));
		dom = strchr(email, '@') + 1;
		ok = 0;
		json_array_foreach(json_object_get(agency, "domains"), i, d) {
			if (strcasecmp(json_string_value(d), dom) == 0)
				ok = 1;
		}
		if (!ok)
			return (oa_agency_form(req, 400, APP_EINVAL, "email",
			    "signup.error_domain"));
		if (!oa_check(req, agency_fields + 2, 1, email, &v))
			return (oa_agency_form(req, 400, v.err, v.field,
			    v.key));
		pw = web_input(req, "password");
		oa_hash_start(req, ar, pw);
		ar->step = 2;
		return (KORE_RESULT_RETRY);
	case 2:
		if ((rc = oa_hash_done(req, ar)) != KORE_RESULT_OK)
			return (rc == KORE_RESULT_RETRY ? rc : KORE_RESULT_OK);
		ar->step = 3;
		/* FALLTHROUGH */
	case 3:
		oa_lower(web_input(req, "email"), email, sizeof(email));
		(void)snprintf(org, sizeof(org), "%lld",
		    (long long)oa_in_id(req, "agency"));
		params[0] = org;
		params[1] = web_input(req, "name");
		params[2] = email;
		params[3] = json_string_value(json_object_get(oa_private(ar->vm),
		    "hash"));
		params[4] = ar->rid;
		params[5] = web_client_addr(req, addr, sizeof(addr));
		rc = db_call(req, &ar->db[1], oa_sql[SQL_SIGNUP_AGENCY], 6,
		    params);
		if (rc == DB_PENDING)
			return (KORE_RESULT_RETRY);
		if (rc == DB_ERROR) {
			if (strcmp(ar->db[1].sqlstate, "23505") == 0)
				return (oa_agency_form(req, 409, APP_ECONFLICT,
				    "email", "signup.error_email_taken"));
			return (web_db_error(req, &ar->db[1]));
		}
		if ((row = json_array_get(ar->db[1].rows, 0)) == NULL)
			return (oa_agency_form(req, 400, APP_EINVAL, "email",
			    "signup.error_domain"));
		json_object_set(ar->vm, "user", row);
		json_object_set_new(ar->vm, "kind", json_string("agency"));
		json_object_set_new(ar->vm, "agency_done", json_true());
		json_object_set_new(ar->vm, "title", json_string(web_str(req,
		    "signup.done_agency_title")));
		json_object_del(ar->vm, "agencies");
		return (oa_render(req, 201, "signup_done"));
	}
	return (web_error(req, APP_EINTERNAL, NULL, NULL));
}

/* The vendor form's fixed parts: company sizes with the chosen one. */
static int
oa_vendor_form(struct http_request *req, json_t *vm)
{
	json_t		*sizes;
	const char	*chosen;
	char		 key[64];
	size_t		 i;

	chosen = json_string_value(json_object_get(vm, "company_size"));
	if ((sizes = json_array()) == NULL)
		return (0);
	for (i = 0; i < sizeof(oa_sizes) / sizeof(oa_sizes[0]); i++) {
		(void)snprintf(key, sizeof(key), "signup.size_%s",
		    oa_sizes[i]);
		json_array_append_new(sizes, json_pack("{s:s, s:s, s:b}",
		    "value", oa_sizes[i], "label", web_str(req, key),
		    "selected", chosen != NULL &&
		    strcmp(chosen, oa_sizes[i]) == 0));
	}
	json_object_set_new(vm, "sizes", sizes);
	json_object_set_new(vm, "title", json_string(web_str(req,
	    "signup.vendor_title")));
	return (1);
}

/* GET /signup/vendor: the application form. Answers 200. */
int
orgadmin_signup_vendor_page(struct http_request *req)
{
	struct app_req	*ar;

	ar = app_req(req);
	if ((ar->vm = json_object()) == NULL ||
	    !oa_vendor_form(req, ar->vm))
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	oa_keep(req, ar->vm, vendor_fields,
	    sizeof(vendor_fields) / sizeof(vendor_fields[0]));
	return (oa_render(req, 200, "signup_vendor"));
}

/*
 * POST /signup/vendor: the company (status 'applied', for review by the
 * procurement office) and its vendor_admin. Steps: 0 check, 2 hash,
 * 3 vendor_apply(). Answers 201, 400 naming the field (the business
 * number's format and check digit have their own messages), 409 when the
 * business number or the e-mail is taken.
 */
int
orgadmin_signup_vendor(struct http_request *req)
{
	struct app_req		*ar;
	struct oa_verdict	 v;
	const char		*params[13];
	char			 email[256], biz[BIZNO_BUFSZ], addr[64];
	int			 rc;

	ar = app_req(req);
	switch (ar->step) {
	case 0:
		if ((ar->vm = json_object()) == NULL)
			return (web_error(req, APP_EINTERNAL, NULL, NULL));
		oa_keep(req, ar->vm, vendor_fields,
		    sizeof(vendor_fields) / sizeof(vendor_fields[0]));
		if (!oa_vendor_form(req, ar->vm))
			return (web_error(req, APP_EINTERNAL, NULL, NULL));
		if (!oa_check(req, vendor_fields, sizeof(vendor_fields) /
		    sizeof(vendor_fields[0]), NULL, &v))
			return (oa_form_error(req, 400, "signup_vendor", v.err,
			    v.field, v.key));
		oa_hash_start(req, ar, web_input(req, "password"));
		ar->step = 2;
		return (KORE_RESULT_RETRY);
	case 2:
		if ((rc = oa_hash_done(req, ar)) != KORE_RESULT_OK)
			return (rc == KORE_RESULT_RETRY ? rc : KORE_RESULT_OK);
		ar->step = 3;
		/* FALLTHROUGH */
	case 3:
		oa_lower(web_input(req, "email"), email, sizeof(email));
		if (bizno_parse(web_input(req, "biz_no"), biz) != BIZNO_OK)
			return (web_error(req, APP_EINTERNAL, NULL, NULL));
		params[0] = web_input(req, "name_ko");
		params[1] = web_input(req, "name_en") != NULL ?
		    web_input(req, "name_en") : "";
		params[2] = biz;
		params[3] = web_input(req, "company_size");
		params[4] = web_input(req, "address");
		params[5] = web_input(req, "contact_name");
		params[6] = web_input(req, "contact_phone");
		params[7] = web_input(req, "website") != NULL ?
		    web_input(req, "website") : "";
		params[8] = web_input(req, "admin_name");
		params[9] = email;
		params[10] = json_string_value(json_object_get(
		    oa_private(ar->vm), "hash"));
		params[11] = ar->rid;
		params[12] = web_client_addr(req, addr, sizeof(addr));
		rc = db_call(req, &ar->db[0], oa_sql[SQL_SIGNUP_VENDOR], 13,
		    params);
		if (rc == DB_PENDING)
			return (KORE_RESULT_RETRY);
		if (rc == DB_ERROR) {
			if (strcmp(ar->db[0].sqlstate, "23505") != 0)
				return (web_db_error(req, &ar->db[0]));
			if (ar->db[0].error != NULL &&
			    strstr(ar->db[0].error, "biz_no") != NULL)
				return (oa_form_error(req, 409, "signup_vendor",
				    APP_ECONFLICT, "biz_no",
				    "signup.error_bizno_taken"));
			return (oa_form_error(req, 409, "signup_vendor",
			    APP_ECONFLICT, "email", "signup.error_email_taken"));
		}
		json_object_set_new(ar->vm, "org_id", json_incref(
		    json_object_get(json_array_get(ar->db[0].rows, 0),
		    "org_id")));
		json_object_set_new(ar->vm, "user_id", json_incref(
		    json_object_get(json_array_get(ar->db[0].rows, 0),
		    "user_id")));
		json_object_set_new(ar->vm, "biz_no", json_string(biz));
		json_object_set_new(ar->vm, "email", json_string(email));
		json_object_set_new(ar->vm, "status", json_string("applied"));
		json_object_set_new(ar->vm, "kind", json_string("vendor"));
		json_object_set_new(ar->vm, "vendor_done", json_true());
		json_object_set_new(ar->vm, "title", json_string(web_str(req,
		    "signup.done_vendor_title")));
		json_object_del(ar->vm, "sizes");
		return (oa_render(req, 201, "signup_done"));
	}
	return (web_error(req, APP_EINTERNAL, NULL, NULL));
}

/*
 * Fills vm from the invitation row: who is invited, to which
 * organisation, in which role, until when. Returns 0 when it answered
 * (404 unknown, 410 used, expired or withdrawn: the user was deactivated).
 */
static int
oa_invitation_row(struct http_request *req, json_t *vm, json_t *row)
{
	const char	*state;
	char		 key[64];

	if (row == NULL) {
		(void)web_error(req, APP_ENOTFOUND, "token",
		    "invite.error_not_found");
		return (0);
	}
	state = json_string_value(json_object_get(row, "state"));
	if (strcmp(state, "used") == 0) {
		(void)oa_gone(req, "invite.error_used");
		return (0);
	}
	if (strcmp(state, "expired") == 0) {
		(void)oa_gone(req, "invite.error_expired");
		return (0);
	}
	if (strcmp(state, "withdrawn") == 0) {
		(void)oa_gone(req, "invite.error_withdrawn");
		return (0);
	}
	(void)snprintf(key, sizeof(key), "role.%s",
	    json_string_value(json_object_get(row, "role")));
	json_object_set_new(vm, "email", json_incref(json_object_get(row,
	    "email")));
	json_object_set_new(vm, "org_name", json_string(oa_org_name(req, row,
	    "org_name_ko", "org_name_en")));
	json_object_set_new(vm, "role", json_incref(json_object_get(row,
	    "role")));
	json_object_set_new(vm, "role_label", json_string(web_str(req, key)));
	json_object_set_new(vm, "expires_at", json_incref(json_object_get(row,
	    "expires_at")));
	return (1);
}

/*
 * GET /invitation?token=: the set-password form of a valid invitation.
 * Answers 404 for an unknown token, 410 for a used or expired one.
 */
int
orgadmin_invitation_page(struct http_request *req)
{
	struct app_req	*ar;
	const char	*token, *params[1];
	char		 th[SECRET_HASH_BUFSZ];
	json_t		*row;
	int		 rc;

	ar = app_req(req);
	token = qs_get(&ar->qs, "token");
	if (!oa_token_ok(token) || secret_token_hash(token, NULL, th) !=
	    SECRET_OK)
		return (web_error(req, APP_ENOTFOUND, "token",
		    "invite.error_not_found"));
	params[0] = th;
	rc = db_call(req, &ar->db[0], oa_sql[SQL_INVITATION], 1, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	row = json_array_get(ar->db[0].rows, 0);
	if ((ar->vm = json_pack("{s:s, s:s}", "title",
	    web_str(req, "invite.accept_title"), "token", token)) == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	if (!oa_invitation_row(req, ar->vm, row))
		return (KORE_RESULT_OK);
	json_object_set_new(ar->vm, "name", json_incref(json_object_get(row,
	    "name")));
	http_response_header(req, "cache-control", "no-store");
	return (oa_render(req, 200, "invitation"));
}

/*
 * POST /invitation (token, name, password): activates the invited user
 * with the password and name, and uses up the invitation, in one audited
 * statement. Steps: 0 look up, 1 check, 2 hash, 3 accept. Answers 200,
 * 400 naming the field, 404 or 410 as the GET does.
 */
int
orgadmin_invitation_accept(struct http_request *req)
{
	struct app_req		*ar;
	struct oa_verdict	 v;
	const char		*token, *params[5];
	char			 th[SECRET_HASH_BUFSZ], addr[64];
	json_t			*row;
	int			 rc;

	ar = app_req(req);
	token = web_input(req, "token");
	if (!oa_token_ok(token) || secret_token_hash(token, NULL, th) !=
	    SECRET_OK)
		return (web_error(req, APP_ENOTFOUND, "token",
		    "invite.error_not_found"));
	switch (ar->step) {
	case 0:
		params[0] = th;
		rc = db_call(req, &ar->db[0], oa_sql[SQL_INVITATION], 1,
		    params);
		if (rc == DB_PENDING)
			return (KORE_RESULT_RETRY);
		if (rc == DB_ERROR)
			return (web_db_error(req, &ar->db[0]));
		if ((ar->vm = json_pack("{s:s, s:s}", "title",
		    web_str(req, "invite.accept_title"), "token", token)) ==
		    NULL)
			return (web_error(req, APP_EINTERNAL, NULL, NULL));
		oa_keep(req, ar->vm, accept_fields, sizeof(accept_fields) /
		    sizeof(accept_fields[0]));
		row = json_array_get(ar->db[0].rows, 0);
		if (!oa_invitation_row(req, ar->vm, row))
			return (KORE_RESULT_OK);
		http_response_header(req, "cache-control", "no-store");
		if (!oa_check(req, accept_fields, sizeof(accept_fields) /
		    sizeof(accept_fields[0]), json_string_value(
		    json_object_get(row, "email")), &v))
			return (oa_form_error(req, 400, "invitation", v.err,
			    v.field, v.key));
		oa_hash_start(req, ar, web_input(req, "password"));
		ar->step = 2;
		return (KORE_RESULT_RETRY);
	case 2:
		if ((rc = oa_hash_done(req, ar)) != KORE_RESULT_OK)
			return (rc == KORE_RESULT_RETRY ? rc : KORE_RESULT_OK);
		ar->step = 3;
		/* FALLTHROUGH */
	case 3:
		params[0] = th;
		params[1] = json_string_value(json_object_get(
		    oa_private(ar->vm), "hash"));
		params[2] = web_input(req, "name");
		params[3] = ar->rid;
		params[4] = web_client_addr(req, addr, sizeof(addr));
		rc = db_call(req, &ar->db[1], oa_sql[SQL_INVITATION_ACCEPT], 5,
		    params);
		if (rc == DB_PENDING)
			return (KORE_RESULT_RETRY);
		if (rc == DB_ERROR)
			return (web_db_error(req, &ar->db[1]));
		if ((row = json_array_get(ar->db[1].rows, 0)) == NULL)
			return (oa_gone(req, "invite.error_used"));
		json_object_set(ar->vm, "user", row);
		json_object_del(ar->vm, "token");
		json_object_set_new(ar->vm, "title", json_string(web_str(req,
		    "invite.done_title")));
		return (oa_render(req, 200, "invitation_done"));
	}
	return (web_error(req, APP_EINTERNAL, NULL, NULL));
}

/*
 * GET /org/users and GET /api/v1/org/users: the users of the caller's
 * organisation with role, status, lock and last sign-in; the page adds
 * the controls an admin may use on each (none on themselves).
 */
int
orgadmin_users(struct http_request *req)
{
	struct app_req	*ar;
	const char	*params[1], *role, *status;
	char		 org[24], key[64];
	json_t		*row, *list;
	size_t		 i;
	int		 rc, self, active;

	ar = app_req(req);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	params[0] = org;
	rc = db_call(req, &ar->db[0], oa_sql[SQL_USERS], 1, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));

	list = ar->db[0].rows;
	json_array_foreach(list, i, row) {
		role = json_string_value(json_object_get(row, "role"));
		status = json_string_value(json_object_get(row, "status"));
		(void)snprintf(key, sizeof(key), "role.%s", role);
		json_object_set_new(row, "role_label", json_string(
		    web_str(req, key)));
		(void)snprintf(key, sizeof(key), "org.status_%s", status);
		json_object_set_new(row, "status_label", json_string(
		    web_str(req, key)));
		if (ar->json)
			continue;
		self = json_integer_value(json_object_get(row, "id")) ==
		    ar->who.user_id;
		active = strcmp(status, "deactivated") != 0;
		json_object_set_new(row, "self", json_boolean(self));
		json_object_set_new(row, "can_change", json_boolean(!self &&
		    active));
		json_object_set_new(row, "can_unlock", json_boolean(active &&
		    (json_is_true(json_object_get(row, "locked")) ||
		    json_integer_value(json_object_get(row,
		    "failed_logins")) > 0)));
		json_object_set_new(row, "status_class", json_string(
		    strcmp(status, "active") == 0 ? "valid" :
		    strcmp(status, "invited") == 0 ? "warning" : "neutral"));
		json_object_set_new(row, "roles", oa_role_options(req,
		    ar->who.org_kind, role));
	}
	if (ar->json)
		ar->vm = json_pack("{s:O}", "users", list);
	else
		ar->vm = json_pack("{s:s, s:O, s:b}", "title",
		    web_str(req, "org.users_title"), "users", list,
		    "agency", strcmp(ar->who.org_kind, "agency") == 0);
	if (ar->vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	oa_notice(req, ar->vm);
	return (oa_render(req, 200, "org_users"));
}

/*
 * The invite form's fixed parts from the organisation row: its roles (the
 * chosen one selected) and, for an agency, its approved domains.
 */
static int
oa_invite_vm(struct http_request *req, json_t *vm, json_t *org)
{
	struct app_req	*ar;
	json_t		*roles;

	ar = app_req(req);
	if ((roles = oa_role_options(req, ar->who.org_kind, json_string_value(
	    json_object_get(vm, "role")))) == NULL)
		return (0);
	json_object_set_new(vm, "roles", roles);
	json_object_set_new(vm, "title", json_string(web_str(req,
	    "invite.title")));
	json_object_set_new(vm, "org_name", json_string(oa_org_name(req, org,
	    "name_ko", "name_en")));
	if (strcmp(ar->who.org_kind, "agency") == 0)
		json_object_set_new(vm, "domains", json_incref(
		    json_object_get(org, "domains")));
	return (1);
}

/*
 * GET /org/users/new: the invitation form with the roles of the caller's
 * kind of organisation (and an agency's approved domains).
 */
int
orgadmin_invite_page(struct http_request *req)
{
	struct app_req	*ar;
	const char	*params[2];
	char		 org[24], actor[24];
	json_t		*row;
	int		 rc;

	ar = app_req(req);
	oa_ids(req, org, actor, NULL, sizeof(org));
	params[0] = org;
	params[1] = actor;
	rc = db_call(req, &ar->db[0], oa_sql[SQL_INVITE_ORG], 2, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	if ((row = json_array_get(ar->db[0].rows, 0)) == NULL)
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));
	if ((ar->vm = json_pack("{s:s, s:s, s:s}", "email", "", "name", "",
	    "role", "")) == NULL || !oa_invite_vm(req, ar->vm, row))
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	return (oa_render(req, 200, "org_invite"));
}

/*
 * POST /org/users (email, name, role): an invited user of the caller's
 * organisation, the invitation (token hashed, seven days), its message in
 * mail_outbox and the audit event, in one statement. The link is shown
 * once on the answer. Steps: 0 the organisation, 1 check, 2 insert.
 * Answers 201, 400 naming the field (a role of another kind of
 * organisation, an agency e-mail outside its domains), 409 when taken.
 */
int
orgadmin_invite(struct http_request *req)
{
	struct app_req		*ar;
	struct oa_verdict	 v;
	struct kore_buf		 buf;
	json_t			*row, *d, *priv;
	const char		*params[10], *role, *dom, *base;
	const char		*vars[4][2];
	char			 org[24], actor[24], addr[64], email[256];
	char			 token[SECRET_TOKEN_BUFSZ], th[SECRET_HASH_BUFSZ];
	char			 link[256], days[8], *body;
	size_t			 i, len;
	int			 rc, ok;

	ar = app_req(req);
	oa_ids(req, org, actor, NULL, sizeof(org));
	switch (ar->step) {
	case 0:
		if (ar->vm == NULL) {
			if ((ar->vm = json_object()) == NULL)
				return (web_error(req, APP_EINTERNAL, NULL,
				    NULL));
			oa_keep(req, ar->vm, invite_fields,
			    sizeof(invite_fields) / sizeof(invite_fields[0]));
			role = web_input(req, "role");
			json_object_set_new(ar->vm, "role", json_string(
			    role != NULL && utf8_valid(role, strlen(role)) ?
			    role : ""));
		}
		params[0] = org;
		params[1] = actor;
		rc = db_call(req, &ar->db[0], oa_sql[SQL_INVITE_ORG], 2,
		    params);
		if (rc == DB_PENDING)
			return (KORE_RESULT_RETRY);
		if (rc == DB_ERROR)
			return (web_db_error(req, &ar->db[0]));
		if ((row = json_array_get(ar->db[0].rows, 0)) == NULL)
			return (web_error(req, APP_ENOTFOUND, NULL, NULL));
		if (!oa_invite_vm(req, ar->vm, row))
			return (web_error(req, APP_EINTERNAL, NULL, NULL));

		if (!oa_check(req, invite_fields, sizeof(invite_fields) /
		    sizeof(invite_fields[0]), NULL, &v))
			return (oa_form_error(req, 400, "org_invite", v.err,
			    v.field, v.key));
		role = web_input(req, "role");
		if (!oa_role_fits(ar->who.org_kind, role))
			return (oa_form_error(req, 400, "org_invite",
			    APP_EINVAL, "role", "invite.error_role"));
		oa_lower(web_input(req, "email"), email, sizeof(email));
		if (strcmp(ar->who.org_kind, "agency") == 0) {
			dom = strchr(email, '@') + 1;
			ok = 0;
			json_array_foreach(json_object_get(row, "domains"),
			    i, d) {
				if (strcasecmp(json_string_value(d), dom) == 0)
					ok = 1;
			}
			if (!ok)
				return (oa_form_error(req, 400, "org_invite",
				    APP_EINVAL, "email",
				    "invite.error_domain"));
		}

		/* The token, shown once; only its hash is stored. */
		if (secret_token(token, sizeof(token)) != SECRET_OK ||
		    secret_token_hash(token, NULL, th) != SECRET_OK)
			return (web_error(req, APP_EINTERNAL, NULL, NULL));
		if ((base = getenv("GUREUM_PUBLIC_URL")) == NULL)
			base = "";
		(void)snprintf(link, sizeof(link), "%s/invitation?token=%s",
		    base, token);
		sodium_memzero(token, sizeof(token));
		(void)snprintf(days, sizeof(days), "%d", INVITE_DAYS);
		vars[0][0] = "link";
		vars[0][1] = link;
		vars[1][0] = "days";
		vars[1][1] = days;
		vars[2][0] = "inviter";
		vars[2][1] = json_is_string(json_object_get(row,
		    "actor_name")) ? json_string_value(json_object_get(row,
		    "actor_name")) : "";
		kore_buf_init(&buf, 1024);
		vars[3][0] = "org";
		vars[3][1] = json_string_value(json_object_get(row, "name_ko"));
		oa_subst(&buf, i18n_get(app_strings, "invite.mail_body",
		    "ko"), vars, 4);
		kore_buf_append(&buf, "\n\n----\n\n", 8);
		vars[3][1] = json_string_length(json_object_get(row,
		    "name_en")) > 0 ? json_string_value(json_object_get(row,
		    "name_en")) : json_string_value(json_object_get(row,
		    "name_ko"));
		oa_subst(&buf, i18n_get(app_strings, "invite.mail_body",
		    "en"), vars, 4);
		body = kore_buf_stringify(&buf, &len);

		priv = oa_private(ar->vm);
		json_object_set_new(priv, "email", json_string(email));
		json_object_set_new(priv, "token_hash", json_string(th));
		json_object_set_new(priv, "body", json_string(body));
		kore_buf_cleanup(&buf);
		/* The admin's copy of the link, on this answer only. */
		json_object_set_new(ar->vm, "link", json_string(link));
		sodium_memzero(link, sizeof(link));
		(void)snprintf(link, sizeof(link), "%s / %s",
		    i18n_get(app_strings, "invite.mail_subject", "ko"),
		    i18n_get(app_strings, "invite.mail_subject", "en"));
		json_object_set_new(priv, "subject", json_string(link));
		ar->step = 1;
		/* FALLTHROUGH */
	case 1:
		priv = oa_private(ar->vm);
		params[0] = org;
		params[1] = json_string_value(json_object_get(priv, "email"));
		params[2] = web_input(req, "name");
		params[3] = web_input(req, "role");
		params[4] = json_string_value(json_object_get(priv,
		    "token_hash"));
		params[5] = actor;
		params[6] = json_string_value(json_object_get(priv, "subject"));
		params[7] = json_string_value(json_object_get(priv, "body"));
		params[8] = ar->rid;
		params[9] = web_client_addr(req, addr, sizeof(addr));
		rc = db_call(req, &ar->db[1], oa_sql[SQL_INVITE], 10, params);
		if (rc == DB_PENDING)
			return (KORE_RESULT_RETRY);
		if (rc == DB_ERROR) {
			if (strcmp(ar->db[1].sqlstate, "23505") == 0)
				return (oa_form_error(req, 409, "org_invite",
				    APP_ECONFLICT, "email",
				    "invite.error_email_taken"));
			return (web_db_error(req, &ar->db[1]));
		}
		if ((row = json_array_get(ar->db[1].rows, 0)) == NULL)
			return (oa_form_error(req, 400, "org_invite",
			    APP_EINVAL, "email", "invite.error_domain"));
		json_object_set(ar->vm, "user", row);
		json_object_set_new(ar->vm, "title", json_string(web_str(req,
		    "invite.done_title")));
		json_object_del(ar->vm, "roles");
		http_response_header(req, "cache-control", "no-store");
		return (oa_render(req, 201, "org_invited"));
	}
	return (web_error(req, APP_EINTERNAL, NULL, NULL));
}

/*
 * The three changes an admin makes to a user of their organisation, each
 * one audited statement on (:id, the caller's organisation): 404 when the
 * user is not theirs. done names the notice of the list page a browser is
 * sent back to; a JSON client gets the row.
 */
static int
oa_user_action(struct http_request *req, enum oa_sql which, const char *done)
{
	struct app_req	*ar;
	const char	*params[6], *role;
	char		 org[24], actor[24], id[24], addr[64], url[64];
	json_t		*row;
	int		 rc, n;

	ar = app_req(req);
	oa_ids(req, org, actor, id, sizeof(org));
	n = 0;
	params[n++] = id;
	params[n++] = org;
	if (which == SQL_USER_ROLE) {
		role = web_input(req, "role");
		if (role == NULL || *role == '\0' ||
		    !oa_role_fits(ar->who.org_kind, role))
			return (web_error(req, APP_EINVAL, "role",
			    "invite.error_role"));
		if (ar->id == ar->who.user_id)
			return (web_error(req, APP_ECONFLICT, NULL,
			    "org.error_self_role"));
		params[n++] = role;
	} else if (which == SQL_USER_DEACTIVATE && ar->id == ar->who.user_id) {
		return (web_error(req, APP_ECONFLICT, NULL,
		    "org.error_self_deactivate"));
	}
	params[n++] = actor;
	params[n++] = ar->rid;
	params[n++] = web_client_addr(req, addr, sizeof(addr));
	rc = db_call(req, &ar->db[0], oa_sql[which], n, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	if ((row = json_array_get(ar->db[0].rows, 0)) == NULL)
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));
	if (ar->json)
		return (web_json(req, 200, row));
	if (which == SQL_USER_ROLE &&
	    !json_is_true(json_object_get(row, "changed")))
		done = "role_unchanged";
	(void)snprintf(url, sizeof(url), "/org/users?done=%s", done);
	return (web_redirect(req, url));
}

/*
 * POST /org/users/:id/role (role): a role that fits the organisation.
 * Answers 400 for another role, 409 on oneself, 404 outside the
 * organisation.
 */
int
orgadmin_user_role(struct http_request *req)
{
	return (oa_user_action(req, SQL_USER_ROLE, "role_changed"));
}

/*
 * POST /org/users/:id/deactivate: the user can no longer sign in and
 * every session of theirs ends now. Answers 409 on oneself.
 */
int
orgadmin_user_deactivate(struct http_request *req)
{
	return (oa_user_action(req, SQL_USER_DEACTIVATE, "deactivated"));
}

/* POST /org/users/:id/unlock: clears the lockout and the failure count. */
int
orgadmin_user_unlock(struct http_request *req)
{
	return (oa_user_action(req, SQL_USER_UNLOCK, "unlocked"));
}

/* The scopes the caller's kind of organisation may give a key. */
static int
oa_key_vm(struct http_request *req, json_t *vm)
{
	struct app_req	*ar;
	json_t		*list, *sel;
	const char	*s;
	size_t		 i, j;
	int		 on;

	ar = app_req(req);
	sel = json_object_get(vm, "scope");
	if ((list = json_array()) == NULL)
		return (0);
	for (i = 0; i < sizeof(oa_scopes) / sizeof(oa_scopes[0]); i++) {
		if (strstr(oa_scopes[i].kinds, ar->who.org_kind) == NULL)
			continue;
		on = 0;
		for (j = 0; j < json_array_size(sel); j++) {
			s = json_string_value(json_array_get(sel, j));
			if (s != NULL && strcmp(s, oa_scopes[i].scope) == 0)
				on = 1;
		}
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s,"
		    " s:b}", "value", oa_scopes[i].scope, "id", oa_scopes[i].id,
		    "label", web_str(req, oa_scopes[i].label),
		    "hint", web_str(req, oa_scopes[i].hint), "checked", on));
	}
	json_object_set_new(vm, "scopes", list);
	json_object_set_new(vm, "title", json_string(web_str(req,
	    "key.new_title")));
	return (1);
}

/* The label of scope s (a string key), or s itself. */
static const char *
oa_scope_label(struct http_request *req, const char *s)
{
	size_t	i;

	for (i = 0; s != NULL && i < sizeof(oa_scopes) / sizeof(oa_scopes[0]);
	    i++) {
		if (strcmp(s, oa_scopes[i].scope) == 0)
			return (web_str(req, oa_scopes[i].label));
	}
	return (s != NULL ? s : "");
}

/*
 * GET /org/keys: the organisation's API keys, newest first, revoked ones
 * last. Only the id of a key is shown ("gur_live_<id>…"), never again
 * the key.
 */
int
orgadmin_keys(struct http_request *req)
{
	struct app_req	*ar;
	const char	*params[1];
	char		 org[24], shown[64];
	json_t		*row, *labels, *s;
	size_t		 i, j;
	int		 rc;

	ar = app_req(req);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	params[0] = org;
	rc = db_call(req, &ar->db[0], oa_sql[SQL_KEYS], 1, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	json_array_foreach(ar->db[0].rows, i, row) {
		(void)snprintf(shown, sizeof(shown), "%s%s\xe2\x80\xa6",
		    SECRET_API_KEY_PREFIX, json_string_value(
		    json_object_get(row, "key_id")));
		json_object_set_new(row, "shown", json_string(shown));
		json_object_set_new(row, "revoked", json_boolean(
		    !json_is_null(json_object_get(row, "revoked_at"))));
		labels = json_array();
		json_array_foreach(json_object_get(row, "scopes"), j, s)
			json_array_append_new(labels, json_pack("{s:s}",
			    "label", oa_scope_label(req, json_string_value(s))));
		json_object_set_new(row, "scope_labels", labels);
	}
	ar->vm = json_pack("{s:s, s:O}", "title", web_str(req,
	    "key.list_title"), "keys", ar->db[0].rows);
	if (ar->vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	oa_notice(req, ar->vm);
	return (oa_render(req, 200, "org_keys"));
}

/* GET /org/keys/new: the form, with the scopes the caller's kind may give. */
int
orgadmin_key_page(struct http_request *req)
{
	struct app_req	*ar;

	ar = app_req(req);
	if ((ar->vm = json_pack("{s:s, s:[]}", "name", "", "scope")) == NULL ||
	    !oa_key_vm(req, ar->vm))
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	return (oa_render(req, 200, "org_key_new"));
}

/*
 * The scopes asked for (form: repeated "scope"; JSON: "scope" as a string
 * or an array) into vm.scope. Returns the count, or -1 if one is not a
 * string.
 */
static int
oa_key_scopes(struct http_request *req, json_t *vm)
{
	struct app_req	*ar;
	json_t		*in, *list, *v;
	const char	*s;
	size_t		 i, n;

	ar = app_req(req);
	if ((list = json_array()) == NULL)
		return (-1);
	json_object_set_new(vm, "scope", list);
	if (ar->body != NULL) {
		in = json_object_get(ar->body, "scope");
		if (json_is_string(in))
			json_array_append(list, in);
		else if (json_is_array(in)) {
			json_array_foreach(in, i, v) {
				if (!json_is_string(v))
					return (-1);
				json_array_append(list, v);
			}
		} else if (in != NULL)
			return (-1);
		return ((int)json_array_size(list));
	}
	n = qs_count(&ar->form, "scope");
	for (i = 0; i < n; i++) {
		s = qs_nth(&ar->form, "scope", i);
		json_array_append_new(list, json_string(s != NULL ? s : ""));
	}
	return ((int)json_array_size(list));
}

/*
 * POST /org/keys (name, scope...): a new API key of the caller's
 * organisation. At least one scope; usage:write for vendors only,
 * invoices:read for agencies only. The key is on this answer only: the
 * database keeps its id and the hash of the whole key. Steps: 0 check and
 * make, 1 insert (a colliding id makes a new key, KEY_ID_TRIES times).
 * Answers 201, 400 naming the field.
 */
int
orgadmin_key_create(struct http_request *req)
{
	struct app_req		*ar;
	struct oa_verdict	 v;
	json_t			*priv, *row, *s;
	const char		*params[8];
	char			 org[24], actor[24], addr[64];
	char			 key[SECRET_API_KEY_BUFSZ], id[SECRET_API_ID_BUFSZ];
	char			 hash[SECRET_HASH_BUFSZ], scopes[64];
	size_t			 i, j, len;
	int			 rc, n, tries;

	ar = app_req(req);
	oa_ids(req, org, actor, NULL, sizeof(org));
	switch (ar->step) {
	case 0:
		if ((ar->vm = json_object()) == NULL)
			return (web_error(req, APP_EINTERNAL, NULL, NULL));
		oa_keep(req, ar->vm, key_fields, 1);
		n = oa_key_scopes(req, ar->vm);
		if (!oa_key_vm(req, ar->vm))
			return (web_error(req, APP_EINTERNAL, NULL, NULL));
		if (!oa_check(req, key_fields, 1, NULL, &v))
			return (oa_form_error(req, 400, "org_key_new", v.err,
			    v.field, v.key));
		if (n <= 0)
			return (oa_form_error(req, 400, "org_key_new",
			    APP_EINVAL, "scope", n == 0 ?
			    "key.error_scope_missing" :
			    "key.error_scope_unknown"));
		scopes[0] = '\0';
		for (i = 0; i < sizeof(oa_scopes) / sizeof(oa_scopes[0]); i++) {
			json_array_foreach(json_object_get(ar->vm, "scope"),
			    j, s) {
				if (strcmp(json_string_value(s),
				    oa_scopes[i].scope) != 0)
					continue;
				if (strstr(oa_scopes[i].kinds,
				    ar->who.org_kind) == NULL)
					return (oa_form_error(req, 400,
					    "org_key_new", APP_EINVAL, "scope",
					    "key.error_scope_kind"));
				len = strlen(scopes);
				(void)snprintf(scopes + len, sizeof(scopes) -
				    len, "%s%s", len > 0 ? " " : "",
				    oa_scopes[i].scope);
				break;
			}
		}
		json_array_foreach(json_object_get(ar->vm, "scope"), j, s) {
			for (i = 0; i < sizeof(oa_scopes) /
			    sizeof(oa_scopes[0]); i++) {
				if (strcmp(json_string_value(s),
				    oa_scopes[i].scope) == 0)
					break;
			}
			if (i == sizeof(oa_scopes) / sizeof(oa_scopes[0]))
				return (oa_form_error(req, 400, "org_key_new",
				    APP_EINVAL, "scope",
				    "key.error_scope_unknown"));
		}
		priv = oa_private(ar->vm);
		json_object_set_new(priv, "scopes", json_string(scopes));
		json_object_set_new(priv, "tries", json_integer(0));
		ar->step = 1;
		/* FALLTHROUGH */
	case 1:
		priv = oa_private(ar->vm);
		if (json_object_get(priv, "key") == NULL) {
			if (secret_api_key(key, sizeof(key), id, sizeof(id)) !=
			    SECRET_OK || secret_token_hash(key, NULL, hash) !=
			    SECRET_OK)
				return (web_error(req, APP_EINTERNAL, NULL,
				    NULL));
			json_object_set_new(priv, "key", json_string(key));
			json_object_set_new(priv, "key_id", json_string(id));
			json_object_set_new(priv, "hash", json_string(hash));
			sodium_memzero(key, sizeof(key));
		}
		params[0] = org;
		params[1] = json_string_value(json_object_get(priv, "key_id"));
		params[2] = json_string_value(json_object_get(priv, "hash"));
		params[3] = web_input(req, "name");
		params[4] = json_string_value(json_object_get(priv, "scopes"));
		params[5] = actor;
		params[6] = ar->rid;
		params[7] = web_client_addr(req, addr, sizeof(addr));
		rc = db_call(req, &ar->db[0], oa_sql[SQL_KEY_CREATE], 8,
		    params);
		if (rc == DB_PENDING)
			return (KORE_RESULT_RETRY);
		if (rc == DB_ERROR) {
			tries = (int)json_integer_value(json_object_get(priv,
			    "tries")) + 1;
			if (strcmp(ar->db[0].sqlstate, "23505") != 0 ||
			    tries >= KEY_ID_TRIES)
				return (web_db_error(req, &ar->db[0]));
			/* The 40-bit id is taken: a new key. */
			json_object_set_new(priv, "tries", json_integer(tries));
			json_object_del(priv, "key");
			db_cleanup(&ar->db[0]);
			return (orgadmin_key_create(req));
		}
		if ((row = json_array_get(ar->db[0].rows, 0)) == NULL)
			return (web_error(req, APP_EINTERNAL, NULL, NULL));
		json_object_set(row, "key", json_object_get(priv, "key"));
		json_object_set_new(ar->vm, "created", json_incref(row));
		json_object_set_new(ar->vm, "title", json_string(web_str(req,
		    "key.created_title")));
		json_object_del(ar->vm, "scopes");
		if (ar->json) {
			json_object_del(ar->vm, "_");
			return (web_json(req, 201, row));
		}
		http_response_header(req, "cache-control", "no-store");
		return (oa_render(req, 201, "org_key_created"));
	}
	return (web_error(req, APP_EINTERNAL, NULL, NULL));
}

/*
 * POST /org/keys/:id/revoke: the key stops working on its next request.
 * Answers 404 for a key of another organisation; revoking twice is fine.
 */
int
orgadmin_key_revoke(struct http_request *req)
{
	struct app_req	*ar;
	const char	*params[5];
	char		 org[24], actor[24], id[24], addr[64];
	json_t		*row;
	int		 rc;

	ar = app_req(req);
	oa_ids(req, org, actor, id, sizeof(org));
	params[0] = id;
	params[1] = org;
	params[2] = actor;
	params[3] = ar->rid;
	params[4] = web_client_addr(req, addr, sizeof(addr));
	rc = db_call(req, &ar->db[0], oa_sql[SQL_KEY_REVOKE], 5, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	if ((row = json_array_get(ar->db[0].rows, 0)) == NULL)
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));
	if (ar->json)
		return (web_json(req, 200, row));
	return (web_redirect(req, "/org/keys?done=revoked"));
}
