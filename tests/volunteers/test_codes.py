"""The volunteer centre finds its consulter type, categories and activity kind by code:
a council that renames them keeps registering, and the report counts the entries under
the renamed rows. A missing one is explained on the screen, never a server error."""

from dataclasses import replace
from datetime import date

from tests.volunteers.conftest import TODAY, register
from tests.volunteers.test_services import offer_values
from tsunagu.accounts.models import User
from tsunagu.records.categories import services
from tsunagu.records.categories.edits import current_entries
from tsunagu.records.categories.schemes import ACTIVITY_KINDS
from tsunagu.records.categories.services import save_year_list
from tsunagu.records.models import Category, ConsulterType, SupportRecord
from tsunagu.reports.builder import build_report
from tsunagu.volunteers.models import Volunteer
from tsunagu.volunteers.services.offers import record_offer

RENAMES = {
    "ボランティアしたい": "ボランティア活動の希望",
    "寄付（寄贈）したい": "物品の寄贈の申し出",
}


def rename_everything(by: User) -> None:
    """What an administrator does on the lists' screens: the consulter type, both
    categories (one save of the list, as the editor sends it) and the activity kind."""
    volunteers = ConsulterType.objects.get(name="ボランティア希望（活動）者")
    services.save_consulter_type(
        by=by,
        consulter_type=volunteers,
        values={
            "name": "ボランティアセンター",
            "report_title": "ボランティアセンターへの相談",
            "order": volunteers.order,
            "report_style": volunteers.report_style,
            "active": True,
        },
        expected_version=volunteers.version,
    )
    volunteers.refresh_from_db()
    entries = [
        replace(e, name=RENAMES.get(e.name, e.name)) for e in current_entries(2020, volunteers)
    ]
    save_year_list(by=by, fiscal_year=2020, scheme=volunteers, entries=entries)
    kinds = [
        replace(e, name="相談を受けた" if e.name == "相談対応" else e.name)
        for e in current_entries(2020, ACTIVITY_KINDS)
    ]
    save_year_list(by=by, fiscal_year=2020, scheme=ACTIVITY_KINDS, entries=kinds)


def volunteer_rows(fiscal_year: int) -> dict[str, int]:
    section = next(
        s for s in build_report(fiscal_year).sections if s.title == "ボランティアセンターへの相談"
    )
    return {row.label: row.count for row in section.rows}


def test_renamed_lists_still_count_registrations_and_offers(  # type: ignore[no-untyped-def]
    year, admin_user, staff_user, staff_client
):
    rename_everything(admin_user)
    register(staff_user, registered_on=date(2020, 6, 1))
    record_offer(by=staff_user, values=offer_values(), place="phone", today=TODAY)
    response = staff_client.post(
        "/volunteers/registrations/new/",
        {
            "kind": "person",
            "family_name": "例田",
            "given_name": "太郎",
            "family_name_kana": "レイダ",
            "given_name_kana": "タロウ",
            "registered_on": "2020-07-01",
            "place": "office",
            "active": "on",
            "allow_duplicate": "on",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert (
        "例田 太郎さんを登録しました。「ボランティア活動の希望」の相談として令和2年度の支援記録に数えます。"
        in response.content.decode()
    )
    assert Volunteer.objects.count() == 2
    rows = volunteer_rows(2020)
    assert rows == {"ボランティア活動の希望": 2, "物品の寄贈の申し出": 1}
    assert set(SupportRecord.objects.values_list("activity_kind__name", flat=True)) == {
        "相談を受けた"
    }
    index = staff_client.get("/volunteers/?fy=2020").content.decode()
    assert "それぞれ「ボランティアセンター」の相談として支援記録に数えます。" in index
    assert '<th scope="row">ボランティア活動の希望</th>' in index


def test_the_registration_screen_names_what_to_set_up(year, staff_client):  # type: ignore[no-untyped-def]
    Category.objects.filter(name="ボランティアしたい").delete()
    response = staff_client.post(
        "/volunteers/registrations/new/",
        {
            "kind": "person",
            "family_name": "例田",
            "given_name": "太郎",
            "registered_on": "2020-07-01",
            "place": "office",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "令和2年度の「ボランティア希望（活動）者」の相談内容に、ボランティアの登録を数える分類が"
        "ありません。分類の画面でこの年度の一覧に、「ボランティアしたい」という名称の分類を"
        "加えてください。"
    ) in page
    assert not Volunteer.objects.exists()


def test_the_entry_screens_warn_before_anyone_types(db, staff_client):  # type: ignore[no-untyped-def]
    # No lists at all for the current year: both screens open and say what is missing.
    for url, purpose in (
        ("/volunteers/registrations/new/", "ボランティアの登録を数える分類がありません。"),
        ("/volunteers/offers/new/", "寄付・寄贈の申し出を数える分類がありません。"),
    ):
        response = staff_client.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        assert purpose in page
        assert "設定が済むまで、ここからは登録できません。管理者に伝えてください。" in page
