// The page: act as any person of the stand-in's world and see what they would see in Discord.

import { api, watchChanges } from "./api.js";
import { Composer } from "./composer.js";
import { icon } from "./icons.js";
import { refreshRelativeTimes } from "./markdown.js";
import { renderMessages } from "./messages.js";
import { openModal } from "./modal.js";
import { RequestLog } from "./requests.js";
import { OPTION } from "./slash.js";
import { Sidebar } from "./sidebar.js";

const $ = (id) => document.getElementById(id);
const CHANNEL_TYPE_KINDS = { 0: "text", 11: "thread", 12: "private-thread" };

const page = {
  people: [],
  state: null,
  viewer: null,
  channelId: null,
  dismissed: new Set(),
  refreshing: null,
  again: false,
  offered: "",
};

function notice(text) {
  $("notice").textContent = text;
}

// ----- where the viewer is --------------------------------------------------------------------------

function currentChannel() {
  const state = page.state;
  if (!state) return null;
  if (state.dm.channel_id && page.channelId === state.dm.channel_id) {
    return { id: state.dm.channel_id, kind: "dm", name: state.bot.name, guild: null };
  }
  for (const guild of state.guilds) {
    const channel = guild.channels.find((c) => c.id === page.channelId);
    if (channel) return { ...channel, guild };
  }
  return null;
}

function firstChannel() {
  const guild = page.state.guilds[0];
  const text = guild?.channels.find((c) => c.kind === "text");
  return text ? text.id : page.state.dm.channel_id;
}

function pickerOptionsFor(kind, channelTypes) {
  const guild = currentChannel()?.guild || page.state.guilds[0];
  if (!guild) return [];
  const users = guild.members.map((m) => ({ label: "@" + m.username, detail: m.name, value: m.id }));
  const roles = guild.roles.map((r) => ({ label: "@" + r.name, detail: "role", value: r.id }));
  const allowed = channelTypes?.map((t) => CHANNEL_TYPE_KINDS[t]);
  const channels = guild.channels
    .filter((c) => !allowed || allowed.includes(c.kind))
    .map((c) => ({ label: "#" + c.name, detail: c.kind === "text" ? "" : "thread", value: c.id }));
  return { users, roles, channels, mentionables: [...users, ...roles] }[kind] || [];
}

function optionPickers(option) {
  const kind = { [OPTION.USER]: "users", [OPTION.ROLE]: "roles", [OPTION.CHANNEL]: "channels" }[option.type];
  return pickerOptionsFor(kind, option.channel_types);
}

// ----- drawing --------------------------------------------------------------------------------------

function drawHeader(channel) {
  const title = $("channel-title");
  title.replaceChildren();
  const prefix = document.createElement("span");
  prefix.className = "channel-prefix";
  prefix.append(icon({ dm: "at", text: channel.private ? "lock" : "hash" }[channel.kind] || "thread"));
  const label = channel.kind === "private-thread" ? `${channel.name} (private thread)` : channel.name;
  title.append(prefix, label);
  $("channel-topic").textContent = channel.topic || "";
  const viewer = page.state.viewer.name;
  document.title = `${channel.kind === "dm" ? "@" : "#"}${channel.name} · as ${viewer} · Discord stand-in`;
}

function drawDemoActions(actions) {
  const box = $("demo-actions");
  box.hidden = actions.length === 0;
  if (box.dataset.names === actions.map((a) => a.name).join()) return;
  box.dataset.names = actions.map((a) => a.name).join();
  box.replaceChildren(
    ...actions.map((action) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button button-secondary demo-action";
      button.textContent = action.label;
      button.addEventListener("click", () => runDemoAction(action, button));
      return button;
    }),
  );
}

async function drawMessages({ scrollToEnd = false } = {}) {
  const channel = currentChannel();
  if (!channel) return;
  const { messages } = await api.messages(page.viewer, channel.id);
  const empty =
    channel.kind === "dm" ? `This is the start of your messages with ${channel.name}.` : "No messages here yet.";
  renderMessages($("messages"), messages, {
    names: page.state.names,
    dismissed: page.dismissed,
    emptyText: empty,
    scrollToEnd,
    onClick: clickButton,
    onSelect: pickFromMenu,
    onDismiss: (message) => {
      page.dismissed.add(message.id);
      drawMessages();
    },
    pickerOptions: (kind) => pickerOptionsFor(kind),
  });
}

// One refresh at a time; changes during it bring one more afterwards.
async function refresh(options = {}) {
  if (page.refreshing) {
    page.again = true;
    return page.refreshing;
  }
  page.refreshing = (async () => {
    try {
      do {
        page.again = false;
        await refreshOnce(options);
      } while (page.again);
    } catch (problem) {
      notice(problem.message);
    } finally {
      page.refreshing = null;
    }
  })();
  return page.refreshing;
}

