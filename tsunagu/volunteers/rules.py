"""The volunteer centre.

Registrations hold personal data (names, contact, availability): staff and administrators
only. Read-only accounts see counts and what is not personal — groups' requests and
donation offers without the donor — and never a volunteer's name. The list of insured
volunteers leaves the system only with an administrator."""

from typing import Any

from tsunagu.core.access import admin, predicate, signed_in, writer

PEOPLE = "ボランティアの登録は個人情報を含むため、職員と管理者だけが見られます。"


@predicate("volunteer.view", refusal=PEOPLE)
def view_volunteer(user: Any, obj: Any = None) -> bool:
    return writer(user)


@predicate("volunteer.edit", refusal="ボランティアの登録・変更は職員と管理者が行います。")
def edit_volunteer(user: Any, obj: Any = None) -> bool:
    return writer(user)


@predicate("volunteer_match.edit", refusal="マッチングの記録は職員と管理者が行います。", scope=None)
def edit_volunteer_match(user: Any, obj: Any = None) -> bool:
    return writer(user)


@predicate("insurance.view", refusal=PEOPLE, scope=None)
def view_insurance(user: Any, obj: Any = None) -> bool:
    return writer(user)


@predicate("insurance.edit", refusal="保険の加入の登録は職員と管理者が行います。", scope=None)
def edit_insurance(user: Any, obj: Any = None) -> bool:
    return writer(user)


@predicate(
    "insurance.export",
    refusal="加入者一覧の出力は個人情報を含むため、管理者だけが行えます。",
    scope=None,
)
def export_insurance(user: Any, obj: Any = None) -> bool:
    return admin(user)


@predicate("offer.view", refusal="ログインしてください。", scope=None)
def view_offer(user: Any, obj: Any = None) -> bool:
    return signed_in(user)


@predicate("offer.view_donor", refusal="申し出た方の名前・連絡先は職員と管理者だけが見られます。")
def view_donor(user: Any, obj: Any = None) -> bool:
    return writer(user)


@predicate("offer.edit", refusal="申し出の受付・変更は職員と管理者が行います。")
def edit_offer(user: Any, obj: Any = None) -> bool:
    return writer(user)


@predicate("help_request.view", refusal="ログインしてください。", scope=None)
def view_request(user: Any, obj: Any = None) -> bool:
    return signed_in(user)


@predicate("help_request.edit", refusal="募集の登録・変更とマッチングは職員と管理者が行います。")
def edit_request(user: Any, obj: Any = None) -> bool:
    return writer(user)
