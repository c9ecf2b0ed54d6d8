/* The normalised event (contract v2): what a parser produces from one
 * dispatch and what every sink serialises. See docs/event.schema.json. */
#ifndef NEWSWIRE_EVENT_H
#define NEWSWIRE_EVENT_H

#include <stddef.h>
#include <stdint.h>

#define NW_SCHEMA "newswired.event/2"

/* A growable vector of owned strings. */
struct nw_strv {
	char **v;
	size_t n;
	size_t cap;
};

enum nw_quote_kind {
	NW_QUOTE_DIRECT,
	NW_QUOTE_PARTIAL,
	NW_QUOTE_INDIRECT,
};

enum nw_speaker_type {
	NW_SPEAKER_PERSON,
	NW_SPEAKER_ORGANISATION,
};

/* The kind of a version of a story. The parser recognises flash, update,
 * correction and kill from the text (markers, a one-line dispatch); the
 * story index (newswire/story.h) turns a dispatch of no recognised kind into
 * "first" or "update" by its place in its story. Declared here, not in
 * story.h, because the event carries the parser's verdict. */
enum nw_story_kind {
	NW_STORY_NONE = 0, /* parser: no marker seen */
	NW_STORY_FLASH,
	NW_STORY_FIRST,
	NW_STORY_UPDATE,
	NW_STORY_CORRECTION,
	NW_STORY_KILL,
};

struct nw_story; /* newswire/story.h */

struct nw_dateline {
	char
	    *text; /* the dateline as printed, e.g. "MOSCOW, June 6. /TASS/." */
	char *city;   /* as printed: "ST. PETERSBURG", "МОСКВА" */
	char *region; /* "Leningrad Region", or NULL */
	int month;    /* 1..12, 0 when the dateline has no date */
	int day;      /* 1..31, 0 when none */
	int year; /* printed or inferred from the reception time; 0 if no date */
	char date[11]; /* ISO "YYYY-MM-DD", or "" when no date */
	char *agency;  /* canonical Latin name: "TASS", "Reuters", ... */
};

struct nw_caption {
	char *text;
	char *credit; /* "Sergei Bobylev/TASS", or NULL */
};

struct nw_speaker {
	char *name; /* full name, or the organisation's name */
	enum nw_speaker_type type;
	char *title;        /* "Russian Deputy Foreign Minister", or NULL */
	char *organisation; /* or NULL */
	size_t quotes;      /* how many quotes are attributed */
};

struct nw_quote {
	char *text; /* exactly the characters between the marks */
	enum nw_quote_kind kind;
	long speaker;     /* index into event->speakers, -1 for none */
	char *cue;        /* reporting verb as written, or NULL */
	size_t paragraph; /* 0-based index into event->body */
	int in_lede;      /* in event->lede instead: paragraph is null */
	size_t start;     /* [start, end) in code points */
	size_t end;
};

struct nw_origin {
	char *type; /* "file", "spool", "feed", "push", "kafka" */
	char *name; /* configured source name, or NULL */
	char *uri;  /* file path, URL, ... or NULL */
};

struct nw_event {
	char id[65];                  /* hex SHA-256 of the normalised text */
	char language[3];             /* "en", "ru" */
	char *agency;                 /* canonical name, or NULL */
	char *headline;               /* or NULL */
	char *lede;                   /* or NULL */
	struct nw_dateline *dateline; /* NULL when there is none */
	struct nw_caption *captions;
	size_t ncaptions;
	struct nw_strv body; /* paragraphs, dateline included */
	struct nw_quote *quotes;
	size_t nquotes;
	struct nw_speaker *speakers;
	size_t nspeakers;
	int64_t received_at_ms;  /* Unix time in milliseconds */
	int64_t published_at_ms; /* 0 when unknown */
	struct nw_origin source;
	struct nw_strv warnings;
	/* Set by the parser: the kind its markers say (NW_STORY_NONE when
	 * none) and the markers taken off the headline, as printed. */
	enum nw_story_kind story_kind;
	struct nw_strv story_markers;
	/* Set by the story stage (owned by the event, freed with it); NULL
	 * when no stage ran. */
	struct nw_story *story;
};

int nw_strv_push(struct nw_strv *, const char *);
int nw_strv_pushn(struct nw_strv *, const char *, size_t);
void nw_strv_clear(struct nw_strv *);

struct nw_event *nw_event_new(void);
void nw_event_free(struct nw_event *);
/* printf-style warning appended to event->warnings. */
void nw_event_warn(struct nw_event *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

/* Serialise as one line of JSON (or indented with pretty). malloc'd. */
char *nw_event_json(const struct nw_event *, int pretty);
const char *nw_quote_kind_name(enum nw_quote_kind);
const char *nw_speaker_type_name(enum nw_speaker_type);

#endif
