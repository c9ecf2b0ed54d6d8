/* IPTC ninjs 2.1 rendering of the normalised event: what a sink writes when
 * it is configured with `format = ninjs`. Schemas: docs/ninjs/.
 *
 * How a sink uses it: with `format = ninjs`, render each event with
 *	char *s = nw_event_ninjs(msg->event, 0);
 * instead of using msg->json (which is always the newswired.event/2 JSON),
 * deliver s (one line, no newline inside, add your own "\n" for JSON Lines),
 * then free(s). NULL means out of memory: treat it like any other
 * serialisation failure (NW_DELIVER_ERROR; the dispatch stays at its source).
 * Dead letters (msg->event == NULL) have no event: keep writing them as the
 * sink does today, ninjs applies to events only. For Kafka, keep the event
 * id as the message key so both formats partition alike. */
#ifndef NEWSWIRE_NINJS_H
#define NEWSWIRE_NINJS_H

#include "newswire/event.h"

/* ninjs "uri" of an event: this prefix followed by the event id. */
#define NW_NINJS_URI_PREFIX "urn:newswired:event:"
/* ninjs "uri" of an event that the story stage put in a story: this prefix
 * followed by the story key, the same for every version ("version" tells
 * them apart; the event id stays in "altids"). */
#define NW_NINJS_STORY_URI_PREFIX "urn:newswired:story:"
/* The provider extension property holding the quotations. IPTC's schema
 * forbids unknown properties; docs/ninjs/ninjs-schema_2.1-newswired.json is
 * IPTC's schema plus only this property. */
#define NW_NINJS_QUOTES_PROPERTY "newswired_quotes"
/* $id of that extended schema, also given in each document's
 * "standard.schema". */
#define NW_NINJS_SCHEMA_ID "urn:newswired:schema:ninjs-2.1-newswired"

/* Render one event as a ninjs 2.1 document: one line of JSON, or indented
 * with pretty. malloc'd; NULL when out of memory (or for text that is not
 * UTF-8, which nw_parse never produces). Pure: no I/O, no global state. */
char *nw_event_ninjs(const struct nw_event *, int pretty);

#endif
