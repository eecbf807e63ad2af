/*
 * pdfjob.c - a PDF rendered in a Kore task, answered by the request.
 *
 * libharu takes tens of milliseconds for a page with an embedded font,
 * too long for the event loop, so the contract document, the invoice and
 * the usage-record certificate are rendered in a task thread.  The job is
 * shared by the request and the task with a reference count: whichever
 * lets go last frees it, so a request that goes away mid-render (the
 * client hung up) leaves nothing behind and nothing dangling.
 *
 * A handler builds its document, calls pdfjob_start() and returns what it
 * returns; when Kore calls the handler again with ar->step == 1, it calls
 * pdfjob_finish() with the file name to send.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gureum.h"

struct pdfjob {
	int		 refs;
	pdfjob_render_fn render;
	char		*input;
	unsigned char	*out;
	size_t		 outlen;
	int		 ok;
	char		 err[200];
};

static int	pdfjob_task(struct kore_task *);
static void	pdfjob_release(void *);

int
pdfjob_start(struct http_request *req, json_t *doc, pdfjob_render_fn render)
{
	struct app_req	*ar;
	struct pdfjob	*job;

	ar = app_req(req);
	job = calloc(1, sizeof(*job));
	if (job == NULL || (job->input = json_dumps(doc, JSON_COMPACT)) ==
	    NULL) {
		json_decref(doc);
		free(job);
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	}
	json_decref(doc);
	job->render = render;
	job->refs = 2;
	ar->job = job;
	ar->job_release = pdfjob_release;
	kore_task_create(&ar->task, pdfjob_task);
	ar->task_inited = 1;
	kore_task_bind_request(&ar->task, req);
	kore_task_run(&ar->task);
	kore_task_channel_write(&ar->task, &job, sizeof(job));
	ar->step = 1;
	return (KORE_RESULT_RETRY);
}

int
pdfjob_finish(struct http_request *req, const char *what,
    const char *disposition)
{
	struct app_req	*ar;
	struct pdfjob	*job;
	char		 ok;

	ar = app_req(req);
	if (kore_task_state(&ar->task) != KORE_TASK_STATE_FINISHED)
		return (KORE_RESULT_RETRY);
	job = ar->job;
	ok = 0;
	if (kore_task_channel_read(&ar->task, &ok, 1) != 1 || !ok ||
	    !job->ok) {
		web_log(req, "%s %lld: pdf: %s", what, (long long)ar->id,
		    job->err);
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	}
	web_headers(req);
	http_response_header(req, "content-type", "application/pdf");
	http_response_header(req, "content-disposition", disposition);
	http_response_header(req, "cache-control", "no-store");
	http_response(req, 200, job->out, job->outlen);
	return (KORE_RESULT_OK);
}

/* Runs in a task thread: renders the job's document, answers 1. */
static int
pdfjob_task(struct kore_task *t)
{
	struct pdfjob	*job;
	json_t		*doc;
	json_error_t	 jerr;
	char		 ok;

	if (kore_task_channel_read(t, &job, sizeof(job)) != sizeof(job))
		return (KORE_RESULT_ERROR);
	if ((doc = json_loads(job->input, 0, &jerr)) == NULL) {
		(void)snprintf(job->err, sizeof(job->err), "%s", jerr.text);
	} else {
		job->ok = job->render(doc, PDFJOB_FONT, &job->out,
		    &job->outlen, job->err, sizeof(job->err)) == 0;
		json_decref(doc);
	}
	ok = (char)job->ok;
	pdfjob_release(job);
	kore_task_channel_write(t, &ok, 1);
	return (KORE_RESULT_OK);
}

/* Drops one reference to a job; the last one frees it. */
static void
pdfjob_release(void *arg)
{
	struct pdfjob	*job = arg;

	if (__atomic_sub_fetch(&job->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	free(job->input);
	free(job->out);
	free(job);
}
