"""The interface's own words in Japanese (default) and English, in one small catalog.

Only the app's words are here. What the policy says (the lines to read aloud, step titles,
behaviour labels, checklist items) stays in the policy's language whatever `--lang` says,
because staff read it to the caller and the record sheet is an official document.
Each entry holds both languages side by side so that neither can be forgotten.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Lang = Literal["ja", "en"]
LANGS: tuple[Lang, ...] = ("ja", "en")

CATALOG: dict[str, tuple[str, str]] = {
    # app
    "app.title": ("対応タイマー", "Desk timer"),
    "app.drill_banner": (
        "研修モード（{speed}倍速）— 練習の記録は実際の記録と別に保存されます",
        "DRILL ({speed}× speed) — practice records are kept apart from real ones",
    ),
    "app.error": ("保存できませんでした：{error}", "Could not save: {error}"),
    # channels (the app's words; the policy's own label is shown beside them)
    "channel.phone": ("電話", "Phone"),
    "channel.counter": ("来庁・窓口", "Counter"),
    "channel.other": ("その他", "Other"),
    "channel.other_hint": ("メール/SNS/外で対応", "email/SNS/outside"),
    # idle screen
    "idle.heading": ("対応を始めるキーを押してください", "Press a key to start a session"),
    "idle.profile": (
        "方針：{municipality}「{title}」（{date}）",
        "Policy: {municipality} “{title}” ({date})",
    ),
    "idle.limit_stated": ("目安 {minutes}分", "limit {minutes} min"),
    "idle.limit_default": (
        "文書に定めなし・既定{minutes}分",
        "not set by the document; default {minutes} min",
    ),
    "idle.staff": ("対応者", "Staff"),
    "idle.section": ("所属", "Section"),
    "idle.title": ("職", "Title"),
    "idle.name": ("氏名", "Name"),
    "idle.caller": ("相手（任意）", "Caller (optional)"),
    "idle.caller_hint": (
        "例: 〇〇様（入力中でも 1・2・3 で開始）",
        "e.g. a name (1, 2, 3 start even while typing)",
    ),
    "idle.edit_hint": (
        "c で相手を入力・Tab で対応者の欄へ・Enter/Esc で戻る・1/2/3 は入力中も開始",
        "c: caller, Tab: your name, Enter/Esc: leave; 1/2/3 start from any field",
    ),
    "idle.saved": ("保存しました：{folder}", "Saved in {folder}"),
    "idle.unfinished": (
        "記録シート未完成：{n}件 — f で続きを入力（{when} {channel}の対応から）",
        "Unfinished record sheets: {n} — f to finish them ({when} {channel} first)",
    ),
    # bindings (footer)
    "key.finish_sheet": ("未完成シート", "Unfinished sheet"),
    "key.finish_sheet.tip": (
        "保存されなかった記録シートを下書きから仕上げる",
        "Finish an unsaved record sheet from its draft",
    ),
    "key.sheet_later": ("後で", "Later"),
    "key.sheet_later.tip": (
        "下書きを残して待ち画面に戻る（次回も未完成として表示）",
        "Keep the draft and go back (offered again)",
    ),
    "key.start_phone": ("電話", "Phone"),
    "key.start_phone.tip": ("電話の対応を始める", "Start a phone session"),
    "key.start_counter": ("来庁", "Counter"),
    "key.start_counter.tip": ("来庁・窓口の対応を始める", "Start a counter session"),
    "key.caller": ("相手を入力", "Caller"),
    "key.caller.tip": (
        "相手の呼び名を入力する（任意。入力中でも 1・2・3 で対応を始めます）",
        "Type the caller's label (optional; 1, 2, 3 still start a session)",
    ),
    "key.to_checklist": ("チェックリストへ", "Checklist"),
    "key.to_checklist.tip": (
        "チェックリストの最初の項目へ移る（もう一度押すとシートへ戻る）",
        "Go to the checklist's first item (press again to come back)",
    ),
    "key.to_sheet": ("シートへ戻る", "Sheet"),
    "key.to_sheet.tip": (
        "チェックリストに移る前の欄へ戻る",
        "Back to the field you left for the checklist",
    ),
    "key.start_other": ("その他", "Other"),
    "key.start_other.tip": (
        "メール・SNS・外での対応を始める",
        "Start an email / SNS / outside session",
    ),
    "key.next": ("次の段階", "Next step"),
    "key.next.tip": (
        "目安時間の前は次の段階を前倒しで表示し、表示中の段階は実施済みとして記録する"
        "（今の意味はフッターに表示）",
        "Before the limit, bring the next step forward; on a shown step, record it as taken"
        " (the footer says which)",
    ),
    "key.immediate": ("即時対応", "Danger"),
    "key.immediate.tip": (
        "暴力・危険: 対応を中止し警察へ（時間に関係なく）",
        "Violence or danger: stop and call the police, whatever the time",
    ),
    "key.note": ("メモ", "Note"),
    "key.note.tip": ("メモ欄へ移動（Enter で記録）", "Go to the note field (Enter records it)"),
    "key.next.forward": ("{step}を前倒し", "Bring {step} forward"),
    "key.next.take": ("{step}を実施済みに", "Mark {step} done"),
    "key.next.none": ("次の段階なし", "No step left"),
    "key.next.ladder": ("ステップ{n}", "step {n}"),
    "key.next.immediate": ("即時{n}", "immediate {n}"),
    "key.keys": ("キー一覧", "Keys"),
    "key.keys.tip": ("キーの一覧を表示する", "Show what each key does"),
    "help.title": (
        "キー一覧（Esc・F1・? で閉じる。タイマーと録音は動いています）",
        "Keys (Esc, F1 or ? closes; the timer and the recording go on)",
    ),
    "help.tags": (
        "1〜0  最初の10件の行為を記録／取消（F1〜F12 は行為に使いません）・t  一覧からすべて",
        "1-0  tag the first ten behaviours (never F1-F12); t  pick any from the list",
    ),
    "key.withdraw": ("取消", "Undo"),
    "key.withdraw.tip": (
        "直前の段階・行為・メモ・即時対応を取り消す（記録には取り消し線で残ります）",
        "Withdraw the last step, tag, note or immediate-path entry (kept, struck through)",
    ),
    "key.confirm_end": ("終了する", "End it"),
    "key.confirm_end.tip": ("対応を終了し記録シートへ", "End the session and go to the sheet"),
    "key.cancel_end": ("続ける", "Go on"),
    "key.cancel_end.tip": ("終了せずに対応を続ける", "Do not end; the session goes on"),
    "key.back_to_session": ("対応に戻る", "Back to session"),
    "key.back_to_session.tip": (
        "対応が続いている場合：記録シートを閉じて対応画面に戻る（録音も再開）",
        "The contact is still going on: back to the session (recording resumes)",
    ),
    "session.confirm_end": (
        "対応を終了しますか？ Enter/y で終了・Esc で続ける（タイマー・録音は継続中）",
        "End the session? Enter/y ends it, Esc goes on (timer and recording run)",
    ),
    "session.confirm_end_after": (
        "対応を終了しますか？ Enter/y で終了・Esc で続ける（事後の対応の時間は継続中）",
        "End the session? Enter/y ends it, Esc goes on (the after-care time runs)",
    ),
    "session.withdrawn_at": ("{clock}取消", "withdrawn {clock}"),
    "session.nothing_to_withdraw": ("取り消せる記録はありません", "Nothing to withdraw"),
    "key.end_contact": ("通話・来庁の終了", "Contact over"),
    "key.end_contact.tip": (
        "相手が電話を切った・退去した：対応時間を止め事後の対応へ（録音も停止）",
        "The caller hung up or the visitor left: the contact's time stops, after-care follows "
        "(the recording stops too)",
    ),
    "key.end": ("終了", "End"),
    "key.end.tip": ("対応を終了し記録シートへ", "End the session and fill in the record sheet"),
    "key.leave_field": ("戻る", "Back"),
    "key.leave_field.tip": ("入力欄から離れる", "Leave the field"),
    "key.save": ("保存", "Save"),
    "key.save.tip": (
        "記録シートを保存する（空欄があっても保存できます）",
        "Save the record sheet (blank fields are fine)",
    ),
    "key.quit": ("閉じる", "Quit"),
    "ime.on": (
        "日本語入力がオンです。キーは確定（Enter）で働きます。半角/全角キーでオフにするか、"
        "Ctrl＋キー・F2〜F4 を使えます",
        "Japanese input (IME) is on: keys work once committed with Enter. Turn it off with"
        " Hankaku/Zenkaku, or use the Ctrl keys and F2–F4",
    ),
    "key.quit.tip": ("アプリを閉じる", "Close the app"),
    "key.tag.tip": ("行為を記録／取消: {label}", "Tag / untag: {label}"),
    "key.tag_picker": ("行為一覧", "All tags"),
    "key.tag_picker.tip": (
        "行為の一覧を開き、選んで記録／取消する（キーのない行為も選べます）",
        "List every behaviour to tag or untag one (those without a key too)",
    ),
    "key.tag_picker.close.tip": ("一覧を閉じる", "Close the list"),
    "tag_picker.title": (
        "行為を選んでください（Enter で記録／取消・Esc で閉じる）",
        "Pick a behaviour (Enter tags or untags it, Esc closes)",
    ),
    "key.recording_pause": ("録音一時停止", "Pause rec"),
    "key.recording_pause.tip": (
        "録音を一時停止する（タイマーは止まりません。再開までの空白は経過に残ります）",
        "Pause the recording (the timer goes on; the gap is on the timeline)",
    ),
    "key.recording_resume": ("録音再開", "Resume rec"),
    "key.recording_resume.tip": ("録音を再開する", "Record again"),
    # session screen
    "session.drill": ("研修 ×{speed}", "DRILL ×{speed}"),
    "session.started": ("開始 {time}", "started {time}"),
    "session.caller": ("相手：{caller}", "caller: {caller}"),
    "session.bar.calm": (
        "目安 {minutes}分まで 残り {remaining}",
        "{remaining} left of {minutes} min",
    ),
    "session.bar.near": (
        "予告：目安 {minutes}分まで 残り {remaining}",
        "Notice: {remaining} left of {minutes} min",
    ),
    "session.bar.over": ("目安 {minutes}分を超過 +{over}", "{minutes} min limit passed +{over}"),
    "session.bar.default": ("（定めなし・既定）", " (default)"),
    "session.bar.contact_ended": (
        "{what} {contact}（目安 {minutes}分）・事後の対応 {aftercare}",
        "{what} at {contact} ({minutes} min limit) · after-care {aftercare}",
    ),
    "session.bar.police": (
        "警察へ通報済み：目安 {minutes}分はもう数えません",
        "Police called: the {minutes} min limit no longer counts",
    ),
    "session.contact.phone": ("通話終了", "Call ended"),
    "session.contact.counter": ("退去", "Visitor left"),
    "session.contact.other": ("対応終了", "Exchange ended"),
    "session.behaviours": ("行為の記録（t：一覧）", "Behaviours seen (t: list)"),
    "session.timeline": ("経過", "Timeline"),
    "session.note_placeholder": (
        "m でメモ・Enter で記録・Esc で戻る",
        "m for a note, Enter records it, Esc leaves",
    ),
    "session.card.before": ("初期対応", "Before the limit"),
    "session.card.quiet": (
        "次の段階：{title}（n で前倒しできます）",
        "Next step: {title} (press n to take it early)",
    ),
    "session.card.involve": ("関係者：{who}", "Involve: {who}"),
    "session.card.repeat": ("繰り返し：{repeat}", "Repeat: {repeat}"),
    "session.card.taken": ("実施済み：{title}（{elapsed}）", "Done: {title} ({elapsed})"),
    "session.card.done": (
        "すべての段階を実施しました。e で終了し記録シートへ。",
        "Every step has been taken. Press e to end and fill in the sheet.",
    ),
    "session.card.aftercare": ("{what} — 事後の対応", "{what} — after-care"),
    "session.card.aftercare_quiet": (
        "{what}：{at}。対応時間はここまで、以後は事後の対応として記録します",
        "{what} at {at}: the contact's time ends here, what follows is recorded as after-care",
    ),
    "session.card.aftercare_consult": (
        "相談先（方針）：{contacts}",
        "Consult (the policy): {contacts}",
    ),
    "session.card.aftercare_sheet": (
        "記録シート：e で対応を終了して記入（誤りなら u で取り消し）",
        "Record sheet: e ends the session and opens it (u takes the end back if it was a slip)",
    ),
    "session.card.immediate": ("即時対応（暴力・危険）", "Immediate path (violence, danger)"),
    "session.card.emergency": ("緊急通報：110（警察）", "Emergency: call 110 (police)"),
    "session.card.police": (
        "方針の連絡先：{label} {who} {number}",
        "Policy contact: {label} {who} {number}",
    ),
    "session.card.notice": (
        "録音告知（方針の文言）：",
        "Recording notice (the policy's words):",
    ),
    # the policy at hand (criteria, condition, borrowing, a tag's response, contacts, guidance)
    "session.card.criteria": (
        "組織的な対応に移る判断基準（方針）：",
        "When the policy says to move to the organisational response:",
    ),
    "session.card.condition": (
        "方針の条件：「{condition}」{minutes}分を超えたら次の対応へ（時間だけでは判断しません）",
        "The policy's condition: “{condition}” for over {minutes} min, then the next step "
        "(time alone decides nothing)",
    ),
    "session.card.condition_none": (
        "目安{minutes}分は対応を見直す目安です（時間だけでは判断しません）",
        "The {minutes}-minute guide is a moment to take stock (time alone decides nothing)",
    ),
    "session.card.at_limit": (
        "目安{minutes}分：方針は「{condition}」{minutes}分を超えたら次の対応に移るとしています。"
        "状況を判断してください。",
        "{minutes} min: the policy moves to the next step “{condition}” for over {minutes} min. "
        "Judge the situation.",
    ),
    "session.card.at_limit_none": (
        "目安{minutes}分になりました。建設的なやり取りが続いているかを判断してください。",
        "{minutes} min reached. Judge whether the exchange is still constructive.",
    ),
    "session.card.at_hand": (
        "c 相談窓口・g 方針の手引き・l 相手が電話を切った／退去した（対応時間を止める）",
        "c contacts, g the policy's guidance, l the caller hung up / the visitor left "
        "(stops the contact's time)",
    ),
    "session.card.see": ("g で方針の手引き：{parts}", "g for the policy's guidance: {parts}"),
    "session.card.borrowed_lines": ("（{doc}の文例）", "({doc}'s sample wording)"),
    "session.card.borrowed_step": ("この段階は{doc}によります。", "This step is from {doc}."),
    "session.card.response": (
        "方針の対応例（{label}）— Esc で閉じる",
        "The policy's response ({label}) — Esc to close",
    ),
    "session.card.response_lines": ("言い方の例：", "Example lines:"),
    "guidance.contacts.title": ("相談窓口（{municipality}）", "Contacts ({municipality})"),
    "guidance.contacts.none": (
        "方針に相談窓口の記載はありません。",
        "The policy lists no contacts.",
    ),
    "guidance.contacts.emergency": ("緊急通報：110（警察）", "Emergency: 110 (police)"),
    "guidance.title": ("方針の手引き（{municipality}）", "The policy's guidance ({municipality})"),
    "guidance.criteria": ("判断基準（{channel}）", "Criteria ({channel})"),
    "guidance.before_limit": ("初期対応（{channel}）", "Before the limit ({channel})"),
    "guidance.limit": ("対応の目安時間（{channel}）", "The time limit ({channel})"),
    "guidance.cautions": ("留意事項", "Cautions"),
    "guidance.close": ("Esc で閉じる・↑↓ でスクロール", "Esc to close, ↑↓ to scroll"),
    "wrapup.consult": ("相談先：{contacts}", "Consult: {contacts}"),
    "wrapup.consult_none": (
        "相談先：方針に記載なし（上司に報告してください）",
        "Consult: none listed in the policy (report to your supervisor)",
    ),
    "key.contacts": ("連絡先", "Contacts"),
    "key.contacts.tip": ("方針の相談窓口を表示", "Show the policy's contacts"),
    "key.guidance": ("手引き", "Guidance"),
    "key.guidance.tip": ("方針の手引きを表示（スクロール可）", "Show the policy's guidance"),
    "key.close": ("閉じる", "Close"),
    "key.close.tip": ("閉じて対応に戻る", "Close and go back to the session"),
    # timeline
    "event.started": (
        "対応開始（{channel}・目安{minutes}分）",
        "Started ({channel}, limit {minutes} min)",
    ),
    "event.prewarning": ("予告：目安時間まで残り{minutes}分", "Notice: {minutes} min to the limit"),
    "event.limit": ("目安時間（{minutes}分）に到達", "Limit ({minutes} min) reached"),
    "event.step": ("ステップ：{title}", "Step: {title}"),
    "event.immediate_step": ("即時対応：{title}", "Immediate: {title}"),
    "event.immediate": ("即時対応（暴力・危険）に切替", "Switched to the immediate path"),
    "event.tagged": ("行為の記録：{label}", "Tagged: {label}"),
    "event.untagged": ("行為の記録を取消：{label}", "Untagged: {label}"),
    "event.note": ("メモ：{text}", "Note: {text}"),
    "event.brought_forward": (
        "前倒しで表示：{title}（まだ実施していません）",
        "Brought forward: {title} (not yet taken)",
    ),
    "event.withdrawn": ("取り消し：{what}", "Withdrawn: {what}"),
    "event.withdrawn_at": ("{clock}に取り消し", "withdrawn at {clock}"),
    "event.reopened": (
        "記録シートから対応に戻った（対応は続いていた）",
        "Back from the record sheet (the contact was still going on)",
    ),
    "event.recording": ("{state}", "Recording {state}"),
    "recording.started": ("録音開始", "started"),
    "recording.paused": ("録音一時停止", "paused"),
    "recording.resumed": ("録音再開", "resumed"),
    "recording.fault": ("録音の障害", "fault"),
    "recording.recovered": ("録音復旧", "recovered"),
    "recording.unavailable": ("録音できません", "unavailable"),
    "recording.stopped": ("録音停止", "stopped"),
    "recording.indicator.starting": ("○ 録音準備中", "○ starting rec"),
    "recording.indicator.recording": ("● 録音中", "● REC"),
    "recording.indicator.paused": ("‖ 録音一時停止", "‖ rec paused"),
    "recording.indicator.fault": ("▲ 録音障害", "▲ REC FAULT"),
    "recording.indicator.unavailable": ("× 録音なし", "× not recording"),
    "recording.indicator.stopped": ("■ 録音終了", "■ rec stopped"),
    "recording.indicator.after_contact": ("■ 録音終了（対応終了）", "■ rec stopped (contact over)"),
    "recording.banner.fault": (
        "録音の障害：{detail} — 再接続を試みています。タイマーは動いています",
        "Recording fault: {detail} — trying to reconnect; the timer goes on",
    ),
    "recording.banner.unavailable": (
        "録音していません：{detail}",
        "Not recording: {detail}",
    ),
    "recording.no_detail": ("理由は不明", "no reason given"),
    "recording.stop_failed": (
        "録音を止められませんでした：{error}（録音ファイルはそのまま残ります）",
        "Could not stop the recording: {error} (the audio on disk is kept)",
    ),
    "archive.done": (
        "録音を保存しました：{folder}（{duration}）",
        "Recording archived: {folder} ({duration})",
    ),
    "archive.failed": (
        "録音を保存できませんでした：{error}（元の録音は残っています。次回の起動時にやり直します）",
        "Could not archive the recording: {error} (the raw audio is kept; retried at next start)",
    ),
    "event.ended": ("対応終了", "Ended"),
    "event.contact_ended.phone": (
        "通話終了（ここから事後の対応）",
        "Call ended (after-care from here)",
    ),
    "event.contact_ended.counter": (
        "相手が退去（ここから事後の対応）",
        "The visitor left (after-care from here)",
    ),
    "event.contact_ended.other": (
        "相手とのやり取りが終了（ここから事後の対応）",
        "The exchange ended (after-care from here)",
    ),
    "session.closed_app": ("対応中にアプリを閉じた", "the app was closed during the session"),
    "event.interrupted": ("中断（アプリが停止）", "Interrupted (the app stopped)"),
    "event.resumed": ("アプリ再起動後に継続（空白{gap}）", "Continued after a restart (gap {gap})"),
    "event.sheet_resumed": (
        "未完成の記録シートを再開（空白{gap}）",
        "Unfinished record sheet taken up again (gap {gap})",
    ),
    "event.gap": ("欠落{gap}", "gap {gap}"),
    "event.paused_for": ("一時停止{gap}", "paused {gap}"),
    "audio.summary.faults": ("障害{n}回", "{n} fault(s)"),
    "audio.summary.app": ("アプリ停止{gap}", "app not running {gap}"),
    "event.audio_archived": ("録音を保存（{duration}）", "Recording archived ({duration})"),
    # the kinds of timeline rows (the XLSX 時系列 sheet's 種類 column), one per event kind
    "kind.started": ("開始", "Started"),
    "kind.prewarning": ("予告", "Notice"),
    "kind.limit_reached": ("目安時間", "Limit"),
    "kind.step_taken": ("ステップ", "Step"),
    "kind.brought_forward": ("前倒し", "Brought forward"),
    "kind.immediate": ("即時対応", "Immediate path"),
    "kind.tagged": ("行為の記録", "Tagged"),
    "kind.untagged": ("行為の記録の取消", "Untagged"),
    "kind.note": ("メモ", "Note"),
    "kind.withdrawn": ("取り消し", "Withdrawn"),
    "kind.reopened": ("対応に戻る", "Back to the contact"),
    "kind.recording": ("録音", "Recording"),
    "kind.audio_archived": ("録音の保存", "Recording archived"),
    "kind.contact_ended": ("相手との対応の終了", "Contact ended"),
    "kind.ended": ("終了", "Ended"),
    "kind.resumed": ("再起動後に継続", "Continued"),
    "kind.help_requested": ("応援要請", "Help asked"),
    "kind.help_answered": ("応援の応答", "Help answered"),
    "kind.responder_joined": ("対応者の追加", "Responder joined"),
    "kind.handed_over": ("対応者の交代", "Handed over"),
    "kind.sheet_saved": ("記録シートの保存", "Sheet saved"),
    "kind.sheet_drafted": ("記録シートの下書き", "Sheet drafted"),
    "kind.sheet_resumed": ("記録シートの再開", "Sheet resumed"),
    "duration.hms": ("{h}時間{m}分{s}秒", "{h} h {m} min {s} s"),
    "duration.ms": ("{m}分{s}秒", "{m} min {s} s"),
    "duration.s": ("{s}秒", "{s} s"),
    # wrap-up screen
    "wrapup.heading": ("対応記録シート", "Record sheet"),
    "wrapup.hint": (
        "ctrl+s で保存（空欄のままでも保存できます。経過はすでに記録済みです）",
        "ctrl+s saves (blank fields are fine; the timeline is already on disk)",
    ),
    "wrapup.staff_unknown": (
        "対応者が未入力です。所属・氏名を入力してください（次回から記憶します）",
        "Who answered? Enter your section and name (remembered next time)",
    ),
    "wrapup.method_other": ("対応方法を選んでください", "Choose the method"),
    "wrapup.checklist": ("チェックリスト", "Checklist"),
    "wrapup.additions": (
        "上の時系列は記録から印刷されます。補足があれば下に（時系列の後に印刷）：",
        "The timeline above prints from the record; add to it below (printed after it):",
    ),
    "wrapup.applies": ("該当", "Applies"),
    "wrapup.example": ("例：", "e.g. "),
    "wrapup.remark": ("備考", "Remark"),
    "wrapup.later": ("未完成シートの続き（下書きから）", "unfinished sheet, from its draft"),
    "wrapup.draft_typing": (
        "入力中（数秒で下書きを保存）",
        "Typing (draft saved in a few seconds)",
    ),
    "wrapup.draft_saved": ("下書き保存済み {time}", "Draft saved {time}"),
    # quit confirmation
    "quit.question": ("対応中です。アプリを閉じますか？", "A session is running. Close the app?"),
    "quit.explain": (
        "閉じると対応を終了として記録し、記録ファイルを書き出します。経過はすべて保存済みです。",
        "Closing ends the session and writes its record; everything so far is already saved.",
    ),
    "quit.explain_lost": (
        "この対応の記録ファイルが外部から削除・置換・書込不能にされました。画面の経過がすべて"
        "保存されているとは限りません。閉じる前に管理者に連絡してください。",
        "This session's journal was deleted, replaced or made unwritable by something else: "
        "what the screen shows may not all be on disk. Tell a supervisor before closing.",
    ),
    "journal.deleted": ("削除されました", "was deleted"),
    "journal.replaced": ("別のファイルに置き換えられました", "was replaced by another file"),
    "journal.unwritable": ("書き込めなくなりました", "can no longer be written"),
    "journal.restored": (
        "⚠ 記録ファイルが{what}。メモリ上の{events}件から書き直しました"
        "（管理者に報告してください）",
        "⚠ The journal {what}. It was written again from the {events} events in memory "
        "(tell a supervisor)",
    ),
    "journal.unsaved": (
        "⚠ 記録ファイルが{what}。これ以降の操作は保存されません（管理者に連絡してください）",
        "⚠ The journal {what}. What happens from now on is NOT saved (tell a supervisor)",
    ),
    "quit.explain_wrapup": (
        "記録シートは未保存です。経過はすべて保存済みで、記録ファイルは書き出されます。",
        "The sheet is not saved yet; the timeline is on disk and the record will be written.",
    ),
    "quit.archiving": (
        "録音を保存しています（圧縮とハッシュ）。終わるまでこのままお待ちください…",
        "Saving the recording (encoding and hashing); please wait until it finishes…",
    ),
    "quit.yes": ("閉じる", "Close"),
    "quit.no": ("戻る", "Go back"),
    # at start: sessions a crash left running (desk/screens/interrupted.py)
    "recovery.title": (
        "終了していない対応があります（{n}/{total}）",
        "A session was left running ({n} of {total})",
    ),
    "recovery.explain": (
        "アプリが対応中に止まりました。対応を続けるか、中断として閉じてください。",
        "The app stopped during this session. Continue it, or close it as interrupted.",
    ),
    "recovery.started": ("開始", "Started"),
    "recovery.staff": ("対応者", "Staff"),
    "recovery.staff_unknown": ("（未入力）", "(not entered)"),
    "recovery.evidence": ("記録の最後", "Evidence ends"),
    "recovery.evidence_value": ("{time}（経過 {elapsed}）", "{time} (elapsed {elapsed})"),
    "recovery.last_event": ("最後の出来事 {time}", "last event {time}"),
    "recovery.audio": ("録音 {duration}", "audio {duration}"),
    "recovery.no_audio": ("録音なし", "no audio"),
    "recovery.drill": ("研修（練習の記録）", "Drill (a practice session)"),
    "recovery.folder": ("フォルダ", "Folder"),
    "recovery.resume": ("続ける", "Continue"),
    "recovery.resume_hint": (
        "最初の開始から続け、止まっていた間を経過に記録",
        "the timer goes on from the original start; the gap goes on the timeline",
    ),
    "recovery.close": ("中断として閉じる", "Close as interrupted"),
    "recovery.close_hint": (
        "記録の最後の時刻で終了とし、記録シートを作る",
        "ends it where the evidence stops and writes the record sheet",
    ),
    "recovery.later": ("後で決める", "Decide later"),
    "recovery.later_hint": (
        "このまま残し、次の起動時にもう一度表示",
        "leaves it as it is; it is offered again at the next start",
    ),
    "recovery.damaged": (
        "記録の一部が読めないため、続けることはできません（閉じることはできます）：{reason}",
        "Part of the record cannot be read, so it cannot be continued (it can be closed): {reason}",
    ),
    "recovery.unreadable": (
        "記録の始まりが読めないため、続けることも閉じることもできません：{reason}",
        "The start of the record cannot be read, so it can be neither continued nor closed:"
        " {reason}",
    ),
    "recovery.verify_hint": (
        "詳しくは kasuhara-timer verify {folder} で確認できます。",
        "kasuhara-timer verify {folder} shows the details.",
    ),
    "recovery.start_unreadable": (
        "1行目（対応の開始）が読めません",
        "line 1 (the start) cannot be read",
    ),
    "recovery.problem.unreadable": ("{line}行目が読めません", "line {line} cannot be read"),
    "recovery.problem.invalid_event": (
        "{line}行目の内容が正しくありません",
        "line {line} does not hold a valid event",
    ),
    "recovery.problem.newer_version": (
        "{line}行目は新しい版のアプリで書かれています",
        "line {line} was written by a newer version",
    ),
    "recovery.problem.chain_broken": (
        "{line}行目より前が書き換えられています",
        "something before line {line} was changed",
    ),
    "recovery.problem.seq_mismatch": (
        "{line}行目の前後で行が消えたか増えています",
        "a line was removed or inserted near line {line}",
    ),
    "recovery.closed": (
        "中断として閉じ、記録シートを作りました：{folder}",
        "Closed as interrupted; the record sheet is written: {folder}",
    ),
    "recovery.resumed": ("対応を続けています：{folder}", "Continuing the session: {folder}"),
    "recovery.failed": ("処理できませんでした：{error}", "Could not do it: {error}"),
    "recovery.launch_title": (
        "{channel}の対応を始める前に：終了していない対応があります",
        "Before starting a {channel} session: one was left running",
    ),
    "recovery.launch_explain": (
        "この机で、アプリが止まったまま終わっていない対応があります。同じ対応の続きなら r、"
        "別の対応なら n を押してください。",
        "A session at this desk was left running when the app stopped. Press r if this is "
        "the same contact, n if it is another one.",
    ),
    "recovery.new": ("新しい対応を始める", "Start a new session"),
    "recovery.new_hint": (
        "0:00から新しく始める（前の対応はこの対応の後でもう一度たずねます）",
        "starts from 0:00 (the earlier session is offered again after this one)",
    ),
    "recovery.waiting": (
        "終了していない対応が{n}件あります。この対応の後で表示します。",
        "{n} session(s) left running by a crash: offered after this one.",
    ),
    "recovery.scan_failed": (
        "終了していない対応を確認できませんでした：{error}",
        "Could not look for sessions left running: {error}",
    ),
    "tidy.failed": (
        "前回の記録の仕上げができませんでした：{error}（次回の起動時にやり直します）",
        "Could not finish an earlier session's files: {error} (retried at next start)",
    ),
    # repeat contacts (session screen, discreet)
    "session.previous_contacts": (
        "この相手への対応：過去{n}回（最終 {date}・{method}・{minutes}）",
        "This caller: {n} earlier contact(s) (last {date}, {method}, {minutes})",
    ),
    "session.minutes": ("{m}分", "{m} min"),
    "session.under_a_minute": ("1分未満", "under 1 min"),
    # responding together: help, joining, hand-over (discreet on the desk)
    "event.help": ("応援要請", "Asked for help"),
    "event.help_call": ("応援要請（{call}）", "Asked for help ({call})"),
    "event.help_answered": (
        "応援要請に応答：向かいます（{by}）",
        "Help answered: on the way ({by})",
    ),
    "event.joined": ("対応者が加わる：{who}", "Joined: {who}"),
    "event.joined_role": ("対応者が加わる：{who}（{role}）", "Joined: {who} ({role})"),
    "event.handed_over": ("対応者を代わる：{who}", "Handed over to {who}"),
    "event.handed_over_manager": (
        "所管課長が対応を代わる：{who}",
        "The section manager took over: {who}",
    ),
    "key.help": ("応援", "Help"),
    "key.help.tip": (
        "応援を要請する（音は出ません・もう一度押すと再要請）",
        "Ask for help silently (press again to repeat)",
    ),
    "key.join": ("同席", "Join"),
    "key.join.tip": ("加わった職員を記録する（複数名対応）", "Record a colleague who joined"),
    "key.handover": ("交代", "Hand over"),
    "key.handover.tip": ("対応者を代わる（引継ぎ）", "Hand the session over"),
    "team.help": ("応援要請 {time}", "Help asked {time}"),
    "team.help_again": ("応援要請 {time}（{n}回）", "Help asked {time} ({n}×)"),
    "team.answered": ("{by} 向かいます {time}", "{by}: on the way {time}"),
    "team.answered_anonymous": ("向かいます {time}", "On the way {time}"),
    "team.people": ("対応者 {names}", "Responders: {names}"),
    "team.second_wanted": (
        "複数の職員で対応（{source}）— j で加わった職員を記録",
        "Respond with two or more staff ({source}) — j records who joined",
    ),
    "team.reminder": ("引継ぎ・同席の際（{source}）：", "When handing over or joining ({source}):"),
    "team.first": ("最初の対応者", "first responder"),
    "team.took_over": ("対応を代わる", "took over"),
    "team.manager": ("所管課長が対応を代わる", "section manager took over"),
    "team.joined": ("同席", "joined"),
    "join.title": ("加わった職員（複数名対応）", "A colleague who joined"),
    "handover.title": ("対応を代わる職員", "Who takes the session over"),
    "join.remembered": ("前に入力した職員（Enter で選ぶ）", "Entered before (Enter picks)"),
    "join.role": ("役割", "Role"),
    "join.role_hint": ("役割（同席など）", "Role (sitting in…)"),
    "join.manager": ("所管課長が対応を代わる", "The section manager takes over"),
    "join.ok": ("記録する", "Record"),
    "join.cancel": ("やめる", "Cancel"),
    "join.name_needed": ("氏名を入力してください", "Enter a name"),
}


Catalog = Mapping[str, tuple[str, str]]
"""Key → (Japanese, English). The desk's is `CATALOG`; the review and the commands have theirs."""


@dataclass(frozen=True)
class Translator:
    """Words in one language: ``tr("key.next")``, ``tr("idle.saved", folder=...)``."""

    lang: Lang = "ja"
    catalog: Catalog = field(default_factory=lambda: CATALOG, repr=False, compare=False)

    def __call__(self, key: str, **values: object) -> str:
        """The text for `key` with `values` filled in; the key itself when unknown, so a missing
        entry shows up on screen and in tests instead of raising in front of a caller."""
        entry = self.catalog.get(key)
        if entry is None:
            return key
        text = entry[LANGS.index(self.lang)]
        return text.format(**values) if values else text


def document_words(language: str, catalog: Catalog = CATALOG) -> Translator:
    """The words of the record sheet and of what the journal keeps for it, in the profile's
    language (`ProfileInfo.language`, ``ja`` or ``ja-JP``) whatever the interface's: the sheet
    is the municipality's official document. Japanese for a language the catalog lacks."""
    code = language.split("-")[0].strip().lower()
    return Translator(next((lang for lang in LANGS if lang == code), "ja"), catalog)
