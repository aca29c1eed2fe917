"""Problem reasons and verify notes in the user's language.

The checks (`catalog.sessions`, `integrity.verify`, the journal, record and seal readers) word
what they find in English, which is what the logs, the index and the tests keep. Shown to a
person, each reason is looked up here by its English wording: `REASONS` holds every wording
with `{placeholders}` for what varies (a line number, a file, a nested reason, which is itself
looked up), and its Japanese. A reason no entry matches is shown as it was written, never
dropped; `tests/integrity/test_reasons.py` finds every wording the checks can produce in their
source and fails when one has no entry.
"""

from __future__ import annotations

import re
import string
from functools import cache

from kasuhara_timer.i18n import Lang

NESTED = frozenset({"message", "error", "reason", "problem", "why", "action", "seen"})
"""Placeholders whose value is itself a reason (or a piece of one), looked up in turn."""

REASONS: dict[str, tuple[str, str]] = {
    # -- wrappers: where a reason was found, around the reason itself ----------------------------
    "line {line}: {message}": ("{line}行目：{message}", "line {line}: {message}"),
    "journal.jsonl {message}": ("journal.jsonl {message}", "journal.jsonl {message}"),
    "{file} line {line}: {message}": (
        "{file} {line}行目：{message}",
        "{file} line {line}: {message}",
    ),
    "{file}: {message}": ("{file}：{message}", "{file}: {message}"),
    # -- the store's errors (store.errors.store_error: "could not <action>: <why>") --------------
    "could not {action}: {why}": ("{action}ことができません：{why}", "could not {action}: {why}"),
    "read the journal": ("ジャーナルを読む", "read the journal"),
    "read the record": ("record.json を読む", "read the record"),
    "read the seal": ("封印を読む", "read the seal"),
    "read the file to hash it": (
        "ハッシュを計算するためにファイルを読む",
        "read the file to hash it",
    ),
    "read the encrypted file": ("暗号化されたファイルを読む", "read the encrypted file"),
    "read the sign-off log": ("課長確認の記録を読む", "read the sign-off log"),
    "list the session folders": ("記録のフォルダを一覧する", "list the session folders"),
    "create the journal": ("ジャーナルを作る", "create the journal"),
    "open the journal": ("ジャーナルを開く", "open the journal"),
    "append to the journal": ("ジャーナルに書き加える", "append to the journal"),
    "lock the journal": ("ジャーナルをロックする", "lock the journal"),
    "cut off the incomplete last line": (
        "不完全な最後の行を切り取る",
        "cut off the incomplete last line",
    ),
    "add a sign-off": ("課長確認を加える", "add a sign-off"),
    "write the sign-off": ("課長確認を書く", "write the sign-off"),
    "list the sign-offs": ("課長確認を一覧する", "list the sign-offs"),
    "create the file": ("ファイルを作る", "create the file"),
    "create the folder": ("フォルダを作る", "create the folder"),
    "write the file": ("ファイルに書く", "write the file"),
    "delete the file": ("ファイルを削除する", "delete the file"),
    "encrypt the file": ("ファイルを暗号化する", "encrypt the file"),
    "re-encrypt the file": ("ファイルを暗号化し直す", "re-encrypt the file"),
    "remove the plaintext": ("暗号化前のファイルを消す", "remove the plaintext"),
    "read the log": ("ログを読む", "read the log"),
    "read the end of the log": ("ログの末尾を読む", "read the end of the log"),
    "create the log": ("ログを作る", "create the log"),
    "open the log": ("ログを開く", "open the log"),
    "lock the log": ("ログをロックする", "lock the log"),
    "append to the log": ("ログに書き加える", "append to the log"),
    "delete the session folder": ("記録のフォルダを削除する", "delete the session folder"),
    "move the session aside to delete it": (
        "削除のために記録を移す",
        "move the session aside to delete it",
    ),
    # -- the retention rule's purge log (integrity.retention) --------------------------------------
    "held since the plan was made: not purged": (
        "計画の後に保全されました：削除していません",
        "held since the plan was made: not purged",
    ),
    "opened since the plan was made: not purged": (
        "計画の後に開かれました：削除していません",
        "opened since the plan was made: not purged",
    ),
    "unsigned or its signature fails: explains no deletion": (
        "署名がないか署名が正しくありません：削除の説明になりません",
        "unsigned or its signature fails: explains no deletion",
    ),
    "signed by {who} ({key}), who is not a supervisor the office lists: explains no deletion": (
        "{who}（{key}）の署名ですが、事務所の課長の一覧にありません：削除の説明になりません",
        "signed by {who} ({key}), who is not a supervisor the office lists: explains no deletion",
    ),
    "{session} was under a hold when it was purged ({hold}): the purge was not allowed": (
        "{session} は削除の時に保全中でした（{hold}）：削除は許されていませんでした",
        "{session} was under a hold when it was purged ({hold}): the purge was not allowed",
    ),
    "cannot seal a session that has not ended": (
        "終了していない記録は封印できません",
        "cannot seal a session that has not ended",
    ),
    "the disk is full": ("ディスクがいっぱいです", "the disk is full"),
    "the disk quota is exhausted": (
        "ディスクの割り当てを使い切りました",
        "the disk quota is exhausted",
    ),
    "the file size limit was reached": (
        "ファイルの大きさの上限に達しました",
        "the file size limit was reached",
    ),
    "permission denied": ("アクセスが許可されていません", "permission denied"),
    "operation not permitted": ("この操作は許可されていません", "operation not permitted"),
    "the folder is read-only": ("フォルダが読み取り専用です", "the folder is read-only"),
    "no such file or folder": ("ファイルまたはフォルダがありません", "no such file or folder"),
    "it already exists": ("すでにあります", "it already exists"),
    # -- encryption (store.vault) -----------------------------------------------------------------
    "encrypted to the office's supervisors: only a supervisor identity opens it "
    "(kasuhara-timer review asks for its passphrase)": (
        "所管課長あてに暗号化されています：課長の鍵でのみ開けます（kasuhara-timer review が"
        "パスフレーズを尋ねます）",
        "encrypted to the office's supervisors: only a supervisor identity opens it "
        "(kasuhara-timer review asks for its passphrase)",
    ),
    "encrypted for other supervisors than the identity given, or damaged "
    "(kasuhara-timer keys rewrap adds supervisors to old sessions)": (
        "指定の鍵とは別の課長あてに暗号化されているか、壊れています（kasuhara-timer keys rewrap"
        " で古い記録に課長を加えられます）",
        "encrypted for other supervisors than the identity given, or damaged "
        "(kasuhara-timer keys rewrap adds supervisors to old sessions)",
    ),
    # -- reading a folder for the review (catalog.sessions) ---------------------------------------
    "journal.jsonl is missing (an incomplete folder or copy)": (
        "journal.jsonl がありません（フォルダかそのコピーが不完全です）",
        "journal.jsonl is missing (an incomplete folder or copy)",
    ),
    "journal.jsonl: {message}": ("journal.jsonl：{message}", "journal.jsonl: {message}"),
    "journal.jsonl cannot be read ({error})": (
        "journal.jsonl を読めません（{error}）",
        "journal.jsonl cannot be read ({error})",
    ),
    "record.json: {message}": ("record.json：{message}", "record.json: {message}"),
    "record.json does not match journal.jsonl (saved from an older journal, or one of them was "
    "changed); shown from the journal": (
        "record.json が journal.jsonl と一致しません（古いジャーナルから保存されたか、どちらかが"
        "変更されました）。ジャーナルから表示しています",
        "record.json does not match journal.jsonl (saved from an older journal, or one of them "
        "was changed); shown from the journal",
    ),
    "journal.jsonl does not begin with a 'started' event": (
        "journal.jsonl が開始（started）の記録で始まっていません",
        "journal.jsonl does not begin with a 'started' event",
    ),
    "the journal does not begin with a 'started' event": (
        "ジャーナルが開始（started）の記録で始まっていません",
        "the journal does not begin with a 'started' event",
    ),
    "the session ended but record.json was never written (save unfinished)": (
        "対応は終了していますが record.json が書かれていません（保存が終わっていません）",
        "the session ended but record.json was never written (save unfinished)",
    ),
    "profile {profile} cannot be read ({error}); labels from {default}": (
        "方針 {profile} を読めません（{error}）。表示名は {default} のものです",
        "profile {profile} cannot be read ({error}); labels from {default}",
    ),
    "profile {profile} is not available here; labels from {default}": (
        "方針 {profile} はこのPCにありません。表示名は {default} のものです",
        "profile {profile} is not available here; labels from {default}",
    ),
    # -- the journal's lines (store.journal) ------------------------------------------------------
    "not a readable journal line ({error})": (
        "ジャーナルの行として読めません（{error}）",
        "not a readable journal line ({error})",
    ),
    "not a JSON object": ("JSONのオブジェクトではありません", "not a JSON object"),
    "missing or malformed 'v', 'seq' or 'prev'": (
        "'v'・'seq'・'prev' がないか、形式が正しくありません",
        "missing or malformed 'v', 'seq' or 'prev'",
    ),
    "missing or malformed 'event'": (
        "'event' がないか、形式が正しくありません",
        "missing or malformed 'event'",
    ),
    "invalid {kind} event: {where}: {detail}": (
        "{kind} の記録が正しくありません：{where}：{detail}",
        "invalid {kind} event: {where}: {detail}",
    ),
    "hash chain broken: 'prev' does not match the line before, so an earlier line was changed, "
    "removed or inserted after this one was written": (
        "ハッシュの連鎖が切れています：'prev' が前の行と一致しないため、この行が書かれた後に"
        "それより前の行が変更・削除・挿入されています",
        "hash chain broken: 'prev' does not match the line before, so an earlier line was "
        "changed, removed or inserted after this one was written",
    ),
    "sequence number {seq} where {number} was expected": (
        "通し番号が {seq} です（{number} のはず）",
        "sequence number {seq} where {number} was expected",
    ),
    "written by a newer version of kasuhara-timer (journal format {version}, this version "
    "reads {reads})": (
        "新しい版の kasuhara-timer で書かれています（ジャーナル形式 {version}、この版が読めるのは"
        " {reads}）",
        "written by a newer version of kasuhara-timer (journal format {version}, this version "
        "reads {reads})",
    ),
    "unknown event kind {kind}: written by a newer version of kasuhara-timer?": (
        "知らない種類の記録 {kind} です：新しい版の kasuhara-timer で書かれたものかもしれません",
        "unknown event kind {kind}: written by a newer version of kasuhara-timer?",
    ),
    "incomplete last line ({size} bytes without a newline): the app stopped while writing it; "
    "it was never shown as saved": (
        "最後の行が不完全です（改行のない {size} バイト）：書き込み中にアプリが止まりました。"
        "保存済みとは表示されていません",
        "incomplete last line ({size} bytes without a newline): the app stopped while writing "
        "it; it was never shown as saved",
    ),
    # -- record.json (store.record) ---------------------------------------------------------------
    "not valid JSON ({error})": (
        "JSONとして正しくありません（{error}）",
        "not valid JSON ({error})",
    ),
    "not a {schema} file": ("{schema} のファイルではありません", "not a {schema} file"),
    "written by a newer version of kasuhara-timer (record version {version}, this version "
    "reads {reads})": (
        "新しい版の kasuhara-timer で書かれています（記録の版 {version}、この版が読めるのは"
        " {reads}）",
        "written by a newer version of kasuhara-timer (record version {version}, this version "
        "reads {reads})",
    ),
    # -- verify: signatures and checkpoints -------------------------------------------------------
    "not signed: no desk signed this journal, so its hashes prove only that nothing changed by "
    "accident (anyone who can write the folder could rewrite them)": (
        "署名なし：どの窓口端末もこのジャーナルに署名していないため、ハッシュが示すのは偶然の"
        "変化がないことだけです（フォルダに書き込める人なら書き直せます）",
        "not signed: no desk signed this journal, so its hashes prove only that nothing changed "
        "by accident (anyone who can write the folder could rewrite them)",
    ),
    "{count} line(s) after the desk's final signed checkpoint ({at}): added by someone else": (
        "窓口端末の最後の署名（{at}）の後に {count} 行：他の誰かが書き加えています",
        "{count} line(s) after the desk's final signed checkpoint ({at}): added by someone else",
    ),
    "the last {count} line(s) are not yet covered by a signed checkpoint (in progress, or the "
    "desk stopped within seconds of writing them)": (
        "最後の {count} 行はまだ署名されていません（対応中か、書いた数秒のうちに窓口端末が"
        "止まりました）",
        "the last {count} line(s) are not yet covered by a signed checkpoint (in progress, or "
        "the desk stopped within seconds of writing them)",
    ),
    "signed by another key ({key})": (
        "別の鍵で署名されています（{key}）",
        "signed by another key ({key})",
    ),
    "belongs to another session ({session})": (
        "別の記録のものです（{session}）",
        "belongs to another session ({session})",
    ),
    "malformed sequence number": ("通し番号の形式が正しくありません", "malformed sequence number"),
    "the journal has {count} line(s) but the desk signed line {seq} ({at}): it was cut back "
    "after it was signed": (
        "ジャーナルは {count} 行ですが、窓口端末は {seq} 行目に署名しています（{at}）：署名の後に"
        "切り詰められました",
        "the journal has {count} line(s) but the desk signed line {seq} ({at}): it was cut back "
        "after it was signed",
    ),
    "journal line {seq} is not the one the desk signed ({at}): the journal was changed or "
    "re-chained after it was signed": (
        "ジャーナルの {seq} 行目は窓口端末が署名した行ではありません（{at}）：署名の後に変更"
        "されたか、連鎖を付け直されました",
        "journal line {seq} is not the one the desk signed ({at}): the journal was changed or "
        "re-chained after it was signed",
    ),
    "not signed": ("署名がありません", "not signed"),
    "malformed signature or signer": (
        "署名または署名者の形式が正しくありません",
        "malformed signature or signer",
    ),
    "signature does not match: changed after signing": (
        "署名が一致しません：署名の後に変更されています",
        "signature does not match: changed after signing",
    ),
    # -- verify: the journal ----------------------------------------------------------------------
    "encrypted to the office's supervisors: its files are checked against the seal only; with "
    "a supervisor identity their contents are checked too": (
        "所管課長あてに暗号化されています：ファイルは封印とだけ照合しました。課長の鍵があれば"
        "中身も検証します",
        "encrypted to the office's supervisors: its files are checked against the seal only; "
        "with a supervisor identity their contents are checked too",
    ),
    "missing: the session's events are gone": (
        "ありません：対応の記録が失われています",
        "missing: the session's events are gone",
    ),
    "empty: the app stopped before the session's start was saved (nothing was shown)": (
        "空です：対応の開始を保存する前にアプリが止まりました（何も表示されていません）",
        "empty: the app stopped before the session's start was saved (nothing was shown)",
    ),
    "the first event (the start) cannot be read": (
        "最初の記録（開始）が読めません",
        "the first event (the start) cannot be read",
    ),
    "the session has not ended (in progress, or interrupted: resume or close it at its desk); "
    "its last line is not yet covered by any hash": (
        "対応が終了していません（対応中か中断：その窓口端末で再開するか閉じてください）。最後の"
        "行はまだどのハッシュにも含まれていません",
        "the session has not ended (in progress, or interrupted: resume or close it at its "
        "desk); its last line is not yet covered by any hash",
    ),
    # -- verify: record and sheet -----------------------------------------------------------------
    "not written yet: the session ended but its sheet was not saved (wrap-up open, or the app "
    "stopped before saving)": (
        "まだ書かれていません：対応は終了しましたが記録シートが保存されていません（まとめの画面が"
        "開いたままか、保存の前にアプリが止まりました）",
        "not written yet: the session ended but its sheet was not saved (wrap-up open, or the "
        "app stopped before saving)",
    ),
    "not checked: there is no record.json to check it against": (
        "検証していません：照合する record.json がありません",
        "not checked: there is no record.json to check it against",
    ),
    "unreadable: {error}": ("読めません：{error}", "unreadable: {error}"),
    "not compared with a rebuild: the profile is unavailable ({error})": (
        "作り直した記録と比べていません：方針を読めません（{error}）",
        "not compared with a rebuild: the profile is unavailable ({error})",
    ),
    "cannot be rebuilt from the journal: {error}": (
        "ジャーナルから作り直せません：{error}",
        "cannot be rebuilt from the journal: {error}",
    ),
    "out of date: {later} event(s) were journaled after it was written; it matches the journal "
    "up to line {seq} (write the record again from the journal)": (
        "古くなっています：書かれた後に {later} 件の記録がジャーナルに加わりました。ジャーナルの"
        " {seq} 行目までとは一致します（ジャーナルから記録を書き直してください）",
        "out of date: {later} event(s) were journaled after it was written; it matches the "
        "journal up to line {seq} (write the record again from the journal)",
    ),
    "its last line does not match the hash record.json holds (journal.final_hash): the journal "
    "was changed after the record was written": (
        "最後の行が record.json のハッシュ（journal.final_hash）と一致しません：記録が書かれた"
        "後にジャーナルが変更されています",
        "its last line does not match the hash record.json holds (journal.final_hash): the "
        "journal was changed after the record was written",
    ),
    "does not match a rebuild from the journal at {paths}": (
        "ジャーナルから作り直したものと一致しません（{paths}）",
        "does not match a rebuild from the journal at {paths}",
    ),
    "does not match a rebuild from the journal (same content, different bytes)": (
        "ジャーナルから作り直したものと一致しません（内容は同じでバイト列が違います）",
        "does not match a rebuild from the journal (same content, different bytes)",
    ),
    "{message}; all in parts taken from the profile {profile}, which may have changed since": (
        "{message}。違いはすべて方針 {profile} から取った部分で、方針がその後変わったのかも"
        "しれません",
        "{message}; all in parts taken from the profile {profile}, which may have changed since",
    ),
    "{message}; unchanged since sealed, so this version or the profile builds it differently": (
        "{message}。封印の時から変わっていないので、この版か方針の作り方が違うためです",
        "{message}; unchanged since sealed, so this version or the profile builds it differently",
    ),
    "{message}; unchanged since sealed, so this version renders it differently": (
        "{message}。封印の時から変わっていないので、この版の表示の仕方が違うためです",
        "{message}; unchanged since sealed, so this version renders it differently",
    ),
    "missing though record.json was written": (
        "record.json は書かれているのにありません",
        "missing though record.json was written",
    ),
    "does not match the sheet rendered again from the journal": (
        "ジャーナルから作り直した記録シートと一致しません",
        "does not match the sheet rendered again from the journal",
    ),
    "does not match the sheet rendered again from record.json": (
        "record.json から作り直した記録シートと一致しません",
        "does not match the sheet rendered again from record.json",
    ),
    # -- verify: audio ----------------------------------------------------------------------------
    "missing: record.json holds its SHA-256": (
        "ありません：record.json にそのSHA-256が記録されています",
        "missing: record.json holds its SHA-256",
    ),
    "SHA-256 differs from record.json's: changed after it was archived": (
        "SHA-256 が record.json のものと違います：保存の後に変更されています",
        "SHA-256 differs from record.json's: changed after it was archived",
    ),
    "size differs from record.json's": (
        "大きさが record.json のものと違います",
        "size differs from record.json's",
    ),
    "{count} raw segment(s) not covered by any hash yet (not archived, not sealed)": (
        "録音の生データ {count} 個がまだどのハッシュにも含まれていません（保存・封印の前）",
        "{count} raw segment(s) not covered by any hash yet (not archived, not sealed)",
    ),
    "does not say the recording's format (samplerate, channels): changed or damaged": (
        "録音の形式（サンプリング周波数・チャンネル数）が書かれていません：変更されたか壊れて"
        "います",
        "does not say the recording's format (samplerate, channels): changed or damaged",
    ),
    "the sound was not decoded: the recording's format is unknown": (
        "音声を復号していません：録音の形式が不明です",
        "the sound was not decoded: the recording's format is unknown",
    ),
    "cannot be decoded: {error}": ("復号できません：{error}", "cannot be decoded: {error}"),
    "its sound is not the recording the recorder journaled (the decoded samples' SHA-256 "
    "differs from pcm_sha256)": (
        "音声が録音時にジャーナルに記録されたものではありません（復号したサンプルのSHA-256が"
        " pcm_sha256 と違います）",
        "its sound is not the recording the recorder journaled (the decoded samples' SHA-256 "
        "differs from pcm_sha256)",
    ),
    "decodes to {seconds} s, the journal says {journaled} s": (
        "復号すると {seconds} 秒、ジャーナルでは {journaled} 秒です",
        "decodes to {seconds} s, the journal says {journaled} s",
    ),
    "decodes to {seconds} s but the original (FLAC) to {flac} s: not a copy of the same "
    "recording": (
        "復号すると {seconds} 秒ですが原本（FLAC）は {flac} 秒です：同じ録音のコピーではありません",
        "decodes to {seconds} s but the original (FLAC) to {flac} s: not a copy of the same "
        "recording",
    ),
    "differs from record.json's audio section: {parts}": (
        "record.json の録音の項と違います：{parts}",
        "differs from record.json's audio section: {parts}",
    ),
    "the raw segments differ from the archived recording": (
        "録音の生データが保存された録音と違います",
        "the raw segments differ from the archived recording",
    ),
    # -- verify: purge log and seal ---------------------------------------------------------------
    "purge log not readable: {error}": (
        "削除の記録を読めません：{error}",
        "purge log not readable: {error}",
    ),
    "not sealed: only the journal, record.json, sheet.html and the audio hashes record.json "
    "holds were checked": (
        "封印されていません：ジャーナル・record.json・sheet.html と record.json にある録音の"
        "ハッシュだけを検証しました",
        "not sealed: only the journal, record.json, sheet.html and the audio hashes record.json "
        "holds were checked",
    ),
    "seal damaged: {where}: {detail}": (
        "封印が壊れています：{where}：{detail}",
        "seal damaged: {where}: {detail}",
    ),
    "seal damaged: its bytes are not as they were written": (
        "封印が壊れています：バイト列が書かれた時と違います",
        "seal damaged: its bytes are not as they were written",
    ),
    "seal damaged: its content does not match its own hash": (
        "封印が壊れています：内容が自身のハッシュと一致しません",
        "seal damaged: its content does not match its own hash",
    ),
    "its last line is not the one sealed: changed after sealing": (
        "最後の行が封印された行ではありません：封印の後に変更されています",
        "its last line is not the one sealed: changed after sealing",
    ),
    "cannot list the session's files: {error}": (
        "記録のファイルを一覧できません：{error}",
        "cannot list the session's files: {error}",
    ),
    "missing: it was there when the session was sealed": (
        "ありません：封印の時にはありました",
        "missing: it was there when the session was sealed",
    ),
    "changed after the session was sealed (SHA-256 differs)": (
        "封印の後に変更されています（SHA-256が違います）",
        "changed after the session was sealed (SHA-256 differs)",
    ),
    "present again after it was purged": (
        "削除された後にまたあります",
        "present again after it was purged",
    ),
    "added after the session was sealed": (
        "封印の後に加えられています",
        "added after the session was sealed",
    ),
    # -- verify over the data folder: ledgers, the witness, the logs (integrity.audit) ----------
    "not chained (no 'prev'): cannot be checked": (
        "連鎖していません（'prev' がありません）：検証できません",
        "not chained (no 'prev'): cannot be checked",
    ),
    "hash chain broken: a line before this one was changed, removed or inserted after this one "
    "was written": (
        "ハッシュの連鎖が切れています：この行が書かれた後に、それより前の行が変更・削除・挿入され"
        "ています",
        "hash chain broken: a line before this one was changed, removed or inserted after this "
        "one was written",
    ),
    "incomplete last line ({size} bytes): a writer stopped while writing it": (
        "最後の行が不完全です（{size} バイト）：書き込み中に止まりました",
        "incomplete last line ({size} bytes): a writer stopped while writing it",
    ),
    "not a readable log line ({error})": (
        "ログの行として読めません（{error}）",
        "not a readable log line ({error})",
    ),
    "not a purge entry ({count})": (
        "削除の記録の行ではありません（{count}）",
        "not a purge entry ({count})",
    ),
    "{reason}: not attributable": (
        "{reason}：誰が行ったか示せません",
        "{reason}: not attributable",
    ),
    "{reason}: explains no deletion": (
        "{reason}：削除の説明になりません",
        "{reason}: explains no deletion",
    ),
    "missing: the ledger of desk {desk} lists it ({what} {when}, {count} line(s)), and no purge "
    "explains it": (
        "ありません：窓口端末 {desk} の台帳にはあり（{what} {when}・{count} 行）、削除の記録もあ"
        "りません",
        "missing: the ledger of desk {desk} lists it ({what} {when}, {count} line(s)), and no "
        "purge explains it",
    ),
    "the ledger of desk {desk} says {count} line(s) ending in its head ({when})": (
        "窓口端末 {desk} の台帳では {count} 行でその最後の行で終わります（{when}）",
        "the ledger of desk {desk} says {count} line(s) ending in its head ({when})",
    ),
    "shorter than its desk wrote: {count} line(s); {message}": (
        "窓口端末が書いたより短くなっています：{count} 行。{message}",
        "shorter than its desk wrote: {count} line(s); {message}",
    ),
    "line {count} is not the one {message}: changed": (
        "{count} 行目が台帳の行と違います（{message}）：変更されています",
        "line {count} is not the one {message}: changed",
    ),
    "unsigned, though the ledger of desk {desk} lists the session: its desk's signatures were "
    "removed": (
        "窓口端末 {desk} の台帳にあるのに署名がありません：窓口端末の署名が取り除かれています",
        "unsigned, though the ledger of desk {desk} lists the session: its desk's signatures "
        "were removed",
    ),
    "signed by key {key} ({who}), but the ledger of desk {desk} ({ledger_key}) lists the session": (
        "鍵 {key}（{who}）の署名ですが、この記録は窓口端末 {desk}（{ledger_key}）の台帳にあります",
        "signed by key {key} ({who}), but the ledger of desk {desk} ({ledger_key}) lists the "
        "session",
    ),
    "not in the ledger of its desk {who} ({key}): its line was removed, or it was never written "
    "by that desk": (
        "窓口端末 {who}（{key}）の台帳にありません：台帳の行が取り除かれたか、その端末が書いたも"
        "のではありません",
        "not in the ledger of its desk {who} ({key}): its line was removed, or it was never "
        "written by that desk",
    ),
    "unsigned, though desk {desk} signs every session since {when}: its signatures were removed, "
    "or another wrote it": (
        "窓口端末 {desk} は {when} からすべての記録に署名しているのに署名がありません：署名が取り"
        "除かれたか、別の者が書きました",
        "unsigned, though desk {desk} signs every session since {when}: its signatures were "
        "removed, or another wrote it",
    ),
    "gone since this PC witnessed it ({seen}: {count} line(s)), and no purge explains it": (
        "このPCが証人記録をとった後になくなっています（{seen}：{count} 行）。削除の記録もありませ"
        "ん",
        "gone since this PC witnessed it ({seen}: {count} line(s)), and no purge explains it",
    ),
    "gone since this PC witnessed it ({seen}: {count} line(s))": (
        "このPCが証人記録をとった後になくなっています（{seen}：{count} 行）",
        "gone since this PC witnessed it ({seen}: {count} line(s))",
    ),
    "changed after it was witnessed ({seen}: {count} line(s) then, {now} now, and line {line} "
    "differs or is gone)": (
        "証人記録の後に変更されています（{seen}：当時 {count} 行・今 {now} 行、{line} 行目が違う"
        "かありません）",
        "changed after it was witnessed ({seen}: {count} line(s) then, {now} now, and line "
        "{line} differs or is gone)",
    ),
    "changed after it was witnessed ({seen}: {count} line(s) then, {now} now)": (
        "証人記録の後に変更されています（{seen}：当時 {count} 行・今 {now} 行）",
        "changed after it was witnessed ({seen}: {count} line(s) then, {now} now)",
    ),
    "signed by a new key for desk account {who} ({key}); this PC pinned {known} for it on "
    "{when}: a reinstalled desk, or someone signing in its name": (
        "窓口端末のアカウント {who} が新しい鍵（{key}）で署名しています。このPCは {when} に {kn"
        "own} "
        "をその鍵として記録しました：入れ直した端末か、その名前で署名した別の者です",
        "signed by a new key for desk account {who} ({key}); this PC pinned {known} for it on "
        "{when}: a reinstalled desk, or someone signing in its name",
    ),
    "cut back or rewritten after it was witnessed ({seen}: {count} line(s) then, {now} now, line "
    "{line} differs or is gone)": (
        "証人記録の後に切り詰められたか書き直されています（{seen}：当時 {count} 行・今 {now} 行、"
        "{line} 行目が違うかありません）",
        "cut back or rewritten after it was witnessed ({seen}: {count} line(s) then, {now} now, "
        "line {line} differs or is gone)",
    ),
    "witnessed {when}": (
        "{when} の証人記録",
        "witnessed {when}",
    ),
    # -- verify: sign-offs (課長確認) and the board's answers -------------------------------------
    "signed off by {who} without a supervisor signature": (
        "{who} が課長の署名なしで確認済みにしています",
        "signed off by {who} without a supervisor signature",
    ),
    "names another session ({session})": (
        "別の記録を指しています（{session}）",
        "names another session ({session})",
    ),
    "signed off an earlier state of the journal": (
        "確認済みにした後でジャーナルに記録が加わっています（確認したのは以前の状態）",
        "signed off an earlier state of the journal",
    ),
    "the chain is broken (edited or removed)": (
        "連鎖が切れています（編集または削除されています）",
        "the chain is broken (edited or removed)",
    ),
    "not a sign-off line": ("課長確認の行ではありません", "not a sign-off line"),
    "journaled as answered but the file is missing": (
        "応答したとジャーナルにありますが、ファイルがありません",
        "journaled as answered but the file is missing",
    ),
    "cannot be read to check it ({error})": (
        "検証のために読めません（{error}）",
        "cannot be read to check it ({error})",
    ),
    "changed since the desk journaled it": (
        "窓口端末がジャーナルに記録した後に変更されています",
        "changed since the desk journaled it",
    ),
    "an answer the desk never journaled": (
        "窓口端末がジャーナルに記録していない応答です",
        "an answer the desk never journaled",
    ),
}


