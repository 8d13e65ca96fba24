"""The kinds of need a council starts with, and which group kinds and volunteer skills
usually answer each: the one definition the running app seeds from (migration 0002
seeded the names from its own frozen copy, history never edited to follow this one);
`link_defaults` ties them to the group kinds and skills that exist (matched on the
normalised name), so that a council whose lists differ simply edits the links on the
need-kind screen."""

from tsunagu.cases.models import NeedKind
from tsunagu.directory.models import GroupKind
from tsunagu.lib.textnorm import normalize
from tsunagu.volunteers.models import Skill

# need, group kinds that can answer it, volunteer skills that can answer it
DEFAULT_NEEDS: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    ("買い物支援", ("ボランティア団体", "丁目の会"), ("買い物支援", "買い物の付き添い")),
    ("見守り", ("丁目の会", "ボランティア団体", "サロン"), ("見守り", "安否確認")),
    (
        "話し相手",
        ("サロン", "居場所", "テンミリオンハウス", "ボランティア団体"),
        ("話し相手", "傾聴"),
    ),
    ("通院付き添い", ("ボランティア団体",), ("通院付き添い", "送迎")),
    ("居場所への参加", ("居場所", "サロン", "テンミリオンハウス", "子育てサロン"), ()),
    (
        "子どもの遊び相手・学習支援",
        ("子ども食堂", "居場所", "子育てサロン", "その他"),
        ("子どもの遊び相手", "遊び相手", "学習支援"),
    ),
    ("食事・食料の支援", ("子ども食堂", "フードパントリー"), ("配食", "調理")),
    (
        "家事・ごみ出しの手伝い",
        ("ボランティア団体", "丁目の会"),
        ("家事援助", "家事支援", "ごみ出し"),
    ),
    ("その他", (), ()),
]


def ensure_need_kinds() -> None:
    """The default need kinds, for a database flushed by tests or before the demo."""
    for order, (name, _kinds, _skills) in enumerate(DEFAULT_NEEDS, start=1):
        if not NeedKind.objects.filter(name_key=normalize(name)).exists():
            NeedKind.objects.create(name=name, order=order)


def link_defaults() -> int:
    """Tie each default need kind to the group kinds and skills of the same name that
    exist and are not linked yet. Returns the number of links added."""
    kinds = {k.name_key: k for k in GroupKind.objects.all()}
    skills = {s.name_key: s for s in Skill.objects.all()}
    added = 0
    for name, kind_names, skill_names in DEFAULT_NEEDS:
        need = NeedKind.objects.filter(name_key=normalize(name)).first()
        if need is None:
            continue
        have_kinds = set(need.group_kinds.values_list("pk", flat=True))
        have_skills = set(need.skills.values_list("pk", flat=True))
        new_kinds = [
            kinds[key]
            for key in map(normalize, kind_names)
            if key in kinds and kinds[key].pk not in have_kinds
        ]
        new_skills = [
            skills[key]
            for key in map(normalize, skill_names)
            if key in skills and skills[key].pk not in have_skills
        ]
        need.group_kinds.add(*new_kinds)
        need.skills.add(*new_skills)
        added += len(new_kinds) + len(new_skills)
    return added
