/* Datelines: "MOSCOW, June 6. /TASS/.", "МОСКВА, 6 июня. /ТАСС/.",
 * "WASHINGTON, May 5 (Reuters) -", "KYIV, Ukraine (AP) —", "МОСКВА, 1 мар -
 * РИА Новости.", "(ANSA) - Rome, August 7 -" and their relatives: a small
 * scanner over the start of a paragraph that reads them as parts (place,
 * region, date, the agency's tag), and the year the date falls in. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wire.h"

struct month_name {
	const char *name; /* lower case */
	size_t len;
	int month;
};

#define MONTH(name, month)                                                     \
	{                                                                      \
		name, sizeof name - 1, month                                   \
	}

static const struct month_name months[] = {
    MONTH("january", 1),
    MONTH("jan", 1),
    MONTH("february", 2),
    MONTH("feb", 2),
    MONTH("march", 3),
    MONTH("mar", 3),
    MONTH("april", 4),
    MONTH("apr", 4),
    MONTH("may", 5),
    MONTH("june", 6),
    MONTH("jun", 6),
    MONTH("july", 7),
    MONTH("jul", 7),
    MONTH("august", 8),
    MONTH("aug", 8),
    MONTH("september", 9),
    MONTH("sep", 9),
    MONTH("sept", 9),
    MONTH("october", 10),
    MONTH("oct", 10),
    MONTH("november", 11),
    MONTH("nov", 11),
    MONTH("december", 12),
    MONTH("dec", 12),
    /* Russian: genitive (as dates are printed), nominative, short. */
    MONTH("января", 1),
    MONTH("январь", 1),
    MONTH("янв", 1),
    MONTH("февраля", 2),
    MONTH("февраль", 2),
    MONTH("фев", 2),
    MONTH("февр", 2),
    MONTH("марта", 3),
    MONTH("март", 3),
    MONTH("мар", 3),
    MONTH("апреля", 4),
    MONTH("апрель", 4),
    MONTH("апр", 4),
    MONTH("мая", 5),
    MONTH("май", 5),
    MONTH("июня", 6),
    MONTH("июнь", 6),
    MONTH("июн", 6),
    MONTH("июля", 7),
    MONTH("июль", 7),
    MONTH("июл", 7),
    MONTH("августа", 8),
    MONTH("август", 8),
    MONTH("авг", 8),
    MONTH("сентября", 9),
    MONTH("сентябрь", 9),
    MONTH("сен", 9),
    MONTH("сент", 9),
    MONTH("октября", 10),
    MONTH("октябрь", 10),
    MONTH("окт", 10),
    MONTH("ноября", 11),
    MONTH("ноябрь", 11),
    MONTH("ноя", 11),
    MONTH("нояб", 11),
    MONTH("декабря", 12),
    MONTH("декабрь", 12),
    MONTH("дек", 12),
};

size_t
nw_fold_lower(const char *s, size_t n, char *out, size_t cap)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, o = 0, k;
	uint32_t c;

	while (i < n) {
		if (u[i] < 0x80) { /* ASCII without decoding */
			if (o + 4 >= cap)
				return 0;
			out[o++] = (char)(u[i] >= 'A' && u[i] <= 'Z' ? u[i] + 32
								     : u[i]);
			i++;
			continue;
		}
		if ((k = nw_utf8_decode(u + i, n - i, &c)) == 0)
			return 0;
		i += k;
		if (c >= 'A' && c <= 'Z')
			c += 32;
		else if (c >= 0x410 && c <= 0x42F)
			c += 0x20;
		else if (c == 0x401)
			c = 0x451;
		if (o + 4 >= cap)
			return 0;
		o += nw_utf8_encode(c, out + o);
	}
	out[o] = '\0';
	return o;
}

int
nw_month_lookup(const char *s, size_t n)
{
	char buf[48];
	size_t i, len;

	if (n > 0 && s[n - 1] == '.')
		n--;
	/* most words asked about are no month: the longest name is
	 * "сентября", 16 bytes; the shortest "may"; a Latin one starts with
	 * one of a few letters */
	if (n < 3 || n > 16 ||
	    ((unsigned char)s[0] < 0x80 &&
		strchr("adfjmnosADFJMNOS", s[0]) == NULL) ||
	    (len = nw_fold_lower(s, n, buf, sizeof buf)) == 0)
		return 0;
	for (i = 0; i < sizeof months / sizeof months[0]; i++)
		if (months[i].len == len &&
		    memcmp(months[i].name, buf, len) == 0)
			return months[i].month;
	return 0;
}

