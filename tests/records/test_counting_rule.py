"""The counting rule by construction: a record of a consultation kind has a real consulter
type, a record of another kind has none; refused everywhere, listed where it already is."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from tests.records.test_views import entry_form
from tsunagu.records.categories.services import start_year
from tsunagu.records.models import ActivityKind, Place, SupportRecord
from tsunagu.records.services import RecordData, create_record

NEEDS_TYPE = "活動種別「相談対応」は相談として数える種別です。相談者区分を選んでください（「相談ではない」は選べません）。"
NO_TYPE = "活動種別「出向き・参加」は相談として数えない種別です。"


def test_a_kind_says_whether_it_is_a_consultation(lists) -> None:  # type: ignore[no-untyped-def]
    assert lists["kind2020:相談対応"].is_consultation  # type: ignore[attr-defined]
    assert not lists["kind2020:出向き・参加"].is_consultation  # type: ignore[attr-defined]
    # Declared, it is what counts, whatever the name.
    visit = ActivityKind.objects.create(
        fiscal_year=2020, name="相談会の運営", order=9, is_consultation=False
    )
    visit.refresh_from_db()
    assert visit.is_consultation is False


def test_the_service_refuses_either_way(lists, city, staff_user) -> None:  # type: ignore[no-untyped-def]
    base = {
        "date": date(2020, 6, 10),
        "place": Place.OUTREACH,
        "target_group": city["hidamari"],
    }
    with pytest.raises(ValidationError) as refused:
        create_record(
            by=staff_user,
            data=RecordData(values={**base, "activity_kind": lists["kind2020:相談対応"]}),
        )
    assert refused.value.message_dict["consulter_type"] == [NEEDS_TYPE]
    with pytest.raises(ValidationError) as refused:
        create_record(
            by=staff_user,
            data=RecordData(
                values={
                    **base,
                    "activity_kind": lists["kind2020:出向き・参加"],
                    "consulter_type": lists["types"]["ニーズを抱えている個人"],  # type: ignore[index]
                },
                categories=[lists["cat2020:近況報告など"]],  # type: ignore[list-item]
            ),
        )
    assert refused.value.message_dict["consulter_type"][0].startswith(NO_TYPE)
    assert not SupportRecord.objects.exists()


def test_the_entry_form_explains_at_the_consulter_type(staff_client, lists, city) -> None:  # type: ignore[no-untyped-def]
    page = staff_client.post(
        "/records/new/", entry_form(lists, city, consulter_type="", categories=[])
    ).content.decode()
    assert NEEDS_TYPE in page
    page = staff_client.post(
        "/records/new/", entry_form(lists, city, activity_kind=lists["kind2020:出向き・参加"].pk)
    ).content.decode()
    assert NO_TYPE in page
    assert not SupportRecord.objects.exists()


def test_the_outing_offers_each_kind_only_where_it_counts(staff_client, lists, city) -> None:  # type: ignore[no-untyped-def]
    page = staff_client.get("/records/outing/?date=2020-07-01").content.decode()
    consultation = page[
        page.index('name="consultation_kind"') : page.index(
            "</select>", page.index('name="consultation_kind"')
        )
    ]
    assert "相談対応" in consultation and "出向き・参加" not in consultation
    visit = page[
        page.index('name="visit_kind"') : page.index("</select>", page.index('name="visit_kind"'))
    ]
    assert "出向き・参加" in visit and "相談対応" not in visit
    response = staff_client.post(
        "/records/outing/",
        {
            "date": "2020-07-01",
            "place": "outreach",
            "consultation_kind": lists["kind2020:出向き・参加"].pk,
            "c-TOTAL_FORMS": "1",
            "c-INITIAL_FORMS": "0",
            "c-0-consulter_type": lists["types"]["ボランティア希望（活動）者"].pk,
            "c-0-categories": [lists["cat2020:ボランティアしたい"].pk],
        },
    )
    assert (
        "相談の活動種別には、相談として数える活動種別を選んでください。"
        in response.content.decode()
    )
    assert not SupportRecord.objects.exists()


def test_a_copied_year_keeps_the_declaration(lists, admin_user) -> None:  # type: ignore[no-untyped-def]
    ActivityKind.objects.filter(fiscal_year=2020, name="情報提供").update(is_consultation=True)
    start_year(by=admin_user, fiscal_year=2021)
    flags = dict(ActivityKind.objects.in_year(2021).values_list("name", "is_consultation"))
    assert flags["情報提供"] is True and flags["相談対応"] is True
    assert flags["出向き・参加"] is False


def test_check_records_lists_what_breaks_the_rule_and_changes_nothing(
    record, lists, capsys
) -> None:  # type: ignore[no-untyped-def]
    call_command("check_records")
    assert "数え方の決まりに合わない記録はありません。" in capsys.readouterr().out
    # Data from before the rule, written past the services.
    SupportRecord.objects.filter(pk=record.pk).update(consulter_type=None)
    visit = SupportRecord.objects.create(
        date=date(2020, 7, 1),
        activity_kind=lists["kind2020:出向き・参加"],
        place=Place.OUTREACH,
        consulter_type=lists["types"]["関係機関"],  # type: ignore[index]
    )
    with pytest.raises(CommandError) as failed:
        call_command("check_records")
    out = capsys.readouterr().out
    assert (
        f"令和2年度　記録{record.pk}（2020-06-10）：活動種別「相談対応」は相談として数えますが、"
        "相談者区分がありません。"
    ) in out
    assert (
        f"記録{visit.pk}（2020-07-01）：活動種別「出向き・参加」は相談として数えませんが、"
        "相談者区分「関係機関」があります。"
    ) in out
    assert "数え方の決まりに合わない記録が2件あります。" in str(failed.value)
    visit.refresh_from_db()
    assert visit.consulter_type == lists["types"]["関係機関"]  # type: ignore[index]
