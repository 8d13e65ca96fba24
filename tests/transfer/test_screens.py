"""The upload and download screens, for each role."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.transfer.conftest import record_row, records_file
from tsunagu.audit.models import AuditEntry
from tsunagu.lib.tabular import read_table, write_csv
from tsunagu.records.models import DEMO_BATCH_KIND, Category, ImportBatch, SupportRecord
from tsunagu.transfer.exporters import records_download_response
from tsunagu.transfer.formats import RECORD_CORE_COLUMNS

CATEGORIES = "年度,相談者区分,名称\r\n2021,地域活動団体,会計\r\n".encode()


def upload(client: Any, kind: str, data: bytes, name: str = "t.csv", **extra: str) -> Any:
    return client.post(
        "/transfer/", {"kind": kind, "file": SimpleUploadedFile(name, data), **extra}, follow=True
    )


def test_viewers_may_neither_import_nor_export(viewer_client: Any, world: dict[str, Any]) -> None:
    assert viewer_client.get("/transfer/").status_code == 403
    assert upload(viewer_client, "records", records_file(record_row())).status_code == 403
    assert viewer_client.get("/transfer/export/?kind=records&format=csv").status_code == 403
    assert not SupportRecord.objects.exists()


def test_staff_import_records_and_see_the_count(staff_client: Any, world: dict[str, Any]) -> None:
    page = staff_client.get("/transfer/").content.decode()
    assert '<option value="records"' in page and '<option value="directory"' not in page
    response = upload(staff_client, "records", records_file(record_row(), record_row()))
    assert "支援記録 2件を取り込みました。" in response.content.decode()
    assert SupportRecord.objects.count() == 2
    assert "t.csv" in response.content.decode()  # the recent imports


def test_staff_cannot_import_the_yearly_lists(staff_client: Any, world: dict[str, Any]) -> None:
    response = upload(staff_client, "categories", CATEGORIES)
    assert response.status_code == 200
    assert "正しく選択してください" in response.content.decode()
    assert not Category.objects.filter(fiscal_year=2021).exists()


def test_administrators_import_the_yearly_lists(admin_client: Any, world: dict[str, Any]) -> None:
    response = upload(admin_client, "categories", CATEGORIES)
    assert "令和3年度の分類を取り込みました" in response.content.decode()


def test_errors_are_shown_as_a_table_and_nothing_is_imported(
    staff_client: Any, world: dict[str, Any]
) -> None:
    data = records_file(record_row(), record_row(場所="喫茶店"), record_row(活動種別="見学"))
    page = upload(staff_client, "records", data).content.decode()
    assert "取り込めませんでした。何も取り込んでいません。" in page
    assert "問題が 2 件あります。" in page
    assert "<caption>取り込めなかった理由</caption>" in page
    assert '<td class="num">3</td>' in page and "<td>場所</td>" in page
    assert "場所「喫茶店」は使えません。" in page
    assert not SupportRecord.objects.exists()


def test_a_file_too_large_is_refused(
    staff_client: Any, world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tsunagu.transfer.forms.MAX_UPLOAD_BYTES", 10)
    page = upload(staff_client, "records", records_file(record_row())).content.decode()
    assert "ファイルが大きすぎます" in page
    assert not SupportRecord.objects.exists()


def test_a_file_of_another_type_is_refused(staff_client: Any, world: dict[str, Any]) -> None:
    page = upload(staff_client, "records", b"%PDF", name="a.pdf").content.decode()
    assert "Excel ファイル（.xlsx）か CSV ファイル（.csv）を選んでください。" in page


def test_the_same_file_twice_is_refused_on_screen(staff_client: Any, world: dict[str, Any]) -> None:
    data = records_file(record_row())
    upload(staff_client, "records", data)
    page = upload(staff_client, "records", data).content.decode()
    assert "さんが取り込み済みです" in page
    assert SupportRecord.objects.count() == 1


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_staff_export_records_and_it_is_logged(
    staff_client: Any, staff_user: Any, world: dict[str, Any], fmt: str
) -> None:
    upload(staff_client, "records", records_file(record_row(メモ="個人のこと")))
    response = staff_client.get(f"/transfer/export/?kind=records&fy=令和2年度&format={fmt}")
    assert response.status_code == 200
    assert (
        "filename*=utf-8''%E6%94%AF%E6%8F%B4%E8%A8%98%E9%8C%B2_" in response["Content-Disposition"]
    )
    (row,) = read_table(response.getvalue(), f"x.{fmt}")
    assert row.values["メモ"] == "個人のこと"
    entry = AuditEntry.objects.get(action="transfer.exported")
    assert entry.actor == staff_user and entry.changes["rows"] == 1


def test_the_export_form_explains_bad_input(staff_client: Any, world: dict[str, Any]) -> None:
    page = staff_client.get("/transfer/export/?kind=directory&format=csv&fy=").content.decode()
    assert "マスタを CSV で出力するときは、種類を一つ選んでください。" in page
    page = staff_client.get("/transfer/export/?kind=records&format=csv&fy=来年").content.decode()
    assert "「来年」は年度として読み取れません。" in page


def test_directory_export_per_entity_as_csv(staff_client: Any, world: dict[str, Any]) -> None:
    response = staff_client.get("/transfer/export/?kind=directory&format=csv&entity=groups")
    (row,) = read_table(response.getvalue(), "x.csv")
    assert row.values["名称"] == "サロンひだまり" and row.values["地域社協"] == "本町地域社協"


def test_the_records_list_helper_answers_a_download(world: dict[str, Any], staff_user: Any) -> None:
    from tests.transfer.conftest import run_import

    run_import("records", records_file(record_row(), record_row(日付="2020-05-01")))
    response = records_download_response(
        SupportRecord.objects.with_related(), "csv", "支援記録", by=staff_user
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(read_table(response.getvalue(), "x.csv"))
    assert [r.values["日付"] for r in rows] == ["2020-05-01", "2020-06-01"]
    assert AuditEntry.objects.filter(action="transfer.exported", actor=staff_user).exists()


def test_imports_and_exports_read_as_sentences_in_the_audit_log(
    admin_client: Any, world: dict[str, Any]
) -> None:
    from tsunagu.audit.descriptions import describe

    upload(admin_client, "records", records_file(record_row()))
    admin_client.get("/transfer/export/?kind=records&format=csv")
    assert describe("transfer.imported") == "ファイルを取り込みました"
    assert describe("transfer.exported") == "支援記録をファイルに出力しました"
    page = admin_client.get("/audit/").content.decode()
    assert "ファイルを取り込みました" in page and "支援記録をファイルに出力しました" in page


def test_the_update_checkbox_changes_records_instead_of_refusing_them(
    staff_client: Any, world: dict[str, Any]
) -> None:
    upload(staff_client, "records", records_file(record_row()))
    record = SupportRecord.objects.get()
    data = write_csv(
        ["記録ID", *RECORD_CORE_COLUMNS], [[record.pk, *record_row(メモ="追記しました。")]]
    )
    page = upload(staff_client, "records", data).content.decode()
    assert "すでにあります" in page and SupportRecord.objects.count() == 1
    assert "記録IDが同じ記録は上書きする（支援記録だけ）" in page
    page = upload(staff_client, "records", data, update="on").content.decode()
    assert "1件を更新しました" in page
    record.refresh_from_db()
    assert (record.note, record.version, SupportRecord.objects.count()) == ("追記しました。", 2, 1)


def test_the_history_names_the_demo_in_japanese(admin_client: Any, world: dict[str, Any]) -> None:
    ImportBatch.objects.create(kind=DEMO_BATCH_KIND, filename="demo-2020", digest="d", row_count=3)
    page = admin_client.get("/transfer/").content.decode()
    assert "デモデータ（tsunagu demo で作成）" in page
    assert "<td>demo</td>" not in page
