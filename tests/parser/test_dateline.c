/* Unit tests of dateline recognition (parsers/dateline.c): every form the
 * agencies print, months in both languages, and the inferred year. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wire.h"

/* 2025-06-10T12:00:00Z */
#define JUNE_2025 1749556800000LL
/* 2026-01-03T08:00:00Z */
#define JAN_2026 1767427200000LL

struct dl_case {
	const char *para;
	const char *text; /* NULL: no dateline */
	const char *city;
	const char *region;
	int month, day, year;
	const char *date;
	const char *agency;
	int64_t ref; /* reception time the year is inferred from */
};

static const struct dl_case cases[] = {
    {"MOSCOW, June 6. /TASS/. The need to restore contacts.",
	"MOSCOW, June 6. /TASS/.", "MOSCOW", NULL, 6, 6, 2025, "2025-06-06",
	"TASS", JUNE_2025},
    {"IGORA /Leningrad Region/, December 26. /TASS/. Russia could.",
	"IGORA /Leningrad Region/, December 26. /TASS/.", "IGORA",
	"Leningrad Region", 12, 26, 2025, "2025-12-26", "TASS", JAN_2026},
    {"ST. PETERSBURG, November 12. /TASS/. The State Hermitage.",
	"ST. PETERSBURG, November 12. /TASS/.", "ST. PETERSBURG", NULL, 11, 12,
	2024, "2024-11-12", "TASS", JUNE_2025},
    {"UNITED NATIONS, October 14. /TASS/. Russia is ready.",
	"UNITED NATIONS, October 14. /TASS/.", "UNITED NATIONS", NULL, 10, 14,
	2025, "2025-10-14", "TASS", JAN_2026},
    {"NEW YORK, Sept. 9. /TASS/. Text.", "NEW YORK, Sept. 9. /TASS/.",
	"NEW YORK", NULL, 9, 9, 2024, "2024-09-09", "TASS", JUNE_2025},
    {"ROSTOV-ON-DON, July 15. /TASS/. Farmers.",
	"ROSTOV-ON-DON, July 15. /TASS/.", "ROSTOV-ON-DON", NULL, 7, 15, 2024,
	"2024-07-15", "TASS", JUNE_2025},
    {"МОСКВА, 6 июня. /ТАСС/. Добыча нефти.", "МОСКВА, 6 июня. /ТАСС/.",
	"МОСКВА", NULL, 6, 6, 2025, "2025-06-06", "TASS", JUNE_2025},
    {"НИЖНИЙ НОВГОРОД, 30 декабря. /ТАСС/. Текст.",
	"НИЖНИЙ НОВГОРОД, 30 декабря. /ТАСС/.", "НИЖНИЙ НОВГОРОД", NULL, 12, 30,
	2025, "2025-12-30", "TASS", JAN_2026},
    {"WASHINGTON, May 5 (Reuters) - The U.S. Senate.",
	"WASHINGTON, May 5 (Reuters) -", "WASHINGTON", NULL, 5, 5, 2025,
	"2025-05-05", "Reuters", JUNE_2025},
    {"BEIJING, March 3 (Xinhua) -- China's team.",
	"BEIJING, March 3 (Xinhua) --", "BEIJING", NULL, 3, 3, 2025,
	"2025-03-03", "Xinhua", JUNE_2025},
    {"MINSK. July 26 (Interfax) - Belarus.", "MINSK. July 26 (Interfax) -",
	"MINSK", NULL, 7, 26, 2024, "2024-07-26", "Interfax", JUNE_2025},
    {"MOSCOW, Feb 12 (Interfax) - Arc7.", "MOSCOW, Feb 12 (Interfax) -",
	"MOSCOW", NULL, 2, 12, 2025, "2025-02-12", "Interfax", JAN_2026},
    {"МОСКВА, 1 мар - РИА Новости. Президент.", "МОСКВА, 1 мар - РИА Новости.",
	"МОСКВА", NULL, 3, 1, 2025, "2025-03-01", "RIA Novosti", JUNE_2025},
    {"LONDON (Reuters) - British inflation.", "LONDON (Reuters) -", "LONDON",
	NULL, 0, 0, 0, "", "Reuters", JUNE_2025},
    {"TOKYO (AP) \xE2\x80\x94 Japan's economy.", "TOKYO (AP) \xE2\x80\x94",
	"TOKYO", NULL, 0, 0, 0, "", "AP", JUNE_2025},
    {"Paris (AFP) \xE2\x80\x93 France said.", "Paris (AFP) \xE2\x80\x93",
	"Paris", NULL, 0, 0, 0, "", "AFP", JUNE_2025},
    {"(ANSA) - Rome, August 7 - Italy's premier.", "(ANSA) - Rome, August 7 -",
	"Rome", NULL, 8, 7, 2024, "2024-08-07", "ANSA", JUNE_2025},
    {"BERLIN, Jan 3 (dpa) - Germany.", "BERLIN, Jan 3 (dpa) -", "BERLIN", NULL,
	1, 3, 2026, "2026-01-03", "dpa", JAN_2026},
    {"SEOUL, Dec. 30 (Kyodo) - Text.", "SEOUL, Dec. 30 (Kyodo) -", "SEOUL",
	NULL, 12, 30, 2025, "2025-12-30", "Kyodo", JAN_2026},
    {"WASHINGTON, April 2 (UPI) -- Text.", "WASHINGTON, April 2 (UPI) --",
	"WASHINGTON", NULL, 4, 2, 2025, "2025-04-02", "UPI", JUNE_2025},
    {"KYIV, May 5, 2023 (Reuters) - Text.", "KYIV, May 5, 2023 (Reuters) -",
	"KYIV", NULL, 5, 5, 2023, "2023-05-05", "Reuters", JUNE_2025},
    {"ХАБАРОВСК, 3 авг. /ТАСС/. Текст.", "ХАБАРОВСК, 3 авг. /ТАСС/.",
	"ХАБАРОВСК", NULL, 8, 3, 2024, "2024-08-03", "TASS", JUNE_2025},
    {"MOSCOW, June 6. /TASS correspondent Ivan Petrov/. Text.",
	"MOSCOW, June 6. /TASS correspondent Ivan Petrov/.", "MOSCOW", NULL, 6,
	6, 2025, "2025-06-06", "TASS", JUNE_2025},
    {"МОСКВА, 6 июня. /Корр. ТАСС Иван Петров/. Текст.",
	"МОСКВА, 6 июня. /Корр. ТАСС Иван Петров/.", "МОСКВА", NULL, 6, 6, 2025,
	"2025-06-06", "TASS", JUNE_2025},
    {"Москва. 12 февраля. INTERFAX.RU - Текст.",
	"Москва. 12 февраля. INTERFAX.RU -", "Москва", NULL, 2, 12, 2025,
	"2025-02-12", "Interfax", JUNE_2025},
    {"MINSK, 6 June (BelTA) - Text.", "MINSK, 6 June (BelTA) -", "MINSK", NULL,
	6, 6, 2025, "2025-06-06", "BelTA", JUNE_2025},
    {"PARIS, June 6, 2023 (AFP) - Text.", "PARIS, June 6, 2023 (AFP) -",
	"PARIS", NULL, 6, 6, 2023, "2023-06-06", "AFP", JUNE_2025},
    /* spacing as agencies print it: no space before the tag, spaces
     * inside the slashes, a run of dashes */
    {"KAZAN, March 3./TASS/. Builders said.", "KAZAN, March 3./TASS/.", "KAZAN",
	NULL, 3, 3, 2025, "2025-03-03", "TASS", JUNE_2025},
    {"OMSK, March 3 /TASS/ Builders said.", "OMSK, March 3 /TASS/", "OMSK",
	NULL, 3, 3, 2025, "2025-03-03", "TASS", JUNE_2025},
    {"OREL, July 02. /ITAR-TASS/. Farmers.", "OREL, July 02. /ITAR-TASS/.",
	"OREL", NULL, 7, 2, 2024, "2024-07-02", "TASS", JUNE_2025},
    {"ТВЕРЬ, 16 июня. /ИТАР-ТАСС/. Текст.", "ТВЕРЬ, 16 июня. /ИТАР-ТАСС/.",
	"ТВЕРЬ", NULL, 6, 16, 2024, "2024-06-16", "TASS", JUNE_2025},
    {"OSLO, April 9 (Itar-Tass) \xE2\x80\x94\xE2\x80\x94 Work goes on.",
	"OSLO, April 9 (Itar-Tass) \xE2\x80\x94\xE2\x80\x94", "OSLO", NULL, 4,
	9, 2025, "2025-04-09", "TASS", JUNE_2025},
    /* a country before the city; the agency between loose slashes with
     * its correspondent, as a paragraph of its own */
    {"Georgia, Batumi, May 3 / Trend , B. Petrov/",
	"Georgia, Batumi, May 3 / Trend , B. Petrov/", "Batumi", "Georgia", 5,
	3, 2025, "2025-05-03", "Trend", JUNE_2025},
    /* mixed-case places */
    {"United Nations, September 5. /TASS/. The council.",
	"United Nations, September 5. /TASS/.", "United Nations", NULL, 9, 5,
	2024, "2024-09-05", "TASS", JUNE_2025},
    /* the dash form: other agencies, a correspondent after the agency,
     * an agency missing from the table printed in capitals */
    {"ТВЕРЬ, 16 ноя - ПРАЙМ. Цены растут.", "ТВЕРЬ, 16 ноя - ПРАЙМ.", "ТВЕРЬ",
	NULL, 11, 16, 2024, "2024-11-16", "PRIME", JUNE_2025},
    {"ООН, 2 июн \xE2\x80\x93 РИА Новости, Анна Смирнова. Совет собрался.",
	"ООН, 2 июн \xE2\x80\x93 РИА Новости, Анна Смирнова.", "ООН", NULL, 6,
	2, 2025, "2025-06-02", "RIA Novosti", JUNE_2025},
    {"ТВЕРЬ, 16 ноя - ВОЛГА-ИНФО. Текст.", "ТВЕРЬ, 16 ноя - ВОЛГА-ИНФО.",
	"ТВЕРЬ", NULL, 11, 16, 2024, "2024-11-16", "ВОЛГА-ИНФО", JUNE_2025},
    /* no agency at all: the agency signs off at the end instead */
    {"OSLO, March 2 - Prime Minister Erna Lunde said.", "OSLO, March 2 -",
	"OSLO", NULL, 3, 2, 2025, "2025-03-02", NULL, JUNE_2025},
    {"NEW YORK, Feb 26 - Oil prices fell.", "NEW YORK, Feb 26 -", "NEW YORK",
	NULL, 2, 26, 2025, "2025-02-26", NULL, JUNE_2025},
    /* a word after the dash that is no agency starts the text */
    {"ТВЕРЬ, 16 ноя - ЛУКОЙЛ, как сообщалось, растёт.", "ТВЕРЬ, 16 ноя -",
	"ТВЕРЬ", NULL, 11, 16, 2024, "2024-11-16", NULL, JUNE_2025},
    /* the parts found in the newer forms: a state after the place, no
     * date; the agency after a dot; the dash after a slashed agency; the
     * time of filing; two places filed from */
    {"RALEIGH, N.C. (AP) \xE2\x80\x94 A storm hit.",
	"RALEIGH, N.C. (AP) \xE2\x80\x94", "RALEIGH", "N.C.", 0, 0, 0, "", "AP",
	JUNE_2025},
    {"KYIV, Ukraine (AP) _ Sirens.", "KYIV, Ukraine (AP) _", "KYIV", "Ukraine",
	0, 0, 0, "", "AP", JUNE_2025},
    {"ASTANA. KAZINFORM - The forum.", "ASTANA. KAZINFORM -", "ASTANA", NULL, 0,
	0, 0, "", "Kazinform", JUNE_2025},
    {"Пекин, 3 декабря /Синьхуа/ -- Экспорт вырос.",
	"Пекин, 3 декабря /Синьхуа/ --", "Пекин", NULL, 12, 3, 2024,
	"2024-12-03", "Xinhua", JUNE_2025},
    {"Москва, 3 декабря 2024, 10:15 \xE2\x80\x94 ИА Регнум. Мороз.",
	"Москва, 3 декабря 2024, 10:15 \xE2\x80\x94 ИА Регнум.", "Москва", NULL,
	12, 3, 2024, "2024-12-03", "Regnum", JUNE_2025},
    {"BAKU, Azerbaijan, Dec. 3 (Trend) - Text.",
	"BAKU, Azerbaijan, Dec. 3 (Trend) -", "BAKU", "Azerbaijan", 12, 3, 2024,
	"2024-12-03", "Trend", JUNE_2025},
    {"NEW YORK/LONDON, Dec 3 (Reuters) - Oil.",
	"NEW YORK/LONDON, Dec 3 (Reuters) -", "NEW YORK/LONDON", NULL, 12, 3,
	2024, "2024-12-03", "Reuters", JUNE_2025},
    {"МОСКВА, 3 декабря 2024 года. /ТАСС/. Текст.",
	"МОСКВА, 3 декабря 2024 года. /ТАСС/.", "МОСКВА", NULL, 12, 3, 2024,
	"2024-12-03", "TASS", JUNE_2025},
    /* not datelines */
    {"Oslo, March 2 - the talks went on.", NULL},
    {"Тверь, 16 ноя - цены растут.", NULL},
    {"Georgia, Batumi, Poti, May 3 / Trend/", NULL},
    {"The Gostiny Dvor of the Tobolsk Kremlin, one of the largest.", NULL},
    {"Moscow, June is hot.", NULL},
    {"MOSCOW, June 6 the talks went on.", NULL},
    {"LONDON (Britain) - text.", NULL},
    {"All news", NULL},
    {"\"We are ready,\" he said. (Reuters) - no", NULL},
    {"Putin (AP) said.", NULL},
    {"MOSCOW, June 32. /TASS/. Text.", NULL},
    {"MOSCOW, June 6. /Leningrad/. Text.", NULL},
};

