"""A person note -> its Person record (`Records.person`), with the parts that are more than a value:
mentorship and milestones."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from vaultkit.diagnostics import Diagnostic
from vaultkit.model.construct import constructor
from vaultkit.model.fields import Fields, note_tags
from vaultkit.model.types import Mentorship, Milestone, Person
from vaultkit.read.types import Note, note_name
from vaultkit.values import ValueError_, parse_birthday, parse_cadence, parse_date, str_list

if TYPE_CHECKING:
    from vaultkit.model.records import Records

__all__ = ["person_record", "read_mentorship", "read_milestones"]

new_person = constructor(Person)


def person_record(maker: Records, n: Note, diags: list[Diagnostic]) -> Person:
    """The Person of note `n`, made by `maker` (for its links and people); unreadable values reported, in
    the order the fields are read here."""
    f = Fields(n, diags)
    get = f.get
    text = f.text
    path = n.path
    org = org_path = how_met = how_met_path = None
    if get("org") is not None:
        org = text("org")
        if org:
            org, org_path = maker.link_to_note(org, path)
    if get("how_met") is not None:
        how_met = text("how_met")
        if how_met:
            how_met, how_met_path = maker.link_to_note(how_met, path)
    value = get("mentorship")
    mentorship = None if value is None else read_mentorship(f, value)
    value = get("milestones")
    milestones = () if value is None else read_milestones(f, value)
    role = text("role")
    value = get("emails")
    emails = [] if value is None else str_list(value)
    value = get("email")
    if value is not None:
        emails += str_list(value)
    value = get("phones")
    phones = () if value is None else tuple(str_list(value))
    value = get("phone")
    if value is not None:
        phones += tuple(str_list(value))
    linkedin = text("linkedin")
    location = text("location")
    tags = note_tags(n.body.tags, get("tags"))
    cadence = f.typed("cadence", parse_cadence)
    last_contact = f.date("last_contact")
    snooze_until = f.date("snooze_until")
    birthday = f.typed("birthday", parse_birthday)
    met_on = f.date("met_on")
    value = get("relationship")
    relationship = () if value is None else tuple([r.lower() for r in str_list(value, comma_split=True)])
    value = get("offers")
    offers = () if value is None else tuple(str_list(value))
    value = get("needs")
    needs = () if value is None else tuple(str_list(value))
    return new_person(
        path, note_name(path), maker.people.aliases.get(path, ()), org, org_path, role,
        tuple([e.lower() for e in emails]), phones, linkedin, location, tags, cadence, last_contact,
        snooze_until, birthday, how_met, how_met_path, met_on, relationship, mentorship, offers, needs,
        milestones, maker.body_people(n),
    )  # fmt: skip


def read_mentorship(f: Fields, value: Any) -> Mentorship | None:
    """`mentorship:` (`since:` and `goals:` under it); anything else is reported and ignored."""
    if not isinstance(value, dict):
        f.report("mentorship", "mentorship: expected `since:` and `goals:` under it; ignored")
        return None
    since = None
    if value.get("since"):
        try:
            since = parse_date(value["since"])
        except ValueError_ as exc:
            f.report("mentorship", f"mentorship since: {exc}; ignored")
    return Mentorship(since, tuple(str_list(value.get("goals"))))


def read_milestones(f: Fields, value: Any) -> tuple[Milestone, ...]:
    """`milestones:` (a list of {date, what}, or one), by date; each one unreadable is reported."""
    if isinstance(value, dict):
        value = [value]
    elif not isinstance(value, list):
        f.report("milestones", "milestones: expected a list of {date: YYYY-MM-DD, what: ...}; ignored")
        return ()
    milestones = []
    for item in value:
        if not isinstance(item, dict) or "date" not in item:
            f.report("milestones", "milestones: each needs {date: YYYY-MM-DD, what: ...}; one ignored")
            continue
        try:
            milestones.append(Milestone(parse_date(item["date"]), str(item.get("what") or "").strip()))
        except ValueError_ as exc:
            f.report("milestones", f"milestones: {exc}; ignored")
    if len(milestones) > 1:
        milestones.sort(key=lambda m: m.date)
    return tuple(milestones)
