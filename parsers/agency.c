/* The agency table: the names agencies print in datelines and credits,
 * in Latin and Cyrillic, mapped to the canonical Latin name the event
 * carries ("ТАСС" and "TASS" are both "TASS"). */
#include <string.h>
#include <strings.h>

#include "wire.h"

struct agency {
	const char *printed; /* compared without case for Latin names */
	const char *canon;
};

static const struct agency agencies[] = {
    {"TASS", "TASS"},
    {"ТАСС", "TASS"},
    {"ИТАР-ТАСС", "TASS"},
    {"ITAR-TASS", "TASS"},
    {"Interfax", "Interfax"},
    {"Интерфакс", "Interfax"},
    {"ИНТЕРФАКС", "Interfax"},
    {"INTERFAX.RU", "Interfax"},
    {"RIA Novosti", "RIA Novosti"},
    {"RIA", "RIA Novosti"},
    {"РИА Новости", "RIA Novosti"},
    {"РИА НОВОСТИ", "RIA Novosti"},
    {"РИА", "RIA Novosti"},
    {"Reuters", "Reuters"},
    {"Рейтер", "Reuters"},
    {"AP", "AP"},
    {"Associated Press", "AP"},
    {"AFP", "AFP"},
    {"Agence France-Presse", "AFP"},
    {"Xinhua", "Xinhua"},
    {"Синьхуа", "Xinhua"},
    {"UPI", "UPI"},
    {"Kyodo", "Kyodo"},
    {"Kyodo News", "Kyodo"},
    {"Киодо", "Kyodo"},
    {"ANSA", "ANSA"},
    {"dpa", "dpa"},
    {"ДПА", "dpa"},
};

const char *
nw_agency_canon(const char *s, size_t n)
{
	size_t i, len;

	for (i = 0; i < sizeof agencies / sizeof agencies[0]; i++) {
		len = strlen(agencies[i].printed);
		/* Cyrillic names are matched as printed (agencies print them
		 * in one case); Latin ones without case: "REUTERS", "DPA". */
		if (len == n && strncasecmp(agencies[i].printed, s, n) == 0)
			return agencies[i].canon;
	}
	return NULL;
}
