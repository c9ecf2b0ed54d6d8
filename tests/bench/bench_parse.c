/* Parser benchmark: generates varied dispatches in memory (EN and RU, all
 * dateline forms, captions, furniture, quotations) and measures parse +
 * JSON rendering on one core. Prints MB/s and dispatches/s.
 * usage: bench_parse [--mb N] [--rounds N] [--no-quotes] */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "newswire/parse.h"

struct gen {
	char *buf;
	size_t len, cap;
	uint64_t rng;
};

static unsigned
pick(struct gen *g, unsigned n)
{
	g->rng = g->rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(g->rng >> 33) % n;
}

static void
put(struct gen *g, const char *s)
{
	size_t n = strlen(s);

	if (g->len + n + 1 > g->cap) {
		g->cap = (g->len + n + 1) * 2;
		if ((g->buf = realloc(g->buf, g->cap)) == NULL) {
			perror("realloc");
			exit(1);
		}
	}
	memcpy(g->buf + g->len, s, n);
	g->len += n;
}

#define PICK(g, a) (a[pick(g, sizeof a / sizeof a[0])])

static const char *const en_city[] = {"MOSCOW", "ST. PETERSBURG",
    "UNITED NATIONS", "NEW YORK", "KAZAN", "VLADIVOSTOK", "BEIJING", "MINSK",
    "WASHINGTON", "LONDON"};
static const char *const en_month[] = {"January", "February", "March", "April",
    "May", "June", "July", "August", "September", "October", "November",
    "December", "Jan", "Feb", "Sept."};
static const char *const en_name[] = {"Alexander Grushko", "Maria Zakharova",
    "Dmitry Peskov", "Anna Kuznetsova", "Viktor Lanskoy", "Liu Jianguo",
    "Sergey Lavrov", "Yelena Ushakova"};
static const char *const en_title[] = {"Deputy Foreign Minister",
    "the ministry's spokeswoman", "Kremlin spokesman", "the governor",
    "head of the regional government", "the company's CEO"};
static const char *const en_words[] = {"the", "government", "said", "on",
    "Thursday", "that", "new", "measures", "would", "be", "introduced", "in",
    "the", "region", "next", "year", "while", "exports", "grew", "by", "12%",
    "compared", "with", "a", "year", "earlier", "according", "to", "officials",
    "and", "analysts", "who", "expect", "further", "growth", "despite",
    "sanctions", "logistics", "ports", "railways", "energy"};
static const char *const en_agency[] = {
    "TASS", "Reuters", "Xinhua", "Interfax", "AP", "AFP"};
static const char *const ru_city[] = {"МОСКВА", "САНКТ-ПЕТЕРБУРГ",
    "НОВОСИБИРСК", "ЕКАТЕРИНБУРГ", "КАЗАНЬ", "ВЛАДИВОСТОК"};
static const char *const ru_month[] = {"января", "февраля", "марта", "апреля",
    "мая", "июня", "июля", "августа", "сентября", "октября", "ноября",
    "декабря", "янв", "мар"};
static const char *const ru_name[] = {"Сергей Лавров", "Мария Захарова",
    "Дмитрий Песков", "Анна Кузнецова", "Игорь Шатохин"};
static const char *const ru_words[] = {"правительство", "заявило", "в",
    "четверг", "что", "новые", "меры", "будут", "введены", "в", "регионе", "в",
    "следующем", "году", "а", "экспорт", "вырос", "на", "12%", "по",
    "сравнению", "с", "прошлым", "годом", "по", "данным", "министерства", "и",
    "аналитиков", "которые", "ожидают", "дальнейшего", "роста"};

static void
words(struct gen *g, const char *const *w, size_t nw, unsigned n, int cap)
{
	unsigned i;
	char first[64];

	for (i = 0; i < n; i++) {
		const char *s = w[pick(g, (unsigned)nw)];

		if (i > 0)
			put(g, " ");
		if (i == 0 && cap && s[0] >= 'a' && s[0] <= 'z') {
			snprintf(first, sizeof first, "%c%s", s[0] - 32, s + 1);
			put(g, first);
		} else {
			put(g, s);
		}
	}
}

#define WORDS(g, a, n, cap) words(g, a, sizeof a / sizeof a[0], n, cap)