/* The forms agencies print, one line each, with what a reader takes from
 * them: the place as printed, month and day (0: the agency prints no date)
 * and the agency's Latin name (NULL: the line names none). The sentences
 * are written for this test; the forms are the agencies'. */
struct agency_case {
	const char *para;
	const char *city; /* NULL: no dateline */
	int month, day;
	const char *agency;
};

static const struct agency_case agency_cases[] = {
    /* TASS, English */
    {"KALUGA, October 3. /TASS/. A bridge over the Oka opened.", "KALUGA", 10,
	3, "TASS"},
    {"MOSCOW, March 14 /TASS/. The ministry replied.", "MOSCOW", 3, 14, "TASS"},
    {"TULA, May 2./TASS/. Farmers finished sowing.", "TULA", 5, 2, "TASS"},
    {"VOLGOGRAD, July 9. /ITAR-TASS/. The plant resumed work.", "VOLGOGRAD", 7,
	9, "TASS"},
    {"MOSCOW, Aug. 21. /TASS/. Officials met.", "MOSCOW", 8, 21, "TASS"},
    {"YEKATERINBURG, Sept 4. /TASS/. The fair opened.", "YEKATERINBURG", 9, 4,
	"TASS"},
    {"Geneva, November 8. /TASS/. The talks resumed.", "Geneva", 11, 8, "TASS"},
    {"NIZHNY NOVGOROD, April 30. /TASS/. A ferry sank.", "NIZHNY NOVGOROD", 4,
	30, "TASS"},
    {"SEVASTOPOL /Crimea/, June 1. /TASS/. Ships sailed.", "SEVASTOPOL", 6, 1,
	"TASS"},
    {"MOSCOW, December 3. /TASS correspondent Olga Belova/. The court ruled.",
	"MOSCOW", 12, 3, "TASS"},
    {"PSKOV, November 16 (Itar-Tass) -- Snow fell early.", "PSKOV", 11, 16,
	"TASS"},
    {"MURMANSK, January 12 (ITAR-TASS) \xE2\x80\x94 Icebreakers left port.",
	"MURMANSK", 1, 12, "TASS"},
    /* TASS, Russian */
    {"МОСКВА, 16 ноября. /ТАСС/. Суд вынес решение.", "МОСКВА", 11, 16, "TASS"},
    {"КАЛУГА, 3 октября /ТАСС/. Мост открыли.", "КАЛУГА", 10, 3, "TASS"},
    {"ОМСК, 2 мая./ТАСС/. Посевная закончилась.", "ОМСК", 5, 2, "TASS"},
    {"ВОЛГОГРАД, 9 июля. /ИТАР-ТАСС/. Завод заработал.", "ВОЛГОГРАД", 7, 9,
	"TASS"},
    {"ГОРКИ /Московская область/, 11 марта. /ТАСС/. Совещание прошло.", "ГОРКИ",
	3, 11, "TASS"},
    {"САНКТ-ПЕТЕРБУРГ, 20 июня. /Корр. ТАСС Ольга Белова/. Форум открылся.",
	"САНКТ-ПЕТЕРБУРГ", 6, 20, "TASS"},
    {"НЬЮ-ЙОРК, 5 февраля. /ТАСС/. Совет собрался.", "НЬЮ-ЙОРК", 2, 5, "TASS"},
    /* RIA Novosti, Sputnik, PRIME */
    {"МОСКВА, 16 ноя \xE2\x80\x94 РИА Новости. Цены выросли.", "МОСКВА", 11, 16,
	"RIA Novosti"},
    {"КАЗАНЬ, 4 апр - РИА Новости. Лёд тронулся.", "КАЗАНЬ", 4, 4,
	"RIA Novosti"},
    {"ЛОНДОН, 7 мар \xE2\x80\x93 РИА Новости, Пётр Сидоров. Биржа упала.",
	"ЛОНДОН", 3, 7, "RIA Novosti"},
    {"MOSCOW, March 23, 2004 (RIA Novosti) - The envoy spoke.", "MOSCOW", 3, 23,
	"RIA Novosti"},
    {"MOSCOW, December 3 (RIA Novosti) - The envoy spoke.", "MOSCOW", 12, 3,
	"RIA Novosti"},
    {"МИНСК, 3 дек \xE2\x80\x93 Sputnik. Мороз усилился.", "МИНСК", 12, 3,
	"Sputnik"},
    {"MOSCOW, December 3 (Sputnik) - The envoy spoke.", "MOSCOW", 12, 3,
	"Sputnik"},
    {"МОСКВА, 16 ноя - ПРАЙМ. Рубль окреп.", "МОСКВА", 11, 16, "PRIME"},
    {"MOSCOW, Nov 16 (PRIME) -- The rouble gained.", "MOSCOW", 11, 16, "PRIME"},
    /* Interfax */
    {"MOSCOW. Dec 3 (Interfax) - The bank cut its rate.", "MOSCOW", 12, 3,
	"Interfax"},
    {"MOSCOW, Dec 3 (Interfax) - The bank cut its rate.", "MOSCOW", 12, 3,
	"Interfax"},
    {"Москва. 3 декабря. INTERFAX.RU - Банк снизил ставку.", "Москва", 12, 3,
	"Interfax"},
    {"МОСКВА, 3 дек - Интерфакс. Банк снизил ставку.", "МОСКВА", 12, 3,
	"Interfax"},
    {"Москва. 3 декабря. ИНТЕРФАКС - Банк снизил ставку.", "Москва", 12, 3,
	"Interfax"},
    {"Смоленск. 7 апреля. INTERFAX.RU - Делегации прибыли.", "Смоленск", 4, 7,
	"Interfax"},
    {"KYIV. Dec 3 (Interfax-Ukraine) - The council met.", "KYIV", 12, 3,
	"Interfax-Ukraine"},
    /* Reuters */
    {"SAO PAULO, Dec 3 (Reuters) - Coffee prices rose.", "SAO PAULO", 12, 3,
	"Reuters"},
    {"NEW YORK/LONDON, Dec 3 (Reuters) - Oil slipped.", "NEW YORK/LONDON", 12,
	3, "Reuters"},
    {"RIO DE JANEIRO, Dec 3 (Reuters) - Rain fell.", "RIO DE JANEIRO", 12, 3,
	"Reuters"},
    {"LONDON (Reuters) - Sterling fell.", "LONDON", 0, 0, "Reuters"},
    {"LONDON, Tuesday, March 4 (Reuters) - Sterling fell.", "LONDON", 3, 4,
	"Reuters"},
    {"TOKYO, March 2 - Shares rose.", "TOKYO", 3, 2, NULL},
    /* AP: no date, often a state or country after the place */
    {"KYIV, Ukraine (AP) \xE2\x80\x94 Sirens sounded overnight.", "KYIV", 0, 0,
	"AP"},
    {"WASHINGTON (AP) \xE2\x80\x94 The Senate voted.", "WASHINGTON", 0, 0,
	"AP"},
    {"THE HAGUE, Netherlands (AP) \xE2\x80\x94 Judges met.", "THE HAGUE", 0, 0,
	"AP"},
    {"ST. LOUIS (AP) \xE2\x80\x94 A storm hit.", "ST. LOUIS", 0, 0, "AP"},
    {"RALEIGH, N.C. (AP) \xE2\x80\x94 A storm hit.", "RALEIGH", 0, 0, "AP"},
    {"NEW YORK (AP) _ Stocks fell.", "NEW YORK", 0, 0, "AP"},
    {"UNITED NATIONS (AP) \xE2\x80\x94 The council met.", "UNITED NATIONS", 0,
	0, "AP"},
    /* AFP */
    {"Paris (AFP) - The strike went on.", "Paris", 0, 0, "AFP"},
    {"PARIS, Dec 3, 2025 (AFP) - The strike went on.", "PARIS", 12, 3, "AFP"},
    {"Kyiv (AFP) \xE2\x80\x93 Sirens sounded.", "Kyiv", 0, 0, "AFP"},
    /* Xinhua */
    {"BEIJING, Dec. 3 (Xinhua) -- Exports grew.", "BEIJING", 12, 3, "Xinhua"},
    {"UNITED NATIONS, Feb. 7 (Xinhua) -- The envoy spoke.", "UNITED NATIONS", 2,
	7, "Xinhua"},
    {"Пекин, 3 декабря /Синьхуа/ -- Экспорт вырос.", "Пекин", 12, 3, "Xinhua"},
    {"DAR ES SALAAM, Dec. 3 (Xinhua) \xE2\x80\x94 Rains came.", "DAR ES SALAAM",
	12, 3, "Xinhua"},
    /* BelTA */
    {"MINSK, 3 December (BelTA) - The harvest ended.", "MINSK", 12, 3, "BelTA"},
    {"МИНСК, 3 декабря (БЕЛТА) - Уборка закончилась.", "МИНСК", 12, 3, "BelTA"},
    {"GOMEL, 12 May (BelTA) \xE2\x80\x93 The fair opened.", "GOMEL", 5, 12,
	"BelTA"},
    /* Kazinform: often no date */
    {"ASTANA. KAZINFORM - The government met.", "ASTANA", 0, 0, "Kazinform"},
    {"АСТАНА. КАЗИНФОРМ - Правительство собралось.", "АСТАНА", 0, 0,
	"Kazinform"},
    {"ALMATY. December 3. KAZINFORM - Snow fell.", "ALMATY", 12, 3,
	"Kazinform"},
    {"NUR-SULTAN. KAZINFORM \xE2\x80\x93 The forum opened.", "NUR-SULTAN", 0, 0,
	"Kazinform"},
    /* Trend, AZERTAC */
    {"Georgia, Tbilisi, Jan. 15 /Trend/", "Tbilisi", 1, 15, "Trend"},
    {"Azerbaijan, Baku, Dec.3 / Trend , K. Aliyeva/", "Baku", 12, 3, "Trend"},
    {"Baku, December 3, AZERTAC", "Baku", 12, 3, "AZERTAC"},
    /* other agencies in the paren form */
    {"KYIV, Dec 3 (Ukrinform) - The council met.", "KYIV", 12, 3, "Ukrinform"},
    {"KYIV, Dec 3 (UNIAN) - The council met.", "KYIV", 12, 3, "UNIAN"},
    {"ANKARA (AA) - The parliament met.", "ANKARA", 0, 0, "Anadolu"},
    {"SEOUL, Dec. 3 (Yonhap) -- Exports grew.", "SEOUL", 12, 3, "Yonhap"},
    {"KUALA LUMPUR, Dec 3 (Bernama) -- Rain fell.", "KUALA LUMPUR", 12, 3,
	"Bernama"},
    {"TEHRAN, Dec. 3 (IRNA) - The envoy spoke.", "TEHRAN", 12, 3, "IRNA"},
    {"Москва, 3 декабря 2025, 10:15 \xE2\x80\x94 ИА Регнум. Мороз усилился.",
	"Москва", 12, 3, "Regnum"},
    {"ASTANA. December 3. KAZINFORM The forum opened.", "ASTANA", 12, 3,
	"Kazinform"},
    {"ALMATY. May 9. KAZINFORM 25 veterans were honoured.", "ALMATY", 5, 9,
	"Kazinform"},
    /* a dash glued to the text, EFE's ".-", a dateline as a line of its
     * own */
    {"UNITED NATIONS, Feb. 7 (Xinhua)--The envoy spoke.", "UNITED NATIONS", 2,
	7, "Xinhua"},
    {"MOSCOW, Dec 3 (Reuters) \xE2\x80\x94The bank cut its rate.", "MOSCOW", 12,
	3, "Reuters"},
    {"Madrid, Dec 3 (EFE).- The strike went on.", "Madrid", 12, 3, "EFE"},
    {"MOSCOW, March 23 (RIA Novosti)", "MOSCOW", 3, 23, "RIA Novosti"},
    {"LONDON (Reuters)", "LONDON", 0, 0, "Reuters"},
    {"RALEIGH, N.C., Dec. 3 (UPI) -- A storm hit.", "RALEIGH", 12, 3, "UPI"},
    {"BAKU, Azerbaijan, Dec. 3 (Trend) - Talks went on.", "BAKU", 12, 3,
	"Trend"},
    {"Baku, Azerbaijan, Nov. 26 (Trend) - Talks went on.", "Baku", 11, 26,
	"Trend"},
    {"MOSCOW, December 18. /TASS/: Trials begin in spring.", "MOSCOW", 12, 18,
	"TASS"},
    {"DHAKA, Bangladesh (AA) \xE2\x80\x93 The editor spoke.", "DHAKA", 0, 0,
	"Anadolu"},
    /* BelTA's Russian copy: the date first */
    {"3 декабря, Минск /Корр. БЕЛТА/. Уборка закончилась.", "Минск", 12, 3,
	"BelTA"},
    {"14 мая, Гродно /Ирина Петрова - БЕЛТА/. Ярмарка открылась.", "Гродно", 5,
	14, "BelTA"},
    /* a place, a comma or a dot, and no date or agency: text, not a
     * dateline */
    {"Moscow, the Russian capital, hosted the talks.", NULL},
    {"KYIV, Ukraine's capital, was quiet overnight.", NULL},
    {"Astana. The capital hosted a summit.", NULL},
    {"ASTANA. The summit - it opened today.", NULL},
    {"London, December 3 was a cold day.", NULL},
    {"Washington, D.C. remains the capital.", NULL},
    {"Minsk, Belarus (AP) said nothing.", NULL},
    {"Moscow (Russia) - the talks went on.", NULL},
    {"UNITED NATIONS, the world body, said on Tuesday.", NULL},
    {"Москва, столица России, приняла гостей.", NULL},
    {"Baku, Azerbaijan, and Tbilisi signed a deal.", NULL},
    {"Baku, December 3, Trend reported that talks went on.", NULL},
    {"Paris, France - the strike went on.", NULL},
    {"3 декабря, Минск принял гостей форума.", NULL},
    {"December 3, Moscow will host the forum.", NULL},
    {"14 мая, Гродно /Ярмарка/. Открылась.", NULL},
    {"MOSCOW. TASS said the talks went on.", NULL},
    {"Moscow (Russia)", NULL},
    {"Putin (AP)-style talks went on.", NULL},
};

