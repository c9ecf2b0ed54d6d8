/* Quotation extraction and attribution. */
#include "newswire/parse.h"

/* BOOTSTRAP: the quotations work fills this in. */
void
nw_quotes_extract(struct nw_event *ev)
{
	(void)ev;
}
