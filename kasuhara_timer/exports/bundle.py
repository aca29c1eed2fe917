"""One zip for a disclosure request: the sheet, the timeline and the audio of one session.

Citizens may ask for the records the city holds on them. The bundle holds the printable sheet
(HTML and XLSX), record.json, the timeline as CSV, the recording (the lossless FLAC original and
the Opus listening copy with their manifest; raw segments are encoded to FLAC on the way), a
README in Japanese and SHA256SUMS.txt. Audio is copied into the zip in chunks and stored
uncompressed (it is compressed already), so a recording of many hours never sits in memory.

The zip is written as a hidden ``.<name>.partial`` beside its target, private from its first byte
and locked while it grows; one left by a killed export is removed by the next export into that
folder (`remove_stale_partials`), so no half-written copy of a recording lingers.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO

from kasuhara_timer.audio.archive import FLAC_NAME, MANIFEST_NAME, OPUS_NAME, ffmpeg_executable
from kasuhara_timer.audio.ffmpeg import PIPE, start_ffmpeg
from kasuhara_timer.catalog.recordings import Recording, find_recording, pcm_chunks
from kasuhara_timer.catalog.sessions import LoadedSession, require_record
from kasuhara_timer.errors import UserError
from kasuhara_timer.exports.redaction import OmittedField, redact
from kasuhara_timer.exports.table import timeline_csv
from kasuhara_timer.exports.xlsx import workbook_bytes
from kasuhara_timer.sheets.render import render_sheet
from kasuhara_timer.store import vault
from kasuhara_timer.store.atomic import fsync_directory, open_private

if sys.platform != "win32":
    import fcntl
else:  # pragma: no cover - Windows: an open file cannot be deleted there anyway
    fcntl = None

_COPY_CHUNK = 1 << 20
PARTIAL_SUFFIX = ".partial"
_SCRATCH_PREFIX = ".kasuhara-scratch-"

README = """\
対応記録（開示用）
記録 {folder}

sheet.html       対応記録シートとチェックリスト（ブラウザで開いて印刷できます）
sheet.xlsx       同じ内容の Excel ファイル
record.json      記録のすべて（機械で読める形式）
timeline.csv     対応の時系列（Excel で開けます）
{audio}SHA256SUMS.txt   各ファイルの SHA-256（改変がないことの確認用）
"""

OMISSION_NOTE = """
省略した項目：{fields}
  開示に当たり、これらの項目の記載を省略しました（シートには「（開示に当たり記載を省略）」と
  あります）。原本の記録は変更していません。メモと録音は省略の対象外です。
