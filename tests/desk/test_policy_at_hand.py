"""The whole policy at hand during a session, for Nanyo and for another municipality: the
criteria and the limit's condition before the limit, a tagged behaviour's response, the
contacts on `c`, the document's guidance on `g`, who to consult at the wrap-up."""

from __future__ import annotations

from pathlib import Path

from kasuhara_timer.desk.app import DeskApp
from kasuhara_timer.desk.screens.guidance import ContactsScreen, GuidanceScreen
from kasuhara_timer.desk.screens.session import SessionScreen
from kasuhara_timer.desk.screens.wrapup import WrapUpScreen
from kasuhara_timer.desk.staff_memory import JsonStaffBook
from kasuhara_timer.policy.loader import load_policy
from kasuhara_timer.policy.models import Policy
from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.ui.phrase_text import PhraseText
from tests.support.desk import make_setup
from tests.support.screen import flat, screen_text


def desk_for(name: str, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook) -> DeskApp:
    return DeskApp(make_setup(load_policy(name).policy, clock, data_dir, staff_book))


async def test_nanyo_phone_criteria_and_condition_before_the_limit(desk: DeskApp) -> None:
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        shown = flat(screen_text(desk))
        assert "方針の条件：「建設的な会話ができない状態で」30分を超えたら次の対応へ" in shown
        assert "組織的な対応に移る判断基準（方針）：" in shown
        for criterion in (
            "①30分以上同一内容の繰り返し",
            "②不当な要求",
            "③威圧的発言・暴言・人格否定",
        ):
            assert criterion in shown


async def test_nanyo_limit_prompt_says_the_same_condition(
    desk: DeskApp, clock: ManualClock
) -> None:
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        screen = desk.screen
        assert isinstance(screen, SessionScreen)
        clock.advance(30 * 60 + 1)
        screen.pulse()
        await pilot.pause()
        shown = flat(screen_text(desk))
        assert (
            "方針は「建設的な会話ができない状態で」30分を超えたら次の対応に移るとしています"
            in shown
        )
        assert "ステップ1毅然とした警告" in shown


async def test_nanyo_tag_brings_its_response_until_dismissed(desk: DeskApp, nanyo: Policy) -> None:
    index = next(i for i, b in enumerate(nanyo.behaviours) if b.id == "dogeza")
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        await pilot.press(str(index + 1))
        shown = flat(screen_text(desk))
        assert "方針の対応例（土下座の強要）" in shown
        assert "「そのような対応はできません。」" in shown
        assert "「これ以上あなた様とはお話できません。」" in shown
        assert "刑法" not in shown  # the desk never accuses
        await pilot.press("escape")
        assert "方針の対応例" not in flat(screen_text(desk))


async def test_nanyo_response_to_violence_and_gone_at_the_next_step(
    desk: DeskApp, nanyo: Policy
) -> None:
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await pilot.press("1")  # 身体的な攻撃
        shown = flat(screen_text(desk))
        assert "方針の対応例（身体的な攻撃）" in shown
        assert "…所管課長の判断を待つことなく、ただちに警察に通報する。" in shown
        assert "刑法" not in shown  # the article stays in the review
        await pilot.press("n")
        assert "方針の対応例" not in flat(screen_text(desk))


async def test_a_behaviour_without_a_response_shows_nothing_extra(
    desk: DeskApp, nanyo: Policy
) -> None:
    index = next(i for i, b in enumerate(nanyo.behaviours) if b.id == "discrimination")
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        await pilot.press(str(index + 1))
        assert "方針の対応例" not in flat(screen_text(desk))


async def test_nanyo_contacts_on_c(desk: DeskApp) -> None:
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        await pilot.press("c")
        assert isinstance(desk.screen, ContactsScreen)
        shown = flat(screen_text(desk))
        assert shown.index("緊急通報：110（警察）") < shown.index("暴力行為関係南陽警察署")
        for row in (
            "総合的な相談窓口総務課長・課長補佐内線411",
            "電話録音データ提供の窓口総務課庶務係内線414・415",
            "メンタルケア総務課職員係内線413・417",
        ):
            assert row in shown
        await pilot.press("escape")
        assert isinstance(desk.screen, SessionScreen)


