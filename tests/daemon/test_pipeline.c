/* The pipeline's ack rule, with a fake source and fake sinks: a dispatch is
 * acked only when every routed sink confirmed it; retries, permanent
 * refusals, dead letters, backpressure and draining each end as they must. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <event2/event.h>

#include "conf.h"
#include "pipeline.h"

#define GOOD "MOSCOW, June 6. /TASS/. The talks went well, the minister said.\n"

/* Fake source: remembers acks. */
struct fake_acks {
	int n;
	enum nw_outcome last;
	char reason[32];
	char id[65];
	int paused, resumed, stopped_intake;
};
static struct fake_acks acks;

static struct nw_source *captured;

static int
fsrc_start(struct nw_source *s, struct event_base *b,
    const struct nw_limits *limits, char **cause)
{
	captured = s;
	return 0;
}

static void
fsrc_pause(struct nw_source *s)
{
	acks.paused++;
}

static void
fsrc_resume(struct nw_source *s)
{
	acks.resumed++;
}

static void
fsrc_stop_intake(struct nw_source *s)
{
	acks.stopped_intake++;
}

static void
fsrc_ack(struct nw_source *s, struct nw_dispatch *d, enum nw_outcome o)
{
	acks.n++;
	acks.last = o;
	snprintf(acks.reason, sizeof acks.reason, "%s",
	    d->reason_code ? d->reason_code : "");
	memcpy(acks.id, d->id, sizeof acks.id);
	nw_dispatch_free(d);
}

static void
fsrc_stop(struct nw_source *s)
{
}

static const struct nw_source_ops fake_source = {
    .type = "fake",
    .start = fsrc_start,
    .pause = fsrc_pause,
    .resume = fsrc_resume,
    .stop_intake = fsrc_stop_intake,
    .ack = fsrc_ack,
    .stop = fsrc_stop,
};

/* Fake sink: keeps tokens for the test to confirm; may say FULL. */
struct fake_sink {
	void *tokens[64];
	int dead[64];
	char uri[64][16]; /* of each message, in the order handed over */
	int n;
	int full; /* answer FULL while set */
	int error;
	int takes_dl;
	struct nw_sink *self;
};
static struct fake_sink fs[2];

static int
fsink_start(struct nw_sink *s, struct event_base *b,
    const struct nw_limits *limits, char **cause)
{
	s->priv = &fs[s->name[0] - 'a'];
	fs[s->name[0] - 'a'].self = s;
	return 0;
}

static int
fsink_dl(struct nw_sink *s)
{
	return ((struct fake_sink *)s->priv)->takes_dl;
}

static enum nw_deliver_rc
fsink_deliver(struct nw_sink *s, const struct nw_sink_msg *m)
{
	struct fake_sink *f = s->priv;

	if (f->full)
		return NW_DELIVER_FULL;
	if (f->error)
		return NW_DELIVER_ERROR;
	if (m->event != NULL)
		assert_non_null(m->json);
	f->dead[f->n] = m->event == NULL;
	snprintf(f->uri[f->n], sizeof f->uri[f->n], "%s", m->uri);
	f->tokens[f->n++] = m->token;
	return NW_DELIVER_QUEUED;
}

static size_t
fsink_pending(struct nw_sink *s)
{
	return 0;
}

static size_t
fsink_flush(struct nw_sink *s, int ms)
{
	return 0;
}

static void
fsink_stop(struct nw_sink *s)
{
}

static const struct nw_sink_ops fake_sink = {
    .type = "fakesink",
    .start = fsink_start,
    .takes_dead_letters = fsink_dl,
    .deliver = fsink_deliver,
    .pending = fsink_pending,
    .flush = fsink_flush,
    .stop = fsink_stop,
};

struct fixture {
	struct event_base *base;
	struct nw_conf conf;
	struct nw_conf_source src;
	struct nw_conf_sink sinks[2];
	size_t routes[2];
	struct nw_pipeline *pl;
};

