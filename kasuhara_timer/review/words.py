"""The review app's own words, Japanese and English side by side (as `kasuhara_timer.i18n` does).

What the record says (labels, step titles, notes, the sheet) is shown as recorded, whatever the
interface language: it is the official record.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode

from kasuhara_timer.i18n import LANGS, Lang

CATALOG: dict[str, tuple[str, str]] = {
    "app.title": ("カスハラ対応の記録（レビュー）", "Kasuhara records (review)"),
    "list.count": ("{shown}件表示／該当{total}件", "{shown} shown of {total}"),
    "list.drills": ("研修の記録", "Drills"),
    "list.both": ("実際の記録と研修", "Real sessions and drills"),
    "list.search": ("検索", "Search"),
    "list.search_hint": ("メモ・記録シート・備考の語句", "words in notes, sheet, remarks"),
    "list.sort": ("並べ替え：{column}{arrow}", "Sort: {column}{arrow}"),
    "list.no_filter": ("絞り込みなし", "No filter"),
    "list.refreshing": (
        "索引を更新しています… {done}/{total}",
        "Updating the index… {done}/{total}",
    ),
    "list.refreshed": (
        "索引を更新しました（追加{added}・更新{updated}・削除{removed}）",
        "Index updated ({added} added, {updated} changed, {removed} removed)",
    ),
    "list.problems": (
        "読めない・不完全なフォルダ {n}件（p で一覧）",
        "{n} folders with problems (p lists them)",
    ),
    "list.refresh_failed": ("索引を更新できません：{error}", "Cannot update the index: {error}"),
    "list.empty": ("該当する記録はありません", "No sessions match"),
    "col.when": ("日時", "When"),
    "col.channel": ("方法", "Channel"),
    "col.staff": ("対応者", "Staff"),
    "col.section": ("所属", "Section"),
    "col.duration": ("時間", "Time"),
    "col.limit": ("目安", "Limit"),
    "col.furthest": ("最終段階", "Furthest step"),
    "col.tags": ("行為", "Behaviours"),
    "col.kind": ("種別", "Kind"),
    "col.audio": ("録音", "Audio"),
    "col.status": ("状態", "Status"),
    "col.folder": ("フォルダ", "Folder"),
    "col.reason": ("理由", "Reason"),
    "col.caller": ("相手の識別", "Caller"),
    "col.contacts": ("回数", "Times"),
    "col.first": ("初回", "First"),
    "col.last": ("最新", "Latest"),
    "col.total": ("合計時間", "Total time"),
    "col.clock": ("時刻", "Clock"),
    "col.elapsed": ("経過", "Elapsed"),
    "col.what": ("内容", "What"),
    "col.offset": ("録音位置", "In audio"),
    "col.no": ("No.", "No."),
    "col.item": ("項目", "Item"),
    "col.checked": ("該当", "Applies"),
    "col.remark": ("備考", "Remark"),
    "kind.drill": ("研修", "Drill"),
    "kind.real": ("", ""),
    "status.complete": ("", ""),
    "status.interrupted": ("中断", "Interrupted"),
    "status.unfinished": ("終了なし", "No end"),
    "status.unreadable": ("読めません", "Unreadable"),
    "status.problem": ("⚠要確認", "⚠Check"),
    "filter.title": ("絞り込み", "Filter"),
    "filter.from": ("期間（から）", "From"),
    "filter.to": ("期間（まで）", "To"),
    "filter.date_hint": ("YYYY-MM-DD", "YYYY-MM-DD"),
    "filter.bad_date": (
        "日付は YYYY-MM-DD で入力してください：{value}",
        "Dates are YYYY-MM-DD: {value}",
    ),
    "filter.channel": ("対応方法", "Channel"),
    "filter.staff": ("対応者", "Staff"),
    "filter.section": ("所属", "Section"),
    "filter.tag": ("行為類型", "Behaviour"),
    "filter.limit": ("目安時間に到達したものだけ", "Only sessions that reached the limit"),
    "filter.text": ("語句", "Words"),
    "filter.any": ("すべて", "Any"),
    "filter.apply": ("適用", "Apply"),
    "filter.clear": ("解除", "Clear"),
    "filter.cancel": ("取消", "Cancel"),
    "channel.phone": ("電話", "Phone"),
    "channel.counter": ("来庁", "Counter"),
    "channel.other": ("その他", "Other"),
    "session.summary": (
        "{when}　{channel}　{staff}　{duration}",
        "{when}  {channel}  {staff}  {duration}",
    ),
    "session.furthest": ("最終段階：{step}", "Furthest step: {step}"),
    "session.no_step": ("段階なし", "no step taken"),
    "session.limit_reached": ("目安時間{minutes}分に到達", "limit of {minutes} min reached"),
    "session.caller": ("相手の識別：{caller}（{n}回目）", "Caller: {caller} (contact #{n})"),
    "session.problems": ("要確認：{problems}", "Check: {problems}"),
    "tab.sheet": ("記録シート", "Record sheet"),
    "tab.checklist": ("チェックリスト", "Checklist"),
    "tab.timeline": ("時系列", "Timeline"),
    "tab.access": ("アクセス履歴", "Access history"),
    "col.at": ("日時", "When"),
    "col.user": ("利用者", "User"),
    "col.action": ("操作", "Action"),
    "col.detail": ("詳細", "Detail"),
    "action.view": ("閲覧", "Viewed"),
    "action.listen": ("再生", "Listened"),
    "action.export": ("書き出し", "Exported"),
    "action.verify": ("検証", "Verified"),
    "action.hold": ("保全", "Held"),
    "action.release": ("保全解除", "Released"),
    "action.purge": ("削除", "Purged"),
    "player.none": ("録音はありません", "No recording"),
    "player.unavailable": ("再生できません：{reason}", "Cannot play: {reason}"),
    "player.no_output": ("音声の出力装置がありません", "no sound output device"),
    "player.playing": ("▶ 再生中", "▶ Playing"),
    "player.paused": ("‖ 停止中", "‖ Paused"),
    "player.finished": ("■ 終わり", "■ End"),
    "player.loading": ("音量の概要を作成中…", "Reading loudness…"),
    "player.keys": (
        "Space 再生/停止・←→ 10秒・Enter その時点へ",
        "Space play/pause · ←→ 10 s · Enter jump",
    ),
    "player.no_offset": (
        "この出来事には録音位置がありません",
        "This event has no place in the recording",
    ),
    "problems.title": ("読めない・不完全なフォルダ", "Folders with problems"),
    "problems.none": ("問題のあるフォルダはありません", "No folder has a problem"),
    "callers.title": ("複数回の対応がある相手（リピート）", "Callers answered more than once"),
    "callers.none": ("複数回の対応がある相手はいません", "No caller was answered more than once"),
    "report.title": ("集計", "Report"),
    "report.saved": ("CSV を保存しました：{path}", "CSV saved: {path}"),
    "export.title": ("書き出し：{what}", "Export: {what}"),
    "export.list": ("表示中の{n}件", "the {n} listed sessions"),
    "export.format": ("形式", "Format"),
    "export.folder": ("保存先フォルダ", "Folder"),
    "export.go": ("書き出す", "Export"),
    "export.xlsx": ("Excel（記録シート＋チェックリスト）", "Excel (sheet + checklist)"),
    "export.html": ("印刷用 HTML", "Printable HTML"),
    "export.json": ("JSON（記録のすべて）", "JSON (the full record)"),
    "export.csv": ("CSV（一覧・BOM付き）", "CSV (list, with BOM)"),
    "export.bundle": ("開示用一式（zip：シート・時系列・録音）", "Disclosure bundle (zip)"),
    "export.done": ("書き出しました：{files}", "Written: {files}"),
    "export.skipped": ("書き出せなかったもの：{items}", "Not written: {items}"),
    "export.failed": ("書き出せません：{error}", "Export failed: {error}"),
    "key.open": ("開く", "Open"),
    "key.open.tip": ("選んだ記録を開く", "Open the highlighted session"),
    "key.search": ("検索", "Search"),
    "key.search.tip": ("語句で絞り込む", "Search notes and sheets"),
    "key.filter": ("絞り込み", "Filter"),
    "key.filter.tip": (
        "期間・方法・対応者・所属・行為・目安到達で絞り込む",
        "Filter by period, channel…",
    ),
    "key.sort": ("並べ替え", "Sort"),
    "key.sort.tip": ("並べ替える列を変える", "Sort by the next column"),
    "key.reverse": ("昇順/降順", "Order"),
    "key.reverse.tip": ("並び順を逆にする", "Reverse the order"),
    "key.refresh": ("更新", "Refresh"),
    "key.refresh.tip": ("フォルダを読み直して索引を更新する", "Re-read changed folders"),
    "key.problems": ("問題", "Problems"),
    "key.problems.tip": ("読めない・不完全なフォルダの一覧", "List folders with problems"),
    "key.callers": ("リピート", "Repeat"),
    "key.callers.tip": ("複数回の対応がある相手", "Callers answered more than once"),
    "key.report": ("集計", "Report"),
    "key.report.tip": ("期間の集計表", "Tables for a period"),
    "key.export": ("書き出し", "Export"),
    "key.export.tip": ("XLSX・HTML・JSON・CSV・開示用一式", "XLSX, HTML, JSON, CSV, bundle"),
    "key.drills": ("実/研修", "Real/drill"),
    "key.drills.tip": ("実際の記録・研修・両方を切り替える", "Real sessions, drills, or both"),
    "key.more": ("さらに表示", "More"),
    "key.more.tip": ("次の行を読み込む", "Load more rows"),
    "key.back": ("戻る", "Back"),
    "key.back.tip": ("前の画面へ", "Back to the previous screen"),
    "key.play": ("再生/停止", "Play/pause"),
    "key.play.tip": ("録音を再生・一時停止", "Play or pause the recording"),
    "key.back10": ("-10秒", "-10 s"),
    "key.back10.tip": ("10秒戻る", "Back 10 seconds"),
    "key.fwd10": ("+10秒", "+10 s"),
    "key.fwd10.tip": ("10秒進む", "Forward 10 seconds"),
    "key.jump": ("その時点へ", "Jump"),
    "key.jump.tip": ("選んだ出来事の時点から再生", "Play from the highlighted event"),
    "key.save_csv": ("CSV保存", "Save CSV"),
    "key.save_csv.tip": ("集計を CSV（BOM付き）で保存", "Save the tables as CSV"),
    "key.quit": ("終了", "Quit"),
    "key.quit.tip": ("レビューを閉じる", "Close the review"),
}


@dataclass(frozen=True)
class Words:
    """The review's words in one language: ``words("list.count", shown=3, total=9)``."""

    lang: Lang = "ja"

    def __call__(self, key: str, **values: object) -> str:
        """The text for `key`, filled in; the key itself when missing, so it shows in tests."""
        entry = CATALOG.get(key)
        if entry is None:
            return key
        text = entry[LANGS.index(self.lang)]
        return text.format(**values) if values else text


def localize(node: DOMNode, words: Words) -> None:
    """Put a node's bindings (catalog keys as descriptions and tooltips) into words.

    Textual reads `BINDINGS` once per class while the language is chosen at start-up; it has no
    public setter for a node's bindings, and `_bindings` is the map it reads.
    """

    def translate(binding: Binding) -> Binding:
        return replace(
            binding,
            description=words(binding.description),
            tooltip=words(binding.tooltip) if binding.tooltip else "",
        )

    node._bindings = BindingsMap([translate(binding) for _key, binding in node._bindings])