static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(int y, int m)
{
	static const int d[12] = {
	    31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return m == 2 && is_leap(y) ? 29 : d[m - 1];
}

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static int64_t
days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int
nw_infer_year(int month, int day, int64_t ref_ms)
{
	time_t t = (time_t)(ref_ms / 1000);
	int64_t ref_day;
	struct tm tm;
	int y;

	if (month < 1 || month > 12 || day < 1)
		return 0;
	gmtime_r(&t, &tm);
	ref_day = days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	/* The latest year that doesn't put the date more than two days after
	 * the reference: a December dateline received in January is last
	 * year's; a dispatch is not dated far in the future. */
	for (y = tm.tm_year + 1901; y >= tm.tm_year + 1899; y--) {
		if (day > month_days(y, month))
			continue;
		if (days_from_civil(y, month, day) <= ref_day + 2)
			return y;
	}
	return 0;
}

/* Scanner state over one paragraph. */
struct scan {
	const char *s;
	size_t n;
};

static uint32_t
cp_at(const struct scan *sc, size_t i, size_t *len)
{
	uint32_t c = 0;
	size_t k;

	if (i >= sc->n) {
		*len = 0;
		return 0;
	}
	/* ASCII without the call: the scanner reads every line's start */
	if ((unsigned char)sc->s[i] < 0x80) {
		*len = 1;
		return (unsigned char)sc->s[i];
	}
	k = nw_utf8_decode((const unsigned char *)sc->s + i, sc->n - i, &c);
	*len = k ? k : 1;
	return c;
}

static int
is_letter(uint32_t c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) ||
	    (c >= 0x386 && c <= 0x52F);
}

static int
is_upper(uint32_t c)
{
	return (c >= 'A' && c <= 'Z') ||
	    (c >= 0xC0 && c <= 0xDE && c != 0xD7) || (c >= 0x400 && c <= 0x42F);
}

/* A word: letters, with inner hyphens and apostrophes. Returns its byte
 * length (0 when no word starts at i); *upper: first letter upper case. */
static size_t
word_at(const struct scan *sc, size_t i, int *upper)
{
	size_t j = i, k;
	uint32_t c;

	c = cp_at(sc, j, &k);
	if (!is_letter(c))
		return 0;
	*upper = is_upper(c);
	for (;;) {
		j += k;
		c = cp_at(sc, j, &k);
		if (is_letter(c))
			continue;
		if (c == '-' || c == '\'' || c == 0x2019) {
			size_t k2;

			if (is_letter(cp_at(sc, j + k, &k2)))
				continue;
		}
		return j - i;
	}
}

static int
is_dash(uint32_t c)
{
	/* '_' is the dash of AP's older copy: "NEW YORK (AP) _ Stocks" */
	return c == '-' || c == 0x2014 || c == 0x2013 || c == 0x2212 ||
	    c == 0x2012 || c == '_';
}

/* A dash as agencies print it: "-", "--", "—", "–", "−", "_", or a run of
 * up to three of them ("——"). Returns its byte length, 0 when none. */
static size_t
dash_at(const struct scan *sc, size_t i)
{
	size_t j = i, k;
	int nd = 0;

	while (nd < 3 && is_dash(cp_at(sc, j, &k))) {
		j += k;
		nd++;
	}
	return j - i;
}

static size_t
skip_spaces(const struct scan *sc, size_t i)
{
	while (i < sc->n && sc->s[i] == ' ')
		i++;
	return i;
}

/* The city: one to six words, ALL CAPS or Title Case, with abbreviations
 * ("ST. PETERSBURG") and short lower-case links ("Rostov-on-Don" is one
 * word; "Rio de Janeiro"). Returns the end offset, 0 when none. */
static size_t
city_at(const struct scan *sc, size_t i)
{
	size_t end = 0, w, nw = 0, j = i, w2;
	int up, up2;

	while (nw < 6 && (w = word_at(sc, j, &up)) > 0) {
		if (!up) {
			/* a lower-case link must sit between two names */
			if (nw == 0 || w > 3 || j + w >= sc->n ||
			    sc->s[j + w] != ' ' ||
			    word_at(sc, j + w + 1, &up2) == 0 || !up2)
				break;
		}
		j += w;
		nw++;
		end = j;
		if (j + 1 < sc->n && sc->s[j] == '.' && sc->s[j + 1] == ' ' &&
		    w <= 3 && (w2 = word_at(sc, j + 2, &up2)) > 0 && up2 &&
		    nw_month_lookup(sc->s + j + 2, w2) == 0) {
			j += 2; /* "ST. PETERSBURG" */
			continue;
		}
		if (j + 1 < sc->n && sc->s[j] == ' ' &&
		    (w2 = word_at(sc, j + 1, &up2)) > 0) {
			/* the next word continues the city unless it is a
			 * month ("Paris May 5" is not printed, but be sure) */
			if (nw_month_lookup(sc->s + j + 1, w2) != 0)
				break;
			j++;
			continue;
		}
		break;
	}
	if (end == i || end - i > 64)
		return 0;
	return end;
}

