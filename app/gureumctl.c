/*
 * gureumctl: one command for the jobs that are not requests.
 *
 *   gureumctl migrate [SQLDIR]     apply sql/NNNN_*.sql not yet applied
 *   gureumctl seed [DEMODIR]       load the demo data (idempotent)
 *   gureumctl reindex [INDEX]      rebuild the search index beside the live
 *                                  one and swap it in atomically
 *   gureumctl indexer [--once] [INDEX]
 *                                  apply listing changes (search_outbox) to
 *                                  the live index as they happen
 *   gureumctl audit seal [--follow]
 *                                  hash-chain the audit events not sealed
 *                                  yet (--follow: keep doing it as they
 *                                  arrive, until SIGTERM or SIGINT)
 *   gureumctl audit verify         recompute the chain and name the first
 *                                  broken link (exit 1 if there is one)
 *   gureumctl import fedramp FILE  load the FedRAMP Marketplace data into
 *                                  the catalog (idempotent)
 *   gureumctl generate [--listings N] [--vendors N] [--seed S]
 *                                  replace the synthetic catalog with a new
 *                                  deterministic one (docs/catalog-data.md)
 *   gureumctl generate --check     validate every stored rate plan
 *   gureumctl expire-certificates [--as-of DATE] [--follow SECONDS]
 *                                  expire the certificates past their
 *                                  expiry date (Korea time; idempotent)
 *   gureumctl keygen PATH          create the marketplace signing key at
 *                                  PATH if missing and register its public
 *                                  key (idempotent; app/ctl_keygen.c)
 *   gureumctl seal-invoices [--follow]
 *                                  sign the evidence bundle of every issued
 *                                  invoice not sealed yet ($GUREUM_SIGNING_KEY;
 *                                  --follow: as they are issued, until SIGTERM)
 *   gureumctl verify-invoice FILE... [--key PUBKEY_B64]
 *                                  check evidence files offline: hashes,
 *                                  re-rating, signature, and the links
 *                                  between several (no database)
 *   gureumctl close-month YYYY-MM [--now RFC3339] | --follow SECONDS
 *                                  one invoice per contract and month:
 *                                  drafts in the grace period, then issued
 *   gureumctl generate-usage --contracts N --records M --month YYYY-MM
 *                                  synthetic contracts and usage for the
 *                                  month-close benchmark
 *
 * The database comes from GUREUM_DATABASE (a libpq conninfo or URL); the
 * index path from GUREUM_INDEX (default var/index). Exit status 0 on
 * success, 1 on failure with the reason on stderr, 2 on a usage error.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

static void	usage(void) __attribute__((noreturn));

static void
usage(void)
{
	fprintf(stderr, "usage: gureumctl migrate [SQLDIR]\n"
	    "       gureumctl seed [DEMODIR]\n"
	    "       gureumctl reindex [INDEX]\n"
	    "       gureumctl indexer [--once] [INDEX]\n"
	    "       gureumctl audit seal [--follow]\n"
	    "       gureumctl audit verify\n"
	    "       gureumctl import fedramp FILE\n"
	    "       gureumctl generate [--listings N] [--vendors N] [--seed S]\n"
	    "       gureumctl generate --check\n"
	    "       gureumctl expire-certificates [--as-of DATE] "
	    "[--follow SECONDS]\n"
	    "       gureumctl keygen PATH\n"
	    "       gureumctl seal-invoices [--follow]\n"
	    "       gureumctl verify-invoice FILE... [--key PUBKEY_B64]\n"
	    "       gureumctl close-month YYYY-MM [--now RFC3339]\n"
	    "       gureumctl close-month --follow SECONDS\n"
	    "       gureumctl generate-usage --contracts N --records M "
	    "--month YYYY-MM\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	PGconn		*db;
	struct ctl_generate_opts gen;
	const char	*arg, *index;
	int		 rc, once;

	if (argc >= 3 && strcmp(argv[1], "audit") == 0) {
		if (!(strcmp(argv[2], "verify") == 0 && argc == 3) &&
		    !(strcmp(argv[2], "seal") == 0 && (argc == 3 ||
		    (argc == 4 && strcmp(argv[3], "--follow") == 0))))
			usage();
		if ((db = ctl_connect()) == NULL)
			return (1);
		if (strcmp(argv[2], "seal") == 0)
			rc = ctl_audit_seal(db, argc == 4);
		else
			rc = ctl_audit_verify(db);
		PQfinish(db);
		return (rc == 0 ? 0 : 1);
	}
	if (argc >= 2 && strcmp(argv[1], "indexer") == 0) {
		once = argc >= 3 && strcmp(argv[2], "--once") == 0;
		if (argc > 3 + once)
			usage();
		if ((index = argc == 3 + once ? argv[2 + once] : NULL) == NULL &&
		    (index = getenv("GUREUM_INDEX")) == NULL)
			index = "var/index";
		if ((db = ctl_connect()) == NULL)
			return (1);
		rc = ctl_indexer(db, index, once);
		PQfinish(db);
		return (rc == 0 ? 0 : 1);
	}
	if (argc >= 2 && strcmp(argv[1], "import") == 0) {
		if (argc != 4 || strcmp(argv[2], "fedramp") != 0)
			usage();
		if ((db = ctl_connect()) == NULL)
			return (1);
		rc = ctl_import_fedramp(db, argv[3]);
		PQfinish(db);
		return (rc == 0 ? 0 : 1);
	}
	if (argc >= 2 && strcmp(argv[1], "expire-certificates") == 0) {
		if ((db = ctl_connect()) == NULL)
			return (1);
		rc = ctl_expire(db, argc - 2, argv + 2);
		PQfinish(db);
		return (rc);
	}
	if (argc >= 2 && strcmp(argv[1], "keygen") == 0) {
		if (argc != 3)
			usage();
		return (ctl_keygen(argv[2]));
	}
	if (argc >= 2 && strcmp(argv[1], "verify-invoice") == 0) {
		if ((rc = ctl_verify_invoice(argc - 2, argv + 2)) == 2)
			usage();
		return (rc);
	}
	if (argc >= 2 && strcmp(argv[1], "seal-invoices") == 0) {
		if (argc > 3 || (argc == 3 && strcmp(argv[2], "--follow") != 0))
			usage();
		if ((db = ctl_connect()) == NULL)
			return (1);
		rc = ctl_seal_invoices(db, argc == 3);
		PQfinish(db);
		return (rc == 0 ? 0 : 1);
	}
	if (argc >= 2 && strcmp(argv[1], "close-month") == 0) {
		if ((db = ctl_connect()) == NULL)
			return (1);
		rc = ctl_close(db, argc - 2, argv + 2);
		PQfinish(db);
		return (rc);
	}
	if (argc >= 2 && strcmp(argv[1], "generate-usage") == 0) {
		if ((db = ctl_connect()) == NULL)
			return (1);
		rc = ctl_generate_usage(db, argc - 2, argv + 2);
		PQfinish(db);
		return (rc);
	}
	if (argc >= 2 && strcmp(argv[1], "generate") == 0) {
		if (ctl_generate_args(argc - 2, argv + 2, &gen) == -1)
			usage();
		if ((db = ctl_connect()) == NULL)
			return (1);
		rc = ctl_generate(db, &gen);
		PQfinish(db);
		return (rc == 0 ? 0 : 1);
	}
	if (argc < 2 || argc > 3)
		usage();
	arg = argc == 3 ? argv[2] : NULL;

	if (strcmp(argv[1], "migrate") != 0 && strcmp(argv[1], "seed") != 0 &&
	    strcmp(argv[1], "reindex") != 0)
		usage();

	if ((db = ctl_connect()) == NULL)
		return (1);

	if (strcmp(argv[1], "migrate") == 0) {
		rc = ctl_migrate(db, arg != NULL ? arg : "sql");
	} else if (strcmp(argv[1], "seed") == 0) {
		rc = ctl_seed(db, arg != NULL ? arg : "sql/demo");
	} else {
		if ((index = arg) == NULL && (index = getenv("GUREUM_INDEX")) == NULL)
			index = "var/index";
		rc = ctl_reindex(db, index);
	}

	PQfinish(db);
	return (rc == 0 ? 0 : 1);
}
