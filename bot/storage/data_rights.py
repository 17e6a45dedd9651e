"""Members' data rights: export of everything held, forgetting a member, retention sweeps."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, delete, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.crypto import ContentCipher
from bot.storage.engine import writer
from bot.storage.models import CheckinContent, Goal
from bot.storage.outbox import UNSENT, forget_member, open_text
from bot.storage.tables import (
    audit_log,
    checkins,
    day_counters,
    day_milestones,
    deliveries,
    goals,
    hard_dates,
    members,
    oncall_duty,
    oncall_pages,
    oncall_requests,
    oncall_rota,
    outbox,
    partner_avoid,
    partner_group_members,
    partner_groups,
    partner_members,
    partner_rounds,
    support_requests,
    tip_feedback,
    tip_views,
)


def _rows(result: Sequence[Row[Any]]) -> list[dict[str, Any]]:
    return [dict(row._mapping) for row in result]


class DataRightsRepo:
    """Everything stored about one member in one community: to hand over, or to delete in one go."""

    def __init__(self, engine: AsyncEngine, cipher: ContentCipher) -> None:
        self._engine = engine
        self._writer = writer(engine)
        self._cipher = cipher

    async def export(self, community_id: int, user_id: int) -> dict[str, Any]:
        """All of the member's rows in this community, check-ins decrypted."""

        def mine(table: Any, column: str = "user_id") -> Any:
            return select(table).where(table.c.community_id == community_id, table.c[column] == user_id)

        async with self._engine.connect() as conn:
            checkin_rows = (await conn.execute(mine(checkins).order_by(checkins.c.local_date))).all()
            member = _rows((await conn.execute(mine(members))).all())
            partner = _rows((await conn.execute(mine(partner_members))).all())
            avoid = _rows((await conn.execute(mine(partner_avoid))).all())
            feedback = _rows((await conn.execute(mine(tip_feedback))).all())
            views = _rows((await conn.execute(mine(tip_views).order_by(tip_views.c.id))).all())
            sent = _rows((await conn.execute(mine(deliveries).order_by(deliveries.c.id))).all())
            support = _rows((await conn.execute(mine(support_requests))).all())
            counter_rows = (await conn.execute(mine(day_counters).order_by(day_counters.c.id))).all()
            milestone_rows = (await conn.execute(mine(day_milestones).order_by(day_milestones.c.id))).all()
            date_rows = (await conn.execute(mine(hard_dates).order_by(hard_dates.c.id))).all()
            routed = _rows(
                (await conn.execute(mine(oncall_requests, "member_id").order_by(oncall_requests.c.id))).all()
            )
            duty = _rows((await conn.execute(mine(oncall_duty))).all())
            rota = _rows((await conn.execute(mine(oncall_rota).order_by(oncall_rota.c.id))).all())
            goal_row = (await conn.execute(mine(goals))).one_or_none()
            waiting_rows = (
                await conn.execute(mine(outbox, "member_id").where(outbox.c.state.in_(UNSENT)).order_by(outbox.c.id))
            ).all()
            groups = (
                await conn.execute(
                    select(partner_rounds.c.number, partner_rounds.c.started_at, partner_group_members.c.group_id)
                    .join(partner_groups, partner_groups.c.id == partner_group_members.c.group_id)
                    .join(partner_rounds, partner_rounds.c.id == partner_groups.c.round_id)
                    .where(
                        partner_group_members.c.community_id == community_id,
                        partner_group_members.c.user_id == user_id,
                    )
                    .order_by(partner_rounds.c.number)
                )
            ).all()
            partners_by_group: dict[int, list[int]] = {}
            if groups:
                rows = (
                    await conn.execute(
                        select(partner_group_members.c.group_id, partner_group_members.c.user_id).where(
                            partner_group_members.c.group_id.in_([g.group_id for g in groups])
                        )
                    )
                ).all()
                for row in rows:
                    if row.user_id != user_id:
                        partners_by_group.setdefault(row.group_id, []).append(row.user_id)
        decrypted = []
        for row in checkin_rows:
            content: CheckinContent = self._cipher.decrypt(row.content)
            decrypted.append(
                {
                    "date": row.local_date,
                    "created_at": row.created_at,
                    "updated_at": row.updated_at,
                    "mood": content.mood,
                    "cravings": content.cravings,
                    "halt": sorted(content.halt),
                    "note": content.note,
                    "answers": content.answers,
                    # Who the form said would see an answer, where not only the member.
                    "answers_seen_by": content.shared,
                    "goal_answer": None
                    if content.goal is None
                    else {"measure": content.goal[0], "answer": content.goal[1]},
                }
            )
        milestones_of: dict[int, list[dict[str, Any]]] = {}
        for m in milestone_rows:
            milestones_of.setdefault(m.counter_id, []).append(
                {"milestone": m.milestone, "noted_at": m.noted_at, "shared_at": m.shared_at}
            )
        counters = [
            {
                "name": self._cipher.decrypt_text(row.name),
                "start_date": row.start_date,
                "hidden": row.hidden,
                "created_at": row.created_at,
                "next_note_at": row.next_note_at,
                "milestones": milestones_of.get(row.id, []),
            }
            for row in counter_rows
        ]
        dates = [
            {
                "label": self._cipher.decrypt_text(row.label),
                "kind": row.kind,
                "month": row.month,
                "day": row.day,
                "year": row.year,
                "created_at": row.created_at,
            }
            for row in date_rows
        ]
        goal = None
        if goal_row is not None:
            kept = Goal.from_json(self._cipher.unseal(goal_row.content))
            goal = {"words": kept.words, "measure": kept.measure, "target": kept.target, "set_at": goal_row.set_at}
        return {
            "checkins": decrypted,
            "day_counters": counters,
            "hard_dates": dates,
            "settings": member[0] if member else None,
            "partners": {
                "membership": partner[0] if partner else None,
                "avoid_list": [{"user_id": a["avoided_user_id"], "since": a["at"]} for a in avoid],
                "rounds": [
                    {"round": g.number, "started_at": g.started_at, "partners": partners_by_group.get(g.group_id, [])}
                    for g in groups
                ],
            },
            "tips": {"feedback": feedback, "shown": views},
            "deliveries": sent,
            "support_requests": support,
            "support_requests_to_leaders_on_duty": routed,
            "on_duty": {"by_hand": duty[0] if duty else None, "rota": rota},
            "goal": goal,
            # Notes for the member and alerts about them that Lantern has not managed to send yet.
            "waiting_messages": [
                {"kind": row.kind, "created_at": row.created_at, "text": open_text(row.text, self._cipher)}
                for row in waiting_rows
            ],
        }

    async def forget(self, community_id: int, user_id: int) -> dict[str, int]:
        """Delete everything about the member in this community, in one transaction; counts per table.

        Audit entries keep what a leader did but lose this member's id, whether as actor or target.
        """
        counts: dict[str, int] = {}
        async with self._writer.begin() as conn:
            # A member's requests to leaders on duty go with the leaders they were sent to.
            theirs = select(oncall_requests.c.id).where(
                oncall_requests.c.community_id == community_id, oncall_requests.c.member_id == user_id
            )
            await conn.execute(delete(oncall_pages).where(oncall_pages.c.request_id.in_(theirs)))
            # Before their partner groups are forgotten: the messages waiting for those groups go too.
            groups = select(partner_group_members.c.group_id).where(
                partner_group_members.c.community_id == community_id, partner_group_members.c.user_id == user_id
            )
            group_ids = [int(row.group_id) for row in (await conn.execute(groups)).all()]
            counts.update(await forget_member(conn, self._cipher, community_id, user_id, group_ids))
            result = await conn.execute(
                update(oncall_requests)
                .where(oncall_requests.c.community_id == community_id, oncall_requests.c.taken_by == user_id)
                .values(taken_by=None)
            )
            if result.rowcount:
                counts["oncall_requests (id removed)"] = result.rowcount
            for table, column in (
                (day_milestones, "user_id"),
                (day_counters, "user_id"),
                (hard_dates, "user_id"),
                (checkins, "user_id"),
                (deliveries, "user_id"),
                (tip_views, "user_id"),
                (tip_feedback, "user_id"),
                (partner_group_members, "user_id"),
                (partner_members, "user_id"),
                (partner_avoid, "user_id"),
                (partner_avoid, "avoided_user_id"),
                (support_requests, "user_id"),
                (oncall_requests, "member_id"),
                (oncall_pages, "leader_id"),
                (oncall_duty, "user_id"),
                (oncall_rota, "user_id"),
                (goals, "user_id"),
                (members, "user_id"),
            ):
                result = await conn.execute(
                    delete(table).where(table.c.community_id == community_id, table.c[column] == user_id)
                )
                counts[table.name] = counts.get(table.name, 0) + result.rowcount
            for column in ("actor_id", "target_id"):
                result = await conn.execute(
                    update(audit_log)
                    .where(audit_log.c.community_id == community_id, audit_log.c[column] == user_id)
                    .values(**{column: None})
                )
                counts["audit_log (id removed)"] = counts.get("audit_log (id removed)", 0) + result.rowcount
        return counts

    async def delete_checkins_before(self, community_id: int, cutoff: date) -> int:
        async with self._writer.begin() as conn:
            result = await conn.execute(
                delete(checkins).where(checkins.c.community_id == community_id, checkins.c.local_date < cutoff)
            )
        return result.rowcount

    async def left_before(self, cutoff: datetime) -> list[tuple[int, int]]:
        stmt = select(members.c.community_id, members.c.user_id).where(
            members.c.left_at.is_not(None), members.c.left_at < cutoff
        )
        async with self._engine.connect() as conn:
            return [(r.community_id, r.user_id) for r in (await conn.execute(stmt)).all()]