static void
agency_dateline_table(void **state)
{
	struct nw_dateline d;
	size_t i, len, failed = 0;

	/* every failing line is printed, then the count is checked, so the
	 * figure shows how far the recogniser is from the table */
	for (i = 0; i < sizeof agency_cases / sizeof agency_cases[0]; i++) {
		const struct agency_case *c = &agency_cases[i];
		int ok;

		len =
		    nw_dateline_parse(c->para, strlen(c->para), JUNE_2025, &d);
		if (c->city == NULL)
			ok = len == 0;
		else
			ok = len > 0 && strcmp(d.city, c->city) == 0 &&
			    d.month == c->month && d.day == c->day &&
			    (c->agency == NULL ? d.agency == NULL
					       : d.agency != NULL &&
					strcmp(d.agency, c->agency) == 0);
		if (!ok) {
			failed++;
			print_message("FAIL %zu: %s -> %s %d %d %s\n", i,
			    c->para, len ? d.city : "(none)", len ? d.month : 0,
			    len ? d.day : 0,
			    len && d.agency ? d.agency : "(none)");
		}
		if (len > 0) {
			free(d.text);
			free(d.city);
			free(d.region);
			free(d.agency);
		}
	}
	print_message("%zu of %zu lines fail\n", failed,
	    sizeof agency_cases / sizeof agency_cases[0]);
	assert_int_equal(failed, 0);
}

