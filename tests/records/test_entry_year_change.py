"""A date typed into another fiscal year: only the yearly choices are redrawn, what is
still valid is kept (carried to the same-named row of the new year), what is not is named."""

import re

from tsunagu.records.models import ActivityKind, Category
from tsunagu.reports.models import YearClosure


def _checked(page: str, name: str) -> set[int]:
    tags = re.findall(r"<input[^>]*>", page)
    return {
        int(re.search(r'value="(\d+)"', tag).group(1))  # type: ignore[union-attr]
        for tag in tags
        if f'name="{name}"' in tag and "checked" in tag
    }


def _outing_post(lists, city, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "date": "2019-07-01",
        "place": "outreach",
        "target": f"g:{city['hidamari'].pk}",
        "visit_kind": lists["kind2020:出向き・参加"].pk,
        "consultation_kind": lists["kind2020:相談対応"].pk,
        "visit_note": "サロンに参加した。",
        "c-TOTAL_FORMS": "2",
        "c-INITIAL_FORMS": "0",
        "c-0-consulter_type": lists["types"]["ニーズを抱えている個人"].pk,
        "c-0-categories": [lists["cat2020:近況報告など"].pk],
        "c-0-note": "買い物の相談。",
        "c-1-consulter_type": lists["types"]["ボランティア希望（活動）者"].pk,
        "c-1-categories": [lists["cat2020:ボランティアしたい"].pk],
    }
    data.update(overrides)
    return data


def test_record_date_change_carries_kind_and_categories(staff_client, lists, city) -> None:  # type: ignore[no-untyped-def]
    response = staff_client.post(
        "/records/choices/",
        {
            "date": "2019-06-10",
            "activity_kind": lists["kind2020:相談対応"].pk,
            "consulter_type": lists["types"]["ニーズを抱えている個人"].pk,
            "categories": [lists["cat2020:近況報告など"].pk],
            "target": f"g:{city['hidamari'].pk}",
            "note": "サロンで相談を受けた。",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert _checked(page, "activity_kind") == {lists["kind2019:相談対応"].pk}  # type: ignore[attr-defined]
    assert _checked(page, "categories") == {lists["cat2019:近況報告など"].pk}  # type: ignore[attr-defined]
    assert "令和元年度の分類を表示中" in page
    # Only the yearly parts come back, out of band: the note and the target stay in the page.
    assert 'id="kind-choices" hx-swap-oob="true"' in page
    assert 'id="record-category-choices" data-category-choices hx-swap-oob="true"' in page
    assert 'name="note"' not in page and 'name="target"' not in page
    assert "一覧にない" not in page


def test_record_date_change_names_what_the_new_year_lacks(staff_client, lists, city) -> None:  # type: ignore[no-untyped-def]
    only_2020 = ActivityKind.objects.create(fiscal_year=2020, name="働きかけ訪問", order=9)
    new_category = Category.objects.create(
        fiscal_year=2020,
        consulter_type=lists["types"]["ニーズを抱えている個人"],  # type: ignore[index]
        name="防災のこと",
        order=9,
    )
    page = staff_client.post(
        "/records/choices/",
        {
            "date": "2019-06-10",
            "activity_kind": only_2020.pk,
            "categories": [new_category.pk, lists["cat2020:近況報告など"].pk],
        },
    ).content.decode()
    assert (
        "活動種別「働きかけ訪問」（令和2年度）は令和元年度の一覧にないため、選択を外しました。"
        "選び直してください。"
    ) in page
    assert (
        "相談内容「防災のこと」（ニーズを抱えている個人）は令和元年度の一覧にないため、"
        "チェックを外しました。"
    ) in page
    assert _checked(page, "activity_kind") == set()
    assert _checked(page, "categories") == {lists["cat2019:近況報告など"].pk}  # type: ignore[attr-defined]


def test_outing_date_change_redraws_only_the_yearly_choices(staff_client, lists, city) -> None:  # type: ignore[no-untyped-def]
    response = staff_client.post("/records/outing/choices/", _outing_post(lists, city))
    page = response.content.decode()
    assert response.status_code == 200
    assert "令和元年度の分類を表示中" in page
    visit = re.search(r'<select name="visit_kind".*?</select>', page, re.S).group(0)  # type: ignore[union-attr]
    assert f'value="{lists["kind2019:出向き・参加"].pk}" selected' in visit  # type: ignore[attr-defined]
    chunks = re.split(
        r'id="(c-\d)-category-choices" data-category-choices hx-swap-oob="true"', page
    )
    rows = {
        prefix: _checked(chunk, f"{prefix}-categories")
        for prefix, chunk in zip(chunks[1::2], chunks[2::2], strict=True)
    }
    assert rows == {
        "c-0": {lists["cat2019:近況報告など"].pk},  # type: ignore[attr-defined]
        "c-1": {lists["cat2019:ボランティアしたい"].pk},  # type: ignore[attr-defined]
    }
    # The row "相談をもう1件追加" copies is of the new year too.
    template = page[page.index('id="outing-row-template"') :]
    assert f'value="{lists["cat2019:近況報告など"].pk}"' in template  # type: ignore[attr-defined]
    assert f'value="{lists["cat2020:近況報告など"].pk}"' not in template  # type: ignore[attr-defined]
    # Target, notes and consulter types are not sent back: the page keeps them as typed.
    for field in ('name="target"', 'name="visit_note"', "c-0-note", 'name="c-0-consulter_type"'):
        assert field not in page


def test_outing_date_change_names_a_category_the_new_year_lacks(staff_client, lists, city) -> None:  # type: ignore[no-untyped-def]
    new_category = Category.objects.create(
        fiscal_year=2020,
        consulter_type=lists["types"]["ボランティア希望（活動）者"],  # type: ignore[index]
        name="災害ボランティア",
        order=9,
    )
    page = staff_client.post(
        "/records/outing/choices/",
        _outing_post(lists, city, **{"c-1-categories": [new_category.pk]}),
    ).content.decode()
    assert (
        "相談2：相談内容「災害ボランティア」（ボランティア希望（活動）者）は令和元年度の一覧にない"
        in page
    )


def test_new_record_screen_warns_of_a_closed_year(staff_client, lists, city, admin_user) -> None:  # type: ignore[no-untyped-def]
    YearClosure.objects.create(fiscal_year=2019, data={}, closed_by=admin_user)
    warning = (
        "この日付の年度（令和元年度）は締められています。保存しても公表済みの集計は変わりません"
    )
    assert warning in staff_client.get("/records/new/?date=2019-06-10").content.decode()
    assert (
        "締められています" not in staff_client.get("/records/new/?date=2020-06-10").content.decode()
    )
    # Typing the date redraws the warning before anything is saved.
    assert warning in staff_client.post("/records/choices/", {"date": "R1.6.10"}).content.decode()
    assert (
        "締められています"
        not in staff_client.post("/records/choices/", {"date": "2020-06-10"}).content.decode()
    )
    assert warning in staff_client.get("/records/outing/?date=2019-06-10").content.decode()
    assert (
        warning
        in staff_client.post(
            "/records/outing/choices/", {"date": "2019-06-10", "c-TOTAL_FORMS": "0"}
        ).content.decode()
    )
