"""Hostile files on the import screen and the command line: a Japanese refusal, never a 500."""

from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.lib import hostile
from tsunagu.records.models import ImportBatch, SupportRecord

CASES = [
    (hostile.shared_strings_bomb, "bomb.xlsx", "異常に高い圧縮率"),
    (hostile.billion_laughs, "laughs.xlsx", "XML の定義（DTD・実体参照）があるため読み込みません"),
    (hostile.external_entity, "xxe.xlsx", "XML の定義（DTD・実体参照）があるため読み込みません"),
    (hostile.not_a_zip, "fake.xlsx", "Excel ファイルとして開けません。"),
    (hostile.enormous_csv_line, "line.csv", "一行の文字数が多すぎます"),
]
IDS = ["shared-strings", "billion-laughs", "xxe", "not-a-zip", "csv-line"]
HEADERS = {"records": "日付,活動種別,場所", "directory": "名称,説明"}


def file_for(kind: str, make: Callable[[], bytes], name: str) -> bytes:
    """The hostile file, a CSV one under a header that the kind accepts."""
    data = make()
    if name.endswith(".csv"):
        data = HEADERS[kind].encode() + data[data.index(b"\r\n") :]
    return data


@pytest.mark.parametrize("kind", ["records", "directory"])
@pytest.mark.parametrize(("make", "name", "message"), CASES, ids=IDS)
def test_the_import_screen_refuses_a_hostile_file(
    admin_client: Any,
    world: dict[str, Any],
    kind: str,
    make: Callable[[], bytes],
    name: str,
    message: str,
) -> None:
    response = admin_client.post(
        "/transfer/",
        {
            "kind": kind,
            "entity": "zones",
            "file": SimpleUploadedFile(name, file_for(kind, make, name)),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "取り込めませんでした。何も取り込んでいません。" in page
    assert message in page
    assert not SupportRecord.objects.exists() and not ImportBatch.objects.exists()


@pytest.mark.parametrize(("make", "name", "message"), CASES, ids=IDS)
def test_the_import_command_refuses_a_hostile_file(
    world: dict[str, Any], tmp_path: Path, make: Callable[[], bytes], name: str, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(file_for("records", make, name))
    err = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import", "records", str(path), stderr=err)
    assert str(error.value) == "問題が 1 件あるため、何も取り込んでいません。"
    assert message in err.getvalue()
    assert not SupportRecord.objects.exists()
