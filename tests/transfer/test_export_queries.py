"""The records export reads tuples a chunk at a time: its queries do not grow with the
records (only with their chunks of CHUNK_SIZE), and the chunks change nothing in the file."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.transfer.conftest import record_row, records_file, run_import
from tsunagu.lib.tabular import read_table
from tsunagu.records.models import SupportRecord
from tsunagu.transfer import exporters
from tsunagu.transfer.exporters import export_file, records_download_response


def add_records(count: int, start: int) -> None:
    rows = [
        record_row(
            日付=f"2020-06-{1 + (start + n) % 28:02d}",
            活動種別="相談対応",
            相談者区分="地域活動団体",
            相談内容="活動費・助成金・会計|ﾁﾗｼ・広報作成",
            関係機関="子ども政策課｜みどり台地域包括支援センター（紹介・つなぎ）",
            メモ=f"相談 {start + n}",
        )
        if n % 2
        else record_row(日付=f"2020-07-{1 + (start + n) % 28:02d}", メモ=f"訪問 {start + n}")
        for n in range(count)
    ]
    run_import("records", records_file(*rows), filename=f"r{start}.csv")


def queries(run: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured)


def test_the_export_sends_as_many_queries_for_60_records_as_for_10(
    world: dict[str, Any], staff_user: Any
) -> None:
    add_records(10, 0)
    small = queries(lambda: export_file("records", "csv"))
    small_xlsx = queries(lambda: export_file("records", "xlsx"))
    download = queries(
        lambda: records_download_response(
            SupportRecord.objects.with_related(), "csv", "支援記録", by=staff_user
        ).getvalue()
    )
    add_records(50, 10)
    data = []
    assert queries(lambda: data.append(export_file("records", "csv")[0])) == small
    assert queries(lambda: export_file("records", "xlsx")) == small_xlsx
    assert (
        queries(
            lambda: records_download_response(
                SupportRecord.objects.with_related(), "csv", "支援記録", by=staff_user
            ).getvalue()
        )
        == download
    )
    rows = list(read_table(data[0], "x.csv"))
    assert len(rows) == 60
    consultation = next(r for r in rows if r.text("メモ") == "相談 1")
    assert consultation.text("相談内容") == "活動費・助成金・会計|チラシ・広報作成"
    assert consultation.text("関係機関") == (
        "子ども政策課|みどり台地域包括支援センター（紹介・つなぎ）"
    )


@pytest.mark.parametrize("chunk", [1, 7])
def test_chunks_change_nothing_in_the_file_and_cost_two_queries_each(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    add_records(21, 0)
    whole, rows = export_file("records", "csv")
    whole_queries = queries(lambda: export_file("records", "csv"))
    monkeypatch.setattr(exporters, "CHUNK_SIZE", chunk)
    chunked = []
    chunked_queries = queries(lambda: chunked.append(export_file("records", "csv")[0]))
    assert chunked == [whole] and rows == 21
    # Each chunk past the first: its categories and its agencies.
    assert chunked_queries - whole_queries == 2 * (-(-21 // chunk) - 1)
