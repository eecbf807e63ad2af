/*
 * Who is asking, signing in and out, and the signed-in home page.
 *
 * auth_identify() runs in the dispatcher before any handler: a session
 * cookie ("sid"), a bearer session token or an API key ("gur_live_...")
 * becomes a struct principal with one statement; no credential is the
 * anonymous principal. Tokens are random (secret_token) and only their
 * BLAKE2b hash is stored, so a copy of the sessions table signs nobody in.
 * Sessions end after 30 idle minutes or 12 hours, whichever comes first.
 *
 * Signing in verifies Argon2id in a Kore task, never in the event loop (a
 * verify costs tens of milliseconds). An unknown e-mail is verified
 * against a dummy hash so that it costs the same time and gets the same
 * answer as a wrong password. Five failures in a row lock the account for
 * 15 minutes (an admin can unlock it earlier). Each outcome is one SQL
 * statement that changes the user, the session and the audit log
 * together.
 */

#include <sodium.h>

#include "gureum.h"
#include "i18n.h"
#include "secret.h"

#define SESSION_IDLE		"30 minutes"
#define SESSION_ABSOLUTE	"12 hours"
#define SESSION_MAX_AGE		(12 * 3600)
#define LOCK_AFTER		5
#define LOCK_FOR		"15 minutes"

/* The CSRF key is not secret: the session hash it is applied to is. */
static const unsigned char csrf_key[SECRET_KEY_BYTES] = "gureum csrf token derivation v1";

static const char *sql_session =
    "WITH s AS ("
    " SELECT s.id AS session_id, u.id AS user_id, u.org_id, u.role,"
    "  o.kind, o.status AS org_status"
    " FROM sessions s JOIN users u ON u.id = s.user_id"
    " JOIN organisations o ON o.id = u.org_id"
    " WHERE s.token_hash = $1 AND s.revoked_at IS NULL"
    "  AND s.expires_at > now()"
    "  AND s.last_seen_at > now() - interval '" SESSION_IDLE "'"
    "  AND u.status = 'active'),"
    " t AS (UPDATE sessions SET last_seen_at = now()"
    "  WHERE id = (SELECT session_id FROM s)"
    "  AND last_seen_at < now() - interval '1 minute')"
    " SELECT session_id, user_id, org_id, role, kind, org_status,"
    " (SELECT count(*) FROM notifications n WHERE n.user_id = s.user_id"
    "  AND n.read_at IS NULL) AS unread FROM s";

static const char *sql_api_key =
    "WITH k AS ("
    " SELECT k.id, k.org_id, array_to_string(k.scopes, ' ') AS scopes,"
    "  o.kind, o.status AS org_status"
    " FROM api_keys k JOIN organisations o ON o.id = k.org_id"
    " WHERE k.key_id = $1 AND k.key_hash = $2 AND k.revoked_at IS NULL),"
    " t AS (UPDATE api_keys SET last_used_at = now()"
    "  WHERE id = (SELECT id FROM k) AND (last_used_at IS NULL OR"
    "  last_used_at < now() - interval '1 minute'))"
    " SELECT id, org_id, scopes, kind, org_status FROM k";

static const char *sql_user_by_email =
    "SELECT u.id, u.password_hash, u.status,"
    " u.locked_until IS NOT NULL AND u.locked_until > now() AS locked,"
    " to_char(u.locked_until AT TIME ZONE 'Asia/Seoul',"
    "  'YYYY-MM-DD HH24:MI') AS locked_until"
    " FROM users u WHERE lower(u.email) = lower($1)";

