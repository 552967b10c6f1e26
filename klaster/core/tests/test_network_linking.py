"""Linking CORDIS organisations to cluster organisations (klaster.core.linking)."""

from klaster.core.linking import (
    ClusterOrganisation,
    CordisEntry,
    match_organisations,
    normalise_city,
    normalise_name,
    normalise_vat,
)

CLUSTER = [
    ClusterOrganisation(id=1, name="Politechnika Warszawska", city="Warszawa", pic="999988133"),
    ClusterOrganisation(
        id=2, name="Vigo Photonics S.A.", city="Ożarów Mazowiecki", nip="5270105136"
    ),
    ClusterOrganisation(id=3, name="Mkango Polska sp. z o.o.", city="Warszawa"),
    ClusterOrganisation(id=4, name="Instytut Łączności", city="Warszawa"),
    ClusterOrganisation(id=5, name="Instytut Lotnictwa", city="Warszawa"),
]


def _matches(entries, **kwargs):
    return {m.pic: m for m in match_organisations(CLUSTER, entries, **kwargs)}


def test_normalisation_sets_legal_forms_case_and_diacritics_aside():
    assert (
        normalise_name("MKANGO POLSKA SPOLKA Z OGRANICZONA ODPOWIEDZIALNOSCIA") == "mkango polska"
    )
    assert normalise_name("Mkango Polska Sp. z o.o.") == "mkango polska"
    assert normalise_city("WARSAW") == normalise_city("Warszawa") == "warszawa"
    assert normalise_vat("PL 527-010-51-36") == "PL5270105136"
    assert normalise_vat("5270105136", "PL") == "PL5270105136"


def test_pic_then_vat_then_name_and_city():
    found = _matches(
        [
            CordisEntry(pic="999988133", name="WARSAW UNIVERSITY OF TECHNOLOGY", city="WARSAW"),
            CordisEntry(pic="1", name="VIGO SYSTEM SA", city="OZAROW", vat_number="PL5270105136"),
            CordisEntry(
                pic="2",
                name="MKANGO POLSKA SPOLKA Z OGRANICZONA ODPOWIEDZIALNOSCIA",
                city="WARSZAWA",
            ),
        ]
    )
    assert (found["999988133"].organisation_id, found["999988133"].method) == (1, "pic")
    assert (found["1"].organisation_id, found["1"].method) == (2, "vat")
    assert (found["2"].organisation_id, found["2"].method, found["2"].certain) == (
        3,
        "name_city",
        True,
    )


def test_same_name_in_another_city_is_not_a_match():
    assert _matches([CordisEntry(pic="3", name="MKANGO POLSKA SP Z O O", city="KRAKOW")]) == {}


def test_near_names_go_to_review_not_to_a_link():
    found = _matches([CordisEntry(pic="4", name="INSTYTUT LACZNOSCI PIB", city="WARSZAWA")])
    assert found["4"].organisation_id == 4
    assert not found["4"].certain


def test_rejected_pair_is_never_proposed_again():
    entry = CordisEntry(pic="4", name="INSTYTUT LACZNOSCI PIB", city="WARSZAWA")
    assert _matches([entry], rejected={("4", 4)}) == {}


def test_unrelated_names_do_not_match():
    assert _matches([CordisEntry(pic="5", name="SOFTWARE MIND SA", city="WARSZAWA")]) == {}


def test_core_never_imports_django():
    import ast
    from pathlib import Path

    core = Path(__file__).resolve().parents[1]
    for path in [*core.glob("*.py"), *core.glob("network/*.py")]:
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(n.split(".")[0] == "django" for n in names), path
