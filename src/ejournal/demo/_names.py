"""Name lists of the demo school: Russian and Tatar surnames, given names and patronymics.

Tatar names appear both in Tatar spelling (with ә ө ү җ ң һ) and in the Russian spelling common
in documents, and Russian names with and without Ё, so that collation and fonts are exercised.
"""

from __future__ import annotations

import random

from ejournal.core.model import PersonName

__all__ = ["female_surname", "random_name"]

# Surnames in the masculine form; the feminine form is derived by :func:`female_surname`.
RUSSIAN_SURNAMES: tuple[str, ...] = (
    "Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов",
    "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров",
    "Павлов", "Козлов", "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин",
    "Захаров", "Зайцев", "Соловьёв", "Борисов", "Яковлев", "Григорьев", "Романов", "Воробьёв",
    "Ёлкин", "Елкин", "Ершов", "Белов", "Королёв", "Щербаков", "Жуков", "Чернышёв", "Крылов",
    "Шевчук", "Ким",
)  # fmt: skip

TATAR_SURNAMES: tuple[str, ...] = (
    "Сафин", "Вәлиев", "Гыйләҗев", "Җәләлов", "Әхмәтов", "Хәйруллин", "Галиев", "Зарипов",
    "Хабибуллин", "Миңнеханов", "Шәрипов", "Нуриев", "Гарипов", "Мөхәммәтшин", "Җиһангиров",
    "Садыйков", "Үзбәков", "Фәттахов", "Сабиров", "Хафизов", "Латыйпов", "Мингазов", "Ибраһимов",
    "Әхмәдуллин", "Гатауллин", "Исмәгыйлев", "Шакиров", "Юсупов", "Ганиев", "Низамов",
)  # fmt: skip

RUSSIAN_MALE: tuple[str, ...] = (
    "Александр", "Дмитрий", "Максим", "Артём", "Иван", "Михаил", "Никита", "Кирилл", "Егор",
    "Матвей", "Илья", "Алексей", "Фёдор", "Семён", "Тимофей", "Роман", "Андрей", "Лев",
)  # fmt: skip
RUSSIAN_FEMALE: tuple[str, ...] = (
    "Анна", "Мария", "Анастасия", "Дарья", "Елизавета", "Полина", "Виктория", "Софья", "Ксения",
    "Алёна", "Варвара", "Ульяна", "Екатерина", "Ольга", "Василиса", "Вероника",
)  # fmt: skip
TATAR_MALE: tuple[str, ...] = (
    "Айдар", "Тимур", "Булат", "Рамил", "Әмир", "Нурислам", "Рөстәм", "Ильназ", "Данияр", "Камил",
    "Азат", "Һади", "Инсаф", "Ринат", "Салават", "Ислам", "Марат", "Ирек",
)  # fmt: skip
TATAR_FEMALE: tuple[str, ...] = (
    "Алсу", "Гөлназ", "Әлия", "Айгөл", "Ләйсән", "Камилә", "Диләрә", "Зөлфия", "Ралинә", "Гүзәл",
    "Сөмбел", "Амина", "Ясминә", "Регина", "Әминә", "Илүзә",
)  # fmt: skip

# Fathers' names with the patronymics they give a son and a daughter.
RUSSIAN_FATHERS: tuple[tuple[str, str], ...] = (
    ("Сергеевич", "Сергеевна"), ("Иванович", "Ивановна"), ("Фёдорович", "Фёдоровна"),
    ("Александрович", "Александровна"), ("Дмитриевич", "Дмитриевна"), ("Андреевич", "Андреевна"),
    ("Ильич", "Ильинична"), ("Никитич", "Никитична"), ("Алексеевич", "Алексеевна"),
    ("Михайлович", "Михайловна"), ("Олегович", "Олеговна"), ("Семёнович", "Семёновна"),
)  # fmt: skip
TATAR_FATHERS: tuple[tuple[str, str], ...] = (
    ("Ринатович", "Ринатовна"), ("Илдарович", "Илдаровна"), ("Рәисович", "Рәисовна"),
    ("Маратович", "Маратовна"), ("Рамилевич", "Рамилевна"), ("Айратович", "Айратовна"),
    ("Фәридович", "Фәридовна"), ("Ильдусович", "Ильдусовна"), ("Рөстәмович", "Рөстәмовна"),
    ("Наилевич", "Наилевна"), ("Тәлгатович", "Тәлгатовна"), ("Азатович", "Азатовна"),
)  # fmt: skip


def female_surname(surname: str) -> str:
    """The feminine form of a masculine surname (Иванов → Иванова, Сафин → Сафина).

    Surnames that do not decline by gender (Шевчук, Ким) are returned unchanged.
    """
    if surname.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return surname + "а"
    if surname.endswith("ский"):
        return surname[:-4] + "ская"
    return surname


def random_name(rng: random.Random, *, female: bool, tatar: bool) -> PersonName:
    """A full name drawn with ``rng``: a Tatar or Russian one, in the given gender's forms."""
    surnames = TATAR_SURNAMES if tatar else RUSSIAN_SURNAMES
    given_names = {
        (True, True): TATAR_FEMALE,
        (True, False): RUSSIAN_FEMALE,
        (False, True): TATAR_MALE,
        (False, False): RUSSIAN_MALE,
    }[female, tatar]
    fathers = TATAR_FATHERS if tatar else RUSSIAN_FATHERS
    surname = rng.choice(surnames)
    if female:
        surname = female_surname(surname)
    son, daughter = rng.choice(fathers)
    return PersonName(surname, rng.choice(given_names), daughter if female else son)