/* $1 user, $2 token hash, $3 client, $4 agent, $5 via, $6 request id */
static const char *sql_signin_ok =
    "WITH u AS (UPDATE users SET failed_logins = 0, locked_until = NULL,"
    "  last_login_at = now() WHERE id = $1 RETURNING id, org_id),"
    " s AS (INSERT INTO sessions (token_hash, user_id, expires_at,"
    "  client_addr, user_agent) SELECT $2, id,"
    "  now() + interval '" SESSION_ABSOLUTE "', $3, left($4, 300) FROM u"
    "  RETURNING id, expires_at),"
    " a AS (INSERT INTO audit_events (actor_id, org_id, action,"
    "  object_type, object_id, summary, request_id, client_addr)"
    "  SELECT u.id, u.org_id, 'signin', 'session', s.id::text,"
    "  jsonb_build_object('via', $5::text), $6, $3 FROM u, s)"
    " SELECT s.id, to_char(s.expires_at AT TIME ZONE 'UTC',"
    "  'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS expires_at FROM s";

/* $1 user (may be NULL), $2 e-mail, $3 request id, $4 client */
static const char *sql_signin_failed =
    "WITH u AS (UPDATE users SET failed_logins = failed_logins + 1,"
    "  locked_until = CASE WHEN failed_logins + 1 >= " "5"
    "  THEN now() + interval '" LOCK_FOR "' ELSE locked_until END"
    "  WHERE id = $1::bigint AND status = 'active'"
    "  AND (locked_until IS NULL OR locked_until <= now())"
    "  RETURNING id, org_id, failed_logins),"
    " a AS (INSERT INTO audit_events (actor_id, org_id, action,"
    "  object_type, object_id, summary, request_id, client_addr)"
    "  SELECT NULL, (SELECT org_id FROM u), 'signin_failed', 'user',"
    "  coalesce($1::text, ''), jsonb_build_object('email', left($2, 254),"
    "  'failed_logins', (SELECT failed_logins FROM u)), $3, $4),"
    " l AS (INSERT INTO audit_events (actor_id, org_id, action,"
    "  object_type, object_id, summary, request_id, client_addr)"
    "  SELECT NULL, org_id, 'lockout', 'user', id::text,"
    "  jsonb_build_object('until_minutes', 15), $3, $4 FROM u"
    "  WHERE failed_logins = " "5" ")"
    " SELECT coalesce((SELECT failed_logins FROM u), 0) AS failed_logins";

/* $1 session, $2 user, $3 request id, $4 client, $5 'all' or 'one' */
static const char *sql_signout =
    "WITH s AS (UPDATE sessions SET revoked_at = now()"
    "  WHERE revoked_at IS NULL AND (id = $1 OR ($5 = 'all' AND"
    "  user_id = $2)) RETURNING id),"
    " a AS (INSERT INTO audit_events (actor_id, org_id, action,"
    "  object_type, object_id, summary, request_id, client_addr)"
    "  SELECT $2, (SELECT org_id FROM users WHERE id = $2),"
    "  CASE $5 WHEN 'all' THEN 'signout_all' ELSE 'signout' END,"
    "  'session', $1::text, jsonb_build_object('sessions',"
    "  (SELECT count(*) FROM s)), $3, $4)"
    " SELECT count(*) AS revoked FROM s";

static const char *sql_me =
    "SELECT u.id, u.email, u.name, u.role, u.lang,"
    " o.id AS org_id, o.kind AS org_kind, o.name_ko AS org_name_ko,"
    " o.name_en AS org_name_en, o.status AS org_status, o.agency_type"
    " FROM users u JOIN organisations o ON o.id = u.org_id"
    " WHERE u.id = $1";

static const struct {
	int		 role;
	const char	*name;
} role_names[] = {
	{ ROLE_BUYER, "buyer" },
	{ ROLE_APPROVER, "buyer_approver" },
	{ ROLE_VADMIN, "vendor_admin" },
	{ ROLE_VSTAFF, "vendor_staff" },
	{ ROLE_REVIEWER, "reviewer" },
	{ ROLE_AUDITOR, "auditor" },
	{ ROLE_ADMIN, "platform_admin" },
	{ ROLE_KEY_AGENCY, "api_key_agency" },
	{ ROLE_KEY_VENDOR, "api_key_vendor" },
};