/* "Month D" or "D month", with an optional year. Returns the end offset
 * or 0; fills month, day and year (0 if not printed). */
static size_t
date_at(const struct scan *sc, size_t i, int *month, int *day, int *year)
{
	size_t j = i, w;
	int up, d = 0, nd = 0, y = 0;

	*year = 0;
	if ((w = word_at(sc, j, &up)) > 0) {
		if (j + w < sc->n && sc->s[j + w] == '.')
			w++;
		if ((*month = nw_month_lookup(sc->s + j, w)) == 0)
			return 0;
		j = skip_spaces(sc, j + w);
		while (
		    j < sc->n && sc->s[j] >= '0' && sc->s[j] <= '9' && nd < 3)
			d = d * 10 + sc->s[j++] - '0', nd++;
		if (nd == 0 || nd > 2 || d < 1 || d > 31)
			return 0;
		/* ", 2025" or " 2025" */
		if (j + 5 < sc->n + 1) {
			size_t k = j;

			if (k < sc->n && sc->s[k] == ',')
				k++;
			k = skip_spaces(sc, k);
			if (k > j && k + 4 <= sc->n) {
				int yy = 0, m;

				for (m = 0;
				     m < 4 && sc->s[k + (size_t)m] >= '0' &&
				     sc->s[k + (size_t)m] <= '9';
				     m++)
					yy = yy * 10 + sc->s[k + (size_t)m] -
					    '0';
				if (m == 4 && yy >= 1900 &&
				    (k + 4 == sc->n ||
					!(sc->s[k + 4] >= '0' &&
					    sc->s[k + 4] <= '9')))
					y = yy, j = k + 4;
			}
		}
	} else {
		while (
		    j < sc->n && sc->s[j] >= '0' && sc->s[j] <= '9' && nd < 3)
			d = d * 10 + sc->s[j++] - '0', nd++;
		if (nd == 0 || nd > 2 || d < 1 || d > 31 || j >= sc->n ||
		    sc->s[j] != ' ')
			return 0;
		j++;
		if ((w = word_at(sc, j, &up)) == 0)
			return 0;
		if (j + w < sc->n && sc->s[j + w] == '.')
			w++;
		if ((*month = nw_month_lookup(sc->s + j, w)) == 0)
			return 0;
		j += w;
		/* " 2025" or " 2025 г." */
		if (j + 5 <= sc->n && sc->s[j] == ' ') {
			int yy = 0, m;

			for (m = 0; m < 4 && sc->s[j + 1 + (size_t)m] >= '0' &&
			     sc->s[j + 1 + (size_t)m] <= '9';
			     m++)
				yy = yy * 10 + sc->s[j + 1 + (size_t)m] - '0';
			if (m == 4 && yy >= 1900) {
				y = yy;
				j += 5;
				if (j + 4 <= sc->n &&
				    memcmp(sc->s + j, " г.", 4) == 0)
					j += 4;
				else if (j + 9 <= sc->n &&
				    memcmp(sc->s + j, " года", 9) == 0)
					j += 9;
			}
		}
	}
	*day = d;
	*year = y;
	return j;
}

/* "(Agency)" at i: returns the end offset and the canonical name. An
 * agency not in the table is accepted only when allow_unknown is set. */
static size_t
paren_agency_at(const struct scan *sc, size_t i, const char **canon,
    size_t *name_off, size_t *name_len)
{
	const char *close;
	size_t len;

	if (i >= sc->n || sc->s[i] != '(')
		return 0;
	close = memchr(sc->s + i + 1, ')', sc->n - i - 1);
	if (close == NULL || (len = (size_t)(close - sc->s) - i - 1) == 0 ||
	    len > 40)
		return 0;
	*canon = nw_agency_canon(sc->s + i + 1, len);
	*name_off = i + 1;
	*name_len = len;
	return i + len + 2;
}

/* " - " style dash with spaces around it, at i; returns end or 0. */
static size_t
spaced_dash_at(const struct scan *sc, size_t i)
{
	size_t j = skip_spaces(sc, i), k;

	if ((k = dash_at(sc, j)) == 0)
		return 0;
	return j + k;
}

/* A known agency name of one to three words at i ("РИА Новости"). */
static size_t
agency_words_at(const struct scan *sc, size_t i, const char **canon)
{
	size_t ends[3], j = i, w;
	int up, nw = 0;

	while (nw < 3 && (w = word_at(sc, j, &up)) > 0) {
		ends[nw++] = j + w;
		j += w;
		if (j < sc->n && sc->s[j] == ' ')
			j++;
		else
			break;
	}
	while (nw-- > 0)
		if ((*canon = nw_agency_canon(sc->s + i, ends[nw] - i)) != NULL)
			return ends[nw];
	return 0;
}

