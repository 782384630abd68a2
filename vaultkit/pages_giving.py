"""Page contexts for Introductions, Mentorship, Giving back and Network (merged into `pages.PAGES`)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from vaultkit.insights.giving_top import giving_top
from vaultkit.insights.intros import intros
from vaultkit.insights.mentorship import GoalMatch, Mentoring, mentorship
from vaultkit.insights.network import mermaid_graph, mermaid_monthly, network
from vaultkit.insights.shared import Insights
from vaultkit.insights.warmth import warmth_label
from vaultkit.model import Vault

if TYPE_CHECKING:  # pages.py imports this module to merge the pages: no import back at runtime
    from vaultkit.pages import Linker, PageBuilder

PAGE_SUGGESTIONS = 30
PAGE_RECIPROCITY = 30
PAGE_OWE_BACK = 20
PAGE_MATCHES = 10
PAGE_MENTORING = 200  # mentors, mentees and updates owed shown (most overdue first)


def introductions_context(
    vault: Vault, today: dt.date, link: Linker, shared: Insights | None = None
) -> dict[str, object]:
    report = intros(vault, today, shared=shared)
    return {
        "today": today,
        "suggestion_count": len(report.suggestions),
        "suggestions": [
            {"a": link.ref(s.a), "b": link.ref(s.b), "score": s.score, "reasons": list(s.reasons)}
            for s in report.suggestions[:PAGE_SUGGESTIONS]
        ],
        "check_ins": [
            {
                "intro": link.ref(c.intro),
                "date": c.date,
                "days_ago": c.days_ago,
                "people": _refs(link, c.people),
            }
            for c in report.check_ins
        ],
        "recent": [
            {"intro": link.ref(m.path), "date": m.date, "people": _refs(link, m.people)}
            for m in report.recent
        ],
    }


def _refs(link: Linker, paths: tuple[str, ...]) -> list[dict[str, str]]:
    return [link.ref(p) for p in paths]


def _mentoring(link: Linker, m: Mentoring) -> dict[str, object]:
    return {
        "person": link.ref(m.person),
        "since": m.since,
        "goals": list(m.goals),
        "cadence": m.cadence,
        "last": m.last_check_in.date if m.last_check_in else None,
        "due": m.next_due,
        "days_overdue": m.days_overdue,
    }


def _goal_match(link: Linker, g: GoalMatch) -> dict[str, object]:
    return {
        "person": link.ref(g.person),
        "mine": g.mine,
        "theirs": g.theirs,
        "words": " ".join(g.words),
        "warmth": g.warmth_label,
    }


def mentorship_context(
    vault: Vault, today: dt.date, link: Linker, shared: Insights | None = None
) -> dict[str, object]:
    report = mentorship(vault, today, shared)
    return {
        "today": today,
        "my_goals": list(vault.me.goals),
        "my_offers": list(vault.me.offers),
        "mentors": [_mentoring(link, m) for m in report.mentors[:PAGE_MENTORING]],
        "mentor_count": len(report.mentors),
        "mentees": [_mentoring(link, m) for m in report.mentees[:PAGE_MENTORING]],
        "mentee_count": len(report.mentees),
        "updates_owed": [_mentoring(link, m) for m in report.updates_owed[:PAGE_MENTORING]],
        "updates_owed_count": len(report.updates_owed),
        "potential_mentors": [_goal_match(link, g) for g in report.potential_mentors[:PAGE_MATCHES]],
        "potential_mentor_count": len(report.potential_mentors),
        "could_help": [_goal_match(link, g) for g in report.could_help[:PAGE_MATCHES]],
        "could_help_count": len(report.could_help),
    }


def giving_context(
    vault: Vault, today: dt.date, link: Linker, shared: Insights | None = None
) -> dict[str, object]:
    report = giving_top(vault, today, PAGE_RECIPROCITY, PAGE_OWE_BACK, shared)
    return {
        "today": today,
        "reciprocity_count": report.reciprocity_count,
        "reciprocity": [
            {
                "person": link.ref(r.person),
                "given": r.given,
                "received": r.received,
                "latest": {
                    "date": r.latest.date,
                    "direction": r.latest.direction,
                    "what": r.latest.what,
                    "source": link.ref(r.latest.source),
                },
            }
            for r in report.reciprocity
        ],
        "owe_back_count": report.owe_back_count,
        "owe_back": [
            {
                "person": link.ref(o.person),
                "what": o.received.what,
                "date": o.received.date,
                "days_ago": o.days_ago,
                "source": link.ref(o.received.source),
            }
            for o in report.owe_back
        ],
        "resources": [
            {
                "resource": link.ref(r.resource),
                "topics": list(vault.resources[r.resource].topics),
                "people": [
                    {"person": link.ref(w.person), "why": w.why, "warmth": warmth_label(w.warmth)}
                    for w in r.people
                ],
            }
            for r in report.resources
        ],
    }


def network_context(
    vault: Vault, today: dt.date, link: Linker, shared: Insights | None = None
) -> dict[str, object]:
    report = network(vault, today, shared=shared)
    share = report.on_time_share
    return {
        "today": today,
        "people": report.people,
        "orgs": report.orgs,
        "events": report.events,
        "interactions_this_year": report.interactions_this_year,
        "with_cadence": report.with_cadence,
        "on_time": report.on_time,
        "on_time_percent": None if share is None else round(share * 100),
        "monthly_chart": mermaid_monthly(report),
        "busiest_months": [{"label": m.label, "count": m.count} for m in report.busiest_months if m.count],
        "closest_graph": mermaid_graph(vault, report),
        "closest": [{"person": link.ref(c.person), "warmth": warmth_label(c.warmth)} for c in report.closest],
        "by_org": [
            {"label": c.label, "count": c.count, "org": link.ref(c.path) if c.path else None}
            for c in report.by_org
        ],
        "by_tag": [{"label": c.label, "count": c.count} for c in report.by_tag],
        "losing_touch": [
            {"person": link.ref(x.person), "why": x.why, "last_contact": x.last_contact}
            for x in report.losing_touch
        ],
    }


GIVING_PAGES: dict[str, tuple[str, PageBuilder]] = {
    "Introductions.md": ("pages/Introductions.md.j2", introductions_context),
    "Mentorship.md": ("pages/Mentorship.md.j2", mentorship_context),
    "Giving back.md": ("pages/Giving back.md.j2", giving_context),
    "Network.md": ("pages/Network.md.j2", network_context),
}
