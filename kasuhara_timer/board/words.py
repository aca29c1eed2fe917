"""The board's own words, Japanese and English side by side (see `i18n`)."""

from __future__ import annotations

from kasuhara_timer.i18n import CATALOG, Lang, Translator

BOARD_CATALOG: dict[str, tuple[str, str]] = {
    "board.title": ("対応状況ボード", "Live board"),
    "board.summary": (
        "対応中 {n}件 · 応援要請 {help}件 · {time} 更新",
        "{n} running · {help} asking for help · updated {time}",
    ),
    "board.empty": ("対応中の窓口・電話はありません", "No session is running"),
    "board.col.state": ("状況", "State"),
    "board.col.desk": ("窓口", "Desk"),
    "board.col.staff": ("対応者", "Staff"),
    "board.col.channel": ("方法", "Via"),
    "board.col.elapsed": ("経過", "Time"),
    "board.col.step": ("段階", "Step"),
    "board.col.tags": ("行為", "Tags"),
    "board.col.team": ("人", "Ppl"),
    "board.col.rec": ("録", "Rec"),
    "board.state.help": ("応援 {time} {wait}分", "HELP {time} {wait}m"),
    "board.state.sent": ("向かいます {time}", "on the way {time}"),
    "board.state.answered": ("応答済", "answered"),
    "board.state.interrupted": ("中断?", "stopped?"),
    "board.state.running": ("対応中", "running"),
    "board.state.drill": ("研修", "drill"),
    "board.elapsed": ("{m}/{limit}分", "{m}/{limit}m"),
    "board.step.none": ("初期対応", "before"),
    "board.step.immediate": ("即時:{title}", "now:{title}"),
    "board.step.immediate_only": ("即時対応", "immediate"),
    "board.channel.phone": ("電話", "Tel"),
    "board.channel.counter": ("来庁", "Desk"),
    "board.channel.other": ("他", "Othr"),
    "board.detail": (
        "{desk} · {channel} · 開始 {start} · 対応者 {team} · 行為 {tags}件 · 録音 {rec}",
        "{desk} · {channel} · since {start} · staff {team} · {tags} tag(s) · rec {rec}",
    ),
    "board.detail.help": (
        "応援要請 {times}（{call}）· 待ち {wait}",
        "Help asked {times} ({call}) · waiting {wait}",
    ),
    "board.detail.interrupted": (
        "このデスクから{since}更新がありません（アプリ停止・ネットワーク切断の可能性）",
        "No word from this desk for {since} (the app stopped or the network is down)",
    ),
    "board.call_anyone": ("指定なし", "anyone"),
    "board.rec.none": ("—", "—"),
    "board.rec.starting": ("○", "○"),
    "board.rec.recording": ("●", "●"),
    "board.rec.paused": ("‖", "‖"),
    "board.rec.fault": ("▲", "▲"),
    "board.rec.unavailable": ("×", "×"),
    "board.rec.stopped": ("■", "■"),
    "board.answered_sent": (
        "{desk} に「向かいます」を伝えました",
        "Told {desk}: on the way",
    ),
    "board.nothing_to_answer": ("この対応に応援要請はありません", "No help request here"),
    "board.answer_failed": ("伝えられませんでした：{error}", "Could not answer: {error}"),
    "board.open_failed": ("開けませんでした：{error}", "Could not open: {error}"),
    "board.log_failed": (
        "閲覧記録（access-log.jsonl）に書けないため開けません：{error}",
        "Cannot open: the access log cannot be written: {error}",
    ),
    "board.problem": ("読めない状況ファイル：{problem}", "Unreadable status file: {problem}"),
    "board.live.title": ("対応中（閲覧のみ）：{session}", "Running (read-only): {session}"),
    "board.live.ended": ("この対応は終了しました", "This session has ended"),
    "key.board.open": ("開く", "Open"),
    "key.board.open.tip": ("選んだ対応の経過を見る（閲覧のみ）", "See the session's timeline"),
    "key.board.answer": ("向かいます", "On my way"),
    "key.board.answer.tip": (
        "応援要請に「向かいます」と応える（デスクに表示されます）",
        "Answer the help request (shown at the desk)",
    ),
    "key.board.back": ("戻る", "Back"),
    "key.board.back.tip": ("一覧に戻る", "Back to the board"),
    "key.board.quit": ("終了", "Quit"),
    "key.board.quit.tip": ("ボードを閉じる", "Close the board"),
}


def board_translator(lang: Lang) -> Translator:
    """The board's words with the desk's (event wording, channels) underneath."""
    return Translator(lang, {**CATALOG, **BOARD_CATALOG})
