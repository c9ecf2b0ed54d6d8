/* The daemon's clocks (nwtime.h): one reading function per clock, so that
 * every component measures the same way. */
#include <time.h>

#include "nwtime.h"

static int64_t
clock_ms(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
nw_now_ms(void)
{
	return clock_ms(CLOCK_REALTIME);
}

int64_t
nw_mono_ms(void)
{
	return clock_ms(CLOCK_MONOTONIC);
}
