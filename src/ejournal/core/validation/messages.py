"""Message catalogs of validation: Russian and English templates keyed by message key.

Templates use ``str.format`` fields named after the finding's parameters.  The catalogs are
read-only mappings; user-defined rules bring their own templates (see :class:`Rule`).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["LOCALES", "MESSAGES", "TERMS", "UI"]

LOCALES: tuple[str, ...] = ("ru", "en")
"""The locales every built-in message is available in."""

_RU: dict[str, str] = {
    # EJ1xx marks and dates
    "mark_outside_year": "{student}: отметка {value} ({subject}) стоит на {date}, вне учебного года {year}.",
    "mark_between_periods": "{student}: отметка {value} ({subject}) стоит на {date} — вне периодов аттестации курса.",
    "mark_outside_enrolment": (
        "{student}: отметка {value} ({subject}) стоит на {date}, когда ученик ещё не числился в классе "
        "(зачислен {enrolled})."
    ),
    "mark_outside_enrolment_left": (
        "{student}: отметка {value} ({subject}) стоит на {date}, когда ученик не числился в классе "
        "(в классе с {enrolled} по {left})."
    ),
    "mark_in_future": "{student}: отметка {value} ({subject}) стоит на урок {date}, позже даты проверки {as_of}.",
    "mark_while_absent": "{student}: отметка {value} ({subject}) за урок {date}, на котором ученик отмечен «{code}».",
    "mark_off_scale": "{student}: отметка {value} ({subject}, {date}) не входит в шкалу «{scale}».",
    "mark_in_unmarked_subject": "{student}: отметка {value} на {date} по предмету «{subject}», который ведётся без отметок.",
    # EJ2xx certification and period marks
    "too_few_marks_open": (
        "{student}: по предмету «{subject}» за период «{period}» отметок {count}, а для аттестации нужно "
        "не меньше {minimum} (период ещё открыт)."
    ),
    "too_few_marks_closed": (
        "{student}: по предмету «{subject}» за закрытый период «{period}» отметок {count} (нужно не меньше "
        "{minimum}), но выставлена отметка {value}, а не «н/а»."
    ),
    "period_mark_missing": "{student}: нет отметки по предмету «{subject}» за закрытый период «{period}».",
    "period_mark_differs": (
        "{student}: отметка {value} по предмету «{subject}» за период «{period}» отличается от расчётной {proposed}."
    ),
    "period_mark_deviates": (
        "{student}: отметка {value} по предмету «{subject}» за период «{period}» отличается от расчётной "
        "{proposed} на {difference} — больше допустимого ({allowed})."
    ),
    "result_not_enrolled": (
        "{student}: есть отметка по предмету «{subject}» за период «{period}», хотя в этот период ученик "
        "не числился в классе."
    ),
    "result_off_scale": "{student}: отметка {value} ({kind}, «{subject}») не входит в шкалу «{scale}».",
    "period_mark_early": (
        "{student}: отметка по предмету «{subject}» за период «{period}» выставлена {set_on}, до окончания "
        "периода ({end})."
    ),
    # EJ3xx annual, exam, final
    "annual_mark_differs": (
        "{student}: годовая отметка {value} по предмету «{subject}» отличается от {proposed}, рассчитанной по "
        "отметкам за периоды."
    ),
    "annual_mark_deviates": (
        "{student}: годовая отметка {value} по предмету «{subject}» отличается от расчётной {proposed} на "
        "{difference} — больше допустимого ({allowed})."
    ),
    "annual_mark_missing": "{student}: нет годовой отметки по предмету «{subject}», а год закрыт.",
    "final_mark_wrong": (
        "{student}: итоговая отметка {value} по предмету «{subject}» не соответствует правилу — должно быть {expected}."
    ),
    "final_mark_missing": "{student}: нет итоговой отметки по предмету «{subject}» (выпускной класс, год закрыт).",
    "exam_mark_missing": "{student}: нет экзаменационной отметки по предмету «{subject}», по которому сдаётся экзамен.",
    "exam_mark_not_examined": "{student}: экзаменационная отметка {value} по предмету «{subject}», по которому экзамена нет.",
    "final_mark_not_graduating": "{student}: итоговая отметка по предмету «{subject}», хотя {grade} класс не выпускной.",
    "exam_choice_count": "{student}: выбрано экзаменов по выбору — {count}, а нужно {required}.",
    "chosen_exam_mark_missing": "{student}: нет экзаменационной отметки по выбранному экзамену «{subject}».",
    "exam_mark_not_chosen": "{student}: экзаменационная отметка {value} по предмету «{subject}», который не выбран для экзамена.",
    "exam_score_mismatch": (
        "{student}: экзаменационная отметка {value} по предмету «{subject}» не соответствует первичному баллу "
        "{score} по таблице перевода — должно быть {expected}."
    ),
    # EJ4xx decisions
    "promoted_with_debt": "{student}: решение «{decision}», хотя есть академическая задолженность: {subjects}.",
    "graduated_with_debt": "{student}: решение «{decision}», хотя есть неудовлетворительные результаты: {subjects}.",
    "conditional_without_debt": "{student}: переведён условно, но академической задолженности нет.",
    "decision_missing": "{student}: нет решения педагогического совета, а год закрыт.",
    "promoted_wrong_grade": "{student}: переведён в {to_grade} класс из {grade} класса.",
    "repeat_without_debt": "{student}: решение «{decision}», но академической задолженности нет.",
    "honours_without_fives": "{student}: окончил школу с отличием, но итоговая отметка по предмету «{subject}» — {value}.",
    # EJ5xx lessons and entry
    "lesson_outside_year": "Урок по предмету «{subject}» стоит на {date}, вне учебного года {year}.",
    "lesson_between_periods": "Урок по предмету «{subject}» стоит на {date} — вне периодов аттестации курса.",
    "lesson_without_topic": "Урок по предмету «{subject}» {date}: не указана тема.",
    "lesson_without_homework": "Урок по предмету «{subject}» {date}: не указано домашнее задание.",
    "attendance_in_future": (
        "{student}: отметка посещаемости «{code}» на урок по предмету «{subject}» {date}, позже даты проверки {as_of}."
    ),
    "mark_entered_late": (
        "{student}: отметка {value} ({subject}, урок {date}) внесена {entered}, через {days} дн. после урока; "
        "допускается не позже чем через {window} дн."
    ),
    "attendance_outside_enrolment": (
        "{student}: отметка посещаемости «{code}» на урок по предмету «{subject}» {date}, когда ученик "
        "не числился в классе."
    ),
    "duplicate_lesson": "Два урока по предмету «{subject}» {date} под одним номером {number}: {lesson} и {other}.",
    "mark_entered_early": "{student}: отметка {value} ({subject}) внесена {entered}, раньше даты урока {date}.",
    # EJ6xx structure
    "duplicate_student": (
        "Ученики {student} ({student_id}) и {other} ({other_id}) совпадают по ФИО и дате рождения {birth}."
    ),
    "course_without_teacher": "Курс {course} («{subject}»): не указан учитель.",
    "zero_weight": "Вид работы «{name}» имеет вес 0: его отметки не входят в средний балл.",
    "arrival_without_order": "{student}: прибыл {enrolled}, но номер приказа о зачислении не указан.",
    "departure_without_order": "{student}: выбыл {left}, но номер приказа о выбытии не указан.",
    "enrolment_outside_year": "{student}: зачислен {enrolled}, после окончания учебного года {year}.",
    "enrolment_outside_year_left": (
        "{student}: числился в классе с {enrolled} по {left}, что не пересекается с учебным годом {year}."
    ),
    "no_class_teacher": "Класс {label}: не указан классный руководитель.",
    "scale_mismatch": "Предмет «{subject}» оценивается «{assessment}», но курс {course} ведётся по шкале «{scale}».",
}

_EN: dict[str, str] = {
    "mark_outside_year": "Mark {value} of {student} ({subject}) is dated {date}, outside the academic year {year}.",
    "mark_between_periods": (
        "Mark {value} of {student} ({subject}) is dated {date}, which lies in no certification period of the course."
    ),
    "mark_outside_enrolment": (
        "Mark {value} of {student} ({subject}) is dated {date}, when the student was not in the class "
        "(enrolled {enrolled})."
    ),
    "mark_outside_enrolment_left": (
        "Mark {value} of {student} ({subject}) is dated {date}, when the student was not in the class "
        "(in the class from {enrolled} to {left})."
    ),
    "mark_in_future": "Mark {value} of {student} ({subject}) is on a lesson of {date}, after the check date {as_of}.",
    "mark_while_absent": "{student} has mark {value} ({subject}) for the lesson of {date} but is marked «{code}» there.",
    "mark_off_scale": "Mark {value} of {student} ({subject}, {date}) is not on the scale «{scale}».",
    "mark_in_unmarked_subject": "{subject} is taught without marks, yet {student} has mark {value} on {date}.",
    "too_few_marks_open": (
        "{student} has {count} mark(s) in {subject} for {period}; certification needs at least {minimum} "
        "(the period is still open)."
    ),
    "too_few_marks_closed": (
        "{student} has {count} mark(s) in {subject} for the closed period {period} (at least {minimum} needed), "
        "yet the period mark is {value} instead of «н/а»."
    ),
    "period_mark_missing": "{student} has no period mark in {subject} for the closed period {period}.",
    "period_mark_differs": (
        "The period mark {value} of {student} in {subject} for {period} differs from the proposed {proposed}."
    ),
    "period_mark_deviates": (
        "The period mark {value} of {student} in {subject} for {period} differs from the proposed {proposed} "
        "by {difference}, more than allowed ({allowed})."
    ),
    "result_not_enrolled": (
        "{student} has a mark in {subject} for {period} but was not in the class during that period."
    ),
    "result_off_scale": "The {kind} mark {value} of {student} in {subject} is not on the scale «{scale}».",
    "period_mark_early": (
        "The period mark of {student} in {subject} for {period} was set on {set_on}, before the period ended ({end})."
    ),
    "annual_mark_differs": (
        "The annual mark {value} of {student} in {subject} differs from {proposed}, proposed from the period marks."
    ),
    "annual_mark_deviates": (
        "The annual mark {value} of {student} in {subject} differs from the proposed {proposed} "
        "by {difference}, more than allowed ({allowed})."
    ),
    "annual_mark_missing": "{student} has no annual mark in {subject}, and the year is closed.",
    "final_mark_wrong": "The final mark {value} of {student} in {subject} breaks the rule: it should be {expected}.",
    "final_mark_missing": "{student} has no final mark in {subject} (graduating class, the year is closed).",
    "exam_mark_missing": "{student} has no exam mark in the examined subject {subject}.",
    "exam_mark_not_examined": "{student} has an exam mark {value} in {subject}, which has no exam.",
    "final_mark_not_graduating": (
        "{student} has a final mark in {subject}, but grade {grade} is not a graduating class."
    ),
    "exam_choice_count": "{student} has chosen {count} exams beside the required ones; {required} are needed.",
    "chosen_exam_mark_missing": "{student} has no exam mark in the chosen exam {subject}.",
    "exam_mark_not_chosen": "{student} has an exam mark {value} in {subject}, an exam they did not choose.",
    "exam_score_mismatch": (
        "The exam mark {value} of {student} in {subject} disagrees with the primary score {score}: "
        "the conversion table gives {expected}."
    ),
    "promoted_with_debt": "{student} is {decision} despite academic debts: {subjects}.",
    "graduated_with_debt": "{student} {decision} despite failing results: {subjects}.",
    "conditional_without_debt": "{student} is promoted conditionally but has no academic debt.",
    "decision_missing": "{student} has no decision of the pedagogical council, and the year is closed.",
    "promoted_wrong_grade": "{student} is promoted to grade {to_grade} from grade {grade}.",
    "repeat_without_debt": "{student}: the decision «{decision}» was taken, but there is no academic debt.",
    "honours_without_fives": "{student} graduated with honours, yet the final mark in {subject} is {value}.",
    "lesson_outside_year": "A lesson of {subject} is dated {date}, outside the academic year {year}.",
    "lesson_between_periods": (
        "A lesson of {subject} is dated {date}, which lies in no certification period of the course."
    ),
    "lesson_without_topic": "The lesson of {subject} on {date} has no topic.",
    "lesson_without_homework": "The lesson of {subject} on {date} has no homework.",
    "attendance_in_future": (
        "Attendance «{code}» of {student} is recorded for a lesson of {subject} on {date}, after the check date {as_of}."
    ),
    "mark_entered_late": (
        "Mark {value} of {student} ({subject}, lesson of {date}) was entered on {entered}, {days} day(s) after "
        "the lesson; the edit window is {window} day(s)."
    ),
    "attendance_outside_enrolment": (
        "Attendance «{code}» of {student} is recorded for a lesson of {subject} on {date}, "
        "when the student was not in the class."
    ),
    "duplicate_lesson": "Two lessons of {subject} on {date} have the same number {number}: {lesson} and {other}.",
    "mark_entered_early": "Mark {value} of {student} ({subject}) was entered on {entered}, before the lesson of {date}.",
    "duplicate_student": (
        "Students {student} ({student_id}) and {other} ({other_id}) have the same full name and birth date {birth}."
    ),
    "course_without_teacher": "Course {course} ({subject}) has no teacher.",
    "zero_weight": "Work type «{name}» has weight 0: its marks do not count in averages.",
    "arrival_without_order": "{student} arrived on {enrolled}, but the order number of the arrival is missing.",
    "departure_without_order": "{student} left on {left}, but the order number of the departure is missing.",
    "enrolment_outside_year": "{student} is enrolled on {enrolled}, after the academic year {year} ends.",
    "enrolment_outside_year_left": (
        "{student} was in the class from {enrolled} to {left}, which does not overlap the academic year {year}."
    ),
    "no_class_teacher": "Class {label} has no class teacher.",
    "scale_mismatch": "{subject} is assessed as «{assessment}», but course {course} uses the scale «{scale}».",
}

_TERMS_RU: dict[str, str] = {
    "result.period": "за период",
    "result.annual": "годовая",
    "result.exam": "экзаменационная",
    "result.final": "итоговая",
    "decision.promoted": "переведён",
    "decision.promoted_conditionally": "переведён условно",
    "decision.repeat_year": "оставлен на повторное обучение",
    "decision.adapted_programme": "переведён на адаптированную программу",
    "decision.individual_plan": "переведён на обучение по индивидуальному плану",
    "decision.admitted_to_exam": "допущен к ГИА",
    "decision.not_admitted_to_exam": "не допущен к ГИА",
    "decision.graduated": "окончил школу",
    "decision.graduated_with_honours": "окончил школу с отличием",
    "decision.left": "выбыл",
    "assessment.graded": "по отметкам",
    "assessment.pass_fail": "зачёт/незачёт",
    "assessment.none": "без отметок",
    "none": "—",
}

_TERMS_EN: dict[str, str] = {
    "result.period": "period",
    "result.annual": "annual",
    "result.exam": "exam",
    "result.final": "final",
    "decision.promoted": "promoted",
    "decision.promoted_conditionally": "promoted conditionally",
    "decision.repeat_year": "left to repeat the year",
    "decision.adapted_programme": "moved to an adapted programme",
    "decision.individual_plan": "moved to an individual study plan",
    "decision.admitted_to_exam": "admitted to the state exam",
    "decision.not_admitted_to_exam": "not admitted to the state exam",
    "decision.graduated": "graduated",
    "decision.graduated_with_honours": "graduated with honours",
    "decision.left": "left",
    "assessment.graded": "graded",
    "assessment.pass_fail": "pass/fail",
    "assessment.none": "without marks",
    "none": "—",
}

_UI_RU: dict[str, str] = {
    "severity.error": "ошибка",
    "severity.warning": "предупреждение",
    "severity.info": "сведения",
    "header": "Проверка журнала {journal} на {as_of}: ошибок {error}, предупреждений {warning}, сведений {info}.",
    "ready": "Журнал готов к заверению.",
    "not_ready": "Журнал не готов к заверению: ошибок {error}.",
    "student": "ученик",
    "course": "курс",
    "period": "период",
    "lesson": "урок",
    "mark": "отметка",
    "date": "дата",
    "why": "Расчёт",
}

_UI_EN: dict[str, str] = {
    "severity.error": "error",
    "severity.warning": "warning",
    "severity.info": "info",
    "header": "Journal {journal} checked on {as_of}: {error} error(s), {warning} warning(s), {info} info.",
    "ready": "The journal is ready to certify.",
    "not_ready": "The journal is not ready to certify: {error} error(s).",
    "student": "student",
    "course": "course",
    "period": "period",
    "lesson": "lesson",
    "mark": "mark",
    "date": "date",
    "why": "Computation",
}

MESSAGES: Mapping[str, Mapping[str, str]] = MappingProxyType({"ru": MappingProxyType(_RU), "en": MappingProxyType(_EN)})
"""Message templates: ``MESSAGES[locale][key]``."""

TERMS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {"ru": MappingProxyType(_TERMS_RU), "en": MappingProxyType(_TERMS_EN)}
)
"""Translated parameter values (:class:`Term` keys): ``TERMS[locale][key]``."""

UI: Mapping[str, Mapping[str, str]] = MappingProxyType({"ru": MappingProxyType(_UI_RU), "en": MappingProxyType(_UI_EN)})
"""Labels of the text report: ``UI[locale][key]``."""
