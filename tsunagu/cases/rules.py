"""Individual cases (個別支援) and what hangs off them.

A case is read and worked on only by the staff assigned to it and by administrators;
for any other staff member it does not exist (404); read-only accounts see only how many
cases there are. A referral follows its case; one made from a consultation without a case
is its maker's, or the record's staff's."""

from typing import Any

from tsunagu.core.access import admin, predicate, signed_in, writer

CASE_REFUSAL = "個別支援は担当職員と管理者だけが開けます。"


def is_assigned(user: Any, case: Any) -> bool:
    return any(member.pk == user.pk for member in case.staff.all())


@predicate("case.view_all", refusal="すべての個別支援を見られるのは管理者です。", scope=None)
def view_all_cases(user: Any, obj: Any = None) -> bool:
    return admin(user)


@predicate("case.view", refusal=CASE_REFUSAL)
def view_case(user: Any, obj: Any = None) -> bool:
    return admin(user) or (writer(user) and (obj is None or is_assigned(user, obj)))


@predicate("case.edit", refusal=CASE_REFUSAL)
def edit_case(user: Any, obj: Any = None) -> bool:
    # Whoever may read a case works on it; an anonymised case is refused by the services
    # with its own message (a state of the case, not a permission).
    return view_case(user, obj)


@predicate("case.create", refusal="個別支援の登録は職員と管理者が行います。", scope=None)
def create_case(user: Any, obj: Any = None) -> bool:
    return writer(user)


@predicate("case.counts", refusal="ログインしてください。", scope=None)
def count_cases(user: Any, obj: Any = None) -> bool:
    return signed_in(user)


@predicate(
    "case.export",
    refusal="個別支援の出力は管理者だけが行えます（操作履歴に残ります）。",
    scope=None,
)
def export_cases(user: Any, obj: Any = None) -> bool:
    return admin(user)


@predicate("need.edit", refusal="困りごとの種類の一覧は管理者が編集します。", scope=None)
def edit_needs(user: Any, obj: Any = None) -> bool:
    return admin(user)


def _referral_is_theirs(user: Any, referral: Any) -> bool:
    if referral.case_id is not None:
        return is_assigned(user, referral.case)
    record_staff = referral.record.staff_id if referral.record_id else None
    return user.pk in (referral.staff_id, referral.created_by_id, record_staff)


@predicate("referral.view", refusal="紹介は担当職員と管理者だけが開けます。")
def view_referral(user: Any, obj: Any = None) -> bool:
    return admin(user) or (writer(user) and (obj is None or _referral_is_theirs(user, obj)))


@predicate("referral.edit", refusal="紹介は担当職員と管理者だけが記録できます。")
def edit_referral(user: Any, obj: Any = None) -> bool:
    return view_referral(user, obj)