static void
all_dateline_forms(void **state)
{
	struct nw_dateline d;
	size_t i, len;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct dl_case *c = &cases[i];
		print_message("case %zu: %s\n", i, c->para);
		len = nw_dateline_parse(c->para, strlen(c->para), c->ref, &d);
		if (c->text == NULL) {
			assert_int_equal(len, 0);
			continue;
		}
		assert_int_equal(len, strlen(c->text));
		assert_string_equal(d.text, c->text);
		assert_string_equal(d.city, c->city);
		if (c->region == NULL)
			assert_null(d.region);
		else
			assert_string_equal(d.region, c->region);
		assert_int_equal(d.month, c->month);
		assert_int_equal(d.day, c->day);
		assert_int_equal(d.year, c->year);
		assert_string_equal(d.date, c->date);
		if (c->agency == NULL)
			assert_null(d.agency);
		else
			assert_string_equal(d.agency, c->agency);
		free(d.text);
		free(d.city);
		free(d.region);
		free(d.agency);
	}
}

static void
months_in_both_languages(void **state)
{
	static const char *const en[] = {"January", "February", "March",
	    "April", "May", "June", "July", "August", "September", "October",
	    "November", "December"};
	static const char *const en_short[] = {"Jan.", "Feb", "Mar.", "Apr",
	    "MAY", "Jun", "Jul.", "Aug", "Sept.", "Oct", "Nov.", "Dec"};
	static const char *const ru[] = {"января", "февраля", "марта", "апреля",
	    "мая", "июня", "июля", "августа", "сентября", "октября", "ноября",
	    "декабря"};
	static const char *const ru_short[] = {"янв", "фев", "мар", "апр",
	    "мая", "июн", "июл", "авг", "сен", "окт", "ноя", "дек."};
	int m;

	for (m = 0; m < 12; m++) {
		assert_int_equal(nw_month_lookup(en[m], strlen(en[m])), m + 1);
		assert_int_equal(
		    nw_month_lookup(en_short[m], strlen(en_short[m])), m + 1);
		assert_int_equal(nw_month_lookup(ru[m], strlen(ru[m])), m + 1);
		assert_int_equal(
		    nw_month_lookup(ru_short[m], strlen(ru_short[m])), m + 1);
	}
	assert_int_equal(nw_month_lookup("ИЮНЯ", strlen("ИЮНЯ")), 6);
	assert_int_equal(nw_month_lookup("Moscow", 6), 0);
	assert_int_equal(nw_month_lookup("", 0), 0);
}

