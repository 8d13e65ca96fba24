from tsunagu.accounts.models import Role, User
from tsunagu.audit.models import AuditEntry


def test_admin_creates_a_staff_account(admin_client) -> None:  # type: ignore[no-untyped-def]
    response = admin_client.post(
        "/staff/new/",
        {
            "username": "yamada",
            "last_name": "山田",
            "first_name": "花子",
            "email": "",
            "role": "staff",
            "password1": "kanari-nagai-pass-42",
            "password2": "kanari-nagai-pass-42",
        },
        follow=True,
    )
    assert "職員アカウント「山田 花子」を作成しました。" in response.content.decode()
    user = User.objects.get(username="yamada")
    assert user.role == Role.STAFF and user.check_password("kanari-nagai-pass-42")
    entry = AuditEntry.objects.get(action="accounts.user.created")
    assert "kanari" not in str(entry.changes)


def test_mismatched_passwords_are_explained(admin_client) -> None:  # type: ignore[no-untyped-def]
    response = admin_client.post(
        "/staff/new/",
        {
            "username": "yamada",
            "last_name": "山田",
            "role": "staff",
            "password1": "abcdefgh12345",
            "password2": "zzz",
        },
    )
    assert "確認のパスワードが一致しません。" in response.content.decode()
    assert not User.objects.filter(username="yamada").exists()


def test_staff_cannot_manage_accounts(staff_client) -> None:  # type: ignore[no-untyped-def]
    assert staff_client.get("/staff/").status_code == 403
    assert staff_client.get("/staff/new/").status_code == 403


def test_admin_deactivates_an_account_but_not_their_own(
    admin_client, admin_user, staff_user
) -> None:  # type: ignore[no-untyped-def]
    admin_client.post(f"/staff/{staff_user.pk}/active/", {"active": "0"})
    staff_user.refresh_from_db()
    assert not staff_user.is_active
    response = admin_client.post(f"/staff/{admin_user.pk}/active/", {"active": "0"}, follow=True)
    assert "自分のアカウントは無効にできません。" in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_active
