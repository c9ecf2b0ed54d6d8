/* `newswired check-config --describe`: every section's keys, read from the
 * same key tables that drive the loader, so the text cannot drift from what
 * is accepted. */
#include <stdio.h>

#include "conf.h"

void
nw_conf_describe(FILE *f)
{
	const struct nw_source_ops *const *so;
	const struct nw_sink_ops *const *si;

	fprintf(f, "[daemon]\n");
	nw_keys_describe(f, nw_daemon_keys);
	for (so = nw_source_types; *so != NULL; so++) {
		fprintf(f, "\n[source NAME]  type = %s\n", (*so)->type);
		nw_keys_describe(f, nw_source_common_keys + 1);
		nw_keys_describe(f, (*so)->keys);
	}
	for (si = nw_sink_types; *si != NULL; si++) {
		fprintf(f, "\n[sink NAME]  type = %s\n", (*si)->type);
		nw_keys_describe(f, (*si)->keys);
		if ((*si)->extra_key != NULL)
			fprintf(f, "  (and the type's pass-through keys)\n");
	}
}