/* The agency between slashes: "/TASS/", "/ТАСС/", or a correspondent's
 * byline "/TASS correspondent Ivan Petrov/", "/Корр. ТАСС Иван Петров/". */
static const char *
slashed_agency(const char *s, size_t n)
{
	const char *canon;
	size_t i = 0, j, w;

	if ((canon = nw_agency_canon(s, n)) != NULL)
		return canon;
	while (i < n) {
		for (j = i; j < n && s[j] != ' '; j++)
			;
		w = j - i;
		while (w > 0 && (s[i + w - 1] == '.' || s[i + w - 1] == ','))
			w--;
		if (w > 0 && (canon = nw_agency_canon(s + i, w)) != NULL)
			return canon;
		i = j + 1;
	}
	return NULL;
}

static char *
dup_span(const char *s, size_t n)
{
	return strndup(s, n);
}

/* After the dateline: end of paragraph or a space, or the text itself
 * after a dash glued to it ("(Xinhua)--A Chinese envoy", "-— The"); a
 * lone hyphen between two words is a word's ("(AP)-style"). */
static int
ends_cleanly(const struct scan *sc, size_t i)
{
	const unsigned char *u = (const unsigned char *)sc->s;

	if (i == sc->n || sc->s[i] == ' ')
		return 1;
	if (i >= 2 && u[i - 1] == '-')
		return u[i - 2] == '-' || u[i - 2] == ' ';
	return i >= 3 && u[i - 3] == 0xE2 && u[i - 2] == 0x80 &&
	    (u[i - 1] == 0x93 || u[i - 1] == 0x94);
}

/* What the scanner found, as offsets into the paragraph. */
struct found {
	size_t end; /* end of the dateline as printed */
	size_t city_s, city_e, reg_s, reg_e;
	const char *canon; /* canonical agency, or NULL: name as printed */
	size_t name_off, name_len; /* both 0: the dateline names no agency */
	int month, day, year, dated;
};

/* "(ANSA) - Rome, August 7 -": the agency first. */
static int
agency_first(const struct scan *sc, struct found *f)
{
	size_t i, k;

	if ((i = paren_agency_at(
		 sc, 0, &f->canon, &f->name_off, &f->name_len)) == 0 ||
	    f->canon == NULL || (i = spaced_dash_at(sc, i)) == 0)
		return 0;
	f->city_s = skip_spaces(sc, i);
	if ((f->city_e = city_at(sc, f->city_s)) == 0)
		return 0;
	i = f->city_e;
	if (i + 1 < sc->n && sc->s[i] == ',' && sc->s[i + 1] == ' ' &&
	    (k = date_at(sc, i + 2, &f->month, &f->day, &f->year)) > 0) {
		f->dated = 1;
		i = k;
	}
	if ((i = spaced_dash_at(sc, i)) == 0 || !ends_cleanly(sc, i))
		return 0;
	f->end = i;
	return 1;
}

/* Whether every letter of s[a..b) is a capital: "TOKYO", "ПРАЙМ". */
static int
all_caps(const struct scan *sc, size_t a, size_t b)
{
	size_t k, nl = 0;
	uint32_t c;

	for (; a < b; a += k) {
		c = cp_at(sc, a, &k);
		if (is_letter(c)) {
			if (!is_upper(c))
				return 0;
			nl++;
		}
	}
	return nl >= 2;
}

/* ", Игорь Наймушин", ", A. Akhundov": a correspondent named after the
 * agency, one to four capitalised words or initials. Returns the end of
 * the name, 0 when there is none. */
static size_t
byline_at(const struct scan *sc, size_t i)
{
	size_t j, w, end = 0;
	int up, nw = 0;

	if (i + 1 >= sc->n || sc->s[i] != ',' || sc->s[i + 1] != ' ')
		return 0;
	j = i + 2;
	while (nw < 4 && (w = word_at(sc, j, &up)) > 0 && up) {
		j += w;
		nw++;
		end = j;
		if (j < sc->n && sc->s[j] == '.' &&
		    nw_utf8_count(sc->s + j - w, w) == 1) {
			/* an initial: "A. Akhundov", "И.Петров" */
			j = skip_spaces(sc, j + 1);
			continue;
		}
		if (j + 1 < sc->n && sc->s[j] == ' ') {
			j++;
			continue;
		}
		break;
	}
	return end;
}

/* The tag that follows the date and names the agency. Each form is one
 * scanner from just after the date; it returns the end of the dateline
 * (0 when it doesn't match) and fills the agency in *f. Spacing varies
 * between agencies and years, so each form allows what they print. */
typedef size_t tag_scan(const struct scan *, size_t, struct found *);