static int	auth_scopes(const char *);
static void	auth_verify_task_start(struct http_request *, struct app_req *,
		    const char *, const char *);
static int	auth_verify_task(struct kore_task *);
static int	auth_login_form(struct http_request *, int, enum app_err,
		    const char *, const char *);
static int	auth_signed_in(struct http_request *, struct app_req *,
		    const char *);

const char *
auth_role_name(int role)
{
	size_t	i;

	for (i = 0; i < sizeof(role_names) / sizeof(role_names[0]); i++) {
		if (role_names[i].role == role)
			return (role_names[i].name);
	}
	return ("anonymous");
}

int
auth_role_from_name(const char *name)
{
	size_t	i;

	for (i = 0; name != NULL &&
	    i < sizeof(role_names) / sizeof(role_names[0]); i++) {
		if (strcmp(role_names[i].name, name) == 0)
			return (role_names[i].role);
	}
	return (0);
}

/* The SCOPE_* bits of a space-separated scope list ("read usage:write"). */
static int
auth_scopes(const char *list)
{
	static const struct {
		const char	*name;
		int		 bit;
	} names[] = {
		{ "read", SCOPE_READ },
		{ "usage:write", SCOPE_USAGE_WRITE },
		{ "invoices:read", SCOPE_INVOICES_READ },
	};
	const char	*p, *end;
	size_t		 i, len;
	int		 bits;

	bits = 0;
	for (p = list; p != NULL && *p != '\0'; p = end) {
		while (*p == ' ')
			p++;
		if ((end = strchr(p, ' ')) == NULL)
			end = p + strlen(p);
		len = (size_t)(end - p);
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			if (strlen(names[i].name) == len &&
			    strncmp(names[i].name, p, len) == 0)
				bits |= names[i].bit;
		}
	}
	return (bits);
}

/*
 * Fills ar->who from the request's credentials. Returns KORE_RESULT_RETRY
 * while the lookup is in flight, KORE_RESULT_OK when done. A bad bearer
 * credential answers 401 itself (and clears ar->route); a stale cookie is
 * dropped and the request goes on anonymous.
 */
