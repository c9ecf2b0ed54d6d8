/* What the daemon's services (admin pages) may ask of the running daemon:
 * its event loop, its settings and whether it is ready. Sources and sinks
 * never include this: they get the daemon's limits through start().
 * Also the registry of services started beside the pipeline (the admin
 * endpoint): one line each in daemon/services.c. */
#ifndef NW_DAEMON_H
#define NW_DAEMON_H

#include "conf.h"

struct event_base;

/* NULL outside `newswired run`. */
struct event_base *nw_daemon_base(void);
/* The state directory of the [daemon] section in force (changes on a
 * reload). */
const char *nw_daemon_state_dir(void);
/* 1 when every source and sink has started and no reload is under way. */
int nw_daemon_ready(void);

void nw_daemon_set(struct event_base *, const struct nw_conf *, int ready);

/* A service runs beside the pipeline for the daemon's lifetime and is
 * restarted on a reload, after the pipeline. start returns 0/-1. */
struct nw_service {
	const char *name;
	int (*start)(struct event_base *, const struct nw_conf *, char **cause);
	void (*stop)(void);
};

extern const struct nw_service *const nw_services[];
/* Zero series, start time and sink capacities (daemon/metrics_base.c). */
extern const struct nw_service nw_service_metrics_base;

#endif
