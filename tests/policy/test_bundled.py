"""The bundled profiles load and say what their documents say: limits, steps, lists, sources."""

from __future__ import annotations

import re

import pytest

from kasuhara_timer.policy.loader import bundled_profile_names, load_policy
from kasuhara_timer.policy.models import ChannelId, Policy, StepKind
from tests.support.documents import BUNDLED


def test_one_bundled_profile_per_document() -> None:
    assert bundled_profile_names() == list(BUNDLED)


def test_each_profile_loads_under_its_own_name(bundled: Policy) -> None:
    loaded = load_policy(bundled.id)
    assert loaded.bundled
    assert loaded.source.name == f"{bundled.id}.toml"
    assert loaded.source.is_file()


def test_every_channel_has_a_ladder_an_immediate_path_and_aftercare(bundled: Policy) -> None:
    for channel_id in ChannelId:
        channel = bundled.channel(channel_id)
        kinds = [step.kind for step in channel.immediate]
        assert StepKind.POLICE in kinds, (bundled.id, channel_id)
        assert kinds[0] in (StepKind.POLICE, StepKind.END), (bundled.id, channel_id)
        assert channel.ladder[-1].kind is StepKind.AFTERCARE, (bundled.id, channel_id)
        assert channel.immediate[-1].kind is StepKind.AFTERCARE, (bundled.id, channel_id)


@pytest.mark.parametrize(
    ("name", "phone", "counter", "other"),
    [
        ("nanyo", (30, True), (30, True), (30, False)),
        ("fujimi", (30, False), (30, False), (30, False)),  # 30分 defines 長時間拘束
        ("sakaide", (60, True), (60, True), (60, False)),
        ("taito", (30, False), (30, False), (30, False)),
        ("higashikurume", (30, False), (30, False), (30, False)),
    ],
)
def test_limits_and_whether_the_document_sets_them(
    name: str, phone: tuple[int, bool], counter: tuple[int, bool], other: tuple[int, bool]
) -> None:
    policy = load_policy(name).policy
    for channel_id, (minutes, stated) in zip(ChannelId, (phone, counter, other), strict=True):
        limit = policy.channel(channel_id).limit
        assert (limit.minutes, limit.stated) == (minutes, stated), channel_id


def test_a_default_limit_says_plainly_that_the_document_sets_none(bundled: Policy) -> None:
    for channel_id in ChannelId:
        limit = bundled.channel(channel_id).limit
        if not limit.stated:
            assert "定めなし" in limit.note, (bundled.id, channel_id, limit.note)


def test_taito_and_higashikurume_name_the_app_default() -> None:
    for name in ("taito", "higashikurume"):
        for channel_id in ChannelId:
            note = load_policy(name).policy.channel(channel_id).limit.note
            assert note.startswith("文書に時間の定めなし。既定値30分（アプリの既定）"), note


def test_prewarnings_are_declared_as_the_apps_own(bundled: Policy) -> None:
    assert any("予告" in note and "アプリの既定" in note for note in bundled.profile.notes)


def test_nanyo_phone_ladder_is_the_four_steps() -> None:
    ladder = load_policy("nanyo").policy.channel(ChannelId.PHONE).ladder
    assert [(s.kind, s.title) for s in ladder] == [
        (StepKind.WARNING, "ステップ1 毅然とした警告"),
        (StepKind.FINAL_NOTICE, "ステップ2 最終通告の明示"),
        (StepKind.END, "ステップ3 切電の実施"),
        (StepKind.AFTERCARE, "ステップ4 切電後の対処"),
    ]
    assert [len(s.lines) for s in ladder] == [2, 2, 2, 0]
    assert ladder[3].points == (
        "上司に報告する：相手の情報を更新・共有する",
        "次回の対応を検討する：次回電話時の担当者は誰にするかなど",
    )


def test_nanyo_counter_ladder_follows_section_7() -> None:
    ladder = load_policy("nanyo").policy.channel(ChannelId.COUNTER).ladder
    assert [s.title for s in ladder][:4] == [
        "①現場職員の判断",
        "②所管課長の判断",
        "③警告・退去の命令",
        "最終警告",
    ]
    assert ladder[1].points == (
        "組織としての回答であること",
        "説明を尽くしていること",
        "これ以上の議論はできないこと",
    )
    assert [s.kind for s in ladder][3:] == [
        StepKind.FINAL_NOTICE,
        StepKind.POLICE,
        StepKind.POLICE,
        StepKind.AFTERCARE,
    ]


def test_nanyo_counter_immediate_calls_the_police_first() -> None:
    immediate = load_policy("nanyo").policy.channel(ChannelId.COUNTER).immediate
    assert immediate[0].kind is StepKind.POLICE
    assert "その時点で速やかに警察に通報" in immediate[0].do
    assert [s.title for s in immediate[1:3]] == ["①対応の中止を伝える", "⑤警察官に状況を説明する"]
    # the police are called once: §7(2)④'s second call is on the ladder, not this path
    assert sum(s.kind is StepKind.POLICE and "通報" in s.title for s in immediate) == 1


def test_nanyo_phone_immediate_ends_the_call_reports_and_calls_the_police() -> None:
    policy = load_policy("nanyo").policy
    immediate = policy.channel(ChannelId.PHONE).immediate
    assert [s.kind for s in immediate[:3]] == [StepKind.END, StepKind.JUDGEMENT, StepKind.POLICE]
    step3 = policy.channel(ChannelId.PHONE).ladder[2]
    assert immediate[0].lines == step3.lines
    assert immediate[0].lines_from == step3.source
    assert immediate[0].note.startswith("マニュアルに電話の即時対応の手順はない")