/* ". /TASS/.", "./TASS/.", " /ИТАР-ТАСС/.", " / Trend , A. Akhundov/",
 * " /Синьхуа/ --" */
static size_t
tag_slashed(const struct scan *sc, size_t i, struct found *f)
{
	const char *s = sc->s, *close;
	size_t n = sc->n, j = i, a, b, e;

	if (j < n && s[j] == '.')
		j++;
	j = skip_spaces(sc, j);
	if (j + 1 >= n || s[j] != '/')
		return 0;
	if ((close = memchr(s + j + 1, '/', n - j - 1 < 80 ? n - j - 1 : 80)) ==
	    NULL)
		return 0;
	a = skip_spaces(sc, j + 1);
	b = (size_t)(close - s);
	while (b > a && s[b - 1] == ' ')
		b--;
	if (b == a || (f->canon = slashed_agency(s + a, b - a)) == NULL)
		return 0;
	e = (size_t)(close - s) + 1;
	if (e < n && (s[e] == '.' || s[e] == ':'))
		e++; /* "/TASS/." and, in some reprints, "/TASS/:" */
	/* Xinhua's Russian copy: "Пекин, 3 декабря /Синьхуа/ --" */
	if ((j = spaced_dash_at(sc, e)) > 0 && ends_cleanly(sc, j))
		e = j;
	return e;
}

/* What ends a bracketed agency at j: a dash (" (Reuters) -"), EFE's
 * ".-", or, for an agency in the table, the end of the paragraph (a
 * dateline printed as a line of its own). Returns the end or 0. */
static size_t
paren_tail(const struct scan *sc, size_t j, const char *canon)
{
	size_t k;

	if ((k = spaced_dash_at(sc, j)) > 0)
		return k;
	if (j + 1 < sc->n && sc->s[j] == '.' && sc->s[j + 1] == '-')
		return j + 2;
	return j == sc->n && canon != NULL ? j : 0;
}

/* " (Reuters) -", " (Itar-Tass) ——"; an agency missing from the table
 * ("(Bloomberg)") is kept as printed. */
static size_t
tag_paren(const struct scan *sc, size_t i, struct found *f)
{
	size_t j;

	if ((j = paren_agency_at(sc, skip_spaces(sc, i), &f->canon,
		 &f->name_off, &f->name_len)) == 0)
		return 0;
	return paren_tail(sc, j, f->canon);
}

/* ". INTERFAX.RU -", ". ИНТЕРФАКС -", ". KAZINFORM -": a dot, then the
 * agency as one token. */
static size_t
tag_dotted(const struct scan *sc, size_t i, struct found *f)
{
	const char *s = sc->s;
	size_t n = sc->n, k, e, d;

	k = i < n && s[i] == '.' ? i + 1 : i;
	if (k + 1 >= n || s[k] != ' ' || s[k - 1] != '.')
		return 0;
	for (e = k + 1; e < n && s[e] != ' '; e++)
		;
	if ((f->canon = nw_agency_canon(s + k + 1, e - k - 1)) == NULL)
		return 0;
	if ((d = spaced_dash_at(sc, e)) > 0)
		return d;
	/* "ASTANA. December 3. KAZINFORM The government": no dash after a
	 * name in capitals, and a sentence starting after it (not a word in
	 * lower case: "MOSCOW. TASS said") */
	if (all_caps(sc, k + 1, e) && e + 1 < n && s[e] == ' ') {
		uint32_t c = cp_at(sc, e + 1, &d);

		if (!is_letter(c) || is_upper(c))
			return e;
	}
	return 0;
}

/* " - РИА Новости.", " – РИА Новости, Игорь Наймушин.", " - ПРАЙМ.": a
 * dash, then the agency and a dot; one missing from the table is taken
 * only in capitals. */
static size_t
tag_dashed(const struct scan *sc, size_t i, struct found *f)
{
	const char *s = sc->s;
	size_t n = sc->n, j, k, b;
	int up, known = 1;

	if ((j = spaced_dash_at(sc, i)) == 0 || j >= n || s[j] != ' ')
		return 0;
	j++;
	if ((k = agency_words_at(sc, j, &f->canon)) == 0) {
		k = j + word_at(sc, j, &up);
		if (k == j || !all_caps(sc, j, k) || k >= n ||
		    (s[k] != '.' && s[k] != ','))
			return 0;
		f->name_off = j;
		f->name_len = k - j;
		known = 0;
	}
	if ((b = byline_at(sc, k)) > 0)
		k = b;
	/* the dot (or the paragraph's end) is what tells "- Prime." from
	 * "- Prime Minister Ivanov said" */
	if (k < n && s[k] == '.')
		k++;
	else if (!known || k < n)
		return 0;
	return k;
}