static void
dispatch_en(struct gen *g)
{
	char line[256];
	unsigned i, paras = 4 + pick(g, 10);
	const char *agency = PICK(g, en_agency);
	const char *name = PICK(g, en_name);

	if (pick(g, 2))
		put(g, "All news\n\n");
	WORDS(g, en_words, 8 + pick(g, 6), 1);
	put(g, "\n\n");
	WORDS(g, en_words, 12 + pick(g, 10), 1);
	if (pick(g, 2)) {
		put(g, "\nA view of the port ");
		put(g,
		    "Ivan Petrov/TASS\nA view of the port\n\xC2\xA9 Ivan "
		    "Petrov/TASS");
	}
	put(g, "\n\n");
	if (strcmp(agency, "TASS") == 0)
		snprintf(line, sizeof line, "%s, %s %u. /TASS/. ",
		    PICK(g, en_city), PICK(g, en_month), 1 + pick(g, 28));
	else if (pick(g, 4) == 0)
		snprintf(
		    line, sizeof line, "%s (%s) - ", PICK(g, en_city), agency);
	else
		snprintf(line, sizeof line, "%s, %s %u (%s) -- ",
		    PICK(g, en_city), PICK(g, en_month), 1 + pick(g, 28),
		    agency);
	put(g, line);
	WORDS(g, en_words, 30 + pick(g, 20), 1);
	put(g, ".\n\n");
	for (i = 0; i < paras; i++) {
		switch (pick(g, 4)) {
		case 0:
			put(g, "\"");
			WORDS(g, en_words, 15 + pick(g, 25), 1);
			snprintf(line, sizeof line, ",\" %s, %s, said.\n\n",
			    name, PICK(g, en_title));
			put(g, line);
			break;
		case 1:
			snprintf(line, sizeof line, "%s said that ", name);
			put(g, line);
			WORDS(g, en_words, 10 + pick(g, 10), 0);
			put(g, " \"");
			WORDS(g, en_words, 8 + pick(g, 10), 0);
			put(g, ".\"\n\n");
			break;
		case 2:
			put(g, "Read also\nMore news on the subject\n\n");
			/* fall through */
		default:
			WORDS(g, en_words, 25 + pick(g, 40), 1);
			put(g, ".\n\n");
		}
	}
}

static void
dispatch_ru(struct gen *g)
{
	char line[256];
	unsigned i, paras = 4 + pick(g, 10);
	const char *name = PICK(g, ru_name);

	put(g, "Экономика и бизнес\n\n");
	WORDS(g, ru_words, 8 + pick(g, 6), 0);
	put(g, "\n\n");
	WORDS(g, ru_words, 12 + pick(g, 10), 0);
	put(g, "\n\xC2\xA9 Роман Зябликов/ТАСС\n\n");
	if (pick(g, 3))
		snprintf(line, sizeof line, "%s, %u %s. /ТАСС/. ",
		    PICK(g, ru_city), 1 + pick(g, 28), PICK(g, ru_month));
	else
		snprintf(line, sizeof line, "%s, %u %s - РИА Новости. ",
		    PICK(g, ru_city), 1 + pick(g, 28), PICK(g, ru_month));
	put(g, line);
	WORDS(g, ru_words, 30 + pick(g, 20), 0);
	put(g, ".\n\n");
	for (i = 0; i < paras; i++) {
		if (pick(g, 2)) {
			put(g, "«");
			WORDS(g, ru_words, 15 + pick(g, 25), 0);
			snprintf(
			    line, sizeof line, "», - заявил %s.\n\n", name);
			put(g, line);
		} else {
			WORDS(g, ru_words, 25 + pick(g, 40), 0);
			put(g, ".\n\n");
		}
	}
}

static double
now_cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	struct gen g = {.rng = 42};
	struct nw_parse_opts opts = {.received_at_ms = 1749556800000LL};
	struct nw_event *ev;
	size_t *offs = NULL, n = 0, cap = 0, i, target = 12, bytes = 0;
	size_t failed = 0, out_bytes = 0;
	unsigned rounds = 3, r;
	double t0, t;
	char *json;

	for (i = 1; i < (size_t)argc; i++) {
		if (strcmp(argv[i], "--mb") == 0 && i + 1 < (size_t)argc)
			target = strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--rounds") == 0 &&
		    i + 1 < (size_t)argc)
			rounds = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--no-quotes") == 0)
			opts.flags |= NW_PARSE_NO_QUOTES;
		else {
			fprintf(stderr,
			    "usage: bench_parse [--mb N] "
			    "[--rounds N] [--no-quotes]\n");
			return 2;
		}
	}
	if (target < 10)
		target = 10;
	while (g.len < target * 1000000) {
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			offs = realloc(offs, (cap + 1) * sizeof *offs);
		}
		offs[n++] = g.len;
		if (pick(&g, 3) == 0)
			dispatch_ru(&g);
		else
			dispatch_en(&g);
	}
	offs[n] = g.len;
	printf("corpus: %zu dispatches, %.1f MB (EN and RU, quotes %s)\n", n,
	    (double)g.len / 1e6,
	    opts.flags & NW_PARSE_NO_QUOTES ? "off" : "on");

	t0 = now_cpu();
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < n; i++) {
			if (nw_parse(g.buf + offs[i], offs[i + 1] - offs[i],
				&opts, &ev, NULL) != NW_OK) {
				failed++;
				continue;
			}
			json = nw_event_json(ev, 0);
			out_bytes += json != NULL ? strlen(json) : 0;
			free(json);
			nw_event_free(ev);
		}
		bytes += g.len;
	}
	t = now_cpu() - t0;
	printf("parse + JSON, one core: %.1f MB/s, %.0f dispatches/s "
	       "(%.2f s CPU, %u rounds, %zu failed, %.1f MB of JSON)\n",
	    (double)bytes / 1e6 / t, (double)n * rounds / t, t, rounds, failed,
	    (double)out_bytes / 1e6);
	free(offs);
	free(g.buf);
	return failed ? 1 : 0;
}