static int
setup_n(void **state, size_t nsinks, long max_inflight, long workers)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	char *cause = NULL;
	size_t i;

	memset(&acks, 0, sizeof acks);
	memset(fs, 0, sizeof fs);
	fx->base = event_base_new();
	fx->conf.daemon.max_inflight = max_inflight;
	fx->conf.daemon.workers = workers;
	fx->conf.daemon.max_dispatch_size = 512 * 1024;
	fx->src.name = "src";
	fx->src.ops = &fake_source;
	for (i = 0; i < nsinks; i++) {
		fx->sinks[i].name = i == 0 ? "a" : "b";
		fx->sinks[i].ops = &fake_sink;
		fx->routes[i] = i;
	}
	fx->src.routes = fx->routes;
	fx->src.nroutes = nsinks;
	fx->conf.sources = &fx->src;
	fx->conf.nsources = 1;
	fx->conf.sinks = fx->sinks;
	fx->conf.nsinks = nsinks;
	fx->pl = nw_pipeline_new(fx->base, &fx->conf);
	assert_int_equal(nw_pipeline_start(fx->pl, &cause), 0);
	*state = fx;
	return 0;
}

static int
setup2(void **state)
{
	return setup_n(state, 2, 100, 0);
}

static int
setup1_small(void **state)
{
	return setup_n(state, 1, 2, 0);
}

static int
setup1_4workers(void **state)
{
	return setup_n(state, 1, 100, 4);
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	nw_pipeline_free(fx->pl);
	event_base_free(fx->base);
	free(fx);
	return 0;
}

static void
submit(const char *text)
{
	struct nw_dispatch *d;

	d = nw_dispatch_new(captured, strdup(text), strlen(text), "mem:x");
	assert_non_null(d);
	nw_source_submit(captured, d);
}

/* Until the workers gave back every dispatch they parse, then a few more
 * turns for what the loop does after. */
static void
spin(struct fixture *fx)
{
	struct nw_pipeline_stats st;
	int i;

	for (;;) {
		nw_pipeline_stats(fx->pl, &st);
		if (st.parsing == 0)
			break;
		event_base_loop(fx->base, EVLOOP_ONCE);
	}
	for (i = 0; i < 5; i++)
		event_base_loop(fx->base, EVLOOP_NONBLOCK);
}

static void
confirm(int sink, int i, enum nw_confirm c)
{
	assert_true(i < fs[sink].n);
	nw_sink_confirm(fs[sink].self, fs[sink].tokens[i], c, "test says so");
}

static void
acked_only_after_every_sink_confirmed(void **state)
{
	struct fixture *fx = *state;

	submit(GOOD);
	spin(fx);
	assert_int_equal(fs[0].n, 1);
	assert_int_equal(fs[1].n, 1);
	assert_int_equal(acks.n, 0);
	confirm(1, 0, NW_CONFIRM_OK);
	spin(fx);
	assert_int_equal(acks.n, 0);
	confirm(0, 0, NW_CONFIRM_OK);
	assert_int_equal(acks.n, 1);
	assert_int_equal(acks.last, NW_OUTCOME_DONE);
	assert_int_equal(strlen(acks.id), 64);
	assert_string_equal(acks.reason, "");
}

/* Four workers race on dispatches of very different sizes (and a few that
 * fail to parse); the sink still gets them in the order they arrived. */
