"""For the supervisor only: the criminal-code articles the policy cites for the behaviours a
session tagged (南陽市 §9(2)). The desk never shows these (it records, it never accuses); here
they are a reference for deciding what to do next, labelled as such."""

from __future__ import annotations

from kasuhara_timer.errors import UserError
from kasuhara_timer.policy.loader import session_policy
from kasuhara_timer.policy.models import Policy
from kasuhara_timer.sheets.laws import law_annex
from kasuhara_timer.store.record import Record


def law_lines(record: Record, policy: Policy) -> tuple[str, ...]:
    """One line per tagged behaviour that the policy links to laws, then its articles (the
    same entries as the exported sheet's annex, `kasuhara_timer.sheets.laws`)."""
    lines: list[str] = []
    for entry in law_annex(record, policy).entries:
        lines.append(f"■ {entry.behaviour}")
        for law in entry.laws:
            example = f"（例：{law.example}）" if law.example else ""
            lines.append(f"  {law.name}（{law.article}）{example}")
    return tuple(lines)


def record_law_lines(record: Record) -> tuple[tuple[str, ...], str]:
    """`law_lines` under the policy the session ran under, or a problem naming why not."""
    try:
        policy = session_policy(record.session.profile.id, record.session.profile.source)
    except UserError as error:
        return (), str(error)
    return law_lines(record, policy), ""
