"""The optional annex of an exported sheet: 法令（参考）, the criminal-code articles the policy
links to the behaviours the session tagged (南陽市 §9(2)).

For the supervisor's file only, and labelled a reference that decides nothing: the desk never
shows these (it records, it never accuses), the sheet written at the desk never carries them,
and an export adds them only when asked (`export --laws`, the review's export dialog).
"""

from __future__ import annotations

from dataclasses import dataclass

from kasuhara_timer.errors import UserError
from kasuhara_timer.policy.loader import session_policy
from kasuhara_timer.policy.models import Policy
from kasuhara_timer.store.record import Record

ANNEX_TITLE = "別添 法令（参考）"
ANNEX_NOTE = (
    "記録された行為類型について、方針が「抵触する可能性のある法律」として挙げる条文の参考です。"
    "行為や罪を認定するものではありません（対応中の職員の画面には表示されません）。"
)


@dataclass(frozen=True)
class LawReference:
    """One article as the policy quotes it."""

    name: str
    article: str
    example: str
    text: str


@dataclass(frozen=True)
class TaggedLaws:
    """A tagged behaviour and the articles the policy links to it."""

    behaviour: str
    laws: tuple[LawReference, ...]


@dataclass(frozen=True)
class LawAnnex:
    """What the annex says: the entries, the document they come from, or why there are none."""

    entries: tuple[TaggedLaws, ...]
    source: str
    empty: str = ""
    """Said instead of entries: no article for these tags, none in the policy, or why the
    policy could not be read."""


def law_annex(record: Record, policy: Policy) -> LawAnnex:
    """Each tagged behaviour the policy links to laws (in the order tagged), with its articles."""
    laws = {law.id: law for law in policy.laws}
    entries = []
    for tag in record.tags:
        behaviour = policy.behaviour(tag.behaviour)
        if behaviour is None or not behaviour.laws:
            continue
        entries.append(
            TaggedLaws(
                behaviour=behaviour.label,
                laws=tuple(
                    LawReference(law.name, law.article, law.example, law.text)
                    for law in (laws[law_id] for law_id in behaviour.laws)
                ),
            )
        )
    info = policy.profile
    source = f"{info.municipality}「{info.title}」（{info.date}）"
    if not policy.laws:
        return LawAnnex((), source, "この方針は法令（刑法の条文）を挙げていません。")
    if not entries:
        return LawAnnex((), source, "記録された行為類型に、方針による法令の参照はありません。")
    return LawAnnex(tuple(entries), source)


def record_law_annex(record: Record) -> LawAnnex:
    """`law_annex` under the policy the session ran under; when that policy cannot be read,
    an annex that says why (the export goes on without the articles)."""
    profile = record.session.profile
    try:
        policy = session_policy(profile.id, profile.source)
    except UserError as error:
        return LawAnnex((), "", f"方針を読めないため法令を示せません：{error}")
    return law_annex(record, policy)
