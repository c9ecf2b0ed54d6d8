/* The stdout sink: JSON Lines to standard output, for trying the daemon out
 * and for pipes. A message is confirmed once it is written to the fd. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "format.h"
#include "newswire/log.h"
#include "newswire/sink.h"
#include "fdio.h"

struct stdout_conf {
	char *format;
};

static const struct nw_key stdout_keys[] = {
    {.name = "format",
	.type = NW_KEY_ENUM,
	.def = "json",
	.choices = NW_SINK_FORMATS,
	.offset = offsetof(struct stdout_conf, format),
	.desc = NW_SINK_FORMAT_DESC},
    {.name = NULL}};

static int
stdout_start(struct nw_sink *sink, struct event_base *base,
    const struct nw_limits *limits, char **cause)
{
	return 0;
}

static enum nw_deliver_rc
stdout_deliver(struct nw_sink *sink, const struct nw_sink_msg *m)
{
	const struct stdout_conf *conf = sink->conf;
	const char *text;
	char *line, *owned;
	size_t len;

	if (m->json == NULL)
		return NW_DELIVER_ERROR;
	if ((text = nw_sink_format(m, conf->format, &owned, &len)) == NULL)
		return NW_DELIVER_ERROR;
	/* One write per line, so lines from a pipe reader never interleave. */
	if ((line = malloc(len + 1)) == NULL) {
		free(owned);
		return NW_DELIVER_ERROR;
	}
	memcpy(line, text, len);
	line[len] = '\n';
	free(owned);
	if (nw_write_all(STDOUT_FILENO, line, len + 1) != 0) {
		int e = errno;
		free(line);
		log_warnx("sink=%s write: %s", sink->name, strerror(e));
		nw_sink_confirm(sink, m->token, NW_CONFIRM_RETRY, strerror(e));
		return NW_DELIVER_QUEUED;
	}
	free(line);
	nw_sink_confirm(sink, m->token, NW_CONFIRM_OK, NULL);
	return NW_DELIVER_QUEUED;
}

static size_t
stdout_pending(struct nw_sink *sink)
{
	return 0;
}

static size_t
stdout_flush(struct nw_sink *sink, int timeout_ms)
{
	return 0;
}

static void
stdout_stop(struct nw_sink *sink)
{
}

const struct nw_sink_ops nw_sink_stdout = {
    .type = "stdout",
    .keys = stdout_keys,
    .conf_size = sizeof(struct stdout_conf),
    .start = stdout_start,
    .deliver = stdout_deliver,
    .pending = stdout_pending,
    .flush = stdout_flush,
    .stop = stdout_stop,
};
