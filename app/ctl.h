/*
 * gureumctl: the command-line side of Gureum. Everything that blocks for
 * long (migrations, bulk loads, index builds, month close) runs here, with
 * plain synchronous libpq, never inside a Kore worker.
 */

#ifndef GUREUM_CTL_H
#define GUREUM_CTL_H

#include <stdio.h>

#include <libpq-fe.h>

/* ctl_db.c */
PGconn	*ctl_connect(void);
int	 ctl_migrate(PGconn *, const char *);
int	 ctl_seed(PGconn *, const char *);
int	 ctl_exec_file(PGconn *, const char *, const char *);

/* ctl_index.c */
int	 ctl_reindex(PGconn *, const char *);
int	 ctl_index_apply(PGconn *, const char *);

/* ctl_indexer.c */
int	 ctl_indexer(PGconn *, const char *, int);

/* ctl_audit.c */
int	 ctl_audit_seal(PGconn *, int);
int	 ctl_audit_verify(PGconn *);

/* ctl_expire.c */
int	 ctl_expire(PGconn *, int, char *[]);

/* ctl_keygen.c */
int	 ctl_keygen(const char *);

/* ctl_close.c */
int	 ctl_close(PGconn *, int, char *[]);

/* ctl_genusage.c */
int	 ctl_generate_usage(PGconn *, int, char *[]);

/* ctl_import.c */
int	 ctl_import_fedramp(PGconn *, const char *);

/* ctl_seal.c: evidence bundles (docs/evidence.md) */
int	 evidence_seal_pending(PGconn *, FILE *);
int	 ctl_seal_invoices(PGconn *, int);
int	 ctl_verify_invoice(int, char *[]);

/* ctl_generate.c */
struct ctl_generate_opts {
	long			listings;	/* --listings N */
	long			vendors;	/* --vendors N */
	unsigned long long	seed;		/* --seed S */
	int			check;		/* --check */
};
int	 ctl_generate_args(int, char *[], struct ctl_generate_opts *);
int	 ctl_generate(PGconn *, const struct ctl_generate_opts *);

#endif
