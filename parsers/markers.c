/* Version markers of wire copy (МОЛНИЯ, URGENT, UPDATE 1-, CORRECTED-,
 * ОТМЕНА, ...): recognising them on a dispatch's first lines, taking them
 * off the headline and recording them with the kind they say. */
#include <stdlib.h>
#include <string.h>

#include "newswire/story.h"
#include "wire.h"

static const char *const kind_names[] = {
    [NW_STORY_NONE] = "none",
    [NW_STORY_FLASH] = "flash",
    [NW_STORY_FIRST] = "first",
    [NW_STORY_UPDATE] = "update",
    [NW_STORY_CORRECTION] = "correction",
    [NW_STORY_KILL] = "kill",
};

const char *
nw_story_kind_name(enum nw_story_kind k)
{
	return (size_t)k < sizeof kind_names / sizeof kind_names[0]
	    ? kind_names[k]
	    : "none";
}

int
nw_story_kind_from_name(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof kind_names / sizeof kind_names[0]; i++)
		if (strcmp(kind_names[i], s) == 0)
			return (int)i;
	return -1;
}
