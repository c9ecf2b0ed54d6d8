/* Logging for people tailing a journal: one line per event, key=value pairs.
 * Under systemd (JOURNAL_STREAM set) each line carries its <N> priority. */
#ifndef NEWSWIRE_LOG_H
#define NEWSWIRE_LOG_H

#include <stdarg.h>

enum nw_log_level { NW_LOG_ERROR, NW_LOG_WARNING, NW_LOG_INFO, NW_LOG_DEBUG };
enum nw_log_format { NW_LOG_TEXT, NW_LOG_JSON };

void log_init(enum nw_log_level, enum nw_log_format);
void log_set_level(enum nw_log_level);
int log_level_parse(const char *, enum nw_log_level *);
/* log_warn appends strerror(errno); log_warnx does not. */
void log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
/* For start-up failures and out-of-memory only. */
void fatal(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));
void fatalx(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