def test_nanyo_lists() -> None:
    policy = load_policy("nanyo").policy
    assert [c.no for c in policy.checklist] == list(range(1, 18))
    assert [(f.no, f.id) for f in policy.sheet_fields] == list(
        enumerate(
            [
                "datetime",
                "staff",
                "method",
                "counterpart",
                "content",
                "timeline",
                "next_steps",
                "other",
            ],
            start=1,
        )
    )
    assert [f.label for f in policy.sheet_fields][:3] == [
        "日時",
        "対応者 所属・職・氏名",
        "対応方法",
    ]
    assert len(policy.behaviours) == 11
    assert len(policy.laws) == 13
    assert [m.label for m in policy.other_methods] == ["メール", "SNS", "外で対応"]
    assert ("総合的な相談窓口", "内線411") in [(c.label, c.number) for c in policy.contacts]
    assert "0238-50-0110（代表）" in [c.number for c in policy.contacts]
    assert policy.recording_notice == ()


def test_nanyo_behaviours_carry_responses_and_laws() -> None:
    policy = load_policy("nanyo").policy
    laws = {law.id: law for law in policy.laws}
    physical = policy.behaviour("physical_attack")
    assert physical is not None and "assault" in physical.laws
    assert laws["assault"].article == "刑法第208条"
    dogeza = policy.behaviour("dogeza")
    assert dogeza is not None
    assert dogeza.lines == ("そのような対応はできません。", "これ以上あなた様とはお話できません。")
    assert [laws[i].name for i in dogeza.laws] == ["強要罪"]


@pytest.mark.parametrize(
    ("name", "count"), [("fujimi", 10), ("higashikurume", 9), ("taito", 15), ("sakaide", 15)]
)
def test_behaviour_categories_per_document(name: str, count: int) -> None:
    assert len(load_policy(name).policy.behaviours) == count


def test_cautions_keep_the_documents_reminders() -> None:
    nanyo = load_policy("nanyo").policy.cautions
    assert any("クレームの全てがカスタマーハラスメントではありません" in c for c in nanyo)
    assert any("不满" in c and c.note == "「不满」は原文ママ" for c in nanyo)  # kept as printed
    assert any("障がい" in c for c in nanyo)
    assert any(c.startswith("<注意>") for c in nanyo)
    kurume = load_policy("higashikurume").policy
    assert any(c.section == "第5 留意事項" for c in kurume.cautions)
    assert any("カスタマー・ハラスメントを行ってはならない" in c for c in kurume.cautions)
    assert any("SOGI" in b.label and "性的指向" in b.note for b in kurume.behaviours)


def test_borrowed_content_is_marked_and_listed_in_notes(bundled: Policy) -> None:
    own = next(n for n, f in bundled.profile.documents.items() if f == bundled.profile.source)
    borrowed = [
        source
        for channel in bundled.channels.values()
        for step in (*channel.ladder, *channel.immediate)
        for source in (step.source, step.lines_from)
        if not source.startswith(own)
    ]
    borrowed += [
        s for s in (bundled.checklist_source, bundled.sheet_source) if not s.startswith(own)
    ]
    for source in borrowed:
        assert "定めなし" in source or "準用" in source, (bundled.id, source)
    if borrowed:
        lender = {s.split(" ")[0] for s in borrowed}
        for name in lender:
            assert any(name in note for note in bundled.profile.notes), (bundled.id, name)


def test_no_criminal_code_on_the_desk(bundled: Policy) -> None:
    """The desk must not accuse: articles of the criminal code stay in `laws` (review, annex)."""
    for channel in bundled.channels.values():
        for step in (*channel.ladder, *channel.immediate):
            for text in (step.title, step.do, *step.points, *step.lines, step.note):
                assert not re.search(r"刑法第\s*\d+", text), (bundled.id, step.id, text)
        for text in (*channel.criteria, *channel.before_limit):
            assert "刑法" not in text, (bundled.id, text)


def test_taito_phone_ladder_follows_its_own_document() -> None:
    ladder = load_policy("taito").policy.channel(ChannelId.PHONE).ladder
    # 現場の判断による対応の中止 follows the firm response; no borrowed final notice between
    assert [s.id for s in ladder][:2] == ["firm_response", "disconnect"]
    assert all(s.kind is not StepKind.FINAL_NOTICE for s in ladder)


def test_sakaide_records_from_the_start_not_at_the_limit() -> None:
    policy = load_policy("sakaide").policy
    counter = policy.channel(ChannelId.COUNTER)
    assert any("面談の開始から終了まで録音します" in p for p in counter.before_limit)
    assert all("録音" not in s.title for s in counter.ladder)


def test_higashikurume_keeps_the_employers_duties_the_employers() -> None:
    policy = load_policy("higashikurume").policy
    for channel in policy.channels.values():
        first = channel.ladder[0]
        assert first.title == "管理監督者に相談する"
        duties = [s for s in channel.ladder if s.source == "東久留米市基本方針 第3"]
        assert duties and all(s.title.startswith("市の責務") for s in duties)
        assert all("退去" not in s.title for s in channel.ladder)
