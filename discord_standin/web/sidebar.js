// The left side: servers, their channels and threads, direct messages, and who you are acting as. On a
// narrow screen it is a drawer behind the menu button.

import { icon } from "./icons.js";

const $ = (id) => document.getElementById(id);
const NARROW = window.matchMedia("(max-width: 760px)");

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function initials(name) {
  return name
    .split(/\s+/)
    .map((word) => word[0])
    .join("")
    .slice(0, 3);
}

function personLabel(person) {
  const notes = [];
  if (person.owner) notes.push("owner");
  notes.push(...person.roles.filter((r) => r !== "@everyone"));
  return notes.length ? `${person.name} (${notes.join(", ")})` : person.name;
}

// Redraws a list only when it changed, and keeps the keyboard focus on the same entry when it does, so a
// live update never pulls the focus away from someone moving through the list.
function replaceKeepingFocus(container, nodes, signature) {
  if (container.dataset.signature === signature) return;
  container.dataset.signature = signature;
  const focusedKey = container.contains(document.activeElement) ? document.activeElement.dataset.key : null;
  container.replaceChildren(...nodes);
  if (focusedKey) container.querySelector(`[data-key="${CSS.escape(focusedKey)}"]`)?.focus();
}

export class Sidebar {
  constructor({ onChannel, onDms, onPerson }) {
    Object.assign(this, { onChannel, onDms, onPerson });
    this.select = $("viewer-select");
    this.select.addEventListener("change", () => this.onPerson(this.select.value));
    this.menu = $("menu-button");
    this.drawer = $("drawer");
    this.backdrop = $("backdrop");
    this.menu.addEventListener("click", () => this.toggle(!this.isOpen()));
    this.backdrop.addEventListener("click", () => this.toggle(false));
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && this.isOpen() && !$("modal").open) this.toggle(false);
    });
    NARROW.addEventListener("change", () => this.toggle(false));
  }

  isOpen() {
    return document.body.classList.contains("drawer-open");
  }

  toggle(open) {
    const wasOpen = this.isOpen();
    document.body.classList.toggle("drawer-open", open);
    this.menu.setAttribute("aria-expanded", String(open));
    this.backdrop.hidden = !open;
    if (open) this.drawer.querySelector("button, select")?.focus();
    else if (wasOpen) this.menu.focus();
  }

  setPeople(people, viewerId) {
    this.select.replaceChildren(
      ...people.map((person) => {
        const option = element("option", "", personLabel(person));
        Object.assign(option, { value: person.id, selected: person.id === viewerId });
        return option;
      }),
    );
  }

  channelButton(label, { key, current, onOpen, prefix, className = "" }) {
    const item = element("li", `channel ${className}`.trim());
    const button = element("button", "channel-button");
    button.type = "button";
    button.dataset.key = key;
    const mark = element("span", "channel-icon");
    mark.append(icon(prefix));
    button.append(mark, element("span", "channel-name", label));
    if (current) button.setAttribute("aria-current", "page");
    button.addEventListener("click", () => {
      if (NARROW.matches) this.toggle(false);
      onOpen();
    });
    item.append(button);
    return item;
  }

  draw(state, channelId) {
    const guild = state.guilds.find((g) => g.channels.some((c) => c.id === channelId)) || state.guilds[0];
    this.select.value = state.viewer.id;
    $("guild-name").textContent = guild ? guild.name : "Direct messages";
    const where = JSON.stringify([guild?.id, channelId, state.dm.channel_id]);
    replaceKeepingFocus(
      $("server-list"),
      state.guilds.map((g) => {
        const item = element("li");
        const button = element("button", "server-button", initials(g.name));
        button.type = "button";
        button.dataset.key = g.id;
        button.title = g.name;
        button.setAttribute("aria-label", g.name);
        if (g === guild) button.setAttribute("aria-current", "true");
        const first = g.channels.find((c) => c.kind === "text");
        button.addEventListener("click", () => first && this.onChannel(first.id));
        item.append(button);
        return item;
      }),
      where + JSON.stringify(state.guilds.map((g) => [g.id, g.name])),
    );
    const channels = guild ? guild.channels : [];
    replaceKeepingFocus(
      $("channel-list"),
      channels.map((channel) => {
        const thread = channel.kind !== "text";
        const label = channel.kind === "private-thread" ? `${channel.name} (private)` : channel.name;
        return this.channelButton(label, {
          key: channel.id,
          current: channel.id === channelId,
          onOpen: () => this.onChannel(channel.id),
          prefix: thread ? "thread" : channel.private ? "lock" : "hash",
          className: thread ? "thread" : "",
        });
      }),
      where + JSON.stringify(channels),
    );
    replaceKeepingFocus(
      $("dm-list"),
      [
        this.channelButton(state.bot.name, {
          key: "dm",
          current: Boolean(state.dm.channel_id) && state.dm.channel_id === channelId,
          onOpen: () => this.onDms(),
          prefix: "at",
          className: "dm",
        }),
      ],
      where + state.bot.name,
    );
  }
}
