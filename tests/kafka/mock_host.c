/* Hosts librdkafka's mock cluster (one broker on 127.0.0.1) for the daemon
 * fault tests, and injects faults on command, one per line on stdin:
 *   errors CODE...   the broker answers its next Produce partitions with
 *                    these error codes (numbers), in order
 *   slow MS CODE     the next Produce answer comes after MS ms, with CODE
 *   down | up        the broker stops / starts answering
 *   left             prints "left N": pushed errors not yet served
 * Prints "bootstrap HOST:PORT" once ready. usage: mock_host TOPIC... */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#define PRODUCE_API 0

int
main(int argc, char **argv)
{
	rd_kafka_conf_t *c = rd_kafka_conf_new();
	rd_kafka_mock_cluster_t *mc;
	rd_kafka_t *rk;
	char err[256], line[512], *p, *end;
	size_t left;
	long v, ms;
	int i;

	rd_kafka_conf_set(c, "log_level", "2", err, sizeof err);
	if ((rk = rd_kafka_new(RD_KAFKA_PRODUCER, c, err, sizeof err)) ==
	    NULL) {
		fprintf(stderr, "mock_host: %s\n", err);
		return 1;
	}
	if ((mc = rd_kafka_mock_cluster_new(rk, 1)) == NULL) {
		fprintf(stderr, "mock_host: no mock cluster\n");
		return 1;
	}
	for (i = 1; i < argc; i++)
		rd_kafka_mock_topic_create(mc, argv[i], 3, 1);
	printf("bootstrap %s\n", rd_kafka_mock_cluster_bootstraps(mc));
	fflush(stdout);
	while (fgets(line, sizeof line, stdin) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "errors ", 7) == 0) {
			for (p = line + 7;; p = end) {
				v = strtol(p, &end, 10);
				if (end == p)
					break;
				rd_kafka_mock_broker_push_request_error_rtts(mc,
				    1, PRODUCE_API, 1, (rd_kafka_resp_err_t)v,
				    0);
			}
		} else if (sscanf(line, "slow %ld %ld", &ms, &v) == 2)
			rd_kafka_mock_broker_push_request_error_rtts(mc, 1,
			    PRODUCE_API, 1, (rd_kafka_resp_err_t)v, (int)ms);
		else if (strcmp(line, "down") == 0)
			rd_kafka_mock_broker_set_down(mc, 1);
		else if (strcmp(line, "up") == 0)
			rd_kafka_mock_broker_set_up(mc, 1);
		else if (strcmp(line, "left") == 0) {
			left = 0;
			rd_kafka_mock_broker_error_stack_cnt(
			    mc, 1, PRODUCE_API, &left);
			printf("left %zu\n", left);
		} else
			printf("? %s\n", line);
		fflush(stdout);
	}
	rd_kafka_mock_cluster_destroy(mc);
	rd_kafka_destroy(rk);
	return 0;
}
