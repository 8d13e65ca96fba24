"""Screens of the yearly lists, through the test client."""

from typing import Any

import pytest

from tests.records.category_data import category, consultation, consulter_type, kind, make_year
from tsunagu.audit.models import AuditEntry
from tsunagu.records.categories import edits
from tsunagu.records.categories.queries import year_list
from tsunagu.records.categories.schemes import ACTIVITY_KINDS
from tsunagu.records.categories.services import start_year
from tsunagu.records.models import ActivityKind, Category

NEEDS = "ニーズを抱えている個人"


@pytest.fixture
def fy2021(db: None, admin_user) -> None:  # type: ignore[no-untyped-def]
    make_year(2020)
    start_year(by=admin_user, fiscal_year=2021)


def needs_url(suffix: str = "") -> str:
    return f"/categories/{consulter_type(NEEDS).pk}/{suffix}"


def edit_data(client, url: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The POST data of the editor as it opens, with the blank rows left blank."""
    response = client.get(url)
    assert response.status_code == 200
    formset = response.context["formset"]
    data: dict[str, Any] = {key: value for key, value in formset.management_form.initial.items()}
    data = {f"entries-{key}": value for key, value in data.items()}
    data["digest"] = response.context["digest"]
    for index, form in enumerate(formset.forms):
        row = form.initial
        prefix = f"entries-{index}-"
        data[prefix + "id"] = row.get("id") or ""
        data[prefix + "name"] = row.get("name", "")
        data[prefix + "order"] = row.get("order", "")
        if row.get("retired"):
            data[prefix + "retired"] = "on"
        if row.get("is_consultation"):
            data[prefix + "is_consultation"] = "on"
        if row.get("catch_all"):
            data[prefix + "catch_all"] = "on"
        data[prefix + "predecessors"] = [str(pk) for pk in row.get("predecessors", [])]
    return data


def test_every_role_reads_the_lists_with_their_lineage(
    client, viewer_user, fy2021, admin_user
) -> None:  # type: ignore[no-untyped-def]
    needs = consulter_type(NEEDS)
    edits.split(
        by=admin_user, entry=category(2021, "近況報告など"), into=["近況報告", "居場所に参加したい"]
    )
    edits.merge(
        by=admin_user,
        entries=[category(2021, "福祉サービス・相談機関への紹介"), category(2021, "その他")],
        into_name="紹介・その他",
    )
    edits.rename(by=admin_user, entry=category(2021, "寄付（寄贈）したい"), name="寄付したい")
    edits.add(by=admin_user, fiscal_year=2021, scheme=needs, name="食料支援")
    edits.retire(by=admin_user, entry=kind(2021, "話し合いへの参加"))
    client.force_login(viewer_user)
    page = client.get("/categories/", {"year": 2021}).content.decode()
    for text in (
        "令和3年度の一覧",
        "前年度「近況報告など」から分割",
        "「福祉サービス・相談機関への紹介」「その他」を統合",
        "「寄付（寄贈）したい」から名称変更",
        "新規",
        "継続",
        "使用終了",
        "この区分の相談は件数の合計だけを数えるため、分類はありません。",
    ):
        assert text in page, text
    assert "前年度から新しい年度を作る" not in page
    assert "/categories/kinds/?year=2021" not in page  # no edit links for a viewer


def test_the_list_page_opens_on_a_year_that_has_lists(viewer_client, fy2021) -> None:  # type: ignore[no-untyped-def]
    response = viewer_client.get("/categories/")
    assert response.status_code == 200
    assert response.context["year"] in (2020, 2021)
    assert '<option value="2020"' in response.content.decode()


@pytest.mark.parametrize("client_name", ["viewer_client", "staff_client"])
def test_only_administrators_change_lists(request, client_name, fy2021) -> None:  # type: ignore[no-untyped-def]
    client = request.getfixturevalue(client_name)
    entry = category(2021, "その他")
    for url in (
        "/categories/kinds/?year=2021",
        needs_url("?year=2021"),
        needs_url(f"{entry.pk}/split/"),
        needs_url("merge/?year=2021"),
    ):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url
    assert client.post("/categories/start/", {"fiscal_year": "2022"}).status_code == 403
    assert not ActivityKind.objects.filter(fiscal_year=2022).exists()


def test_anonymous_users_are_sent_to_login(client, fy2021) -> None:  # type: ignore[no-untyped-def]
    for url in ("/categories/", "/categories/kinds/?year=2021"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


def test_an_administrator_starts_the_next_year(admin_client, fy2021) -> None:  # type: ignore[no-untyped-def]
    page = admin_client.get("/categories/").content.decode()
    assert 'value="令和4年度"' in page  # the next year is proposed
    response = admin_client.post("/categories/start/", {"fiscal_year": "令和4年度"}, follow=True)
    page = response.content.decode()
    assert "令和4年度の一覧を作りました（前年度から8件を写しました）" in page
    assert [k.name for k in year_list(2022, ACTIVITY_KINDS)] == [
        "出向き・参加",
        "話し合いへの参加",
        "相談対応",
    ]
    again = admin_client.post("/categories/start/", {"fiscal_year": "2022"}, follow=True)
    assert "令和4年度の一覧はすでにあります。" in again.content.decode()


def test_a_year_without_a_previous_one_is_explained(admin_client, fy2021) -> None:  # type: ignore[no-untyped-def]
    response = admin_client.post("/categories/start/", {"fiscal_year": "2030"}, follow=True)
    page = response.content.decode()
    assert "前年度（令和11年度）の一覧がないため、写せません。" in page
    assert "令和12年度の一覧はまだありません。" in page


def test_an_administrator_renames_adds_and_retires_in_one_save(admin_client, fy2021) -> None:  # type: ignore[no-untyped-def]
    url = needs_url("?year=2021")
    data = edit_data(admin_client, url)
    before = category(2021, "近況報告など")
    data["entries-1-name"] = "近況報告"
    data["entries-2-retired"] = "on"
    data["entries-3-name"] = "居場所に参加したい"
    data["entries-3-predecessors"] = [str(category(2020, "近況報告など").pk)]
    response = admin_client.post(url, data, follow=True)
    page = response.content.decode()
    assert "令和3年度のニーズを抱えている個人の相談内容の分類を保存しました。" in page
    assert Category.objects.get(pk=before.pk).name == "近況報告"
    assert category(2021, "その他").retired
    assert "前年度「近況報告など」から分割" in page
    changes = AuditEntry.objects.get(action="categories.list.saved").changes
    assert changes["名称変更"] == "「近況報告など」→「近況報告」"
    assert changes["追加"] == "居場所に参加したい"


def test_a_refused_list_is_explained_next_to_its_row_and_nothing_saved(
    admin_client, fy2021
) -> None:  # type: ignore[no-untyped-def]
    url = needs_url("?year=2021")
    data = edit_data(admin_client, url)
    data["entries-0-name"] = "その他"  # the same name as row 3
    data["entries-1-name"] = ""
    response = admin_client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "2行目：名称を入力してください。" in page
    data["entries-1-name"] = "近況報告"
    response = admin_client.post(url, data)
    page = response.content.decode()
    assert "保存できませんでした" in page
    assert "「その他」が二度あります（「その他」と同じ名称です）。" in page
    assert 'href="#row-2"' in page  # the summary links to the row
    assert [t.name for t in year_list(2021, consulter_type(NEEDS))] == [
        "福祉サービス・相談機関への紹介",
        "近況報告など",
        "その他",
    ]
    assert not AuditEntry.objects.filter(action="categories.list.saved").exists()


def test_an_entry_with_records_offers_no_delete_and_refuses_one(admin_client, fy2021) -> None:  # type: ignore[no-untyped-def]
    consultation(category(2021, "その他"))
    url = needs_url("?year=2021")
    page = admin_client.get(url).content.decode()
    assert "記録が1件あるため削除できません。" in page
    assert 'name="entries-2-DELETE"' not in page
    assert 'name="entries-0-DELETE"' in page
    data = edit_data(admin_client, url)
    data["entries-2-DELETE"] = "on"
    response = admin_client.post(url, data)
    assert "「その他」は1件の記録で使われているため削除できません。" in response.content.decode()
    assert Category.objects.filter(pk=category(2021, "その他").pk).exists()


def test_an_empty_list_opens_as_a_copy_of_last_year(admin_client, fy2021) -> None:  # type: ignore[no-untyped-def]
    volunteers = consulter_type("ボランティア希望（活動）者")
    Category.objects.filter(fiscal_year=2021, consulter_type=volunteers).delete()
    url = f"/categories/{volunteers.pk}/?year=2021"
    response = admin_client.get(url)
    assert "令和2年度の一覧を写して表示しています。" in response.content.decode()
    admin_client.post(url, edit_data(admin_client, url))
    copies = year_list(2021, volunteers)
    assert [c.name for c in copies] == ["ボランティアしたい", "寄付（寄贈）したい"]
    assert [p.fiscal_year for c in copies for p in c.predecessors.all()] == [2020, 2020]


def test_more_blank_rows_keep_what_was_typed(admin_client, fy2021) -> None:  # type: ignore[no-untyped-def]
    url = "/categories/kinds/?year=2021"
    data = edit_data(admin_client, url)
    data["entries-0-name"] = "出向き"
    data["add_rows"] = "1"
    response = admin_client.post(url, data)
    formset = response.context["formset"]
    assert len(formset.forms) == 3 + 3 + 3
    assert 'value="出向き"' in response.content.decode()
    assert kind(2021, "出向き・参加")  # nothing saved


def test_a_list_changed_by_someone_else_is_not_overwritten(
    admin_client, admin_user, fy2021
) -> None:  # type: ignore[no-untyped-def]
    url = "/categories/kinds/?year=2021"
    data = edit_data(admin_client, url)
    edits.rename(by=admin_user, entry=kind(2021, "相談対応"), name="相談")
    data["entries-0-name"] = "出向き"
    response = admin_client.post(url, data)
    assert "ほかの人がこの一覧を変更しました" in response.content.decode()
    assert kind(2021, "出向き・参加")


def test_an_administrator_splits_and_merges_on_their_screens(admin_client, fy2021) -> None:  # type: ignore[no-untyped-def]
    entry = category(2021, "近況報告など")
    page = admin_client.get(needs_url(f"{entry.pk}/split/")).content.decode()
    assert "「近況報告など」を分割する" in page
    response = admin_client.post(
        needs_url(f"{entry.pk}/split/"), {"names": "近況報告\n居場所に参加したい\n"}, follow=True
    )
    assert "「近況報告など」を分割しました。" in response.content.decode()
    first, second = category(2021, "近況報告"), category(2021, "その他")
    response = admin_client.post(
        needs_url("merge/?year=2021"),
        {"entries": [first.pk, second.pk], "into_name": "近況報告・その他"},
        follow=True,
    )
    assert (
        "「近況報告」「その他」を「近況報告・その他」に統合しました。" in response.content.decode()
    )
    assert [t.name for t in year_list(2021, consulter_type(NEEDS))] == [
        "福祉サービス・相談機関への紹介",
        "近況報告・その他",
        "居場所に参加したい",
    ]


def test_a_bad_split_is_explained(admin_client, fy2021) -> None:  # type: ignore[no-untyped-def]
    entry = category(2021, "近況報告など")
    response = admin_client.post(needs_url(f"{entry.pk}/split/"), {"names": "その他\n近況"})
    assert response.status_code == 200
    assert "「その他」が二度あります" in response.content.decode()


def test_a_total_only_type_has_no_editor(admin_client, fy2021) -> None:  # type: ignore[no-untyped-def]
    total = consulter_type("市民社協の事業")
    response = admin_client.get(f"/categories/{total.pk}/?year=2021", follow=True)
    assert "合計だけを数えるため、分類はありません。" in response.content.decode()


def test_unknown_lists_are_not_found(admin_client, fy2021) -> None:  # type: ignore[no-untyped-def]
    assert admin_client.get("/categories/groups/?year=2021").status_code == 404
    assert admin_client.get("/categories/999999/?year=2021").status_code == 404
    other = category(2021, "ボランティアしたい")
    assert admin_client.get(needs_url(f"{other.pk}/split/")).status_code == 404


def test_the_list_page_needs_the_same_queries_however_long_the_lists(
    viewer_client, fy2021, admin_user, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    needs = consulter_type(NEEDS)
    for number in range(30):
        edits.add(
            by=admin_user,
            fiscal_year=2021,
            scheme=needs,
            name=f"分類{number}",
            predecessors=["その他"] if number % 2 else [],
        )
    # Session and user, years, each list with its lineage, last year, consulter types,
    # the council name, and the session save.
    with django_assert_max_num_queries(15):
        response = viewer_client.get("/categories/", {"year": 2021})
    assert "分類29" in response.content.decode()


def type_form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "民生委員",
        "report_title": "民生委員からの相談",
        "order": 6,
        "report_style": "ranked",
        "active": "on",
    }
    data.update(overrides)
    return data


def test_everyone_reads_the_consulter_types_and_only_administrators_change_them(
    viewer_client, fy2021
) -> None:  # type: ignore[no-untyped-def]
    page = viewer_client.get("/categories/types/").content.decode()
    assert "ボランティア希望（活動）者からの相談" in page and "合計のみ" in page
    needs = consulter_type(NEEDS)
    assert viewer_client.get(f"/categories/types/{needs.pk}/").status_code == 403
    assert viewer_client.post("/categories/types/new/", type_form()).status_code == 403


def test_an_administrator_adds_and_changes_a_consulter_type(admin_client, fy2021) -> None:  # type: ignore[no-untyped-def]
    response = admin_client.post("/categories/types/new/", type_form(), follow=True)
    assert "相談者区分「民生委員」を保存しました。" in response.content.decode()
    added = consulter_type("民生委員")
    admin_client.post(
        f"/categories/types/{added.pk}/",
        type_form(report_title="", order=7, version=added.version),
    )
    added.refresh_from_db()
    assert added.title == "民生委員からの相談" and added.order == 7
    entry = AuditEntry.objects.get(action="categories.consulter_type.updated")
    assert entry.changes["order"] == [6, 7]
    # The new type has its own list on the lists page.
    assert "民生委員からの相談" in admin_client.get("/categories/?year=2021").content.decode()


def test_a_consulter_type_with_categories_cannot_become_total_only(admin_client, fy2021) -> None:  # type: ignore[no-untyped-def]
    needs = consulter_type(NEEDS)
    response = admin_client.post(
        f"/categories/types/{needs.pk}/",
        type_form(
            name=NEEDS, report_title="", order=2, report_style="total", version=needs.version
        ),
    )
    assert "相談内容の分類があるため、「合計のみ」にはできません。" in response.content.decode()
    needs.refresh_from_db()
    assert needs.report_style == "ranked"


def test_a_consulter_type_name_differing_only_in_width_is_refused(admin_client, fy2021) -> None:  # type: ignore[no-untyped-def]
    response = admin_client.post("/categories/types/new/", type_form(name="関係 機関"))
    assert "相談者区分「関係 機関」はすでにあります。" in response.content.decode()


def test_every_categories_action_has_a_japanese_sentence(admin_client, admin_user, fy2021) -> None:  # type: ignore[no-untyped-def]
    from tsunagu.audit.descriptions import ACTION_LABELS

    edits.split(by=admin_user, entry=category(2021, "その他"), into=["その他", "食料"])
    edits.merge(
        by=admin_user,
        entries=[category(2021, "その他"), category(2021, "食料")],
        into_name="その他",
    )
    edits.rename(by=admin_user, entry=category(2021, "その他"), name="そのほか")
    admin_client.post("/categories/types/new/", type_form())
    codes = set(AuditEntry.objects.values_list("action", flat=True))
    assert {c for c in codes if c.startswith("categories.")} <= set(ACTION_LABELS)
    page = admin_client.get("/audit/").content.decode()
    assert "分類を統合しました" in page and "「その他」→「そのほか」" in page


def test_a_closed_year_can_be_edited_with_a_warning(admin_client, admin_user, fy2021) -> None:  # type: ignore[no-untyped-def]
    from tsunagu.reports.models import YearClosure

    YearClosure.objects.create(fiscal_year=2021, data={}, closed_by=admin_user)
    page = admin_client.get("/categories/kinds/?year=2021").content.decode()
    assert "令和3年度は締められています。この一覧を変えても公表済みの集計は変わりません" in page
    assert (
        "締められています" not in admin_client.get("/categories/kinds/?year=2020").content.decode()
    )


def test_the_kinds_editor_declares_which_kinds_are_consultations(
    admin_client, fy2021, admin_user
) -> None:  # type: ignore[no-untyped-def]
    url = "/categories/kinds/?year=2021"
    page = admin_client.get(url).content.decode()
    assert "相談として数える" in page
    assert "相談として数える" not in admin_client.get(needs_url("?year=2021")).content.decode()
    data = edit_data(admin_client, url)
    blank = next(i for i in range(10) if not data.get(f"entries-{i}-name", "x"))
    data[f"entries-{blank}-name"] = "個別支援"
    data[f"entries-{blank}-is_consultation"] = "on"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()
    assert kind(2021, "個別支援").is_consultation
    assert kind(2021, "相談対応").is_consultation  # kept, as the box was left ticked


def test_a_kind_with_records_keeps_whether_it_is_a_consultation(
    admin_client, fy2021, admin_user
) -> None:  # type: ignore[no-untyped-def]
    consultation(category(2021, "近況報告など"))
    url = "/categories/kinds/?year=2021"
    data = edit_data(admin_client, url)
    row = next(i for i in range(10) if data.get(f"entries-{i}-name") == "相談対応")
    del data[f"entries-{row}-is_consultation"]
    page = admin_client.post(url, data).content.decode()
    assert (
        "「相談対応」は記録で使われているため、相談として数えるかどうかを変えられません。" in page
    )
    assert kind(2021, "相談対応").is_consultation


def test_the_category_editor_marks_the_catch_all_one_per_list(admin_client, fy2021) -> None:  # type: ignore[no-untyped-def]
    url = needs_url("?year=2021")
    page = admin_client.get(url).content.decode()
    assert '<th scope="col">その他扱い</th>' in page
    assert "その他扱い" not in admin_client.get("/categories/kinds/?year=2021").content.decode()
    data = edit_data(admin_client, url)
    data["entries-2-catch_all"] = "on"
    response = admin_client.post(url, data, follow=True)
    assert category(2021, "その他").catch_all
    assert "使用中・その他扱い" in response.content.decode()
    changes = AuditEntry.objects.filter(action="categories.list.saved").latest("pk").changes
    assert changes["その他扱い"] == "その他"
    # A second one is refused next to its row, nothing saved.
    data = edit_data(admin_client, url)
    assert data["entries-2-catch_all"] == "on"  # the saved mark comes back ticked
    data["entries-0-catch_all"] = "on"
    data["entries-0-name"] = "紹介"
    page = admin_client.post(url, data).content.decode()
    assert (
        "3行目：「その他」と「紹介」の両方が「その他扱い」になっています。"
        "その他扱いにできるのは、一つの一覧に一つだけです。"
    ) in page
    assert Category.objects.filter(fiscal_year=2021, name="紹介").count() == 0
    assert [c.name for c in Category.objects.filter(fiscal_year=2021, catch_all=True)] == ["その他"]
