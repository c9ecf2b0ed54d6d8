/* `brokers = embedded`: librdkafka's mock cluster, one broker listening on
 * 127.0.0.1, so that a newcomer sees events on a Kafka topic with nothing
 * installed. It keeps everything in memory: a demo, never a store. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include "kafka.h"

struct nw_kafka_embedded {
	rd_kafka_t *host; /* the mock cluster needs a handle to live in */
	rd_kafka_mock_cluster_t *mc;
	int partitions;
};

struct nw_kafka_embedded *
nw_kafka_embedded_start(int partitions, char **cause)
{
	struct nw_kafka_embedded *e;
	rd_kafka_conf_t *c;
	char err[512];

	if ((e = calloc(1, sizeof *e)) == NULL) {
		*cause = strdup("out of memory");
		return NULL;
	}
	c = rd_kafka_conf_new();
	/* The host handle only carries the cluster: keep it quiet. */
	if (rd_kafka_conf_set(c, "log_level", "3", err, sizeof err) !=
	    RD_KAFKA_CONF_OK)
		goto fail_conf;
	if ((e->host = rd_kafka_new(RD_KAFKA_PRODUCER, c, err, sizeof err)) ==
	    NULL)
		goto fail_conf;
	if ((e->mc = rd_kafka_mock_cluster_new(e->host, 1)) == NULL) {
		*cause = strdup("cannot start the embedded mock cluster");
		goto fail;
	}
	e->partitions = partitions;
	return e;
fail_conf:
	rd_kafka_conf_destroy(c);
	if (asprintf(cause, "embedded cluster: %s", err) == -1)
		*cause = NULL;
fail:
	nw_kafka_embedded_stop(e);
	return NULL;
}

/* Topics named in the configuration get the configured partition count;
 * others (from templates) are created on first use with the mock's default. */
int
nw_kafka_embedded_topic(struct nw_kafka_embedded *e, const char *topic)
{
	if (rd_kafka_mock_topic_create(e->mc, topic, e->partitions, 1) !=
	    RD_KAFKA_RESP_ERR_NO_ERROR)
		return -1;
	return 0;
}

const char *
nw_kafka_embedded_bootstraps(struct nw_kafka_embedded *e)
{
	return rd_kafka_mock_cluster_bootstraps(e->mc);
}

void
nw_kafka_embedded_stop(struct nw_kafka_embedded *e)
{
	if (e == NULL)
		return;
	if (e->mc != NULL)
		rd_kafka_mock_cluster_destroy(e->mc);
	if (e->host != NULL)
		rd_kafka_destroy(e->host);
	free(e);
}
