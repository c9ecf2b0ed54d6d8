/* The live page's files, embedded in the binary: generated at build time
 * from daemon/page/ by tools/embed.cmake (the sources are what is kept). */
#ifndef NW_WATCH_PAGE_H
#define NW_WATCH_PAGE_H

extern const char nw_watch_html[];
extern const char nw_watch_js[];
extern const char nw_watch_css[];

#endif