int
auth_identify(struct http_request *req, struct app_req *ar)
{
	const char	*hdr, *params[2];
	char		*cookie, id[SECRET_API_ID_BUFSZ], hash[SECRET_HASH_BUFSZ];
	json_t		*row;
	int		 rc, bearer;

	if (ar->auth_state == 0) {
		ar->auth_state = 2;
		cookie = NULL;
		bearer = 0;
		if (http_request_header(req, "authorization", &hdr) &&
		    strncasecmp(hdr, "bearer ", 7) == 0) {
			bearer = 1;
			hdr += 7;
		} else if (http_request_cookie(req, "sid", &cookie)) {
			hdr = cookie;
		} else {
			return (KORE_RESULT_OK);
		}
		if (strlen(hdr) > 200 ||
		    secret_token_hash(hdr, NULL, hash) != SECRET_OK) {
			hash[0] = '\0';
		}
		(void)kore_strlcpy(ar->who.session_hash, hash,
		    sizeof(ar->who.session_hash));
		if (bearer && secret_api_key_parse(hdr, id, sizeof(id)) ==
		    SECRET_OK) {
			ar->auth_state = 3;	/* API key */
			(void)kore_strlcpy(ar->who.key_public, id,
			    sizeof(ar->who.key_public));
		} else {
			ar->auth_state = bearer ? 4 : 1;
		}
	}

	if (ar->auth_state == 2)
		return (KORE_RESULT_OK);

	if (ar->auth_state == 3) {
		params[0] = ar->who.key_public;
		params[1] = ar->who.session_hash;
		rc = db_call(req, &ar->authdb, sql_api_key, 2, params);
	} else {
		params[0] = ar->who.session_hash;
		rc = db_call(req, &ar->authdb, sql_session, 1, params);
	}
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR) {
		ar->route = NULL;
		(void)web_db_error(req, &ar->authdb);
		return (KORE_RESULT_OK);
	}

	row = json_array_get(ar->authdb.rows, 0);
	if (row == NULL) {
		if (ar->auth_state == 1) {
			/* A stale cookie: forget it, carry on anonymous. */
			web_set_cookie(req, "sid", "", 0);
			memset(&ar->who, 0, sizeof(ar->who));
			ar->auth_state = 2;
			return (KORE_RESULT_OK);
		}
		memset(&ar->who, 0, sizeof(ar->who));
		ar->auth_state = 2;
		ar->route = NULL;
		http_response_header(req, "www-authenticate",
		    "Bearer error=\"invalid_token\"");
		(void)web_error(req, APP_EUNAUTH, NULL, "error.invalid_token");
		return (KORE_RESULT_OK);
	}

	ar->who.org_id = json_integer_value(json_object_get(row, "org_id"));
	ar->who.unread = json_integer_value(json_object_get(row, "unread"));
	(void)kore_strlcpy(ar->who.org_status, json_string_value(
	    json_object_get(row, "org_status")), sizeof(ar->who.org_status));
	if (ar->auth_state == 3) {
		ar->who.key_id = json_integer_value(json_object_get(row, "id"));
		ar->who.scopes = auth_scopes(json_string_value(
		    json_object_get(row, "scopes")));
		(void)kore_strlcpy(ar->who.org_kind, json_string_value(
		    json_object_get(row, "kind")), sizeof(ar->who.org_kind));
		ar->who.role = strcmp(ar->who.org_kind, "vendor") == 0 ?
		    ROLE_KEY_VENDOR : ROLE_KEY_AGENCY;
		ar->who.session_hash[0] = '\0';
	} else {
		ar->who.user_id = json_integer_value(json_object_get(row,
		    "user_id"));
		ar->who.session_id = json_integer_value(json_object_get(row,
		    "session_id"));
		ar->who.role = auth_role_from_name(json_string_value(
		    json_object_get(row, "role")));
		(void)kore_strlcpy(ar->who.org_kind, json_string_value(
		    json_object_get(row, "kind")), sizeof(ar->who.org_kind));
		if (ar->auth_state == 1 && secret_csrf(ar->who.session_hash,
		    csrf_key, ar->who.csrf) != SECRET_OK)
			ar->who.csrf[0] = '\0';
		if (ar->auth_state == 4)
			ar->who.session_hash[0] = '\0';	/* bearer: no CSRF */
	}
	ar->auth_state = 2;
	return (KORE_RESULT_OK);
}

/* Checks a session's CSRF token (form field or X-CSRF-Token header). */
int
auth_csrf_ok(struct app_req *ar, const char *token)
{
	if (token == NULL || ar->who.session_hash[0] == '\0')
		return (0);
	return (secret_csrf_check(ar->who.session_hash, csrf_key, token));
}

/* GET /login */
int
auth_login_page(struct http_request *req)
{
	return (auth_login_form(req, 200, APP_OK, NULL, NULL));
}

/*
 * Renders the sign-in form with status, an optional error and the e-mail
 * the user typed (never the password).
 */
