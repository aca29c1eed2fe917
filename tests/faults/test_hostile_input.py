"""Hostile input: malformed profiles and configs get a clear UserError naming the file, never a
traceback; very long text, control characters, emoji and right-to-left text in every field a
person types survive DeskSession → journal → record → sheet exactly."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import tomli_w
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kasuhara_timer.cli import main
from kasuhara_timer.config import Settings, load_settings
from kasuhara_timer.errors import UserError
from kasuhara_timer.integrity.seal import seal_session
from kasuhara_timer.integrity.verify import verify_session
from kasuhara_timer.policy.loader import check_policy_file, load_policy
from kasuhara_timer.policy.models import ChannelId, Policy
from kasuhara_timer.session.clock import ManualClock, SessionClock
from kasuhara_timer.session.desk import DeskSession
from kasuhara_timer.session.events import ChecklistAnswer, Staff
from kasuhara_timer.sheets.render import printable
from kasuhara_timer.sheets.save import save_record_and_sheet
from kasuhara_timer.store.folders import create_session_folder
from kasuhara_timer.store.journal import Journal, read_journal
from kasuhara_timer.store.record import read_record
from tests.support.html_tree import parse_html
from tests.support.sessions import HOST
from tests.support.tally import TALLY

NANYO_TEXT = Path(str(load_policy("nanyo").source)).read_text(encoding="utf-8")
NANYO_DATA = tomllib.loads(NANYO_TEXT)
EXAMPLES = 150

scalars = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False),
    st.booleans(),
)
toml_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(min_size=1, max_size=12), inner, max_size=4),
    ),
    max_leaves=12,
)


def paths_of(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside nested tables and arrays."""
    found = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += paths_of(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += paths_of(value, (*prefix, index))
    return found


NANYO_PATHS = paths_of(NANYO_DATA)


@st.composite
def mutated_profiles(draw: st.DrawFn) -> str:
    """The bundled nanyo profile with a few keys removed, retyped or added."""
    data: Any = tomllib.loads(NANYO_TEXT)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(NANYO_PATHS))
        parent = data
        try:
            for part in path[:-1]:
                parent = parent[part]
            action = draw(st.sampled_from(["delete", "replace", "add"]))
            if action == "delete":
                del parent[path[-1]]
            elif action == "replace":
                parent[path[-1]] = draw(toml_values)
            elif isinstance(parent, dict):
                parent[draw(st.text(min_size=1, max_size=10))] = draw(toml_values)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed the way there
    return tomli_w.dumps(data)


@st.composite
def damaged_text(draw: st.DrawFn, base: str) -> bytes:
    """`base` with bytes inserted, deleted or replaced (syntax errors, broken UTF-8)."""
    data = bytearray(base.encode("utf-8"))
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(data)))
        edit = draw(st.sampled_from(["insert", "delete", "replace"]))
        chunk = draw(st.binary(min_size=1, max_size=4))
        if edit == "insert":
            data[position:position] = chunk
        elif edit == "delete":
            del data[position : position + len(chunk)]
        else:
            data[position : position + len(chunk)] = chunk
    return bytes(data)


configs = st.dictionaries(
    st.sampled_from([*Settings.model_fields, "retention", "unknown", "audio"]),
    st.one_of(
        toml_values,
        st.dictionaries(
            st.sampled_from(["audio_days", "flagged_years", "record_years", "other"]),
            st.one_of(st.integers(-5, 100_000), st.text(max_size=5), st.booleans()),
        ),
    ),
    max_size=5,
)


def outcome(kind: str, path: Path, load: Any) -> None:
    """Load the file: valid, or a UserError naming it. Anything else fails the trial."""
    try:
        load(path)
    except UserError as error:
        survived = str(error).startswith(str(path)) and "Traceback" not in str(error)
        TALLY.record(kind, survived=survived, unit="tracebacks")
        assert survived, str(error)
    except Exception:
        TALLY.record(kind, survived=False, lost=1, unit="tracebacks")
        raise
    else:
        TALLY.record(kind, survived=True, unit="tracebacks")


FAST = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@FAST
@given(text=mutated_profiles())
def test_a_malformed_profile_gets_a_clear_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "office.toml"
    path.write_text(text, encoding="utf-8")
    outcome("malformed profile", path, check_policy_file)


@FAST
@given(data=damaged_text(NANYO_TEXT))
def test_a_damaged_profile_file_gets_a_clear_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "office.toml"
    path.write_bytes(data)
    outcome("malformed profile", path, check_policy_file)


