/* The running daemon's shared state, as seen by sources, sinks and services.
 * Set by `newswired run` on start and on every reload. */
#include <stddef.h>

#include "daemon.h"

static struct event_base *cur_base;
static const struct nw_conf *cur_conf;
static int cur_ready;

void
nw_daemon_set(struct event_base *base, const struct nw_conf *conf, int ready)
{
	cur_base = base;
	cur_conf = conf;
	cur_ready = ready;
}

struct event_base *
nw_daemon_base(void)
{
	return cur_base;
}

const char *
nw_daemon_state_dir(void)
{
	return cur_conf != NULL ? cur_conf->daemon.state_dir : NULL;
}

int
nw_daemon_ready(void)
{
	return cur_ready;
}
