"""A hand-built 令和2年度 report, computed by the engine from plain counts as the
database side would hand them over. Its text is written out in full in test_text.py.

It has every form the council publishes: ties (among ranked and listed rows, one of
them with a split category), the catch-all その他 on a rank of its own after a tie, ＋/－/±0/新 deltas, a category split in two, a merge, a
rename, a drop to zero, a category with no records either year (left out), a grouped
agency row, a kind counted only from 令和2年度 on, and the outreach share.
"""

from tsunagu.reports.engine import TermCount, build_section, build_trend, carry_back
from tsunagu.reports.result import OutreachShare, Report, Section, Style, Trend

YEARS = (2018, 2019, 2020)
YEAR_LABELS = ("平成30年度", "令和元年度", "令和2年度")


def programme_section() -> Section:
    return build_section(
        key="programme",
        title="市民社協の事業に関連する相談",
        style=Style.TOTAL,
        terms=[],
        previous={},
        total=35,
        previous_total=32,
    )


def individual_section() -> Section:
    # Last year's 近況報告・その他 (13件) was split into 近況報告など and その他.
    return build_section(
        key="individual",
        title="ニーズを抱えている個人からの相談",
        style=Style.RANKED,
        terms=[
            TermCount("福祉サービス・相談機関への紹介", 1, 14, ("福祉サービス・相談機関への紹介",)),
            TermCount("活動の紹介", 2, 8, ("活動の紹介",)),
            TermCount("近況報告など", 3, 4, ("近況報告・その他",)),
            TermCount("居場所に参加したい", 4, 3),
            TermCount("その他", 5, 3, ("近況報告・その他",), catch_all=True),
        ],
        previous={"福祉サービス・相談機関への紹介": 12, "活動の紹介": 8, "近況報告・その他": 13},
        total=32,
        previous_total=33,
    )


def volunteer_section() -> Section:
    # The example of docs/domain.md; 寄付したい was renamed 寄付（寄贈）したい.
    return build_section(
        key="volunteer",
        title="ボランティア希望（活動）者からの相談",
        style=Style.RANKED,
        terms=[
            TermCount("ボランティアしたい", 1, 20, ("ボランティアしたい",)),
            TermCount("寄付（寄贈）したい", 2, 20, ("寄付したい",)),
            TermCount(
                "ボランティア活動中の悩み、活動報告など",
                3,
                6,
                ("ボランティア活動中の悩み、活動報告など",),
            ),
            TermCount("地域活動等への見学の希望、紹介など", 4, 1),
            TermCount("その他", 5, 1, ("その他",), catch_all=True),
        ],
        previous={
            "ボランティアしたい": 11,
            "寄付したい": 22,
            "ボランティア活動中の悩み、活動報告など": 6,
            "その他": 3,
        },
        total=48,
        previous_total=43,
    )


def group_section() -> Section:
    # 活動費 and 助成金・会計 were merged; a consultation may have several subjects, so the
    # total (records) is less than the sum of the rows.
    return build_section(
        key="groups",
        title="地域活動団体からの相談",
        style=Style.RANKED,
        terms=[
            TermCount("コロナ関連", 1, 10, ("コロナ関連",)),
            TermCount("活動費・助成金・会計", 2, 12, ("活動費", "助成金・会計")),
            TermCount("今後の方向性", 3, 6, ("今後の方向性",)),
            TermCount("チラシ・広報", 4, 6, ("チラシ・広報",)),
            TermCount("特定の個人のこと", 5, 2),
            TermCount("部屋の貸し出し", 6, 1, ("部屋の貸し出し",)),
            TermCount("ボランティア保険", 7, 0, ("ボランティア保険",)),
            TermCount("会員研修", 8, 0, ("会員研修",)),
        ],
        previous={
            "コロナ関連": 15,
            "活動費": 4,
            "助成金・会計": 5,
            "今後の方向性": 6,
            "チラシ・広報": 6,
            "部屋の貸し出し": 0,
            "ボランティア保険": 0,
            "会員研修": 2,
        },
        total=30,
        previous_total=28,
    )


def agency_subject_section() -> Section:
    return build_section(
        key="agency-subjects",
        title="関係機関からの相談（相談内容別）",
        style=Style.LISTED,
        terms=[
            TermCount("テンミリオンハウスについて", 1, 5),
            TermCount("地域社協について", 2, 0, ("地域社協について",)),
            TermCount(
                "フードバンク・フードパントリー団体について",
                3,
                1,
                ("フードバンク・フードパントリー団体について",),
            ),
            TermCount("居場所について", 4, 5, ("居場所について",)),
            TermCount("特定の個人について", 5, 9, ("特定の個人について",)),
        ],
        previous={
            "地域社協について": 0,
            "フードバンク・フードパントリー団体について": 2,
            "居場所について": 5,
            "特定の個人について": 7,
        },
        total=18,
        previous_total=13,
    )


def agency_table() -> Section:
    # 教育支援課・教育企画課・指導課 is one reporting group of three agencies.
    return build_section(
        key="agencies",
        title="関係機関別",
        style=Style.LISTED,
        terms=[
            TermCount("子ども政策課", 1, 0, ("子ども政策課",)),
            TermCount("高齢者支援課", 2, 4, ("高齢者支援課",)),
            TermCount("教育支援課・教育企画課・指導課", 3, 5, ("教育支援課・教育企画課・指導課",)),
            TermCount("在宅介護・地域包括支援センター", 4, 8, ("在宅介護・地域包括支援センター",)),
            TermCount("福祉公社", 5, 2),
        ],
        previous={
            "子ども政策課": 2,
            "高齢者支援課": 6,
            "教育支援課・教育企画課・指導課": 3,
            "在宅介護・地域包括支援センター": 8,
        },
        total=17,
        previous_total=18,
    )


def kind_trend() -> Trend:
    # 相談 was renamed 相談対応 in 令和元年度; 働きかけ is counted from 令和2年度 on.
    return build_trend(
        key="kinds",
        title="活動内容別",
        years=YEARS,
        year_labels=YEAR_LABELS,
        rows=carry_back(
            [
                [
                    TermCount("出向き・参加", 1, 120),
                    TermCount("話し合いへの参加", 2, 80),
                    TermCount("相談", 3, 60),
                ],
                [
                    TermCount("出向き・参加", 1, 130, ("出向き・参加",)),
                    TermCount("話し合いへの参加", 2, 75, ("話し合いへの参加",)),
                    TermCount("相談対応", 3, 58, ("相談",)),
                ],
                [
                    TermCount("出向き・参加", 1, 140, ("出向き・参加",)),
                    TermCount("話し合いへの参加", 2, 90, ("話し合いへの参加",)),
                    TermCount("相談対応", 3, 65, ("相談対応",)),
                    TermCount("働きかけ", 4, 40),
                ],
            ]
        ),
    )


def outreach() -> OutreachShare:
    return OutreachShare(
        years=YEARS,
        year_labels=YEAR_LABELS,
        consultations=(300, 320, 350),
        at_outreach=(96, 112, 123),
    )


def published_report() -> Report:
    return Report(
        fiscal_year=2020,
        fiscal_year_label="令和2年度",
        previous_label="令和元年度",
        scope_label="市全体",
        sections=(
            programme_section(),
            individual_section(),
            volunteer_section(),
            group_section(),
            agency_subject_section(),
        ),
        agency_table=agency_table(),
        trends=(kind_trend(),),
        outreach=outreach(),
        municipality={"council_name": "みどり市民社会福祉協議会（デモ）"},
    )
