/* The admin endpoint. /healthz answers while the event loop turns (so a
 * wedged loop fails it); /readyz answers 200 only when every source and sink
 * has started and no reload is under way; /metrics renders the registry;
 * the live page and its stream are watch.c's. Optional HTTP Basic
 * credentials guard everything but the two probes. */
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>

#include "admin.h"
#include "admin_auth.h"
#include "httpd.h"
#include "metrics.h"
#include "newswire/log.h"
#include "watch.h"

static struct nw_httpd *admin;
static const char *credentials; /* the conf's admin_credentials */

static void
handle(struct nw_httpd *h, struct evhttp_request *req, void *arg)
{
	const char *path =
	    evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	char *text;

	if (path == NULL)
		path = "";
	/* Probes stay open: a supervisor checks them without credentials. */
	if (strcmp(path, "/healthz") != 0 && strcmp(path, "/readyz") != 0 &&
	    !nw_admin_auth_ok(credentials,
		evhttp_find_header(
		    evhttp_request_get_input_headers(req), "Authorization"))) {
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "WWW-Authenticate",
		    "Basic realm=\"newswired\", charset=\"UTF-8\"");
		nw_httpd_error(
		    h, req, 401, "unauthorized", "credentials needed");
		return;
	}
	if (nw_watch_route(h, req, path))
		return;
	if (strcmp(path, "/healthz") != 0 && strcmp(path, "/readyz") != 0 &&
	    strcmp(path, "/metrics") != 0) {
		nw_httpd_error(h, req, 404, "not_found",
		    "GET /, /events/stream, /status, /healthz, /readyz or "
		    "/metrics");
		return;
	}
	if (cmd != EVHTTP_REQ_GET && cmd != EVHTTP_REQ_HEAD) {
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Allow", "GET, HEAD");
		nw_httpd_error(h, req, 405, "method_not_allowed", "use GET");
		return;
	}
	if (strcmp(path, "/healthz") == 0)
		nw_httpd_reply(h, req, 200, "text/plain", "ok\n", NULL, NULL);
	else if (strcmp(path, "/readyz") == 0) {
		if (nw_daemon_ready())
			nw_httpd_reply(
			    h, req, 200, "text/plain", "ready\n", NULL, NULL);
		else
			nw_httpd_reply(h, req, 503, "text/plain", "not ready\n",
			    "Retry-After", "1");
	} else if ((text = nw_metrics_render_prometheus()) != NULL) {
		nw_httpd_reply(
		    h, req, 200, "text/plain; version=0.0.4", text, NULL, NULL);
		free(text);
	} else
		nw_httpd_error(h, req, 503, "internal", "out of memory");
}

static int
admin_start(struct event_base *base, const struct nw_conf *conf, char **cause)
{
	const char *addr = conf->daemon.admin_address;
	struct nw_httpd_limits lim = {
	    .max_body = 4096,
	    .max_headers = 8192,
	    .max_connections = 32,
	    .request_ms = 5000,
	};
	char *why = NULL;

	if (addr == NULL || addr[0] == '\0' || strcmp(addr, "none") == 0)
		return 0;
	if ((admin = nw_httpd_new(base, addr, &lim, handle, NULL, &why)) ==
	    NULL) {
		if (asprintf(cause, "admin: %s", why) == -1)
			*cause = NULL;
		free(why);
		return -1;
	}
	credentials = conf->daemon.admin_credentials;
	nw_watch_start(conf);
	log_info("admin listening address=%s%s", nw_httpd_address(admin),
	    credentials != NULL ? " credentials=required" : "");
	return 0;
}

static void
admin_stop(void)
{
	nw_watch_stop();
	credentials = NULL;
	nw_httpd_free(admin);
	admin = NULL;
}

const char *
nw_admin_address(void)
{
	return admin != NULL ? nw_httpd_address(admin) : NULL;
}

const struct nw_service nw_service_admin = {
    .name = "admin",
    .start = admin_start,
    .stop = admin_stop,
};