static int
auth_login_form(struct http_request *req, int status, enum app_err err,
    const char *field, const char *key)
{
	struct app_req	*ar;
	json_t		*vm;
	const char	*next, *email;

	ar = app_req(req);
	next = qs_get(&ar->qs, "next");
	if (next == NULL)
		next = web_form(req, "next");
	email = web_form(req, "email");
	vm = json_pack("{s:s, s:b, s:s, s:s}",
	    "title", web_str(req, "login.title"),
	    "signed_out", qs_get(&ar->qs, "signed_out") != NULL,
	    "email", email != NULL ? email : "",
	    "next", next != NULL && next[0] == '/' && next[1] != '/' ?
	    next : "");
	if (vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	ar->vm = vm;
	if (app_demo) {
		json_object_set_new(vm, "demo_accounts", json_pack(
		    "[{s:s,s:s},{s:s,s:s},{s:s,s:s},{s:s,s:s},{s:s,s:s},"
		    "{s:s,s:s},{s:s,s:s}]",
		    "role", "buyer", "email", "buyer@mois.go.kr",
		    "role", "buyer_approver", "email", "approver@mois.go.kr",
		    "role", "vendor_admin", "email", "admin@hanbit.example",
		    "role", "vendor_staff", "email", "staff@hanbit.example",
		    "role", "reviewer", "email", "reviewer@pps.go.kr",
		    "role", "auditor", "email", "auditor@pps.go.kr",
		    "role", "platform_admin", "email", "admin@pps.go.kr"));
		json_object_set_new(vm, "demo_password",
		    json_string("Gureum-demo-2026!"));
	}
	return (web_form_page(req, status, "login", vm, err, field, key));
}

/*
 * POST /login (form: email, password, next, csrf) and the same flow for
 * POST /api/v1/sessions (JSON: email, password). Steps:
 *   0 validate, look the user up   2 verify in a task   3 record outcome
 */
int
auth_login(struct http_request *req)
{
	struct app_req	*ar;
	json_t		*row;
	const char	*email, *pw, *params[6], *hash;
	char		 token[SECRET_TOKEN_BUFSZ], th[SECRET_HASH_BUFSZ];
	char		 addr[64], uid[24], ok;
	int		 rc;

	ar = app_req(req);
	if (ar->body != NULL) {
		email = json_string_value(json_object_get(ar->body, "email"));
		pw = json_string_value(json_object_get(ar->body, "password"));
	} else {
		email = web_form(req, "email");
		pw = web_form(req, "password");
	}

	switch (ar->step) {
	case 0:
		if (email == NULL || *email == '\0' || strlen(email) > 254)
			return (auth_login_form(req, 400, APP_EINVAL, "email",
			    "login.error_email"));
		if (pw == NULL || *pw == '\0' || strlen(pw) > SECRET_PW_MAX_BYTES)
			return (auth_login_form(req, 400, APP_EINVAL,
			    "password", "login.error_password"));
		ar->step = 1;
		/* FALLTHROUGH */
	case 1:
		params[0] = email;
		rc = db_call(req, &ar->db[0], sql_user_by_email, 1, params);
		if (rc == DB_PENDING)
			return (KORE_RESULT_RETRY);
		if (rc == DB_ERROR)
			return (web_db_error(req, &ar->db[0]));
		row = json_array_get(ar->db[0].rows, 0);
		hash = row != NULL ? json_string_value(json_object_get(row,
		    "password_hash")) : NULL;
		/* Unknown, invited or deactivated: the dummy costs the same. */
		if (row == NULL || hash == NULL || strcmp(json_string_value(
		    json_object_get(row, "status")), "active") != 0)
			hash = NULL;
		auth_verify_task_start(req, ar, hash, pw);
		ar->step = 2;
		return (KORE_RESULT_RETRY);
	case 2:
		if (kore_task_state(&ar->task) != KORE_TASK_STATE_FINISHED)
			return (KORE_RESULT_RETRY);
		ok = 0;
		if (kore_task_channel_read(&ar->task, &ok, 1) != 1)
			ok = 0;
		row = json_array_get(ar->db[0].rows, 0);
		if (row != NULL && json_is_true(json_object_get(row, "locked"))) {
			ar->step = 9;	/* locked: refuse even a right password */
		} else if (ok == 1) {
			/* The new session's token, kept until the answer. */
			if (secret_token(token, sizeof(token)) != SECRET_OK ||
			    (ar->vm = json_pack("{s:s}", "token", token)) == NULL)
				return (web_error(req, APP_EINTERNAL, NULL,
				    NULL));
			sodium_memzero(token, sizeof(token));
			ar->step = 3;
		} else {
			ar->step = 4;
		}
		return (auth_login(req));
	case 3:
		row = json_array_get(ar->db[0].rows, 0);
		if (secret_token_hash(json_string_value(json_object_get(ar->vm,
		    "token")), NULL, th) != SECRET_OK)
			return (web_error(req, APP_EINTERNAL, NULL, NULL));
		(void)snprintf(uid, sizeof(uid), "%lld", (long long)
		    json_integer_value(json_object_get(row, "id")));
		params[0] = uid;
		params[1] = th;
		params[2] = web_client_addr(req, addr, sizeof(addr));
		params[3] = req->agent != NULL ? req->agent : "";
		params[4] = ar->body != NULL ? "api" : "form";
		params[5] = ar->rid;
		rc = db_call(req, &ar->db[1], sql_signin_ok, 6, params);
		if (rc == DB_PENDING)
			return (KORE_RESULT_RETRY);
		if (rc == DB_ERROR)
			return (web_db_error(req, &ar->db[1]));
		return (auth_signed_in(req, ar, json_string_value(
		    json_object_get(ar->vm, "token"))));
	case 4:
	case 9:
		row = json_array_get(ar->db[0].rows, 0);
		if (row != NULL)
			(void)snprintf(uid, sizeof(uid), "%lld", (long long)
			    json_integer_value(json_object_get(row, "id")));
		params[0] = row != NULL ? uid : NULL;
		params[1] = email;
		params[2] = ar->rid;
		params[3] = web_client_addr(req, addr, sizeof(addr));
		rc = db_call(req, &ar->db[1], sql_signin_failed, 4, params);
		if (rc == DB_PENDING)
			return (KORE_RESULT_RETRY);
		if (rc == DB_ERROR)
			return (web_db_error(req, &ar->db[1]));
		if (ar->step == 9 || json_integer_value(json_object_get(
		    json_array_get(ar->db[1].rows, 0), "failed_logins")) >=
		    LOCK_AFTER) {
			return (auth_login_form(req, 423, APP_ELOCKED, NULL,
			    NULL));
		}
		return (auth_login_form(req, 401, APP_ECREDENTIALS, NULL, NULL));
	}
	return (web_error(req, APP_EINTERNAL, NULL, NULL));
}

/* Answers a successful sign-in: a cookie and a redirect, or the token. */
static int
auth_signed_in(struct http_request *req, struct app_req *ar, const char *token)
{
	json_t		*row, *body;
	const char	*next;

	row = json_array_get(ar->db[1].rows, 0);
	if (ar->body != NULL) {
		body = json_pack("{s:s, s:s, s:O}", "token", token,
		    "token_type", "Bearer", "expires_at",
		    json_object_get(row, "expires_at"));
		if (body == NULL)
			return (web_error(req, APP_EINTERNAL, NULL, NULL));
		(void)web_json(req, 201, body);
		json_decref(body);
		return (KORE_RESULT_OK);
	}
	web_set_cookie(req, "sid", token, SESSION_MAX_AGE);
	next = web_form(req, "next");
	if (next == NULL || next[0] != '/' || next[1] == '/' ||
	    next[1] == '\\')
		next = "/home";
	return (web_redirect(req, next));
}

/*
 * Starts the Argon2id verification in a task thread. hash NULL verifies
 * against the dummy hash (always fails, same cost).
 */
static void
auth_verify_task_start(struct http_request *req, struct app_req *ar,
    const char *hash, const char *pw)
{
	u_int32_t	len;

	kore_task_create(&ar->task, auth_verify_task);
	ar->task_inited = 1;
	kore_task_bind_request(&ar->task, req);
	kore_task_run(&ar->task);
	len = hash != NULL ? strlen(hash) : 0;
	kore_task_channel_write(&ar->task, (void *)hash, len);
	kore_task_channel_write(&ar->task, (void *)pw, strlen(pw));
}

/* Runs in a task thread: reads hash and password, writes 1 or 0. */
static int
auth_verify_task(struct kore_task *t)
{
	char		hash[SECRET_PWHASH_BUFSZ + 1], pw[SECRET_PW_MAX_BYTES + 1];
	u_int32_t	hlen, plen;
	char		ok;

	hlen = kore_task_channel_read(t, hash, sizeof(hash) - 1);
	hash[hlen < sizeof(hash) ? hlen : sizeof(hash) - 1] = '\0';
	plen = kore_task_channel_read(t, pw, sizeof(pw) - 1);
	pw[plen < sizeof(pw) ? plen : sizeof(pw) - 1] = '\0';
	if (hlen == 0)
		ok = (char)secret_dummy_verify(pw);
	else
		ok = (char)secret_verify_password(hash, pw);
	if (hlen == 0)
		ok = 0;
	sodium_memzero(pw, sizeof(pw));
	kore_task_channel_write(t, &ok, 1);
	return (KORE_RESULT_OK);
}

/* POST /logout and /logout-all: this session, or every session of the user. */
static int
auth_signout(struct http_request *req, const char *which)
{
	struct app_req	*ar;
	const char	*params[5];
	char		 sid[24], uid[24], addr[64];
	int		 rc;

	ar = app_req(req);
	(void)snprintf(sid, sizeof(sid), "%lld", (long long)ar->who.session_id);
	(void)snprintf(uid, sizeof(uid), "%lld", (long long)ar->who.user_id);
	params[0] = sid;
	params[1] = uid;
	params[2] = ar->rid;
	params[3] = web_client_addr(req, addr, sizeof(addr));
	params[4] = which;
	rc = db_call(req, &ar->db[0], sql_signout, 5, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	web_set_cookie(req, "sid", "", 0);
	if (ar->json) {
		(void)web_json(req, 200, json_array_get(ar->db[0].rows, 0));
		return (KORE_RESULT_OK);
	}
	return (web_redirect(req, "/login?signed_out=1"));
}

int
auth_logout(struct http_request *req)
{
	return (auth_signout(req, "one"));
}

int
auth_logout_all(struct http_request *req)
{
	return (auth_signout(req, "all"));
}

/* POST /api/v1/sessions: JSON sign-in, answers a bearer token. */
int
auth_api_session(struct http_request *req)
{
	struct app_req	*ar;

	ar = app_req(req);
	if (ar->body == NULL)
		return (web_error(req, APP_EUNSUPPORTED, NULL, NULL));
	return (auth_login(req));
}

/* GET /api/v1/me and the data of /home. */
int
auth_me(struct http_request *req)
{
	struct app_req	*ar;
	const char	*params[1];
	char		 uid[24];
	json_t		*row;
	int		 rc;

	ar = app_req(req);
	if (ar->who.user_id == 0) {
		/* An API key: its organisation and scopes. */
		row = json_pack("{s:I, s:s, s:I, s:s, s:i}",
		    "key_id", (json_int_t)ar->who.key_id,
		    "role", auth_role_name(ar->who.role),
		    "org_id", (json_int_t)ar->who.org_id,
		    "org_kind", ar->who.org_kind, "scopes", ar->who.scopes);
		(void)web_json(req, 200, row);
		json_decref(row);
		return (KORE_RESULT_OK);
	}
	(void)snprintf(uid, sizeof(uid), "%lld", (long long)ar->who.user_id);
	params[0] = uid;
	rc = db_call(req, &ar->db[0], sql_me, 1, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	row = json_array_get(ar->db[0].rows, 0);
	if (row == NULL)
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));
	/* Scripts on our pages send it as X-CSRF-Token. */
	if (ar->who.csrf[0] != '\0')
		json_object_set_new(row, "csrf", json_string(ar->who.csrf));
	return (web_json(req, 200, row));
}

/*
 * GET /home: what this role can do next. The list is data: each role's
 * actions are string keys and links; later issues add theirs.
 */
int
auth_home(struct http_request *req)
{
	static const struct {
		int		 roles;
		const char	*key;
		const char	*url;
	} actions[] = {
		{ ROLES_USERS, "home.action.search", "/search" },
		{ ROLES_USERS, "home.action.directory", "/vendors" },
		{ ROLES_AGENCY, "home.action.systems", "/systems" },
		{ ROLES_AGENCY, "home.action.shortlists", "/shortlists" },
		{ ROLES_AGENCY, "home.action.searches", "/searches" },
		{ ROLES_AGENCY, "home.action.eligibility", "/eligibility" },
		{ ROLES_VENDOR, "home.action.listings", "/vendor/listings" },
		{ ROLES_VENDOR, "home.action.certificates",
		    "/vendor/certificates" },
		{ ROLES_AGENCY | ROLES_VENDOR, "home.action.quotes", "/quotes" },
		{ ROLES_USERS, "home.action.contracts", "/contracts" },
		{ ROLES_AGENCY, "home.action.dashboard", "/dashboard" },
		{ ROLES_VENDOR, "home.action.usage", "/vendor/usage" },
		{ ROLES_USERS, "home.action.invoices", "/invoices" },
		{ ROLES_USERS, "home.action.reports", "/reports" },
		{ ROLES_VENDOR, "home.action.stats", "/vendor/stats" },
		{ ROLES_USERS, "home.action.inbox", "/inbox" },
		{ ROLES_ORG_ADMIN, "home.action.users", "/org/users" },
		{ ROLES_ORG_ADMIN, "home.action.keys", "/org/keys" },
		{ ROLES_OPERATOR, "home.action.review", "/review" },
		{ ROLES_OPERATOR, "home.action.cert_review",
		    "/review/certificates" },
		{ ROLE_REVIEWER | ROLE_ADMIN, "home.action.vendors",
		    "/admin/vendors" },
		{ ROLES_OPERATOR, "home.action.checklists",
		    "/review/checklists" },
		{ ROLES_OPERATOR, "home.action.transitions",
		    "/admin/transitions" },
		{ ROLES_OPERATOR, "home.action.rules", "/admin/rules" },
		{ ROLE_AUDITOR | ROLE_ADMIN | ROLE_REVIEWER, "home.action.audit",
		    "/audit" },
	};
	struct app_req	*ar;
	const char	*params[1];
	char		 uid[24], key[64];
	json_t		*row, *list;
	size_t		 i;
	int		 rc;

	ar = app_req(req);
	(void)snprintf(uid, sizeof(uid), "%lld", (long long)ar->who.user_id);
	params[0] = uid;
	rc = db_call(req, &ar->db[0], sql_me, 1, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	if ((row = json_array_get(ar->db[0].rows, 0)) == NULL)
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));

	ar->vm = json_pack("{s:O, s:s, s:s}", "user", row,
	    "title", web_str(req, "home.title"),
	    "role_label", "");
	(void)snprintf(key, sizeof(key), "role.%s", auth_role_name(
	    ar->who.role));
	json_object_set_new(ar->vm, "role_label", json_string(web_str(req,
	    key)));
	json_object_set_new(ar->vm, "org_name", json_incref(json_object_get(
	    row, strcmp(ar->lang, "en") == 0 && json_string_length(
	    json_object_get(row, "org_name_en")) ? "org_name_en" :
	    "org_name_ko")));
	json_object_set_new(ar->vm, "org_pending", json_boolean(
	    strcmp(ar->who.org_status, "approved") != 0));
	list = json_array();
	for (i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
		if (!(actions[i].roles & ar->who.role))
			continue;
		json_array_append_new(list, json_pack("{s:s, s:s, s:s}",
		    "key", actions[i].key, "label", web_str(req,
		    actions[i].key), "url", actions[i].url));
	}
	json_object_set_new(ar->vm, "actions", list);
	return (web_page(req, 200, "home", ar->vm));
}