static void
year_is_inferred_from_the_reference(void **state)
{
	/* a December dateline received in January is last year's */
	assert_int_equal(nw_infer_year(12, 26, JAN_2026), 2025);
	assert_int_equal(nw_infer_year(1, 2, JAN_2026), 2026);
	/* two days' grace for time zones, then it must be last year */
	assert_int_equal(nw_infer_year(1, 5, JAN_2026), 2026);
	assert_int_equal(nw_infer_year(1, 6, JAN_2026), 2025);
	assert_int_equal(nw_infer_year(6, 6, JUNE_2025), 2025);
	assert_int_equal(nw_infer_year(7, 6, JUNE_2025), 2024);
	/* February 29 goes back to the last leap year */
	assert_int_equal(nw_infer_year(2, 29, JUNE_2025), 2024);
	assert_int_equal(nw_infer_year(2, 30, JUNE_2025), 0);
}

static void
published_at_wins_over_received_at(void **state)
{
	const char *s = "All news\n\nHeadline of the story\n\n"
			"MOSCOW, December 30. /TASS/. Text.";
	struct nw_parse_opts opts = {
	    .received_at_ms = JUNE_2025, .published_at_ms = JAN_2026};
	struct nw_event *ev;

	assert_int_equal(nw_parse(s, strlen(s), &opts, &ev, NULL), NW_OK);
	assert_string_equal(ev->dateline->date, "2025-12-30");
	nw_event_free(ev);
	opts.published_at_ms = 0;
	assert_int_equal(nw_parse(s, strlen(s), &opts, &ev, NULL), NW_OK);
	assert_string_equal(ev->dateline->date, "2024-12-30");
	nw_event_free(ev);
}

