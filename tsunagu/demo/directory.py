"""The demo council's directory: a commuter city of about 148,000 people around three
stations (the reference city of docs/domain.md). Every name of a person is invented."""

from decimal import Decimal

from tsunagu.accounts.models import Role, User
from tsunagu.directory.models import (
    ActivityGroup,
    Agency,
    AgencyGroup,
    GroupKind,
    MunicipalityProfile,
    Region,
    Zone,
)

DEMO_PASSWORD = "tsunagu-demo"  # noqa: S105 - printed on purpose: it is sample data

# username, 氏, 名, role
USERS = [
    ("admin", "管理", "花子", Role.ADMIN),
    ("sato", "佐藤", "美咲", Role.STAFF),
    ("suzuki", "鈴木", "大輔", Role.STAFF),
    ("takahashi", "高橋", "由美", Role.STAFF),
    ("etsuran", "閲覧", "太郎", Role.VIEWER),
]


def accounts_not_of_the_demo() -> list[str]:
    """Usernames in the database other than the demo's own accounts.

    Every row a council writes is written by one of its accounts, so a database whose only
    accounts are the demo's (with the demo's published password) holds nothing but demo
    data; one other account means real work may be there."""
    demo = {username for username, *_ in USERS}
    others = []
    for user in User.objects.order_by("username"):
        if user.username not in demo or not user.check_password(DEMO_PASSWORD):
            others.append(user.username)
    return others


# zone, station, staff username, regions
ZONES = [
    (
        "東部圏域",
        "みどり台駅周辺",
        "sato",
        ["一小地区福祉の会", "二小地区福祉の会", "本町地域社協", "東町地域社協"],
    ),
    (
        "中部圏域",
        "さくら通り駅周辺",
        "suzuki",
        ["三小地区福祉の会", "四小地区福祉の会", "中町地域社協", "緑町地域社協", "桜堤地域社協"],
    ),
    (
        "西部圏域",
        "ひばり野駅周辺",
        "takahashi",
        ["境南地域社協", "西町地域社協", "関前地域社協", "八幡地域社協"],
    ),
]

GROUP_KINDS = [
    "サロン",
    "子育てサロン",
    "居場所",
    "子ども食堂",
    "フードパントリー",
    "テンミリオンハウス",
    "ボランティア団体",
    "丁目の会",
    "その他",
]

# group name, kind, region, schedule
GROUPS = [
    ("いきいきサロンひだまり", "サロン", "一小地区福祉の会", "毎月第2火曜日 13:30〜15:30"),
    ("子育てひろば おひさま", "子育てサロン", "一小地区福祉の会", "毎週水曜日 10:00〜12:00"),
    ("本町一丁目の会", "丁目の会", "本町地域社協", "奇数月の第3土曜日"),
    ("みどり台こども食堂", "子ども食堂", "本町地域社協", "毎月第1・第3金曜日 17:00〜19:00"),
    ("テンミリオンハウス花の家", "テンミリオンハウス", "東町地域社協", "月〜金 10:00〜16:00"),
    ("東町ふれあいサロン", "サロン", "東町地域社協", "毎月第4木曜日 14:00〜16:00"),
    ("二小地区 居場所カフェ", "居場所", "二小地区福祉の会", "毎週金曜日 13:00〜16:00"),
    (
        "ひまわりフードパントリー",
        "フードパントリー",
        "二小地区福祉の会",
        "毎月第2土曜日 10:00〜12:00",
    ),
    ("三小地区 おしゃべりサロン", "サロン", "三小地区福祉の会", "毎月第1月曜日 13:30〜15:00"),
    ("ロビーカフェ よつば", "居場所", "四小地区福祉の会", "毎週火曜日 10:00〜15:00"),
    (
        "四小地区 子育てサロン ぴよぴよ",
        "子育てサロン",
        "四小地区福祉の会",
        "毎月第3水曜日 10:00〜11:30",
    ),
    ("中町二丁目の会", "丁目の会", "中町地域社協", "年4回"),
    ("中町こども食堂 にこにこ", "子ども食堂", "中町地域社協", "毎月第2水曜日 17:00〜19:00"),
    ("緑町ふれあいサロン", "サロン", "緑町地域社協", "毎月第3火曜日 13:30〜15:30"),
    ("テンミリオンハウス緑の家", "テンミリオンハウス", "緑町地域社協", "月〜土 10:00〜16:00"),
    ("桜堤 居場所 ひといき", "居場所", "桜堤地域社協", "毎週月・木曜日 10:00〜15:00"),
    ("桜堤フードパントリー", "フードパントリー", "桜堤地域社協", "毎月最終土曜日 14:00〜16:00"),
    ("境南いきいきサロン", "サロン", "境南地域社協", "毎月第1木曜日 13:30〜15:30"),
    ("境南 親子ひろば", "子育てサロン", "境南地域社協", "毎週木曜日 10:00〜12:00"),
    ("西町こども食堂 もぐもぐ", "子ども食堂", "西町地域社協", "毎月第4金曜日 17:00〜19:00"),
    ("西町三丁目の会", "丁目の会", "西町地域社協", "偶数月の第2日曜日"),
    ("関前 居場所 ふらっと", "居場所", "関前地域社協", "毎週水曜日 13:00〜17:00"),
    ("テンミリオンハウス関前の家", "テンミリオンハウス", "関前地域社協", "月〜金 10:00〜16:00"),
    ("八幡ふれあいサロン", "サロン", "八幡地域社協", "毎月第2金曜日 13:30〜15:30"),
    ("八幡フードパントリー", "フードパントリー", "八幡地域社協", "毎月第3日曜日 10:00〜12:00"),
    ("傾聴ボランティア こころ", "ボランティア団体", "中町地域社協", "毎月第1水曜日 定例会"),
    ("買い物サポート あゆみ", "ボランティア団体", "境南地域社協", "随時"),
    ("朗読ボランティア こえの会", "ボランティア団体", "三小地区福祉の会", "毎月第2木曜日 定例会"),
    ("防災ボランティア みどり台", "ボランティア団体", "一小地区福祉の会", "毎月第4日曜日 定例会"),
    ("学習支援 まなびや", "その他", "西町地域社協", "毎週土曜日 14:00〜16:00"),
    ("マンション交流会 ひばり野", "その他", "八幡地域社協", "年6回"),
    ("多文化交流カフェ", "居場所", "緑町地域社協", "毎月第1日曜日 13:00〜15:00"),
]

