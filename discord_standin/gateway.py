"""The sandbox's gateway: Discord's websocket protocol (hello, identify, resume, dispatch, faults)."""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

if TYPE_CHECKING:
    from discord_standin.server import Sandbox

log = logging.getLogger(__name__)

OP_DISPATCH = 0
OP_HEARTBEAT = 1
OP_IDENTIFY = 2
OP_PRESENCE = 3
OP_RESUME = 6
OP_RECONNECT = 7
OP_REQUEST_MEMBERS = 8
OP_INVALID_SESSION = 9
OP_HELLO = 10
OP_HEARTBEAT_ACK = 11

INTENT_GUILDS = 1 << 0
INTENT_GUILD_MEMBERS = 1 << 1
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_DIRECT_MESSAGES = 1 << 12

# Which intent an event needs; events not listed are always sent.
EVENT_INTENTS = {
    "GUILD_MEMBER_ADD": INTENT_GUILD_MEMBERS,
    "GUILD_MEMBER_REMOVE": INTENT_GUILD_MEMBERS,
    "GUILD_MEMBER_UPDATE": INTENT_GUILD_MEMBERS,
    "THREAD_CREATE": INTENT_GUILDS,
    "THREAD_UPDATE": INTENT_GUILDS,
    "CHANNEL_CREATE": INTENT_GUILDS,
    "CHANNEL_DELETE": INTENT_GUILDS,
    "CHANNEL_UPDATE": INTENT_GUILDS,
    "GUILD_UPDATE": INTENT_GUILDS,
}

HEARTBEAT_INTERVAL_MS = 41250
# Discord acknowledges a heartbeat at once, but its ACK crosses the network and reaches the client tens of
# milliseconds later. discord.py's keep-alive thread notes a heartbeat as sent only once it wakes after the send;
# an ACK from this same process could arrive before that, and discord.py then measured from the heartbeat before
# (a whole interval) and warned "Can't keep up, websocket is 41.3s behind". A short network-like pause keeps the
# order Discord gives: the heartbeat noted, then its ACK.
HEARTBEAT_ACK_DELAY_S = 0.02
RESUME_BUFFER = 5000


@dataclass
class Session:
    """A gateway session: survives disconnects so that RESUME replays what was missed."""

    id: str
    intents: int
    # (shard_id, num_shards) from IDENTIFY: which servers' events this session gets (shard 0 also gets DMs).
    shard: tuple[int, int] = (0, 1)
    seq: int = 0
    sent: list[dict[str, Any]] = field(default_factory=list)
    socket: GatewaySocket | None = None
    resumable: bool = True


class GatewaySocket:
    """One websocket connection, with Discord's optional zlib-stream compression."""

    def __init__(self, ws: web.WebSocketResponse, compress: bool) -> None:
        self.ws = ws
        self._zlib = zlib.compressobj() if compress else None
        self._lock = asyncio.Lock()

    async def send(self, payload: dict[str, Any]) -> None:
        text = json.dumps(payload, separators=(",", ":"))
        async with self._lock:
            if self.ws.closed:
                return
            if self._zlib is not None:
                data = self._zlib.compress(text.encode()) + self._zlib.flush(zlib.Z_SYNC_FLUSH)
                await self.ws.send_bytes(data)
            else:
                await self.ws.send_str(text)


