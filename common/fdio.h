/* Small file-descriptor helpers shared by the sinks and the daemon's
 * journals. */
#ifndef NW_FDIO_H
#define NW_FDIO_H

#include <stddef.h>

/* Write all n bytes, retrying after EINTR and short writes: 0, or -1 with
 * errno set. */
int nw_write_all(int fd, const void *p, size_t n);

#endif