def reason_words(text: str, lang: Lang) -> str:
    """`text` (a reason as the checks word it; one per line) in `lang`."""
    if lang == "en" or not text:
        return text
    return "\n".join(_one(line)[0] for line in text.split("\n"))


def known(text: str) -> bool:
    """Whether an entry of `REASONS` words `text` (each nested reason included)."""
    return _one(text)[1]


def _one(text: str) -> tuple[str, bool]:
    """`text` in Japanese, and whether it was found; unfound, it is kept as written."""
    partial = None
    for pattern, japanese, _names in _patterns():
        match = pattern.fullmatch(text)
        if match is None:
            continue
        values = {}
        found = True
        for name, value in match.groupdict().items():
            if name in NESTED:
                value, inner = _one(value)
                found = found and inner
            values[name] = value
        if found:
            return japanese.format(**values), True
        if partial is None and _literal(pattern.pattern) >= SPECIFIC:
            partial = japanese.format(**values)  # unless a wording fits it all
    return (partial, False) if partial is not None else (text, False)


SPECIFIC = 12
"""Fixed characters from which a wording is its own (`unreadable: {error}`), kept in Japanese
around a detail in English (an operating system's message); shorter ones (`{file}: {message}`)
only wrap a reason that is found."""


@cache
def _patterns() -> list[tuple[re.Pattern[str], str, tuple[str, ...]]]:
    """Each wording as a regular expression, the most specific (most fixed text) first."""
    found = []
    for english, (japanese, _) in REASONS.items():
        parts = []
        names = []
        for literal, name, _spec, _conv in string.Formatter().parse(english):
            parts.append(re.escape(literal))
            if name:
                names.append(name)
                parts.append(f"(?P<{name}>.+?)")
        found.append((re.compile("".join(parts), re.DOTALL), japanese, tuple(names)))
    found.sort(key=lambda item: _literal(item[0].pattern), reverse=True)
    return found


def _literal(pattern: str) -> int:
    return len(re.sub(r"\(\?P<\w+>\.\+\?\)", "", pattern).replace("\\", ""))