/* A dateline without an agency takes it from the sign-off line at the
 * end or from a byline above; with neither it stays null. */
static void
agency_from_signoff_or_byline(void **state)
{
	static const struct {
		const char *text;
		const char *agency;
	} docs[] = {
	    {"HARBOUR FEES TO RISE\n\nOSLO, March 2 - Fees rise, the port "
	     "said.\n\nShips pay more.\n\nREUTER",
		"Reuters"},
	    {"HARBOUR FEES TO RISE\n\nBy Kari Nordby, Reuters\n\nOSLO, "
	     "March 2 - Fees rise, the port said.\n\nShips pay more.",
		"Reuters"},
	    {"HARBOUR FEES TO RISE\n\nOSLO, March 2 - Fees rise, the port "
	     "said.\n\nShips pay more.",
		NULL},
	    /* a closing line that names no agency is not a sign-off */
	    {"HARBOUR FEES TO RISE\n\nOSLO, March 2 - Fees rise, the port "
	     "said.\n\nShips pay more.\n\nEnd",
		NULL},
	};
	struct nw_parse_opts opts = {.received_at_ms = JUNE_2025};
	struct nw_event *ev;
	size_t i;

	for (i = 0; i < sizeof docs / sizeof docs[0]; i++) {
		print_message("case %zu\n", i);
		assert_int_equal(nw_parse(docs[i].text, strlen(docs[i].text),
				     &opts, &ev, NULL),
		    NW_OK);
		assert_non_null(ev->dateline);
		assert_string_equal(ev->dateline->text, "OSLO, March 2 -");
		if (docs[i].agency == NULL) {
			assert_null(ev->dateline->agency);
			assert_null(ev->agency);
		} else {
			assert_string_equal(
			    ev->dateline->agency, docs[i].agency);
			assert_string_equal(ev->agency, docs[i].agency);
		}
		nw_event_free(ev);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(all_dateline_forms),
	    cmocka_unit_test(agency_dateline_table),
	    cmocka_unit_test(months_in_both_languages),
	    cmocka_unit_test(year_is_inferred_from_the_reference),
	    cmocka_unit_test(published_at_wins_over_received_at),
	    cmocka_unit_test(agency_from_signoff_or_byline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
