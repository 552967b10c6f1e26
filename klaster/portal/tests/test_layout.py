"""Layout facts the server decides: the staff menu, the favicon, the printed table plan."""

from django.test import Client

from klaster.events import selectors as event_selectors
from klaster.events.tests.factories import EventFactory


def test_coordinator_staff_pages_sit_in_one_menu_not_in_the_top_row(client_for, coordinator):
    page = client_for(coordinator).get("/members/").content.decode()

    menu = page[page.index('data-testid="nav-staff"') :]
    menu = menu[: menu.index("</details>")]
    for address in ("/dashboard/", "/members/candidates/", "/members/import/", "/admin/"):
        assert f'href="{address}"' in menu
        assert page.count(f'href="{address}"') == 1


def test_member_sees_no_staff_menu(client_for, editor_a):
    assert 'data-testid="nav-staff"' not in client_for(editor_a).get("/members/").content.decode()


def test_favicon_is_linked_and_favicon_ico_is_answered(db):
    client = Client()
    page = client.get("/").content.decode()
    answer = client.get("/favicon.ico")

    assert 'rel="icon" href="/static/klaster/favicon.svg"' in page
    assert answer.status_code == 301 and answer["Location"] == "/static/klaster/favicon.svg"


def test_table_plan_prints_every_table_in_parts_of_a_page_width(client_for, coordinator):
    event = EventFactory(table_count=14, slot_count=3, break_slots=[1])

    plan = event_selectors.table_plan(event=event)
    page = client_for(coordinator).get(f"/events/{event.pk}/table-plan/").content.decode()

    parts = plan["print_parts"]
    assert [part["tables"] for part in parts] == [
        [1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12], [13, 14]
    ]  # fmt: skip
    assert all(len(row["cells"]) == len(part["tables"]) for part in parts for row in part["rows"])
    printed = page[page.index('data-testid="table-plan-print"') :]
    assert printed.count('class="compact table-plan table-plan-part"') == 3
    assert all(f"Stolik {n}<" in printed for n in range(1, 15))
