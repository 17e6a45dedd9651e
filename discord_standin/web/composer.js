// The message box: plain messages, and slash commands with Discord-like suggestions (arrow keys to move,
// Enter or Tab to pick, Escape to close) and the bot's own autocomplete.

import { OPTION, checkSlash, describeType, flattenCommands, optionsSoFar, parseSlash, withPicked } from "./slash.js";

const MAX_SUGGESTIONS = 25; // Discord shows at most 25 choices
const AUTOCOMPLETE_DELAY_MS = 150;

export class Composer {
  constructor({ form, input, list, error, onSlash, onSay, autocomplete }) {
    Object.assign(this, { form, input, list, error, onSlash, onSay, autocomplete });
    this.entries = [];
    this.pickers = () => [];
    this.picked = new Map();
    this.items = [];
    this.active = -1;
    this.closed = false;
    this.autocompleteSeq = 0;
    input.addEventListener("input", () => {
      this.closed = false;
      this.error.textContent = "";
      this.suggest();
    });
    input.addEventListener("keydown", (event) => this.onKey(event));
    input.addEventListener("blur", () => setTimeout(() => this.hide(), 150));
    input.addEventListener("focus", () => this.suggest());
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.send();
    });
  }

  // What can be typed here: the commands this person is offered, and the server's people, channels, roles.
  setContext({ commands, pickers, placeholder }) {
    this.entries = flattenCommands(commands);
    this.pickers = pickers;
    this.input.placeholder = placeholder;
    this.picked.clear();
    this.hide();
  }

  context() {
    return { picked: this.picked, pickers: this.pickers };
  }

  showError(text) {
    this.error.textContent = text;
  }

  async send() {
    const text = this.input.value.trim();
    if (!text) return;
    this.hide();
    try {
      if (text.startsWith("/")) {
        const checked = checkSlash(text, this.entries, this.context());
        if (checked.error) return this.showError(checked.error);
        this.input.value = "";
        await this.onSlash(checked.command, checked.options);
        this.picked.clear();
      } else {
        this.input.value = "";
        await this.onSay(text);
      }
    } catch (problem) {
      // Give the text back so nothing typed is lost.
      this.input.value = this.input.value || text;
      this.showError(problem.message);
    }
  }

  onKey(event) {
    const open = !this.list.hidden && this.items.length > 0;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!open) return;
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      this.setActive((this.active + step + this.items.length) % this.items.length);
    } else if ((event.key === "Enter" || event.key === "Tab") && open && this.active >= 0) {
      event.preventDefault();
      this.pick(this.items[this.active]);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      this.closed = true;
      this.hide();
    }
  }

  suggest() {
    const text = this.input.value;
    if (this.closed || !text.startsWith("/") || this.input.selectionStart !== text.length) return this.hide();
    const parsed = parseSlash(text, this.entries);
    if (parsed.stage === "command") {
      const typed = parsed.typed.trimStart();
      const items = this.entries
        .filter((e) => e.path.startsWith(typed) || (typed && e.path.includes(typed)))
        .map((e) => ({ title: "/" + e.path, detail: e.description, insert: "/" + e.path + " " }));
      return this.show(items, true, items.length ? "" : "No commands match.");
    }
    if (parsed.stage === "option-name") {
      const items = parsed.choices.map((o) => ({
        title: o.name + (o.required ? " (required)" : ""),
        detail: [o.description, describeType(o)].filter(Boolean).join(" · "),
        insert: withPicked(text, parsed, o.name + ":"),
      }));
      const eager = parsed.eager || parsed.choices.some((o) => o.required);
      return this.show(items, eager);
    }
    return this.suggestValues(text, parsed);
  }

  suggestValues(text, parsed) {
    const { option, current } = parsed;
    const lower = current.toLowerCase();
    const fromList = (pool) =>
      pool
        .filter((p) => p.label.toLowerCase().includes(lower.replace(/^[#@]/, "")))
        .map((p) => ({ title: p.label, detail: p.detail || "", insert: withPicked(text, parsed, p.label) }));
    if (option.autocomplete) return this.askBot(text, parsed);
    if (option.choices?.length) {
      const items = option.choices
        .filter((c) => c.name.toLowerCase().includes(lower) || String(c.value).toLowerCase().includes(lower))
        .map((c) => ({ title: c.name, insert: withPicked(text, parsed, c.name), choice: [option.name, c] }));
      return this.show(items, true);
    }
    if (option.type === OPTION.BOOLEAN) return this.show(fromList([{ label: "True" }, { label: "False" }]), true);
    if ([OPTION.USER, OPTION.CHANNEL, OPTION.ROLE].includes(option.type)) {
      return this.show(fromList(this.pickers(option)), true);
    }
    const hint = [option.description, describeType(option)].filter(Boolean).join(" · ");
    return this.show([], false, `${option.name}: ${hint}`);
  }

  askBot(text, parsed) {
    const seq = ++this.autocompleteSeq;
    clearTimeout(this.autocompleteTimer);
    this.autocompleteTimer = setTimeout(async () => {
      let choices = [];
      try {
        const options = optionsSoFar(parsed, this.context());
        ({ choices } = await this.autocomplete(parsed.entry.path, parsed.option.name, parsed.current, options));
      } catch (problem) {
        if (seq === this.autocompleteSeq) this.show([], false, problem.message);
        return;
      }
      // Only the answer to the latest keystroke counts, as in Discord.
      if (seq !== this.autocompleteSeq || this.input.value !== text) return;
      const items = choices.map((c) => ({
        title: c.name,
        insert: withPicked(text, parsed, c.name),
        choice: [parsed.option.name, c],
      }));
      this.show(items, true, items.length ? "" : "The bot has no suggestions for that.");
    }, AUTOCOMPLETE_DELAY_MS);
  }

  show(items, highlightFirst, note = "") {
    this.items = items.slice(0, MAX_SUGGESTIONS);
    this.list.replaceChildren();
    this.items.forEach((item, index) => {
      const option = document.createElement("li");
      option.id = `suggestion-${index}`;
      option.setAttribute("role", "option");
      option.className = "suggestion";
      const title = document.createElement("span");
      title.className = "suggestion-title";
      title.textContent = item.title;
      option.append(title);
      if (item.detail) {
        const detail = document.createElement("span");
        detail.className = "suggestion-detail";
        detail.textContent = item.detail;
        option.append(detail);
      }
      // Keep the focus in the message box while a suggestion is clicked.
      option.addEventListener("mousedown", (event) => event.preventDefault());
      option.addEventListener("click", () => this.pick(item));
      this.list.append(option);
    });
    if (note) {
      const line = document.createElement("li");
      line.className = "suggestion-note";
      line.setAttribute("role", "presentation");
      line.textContent = note;
      this.list.append(line);
    }
    const visible = this.items.length > 0 || Boolean(note);
    this.list.hidden = !visible;
    this.input.setAttribute("aria-expanded", String(this.items.length > 0));
    this.setActive(highlightFirst && this.items.length ? 0 : -1);
  }

  hide() {
    this.items = [];
    this.list.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
  }

  setActive(index) {
    this.active = index;
    [...this.list.querySelectorAll("[role=option]")].forEach((node, i) => {
      node.setAttribute("aria-selected", String(i === index));
      if (i === index) node.scrollIntoView({ block: "nearest" });
    });
    if (index >= 0) this.input.setAttribute("aria-activedescendant", `suggestion-${index}`);
    else this.input.removeAttribute("aria-activedescendant");
  }

  pick(item) {
    if (item.choice) {
      const [name, choice] = item.choice;
      this.picked.set(name, { name: choice.name, value: choice.value });
    }
    this.input.value = item.insert;
    this.input.focus();
    this.input.setSelectionRange(item.insert.length, item.insert.length);
    this.suggest();
  }
}