async def test_nanyo_guidance_on_g_reaches_all_of_section_6(desk: DeskApp) -> None:
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await pilot.press("g")
        screen = desk.screen
        assert isinstance(screen, GuidanceScreen)
        items = [item.text for item in screen.query(".guidance-item").results(PhraseText)]
        text = "".join(items)
        assert (
            "クレーム対応を引き継いだり、途中から同席したりする場合、相手にクレーム内容をもう一度説明させない。"
            in text
        )
        assert "「たぶん」など、あいまいな表現に気を付ける。" in text  # §6(2)③
        assert "(6) 職員に面会を強要すること。" in text  # 庁舎管理規則第8条
        assert "刑法" not in text
        headings = [str(h.render()) for h in screen.query(".panel-heading").results()]
        assert any("§6(2)⑤" in h for h in headings)
        await pilot.press("end")
        await pilot.press("g")
        assert isinstance(desk.screen, SessionScreen)


async def test_sakaide_criteria_contacts_and_guidance(
    clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    app = desk_for("sakaide", clock, data_dir, staff_book)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        shown = flat(screen_text(app))
        assert "組織的な対応に移る判断基準（方針）：" in shown
        assert "拘束的な言動（不退去、居座り、監禁、長時間の電話）（３（２）ア）" in shown
        await pilot.press("c")
        shown = flat(screen_text(app))
        assert "緊急通報：110（警察）" in shown and "専門機関との連携警察や顧問弁護士等" in shown
        await pilot.press("escape")
        await pilot.press("g")
        screen = app.screen
        assert isinstance(screen, GuidanceScreen)
        text = "".join(item.text for item in screen.query(".guidance-item").results(PhraseText))
        assert "面談は、複数の職員で対応し、面談の開始から終了まで録音します。" in text
        assert "危害が加えられる恐れがある場合には、直ちに警察へ通報します。" in text


async def test_fujimi_borrowed_lines_say_whose_they_are(
    clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    app = desk_for("fujimi", clock, data_dir, staff_book)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        await pilot.press("n")
        shown = flat(screen_text(app))
        assert "警告を行う" in shown
        assert "（南陽市マニュアルの文例）" in shown


async def test_taito_tag_without_a_response_and_contacts(
    clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    app = desk_for("taito", clock, data_dir, staff_book)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        await pilot.press("1")
        assert "方針の対応例" not in flat(screen_text(app))  # the document answers none
        await pilot.press("c")
        shown = flat(screen_text(app))
        assert "基本方針のお問い合わせ人事課研修担当電話:03-5246-1065ファクス:03-5246-1019" in shown


async def test_wrapup_says_who_to_consult(desk: DeskApp) -> None:
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        await pilot.press("e")
        while not isinstance(desk.screen, WrapUpScreen):  # a confirmation may come first
            await pilot.press("y")
            await pilot.pause()
        assert "相談先：総合的な相談窓口総務課長・課長補佐内線411" in flat(screen_text(desk))


async def test_nanyo_order_to_leave_brings_the_acts_of_article_8(
    desk: DeskApp, clock: ManualClock
) -> None:
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        screen = desk.screen
        assert isinstance(screen, SessionScreen)
        clock.advance(30 * 60 + 1)
        screen.pulse()
        await pilot.pause()
        await pilot.press("n")  # ①現場職員の判断 taken
        await pilot.press("n")  # ②所管課長の判断 taken
        shown = flat(screen_text(desk))
        assert "③警告・退去の命令" in shown
        assert "gで方針の手引き：※庁舎管理規則第8条" in shown
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(desk.screen, GuidanceScreen)
        shown = flat(screen_text(desk))  # opened at the article, not at the top
        assert "§7(2)③退去を命令する※庁舎管理規則第8条" in shown
        assert "(1)示威又はけん闘にわたる行為をすること。" in shown
        assert "(6)職員に面会を強要すること。" in shown
        assert "判断基準（対面（来庁））" not in shown
