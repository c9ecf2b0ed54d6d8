/* The daemon's two clocks, read in one place: wall-clock milliseconds for
 * what is recorded or shown (reception times, last-success gauges, feed
 * ages) and monotonic milliseconds for what is measured (latencies,
 * back-offs), which a clock step must not distort. */
#ifndef NW_TIME_H
#define NW_TIME_H

#include <stdint.h>

/* Unix time in milliseconds (CLOCK_REALTIME). */
int64_t nw_now_ms(void);
/* Milliseconds on CLOCK_MONOTONIC: only differences mean anything. */
int64_t nw_mono_ms(void);

#endif
