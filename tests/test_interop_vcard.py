"""`vaultkit import vcard` on the real vCards in shared/corpora/vcards, and `vaultkit export vcard`."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
import vobject
from click.testing import CliRunner, Result

from vaultkit.cli_interop import register
from vaultkit.interop import InteropError
from vaultkit.interop.capture import init_vault
from vaultkit.interop.vcard import parse_bday, parse_vcard, read_vcard
from vaultkit.load import load_vault
from vaultkit.model import Person

VCARDS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "vcards"
DEMO = VCARDS / "obsidian-vcf-contacts-demo.vcf"


def run(*args: str | Path) -> Result:
    group = click.Group("vaultkit")
    register(group)
    return CliRunner().invoke(group, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    return init_vault(tmp_path / "vault").root


def test_demo_imports_as_18_people(vault: Path) -> None:
    result = run("import", "vcard", DEMO, "--vault", vault)
    assert result.exit_code == 0, result.output
    assert "created 18 people; 0 matched; 0 skipped" in result.output
    assert f"{DEMO}:255: card has no END:VCARD; it ends at line 275" in result.output
    loaded = load_vault(vault)
    # The demo's "Snip & Sip AB" (KIND:org) carries Rajiv Patel's two e-mails; `vaultkit check` says so.
    assert {(d.path, d.code) for d in loaded.diagnostics} == {("people/Snip & Sip AB.md", "shared-email")}
    people = loaded.vault.people
    assert len(people) == 18
    li = people["people/李伟.md"]
    assert li.emails == ("liwei@zhuyukeji.cn", "li.wei@bamboo-tech.cn")
    assert li.phones == ("+8613800000000", "+8613800000001", "+14165559999")
    assert li.org == "竹语科技有限公司" and li.role == "首席算法工程师" and li.location == "成都"
    assert str(li.birthday) == "1992-10-10" and li.tags == ("自然", "编程", "茶")
    assert people["people/Liam O’Reilly.md"].tags == ("writing", "mythology")
    anya = people["people/Anya Volkova.md"]  # the card without END:VCARD
    assert anya.emails == ("anya.ice@frostmail.ru", "anya@techsnow.ru") and str(anya.birthday) == "1991-01-05"
    meta = {n.path: n.meta for n in loaded.notes}
    assert meta["people/kite surf spot zandmotor.md"]["name"] == 'kite surf spot "zandmotor"'
    assert meta["people/kite surf spot zandmotor.md"]["contact_kind"] == "location"
    assert (
        meta["people/Snip & Sip AB.md"]["contact_kind"] == "org"
    )  # shares Rajiv's e-mail: not merged into him
    again = run("import", "vcard", DEMO, "--vault", vault)
    assert "created 0 people; 18 matched; 0 skipped" in again.output


EDGE_CASES = {
    "ovc-encoding-utf8.vcf": (["Иванов Иван Иванович"], [":7: unreadable line left out"]),
    "ovc-hasDifferentDates.vcf": (["Huntelaar Jan"], []),
    "ovc-hasDuplicateParameters.vcf": (["Huntelaar Jan"], []),
    "ovc-hasFoldeLines.vcf": (["Jan Huntelaar"], []),
    "ovc-hasMultipleCards.vcf": (["Zinkie Namiton", "Lansdorf van Mindie"], [":1: card has no name"]),
    "ovc-hasNonSpecParameters.vcf": (["Name My"], []),
    "ovc-noFirstName.vcf": (["Zahra Ali"], []),
    "ovc-organization.vcf": (["Acme Corporation"], []),
    "ovc-organizationNoFN.vcf": (["Tech Solutions Inc"], []),
    "ovc-sync-fake.vcf": (["Zhihao Tang"], []),
    "ovc-v3SpecificParameters.vcf": (["Huntelaar Jan"], []),
}


def test_every_edge_case_is_covered() -> None:
    names = {p.name for p in VCARDS.glob("ovc-*.vcf")}
    assert names == {*EDGE_CASES, "ovc-encoding-win1251.vcf"}


@pytest.mark.parametrize("name", sorted(EDGE_CASES))
def test_edge_cases_import(vault: Path, name: str) -> None:
    people, messages = EDGE_CASES[name]
    result = run("import", "vcard", VCARDS / name, "--vault", vault)
    assert result.exit_code == 0, result.output
    for message in messages:
        assert f"{VCARDS / name}{message}" in result.output
    loaded = load_vault(vault)
    assert sorted(p.path for p in loaded.vault.people.values()) == sorted(f"people/{p}.md" for p in people)
    assert loaded.diagnostics == ()


def test_edge_case_values(vault: Path) -> None:
    for name in ("ovc-hasDifferentDates.vcf", "ovc-hasFoldeLines.vcf"):
        run("import", "vcard", VCARDS / name, "--vault", vault, "--dry-run")
    dates = read_vcard(VCARDS / "ovc-hasDifferentDates.vcf").contacts[0]
    assert dates.birthday == "1980-08-17"
    dupes = read_vcard(VCARDS / "ovc-hasDuplicateParameters.vcf").contacts[0]
    assert dupes.emails == ("jan@klaas.nl", "Min@nieuw.jj", "Min@nieuw.dd", "Min@nieuw.ww")
    assert len(dupes.phones) == 4 and dupes.location == "Springfield"
    folded = read_vcard(VCARDS / "ovc-hasFoldeLines.vcf").contacts[0]
    assert folded.notes == "This is a long note thatcontinues on the next line,and still keeps going."
    org = read_vcard(VCARDS / "ovc-organization.vcf").contacts[0]
    assert org.contact_kind == "org" and org.org is None and org.emails == ("contact@acme.corp",)
    zahra = read_vcard(VCARDS / "ovc-noFirstName.vcf").contacts[0]
    assert zahra.role == "Lead Vision Architect" and zahra.tags == ("Architecture", "Stars")


def test_folded_note_goes_to_the_body(vault: Path) -> None:
    assert run("import", "vcard", VCARDS / "ovc-hasFoldeLines.vcf", "--vault", vault).exit_code == 0
    text = (vault / "people" / "Jan Huntelaar.md").read_text(encoding="utf-8")
    assert text.endswith("This is a long note thatcontinues on the next line,and still keeps going.\n")


def test_windows_1251_is_refused_unless_the_encoding_is_given(vault: Path) -> None:
    path = VCARDS / "ovc-encoding-win1251.vcf"
    refused = run("import", "vcard", path, "--vault", vault)
    assert refused.exit_code == 1
    assert f"{path}:3: not UTF-8 (byte 0xC8; it declares CHARSET=windows-1251)" in refused.output
    assert "--encoding windows-1251" in refused.output
    assert list((vault / "people").iterdir()) == []
    accepted = run("import", "vcard", path, "--vault", vault, "--encoding", "windows-1251")
    assert accepted.exit_code == 0, accepted.output
    person = load_vault(vault).vault.people["people/Иванов Иван Иванович.md"]
    assert person.role == "Работник" and person.org == "Организация" and person.location == "Город"
    bad = run("import", "vcard", path, "--vault", vault, "--encoding", "klingon")
    assert bad.exit_code == 1 and "unknown encoding 'klingon'" in bad.output


def test_not_a_vcard_is_refused(tmp_path: Path, vault: Path) -> None:
    path = tmp_path / "x.vcf"
    path.write_text("hello\n", encoding="utf-8")
    result = run("import", "vcard", path, "--vault", vault)
    assert result.exit_code == 1 and f"{path}: no vCard in this file" in result.output


def test_vcard_3_and_4_values() -> None:
    text = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Lima\r\nN:Lima;Ana;;;\r\nNICKNAME:Aninha,AL\r\n"
        "EMAIL;TYPE=INTERNET:ana@x.example\r\nBDAY:--0229\r\nX-SOCIALPROFILE;type=linkedin:https://www.linkedin"
        ".com/in/ana-lima\r\nTITLE:CTO\\, co-founder\r\nCATEGORIES:python,climate tech\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Bo\r\nEMAIL:bo@x.example\r\nTEL;VALUE=uri:tel:+351-912\r\n"
        "BDAY:19900115T000000Z\r\nEND:VCARD\r\n"
    )
    ana, bo = parse_vcard(text, "t.vcf").contacts
    assert ana.aliases == ("Aninha", "AL") and ana.birthday == "--02-29" and ana.role == "CTO, co-founder"
    assert ana.linkedin == "https://www.linkedin.com/in/ana-lima" and ana.tags == ("python", "climate tech")
    assert bo.phones == ("+351-912",) and bo.birthday == "1990-01-15"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("19800817", "1980-08-17"), ("1980-08-17", "1980-08-17"), ("--0817", "--08-17"), ("--08-17", "--08-17"),
     ("19890612T143000Z", "1989-06-12"), ("June 12", None), ("19801341", None)],
)  # fmt: skip
def test_parse_bday(text: str, expected: str | None) -> None:
    assert parse_bday(text) == expected


# --- export -------------------------------------------------------------------------------------------


PEOPLE = {
    "people/Jane Doe.md": (
        "---\naliases: [JD]\norg: '[[Acme Corp]]'\nrole: VP, Engineering\nemails: [jane@acme.example, j@d.example]\n"
        "phones: ['+351 912 000 001']\nlinkedin: https://www.linkedin.com/in/jane-doe\nlocation: Lisbon\n"
        "tags: [climate, python]\nbirthday: 1988-04-12\n---\n"
    ),
    "people/Bob Evil x.md": "---\nname: 'Bob]] [[Evil|x'\naliases: ['Bob]] [[Evil|x']\nbirthday: --02-29\n---\n",
    "people/no.md": "---\nemails: [no@x.example]\nrole: '12:30'\n---\n",
    "people/Leap Year.md": "---\nbirthday: 1996-02-29\nphones: ['+44 20 7946 0000', '+44 20 7946 0001']\n---\n",
}


def make_people(root: Path) -> None:
    for rel, text in PEOPLE.items():
        (root / rel).write_text(text, encoding="utf-8")


def fields(p: Person) -> tuple[object, ...]:
    return (p.emails, p.phones, p.org, p.role, p.linkedin, p.location, p.tags, str(p.birthday), p.aliases)


def test_export_round_trips_through_the_importer(vault: Path, tmp_path: Path) -> None:
    make_people(vault)
    out = tmp_path / "people.vcf"
    result = run("export", "vcard", vault, "--out", out)
    assert result.exit_code == 0 and f"wrote {out} (4 people)" in result.output
    data = out.read_bytes()
    cards = list(vobject.readComponents(data.decode("utf-8")))
    assert [c.version.value for c in cards] == ["4.0"] * 4
    assert b"\r\n" in data and b"BDAY:--0229\r\n" in data and b"BDAY:19880412\r\n" in data
    fresh = init_vault(tmp_path / "fresh").root
    imported = run("import", "vcard", out, "--vault", fresh)
    assert imported.exit_code == 0 and "created 4 people; 0 matched; 0 skipped" in imported.output
    before, after = load_vault(vault), load_vault(fresh)
    assert sorted(before.vault.people) == sorted(after.vault.people)
    for path, person in before.vault.people.items():
        assert fields(after.vault.people[path]) == fields(person), path
    names = {n.path: n.meta.get("name") for n in after.notes}
    assert names["people/Bob Evil x.md"] == "Bob]] [[Evil|x"
    back = run("import", "vcard", out, "--vault", vault)
    assert "created 0 people; 4 matched; 0 skipped" in back.output


def test_export_is_deterministic_and_never_overwrites_foreign_files(vault: Path, tmp_path: Path) -> None:
    make_people(vault)
    first = run("export", "vcard", vault)
    assert first.exit_code == 0 and first.output == run("export", "vcard", vault).output
    out = tmp_path / "people.vcf"
    run("export", "vcard", vault, "--out", out)
    assert f"unchanged {out}" in run("export", "vcard", vault, "--out", out).output
    mine = tmp_path / "mine.vcf"
    mine.write_text("BEGIN:VCARD\nFN:Mine\nEND:VCARD\n", encoding="utf-8")
    refused = run("export", "vcard", vault, "--out", mine)
    assert refused.exit_code == 1 and "was not written by vaultkit; not overwritten" in refused.output
    assert mine.read_text(encoding="utf-8") == "BEGIN:VCARD\nFN:Mine\nEND:VCARD\n"


def test_library_refusal_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(InteropError, match="cannot read"):
        read_vcard(tmp_path / "missing.vcf")


def test_example_vault_sample_parses() -> None:
    sample = Path(__file__).resolve().parents[1] / "example-vault" / "imports" / "contacts.vcf"
    parsed = read_vcard(sample)
    assert [c.name for c in parsed.contacts] == ["Pedro Nunes", "Hana Sato", "Inês Carvalho"]
    pedro = parsed.contacts[0]
    assert (
        pedro.birthday == "--07-17"
        and pedro.role == "Head of Engineering, Robotics"
        and pedro.location == "Porto"
    )
    assert parsed.problems == ()
