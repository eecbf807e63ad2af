/*
 * The Kore module's life cycle.
 *
 * app_init() runs once in the parent when kore loads the module: it reads
 * the templates, the string table and the static files from assets/ into
 * memory, so that workers never touch the file system for them and a
 * broken template stops the server at start rather than on a request.
 * kore_worker_configure() runs in each worker: it registers the database
 * pool. The seccomp filter adds the system calls our libraries make that
 * Kore's own list lacks on Debian 12 (found with seccomp_tracing; see
 * docs/architecture.md).
 *
 * Configuration comes from the environment, set by conf/run.sh and
 * tests/run.sh: GUREUM_APP_DATABASE (libpq conninfo of the server's
 * role; GUREUM_DATABASE if unset), GUREUM_INDEX (search
 * index path), GUREUM_ASSETS (assets directory), GUREUM_DEMO (1 shows the
 * demo banner and accounts).
 */

#include <sys/stat.h>

#include <dirent.h>
#include <sodium.h>

#include "gureum.h"
#include <kore/seccomp.h>
#include "i18n.h"
#include "secret.h"
#include "tmpl.h"

KORE_SECCOMP_FILTER("app",
	KORE_SYSCALL_ALLOW(newfstatat),
	KORE_SYSCALL_ALLOW(pread64),
	KORE_SYSCALL_ALLOW(getdents64),
	KORE_SYSCALL_ALLOW(uname),
	KORE_SYSCALL_ALLOW(statx),
	KORE_SYSCALL_ALLOW(fstatfs),
	KORE_SYSCALL_ALLOW(fadvise64),
	/* Task threads (Argon2id): glibc 2.36 creates them with clone3 and
	 * registers rseq; Kore's own list only has clone. */
	KORE_SYSCALL_ALLOW(clone3),
	KORE_SYSCALL_ALLOW(rseq),
	/* glibc's realloc() of a block above the mmap threshold (a large
	 * report's rows from libpq, its JSON or CSV) moves it with mremap. */
	KORE_SYSCALL_ALLOW(mremap)
);

struct tmpl_lib	*app_templates;
struct i18n	*app_strings;
int		 app_demo;

static char	*app_read(const char *, size_t *);
static int	 app_load_templates(const char *);
static char	*app_strings_merged(const char *, size_t *);

void	kore_worker_configure(void);

int
app_init(int state)
{
	const char	*assets;
	char		 path[PATH_MAX], err[256];
	char		*buf;
	size_t		 len;

	if (state == KORE_MODULE_UNLOAD)
		return (KORE_RESULT_OK);
	if (sodium_init() == -1) {
		kore_log(LOG_ERR, "sodium_init failed");
		return (KORE_RESULT_ERROR);
	}
	if ((assets = getenv("GUREUM_ASSETS")) == NULL)
		assets = "assets";
	app_demo = getenv("GUREUM_DEMO") != NULL &&
	    strcmp(getenv("GUREUM_DEMO"), "1") == 0;

	(void)snprintf(path, sizeof(path), "%s/i18n", assets);
	if ((buf = app_strings_merged(path, &len)) == NULL)
		return (KORE_RESULT_ERROR);
	app_strings = i18n_load(buf, len, err, sizeof(err));
	free(buf);
	if (app_strings == NULL) {
		kore_log(LOG_ERR, "%s: %s", path, err);
		return (KORE_RESULT_ERROR);
	}

	(void)snprintf(path, sizeof(path), "%s/templates", assets);
	if (!app_load_templates(path))
		return (KORE_RESULT_ERROR);

	(void)snprintf(path, sizeof(path), "%s/static", assets);
	if (!static_load(path))
		return (KORE_RESULT_ERROR);

	/* The marketplace signing key, before the workers fork (usage.c). */
	if (!usage_init())
		return (KORE_RESULT_ERROR);

	/* Make the dummy hash now: its lazy set-up is not thread-safe. */
	(void)secret_dummy_verify("x");

	return (KORE_RESULT_OK);
}

void
kore_worker_configure(void)
{
	const char	*ci;

	if ((ci = getenv("GUREUM_APP_DATABASE")) == NULL &&
	    (ci = getenv("GUREUM_DATABASE")) == NULL)
		ci = "dbname=gureum";
	if (!kore_pgsql_register("db", ci))
		fatal("cannot register the database");
}

