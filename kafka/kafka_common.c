/* Pieces the Kafka sinks and the Kafka source share (see kafka_common.h):
 * one place for property checks, topic templates, logging and the wake-up
 * pipe, so the three Kafka clients behave alike. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kafka.h"
#include "kafka_common.h"
#include "newswire/log.h"

/* Configuration ---------------------------------------------------------- */

const char *
nw_kafka_prop_name(const char *key, char **cause)
{
	if (strncmp(key, "kafka.", 6) != 0 || key[6] == '\0') {
		if (asprintf(cause, "unknown key '%s'", key) == -1)
			*cause = NULL;
		return NULL;
	}
	return key + 6;
}

int
nw_kafka_prop_keep(struct nw_strv *props, const char *key, const char *prop,
    const char *value, char **cause)
{
	rd_kafka_conf_t *probe;
	char err[512];

	probe = rd_kafka_conf_new();
	if (rd_kafka_conf_set(probe, prop, value, err, sizeof err) !=
	    RD_KAFKA_CONF_OK) {
		rd_kafka_conf_destroy(probe);
		if (asprintf(cause, "%s: %s", key, err) == -1)
			*cause = NULL;
		return -1;
	}
	rd_kafka_conf_destroy(probe);
	if (nw_strv_push(props, prop) == -1 ||
	    nw_strv_push(props, value) == -1) {
		*cause = strdup("out of memory");
		return -1;
	}
	return 0;
}

int
nw_kafka_conf_set(
    rd_kafka_conf_t *c, const char *name, const char *value, char **cause)
{
	char err[512];

	if (rd_kafka_conf_set(c, name, value, err, sizeof err) ==
	    RD_KAFKA_CONF_OK)
		return 0;
	if (asprintf(cause, "kafka %s = %s: %s", name, value, err) == -1)
		*cause = NULL;
	return -1;
}

int
nw_kafka_conf_set_props(
    rd_kafka_conf_t *c, const struct nw_strv *props, char **cause)
{
	size_t i;

	for (i = 0; i + 1 < props->n; i += 2) {
		if (nw_kafka_conf_set(c, props->v[i], props->v[i + 1], cause) ==
		    -1)
			return -1;
	}
	return 0;
}

rd_kafka_t *
nw_kafka_producer_new(const struct nw_kafka_new *n, char **cause)
{
	rd_kafka_conf_t *c = rd_kafka_conf_new();
	rd_kafka_t *rk;
	char buf[64], err[512];
	size_t i;

	rd_kafka_conf_set_opaque(c, n->opaque);
	rd_kafka_conf_set_dr_msg_cb(c, n->on_delivery);
	rd_kafka_conf_set_error_cb(c, n->on_error);
	rd_kafka_conf_set_log_cb(c, n->on_log);
	if (n->on_stats != NULL)
		rd_kafka_conf_set_stats_cb(c, n->on_stats);
	snprintf(buf, sizeof buf, "%zu", nw_kafka_message_max(n->max_dispatch));
	if (nw_kafka_conf_set(c, "bootstrap.servers", n->brokers, cause) ==
		-1 ||
	    nw_kafka_conf_set(c, "client.id", "newswired", cause) == -1 ||
	    nw_kafka_conf_set(c, "enable.idempotence", "true", cause) == -1 ||
	    nw_kafka_conf_set(c, "log.queue", "true", cause) == -1 ||
	    /* Bounded memory: at most this much waits in librdkafka. */
	    nw_kafka_conf_set(
		c, "queue.buffering.max.messages", "20000", cause) == -1 ||
	    nw_kafka_conf_set(
		c, "queue.buffering.max.kbytes", "65536", cause) == -1 ||
	    nw_kafka_conf_set(c, "linger.ms", "5", cause) == -1 ||
	    nw_kafka_conf_set(c, "message.max.bytes", buf, cause) == -1)
		goto fail;
	for (i = 0; n->extra[i] != NULL; i += 2)
		if (nw_kafka_conf_set(c, n->extra[i], n->extra[i + 1], cause) ==
		    -1)
			goto fail;
	/* The pass-through keys come last, so they win. */
	if (nw_kafka_conf_set_props(c, n->props, cause) == -1)
		goto fail;
	if ((rk = rd_kafka_new(RD_KAFKA_PRODUCER, c, err, sizeof err)) ==
	    NULL) {
		if (asprintf(cause, "kafka: %s", err) == -1)
			*cause = NULL;
		goto fail;
	}
	/* From here on c belongs to rk. Logs, errors, statistics and delivery
	 * reports all arrive on the main queue, served from the event loop. */
	rd_kafka_set_log_queue(rk, NULL);
	nw_kafka_main_queue_wake(rk, n->wake_fd);
	return rk;
fail:
	rd_kafka_conf_destroy(c);
	return NULL;
}

