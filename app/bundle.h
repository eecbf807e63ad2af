/*
 * bundle.h - the signed evidence bundle of an issued invoice or credit
 * note, its canonical form, and the offline check that re-rates it.
 *
 * An auditor must be able to take one file and convince themselves,
 * without the marketplace's database, that an invoice follows from the
 * contract terms, the pinned rate plan and the usage totals by the rules
 * of docs/billing.md, and that the marketplace signed exactly that.  The
 * bundle is a JSON object whose every number is a decimal string, so
 * that the signed bytes are its canonical form (sorted keys, no
 * whitespace; docs/evidence.md defines it so anyone can re-implement
 * it): the evidence file is
 *
 *	{"bundle": B, "hash": hex(BLAKE2b-256(canonical(B))),
 *	 "signature": base64(Ed25519(canonical(B)))}
 *
 * bundle_verify() recomputes every hash, re-rates every line with
 * rating.c from the plan and the totals, recomputes the credit, the cap,
 * VAT and the totals, and checks the signature, reporting the first
 * failure with the field, what was expected and what was found.
 *
 * Pure: jansson (as plan.h), libsodium through sign.h; no Kore, no libpq.
 * The sealer (ctl_seal.c) gathers the inputs from the database, the web
 * side renders PDFs from a bundle, the verifier reads a file.
 */

#ifndef BUNDLE_H
#define BUNDLE_H

#include <stddef.h>

#include <jansson.h>

#include "sign.h"

#define BUNDLE_FORMAT	"gureum-invoice-evidence/1"

/* Why a bundle did not verify, or (on success) a one-line summary. */
struct bundle_report {
	char	path[160];	/* the field: "lines[2].amount_won" */
	char	expected[200];
	char	found[200];
	char	reason[800];	/* one line for people */
};

/*
 * The canonical form of v into *out (malloc'd, NUL-terminated, the caller
 * frees) and *len (without the NUL): objects with keys sorted by their
 * UTF-8 bytes, no whitespace, strings with only '"', '\\' and the
 * control characters escaped (\b \t \n \f \r, others \u00xx lowercase),
 * true, false and null as themselves.  JSON numbers have no canonical
 * form here and are refused: every number is a decimal string.  Returns
 * 0, or -1 for a number, invalid UTF-8 or no memory.
 */
int	 bundle_canonical(const json_t *v, char **out, size_t *len);

/*
 * BLAKE2b-256 of canonical(v) into out.  Returns 0, or -1 as
 * bundle_canonical().
 */
int	 bundle_hash(const json_t *v, unsigned char out[SIGN_HASHBYTES]);

/*
 * Completes a bundle assembled from the database (docs/evidence.md lists
 * its fields): rewrites rate_plan in the plan's stored form (plan.c),
 * fills contract_hash and rate_plan_hash, sla_share (the plan's credit
 * share for the availability), the tier breakdown of each
 * usage line (rated with rating.c from the plan and the line's
 * quantity) and marketplace_key (pk, or "" when pk is NULL, for an
 * unsigned preview).  Returns 0, or -1 with err (errlen bytes) saying
 * what could not be read.
 */
int	 bundle_finish(json_t *b, const unsigned char *pk, char *err,
	    size_t errlen);

/*
 * Takes the database's own cross-checks out of assembled inputs (they
 * are not part of the bundle): "_head_found" (the invoice's usage head is
 * in the contract's chain) and each usage total's "chain_quantity" (the
 * total recomputed from the records in the chain up to that head).
 * Returns 0 when they agree with the bundle, -1 with err (errlen bytes)
 * saying what disagrees; the keys are removed either way.
 */
int	 bundle_take_checks(json_t *b, char *err, size_t errlen);

/*
 * Checks a bundle's content without its signature: every field present
 * and well-formed, the hashes of the terms and plan, every line re-rated,
 * credit, cap, VAT and totals.  Returns 0, or -1 with *rep saying the
 * first failure.  The sealer runs it before it signs anything.
 */
int	 bundle_check(const json_t *b, struct bundle_report *rep);

/*
 * Signs a finished bundle with sk: returns a new evidence document
 * {"bundle", "hash", "signature"} (the caller owns it) and, when not
 * NULL, the raw hash and signature; NULL on a bundle that has no
 * canonical form or no memory.
 */
json_t	*bundle_seal(const json_t *b, const unsigned char sk[SIGN_SKBYTES],
	    unsigned char hash[SIGN_HASHBYTES],
	    unsigned char sig[SIGN_SIGBYTES]);

/*
 * Verifies an evidence document: bundle_check(), then that the bundle is
 * signed by its marketplace_key (which must equal pin when pin is not
 * NULL), that "hash" is its BLAKE2b-256 and "signature" its Ed25519
 * signature.  Returns 0 with a summary in rep->reason, or -1 with the
 * first failure in *rep.
 */
int	 bundle_verify(const json_t *doc, const unsigned char *pin,
	    struct bundle_report *rep);

#endif /* BUNDLE_H */