static void
workers_keep_arrival_order(void **state)
{
	struct fixture *fx = *state;
	struct nw_dispatch *d;
	char uri[16], *big, *text;
	size_t i, len, bigsz = 200 * 1024;
	char para[] = "The minister said the talks went well. ";

	fs[0].takes_dl = 1;
	big = malloc(bigsz + 1);
	assert_non_null(big);
	len = snprintf(big, bigsz, "%s", GOOD);
	while (len + sizeof para < bigsz) {
		memcpy(big + len, para, sizeof para - 1);
		len += sizeof para - 1;
		if (len % 7 == 0)
			big[len++] = '\n';
	}
	big[len] = '\0';
	for (i = 0; i < 60; i++) {
		snprintf(uri, sizeof uri, "mem:%zu", i);
		/* Each text its own, so that none is a repeat of another
		 * (the story stage would acknowledge it without a sink). */
		if (i % 10 == 3)
			text = strdup("");
		else if (asprintf(&text,
			     "%s\n\nDispatch %zu of the ordering "
			     "test.",
			     i % 3 == 0 ? big : GOOD, i) < 0)
			text = NULL;
		assert_non_null(text);
		d = nw_dispatch_new(captured, text, strlen(text), uri);
		assert_non_null(d);
		nw_source_submit(captured, d);
	}
	free(big);
	spin(fx);
	assert_int_equal(fs[0].n, 60);
	for (i = 0; i < 60; i++) {
		snprintf(uri, sizeof uri, "mem:%zu", i);
		assert_string_equal(fs[0].uri[i], uri);
		assert_int_equal(fs[0].dead[i], i % 10 == 3);
	}
	for (i = 0; i < 60; i++)
		confirm(0, (int)i, NW_CONFIRM_OK);
	assert_int_equal(acks.n, 60);
}

static void
one_retry_makes_the_dispatch_retry(void **state)
{
	struct fixture *fx = *state;

	submit(GOOD);
	spin(fx);
	confirm(0, 0, NW_CONFIRM_RETRY);
	assert_int_equal(acks.n, 0);
	confirm(1, 0, NW_CONFIRM_OK);
	assert_int_equal(acks.n, 1);
	assert_int_equal(acks.last, NW_OUTCOME_RETRY);
}

static void
permanent_refusal_fails_with_rejected(void **state)
{
	struct fixture *fx = *state;

	submit(GOOD);
	spin(fx);
	confirm(0, 0, NW_CONFIRM_OK);
	confirm(1, 0, NW_CONFIRM_PERMANENT);
	assert_int_equal(acks.n, 1);
	assert_int_equal(acks.last, NW_OUTCOME_FAILED);
	assert_string_equal(acks.reason, "rejected");
}

static void
retry_wins_over_permanent(void **state)
{
	struct fixture *fx = *state;

	submit(GOOD);
	spin(fx);
	confirm(0, 0, NW_CONFIRM_PERMANENT);
	confirm(1, 0, NW_CONFIRM_RETRY);
	assert_int_equal(acks.last, NW_OUTCOME_RETRY);
}

static void
unparseable_without_dead_letter_sink_fails_at_once(void **state)
{
	struct fixture *fx = *state;

	submit("");
	spin(fx);
	assert_int_equal(fs[0].n, 0);
	assert_int_equal(fs[1].n, 0);
	assert_int_equal(acks.n, 1);
	assert_int_equal(acks.last, NW_OUTCOME_FAILED);
	assert_string_equal(acks.reason, "empty");
	assert_string_equal(acks.id, "");
}

static void
dead_letter_confirmed_before_failed(void **state)
{
	struct fixture *fx = *state;

	fs[1].takes_dl = 1;
	submit("");
	spin(fx);
	assert_int_equal(fs[0].n, 0); /* sink a takes no dead letters */
	assert_int_equal(fs[1].n, 1);
	assert_int_equal(fs[1].dead[0], 1);
	assert_int_equal(acks.n, 0);
	confirm(1, 0, NW_CONFIRM_OK);
	assert_int_equal(acks.n, 1);
	assert_int_equal(acks.last, NW_OUTCOME_FAILED);
	assert_string_equal(acks.reason, "empty");
}

static void
dead_letter_retry_keeps_it_at_source(void **state)
{
	struct fixture *fx = *state;

	fs[0].takes_dl = 1;
	submit("");
	spin(fx);
	confirm(0, 0, NW_CONFIRM_RETRY);
	assert_int_equal(acks.last, NW_OUTCOME_RETRY);
}

