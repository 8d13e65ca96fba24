from django.contrib.auth.models import AbstractUser
from django.db import models

from tsunagu.core.concurrency import version_field


class Role(models.TextChoices):
    ADMIN = "admin", "管理者"
    STAFF = "staff", "職員"
    VIEWER = "viewer", "閲覧"


class User(AbstractUser):
    """A council staff account. The role decides what the account may see and do."""

    role = models.CharField("権限", max_length=10, choices=Role.choices, default=Role.STAFF)
    version = version_field()

    class Meta:
        verbose_name = "職員アカウント"
        verbose_name_plural = "職員アカウント"
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        name = f"{self.last_name} {self.first_name}".strip()
        return name or self.username
