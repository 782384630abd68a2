"""The network at a glance: counts, on-time share, top lists, months, losing touch, Mermaid output, the page."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from tests.conftest import TODAY, VaultFactory, person
from vaultkit.config import Me
from vaultkit.insights.network import mermaid_graph, mermaid_label, mermaid_monthly, network, network_json
from vaultkit.load import load_vault
from vaultkit.model import Person, Touch, Vault
from vaultkit.pages import Linker
from vaultkit.pages_giving import GIVING_PAGES
from vaultkit.render import render_page


def interaction(date: str, *people: str) -> str:
    with_ = ", ".join(f'"[[{p}]]"' for p in people)
    return f"---\ndate: {date}\nwith: [{with_}]\nkind: call\n---\n"


def load(root: Path) -> Vault:
    return load_vault(root).vault


SMALL = {
    "vaultkit.toml": '[me]\nname = "Sam"\n',
    "people/Sam.md": person(),
    "people/Ann.md": person(org='"[[Acme]]"', tags=["climate", "python"], cadence="30d"),
    "people/Bob.md": person(org='"[[Acme]]"', tags=["climate"], cadence="weekly"),
    "people/Cy.md": person(org="Freelance", tags=["python", "climate"]),
    "orgs/Acme.md": "---\ntype: org\n---\n",
    "events/Meetup.md": "---\ndate: 2026-02-01\n---\n",
    "interactions/a1.md": interaction("2026-11-10", "Ann"),
    "interactions/a2.md": interaction("2026-10-10", "Ann", "Cy"),
    "interactions/a3.md": interaction("2026-10-12", "Cy"),
    "interactions/b1.md": interaction("2025-11-30", "Bob"),
    "interactions/b2.md": interaction("2025-10-01", "Bob"),
}


def test_counts_exclude_me_and_future(make_vault: VaultFactory) -> None:
    report = network(
        load(make_vault({**SMALL, "interactions/f.md": interaction("2026-12-01", "Ann")})), TODAY
    )
    assert (report.people, report.orgs, report.events, report.interactions_this_year) == (3, 1, 1, 3)


def test_on_time_share(make_vault: VaultFactory) -> None:
    report = network(load(make_vault(SMALL)), TODAY)
    assert (report.with_cadence, report.on_time, report.on_time_share) == (2, 1, 0.5)


def test_people_by_org_and_tag(make_vault: VaultFactory) -> None:
    vault = load(make_vault(SMALL))
    report = network(vault, TODAY)
    assert [(c.label, c.count, c.path) for c in report.by_org] == [
        ("Acme", 2, "orgs/Acme.md"),
        ("Freelance", 1, None),
    ]
    assert [(c.label, c.count) for c in report.by_tag] == [("climate", 3), ("python", 2)]
    assert [(c.label, c.count) for c in network(vault, TODAY, top=1).by_tag] == [("climate", 3)]


def test_months(make_vault: VaultFactory) -> None:
    report = network(load(make_vault(SMALL)), TODAY)
    assert [m.month for m in report.monthly] == ["2025-12"] + [f"2026-{m:02d}" for m in range(1, 12)]
    assert [m.count for m in report.monthly][-2:] == [2, 1]
    assert report.monthly[0].label == "Dec 2025"
    assert [(m.month, m.count) for m in report.busiest_months] == [
        ("2026-10", 2),
        ("2025-10", 1),
        ("2025-11", 1),
    ]


def test_losing_touch_lists_overdue_people(make_vault: VaultFactory) -> None:
    vault = load(make_vault(SMALL))
    report = network(vault, TODAY)
    assert [(vault.people[x.person].name, x.why) for x in report.losing_touch] == [
        ("Bob", "353 days overdue (cadence weekly)")
    ]


def test_closest_people_and_their_links(make_vault: VaultFactory) -> None:
    vault = load(make_vault(SMALL))
    report = network(vault, TODAY, closest=2)
    assert [vault.people[c.person].name for c in report.closest] == ["Ann", "Cy"]
    assert report.closest_links == (("people/Ann.md", "people/Cy.md"),)


def test_mermaid_label_escapes_quotes_and_brackets() -> None:
    assert (
        mermaid_label('Ann "The Hammer" [x] (y)\n#1')
        == '"Ann #quot;The Hammer#quot; #91;x#93; #40;y#41; #35;1"'
    )


def test_mermaid_monthly_is_well_formed(make_vault: VaultFactory) -> None:
    chart = mermaid_monthly(network(load(make_vault(SMALL)), TODAY))
    lines = chart.splitlines()
    assert lines[0] == "xychart-beta"
    assert lines[1] == '    title "Interactions per month"'
    labels = re.fullmatch(r"    x-axis \[(.*)\]", lines[2])
    assert labels is not None and len(re.findall(r'"[^"]+"', labels.group(1))) == 12
    assert lines[3] == '    y-axis "Interactions" 0 --> 2'
    assert lines[4] == "    bar [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 1]"


NODE = re.compile(r'    (p\d+\["[^"\[\]]*"\]|o\d+\{\{"[^"\[\]{}]*"\}\})')
EDGE = re.compile(r"    p\d+ (---|-\.-) [po]\d+")


def test_mermaid_graph_is_well_formed_with_hostile_names() -> None:
    today = dt.date(2026, 11, 25)
    people = {
        "people/a.md": Person("people/a.md", 'Ann "A" [x]', org='Acme [EU] "Labs"'),
        "people/b.md": Person("people/b.md", "Bob} --> evil{", org='Acme [EU] "Labs"'),
        "people/c.md": Person("people/c.md", "Cy"),
    }
    touches: dict[str, tuple[Touch, ...]] = {p: (Touch(today, "i.md", "interaction"),) for p in people}
    vault = Vault(people=people, touches=touches, me=Me())
    graph = mermaid_graph(vault, network(vault, today))
    lines = graph.splitlines()
    assert lines[0] == "graph LR"
    for line in lines[1:]:
        assert NODE.fullmatch(line) or EDGE.fullmatch(line), line
    assert '    o1{{"Acme #91;EU#93; #quot;Labs#quot;"}}' in lines
    assert sum(line.endswith("--- o1") for line in lines) == 2


def test_mermaid_graph_empty_without_contacts(make_vault: VaultFactory) -> None:
    vault = load(make_vault({"people/Ann.md": person()}))
    assert mermaid_graph(vault, network(vault, TODAY)) == ""


def test_big_vault_lists_stay_capped() -> None:
    today = dt.date(2026, 11, 25)
    people = {
        f"people/{k}.md": Person(f"people/{k}.md", f"P{k:04d}", org=f"Org {k % 50}", tags=(f"t{k % 40}",))
        for k in range(2000)
    }
    touches: dict[str, tuple[Touch, ...]] = {
        p: (Touch(today - dt.timedelta(days=n % 300), "i.md", "interaction"),) for n, p in enumerate(people)
    }
    report = network(Vault(people=people, touches=touches), today)
    assert len(report.by_org) == 10 and len(report.by_tag) == 10 and len(report.closest) == 15


def test_json(make_vault: VaultFactory) -> None:
    vault = load(make_vault(SMALL))
    data = network_json(vault, network(vault, TODAY))
    assert data["people"] == 3 and data["on_time_share"] == 0.5
    assert data["losing_touch"] == [
        {"person": "Bob", "why": "353 days overdue (cadence weekly)", "last_contact": "2025-11-30"}
    ]


def test_network_page(make_vault: VaultFactory) -> None:
    loaded = load_vault(make_vault(SMALL))
    template, builder = GIVING_PAGES["Network.md"]
    text = render_page(template, builder(loaded.vault, TODAY, Linker([n.path for n in loaded.notes])), None)
    assert "As of 2026-11-25." in text
    assert "- 3 people, 1 org, 1 event" in text
    assert "- On time with 1 of 2 people with a cadence (50%)" in text
    assert "```mermaid\nxychart-beta\n" in text and "```mermaid\ngraph LR\n" in text
    assert text.count("```") == 4
    assert "- [[Acme]]: 2 people" in text and "- Freelance: 1 person" in text
    assert "- [[Bob]]: 353 days overdue (cadence weekly); last contact 2025-11-30" in text
    assert "- [ ]" not in text


def test_network_command_json(make_vault: VaultFactory) -> None:
    import json

    from click.testing import CliRunner

    from vaultkit.cli import cli

    root = make_vault({"people/Ann.md": "---\ncadence: 30d\n---\n", "orgs/Acme.md": ""})
    result = CliRunner().invoke(cli, ["network", str(root), "--today", "2026-11-25", "--json"])
    data = json.loads(result.output)
    assert data["people"] == 1 and data["orgs"] == 1 and data["with_cadence"] == 1