"""

_AUDIO_LINES = {
    "archived": "audio/recording.flac  録音（原本・可逆圧縮）\n"
    "audio/recording.opus  録音（聞き取り用の圧縮版）\n"
    "audio/recording.json  録音の一覧とハッシュ\n",
    "encoded": "audio/recording.flac  録音（記録された区間を可逆圧縮でつないだもの）\n",
    "none": "（録音はありません）\n",
}


def write_bundle(
    loaded: LoadedSession,
    path: Path,
    *,
    confirmation: str = "",
    omit: Sequence[OmittedField] = (),
) -> Path:
    """Write the zip to `path` (via a temporary file beside it); returns `path`.
    `confirmation` is the supervisor's sign-off printed on the sheets (課長確認); `omit` the
    sheet fields left out (said on the sheet and in the README)."""
    require_record(loaded)
    folder = loaded.folder
    prefix = folder.name + "/"
    with partial_zip(path) as bundle:
        sums, audio_kind = add_session(
            bundle, prefix, loaded, path.parent, confirmation=confirmation, omit=omit
        )
        readme = README.format(folder=folder.name, audio=_AUDIO_LINES[audio_kind])
        if omit:
            readme += OMISSION_NOTE.format(fields="、".join(f.label for f in omit))
        add = _adder(bundle, prefix, sums)
        add("README.txt", readme.encode())
        listing = "".join(f"{digest}  {name}\n" for digest, name in sums)
        bundle.writestr(prefix + "SHA256SUMS.txt", listing)
    return path


@contextlib.contextmanager
def partial_zip(path: Path) -> Iterator[zipfile.ZipFile]:
    """A zip written as a private, locked ``.<name>.partial`` and renamed to `path` when whole;
    removed on any failure (a `UserError` naming `path` for a system error)."""
    remove_stale_partials(path.parent)
    temp = path.with_name(f".{path.name}{PARTIAL_SUFFIX}")
    try:
        with (
            _private_partial(temp) as handle,
            zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as bundle,
        ):
            yield bundle
        os.replace(temp, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise UserError(f"could not write the bundle: {error.strerror or error}", path) from error
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    fsync_directory(path.parent)


def add_session(
    bundle: zipfile.ZipFile,
    prefix: str,
    loaded: LoadedSession,
    scratch_parent: Path,
    *,
    confirmation: str = "",
    omit: Sequence[OmittedField] = (),
) -> tuple[list[tuple[str, str]], str]:
    """One session's sheet, workbook, record, timeline and audio under `prefix` in the zip.

    Returns (SHA-256, name under the prefix) of each file, and which audio went in
    (archived, encoded, none).
    """
    record = redact(require_record(loaded), omit)
    sums: list[tuple[str, str]] = []
    add = _adder(bundle, prefix, sums)
    add("sheet.html", render_sheet(record, confirmation=confirmation).encode("utf-8"))
    add("sheet.xlsx", workbook_bytes(record, confirmation=confirmation))
    add("record.json", record.to_json_bytes())
    add("timeline.csv", timeline_csv(record).encode("utf-8-sig"))
    folder = loaded.folder
    kind = _add_audio(bundle, prefix, folder.audio, find_recording(folder), sums, scratch_parent)
    return sums, kind


def _adder(
    bundle: zipfile.ZipFile, prefix: str, sums: list[tuple[str, str]]
) -> Callable[[str, bytes], None]:
    def add_bytes(name: str, data: bytes) -> None:
        bundle.writestr(prefix + name, data)
        sums.append((hashlib.sha256(data).hexdigest(), name))

    return add_bytes


def remove_stale_partials(folder: Path) -> list[Path]:
    """Delete the partial bundles (and scratch folders) a killed export left in `folder`.

    A partial another export is still writing is locked and left alone. Returns what went.
    """
    removed: list[Path] = []
    try:
        children = list(folder.iterdir())
    except OSError:
        return removed
    for child in children:
        name = child.name
        if name.startswith(".") and name.endswith(PARTIAL_SUFFIX) and child.is_file():
            if _unlock_free(child):
                with contextlib.suppress(OSError):
                    child.unlink()
                    removed.append(child)
        elif name.startswith(_SCRATCH_PREFIX) and child.is_dir() and _unlock_free(child):
            shutil.rmtree(child, ignore_errors=True)
            removed.append(child)
    return removed


def _unlock_free(path: Path) -> bool:
    """True when no running export holds `path` (its lock file for a scratch folder)."""
    target = path / ".lock" if path.is_dir() else path
    if fcntl is None:
        return True
    try:
        fd = os.open(target, os.O_RDONLY)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    finally:
        os.close(fd)
    return True


@contextlib.contextmanager
def _private_partial(path: Path) -> Iterator[IO[bytes]]:
    """A new file at `path`, 0600 from its first byte and locked until closed."""
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    fd = open_private(path, os.O_RDWR | os.O_EXCL)
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX)
    with os.fdopen(fd, "w+b") as handle:
        yield handle


@contextlib.contextmanager
def scratch_folder(folder: Path) -> Iterator[Path]:
    """A private, locked scratch folder beside the export (not in a shared /tmp)."""
    with tempfile.TemporaryDirectory(dir=folder, prefix=_SCRATCH_PREFIX) as scratch:
        lock = Path(scratch) / ".lock"
        with _private_partial(lock):
            yield Path(scratch)


def _add_audio(
    bundle: zipfile.ZipFile,
    prefix: str,
    audio_dir: Path,
    recording: Recording | None,
    sums: list[tuple[str, str]],
    scratch_parent: Path,
) -> str:
    """Add the recording; returns which kind went in (archived, encoded, none)."""
    if recording is None:
        return "none"
    if recording.kind != "segments":
        for name in (FLAC_NAME, OPUS_NAME, MANIFEST_NAME):
            if vault.exists(audio_dir / name):
                _add_file(bundle, audio_dir / name, prefix, f"audio/{name}", sums)
        return "archived"
    with scratch_folder(scratch_parent) as scratch:
        flac = scratch / FLAC_NAME
        _encode_flac(recording, flac)
        _add_file(bundle, flac, prefix, f"audio/{FLAC_NAME}", sums)
    return "encoded"


def _add_file(
    bundle: zipfile.ZipFile, source: Path, prefix: str, name: str, sums: list[tuple[str, str]]
) -> None:
    """Copy a file into the zip a chunk at a time, hashing it on the way; stored, not deflated.
    An encrypted file is decrypted in memory: the bundle is the one deliberate plaintext copy."""
    digest = hashlib.sha256()
    if vault.is_encrypted(source):
        data = vault.read_plain(source)
        digest.update(data)
        bundle.writestr(prefix + name, data, compress_type=zipfile.ZIP_STORED)
        sums.append((digest.hexdigest(), name))
        return
    info = zipfile.ZipInfo.from_file(source, prefix + name)
    info.compress_type = zipfile.ZIP_STORED
    with source.open("rb") as reader, bundle.open(info, "w", force_zip64=True) as writer:
        while chunk := reader.read(_COPY_CHUNK):
            digest.update(chunk)
            writer.write(chunk)
    sums.append((digest.hexdigest(), name))


def _encode_flac(recording: Recording, target: Path) -> None:
    """Raw segments (no archive yet) joined into a FLAC by ffmpeg, streamed through a pipe."""
    command = [
        ffmpeg_executable(), "-hide_banner", "-nostats", "-loglevel", "error", "-y",
        "-f", "s16le", "-ar", str(recording.samplerate), "-ac", str(recording.channels),
        "-i", "pipe:0", "-c:a", "flac", str(target),
    ]  # fmt: skip
    with tempfile.TemporaryFile() as errors:
        process = start_ffmpeg(command, stdin=PIPE, stderr=errors)
        assert process.stdin is not None
        try:
            for chunk in pcm_chunks(recording):
                process.stdin.write(chunk)
        except BrokenPipeError:
            pass
        finally:
            process.stdin.close()
        if process.wait() != 0:
            errors.seek(0)
            message = errors.read().decode(errors="replace").strip() or "no message"
            raise UserError(f"ffmpeg could not encode the recording: {message}", recording.files[0])
