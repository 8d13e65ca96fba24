"""`tsunagu demo`: the demo council (a city invented for trying tsunagu), loaded by the
loaders of tsunagu/demo/ in the one order below. Running it again adds nothing."""

from importlib import import_module
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from tsunagu.accounts.models import User
from tsunagu.demo.directory import (
    DEMO_PASSWORD,
    USERS,
    accounts_not_of_the_demo,
    load_directory,
)
from tsunagu.demo.records import extend_lists, load_records
from tsunagu.demo.years import demo_years, loaded_last_year
from tsunagu.lib.fiscal import FiscalParseError, fiscal_year_label, parse_fiscal_year
from tsunagu.records.defaults import ensure_consulter_types

# The order of the demo's loaders, kept here only. First the base every other one refers
# to (Command.handle): the consulter types, the directory (zones, regional councils,
# groups, agencies and the accounts the loaders act as), then the records and their yearly
# lists. Then each module tsunagu.demo.<name> below, in this order: its
# `load_demo(*, by, years) -> str` (a one-line summary in Japanese) may use what the
# loaders before it wrote.
DEMO_APPS = (
    "plans",  # the regional councils' plans; links records of the base to initiatives
    "grants",  # grants to the regional councils, and the fundraising totals
    "volunteers",  # the volunteer centre: its registrations and offers are the records'
    "cases",  # individual cases: their need kinds tie to the volunteers' skills, so after
)


class Command(BaseCommand):
    stealth_options = ("today",)
    help = "デモ用の社協（架空の市）のデータを読み込みます。何度実行しても重複しません。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--last-year",
            dest="last_year",
            help=(
                "デモの3年度の最後の年度（例：2020、令和2年度）。"
                "省略すると今年度（読み込み済みならその年度）です。"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        last_year = options.get("last_year")
        if isinstance(last_year, str):
            try:
                last_year = parse_fiscal_year(last_year)
            except FiscalParseError as error:
                raise CommandError(f"--last-year：{error}") from error
        loaded = loaded_last_year()
        if last_year is not None and loaded is not None and loaded != last_year:
            raise CommandError(
                f"このデータベースには{fiscal_year_label(loaded)}までのデモが読み込み済みです。"
                f"{fiscal_year_label(last_year)}までのデモは、別の空のデータベースに読み込んでください。"
            )
        # `today` is for the tests: the day the demo is loaded on (default: today in Tokyo).
        years = demo_years(last_year, options.get("today"))
        others = accounts_not_of_the_demo()
        if others:
            # The demo's accounts share a published password: loading them into a council's
            # real database would open it to anyone who has read the README.
            raise CommandError(
                "このデータベースにはデモ以外のデータがあります（職員アカウント"
                f"「{'」「'.join(others[:3])}」{'など' if len(others) > 3 else ''}）。"
                "デモデータは、空のデータベースかデモのデータベースにだけ読み込めます。"
                "試すときは TSUNAGU_DATA_DIR（または DATABASE_URL）で別のデータベースを指定してください。"
            )
        summaries = []
        with transaction.atomic():
            ensure_consulter_types()
            load_directory()
            records = load_records(years)
            admin = User.objects.get(username="admin")
            extend_lists(by=admin, years=years)
            for app in DEMO_APPS:
                module = import_module(f"tsunagu.demo.{app}")
                summaries.append(module.load_demo(by=admin, years=years))
        self.stdout.write(self.style.SUCCESS("デモデータを読み込みました。"))
        if records:
            loaded_years = "、".join(
                f"{fiscal_year_label(fy)} {n:,}件" for fy, n in records.items()
            )
            self.stdout.write(f"支援記録：{loaded_years}")
        else:
            self.stdout.write("支援記録：読み込み済みのため追加していません。")
        for summary in summaries:
            self.stdout.write(summary)
        self.stdout.write("デモ用のログイン（パスワードはすべて " + DEMO_PASSWORD + "）：")
        for username, last, first, role in USERS:
            self.stdout.write(f"  {username:<10} {last} {first}（{role.label}）")
