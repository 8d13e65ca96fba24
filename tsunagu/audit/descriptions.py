"""Japanese sentences for the dotted action codes, for the audit log screen."""

from tsunagu.lib.display import show_value

ACTION_LABELS: dict[str, str] = {
    "auth.login": "ログインしました",
    "auth.login_failed": "ログインに失敗しました",
    "auth.logout": "ログアウトしました",
    "accounts.user.created": "職員アカウントを作成しました",
    "accounts.user.updated": "職員アカウントを変更しました",
    "accounts.user.password_set": "パスワードを設定しました",
    "accounts.user.deactivated": "職員アカウントを無効にしました",
    "accounts.user.activated": "職員アカウントを有効にしました",
    "accounts.user.unlocked": "ログインの一時停止を解除しました",
    "directory.entry.created": "マスタを追加しました",
    "directory.entry.updated": "マスタを変更しました",
    "directory.entry.deactivated": "マスタを無効にしました",
    "directory.entry.activated": "マスタを有効に戻しました",
    "records.record.created": "支援記録を登録しました",
    "records.record.updated": "支援記録を変更しました",
    "records.record.deleted": "支援記録を削除しました（ごみ箱へ）",
    "records.record.restored": "支援記録をごみ箱から元に戻しました",
    "records.record.purged": "支援記録を完全に削除しました",
    "records.note.read": "支援記録のメモを閲覧しました",
    "api.token.issued": "APIトークンを発行しました",
    "api.token.revoked": "APIトークンを取り消しました",
    "reports.year.closed": "年度を締めました（公表値を保存）",
    "reports.year.reopened": "年度の締めを解除しました",
    "reports.baseline.imported": "過去の集計値を取り込みました",
    "records.demo_loaded": "デモ用の支援記録を読み込みました",
    "categories.year.started": "前年度の一覧を写して新しい年度の一覧を作りました",
    "categories.list.saved": "分類の一覧を保存しました",
    "categories.entry.split": "分類を分割しました",
    "categories.entry.merged": "分類を統合しました",
    "categories.consulter_type.created": "相談者区分を追加しました",
    "categories.consulter_type.updated": "相談者区分を変更しました",
}


def all_labels() -> dict[str, str]:
    """The labels above, plus those each app declares in its `audit_labels.LABELS`."""
    from tsunagu.core.discovery import app_modules

    labels = dict(ACTION_LABELS)
    for module in app_modules("audit_labels"):
        labels.update(getattr(module, "LABELS", {}))
    return labels


def describe(action: str) -> str:
    return all_labels().get(action, action)


# The keys of entries without a target (a failed login).
KEY_LABELS = {"client": "接続元", "attempts": "回数"}


def _field_label(target_type: str, field: str) -> str:
    from django.apps import apps
    from django.core.exceptions import FieldDoesNotExist

    from tsunagu.audit.registry import declarations

    spec = declarations().get(target_type)
    if spec is not None and field in spec.labels:
        return spec.labels[field]
    if not target_type:
        return KEY_LABELS.get(field, field)
    try:
        model = apps.get_model(target_type) if target_type else None
        found = model._meta.get_field(field) if model else None
    except (LookupError, ValueError, FieldDoesNotExist):
        return field
    if found is None:
        return field
    if found.auto_created and not found.concrete:
        # A reverse relation (a plan's goals) has no verbose_name: name it by its rows.
        return str(found.related_model._meta.verbose_name)
    return str(getattr(found, "verbose_name", field))


def describe_changes(target_type: str, changes: dict[str, object]) -> list[tuple[str, str]]:
    """[(項目, 内容)] in Japanese: 「旧 → 新」 for a change, the value for a creation."""
    lines = []
    for field, value in changes.items():
        label = _field_label(target_type, field)
        # [old, new]: two values, or two lists when a list changed (a plan's goals).
        if (
            isinstance(value, list)
            and len(value) == 2
            and isinstance(value[0], list) == isinstance(value[1], list)
        ):
            lines.append((label, f"{show_value(value[0])} → {show_value(value[1])}"))
        else:
            lines.append((label, show_value(value)))
    return lines