class Gateway:
    """Accepts the bot's websocket, keeps sessions, and dispatches events to them."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.sessions: dict[str, Session] = {}
        self.identify_count = 0
        self.resume_count = 0
        self.ready = asyncio.Event()
        self.member_requests: list[dict[str, Any]] = []
        self.heartbeat_interval_ms = HEARTBEAT_INTERVAL_MS
        self.heartbeat_ack_delay_s = HEARTBEAT_ACK_DELAY_S
        self.heartbeats = 0

    @property
    def active(self) -> Session | None:
        for session in reversed(list(self.sessions.values())):
            if session.socket is not None:
                return session
        return None

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        socket = GatewaySocket(ws, compress=request.query.get("compress") == "zlib-stream")
        await socket.send(
            {"op": OP_HELLO, "d": {"heartbeat_interval": self.heartbeat_interval_ms}, "s": None, "t": None}
        )
        session: Session | None = None
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                payload = json.loads(msg.data)
                op = payload.get("op")
                data = payload.get("d")
                if op == OP_HEARTBEAT:
                    self.heartbeats += 1
                    await asyncio.sleep(self.heartbeat_ack_delay_s)
                    await socket.send({"op": OP_HEARTBEAT_ACK, "d": None, "s": None, "t": None})
                elif op == OP_IDENTIFY:
                    session = await self._identify(socket, data)
                elif op == OP_RESUME:
                    session = await self._resume(socket, data)
                elif op == OP_REQUEST_MEMBERS and session is not None:
                    await self._send_member_chunks(session, data)
        finally:
            if session is not None and session.socket is socket:
                session.socket = None
        return ws

    async def _identify(self, socket: GatewaySocket, data: dict[str, Any]) -> Session | None:
        if data.get("token", "").removeprefix("Bot ") != self.sandbox.token:
            await socket.ws.close(code=4004, message=b"Authentication failed.")
            return None
        shard = parse_shard(data.get("shard"))
        if shard is None:
            # Discord closes with 4010 "Invalid shard" for a shard id outside 0..num_shards-1.
            await socket.ws.close(code=4010, message=b"Invalid shard.")
            return None
        self.identify_count += 1
        session = Session(id=secrets.token_hex(16), intents=int(data.get("intents", 0)), shard=shard)
        self.sessions[session.id] = session
        session.socket = socket
        world = self.sandbox.world
        guilds = [g for g in world.guilds.values() if shard_of(g.id, shard[1]) == shard[0]]
        await self._send(
            session,
            "READY",
            {
                "v": 10,
                "user": world.bot_user.to_json(),
                "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
                "session_id": session.id,
                "session_type": "normal",
                "resume_gateway_url": self.sandbox.gateway_url,
                "shard": list(shard),
                "application": {"id": str(world.application_id), "flags": 0},
                "private_channels": [],
                "relationships": [],
                "presences": [],
                "guild_join_requests": [],
                "geo_ordered_rtc_regions": [],
                "user_settings": {},
            },
        )
        for guild in guilds:
            await self._send(session, "GUILD_CREATE", guild.to_json())
        self.ready.set()
        return session

    async def _resume(self, socket: GatewaySocket, data: dict[str, Any]) -> Session | None:
        session = self.sessions.get(data.get("session_id", ""))
        if session is None or not session.resumable or data.get("token", "").removeprefix("Bot ") != self.sandbox.token:
            await socket.send({"op": OP_INVALID_SESSION, "d": False, "s": None, "t": None})
            return None
        self.resume_count += 1
        session.socket = socket
        last_seen = int(data.get("seq") or 0)
        for payload in [p for p in session.sent if p["s"] > last_seen]:
            await socket.send(payload)
        await self._send(session, "RESUMED", {})
        return session

    async def _send_member_chunks(self, session: Session, data: dict[str, Any]) -> None:
        self.member_requests.append(data)
        guild = self.sandbox.world.guilds.get(int(data["guild_id"]))
        if guild is None:
            return
        members = list(guild.members.values())
        if data.get("user_ids"):
            wanted = {int(u) for u in data["user_ids"]}
            members = [m for m in members if m.user.id in wanted]
        elif data.get("query"):
            query = str(data["query"]).lower()
            members = [m for m in members if m.user.username.lower().startswith(query)]
        limit = int(data.get("limit") or 0)
        if limit:
            members = members[:limit]
        chunks = [members[i : i + 1000] for i in range(0, len(members), 1000)] or [[]]
        for index, chunk in enumerate(chunks):
            payload: dict[str, Any] = {
                "guild_id": str(guild.id),
                "members": [m.to_json() for m in chunk],
                "chunk_index": index,
                "chunk_count": len(chunks),
            }
            if data.get("nonce"):
                payload["nonce"] = data["nonce"]
            await self._send(session, "GUILD_MEMBERS_CHUNK", payload)

    async def _send(self, session: Session, event: str, data: dict[str, Any]) -> None:
        session.seq += 1
        payload = {"op": OP_DISPATCH, "t": event, "s": session.seq, "d": data}
        session.sent.append(payload)
        if len(session.sent) > RESUME_BUFFER:
            # Like Discord, only a recent window of events can be replayed on RESUME.
            del session.sent[: len(session.sent) - RESUME_BUFFER]
        if session.socket is not None:
            await session.socket.send(payload)

    async def dispatch(self, event: str, data: dict[str, Any], *, guild_id: int | None = None) -> None:
        """Send an event to every live session whose intents ask for it and whose shard it belongs to: a
        server's events to the shard `(guild_id >> 22) % num_shards`, events with no server (DMs) to shard 0,
        as Discord routes them (buffered while disconnected). `guild_id` names the server of an event whose
        payload is the guild itself (GUILD_UPDATE carries `id`, not `guild_id`)."""
        guild_id = guild_id if guild_id is not None else data.get("guild_id")
        for session in list(self.sessions.values()):
            if not session.resumable and session.socket is None:
                continue
            needed = EVENT_INTENTS.get(event)
            if needed is not None and not session.intents & needed:
                continue
            shard_id, num_shards = session.shard
            wanted = shard_of(int(guild_id), num_shards) if guild_id is not None else 0
            if wanted != shard_id:
                continue
            await self._send(session, event, data)

    def live_shards(self) -> list[tuple[int, int]]:
        """The (shard_id, num_shards) of every connected session."""
        return sorted(s.shard for s in self.sessions.values() if s.socket is not None)

    async def request_reconnect(self) -> None:
        """Op 7: ask the bot to reconnect and resume."""
        session = self.active
        if session is not None and session.socket is not None:
            await session.socket.send({"op": OP_RECONNECT, "d": None, "s": None, "t": None})

    async def invalidate_session(self, *, resumable: bool = False) -> None:
        """Op 9: the session is invalid; the bot must identify again unless `resumable`."""
        session = self.active
        if session is not None and session.socket is not None:
            session.resumable = resumable
            await session.socket.send({"op": OP_INVALID_SESSION, "d": resumable, "s": None, "t": None})

    async def drop_connection(self) -> None:
        """Close the socket abruptly, as a network failure would; the session stays resumable."""
        session = self.active
        if session is not None and session.socket is not None:
            await session.socket.ws.close(code=4000, message=b"Unknown error")


def shard_of(guild_id: int, num_shards: int) -> int:
    """The shard a server's events go to: Discord's `(guild_id >> 22) % num_shards`."""
    return (guild_id >> 22) % num_shards


def parse_shard(raw: object) -> tuple[int, int] | None:
    """IDENTIFY's `shard` ([shard_id, num_shards]; absent means [0, 1]); None when it cannot be."""
    if raw is None:
        return (0, 1)
    if not isinstance(raw, list) or len(raw) != 2 or not all(isinstance(n, int) for n in raw):
        return None
    shard_id, num_shards = raw
    if num_shards < 1 or not 0 <= shard_id < num_shards:
        return None
    return (shard_id, num_shards)