static void
refused_delivery_is_a_retry(void **state)
{
	struct fixture *fx = *state;

	fs[0].error = 1;
	submit(GOOD);
	spin(fx);
	confirm(1, 0, NW_CONFIRM_OK);
	assert_int_equal(acks.n, 1);
	assert_int_equal(acks.last, NW_OUTCOME_RETRY);
}

static void
full_sink_pauses_sources_until_ready(void **state)
{
	struct fixture *fx = *state;

	fs[0].full = 1;
	submit(GOOD);
	spin(fx);
	assert_int_equal(acks.paused, 1);
	assert_int_equal(fs[0].n, 0);
	assert_int_equal(fs[1].n, 1);
	fs[0].full = 0;
	nw_sink_ready(fs[0].self);
	spin(fx);
	assert_int_equal(fs[0].n, 1);
	assert_int_equal(acks.resumed, 1);
	confirm(0, 0, NW_CONFIRM_OK);
	confirm(1, 0, NW_CONFIRM_OK);
	assert_int_equal(acks.last, NW_OUTCOME_DONE);
}

static void
inflight_bound_pauses_and_resumes(void **state)
{
	struct fixture *fx = *state; /* one sink, max_inflight 2 */

	submit(GOOD);
	assert_int_equal(acks.paused, 0);
	submit(GOOD "2");
	assert_int_equal(acks.paused, 1);
	spin(fx);
	confirm(0, 0, NW_CONFIRM_OK);
	assert_int_equal(acks.resumed, 1);
	confirm(0, 1, NW_CONFIRM_OK);
	assert_int_equal(acks.n, 2);
}

static int drained_calls;

static void
on_drained(void *arg)
{
	drained_calls++;
}

static void
drain_waits_for_inflight(void **state)
{
	struct fixture *fx = *state;

	drained_calls = 0;
	submit(GOOD);
	spin(fx);
	nw_pipeline_drain(fx->pl, on_drained, NULL);
	assert_int_equal(acks.stopped_intake, 1);
	spin(fx);
	assert_int_equal(drained_calls, 0);
	confirm(0, 0, NW_CONFIRM_OK);
	confirm(1, 0, NW_CONFIRM_OK);
	spin(fx);
	assert_int_equal(drained_calls, 1);
}

static void
freed_with_inflight_never_acks(void **state)
{
	struct fixture *fx = *state;

	submit(GOOD);
	submit(GOOD "x");
	spin(fx);
	confirm(0, 0, NW_CONFIRM_OK);
	/* teardown frees the pipeline: nothing is acked, nothing leaks
	 * (the sanitizer build checks the latter). */
	assert_int_equal(acks.n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		acked_only_after_every_sink_confirmed, setup2, teardown),
	    cmocka_unit_test_setup_teardown(
		one_retry_makes_the_dispatch_retry, setup2, teardown),
	    cmocka_unit_test_setup_teardown(
		permanent_refusal_fails_with_rejected, setup2, teardown),
	    cmocka_unit_test_setup_teardown(
		retry_wins_over_permanent, setup2, teardown),
	    cmocka_unit_test_setup_teardown(
		unparseable_without_dead_letter_sink_fails_at_once, setup2,
		teardown),
	    cmocka_unit_test_setup_teardown(
		dead_letter_confirmed_before_failed, setup2, teardown),
	    cmocka_unit_test_setup_teardown(
		dead_letter_retry_keeps_it_at_source, setup2, teardown),
	    cmocka_unit_test_setup_teardown(
		refused_delivery_is_a_retry, setup2, teardown),
	    cmocka_unit_test_setup_teardown(
		full_sink_pauses_sources_until_ready, setup2, teardown),
	    cmocka_unit_test_setup_teardown(
		inflight_bound_pauses_and_resumes, setup1_small, teardown),
	    cmocka_unit_test_setup_teardown(
		drain_waits_for_inflight, setup2, teardown),
	    cmocka_unit_test_setup_teardown(
		freed_with_inflight_never_acks, setup2, teardown),
	    cmocka_unit_test_setup_teardown(
		workers_keep_arrival_order, setup1_4workers, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