/* The search index path from the environment. */
const char *
app_index_path(void)
{
	const char	*p;

	if ((p = getenv("GUREUM_INDEX")) == NULL)
		p = "var/index";
	return (p);
}

/* Compiles every dir/NAME.html as template NAME. */
static int
app_load_templates(const char *dir)
{
	DIR		*d;
	struct dirent	*de;
	char		 path[PATH_MAX], name[128], err[256];
	char		*buf;
	size_t		 len, nlen;
	int		 ok;

	if ((app_templates = tmpl_lib_new()) == NULL)
		return (0);
	if ((d = opendir(dir)) == NULL) {
		kore_log(LOG_ERR, "%s: %s", dir, errno_s);
		return (0);
	}
	ok = 1;
	while (ok && (de = readdir(d)) != NULL) {
		nlen = strlen(de->d_name);
		if (nlen < 6 || nlen - 5 >= sizeof(name) ||
		    strcmp(de->d_name + nlen - 5, ".html") != 0)
			continue;
		memcpy(name, de->d_name, nlen - 5);
		name[nlen - 5] = '\0';
		(void)snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if ((buf = app_read(path, &len)) == NULL) {
			ok = 0;
			break;
		}
		if (tmpl_lib_add(app_templates, name, buf, len, err,
		    sizeof(err)) == -1) {
			kore_log(LOG_ERR, "%s: %s", path, err);
			ok = 0;
		}
		free(buf);
	}
	closedir(d);
	return (ok);
}

/*
 * The string table is one JSON object per feature (every .json file in assets/i18n, so
 * that features do not edit one shared file); they are merged here. A key
 * defined twice is an error. Returns the merged JSON text (malloc'd).
 */
static char *
app_strings_merged(const char *dir, size_t *len)
{
	DIR		*d;
	struct dirent	*de;
	json_t		*all, *one, *v;
	json_error_t	 jerr;
	const char	*key;
	char		 path[PATH_MAX], *out;
	size_t		 nlen;

	if ((d = opendir(dir)) == NULL) {
		kore_log(LOG_ERR, "%s: %s", dir, errno_s);
		return (NULL);
	}
	all = json_object();
	out = NULL;
	while ((de = readdir(d)) != NULL) {
		nlen = strlen(de->d_name);
		if (nlen < 6 || strcmp(de->d_name + nlen - 5, ".json") != 0)
			continue;
		(void)snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if ((one = json_load_file(path, JSON_REJECT_DUPLICATES,
		    &jerr)) == NULL || !json_is_object(one)) {
			kore_log(LOG_ERR, "%s: line %d: %s", path, jerr.line,
			    jerr.text);
			json_decref(one);
			goto out;
		}
		json_object_foreach(one, key, v) {
			if (json_object_get(all, key) != NULL) {
				kore_log(LOG_ERR, "%s: '%s' is defined twice",
				    path, key);
				json_decref(one);
				goto out;
			}
			json_object_set(all, key, v);
		}
		json_decref(one);
	}
	out = json_dumps(all, JSON_COMPACT);
	if (out != NULL)
		*len = strlen(out);
out:
	closedir(d);
	json_decref(all);
	return (out);
}

/* Reads a whole file; malloc'd and NUL-terminated, or NULL (logged). */
static char *
app_read(const char *path, size_t *len)
{
	FILE		*fp;
	struct stat	 st;
	char		*buf;

	if ((fp = fopen(path, "r")) == NULL || fstat(fileno(fp), &st) == -1) {
		kore_log(LOG_ERR, "%s: %s", path, errno_s);
		if (fp != NULL)
			fclose(fp);
		return (NULL);
	}
	if ((buf = malloc(st.st_size + 1)) == NULL ||
	    fread(buf, 1, st.st_size, fp) != (size_t)st.st_size) {
		kore_log(LOG_ERR, "%s: read failed", path);
		free(buf);
		fclose(fp);
		return (NULL);
	}
	buf[st.st_size] = '\0';
	*len = st.st_size;
	fclose(fp);
	return (buf);
}
