"""The lists that crashed on a query string (issue #9, finding 9) now show the page, with
the filter left out and a message that says which."""

from typing import Any

import pytest
from django.test import Client


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/records/?zone=²", "「圏域」の指定（²）が正しくないため、使いませんでした。"),
        ("/cases/?staff=²", "「担当職員」の指定（²）が正しくないため"),
        ("/cases/?staff=" + "9" * 30, "「担当職員」の指定（99999999999999999999…）"),
        ("/volunteers/registrations/?zone=²", "「圏域」の指定（²）が正しくないため"),
        ("/volunteers/registrations/?region=" + "9" * 30, "「地域」の指定"),
        ("/volunteers/suggest/?zone=٣x", "「圏域」の指定（٣x）が正しくないため"),
        ("/directory/groups/?zone=²", "「圏域」の指定（²）が正しくないため"),
        ("/directory/groups/?q=a%00b", "「検索」の指定（ab）が正しくないため"),
        ("/audit/?actor=²", "「操作者」の指定（²）が正しくないため"),
        ("/volunteers/offers/?fy=来年度", "「来年度」は年度として読み取れません。"),
        ("/grants/?fy=" + "9" * 30, "「年度」の指定は使いませんでした。"),
    ],
)
def test_a_bad_filter_is_left_out_with_a_message(
    admin_client: Client, url: str, message: str
) -> None:
    response = admin_client.get(url)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_a_good_filter_still_filters(admin_client: Client, city: dict[str, Any]) -> None:
    east, west = city["east"], city["west"]
    page = admin_client.get(f"/directory/groups/?zone={east.pk}").content.decode()
    assert "サロンひだまり" in page and "正しくないため" not in page
    full_width = str(west.pk).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert (
        "サロンひだまり"
        not in admin_client.get(f"/directory/groups/?zone={full_width}").content.decode()
    )


def test_a_link_without_a_usable_record_is_not_found(staff_client: Client) -> None:
    for value in ("", "²", "9" * 30, "a%00"):
        assert staff_client.get(f"/plans/link/?record={value}").status_code == 404