/* Topic templates ------------------------------------------------------- */

static const char *const placeholders[] = {"agency", "language", "source"};

int
nw_kafka_topic_check(const char *t, char **cause)
{
	const char *p, *end;
	size_t i, n;

	if (t == NULL || *t == '\0') {
		*cause = strdup("topic is empty");
		return -1;
	}
	for (p = t; *p != '\0'; p++) {
		if (*p == '}') {
			*cause = strdup("topic: '}' without '{'");
			return -1;
		}
		if (*p != '{')
			continue;
		if ((end = strchr(p, '}')) == NULL) {
			*cause = strdup("topic: '{' without '}'");
			return -1;
		}
		n = (size_t)(end - p - 1);
		for (i = 0; i < 3; i++) {
			if (strlen(placeholders[i]) == n &&
			    strncmp(p + 1, placeholders[i], n) == 0)
				break;
		}
		if (i == 3) {
			if (asprintf(cause,
				"topic: unknown placeholder {%.*s} (known: "
				"{agency} {language} {source})",
				(int)n, p + 1) == -1)
				*cause = NULL;
			return -1;
		}
		p = end;
	}
	return 0;
}

/* Kafka allows [a-zA-Z0-9._-] in topic names; values are lower-cased and
 * anything else becomes '_', so "Interfax-Ukraine" gives "interfax-ukraine".
 * A placeholder without a value (or one no template check let through, as
 * the kafka-txn sink does not check) becomes "unknown". */
void
nw_kafka_topic_render(const char *t, const struct nw_event *ev,
    const char *source, char *out, size_t size)
{
	const char *v, *end;
	size_t o = 0;
	unsigned char c;

	for (; *t != '\0' && o + 1 < size; t++) {
		if (*t != '{' || (end = strchr(t, '}')) == NULL) {
			out[o++] = *t;
			continue;
		}
		v = NULL;
		if (strncmp(t, "{agency}", 8) == 0)
			v = ev != NULL ? ev->agency : NULL;
		else if (strncmp(t, "{language}", 10) == 0)
			v = ev != NULL ? ev->language : NULL;
		else if (strncmp(t, "{source}", 8) == 0)
			v = source;
		if (v == NULL || *v == '\0')
			v = "unknown";
		for (; *v != '\0' && o + 1 < size; v++) {
			c = (unsigned char)*v;
			if (c >= 'A' && c <= 'Z')
				c = (unsigned char)(c - 'A' + 'a');
			else if (!((c >= 'a' && c <= 'z') ||
				     (c >= '0' && c <= '9') || c == '.' ||
				     c == '_' || c == '-'))
				c = '_';
			out[o++] = (char)c;
		}
		t = end;
	}
	out[o] = '\0';
}

/* Logging and wake-ups --------------------------------------------------- */

void
nw_kafka_log(const char *who, int level, const char *fac, const char *buf)
{
	if (level <= 4)
		log_warnx("kafka %s %s: %s", who, fac, buf);
	else
		log_debug("kafka %s %s: %s", who, fac, buf);
}

int
nw_kafka_wake_open(int wake[2], char **cause)
{
	if (pipe2(wake, O_NONBLOCK | O_CLOEXEC) == 0)
		return 0;
	if (asprintf(cause, "pipe: %s", strerror(errno)) == -1)
		*cause = NULL;
	return -1;
}

void
nw_kafka_wake_drain(int fd)
{
	char buf[64];

	while (read(fd, buf, sizeof buf) > 0)
		;
}

void
nw_kafka_wake_close(int wake[2])
{
	if (wake[0] != -1)
		close(wake[0]);
	if (wake[1] != -1)
		close(wake[1]);
}

void
nw_kafka_main_queue_wake(rd_kafka_t *rk, int fd)
{
	rd_kafka_queue_t *q = rd_kafka_queue_get_main(rk);

	if (fd == -1)
		rd_kafka_queue_io_event_enable(q, -1, NULL, 0);
	else
		rd_kafka_queue_io_event_enable(q, fd, "1", 1);
	rd_kafka_queue_destroy(q);
}
