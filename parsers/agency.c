/* The agency table: the names agencies print in datelines, credits and
 * sign-offs, in Latin and Cyrillic, mapped to the canonical Latin name the
 * event carries ("ТАСС" and "TASS" are both "TASS"). */
#include <string.h>
#include <strings.h>

#include "wire.h"

struct agency {
	const char *printed; /* compared without case for Latin names */
	size_t len;
	const char *canon;
};

#define AGENCY(printed, canon)                                                 \
	{                                                                      \
		printed, sizeof printed - 1, canon                             \
	}

static const struct agency agencies[] = {
    AGENCY("TASS", "TASS"),
    AGENCY("ТАСС", "TASS"),
    AGENCY("ИТАР-ТАСС", "TASS"),
    AGENCY("ITAR-TASS", "TASS"),
    AGENCY("Interfax", "Interfax"),
    AGENCY("Интерфакс", "Interfax"),
    AGENCY("ИНТЕРФАКС", "Interfax"),
    AGENCY("INTERFAX.RU", "Interfax"),
    AGENCY("RIA Novosti", "RIA Novosti"),
    AGENCY("RIA", "RIA Novosti"),
    AGENCY("РИА Новости", "RIA Novosti"),
    AGENCY("РИА НОВОСТИ", "RIA Novosti"),
    AGENCY("РИА", "RIA Novosti"),
    AGENCY("PRIME", "PRIME"),
    AGENCY("ПРАЙМ", "PRIME"),
    AGENCY("Sputnik", "Sputnik"),
    AGENCY("Спутник", "Sputnik"),
    AGENCY("Reuters", "Reuters"),
    AGENCY("Reuter", "Reuters"), /* its sign-off and older datelines */
    AGENCY("Рейтер", "Reuters"),
    AGENCY("AP", "AP"),
    AGENCY("Associated Press", "AP"),
    AGENCY("AFP", "AFP"),
    AGENCY("Agence France-Presse", "AFP"),
    AGENCY("Xinhua", "Xinhua"),
    AGENCY("Синьхуа", "Xinhua"),
    AGENCY("UPI", "UPI"),
    AGENCY("Kyodo", "Kyodo"),
    AGENCY("Kyodo News", "Kyodo"),
    AGENCY("Киодо", "Kyodo"),
    AGENCY("ANSA", "ANSA"),
    AGENCY("dpa", "dpa"),
    AGENCY("ДПА", "dpa"),
    AGENCY("BelTA", "BelTA"),
    AGENCY("БЕЛТА", "BelTA"),
    AGENCY("БелТА", "BelTA"),
    AGENCY("Kazinform", "Kazinform"),
    AGENCY("Kazinform News Agency", "Kazinform"),
    AGENCY("Казинформ", "Kazinform"),
    AGENCY("КАЗИНФОРМ", "Kazinform"),
    AGENCY("AZERTAC", "AZERTAC"),
    AGENCY("АЗЕРТАДЖ", "AZERTAC"),
    AGENCY("Trend", "Trend"),
    AGENCY("Тренд", "Trend"),
    AGENCY("APA", "APA"),
    AGENCY("Anadolu", "Anadolu"),
    AGENCY("Anadolu Agency", "Anadolu"),
    AGENCY("AA", "Anadolu"), /* "ANKARA (AA) -" */
    AGENCY("Yonhap", "Yonhap"),
    AGENCY("IRNA", "IRNA"),
    AGENCY("Bernama", "Bernama"),
    AGENCY("Ukrinform", "Ukrinform"),
    AGENCY("Укринформ", "Ukrinform"),
    AGENCY("Укрінформ", "Ukrinform"),
    AGENCY("UNIAN", "UNIAN"),
    AGENCY("УНИАН", "UNIAN"),
    AGENCY("УНІАН", "UNIAN"),
    AGENCY("Interfax-Ukraine", "Interfax-Ukraine"),
    AGENCY("Интерфакс-Украина", "Interfax-Ukraine"),
    AGENCY("Regnum", "Regnum"),
    AGENCY("Регнум", "Regnum"),
    AGENCY("ИА Регнум", "Regnum"),
    AGENCY("ИА REGNUM", "Regnum"),
    AGENCY("EFE", "EFE"),
    AGENCY("PTI", "PTI"),
    AGENCY("KUNA", "KUNA"),
    AGENCY("WAM", "WAM"),
    AGENCY("SANA", "SANA"),
    AGENCY("Jiji", "Jiji"),
    AGENCY("Jiji Press", "Jiji"),
};

const char *
nw_agency_canon(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof agencies / sizeof agencies[0]; i++)
		/* Cyrillic names are matched as printed (agencies print them
		 * in one case); Latin ones without case: "REUTERS", "DPA". */
		if (agencies[i].len == n &&
		    strncasecmp(agencies[i].printed, s, n) == 0)
			return agencies[i].canon;
	return NULL;
}

/* "Reuter", "REUTER.": a line that is nothing but an agency's name. */
static const char *
signoff_line(const struct nw_line *l)
{
	size_t n = l->n;

	if (n > 0 && l->p[n - 1] == '.')
		n--;
	return nw_agency_canon(l->p, n);
}

/* "By Peter Smith, Reuters": the agency after the byline's last comma. */
static const char *
byline_line(const struct nw_line *l)
{
	const char *comma;
	size_t n = l->n;

	if (n < 4 || strncasecmp(l->p, "by ", 3) != 0)
		return NULL;
	if ((comma = memrchr(l->p, ',', n)) == NULL ||
	    (size_t)(comma - l->p) + 2 >= n || comma[1] != ' ')
		return NULL;
	return nw_agency_canon(comma + 2, n - (size_t)(comma - l->p) - 2);
}

const char *
nw_agency_signoff(const struct nw_line *lines, size_t nlines, size_t dl)
{
	const char *canon;
	size_t i;

	if (nlines > 0 && nlines - 1 > dl &&
	    (canon = signoff_line(&lines[nlines - 1])) != NULL)
		return canon;
	for (i = 0; i < dl && i < nlines; i++)
		if ((canon = byline_line(&lines[i])) != NULL)
			return canon;
	return NULL;
}