# reporting group -> agencies in it (a one-element group is reported under its own name)
AGENCIES = [
    ("子ども政策課", ["子ども政策課"]),
    ("高齢者支援課", ["高齢者支援課"]),
    ("地域支援課", ["地域支援課"]),
    ("生活福祉課", ["生活福祉課"]),
    ("障害者福祉課", ["障害者福祉課"]),
    ("健康課", ["健康課"]),
    ("市民活動推進課", ["市民活動推進課"]),
    ("環境政策課", ["環境政策課"]),
    ("教育支援課・教育企画課・指導課", ["教育支援課", "教育企画課", "指導課"]),
    (
        "在宅介護・地域包括支援センター",
        [
            "みどり台在宅介護・地域包括支援センター",
            "さくら通り在宅介護・地域包括支援センター",
            "ひばり野在宅介護・地域包括支援センター",
        ],
    ),
    ("福祉公社", ["福祉公社"]),
    ("社会福祉法人・企業", ["社会福祉法人 つばさ会", "ひばり野生活協同組合"]),
    ("介護・医療の事業所", ["訪問介護ステーションあおば", "さくら通りクリニック"]),
]

PROFILE = {
    "name": "みどり市（デモ）",
    "council_name": "みどり市民社会福祉協議会（デモ）",
    "population": 148_000,
    "households": 78_000,
    "ageing_rate": Decimal("22.0"),
    "area_km2": Decimal("10.98"),
}


def load_directory() -> None:
    users = {}
    for username, last, first, role in USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"last_name": last, "first_name": first, "role": role}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        users[username] = user

    for fy, population in [(2018, 146_900), (2019, 147_400), (2020, 148_000)]:
        MunicipalityProfile.objects.get_or_create(
            fiscal_year=fy, defaults={**PROFILE, "population": population}
        )

    regions = {}
    for order, (zone_name, station, staff, region_names) in enumerate(ZONES, start=1):
        zone, _ = Zone.objects.get_or_create(
            name=zone_name, defaults={"description": station, "staff": users[staff], "order": order}
        )
        for region_order, region_name in enumerate(region_names, start=1):
            regions[region_name], _ = Region.objects.get_or_create(
                name=region_name,
                defaults={
                    "zone": zone,
                    "order": order * 100 + region_order,
                    "representative": "（デモ）代表者",
                    "member_count": 60 + 7 * region_order + 11 * order,
                },
            )

    kinds = {}
    for order, kind_name in enumerate(GROUP_KINDS, start=1):
        kinds[kind_name], _ = GroupKind.objects.get_or_create(
            name=kind_name, defaults={"order": order}
        )

    for order, (name, kind, region_name, schedule) in enumerate(GROUPS, start=1):
        region = regions[region_name]
        ActivityGroup.objects.get_or_create(
            name=name,
            zone=region.zone,
            defaults={"kind": kinds[kind], "region": region, "schedule": schedule, "order": order},
        )

    for order, (group_name, agency_names) in enumerate(AGENCIES, start=1):
        group, _ = AgencyGroup.objects.get_or_create(name=group_name, defaults={"order": order})
        for agency_order, agency_name in enumerate(agency_names, start=1):
            Agency.objects.get_or_create(
                name=agency_name, defaults={"group": group, "order": order * 100 + agency_order}
            )
