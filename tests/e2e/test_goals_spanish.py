"""End to end: /goal for a member whose Discord speaks Spanish, from setting it to the question's buttons."""

from __future__ import annotations

from bot.devtools.harness import Harness
from discord_standin.driver import buttons
from tests.conftest import FakeClock
from tests.e2e.database import settled_snapshot, snapshot
from tests.e2e.test_checkin import check_in
from tests.e2e.test_goals import goal_question_after
from tests.e2e.test_spanish import ENGLISH_WORDS


async def test_a_spanish_speaker_sets_answers_and_reads_a_goal_in_spanish(
    lantern_at: Harness, clock: FakeClock
) -> None:
    rosa = lantern_at.person("alice")
    rosa.locale = "es-419"
    none_yet = await rosa.slash("goal show")
    assert none_yet.content.startswith("Aún no tienes un objetivo.") and "`/objetivo fijar`" in none_yet.content
    # A refusal changes nothing and comes in Spanish, naming the option as her Discord shows it.
    before = await settled_snapshot(lantern_at.database_url)
    refused = await rosa.slash("goal set", measure="days", goal="Solo los fines de semana", time="6pm")
    assert refused.content.startswith("`hora:` va con otra medida"), refused.content
    missing = await rosa.slash("goal set", measure="days", goal="Solo los fines de semana")
    assert "`días:`" in missing.content and ENGLISH_WORDS.findall(missing.content) == []
    assert snapshot(lantern_at.database_url) == before
    reply = await rosa.slash("goal set", measure="days", goal="Solo los fines de semana", days=2)
    assert reply.content.startswith("Tu objetivo quedó guardado: “Solo los fines de semana”")
    assert "no más de 2 días a la semana bebiendo o consumiendo" in reply.content
    assert ENGLISH_WORDS.findall(reply.content) == [], reply.content
    clock.advance(days=1)
    checked = await check_in(rosa)
    question = await goal_question_after(checked)
    assert question.content.startswith("Para tu objetivo: desde tu último registro")
    assert [b["label"] for b in buttons(question)] == ["No", "Sí"]
    noted = await rosa.click(question, "No")
    assert noted.message is not None and "Anotado para tu objetivo: No." in noted.message.content
    shown = await (await rosa.slash("goal show")).settled()
    assert shown.content.startswith("Tu objetivo: “Solo los fines de semana”")
    assert "Últimos 7 días: 0 días bebiendo o consumiendo de los 1 día que respondiste." in shown.content
    assert "Gráfico de tu objetivo en 4 semanas" in shown.content
    assert ENGLISH_WORDS.findall(shown.content) == [], shown.content
    cleared = await rosa.slash("goal clear")
    assert cleared.content.startswith("Borré tu objetivo.")
