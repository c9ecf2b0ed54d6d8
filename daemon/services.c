/* Services started beside the pipeline: one line each, NULL-terminated. */
#include <stddef.h>

#include "admin.h"
#include "daemon.h"

const struct nw_service *const nw_services[] = {
    &nw_service_metrics_base,
    &nw_service_admin,
    NULL,
};
