/*
 * gureumctl keygen PATH
 *
 * The marketplace's Ed25519 key signs usage receipts and invoice evidence
 * bundles. Its secret half is a file outside the database (app/sign.h's
 * format: the 32-byte seed as hex and a newline, mode 0600), at
 * $GUREUM_SIGNING_KEY for the server and the jobs; its public half is a
 * row of marketplace_keys, which verifiers read from
 * GET /api/v1/marketplace-keys. This command makes the file if it is
 * missing (never overwriting one) and registers its public key if it is
 * not registered yet, so it can run at every start: conf/env.sh runs it
 * when it sets up a state directory and again before the server starts
 * (the first time the schema may not exist yet; it says so and the second
 * run registers). Rotation: retire the old row (retired_at), move the old
 * file away, run keygen again; receipts name the key that signed them.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "ctl.h"
#include "sign.h"

/*
 * Creates or loads the key file at path, then registers its public key.
 * Returns 0, or 1 with the reason on stderr.
 */
int
ctl_keygen(const char *path)
{
	PGconn		*db;
	PGresult	*res;
	unsigned char	 sk[SIGN_SKBYTES], pk[SIGN_PKBYTES];
	char		 hex[SIGN_HEXLEN(SIGN_PKBYTES)];
	char		 b64[SIGN_B64LEN(SIGN_PKBYTES)];
	const char	*params[1], *state, *made;
	int		 rc;

	if (sodium_init() == -1) {
		fprintf(stderr, "keygen: sodium_init failed\n");
		return (1);
	}
	made = "kept";
	if (sign_key_load(path, sk, pk) == -1) {
		if (errno != ENOENT) {
			fprintf(stderr, "keygen: %s: %s\n", path, errno ==
			    EINVAL ? "not a marketplace key file" :
			    strerror(errno));
			return (1);
		}
		if (sign_key_create(path, sk, pk) == -1) {
			fprintf(stderr, "keygen: cannot create %s: %s\n", path,
			    strerror(errno));
			return (1);
		}
		made = "created";
	}
	sodium_memzero(sk, sizeof(sk));
	sign_tohex(pk, sizeof(pk), hex);
	sign_tob64(pk, sizeof(pk), b64);

	if ((db = ctl_connect()) == NULL)
		return (1);
	params[0] = hex;
	res = PQexecParams(db, "INSERT INTO marketplace_keys (public_key)"
	    " VALUES (decode($1, 'hex')) ON CONFLICT (public_key) DO NOTHING",
	    1, NULL, params, NULL, NULL, 0);
	rc = 0;
	if (PQresultStatus(res) == PGRES_COMMAND_OK) {
		printf("keygen: %s %s, public key %s (%s)\n", made, path, b64,
		    strcmp(PQcmdTuples(res), "1") == 0 ? "registered" :
		    "already registered");
	} else if ((state = PQresultErrorField(res, PG_DIAG_SQLSTATE)) !=
	    NULL && strcmp(state, "42P01") == 0) {
		printf("keygen: %s %s, public key %s (not registered: no "
		    "schema yet; run it again after migrate)\n", made, path,
		    b64);
	} else {
		fprintf(stderr, "keygen: %s", PQerrorMessage(db));
		rc = 1;
	}
	PQclear(res);
	PQfinish(db);
	return (rc);
}
