"""Four wire stories written for the two-hop stories test, two in English
and two in Russian (TASS style), each as a flash, the first full version,
an update and a correction; the repeat is the first version's text sent
again through a second channel. Datelines carry the given day."""

EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July",
             "August", "September", "October", "November", "December"]
RU_MONTHS = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля",
             "августа", "сентября", "октября", "ноября", "декабря"]

STEPS = ["flash", "first", "update", "correction"]


def _en(city, month, day, head, lede, p2, upd_head, quote, fix_from, fix_to,
        what):
    dl = "%s, %s %d. /TASS/. " % (city, EN_MONTHS[month - 1], day)
    first = "%s\n\n%s%s\n\n%s\n" % (head, dl, lede, p2)
    update = "%s\n\n%s%s\n\n%s\n\n%s\n" % (upd_head, dl, lede, p2, quote)
    fixed = lede.replace(fix_from, fix_to)
    correction = ("CORRECTED-%s\n\n(Corrects %s in paragraph 1)\n\n%s%s\n\n"
                  "%s\n\n%s\n" % (upd_head, what, dl, fixed, p2, quote))
    return {"flash": "URGENT: %s\n" % head, "first": first,
            "update": update, "correction": correction}


def _ru(city, month, day, head, lede, p2, upd_head, quote, fix_from, fix_to):
    dl = "%s, %d %s. /ТАСС/. " % (city, day, RU_MONTHS[month - 1])
    first = "%s\n\n%s%s\n\n%s\n" % (head, dl, lede, p2)
    update = "%s\n\n%s%s\n\n%s\n\n%s\n" % (upd_head, dl, lede, p2, quote)
    fixed = lede.replace(fix_from, fix_to)
    correction = "%s (исправлено)\n\n%s%s\n\n%s\n\n%s\n" % (
        upd_head, dl, fixed, p2, quote)
    return {"flash": "МОЛНИЯ\n\n%s%s.\n" % (dl, head), "first": first,
            "update": update, "correction": correction}


def stories(month, day):
    """{name: {step: text}} for the four stories."""
    return {
        "en-ferry": _en(
            "VLADIVOSTOK", month, day,
            "Passenger ferry runs aground off Russky Island near Vladivostok",
            "A passenger ferry with 86 people on board ran aground off "
            "Russky Island near Vladivostok on Wednesday afternoon, the "
            "regional transport prosecutor's office told TASS.",
            "The vessel was sailing from the city's marine terminal to the "
            "island's northern pier. No injuries have been reported so far.",
            "Passengers taken off ferry aground near Vladivostok, "
            "no one hurt",
            "\"All passengers have been brought ashore by rescue boats, "
            "divers are now inspecting the hull,\" the regional emergencies "
            "ministry said.",
            "86 people", "68 people", "number of people on board"),
        "en-metro": _en(
            "KAZAN", month, day,
            "Kazan metro halts trains on central line after power failure",
            "Trains on the central line of the Kazan metro were halted on "
            "Wednesday morning after a power failure at a traction "
            "substation, the city transport committee told TASS.",
            "Passengers of four trains stuck between stations are being led "
            "out through the tunnels. Extra buses run along the line above "
            "ground.",
            "Kazan metro restores traffic on central line after two-hour "
            "stoppage",
            "\"Power supply has been restored, trains run on the usual "
            "schedule,\" the metro's press office said.",
            "Wednesday morning", "Wednesday afternoon",
            "time of the power failure"),
        "ru-plane": _ru(
            "ПЕРМЬ", month, day,
            "Пассажирский самолет совершил вынужденную посадку в аэропорту "
            "Перми",
            "Пассажирский самолет, следовавший из Москвы в Пермь, совершил "
            "вынужденную посадку в аэропорту Большое Савино из-за "
            "неисправности шасси, сообщили ТАСС в пресс-службе аэропорта.",
            "На борту находились 112 пассажиров и шесть членов экипажа. "
            "Пострадавших нет, аэропорт работает в штатном режиме.",
            "Пассажиров самолета, севшего в Перми с неисправным шасси, "
            "доставили в терминал",
            "\"Все пассажиры доставлены в здание терминала, им предложены "
            "места в гостинице\", - сообщили в региональном управлении МЧС.",
            "из Москвы", "из Сочи"),
        "ru-blizzard": _ru(
            "МУРМАНСК", month, day,
            "В Мурманске из-за метели отменили занятия в школах",
            "Занятия во всех школах Мурманска отменены в среду из-за "
            "сильной метели и ветра до 25 метров в секунду, сообщили ТАСС "
            "в городском комитете по образованию.",
            "Детские сады работают в обычном режиме. Коммунальные службы "
            "вывели на улицы города всю снегоуборочную технику.",
            "Мэрия Мурманска продлила отмену занятий в школах из-за метели",
            "\"Решение о возобновлении занятий примем завтра утром, когда "
            "станет ясен прогноз\", - сказали в мэрии.",
            "до 25 метров", "до 28 метров"),
    }