async function refreshOnce({ scrollToEnd = false } = {}) {
  const previous = currentChannel();
  page.state = await api.state(page.viewer);
  if (!currentChannel()) page.channelId = firstChannel();
  const channel = currentChannel();
  sidebar.draw(page.state, page.channelId);
  drawDemoActions(page.state.demo_actions);
  requestLog.setCount(page.state.request_count);
  if (!channel) return;
  const moved = previous?.id !== channel.id;
  drawHeader(channel);
  const commands = channel.kind === "dm" ? page.state.dm.commands : channel.guild.commands;
  // Only when the commands or the place changed: setting them again would close open suggestions.
  const offered = JSON.stringify([page.viewer, channel.id, commands]);
  if (offered !== page.offered) {
    page.offered = offered;
    const prefix = channel.kind === "dm" ? "@" : "#";
    composer.setContext({ commands, pickers: optionPickers, placeholder: `Message ${prefix}${channel.name}` });
  }
  await drawMessages({ scrollToEnd: scrollToEnd || moved });
  await requestLog.refresh();
}

// ----- acting ---------------------------------------------------------------------------------------

function openForm(modal) {
  // A form opened from the message box gives the focus back to it, as Discord does; one opened by a
  // button gives it back to that button.
  const fromComposer = document.activeElement?.closest("#composer");
  openModal($("modal"), modal, {
    returnTo: fromComposer ? $("composer-input") : document.activeElement,
    names: page.state.names,
    pickerOptions: (kind) => pickerOptionsFor(kind),
    onSubmit: async (values) => {
      await api.submit(page.viewer, modal.interaction_id, values);
      await refresh({ scrollToEnd: true });
    },
  });
}

async function handleReply(reply) {
  if (reply.modal) openForm(reply.modal);
  await refresh({ scrollToEnd: true });
}

// The control waits while the bot answers, then is usable again, as in Discord.
async function clickButton(message, customId, button) {
  button.disabled = true;
  try {
    await handleReply(await api.click(page.viewer, message.id, customId));
  } catch (problem) {
    notice(problem.message);
  } finally {
    button.disabled = false;
  }
}

async function pickFromMenu(message, customId, values, select) {
  select.disabled = true;
  try {
    await handleReply(await api.select(page.viewer, message.id, customId, values));
  } catch (problem) {
    notice(problem.message);
  } finally {
    select.disabled = false;
  }
}

async function runDemoAction(action, button) {
  button.disabled = true;
  notice(`${action.label}…`);
  try {
    const { result } = await api.demoAction(action.name);
    notice(result);
    await refresh({ scrollToEnd: true });
  } catch (problem) {
    notice(problem.message);
  } finally {
    button.disabled = false;
  }
}

async function openChannel(channelId) {
  page.channelId = channelId;
  remember();
  await refresh({ scrollToEnd: true });
}

async function openDms() {
  if (!page.state.dm.channel_id) {
    const { channel_id } = await api.openDm(page.viewer);
    page.channelId = channel_id;
  } else {
    page.channelId = page.state.dm.channel_id;
  }
  remember();
  await refresh({ scrollToEnd: true });
}

async function actAs(viewerId) {
  page.viewer = viewerId;
  page.dismissed.clear();
  if ($("modal").open) $("modal").close();
  remember();
  await refresh({ scrollToEnd: true });
  notice(`You're now acting as ${page.state.viewer.name}.`);
}

// The address says who and where, so a reload (or a shared link) opens the same view.
function remember() {
  const person = page.people.find((p) => p.id === page.viewer);
  const params = new URLSearchParams({ as: person ? person.username : page.viewer });
  if (page.channelId) params.set("channel", page.channelId);
  history.replaceState(null, "", `?${params}`);
}

// ----- start ----------------------------------------------------------------------------------------

const composer = new Composer({
  form: $("composer"),
  input: $("composer-input"),
  list: $("suggestions"),
  error: $("composer-error"),
  onSlash: async (command, options) => handleReply(await api.slash(page.viewer, page.channelId, command, options)),
  onSay: async (text) => {
    await api.say(page.viewer, page.channelId, text);
    await refresh({ scrollToEnd: true });
  },
  autocomplete: (command, focused, value, options) =>
    api.autocomplete(page.viewer, page.channelId, command, focused, value, options),
});

const requestLog = new RequestLog({
  details: $("request-log"),
  list: $("request-list"),
  count: $("request-count"),
  load: api.requests,
});

const sidebar = new Sidebar({
  onChannel: openChannel,
  onDms: openDms,
  onPerson: actAs,
});

async function start() {
  ({ people: page.people } = await api.people());
  const params = new URLSearchParams(location.search);
  const wanted = params.get("as");
  const chosen =
    page.people.find((p) => p.username === wanted || p.id === wanted) ||
    page.people.find((p) => !p.owner) ||
    page.people[0];
  if (!chosen) return notice("Nobody is in the stand-in yet.");
  page.viewer = chosen.id;
  page.channelId = params.get("channel");
  sidebar.setPeople(page.people, page.viewer);
  await refresh({ scrollToEnd: true });
  remember();
  watchChanges(() => refresh());
  setInterval(() => refreshRelativeTimes(), 30_000);
}

start().catch((problem) => notice(problem.message));
