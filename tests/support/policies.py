"""A small policy built in code, so the engine's logic is tested apart from the bundled data."""

from __future__ import annotations

from kasuhara_timer.policy.models import (
    Behaviour,
    Channel,
    ChannelId,
    Limit,
    Policy,
    ProfileInfo,
    SheetField,
    Step,
    StepKind,
)


def step(id: str, kind: StepKind, *, ends_contact: bool = False) -> Step:
    """A step with just enough text to be valid."""
    return Step(
        id=id,
        kind=kind,
        title=id.upper(),
        do=f"do {id}",
        lines=(f"say {id}",),
        source="t",
        ends_contact=ends_contact,
    )


def channel(
    minutes: int = 30, prewarnings: tuple[int, ...] = (10, 5), *, ends_contact: bool = False
) -> Channel:
    """A channel with a four-rung ladder and a two-rung immediate path; with `ends_contact`
    taking `disconnect` (and the immediate `stop`) ends the contact (切電)."""
    return Channel(
        label="tel",
        limit=Limit(minutes=minutes, stated=True, note="n", prewarnings=prewarnings),
        ladder=(
            step("warning", StepKind.WARNING),
            step("final_notice", StepKind.FINAL_NOTICE),
            step("disconnect", StepKind.END, ends_contact=ends_contact),
            step("aftercare", StepKind.AFTERCARE),
        ),
        immediate=(
            step("stop", StepKind.END, ends_contact=ends_contact),
            step("police", StepKind.POLICE),
        ),
    )


def make_policy(
    minutes: int = 30, prewarnings: tuple[int, ...] = (10, 5), *, ends_contact: bool = False
) -> Policy:
    """A valid policy whose three channels share one shape."""
    fields = [
        SheetField(no=i + 1, id=f, label=f)
        for i, f in enumerate(["datetime", "staff", "method", "timeline"])
    ]
    return Policy(
        profile=ProfileInfo(id="test", municipality="m", title="t", date="d", source="s"),
        channels={c: channel(minutes, prewarnings, ends_contact=ends_contact) for c in ChannelId},
        behaviours=(Behaviour(id="abuse", label="暴言"), Behaviour(id="restraint", label="拘束")),
        sheet_fields=tuple(fields),
    )