/* "TOKYO, March 2 -": a dash and no agency (Reuters' old copy, which
 * signs off with its name instead). Only a place in capitals will do, as
 * the convention is what tells this from a sentence. */
static size_t
tag_bare_dash(const struct scan *sc, size_t i, struct found *f)
{
	if (!all_caps(sc, f->city_s, f->city_e))
		return 0;
	f->canon = NULL;
	f->name_off = f->name_len = 0;
	return spaced_dash_at(sc, i);
}

/* After the date, an agency in capitals after a comma, ending the
 * paragraph or followed by the text: "Baku, December 3, AZERTAC". */
static size_t
tag_comma(const struct scan *sc, size_t i, struct found *f)
{
	size_t k;

	if (i + 1 >= sc->n || sc->s[i] != ',' || sc->s[i + 1] != ' ' ||
	    (k = agency_words_at(sc, i + 2, &f->canon)) == 0 ||
	    !all_caps(sc, i + 2, k))
		return 0;
	return k;
}

/* Tried in order: the first that matches and ends cleanly wins. */
static tag_scan *const tag_forms[] = {
    tag_slashed,
    tag_paren,
    tag_dotted,
    tag_dashed,
    tag_comma,
    tag_bare_dash,
};

/* What follows the date; i is just after the date. */
static int
after_date(const struct scan *sc, size_t i, struct found *f)
{
	struct found t;
	size_t k, e;

	for (k = 0; k < sizeof tag_forms / sizeof tag_forms[0]; k++) {
		t = *f;
		if ((e = tag_forms[k](sc, i, &t)) > 0 && ends_cleanly(sc, e)) {
			*f = t;
			f->end = e;
			return 1;
		}
	}
	return 0;
}

/* The weekday some agencies put before the date ("LONDON, Tuesday, March
 * 4"): lower case, without a trailing dot. */
static const char *const weekdays[] = {"monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", "mon", "tue", "tues", "wed",
    "thu", "thur", "thurs", "fri", "sat", "sun"};

/* A weekday at i and what follows it (", " or " "); returns the offset
 * after it, 0 when none. */
