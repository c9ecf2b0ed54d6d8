/* The metrics registry renders valid Prometheus text: HELP and TYPE lines,
 * labelled counters and gauges, cumulative histogram buckets with _sum and
 * _count, escaped label values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "metrics.h"

static int hook_calls;

static void
hook(void *arg)
{
	hook_calls++;
	nw_metric_set("t_gauge", "sink=\"k\"", 7);
}

static void
renders_counters_gauges_and_histograms(void **state)
{
	char *text;

	nw_metrics_reset();
	nw_metric_declare("t_total", NW_COUNTER, "Things counted.");
	nw_metric_add("t_total", "source=\"a\"", 2);
	nw_metric_add("t_total", "source=\"a\"", 3);
	nw_metric_add("t_total", "source=\"b\"", 1);
	nw_metric_declare("t_gauge", NW_GAUGE, "A level.");
	nw_metrics_on_render(hook, NULL);
	nw_metric_declare("t_seconds", NW_HISTOGRAM, "Latency.");
	nw_metric_observe("t_seconds", "", 0.003);
	nw_metric_observe("t_seconds", "", 0.2);
	nw_metric_observe("t_seconds", "", 100);
	text = nw_metrics_render_prometheus();
	assert_non_null(text);
	assert_int_equal(hook_calls, 1);
	assert_non_null(strstr(text,
	    "# HELP t_total Things counted.\n"
	    "# TYPE t_total counter\n"
	    "t_total{source=\"a\"} 5\n"
	    "t_total{source=\"b\"} 1\n"));
	assert_non_null(strstr(text,
	    "# TYPE t_gauge gauge\n"
	    "t_gauge{sink=\"k\"} 7\n"));
	assert_non_null(strstr(text, "# TYPE t_seconds histogram\n"));
	assert_non_null(strstr(text, "t_seconds_bucket{le=\"0.001\"} 0\n"));
	assert_non_null(strstr(text, "t_seconds_bucket{le=\"0.005\"} 1\n"));
	assert_non_null(strstr(text, "t_seconds_bucket{le=\"0.25\"} 2\n"));
	assert_non_null(strstr(text, "t_seconds_bucket{le=\"60\"} 2\n"));
	assert_non_null(strstr(text, "t_seconds_bucket{le=\"+Inf\"} 3\n"));
	assert_non_null(strstr(text, "t_seconds_sum 100.203\n"));
	assert_non_null(strstr(text, "t_seconds_count 3\n"));
	assert_true(nw_metric_get("t_total", "source=\"a\"") == 5);
	free(text);
	nw_metrics_off_render(hook, NULL);
	nw_metrics_reset();
}

static void
label_values_are_escaped(void **state)
{
	char buf[64];

	assert_string_equal(
	    nw_metric_label(buf, sizeof buf, "a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
}

/* A Unix time with milliseconds must not be rounded to tens of seconds. */
static void
unix_times_keep_their_milliseconds(void **state)
{
	char *text;

	nw_metric_declare("t_last_seconds", NW_GAUGE, "a time");
	nw_metric_set("t_last_seconds", "source=\"s\"", 1795718510.123);
	text = nw_metrics_render_prometheus();
	assert_non_null(text);
	assert_non_null(
	    strstr(text, "t_last_seconds{source=\"s\"} 1795718510.123\n"));
	free(text);
	nw_metrics_reset();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(renders_counters_gauges_and_histograms),
	    cmocka_unit_test(label_values_are_escaped),
	    cmocka_unit_test(unix_times_keep_their_milliseconds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
