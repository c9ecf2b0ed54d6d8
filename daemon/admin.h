/* The admin endpoint: GET /healthz, /readyz and /metrics (Prometheus text)
 * on [daemon] admin_address, 127.0.0.1 only by default. A service started
 * beside the pipeline (daemon/services.c). */
#ifndef NW_ADMIN_H
#define NW_ADMIN_H

#include "daemon.h"

extern const struct nw_service nw_service_admin;

/* The bound address ("127.0.0.1:PORT"), or NULL when not running. */
const char *nw_admin_address(void);

#endif