static size_t
weekday_at(const struct scan *sc, size_t i)
{
	char buf[16];
	size_t w, k;
	int up;

	/* every weekday starts with one of five letters */
	if (i >= sc->n || strchr("MTWFS", sc->s[i]) == NULL ||
	    (w = word_at(sc, i, &up)) < 3 || w > 9)
		return 0;
	for (k = 0; k < w; k++) {
		unsigned char c = (unsigned char)sc->s[i + k];

		if (c >= 0x80)
			return 0;
		buf[k] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	buf[w] = '\0';
	for (k = 0; k < sizeof weekdays / sizeof weekdays[0]; k++)
		if (strcmp(buf, weekdays[k]) == 0)
			break;
	if (k == sizeof weekdays / sizeof weekdays[0])
		return 0;
	i += w;
	if (i < sc->n && sc->s[i] == '.')
		i++;
	if (i < sc->n && sc->s[i] == ',')
		i++;
	return i < sc->n && sc->s[i] == ' ' ? i + 1 : 0;
}

/* ", 10:15" after the date (Regnum prints the time of filing). */
static size_t
time_after(const struct scan *sc, size_t i)
{
	const char *s = sc->s;
	size_t j = i, nd = 0;

	if (j + 2 >= sc->n || s[j] != ',' || s[j + 1] != ' ')
		return i;
	for (j += 2; j < sc->n && s[j] >= '0' && s[j] <= '9' && nd < 3; j++)
		nd++;
	if (nd < 1 || nd > 2 || j + 3 > sc->n || s[j] != ':' ||
	    !(s[j + 1] >= '0' && s[j + 1] <= '9') ||
	    !(s[j + 2] >= '0' && s[j + 2] <= '9'))
		return i;
	return j + 3;
}

/* The date part of a dateline: an optional weekday, the date in one of
 * its forms (date_at), an optional time. Returns the end or 0. */
static size_t
when_at(const struct scan *sc, size_t i, struct found *f)
{
	size_t k, wd;

	/* the date itself first: a weekday is rare */
	if ((k = date_at(sc, i, &f->month, &f->day, &f->year)) == 0 &&
	    ((wd = weekday_at(sc, i)) == 0 ||
		(k = date_at(sc, wd, &f->month, &f->day, &f->year)) == 0))
		return 0;
	f->dated = 1;
	return time_after(sc, k);
}

/* Countries that datelines print next to a city, to tell "Baku,
 * Azerbaijan, Nov. 26" (the city first) from Trend's "Azerbaijan, Baku,
 * September 20" (the country first) when both are in Title Case. */
static const char *const countries[] = {"Afghanistan", "Armenia", "Austria",
    "Azerbaijan", "Bangladesh", "Belarus", "Belgium", "Brazil", "Bulgaria",
    "Canada", "China", "Cyprus", "Egypt", "Estonia", "Finland", "France",
    "Georgia", "Germany", "Greece", "Hungary", "India", "Indonesia", "Iran",
    "Iraq", "Israel", "Italy", "Japan", "Jordan", "Kazakhstan", "Kyrgyzstan",
    "Latvia", "Lebanon", "Libya", "Lithuania", "Moldova", "Mongolia",
    "Netherlands", "Norway", "Pakistan", "Poland", "Qatar", "Romania", "Russia",
    "Serbia", "Spain", "Sweden", "Switzerland", "Syria", "Tajikistan", "Turkey",
    "Türkiye", "Turkmenistan", "UAE", "UK", "US", "USA", "Ukraine",
    "Uzbekistan", "Vietnam", "Yemen"};

static int
is_country(const struct scan *sc, size_t a, size_t b)
{
	size_t k;

	for (k = 0; k < sizeof countries / sizeof countries[0]; k++)
		if (strlen(countries[k]) == b - a &&
		    memcmp(countries[k], sc->s + a, b - a) == 0)
			return 1;
	return 0;
}

/* A region or state after the place: "Ukraine", "Netherlands", "N.C.",
 * "Calif.". Returns the end or 0. */
static size_t
region_at(const struct scan *sc, size_t i)
{
	size_t j = i, w, nw = 0;
	int up;

	/* an abbreviation with its dots: "N.C.", "D.C.", "Calif." */
	while ((w = word_at(sc, j, &up)) > 0 && up && w <= 5 && j + w < sc->n &&
	    sc->s[j + w] == '.') {
		j += w + 1;
		nw++;
	}
	if (nw > 0 && (j == sc->n || sc->s[j] == ' ' || sc->s[j] == ','))
		return j;
	if ((w = word_at(sc, i, &up)) == 0 || !up)
		return 0;
	return city_at(sc, i);
}

/* What may follow a place that prints no date: " (AP) —", ". KAZINFORM
 * -". Only an agency in the table will do, as nothing else tells this
 * from a sentence. Returns 1 with f->end set. */
static int
undated_tag(const struct scan *sc, size_t i, struct found *f)
{
	struct found t = *f;
	size_t j, e = 0;

	if (i + 1 < sc->n && sc->s[i] == ' ' && sc->s[i + 1] == '(') {
		if ((j = paren_agency_at(
			 sc, i + 1, &t.canon, &t.name_off, &t.name_len)) > 0 &&
		    t.canon != NULL)
			e = paren_tail(sc, j, t.canon);
	} else if (i < sc->n && sc->s[i] == '.') {
		e = tag_dotted(sc, i, &t);
	}
	if (e == 0 || !ends_cleanly(sc, e))
		return 0;
	*f = t;
	f->end = e;
	return 1;
}

/* The place: a city of one to six words, "NEW YORK/LONDON" for a story
 * filed from two, and a region between slashes, "IGORA /Leningrad
 * Region/". Returns the end or 0. */
static size_t
place_at(const struct scan *sc, struct found *f)
{
	const char *s = sc->s, *close;
	size_t n = sc->n, i, c2;

	f->city_s = 0;
	if ((f->city_e = city_at(sc, 0)) == 0)
		return 0;
	i = f->city_e;
	if (i + 1 < n && s[i] == '/' && (c2 = city_at(sc, i + 1)) > 0 &&
	    (c2 == n || s[c2] != '/') && all_caps(sc, 0, c2)) {
		f->city_e = i = c2; /* "NEW YORK/LONDON" */
	}
	if (i + 2 < n && s[i] == ' ' && s[i + 1] == '/') {
		close = memchr(s + i + 2, '/', n - i - 2 < 80 ? n - i - 2 : 80);
		if (close == NULL || close == s + i + 2)
			return 0;
		f->reg_s = i + 2;
		f->reg_e = (size_t)(close - s);
		i = f->reg_e + 1;
	}
	return i;
}

/* The place first: place [", " region] (". " | ", ") [weekday] date tag,
 * or place [", " region] followed by an agency when no date is printed.
 * "MOSCOW, June 6. /TASS/.", "IGORA /Leningrad Region/, December 26.
 * /TASS/.", "Azerbaijan, Baku, September 20 / Trend/", "LONDON (Reuters)
 * -", "KYIV, Ukraine (AP) —", "ASTANA. KAZINFORM -". */
static int
city_first(const struct scan *sc, struct found *f)
{
	const char *s = sc->s;
	size_t n = sc->n, i, k, r;
	struct found t;

	if ((i = place_at(sc, f)) == 0)
		return 0;
	if (undated_tag(sc, i, f))
		return 1;
	if (i + 1 >= n || (s[i] != ',' && s[i] != '.') || s[i + 1] != ' ')
		return 0;
	if ((k = when_at(sc, i + 2, f)) > 0)
		return after_date(sc, k, f);
	if (s[i] != ',' || f->reg_e > 0)
		return 0;
	/* a second place: the region after the city ("KYIV, Ukraine (AP)
	 * —", "BAKU, Azerbaijan, Dec. 3"), or the country before it (Trend:
	 * "Azerbaijan, Baku, September 20") */
	if ((r = region_at(sc, i + 2)) == 0)
		return 0;
	t = *f;
	t.reg_s = i + 2;
	t.reg_e = r;
	if (undated_tag(sc, r, &t)) {
		*f = t;
		return 1;
	}
	if (r + 1 >= n || s[r] != ',' || s[r + 1] != ' ' ||
	    (k = when_at(sc, r + 2, &t)) == 0)
		return 0;
	if (!all_caps(sc, f->city_s, f->city_e) && s[r - 1] != '.' &&
	    !is_country(sc, t.reg_s, r)) {
		/* two names in Title Case, the second no country: the
		 * country first, as Trend prints it; a place in capitals, a
		 * state's abbreviation or a country after it keeps the city
		 * first */
		t.reg_s = f->city_s;
		t.reg_e = f->city_e;
		t.city_s = i + 2;
		t.city_e = r;
	}
	*f = t;
	return after_date(sc, k, f);
}

/* The date first, then the place and the agency between slashes or in
 * brackets: BelTA's Russian copy, "3 декабря, Минск /Корр. БЕЛТА/.",
 * "3 декабря, Минск /Ирина Петрова - БЕЛТА/.". Only a known agency will
 * do: a sentence may also open with a date and a place. */
static int
date_first(const struct scan *sc, struct found *f)
{
	size_t k, e;
	struct found t = *f;

	if ((k = when_at(sc, 0, &t)) == 0 || k + 1 >= sc->n ||
	    sc->s[k] != ',' || sc->s[k + 1] != ' ')
		return 0;
	t.city_s = k + 2;
	if ((t.city_e = city_at(sc, t.city_s)) == 0)
		return 0;
	if ((e = tag_slashed(sc, t.city_e, &t)) == 0 &&
	    ((e = tag_paren(sc, t.city_e, &t)) == 0 || t.canon == NULL))
		return 0;
	if (!ends_cleanly(sc, e))
		return 0;
	*f = t;
	f->end = e;
	return 1;
}

/* "YYYY-MM-DD" as "%04d-%02d-%02d" prints it, without printf (a year
 * is inferred, so it is in 1..9999; beyond that printf's way is kept). */
static void
iso_date(char out[11], int y, int m, int d)
{
	int i;

	if (y < 0 || y > 9999 || m < 0 || m > 99 || d < 0 || d > 99) {
		snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
		return;
	}
	for (i = 3; i >= 0; i--, y /= 10)
		out[i] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}

size_t
nw_dateline_parse(
    const char *s, size_t n, int64_t ref_ms, struct nw_dateline *d)
{
	struct scan sc = {s, n};
	struct found f = {0};
	int named;

	memset(d, 0, sizeof *d);
	if (n == 0)
		return 0;
	if (s[0] == '(') {
		if (!agency_first(&sc, &f))
			return 0;
	} else if (s[0] >= '0' && s[0] <= '9') {
		if (!date_first(&sc, &f))
			return 0;
	} else if (!city_first(&sc, &f)) {
		return 0;
	}
	d->text = dup_span(s, f.end);
	d->city = dup_span(s + f.city_s, f.city_e - f.city_s);
	if (f.reg_e > f.reg_s)
		d->region = dup_span(s + f.reg_s, f.reg_e - f.reg_s);
	/* an agency missing from the table ("(Bloomberg)") stays as printed;
	 * a dateline that names none leaves it NULL */
	named = f.canon != NULL || f.name_len > 0;
	if (f.canon != NULL)
		d->agency = strdup(f.canon);
	else if (f.name_len > 0)
		d->agency = dup_span(s + f.name_off, f.name_len);
	if (f.dated) {
		d->month = f.month;
		d->day = f.day;
		d->year =
		    f.year ? f.year : nw_infer_year(f.month, f.day, ref_ms);
		if (d->year != 0 && f.day <= month_days(d->year, f.month))
			iso_date(d->date, d->year, f.month, f.day);
		else
			d->year = 0;
	}
	if (d->text == NULL || d->city == NULL ||
	    (named && d->agency == NULL) ||
	    (f.reg_e > f.reg_s && d->region == NULL)) {
		free(d->text);
		free(d->city);
		free(d->region);
		free(d->agency);
		memset(d, 0, sizeof *d);
		return 0;
	}
	return f.end;
}