@FAST
@given(config=configs)
def test_a_malformed_config_gets_a_clear_error(tmp_path: Path, config: dict[str, Any]) -> None:
    path = tmp_path / "config.toml"
    path.write_text(tomli_w.dumps(config), encoding="utf-8")
    outcome("malformed config", path, load_settings)


@FAST
@given(data=damaged_text('profile = "nanyo"\nlang = "ja"\n[retention]\naudio_days = 90\n'))
def test_a_damaged_config_file_gets_a_clear_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(data)
    outcome("malformed config", path, load_settings)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=mutated_profiles())
def test_the_cli_never_shows_a_traceback_for_a_profile(tmp_path: Path, text: str) -> None:
    path = tmp_path / "office.toml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["profiles", "check", str(path)])
    survived = result.exit_code in (0, 2) and "Traceback" not in result.output
    TALLY.record(
        "malformed profile (CLI)", survived=survived, lost=int(not survived), unit="tracebacks"
    )
    assert survived, result.output


hostile = st.lists(
    st.one_of(
        st.characters(codec="utf-8"),
        st.characters(min_codepoint=0x0590, max_codepoint=0x06FF),  # Hebrew, Arabic
        st.sampled_from(
            [
                "\x00",
                "\x1b[31m",
                "\x7f",
                "\x85",
                "\u202e",
                "\u2066",
                "\ud800",
                "🙏🏽",
                "👨\u200d👩",
                "\r\n",
            ]
        ),
    ),
    max_size=120,
).map("".join)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    note=hostile,
    long_repeat=st.integers(0, 3),
    name=hostile,
    section=hostile,
    title=hostile,
    caller=hostile,
    fields=st.lists(hostile, min_size=8, max_size=8),
    remark=hostile,
)
def test_hostile_text_in_every_field_survives_to_the_sheet(
    tmp_path_factory: Any,
    note: str,
    long_repeat: int,
    name: str,
    section: str,
    title: str,
    caller: str,
    fields: list[str],
    remark: str,
) -> None:
    policy: Policy = load_policy("nanyo").policy
    clock = ManualClock()
    data = tmp_path_factory.mktemp("hostile")
    folder = create_session_folder(data, clock.now(), HOST)
    note = note + "長い" * (50_000 * long_repeat)  # up to 100,000 characters
    staff = Staff(name=name, section=section, title=title)
    with Journal.create(folder.journal) as journal:
        session = DeskSession.start(
            policy, ChannelId.PHONE, SessionClock(clock), journal, staff=staff, caller=caller
        )
        clock.advance(10)
        session.add_note(note)
        session.end()
        typed = dict(zip([f.id for f in policy.sheet_fields], fields, strict=True))
        session.save_sheet(typed, [ChecklistAnswer(no=1, checked=True, remark=remark)], staff)
    problems = []
    events = read_journal(folder.journal)
    if events.problems or list(events.events) != list(session.state.events):
        problems.append("journal does not read back as written")
    save_record_and_sheet(folder, policy)
    record = read_record(folder.record)
    if note.strip() and [n.text for n in record.notes] != [note]:
        problems.append("note changed")
    if (record.session.staff.name, record.session.caller) != (name, caller):
        problems.append("staff or caller changed")
    if record.sheet.checklist[0].remark != remark:
        problems.append("remark changed")
    for spec in record.sheet.fields:
        if typed[spec.id].strip() and spec.value != typed[spec.id]:
            problems.append(f"sheet field {spec.id} changed")
    html = folder.sheet.read_text(encoding="utf-8")
    tree = parse_html(html)  # strict: balanced tags, so no text broke out of its element
    text = tree.text()
    shown_values = [remark, *typed.values()]  # the caller is in the record only
    if note.strip():  # a blank note (str.isspace: NEL and friends too) is not journaled
        shown_values.append(note[:200])
    if not typed["staff"].strip():
        shown_values.append(name)  # the 対応者 field, filled in from the staff's name
    for value in shown_values:
        shown = str(printable(value)).strip()
        if shown and shown not in text:
            problems.append(f"{value!r} not shown on the sheet")
    if any(ord(c) < 32 and c not in "\t\n" for c in html):
        problems.append("raw control character in the sheet")
    seal_session(folder, clock=clock)
    if not verify_session(folder).intact:
        problems.append("verify")
    TALLY.record("hostile text in every field", survived=not problems, lost=len(problems))
    assert problems == []
